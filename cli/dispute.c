/*
 * dispute.c - a version with its parties and signatures, and changes, as
 * text and JSON, for at, history, show --json and status --json.
 */
#include <stdlib.h>
#include <string.h>

#include "dispute.h"
#include "output.h"

typedef struct sigs_ctx {
    cli_version_info *vi;
    int failed; /* out of memory */
} sigs_ctx;

static cli_sig *sig_push(sigs_ctx *c, const inv_sig_row *row)
{
    cli_version_info *vi = c->vi;
    cli_sig *nv = realloc(vi->sigs, (vi->nsigs + 1) * sizeof *nv);
    if (!nv) {
        c->failed = 1;
        return NULL;
    }
    vi->sigs = nv;
    cli_sig *s = &nv[vi->nsigs++];
    memset(s, 0, sizeof *s);
    snprintf(s->role, sizeof s->role, "%s", row->role);
    snprintf(s->key_id, sizeof s->key_id, "%s", row->key_id);
    s->signed_at = row->signed_at;
    return s;
}

static int stored_one(void *ctx, const inv_sig_row *row)
{
    return sig_push(ctx, row) ? 0 : INV_EIO;
}

static int checked_one(void *ctx, const inv_sig_result *res)
{
    cli_sig *s = sig_push(ctx, res->row);
    if (!s)
        return INV_EIO;
    s->ok = res->ok;
    if (!res->ok && !(s->reason = strdup(res->reason ? res->reason : "unknown reason"))) {
        ((sigs_ctx *)ctx)->failed = 1;
        return INV_EIO;
    }
    return 0;
}

int cli_version_info_get(inv_register *r, int64_t n, int check, cli_version_info *vi,
                         inv_err *e)
{
    memset(vi, 0, sizeof *vi);
    int rc = inv_version_get(r, n, &vi->v, e);
    if (rc)
        return rc;
    if ((rc = inv_sig_state_get(r, n, &vi->state, e)))
        return rc;
    vi->agreed_at = inv_agreed_at(&vi->state, vi->v.date);
    for (int i = 0; i < 2; i++) {
        inv_party p;
        if ((rc = inv_party_get(r, inv_roles[i], n, &p, e)))
            return rc;
        vi->party[i] = p.name;
        p.name = NULL;
        cr_keyid_hex(p.key.keyid, vi->party_key[i]);
        inv_party_free(&p);
    }
    sigs_ctx c = {vi, 0};
    if (check) {
        vi->checked = 1;
        rc = inv_sigs_check(r, n, checked_one, &c, e);
        vi->hold = rc == INV_OK;
        if (rc == INV_FAIL)
            rc = INV_OK; /* recorded per signature */
    } else {
        rc = inv_sig_list(r, n, stored_one, &c, e);
    }
    if (c.failed)
        return inv_fail(e, INV_EIO, "out of memory");
    return rc;
}

void cli_version_info_free(cli_version_info *vi)
{
    inv_version_free(&vi->v);
    for (int i = 0; i < 2; i++)
        free(vi->party[i]);
    for (size_t i = 0; i < vi->nsigs; i++)
        free(vi->sigs[i].reason);
    free(vi->sigs);
    memset(vi, 0, sizeof *vi);
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
    if (vi->agreed_at)
        out_json_time(f, vi->agreed_at);
    else
        fputs("null", f);
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

void cli_item_print(FILE *f, const inv_item *it, const char *indent)
{
    inv_buf b = {0};
    if (inv_item_format(&b, it) == 0)
        cli_print_indented(f, b.data, b.len, indent);
    inv_buf_free(&b);
}
