/*
 * docchain.c - whether one scope document follows another: version N is
 * version N-1 with N's changes applied (inv_doc_follows), checked from the
 * two files alone, without any register; and whether a document agrees
 * with itself, its changes with its own items (inv_doc_self_check), which
 * needs no other document.
 *
 * Both documents list their items by id and N lists its changes by id,
 * so the check is one merge by id over three streams read side by side
 * (N's changes, N's items, N-1's items): one line of each is held at a
 * time, whatever the size of the documents. The two item streams read
 * their whole file and hash it again, so the verdict is about the bytes
 * inv_doc_read hashed before, not about a file changed since. The check
 * of a document against itself is the same merge over two streams of the
 * one file (its changes, its items); for a scope-register/2 document it
 * also decodes its term blocks as a register decodes its term rows and
 * re-derives each item's coverage from them (a third stream over the
 * items, the terms held: they are few).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "document.h"
#include "document_int.h"
#include "docline.h"

#define RD_BUF (64 * 1024)
/* Longest value quoted in a message, in bytes. */
#define SHOW_MAX 80

/* ---- a line reader over a file descriptor, at its own offset ---- */

typedef struct rd {
    int fd;
    const char *name; /* file name, for messages */
    off_t off;        /* file offset of the next read */
    char *buf;
    size_t pos, len;
    inv_buf acc;      /* a line spanning two reads */
    const char *l;    /* the current line (no LF), valid while have */
    size_t n;
    int have;
    int eof;
    int64_t lineno;   /* of the current line */
    cr_hash *h;       /* every byte read goes through it, or NULL */
    int bline;        /* lines consumed since the last "item:" line */
    int covfmt;       /* its item blocks are /2's: lines 2 and 3 are the coverage */
} rd;

static int rd_init(rd *r, int fd, const char *name, cr_hash *h, inv_err *e)
{
    memset(r, 0, sizeof *r);
    r->fd = fd;
    r->name = name;
    r->h = h;
    if (!(r->buf = malloc(RD_BUF)))
        return inv_fail(e, INV_EIO, "out of memory");
    return INV_OK;
}

static void rd_free(rd *r)
{
    free(r->buf);
    inv_buf_free(&r->acc);
    r->buf = NULL;
}

static int rd_fill(rd *r, inv_err *e)
{
    ssize_t got;
    do
        got = pread(r->fd, r->buf, RD_BUF, r->off);
    while (got < 0 && errno == EINTR);
    if (got < 0)
        return inv_fail(e, INV_EIO, "%s: read error: %s", r->name, strerror(errno));
    r->pos = 0;
    r->len = (size_t)got;
    r->off += got;
    if (!got)
        r->eof = 1;
    else if (r->h)
        cr_hash_update(r->h, r->buf, r->len);
    return INV_OK;
}

/* The file changed, or is not what inv_doc_read checked. */
static int rd_bad(rd *r, inv_err *e, const char *what)
{
    return inv_fail(e, INV_EINPUT, "%s: line %lld: %s: the file is not the scope document "
                    "read before (was it changed?)", r->name, (long long)r->lineno, what);
}

/* The current line into r->l / r->n: INV_OK with r->l NULL at the end of
 * the file. */
static int rd_peek(rd *r, inv_err *e)
{
    if (r->have)
        return INV_OK;
    r->acc.len = 0;
    for (;;) {
        if (r->pos == r->len) {
            if (r->eof) {
                if (r->acc.len) {
                    r->lineno++;
                    return rd_bad(r, e, "the last line does not end with a line feed");
                }
                r->l = NULL;
                r->n = 0;
                return INV_OK;
            }
            int rc = rd_fill(r, e);
            if (rc)
                return rc;
            continue;
        }
        const char *s = r->buf + r->pos;
        size_t avail = r->len - r->pos;
        const char *nl = memchr(s, '\n', avail);
        size_t take = nl ? (size_t)(nl - s) : avail;
        if (r->acc.len + take > INV__DOC_LINE_MAX) {
            r->lineno++;
            return rd_bad(r, e, "line too long");
        }
        if (nl && !r->acc.len) {
            r->l = s; /* the whole line is in the buffer */
            r->n = take;
        } else if (inv_buf_add(&r->acc, s, take)) {
            return inv_fail(e, INV_EIO, "out of memory");
        }
        r->pos += take + (nl ? 1 : 0);
        if (nl) {
            if (r->acc.len) {
                r->l = r->acc.data;
                r->n = r->acc.len;
            }
            r->lineno++;
            r->have = 1;
            return INV_OK;
        }
    }
}

static void rd_next(rd *r)
{
    r->have = 0;
    r->bline++;
}

/* Whether the current line of an item block is one of its coverage lines:
 * in a /2 block, the two lines right after kind: and name: (whose keys
 * inv_doc_read checked); a services: or sla: line anywhere else is an
 * attribute of that name (docs/FORMAT.md). */
static int at_cov(const rd *r)
{
    return r->covfmt && (r->bline == 2 || r->bline == 3);
}

/* Consumes lines up to and including the count-th empty line. */
static int rd_skip_blanks(rd *r, int count, inv_err *e)
{
    while (count) {
        int rc = rd_peek(r, e);
        if (rc)
            return rc;
        if (!r->l)
            return rd_bad(r, e, "the document ends early");
        if (!r->n)
            count--;
        rd_next(r);
    }
    return INV_OK;
}

/* Reads the rest of the file (into its hash). */
static int rd_drain(rd *r, inv_err *e)
{
    r->have = 0;
    while (!r->eof) {
        int rc = rd_fill(r, e);
        if (rc)
            return rc;
    }
    r->pos = r->len;
    return INV_OK;
}

/* ---- values ---- */

/* The next byte of an escaped value (quoted: \" is an escape too). */
static char esc_next(const char *s, size_t *i)
{
    char c = s[(*i)++];
    if (c != '\\')
        return c;
    c = s[(*i)++];
    return c == 'n' ? '\n' : c == 't' ? '\t' : c;
}

/* Whether the quoted-form value q (inside its quotes) and the item-form
 * value v are the same text once unescaped. */
static int same_value(const char *q, size_t qn, const char *v, size_t vn)
{
    size_t i = 0, j = 0;
    while (i < qn && j < vn)
        if (esc_next(q, &i) != esc_next(v, &j))
            return 0;
    return i == qn && j == vn;
}

/* A value for a message: as written, cut at SHOW_MAX bytes on a UTF-8
 * boundary. */
static void show(char *out, size_t cap, const char *s, size_t n)
{
    size_t k = n;
    if (k > SHOW_MAX) {
        k = SHOW_MAX;
        while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
            k--;
    }
    snprintf(out, cap, "%.*s%s", (int)k, s, k < n ? "..." : "");
}

/* A text of the header (unescaped) for a message, escaped again. */
static void show_text(char *out, size_t cap, const char *s)
{
    inv_buf b = {0};
    if (inv_escape(&b, s ? s : "") || !b.data) {
        snprintf(out, cap, "?");
    } else {
        show(out, cap, b.data, b.len);
    }
    inv_buf_free(&b);
}

/* ---- ids ---- */

typedef struct idv {
    inv_buf raw; /* as written (escaped) */
    inv_buf id;  /* unescaped: what the order is about */
    int set;
} idv;

static int id_set(idv *d, rd *r, const char *s, size_t n, inv_err *e)
{
    d->raw.len = d->id.len = 0;
    if (inv_buf_add(&d->raw, s, n) || inv_buf_add(&d->id, "", 0))
        return inv_fail(e, INV_EIO, "out of memory");
    for (size_t i = 0; i < n;) {
        if (s[i] == '\\' && (i + 1 == n || !s[i + 1] || !strchr("\\nt", s[i + 1])))
            return rd_bad(r, e, "malformed id");
        char c = esc_next(s, &i);
        if (inv_buf_add(&d->id, &c, 1))
            return inv_fail(e, INV_EIO, "out of memory");
    }
    if (!n)
        return rd_bad(r, e, "empty id");
    d->set = 1;
    return INV_OK;
}

static void id_free(idv *d)
{
    inv_buf_free(&d->raw);
    inv_buf_free(&d->id);
}

static int id_cmp(const idv *a, const idv *b)
{
    return strcmp(a->id.data, b->id.data);
}

/* ---- scope-register/2: services, exclusions, classes, defaults ----
 *
 * They are few (a contract's services and classes, one default per
 * kind), so their entries and blocks are held in memory and checked
 * before the merge of the items: terms(N) = terms(N-1) + term changes(N). */

typedef struct tent {
    int type;
    char op;     /* '+', '-', '~' for a change; 0 for a block */
    int used;    /* matched by the check */
    inv_buf id;  /* as written */
    inv_buf lines; /* its field lines, as written, each ending in LF */
    int64_t lineno; /* of its first line, for messages */
} tent;

typedef struct tlist {
    tent *v;
    size_t n, cap;
} tlist;

static void tlist_free(tlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        inv_buf_free(&l->v[i].id);
        inv_buf_free(&l->v[i].lines);
    }
    free(l->v);
    memset(l, 0, sizeof *l);
}

static tent *tlist_add(tlist *l, int type, char op, const char *id, size_t n)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        tent *nv = realloc(l->v, cap * sizeof *nv);
        if (!nv)
            return NULL;
        l->v = nv;
        l->cap = cap;
    }
    tent *t = &l->v[l->n];
    memset(t, 0, sizeof *t);
    t->type = type;
    t->op = op;
    if (inv_buf_add(&t->id, id, n) || inv_buf_add(&t->lines, "", 0))
        return NULL;
    l->n++;
    return t;
}

/* The term type a line opens: "WORD OP ID" (sep ' ') or "WORD: ID" (sep
 * ':'), with *off the offset of the id; -1 when none. */
static int term_head(const char *l, size_t n, char sep, char *op, size_t *off)
{
    const char *end = n ? memchr(l, sep, n) : NULL;
    int type = end ? inv_term_type_of(l, (size_t)(end - l)) : -1;
    size_t w = end ? (size_t)(end - l) : 0;
    if (type < 0)
        return -1;
    if (sep == ':') {
        if (n < w + 3 || l[w + 1] != ' ')
            return -1;
        *off = w + 2;
        return type;
    }
    if (n < w + 4 || !strchr("+-~", l[w + 1]) || l[w + 2] != ' ')
        return -1;
    *op = l[w + 1];
    *off = w + 3;
    return type;
}

static tent *tlist_find(tlist *l, int type, const inv_buf *id)
{
    for (size_t i = 0; l && i < l->n; i++)
        if (l->v[i].type == type && l->v[i].id.len == id->len &&
            !memcmp(l->v[i].id.data, id->data, id->len))
            return &l->v[i];
    return NULL;
}

/* tlist_find over a document's term blocks, which come by type, then by
 * id (docs/FORMAT.md; inv_doc_read checked it): a binary search, then the
 * whole list when it misses (the order of exclusions is that of their
 * unescaped texts). For the many lookups of the items' coverage. */
static tent *tlist_seek(tlist *l, int type, const inv_buf *id)
{
    size_t lo = 0, hi = l->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const tent *t = &l->v[mid];
        int c = t->type != type ? t->type - type
                                : memcmp(t->id.data, id->data, t->id.len < id->len ? t->id.len
                                                                                   : id->len);
        if (!c && t->type == type)
            c = t->id.len < id->len ? -1 : t->id.len > id->len;
        if (!c)
            return &l->v[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return tlist_find(l, type, id);
}

/* The value of field key (kn bytes) in a block's lines ("  KEY: VALUE"
 * each), NULL when absent. */
static const char *tfield(const tent *t, const char *key, size_t kn, size_t *vn)
{
    for (const char *p = t->lines.data, *end = p + t->lines.len; p < end;) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)(nl - p);
        if (n >= kn + 3 && !memcmp(p + 2, key, kn) && p[2 + kn] == ':') {
            *vn = n > kn + 3 ? n - kn - 4 : 0;
            return n > kn + 3 ? p + kn + 4 : p + kn + 3;
        }
        p = nl + 1;
    }
    return NULL;
}

/* Whether a field line's value q (quoted form, NULL: (none)) is the
 * block's value v (NULL: absent). */
static int tsame(const char *q, size_t qn, const char *v, size_t vn)
{
    return (!q && !v) || (q && v && same_value(q, qn, v, vn));
}

/* terms(N) = terms(N-1) + term changes(N), or (self, prev NULL) the part
 * of it that needs no N-1. INV_FAIL naming the version and the term. */
static int terms_follow(long long pv, long long cv, tlist *prev, tlist *cur, tlist *chg,
                        int self, inv_err *e)
{
    for (size_t i = 0; i < chg->n; i++) {
        tent *c = &chg->v[i];
        const char *word = inv_term_words[c->type], *id = c->id.data;
        tent *P = self ? NULL : tlist_find(prev, c->type, &c->id);
        tent *C = tlist_find(cur, c->type, &c->id);
        if (P)
            P->used = 1;
        if (C)
            C->used = 1;
        if (c->op == '+' && P)
            return inv_fail(e, INV_FAIL, "version %lld adds %s %s, but version %lld already "
                            "lists it", cv, word, id, pv);
        if (c->op != '-' && !C)
            return inv_fail(e, INV_FAIL, "version %lld %s %s %s but does not list it", cv,
                            c->op == '+' ? INV_("adds") : INV_("modifies"), word, id);
        if (c->op != '+' && !self && !P)
            return inv_fail(e, INV_FAIL, "version %lld %s %s %s, but version %lld does not "
                            "list it", cv, c->op == '-' ? INV_("removes") : INV_("modifies"),
                            word, id, pv);
        if (c->op == '-' && C)
            return inv_fail(e, INV_FAIL, "version %lld removes %s %s but still lists it", cv,
                            word, id);
        if (c->op != '~')
            continue;
        /* each field: named by a line (old is N-1's, new is N's) or equal */
        for (const char *const *k = inv_term_keys(c->type); *k; k++) {
            size_t kn = strlen(*k), pvn = 0, cvn = 0;
            const char *pvv = P ? tfield(P, *k, kn, &pvn) : NULL;
            const char *cvv = tfield(C, *k, kn, &cvn);
            inv__fline f;
            int named = 0;
            for (const char *q = c->lines.data, *end = q + c->lines.len; q < end;) {
                const char *nl = memchr(q, '\n', (size_t)(end - q));
                if (!inv__fline_parse(q + 2, (size_t)(nl - q) - 2, &f) && f.klen == kn &&
                    !memcmp(f.key, *k, kn)) {
                    named = 1;
                    break;
                }
                q = nl + 1;
            }
            if (named && !tsame(f.nw, f.nlen, cvv, cvn))
                return inv_fail(e, INV_FAIL, "version %lld changes %s of %s %s, but lists it "
                                "with another value", cv, *k, word, id);
            if (named && !self && !tsame(f.old, f.olen, pvv, pvn))
                return inv_fail(e, INV_FAIL, "version %lld changes %s of %s %s from a value "
                                "version %lld does not hold", cv, *k, word, id, pv);
            if (!named && !self &&
                ((!pvv) != (!cvv) || (pvv && (pvn != cvn || memcmp(pvv, cvv, pvn)))))
                return inv_fail(e, INV_FAIL, "version %lld: the %s of %s %s differs from "
                                "version %lld, but the modification does not name it",
                                cv, *k, word, id, pv);
        }
    }
    for (size_t i = 0; i < cur->n; i++) {
        tent *C = &cur->v[i];
        if (C->used)
            continue;
        if (cv == 1)
            return inv_fail(e, INV_FAIL, "version 1 lists %s %s but its changes do not add it",
                            inv_term_words[C->type], C->id.data);
        if (self)
            continue;
        tent *P = tlist_find(prev, C->type, &C->id);
        if (!P)
            return inv_fail(e, INV_FAIL, "version %lld lists %s %s, absent from version %lld, "
                            "but records no addition of it", cv, inv_term_words[C->type],
                            C->id.data, pv);
        P->used = 1;
        if (P->lines.len != C->lines.len || memcmp(P->lines.data, C->lines.data, P->lines.len))
            return inv_fail(e, INV_FAIL, "version %lld: %s %s differs from version %lld, but "
                            "version %lld records no change of it", cv, inv_term_words[C->type],
                            C->id.data, pv, cv);
    }
    for (size_t i = 0; !self && prev && i < prev->n; i++)
        if (!prev->v[i].used)
            return inv_fail(e, INV_FAIL, "version %lld: %s %s is listed in version %lld and "
                            "absent from version %lld, but version %lld records no removal of it",
                            cv, inv_term_words[prev->v[i].type], prev->v[i].id.data, pv, cv, cv);
    return INV_OK;
}

/* ---- the walk ---- */

/* The next lines of a modification's walk: of the changes ch, of N-1's
 * block p (NULL: not walked) and of N's block c; *hf whether ch's is a
 * field line, parsed into f. INV_EINPUT at the line when a stream ends
 * early or the field line is malformed; a read error as rd_peek's. */
static int peek_lines(rd *ch, rd *p, rd *c, inv__fline *f, int *hf, inv_err *e)
{
    int rc = rd_peek(ch, e);
    if (!rc && p)
        rc = rd_peek(p, e);
    if (!rc)
        rc = rd_peek(c, e);
    if (rc)
        return rc;
    if (!ch->l || (p && !p->l) || !c->l)
        return rd_bad(!ch->l ? ch : p && !p->l ? p : c, e, "the document ends early");
    memset(f, 0, sizeof *f);
    *hf = ch->n >= 2 && ch->l[0] == ' ' && ch->l[1] == ' ';
    if (*hf && inv__fline_parse(ch->l + 2, ch->n - 2, f))
        return rd_bad(ch, e, "malformed field line");
    return INV_OK;
}

/* A modification's field line f, of field k (field: k shown), against the
 * line before it (last, which it then becomes; *lines counts the lines):
 * INV_EINPUT at the line of ch when it is out of order or malformed (no
 * change, or a fixed field given or taken away); INV_OK else. */
static int field_line_ok(rd *ch, const inv__fline *f, const char *k, size_t kn, int kcov,
                         const char *field, char last[72], int *last_cov, int *lines,
                         inv_err *e)
{
    if (last[0] && inv__field_cmp_cov(last, strlen(last), *last_cov, k, kn, kcov) >= 0)
        return rd_bad(ch, e, "the field lines of a modification are out of order");
    snprintf(last, 72, "%s", field);
    *last_cov = kcov;
    (*lines)++;
    int fixed = inv__field_cmp_cov(k, kn, kcov, "name", 4, 0) <= 0;
    if ((fixed && (!f->old || !f->nw)) || (!f->old && !f->nw) ||
        (f->old && f->nw && f->olen == f->nlen && !memcmp(f->old, f->nw, f->olen)))
        return rd_bad(ch, e, "malformed field line");
    return INV_OK;
}

/* A modification's new value f->nw (NULL: the field removed) of field of
 * item id against version N's block, which holds the field (inq) with value
 * cv: INV_FAIL (message in e) naming both when they differ; INV_OK else. */
static int new_value_ok(long long version, const inv__fline *f, int inq, const char *cv,
                        size_t cvn, const char *field, const char *id, inv_err *e)
{
    char a[SHOW_MAX + 8], b[SHOW_MAX + 8];
    if (f->nw && !inq) {
        show(a, sizeof a, f->nw, f->nlen);
        return inv_fail(e, INV_FAIL, "version %lld changes %s of %s to \"%s\", but lists "
                        "%s without %s", version, field, id, a, id, field);
    }
    if (!f->nw && inq) {
        show(b, sizeof b, cv, cvn);
        return inv_fail(e, INV_FAIL, "version %lld removes %s from %s, but still lists %s "
                        "with %s \"%s\"", version, field, id, id, field, b);
    }
    if (f->nw && !same_value(f->nw, f->nlen, cv, cvn)) {
        show(a, sizeof a, f->nw, f->nlen);
        show(b, sizeof b, cv, cvn);
        return inv_fail(e, INV_FAIL, "version %lld changes %s of %s to \"%s\", but lists "
                        "%s with %s \"%s\"", version, field, id, a, id, field, b);
    }
    return INV_OK;
}

typedef struct walk {
    long long pv, cv;   /* version numbers, for messages */
    rd ch, pi, ci;      /* cur's changes, prev's items, cur's items */
    idv chg, pid, cid;  /* current change, prev item, cur item */
    idv last;           /* the previous id of a stream, for its order */
    char op;            /* the current change: '+', '-', '~', 0 none */
    inv_buf reason;     /* of a removal, as written */
    inv_err *e;
    int fmt;            /* the format of version N (1, 2) */
    int p1;             /* N-1 is scope-register/1 and N /2: N-1's blocks read as having
                         * "services: none (kind default)" and "sla: none (kind default)" */
    tlist tchg, tpi, tci; /* /2: N's term changes, N-1's and N's term blocks */
    int fstate;         /* inv__fline_cov's state over the current modification */
    int64_t fline;      /* the change line fcov is about */
    int fcov;           /* whether it is a coverage line */
} walk;

/* Whether the modification's field line f, the current line of w->ch, is
 * a coverage line (inv__fline_cov, worked out once per line); -1 when
 * memory ran out. */
static int ch_cov(walk *w, const inv__fline *f)
{
    if (w->fline != w->ch.lineno) {
        w->fline = w->ch.lineno;
        w->fcov = w->fmt == 2 ? inv__fline_cov(f, &w->fstate) : 0;
    }
    return w->fcov;
}

/* The value /1 blocks are read as having for each coverage line. */
static const char inherit_none[] = "none (kind default)";

/* Collects the field lines (indented) that follow into t's lines. */
static int collect_lines(rd *r, tent *t, int until_blank, inv_err *e)
{
    for (;;) {
        int rc = rd_peek(r, e);
        if (rc)
            return rc;
        if (!r->l)
            return rd_bad(r, e, "the document ends early");
        if (until_blank && !r->n) {
            rd_next(r);
            return INV_OK;
        }
        if (r->n < 2 || r->l[0] != ' ' || r->l[1] != ' ')
            return until_blank ? rd_bad(r, e, "expected a field line") : INV_OK;
        if (inv_buf_add(&t->lines, r->l, r->n) || inv_buf_add(&t->lines, "\n", 1))
            return inv_fail(e, INV_EIO, "out of memory");
        rd_next(r);
    }
}

/* Loads the next change entry (key lines skipped): w->op 0 at the end. */
static int next_change(walk *w)
{
    rd *r = &w->ch;
    inv_err *e = w->e;
    for (;;) {
        int rc = rd_peek(r, e);
        if (rc)
            return rc;
        if (!r->l)
            return rd_bad(r, e, "the document ends in its changes");
        if (!r->n) { /* end of the changes: leave the blank line */
            w->op = 0;
            w->chg.set = 0;
            return INV_OK;
        }
        if (r->n >= 4 && !memcmp(r->l, "key ", 4)) {
            rd_next(r);
            continue;
        }
        char top;
        size_t toff;
        int type = w->fmt == 2 ? term_head(r->l, r->n, ' ', &top, &toff) : -1;
        if (type >= 0) {
            tent *t = tlist_add(&w->tchg, type, top, r->l + toff, r->n - toff);
            if (!t)
                return inv_fail(e, INV_EIO, "out of memory");
            t->lineno = r->lineno;
            rd_next(r);
            if ((rc = collect_lines(r, t, 0, e)))
                return rc;
            continue;
        }
        if (r->n < 3 || r->l[1] != ' ' || !r->l[0] || !strchr("+-~", r->l[0]))
            return rd_bad(r, e, "expected a change");
        char op = r->l[0];
        int had = w->chg.set;
        if (had) {
            w->last.id.len = 0;
            if (inv_buf_add(&w->last.id, w->chg.id.data, w->chg.id.len) ||
                inv_buf_add(&w->last.id, "", 0))
                return inv_fail(e, INV_EIO, "out of memory");
        }
        if ((rc = id_set(&w->chg, r, r->l + 2, r->n - 2, e)))
            return rc;
        if (had && strcmp(w->last.id.data, w->chg.id.data) >= 0)
            return rd_bad(r, e, "the changes are not in id order");
        rd_next(r);
        w->op = op;
        if (op == '-') {
            if ((rc = rd_peek(r, e)))
                return rc;
            if (!r->l || r->n < 9 || memcmp(r->l, "  reason:", 9) ||
                (r->n > 9 && (r->n == 10 || r->l[9] != ' ')))
                return rd_bad(r, e, "a removal without its reason line");
            w->reason.len = 0;
            size_t off = r->n > 9 ? 10 : 9;
            if (inv_buf_add(&w->reason, r->l + off, r->n - off) ||
                inv_buf_add(&w->reason, "", 0))
                return inv_fail(e, INV_EIO, "out of memory");
            rd_next(r);
        }
        return INV_OK;
    }
}

/* Loads the next item id of an items stream (its "item:" line consumed),
 * or clears d at "end of scope document" (consumed, then nothing after). */
static int next_item(walk *w, rd *r, idv *d)
{
    inv_err *e = w->e;
    int rc = rd_peek(r, e);
    if (rc)
        return rc;
    if (!r->l)
        return rd_bad(r, e, "the document ends early");
    if (r->n == 21 && !memcmp(r->l, "end of scope document", 21)) {
        rd_next(r);
        d->set = 0;
        if ((rc = rd_peek(r, e)))
            return rc;
        if (r->l)
            return rd_bad(r, e, "data after 'end of scope document'");
        return INV_OK;
    }
    char top;
    size_t off;
    int type = term_head(r->l, r->n, ':', &top, &off);
    if (type >= 0 && !d->set) {
        /* a /2 section block, before the items */
        tent *t = tlist_add(r == &w->pi ? &w->tpi : &w->tci, type, 0, r->l + off, r->n - off);
        if (!t)
            return inv_fail(e, INV_EIO, "out of memory");
        t->lineno = r->lineno;
        rd_next(r);
        if ((rc = collect_lines(r, t, 1, e)))
            return rc;
        return next_item(w, r, d);
    }
    if (r->n < 7 || memcmp(r->l, "item: ", 6))
        return rd_bad(r, e, "expected 'item: ID'");
    int had = d->set;
    if (had) {
        w->last.id.len = 0;
        if (inv_buf_add(&w->last.id, d->id.data, d->id.len) || inv_buf_add(&w->last.id, "", 0))
            return inv_fail(e, INV_EIO, "out of memory");
    }
    if ((rc = id_set(d, r, r->l + 6, r->n - 6, e)))
        return rc;
    if (had && strcmp(w->last.id.data, d->id.data) >= 0)
        return rd_bad(r, e, "the items are not in id order");
    rd_next(r);
    r->bline = 0;
    return INV_OK;
}

/* Consumes the rest of an item block, its blank line included. */
static int skip_block(walk *w, rd *r)
{
    for (;;) {
        int rc = rd_peek(r, w->e);
        if (rc)
            return rc;
        if (!r->l)
            return rd_bad(r, w->e, "the document ends inside an item");
        rd_next(r);
        if (!r->n)
            return INV_OK;
    }
}

/* An item's field line "  KEY: VALUE" / "  KEY:": its key and value. */
static int item_field(rd *r, const char **k, size_t *kn, const char **v, size_t *vn,
                      inv_err *e)
{
    const char *l = r->l;
    size_t n = r->n;
    const char *colon = n > 2 ? memchr(l + 2, ':', n - 2) : NULL;
    if (n < 4 || l[0] != ' ' || l[1] != ' ' || !colon || colon == l + 2)
        return rd_bad(r, e, "expected an item's field line");
    *k = l + 2;
    *kn = (size_t)(colon - l) - 2;
    size_t rest = n - (size_t)(colon - l) - 1;
    if (rest == 0) {
        *v = colon + 1;
        *vn = 0;
    } else if (rest >= 2 && colon[1] == ' ') {
        *v = colon + 2;
        *vn = rest - 1;
    } else {
        return rd_bad(r, e, "expected an item's field line");
    }
    return INV_OK;
}

/* Item blocks that no change names: byte-identical, line by line. */
static int same_block(walk *w)
{
    rd *p = &w->pi, *c = &w->ci;
    inv_err *e = w->e;
    for (;;) {
        int rc = rd_peek(p, e);
        if (!rc)
            rc = rd_peek(c, e);
        if (rc)
            return rc;
        if (!p->l || !c->l)
            return rd_bad(p->l ? c : p, e, "the document ends inside an item");
        if (!p->n && !c->n) {
            rd_next(p);
            rd_next(c);
            return INV_OK;
        }
        if (p->n == c->n && !memcmp(p->l, c->l, p->n) && at_cov(p) == at_cov(c)) {
            rd_next(p);
            rd_next(c);
            continue;
        }
        /* which field differs */
        const char *pk = NULL, *ck = NULL, *pv = NULL, *cv = NULL;
        size_t pkn = 0, ckn = 0, pvn = 0, cvn = 0;
        if (p->n && (rc = item_field(p, &pk, &pkn, &pv, &pvn, e)))
            return rc;
        if (c->n && (rc = item_field(c, &ck, &ckn, &cv, &cvn, e)))
            return rc;
        int cmp = !pk ? 1 : !ck ? -1 : inv__field_cmp_cov(pk, pkn, at_cov(p), ck, ckn, at_cov(c));
        if (w->p1 && cmp > 0 && at_cov(c) && cvn == sizeof inherit_none - 1 &&
            !memcmp(cv, inherit_none, cvn)) {
            rd_next(c); /* a /1 block reads as having it */
            continue;
        }
        char a[SHOW_MAX + 8], b[SHOW_MAX + 8];
        if (cmp == 0) {
            show(a, sizeof a, pv, pvn);
            show(b, sizeof b, cv, cvn);
            return inv_fail(e, INV_FAIL, "version %lld: the %.*s of item %s is \"%s\" in version "
                            "%lld and \"%s\" in version %lld, but version %lld records no "
                            "change of %s", w->cv, (int)pkn, pk, w->cid.raw.data, a, w->pv, b,
                            w->cv, w->cv, w->cid.raw.data);
        }
        if (cmp < 0)
            return inv_fail(e, INV_FAIL, "version %lld: item %s has %.*s in version %lld and "
                            "not in version %lld, but version %lld records no change of %s",
                            w->cv, w->cid.raw.data, (int)pkn, pk, w->pv, w->cv, w->cv,
                            w->cid.raw.data);
        return inv_fail(e, INV_FAIL, "version %lld: item %s has %.*s in version %lld and not "
                        "in version %lld, but version %lld records no change of %s",
                        w->cv, w->cid.raw.data, (int)ckn, ck, w->cv, w->pv, w->cv,
                        w->cid.raw.data);
    }
}

/* A modification: N-1's block, N's block and the field lines of the
 * change merged by field; every field either unchanged and equal, or
 * named by a field line whose old value is N-1's and new value N's. */
static int modified_block(walk *w)
{
    rd *ch = &w->ch, *p = &w->pi, *c = &w->ci;
    inv_err *e = w->e;
    const char *id = w->cid.raw.data;
    int lines = 0, last_cov = 0;
    char last[72] = "";
    w->fstate = 0;
    for (;;) {
        inv__fline f;
        int p_virtual = 0;
        int hf, rc = peek_lines(ch, p, c, &f, &hf, e);
        if (rc)
            return rc;
        const char *pk = NULL, *ck = NULL, *pv = NULL, *cv = NULL;
        size_t pkn = 0, ckn = 0, pvn = 0, cvn = 0;
        if (p->n && (rc = item_field(p, &pk, &pkn, &pv, &pvn, e)))
            return rc;
        if (c->n && (rc = item_field(c, &ck, &ckn, &cv, &cvn, e)))
            return rc;
        if (!hf && !pk && !ck)
            break;
        /* the smallest field of the three (a coverage line and an
         * attribute of the same name are two fields) */
        const char *k = NULL;
        size_t kn = 0;
        int fc = hf ? ch_cov(w, &f) : 0, pc = at_cov(p), cc = at_cov(c), kc = 0;
        if (fc < 0)
            return inv_fail(e, INV_EIO, "out of memory");
        if (hf)
            k = f.key, kn = f.klen, kc = fc;
        if (pk && (!k || inv__field_cmp_cov(pk, pkn, pc, k, kn, kc) < 0))
            k = pk, kn = pkn, kc = pc;
        if (ck && (!k || inv__field_cmp_cov(ck, ckn, cc, k, kn, kc) < 0))
            k = ck, kn = ckn, kc = cc;
        int inc = hf && !inv__field_cmp_cov(f.key, f.klen, fc, k, kn, kc);
        int inp = pk && !inv__field_cmp_cov(pk, pkn, pc, k, kn, kc);
        int inq = ck && !inv__field_cmp_cov(ck, ckn, cc, k, kn, kc);
        if (w->p1 && !inp && kc) {
            /* a /1 block reads as having "none (kind default)" */
            inp = 1;
            pk = k;
            pkn = kn;
            pv = inherit_none;
            pvn = sizeof inherit_none - 1;
            p_virtual = 1;
        }
        char field[72], a[SHOW_MAX + 8], b[SHOW_MAX + 8];
        snprintf(field, sizeof field, "%.*s", (int)(kn < 64 ? kn : 64), k);
        if (inc) {
            if ((rc = field_line_ok(ch, &f, k, kn, kc, field, last, &last_cov, &lines, e)))
                return rc;
            if (f.old && !inp) {
                show(a, sizeof a, f.old, f.olen);
                return inv_fail(e, INV_FAIL, "version %lld changes %s of %s from \"%s\", but "
                                "version %lld has no %s for %s", w->cv, field, id, a, w->pv,
                                field, id);
            }
            if (!f.old && inp) {
                show(b, sizeof b, pv, pvn);
                return inv_fail(e, INV_FAIL, "version %lld adds %s to %s, but version %lld "
                                "already has %s \"%s\"", w->cv, field, id, w->pv, field, b);
            }
            if (f.old && !same_value(f.old, f.olen, pv, pvn)) {
                show(a, sizeof a, f.old, f.olen);
                show(b, sizeof b, pv, pvn);
                return inv_fail(e, INV_FAIL, "version %lld changes %s of %s from \"%s\", but "
                                "version %lld has \"%s\"", w->cv, field, id, a, w->pv, b);
            }
            if ((rc = new_value_ok(w->cv, &f, inq, cv, cvn, field, id, e)))
                return rc;
        } else if (!inp || !inq) {
            show(a, sizeof a, inp ? pv : cv, inp ? pvn : cvn);
            return inv_fail(e, INV_FAIL, "version %lld: item %s has %s \"%s\" in version %lld "
                            "and no %s in version %lld, but the modification of %s in version "
                            "%lld does not name %s", w->cv, id, field, a, inp ? w->pv : w->cv,
                            field, inp ? w->cv : w->pv, id, w->cv, field);
        } else if (pvn != cvn || memcmp(pv, cv, pvn)) {
            show(a, sizeof a, pv, pvn);
            show(b, sizeof b, cv, cvn);
            return inv_fail(e, INV_FAIL, "version %lld: the %s of item %s is \"%s\" in version "
                            "%lld and \"%s\" in version %lld, but the modification of %s in "
                            "version %lld does not name %s", w->cv, field, id, a, w->pv, b,
                            w->cv, id, w->cv, field);
        }
        if (inc)
            rd_next(ch);
        if (inp && !p_virtual)
            rd_next(p);
        if (inq)
            rd_next(c);
    }
    if (!lines)
        return rd_bad(ch, e, "a modification without field lines");
    rd_next(p); /* the blank lines that end both blocks */
    rd_next(c);
    return INV_OK;
}

/* The change w->op of w->chg against whether version N lists the item
 * (inq): INV_FAIL (message in w->e) when an addition or a modification is
 * not listed or a removal still is; INV_OK else. Nothing to free. */
static int listed_as_changed(walk *w, int inq)
{
    inv_err *e = w->e;
    if (w->op == '+' && !inq)
        return inv_fail(e, INV_FAIL, "version %lld adds %s but does not list it", w->cv,
                        w->chg.raw.data);
    if (w->op == '-' && inq) {
        char r[SHOW_MAX + 8];
        show(r, sizeof r, w->reason.data, w->reason.len);
        return inv_fail(e, INV_FAIL, "version %lld removes %s (reason: %s) but still lists "
                        "it", w->cv, w->chg.raw.data, r);
    }
    if (w->op == '~' && !inq)
        return inv_fail(e, INV_FAIL, "version %lld modifies %s but does not list it", w->cv,
                        w->chg.raw.data);
    return INV_OK;
}

/* One id of the merge: what N's changes say of it against the two
 * lists. inc: N has a change of it (w->op); inp/inq: listed in N-1 / in
 * N. */
static int one_id(walk *w, int inc, int inp, int inq)
{
    inv_err *e = w->e;
    int rc;
    switch (inc ? w->op : 0) {
    case 0:
        if (inp && inq)
            return same_block(w);
        if (inp)
            return inv_fail(e, INV_FAIL, "version %lld: item %s is listed in version %lld and "
                            "absent from version %lld, but version %lld records no change of %s",
                            w->cv, w->pid.raw.data, w->pv, w->cv, w->cv, w->pid.raw.data);
        return inv_fail(e, INV_FAIL, "version %lld: item %s is absent from version %lld and "
                        "listed in version %lld, but version %lld records no addition of %s",
                        w->cv, w->cid.raw.data, w->pv, w->cv, w->cv, w->cid.raw.data);
    case '+':
        if (inp)
            return inv_fail(e, INV_FAIL, "version %lld adds %s, but version %lld already "
                            "lists it", w->cv, w->chg.raw.data, w->pv);
        if ((rc = listed_as_changed(w, inq)))
            return rc;
        return skip_block(w, &w->ci);
    case '-':
        if ((rc = listed_as_changed(w, inq)))
            return rc;
        if (!inp)
            return inv_fail(e, INV_FAIL, "version %lld removes %s, but version %lld does not "
                            "list it", w->cv, w->chg.raw.data, w->pv);
        return skip_block(w, &w->pi);
    default: /* '~' */
        if (!inp)
            return inv_fail(e, INV_FAIL, "version %lld modifies %s, but version %lld does not "
                            "list it", w->cv, w->chg.raw.data, w->pv);
        if ((rc = listed_as_changed(w, inq)))
            return rc;
        return modified_block(w);
    }
}

/* The header fields of cur against prev's. */
static int header_follows(const inv_doc *prev, const inv_doc *cur, inv_err *e)
{
    long long pv = (long long)prev->version, cv = (long long)cur->version;
    char a[SHOW_MAX + 8], b[SHOW_MAX + 8];
    if (strcmp(cur->register_id, prev->register_id))
        return inv_fail(e, INV_FAIL, "version %lld belongs to register %s, version %lld to "
                        "register %s", cv, cur->register_id, pv, prev->register_id);
    if (cur->version != prev->version + 1)
        return inv_fail(e, INV_FAIL, "version %lld does not follow version %lld: only version "
                        "%lld can", cv, pv, pv + 1);
    if (strcmp(cur->contract ? cur->contract : "", prev->contract ? prev->contract : "")) {
        show_text(a, sizeof a, cur->contract);
        show_text(b, sizeof b, prev->contract);
        return inv_fail(e, INV_FAIL, "version %lld names contract \"%s\", version %lld \"%s\": "
                        "the contract of a register never changes", cv, a, pv, b);
    }
    for (int r = 0; r < 2; r++) {
        if (!strcmp(cur->party[r] ? cur->party[r] : "", prev->party[r] ? prev->party[r] : ""))
            continue;
        show_text(a, sizeof a, cur->party[r]);
        show_text(b, sizeof b, prev->party[r]);
        return inv_fail(e, INV_FAIL, "version %lld names the %s \"%s\", version %lld \"%s\": "
                        "the parties of a register never change", cv, inv_roles[r], a, pv, b);
    }
    if (strcmp(cur->previous, prev->doc_hash))
        return inv_fail(e, INV_FAIL, "version %lld: its previous: field (%s) is not the hash "
                        "of version %lld (%s)", cv, cur->previous[0] ? cur->previous : "none",
                        pv, prev->doc_hash);
    if (cur->date < prev->date) {
        inv_time_format(cur->date, a, sizeof a);
        inv_time_format(prev->date, b, sizeof b);
        return inv_fail(e, INV_FAIL, "version %lld is dated %s, before version %lld (%s)", cv,
                        a, pv, b);
    }
    for (int r = 0; r < 2; r++) {
        const char *role = inv_roles[r], *other = inv_roles[1 - r];
        if (!strcmp(cur->key[r], cur->key[1 - r]))
            return inv_fail(e, INV_FAIL, "version %lld names the same key %s for both parties",
                            cv, cur->key[r]);
        if (cur->old_key[r][0]) {
            if (strcmp(cur->old_key[r], prev->key[r]))
                return inv_fail(e, INV_FAIL, "version %lld replaces the %s's key %s, but the "
                                "%s's key of version %lld is %s", cv, role, cur->old_key[r],
                                role, pv, prev->key[r]);
            if (!strcmp(cur->key[r], prev->key[1 - r]))
                return inv_fail(e, INV_FAIL, "version %lld gives the %s the key %s, the %s's "
                                "key of version %lld: each party signs with its own key", cv,
                                role, cur->key[r], other, pv);
        } else if (strcmp(cur->key[r], prev->key[r])) {
            return inv_fail(e, INV_FAIL, "version %lld names the %s's key %s, version %lld %s, "
                            "and version %lld records no key change for the %s", cv, role,
                            cur->key[r], pv, prev->key[r], cv, role);
        }
    }
    return INV_OK;
}

/* Opens a document for reading: a regular file (a FIFO or a device is
 * never opened, so never blocks or acts) of the size inv_doc_read saw. */
static int open_doc(const char *path, const inv_doc *d, int *fd, inv_err *e)
{
    struct stat sb;
    *fd = -1;
    if (stat(path, &sb) != 0)
        return inv_fail(e, errno == ENOENT || errno == EACCES || errno == ENOTDIR ? INV_EINPUT
                                                                                   : INV_EIO,
                        "%s: cannot be read: %s", path, strerror(errno));
    if (!S_ISREG(sb.st_mode))
        return inv_fail(e, INV_EINPUT, "%s: not a regular file", path);
    *fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (*fd < 0)
        return inv_fail(e, errno == ENOENT || errno == EACCES ? INV_EINPUT : INV_EIO,
                        "%s: cannot be read: %s", path, strerror(errno));
    if (fstat(*fd, &sb) != 0) {
        int err = errno;
        close(*fd);
        *fd = -1;
        return inv_fail(e, INV_EIO, "%s: %s", path, strerror(err));
    }
    if (!S_ISREG(sb.st_mode) || (uint64_t)sb.st_size != d->size) {
        close(*fd);
        *fd = -1;
        return inv_fail(e, INV_EINPUT, S_ISREG(sb.st_mode) ? "%s: not the scope document read "
                        "before (its size changed)" : "%s: not a regular file", path);
    }
    return INV_OK;
}

/* Whether the bytes hashed are those inv_doc_read hashed. */
static int hash_same(cr_hash *h, const inv_doc *d, const char *path, inv_err *e)
{
    unsigned char raw[CR_HASH_BYTES];
    char hex[CR_HASH_STR_LEN];
    cr_hash_final(h, raw);
    memcpy(hex, CR_HASH_PREFIX, sizeof CR_HASH_PREFIX - 1);
    cr_hex(hex + sizeof CR_HASH_PREFIX - 1, raw, sizeof raw);
    if (strcmp(hex, d->doc_hash))
        return inv_fail(e, INV_EINPUT, "%s changed while it was being checked: check it again",
                        path);
    return INV_OK;
}

/* Moves w->ch past the header to its 'changes: N' line and past that line.
 * Fails INV_EINPUT (message in *e) on another line, as rd_peek on a read error. */
static int to_changes(walk *w, inv_err *e)
{
    int rc;
    if ((rc = rd_skip_blanks(&w->ch, 1, e)) || (rc = rd_peek(&w->ch, e)))
        return rc;
    if (!w->ch.l || w->ch.n < 9 || memcmp(w->ch.l, "changes: ", 9))
        return rd_bad(&w->ch, e, "expected 'changes: N'");
    rd_next(&w->ch);
    return INV_OK;
}

/* Ends a walk that returned rc: unless rc is INV_EIO, reads the rest of prev's items (when
 * ph is not NULL) and of cur's items into their hashes and checks them against prev and
 * cur, a failure there (message in *e) replacing rc; then frees what the walk holds (not
 * its file descriptors, the caller's). Returns the walk's result. */
static int walk_end(walk *w, int rc, cr_hash *ph, const inv_doc *prev, const char *prev_path,
                    cr_hash *ch, const inv_doc *cur, const char *cur_path, inv_err *e)
{
    if ((!ph || w->pi.buf) && w->ci.buf && rc != INV_EIO) {
        /* whatever the verdict, it holds only for the bytes read before */
        inv_err sub;
        int drc = ph ? rd_drain(&w->pi, &sub) : INV_OK;
        if (!drc)
            drc = rd_drain(&w->ci, &sub);
        if (!drc && ph)
            drc = hash_same(ph, prev, prev_path, &sub);
        if (!drc)
            drc = hash_same(ch, cur, cur_path, &sub);
        if (drc) {
            if (e)
                *e = sub;
            rc = drc;
        }
    }
    rd_free(&w->ch);
    rd_free(&w->pi);
    rd_free(&w->ci);
    id_free(&w->chg);
    id_free(&w->pid);
    id_free(&w->cid);
    id_free(&w->last);
    inv_buf_free(&w->reason);
    tlist_free(&w->tchg);
    tlist_free(&w->tpi);
    tlist_free(&w->tci);
    return rc;
}

int inv_doc_follows(const char *prev_path, const inv_doc *prev, const char *cur_path,
                    const inv_doc *cur, inv_err *e)
{
    int rc = header_follows(prev, cur, e);
    if (rc)
        return rc;
    walk w;
    memset(&w, 0, sizeof w);
    w.pv = (long long)prev->version;
    w.cv = (long long)cur->version;
    w.e = e;
    w.fmt = cur->format;
    w.p1 = prev->format < 2 && cur->format == 2;
    int pfd = -1, cfd = -1;
    if (prev->format == 2 && cur->format < 2) {
        rc = inv_fail(e, INV_FAIL, "version %lld is a scope-register/1 document but version "
                      "%lld is scope-register/2: a register never goes back", w.cv, w.pv);
        goto out;
    }
    cr_hash ph, chh;
    cr_hash_init(&ph);
    cr_hash_init(&chh);
    if ((rc = open_doc(prev_path, prev, &pfd, e)) || (rc = open_doc(cur_path, cur, &cfd, e)))
        goto out;
    if ((rc = rd_init(&w.pi, pfd, prev_path, &ph, e)) ||
        (rc = rd_init(&w.ci, cfd, cur_path, &chh, e)) ||
        (rc = rd_init(&w.ch, cfd, cur_path, NULL, e)))
        goto out;
    w.pi.covfmt = prev->format == 2;
    w.ci.covfmt = cur->format == 2;
    /* to the changes of cur, to the items of both */
    if ((rc = to_changes(&w, e)))
        goto out;
    if ((rc = rd_skip_blanks(&w.pi, 2, e)) || (rc = rd_skip_blanks(&w.ci, 2, e)))
        goto out;
    if ((rc = next_change(&w)) || (rc = next_item(&w, &w.pi, &w.pid)) ||
        (rc = next_item(&w, &w.ci, &w.cid)))
        goto out;
    /* every term entry and block is read by now: they come first */
    if (w.fmt == 2 && (rc = terms_follow(w.pv, w.cv, &w.tpi, &w.tci, &w.tchg, 0, e)))
        goto out;
    while (w.op || w.pid.set || w.cid.set) {
        const idv *m = NULL;
        if (w.op)
            m = &w.chg;
        if (w.pid.set && (!m || id_cmp(&w.pid, m) < 0))
            m = &w.pid;
        if (w.cid.set && (!m || id_cmp(&w.cid, m) < 0))
            m = &w.cid;
        const char *id = m->id.data;
        int inc = w.op && !strcmp(w.chg.id.data, id);
        int inp = w.pid.set && !strcmp(w.pid.id.data, id);
        int inq = w.cid.set && !strcmp(w.cid.id.data, id);
        /* one_id consumes the blocks it accepts (and a modification's
         * field lines); then each stream that held this id moves on */
        if ((rc = one_id(&w, inc, inp, inq)) || (inc && (rc = next_change(&w))) ||
            (inp && (rc = next_item(&w, &w.pi, &w.pid))) ||
            (inq && (rc = next_item(&w, &w.ci, &w.cid))))
            goto out;
    }
out:
    rc = walk_end(&w, rc, &ph, prev, prev_path, &chh, cur, cur_path, e);
    if (pfd >= 0)
        close(pfd);
    if (cfd >= 0)
        close(cfd);
    return rc;
}

/* ---- a document against itself (inv_doc_self_check) ---- */

/* A modification's field lines against N's own block: each line's new
 * value is the item's value, (none) that the item lacks the field. The
 * old values need N-1 (inv_doc_follows). Consumes the field lines and
 * the item's block. */
static int modified_self(walk *w)
{
    rd *ch = &w->ch, *c = &w->ci;
    inv_err *e = w->e;
    const char *id = w->cid.raw.data;
    int lines = 0, last_cov = 0;
    char last[72] = "";
    w->fstate = 0;
    for (;;) {
        inv__fline f;
        int hf, rc = peek_lines(ch, NULL, c, &f, &hf, e);
        if (rc)
            return rc;
        const char *ck = NULL, *cv = NULL;
        size_t ckn = 0, cvn = 0;
        if (c->n && (rc = item_field(c, &ck, &ckn, &cv, &cvn, e)))
            return rc;
        if (!hf && !ck)
            break;
        int fc = hf ? ch_cov(w, &f) : 0;
        if (fc < 0)
            return inv_fail(e, INV_EIO, "out of memory");
        int cmp = !hf ? 1 : !ck ? -1 : inv__field_cmp_cov(f.key, f.klen, fc, ck, ckn, at_cov(c));
        if (cmp > 0) { /* a field of the item no line names */
            rd_next(c);
            continue;
        }
        char field[72];
        snprintf(field, sizeof field, "%.*s", (int)(f.klen < 64 ? f.klen : 64), f.key);
        if ((rc = field_line_ok(ch, &f, f.key, f.klen, fc, field, last, &last_cov, &lines, e)) ||
            (rc = new_value_ok(w->cv, &f, cmp == 0, cv, cvn, field, id, e)))
            return rc;
        rd_next(ch);
        if (cmp == 0)
            rd_next(c);
    }
    if (!lines)
        return rd_bad(ch, e, "a modification without field lines");
    rd_next(c); /* the blank line that ends the block */
    return INV_OK;
}

/* One id of the self merge. inc: a change of it (w->op); inq: listed. */
static int self_id(walk *w, int inc, int inq)
{
    inv_err *e = w->e;
    int rc;
    if (w->cv == 1 && (!inc || w->op != '+')) {
        const char *id = inc ? w->chg.raw.data : w->cid.raw.data;
        if (!inc)
            return inv_fail(e, INV_FAIL, "version 1 lists item %s but its changes do not add "
                            "it: version 1's changes add every item it lists, and only those",
                            id);
        return inv_fail(e, INV_FAIL, "version 1 %s %s: version 1's changes only add items",
                        w->op == '-' ? INV_("removes") : INV_("modifies"), id);
    }
    switch (inc ? w->op : 0) {
    case 0:
        return skip_block(w, &w->ci);
    case '+':
        if ((rc = listed_as_changed(w, inq)))
            return rc;
        return skip_block(w, &w->ci);
    case '-':
        return listed_as_changed(w, inq);
    default: /* '~' */
        if ((rc = listed_as_changed(w, inq)))
            return rc;
        return modified_self(w);
    }
}

/* ---- a /2 document's terms and coverage against its own sections ---- */

/* Appends the n bytes at s, as written, unescaped (\\ \n \t) to b. -1 when
 * out of memory. */
static int add_unescaped(inv_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\\' && i + 1 < n) {
            c = s[++i];
            c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
        }
        if (inv_buf_add(b, &c, 1))
            return -1;
    }
    return 0;
}

/* Each term block of version N decoded as the register decodes a term row
 * (inv_term_decode: ids, fields in order, canonical values), so that a
 * document holds no value input or a register would refuse. INV_FAIL
 * naming the version, the line and the term; INV_EIO out of memory. */
static int terms_valid(walk *w)
{
    inv_err *e = w->e;
    inv_buf body = {0}, id = {0};
    inv_term t;
    inv_term_init(&t);
    int rc = INV_OK;
    for (size_t i = 0; !rc && i < w->tci.n; i++) {
        const tent *C = &w->tci.v[i];
        body.len = id.len = 0;
        int oom = add_unescaped(&id, C->id.data, C->id.len) || inv_buf_add(&id, "", 0) ||
                  inv_buf_add(&body, "", 0);
        for (const char *p = C->lines.data, *end = p + C->lines.len; !oom && p < end;) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            const char *colon = memchr(p, ':', (size_t)(nl - p));
            if (!colon || colon < p + 2)
                colon = nl; /* inv_doc_read let no such line through */
            const char *v = colon + (colon + 1 < nl ? 2 : 1);
            char sep[2] = {INV_KEY_SEP, INV_ATTR_SEP};
            oom = inv_buf_add(&body, p + 2, (size_t)(colon - p - 2)) ||
                  inv_buf_add(&body, &sep[0], 1) ||
                  add_unescaped(&body, v, v < nl ? (size_t)(nl - v) : 0) ||
                  inv_buf_add(&body, &sep[1], 1);
            p = nl + 1;
        }
        inv_err sub;
        int drc = oom ? INV_EIO
                      : inv_term_decode(&t, C->type, id.data, body.data, body.len, &sub);
        if (drc == INV_EIO)
            rc = inv_fail(e, INV_EIO, "out of memory");
        else if (drc)
            rc = inv_fail(e, INV_FAIL, "version %lld: line %lld: %s (docs/FORMAT.md gives the "
                          "form of each field)", w->cv, (long long)C->lineno, sub.msg);
    }
    inv_term_free(&t);
    inv_buf_free(&body);
    inv_buf_free(&id);
    return rc;
}

/* What a list or class names, checked against the sections of the
 * document: whose (an item, a default) and the line, for the message. */
typedef struct refs {
    walk *w;
    long long line;
    const char *whose;
    int type; /* INV_TERM_SERVICE or INV_TERM_CLASS */
} refs;

static int ref_known(void *ctx, const char *id, size_t n)
{
    refs *x = ctx;
    inv_buf b = {0};
    if (inv_buf_add(&b, id, n) || inv_buf_add(&b, "", 0)) {
        inv_buf_free(&b);
        return inv_fail(x->w->e, INV_EIO, "out of memory");
    }
    b.len = n;
    int known = tlist_seek(&x->w->tci, x->type, &b) != NULL;
    int rc = known ? INV_OK
             : x->type == INV_TERM_SERVICE
                 ? inv_fail(x->w->e, INV_FAIL, "version %lld: line %lld: %s names service %s, "
                            "which the document does not define (no 'service: %s' block)",
                            x->w->cv, x->line, x->whose, b.data, b.data)
                 : inv_fail(x->w->e, INV_FAIL, "version %lld: line %lld: %s names class %s, "
                            "which the document does not define (no 'class: %s' block)",
                            x->w->cv, x->line, x->whose, b.data, b.data);
    inv_buf_free(&b);
    return rc;
}

/* The ids of value (n bytes, a canonical services list or a class id or
 * "none"; key "services" or "sla") against the document's sections. */
static int refs_known(walk *w, const char *key, const char *value, size_t n, long long line,
                      const char *whose)
{
    inv_buf b = {0};
    if (inv_buf_add(&b, value, n) || inv_buf_add(&b, "", 0)) {
        inv_buf_free(&b);
        return inv_fail(w->e, INV_EIO, "out of memory");
    }
    refs x = {w, line, whose, strcmp(key, "sla") ? INV_TERM_SERVICE : INV_TERM_CLASS};
    int rc = x.type == INV_TERM_SERVICE ? inv_service_list_walk(b.data, ref_known, &x)
             : strcmp(b.data, INV_COV_NONE) ? ref_known(&x, b.data, n)
                                            : INV_OK;
    inv_buf_free(&b);
    return rc;
}

/* One coverage line of an item block (key "services" or "sla", value v as
 * written, at line) against the document: an inherited part is the
 * default of the item's kind (none when the document has no default of
 * it), and every id it names is defined. */
static int cov_line_ok(walk *w, const idv *item, const char *kind, size_t kindn,
                       const char *key, const char *v, size_t vn, long long line)
{
    inv_err *e = w->e, sub;
    inv_buf b = {0}, k = {0};
    const char *list;
    size_t ln;
    int own, rc = INV_OK;
    if (inv_buf_add(&b, v, vn) || inv_buf_add(&b, "", 0) || inv_buf_add(&k, kind, kindn)) {
        rc = inv_fail(e, INV_EIO, "out of memory");
        goto out;
    }
    if ((rc = inv_cov_value_parse(key, b.data, &list, &ln, &own, &sub)) == INV_EIO) {
        rc = inv_fail(e, INV_EIO, "%s", sub.msg);
        goto out;
    }
    if (rc) {
        rc = inv_fail(e, INV_FAIL, "version %lld: line %lld: item %s: %s", w->cv, line,
                      item->raw.data, sub.msg);
        goto out;
    }
    if (!own) {
        tent *D = tlist_seek(&w->tci, INV_TERM_DEFAULT, &k);
        size_t dn = sizeof INV_COV_NONE - 1;
        const char *dv = D ? tfield(D, key, strlen(key), &dn) : INV_COV_NONE;
        if (!dv)
            dv = INV_COV_NONE, dn = sizeof INV_COV_NONE - 1;
        if (dn != ln || memcmp(dv, list, ln)) {
            char a[SHOW_MAX + 8], c[SHOW_MAX + 8];
            show(a, sizeof a, list, ln);
            show(c, sizeof c, dv, dn);
            rc = D ? inv_fail(e, INV_FAIL, "version %lld: line %lld: item %s records %s '%s' "
                              "from its kind's default, but the document's default of kind "
                              "%.*s is '%s'", w->cv, line, item->raw.data, key, a,
                              (int)kindn, kind, c)
                   : inv_fail(e, INV_FAIL, "version %lld: line %lld: item %s records %s '%s' "
                              "from its kind's default, but the document has no default of "
                              "kind %.*s (its line reads '%s: none (kind default)')", w->cv,
                              line, item->raw.data, key, a, (int)kindn, kind, key);
            goto out;
        }
    }
    char shown[SHOW_MAX + 8], whose[SHOW_MAX + 16];
    show(shown, sizeof shown, item->raw.data, item->raw.len);
    snprintf(whose, sizeof whose, INV_("item %s"), shown);
    rc = refs_known(w, key, list, ln, line, whose);
out:
    inv_buf_free(&b);
    inv_buf_free(&k);
    return rc;
}

/* Version N's coverage re-derived from its own sections: every default
 * names defined services and classes, and each item block's coverage
 * lines, the two right after kind: and name: (docs/FORMAT.md), agree
 * with its kind's default and name defined ids. A reader of its own over
 * the file (fd), one line at a time, hashed again; the terms are held
 * (w->tci). INV_FAIL naming the version, the line and the item or default;
 * INV_EINPUT when the file changed; INV_EIO on a read error. */
static int cov_self(walk *w, int fd, const char *path, const inv_doc *d)
{
    inv_err *e = w->e;
    int rc = INV_OK;
    for (size_t i = 0; !rc && i < w->tci.n; i++) {
        const tent *C = &w->tci.v[i];
        if (C->type != INV_TERM_DEFAULT)
            continue;
        char whose[64];
        snprintf(whose, sizeof whose, INV_("the default of kind %.32s"), C->id.data);
        for (int j = 0; !rc && j < 2; j++) {
            const char *key = j ? "sla" : "services";
            size_t vn;
            const char *v = tfield(C, key, strlen(key), &vn);
            if (v)
                rc = refs_known(w, key, v, vn, (long long)C->lineno + 1 + j, whose);
        }
    }
    if (rc)
        return rc;
    cr_hash h;
    cr_hash_init(&h);
    rd r;
    idv item;
    inv_buf kind = {0};
    memset(&item, 0, sizeof item);
    if ((rc = rd_init(&r, fd, path, &h, e)))
        return rc;
    rc = rd_skip_blanks(&r, 2, e);
    int at = -1; /* the field line of the item block, -1 outside one */
    while (!rc && !(rc = rd_peek(&r, e))) {
        if (!r.l) {
            rc = rd_bad(&r, e, "the document ends early");
            break;
        }
        if (at < 0) {
            if (r.n == 21 && !memcmp(r.l, "end of scope document", 21))
                break;
            if (r.n > 6 && !memcmp(r.l, "item: ", 6)) {
                if ((rc = id_set(&item, &r, r.l + 6, r.n - 6, e)))
                    break;
                at = 0;
            }
        } else if (!r.n) {
            at = -1;
        } else {
            const char *k, *v;
            size_t kn, vn;
            if ((rc = item_field(&r, &k, &kn, &v, &vn, e)))
                break;
            static const char *const want[4] = {"kind", NULL, "services", "sla"};
            if (at < 4 && want[at] &&
                (kn != strlen(want[at]) || memcmp(k, want[at], kn))) {
                rc = rd_bad(&r, e, "expected the lines kind:, name:, services:, sla: of an item");
                break;
            }
            if (at == 0) {
                kind.len = 0;
                if (inv_buf_add(&kind, v, vn) || inv_buf_add(&kind, "", 0)) {
                    rc = inv_fail(e, INV_EIO, "out of memory");
                    break;
                }
            } else if (at == 2 || at == 3) {
                const char *kd = kind.data ? kind.data : "";
                if ((rc = cov_line_ok(w, &item, kd, strlen(kd), want[at], v, vn,
                                      (long long)r.lineno)))
                    break;
            }
            at++;
        }
        rd_next(&r);
    }
    if (rc != INV_EIO) {
        /* the verdict holds only for the bytes inv_doc_read hashed */
        inv_err sub;
        int drc = rd_drain(&r, &sub);
        if (!drc)
            drc = hash_same(&h, d, path, &sub);
        if (drc) {
            *e = sub;
            rc = drc;
        }
    }
    rd_free(&r);
    id_free(&item);
    inv_buf_free(&kind);
    return rc;
}

int inv_doc_self_check(const char *path, const inv_doc *d, inv_err *e)
{
    walk w;
    memset(&w, 0, sizeof w);
    w.pv = (long long)d->version - 1;
    w.cv = (long long)d->version;
    w.e = e;
    w.fmt = d->format;
    int fd = -1, rc;
    cr_hash h;
    cr_hash_init(&h);
    if ((rc = open_doc(path, d, &fd, e)))
        goto out;
    if ((rc = rd_init(&w.ci, fd, path, &h, e)) || (rc = rd_init(&w.ch, fd, path, NULL, e)))
        goto out;
    w.ci.covfmt = d->format == 2;
    if ((rc = to_changes(&w, e)))
        goto out;
    if ((rc = rd_skip_blanks(&w.ci, 2, e)) || (rc = next_change(&w)) ||
        (rc = next_item(&w, &w.ci, &w.cid)))
        goto out;
    if (w.fmt == 2 && ((rc = terms_follow(w.pv, w.cv, NULL, &w.tci, &w.tchg, 1, e)) ||
                       (rc = terms_valid(&w)) || (rc = cov_self(&w, fd, path, d))))
        goto out;
    while (w.op || w.cid.set) {
        const idv *m = w.op ? &w.chg : &w.cid;
        if (w.op && w.cid.set && id_cmp(&w.cid, m) < 0)
            m = &w.cid;
        const char *id = m->id.data;
        int inc = w.op && !strcmp(w.chg.id.data, id);
        int inq = w.cid.set && !strcmp(w.cid.id.data, id);
        if ((rc = self_id(&w, inc, inq)) || (inc && (rc = next_change(&w))) ||
            (inq && (rc = next_item(&w, &w.ci, &w.cid))))
            goto out;
    }
out:
    rc = walk_end(&w, rc, NULL, NULL, NULL, &h, d, path, e);
    if (fd >= 0)
        close(fd);
    return rc;
}
