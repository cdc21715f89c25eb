/*
 * prove.c - the proof folder of one item at a date: which version was in
 * force and its checkpoint, the item's leaf and audit path or its
 * neighbours', from one pass over that version's item blocks.
 */
#include <stdlib.h>
#include <string.h>

#include "pipeline.h"
#include "prove.h"
#include "work_int.h"

/* ---- the pass: audit paths of leaves found on the way ---- */

/* A subtree to the right of a wanted leaf: leaves [lo, hi). */
typedef struct range {
    uint64_t lo, hi;
    cr_merkle_tree t;
} range;

/* A wanted leaf at index m. Its audit path, top-down as RFC 9162's PATH
 * recursion meets it, is made of subtrees to its left (perfect, aligned:
 * exactly the subtrees the tree over the first m leaves holds, largest
 * first) and subtrees to its right (hashed as their leaves stream by). */
typedef struct target {
    int kind;
    uint64_t m;
    cr_merkle_tree left;
    range right[CR_MERKLE_MAX_PATH];
    int nright, cursor;
    int nsteps;
    unsigned char is_left[CR_MERKLE_MAX_PATH];
    int ref[CR_MERKLE_MAX_PATH];
    unsigned char hash[CR_MERKLE_HASH_BYTES];
    char *data, *id;
    size_t len;
} target;

struct inv_tree_pass {
    char *id;
    uint64_t size, count;
    int searching, failed;
    cr_merkle_tree all;
    /* The last leaf, added to the trees only when the next one comes: the
     * leaf before id is known to be it once a later id shows up. */
    int pending;
    uint64_t pidx;
    unsigned char ph[CR_MERKLE_HASH_BYTES];
    inv_buf pdata, pid;
    target t[2];
    int nt;
};

inv_tree_pass *inv_tree_pass_new(const char *id, uint64_t size)
{
    inv_tree_pass *p = calloc(1, sizeof *p);
    if (!p || !(p->id = inv__strdup(id))) {
        free(p);
        return NULL;
    }
    p->size = size;
    p->searching = 1;
    cr_merkle_tree_init(&p->all);
    return p;
}

void inv_tree_pass_free(inv_tree_pass *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->nt; i++) {
        free(p->t[i].data);
        free(p->t[i].id);
    }
    inv_buf_free(&p->pdata);
    inv_buf_free(&p->pid);
    free(p->id);
    free(p);
}

static char *dup_bytes(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

/* A wanted leaf m whose left subtrees are those of `left` (m leaves). */
static int target_start(inv_tree_pass *p, int kind, uint64_t m, const char *id,
                        const char *data, size_t len, const unsigned char hash[CR_MERKLE_HASH_BYTES])
{
    target *t = &p->t[p->nt++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->m = m;
    t->left = p->all;
    memcpy(t->hash, hash, CR_MERKLE_HASH_BYTES);
    if (!(t->data = dup_bytes(data, len)) || !(t->id = inv__strdup(id)))
        return -1;
    t->len = len;
    uint64_t lo = 0, hi = p->size;
    int nleft = 0;
    while (hi - lo > 1) {
        uint64_t k = 1;
        while (k < (hi - lo) - k) /* the largest power of two below hi - lo */
            k <<= 1;
        if (m < lo + k) {
            t->right[t->nright].lo = lo + k;
            t->right[t->nright].hi = hi;
            cr_merkle_tree_init(&t->right[t->nright].t);
            t->is_left[t->nsteps] = 0;
            t->ref[t->nsteps] = t->nright++;
            hi = lo + k;
        } else {
            t->is_left[t->nsteps] = 1;
            t->ref[t->nsteps] = nleft++;
            lo += k;
        }
        t->nsteps++;
    }
    /* The ranges to the right come top-down, so by decreasing lo: the
     * leaves after m fill the last one first. */
    t->cursor = t->nright - 1;
    return nleft == t->left.depth ? 0 : -1;
}

static void target_add(target *t, uint64_t x, const unsigned char h[CR_MERKLE_HASH_BYTES])
{
    if (x <= t->m)
        return;
    while (t->cursor >= 0 && x >= t->right[t->cursor].hi)
        t->cursor--;
    if (t->cursor >= 0 && x >= t->right[t->cursor].lo)
        cr_merkle_tree_add(&t->right[t->cursor].t, h);
}

static void flush_pending(inv_tree_pass *p)
{
    if (!p->pending)
        return;
    cr_merkle_tree_add(&p->all, p->ph);
    for (int i = 0; i < p->nt; i++)
        target_add(&p->t[i], p->pidx, p->ph);
    p->pending = 0;
}

int inv_tree_pass_add(inv_tree_pass *p, const char *id, const char *data, size_t len,
                      const unsigned char hash[CR_MERKLE_HASH_BYTES])
{
    if (p->failed || p->count >= p->size) {
        p->failed = 1;
        return -1;
    }
    uint64_t j = p->count++;
    if (p->searching) {
        int c = strcmp(id, p->id);
        if (c >= 0) {
            p->searching = 0;
            if (c > 0 && p->pending &&
                target_start(p, INV_PF_BEFORE, p->pidx, p->pid.data, p->pdata.data,
                             p->pdata.len, p->ph)) {
                p->failed = 1;
                return -1;
            }
            flush_pending(p);
            if (target_start(p, c ? INV_PF_AFTER : INV_PF_ITEM, j, id, data, len, hash)) {
                p->failed = 1;
                return -1;
            }
        } else {
            flush_pending(p);
            p->pdata.len = p->pid.len = 0;
            if (inv_buf_add(&p->pdata, data, len) || inv_buf_puts(&p->pid, id)) {
                p->failed = 1;
                return -1;
            }
        }
    } else {
        flush_pending(p);
    }
    p->pending = 1;
    p->pidx = j;
    memcpy(p->ph, hash, CR_MERKLE_HASH_BYTES);
    return 0;
}

int inv_tree_pass_final(inv_tree_pass *p, unsigned char root[CR_MERKLE_HASH_BYTES],
                        inv_pf_leaf leaf[2], int *n)
{
    *n = 0;
    if (p->failed || p->count != p->size)
        return -1;
    if (p->searching && p->pending) {
        /* every id sorts before the one asked: the last leaf is before it */
        p->searching = 0;
        if (target_start(p, INV_PF_BEFORE, p->pidx, p->pid.data, p->pdata.data, p->pdata.len,
                         p->ph))
            return -1;
    }
    flush_pending(p);
    cr_merkle_tree_root(&p->all, root);
    for (int i = 0; i < p->nt; i++) {
        target *t = &p->t[i];
        inv_pf_leaf *l = &leaf[i];
        memset(l, 0, sizeof *l);
        l->kind = t->kind;
        memcpy(l->hash, t->hash, sizeof l->hash);
        l->path.index = t->m;
        l->path.size = p->size;
        l->path.len = t->nsteps;
        for (int s = 0; s < t->nsteps; s++) {
            int top = t->nsteps - 1 - s; /* bottom-up */
            if (t->is_left[top])
                memcpy(l->path.hash[s], t->left.hash[t->ref[top]], CR_MERKLE_HASH_BYTES);
            else
                cr_merkle_tree_root(&t->right[t->ref[top]].t, l->path.hash[s]);
        }
        l->data = t->data;
        l->len = t->len;
        l->id = t->id;
        t->data = t->id = NULL;
        (*n)++;
        if (cr_merkle_verify(l->hash, &l->path, root))
            return -1;
    }
    return 0;
}

/* ---- the folder ---- */

/* What the register says of one version. */
typedef struct vinfo {
    inv_version v;
    int64_t doc_agreed;       /* its document's agreement date, 0: not agreed */
    int rows;                 /* stored checkpoint signatures */
    char root[65];            /* the root the first of them signs */
    inv_cp_state st;
    int64_t cp_agreed;        /* both checkpoint signatures hold: the later date */
} vinfo;

typedef struct rows_ctx {
    vinfo *vi;
    int role;                 /* collect: the role wanted, -1: first root only */
    const char *key_id;       /* collect: its key */
    inv_pf_sig *out;
    int oom;
} rows_ctx;

static int row_one(void *ctx, const inv_sig_row *row)
{
    rows_ctx *c = ctx;
    cr_sig sig;
    cr_err ce;
    inv_cptc tc;
    c->vi->rows++;
    if (c->role < 0) {
        if (!c->vi->root[0] && cr_sig_parse(row->minisig, strlen(row->minisig), &sig, &ce) == 0 &&
            inv_cptc_parse(sig.trusted, &tc, NULL) == INV_OK)
            memcpy(c->vi->root, tc.root, sizeof c->vi->root);
        return 0;
    }
    if (strcmp(row->role, inv_roles[c->role]) || strcmp(row->key_id, c->key_id) || c->out->data)
        return 0;
    if (cr_sig_parse(row->minisig, strlen(row->minisig), &sig, &ce) != 0)
        return 0;
    c->out->data = inv__strdup(row->minisig);
    c->out->trusted = inv__strdup(sig.trusted);
    if (!c->out->data || !c->out->trusted)
        return c->oom = 1;
    c->out->len = strlen(row->minisig);
    snprintf(c->out->key_id, sizeof c->out->key_id, "%s", row->key_id);
    return 0;
}

static int hex_root(const char *hex, unsigned char out[CR_MERKLE_HASH_BYTES])
{
    if (strlen(hex) != 2 * CR_MERKLE_HASH_BYTES)
        return -1;
    for (size_t i = 0; i < CR_MERKLE_HASH_BYTES; i++) {
        unsigned v = 0;
        for (int k = 0; k < 2; k++) {
            char ch = hex[2 * i + (size_t)k];
            if (ch >= '0' && ch <= '9')
                v = v * 16 + (unsigned)(ch - '0');
            else if (ch >= 'a' && ch <= 'f')
                v = v * 16 + (unsigned)(ch - 'a' + 10);
            else
                return -1;
        }
        out[i] = (unsigned char)v;
    }
    return 0;
}

/* The checkpoint of v with that root, from the register's version row. */
static int cp_of(inv_register *r, const vinfo *vi, const unsigned char root[CR_MERKLE_HASH_BYTES],
                 inv_checkpoint *cp, inv_err *e)
{
    memset(cp, 0, sizeof *cp);
    snprintf(cp->register_id, sizeof cp->register_id, "%s", inv_register_id(r));
    if (!(cp->contract = inv__strdup(inv_contract(r))))
        return inv_fail(e, INV_EIO, "out of memory");
    cp->version = vi->v.number;
    cp->date = vi->v.date;
    int rc = inv__checkpoint_keys(r, vi->v.number, cp->key, e);
    if (rc) {
        inv_checkpoint_free(cp);
        return rc;
    }
    memcpy(cp->doc_hash, vi->v.doc_hash, sizeof cp->doc_hash);
    memcpy(cp->previous, vi->v.prev_hash, sizeof cp->previous);
    cp->items = vi->v.item_count;
    memcpy(cp->root, root, CR_MERKLE_HASH_BYTES);
    return INV_OK;
}

static void cp_agreement(vinfo *vi)
{
    /* when both parties agreed the document, as their checkpoint
     * signatures state it (document-signed:), not when they signed the
     * checkpoint: a checkpoint signed later still proves the right period */
    vi->cp_agreed = 0;
    if (vi->st.signed_[0] && vi->st.signed_[1])
        vi->cp_agreed = vi->st.doc_at[0] > vi->st.doc_at[1] ? vi->st.doc_at[0]
                                                            : vi->st.doc_at[1];
}

/* The version's document agreement and its checkpoint signatures, checked
 * against the checkpoint with the root they sign (no rendering). */
static int version_info(inv_register *r, int64_t k, vinfo *vi, inv_err *e)
{
    inv_sig_state s;
    int rc = inv_version_get(r, k, &vi->v, e);
    if (rc || (rc = inv_sig_state_get(r, k, &s, e)))
        return rc;
    vi->doc_agreed = inv_agreed_at(&s, vi->v.date);
    rows_ctx c = {vi, -1, NULL, NULL, 0};
    if ((rc = inv_cpsig_list(r, k, row_one, &c, e)))
        return rc;
    if (!vi->rows)
        return INV_OK;
    unsigned char root[CR_MERKLE_HASH_BYTES];
    inv_checkpoint cp;
    if (hex_root(vi->root, root))
        return inv_fail(e, INV_FAIL, "version %lld: a stored checkpoint signature does not "
                        "parse; run 'scopereg verify'; nothing written", (long long)k);
    if ((rc = cp_of(r, vi, root, &cp, e)))
        return rc;
    rc = inv_cpsig_state(r, k, &cp, &vi->st, e);
    inv_checkpoint_free(&cp);
    if (rc == INV_OK && vi->st.broken)
        rc = inv_fail(e, INV_FAIL, "version %lld: a stored checkpoint signature does not hold; "
                      "run 'scopereg verify'; nothing written", (long long)k);
    cp_agreement(vi);
    return rc;
}

typedef struct pass_ctx {
    inv_tree_pass *p;
    int failed;
} pass_ctx;

static int pass_block(void *ctx, const inv_block *b)
{
    pass_ctx *c = ctx;
    if (b->kind != INV_BLOCK_ITEM)
        return 0;
    unsigned char h[CR_MERKLE_HASH_BYTES];
    const char *data = b->data + b->lead;
    size_t len = b->len - b->lead;
    cr_merkle_leaf_hash(data, len, h);
    if (inv_tree_pass_add(c->p, b->id, data, len, h)) {
        c->failed = 1;
        return 1;
    }
    return 0;
}

/* ---- the pass from the leaf cache ---- */

static int cached_leaf(void *ctx, const char *id, const unsigned char hash[32])
{
    return inv_tree_pass_add(ctx, id, "", 0, hash) ? 1 : 0;
}

/* The pass over version k's leaves (size of them) from the leaf cache,
 * rendering only the blocks the folder shows: 1 with f->root, f->leaf
 * and f->nleaves set when every item has a cache row, the tree they give
 * has the root both parties signed (vk->root) and each shown block
 * hashes to its cached leaf; 0 otherwise, f untouched (the caller then
 * renders the version: the cache is not evidence). */
static int from_leaf_cache(inv_register *r, const vinfo *vk, int64_t k, uint64_t size,
                           const char *id, inv_proof_folder *f)
{
    unsigned char signed_root[CR_MERKLE_HASH_BYTES], h[CR_MERKLE_HASH_BYTES];
    inv_err sub;
    if (!vk->rows || hex_root(vk->root, signed_root))
        return 0;
    inv_tree_pass *p = inv_tree_pass_new(id, size);
    if (!p)
        return 0;
    int ok = inv__leaf_cache_walk(r, k, cached_leaf, p, &sub) == INV_OK &&
             inv_tree_pass_final(p, f->root, f->leaf, &f->nleaves) == 0 &&
             cr_memcmp(f->root, signed_root, sizeof signed_root) == 0;
    for (int i = 0; ok && i < f->nleaves; i++) {
        inv_buf b = {0};
        inv_pf_leaf *l = &f->leaf[i];
        if (inv__render_item_block(r, k, l->id, &b, &sub) == INV_OK) {
            cr_merkle_leaf_hash(b.data, b.len, h);
            ok = cr_memcmp(h, l->hash, sizeof h) == 0;
        } else {
            ok = 0;
        }
        if (ok) {
            free(l->data);
            l->data = b.data;
            l->len = b.len;
        } else {
            inv_buf_free(&b);
        }
    }
    if (!ok) {
        for (int i = 0; i < f->nleaves; i++) {
            free(f->leaf[i].data);
            free(f->leaf[i].id);
        }
        memset(f->leaf, 0, sizeof f->leaf);
        memset(f->root, 0, sizeof f->root);
        f->nleaves = 0;
    }
    inv_tree_pass_free(p);
    return ok;
}

static int add_key(inv_proof_folder *f, int role, const cr_pubkey *pk, int64_t k, inv_err *e)
{
    char id[CR_KEYID_HEX];
    cr_keyid_hex(pk->keyid, id);
    for (size_t i = 0; i < f->nkeys; i++) {
        if (f->keys[i].role == role && !strcmp(f->keys[i].id, id)) {
            f->keys[i].to = k;
            return INV_OK;
        }
    }
    inv_pf_key *nv = realloc(f->keys, (f->nkeys + 1) * sizeof *nv);
    if (!nv)
        return inv_fail(e, INV_EIO, "out of memory");
    f->keys = nv;
    inv_pf_key *key = &nv[f->nkeys++];
    memset(key, 0, sizeof *key);
    key->role = role;
    memcpy(key->id, id, sizeof key->id);
    key->pk = *pk;
    key->from = key->to = k;
    return INV_OK;
}

/* Names the keys: the one each role holds at the last version is
 * <stem>.ROLE.pub, earlier ones <stem>.ROLE.KEYID.pub (as evidence and
 * export name them). */
static void name_keys(inv_proof_folder *f)
{
    for (size_t i = 0; i < f->nkeys; i++) {
        inv_pf_key *k = &f->keys[i];
        inv_bundle_name(k->file, sizeof k->file,
                        k->to == f->ncps ? INV_FILE_PUB : INV_FILE_KEYID_PUB, f->stem, 0,
                        k->role, k->id);
    }
}

/* The checkpoint file of version k and its signatures that hold. */
static int add_checkpoint(inv_register *r, inv_proof_folder *f, vinfo *vi, int64_t k,
                          const unsigned char *root, inv_err *e)
{
    inv_pf_checkpoint *c = &f->cps[k - 1];
    int rc;
    snprintf(c->file, sizeof c->file, "%s-v%lld.checkpoint", f->stem, (long long)k);
    if (root) {
        rc = cp_of(r, vi, root, &c->cp, e);
    } else if (vi->rows) {
        unsigned char rt[CR_MERKLE_HASH_BYTES];
        hex_root(vi->root, rt); /* version_info parsed it */
        rc = cp_of(r, vi, rt, &c->cp, e);
    } else {
        rc = inv_checkpoint_get(r, k, &c->cp, e); /* never signed: one rendering */
    }
    if (rc)
        return rc;
    inv_buf b = {0};
    if (inv_checkpoint_format(&c->cp, &b)) {
        inv_buf_free(&b);
        return inv_fail(e, INV_EIO, "out of memory");
    }
    c->data = b.data;
    c->len = b.len;
    for (int role = 0; role < 2; role++) {
        inv_party p;
        if ((rc = inv_party_get(r, inv_roles[role], k, &p, e)))
            return rc;
        cr_pubkey pk = p.key;
        inv_party_free(&p);
        if ((rc = add_key(f, role, &pk, k, e)))
            return rc;
        if (!vi->st.signed_[role])
            continue;
        inv_pf_sig *s = &c->sig[role];
        char kid[CR_KEYID_HEX];
        cr_keyid_hex(pk.keyid, kid);
        rows_ctx rc2 = {vi, role, kid, s, 0};
        int rows = vi->rows;
        rc = inv_cpsig_list(r, k, row_one, &rc2, e);
        vi->rows = rows;
        if (rc)
            return rc;
        if (rc2.oom)
            return inv_fail(e, INV_EIO, "out of memory");
        if (!s->data)
            return inv_fail(e, INV_FAIL, "version %lld: the %s's checkpoint signature is not "
                            "by the key the version names; run 'scopereg verify'; nothing "
                            "written", (long long)k, inv_roles[role]);
        s->present = 1;
        s->signed_at = vi->st.at[role];
        s->doc_signed_at = vi->st.doc_at[role];
        snprintf(s->file, sizeof s->file, "%s.%s.minisig", c->file, inv_roles[role]);
        if (!vi->st.rotates[role])
            continue;
        /* the key replaced signed it too: it vouches for the new key */
        cr_pubkey was;
        int rot = 0;
        inv_pf_sig *o = &c->old[role];
        if ((rc = inv_rotation_at(r, k, inv_roles[role], &rot, &was, NULL, e)))
            return rc;
        cr_keyid_hex(was.keyid, kid);
        rows_ctx rc3 = {vi, role, kid, o, 0};
        rows = vi->rows;
        rc = inv_cpsig_list(r, k, row_one, &rc3, e);
        vi->rows = rows;
        if (rc)
            return rc;
        if (rc3.oom)
            return inv_fail(e, INV_EIO, "out of memory");
        if (!o->data)
            return inv_fail(e, INV_FAIL, "version %lld: the %s's checkpoint carries no "
                            "signature by the key %s it replaces; run 'scopereg verify'; "
                            "nothing written", (long long)k, inv_roles[role], kid);
        o->present = 1;
        o->signed_at = vi->st.old_at[role];
        o->doc_signed_at = vi->st.old_doc_at[role];
        snprintf(o->file, sizeof o->file, "%s.%s.old.minisig", c->file, inv_roles[role]);
    }
    c->agreed_at = vi->cp_agreed;
    return INV_OK;
}

static const char *cp_words(const vinfo *vi)
{
    if (vi->st.signed_[0])
        return INV_("the provider's only");
    if (vi->st.signed_[1])
        return INV_("the client's only");
    return INV_("none");
}

/* A version of the folder that replaces a party's key must carry the
 * replaced key's checkpoint signature (<stem>-vK.checkpoint.ROLE.old.minisig):
 * without it verify --proof cannot accept the change of key. INV_FAIL
 * naming the version, the role, both keys and the fix. */
static int rotation_vouched(inv_register *r, int64_t k, const vinfo *vi, inv_err *e)
{
    for (int role = 0; role < 2; role++) {
        int rot = 0;
        cr_pubkey was, now;
        char wid[CR_KEYID_HEX], nid[CR_KEYID_HEX];
        int rc = inv_rotation_at(r, k, inv_roles[role], &rot, &was, &now, e);
        if (rc)
            return rc;
        if (!rot || vi->st.old_signed[role])
            continue;
        cr_keyid_hex(was.keyid, wid);
        cr_keyid_hex(now.keyid, nid);
        return inv_fail(e, INV_FAIL, "version %lld replaces the %s's key %s by %s, but key %s "
                        "has not signed version %lld's checkpoint: a proof could not show the "
                        "change of key; 'scopereg sign %lld --key OLD.key' (the secret key of %s) "
                        "signs it; nothing written", (long long)k, inv_roles[role], wid, nid,
                        wid, (long long)k, (long long)k, wid);
    }
    return INV_OK;
}

/* Version k's leaves did not come out as its version row says: out of
 * memory (INV_EIO, no verdict) or items that are not the count it records. */
static int items_fault(int64_t k, int64_t count, inv_err *e)
{
    if (inv_oom_seen())
        return inv_fail(e, INV_EIO, "out of memory");
    return inv_fail(e, INV_FAIL, "version %lld: its items are not the %lld its version records, "
                    "or out of memory; run 'scopereg verify'; nothing written", (long long)k,
                    (long long)count);
}

int inv_prove(inv_register *r, const char *id, int64_t t, int64_t made, inv_proof_folder *f,
              inv_err *e)
{
    vinfo *vi = NULL;
    inv_tree_pass *pass = NULL;
    int64_t latest = 0, K, L = 0;
    char when[32], d[32];
    int rc;
    memset(f, 0, sizeof *f);
    inv_time_format(t, when, sizeof when);
    if ((rc = inv_id_check_stored(id, e)))
        return rc;
    if (t > made + INV_CLOCK_SKEW) {
        inv_time_format(made, d, sizeof d);
        return inv_fail(e, INV_EINPUT, "--at %s is later than the clock (%s): no one can prove "
                        "what will be in scope then; give a date up to now (nothing written)",
                        when, d);
    }
    snprintf(f->register_id, sizeof f->register_id, "%s", inv_register_id(r));
    if (!(f->contract = inv__strdup(inv_contract(r))) || !(f->id = inv__strdup(id)))
        return inv_fail(e, INV_EIO, "out of memory");
    inv_doc_stem(f->contract, f->stem, sizeof f->stem);
    f->at = t;
    f->made = made;
    inv_in_force inf;
    if ((rc = inv_in_force_at(r, t, &inf, e)) || (rc = inv_latest(r, &latest, e)))
        return rc;
    f->latest = latest;
    K = inf.version;
    if (!K)
        return inv_fail(e, INV_FAIL, "no version was agreed by both parties by %s: there is no "
                        "scope to prove anything about; nothing written", when);
    if (!(vi = calloc((size_t)latest, sizeof *vi)))
        return inv_fail(e, INV_EIO, "out of memory");
    for (int64_t k = 1; k <= latest; k++) {
        vinfo *v = &vi[k - 1];
        if ((rc = version_info(r, k, v, e)))
            goto out;
        if (v->cp_agreed)
            L = k;
        if (k <= K && (rc = rotation_vouched(r, k, v, e)))
            goto out;
        if (k <= K && v->doc_agreed && !v->cp_agreed) {
            rc = inv_fail(e, INV_FAIL, "version %lld has no checkpoint agreed by both parties "
                          "(signatures of its checkpoint: %s); 'scopereg sign %lld' and "
                          "'scopereg cosign' give it one; nothing written", (long long)k,
                          cp_words(v), (long long)k);
            goto out;
        }
        if (k > K && v->cp_agreed && v->cp_agreed <= t) {
            rc = inv_fail(e, INV_FAIL, "both parties signed the checkpoint of version %lld by "
                          "%s but not its document: the register does not hold; run "
                          "'scopereg verify'; nothing written", (long long)k, when);
            goto out;
        }
    }
    for (int64_t k = K + 1; k <= L; k++)
        if ((rc = rotation_vouched(r, k, &vi[k - 1], e)))
            goto out;
    if (vi[K - 1].cp_agreed > t) {
        inv_time_format(vi[K - 1].cp_agreed, d, sizeof d);
        rc = inv_fail(e, INV_FAIL, "version %lld was in force at %s, but both parties signed "
                      "its checkpoint only at %s: a proof can show that version from then on "
                      "(--at %s or later); nothing written", (long long)K, when, d, d);
        goto out;
    }
    /* The one pass over version K's item blocks: from the leaf cache
     * when it gives the signed root, else rendered. */
    vinfo *vk = &vi[K - 1];
    uint64_t size = (uint64_t)vk->v.item_count;
    if (from_leaf_cache(r, vk, K, size, id, f))
        goto root_known;
    if (!(pass = inv_tree_pass_new(id, size))) {
        rc = inv_fail(e, INV_EIO, "out of memory");
        goto out;
    }
    pass_ctx pc = {pass, 0};
    /* the leaf hashes and the tree pass on a second thread (pipeline.h):
     * pass_block uses no register; pc.failed is read after the finish */
    inv_pipe *pipe = inv_pipe_new(pass_block, &pc, NULL, NULL, 0, e);
    if (!pipe) {
        rc = INV_EIO;
        goto out;
    }
    rc = inv_render_blocks(r, K, inv_pipe_block, pipe, e);
    int prc = inv_pipe_finish(pipe, rc ? NULL : e);
    inv_pipe_free(pipe);
    if (!rc)
        rc = prc;
    if (rc && pc.failed)
        rc = items_fault(K, vk->v.item_count, e);
    if (rc)
        goto out;
    if (inv_tree_pass_final(pass, f->root, f->leaf, &f->nleaves)) {
        rc = items_fault(K, vk->v.item_count, e);
        goto out;
    }
root_known:
    /* The root of the items must be the one both parties signed. */
    {
        inv_checkpoint cp;
        inv_cp_state st;
        if ((rc = cp_of(r, vk, f->root, &cp, e)))
            goto out;
        rc = inv_cpsig_state(r, K, &cp, &st, e);
        inv_checkpoint_free(&cp);
        if (rc == INV_OK && (st.broken || !st.signed_[0] || !st.signed_[1]))
            rc = inv_fail(e, INV_FAIL, "version %lld: its items no longer give the root both "
                          "parties signed in its checkpoint; run 'scopereg verify'; nothing "
                          "written", (long long)K);
        if (rc)
            goto out;
    }
    f->answer = f->nleaves == 1 && f->leaf[0].kind == INV_PF_ITEM;
    f->version = K;
    f->size = size;
    if (!(f->cps = calloc((size_t)L, sizeof *f->cps))) {
        rc = inv_fail(e, INV_EIO, "out of memory");
        goto out;
    }
    f->ncps = L;
    for (int64_t k = 1; k <= L; k++)
        if ((rc = add_checkpoint(r, f, &vi[k - 1], k, k == K ? f->root : NULL, e)))
            goto out;
    name_keys(f);
    f->agreed = f->cps[K - 1].agreed_at;
    snprintf(f->checkpoint, sizeof f->checkpoint, "%s", f->cps[K - 1].file);
out:
    if (vi)
        for (int64_t k = 0; k < latest; k++)
            inv_version_free(&vi[k].v);
    free(vi);
    inv_tree_pass_free(pass);
    return rc;
}
