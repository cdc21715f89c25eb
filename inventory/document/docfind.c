/* docfind.c - one item's block and change entry in a scope document, streamed. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "beside.h"
#include "docfind.h"
#include "docline.h"

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

int inv_doc_find_item(const char *path, const inv_doc *d, const char *id, inv_doc_find *out,
                      inv_err *e)
{
    memset(out, 0, sizeof *out);
    inv_item_init(&out->item);
    FILE *fp;
    if (inv_open_regular(path, &fp, NULL) != 0)
        return inv_fail(e, INV_EINPUT, "%s: cannot be read: %s", path,
                        errno == EINVAL ? "not a regular file" : strerror(errno));
    inv_buf esc = {0};
    if (inv_escape(&esc, id) || inv_buf_add(&esc, "", 0) || !esc.data) {
        fclose(fp);
        inv_buf_free(&esc);
        return inv_fail(e, INV_EIO, "out of memory");
    }
    esc.len = strlen(esc.data);
    finder f = {path, 0, IN_HEADER, 0, 0, out, d->format == 2, 0};
    cr_hash h;
    cr_hash_init(&h);
    char *line = NULL;
    size_t cap = 0;
    ssize_t got;
    int rc = INV_OK;
    while (rc == INV_OK && (got = getline(&line, &cap, fp)) > 0) {
        size_t n = (size_t)got;
        f.lineno++;
        cr_hash_update(&h, line, n);
        if (n > INV__DOC_LINE_MAX + 1) {
            rc = inv_fail(e, INV_FAIL, "%s: line %lld is longer than any scope document line",
                          path, f.lineno);
            break;
        }
        rc = one_line(&f, line, line[n - 1] == '\n' ? n - 1 : n, &esc, id, e);
    }
    if (rc == INV_OK && ferror(fp))
        rc = inv_fail(e, INV_EIO, "%s: read error: %s", path, strerror(errno));
    free(line);
    fclose(fp);
    inv_buf_free(&esc);
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

void inv_doc_find_free(inv_doc_find *f)
{
    inv_item_free(&f->item);
    free(f->reason);
    f->reason = NULL;
    f->listed = f->change = 0;
}
