/*
 * render.c - the scope document of a version (docs/FORMAT.md) as a stream
 * of blocks (header, change, item, trailer) to a block consumer and as
 * bytes to a sink, in one pass; the diff between two versions, and the
 * items of a version.
 *
 * Rendering depends on nothing but the stored rows: no locale, no time
 * zone, no row order (every query has an ORDER BY on bytewise columns).
 * Each block is written into one buffer, handed whole to the block
 * consumer, and the buffer goes to the byte sink in chunks of about
 * 64 KiB: consumers of blocks (a leaf hasher) and of bytes (the document
 * hash, the signature prehash, a file) see the same bytes, written once.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "document_int.h"
#include "pipeline.h"

/* ---- output: blocks to the block consumer, bytes to the sink ---- */

typedef struct out {
    inv_sink_fn sink; /* may be NULL */
    void *ctx;
    inv_block_fn block; /* may be NULL */
    void *block_ctx;
    inv_buf buf;
    size_t mark; /* where the block being written starts in buf */
    int failed;
} out;

static int flush(out *o)
{
    if (o->buf.len && !o->failed && o->sink && o->sink(o->ctx, o->buf.data, o->buf.len))
        o->failed = 1;
    o->buf.len = 0;
    o->mark = 0;
    return o->failed;
}

/* Starts a block at the end of what buf holds. */
static void block_begin(out *o)
{
    o->mark = o->buf.len;
}

/* Hands the block written since block_begin to the block consumer (lead:
 * its separator bytes; id: the item or change it is, or NULL), then sends
 * buf to the sink once it holds 64 KiB. */
static void block_end_rev(out *o, inv_block_kind kind, size_t lead, const char *id,
                          int64_t rev)
{
    if (o->block && !o->failed && o->buf.data) {
        inv_block b = {kind, o->buf.data + o->mark, o->buf.len - o->mark, lead, id, rev};
        if (o->block(o->block_ctx, &b))
            o->failed = 1;
    }
    if (o->buf.len >= 64 * 1024)
        flush(o);
}

static void block_end(out *o, inv_block_kind kind, size_t lead, const char *id)
{
    block_end_rev(o, kind, lead, id, 0);
}

static void line_n(out *o, const char *indent, size_t il, const char *key, size_t kl,
                   const char *value, size_t vl)
{
    if (inv__doc_line(&o->buf, indent, il, key, kl, value, vl))
        o->failed = 1;
}

static void line(out *o, const char *indent, const char *key, const char *value)
{
    line_n(o, indent, strlen(indent), key, strlen(key), value, value ? strlen(value) : 0);
}

/* ---- the items section, straight from the rows ---- */

/* What rendering items from their rows reuses from one row to the next. */
typedef struct rows {
    inv_buf key, value, prev_id;
    struct {
        char *text;
        int ok;
    } kinds[16]; /* kind texts seen: whether each is a canonical kind name */
    size_t nkinds;
    struct {
        const char *key;
        size_t len;
    } fixed[8]; /* the id and fixed fields of the field table, which are no attribute key */
    size_t nfixed;
    unsigned char first[256]; /* first bytes of those keys */
} rows;

/* Takes the id and fixed fields from the field table, once per rendering. */
static void rows_init(rows *x)
{
    const inv_field *f;
    for (size_t i = 0; (f = inv_field_at(i)) != NULL && x->nfixed < 8; i++)
        if (f->place != INV_FIELD_ATTR) {
            x->fixed[x->nfixed].key = f->key;
            x->fixed[x->nfixed++].len = strlen(f->key);
            x->first[(unsigned char)f->key[0]] = 1;
        }
}

static void rows_free(rows *x)
{
    inv_buf_free(&x->key);
    inv_buf_free(&x->value);
    inv_buf_free(&x->prev_id);
    for (size_t i = 0; i < x->nkinds; i++)
        free(x->kinds[i].text);
}

/* The key of an attribute at p, up to INV_KEY_SEP (before end), in one
 * pass: its separator in *sep (NULL when there is none), and whether
 * every byte of it is one of a-z 0-9 _ . - (plain_key's byte rule). */
static int key_scan(const char *p, const char *end, const char **sep)
{
    for (const char *q = p; q < end; q++) {
        char c = *q;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-')
            continue;
        *sep = c == INV_KEY_SEP ? q : memchr(q, INV_KEY_SEP, (size_t)(end - q));
        return c == INV_KEY_SEP;
    }
    *sep = NULL;
    return 0;
}

/* Whether inv_key_check accepts the n bytes at k (no NUL) without asking
 * it: 1 to 64 of a-z 0-9 _ . - (bytes: key_scan found only those),
 * starting with a letter or digit, and not the id or a fixed field of
 * the field table (x->fixed: id, kind, name). 0 means "ask
 * inv_key_check", which also gives the message. */
static int plain_key(const rows *x, const char *k, size_t n, int bytes)
{
    if (!bytes || n == 0 || n > 64 || !((k[0] >= 'a' && k[0] <= 'z') || (k[0] >= '0' && k[0] <= '9')))
        return 0;
    for (size_t i = 0; x->first[(unsigned char)k[0]] && i < x->nfixed; i++)
        if (x->fixed[i].len == n && !memcmp(x->fixed[i].key, k, n))
            return 0;
    return 1;
}

/* Whether inv_id_check_stored accepts id without asking it: 1 to 200
 * bytes of printable ASCII, no space at either end. A shortcut like
 * inv__plain_class: any other id goes to inv_id_check_stored
 * (values/item.c), which decides and gives the message (asking it for
 * every id costs verify about 1%). */
static int plain_id(const char *id)
{
    size_t n = 0;
    for (; id[n]; n++)
        if ((unsigned char)id[n] < 0x20 || (unsigned char)id[n] > 0x7e || n == 200)
            return 0;
    return n > 0 && id[0] != ' ' && id[n - 1] != ' ';
}

/* strcmp for byte strings without NUL, given their lengths. */
static int bytes_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : an < bn ? -1 : an > bn;
}

/* Sets b to the n bytes at p (NUL-terminated); -1 when out of memory. */
static int set_bytes(inv_buf *b, const char *p, size_t n)
{
    b->len = 0;
    return inv_buf_add(b, p, n);
}

/* inv_item_check's rule for a kind (inv_kind_canonical gives it back
 * unchanged), looked up once per spelling: inv_kind_canonical folds every
 * alias of every kind. */
static int kind_ok(rows *x, const char *kind)
{
    for (size_t i = 0; i < x->nkinds; i++)
        if (!strcmp(x->kinds[i].text, kind))
            return x->kinds[i].ok;
    const char *k = inv_kind_canonical(kind);
    int ok = k && !strcmp(k, kind);
    if (x->nkinds < sizeof x->kinds / sizeof x->kinds[0] &&
        (x->kinds[x->nkinds].text = inv__strdup(kind)) != NULL)
        x->kinds[x->nkinds++].ok = ok;
    return ok;
}

/* ---- scope-register/2: terms and coverage ---- */

/* What the sections of a /2 version define, kept while its items are
 * rendered so that a strict rendering (verify) re-derives each item's
 * effective coverage: loaded once per version, a handful of rows. */
typedef struct cov {
    int on;               /* the version is /2 */
    char **services;      /* service ids at this version, sorted */
    size_t nservices;
    char **classes;       /* class ids, sorted */
    size_t nclasses;
    struct {
        char *kind, *svc, *sla;
    } defaults[16];
    size_t ndefaults;
    inv_buf ok_svc, ok_sla; /* the last own coverage found valid */
    inv_buf value;          /* scratch */
} cov;

static void cov_free(cov *c)
{
    for (size_t i = 0; i < c->nservices; i++)
        free(c->services[i]);
    free(c->services);
    for (size_t i = 0; i < c->nclasses; i++)
        free(c->classes[i]);
    free(c->classes);
    for (size_t i = 0; i < c->ndefaults; i++) {
        free(c->defaults[i].kind);
        free(c->defaults[i].svc);
        free(c->defaults[i].sla);
    }
    inv_buf_free(&c->ok_svc);
    inv_buf_free(&c->ok_sla);
    inv_buf_free(&c->value);
}

static int push_id(char ***v, size_t *n, const char *id)
{
    char **nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return -1;
    *v = nv;
    return (nv[*n] = inv__strdup(id)) ? (int)++*n * 0 : -1;
}

static int has_id(char *const *v, size_t n, const char *id, size_t len)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(v[mid], id, len);
        if (c == 0 && v[mid][len])
            c = 1;
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* The default of kind at this version: its services and class ("none"
 * when the kind has none). */
static void cov_default(const cov *c, const char *kind, const char **svc, const char **sla)
{
    *svc = *sla = INV_COV_NONE;
    for (size_t i = 0; i < c->ndefaults; i++)
        if (!strcmp(c->defaults[i].kind, kind)) {
            *svc = c->defaults[i].svc;
            *sla = c->defaults[i].sla;
        }
}

typedef struct refs_ctx {
    const cov *c;
    const char *bad;
    size_t badlen;
} refs_ctx;

static int service_known(void *ctx, const char *id, size_t n)
{
    refs_ctx *x = ctx;
    if (has_id(x->c->services, x->c->nservices, id, n))
        return 0;
    x->bad = id;
    x->badlen = n;
    return 1;
}

/* INV_FAIL naming whose (an item, a default) when svc or sla names a
 * service or class this version does not define. */
static int cov_refs(const cov *c, int64_t n, const char *whose, const char *svc, const char *sla,
                    inv_err *e)
{
    refs_ctx x = {c, NULL, 0};
    if (inv_service_list_walk(svc, service_known, &x))
        return inv_fail(e, INV_FAIL, "version %lld: %s uses service '%.*s', which the version "
                        "does not define", (long long)n, whose, (int)x.badlen, x.bad);
    if (strcmp(sla, INV_COV_NONE) && !has_id(c->classes, c->nclasses, sla, strlen(sla)))
        return inv_fail(e, INV_FAIL, "version %lld: %s uses class '%s', which the version "
                        "does not define", (long long)n, whose, sla);
    return INV_OK;
}

/* One row of the items query (id, kind, name, attrs, svc, sla, own, rev),
 * as render_row reads it: the C strings and blob SQLite gives (NULL for a
 * NULL column), the types it asks, read straight from the statement or
 * from a copy on another thread (items_split). */
typedef struct rowv {
    const char *id, *kind, *name, *svc, *sla;
    const void *attrs;
    size_t attrs_len;
    int svc_null, sla_null, own_null;
    int64_t own, rev;
} rowv;

/* The view of st's current row; valid until st steps again. */
static void rowv_from_stmt(rowv *w, sqlite3_stmt *st)
{
    w->id = (const char *)sqlite3_column_text(st, 0);
    w->kind = (const char *)sqlite3_column_text(st, 1);
    w->name = (const char *)sqlite3_column_text(st, 2);
    w->attrs = sqlite3_column_blob(st, 3);
    w->attrs_len = w->attrs ? (size_t)sqlite3_column_bytes(st, 3) : 0;
    w->svc = (const char *)sqlite3_column_text(st, 4);
    w->sla = (const char *)sqlite3_column_text(st, 5);
    w->svc_null = sqlite3_column_type(st, 4) == SQLITE_NULL;
    w->sla_null = sqlite3_column_type(st, 5) == SQLITE_NULL;
    w->own_null = sqlite3_column_type(st, 6) == SQLITE_NULL;
    w->own = sqlite3_column_int64(st, 6);
    w->rev = sqlite3_column_int64(st, 7);
}

/* Appends an item's coverage lines (the svc, sla and own of row w)
 * and, when strict, re-derives them: inherited parts equal to the kind's
 * default at n, own parts canonical and defined at n. */
static int render_cov(out *o, cov *c, const rowv *w, const char *id, const char *kind,
                      int64_t n, int strict, inv_err *e)
{
    const char *svc = w->svc, *sla = w->sla;
    int null_own = w->own_null;
    int64_t own = w->own;
    svc = svc ? svc : INV_COV_NONE;
    sla = sla ? sla : INV_COV_NONE;
    if (strict) {
        const char *dsvc, *dsla;
        char whose[300];
        inv_err sub;
        int rc;
        if ((null_own && (!w->svc_null || !w->sla_null)) ||
            own < 0 || own > 3)
            return inv_fail(e, INV_FAIL, "version %lld: item '%s': its stored coverage is "
                            "malformed", (long long)n, id);
        cov_default(c, kind, &dsvc, &dsla);
        if (!(own & INV_OWN_SERVICES) && strcmp(svc, dsvc))
            return inv_fail(e, INV_FAIL, "version %lld: item '%s' records services '%s' from "
                            "its kind's default, but the default of %s at this version is "
                            "'%s'", (long long)n, id, svc, kind, dsvc);
        if (!(own & INV_OWN_SLA) && strcmp(sla, dsla))
            return inv_fail(e, INV_FAIL, "version %lld: item '%s' records class '%s' from its "
                            "kind's default, but the default of %s at this version is '%s'",
                            (long long)n, id, sla, kind, dsla);
        if ((own & (INV_OWN_SERVICES | INV_OWN_SLA)) &&
            !(c->ok_svc.data && !strcmp(c->ok_svc.data, svc) && c->ok_sla.data &&
              !strcmp(c->ok_sla.data, sla))) {
            snprintf(whose, sizeof whose, "item '%.200s'", id);
            if ((own & INV_OWN_SERVICES) &&
                (inv_service_list_parse(svc, &c->value, &sub) || strcmp(c->value.data, svc)))
                return inv_fail(e, INV_FAIL, "version %lld: item '%s': its stored services "
                                "'%s' are not a canonical list", (long long)n, id, svc);
            if ((own & INV_OWN_SLA) && strcmp(sla, INV_COV_NONE) &&
                inv_cov_id_check("class", sla, &sub))
                return inv_fail(e, INV_FAIL, "version %lld: item '%s': its stored class is "
                                "not a class id", (long long)n, id);
            if ((rc = cov_refs(c, n, whose, svc, sla, e)))
                return rc;
            c->ok_svc.len = c->ok_sla.len = 0;
            if (inv_buf_puts(&c->ok_svc, svc) < 0 || inv_buf_puts(&c->ok_sla, sla) < 0)
                return inv_fail(e, INV_EIO, "out of memory");
        }
    }
    if (inv_cov_lines(&o->buf, svc, sla, (int)own))
        o->failed = 1;
    return INV_OK;
}

#define TYPE_ORDER                                                                          \
    "CASE type WHEN 'service' THEN 0 WHEN 'exclusion' THEN 1 WHEN 'class' THEN 2 ELSE 3 END"

/* The header counts of a /2 version: services, exclusions, classes,
 * defaults in scope at n. */
static int term_counts(inv_register *r, int64_t n, int64_t counts[INV_TERM_TYPES],
                       int64_t *changes, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    memset(counts, 0, INV_TERM_TYPES * sizeof *counts);
    *changes = 0;
    if (!inv__has_cov(r))
        return INV_OK;
    int rc;
    if ((rc = inv__prepare_n(r, &st,
                             "SELECT count(*) FILTER (WHERE type = 'service' AND live),"
                             " count(*) FILTER (WHERE type = 'exclusion' AND live),"
                             " count(*) FILTER (WHERE type = 'class' AND live),"
                             " count(*) FILTER (WHERE type = 'default' AND live),"
                             " count(*) FILTER (WHERE since = ?1)"
                             " FROM (SELECT type, since, since <= ?1 AND (until IS NULL OR"
                             " until > ?1) AS live FROM term)",
                             n, e)))
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW) {
        for (int i = 0; i < INV_TERM_TYPES; i++)
            counts[i] = sqlite3_column_int64(st, i);
        *changes = sqlite3_column_int64(st, 4);
    } else {
        rc = inv__sqlerr(r, e, "read terms");
    }
    sqlite3_finalize(st);
    return rc;
}

/* The term change entries of version n, one block each, in document
 * order. */
static int render_term_changes(inv_register *r, out *o, int64_t n, inv__render_stats *stats,
                               inv_err *e)
{
    sqlite3_stmt *st = NULL;
    inv_term a, b;
    inv_term_init(&a);
    inv_term_init(&b);
    int rc = inv__prepare_n(r, &st,
                            "SELECT t.type, t.op, t.reason, t.id, t.body, p.id, p.body"
                            " FROM term t LEFT JOIN term p ON t.op = 'M' AND p.type = t.type"
                            " AND p.id = t.id AND p.until = t.since AND p.op <> 'R'"
                            " WHERE t.since = ?1 ORDER BY CASE t.type WHEN 'service' THEN 0"
                            " WHEN 'exclusion' THEN 1 WHEN 'class' THEN 2 ELSE 3 END, t.id",
                            n, e);
    int s = SQLITE_DONE;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *word = (const char *)sqlite3_column_text(st, 0);
        const char *op = (const char *)sqlite3_column_text(st, 1);
        const char *id = (const char *)sqlite3_column_text(st, 3);
        int type = word ? inv_term_type_of(word, strlen(word)) : -1;
        char o1 = op ? op[0] : '?';
        if (type < 0 || !id) {
            rc = inv_fail(e, INV_FAIL, "version %lld: a term row has no known type or id",
                          (long long)n);
            break;
        }
        if (o1 == 'M' && sqlite3_column_type(st, 5) == SQLITE_NULL) {
            rc = inv_fail(e, INV_FAIL, "version %lld: %s '%s': modified but no earlier row "
                          "ends there", (long long)n, word, id);
            break;
        }
        if ((rc = inv_term_decode(&b, type, id, sqlite3_column_blob(st, 4),
                                  (size_t)sqlite3_column_bytes(st, 4), e)) ||
            (o1 == 'M' && (rc = inv_term_decode(&a, type, id, sqlite3_column_blob(st, 6),
                                                (size_t)sqlite3_column_bytes(st, 6), e)))) {
            char msg[sizeof e->msg];
            snprintf(msg, sizeof msg, "%s", e->msg);
            /* out of memory stays what it is: no verdict on the version */
            rc = inv_fail(e, rc == INV_EIO ? INV_EIO : INV_FAIL, "version %lld: %s", (long long)n,
                          msg);
            break;
        }
        block_begin(o);
        /* a removal row carries the body of the row it ends */
        if (inv_term_change_format(&o->buf, o1, o1 == 'M' ? &a : o1 == 'R' ? &b : NULL,
                                   o1 == 'R' ? NULL : &b, (const char *)sqlite3_column_text(st, 2)))
            o->failed = 1;
        block_end(o, INV_BLOCK_CHANGE, 0, NULL);
        stats->changes++;
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read terms");
    sqlite3_finalize(st);
    inv_term_free(&a);
    inv_term_free(&b);
    return rc;
}

/* The sections of version n (services, exclusions, classes, defaults),
 * one block each, keeping in c what the items' coverage refers to. */
static int render_terms(inv_register *r, out *o, cov *c, int64_t n, int strict, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    inv_term t;
    inv_term_init(&t);
    if (!inv__has_cov(r))
        return INV_OK;
    int rc = inv__prepare_n(r, &st,
                            "SELECT type, id, body FROM term WHERE since <= ?1"
                            " AND (until IS NULL OR until > ?1) ORDER BY " TYPE_ORDER ", id",
                            n, e);
    int s = SQLITE_DONE;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *word = (const char *)sqlite3_column_text(st, 0);
        int type = word ? inv_term_type_of(word, strlen(word)) : -1;
        if (type < 0) {
            rc = inv_fail(e, INV_FAIL, "version %lld: a term row has no known type",
                          (long long)n);
            break;
        }
        if ((rc = inv_term_decode(&t, type, (const char *)sqlite3_column_text(st, 1),
                                  sqlite3_column_blob(st, 2), (size_t)sqlite3_column_bytes(st, 2),
                                  e))) {
            char msg[sizeof e->msg];
            snprintf(msg, sizeof msg, "%s", e->msg);
            /* out of memory stays what it is: no verdict on the version */
            rc = inv_fail(e, rc == INV_EIO ? INV_EIO : INV_FAIL, "version %lld: %s", (long long)n,
                          msg);
            break;
        }
        int bad = 0;
        if (type == INV_TERM_SERVICE)
            bad = push_id(&c->services, &c->nservices, t.id);
        else if (type == INV_TERM_CLASS)
            bad = push_id(&c->classes, &c->nclasses, t.id);
        else if (type == INV_TERM_DEFAULT) {
            char whose[96];
            snprintf(whose, sizeof whose, "the default of kind %s", t.id);
            if (strict && (rc = cov_refs(c, n, whose, inv_term_get(&t, "services"),
                                         inv_term_get(&t, "sla"), e)))
                break;
            if (c->ndefaults < sizeof c->defaults / sizeof c->defaults[0]) {
                c->defaults[c->ndefaults].kind = inv__strdup(t.id);
                c->defaults[c->ndefaults].svc = inv__strdup(inv_term_get(&t, "services"));
                c->defaults[c->ndefaults].sla = inv__strdup(inv_term_get(&t, "sla"));
                bad = !c->defaults[c->ndefaults].kind || !c->defaults[c->ndefaults].svc ||
                      !c->defaults[c->ndefaults].sla;
                c->ndefaults++;
            }
        }
        if (bad) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        block_begin(o);
        inv_buf_add(&o->buf, "\n", 1);
        if (inv_term_format(&o->buf, &t))
            o->failed = 1;
        block_end(o, INV_BLOCK_TERM, 1, NULL);
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read terms");
    sqlite3_finalize(st);
    inv_term_free(&t);
    return rc;
}

/* The "  field: old -> new" lines of a /2 modification: kind and name,
 * then the coverage lines that changed, then the attributes. */
typedef struct mod_ctx {
    inv_buf *b;
    const char *cov[2][2]; /* [services, sla][before, after] values, NULL: unchanged */
    int cov_done;
} mod_ctx;

static void change_line(inv_buf *b, const char *key, const char *before, const char *after)
{
    inv_buf_printf(b, "  %s: ", key);
    inv__quoted(b, before);
    inv_buf_puts(b, " -> ");
    inv__quoted(b, after);
    inv_buf_add(b, "\n", 1);
}

static void mod_cov(mod_ctx *m)
{
    if (m->cov_done)
        return;
    m->cov_done = 1;
    static const char *const keys[2] = {"services", "sla"};
    for (int i = 0; i < 2; i++)
        if (m->cov[i][0])
            change_line(m->b, keys[i], m->cov[i][0], m->cov[i][1]);
}

static int mod_field(void *ctx, const char *key, const char *before, const char *after)
{
    mod_ctx *m = ctx;
    if (strcmp(key, "kind") && strcmp(key, "name"))
        mod_cov(m);
    change_line(m->b, key, before, after);
    return 0;
}

/* The "~ ID" entry of a /2 modification; columns svc, sla, own of the
 * new row at col of st, of the row it ends at pcol of pst. */
static void render_mod2(inv_buf *b, const inv_change *ch, sqlite3_stmt *st, int col,
                        sqlite3_stmt *pst, int pcol)
{
    inv_buf v[4] = {{0}};
    mod_ctx m = {b, {{NULL, NULL}, {NULL, NULL}}, 0};
    for (int i = 0; i < 2; i++) {
        int nnull = sqlite3_column_type(st, col + i) == SQLITE_NULL;
        int pnull = sqlite3_column_type(pst, pcol + i) == SQLITE_NULL;
        const char *nv = (const char *)sqlite3_column_text(st, col + i);
        const char *pv = (const char *)sqlite3_column_text(pst, pcol + i);
        int bit = i ? INV_OWN_SLA : INV_OWN_SERVICES;
        int nown = (int)sqlite3_column_int64(st, col + 2) & bit;
        int pown = (int)sqlite3_column_int64(pst, pcol + 2) & bit;
        /* a value SQLite or the list could not make for want of memory
         * would leave its line out: the document is then lost, not short */
        if ((!nv && !nnull) || (!pv && !pnull) ||
            inv_cov_value(&v[2 * i], pv ? pv : INV_COV_NONE, pown) ||
            inv_cov_value(&v[2 * i + 1], nv ? nv : INV_COV_NONE, nown))
            inv_buf_fail(b);
        if (v[2 * i].data && v[2 * i + 1].data && strcmp(v[2 * i].data, v[2 * i + 1].data)) {
            m.cov[i][0] = v[2 * i].data;
            m.cov[i][1] = v[2 * i + 1].data;
        }
    }
    inv_buf_puts(b, "~ ");
    inv_escape(b, ch->id);
    inv_buf_add(b, "\n", 1);
    inv_field_changes(ch->before, ch->after, mod_field, &m);
    mod_cov(&m);
    for (int i = 0; i < 4; i++)
        inv_buf_free(&v[i]);
}

/*
 * Appends to o the item block of the current row of st (columns id, kind,
 * name, attrs), as inv__render_item does for the item inv__item_from_row
 * (strict) would make of it, without making it (the same writers:
 * inv__item_head, inv__doc_line). The checks, their order
 * and their messages are those of inv__item_from_row (strict: stored
 * attributes sorted, unique, valid), then of the item appearing twice,
 * then, when stats->strict, of inv_item_check (whose attribute checks the
 * first ones already made). On failure what was appended is never
 * flushed: the caller stops.
 */
static int render_row(out *o, rows *x, cov *c, const rowv *w, int64_t n,
                      inv__render_stats *stats, const char **idp, inv_err *e)
{
    const char *id = w->id;
    const char *kind = w->kind;
    const char *name = w->name;
    const char *enc = w->attrs;
    size_t len = w->attrs_len;
    id = id ? id : "";
    *idp = id;
    kind = kind ? kind : "";
    name = name ? name : "";
    inv_buf_add(&o->buf, "\n", 1);
    if (inv__item_head(&o->buf, id, strlen(id), kind, strlen(kind), name, strlen(name)))
        o->failed = 1;
    if (c->on) {
        int rc = render_cov(o, c, w, id, kind, n, stats->strict, e);
        if (rc)
            return rc;
    }
    const char *prev = NULL; /* the previous key, in the row */
    size_t prev_len = 0;
    if (!enc)
        enc = ""; /* an empty blob comes back as NULL: no offset from NULL */
    for (const char *p = enc, *end = enc + len; p < end;) {
        const char *ks, *vs = NULL;
        int kbytes = key_scan(p, end, &ks);
        if (ks)
            vs = memchr(ks + 1, INV_ATTR_SEP, (size_t)(end - ks - 1));
        if (!vs)
            return inv_fail(e, INV_EINPUT, "item '%s': malformed stored attributes", id);
        const char *k = p, *v = ks + 1;
        size_t klen = (size_t)(ks - p), vlen = (size_t)(vs - v);
        int pkey = plain_key(x, k, klen, kbytes); /* and holds no NUL */
        /* a key holding a NUL, equal to or before the previous one (keys
         * without NUL compare as strcmp would) */
        if ((!pkey && memchr(k, '\0', klen)) ||
            (prev && bytes_cmp(prev, prev_len, k, klen) >= 0))
            return inv_fail(e, INV_EINPUT,
                            "item '%s': stored attributes are repeated or out of order", id);
        int vclass = inv__plain_class(v, vlen), plain = vclass != 0; /* and holds no NUL */
        if (!plain || !pkey) {
            /* the C strings inv__attrs_decode made, for the verdicts and
             * the messages of inv_key_check and inv_value_check */
            inv_err sub;
            if (set_bytes(&x->key, k, klen) || set_bytes(&x->value, v, vlen))
                return inv_fail(e, INV_EIO, "out of memory");
            if (inv_key_check(x->key.data, &sub) ||
                (!plain && inv_value_check(x->key.data, x->value.data, &sub)))
                return inv_fail(e, INV_EINPUT, "item '%s': stored attribute: %s", id,
                                sub.msg);
            if (!plain) {
                v = x->value.data;
                vlen = strlen(v);
            }
        }
        if (plain && pkey && vclass == 1) {
            if (inv__doc_line_raw(&o->buf, "  ", 2, k, klen, v, vlen))
                o->failed = 1;
        } else {
            line_n(o, "  ", 2, k, klen, v, vlen);
        }
        prev = k;
        prev_len = klen;
        p = vs + 1;
    }
    if (stats->items && strcmp(x->prev_id.data, id) >= 0)
        return inv_fail(e, INV_FAIL, "item '%s' appears twice in version %lld", id,
                        (long long)n);
    if (stats->strict) {
        int rc = plain_id(id) ? INV_OK : inv_id_check_stored(id, e);
        if (rc)
            return rc;
        if (!kind_ok(x, kind))
            return inv_fail(e, INV_EINPUT, "item '%s': missing or non-canonical kind", id);
        if ((rc = inv_value_check("name", name, e))) /* at once when plainly valid */
            return rc;
    }
    if (set_bytes(&x->prev_id, id, strlen(id)))
        return inv_fail(e, INV_EIO, "out of memory");
    return INV_OK;
}

/* ---- the items section on two threads ---- */

/* A row view copied into one piece: this header, then the strings (each
 * with its NUL) and the blob, in the order of the fields; a NULL string
 * has length NO_STR. */
#define NO_STR UINT32_MAX
typedef struct rowrec {
    uint32_t len[6]; /* id, kind, name, svc, sla, attrs */
    int32_t svc_null, sla_null, own_null;
    int64_t own, rev;
} rowrec;

/* Copies w into b (emptied first); -1 when out of memory. */
static int rowv_pack(inv_buf *b, const rowv *w)
{
    const char *str[5] = {w->id, w->kind, w->name, w->svc, w->sla};
    rowrec h = {{0}, w->svc_null, w->sla_null, w->own_null, w->own, w->rev};
    b->len = 0;
    size_t need = sizeof h + w->attrs_len;
    for (int i = 0; i < 5; i++) {
        size_t n = str[i] ? strlen(str[i]) : 0;
        if (n >= NO_STR)
            return -1;
        h.len[i] = str[i] ? (uint32_t)n : NO_STR;
        need += str[i] ? n + 1 : 0;
    }
    if (w->attrs_len >= NO_STR)
        return -1;
    h.len[5] = w->attrs ? (uint32_t)w->attrs_len : NO_STR;
    if (inv__buf_reserve(b, need))
        return -1;
    char *d = b->data;
    memcpy(d, &h, sizeof h);
    d += sizeof h;
    for (int i = 0; i < 5; i++)
        if (str[i]) {
            memcpy(d, str[i], (size_t)h.len[i] + 1);
            d += h.len[i] + 1;
        }
    if (w->attrs_len)
        memcpy(d, w->attrs, w->attrs_len);
    b->len = need;
    return 0;
}

/* The view of a row packed by rowv_pack at p (aligned as the pipe's
 * records are). */
static void rowv_unpack(rowv *w, const char *p)
{
    rowrec h;
    memcpy(&h, p, sizeof h);
    p += sizeof h;
    const char **str[5] = {&w->id, &w->kind, &w->name, &w->svc, &w->sla};
    for (int i = 0; i < 5; i++) {
        *str[i] = h.len[i] == NO_STR ? NULL : p;
        p += h.len[i] == NO_STR ? 0 : (size_t)h.len[i] + 1;
    }
    w->attrs = h.len[5] == NO_STR ? NULL : (const void *)p;
    w->attrs_len = h.len[5] == NO_STR ? 0 : h.len[5];
    w->svc_null = h.svc_null;
    w->sla_null = h.sla_null;
    w->own_null = h.own_null;
    w->own = h.own;
    w->rev = h.rev;
}

/* What the formatting thread of items_split works with: the rendering's
 * output, caches and statistics, which this thread alone touches until
 * the pipe is finished. */
typedef struct fmt {
    out *o;
    rows *x;
    cov *c;
    int64_t n;
    inv__render_stats *stats;
    inv_err err; /* render_row's failure */
} fmt;

/* One item block of the items section from row w, on whichever thread
 * formats them; fails as render_row does (in e). */
static int item_block(fmt *f, const rowv *w, inv_err *e)
{
    const char *id;
    block_begin(f->o);
    int rc = render_row(f->o, f->x, f->c, w, f->n, f->stats, &id, e);
    if (rc)
        return rc;
    f->stats->items++;
    block_end_rev(f->o, INV_BLOCK_ITEM, 1, id, w->rev);
    return INV_OK;
}

static int fmt_row(void *ctx, const inv_block *b)
{
    fmt *f = ctx;
    rowv w;
    rowv_unpack(&w, b->data);
    return item_block(f, &w, &f->err) != INV_OK;
}

/* The items section with the rows read here (SQLite, on the caller's
 * thread, inside its transaction) and formatted on a worker (render_row
 * and the rendering's consumers), through a pipe (pipeline.h) that keeps
 * their order: the same calls, bytes and first failure as the loop of
 * one thread. The caller's consumers must not use the register (they
 * then run on the worker). */
static int items_split(inv_register *r, sqlite3_stmt *st, out *o, rows *x, cov *c, int64_t n,
                       inv__render_stats *stats, inv_err *e)
{
    fmt f = {o, x, c, n, stats, {0}};
    inv_buf rec = {0};
    inv_pipe *p = inv_pipe_new(fmt_row, &f, NULL, NULL, 2, e);
    if (!p)
        return INV_EIO;
    inv_pipe_errors(p, &f.err);
    int s, oom = 0;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        rowv w;
        rowv_from_stmt(&w, st);
        if (rowv_pack(&rec, &w)) {
            oom = 1;
            break;
        }
        inv_block b = {INV_BLOCK_ITEM, rec.data, rec.len, 0, NULL, 0};
        if (inv_pipe_block(p, &b))
            break; /* the worker failed: its message below */
    }
    inv_buf_free(&rec);
    int rc = inv_pipe_finish(p, NULL);
    inv_pipe_free(p);
    if (rc && f.err.code) { /* a row's failure, as one thread meets it */
        if (e)
            *e = f.err;
        return f.err.code;
    }
    if (rc || oom)
        return inv_fail(e, INV_EIO, "out of memory");
    if (s != SQLITE_DONE)
        return inv__sqlerr(r, e, "read items");
    return INV_OK;
}

static int party_lines(inv_register *r, out *o, const char *role, int64_t n, inv_err *e)
{
    inv_party p;
    char keyid[CR_KEYID_HEX], label[32];
    int rc = inv_party_get(r, role, n, &p, e);
    if (rc)
        return rc;
    cr_keyid_hex(p.key.keyid, keyid);
    line(o, "", role, p.name);
    snprintf(label, sizeof label, "%s-key", role);
    line(o, "", label, keyid);
    inv_party_free(&p);
    return INV_OK;
}

/* The "key ROLE: OLD -> NEW" change lines of version n, appended to b,
 * with their number in *count. */
static int render_rotations(inv_register *r, int64_t n, inv_buf *b, int64_t *count, inv_err *e)
{
    *count = 0;
    for (int i = 0; i < 2; i++) {
        cr_pubkey old, nk;
        char a[CR_KEYID_HEX], z[CR_KEYID_HEX];
        int rotates, rc = inv_rotation_at(r, n, inv_roles[i], &rotates, &old, &nk, e);
        if (rc)
            return rc;
        if (!rotates)
            continue;
        cr_keyid_hex(old.keyid, a);
        cr_keyid_hex(nk.keyid, z);
        if (inv_buf_printf(b, "key %s: %s -> %s\n", inv_roles[i], a, z) < 0)
            return inv_fail(e, INV_EIO, "out of memory");
        ++*count;
    }
    return INV_OK;
}

/* The statement reading an item row's fields (id, kind, name, attrs,
 * then covcols) by rowid (?1) into *cur, or *cur = NULL where the rowid
 * may not be the row's own: a table declared WITHOUT ROWID, or a column
 * named rowid, oid or _rowid_ hiding it (an altered schema). INV_EIO only
 * when the schema cannot be read; the caller finalizes *cur. */
static int prepare_by_rowid(inv_register *r, const char *covcols, sqlite3_stmt **cur,
                            inv_err *e)
{
    sqlite3_stmt *st = NULL;
    char sql[512];
    *cur = NULL;
    int rc = inv__prepare(r, &st, "SELECT count(*) FROM pragma_table_info('item')"
                                  " WHERE lower(name) IN ('rowid', 'oid', '_rowid_')", e);
    if (rc)
        return rc;
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = inv__sqlerr(r, e, "read changes");
    else if (sqlite3_column_int64(st, 0) == 0) {
        snprintf(sql, sizeof sql, "SELECT i.id, i.kind, i.name, i.attrs, %s FROM item i"
                 " WHERE i.rowid = ?1", covcols);
        if (sqlite3_prepare_v2(r->db, sql, -1, cur, NULL) != SQLITE_OK) {
            sqlite3_finalize(*cur); /* WITHOUT ROWID: no rowid to read */
            *cur = NULL;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

int inv__render_to(inv_register *r, const inv_version *v, inv_sink_fn sink, void *ctx,
                   inv_block_fn block, void *block_ctx, inv__render_stats *stats, inv_err *e)
{
    out o = {sink, ctx, block, block_ctx, {0}, 0, 0};
    rows x = {0};
    cov c = {0};
    int64_t nterms[INV_TERM_TYPES], term_changes = 0;
    char sql[2048];
    sqlite3_stmt *st = NULL, *prev = NULL, *cur = NULL;
    inv_item a, b;
    inv_item_init(&a);
    inv_item_init(&b);
    char num[32], date[32];
    int rc, s;
    inv__render_stats local = {0};
    rows_init(&x);
    if (!stats)
        stats = &local;
    inv__render_stats in = *stats;
    /* memory that runs out anywhere during the rendering (a value, a list,
     * a line left out) fails it, when nothing had run out before */
    int oom_before = inv_oom_seen();
    memset(stats, 0, sizeof *stats);
    stats->strict = in.strict;
    stats->jobs = in.jobs;
    stats->reuse = in.reuse;
    stats->split = in.split;

    c.on = inv_format_of(r, v->number) == 2;
    if (c.on && (rc = term_counts(r, v->number, nterms, &term_changes, e)))
        goto out;
    block_begin(&o);
    inv_buf_puts(&o.buf, c.on ? INV_FORMAT_TAG2 "\n" : INV_FORMAT_TAG "\n");
    line(&o, "", "register", r->register_id);
    line(&o, "", "contract", r->contract);
    if ((rc = party_lines(r, &o, "provider", v->number, e)) ||
        (rc = party_lines(r, &o, "client", v->number, e)))
        goto out;
    snprintf(num, sizeof num, "%lld", (long long)v->number);
    line(&o, "", "version", num);
    inv_time_format(v->date, date, sizeof date);
    line(&o, "", "date", date);
    line(&o, "", "author", v->author);
    line(&o, "", "message", v->message);
    line(&o, "", "previous", v->prev_hash[0] ? v->prev_hash : "none");
    snprintf(num, sizeof num, "%lld", (long long)v->item_count);
    line(&o, "", "items", num);
    static const char *const count_keys[INV_TERM_TYPES] = {"services", "exclusions", "classes",
                                                           "defaults"};
    for (int i = 0; c.on && i < INV_TERM_TYPES; i++) {
        snprintf(num, sizeof num, "%lld", (long long)nterms[i]);
        line(&o, "", count_keys[i], num);
    }

    /* Changes since the previous version: the rows that begin at this
     * version, in id order, each modification with the row it ends.
     *
     * A row's op is read by its first byte (the text SQLite gives): 'A' an
     * addition, 'R' a removal, anything else (another text, a number, a
     * blob, NULL: a row altered) a modification. Only a modification needs
     * the row it ends, looked up by itself (prev below): a row of the same
     * id whose until is this version and whose op is not 'R'; every such
     * row gives a change line, none fails the rendering. Additions and
     * removals (a first import: a million additions) cost one read of
     * their rows and no look-up. Their number, for the header, is counted
     * in the index alone. */
    if ((rc = inv__prepare_n(r, &st, "SELECT count(*) FROM item INDEXED BY item_by_version"
                                      " WHERE since = ?1", v->number, e)))
        goto out;
    if (sqlite3_step(st) != SQLITE_ROW) { /* never a count of 0 for want of one */
        rc = inv__sqlerr(r, e, "read changes");
        goto out;
    }
    int64_t nchanges = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    /* Key rotations come first among the changes. */
    inv_buf keys = {0};
    int64_t nkeys = 0;
    rc = render_rotations(r, v->number, &keys, &nkeys, e);
    snprintf(num, sizeof num, "%lld", (long long)(nchanges + nkeys + term_changes));
    inv_buf_add(&o.buf, "\n", 1);
    line(&o, "", "changes", num);
    block_end(&o, INV_BLOCK_HEADER, 0, NULL);
    /* one block per "key ROLE: OLD -> NEW" line */
    for (size_t at = 0; !rc && nkeys && at < keys.len;) {
        const char *nl = memchr(keys.data + at, '\n', keys.len - at);
        size_t n = nl ? (size_t)(nl - keys.data - at) + 1 : keys.len - at;
        block_begin(&o);
        inv_buf_add(&o.buf, keys.data + at, n);
        block_end(&o, INV_BLOCK_CHANGE, 0, NULL);
        at += n;
    }
    inv_buf_free(&keys);
    if (rc)
        goto out;
    stats->changes += nkeys;
    /* scope-register/2: the term changes come next */
    if (c.on && term_changes && (rc = render_term_changes(r, &o, v->number, stats, e)))
        goto out;
    /* The rows beginning at the version (?1), in id order. A modification
     * reads its own fields again by rowid (cur) once its op is known, so
     * that the query reads no more than an addition needs; where the
     * rowid may not be the row's own (an altered schema), cur is NULL and
     * the query reads every row's fields, as it did before. Then the rows
     * a modification (id ?2) ends (prev). */
    const char *covcols = c.on ? INV__COV_COLS(r, "i.") : "NULL, NULL, NULL";
    if ((rc = prepare_by_rowid(r, covcols, &cur, e)))
        goto out;
    snprintf(sql, sizeof sql, "SELECT i.op, i.reason, i.id, %s%s FROM item i INDEXED BY"
             " item_by_version WHERE i.since = ?1 ORDER BY i.id",
             cur ? "i.rowid" : "i.kind, i.name, i.attrs, ", cur ? "" : covcols);
    if ((rc = inv__prepare_n(r, &st, sql, v->number, e)))
        goto out;
    snprintf(sql, sizeof sql, "SELECT i.id, i.kind, i.name, i.attrs, %s FROM item i INDEXED BY"
             " item_by_id WHERE i.id = ?2 AND i.until = ?1 AND i.op <> 'R'", covcols);
    if ((rc = inv__prepare_n(r, &prev, sql, v->number, e)))
        goto out;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int op_null = sqlite3_column_type(st, 0) == SQLITE_NULL;
        const unsigned char *opt = sqlite3_column_text(st, 0);
        if (!opt && !op_null) { /* a text SQLite could not make */
            rc = inv_fail(e, INV_EIO, "out of memory");
            goto out;
        }
        char op = opt ? (char)opt[0] : '\0'; /* NULL (a row altered): a modification */
        if (op != 'A' && op != 'R') {
            /* the id as stored, its class too (before any read converts
             * it), as a join on p.id = i.id compares it */
            sqlite3_reset(prev);
            if (sqlite3_bind_value(prev, 2, sqlite3_column_value(st, 2)) != SQLITE_OK) {
                rc = inv__sqlerr(r, e, "read changes");
                goto out;
            }
        }
        int id_null = sqlite3_column_type(st, 2) == SQLITE_NULL;
        const char *id = (const char *)sqlite3_column_text(st, 2);
        if (!id) {
            rc = id_null ? inv_fail(e, INV_FAIL, "version %lld: a change row has no id",
                                    (long long)v->number)
                         : inv_fail(e, INV_EIO, "out of memory");
            goto out;
        }
        inv_change ch = {0};
        ch.id = id;
        if (op == 'A' || op == 'R') {
            stats->changes++;
            if (op == 'A') {
                ch.op = INV_OP_ADD;
                stats->added++;
            } else {
                ch.op = INV_OP_REMOVE;
                ch.reason = (const char *)sqlite3_column_text(st, 1);
                stats->removed++;
            }
            block_begin(&o);
            inv_change_format(&o.buf, &ch);
            block_end(&o, INV_BLOCK_CHANGE, 0, id);
            continue;
        }
        /* the row's fields: columns 0.. of cur, else 2.. of st */
        sqlite3_stmt *own = cur ? cur : st;
        int at = cur ? 0 : 2;
        if (cur) {
            sqlite3_reset(cur);
            sqlite3_bind_int64(cur, 1, sqlite3_column_int64(st, 3));
            if (sqlite3_step(cur) != SQLITE_ROW) { /* the row st just read */
                rc = inv__sqlerr(r, e, "read changes");
                goto out;
            }
        }
        int ps, found = 0;
        while ((ps = sqlite3_step(prev)) == SQLITE_ROW) {
            found = 1;
            stats->changes++;
            if ((rc = inv__item_from_row(&a, prev, 0, 1, e)) ||
                (rc = inv__item_from_row(&b, own, at, 1, e)))
                goto out;
            ch.op = INV_OP_EDIT;
            ch.before = &a;
            ch.after = &b;
            stats->modified++;
            block_begin(&o);
            if (c.on)
                render_mod2(&o.buf, &ch, own, at + 4, prev, 4);
            else
                inv_change_format(&o.buf, &ch);
            block_end(&o, INV_BLOCK_CHANGE, 0, id);
        }
        if (ps != SQLITE_DONE) {
            rc = inv__sqlerr(r, e, "read changes");
            goto out;
        }
        if (!found) {
            rc = inv_fail(e, INV_FAIL, "item '%s': modified at version %lld but no "
                          "earlier row ends there", id, (long long)v->number);
            goto out;
        }
    }
    if (s != SQLITE_DONE) {
        rc = inv__sqlerr(r, e, "read changes");
        goto out;
    }
    sqlite3_finalize(st);
    st = NULL;
    sqlite3_finalize(prev);
    prev = NULL;
    sqlite3_finalize(cur);
    cur = NULL;

    /* scope-register/2: the services, exclusions, classes and defaults */
    if (c.on && (rc = render_terms(r, &o, &c, v->number, stats->strict, e)))
        goto out;
    /* The full list of items in scope, sorted by id. */
    snprintf(sql, sizeof sql,
             "SELECT id, kind, name, attrs, %s, rev FROM item INDEXED BY item_by_id"
             " WHERE since <= ?1 AND (until IS NULL OR until > ?1)"
             " ORDER BY id",
             c.on ? INV__COV_COLS(r, "") : "NULL, NULL, NULL");
    if ((rc = inv__prepare(r, &st, sql, e)))
        goto out;
    sqlite3_bind_int64(st, 1, v->number);
    if (stats->split && stats->jobs != 1 && inv_pipe_jobs() >= 2) {
        if ((rc = items_split(r, st, &o, &x, &c, v->number, stats, e)))
            goto out;
    } else {
        fmt f = {&o, &x, &c, v->number, stats, {0}};
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            rowv w;
            rowv_from_stmt(&w, st);
            if ((rc = item_block(&f, &w, e)))
                goto out;
        }
        if (s != SQLITE_DONE) {
            rc = inv__sqlerr(r, e, "read items");
            goto out;
        }
    }
    block_begin(&o);
    inv_buf_puts(&o.buf, "\nend of scope document\n");
    block_end(&o, INV_BLOCK_TRAILER, 1, NULL);
    /* a line that could not be added for want of memory would leave the
     * document short of it: never a hash of that */
    if (o.buf.failed || (!oom_before && inv_oom_seen()))
        rc = inv_fail(e, INV_EIO, "out of memory");
    else if (o.buf.data == NULL || flush(&o))
        rc = inv_fail(e, INV_EIO, "cannot write the scope document");
out:
    sqlite3_finalize(st);
    sqlite3_finalize(prev);
    sqlite3_finalize(cur);
    inv_buf_free(&o.buf);
    rows_free(&x);
    cov_free(&c);
    inv_item_free(&a);
    inv_item_free(&b);
    return rc;
}

int inv__render_item_block(inv_register *r, int64_t n, const char *id, inv_buf *b, inv_err *e)
{
    out o = {NULL, NULL, NULL, NULL, {0}, 0, 0};
    rows x = {0};
    cov c = {0};
    inv__render_stats stats = {0};
    char sql[1024];
    sqlite3_stmt *st = NULL;
    const char *rid;
    int rc, s;
    rows_init(&x);
    c.on = inv_format_of(r, n) == 2;
    /* the query of inv__render_to's items, narrowed to one id */
    snprintf(sql, sizeof sql,
             "SELECT id, kind, name, attrs, %s, rev FROM item INDEXED BY item_by_id"
             " WHERE id = ?2 AND since <= ?1 AND (until IS NULL OR until > ?1)",
             c.on ? INV__COV_COLS(r, "") : "NULL, NULL, NULL");
    if ((rc = inv__prepare_n(r, &st, sql, n, e)))
        goto out;
    sqlite3_bind_text(st, 2, id, -1, SQLITE_STATIC);
    if ((s = sqlite3_step(st)) != SQLITE_ROW) {
        rc = s == SQLITE_DONE ? inv_fail(e, INV_FAIL, "no item '%s' in scope", id)
                              : inv__sqlerr(r, e, "read items");
        goto out;
    }
    rowv w;
    rowv_from_stmt(&w, st);
    if ((rc = render_row(&o, &x, &c, &w, n, &stats, &rid, e)))
        goto out;
    if (o.failed || o.buf.failed || !o.buf.data || o.buf.len < 1 ||
        inv_buf_add(b, o.buf.data + 1, o.buf.len - 1)) /* without the blank line */
        rc = inv_fail(e, INV_EIO, "out of memory");
out:
    sqlite3_finalize(st);
    inv_buf_free(&o.buf);
    rows_free(&x);
    cov_free(&c);
    return rc;
}

int inv__render(inv_register *r, const inv_version *v, inv_sink_fn sink, void *ctx,
                inv__render_stats *stats, inv_err *e)
{
    return inv__render_to(r, v, sink, ctx, NULL, NULL, stats, e);
}

int inv_render_blocks(inv_register *r, int64_t n, inv_block_fn fn, void *ctx, inv_err *e)
{
    inv_version v;
    int rc = inv_version_get(r, n, &v, e);
    if (rc)
        return rc;
    rc = inv__render_to(r, &v, NULL, NULL, fn, ctx, NULL, e);
    inv_version_free(&v);
    return rc;
}

int inv_render(inv_register *r, int64_t n, inv_sink_fn sink, void *ctx, inv_err *e)
{
    inv_version v;
    int rc = inv_version_get(r, n, &v, e);
    if (rc)
        return rc;
    rc = inv__render(r, &v, sink, ctx, NULL, e);
    inv_version_free(&v);
    return rc;
}

static int mem_sink(void *ctx, const void *data, size_t len)
{
    return inv_buf_add(ctx, data, len);
}

int inv_render_mem(inv_register *r, int64_t n, char **out_, size_t *len, inv_err *e)
{
    inv_buf b = {0};
    int rc = inv_render(r, n, mem_sink, &b, e);
    if (rc) {
        inv_buf_free(&b);
        return rc;
    }
    *out_ = b.data;
    *len = b.len;
    return INV_OK;
}

/* ---- items of a version, and the diff of two versions ---- */

/* The items of version n, with their coverage in a /2 version (columns 4
 * to 6, NULL in a /1 version). */
static int prepare_items(inv_register *r, sqlite3_stmt **st, int64_t n, inv_err *e)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT id, kind, name, attrs, %s FROM item INDEXED BY item_by_id"
             " WHERE since <= ?1 AND (until IS NULL OR until > ?1)"
             " ORDER BY id",
             inv_format_of(r, n) == 2 && inv__has_cov(r)
                 ? "coalesce(svc, 'none'), coalesce(sla, 'none'), coalesce(own, 0)"
             : inv_format_of(r, n) == 2 ? "'none', 'none', 0"
                                        : "NULL, NULL, NULL");
    int rc = inv__prepare(r, st, sql, e);
    if (!rc)
        sqlite3_bind_int64(*st, 1, n);
    return rc;
}

int inv_items(inv_register *r, int64_t n, inv_item_fn fn, void *ctx, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = prepare_items(r, &st, n, e);
    return rc ? rc : inv__items_walk(r, st, fn, ctx, e);
}

/* Sets it's coverage from columns 4 to 6 of st when they hold one
 * (prepare_items); -1 when out of memory. */
static int cov_from_row(inv_item *it, sqlite3_stmt *st)
{
    if (sqlite3_column_count(st) < 7 || sqlite3_column_type(st, 4) == SQLITE_NULL)
        return 0;
    it->svc = inv__strdup((const char *)sqlite3_column_text(st, 4));
    it->sla = inv__strdup((const char *)sqlite3_column_text(st, 5));
    it->own = sqlite3_column_int(st, 6);
    return it->svc && it->sla ? 0 : -1;
}

int inv__items_walk(inv_register *r, sqlite3_stmt *st, inv_item_fn fn, void *ctx, inv_err *e)
{
    inv_item it;
    int rc = INV_OK, s;
    inv_item_init(&it);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = inv__item_from_row(&it, st, 0, 0, e)))
            break;
        if (cov_from_row(&it, st)) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        if ((rc = fn(ctx, &it)))
            break;
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read items");
    sqlite3_finalize(st);
    inv_item_free(&it);
    return rc;
}

/* Reason of the last removal of id at or before version b. */
static char *removal_reason(inv_register *r, const char *id, int64_t b)
{
    sqlite3_stmt *st = NULL;
    char *reason = NULL;
    if (inv__prepare(r, &st,
                     "SELECT reason FROM item WHERE id = ?1 AND op = 'R' AND since <= ?2"
                     " ORDER BY since DESC LIMIT 1",
                     NULL))
        return NULL;
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, b);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
        reason = inv__strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return reason;
}

int inv_diff(inv_register *r, int64_t a, int64_t b, inv_change_fn fn, void *ctx, inv_err *e)
{
    sqlite3_stmt *sa = NULL, *sb = NULL;
    inv_item ia, ib;
    inv_item_init(&ia);
    inv_item_init(&ib);
    int rc, ra, rb;
    if ((rc = prepare_items(r, &sa, a, e)) || (rc = prepare_items(r, &sb, b, e)))
        goto out;
    ra = sqlite3_step(sa);
    rb = sqlite3_step(sb);
    while (ra == SQLITE_ROW || rb == SQLITE_ROW) {
        int c;
        if (ra != SQLITE_ROW)
            c = 1;
        else if (rb != SQLITE_ROW)
            c = -1;
        else
            c = strcmp((const char *)sqlite3_column_text(sa, 0),
                       (const char *)sqlite3_column_text(sb, 0));
        inv_change ch = {0};
        char *reason = NULL;
        if (c < 0) {
            if ((rc = inv__item_from_row(&ia, sa, 0, 0, e)) ||
                (cov_from_row(&ia, sa) && (rc = inv_fail(e, INV_EIO, "out of memory"))))
                goto out;
            reason = removal_reason(r, ia.id, b);
            ch = (inv_change){INV_OP_REMOVE, ia.id, &ia, NULL, reason};
            ra = sqlite3_step(sa);
        } else if (c > 0) {
            if ((rc = inv__item_from_row(&ib, sb, 0, 0, e)) ||
                (cov_from_row(&ib, sb) && (rc = inv_fail(e, INV_EIO, "out of memory"))))
                goto out;
            ch = (inv_change){INV_OP_ADD, ib.id, NULL, &ib, NULL};
            rb = sqlite3_step(sb);
        } else {
            if ((rc = inv__item_from_row(&ia, sa, 0, 0, e)) ||
                (rc = inv__item_from_row(&ib, sb, 0, 0, e)) ||
                ((cov_from_row(&ia, sa) || cov_from_row(&ib, sb)) &&
                 (rc = inv_fail(e, INV_EIO, "out of memory"))))
                goto out;
            ra = sqlite3_step(sa);
            rb = sqlite3_step(sb);
            if (inv_item_equal(&ia, &ib))
                continue;
            ch = (inv_change){INV_OP_EDIT, ib.id, &ia, &ib, NULL};
        }
        rc = fn(ctx, &ch);
        free(reason);
        if (rc)
            goto out;
    }
    if (ra != SQLITE_DONE || rb != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read items");
out:
    sqlite3_finalize(sa);
    sqlite3_finalize(sb);
    inv_item_free(&ia);
    inv_item_free(&ib);
    return rc;
}

typedef struct digests {
    cr_hash h;
    cr_prehash p;
} digests;

static int digest_sink(void *ctx, const void *data, size_t len)
{
    digests *d = ctx;
    cr_hash_update(&d->h, data, len);
    cr_prehash_update(&d->p, data, len);
    return 0;
}

int inv__render_piped(inv_register *r, const inv_version *v, inv_sink_fn sink, void *ctx,
                      inv__render_stats *stats, inv_err *e)
{
    inv_pipe *pipe = inv_pipe_new(NULL, NULL, sink, ctx, 0, e);
    if (!pipe)
        return INV_EIO;
    int rc = inv__render(r, v, inv_pipe_sink, pipe, stats, e);
    int prc = inv_pipe_finish(pipe, rc ? NULL : e);
    inv_pipe_free(pipe);
    return rc ? rc : prc;
}

int inv__render_digests(inv_register *r, const inv_version *v,
                        unsigned char prehash[CR_PREHASH_BYTES], char doc_hash[CR_HASH_STR_LEN],
                        inv__render_stats *stats, inv_err *e)
{
    digests d;
    unsigned char h[CR_HASH_BYTES];
    cr_hash_init(&d.h);
    cr_prehash_init(&d.p);
    int rc = inv__render_piped(r, v, digest_sink, &d, stats, e);
    if (rc)
        return rc;
    cr_hash_final(&d.h, h);
    cr_prehash_final(&d.p, prehash);
    memcpy(doc_hash, CR_HASH_PREFIX, sizeof CR_HASH_PREFIX - 1);
    cr_hex(doc_hash + sizeof CR_HASH_PREFIX - 1, h, sizeof h);
    return INV_OK;
}
