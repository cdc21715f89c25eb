/*
 * changes_view.c - staged changes for people (import --dry-run, status):
 * each addition with its kind and name, a count per kind, and the
 * modifications that only change spellings grouped apart.
 */
#include <stdio.h>
#include <string.h>

#include "changes_view.h"

static const char *const kinds[8] = {"workstation", "server", "os",  "software",
                                     "network",     "printer", "vpn", "other"};

/* Appends text with line breaks and other control characters escaped. */
static void put_text(inv_buf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n')
            inv_buf_puts(b, "\\n");
        else if (c == '\t')
            inv_buf_puts(b, "\\t");
        else if (c < 0x20 || c == 0x7f)
            inv_buf_printf(b, "\\x%02x", c);
        else
            inv_buf_add(b, s, 1);
    }
}

int cli_view_change(void *ctx, const inv_change *c)
{
    cli_view *v = ctx;
    size_t before;
    if (c->op == INV_OP_ADD && c->after) {
        const inv_item *it = c->after;
        v->added++;
        for (int k = 0; k < 8; k++)
            if (it->kind && !strcmp(it->kind, kinds[k]))
                v->per_kind[k]++;
        before = v->out.len;
        inv_buf_puts(&v->out, "+ ");
        put_text(&v->out, c->id);
        inv_buf_printf(&v->out, " (%s)", it->kind ? it->kind : "?");
        if (it->name && *it->name) {
            inv_buf_puts(&v->out, " ");
            put_text(&v->out, it->name);
        }
        inv_buf_puts(&v->out, "\n");
        for (size_t i = 0; v->long_form && i < it->nattrs; i++) {
            inv_buf_printf(&v->out, "    %s: ", it->attrs[i].key);
            put_text(&v->out, it->attrs[i].value);
            inv_buf_puts(&v->out, "\n");
        }
        return v->out.data && v->out.len > before ? 0 : INV_EIO;
    }
    if (c->op == INV_OP_EDIT && v->group_spelling && inv_change_spelling_only(c)) {
        v->modified++;
        v->spelling++;
        return inv_change_format(&v->spell, c) ? INV_EIO : 0;
    }
    v->modified += c->op == INV_OP_EDIT;
    v->removed += c->op == INV_OP_REMOVE;
    return inv_change_format(&v->out, c) ? INV_EIO : 0;
}

const char *cli_view_kinds(cli_view *v)
{
    v->kinds.len = 0;
    inv_buf_add(&v->kinds, "", 0);
    if (!v->added)
        return v->kinds.data ? v->kinds.data : "";
    inv_buf_puts(&v->kinds, _("added per kind:"));
    int n = 0;
    for (int k = 0; k < 8; k++)
        if (v->per_kind[k])
            inv_buf_printf(&v->kinds, "%s %lld %s", n++ ? "," : "", (long long)v->per_kind[k],
                           kinds[k]);
    return v->kinds.data ? v->kinds.data : "";
}

int cli_view_print(cli_view *v, FILE *f)
{
    if (v->out.len)
        fwrite(v->out.data, 1, v->out.len, f);
    if (v->spell.len) {
        fprintf(f,
                ngettext("\n%lld modification only changes spelling (case, accents, spaces or "
                         "punctuation):\n",
                         "\n%lld modifications only change spelling (case, accents, spaces or "
                         "punctuation):\n",
                         v->spelling == 1 ? 1 : 2),
                (long long)v->spelling);
        fwrite(v->spell.data, 1, v->spell.len, f);
    }
    return v->out.failed || v->spell.failed || v->kinds.failed ? -1 : 0;
}

void cli_view_free(cli_view *v)
{
    inv_buf_free(&v->out);
    inv_buf_free(&v->spell);
    inv_buf_free(&v->kinds);
}
