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

/* A class's hours, availability and targets per level, indented. */
static void class_targets(FILE *f, const inv_term *cls)
{
    const char *h = inv_term_get(cls, "hours"), *av = inv_term_get(cls, "availability");
    if (h)
        fprintf(f, _("    hours: %s\n"), h);
    if (av)
        fprintf(f, _("    availability: %s\n"), av);
    for (int i = 0; i < INV_LEVELS; i++) {
        char k1[48], k2[48];
        snprintf(k1, sizeof k1, "response %s", inv_levels[i]);
        snprintf(k2, sizeof k2, "resolution %s", inv_levels[i]);
        const char *r1 = inv_term_get(cls, k1), *r2 = inv_term_get(cls, k2);
        if (!r1 && !r2)
            continue;
        fprintf(f, _("    %s: response %s, resolution %s\n"), inv_levels[i], r1 ? r1 : "-",
                r2 ? r2 : "-");
    }
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
    class_targets(f, &a->cls);
}

void cli_cov_item_print(FILE *f, const inv_item *it, const inv_term *terms, size_t nterms)
{
    const inv_term *cls = NULL;
    fprintf(f, _("  services: %s (%s)\n"), it->svc, src(it->own, INV_OWN_SERVICES));
    for (size_t i = 0; i < nterms; i++) {
        const inv_term *t = &terms[i];
        if (t->type == INV_TERM_CLASS)
            cls = t;
        if (t->type != INV_TERM_SERVICE)
            continue;
        const char *d = inv_term_get(t, "description"), *name = inv_term_get(t, "name");
        fprintf(f, _("  service %s: %s%s%s\n"), t->id, name ? name : "", d ? " - " : "",
                d ? d : "");
    }
    if (!cls) {
        fprintf(f, _("  service level: none (%s)\n"), src(it->own, INV_OWN_SLA));
        return;
    }
    const char *name = inv_term_get(cls, "name");
    fprintf(f, _("  service level: %s, %s (%s)\n"), cls->id, name ? name : "",
            src(it->own, INV_OWN_SLA));
    class_targets(f, cls);
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
