/*
 * docline.c - the lines of a scope document that documents.c (the
 * grammar) and docchain.c (one version following another) both read: the
 * field lines of a modification and the order of an item's fields.
 */
#include <string.h>

#include "document.h"
#include "docline.h"

/* The value at s (n bytes left) in the quoted form of a change line, or
 * "(none)": its bounds inside the quotes (*v NULL for (none)) and the
 * bytes it takes (*used). -1 when neither. */
static int quoted_value(const char *s, size_t n, const char **v, size_t *vn, size_t *used)
{
    if (n >= 6 && !memcmp(s, "(none)", 6)) {
        *v = NULL;
        *vn = 0;
        *used = 6;
        return 0;
    }
    if (n < 2 || s[0] != '"')
        return -1;
    for (size_t i = 1; i < n; i++) {
        if (s[i] == '\\') {
            if (i + 1 == n || !s[i + 1] || !strchr("\\nt\"", s[i + 1]))
                return -1;
            i++;
        } else if (s[i] == '"') {
            *v = s + 1;
            *vn = i - 1;
            *used = i + 1;
            return 0;
        }
    }
    return -1;
}

int inv__fline_parse(const char *l, size_t n, inv__fline *f)
{
    const char *colon = memchr(l, ':', n);
    size_t used;
    if (!colon || colon == l)
        return -1;
    f->key = l;
    f->klen = (size_t)(colon - l);
    size_t i = f->klen;
    if (n - i < 2 || l[i + 1] != ' ')
        return -1;
    i += 2;
    if (quoted_value(l + i, n - i, &f->old, &f->olen, &used))
        return -1;
    i += used;
    if (n - i < 4 || memcmp(l + i, " -> ", 4))
        return -1;
    i += 4;
    if (quoted_value(l + i, n - i, &f->nw, &f->nlen, &used) || i + used != n)
        return -1;
    return 0;
}

int inv__field_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    int ra = inv_field_rank(a, an), rb = inv_field_rank(b, bn); /* values/fields.c */
    if (ra != rb)
        return ra - rb;
    if (ra < inv_field_nfixed())
        return 0;
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : an < bn ? -1 : an > bn;
}

/* The rank of a field in a /2 item block or modification. */
static int rank2(const char *k, size_t n)
{
    int r = inv_field_rank(k, n), nf = inv_field_nfixed();
    if (r < nf)
        return r;
    if (n == 8 && !memcmp(k, "services", 8))
        return nf;
    if (n == 3 && !memcmp(k, "sla", 3))
        return nf + 1;
    return nf + 2;
}

int inv__field_cmp_fmt(int fmt, const char *a, size_t an, const char *b, size_t bn)
{
    if (fmt < 2)
        return inv__field_cmp(a, an, b, bn);
    int ra = rank2(a, an), rb = rank2(b, bn);
    if (ra != rb)
        return ra - rb;
    if (ra < inv_field_nfixed() + 2)
        return 0;
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : an < bn ? -1 : an > bn;
}

/* The rank of a field line: a coverage line of a /2 item block or
 * modification (cov) right after the fixed fields, services before sla;
 * any other key a fixed field's rank or, for an attribute (whatever its
 * name, "services" and "sla" included), the one rank after them. */
static int rank_cov(const char *k, size_t n, int cov)
{
    int nf = inv_field_nfixed();
    if (cov)
        return nf + (n == 3 && !memcmp(k, "sla", 3));
    int r = inv_field_rank(k, n);
    return r < nf ? r : nf + 2;
}

int inv__field_cmp_cov(const char *a, size_t an, int acov, const char *b, size_t bn, int bcov)
{
    int ra = rank_cov(a, an, acov), rb = rank_cov(b, bn, bcov);
    if (ra != rb)
        return ra - rb;
    if (ra < inv_field_nfixed() + 2)
        return 0;
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : an < bn ? -1 : an > bn;
}

int inv__fline_cov(const inv__fline *f, int *state)
{
    int svc = f->klen == 8 && !memcmp(f->key, "services", 8);
    int sla = f->klen == 3 && !memcmp(f->key, "sla", 3);
    int fixed = inv_field_rank(f->key, f->klen) < inv_field_nfixed();
    if (fixed)
        return 0;
    int cov = (svc && *state == 0) || (sla && *state <= 1);
    for (int i = 0; cov && i < 2; i++) {
        const char *v = i ? f->nw : f->old;
        size_t vn = i ? f->nlen : f->olen, l;
        const char *list;
        int own;
        inv_buf buf = {0};
        /* no escape: a coverage value is ids and words; out of memory is
         * no answer (-1), never "not a coverage line" */
        if (!v || memchr(v, '\\', vn)) {
            cov = 0;
            break;
        }
        int prc = inv_buf_add(&buf, v, vn) || inv_buf_add(&buf, "", 0)
                      ? INV_EIO
                      : inv_cov_value_parse(svc ? "services" : "sla", buf.data, &list, &l, &own,
                                            NULL);
        inv_buf_free(&buf);
        if (prc == INV_EIO)
            return -1;
        cov = !prc;
    }
    *state = cov && svc ? 1 : 2;
    return cov;
}
