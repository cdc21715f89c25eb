/*
 * dispute.c - a version with its parties and signatures, and changes, as
 * text and JSON, for at, history, show --json and status --json; the
 * source at and history answer from.
 */
#include <stdlib.h>
#include <string.h>

#include "dispute.h"
#include "output.h"

int cli_version_info_get(inv_register *r, int64_t n, int check, cli_version_info *vi,
                         inv_err *e)
{
    return inv_vinfo_get(r, n, check, vi, e);
}

void cli_version_info_free(cli_version_info *vi)
{
    inv_vinfo_free(vi);
}

int cli_source_open(cli_ctx *ctx, const char *dir, inv_register **r, inv_source **s)
{
    inv_err e = {0};
    int rc;
    *r = NULL;
    *s = NULL;
    if (dir) {
        if (inv_source_documents(dir, ctx->now, s, &e) != INV_OK)
            return cli_report(&e);
        return CLI_OK;
    }
    if ((rc = cli_open(ctx, 0, r)))
        return rc;
    if (inv_source_register(*r, s, &e) != INV_OK) {
        inv_close(*r);
        *r = NULL;
        return cli_report(&e);
    }
    return CLI_OK;
}

void cli_version_signers_print(FILE *f, const cli_version_info *vi, const char *indent)
{
    char d[32];
    for (int i = 0; i < 2; i++) {
        int any = 0;
        for (size_t j = 0; j < vi->nsigs; j++) {
            const cli_sig *s = &vi->sigs[j];
            if (strcmp(s->role, inv_roles[i]))
                continue;
            any = 1;
            inv_time_format(s->signed_at, d, sizeof d);
            fprintf(f, _("%s%s %s signed %s with key %s"), indent, inv_roles[i], vi->party[i], d,
                    s->key_id);
            if (vi->checked && !s->ok)
                fprintf(f, _(": DOES NOT HOLD: %s"), s->reason);
            fputc('\n', f);
        }
        if (!any)
            fprintf(f, _("%s%s %s (key %s) has not signed\n"), indent, inv_roles[i], vi->party[i],
                    vi->party_key[i]);
    }
}

void cli_version_json_members(FILE *f, const cli_version_info *vi)
{
    fprintf(f, "\"version\":%lld,\"date\":", (long long)vi->v.number);
    out_json_time(f, vi->v.date);
    fputs(",\"author\":", f);
    out_json_str(f, vi->v.author);
    fputs(",\"message\":", f);
    out_json_str(f, vi->v.message);
    fputs(",\"previous\":", f);
    out_json_str(f, vi->v.prev_hash[0] ? vi->v.prev_hash : NULL);
    fputs(",\"document\":", f);
    out_json_str(f, vi->v.doc_hash);
    fprintf(f, ",\"item_count\":%lld,\"status\":", (long long)vi->v.item_count);
    out_json_str(f, inv_sig_state_name(&vi->state));
    fputs(",\"agreed_at\":", f);
    out_json_time_or_null(f, vi->agreed_at);
    fputs(",\"parties\":{", f);
    for (int i = 0; i < 2; i++) {
        fprintf(f, "%s\"%s\":{\"name\":", i ? "," : "", inv_roles[i]);
        out_json_str(f, vi->party[i]);
        fputs(",\"key_id\":", f);
        out_json_str(f, vi->party_key[i]);
        fputc('}', f);
    }
    fputs("},\"signatures\":[", f);
    for (size_t j = 0; j < vi->nsigs; j++) {
        const cli_sig *s = &vi->sigs[j];
        fputs(j ? ",{\"role\":" : "{\"role\":", f);
        out_json_str(f, s->role);
        fputs(",\"key_id\":", f);
        out_json_str(f, s->key_id);
        fputs(",\"signed_at\":", f);
        out_json_time(f, s->signed_at);
        if (vi->checked) {
            fprintf(f, ",\"holds\":%s,\"reason\":", s->ok ? "true" : "false");
            out_json_str(f, s->reason);
        }
        fputc('}', f);
    }
    fputc(']', f);
}

void cli_print_indented(FILE *f, const char *text, size_t len, const char *indent)
{
    const char *end = text + len;
    while (text < end) {
        const char *nl = memchr(text, '\n', (size_t)(end - text));
        size_t n = nl ? (size_t)(nl - text) : (size_t)(end - text);
        fprintf(f, "%s%.*s\n", indent, (int)n, text);
        text += n + (nl != NULL);
    }
}

int cli_item_print(FILE *f, const inv_item *it, const char *indent)
{
    inv_buf b = {0};
    int rc = inv_item_format(&b, it);
    if (rc == 0)
        cli_print_indented(f, b.data, b.len, indent);
    inv_buf_free(&b);
    return rc ? -1 : 0;
}
