/*
 * coverage_view.c - the answer of at DATE ID --service S, as text and as
 * JSON members: covered or not, the item's coverage, the class's targets.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "coverage_view.h"
#include "output.h"

static const char *src(int own, int bit)
{
    return own & bit ? _("own") : _("kind default");
}

void cli_cov_answer_print(FILE *f, const char *id, const char *service, const char *when,
                          int64_t n, const inv_cov_answer *a)
{
    if (a->covered)
        fprintf(f, _("%s was covered for %s at %s (version %lld)\n"), id, service, when,
                (long long)n);
    else
        fprintf(f, _("%s was not covered for %s at %s (version %lld)\n"), id, service, when,
                (long long)n);
    fprintf(f, _("  services: %s (%s)\n"), a->svc, src(a->own, INV_OWN_SERVICES));
    if (!a->terms_known) { /* --documents: the item's lines only */
        fprintf(f, _("  service level: %s (%s)\n"), a->sla, src(a->own, INV_OWN_SLA));
        return;
    }
    if (a->service.id) {
        const char *d = inv_term_get(&a->service, "description");
        fprintf(f, _("  service %s: %s%s%s\n"), service, inv_term_get(&a->service, "name"),
                d ? " - " : "", d ? d : "");
    } else {
        fprintf(f, _("  version %lld defines no service %s\n"), (long long)n, service);
    }
    if (!a->cls.id) {
        fprintf(f, _("  service level: none (%s)\n"), src(a->own, INV_OWN_SLA));
        return;
    }
    fprintf(f, _("  service level: %s, %s (%s)\n"), a->cls.id, inv_term_get(&a->cls, "name"),
            src(a->own, INV_OWN_SLA));
    const char *h = inv_term_get(&a->cls, "hours"), *av = inv_term_get(&a->cls, "availability");
    if (h)
        fprintf(f, _("    hours: %s\n"), h);
    if (av)
        fprintf(f, _("    availability: %s\n"), av);
    for (int i = 0; i < INV_LEVELS; i++) {
        char k1[48], k2[48];
        snprintf(k1, sizeof k1, "response %s", inv_levels[i]);
        snprintf(k2, sizeof k2, "resolution %s", inv_levels[i]);
        const char *r1 = inv_term_get(&a->cls, k1), *r2 = inv_term_get(&a->cls, k2);
        if (!r1 && !r2)
            continue;
        fprintf(f, _("    %s: response %s, resolution %s\n"), inv_levels[i], r1 ? r1 : "-",
                r2 ? r2 : "-");
    }
}

void cli_cov_answer_json(FILE *f, const char *service, const inv_cov_answer *a)
{
    fputs(",\"service\":", f);
    out_json_str(f, service);
    fprintf(f, ",\"covered\":%s,\"coverage\":{\"services\":", a->covered ? "true" : "false");
    out_json_str(f, a->svc);
    fprintf(f, ",\"services_from\":\"%s\",\"sla\":", a->own & INV_OWN_SERVICES ? "own" : "kind");
    out_json_str(f, a->sla);
    fprintf(f, ",\"sla_from\":\"%s\"},\"class\":", a->own & INV_OWN_SLA ? "own" : "kind");
    if (!a->cls.id) {
        fputs("null", f);
        return;
    }
    fputs("{\"id\":", f);
    out_json_str(f, a->cls.id);
    for (size_t i = 0; i < a->cls.nf; i++) {
        fputc(',', f);
        out_json_str(f, a->cls.f[i].key);
        fputc(':', f);
        out_json_str(f, a->cls.f[i].value);
    }
    fputc('}', f);
}
