/*
 * documents.c - scope documents outside any register: reading a document
 * back (header, counts, digests), checking its signatures against public
 * key files, and checking a directory of exported documents (signatures
 * and chain) with no register at all.
 *
 * Reading is streamed: the bytes are hashed as they come and only the
 * current line is held, so a document of any size is read in bounded
 * memory.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "inventory.h"
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

static int field_rank(const char *k, size_t n)
{
    if (n == 4 && !memcmp(k, "kind", 4))
        return 0;
    if (n == 4 && !memcmp(k, "name", 4))
        return 1;
    return 2;
}

int inv__field_cmp(const char *a, size_t an, const char *b, size_t bn)
{
    int ra = field_rank(a, an), rb = field_rank(b, bn);
    if (ra != rb)
        return ra - rb;
    if (ra < 2)
        return 0;
    int c = memcmp(a, b, an < bn ? an : bn);
    return c ? c : an < bn ? -1 : an > bn;
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

enum pstate { P_TAG, P_HEADER, P_BLANK, P_CHANGES_COUNT, P_CHANGES, P_ITEMS, P_ITEM, P_END };

static const char *const header_fields[] = {
    "register", "contract", "provider", "provider-key", "client", "client-key",
    "version",  "date",     "author",   "message",      "previous", "items"};
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
    /* items section */
    int64_t blocks;
    int item_line;   /* 0 kind, 1 name, 2.. attributes */
    char *last_item_id;
    char *last_key;
} parser;

static int perr(parser *p, const char *fmt, const char *what)
{
    if (!p->rc)
        p->rc = inv_fail(p->e, INV_EINPUT, "%s: line %lld: %s%s", p->name,
                         (long long)p->lineno, fmt, what ? what : "");
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
    }
    if (++p->hfield == NHEADER)
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
    int fixed = !strcmp(key, "kind") || !strcmp(key, "name");
    if (!fixed && inv_key_check(key, NULL) != INV_OK)
        return perr(p, "not a field name under a modification: ", key);
    if (fixed && (!f.old || !f.nw))
        return perr(p, "an item always has a kind and a name: (none) for ", key);
    if (!strcmp(key, "kind")) {
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
    if (p->last_fkey[0] &&
        inv__field_cmp(p->last_fkey, strlen(p->last_fkey), f.key, f.klen) >= 0)
        return perr(p, "the fields of a modification are kind, name, then attributes in "
                    "strictly increasing order: ", key);
    memcpy(p->last_fkey, key, f.klen + 1);
    return 0;
}

static int change_line(parser *p, const char *l, size_t n)
{
    if (n == 0) {
        if (p->open_op && !p->open_lines)
            return perr(p, "a removal needs its reason line, a modification its field lines",
                        NULL);
        p->st = P_ITEMS;
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
    if (n >= 4 && !memcmp(l, "key ", 4))
        return key_change(p, l, n);
    if (n < 3 || l[1] != ' ' || (l[0] != '+' && l[0] != '-' && l[0] != '~'))
        return perr(p, "expected a change: '+ ID', '- ID', '~ ID' or 'key ROLE: OLD -> NEW'",
                    NULL);
    p->items_started = 1;
    p->last_fkey[0] = '\0';
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

static int item_line(parser *p, const char *l, size_t n)
{
    const char *v;
    size_t vn;
    if (p->st == P_ITEMS) {
        if (n == 21 && !memcmp(l, "end of scope document", 21)) {
            p->st = P_END;
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
    if (n == 0) {
        if (p->item_line < 2)
            return perr(p, "an item has '  kind:' and '  name:' lines", NULL);
        p->st = P_ITEMS;
        return 0;
    }
    if (n < 2 || l[0] != ' ' || l[1] != ' ')
        return perr(p, "expected an indented field of the item, or a blank line", NULL);
    l += 2;
    n -= 2;
    if (p->item_line == 0) {
        char kind[32];
        if (field(l, n, "kind", &v, &vn) || vn == 0 || vn >= sizeof kind)
            return perr(p, "expected '  kind: KIND'", NULL);
        memcpy(kind, v, vn);
        kind[vn] = '\0';
        const char *canon = inv_kind_canonical(kind);
        if (!canon || strcmp(canon, kind))
            return perr(p, "kind: is not one of the canonical kinds", NULL);
    } else if (p->item_line == 1) {
        if (field(l, n, "name", &v, &vn))
            return perr(p, "expected '  name:'", NULL);
        if (!escapes_ok(v, vn))
            return perr(p, "malformed escape sequence in name:", NULL);
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
        if (n != sizeof INV_FORMAT_TAG - 1 || memcmp(l, INV_FORMAT_TAG, n))
            return perr(p, "not a scope document: the first line is not ", INV_FORMAT_TAG);
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
    cr_hash_init(&p->h);
    cr_prehash_init(&p->ph);
}

static int parser_done(parser *p, int rc)
{
    inv_buf_free(&p->line);
    free(p->last_change_id);
    free(p->last_item_id);
    free(p->last_key);
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

/* ---- public keys of a directory ---- */

typedef struct ring_key {
    char *path;
    char id[CR_KEYID_HEX];
    cr_pubkey pk;
} ring_key;

struct inv_keyring {
    char *dir;
    ring_key *v;
    size_t n, cap;
    inv_buf bad; /* "; FILE: message" for each unreadable .pub */
};

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a > b && !strcmp(s + a - b, suffix);
}

static char *join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s%s", dir, ends_with(dir, "/") ? "" : "/", name);
    return p;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir ending with suffix, sorted; *names NULL-terminated. */
static int list_dir(const char *dir, const char *suffix, char ***names, size_t *count,
                    inv_err *e)
{
    DIR *d = opendir(dir);
    *names = NULL;
    *count = 0;
    if (!d)
        return inv_fail(e, INV_EINPUT, "%s: cannot read the directory: %s", dir,
                        strerror(errno));
    size_t cap = 0;
    struct dirent *de;
    int rc = INV_OK;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !ends_with(de->d_name, suffix))
            continue;
        if (*count + 1 >= cap) {
            cap = cap ? cap * 2 : 16;
            char **nv = realloc(*names, cap * sizeof *nv);
            if (!nv) {
                rc = inv_fail(e, INV_EIO, "out of memory");
                break;
            }
            *names = nv;
        }
        if (!((*names)[*count] = dup_n(de->d_name, strlen(de->d_name)))) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        (*names)[++*count] = NULL;
    }
    closedir(d);
    if (!rc && *count)
        qsort(*names, *count, sizeof **names, cmp_str);
    return rc;
}

static void free_names(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int inv_keyring_load(const char *dir, inv_keyring **out, inv_err *e)
{
    char **names;
    size_t n;
    *out = NULL;
    int rc = list_dir(dir, ".pub", &names, &n, e);
    if (rc)
        return rc;
    inv_keyring *k = calloc(1, sizeof *k);
    if (!k || !(k->dir = dup_n(dir, strlen(dir))) ||
        (n && !(k->v = calloc(n, sizeof *k->v)))) {
        free_names(names, n);
        inv_keyring_free(k);
        return inv_fail(e, INV_EIO, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        cr_err ce;
        char *path = join(dir, names[i]);
        if (!path) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        ring_key *rk = &k->v[k->n];
        struct stat sb;
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            /* a FIFO or a device is never opened: it could block or act */
            inv_buf_printf(&k->bad, "; %s: not a regular file", path);
            free(path);
            continue;
        }
        if (cr_pubkey_load(path, &rk->pk, &ce) != CR_OK) {
            inv_buf_printf(&k->bad, "; %s", ce.msg);
            free(path);
            continue;
        }
        rk->path = path;
        cr_keyid_hex(rk->pk.keyid, rk->id);
        k->n++;
    }
    free_names(names, n);
    if (rc) {
        inv_keyring_free(k);
        return rc;
    }
    *out = k;
    return INV_OK;
}

void inv_keyring_free(inv_keyring *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->n; i++)
        free(k->v[i].path);
    free(k->v);
    free(k->dir);
    inv_buf_free(&k->bad);
    free(k);
}

int inv_keyring_find(const inv_keyring *k, const char keyid[CR_KEYID_HEX], cr_pubkey *pk,
                     const char **path, inv_err *e)
{
    const ring_key *found = NULL;
    for (size_t i = 0; i < k->n; i++) {
        const ring_key *rk = &k->v[i];
        if (strcmp(rk->id, keyid))
            continue;
        if (found && cr_memcmp(found->pk.pk, rk->pk.pk, CR_PK_BYTES))
            return inv_fail(e, INV_FAIL, "%s and %s hold two different public keys with "
                            "the same key id %s", found->path, rk->path, keyid);
        if (!found)
            found = rk;
    }
    if (!found)
        return inv_fail(e, INV_FAIL, "no .pub file in %s holds key %s%s%s%s", k->dir, keyid,
                        k->bad.len ? " (unreadable: " : "",
                        k->bad.len ? k->bad.data + 2 : "", k->bad.len ? ")" : "");
    *pk = found->pk;
    if (path)
        *path = found->path;
    return INV_OK;
}

/* ---- a directory of documents ---- */

/* A key of a document that cannot be traced to the keys of an earlier
 * document present: it differs from the key of version `base` (the
 * nearest earlier present) and the versions in between are absent. */
typedef struct untraced {
    int64_t at;   /* the version whose key differs (0: the key is traced) */
    int64_t base; /* the nearest earlier version present then */
} untraced;

typedef struct entry {
    char *path;
    int parsed;
    inv_doc doc;
    inv_buf why, notes, unver;
    inv_sig_state sigs;
    untraced key[2]; /* by role */
} entry;

static const char *file_type(mode_t m)
{
    return S_ISFIFO(m) ? "a FIFO" : S_ISDIR(m) ? "a directory" : S_ISCHR(m) || S_ISBLK(m)
           ? "a device" : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

/* Checks one signature file of e's document; adds to why/notes and to
 * the state. bit: 1 the key in force, 2 the key being replaced. */
static void check_sig_file(entry *en, const inv_keyring *ring, int role, int old,
                           int64_t now, unsigned *have, int64_t *at)
{
    size_t stem = strlen(en->path) - (sizeof ".scope" - 1);
    char suffix[32];
    snprintf(suffix, sizeof suffix, ".%s%s.minisig", inv_roles[role], old ? ".old" : "");
    size_t n = stem + strlen(suffix) + 1;
    char *sp = malloc(n);
    if (!sp) {
        inv_buf_puts(&en->why, "; out of memory");
        return;
    }
    snprintf(sp, n, "%.*s%s", (int)stem, en->path, suffix);
    struct stat sb;
    const char *want = old ? en->doc.old_key[role] : en->doc.key[role];
    if (lstat(sp, &sb) != 0) {
        free(sp);
        return; /* not signed with that key (yet) */
    }
    if (!want[0]) {
        inv_buf_printf(&en->notes, "; %s ignored: version %lld replaces no %s key", sp,
                       (long long)en->doc.version, inv_roles[role]);
        free(sp);
        return;
    }
    if (stat(sp, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        /* never opened: a FIFO would block, a device could act */
        inv_buf_printf(&en->why, "; %s: %s, not read", sp,
                       stat(sp, &sb) != 0 ? "a dangling link" : file_type(sb.st_mode));
        free(sp);
        return;
    }
    cr_sig sig;
    cr_err ce;
    cr_pubkey pk;
    inv_err sub;
    inv_tc tc;
    if (cr_sig_load(sp, &sig, &ce) != CR_OK) {
        inv_buf_printf(&en->why, "; %s", ce.msg);
    } else if (inv_keyring_find(ring, want, &pk, NULL, &sub) != INV_OK) {
        inv_buf_printf(&en->why, "; %s: %s", sp, sub.msg);
    } else if (inv_doc_sig_check(&en->doc, role, old, &pk, &sig, now, &tc, &sub) != INV_OK) {
        inv_buf_printf(&en->why, "; %s: %s", sp, sub.msg);
    } else {
        *have |= old ? 2u : 1u;
        if (tc.signed_at > *at)
            *at = tc.signed_at;
    }
    free(sp);
}

static void check_sigs(entry *en, const inv_keyring *ring, int64_t now)
{
    unsigned have[2] = {0, 0};
    int64_t at[2] = {0, 0};
    for (int role = 0; role < 2; role++)
        for (int old = 0; old < 2; old++)
            check_sig_file(en, ring, role, old, now, &have[role], &at[role]);
    inv_sig_state *s = &en->sigs;
    memset(s, 0, sizeof *s);
    s->provider_need = en->doc.old_key[0][0] ? 2 : 1;
    s->client_need = en->doc.old_key[1][0] ? 2 : 1;
    s->provider_have = (int)(have[0] & 1u) + (int)(have[0] >> 1 & 1u);
    s->client_have = (int)(have[1] & 1u) + (int)(have[1] >> 1 & 1u);
    s->provider = s->provider_have == s->provider_need;
    s->client = s->client_have == s->client_need;
    s->provider_at = at[0];
    s->client_at = at[1];
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->parsed != y->parsed)
        return x->parsed ? 1 : -1; /* unreadable documents first */
    if (x->parsed) {
        int c = strcmp(x->doc.register_id, y->doc.register_id);
        if (c)
            return c;
        if (x->doc.version != y->doc.version)
            return x->doc.version < y->doc.version ? -1 : 1;
    }
    return strcmp(x->path, y->path);
}

static int nullstrcmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* "version 2 is absent" / "versions 2 to 4 are absent" */
static void absent(char *out, size_t cap, int64_t from, int64_t to)
{
    if (from == to)
        snprintf(out, cap, "version %lld is absent", (long long)from);
    else
        snprintf(out, cap, "versions %lld to %lld are absent", (long long)from, (long long)to);
}

/* Document cur follows the nearest earlier present document prev of the
 * same register across absent versions: what can still be checked, and
 * which keys can no longer be traced. */
static void across_gap(entry *prev, entry *cur)
{
    inv_doc *p = &prev->doc, *d = &cur->doc;
    inv_buf_printf(&cur->notes, "; version %lld is absent: the link to it is not checked",
                   (long long)d->version - 1);
    if (nullstrcmp(p->contract, d->contract) || nullstrcmp(p->party[0], d->party[0]) ||
        nullstrcmp(p->party[1], d->party[1]))
        inv_buf_printf(&cur->why, "; its contract or party names differ from those of %s "
                       "(same register)", prev->path);
    if (p->date > d->date)
        inv_buf_printf(&cur->why, "; its date is before the date of %s (version %lld)",
                       prev->path, (long long)p->version);
    for (int r = 0; r < 2; r++) {
        const char *from = d->old_key[r][0] ? d->old_key[r] : d->key[r];
        if (strcmp(from, p->key[r])) {
            cur->key[r].at = d->version;
            cur->key[r].base = p->version;
        } else {
            cur->key[r] = prev->key[r];
        }
    }
}

/* The sentence saying why a document's keys cannot be trusted. */
static void untraced_reason(entry *en, const entry *v, size_t n)
{
    for (int r = 0; r < 2; r++) {
        const untraced *u = &en->key[r];
        if (!u->at)
            continue;
        char gap[96];
        absent(gap, sizeof gap, u->base + 1, u->at - 1);
        if (u->at == en->doc.version) {
            const char *bkey = "";
            for (size_t i = 0; i < n; i++)
                if (v[i].parsed && v[i].doc.version == u->base &&
                    !strcmp(v[i].doc.register_id, en->doc.register_id))
                    bkey = v[i].doc.key[r];
            inv_buf_printf(&en->unver, "; %s key %s differs from version %lld's (%s) and %s: "
                           "the key change cannot be checked", inv_roles[r], en->doc.key[r],
                           (long long)u->base, bkey, gap);
        } else {
            inv_buf_printf(&en->unver, "; %s key %s rests on the key change at version %lld, "
                           "which cannot be checked (%s)", inv_roles[r], en->doc.key[r],
                           (long long)u->at, gap);
        }
    }
}

/* The chain between the documents of one register, sorted by version.
 * INV_EIO (e set) on a read error or out of memory. */
static int check_chain(entry *v, size_t n, inv_err *e)
{
    entry *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        entry *en = &v[i];
        if (!en->parsed)
            continue;
        inv_doc *d = &en->doc;
        if (!prev || strcmp(prev->doc.register_id, d->register_id)) {
            /* the first document of its register: its keys are those of
             * the .pub files, which the parties exchanged */
            if (d->version > 1)
                inv_buf_printf(&en->notes, "; version %lld is absent: the link to it is not "
                               "checked", (long long)d->version - 1);
            prev = en;
            continue;
        }
        inv_doc *p = &prev->doc;
        if (p->version == d->version) {
            if (!strcmp(p->doc_hash, d->doc_hash)) {
                inv_buf_printf(&en->notes, "; same bytes as %s", prev->path);
            } else {
                inv_buf_printf(&en->why, "; %s also claims version %lld of register %s, with "
                               "other bytes", prev->path, (long long)d->version, d->register_id);
                inv_buf_printf(&prev->why, "; %s also claims version %lld of register %s, with "
                               "other bytes", en->path, (long long)d->version, d->register_id);
            }
            en->key[0] = prev->key[0];
            en->key[1] = prev->key[1];
            continue;
        }
        if (p->version + 1 != d->version) {
            across_gap(prev, en);
        } else {
            inv_err sub;
            int rc = inv_doc_follows(prev->path, p, en->path, d, &sub);
            if (rc == INV_EIO)
                return inv_fail(e, INV_EIO, "%s", sub.msg);
            if (rc)
                inv_buf_printf(&en->why, "; %s", sub.msg);
            en->key[0] = prev->key[0];
            en->key[1] = prev->key[1];
        }
        prev = en;
    }
    for (size_t i = 0; i < n; i++)
        if (v[i].parsed)
            untraced_reason(&v[i], v, n);
    return INV_OK;
}

/* The documents of one register in the sorted entries: [first, end). */
typedef struct reg_span {
    size_t first, end;
    const inv_doc *doc; /* its first document */
} reg_span;

static int cmp_span(const void *a, const void *b)
{
    const inv_doc *x = ((const reg_span *)a)->doc, *y = ((const reg_span *)b)->doc;
    int c = nullstrcmp(x->contract, y->contract);
    return c ? c : strcmp(x->register_id, y->register_id);
}

/* Two registers claiming one contract are a fork: every document of each
 * is broken, whatever its signatures. INV_EIO when out of memory. */
static int check_forks(entry *v, size_t n, inv_err *e)
{
    reg_span *s = calloc(n ? n : 1, sizeof *s);
    size_t ns = 0;
    if (!s)
        return inv_fail(e, INV_EIO, "out of memory");
    for (size_t i = 0; i < n; i++) {
        if (!v[i].parsed)
            continue;
        if (ns && !strcmp(v[s[ns - 1].first].doc.register_id, v[i].doc.register_id)) {
            s[ns - 1].end = i + 1;
            continue;
        }
        s[ns].first = i;
        s[ns].doc = &v[i].doc;
        s[ns++].end = i + 1;
    }
    if (ns)
        qsort(s, ns, sizeof *s, cmp_span);
    for (size_t g = 0; g < ns;) {
        size_t h = g + 1;
        while (h < ns && !nullstrcmp(v[s[h].first].doc.contract, v[s[g].first].doc.contract))
            h++;
        if (h - g > 1) {
            inv_buf ref = {0};
            const char *c = v[s[g].first].doc.contract;
            if (inv_escape(&ref, c ? c : "") || !ref.data) {
                free(s);
                inv_buf_free(&ref);
                return inv_fail(e, INV_EIO, "out of memory");
            }
            char more[64] = "";
            if (h - g > 2)
                snprintf(more, sizeof more, " (and %zu more registers)", h - g - 2);
            for (size_t k = g; k < h; k++)
                for (size_t i = s[k].first; i < s[k].end; i++)
                    if (v[i].parsed)
                        inv_buf_printf(&v[i].why, "; fork: registers %s and %s%s both claim "
                                       "contract %s", v[s[g].first].doc.register_id,
                                       v[s[g + 1].first].doc.register_id, more, ref.data);
            inv_buf_free(&ref);
        }
        g = h;
    }
    free(s);
    return INV_OK;
}

/* Reads the document at en->path, a regular file only. INV_EIO (e set)
 * on an error that is not the file's; otherwise the outcome is in en. */
static int read_entry(entry *en, inv_err *e)
{
    struct stat sb;
    inv_err sub;
    if (stat(en->path, &sb) != 0) {
        inv_buf_printf(&en->why, "; %s: cannot be read: %s", en->path, strerror(errno));
        return INV_OK;
    }
    if (!S_ISREG(sb.st_mode)) {
        /* never opened: a FIFO would block, a device could act */
        inv_buf_printf(&en->why, "; %s: %s, not read", en->path, file_type(sb.st_mode));
        return INV_OK;
    }
    int fd = open(en->path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        inv_buf_printf(&en->why, "; %s: cannot be read: %s", en->path, strerror(errno));
        return INV_OK;
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) { /* replaced since stat */
        inv_buf_printf(&en->why, "; %s: not a regular file, not read", en->path);
        close(fd);
        return INV_OK;
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        return inv_fail(e, INV_EIO, "%s: %s", en->path, strerror(errno));
    }
    int prc = inv_doc_read(f, en->path, &en->doc, NULL, NULL, &sub);
    fclose(f);
    if (prc == INV_EIO && !strstr(sub.msg, en->path))
        return inv_fail(e, INV_EIO, "%s", sub.msg);
    if (prc) {
        inv_buf_printf(&en->why, "; %s", sub.msg);
        return INV_OK;
    }
    en->parsed = 1;
    return INV_OK;
}

int inv_docs_verify(const char *dir, int64_t now, inv_doc_check_fn fn, void *ctx, inv_err *e)
{
    char **names = NULL;
    size_t n = 0;
    inv_keyring *ring = NULL;
    entry *v = NULL;
    int rc = list_dir(dir, ".scope", &names, &n, e);
    if (rc)
        return rc;
    if (n == 0) {
        rc = inv_fail(e, INV_EINPUT, "%s holds no *.scope document", dir);
        goto out;
    }
    if ((rc = inv_keyring_load(dir, &ring, e)))
        goto out;
    if (!(v = calloc(n, sizeof *v))) {
        rc = inv_fail(e, INV_EIO, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        entry *en = &v[i];
        if (!(en->path = join(dir, names[i]))) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            goto out;
        }
        if ((rc = read_entry(en, e)))
            goto out;
        if (en->parsed)
            check_sigs(en, ring, now);
    }
    qsort(v, n, sizeof *v, cmp_entry);
    if ((rc = check_chain(v, n, e)) || (rc = check_forks(v, n, e)))
        goto out;
    size_t first_bad = n;
    for (size_t i = 0; i < n && !rc; i++) {
        entry *en = &v[i];
        inv_buf_add(&en->why, "", 0);
        inv_buf_add(&en->notes, "", 0);
        inv_buf_add(&en->unver, "", 0);
        if (!en->why.data || !en->notes.data || !en->unver.data) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        inv_doc_check c = {en->path, en->parsed ? &en->doc : NULL, en->why.len == 0,
                           en->why.len ? en->why.data + 2 : NULL, &en->sigs,
                           en->notes.len ? en->notes.data + 2 : "",
                           !en->why.len && en->unver.len ? en->unver.data + 2 : NULL};
        if ((!c.ok || c.unverified) && first_bad == n) {
            first_bad = i;
            if (!c.ok)
                inv_fail(e, INV_FAIL, "%s does not hold: %s", en->path, c.reason);
            else
                inv_fail(e, INV_FAIL, "%s cannot be verified: %s", en->path, c.unverified);
        }
        if (fn)
            rc = fn(ctx, &c);
    }
    if (!rc)
        rc = first_bad < n ? INV_FAIL : INV_OK;
out:
    if (v) {
        for (size_t i = 0; i < n; i++) {
            free(v[i].path);
            if (v[i].parsed)
                inv_doc_free(&v[i].doc);
            inv_buf_free(&v[i].why);
            inv_buf_free(&v[i].notes);
            inv_buf_free(&v[i].unver);
        }
        free(v);
    }
    inv_keyring_free(ring);
    free_names(names, n);
    return rc;
}
