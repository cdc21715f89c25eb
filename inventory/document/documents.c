/*
 * documents.c - scope documents outside any register: reading a document
 * back (header, counts, digests) and checking a signature of it against a
 * public key. The public keys of a directory are in keyring.c, a directory
 * of exported documents (signatures and chain) is checked in folder.c.
 *
 * Reading is streamed: the bytes are hashed as they come and only the
 * current line is held, so a document of any size is read in bounded
 * memory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "document.h"
#include "document_int.h"
#include "docline.h"

#define LINE_MAX_BYTES INV__DOC_LINE_MAX
/* Longest field name: an attribute key is at most 64 characters. */
#define INV_FKEY_MAX 64

/* ---- small helpers ---- */

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* Unescapes \\ \n \t (docs/FORMAT.md); NULL with *bad set on any other
 * backslash sequence, NULL with *bad clear when out of memory. */
static char *unescape(const char *s, size_t n, int *bad)
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
        if (c == '\\')
            *o++ = '\\';
        else if (c == 'n')
            *o++ = '\n';
        else if (c == 't')
            *o++ = '\t';
        else {
            free(d);
            *bad = 1;
            return NULL;
        }
    }
    *o = '\0';
    return d;
}

/* Whether every backslash of s starts \\, \n or \t. */
static int escapes_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] == '\\') {
            if (i + 1 == n || (s[i + 1] != '\\' && s[i + 1] != 'n' && s[i + 1] != 't'))
                return 0;
            i++;
        }
    return 1;
}

static int all_of(const char *s, size_t n, const char *set)
{
    for (size_t i = 0; i < n; i++)
        if (!strchr(set, s[i]) || !s[i])
            return 0;
    return 1;
}

/* NUMBER: decimal, no sign, no leading zero, at most 18 digits. */
static int number(const char *s, size_t n, int64_t *out)
{
    if (n == 0 || n > 18 || !all_of(s, n, "0123456789") || (n > 1 && s[0] == '0'))
        return -1;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++)
        v = v * 10 + (s[i] - '0');
    *out = v;
    return 0;
}

static int keyid_ok(const char *s, size_t n)
{
    return n == CR_KEYID_HEX - 1 && all_of(s, n, "0123456789ABCDEF");
}

static int hash_ok(const char *s, size_t n)
{
    size_t p = sizeof CR_HASH_PREFIX - 1;
    return n == CR_HASH_STR_LEN - 1 && !memcmp(s, CR_HASH_PREFIX, p) &&
           all_of(s + p, n - p, "0123456789abcdef");
}

/* DATETIME: YYYY-MM-DDTHH:MM:SSZ exactly, and a real instant. */
static int datetime(const char *s, size_t n, int64_t *out)
{
    static const char pat[] = "dddd-dd-ddTdd:dd:ddZ";
    char buf[32];
    if (n != sizeof pat - 1)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i])
            return -1;
    memcpy(buf, s, n);
    buf[n] = '\0';
    if (inv_time_parse(buf, 0, out, NULL) != INV_OK)
        return -1;
    char back[32];
    inv_time_format(*out, back, sizeof back);
    return strcmp(back, buf) ? -1 : 0;
}

/* "name:" or "name: value" (value non-empty); the value's bounds. */
static int field(const char *line, size_t n, const char *name, const char **v, size_t *vn)
{
    size_t k = strlen(name);
    if (n < k + 1 || memcmp(line, name, k) || line[k] != ':')
        return -1;
    if (n == k + 1) {
        *v = line + n;
        *vn = 0;
        return 0;
    }
    if (line[k + 1] != ' ' || n == k + 2)
        return -1;
    *v = line + k + 2;
    *vn = n - k - 2;
    return 0;
}

/* ---- the parser: fed bytes, split into lines, checked line by line ---- */

enum pstate {
    P_TAG,
    P_HEADER,
    P_BLANK,
    P_CHANGES_COUNT,
    P_CHANGES,
    P_ITEMS,
    P_ITEM,
    P_TERM, /* /2: the field lines of a service, exclusion, class or default block */
    P_END
};

static const char *const header_fields[] = {
    "register", "contract", "provider", "provider-key", "client",     "client-key",
    "version",  "date",     "author",   "message",      "previous",   "items",
    "services", "exclusions", "classes", "defaults"};
#define NHEADER1 12 /* scope-register/1 stops at items: */
#define NHEADER (sizeof header_fields / sizeof header_fields[0])

typedef struct parser {
    inv_doc *d;
    const char *name;
    inv_err *e;
    inv_doc_line_fn on_change;
    void *ctx;
    cr_hash h;
    cr_prehash ph;
    inv_buf line;    /* the current, unfinished line */
    int64_t lineno;
    enum pstate st;
    size_t hfield;   /* next header field */
    int rc;          /* first failure */
    /* changes section */
    int64_t entries;
    char open_op;    /* '-' or '~' awaiting its indented lines, else 0 */
    int64_t open_lines;
    int items_started; /* an item change was seen: no more key lines */
    char *last_change_id;
    char last_fkey[INV_FKEY_MAX + 1]; /* last field of the open modification */
    int last_fcov;     /* whether that field line is a coverage line (/2) */
    int fcov_state;    /* inv__fline_cov's state over the open modification */
    /* scope-register/2: term entries and blocks */
    int fmt;
    int term_type;         /* type of the last term entry or block, -1 none */
    char *last_term_id;    /* its id, for the order */
    int term_key;          /* rank of the last field line of the open entry or block */
    int64_t term_lines;    /* field lines of the open block */
    int64_t term_blocks[INV_TERM_TYPES];
    /* items section */
    int64_t blocks;
    int item_line;   /* fixed fields in table order (kind, name), then attributes */
    char *last_item_id;
    char *last_key;
} parser;

static int perr(parser *p, const char *fmt, const char *what)
{
    if (!p->rc)
        p->rc = inv_fail(p->e, INV_EINPUT, "%s: line %lld: %s%s", p->name,
                         (long long)p->lineno, INV_(fmt), what ? what : "");
    return p->rc;
}

static int oom(parser *p)
{
    if (!p->rc)
        p->rc = inv_fail(p->e, INV_EIO, "out of memory");
    return p->rc;
}

/* An escaped text value into *out (malloc'd). */
static int text_value(parser *p, const char *v, size_t n, char **out, const char *what)
{
    int bad;
    free(*out);
    *out = unescape(v, n, &bad);
    if (!*out)
        return bad ? perr(p, "malformed escape sequence in ", what) : oom(p);
    return 0;
}

static int header_line(parser *p, const char *l, size_t n)
{
    inv_doc *d = p->d;
    const char *name = header_fields[p->hfield];
    const char *v;
    size_t vn;
    char msg[96];
    snprintf(msg, sizeof msg, "expected the header field '%s:'", name);
    if (field(l, n, name, &v, &vn))
        return perr(p, msg, NULL);
    switch (p->hfield) {
    case 0:
        if (vn != 32 || !all_of(v, vn, "0123456789abcdef"))
            return perr(p, "register: must be 32 lower-case hex digits", NULL);
        memcpy(d->register_id, v, vn);
        d->register_id[vn] = '\0';
        break;
    case 1:
        if (text_value(p, v, vn, &d->contract, "contract:"))
            return p->rc;
        if (!vn)
            return perr(p, "contract: is empty", NULL);
        break;
    case 2:
    case 4:
        if (text_value(p, v, vn, &d->party[p->hfield == 2 ? 0 : 1], name))
            return p->rc;
        if (!vn)
            return perr(p, "empty party name: ", name);
        break;
    case 3:
    case 5:
        if (!keyid_ok(v, vn))
            return perr(p, "a key id is 16 upper-case hex digits: ", name);
        memcpy(d->key[p->hfield == 3 ? 0 : 1], v, vn);
        d->key[p->hfield == 3 ? 0 : 1][vn] = '\0';
        if (p->hfield == 5 && !strcmp(d->key[0], d->key[1]))
            return perr(p, "provider-key: and client-key: name the same key: each party signs "
                        "with its own key", NULL);
        break;
    case 6:
        if (number(v, vn, &d->version) || d->version < 1)
            return perr(p, "version: must be a number from 1 on", NULL);
        break;
    case 7:
        if (datetime(v, vn, &d->date))
            return perr(p, "date: must be YYYY-MM-DDTHH:MM:SSZ", NULL);
        break;
    case 8:
        if (text_value(p, v, vn, &d->author, "author:"))
            return p->rc;
        break;
    case 9:
        if (text_value(p, v, vn, &d->message, "message:"))
            return p->rc;
        break;
    case 10:
        if (vn == 4 && !memcmp(v, "none", 4)) {
            if (d->version != 1)
                return perr(p, "previous: none, but only version 1 has no previous document",
                            NULL);
            d->previous[0] = '\0';
        } else if (hash_ok(v, vn)) {
            if (d->version == 1)
                return perr(p, "previous: version 1 names no previous document", NULL);
            memcpy(d->previous, v, vn);
            d->previous[vn] = '\0';
        } else {
            return perr(p, "previous: must be 'none' or blake2b-256: and 64 hex digits", NULL);
        }
        break;
    case 11:
        if (number(v, vn, &d->items))
            return perr(p, "items: must be a number", NULL);
        break;
    default:
        if (number(v, vn, &d->terms[p->hfield - NHEADER1]))
            return perr(p, "must be a number: ", name);
        break;
    }
    if (++p->hfield == (p->fmt == 2 ? NHEADER : NHEADER1))
        p->st = P_BLANK;
    return 0;
}

/* Checks an id at the start of a change or item line; sorted strictly
 * after *last, which it replaces. */
static int id_value(parser *p, const char *v, size_t n, char **last, const char *what)
{
    int bad;
    char *id = unescape(v, n, &bad);
    if (!id)
        return bad ? perr(p, "malformed escape sequence in the id of ", what) : oom(p);
    if (!*id) {
        free(id);
        return perr(p, "empty id in ", what);
    }
    if (*last && strcmp(*last, id) >= 0) {
        free(id);
        return perr(p, "ids are not in strictly increasing byte order in ", what);
    }
    free(*last);
    *last = id;
    return 0;
}

/* "key ROLE: OLD -> NEW" */
static int key_change(parser *p, const char *l, size_t n)
{
    inv_doc *d = p->d;
    int role = -1;
    size_t off = 0;
    if (n > 13 && !memcmp(l, "key provider: ", 14)) {
        role = 0;
        off = 14;
    } else if (n > 11 && !memcmp(l, "key client: ", 12)) {
        role = 1;
        off = 12;
    }
    const size_t k = CR_KEYID_HEX - 1;
    if (role < 0 || n != off + k + 4 + k || memcmp(l + off + k, " -> ", 4) ||
        !keyid_ok(l + off, k) || !keyid_ok(l + off + k + 4, k))
        return perr(p, "expected 'key provider|client: OLDKEYID -> NEWKEYID'", NULL);
    if (p->items_started || d->old_key[role][0] || (role == 0 && d->old_key[1][0]))
        return perr(p, "key lines come first among the changes, provider then client, "
                    "once each", NULL);
    if (memcmp(l + off + k + 4, d->key[role], k))
        return perr(p, "the new key of a key line must be the key the header names for ",
                    inv_roles[role]);
    if (!memcmp(l + off, l + off + k + 4, k))
        return perr(p, "a key line replaces a key by the same key", NULL);
    if (!memcmp(l + off, d->key[1 - role], k) ||
        (role == 1 && d->old_key[0][0] && !memcmp(l + off, d->old_key[0], k)))
        return perr(p, "a key line's old key is the other party's key: each party signs with "
                    "its own key", NULL);
    if (d->version == 1)
        return perr(p, "version 1 cannot replace a key", NULL);
    memcpy(d->old_key[role], l + off, k);
    d->old_key[role][k] = '\0';
    d->rekeyed++;
    return 0;
}

/* A modification's field line (after its two spaces): "KEY: OLD -> NEW"
 * with OLD and NEW quoted or (none), KEY kind, name or an attribute key,
 * in the document's order, and a real change. */
static int field_line(parser *p, const char *l, size_t n)
{
    inv__fline f;
    char key[INV_FKEY_MAX + 1];
    if (inv__fline_parse(l, n, &f))
        return perr(p, "expected '  FIELD: \"OLD\" -> \"NEW\"' ((none) for an absent field) "
                    "under a modification", NULL);
    if (f.klen > INV_FKEY_MAX)
        return perr(p, "field name too long under a modification", NULL);
    memcpy(key, f.key, f.klen);
    key[f.klen] = '\0';
    const inv_field *fd = inv_field_fixed(key, f.klen);
    int fixed = fd && fd->place == INV_FIELD_FIXED;
    /* /2: a coverage line by its place and its values (inv__fline_cov); a
     * services: or sla: line elsewhere is an attribute of that name */
    int cov = p->fmt == 2 ? inv__fline_cov(&f, &p->fcov_state) : 0;
    if (cov < 0)
        return oom(p);
    if (!cov && !fixed && inv_key_check(key, NULL) != INV_OK)
        return perr(p, "not a field name under a modification: ", key);
    if (fixed && (!f.old || !f.nw))
        return perr(p, "an item always has a kind and a name: (none) for ", key);
    if (fixed && fd->rule == INV_RULE_KIND) {
        const char *v[2] = {f.old, f.nw};
        size_t vn[2] = {f.olen, f.nlen};
        for (int i = 0; i < 2; i++) {
            char kind[32];
            if (vn[i] >= sizeof kind)
                return perr(p, "kind: is not one of the canonical kinds", NULL);
            memcpy(kind, v[i], vn[i]);
            kind[vn[i]] = '\0';
            const char *canon = inv_kind_canonical(kind);
            if (!canon || strcmp(canon, kind))
                return perr(p, "kind: is not one of the canonical kinds", NULL);
        }
    }
    if ((!f.old && !f.nw) ||
        (f.old && f.nw && f.olen == f.nlen && !memcmp(f.old, f.nw, f.olen)))
        return perr(p, "a field line that changes nothing: ", key);
    if (p->last_fkey[0] && inv__field_cmp_cov(p->last_fkey, strlen(p->last_fkey), p->last_fcov,
                                              f.key, f.klen, cov) >= 0)
        return perr(p, p->fmt == 2 ? "the fields of a modification are kind, name, services, "
                                     "sla, then attributes in strictly increasing order: "
                                   : "the fields of a modification are kind, name, then "
                                     "attributes in strictly increasing order: ",
                    key);
    memcpy(p->last_fkey, key, f.klen + 1);
    p->last_fcov = cov;
    return 0;
}

/* The rank of key among the fields of a term type, or -1. */
static int term_key_rank(int type, const char *k, size_t n)
{
    const char *const *keys = inv_term_keys(type);
    for (int i = 0; keys[i]; i++)
        if (strlen(keys[i]) == n && !memcmp(keys[i], k, n))
            return i;
    return -1;
}

/* A term's id after "WORD OP " or "WORD: ", in the order of the entries or
 * blocks: types in document order, ids strictly increasing within one. */
static int term_id(parser *p, int type, const char *v, size_t n, const char *what)
{
    if (type < p->term_type)
        return perr(p, "services, exclusions, classes and defaults come in that order in ",
                    what);
    if (type > p->term_type) {
        free(p->last_term_id);
        p->last_term_id = NULL;
    }
    p->term_type = type;
    if (id_value(p, v, n, &p->last_term_id, what))
        return p->rc;
    inv_err sub;
    const char *id = p->last_term_id;
    const char *k = type == INV_TERM_DEFAULT ? inv_kind_canonical(id) : NULL;
    if ((type == INV_TERM_SERVICE && inv_cov_id_check("service", id, &sub)) ||
        (type == INV_TERM_CLASS && inv_cov_id_check("class", id, &sub)) ||
        (type == INV_TERM_DEFAULT && (!k || strcmp(k, id))))
        return perr(p, "not a valid id in ", what);
    return 0;
}

/* /2: "WORD + ID", "WORD - ID", "WORD ~ ID" (WORD service, exclusion,
 * class, default), after the key lines and before the item changes. */
static int term_change(parser *p, int type, const char *l, size_t n)
{
    size_t w = strlen(inv_term_words[type]);
    char op = n > w + 3 ? l[w + 1] : 0;
    if ((op != '+' && op != '-' && op != '~') || l[w + 2] != ' ')
        return perr(p, "expected 'WORD + ID', 'WORD - ID' or 'WORD ~ ID' for ",
                    inv_term_words[type]);
    if (p->items_started)
        return perr(p, "the changes of services, exclusions, classes and defaults come "
                    "before the item changes", NULL);
    if (term_id(p, type, l + w + 3, n - w - 3, "the changes"))
        return p->rc;
    if (op != '+' && p->d->version == 1)
        return perr(p, "version 1 can only add", NULL);
    if (op == '~' && type == INV_TERM_EXCLUSION)
        return perr(p, "an exclusion is added or removed, never modified", NULL);
    p->d->term_changes++;
    p->open_op = op == '+' ? 0 : op == '-' ? '-' : 't';
    p->term_key = -1;
    return 0;
}

/* /2: a field line under "WORD ~ ID": a field of that type, in order, a
 * real change. */
static int term_field_line(parser *p, const char *l, size_t n)
{
    inv__fline f;
    if (inv__fline_parse(l, n, &f))
        return perr(p, "expected '  FIELD: \"OLD\" -> \"NEW\"' under a modification", NULL);
    int rank = term_key_rank(p->term_type, f.key, f.klen);
    if (rank < 0)
        return perr(p, "not a field of ", inv_term_words[p->term_type]);
    if (rank <= p->term_key)
        return perr(p, "the fields of a modification come in the document's order", NULL);
    if ((!f.old && !f.nw) || (f.old && f.nw && f.olen == f.nlen && !memcmp(f.old, f.nw, f.olen)))
        return perr(p, "a field line that changes nothing", NULL);
    p->term_key = rank;
    return 0;
}

static int change_line(parser *p, const char *l, size_t n)
{
    if (n == 0) {
        if (p->open_op && !p->open_lines)
            return perr(p, "a removal needs its reason line, a modification its field lines",
                        NULL);
        p->st = P_ITEMS;
        p->term_type = -1;
        free(p->last_term_id);
        p->last_term_id = NULL;
        return 0;
    }
    if (p->on_change && p->on_change(p->ctx, l, n)) {
        if (!p->rc)
            p->rc = inv_fail(p->e, INV_EIO, "%s: reading stopped", p->name);
        return p->rc;
    }
    if (n >= 2 && l[0] == ' ' && l[1] == ' ') {
        if (p->open_op == '-') {
            const char *v;
            size_t vn;
            if (p->open_lines || field(l + 2, n - 2, "reason", &v, &vn))
                return perr(p, "a removal has exactly one '  reason:' line", NULL);
            int bad;
            char *r = unescape(v, vn, &bad);
            if (!r)
                return bad ? perr(p, "malformed escape sequence in reason:", NULL) : oom(p);
            free(r);
        } else if (p->open_op == '~') {
            if (field_line(p, l + 2, n - 2))
                return p->rc;
        } else if (p->open_op == 't') {
            if (term_field_line(p, l + 2, n - 2))
                return p->rc;
        } else {
            return perr(p, "indented line outside a removal or a modification", NULL);
        }
        p->open_lines++;
        return 0;
    }
    if (p->open_op && !p->open_lines)
        return perr(p, "a removal needs its reason line, a modification its field lines", NULL);
    p->open_op = 0;
    p->open_lines = 0;
    p->entries++;
    if (n >= 4 && !memcmp(l, "key ", 4)) {
        if (p->term_type >= 0)
            return perr(p, "key lines come first among the changes", NULL);
        return key_change(p, l, n);
    }
    if (p->fmt == 2 && n > 3 && l[1] != ' ') {
        const char *sp = memchr(l, ' ', n);
        int type = sp ? inv_term_type_of(l, (size_t)(sp - l)) : -1;
        if (type >= 0)
            return term_change(p, type, l, n); /* checks its place among the changes */
    }
    if (n < 3 || l[1] != ' ' || (l[0] != '+' && l[0] != '-' && l[0] != '~'))
        return perr(p, "expected a change: '+ ID', '- ID', '~ ID' or 'key ROLE: OLD -> NEW'",
                    NULL);
    p->items_started = 1;
    p->last_fkey[0] = '\0';
    p->last_fcov = p->fcov_state = 0;
    if (id_value(p, l + 2, n - 2, &p->last_change_id, "the changes"))
        return p->rc;
    if (l[0] == '+') {
        p->d->added++;
    } else {
        if (p->d->version == 1)
            return perr(p, "version 1 can only add items", NULL);
        p->open_op = l[0];
        if (l[0] == '-')
            p->d->removed++;
        else
            p->d->modified++;
    }
    return 0;
}

/* The error for fixed field fd's line: missing or malformed (bad_escape 0)
 * or holding a malformed escape (1). */
static int fixed_fault(parser *p, const inv_field *fd, int bad_escape)
{
    char msg[64];
    if (bad_escape) {
        snprintf(msg, sizeof msg, "%s:", fd->key);
        return perr(p, "malformed escape sequence in ", msg);
    }
    snprintf(msg, sizeof msg, fd->rule == INV_RULE_KIND ? "expected '  %s: KIND'"
                                                        : "expected '  %s:'", fd->key);
    return perr(p, msg, NULL);
}

static int item_line(parser *p, const char *l, size_t n)
{
    const char *v;
    size_t vn;
    if (p->st == P_ITEMS) {
        if (n == 21 && !memcmp(l, "end of scope document", 21)) {
            p->st = P_END;
            return 0;
        }
        const char *colon = p->fmt == 2 && !p->blocks ? memchr(l, ':', n) : NULL;
        int type = colon ? inv_term_type_of(l, (size_t)(colon - l)) : -1;
        if (type >= 0) {
            if (field(l, n, inv_term_words[type], &v, &vn) ||
                term_id(p, type, v, vn, "the sections"))
                return perr(p, "expected 'WORD: ID' for ", inv_term_words[type]);
            p->term_blocks[type]++;
            p->term_key = -1;
            p->term_lines = 0;
            p->st = P_TERM;
            return 0;
        }
        if (field(l, n, "item", &v, &vn))
            return perr(p, "expected 'item: ID' or 'end of scope document'", NULL);
        if (id_value(p, v, vn, &p->last_item_id, "the items"))
            return p->rc;
        p->blocks++;
        p->item_line = 0;
        free(p->last_key);
        p->last_key = NULL;
        p->st = P_ITEM;
        return 0;
    }
    if (p->st == P_TERM) {
        if (n == 0) {
            if (p->term_type == INV_TERM_DEFAULT && p->term_lines != 2)
                return perr(p, "a default has '  services:' and '  sla:' lines", NULL);
            if (p->term_type == INV_TERM_CLASS && p->term_key != 0 && !p->term_lines)
                return perr(p, "a class has a '  name:' line", NULL);
            p->st = P_ITEMS;
            return 0;
        }
        const char *colon = n > 2 ? memchr(l + 2, ':', n - 2) : NULL;
        int rank = colon && l[0] == ' ' && l[1] == ' '
                       ? term_key_rank(p->term_type, l + 2, (size_t)(colon - l - 2))
                       : -1;
        if (rank < 0 || rank <= p->term_key)
            return perr(p, "expected a field of the block, in the document's order, or a blank "
                        "line, for ", inv_term_words[p->term_type]);
        char key[32];
        snprintf(key, sizeof key, "%.*s", (int)(colon - l - 2), l + 2);
        if (field(l + 2, n - 2, key, &v, &vn) || !escapes_ok(v, vn))
            return perr(p, "malformed field line in ", inv_term_words[p->term_type]);
        p->term_key = rank;
        p->term_lines++;
        return 0;
    }
    if (n == 0) {
        if (p->item_line < inv_field_nfixed() + (p->fmt == 2 ? 2 : 0))
            return perr(p, p->fmt == 2 ? "an item has '  kind:', '  name:', '  services:' and "
                                         "'  sla:' lines"
                                       : "an item has '  kind:' and '  name:' lines",
                        NULL);
        p->st = P_ITEMS;
        return 0;
    }
    if (n < 2 || l[0] != ' ' || l[1] != ' ')
        return perr(p, "expected an indented field of the item, or a blank line", NULL);
    l += 2;
    n -= 2;
    int nf = inv_field_nfixed();
    if (p->fmt == 2 && (p->item_line == nf || p->item_line == nf + 1)) {
        const char *key = p->item_line == nf ? "services" : "sla", *list;
        inv_buf buf = {0};
        size_t ln;
        int own;
        if (field(l, n, key, &v, &vn))
            return perr(p, "expected the coverage line '  services: LIST (own|kind default)' "
                        "then '  sla: CLASS (own|kind default)'",
                        NULL);
        if (inv_buf_add(&buf, v, vn) || inv_buf_add(&buf, "", 0)) {
            inv_buf_free(&buf);
            return oom(p);
        }
        int bad = inv_cov_value_parse(key, buf.data, &list, &ln, &own, NULL);
        inv_buf_free(&buf);
        if (bad == INV_EIO)
            return oom(p);
        if (bad)
            return perr(p, "expected the coverage line '  services: LIST (own|kind default)' "
                        "then '  sla: CLASS (own|kind default)'",
                        NULL);
        p->item_line++;
        return 0;
    }
    const inv_field *fd = inv_field_at(1 + (size_t)p->item_line); /* after the id */
    if (fd && fd->place == INV_FIELD_FIXED) {
        int kind = fd->rule == INV_RULE_KIND;
        char k[32];
        if (field(l, n, fd->key, &v, &vn) || (kind && (vn == 0 || vn >= sizeof k)))
            return fixed_fault(p, fd, 0);
        if (kind) {
            memcpy(k, v, vn);
            k[vn] = '\0';
            const char *canon = inv_kind_canonical(k);
            if (!canon || strcmp(canon, k))
                return perr(p, "kind: is not one of the canonical kinds", NULL);
        } else if (!escapes_ok(v, vn)) {
            return fixed_fault(p, fd, 1);
        }
    } else {
        const char *colon = memchr(l, ':', n);
        if (!colon)
            return perr(p, "expected '  KEY: VALUE'", NULL);
        char *key = dup_n(l, (size_t)(colon - l));
        if (!key)
            return oom(p);
        if (inv_key_check(key, NULL) != INV_OK || field(l, n, key, &v, &vn) ||
            (p->last_key && strcmp(p->last_key, key) >= 0)) {
            free(key);
            return perr(p, "attribute keys are valid and in strictly increasing order", NULL);
        }
        free(p->last_key);
        p->last_key = key;
        if (!escapes_ok(v, vn))
            return perr(p, "malformed escape sequence in an attribute value", NULL);
    }
    p->item_line++;
    return 0;
}

static int one_line(parser *p, const char *l, size_t n)
{
    p->lineno++;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)l[i] < 0x20)
            return perr(p, "control character in the document (only line feeds end lines)",
                        NULL);
    const char *v;
    size_t vn;
    switch (p->st) {
    case P_TAG:
        if (n == sizeof INV_FORMAT_TAG2 - 1 && !memcmp(l, INV_FORMAT_TAG2, n))
            p->fmt = 2;
        else if (n != sizeof INV_FORMAT_TAG - 1 || memcmp(l, INV_FORMAT_TAG, n))
            return perr(p, "not a scope document: the first line is not ", INV_FORMAT_TAG);
        else
            p->fmt = 1;
        p->d->format = p->fmt;
        p->st = P_HEADER;
        return 0;
    case P_HEADER:
        return header_line(p, l, n);
    case P_BLANK:
        if (n)
            return perr(p, "expected a blank line after the header", NULL);
        p->st = P_CHANGES_COUNT;
        return 0;
    case P_CHANGES_COUNT:
        if (field(l, n, "changes", &v, &vn) || number(v, vn, &p->d->changes))
            return perr(p, "expected 'changes: N'", NULL);
        p->st = P_CHANGES;
        return 0;
    case P_CHANGES:
        return change_line(p, l, n);
    case P_ITEMS:
    case P_ITEM:
    case P_TERM:
        return item_line(p, l, n);
    case P_END:
        return perr(p, "data after 'end of scope document'", NULL);
    }
    return 0;
}

static int feed(parser *p, const char *data, size_t len)
{
    cr_hash_update(&p->h, data, len);
    cr_prehash_update(&p->ph, data, len);
    p->d->size += len;
    while (len && !p->rc) {
        const char *nl = memchr(data, '\n', len);
        size_t take = nl ? (size_t)(nl - data) : len;
        if (p->line.len + take > LINE_MAX_BYTES) {
            p->lineno++;
            return perr(p, "line too long", NULL);
        }
        if (!nl) {
            if (inv_buf_add(&p->line, data, take))
                return oom(p);
            return 0;
        }
        if (p->line.len) {
            if (inv_buf_add(&p->line, data, take))
                return oom(p);
            one_line(p, p->line.data, p->line.len);
            p->line.len = 0;
        } else {
            one_line(p, data, take);
        }
        data += take + 1;
        len -= take + 1;
    }
    return p->rc;
}

static int finish(parser *p)
{
    if (p->rc)
        return p->rc;
    if (p->line.len) {
        /* check it as a line first, for a more telling message */
        if (one_line(p, p->line.data, p->line.len))
            return p->rc;
        return perr(p, "the last line does not end with a line feed", NULL);
    }
    if (p->st != P_END)
        return perr(p, "the document ends early: no 'end of scope document' line", NULL);
    inv_doc *d = p->d;
    if (d->changes != p->entries)
        return perr(p, "the changes: count does not match the change entries", NULL);
    if (p->blocks != d->items)
        return perr(p, "the items: count does not match the item blocks", NULL);
    for (int i = 0; p->fmt == 2 && i < INV_TERM_TYPES; i++)
        if (p->term_blocks[i] != d->terms[i])
            return perr(p, "a count of the header does not match its blocks: ",
                        header_fields[NHEADER1 + i]);
    if (d->changes == 0)
        return perr(p, "a version never has zero changes", NULL);
    unsigned char h[CR_HASH_BYTES];
    cr_hash_final(&p->h, h);
    cr_prehash_final(&p->ph, d->prehash);
    memcpy(d->doc_hash, CR_HASH_PREFIX, sizeof CR_HASH_PREFIX - 1);
    cr_hex(d->doc_hash + sizeof CR_HASH_PREFIX - 1, h, sizeof h);
    return INV_OK;
}

static void parser_init(parser *p, inv_doc *d, const char *name, inv_doc_line_fn fn,
                        void *ctx, inv_err *e)
{
    memset(p, 0, sizeof *p);
    memset(d, 0, sizeof *d);
    p->d = d;
    p->name = name ? name : "document";
    p->e = e;
    p->on_change = fn;
    p->ctx = ctx;
    p->term_type = -1;
    cr_hash_init(&p->h);
    cr_prehash_init(&p->ph);
}

static int parser_done(parser *p, int rc)
{
    inv_buf_free(&p->line);
    free(p->last_change_id);
    free(p->last_item_id);
    free(p->last_key);
    free(p->last_term_id);
    if (rc)
        inv_doc_free(p->d);
    return rc;
}

int inv_doc_read(FILE *f, const char *name, inv_doc *d, inv_doc_line_fn on_change,
                 void *ctx, inv_err *e)
{
    parser p;
    parser_init(&p, d, name, on_change, ctx, e);
    char *buf = malloc(64 * 1024);
    if (!buf)
        return parser_done(&p, inv_fail(e, INV_EIO, "out of memory"));
    size_t got;
    while (!p.rc && (got = fread(buf, 1, 64 * 1024, f)) > 0)
        feed(&p, buf, got);
    free(buf);
    if (!p.rc && ferror(f))
        p.rc = inv_fail(e, INV_EIO, "%s: read error: %s", p.name, strerror(errno));
    return parser_done(&p, finish(&p));
}

int inv_doc_parse(const char *data, size_t len, const char *name, inv_doc *d,
                  inv_doc_line_fn on_change, void *ctx, inv_err *e)
{
    parser p;
    parser_init(&p, d, name, on_change, ctx, e);
    feed(&p, data, len);
    return parser_done(&p, finish(&p));
}

void inv_doc_free(inv_doc *d)
{
    free(d->contract);
    free(d->author);
    free(d->message);
    free(d->party[0]);
    free(d->party[1]);
    d->contract = d->author = d->message = d->party[0] = d->party[1] = NULL;
}

/* ---- signatures of a document ---- */

int inv_doc_key_role(const inv_doc *d, const char keyid[CR_KEYID_HEX], int *role, int *old)
{
    for (int i = 0; i < 2; i++) {
        if (!strcmp(d->key[i], keyid)) {
            *role = i;
            *old = 0;
            return INV_OK;
        }
    }
    for (int i = 0; i < 2; i++) {
        if (d->old_key[i][0] && !strcmp(d->old_key[i], keyid)) {
            *role = i;
            *old = 1;
            return INV_OK;
        }
    }
    return INV_FAIL;
}

int inv_doc_sig_check(const inv_doc *d, int role, int old, const cr_pubkey *pk,
                      const cr_sig *sig, int64_t now, inv_tc *tc, inv_err *e)
{
    inv_tc local;
    cr_err ce;
    char pkid[CR_KEYID_HEX], sigid[CR_KEYID_HEX];
    if (!tc)
        tc = &local;
    if (role < 0 || role > 1)
        return inv_fail(e, INV_EINPUT, "unknown role");
    const char *rname = inv_roles[role];
    const char *want = old ? d->old_key[role] : d->key[role];
    if (!want[0])
        return inv_fail(e, INV_FAIL, "version %lld does not replace the %s's key",
                        (long long)d->version, rname);
    cr_keyid_hex(pk->keyid, pkid);
    cr_keyid_hex(sig->keyid, sigid);
    if (strcmp(sigid, want))
        return inv_fail(e, INV_FAIL, "signature is by key %s, not by the %s's %skey %s that "
                        "the document names", sigid, rname, old ? "previous " : "", want);
    if (strcmp(pkid, want))
        return inv_fail(e, INV_FAIL, "public key %s is not the %s's %skey %s that the "
                        "document names", pkid, rname, old ? "previous " : "", want);
    if (cr_verify_prehashed(pk, sig, d->prehash, &ce) != CR_OK)
        return inv_fail(e, INV_FAIL, "%s signature: %s", rname, ce.msg);
    inv_err sub;
    if (inv_tc_parse(sig->trusted, tc, &sub) != INV_OK)
        return inv_fail(e, INV_FAIL, "%s signature: %s", rname, sub.msg);
    if (strcmp(tc->register_id, d->register_id))
        return inv_fail(e, INV_FAIL, "signature is for register %s, not register %s",
                        tc->register_id, d->register_id);
    if (tc->version != d->version)
        return inv_fail(e, INV_FAIL, "signature is for version %lld, not version %lld",
                        (long long)tc->version, (long long)d->version);
    if (strcmp(tc->role, rname))
        return inv_fail(e, INV_FAIL, "signature says role %s but its key is the %s's",
                        tc->role, rname);
    if (strcmp(tc->doc_hash, d->doc_hash))
        return inv_fail(e, INV_FAIL, "signature names document %s but the file hashes to %s",
                        tc->doc_hash, d->doc_hash);
    char sdate[32], vdate[32];
    inv_time_format(tc->signed_at, sdate, sizeof sdate);
    if (tc->signed_at < d->date) {
        inv_time_format(d->date, vdate, sizeof vdate);
        return inv_fail(e, INV_FAIL, "%s signature is dated %s, before version %lld was made "
                        "(%s): a signature cannot predate its document",
                        rname, sdate, (long long)d->version, vdate);
    }
    if (tc->signed_at > now + INV_CLOCK_SKEW) {
        inv_time_format(now, vdate, sizeof vdate);
        return inv_fail(e, INV_FAIL, "%s signature is dated %s, later than now (%s): a "
                        "signature cannot be dated in the future", rname, sdate, vdate);
    }
    return INV_OK;
}

void inv_doc_stem(const char *contract, char *out, size_t outlen)
{
    size_t n = 0, max = outlen ? outlen - 1 : 0;
    if (max > 64)
        max = 64;
    for (const unsigned char *s = (const unsigned char *)contract; *s && n < max; s++) {
        unsigned char c = *s;
        if (c >= 0x80 && (c & 0xC0) == 0x80)
            continue; /* continuation byte: its lead byte already gave '_' */
        int keep = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                   (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        if (!keep)
            c = '_';
        if (n == 0 && (c == '.' || c == '-'))
            c = '_';
        if (c == '.' && n > 0 && out[n - 1] == '.')
            c = '_';
        out[n++] = (char)c;
    }
    if (n == 0) {
        snprintf(out, outlen, "%s", "scope");
        return;
    }
    if (outlen)
        out[n] = '\0';
}
