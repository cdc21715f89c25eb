/*
 * proof.c - proof.txt (scope-proof/1): formatted, parsed back strictly;
 * the leaf files' grammar; the steps of an audit path as RFC 9162 checks
 * them. The registerless check of a whole folder is in proofcheck.c.
 */
#include <stdlib.h>
#include <string.h>

#include "document_int.h"
#include "proof.h"

const char *const inv_pf_leaf_files[3] = {"item.txt", "before.txt", "after.txt"};

void inv_proof_folder_free(inv_proof_folder *f)
{
    if (!f)
        return;
    free(f->contract);
    free(f->id);
    for (int i = 0; i < 2; i++) {
        free(f->leaf[i].data);
        free(f->leaf[i].id);
    }
    for (int64_t k = 0; k < f->ncps; k++) {
        inv_pf_checkpoint *c = &f->cps[k];
        inv_checkpoint_free(&c->cp);
        free(c->data);
        for (int i = 0; i < 2; i++) {
            free(c->sig[i].trusted);
            free(c->sig[i].data);
            free(c->old[i].trusted);
            free(c->old[i].data);
        }
    }
    free(f->cps);
    free(f->keys);
    memset(f, 0, sizeof *f);
}

/* ---- writing ---- */

static int field(inv_buf *b, const char *key, const char *value)
{
    return inv__doc_line(b, "", 0, key, strlen(key), value, strlen(value));
}

static int field_hex(inv_buf *b, const char *key, const unsigned char h[CR_MERKLE_HASH_BYTES])
{
    char hex[2 * CR_MERKLE_HASH_BYTES + 1];
    cr_hex(hex, h, CR_MERKLE_HASH_BYTES);
    return field(b, key, hex);
}

int inv_proof_format(const inv_proof_folder *f, inv_buf *b)
{
    char at[32], agreed[32], made[32];
    inv_time_format(f->at, at, sizeof at);
    inv_time_format(f->made, made, sizeof made);
    inv_time_format(f->agreed, agreed, sizeof agreed);
    if (inv_buf_puts(b, INV_PROOF_TAG "\n") || field(b, "register", f->register_id) ||
        field(b, "contract", f->contract ? f->contract : "") ||
        field(b, "item", f->id ? f->id : "") || field(b, "at", at) ||
        field(b, "answer", f->answer ? "yes" : "no") ||
        inv_buf_printf(b, "version: %lld\n", (long long)f->version) ||
        field(b, "agreed", agreed) || field(b, "checkpoint", f->checkpoint) ||
        inv_buf_printf(b, "tree-size: %llu\n", (unsigned long long)f->size) ||
        field_hex(b, "root", f->root) || inv_buf_printf(b, "leaves: %d\n", f->nleaves) ||
        field(b, "made", made))
        return -1;
    for (int i = 0; i < f->nleaves; i++) {
        const inv_pf_leaf *l = &f->leaf[i];
        if (inv_buf_puts(b, "\n") || field(b, "leaf", inv_pf_leaf_files[l->kind]) ||
            inv_buf_printf(b, "index: %llu\n", (unsigned long long)l->path.index) ||
            field_hex(b, "hash", l->hash) || inv_buf_printf(b, "path-length: %d\n", l->path.len))
            return -1;
        for (int j = 0; j < l->path.len; j++)
            if (field_hex(b, "path", l->path.hash[j]))
                return -1;
    }
    return inv_buf_puts(b, "\nend of proof\n");
}

/* ---- reading ---- */

typedef struct reader {
    const char *data, *name;
    size_t len, pos;
    int line;          /* of the line last taken */
    const char *s;     /* its bytes, without the LF */
    size_t n;
    inv_err *e;
} reader;

/* Takes the next line; INV_EINPUT when there is none, or no LF ends it. */
static int next(reader *r, const char *want)
{
    r->line++;
    const char *nl = r->pos < r->len ? memchr(r->data + r->pos, '\n', r->len - r->pos) : NULL;
    if (!nl)
        return inv_fail(r->e, INV_EINPUT, "%s: line %d: %s; expected '%s'", r->name, r->line,
                        r->pos < r->len ? "the last line has no line feed" : "the file ends here",
                        want);
    r->s = r->data + r->pos;
    r->n = (size_t)(nl - r->s);
    r->pos += r->n + 1;
    return INV_OK;
}

static int bad(reader *r, const char *want)
{
    return inv_fail(r->e, INV_EINPUT, "%s: line %d: expected '%s'", r->name, r->line, want);
}

/* The next line is "KEY: VALUE" (VALUE non-empty): *v, *vn get VALUE. */
static int take(reader *r, const char *key, const char *want, const char **v, size_t *vn)
{
    int rc = next(r, want);
    if (rc)
        return rc;
    size_t kl = strlen(key);
    if (r->n < kl + 3 || memcmp(r->s, key, kl) || r->s[kl] != ':' || r->s[kl + 1] != ' ')
        return bad(r, want);
    *v = r->s + kl + 2;
    *vn = r->n - kl - 2;
    return INV_OK;
}

static int is_lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

static int take_hex(reader *r, const char *key, const char *want,
                    unsigned char out[CR_MERKLE_HASH_BYTES])
{
    const char *v;
    size_t vn;
    int rc = take(r, key, want, &v, &vn);
    if (rc)
        return rc;
    if (vn != 2 * CR_MERKLE_HASH_BYTES || !is_lower_hex(v, vn))
        return bad(r, want);
    for (size_t i = 0; i < CR_MERKLE_HASH_BYTES; i++) {
        unsigned hi = (unsigned)(v[2 * i] <= '9' ? v[2 * i] - '0' : v[2 * i] - 'a' + 10);
        unsigned lo = (unsigned)(v[2 * i + 1] <= '9' ? v[2 * i + 1] - '0' : v[2 * i + 1] - 'a' + 10);
        out[i] = (unsigned char)(hi << 4 | lo);
    }
    return INV_OK;
}

/* A NUMBER: decimal, no sign, no leading zero, at most 18 digits. */
static int take_number(reader *r, const char *key, const char *want, uint64_t *out)
{
    const char *v;
    size_t vn;
    int rc = take(r, key, want, &v, &vn);
    if (rc)
        return rc;
    if (vn < 1 || vn > 18 || strspn(v, "0123456789") < vn || (v[0] == '0' && vn > 1))
        return bad(r, want);
    uint64_t x = 0;
    for (size_t i = 0; i < vn; i++)
        x = x * 10 + (uint64_t)(v[i] - '0');
    *out = x;
    return INV_OK;
}

static int take_date(reader *r, const char *key, const char *want, int64_t *out)
{
    const char *v;
    size_t vn;
    char buf[32], back[32];
    int rc = take(r, key, want, &v, &vn);
    if (rc)
        return rc;
    if (vn != 20)
        return bad(r, want);
    memcpy(buf, v, vn);
    buf[vn] = '\0';
    if (inv_time_parse(buf, 0, out, NULL))
        return bad(r, want);
    inv_time_format(*out, back, sizeof back);
    return strcmp(back, buf) ? bad(r, want) : INV_OK;
}

/* Unescapes \\ \n \t (nothing else may follow a backslash); malloc'd, or
 * NULL with *oom or *badesc set. */
static char *unescape(const char *s, size_t n, int *badesc, int *oom)
{
    char *o = malloc(n + 1);
    size_t j = 0;
    *badesc = *oom = 0;
    if (!o) {
        *oom = 1;
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\0') {
            *badesc = 1;
            break;
        }
        if (s[i] != '\\') {
            o[j++] = s[i];
            continue;
        }
        char c = i + 1 < n ? s[++i] : '\0';
        if (c == '\\' || c == 'n' || c == 't') {
            o[j++] = c == 'n' ? '\n' : c == 't' ? '\t' : '\\';
        } else {
            *badesc = 1;
            break;
        }
    }
    if (*badesc) {
        free(o);
        return NULL;
    }
    o[j] = '\0';
    return o;
}

static int take_text(reader *r, const char *key, const char *want, int empty_ok, char **out)
{
    int badesc, oom;
    const char *v;
    size_t vn;
    char k[32];
    snprintf(k, sizeof k, "%s:", key);
    int rc;
    if (empty_ok) {
        if ((rc = next(r, want)))
            return rc;
        if (r->n == strlen(k) && !memcmp(r->s, k, r->n)) {
            *out = calloc(1, 1);
            return *out ? INV_OK : inv_fail(r->e, INV_EIO, "out of memory");
        }
        r->line--;
        r->pos -= r->n + 1;
    }
    if ((rc = take(r, key, want, &v, &vn)))
        return rc;
    *out = unescape(v, vn, &badesc, &oom);
    if (oom)
        return inv_fail(r->e, INV_EIO, "out of memory");
    return *out ? INV_OK : bad(r, want);
}

static int take_line(reader *r, const char *want)
{
    int rc = next(r, want);
    if (rc)
        return rc;
    return r->n == strlen(want) && !memcmp(r->s, want, r->n) ? INV_OK : bad(r, want);
}

#define HEX64 "<64 lower-case hex digits>"

static int parse_leaf(reader *r, inv_proof_folder *f, int i, uint64_t size)
{
    inv_pf_leaf *l = &f->leaf[i];
    const char *v;
    size_t vn;
    uint64_t x;
    int rc;
    if ((rc = take_line(r, "")))
        return rc;
    if ((rc = take(r, "leaf", "leaf: item.txt, before.txt or after.txt", &v, &vn)))
        return rc;
    l->line = r->line;
    l->kind = -1;
    for (int k = 0; k < 3; k++)
        if (vn == strlen(inv_pf_leaf_files[k]) && !memcmp(v, inv_pf_leaf_files[k], vn))
            l->kind = k;
    if (l->kind < 0)
        return bad(r, "leaf: item.txt, before.txt or after.txt");
    if ((rc = take_number(r, "index", "index: <number>", &x)))
        return rc;
    if (x >= size)
        return inv_fail(r->e, INV_EINPUT, "%s: line %d: index %llu is not below the tree size "
                        "%llu", r->name, r->line, (unsigned long long)x,
                        (unsigned long long)size);
    l->path.index = x;
    l->path.size = size;
    if ((rc = take_hex(r, "hash", "hash: " HEX64, l->hash)) ||
        (rc = take_number(r, "path-length", "path-length: <number>", &x)))
        return rc;
    if (x > CR_MERKLE_MAX_PATH)
        return inv_fail(r->e, INV_EINPUT, "%s: line %d: a path of %llu hashes is longer than "
                        "any tree's (%d at most)", r->name, r->line, (unsigned long long)x,
                        CR_MERKLE_MAX_PATH);
    l->path.len = (int)x;
    for (int j = 0; j < l->path.len; j++)
        if ((rc = take_hex(r, "path", "path: " HEX64, l->path.hash[j])))
            return rc;
    return INV_OK;
}

int inv_proof_parse(const char *data, size_t len, const char *name, inv_proof_folder *f,
                    inv_err *e)
{
    reader r = {data, name, len, 0, 0, NULL, 0, e};
    const char *v;
    size_t vn;
    uint64_t x;
    int rc;
    memset(f, 0, sizeof *f);
    if ((rc = take_line(&r, INV_PROOF_TAG))) {
        if (rc == INV_EINPUT)
            inv_fail(e, INV_EINPUT, "%s: line 1: expected 'scope-proof/1' (not a scopereg "
                     "proof)", name);
        goto fail;
    }
    if ((rc = take(&r, "register", "register: <32 lower-case hex digits>", &v, &vn)))
        goto fail;
    if (vn != 32 || !is_lower_hex(v, vn)) {
        rc = bad(&r, "register: <32 lower-case hex digits>");
        goto fail;
    }
    memcpy(f->register_id, v, 32);
    if ((rc = take_text(&r, "contract", "contract: <text>", 1, &f->contract)) ||
        (rc = take_text(&r, "item", "item: <id>", 0, &f->id)) ||
        (rc = take_date(&r, "at", "at: <YYYY-MM-DDTHH:MM:SSZ>", &f->at)) ||
        (rc = take(&r, "answer", "answer: yes or no", &v, &vn)))
        goto fail;
    if (vn == 3 && !memcmp(v, "yes", 3)) {
        f->answer = 1;
    } else if (!(vn == 2 && !memcmp(v, "no", 2))) {
        rc = bad(&r, "answer: yes or no");
        goto fail;
    }
    if ((rc = take_number(&r, "version", "version: <number from 1>", &x)))
        goto fail;
    if (x < 1) {
        rc = bad(&r, "version: <number from 1>");
        goto fail;
    }
    f->version = (int64_t)x;
    if ((rc = take_date(&r, "agreed", "agreed: <YYYY-MM-DDTHH:MM:SSZ>", &f->agreed)) ||
        (rc = take(&r, "checkpoint", "checkpoint: <file name>", &v, &vn)))
        goto fail;
    /* A name of this folder: no directory, nothing hidden. */
    if (vn >= sizeof f->checkpoint || v[0] == '.' ||
        strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") < vn ||
        vn < sizeof ".checkpoint" || memcmp(v + vn - 11, ".checkpoint", 11)) {
        rc = bad(&r, "checkpoint: <file name ending in .checkpoint>");
        goto fail;
    }
    memcpy(f->checkpoint, v, vn);
    f->checkpoint[vn] = '\0';
    if ((rc = take_number(&r, "tree-size", "tree-size: <number>", &x)))
        goto fail;
    f->size = x;
    if ((rc = take_hex(&r, "root", "root: " HEX64, f->root)) ||
        (rc = take_number(&r, "leaves", "leaves: 0, 1 or 2", &x)))
        goto fail;
    if (x > 2) {
        rc = bad(&r, "leaves: 0, 1 or 2");
        goto fail;
    }
    f->nleaves = (int)x;
    if ((rc = take_date(&r, "made", "made: <YYYY-MM-DDTHH:MM:SSZ>", &f->made)))
        goto fail;
    if (f->at > f->made + INV_CLOCK_SKEW) {
        char at[32], made[32];
        inv_time_format(f->at, at, sizeof at);
        inv_time_format(f->made, made, sizeof made);
        rc = inv_fail(e, INV_EINPUT, "%s: line 5: at: %s is later than made: %s (line 13): a "
                      "folder cannot show what was in scope after it was made", name, at, made);
        goto fail;
    }
    for (int i = 0; i < f->nleaves; i++)
        if ((rc = parse_leaf(&r, f, i, f->size)))
            goto fail;
    if ((rc = take_line(&r, "")) || (rc = take_line(&r, "end of proof")))
        goto fail;
    if (r.pos != len) {
        rc = inv_fail(e, INV_EINPUT, "%s: line %d: unexpected text after 'end of proof'", name,
                      r.line + 1);
        goto fail;
    }
    /* What was read, written back, is what was read. */
    inv_buf back = {0};
    if (inv_proof_format(f, &back)) {
        inv_buf_free(&back);
        rc = inv_fail(e, INV_EIO, "out of memory");
        goto fail;
    }
    int same = back.len == len && !memcmp(back.data, data, len);
    inv_buf_free(&back);
    if (!same) {
        rc = inv_fail(e, INV_EINPUT, "%s: not in the form scopereg writes (a value escaped "
                      "differently); see docs/FORMAT.md", name);
        goto fail;
    }
    return INV_OK;
fail:
    inv_proof_folder_free(f);
    return rc;
}

int64_t inv_proof_bound(const inv_proof_folder *f)
{
    for (int64_t k = f->version + 1; k <= f->ncps; k++) {
        const inv_pf_checkpoint *c = &f->cps[k - 1];
        int both = c->sig[0].present && c->sig[1].present;
        if (both && c->cp.date > f->at)
            return k;
        if (!both && c->cp.date <= f->at)
            return 0; /* it may have been agreed by then elsewhere */
    }
    return 0;
}

int inv_proof_clock_check(const inv_proof_folder *f, int64_t now, inv_err *e)
{
    char d[32], clock[32];
    int made = f->made > now + INV_CLOCK_SKEW;
    const char *what = made ? "made" : "at";
    int64_t v = made ? f->made : f->at;
    if (v <= now + INV_CLOCK_SKEW)
        return INV_OK;
    inv_time_format(v, d, sizeof d);
    inv_time_format(now, clock, sizeof clock);
    return inv_fail(e, INV_FAIL, "%s: line %d: %s: %s is later than this computer's clock "
                    "(%s) plus %d seconds: a proof cannot be made, nor answer, for a date "
                    "to come", INV_PROOF_FILE, made ? 13 : 5, what, d, clock,
                    INV_CLOCK_SKEW);
}

int inv_proof_leaf_parse(const char *data, size_t len, const char *name, char **id, inv_err *e)
{
    *id = NULL;
    size_t pos = 0;
    int line = 0;
    while (pos < len) {
        const char *s = data + pos;
        const char *nl = memchr(s, '\n', len - pos);
        line++;
        if (!nl) {
            free(*id);
            *id = NULL;
            return inv_fail(e, INV_EINPUT, "%s: line %d: the last line has no line feed", name,
                            line);
        }
        size_t n = (size_t)(nl - s);
        for (size_t i = 0; i < n; i++) {
            if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
                free(*id);
                *id = NULL;
                return inv_fail(e, INV_EINPUT, "%s: line %d: a control character (byte %zu)",
                                name, line, i + 1);
            }
        }
        if (line == 1) {
            int badesc, oom;
            if (n < 7 || memcmp(s, "item: ", 6))
                return inv_fail(e, INV_EINPUT, "%s: line 1: expected 'item: <id>' (a leaf is "
                                "one item block of a scope document)", name);
            *id = unescape(s + 6, n - 6, &badesc, &oom);
            if (oom)
                return inv_fail(e, INV_EIO, "out of memory");
            if (!*id)
                return inv_fail(e, INV_EINPUT, "%s: line 1: the id is not escaped as a scope "
                                "document escapes it", name);
        } else if (n < 4 || s[0] != ' ' || s[1] != ' ' || s[2] == ' ' || !memchr(s, ':', n)) {
            free(*id);
            *id = NULL;
            return inv_fail(e, INV_EINPUT, "%s: line %d: expected '  FIELD: VALUE' (a leaf is "
                            "one item block of a scope document)", name, line);
        }
        pos += n + 1;
    }
    if (line < 2) {
        free(*id);
        *id = NULL;
        return inv_fail(e, INV_EINPUT, "%s: %s; expected an item block ('item: <id>' and its "
                        "field lines)", name, len ? "one line only" : "empty");
    }
    return INV_OK;
}

int inv_proof_walk(const unsigned char leaf[CR_MERKLE_HASH_BYTES], const cr_merkle_path *path,
                   inv_pf_step_fn fn, void *ctx, unsigned char out[CR_MERKLE_HASH_BYTES])
{
    if (path->index >= path->size || path->len < 0 || path->len > CR_MERKLE_MAX_PATH)
        return -1;
    uint64_t fn_ = path->index, sn = path->size - 1;
    unsigned char r[CR_MERKLE_HASH_BYTES];
    memcpy(r, leaf, sizeof r);
    for (int i = 0; i < path->len; i++) {
        inv_pf_step s = {0};
        unsigned char in[CR_MERKLE_HASH_BYTES];
        /* The last node of a level at an even position has no sibling
         * there: it moves up unchanged (RFC 9162 does this after the
         * step before; the hashes are the same). */
        while (fn_ == sn && !(fn_ & 1) && fn_ != 0) {
            fn_ >>= 1;
            sn >>= 1;
            s.climbs++;
        }
        if (sn == 0)
            return -1;
        memcpy(in, r, sizeof in);
        s.i = i;
        s.pos = fn_;
        s.last = sn;
        s.path_left = (int)(fn_ & 1);
        s.left = s.path_left ? path->hash[i] : in;
        s.right = s.path_left ? in : path->hash[i];
        cr_merkle_node_hash(s.left, s.right, s.out);
        memcpy(r, s.out, sizeof r);
        fn_ >>= 1;
        sn >>= 1;
        if (fn)
            fn(ctx, &s);
    }
    memcpy(out, r, sizeof r);
    return sn == 0 ? 0 : -1;
}
