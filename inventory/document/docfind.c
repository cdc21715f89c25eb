/* docfind.c - one item's block and change entry, or one service's and one
 * class's blocks, in a scope document, streamed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beside.h"
#include "docfind.h"
#include "docline.h"
#include "document_int.h"

/* Unescapes \\ \n \t (docs/FORMAT.md) into a malloc'd string; NULL with
 * *bad set on any other backslash sequence, NULL with *bad clear when out
 * of memory. */
static char *unescape_n(const char *s, size_t n, int *bad)
{
    char *d = malloc(n + 1), *o = d;
    *bad = 0;
    if (!d)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            *o++ = s[i];
            continue;
        }
        char c = i + 1 < n ? s[++i] : 0;
        if (c == '\\' || c == 'n' || c == 't') {
            *o++ = c == '\\' ? '\\' : c == 'n' ? '\n' : '\t';
        } else {
            free(d);
            *bad = 1;
            return NULL;
        }
    }
    *o = '\0';
    return d;
}

/* Whether line (n bytes) is prefix followed by exactly want. */
static int is_line(const char *line, size_t n, const char *prefix, const inv_buf *want)
{
    size_t pl = strlen(prefix);
    return n == pl + want->len && !memcmp(line, prefix, pl) && !memcmp(line + pl, want->data,
                                                                         want->len);
}

enum { IN_HEADER, IN_CHANGES, IN_ITEMS };

typedef struct finder {
    const char *path;
    long long lineno;
    int phase;
    int in_item;   /* the field lines that follow are the item's */
    int in_change; /* the lines that follow are its change entry's */
    inv_doc_find *out;
    int fmt2; /* scope-register/2: "services:" and "sla:" are the item's coverage */
    int fline; /* field lines of the item's block read so far */
} finder;

/* One field line "  KEY: VALUE" (or "  KEY:") of the item's block. */
static int item_field(finder *f, const char *l, size_t n, inv_err *e)
{
    const char *colon = memchr(l, ':', n);
    int bad = 0;
    if (n < 3 || !colon || colon == l + 2 || (colon + 1 < l + n && colon[1] != ' '))
        return inv_fail(e, INV_FAIL, "%s: line %lld: malformed field line of item %s", f->path,
                        f->lineno, f->out->item.id);
    size_t kl = (size_t)(colon - (l + 2)), off = colon + 1 < l + n ? 2 : 1;
    char *key = unescape_n(l + 2, kl, &bad), *val = NULL;
    if (key)
        val = unescape_n(colon + off, (size_t)(l + n - (colon + off)), &bad);
    if (!key || !val) {
        free(key);
        return bad ? inv_fail(e, INV_FAIL, "%s: line %lld: malformed escape in item %s",
                              f->path, f->lineno, f->out->item.id)
                   : inv_fail(e, INV_EIO, "out of memory");
    }
    inv_err sub;
    /* the coverage lines are the two right after kind: and name: (their
     * keys in that order, which inv_doc_read checked); a services: or sla:
     * line anywhere else is an attribute of that name (docs/FORMAT.md) */
    int at = f->fline++;
    int cv = f->fmt2 && ((at == 2 && !strcmp(key, "services")) || (at == 3 && !strcmp(key, "sla")))
                 ? inv_item_cov_line(&f->out->item, key, val, &sub)
                 : 0;
    int rc = cv > 0 ? INV_OK : cv < 0 ? sub.code : inv_item_set(&f->out->item, key, val, &sub);
    free(key);
    free(val);
    if (rc == INV_EIO)
        return inv_fail(e, INV_EIO, "out of memory");
    if (rc)
        return inv_fail(e, INV_FAIL, "%s: line %lld: item %s: %s", f->path, f->lineno,
                        f->out->item.id, sub.msg);
    return INV_OK;
}

/* One line (without its LF) of the document. */
static int one_line(finder *f, const char *l, size_t n, const inv_buf *esc, const char *id,
                    inv_err *e)
{
    inv_doc_find *o = f->out;
    if (f->phase == IN_HEADER) {
        if (n >= 8 && !memcmp(l, "changes:", 8))
            f->phase = IN_CHANGES;
        return INV_OK;
    }
    if (f->phase == IN_CHANGES) {
        if (n == 0) {
            f->phase = IN_ITEMS;
            f->in_change = 0;
            return INV_OK;
        }
        if (n >= 2 && l[0] != ' ' && l[1] == ' ') {
            int op = l[0] == '+' ? INV_OP_ADD : l[0] == '-' ? INV_OP_REMOVE
                                              : l[0] == '~' ? INV_OP_EDIT : 0;
            f->in_change = op && n - 2 == esc->len && !memcmp(l + 2, esc->data, esc->len);
            if (f->in_change) {
                if (o->change)
                    return inv_fail(e, INV_FAIL, "%s: line %lld: a second change entry for "
                                    "item %s", f->path, f->lineno, id);
                o->change = op;
            }
            return INV_OK;
        }
        if (f->in_change && o->change == INV_OP_REMOVE && !o->reason && n >= 9 &&
            !memcmp(l, "  reason:", 9)) {
            int bad = 0;
            size_t off = n > 9 && l[9] == ' ' ? 10 : 9;
            if (!(o->reason = unescape_n(l + off, n - off, &bad)))
                return bad ? inv_fail(e, INV_FAIL, "%s: line %lld: malformed escape in the "
                                      "reason of item %s", f->path, f->lineno, id)
                           : inv_fail(e, INV_EIO, "out of memory");
        }
        return INV_OK;
    }
    if (n >= 6 && !memcmp(l, "item: ", 6)) {
        f->in_item = is_line(l, n, "item: ", esc);
        if (f->in_item) {
            if (o->listed)
                return inv_fail(e, INV_FAIL, "%s: line %lld: item %s is listed twice", f->path,
                                f->lineno, id);
            o->listed = 1;
            f->fline = 0;
            if (!(o->item.id = strdup(id)))
                return inv_fail(e, INV_EIO, "out of memory");
        }
        return INV_OK;
    }
    if (f->in_item && n >= 2 && l[0] == ' ' && l[1] == ' ')
        return item_field(f, l, n, e);
    f->in_item = 0;
    return INV_OK;
}

/* A line (without its LF, n bytes, numbered lineno) for a streamed reader. */
typedef int (*line_fn)(void *ctx, const char *l, size_t n, long long lineno, inv_err *e);

/* Reads the document at path (what inv_doc_read read into d) one line at
 * a time into fn, hashing every byte: the file must still hash to
 * d->doc_hash. INV_EINPUT when it cannot be opened or changed; INV_FAIL on
 * a line longer than any document line; INV_EIO on a read error; what fn
 * returns when not INV_OK. */
static int stream(const char *path, const inv_doc *d, line_fn fn, void *ctx, inv_err *e)
{
    FILE *fp;
    if (inv_open_regular(path, &fp, NULL) != 0)
        return inv_fail(e, INV_EINPUT, "%s: cannot be read: %s", path,
                        errno == EINVAL ? "not a regular file" : strerror(errno));
    cr_hash h;
    cr_hash_init(&h);
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    long long lineno = 0;
    int rc = INV_OK;
    while (rc == INV_OK && (got = getline(&line, &cap, fp)) > 0) {
        size_t n = (size_t)got;
        lineno++;
        cr_hash_update(&h, line, n);
        if (n > INV__DOC_LINE_MAX + 1) {
            rc = inv_fail(e, INV_FAIL, "%s: line %lld is longer than any scope document line",
                          path, lineno);
            break;
        }
        rc = fn(ctx, line, line[n - 1] == '\n' ? n - 1 : n, lineno, e);
    }
    if (rc == INV_OK && ferror(fp))
        rc = inv_fail(e, INV_EIO, "%s: read error: %s", path, strerror(errno));
    free(line);
    fclose(fp);
    if (rc)
        return rc;
    unsigned char dig[CR_HASH_BYTES];
    char hex[CR_HASH_HEX], full[CR_HASH_STR_LEN];
    cr_hash_final(&h, dig);
    cr_hex(hex, dig, sizeof dig);
    snprintf(full, sizeof full, "%s%s", CR_HASH_PREFIX, hex);
    if (strcmp(full, d->doc_hash))
        return inv_fail(e, INV_EINPUT, "%s changed while it was read (it hashes to %s, not %s); "
                        "run the command again", path, full, d->doc_hash);
    return INV_OK;
}

/* The escaped form of id, NUL-terminated, into b. -1 when out of memory. */
static int escaped(inv_buf *b, const char *id)
{
    if (inv_escape(b, id) || inv_buf_add(b, "", 0) || !b->data)
        return -1;
    b->len = strlen(b->data);
    return 0;
}

typedef struct item_ctx {
    finder f;
    const inv_buf *esc;
    const char *id;
} item_ctx;

static int item_line(void *ctx, const char *l, size_t n, long long lineno, inv_err *e)
{
    item_ctx *c = ctx;
    c->f.lineno = lineno;
    return one_line(&c->f, l, n, c->esc, c->id, e);
}

int inv_doc_find_item(const char *path, const inv_doc *d, const char *id, inv_doc_find *out,
                      inv_err *e)
{
    memset(out, 0, sizeof *out);
    inv_item_init(&out->item);
    inv_buf esc = {0};
    if (escaped(&esc, id)) {
        inv_buf_free(&esc);
        return inv_fail(e, INV_EIO, "out of memory");
    }
    item_ctx c = {{path, 0, IN_HEADER, 0, 0, out, d->format == 2, 0}, &esc, id};
    int rc = stream(path, d, item_line, &c, e);
    inv_buf_free(&esc);
    return rc;
}

/* ---- one service's and one class's blocks ---- */

/* A block looked for: its type, its id escaped, where it goes, its body
 * in the stored encoding (key 0x1F value 0x1E per field line) and the
 * line of its head. */
typedef struct want {
    int type;
    const char *id; /* NULL: not looked for */
    inv_buf esc;
    inv_term *out;
    int seen;
    long long lineno;
    inv_buf body;
} want;

typedef struct terms_ctx {
    const char *path;
    int phase;
    want w[2];
    want *in; /* the block whose field lines follow, NULL when none */
    int done; /* the first item: no block comes after it */
} terms_ctx;

/* One field line "  KEY: VALUE" (or "  KEY:") of a wanted block, appended
 * to its body unescaped. */
static int term_field(terms_ctx *c, want *w, const char *l, size_t n, long long lineno,
                      inv_err *e)
{
    const char *colon = memchr(l, ':', n);
    int bad = 0;
    if (n < 3 || !colon || colon == l + 2 || (colon + 1 < l + n && colon[1] != ' '))
        return inv_fail(e, INV_FAIL, "%s: line %lld: malformed field line of %s %s", c->path,
                        lineno, inv_term_words[w->type], w->id);
    size_t kl = (size_t)(colon - (l + 2)), off = colon + 1 < l + n ? 2 : 1;
    char *key = unescape_n(l + 2, kl, &bad), *val = NULL;
    if (key)
        val = unescape_n(colon + off, (size_t)(l + n - (colon + off)), &bad);
    char sep[2] = {INV_KEY_SEP, INV_ATTR_SEP};
    int rc = !key || !val ? (bad ? INV_FAIL : INV_EIO)
             : inv_buf_puts(&w->body, key) < 0 || inv_buf_add(&w->body, &sep[0], 1) ||
                       inv_buf_puts(&w->body, val) < 0 || inv_buf_add(&w->body, &sep[1], 1)
                 ? INV_EIO
                 : INV_OK;
    free(key);
    free(val);
    if (rc == INV_FAIL)
        return inv_fail(e, INV_FAIL, "%s: line %lld: malformed escape in %s %s", c->path, lineno,
                        inv_term_words[w->type], w->id);
    return rc ? inv_fail(e, INV_EIO, "out of memory") : INV_OK;
}

static int terms_line(void *ctx, const char *l, size_t n, long long lineno, inv_err *e)
{
    terms_ctx *c = ctx;
    if (c->done)
        return INV_OK;
    if (c->phase == IN_HEADER) {
        if (n >= 8 && !memcmp(l, "changes:", 8))
            c->phase = IN_CHANGES;
        return INV_OK;
    }
    if (c->phase == IN_CHANGES) {
        if (n == 0)
            c->phase = IN_ITEMS;
        return INV_OK;
    }
    if (c->in && n >= 2 && l[0] == ' ' && l[1] == ' ')
        return term_field(c, c->in, l, n, lineno, e);
    c->in = NULL;
    if (n >= 6 && !memcmp(l, "item: ", 6)) {
        c->done = 1;
        return INV_OK;
    }
    const char *colon = memchr(l, ':', n);
    int type = colon ? inv_term_type_of(l, (size_t)(colon - l)) : -1;
    for (int i = 0; type >= 0 && i < 2; i++) {
        want *w = &c->w[i];
        char prefix[32];
        if (!w->id || w->type != type)
            continue;
        snprintf(prefix, sizeof prefix, "%s: ", inv_term_words[type]);
        if (!is_line(l, n, prefix, &w->esc))
            continue;
        if (w->seen)
            return inv_fail(e, INV_FAIL, "%s: line %lld: %s %s is listed twice", c->path,
                            lineno, inv_term_words[type], w->id);
        w->seen = 1;
        w->lineno = lineno;
        c->in = w;
    }
    return INV_OK;
}

int inv_doc_find_terms(const char *path, const inv_doc *d, const char *service,
                       const char *cls, inv_term *svc_out, inv_term *cls_out, inv_err *e)
{
    inv_term_free(svc_out);
    inv_term_free(cls_out);
    if (d->format != 2)
        return INV_OK; /* a scope-register/1 document defines no term */
    terms_ctx c = {path, IN_HEADER, {{0}, {0}}, NULL, 0};
    const char *ids[2] = {service, cls};
    inv_term *outs[2] = {svc_out, cls_out};
    int rc = INV_OK;
    for (int i = 0; i < 2; i++) {
        want *w = &c.w[i];
        w->type = i ? INV_TERM_CLASS : INV_TERM_SERVICE;
        w->out = outs[i];
        if (ids[i] && strcmp(ids[i], INV_COV_NONE)) {
            w->id = ids[i];
            if (escaped(&w->esc, ids[i]) || inv_buf_add(&w->body, "", 0))
                rc = inv_fail(e, INV_EIO, "out of memory");
        }
    }
    if (!rc)
        rc = stream(path, d, terms_line, &c, e);
    for (int i = 0; i < 2 && !rc; i++) {
        want *w = &c.w[i];
        inv_err sub;
        if (!w->seen)
            continue;
        /* the decoder of the term rows: ids, fields in order, canonical values */
        int drc = inv_term_decode(w->out, w->type, w->id, w->body.data, w->body.len, &sub);
        if (drc == INV_EIO)
            rc = inv_fail(e, INV_EIO, "out of memory");
        else if (drc)
            rc = inv_fail(e, INV_FAIL, "%s: line %lld: %s (docs/FORMAT.md gives the form of "
                          "each field); run 'scopereg verify --documents'", path, w->lineno,
                          sub.msg);
    }
    for (int i = 0; i < 2; i++) {
        inv_buf_free(&c.w[i].esc);
        inv_buf_free(&c.w[i].body);
    }
    if (rc) {
        inv_term_free(svc_out);
        inv_term_free(cls_out);
    }
    return rc;
}

void inv_doc_find_free(inv_doc_find *f)
{
    inv_item_free(&f->item);
    free(f->reason);
    f->reason = NULL;
    f->listed = f->change = 0;
}
