/*
 * item.c - items of the scope: fields, attribute keys, values, and the
 * checks of the field table's rules (the tables are in fields.c).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "fields.h"
#include "values_int.h"

void inv_item_init(inv_item *it)
{
    memset(it, 0, sizeof *it);
}

void inv_item_free(inv_item *it)
{
    free(it->id);
    free(it->kind);
    free(it->name);
    for (size_t i = 0; i < it->nattrs; i++) {
        free(it->attrs[i].key);
        free(it->attrs[i].value);
    }
    free(it->attrs);
    free(it->svc);
    free(it->sla);
    inv_item_init(it);
}

static int set_str(char **dst, const char *src)
{
    char *d = src ? inv__strdup(src) : NULL;
    if (src && !d)
        return -1;
    free(*dst);
    *dst = d;
    return 0;
}

int inv_item_copy(inv_item *dst, const inv_item *src)
{
    inv_item_free(dst);
    if (set_str(&dst->id, src->id) || set_str(&dst->kind, src->kind) ||
        set_str(&dst->name, src->name) || set_str(&dst->svc, src->svc) ||
        set_str(&dst->sla, src->sla))
        goto oom;
    dst->own = src->own;
    if (src->nattrs) {
        dst->attrs = calloc(src->nattrs, sizeof *dst->attrs);
        if (!dst->attrs)
            goto oom;
        dst->cap = src->nattrs;
        for (size_t i = 0; i < src->nattrs; i++) {
            dst->attrs[i].key = inv__strdup(src->attrs[i].key);
            dst->attrs[i].value = inv__strdup(src->attrs[i].value);
            dst->nattrs = i + 1;
            if (!dst->attrs[i].key || !dst->attrs[i].value)
                goto oom;
        }
    }
    return INV_OK;
oom:
    inv_item_free(dst);
    return INV_EIO;
}

/* Index of key, or -(insertion point)-1. */
static long find_attr(const inv_item *it, const char *key)
{
    size_t lo = 0, hi = it->nattrs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(it->attrs[mid].key, key);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -(long)lo - 1;
}

const char *inv_item_get(const inv_item *it, const char *key)
{
    long i = find_attr(it, key);
    return i >= 0 ? it->attrs[i].value : NULL;
}

/* Stores key/value without checking (the decoder and inv_item_set use it). */
static int put_attr(inv_item *it, const char *key, size_t klen, const char *value,
                    size_t vlen)
{
    char *k = malloc(klen + 1), *v = malloc(vlen + 1);
    if (!k || !v) {
        free(k);
        free(v);
        return -1;
    }
    memcpy(k, key, klen);
    k[klen] = '\0';
    memcpy(v, value, vlen);
    v[vlen] = '\0';
    long i = find_attr(it, k);
    if (i >= 0) {
        free(k);
        free(it->attrs[i].value);
        it->attrs[i].value = v;
        return 0;
    }
    size_t at = (size_t)(-i - 1);
    if (it->nattrs == it->cap) {
        size_t cap = it->cap ? it->cap * 2 : 8;
        inv_attr *a = realloc(it->attrs, cap * sizeof *a);
        if (!a) {
            free(k);
            free(v);
            return -1;
        }
        it->attrs = a;
        it->cap = cap;
    }
    memmove(it->attrs + at + 1, it->attrs + at, (it->nattrs - at) * sizeof *it->attrs);
    it->attrs[at].key = k;
    it->attrs[at].value = v;
    it->nattrs++;
    return 0;
}

int inv_item_set(inv_item *it, const char *key, const char *value, inv_err *e)
{
    char norm[256];
    if (strlen(key) >= sizeof norm)
        return inv_fail(e, INV_EINPUT, "attribute key '%.40s...' is longer than 255 bytes",
                        key);
    strcpy(norm, key);
    if (inv_key_normalise(norm) != 0)
        return inv_fail(e, INV_EINPUT,
                        "attribute key '%s' has no letter or digit to keep", key);
    const inv_field *f = inv_field_fixed(norm, strlen(norm));
    if (f && f->place == INV_FIELD_KEY)
        return inv_fail(e, INV_EINPUT, "the id of an item cannot be changed with --set");
    if (f && f->rule == INV_RULE_KIND) {
        const char *k = inv_kind_canonical(value);
        if (!k) {
            const char *near = inv_kind_suggest(value);
            return inv_fail(e, INV_EINPUT, "unknown kind '%s'%s%s%s; %s", value,
                            near ? INV_(" (did you mean '") : "", near ? near : "",
                            near ? "'?)" : "", inv_kind_help());
        }
        return set_str(inv_item_fixed(it, f), k) ? INV_EIO : INV_OK;
    }
    /* A CR LF inside a value is kept as LF (text pasted from Windows); a
     * lone CR stays a control character and is refused. */
    char *lf = NULL;
    if (strstr(value, "\r\n")) {
        if (!(lf = inv__strdup(value)))
            return inv_fail(e, INV_EIO, "out of memory");
        char *w = lf;
        for (const char *r = value; *r; r++)
            if (!(r[0] == '\r' && r[1] == '\n'))
                *w++ = *r;
        *w = '\0';
        value = lf;
    }
    int rc = inv_value_check(norm, value, e);
    if (!rc && f)
        rc = set_str(inv_item_fixed(it, f), value) ? inv_fail(e, INV_EIO, "out of memory")
                                                   : INV_OK;
    else if (!rc && put_attr(it, norm, strlen(norm), value, strlen(value)))
        rc = inv_fail(e, INV_EIO, "out of memory");
    free(lf);
    return rc;
}

int inv_item_key_alias(const char *key, char *out, size_t outlen)
{
    const inv_field *f = inv_field_by_header(key);
    char norm[256];
    snprintf(norm, sizeof norm, "%s", f ? f->key : key);
    if (inv_key_normalise(norm) != 0 || strlen(norm) >= outlen)
        return -1;
    memcpy(out, norm, strlen(norm) + 1);
    return 0;
}

int inv_item_set_alias(inv_item *it, const char *key, const char *value, inv_err *e)
{
    const inv_field *f = inv_field_by_header(key);
    if (f && f->place == INV_FIELD_KEY)
        return inv_fail(e, INV_EINPUT, "'%s' names the id (as an import header would), which "
                        "--set cannot change; remove the item and add it under its new id",
                        key);
    return inv_item_set(it, f ? f->key : key, value, e);
}

int inv_item_unset(inv_item *it, const char *key, inv_err *e)
{
    char norm[256];
    snprintf(norm, sizeof norm, "%s", key);
    if (inv_key_normalise(norm) != 0 || inv_field_fixed(norm, strlen(norm)))
        return inv_fail(e, INV_EINPUT, "cannot unset '%s': only attributes can be unset",
                        key);
    long i = find_attr(it, norm);
    if (i < 0)
        return inv_fail(e, INV_EINPUT, "item '%s' has no attribute '%s'",
                        it->id ? it->id : "", norm);
    free(it->attrs[i].key);
    free(it->attrs[i].value);
    memmove(it->attrs + i, it->attrs + i + 1, (it->nattrs - (size_t)i - 1) * sizeof *it->attrs);
    it->nattrs--;
    return INV_OK;
}

static int str_eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

int inv_item_equal(const inv_item *a, const inv_item *b)
{
    if (!str_eq(a->kind, b->kind) || !str_eq(a->name, b->name) || a->nattrs != b->nattrs)
        return 0;
    /* coverage: compared when both items carry it (an item read without
     * it, from the stage or a /1 version, says nothing of it) */
    if (a->svc && b->svc &&
        (strcmp(a->svc ? a->svc : INV_COV_NONE, b->svc ? b->svc : INV_COV_NONE) ||
         strcmp(a->sla ? a->sla : INV_COV_NONE, b->sla ? b->sla : INV_COV_NONE) ||
         (a->svc ? a->own : 0) != (b->svc ? b->own : 0)))
        return 0;
    for (size_t i = 0; i < a->nattrs; i++)
        if (strcmp(a->attrs[i].key, b->attrs[i].key) ||
            strcmp(a->attrs[i].value, b->attrs[i].value))
            return 0;
    return 1;
}

size_t inv_utf8_len(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        return (n >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
    if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0))
            return 0; /* overlong, surrogate */
        return 3;
    }
    if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        if ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
            return 0;
        return 4;
    }
    return 0;
}

/* Checks UTF-8 and control characters; allow_tab_lf for values. Returns the
 * 1-based character position of the first fault, 0 when clean; *what says
 * which fault. */
static size_t text_fault(const char *text, int allow_tab_lf, const char **what)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t pos = 1, left = strlen(text);
    while (*s) {
        size_t n = inv_utf8_len(s, left);
        if (n == 0) {
            *what = "invalid UTF-8";
            return pos;
        }
        if (n == 1 && (*s < 0x20 || *s == 0x7f) && !(allow_tab_lf && (*s == '\t' || *s == '\n'))) {
            *what = "a control character";
            return pos;
        }
        if (n == 2 && s[0] == 0xC2 && s[1] < 0xA0) {
            *what = "a control character";
            return pos;
        }
        s += n;
        left -= n;
        pos++;
    }
    return 0;
}

int inv__plain_class(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    int esc = 0;
    if (n > INV_VALUE_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        i += inv__plain_run(u + i, n - i);
        if (i == n)
            break;
        unsigned char c = u[i];
        if (c == '\\' || c == '\t' || c == '\n') {
            esc = 1;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF && i + 1 < n && (u[i + 1] & 0xC0) == 0x80 &&
            (c > 0xC2 || u[i + 1] >= 0xA0)) {
            i++;
            continue;
        }
        return 0;
    }
    return 1 + esc;
}

int inv_value_check(const char *field, const char *value, inv_err *e)
{
    size_t len = strlen(value);
    /* most values: decided in one pass, without decoding */
    if (inv__plain_class(value, len))
        return INV_OK;
    const char *what;
    if (len > INV_VALUE_MAX)
        return inv_fail(e, INV_EINPUT, "field '%s': value is %zu bytes, more than %d",
                        field, len, INV_VALUE_MAX);
    size_t pos = text_fault(value, 1, &what);
    if (pos)
        return inv_fail(e, INV_EINPUT, "field '%s': %s at character %zu%s", field, what, pos,
                        what[0] == 'a' ? " (only tab and line feed are allowed among control "
                                         "characters)"
                                       : "");
    return INV_OK;
}

/* Code points an item id may not hold (inv_id_check): they print as
 * nothing, or as a plain space, so two ids that look alike differ, and
 * what a party reviews is not what a query finds. Unicode's format
 * characters (Cf), the other default-ignorable code points, the spaces
 * other than U+0020 (Zs) and the line and paragraph separators. Sorted,
 * inclusive ranges. */
typedef struct cp_range {
    unsigned lo, hi;
    const char *what;
} cp_range;

static const cp_range id_refused[] = {
    {0x00A0, 0x00A0, "a space other than U+0020"},
    {0x00AD, 0x00AD, "an invisible format character"},
    {0x034F, 0x034F, "an invisible character"},
    {0x0600, 0x0605, "a format character"},
    {0x061C, 0x061C, "an invisible format character"},
    {0x06DD, 0x06DD, "a format character"},
    {0x070F, 0x070F, "a format character"},
    {0x0890, 0x0891, "a format character"},
    {0x08E2, 0x08E2, "a format character"},
    {0x115F, 0x1160, "an invisible character"},
    {0x1680, 0x1680, "a space other than U+0020"},
    {0x17B4, 0x17B5, "an invisible character"},
    {0x180B, 0x180F, "an invisible format character"},
    {0x2000, 0x200A, "a space other than U+0020"},
    {0x200B, 0x200F, "an invisible format character"},
    {0x2028, 0x2029, "a line or paragraph separator"},
    {0x202A, 0x202E, "an invisible format character"},
    {0x202F, 0x202F, "a space other than U+0020"},
    {0x205F, 0x205F, "a space other than U+0020"},
    {0x2060, 0x206F, "an invisible format character"},
    {0x3000, 0x3000, "a space other than U+0020"},
    {0x3164, 0x3164, "an invisible character"},
    {0xFE00, 0xFE0F, "an invisible variation selector"},
    {0xFEFF, 0xFEFF, "an invisible format character"},
    {0xFFA0, 0xFFA0, "an invisible character"},
    {0xFFF0, 0xFFFB, "an invisible format character"},
    {0x110BD, 0x110BD, "a format character"},
    {0x110CD, 0x110CD, "a format character"},
    {0x13430, 0x1343F, "a format character"},
    {0x1BCA0, 0x1BCA3, "an invisible format character"},
    {0x1D173, 0x1D17A, "an invisible format character"},
    {0xE0000, 0xE0FFF, "an invisible format character"},
};

/* Combining marks an id may not start with: with nothing to sit on, they
 * print over the character before the id. */
static const cp_range id_no_lead[] = {
    {0x0300, 0x036F, "a combining mark"},
    {0x1AB0, 0x1AFF, "a combining mark"},
    {0x1DC0, 0x1DFF, "a combining mark"},
    {0x20D0, 0x20FF, "a combining mark"},
    {0xFE20, 0xFE2F, "a combining mark"},
};

static const cp_range *cp_find(const cp_range *t, size_t n, unsigned cp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < t[mid].lo)
            hi = mid;
        else if (cp > t[mid].hi)
            lo = mid + 1;
        else
            return &t[mid];
    }
    return NULL;
}

/* The code point of the valid n-byte UTF-8 sequence at s. */
static unsigned cp_decode(const unsigned char *s, size_t n)
{
    static const unsigned char lead_mask[5] = {0, 0x7F, 0x1F, 0x0F, 0x07};
    unsigned cp = s[0] & lead_mask[n];
    for (size_t i = 1; i < n; i++)
        cp = (cp << 6) | (s[i] & 0x3Fu);
    return cp;
}

/* The rules every id ever stored was held to: non-empty, at most 200
 * bytes, valid UTF-8, no control character, no ASCII space at either end.
 * With input, also the rules for new ids (id_refused, id_no_lead). */
static int id_rules(const char *id, int input, inv_err *e)
{
    const char *what;
    size_t len = strlen(id);
    if (len == 0)
        return inv_fail(e, INV_EINPUT, "empty item id");
    if (len > 200)
        return inv_fail(e, INV_EINPUT, "item id '%.40s...' is longer than 200 bytes", id);
    size_t pos = text_fault(id, 0, &what);
    if (pos)
        return inv_fail(e, INV_EINPUT, "item id: %s at character %zu", what, pos);
    if (isspace((unsigned char)id[0]) || isspace((unsigned char)id[len - 1]))
        return inv_fail(e, INV_EINPUT, "item id '%s' starts or ends with a space", id);
    if (!input)
        return INV_OK;
    const unsigned char *s = (const unsigned char *)id;
    size_t left = len;
    for (pos = 1; left; pos++) {
        size_t n = inv_utf8_len(s, left);
        if (n > 1) {
            unsigned cp = cp_decode(s, n);
            const cp_range *bad =
                cp_find(id_refused, sizeof id_refused / sizeof *id_refused, cp);
            int lead = !bad && pos == 1 &&
                       (bad = cp_find(id_no_lead, sizeof id_no_lead / sizeof *id_no_lead, cp));
            if (bad)
                return inv_fail(e, INV_EINPUT, "item id: U+%04X (%s) at character %zu: %s; "
                                "remove it from the id", cp, bad->what, pos,
                                lead ? "an id may not start with a combining mark"
                                     : "an id may hold no invisible character and no space "
                                       "other than U+0020");
        }
        s += n;
        left -= n;
    }
    return INV_OK;
}

int inv_id_check(const char *id, inv_err *e)
{
    return id_rules(id, 1, e);
}

int inv_id_check_stored(const char *id, inv_err *e)
{
    return id_rules(id, 0, e);
}

int inv_key_check(const char *key, inv_err *e)
{
    const char *p = key;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
        goto bad;
    for (; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
              *p == '.' || *p == '-'))
            goto bad;
    if (p - key > 64)
        goto bad;
    if (inv_field_fixed(key, (size_t)(p - key)))
        return inv_fail(e, INV_EINPUT, "'%s' is a field, not an attribute key", key);
    return INV_OK;
bad:
    return inv_fail(e, INV_EINPUT,
                    "invalid attribute key '%s': expected 1 to 64 of a-z 0-9 _ . - "
                    "starting with a letter or digit",
                    key);
}

int inv_field_check(const inv_field *f, const char *id, const char *value, inv_err *e)
{
    switch (f->rule) {
    case INV_RULE_ID:
        return inv_id_check(value ? value : "", e);
    case INV_RULE_KIND: {
        const char *k = value ? inv_kind_canonical(value) : NULL;
        if (!k || strcmp(k, value))
            return inv_fail(e, INV_EINPUT, "item '%s': missing or non-canonical %s",
                            id ? id : "", f->key);
        return INV_OK;
    }
    case INV_RULE_TEXT:
        break;
    }
    return inv_value_check(f->key, value ? value : "", e);
}

int inv_item_check(const inv_item *it, inv_err *e)
{
    int rc;
    const inv_field *f;
    /* the id, the fixed fields, in the table's order */
    for (size_t i = 0; (f = inv_field_at(i)) && f->place != INV_FIELD_ATTR; i++)
        if ((rc = inv_field_check(f, it->id, *inv_item_fixed((inv_item *)it, f), e)))
            return rc;
    for (size_t i = 0; i < it->nattrs; i++) {
        if ((rc = inv_key_check(it->attrs[i].key, e)) ||
            (rc = inv_value_check(it->attrs[i].key, it->attrs[i].value, e)))
            return rc;
        /* scope-register/2 writes an item's coverage on these lines */
        if (!strcmp(it->attrs[i].key, "services") || !strcmp(it->attrs[i].key, "sla"))
            return inv_fail(e, INV_EINPUT,
                            "item '%s': '%s' is the item's coverage, not an attribute key; "
                            "use --service S[,S]... or --sla CLASS (or another key)",
                            it->id, it->attrs[i].key);
        if (i && strcmp(it->attrs[i - 1].key, it->attrs[i].key) >= 0)
            return inv_fail(e, INV_EINPUT, "item '%s': attributes not sorted or repeated",
                            it->id);
    }
    return INV_OK;
}

/* ---- keys ---- */

static int key_normalise(char *key, int legacy)
{
    char tmp[256];
    (legacy ? inv__fold_legacy : inv__fold)(key, tmp, sizeof tmp, '_', 1);
    /* collapse punctuation runs and trim them at the edges */
    size_t o = 0;
    for (size_t i = 0; tmp[i] && o < 64; i++) {
        int punct = tmp[i] == '_' || tmp[i] == '.' || tmp[i] == '-';
        if (punct && (o == 0 || key[o - 1] == '_' || key[o - 1] == '.' || key[o - 1] == '-'))
            continue;
        key[o++] = tmp[i];
    }
    while (o > 0 && (key[o - 1] == '_' || key[o - 1] == '.' || key[o - 1] == '-'))
        o--;
    key[o] = '\0';
    if (o > 64)
        key[64] = '\0';
    return o ? 0 : -1;
}

int inv_key_normalise(char *key)
{
    return key_normalise(key, 0);
}

int inv__key_normalise_legacy(char *key)
{
    return key_normalise(key, 1);
}

/* ---- storage encoding of attributes ---- */

int inv__attrs_encode(const inv_item *it, inv_buf *b)
{
    b->len = 0;
    if (inv_buf_add(b, "", 0))
        return -1;
    for (size_t i = 0; i < it->nattrs; i++) {
        char sep[1] = {INV_KEY_SEP}, end[1] = {INV_ATTR_SEP};
        if (inv_buf_puts(b, it->attrs[i].key) || inv_buf_add(b, sep, 1) ||
            inv_buf_puts(b, it->attrs[i].value) || inv_buf_add(b, end, 1))
            return -1;
    }
    return 0;
}

int inv__attrs_decode(inv_item *it, const char *enc, size_t len, int strict, inv_err *e)
{
    const char *p = enc, *end = enc + len;
    while (p < end) {
        const char *ks = memchr(p, INV_KEY_SEP, (size_t)(end - p));
        const char *vs = ks ? memchr(ks + 1, INV_ATTR_SEP, (size_t)(end - ks - 1)) : NULL;
        if (!vs)
            return inv_fail(e, INV_EINPUT, "item '%s': malformed stored attributes",
                            it->id ? it->id : "");
        size_t before = it->nattrs;
        if (put_attr(it, p, (size_t)(ks - p), ks + 1, (size_t)(vs - ks - 1)))
            return inv_fail(e, INV_EIO, "out of memory");
        if (strict) {
            /* Stored attributes must be in canonical order, with valid keys
             * and values: anything else was written behind the tool's back. */
            size_t klen = (size_t)(ks - p);
            const inv_attr *a = &it->attrs[it->nattrs - 1];
            if (it->nattrs != before + 1 || strlen(a->key) != klen ||
                memcmp(a->key, p, klen) != 0)
                return inv_fail(e, INV_EINPUT,
                                "item '%s': stored attributes are repeated or out of order",
                                it->id ? it->id : "");
            inv_err sub;
            if (inv_key_check(a->key, &sub) || inv_value_check(a->key, a->value, &sub))
                return inv_fail(e, INV_EINPUT, "item '%s': stored attribute: %s",
                                it->id ? it->id : "", sub.msg);
        }
        p = vs + 1;
    }
    return INV_OK;
}
