/*
 * row.c - stored item rows as values: an item from its row, the digest of
 * a row, and the text of an item block (its coverage lines included), a
 * change entry and a field change as the scope document writes them
 * (docs/FORMAT.md). No register.
 */
#include <stdlib.h>
#include <string.h>

#include "values_int.h"

/* The row digest's input, gathered into a buffer: one hash update per
 * kilobyte instead of one per field (the same bytes, the same digest). */
typedef struct digest_in {
    cr_hash h;
    size_t n;
    unsigned char b[1024];
} digest_in;

static void digest_put(digest_in *d, const void *p, size_t len)
{
    if (d->n + len > sizeof d->b) {
        cr_hash_update(&d->h, d->b, d->n);
        d->n = 0;
        if (len > sizeof d->b) {
            cr_hash_update(&d->h, p, len);
            return;
        }
    }
    if (len)
        memcpy(d->b + d->n, p, len);
    d->n += len;
}

void inv__row_digest(const char *id, int64_t since, const char *op, const char *kind,
                     const char *name, const char *attrs, size_t attrs_len,
                     const char *reason, char out[33])
{
    /* Length-prefixed fields, so no two rows share an encoding. */
    digest_in d;
    unsigned char h[CR_HASH_BYTES];
    char num[32];
    const char *f[6] = {id, num, op, kind, name, reason ? reason : ""};
    snprintf(num, sizeof num, "%lld", (long long)since);
    cr_hash_init(&d.h);
    d.n = 0;
    for (int i = 0; i < 6; i++) {
        uint64_t n = strlen(f[i]);
        digest_put(&d, &n, sizeof n);
        digest_put(&d, f[i], n);
        if (i == 4) {
            uint64_t an = attrs_len;
            digest_put(&d, &an, sizeof an);
            digest_put(&d, attrs, attrs_len);
        }
    }
    uint64_t has_reason = reason != NULL;
    digest_put(&d, &has_reason, sizeof has_reason);
    cr_hash_update(&d.h, d.b, d.n);
    cr_hash_final(&d.h, h);
    cr_hex(out, h, 16);
}

int inv__item_from_row(inv_item *it, sqlite3_stmt *st, int col, int strict, inv_err *e)
{
    inv_item_free(it);
    const char *id = (const char *)sqlite3_column_text(st, col);
    const char *kind = (const char *)sqlite3_column_text(st, col + 1);
    const char *name = (const char *)sqlite3_column_text(st, col + 2);
    const char *attrs = (const char *)sqlite3_column_blob(st, col + 3);
    size_t alen = (size_t)sqlite3_column_bytes(st, col + 3);
    it->id = inv__strdup(id ? id : "");
    it->kind = inv__strdup(kind ? kind : "");
    it->name = inv__strdup(name ? name : "");
    if (!it->id || !it->kind || !it->name)
        return inv_fail(e, INV_EIO, "out of memory");
    return inv__attrs_decode(it, attrs ? attrs : "", attrs ? alen : 0, strict, e);
}

/* The coverage lines that differ between before and after (an item
 * without coverage has none, inherited), as "services" and "sla" field
 * changes of values "LIST (own)" or "LIST (kind default)". */
static int coverage_changes(const inv_item *before, const inv_item *after, inv_field_fn fn,
                            void *ctx)
{
    if (!before->svc || !after->svc)
        return 0; /* an item read without coverage says nothing of it */
    inv_buf v[2] = {{0}, {0}};
    int rc = 0;
    for (int part = 0; !rc && part < 2; part++) {
        const inv_item *side[2] = {before, after};
        for (int k = 0; k < 2; k++) {
            const inv_item *it = side[k];
            const char *val = part ? it->sla : it->svc;
            int own = it->svc ? it->own & (part ? INV_OWN_SLA : INV_OWN_SERVICES) : 0;
            if (inv_cov_value(&v[k], val ? val : INV_COV_NONE, own))
                rc = -1;
        }
        if (!rc && strcmp(v[0].data, v[1].data))
            rc = fn(ctx, part ? "sla" : "services", v[0].data, v[1].data);
    }
    inv_buf_free(&v[0]);
    inv_buf_free(&v[1]);
    return rc;
}

int inv_field_changes(const inv_item *before, const inv_item *after, inv_field_fn fn,
                      void *ctx)
{
    int rc;
    const inv_field *f; /* the fixed fields, in the table's order (values/fields.c) */
    for (size_t i = 0; (f = inv_field_at(i)) && f->place != INV_FIELD_ATTR; i++) {
        const char *b = *inv_item_fixed((inv_item *)before, f);
        const char *a = *inv_item_fixed((inv_item *)after, f);
        if (f->place == INV_FIELD_FIXED && strcmp(b, a) && (rc = fn(ctx, f->key, b, a)))
            return rc;
    }
    /* scope-register/2: the coverage lines come right after the fixed fields */
    if ((rc = coverage_changes(before, after, fn, ctx)))
        return rc;
    size_t i = 0, j = 0;
    while (i < before->nattrs || j < after->nattrs) {
        const inv_attr *a = i < before->nattrs ? &before->attrs[i] : NULL;
        const inv_attr *b = j < after->nattrs ? &after->attrs[j] : NULL;
        int c = !a ? 1 : !b ? -1 : strcmp(a->key, b->key);
        rc = 0;
        if (c < 0)
            rc = fn(ctx, a->key, a->value, NULL);
        else if (c > 0)
            rc = fn(ctx, b->key, NULL, b->value);
        else if (strcmp(a->value, b->value))
            rc = fn(ctx, a->key, a->value, b->value);
        if (rc)
            return rc;
        i += c <= 0;
        j += c >= 0;
    }
    return 0;
}

int inv_item_format(inv_buf *b, const inv_item *it)
{
    size_t before = b->len;
    inv__render_item(b, it);
    return b->data && !b->failed && b->len > before ? 0 : -1;
}

/* Writes "INDENT KEY:" at d; the byte after it. */
static char *line_head(char *d, const char *indent, size_t il, const char *key, size_t kl)
{
    memcpy(d, indent, il);
    d += il;
    memcpy(d, key, kl);
    d += kl;
    *d++ = ':';
    return d;
}

int inv__doc_line_raw(inv_buf *b, const char *indent, size_t il, const char *key, size_t kl,
                      const char *value, size_t vl)
{
    if (b->len + il + kl + 3 + vl + 1 > b->cap && inv__buf_reserve(b, il + kl + 3 + vl))
        return -1;
    char *d = line_head(b->data + b->len, indent, il, key, kl);
    if (vl) {
        *d++ = ' ';
        memcpy(d, value, vl);
        d += vl;
    }
    *d++ = '\n';
    *d = '\0';
    b->len = (size_t)(d - b->data);
    return 0;
}

/* "key: value\n" with value escaped as inv_escape does (backslash, LF,
 * TAB); "key:\n" when empty. Written in one piece: this runs for every
 * field of every item. il, kl and vl are the lengths of indent, key and
 * value. */
int inv__doc_line(inv_buf *b, const char *indent, size_t il, const char *key, size_t kl,
                  const char *value, size_t vl)
{
    /* the bytes escaped below: backslash, LF, TAB */
    static const unsigned char esc[256] = {['\\'] = 1, ['\n'] = 1, ['\t'] = 1};
    size_t i = inv__plain_run(value, vl);
    while (i < vl && !esc[(unsigned char)value[i]])
        i++;
    if (i == vl) /* most values need no escape: one copy */
        return inv__doc_line_raw(b, indent, il, key, kl, value, vl);
    if (b->len + il + kl + 3 + 2 * vl + 1 > b->cap && inv__buf_reserve(b, il + kl + 3 + 2 * vl))
        return -1;
    char *d = line_head(b->data + b->len, indent, il, key, kl);
    *d++ = ' ';
    memcpy(d, value, i);
    d += i;
    for (; i < vl; i++) {
        char c = value[i];
        if (esc[(unsigned char)c]) {
            *d++ = '\\';
            c = c == '\n' ? 'n' : c == '\t' ? 't' : '\\';
        }
        *d++ = c;
    }
    *d++ = '\n';
    *d = '\0';
    b->len = (size_t)(d - b->data);
    return 0;
}

static void line(inv_buf *b, const char *indent, const char *key, const char *value)
{
    inv__doc_line(b, indent, strlen(indent), key, strlen(key), value, value ? strlen(value) : 0);
}

/* Quoted form used in change lines: "..." escaping \ " LF TAB, or (none). */
static void quoted(inv_buf *b, const char *v)
{
    if (!v) {
        inv_buf_puts(b, "(none)");
        return;
    }
    inv_buf_add(b, "\"", 1);
    const char *run = v;
    for (; *v; v++) {
        const char *rep = *v == '\\' ? "\\\\" : *v == '"' ? "\\\"" : *v == '\n' ? "\\n"
                        : *v == '\t' ? "\\t" : NULL;
        if (rep) {
            inv_buf_add(b, run, (size_t)(v - run));
            inv_buf_add(b, rep, 2);
            run = v + 1;
        }
    }
    inv_buf_add(b, run, (size_t)(v - run));
    inv_buf_add(b, "\"", 1);
}

int inv__quoted(inv_buf *b, const char *v)
{
    size_t before = b->len;
    quoted(b, v);
    return b->data && !b->failed && b->len > before ? 0 : -1;
}

static void field_change(inv_buf *b, const char *key, const char *before, const char *after)
{
    inv_buf_puts(b, "  ");
    inv_buf_puts(b, key);
    inv_buf_puts(b, ": ");
    quoted(b, before);
    inv_buf_puts(b, " -> ");
    quoted(b, after);
    inv_buf_add(b, "\n", 1);
}

static int field_change_fn(void *ctx, const char *key, const char *before, const char *after)
{
    field_change(ctx, key, before, after);
    return 0;
}

void inv__render_modification(inv_buf *b, const inv_item *before, const inv_item *after)
{
    inv_field_changes(before, after, field_change_fn, b);
}

int inv_change_format(inv_buf *b, const inv_change *c)
{
    const char *mark = c->op == INV_OP_ADD ? "+ " : c->op == INV_OP_REMOVE ? "- " : "~ ";
    size_t before = b->len;
    inv_buf_puts(b, mark);
    inv_escape(b, c->id);
    inv_buf_add(b, "\n", 1);
    if (c->op == INV_OP_REMOVE) {
        line(b, "  ", "reason", c->reason ? c->reason : "");
    } else if (c->op == INV_OP_EDIT && c->before && c->after) {
        inv__render_modification(b, c->before, c->after);
    }
    return b->data && !b->failed && b->len > before ? 0 : -1;
}

void inv__render_item(inv_buf *b, const inv_item *it)
{
    if (inv__item_head(b, it->id, strlen(it->id), it->kind, strlen(it->kind), it->name,
                       strlen(it->name)))
        return;
    if (it->svc && inv_cov_lines(b, it->svc, it->sla, it->own))
        return;
    for (size_t i = 0; i < it->nattrs; i++)
        line(b, "  ", it->attrs[i].key, it->attrs[i].value);
}

/* ---- an item's coverage lines (scope-register/2, values/coverage.h) ---- */

int inv_cov_value(inv_buf *out, const char *list, int own)
{
    out->len = 0;
    return inv_buf_printf(out, "%s (%s)", list ? list : INV_COV_NONE,
                          own ? "own" : "kind default") < 0
               ? -1
               : 0;
}

/* Appends the n bytes at s to the room reserved at *d. */
static char *put_bytes(char *d, const char *s, size_t n)
{
    memcpy(d, s, n);
    return d + n;
}

int inv_cov_lines(inv_buf *b, const char *svc, const char *sla, int own)
{
    /* written in one piece, without printf: this runs for every item */
    static const char own_s[] = " (own)\n", kind_s[] = " (kind default)\n";
    const char *s = svc ? svc : INV_COV_NONE, *c = sla ? sla : INV_COV_NONE;
    size_t sl = strlen(s), cl = strlen(c);
    if (inv__buf_reserve(b, sl + cl + 64))
        return -1;
    char *d = b->data + b->len;
    d = put_bytes(d, "  services: ", 12);
    d = put_bytes(d, s, sl);
    d = own & INV_OWN_SERVICES ? put_bytes(d, own_s, sizeof own_s - 1)
                               : put_bytes(d, kind_s, sizeof kind_s - 1);
    d = put_bytes(d, "  sla: ", 7);
    d = put_bytes(d, c, cl);
    d = own & INV_OWN_SLA ? put_bytes(d, own_s, sizeof own_s - 1)
                          : put_bytes(d, kind_s, sizeof kind_s - 1);
    *d = '\0';
    b->len = (size_t)(d - b->data);
    return 0;
}
