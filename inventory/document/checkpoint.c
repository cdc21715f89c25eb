/*
 * checkpoint.c - the checkpoint of a version (scope-checkpoint/1): derived
 * from one rendering of the register or one streamed read of a document
 * file, formatted, and parsed back strictly.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "beside.h"
#include "checkpoint.h"
#include "leafmem.h"
#include "pipeline.h"
#include "docline.h"
#include "document_int.h"

void inv_checkpoint_free(inv_checkpoint *cp)
{
    if (!cp)
        return;
    free(cp->contract);
    memset(cp, 0, sizeof *cp);
}

void inv_checkpoint_root_hex(const inv_checkpoint *cp, char out[2 * CR_MERKLE_HASH_BYTES + 1])
{
    cr_hex(out, cp->root, CR_MERKLE_HASH_BYTES);
}

int inv_checkpoint_format(const inv_checkpoint *cp, inv_buf *b)
{
    char date[32], root[2 * CR_MERKLE_HASH_BYTES + 1];
    const char *c = cp->contract ? cp->contract : "";
    inv_time_format(cp->date, date, sizeof date);
    inv_checkpoint_root_hex(cp, root);
    if (inv_buf_printf(b, INV_CHECKPOINT_TAG "\nregister: %s\n", cp->register_id) ||
        inv__doc_line(b, "", 0, "contract", 8, c, strlen(c)) ||
        inv_buf_printf(b, "version: %lld\ndate: %s\nprovider-key: %s\nclient-key: %s\n"
                          "document: %s\nprevious: %s\nitems: %lld\n"
                          "tree: " INV_CHECKPOINT_TREE "\nroot: %s\nend of checkpoint\n",
                       (long long)cp->version, date, cp->key[0], cp->key[1], cp->doc_hash,
                       cp->previous[0] ? cp->previous : "none", (long long)cp->items, root))
        return -1;
    return 0;
}

const char *inv_checkpoint_diff(const inv_checkpoint *a, const inv_checkpoint *b)
{
    if (strcmp(a->register_id, b->register_id))
        return "register";
    if (strcmp(a->contract ? a->contract : "", b->contract ? b->contract : ""))
        return "contract";
    if (a->version != b->version)
        return "version";
    if (a->date != b->date)
        return "date";
    if (strcmp(a->key[0], b->key[0]))
        return "provider-key";
    if (strcmp(a->key[1], b->key[1]))
        return "client-key";
    if (strcmp(a->doc_hash, b->doc_hash))
        return "document";
    if (strcmp(a->previous, b->previous))
        return "previous";
    if (a->items != b->items)
        return "items";
    if (cr_memcmp(a->root, b->root, CR_MERKLE_HASH_BYTES))
        return "root";
    return NULL;
}

/* ---- parsing ---- */

static int lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* A NUMBER of the document grammar (no sign, no leading zero, from min). */
static int number(const char *s, size_t n, int64_t min, int64_t *out)
{
    char buf[24];
    if (n < 1 || n > 18 || strspn(s, "0123456789") < n || (s[0] == '0' && n > 1))
        return 0;
    memcpy(buf, s, n);
    buf[n] = '\0';
    *out = strtoll(buf, NULL, 10);
    return *out >= min;
}

/* A HASH: "blake2b-256:" and 64 lower-case hex digits, into out. */
static int hash_value(const char *s, size_t n, char out[CR_HASH_STR_LEN])
{
    size_t pl = sizeof CR_HASH_PREFIX - 1;
    if (n != pl + 2 * CR_HASH_BYTES || memcmp(s, CR_HASH_PREFIX, pl) || !lower_hex(s + pl, n - pl))
        return 0;
    memcpy(out, s, n);
    out[n] = '\0';
    return 1;
}

/* Unescapes \\ \n \t (nothing else may follow a backslash), malloc'd. */
static char *unescape(const char *s, size_t n, int *bad)
{
    char *o = malloc(n + 1);
    size_t j = 0;
    *bad = 0;
    if (!o)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            o[j++] = s[i];
            continue;
        }
        char c = i + 1 < n ? s[++i] : '\0';
        if (c == '\\' || c == 'n' || c == 't')
            o[j++] = c == 'n' ? '\n' : c == 't' ? '\t' : '\\';
        else
            *bad = 1;
    }
    o[j] = '\0';
    return o;
}

static const char *const cp_expect[] = {
    INV_CHECKPOINT_TAG,
    "register: <32 lower-case hex digits>",
    "contract: <text>",
    "version: <number from 1>",
    "date: <YYYY-MM-DDTHH:MM:SSZ>",
    "provider-key: <16 upper-case hex digits>",
    "client-key: <16 upper-case hex digits>",
    "document: blake2b-256:<64 lower-case hex digits>",
    "previous: blake2b-256:<64 lower-case hex digits> or none",
    "items: <number>",
    ("tree: " INV_CHECKPOINT_TREE),
    "root: <64 lower-case hex digits>",
    "end of checkpoint",
};
static const char *const cp_keys[] = {NULL,          "register:",   "contract:", "version:",
                                      "date:",       "provider-key:", "client-key:",
                                      "document:",   "previous:",   "items:",    "tree:",
                                      "root:",       NULL};
#define CP_LINES 13
#define CP_TREE_LINE 10

/* Line k (0-based) of a checkpoint: s, n bytes without its LF. 1 when it
 * is what the grammar wants there (value stored in out), 0 when not. */
static int cp_line(int k, const char *s, size_t n, inv_checkpoint *out, int *oom)
{
    if (k == 0 || k == CP_LINES - 1 || k == CP_TREE_LINE)
        return strlen(cp_expect[k]) == n && !memcmp(s, cp_expect[k], n);
    size_t kl = strlen(cp_keys[k]);
    if (n < kl || memcmp(s, cp_keys[k], kl))
        return 0;
    const char *v = s + kl;
    size_t vn = n - kl;
    if (k == 2 && vn == 0) {
        out->contract = calloc(1, 1);
        *oom = !out->contract;
        return 1;
    }
    if (vn < 2 || v[0] != ' ')
        return 0;
    v++;
    vn--;
    switch (k) {
    case 1:
        if (vn != 32 || !lower_hex(v, vn))
            return 0;
        memcpy(out->register_id, v, vn);
        out->register_id[vn] = '\0';
        return 1;
    case 2: {
        int bad;
        out->contract = unescape(v, vn, &bad);
        *oom = !out->contract;
        return !bad && !memchr(v, '\0', vn);
    }
    case 3:
        return number(v, vn, 1, &out->version);
    case 4: {
        char buf[32], back[32];
        if (vn != 20)
            return 0;
        memcpy(buf, v, vn);
        buf[vn] = '\0';
        if (inv_time_parse(buf, 0, &out->date, NULL))
            return 0;
        inv_time_format(out->date, back, sizeof back);
        return !strcmp(back, buf);
    }
    case 5:
    case 6:
        if (vn != 16 || strspn(v, "0123456789ABCDEF") < 16)
            return 0;
        memcpy(out->key[k - 5], v, 16);
        out->key[k - 5][16] = '\0';
        return 1;
    case 7:
        return hash_value(v, vn, out->doc_hash);
    case 8:
        if (vn == 4 && !memcmp(v, "none", 4)) {
            out->previous[0] = '\0';
            return 1;
        }
        return hash_value(v, vn, out->previous);
    case 9:
        return number(v, vn, 0, &out->items);
    default:
        if (vn != 2 * CR_MERKLE_HASH_BYTES || !lower_hex(v, vn))
            return 0;
        for (size_t i = 0; i < CR_MERKLE_HASH_BYTES; i++) {
            unsigned hi = (unsigned)(v[2 * i] <= '9' ? v[2 * i] - '0' : v[2 * i] - 'a' + 10);
            unsigned lo = (unsigned)(v[2 * i + 1] <= '9' ? v[2 * i + 1] - '0'
                                                         : v[2 * i + 1] - 'a' + 10);
            out->root[i] = (unsigned char)(hi << 4 | lo);
        }
        return 1;
    }
}

int inv_checkpoint_parse(const char *data, size_t len, const char *name, inv_checkpoint *out,
                         inv_err *e)
{
    memset(out, 0, sizeof *out);
    size_t pos = 0;
    int k, oom = 0;
    for (k = 0; k < CP_LINES; k++) {
        const char *nl = pos < len ? memchr(data + pos, '\n', len - pos) : NULL;
        if (!nl) {
            inv_checkpoint_free(out);
            return inv_fail(e, INV_EINPUT, "%s: line %d: %s; expected '%s' (a checkpoint "
                            "ends with 'end of checkpoint' and a line feed)", name, k + 1,
                            pos < len ? "the last line has no line feed" : "the file ends here",
                            cp_expect[k]);
        }
        size_t n = (size_t)(nl - (data + pos));
        int ok = cp_line(k, data + pos, n, out, &oom);
        if (oom) {
            inv_checkpoint_free(out);
            return inv_fail(e, INV_EIO, "out of memory");
        }
        if (!ok) {
            inv_checkpoint_free(out);
            return inv_fail(e, INV_EINPUT, "%s: line %d: expected '%s'%s", name, k + 1,
                            cp_expect[k], k == 0 ? " (not a scopereg checkpoint)" : "");
        }
        pos += n + 1;
    }
    if (pos != len) {
        inv_checkpoint_free(out);
        return inv_fail(e, INV_EINPUT, "%s: line %d: unexpected text after 'end of "
                        "checkpoint'", name, CP_LINES + 1);
    }
    /* What was read, written back, is what was read: nothing else can
     * hide in it. */
    inv_buf back = {0};
    if (inv_checkpoint_format(out, &back)) {
        inv_buf_free(&back);
        inv_checkpoint_free(out);
        return inv_fail(e, INV_EIO, "out of memory");
    }
    int same = back.len == len && !memcmp(back.data, data, len);
    inv_buf_free(&back);
    if (!same) {
        inv_checkpoint_free(out);
        return inv_fail(e, INV_EINPUT, "%s: not in the form scopereg writes (a value escaped "
                        "differently); see docs/FORMAT.md", name);
    }
    return INV_OK;
}

int inv_checkpoint_load(const char *path, inv_checkpoint *out, char **text, size_t *len,
                        inv_err *e)
{
    char *buf = NULL;
    size_t n = 0;
    cr_err ce;
    memset(out, 0, sizeof *out);
    if (text)
        *text = NULL;
    int rc = cr_read_file(path, INV_CHECKPOINT_MAX, &buf, &n, &ce);
    if (rc)
        return inv_fail(e, rc == CR_EIO ? INV_EIO : INV_EINPUT, "%s", ce.msg);
    if ((rc = inv_checkpoint_parse(buf, n, path, out, e))) {
        free(buf);
        return rc;
    }
    if (text)
        *text = buf;
    else
        free(buf);
    if (len)
        *len = n;
    return INV_OK;
}

/* ---- from the register: one rendering ---- */

typedef struct derive {
    cr_hash h;          /* the hashes' thread */
    cr_prehash p;
    cr_merkle_tree t;   /* the tree's thread */
    inv_leaf_fn fn;
    void *ctx;
    inv__leafmem *mem;  /* leaf hashes of the last rendering, or NULL */
} derive;

/* The document's BLAKE2b-256 and minisign prehash. */
static int derive_sink(void *ctx, const void *data, size_t len)
{
    derive *d = ctx;
    cr_hash_update(&d->h, data, len);
    cr_prehash_update(&d->p, data, len);
    return 0;
}

static int derive_block(void *ctx, const inv_block *b)
{
    derive *d = ctx;
    if (b->kind != INV_BLOCK_ITEM)
        return 0;
    inv_leaf l = {d->t.size, b->id, b->data + b->lead, b->len - b->lead, {0}, b->rev};
    inv__leafmem *m = b->id ? d->mem : NULL;
    if (!m || !inv__leafmem_find(m, b->rev, b->id, l.hash))
        cr_merkle_leaf_hash(l.data, l.len, l.hash);
    if (m)
        inv__leafmem_keep(m, b->rev, b->id, l.hash);
    cr_merkle_tree_add(&d->t, l.hash);
    return d->fn ? d->fn(d->ctx, &l) : 0;
}

static void hash_str(cr_hash *h, char out[CR_HASH_STR_LEN])
{
    unsigned char raw[CR_HASH_BYTES];
    cr_hash_final(h, raw);
    memcpy(out, CR_HASH_PREFIX, sizeof CR_HASH_PREFIX - 1);
    cr_hex(out + sizeof CR_HASH_PREFIX - 1, raw, sizeof raw);
}

int inv__checkpoint_keys(inv_register *r, int64_t n, char key[2][CR_KEYID_HEX], inv_err *e)
{
    for (int i = 0; i < 2; i++) {
        inv_party p;
        int rc = inv_party_get(r, inv_roles[i], n, &p, e);
        if (rc)
            return rc;
        cr_keyid_hex(p.key.keyid, key[i]);
        inv_party_free(&p);
    }
    return INV_OK;
}

int inv__render_checkpoint(inv_register *r, const inv_version *v, inv_leaf_fn fn, void *ctx,
                           unsigned char prehash[CR_PREHASH_BYTES],
                           char doc_hash[CR_HASH_STR_LEN], inv__render_stats *stats,
                           inv_checkpoint *out, inv_err *e)
{
    derive d;
    unsigned char ph[CR_PREHASH_BYTES];
    memset(out, 0, sizeof *out);
    cr_hash_init(&d.h);
    cr_prehash_init(&d.p);
    cr_merkle_tree_init(&d.t);
    d.fn = fn;
    d.ctx = ctx;
    d.mem = stats ? stats->reuse : NULL;
    if (d.mem)
        inv__leafmem_begin(d.mem, inv_format_of(r, v->number));
    /* Three threads with two jobs or more (pipeline.h): this one renders,
     * one hashes the document (BLAKE2b-256 and the minisign prehash), one
     * hashes the leaves and the tree (and calls fn). On two cores they
     * share the work whatever its split: a version of a million items
     * renders longer than its hashes, a version of few changes shorter.
     * Each consumer sees its calls in order; they share nothing in d. */
    int jobs = stats ? stats->jobs : 0;
    inv_pipe *hashes = inv_pipe_new(NULL, NULL, derive_sink, &d, jobs, e);
    if (!hashes)
        return INV_EIO;
    inv_pipe *tree = inv_pipe_new(derive_block, &d, NULL, NULL, jobs, e);
    if (!tree) {
        inv_pipe_free(hashes);
        return INV_EIO;
    }
    int rc = inv__render_to(r, v, inv_pipe_sink, hashes, inv_pipe_block, tree, stats, e);
    int hrc = inv_pipe_finish(hashes, rc ? NULL : e);
    int trc = inv_pipe_finish(tree, rc || hrc ? NULL : e);
    inv_pipe_free(hashes);
    inv_pipe_free(tree);
    if (!rc)
        rc = hrc ? hrc : trc;
    if (d.mem)
        inv__leafmem_end(d.mem, rc == INV_OK);
    if (rc)
        return rc;
    cr_prehash_final(&d.p, prehash ? prehash : ph);
    snprintf(out->register_id, sizeof out->register_id, "%s", inv_register_id(r));
    if (!(out->contract = inv__strdup(inv_contract(r))))
        return inv_fail(e, INV_EIO, "out of memory");
    out->version = v->number;
    out->date = v->date;
    if ((rc = inv__checkpoint_keys(r, v->number, out->key, e))) {
        inv_checkpoint_free(out);
        return rc;
    }
    hash_str(&d.h, out->doc_hash);
    if (doc_hash)
        memcpy(doc_hash, out->doc_hash, CR_HASH_STR_LEN);
    snprintf(out->previous, sizeof out->previous, "%s", v->prev_hash);
    out->items = (int64_t)d.t.size;
    cr_merkle_tree_root(&d.t, out->root);
    return INV_OK;
}

int inv_checkpoint_render(inv_register *r, int64_t n, inv_leaf_fn fn, void *ctx,
                          inv_checkpoint *out, unsigned char prehash[CR_PREHASH_BYTES],
                          inv_err *e)
{
    inv_version v;
    memset(out, 0, sizeof *out);
    int rc = inv_version_get(r, n, &v, e);
    if (rc)
        return rc;
    rc = inv__render_checkpoint(r, &v, fn, ctx, prehash, NULL, NULL, out, e);
    if (!rc && strcmp(out->doc_hash, v.doc_hash))
        rc = inv_fail(e, INV_FAIL, "version %lld: its document no longer matches the hash "
                      "recorded at commit (%s, now %s); run 'scopereg verify'",
                      (long long)n, v.doc_hash, out->doc_hash);
    if (rc)
        inv_checkpoint_free(out);
    inv_version_free(&v);
    return rc;
}

/* ---- from a document file: one streamed read ---- */

typedef struct docleaves {
    cr_merkle_tree t;
    inv_buf block;   /* the item block being read */
    inv_buf id;      /* its id, unescaped */
    inv_buf line;    /* the line being read */
    int in_item, after_blank;
    inv_leaf_fn fn;
    void *ctx;
    int rc;
} docleaves;

static int leaf_end(docleaves *x)
{
    inv_leaf l = {x->t.size, x->id.data, x->block.data, x->block.len, {0}, 0};
    cr_merkle_leaf_hash(l.data, l.len, l.hash);
    cr_merkle_tree_add(&x->t, l.hash);
    x->in_item = 0;
    return x->fn && x->fn(x->ctx, &l) ? -1 : 0;
}

/* One whole line (with its LF). */
static int doc_line(docleaves *x, const char *s, size_t n)
{
    if (n == 1) { /* a blank line ends an item block */
        x->after_blank = 1;
        return x->in_item ? leaf_end(x) : 0;
    }
    if (x->after_blank && n >= 6 && !memcmp(s, "item:", 5) && (s[5] == ' ' || s[5] == '\n')) {
        int bad;
        size_t off = s[5] == ' ' ? 6 : 5;
        char *id = unescape(s + off, n - 1 - off, &bad);
        x->id.len = x->block.len = 0;
        if (!id || inv_buf_puts(&x->id, id)) {
            free(id);
            return -1;
        }
        free(id);
        x->in_item = 1;
    }
    x->after_blank = 0;
    return x->in_item ? inv_buf_add(&x->block, s, n) : 0;
}

int inv_checkpoint_of_doc(const char *path, const inv_doc *d, inv_leaf_fn fn, void *ctx,
                          inv_checkpoint *out, inv_err *e)
{
    FILE *f;
    mode_t mode = 0;
    memset(out, 0, sizeof *out);
    if (inv_open_regular(path, &f, &mode))
        return errno == EINVAL
                   ? inv_fail(e, INV_EINPUT, "%s: %s", path, inv_file_kind(mode))
                   : inv_fail(e, errno == ENOENT || errno == EACCES ? INV_EINPUT : INV_EIO,
                              "%s: cannot be read: %s", path, strerror(errno));
    docleaves x = {.fn = fn, .ctx = ctx};
    cr_hash h;
    cr_hash_init(&h);
    cr_merkle_tree_init(&x.t);
    char *buf = malloc(64 * 1024);
    int rc = buf ? INV_OK : inv_fail(e, INV_EIO, "out of memory");
    size_t got;
    uint64_t size = 0;
    while (!rc && (got = fread(buf, 1, 64 * 1024, f)) > 0) {
        cr_hash_update(&h, buf, got);
        size += got;
        size_t i = 0;
        while (!rc && i < got) {
            const char *nl = memchr(buf + i, '\n', got - i);
            size_t n = nl ? (size_t)(nl - (buf + i)) + 1 : got - i;
            if (x.line.len + n > INV__DOC_LINE_MAX + 1)
                rc = inv_fail(e, INV_EINPUT, "%s: not the scope document read before (a line "
                              "too long): check it again", path);
            else if (!nl)
                rc = inv_buf_add(&x.line, buf + i, n) ? inv_fail(e, INV_EIO, "out of memory")
                                                      : INV_OK;
            else if (x.line.len) {
                if (inv_buf_add(&x.line, buf + i, n) || doc_line(&x, x.line.data, x.line.len))
                    rc = inv_fail(e, INV_EIO, "%s: cannot derive the checkpoint (out of "
                                  "memory, or stopped)", path);
                x.line.len = 0;
            } else if (doc_line(&x, buf + i, n))
                rc = inv_fail(e, INV_EIO, "%s: cannot derive the checkpoint (out of memory, "
                              "or stopped)", path);
            i += n;
        }
    }
    if (!rc && ferror(f))
        rc = inv_fail(e, INV_EIO, "%s: read error", path);
    fclose(f);
    free(buf);
    if (!rc) {
        hash_str(&h, out->doc_hash);
        if (size != d->size || strcmp(out->doc_hash, d->doc_hash) || x.line.len || x.in_item ||
            (int64_t)x.t.size != d->items)
            rc = inv_fail(e, INV_EINPUT, "%s changed while it was being checked: check it "
                          "again", path);
    }
    inv_buf_free(&x.block);
    inv_buf_free(&x.id);
    inv_buf_free(&x.line);
    if (rc) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    snprintf(out->register_id, sizeof out->register_id, "%s", d->register_id);
    if (!(out->contract = inv__strdup(d->contract ? d->contract : "")))
        return inv_fail(e, INV_EIO, "out of memory");
    out->version = d->version;
    out->date = d->date;
    memcpy(out->key, d->key, sizeof out->key);
    snprintf(out->previous, sizeof out->previous, "%s", d->previous);
    out->items = (int64_t)x.t.size;
    cr_merkle_tree_root(&x.t, out->root);
    return INV_OK;
}

static char *joined(const char *stem, const char *a, const char *b, const char *c)
{
    size_t n = strlen(stem) + strlen(a) + strlen(b) + strlen(c) + 1;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s%s%s", stem, a, b, c);
    return p;
}

char *inv_checkpoint_path(const char *stem)
{
    return joined(stem, ".checkpoint", "", "");
}

char *inv_checkpoint_sig_path(const char *stem, const char *role)
{
    return joined(stem, ".checkpoint.", role, ".minisig");
}

int inv_checkpoint_sig_check(const inv_checkpoint *cp, const char *cp_text, size_t cp_len,
                             int role, const char *key_id, const cr_pubkey *pk,
                             const cr_sig *sig, int64_t now, inv_cptc *tc, inv_err *e)
{
    cr_err ce;
    inv_cptc local;
    char root[2 * CR_MERKLE_HASH_BYTES + 1], d1[32], d2[32], by[CR_KEYID_HEX], pkid[CR_KEYID_HEX];
    const char *rn = inv_roles[role];
    const char *want = key_id ? key_id : cp->key[role];
    long long n = (long long)cp->version;
    if (!tc)
        tc = &local;
    memset(tc, 0, sizeof *tc);
    /* The checkpoint names the key of each role: a signature by any other
     * key (an earlier or later key of that party) does not count. */
    cr_keyid_hex(sig->keyid, by);
    cr_keyid_hex(pk->keyid, pkid);
    if ((strcmp(by, want) || strcmp(pkid, want)) && key_id)
        return inv_fail(e, INV_FAIL, "%s old-key checkpoint signature of version %lld is by key "
                        "%s, but the key version %lld replaces is %s", rn, n, by, n, want);
    if (strcmp(by, want) || strcmp(pkid, want))
        return inv_fail(e, INV_FAIL, "%s checkpoint signature of version %lld is by key %s, "
                        "but the checkpoint names %s as the %s's key", rn, n, by, want, rn);
    if (cr_verify(pk, sig, cp_text, cp_len, &ce) != CR_OK)
        return inv_fail(e, INV_FAIL, "%s checkpoint signature of version %lld: %s", rn, n,
                        ce.msg);
    if (inv_cptc_parse(sig->trusted, tc, e)) {
        if (e)
            e->code = INV_FAIL;
        return INV_FAIL;
    }
    if (strcmp(tc->register_id, cp->register_id))
        return inv_fail(e, INV_FAIL, "%s checkpoint signature of version %lld is for register "
                        "%s, not %s", rn, n, tc->register_id, cp->register_id);
    if (tc->version != cp->version)
        return inv_fail(e, INV_FAIL, "%s checkpoint signature of version %lld names version "
                        "%lld", rn, n, (long long)tc->version);
    if (strcmp(tc->role, rn))
        return inv_fail(e, INV_FAIL, "checkpoint signature of version %lld says role %s but "
                        "its key is the %s's", n, tc->role, rn);
    inv_checkpoint_root_hex(cp, root);
    if (strcmp(tc->root, root))
        return inv_fail(e, INV_FAIL, "%s checkpoint signature of version %lld names root %s "
                        "but the checkpoint's root is %s", rn, n, tc->root, root);
    inv_time_format(tc->signed_at, d1, sizeof d1);
    if (tc->signed_at < cp->date) {
        inv_time_format(cp->date, d2, sizeof d2);
        return inv_fail(e, INV_FAIL, "%s checkpoint signature of version %lld is dated %s, "
                        "before the version itself (%s)", rn, n, d1, d2);
    }
    if (tc->doc_signed_at < cp->date) {
        inv_time_format(tc->doc_signed_at, d1, sizeof d1);
        inv_time_format(cp->date, d2, sizeof d2);
        return inv_fail(e, INV_FAIL, "%s checkpoint signature of version %lld says the document "
                        "was signed %s, before the version itself (%s)", rn, n, d1, d2);
    }
    if (tc->doc_signed_at > tc->signed_at) {
        inv_time_format(tc->doc_signed_at, d2, sizeof d2);
        return inv_fail(e, INV_FAIL, "%s checkpoint signature of version %lld says the document "
                        "was signed %s, after the checkpoint itself (%s)", rn, n, d2, d1);
    }
    if (tc->signed_at > now + INV_CLOCK_SKEW) {
        inv_time_format(now, d2, sizeof d2);
        return inv_fail(e, INV_FAIL, "%s checkpoint signature of version %lld is dated %s, "
                        "later than this machine's clock (%s) plus %d s", rn, n, d1, d2,
                        INV_CLOCK_SKEW);
    }
    return INV_OK;
}
