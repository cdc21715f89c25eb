/*
 * coverage.c - the values of the functional scope (service and class ids,
 * levels, durations, availability, service lists), the scope terms beside
 * items and an item's coverage lines, as `scope-register/2` writes them.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "csvread.h"
#include "values_int.h"

/* ---- ids, levels, durations, availability ---- */

int inv_cov_id_check(const char *what, const char *id, inv_err *e)
{
    size_t n = id ? strlen(id) : 0;
    int ok = n >= 1 && n <= 32 &&
             ((id[0] >= 'a' && id[0] <= 'z') || (id[0] >= '0' && id[0] <= '9'));
    for (size_t i = 1; ok && i < n; i++)
        ok = (id[i] >= 'a' && id[i] <= 'z') || (id[i] >= '0' && id[i] <= '9') || id[i] == '_' ||
             id[i] == '-';
    if (!ok) {
        char shown[48];
        inv__fold(id ? id : "", shown, sizeof shown, '-', 1);
        return inv_fail(e, INV_EINPUT,
                        "%s id '%.40s' is not valid: 1 to 32 of a-z 0-9 _ -, starting with a "
                        "letter or digit (e.g. '%s')",
                        what, id ? id : "", shown[0] ? shown : "backup");
    }
    if (!strcmp(id, INV_COV_NONE) || !strcmp(id, INV_COV_DEFAULT))
        return inv_fail(e, INV_EINPUT,
                        "%s id '%s' is reserved (on the command line it means %s); choose "
                        "another id",
                        what, id,
                        !strcmp(id, INV_COV_NONE) ? INV_("nothing") : INV_("the kind's default"));
    return INV_OK;
}

const char *const inv_levels[INV_LEVELS] = {"critical", "major", "minor", "improvement"};

/* The words of each level, folded (inv__fold: lower case, no accent). */
static const char *const level_words[INV_LEVELS] = {
    "critical|critique|kritisch",
    "major|majeur|hoch",
    "minor|mineur|mittel",
    "improvement|amelioration|niedrig",
};

int inv_level_parse(const char *text)
{
    char want[32];
    inv__fold(text ? text : "", want, sizeof want, 0, 0);
    size_t wl = strlen(want);
    for (int i = 0; wl && i < INV_LEVELS; i++)
        for (const char *p = level_words[i]; *p;) {
            const char *end = strchr(p, '|');
            size_t n = end ? (size_t)(end - p) : strlen(p);
            if (n == wl && !memcmp(p, want, n))
                return i;
            p += n + (end ? 1 : 0);
        }
    return -1;
}

int inv_duration_parse(const char *field, const char *text, char *out, inv_err *e)
{
    const char *p = text ? text : "";
    while (*p == '0' && p[1] >= '0' && p[1] <= '9')
        p++;
    size_t d = 0;
    while (p[d] >= '0' && p[d] <= '9')
        d++;
    const char *u = p + d;
    const char *unit = !strcasecmp(u, "min") ? "min" : !strcasecmp(u, "h") ? "h"
                     : !strcasecmp(u, "d") ? "d" : NULL;
    if (d == 0 || d > 6 || !unit || (d == 1 && p[0] == '0'))
        return inv_fail(e, INV_EINPUT,
                        "%s: '%.40s' is not a duration; write a whole number and min, h or d "
                        "(30min, 4h, 2d)",
                        field, text ? text : "");
    snprintf(out, 16, "%.*s%s", (int)d, p, unit);
    return INV_OK;
}

int inv_availability_parse(const char *text, char *out, inv_err *e)
{
    const char *p = text ? text : "";
    size_t n = strlen(p);
    if (n && p[n - 1] == '%')
        n--;
    size_t i = 0, whole = 0, frac = 0;
    while (i < n && p[i] >= '0' && p[i] <= '9')
        i++, whole++;
    if (i < n && p[i] == '.') {
        i++;
        while (i < n && p[i] >= '0' && p[i] <= '9')
            i++, frac++;
        if (!frac)
            frac = 9; /* "99." */
    }
    double v = whole && whole <= 3 && frac <= 3 && i == n ? strtod(p, NULL) : -1;
    if (v < 0 || v > 100)
        return inv_fail(e, INV_EINPUT,
                        "--availability: '%.40s' is not a percentage; write a number from 0 "
                        "to 100 with at most 3 decimals (99.9 or 99.9%%)",
                        text ? text : "");
    const char *w = p;
    while (whole > 1 && *w == '0')
        w++, whole--;
    while (frac && w[whole + frac] == '0')
        frac--;
    snprintf(out, 16, "%.*s%s%.*s%%", (int)whole, w, frac ? "." : "", (int)frac,
             w + whole + 1);
    return INV_OK;
}

/* ---- service lists ---- */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int inv_service_list_parse(const char *text, inv_buf *out, inv_err *e)
{
    out->len = 0;
    char *copy = inv__strdup(text ? text : "");
    size_t cap = 1;
    for (const char *p = copy; p && *p; p++)
        cap += *p == ',';
    char **ids = copy ? calloc(cap, sizeof *ids) : NULL;
    if (!ids) {
        free(copy);
        return inv_fail(e, INV_EIO, "out of memory");
    }
    size_t nids = 0;
    int rc = INV_OK;
    for (char *p = copy, *next; p; p = next) {
        next = strchr(p, ',');
        if (next)
            *next++ = '\0';
        while (*p == ' ')
            p++;
        size_t l = strlen(p);
        while (l && p[l - 1] == ' ')
            p[--l] = '\0';
        ids[nids++] = p;
    }
    if (nids == 1 && !strcmp(ids[0], INV_COV_NONE)) {
        rc = inv_buf_puts(out, INV_COV_NONE) < 0 ? inv_fail(e, INV_EIO, "out of memory") : 0;
        goto done;
    }
    for (size_t i = 0; i < nids && !rc; i++) {
        if (!*ids[i])
            rc = inv_fail(e, INV_EINPUT,
                          "--service: an empty service id in '%.60s'; separate ids with "
                          "commas (backup,monitoring), or write none",
                          text);
        else
            rc = inv_cov_id_check("service", ids[i], e);
    }
    if (rc)
        goto done;
    qsort(ids, nids, sizeof *ids, cmp_str);
    for (size_t i = 0; i < nids; i++) {
        if (i && !strcmp(ids[i - 1], ids[i])) {
            rc = inv_fail(e, INV_EINPUT, "--service: service '%s' is listed twice", ids[i]);
            goto done;
        }
        if ((i && inv_buf_puts(out, ", ") < 0) || inv_buf_puts(out, ids[i]) < 0) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            goto done;
        }
    }
    /* what a document's coverage line and its readers hold */
    if (out->len > INV_COV_LIST_MAX)
        rc = inv_fail(e, INV_EINPUT,
                      "--service: %zu services make a list of %zu bytes, longer than the %d "
                      "bytes a list of services may hold; list fewer services",
                      nids, out->len, INV_COV_LIST_MAX);
done:
    free(ids);
    free(copy);
    return rc;
}

int inv_service_list_walk(const char *list, inv_list_fn fn, void *ctx)
{
    if (!list || !strcmp(list, INV_COV_NONE))
        return 0;
    for (const char *p = list; *p;) {
        const char *end = strstr(p, ", ");
        size_t n = end ? (size_t)(end - p) : strlen(p);
        int rc = fn(ctx, p, n);
        if (rc)
            return rc;
        p += n + (end ? 2 : 0);
    }
    return 0;
}

/* ---- terms ---- */

const char *const inv_term_words[INV_TERM_TYPES] = {"service", "exclusion", "class", "default"};

static const char *const keys_service[] = {"name", "description", NULL};
static const char *const keys_exclusion[] = {NULL};
static const char *const keys_class[] = {"name",
                                         "hours",
                                         "availability",
                                         "response critical",
                                         "response major",
                                         "response minor",
                                         "response improvement",
                                         "resolution critical",
                                         "resolution major",
                                         "resolution minor",
                                         "resolution improvement",
                                         NULL};
static const char *const keys_default[] = {"services", "sla", NULL};
static const char *const *const term_keys[INV_TERM_TYPES] = {keys_service, keys_exclusion,
                                                             keys_class, keys_default};

int inv_term_type_of(const char *word, size_t n)
{
    for (int i = 0; i < INV_TERM_TYPES; i++)
        if (strlen(inv_term_words[i]) == n && !memcmp(inv_term_words[i], word, n))
            return i;
    return -1;
}

const char *const *inv_term_keys(int type)
{
    return type >= 0 && type < INV_TERM_TYPES ? term_keys[type] : keys_exclusion;
}

/* The rank of key among its type's keys, or -1. */
static int key_rank(int type, const char *key, size_t n)
{
    const char *const *k = inv_term_keys(type);
    for (int i = 0; k[i]; i++)
        if (strlen(k[i]) == n && !memcmp(k[i], key, n))
            return i;
    return -1;
}

void inv_term_init(inv_term *t)
{
    memset(t, 0, sizeof *t);
}

void inv_term_free(inv_term *t)
{
    free(t->id);
    for (size_t i = 0; i < t->nf; i++) {
        free(t->f[i].key);
        free(t->f[i].value);
    }
    free(t->f);
    inv_term_init(t);
}

int inv_term_set(inv_term *t, const char *key, const char *value, inv_err *e)
{
    int rank = key_rank(t->type, key, strlen(key));
    if (rank < 0)
        return inv_fail(e, INV_EINPUT, "%s '%s' has no field '%s'", inv_term_words[t->type],
                        t->id ? t->id : "", key);
    size_t i = 0;
    while (i < t->nf && key_rank(t->type, t->f[i].key, strlen(t->f[i].key)) < rank)
        i++;
    int here = i < t->nf && !strcmp(t->f[i].key, key);
    if (!value) {
        if (here) {
            free(t->f[i].key);
            free(t->f[i].value);
            memmove(&t->f[i], &t->f[i + 1], (t->nf - i - 1) * sizeof *t->f);
            t->nf--;
        }
        return INV_OK;
    }
    char *v = inv__strdup(value);
    if (!v)
        return inv_fail(e, INV_EIO, "out of memory");
    if (here) {
        free(t->f[i].value);
        t->f[i].value = v;
        return INV_OK;
    }
    char *k = inv__strdup(key);
    inv_attr *nf = k ? realloc(t->f, (t->nf + 1) * sizeof *nf) : NULL;
    if (!nf) {
        free(k);
        free(v);
        return inv_fail(e, INV_EIO, "out of memory");
    }
    t->f = nf;
    memmove(&t->f[i + 1], &t->f[i], (t->nf - i) * sizeof *t->f);
    t->f[i].key = k;
    t->f[i].value = v;
    t->nf++;
    return INV_OK;
}

const char *inv_term_get(const inv_term *t, const char *key)
{
    for (size_t i = 0; i < t->nf; i++)
        if (!strcmp(t->f[i].key, key))
            return t->f[i].value;
    return NULL;
}

int inv_term_equal(const inv_term *a, const inv_term *b)
{
    if (a->nf != b->nf)
        return 0;
    for (size_t i = 0; i < a->nf; i++)
        if (strcmp(a->f[i].key, b->f[i].key) || strcmp(a->f[i].value, b->f[i].value))
            return 0;
    return 1;
}

int inv_term_encode(const inv_term *t, inv_buf *b)
{
    b->len = 0;
    if (inv_buf_add(b, "", 0))
        return -1;
    for (size_t i = 0; i < t->nf; i++)
        if (inv_buf_printf(b, "%s%c%s%c", t->f[i].key, INV_KEY_SEP, t->f[i].value,
                           INV_ATTR_SEP) < 0)
            return -1;
    return 0;
}

/* Whether value is the canonical form of field key of a term, as the
 * commands write it; INV_EINPUT naming the term and field when not. */
static int value_canonical(const inv_term *t, const char *key, const char *value, inv_err *e)
{
    char canon[16];
    inv_buf list = {0};
    inv_err sub = {0};
    int ok;
    if (!strcmp(key, "availability"))
        ok = !inv_availability_parse(value, canon, &sub) && !strcmp(canon, value);
    else if (!strncmp(key, "response ", 9) || !strncmp(key, "resolution ", 11))
        ok = !inv_duration_parse(key, value, canon, &sub) && !strcmp(canon, value);
    else if (!strcmp(key, "services")) {
        ok = !inv_service_list_parse(value, &list, &sub) && !strcmp(list.data, value);
        inv_buf_free(&list);
    } else if (!strcmp(key, "sla"))
        ok = !strcmp(value, INV_COV_NONE) || !inv_cov_id_check("class", value, &sub);
    else if (!strcmp(key, "name") && t->type == INV_TERM_CLASS)
        ok = *value && !inv_value_check(key, value, &sub);
    else
        ok = !inv_value_check(key, value, &sub);
    if (!ok && sub.code == INV_EIO) /* memory ran out: no claim about the value */
        return inv_fail(e, INV_EIO, "out of memory");
    if (!ok)
        return inv_fail(e, INV_EINPUT, "%s '%s': stored field '%s' is not canonical",
                        inv_term_words[t->type], t->id, key);
    return INV_OK;
}

int inv_term_decode(inv_term *t, int type, const char *id, const void *body, size_t len,
                    inv_err *e)
{
    inv_term_free(t);
    t->type = type;
    if (type < 0 || type >= INV_TERM_TYPES)
        return inv_fail(e, INV_EINPUT, "unknown scope term type");
    if (!(t->id = inv__strdup(id ? id : "")))
        return inv_fail(e, INV_EIO, "out of memory");
    inv_err sub;
    int bad = type == INV_TERM_SERVICE ? inv_cov_id_check("service", t->id, &sub)
            : type == INV_TERM_CLASS   ? inv_cov_id_check("class", t->id, &sub)
            : type == INV_TERM_DEFAULT ? !inv_kind_canonical(t->id) ||
                                             strcmp(inv_kind_canonical(t->id), t->id)
                                       : !*t->id || strchr(t->id, '\n') || strchr(t->id, '\t') ||
                                             inv_value_check("exclusion", t->id, &sub);
    if (bad)
        return inv_fail(e, INV_EINPUT, "%s '%.80s': stored id is not valid", inv_term_words[type],
                        t->id);
    const char *p = body ? body : "", *end = p + (body ? len : 0);
    int last = -1;
    inv_buf k = {0}, v = {0};
    int rc = INV_OK;
    while (!rc && p < end) {
        const char *ks = memchr(p, INV_KEY_SEP, (size_t)(end - p));
        const char *vs = ks ? memchr(ks + 1, INV_ATTR_SEP, (size_t)(end - ks - 1)) : NULL;
        int rank = ks ? key_rank(type, p, (size_t)(ks - p)) : -1;
        k.len = v.len = 0;
        if (!vs || rank <= last)
            rc = inv_fail(e, INV_EINPUT, "%s '%s': stored fields are malformed, repeated or "
                          "out of order", inv_term_words[type], t->id);
        else if (inv_buf_add(&k, p, (size_t)(ks - p)) ||
                 inv_buf_add(&v, ks + 1, (size_t)(vs - ks - 1)))
            rc = inv_fail(e, INV_EIO, "out of memory");
        else if (strlen(v.data) != v.len)
            rc = inv_fail(e, INV_EINPUT, "%s '%s': stored field '%s' holds a NUL",
                          inv_term_words[type], t->id, k.data);
        else if (!(rc = value_canonical(t, k.data, v.data, e)))
            rc = inv_term_set(t, k.data, v.data, e);
        last = rank;
        p = vs ? vs + 1 : end;
    }
    if (!rc && type == INV_TERM_DEFAULT && t->nf != 2)
        rc = inv_fail(e, INV_EINPUT, "default '%s': stored fields services and sla are "
                      "missing", t->id);
    if (!rc && type == INV_TERM_CLASS && !inv_term_get(t, "name"))
        rc = inv_fail(e, INV_EINPUT, "class '%s': stored field 'name' is missing", t->id);
    inv_buf_free(&k);
    inv_buf_free(&v);
    return rc;
}

static int doc_line(inv_buf *b, const char *indent, const char *key, const char *value)
{
    return inv__doc_line(b, indent, strlen(indent), key, strlen(key), value,
                         value ? strlen(value) : 0);
}

int inv_term_format(inv_buf *b, const inv_term *t)
{
    if (doc_line(b, "", inv_term_words[t->type], t->id))
        return -1;
    for (size_t i = 0; i < t->nf; i++)
        if (doc_line(b, "  ", t->f[i].key, t->f[i].value))
            return -1;
    return 0;
}

int inv_term_change_format(inv_buf *b, char op, const inv_term *before, const inv_term *after,
                           const char *reason)
{
    const inv_term *t = after ? after : before;
    if (inv_buf_printf(b, "%s %c ", inv_term_words[t->type],
                       op == 'A' ? '+' : op == 'R' ? '-' : '~') < 0 ||
        inv_escape(b, t->id) < 0 || inv_buf_add(b, "\n", 1))
        return -1;
    if (op == 'R')
        return doc_line(b, "  ", "reason", reason ? reason : "");
    if (op != 'M' || !before || !after)
        return 0;
    for (const char *const *k = inv_term_keys(t->type); *k; k++) {
        const char *o = inv_term_get(before, *k), *n = inv_term_get(after, *k);
        if ((!o && !n) || (o && n && !strcmp(o, n)))
            continue;
        if (inv_buf_printf(b, "  %s: ", *k) < 0 || inv__quoted(b, o) ||
            inv_buf_puts(b, " -> ") < 0 || inv__quoted(b, n) || inv_buf_add(b, "\n", 1))
            return -1;
    }
    return 0;
}

/* ---- an item's coverage ---- */

int inv_cov_value_parse(const char *what, const char *value, const char **list, size_t *n,
                        int *own, inv_err *e)
{
    size_t l = strlen(value);
    static const char o[] = " (own)", k[] = " (kind default)";
    if (l > sizeof o - 1 && !strcmp(value + l - (sizeof o - 1), o)) {
        *own = 1;
        *n = l - (sizeof o - 1);
    } else if (l > sizeof k - 1 && !strcmp(value + l - (sizeof k - 1), k)) {
        *own = 0;
        *n = l - (sizeof k - 1);
    } else {
        return inv_fail(e, INV_EINPUT, "%s: '%.60s' does not end with (own) or (kind default)",
                        what, value);
    }
    *list = value;
    inv_buf canon = {0}, buf = {0};
    inv_err sub = {0};
    /* a list no longer than input accepts (inv_service_list_parse) */
    int ok = *n <= INV_COV_LIST_MAX && !inv_buf_add(&buf, value, *n) && !inv_buf_add(&buf, "", 0);
    if (ok) {
        if (!strcmp(what, "sla"))
            ok = !strcmp(buf.data, INV_COV_NONE) || !inv_cov_id_check("class", buf.data, &sub);
        else
            ok = !inv_service_list_parse(buf.data, &canon, &sub) && !strcmp(canon.data, buf.data);
    }
    /* out of memory is no verdict on the value */
    int oom = buf.failed || canon.failed || sub.code == INV_EIO;
    inv_buf_free(&canon);
    inv_buf_free(&buf);
    if (oom)
        return inv_fail(e, INV_EIO, "out of memory");
    if (!ok)
        return inv_fail(e, INV_EINPUT, "%s: '%.60s' is not a canonical %s", what, value,
                        !strcmp(what, "sla") ? "class id or none" : "list of services");
    return INV_OK;
}

int inv_item_cov_line(inv_item *it, const char *key, const char *value, inv_err *e)
{
    int sla = !strcmp(key, "sla");
    if (!sla && strcmp(key, "services"))
        return 0;
    const char *list;
    size_t n;
    int own;
    if (inv_cov_value_parse(key, value, &list, &n, &own, e))
        return -1;
    char *v = malloc(n + 1);
    if (!v) {
        inv_fail(e, INV_EIO, "out of memory");
        return -1;
    }
    memcpy(v, list, n);
    v[n] = '\0';
    char **slot = sla ? &it->sla : &it->svc;
    free(*slot);
    *slot = v;
    int bit = sla ? INV_OWN_SLA : INV_OWN_SERVICES;
    it->own = own ? it->own | bit : it->own & ~bit;
    if (!it->svc && !(it->svc = inv__strdup(INV_COV_NONE))) {
        inv_fail(e, INV_EIO, "out of memory");
        return -1;
    }
    if (!it->sla && !(it->sla = inv__strdup(INV_COV_NONE))) {
        inv_fail(e, INV_EIO, "out of memory");
        return -1;
    }
    return 1;
}

/* ---- digests ---- */

static void put(cr_hash *h, const void *p, size_t n)
{
    uint64_t l = n;
    cr_hash_update(h, &l, sizeof l);
    cr_hash_update(h, p, n);
}

void inv__cov_row_digest(const char base[33], const char *svc, const char *sla, long long own,
                         char out[33])
{
    cr_hash h;
    unsigned char d[CR_HASH_BYTES];
    char num[32];
    snprintf(num, sizeof num, "%lld", own);
    cr_hash_init(&h);
    put(&h, "coverage", 8);
    put(&h, base, strlen(base));
    put(&h, svc ? svc : "", svc ? strlen(svc) : 0);
    put(&h, sla ? sla : "", sla ? strlen(sla) : 0);
    put(&h, num, strlen(num));
    cr_hash_final(&h, d);
    cr_hex(out, d, 16);
}

void inv__term_row_digest(const char *type, const char *id, long long since, const char *op,
                          const void *body, size_t len, const char *reason, char out[33])
{
    cr_hash h;
    unsigned char d[CR_HASH_BYTES];
    char num[32];
    snprintf(num, sizeof num, "%lld", since);
    cr_hash_init(&h);
    put(&h, type, strlen(type));
    put(&h, id, strlen(id));
    put(&h, num, strlen(num));
    put(&h, op, strlen(op));
    put(&h, body ? body : "", body ? len : 0);
    put(&h, reason ? reason : "", reason ? strlen(reason) : 0);
    uint64_t has = reason != NULL;
    cr_hash_update(&h, &has, sizeof has);
    cr_hash_final(&h, d);
    cr_hex(out, d, 16);
}
