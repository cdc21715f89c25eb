/*
 * json.c - JSON for the --json options (docs/JSON.md): strings escaped per
 * RFC 8259, items, dates.
 */
#include <string.h>

#include "output.h"

void out_json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    /* Text from files and paths may not be UTF-8: such bytes become
     * U+FFFD, so the output stays valid JSON whatever it holds. */
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    fputc('"', f);
    while (left) {
        size_t n = inv_utf8_len(p, left);
        if (n == 0) {
            fputs("\\ufffd", f);
            n = 1;
        } else if (n > 1) {
            fwrite(p, 1, n, f);
        } else {
            switch (*p) {
            case '"': fputs("\\\"", f); break;
            case '\\': fputs("\\\\", f); break;
            case '\n': fputs("\\n", f); break;
            case '\t': fputs("\\t", f); break;
            case '\r': fputs("\\r", f); break;
            default:
                if (*p < 0x20 || *p == 0x7f)
                    fprintf(f, "\\u%04x", *p);
                else
                    fputc(*p, f);
            }
        }
        p += n;
        left -= n;
    }
    fputc('"', f);
}

typedef struct json_list_ctx {
    FILE *f;
    int n;
} json_list_ctx;

/* One id of a service list, as a JSON string. */
static int json_list_one(void *ctx, const char *id, size_t n)
{
    json_list_ctx *c = ctx;
    fprintf(c->f, "%s\"%.*s\"", c->n++ ? "," : "", (int)n, id); /* ids need no escape */
    return 0;
}

void out_json_item(FILE *f, const inv_item *it)
{
    fputs("{\"id\":", f);
    out_json_str(f, it->id);
    fputs(",\"kind\":", f);
    out_json_str(f, it->kind);
    fputs(",\"name\":", f);
    out_json_str(f, it->name);
    fputs(",\"attributes\":{", f);
    for (size_t i = 0; i < it->nattrs; i++) {
        if (i)
            fputc(',', f);
        out_json_str(f, it->attrs[i].key);
        fputc(':', f);
        out_json_str(f, it->attrs[i].value);
    }
    fputc('}', f);
    if (it->svc) { /* a scope-register/2 version: its effective coverage */
        fputs(",\"coverage\":{\"services\":[", f);
        json_list_ctx lc = {f, 0};
        inv_service_list_walk(it->svc, json_list_one, &lc);
        fprintf(f, "],\"services_from\":\"%s\",\"sla\":",
                it->own & INV_OWN_SERVICES ? "own" : "kind");
        if (it->sla && strcmp(it->sla, INV_COV_NONE))
            out_json_str(f, it->sla);
        else
            fputs("null", f);
        fprintf(f, ",\"sla_from\":\"%s\"}", it->own & INV_OWN_SLA ? "own" : "kind");
    }
    fputc('}', f);
}

void out_json_time(FILE *f, int64_t t)
{
    char d[32];
    inv_time_format(t, d, sizeof d);
    out_json_str(f, d);
}

void out_json_time_or_null(FILE *f, int64_t t)
{
    if (t)
        out_json_time(f, t);
    else
        fputs("null", f);
}

typedef struct fields_ctx {
    FILE *f;
    int n;
} fields_ctx;

static int json_field(void *ctx, const char *field, const char *old_value, const char *new_value)
{
    fields_ctx *c = ctx;
    fputs(c->n++ ? ",{\"field\":" : "{\"field\":", c->f);
    out_json_str(c->f, field);
    fputs(",\"old\":", c->f);
    out_json_str(c->f, old_value);
    fputs(",\"new\":", c->f);
    out_json_str(c->f, new_value);
    fputc('}', c->f);
    return 0;
}

void out_json_change(FILE *f, const inv_change *c)
{
    static const char *const ops[] = {"added", "modified", "removed"};
    const inv_item *it = c->op == INV_OP_REMOVE ? c->before : c->after;
    fprintf(f, "{\"op\":\"%s\",\"id\":",
            ops[c->op == INV_OP_ADD ? 0 : c->op == INV_OP_EDIT ? 1 : 2]);
    out_json_str(f, c->id);
    fputs(",\"item\":", f);
    if (it)
        out_json_item(f, it);
    else
        fputs("null", f);
    if (c->op == INV_OP_EDIT) {
        fields_ctx fc = {f, 0};
        fputs(",\"fields\":[", f);
        if (c->before && c->after)
            inv_field_changes(c->before, c->after, json_field, &fc);
        fputc(']', f);
    } else if (c->op == INV_OP_REMOVE) {
        fputs(",\"reason\":", f);
        out_json_str(f, c->reason);
    }
    fputc('}', f);
}

void out_json_signers(FILE *f, const inv_sig_state *s)
{
    fputc('{', f);
    for (int i = 0; i < 2; i++) {
        const inv_party_sigs *p = &s->party[i];
        fprintf(f, "%s\"%s\":{\"signed\":%s,\"keys_needed\":%d,\"keys_signed\":%d,"
                   "\"signed_at\":",
                i ? "," : "", inv_roles[i], p->signed_ ? "true" : "false", p->need ? p->need : 1,
                p->have);
        if (p->have)
            out_json_time(f, p->at);
        else
            fputs("null", f);
        fputc('}', f);
    }
    fputc('}', f);
}
