/*
 * cpsig.c - the parties' signatures of checkpoints in a register: the
 * checkpoint of a version (derived in the rendering that gives its
 * document's digests), signing it, checking and storing a checkpoint
 * signature, and the checkpoint state of a version.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "work_int.h"

/* The checkpoint of version v from the digest cache of r (the root kept
 * by the rendering of the same version). 1 when it was there, 0 when not
 * (the caller renders), -1 when memory or the register failed (in e). */
static int from_cache(inv_register *r, const inv_version *v, inv_checkpoint *out, inv_err *e)
{
    if (v->number <= 0 || r->digests_of != v->number || r->digests_root_of != v->number)
        return 0;
    memset(out, 0, sizeof *out);
    /* memory that runs out here fails the command: a statement that ran
     * out may have ended the caller's transaction (SQLite rolls it back),
     * and what it had written is then gone from every later read */
    if (!(out->contract = inv__strdup(inv_contract(r))))
        return inv_fail(e, INV_EIO, "out of memory"), -1;
    snprintf(out->register_id, sizeof out->register_id, "%s", inv_register_id(r));
    out->version = v->number;
    out->date = v->date;
    inv_err sub;
    int rc = inv__checkpoint_keys(r, v->number, out->key, &sub);
    if (rc) {
        inv_checkpoint_free(out);
        if (rc == INV_EIO) {
            if (e)
                *e = sub;
            return -1;
        }
        return 0;
    }
    memcpy(out->doc_hash, r->digests_hash, CR_HASH_STR_LEN);
    snprintf(out->previous, sizeof out->previous, "%s", v->prev_hash);
    out->items = r->digests_items;
    memcpy(out->root, r->digests_root, CR_MERKLE_HASH_BYTES);
    return 1;
}

/* The leaves a rendering through a writable handle keeps for the leaf
 * cache, as records of INV__LEAF_REC bytes appended to an unlinked
 * temporary file through its stdio buffer, so that memory does not grow
 * with the number of items (called on the pipeline's second thread:
 * touches only x). Only the revisions newer than the cache's newest are
 * written, the only ones inv__leaf_cache_put stores: signing a version
 * of one change at 1M items then writes one record, not a million. */
typedef struct leaves {
    FILE *f;
    int64_t newest; /* the cache's newest revision when the rendering began */
    size_t seen;    /* leaves the rendering gave */
    size_t n;       /* records written */
    int bad;        /* a write failed: the cache is not filled */
} leaves;

static int keep_leaf(void *ctx, const inv_leaf *l)
{
    leaves *x = ctx;
    unsigned char rec[INV__LEAF_REC];
    x->seen++;
    if (x->bad || l->rev <= x->newest)
        return 0;
    int64_t rev = l->rev;
    memcpy(rec, &rev, sizeof rev);
    memcpy(rec + sizeof rev, l->hash, INV__LEAF_REC - sizeof rev);
    if (fwrite(rec, sizeof rec, 1, x->f) != 1)
        x->bad = 1; /* the cache is not filled; the checkpoint is not hurt */
    else
        x->n++;
    return 0;
}

/* Stores in the leaf cache the leaves that inv_checkpoint_get kept for
 * version n, inside the caller's transaction, and forgets them (closes
 * their file). Fails only as inv__leaf_cache_put (an SQLite error). */
static int fill_leaf_cache(inv_register *r, int64_t n, inv_err *e)
{
    int rc = INV_OK;
    if (r->leaves_of == n && r->leaves && r->writable)
        rc = inv__leaf_cache_put(r, r->leaves, r->nleaves, e);
    if (r->leaves)
        fclose(r->leaves);
    r->leaves = NULL;
    r->nleaves = 0;
    r->leaves_of = 0;
    return rc;
}

/* Renders version v with every digest: its checkpoint into *out (the
 * caller frees it on success), the prehash, the leaves for the leaf cache
 * into *kept's file when r is writable (no file: the cache is simply not
 * filled). Fails as inv__render_checkpoint. */
static int render_all(inv_register *r, const inv_version *v, leaves *kept,
                      unsigned char prehash[CR_PREHASH_BYTES], inv_checkpoint *out, inv_err *e)
{
    /* the hashes and keep_leaf never use the register: the items section
     * may be read and formatted on two threads */
    inv__render_stats split = {.split = 1};
    inv_err sub;
    if (r->writable && inv__leaf_cache_newest(r, &kept->newest, &sub) == INV_OK)
        kept->f = inv__tmpfile("leaves");
    return inv__render_checkpoint(r, v, kept->f ? keep_leaf : NULL, kept, prehash, NULL,
                                  &split, out, e);
}

/* Keeps on r what render_all gave for version v (its digests, its root,
 * its leaves: kept's file then belongs to r), so that signing v through r
 * renders nothing again. */
static void keep_digests(inv_register *r, const inv_version *v,
                         const unsigned char prehash[CR_PREHASH_BYTES],
                         const inv_checkpoint *cp, leaves *kept)
{
    r->digests_of = v->number;
    r->digests_date = v->date;
    memcpy(r->digests_prehash, prehash, CR_PREHASH_BYTES);
    memcpy(r->digests_hash, cp->doc_hash, CR_HASH_STR_LEN);
    r->digests_root_of = v->number;
    memcpy(r->digests_root, cp->root, CR_MERKLE_HASH_BYTES);
    r->digests_items = cp->items;
    if (kept->f && !kept->bad && kept->seen == (size_t)cp->items && fflush(kept->f) == 0 &&
        !ferror(kept->f)) {
        if (r->leaves)
            fclose(r->leaves);
        r->leaves = kept->f;
        r->nleaves = kept->n;
        r->leaves_of = v->number;
        kept->f = NULL;
    }
}

int inv__commit_render(inv_register *r, inv_version *v, int64_t *items, inv_err *e)
{
    leaves kept = {0};
    unsigned char prehash[CR_PREHASH_BYTES];
    inv_checkpoint cp;
    inv__digests_forget(r);
    int rc = render_all(r, v, &kept, prehash, &cp, e);
    if (rc == INV_OK) {
        memcpy(v->doc_hash, cp.doc_hash, CR_HASH_STR_LEN);
        *items = cp.items;
        keep_digests(r, v, prehash, &cp, &kept);
        inv_checkpoint_free(&cp);
    }
    if (kept.f)
        fclose(kept.f);
    return rc;
}

int inv_checkpoint_get(inv_register *r, int64_t n, inv_checkpoint *out, inv_err *e)
{
    leaves kept = {0};
    inv_version v;
    unsigned char prehash[CR_PREHASH_BYTES];
    memset(out, 0, sizeof *out);
    int rc = inv_version_get(r, n, &v, e);
    if (rc)
        return rc;
    int cached = from_cache(r, &v, out, e);
    if (cached) {
        inv_version_free(&v);
        return cached > 0 ? INV_OK : INV_EIO;
    }
    /* A version whose rows do not follow from the previous one's has no
     * document, hence no checkpoint (as inv_doc_digests). */
    if ((rc = inv_version_check(r, n, e)) == INV_OK &&
        (rc = render_all(r, &v, &kept, prehash, out, e)) == INV_OK &&
        strcmp(out->doc_hash, v.doc_hash))
        rc = inv_fail(e, INV_FAIL, "version %lld: its document no longer matches the hash "
                      "recorded at commit (%s, now %s); run 'scopereg verify'", (long long)n,
                      v.doc_hash, out->doc_hash);
    if (rc == INV_OK)
        keep_digests(r, &v, prehash, out, &kept);
    else
        inv_checkpoint_free(out);
    if (kept.f)
        fclose(kept.f);
    inv_version_free(&v);
    return rc;
}

/* The role whose key has keyid at n (*role index, *pk): the key the
 * version's document names for that role (*old 0), or, at a rotation of
 * that role's key at n, the key n replaces (*old 1): as documents, a
 * rotation's checkpoint is signed by the old key too. INV_FAIL naming the
 * key when neither. */
static int key_role(inv_register *r, int64_t n, const unsigned char keyid[CR_KEYID_BYTES],
                    int *role, int *old, cr_pubkey *pk, inv_err *e)
{
    char want[CR_KEYID_HEX];
    for (int i = 0; i < 2; i++) {
        inv_party p;
        int rc = inv_party_get(r, inv_roles[i], n, &p, e);
        if (rc)
            return rc;
        int same = !memcmp(p.key.keyid, keyid, CR_KEYID_BYTES);
        *pk = p.key;
        inv_party_free(&p);
        if (same) {
            *role = i;
            *old = 0;
            return INV_OK;
        }
    }
    for (int i = 0; i < 2; i++) {
        int rotates = 0;
        int rc = inv_rotation_at(r, n, inv_roles[i], &rotates, pk, NULL, e);
        if (rc)
            return rc;
        if (rotates && !memcmp(pk->keyid, keyid, CR_KEYID_BYTES)) {
            *role = i;
            *old = 1;
            return INV_OK;
        }
    }
    cr_keyid_hex(keyid, want);
    return inv_fail(e, INV_FAIL, "checkpoint signature of version %lld is by key %s, which is "
                    "neither party's key at that version", (long long)n, want);
}

typedef struct docsig_ctx {
    const char *role, *key_id;
    int found;
    int64_t at;
} docsig_ctx;

static int docsig_one(void *ctx, const inv_sig_row *row)
{
    docsig_ctx *x = ctx;
    cr_sig sig;
    cr_err ce;
    inv_tc tc;
    if (strcmp(row->role, x->role) || strcmp(row->key_id, x->key_id) ||
        cr_sig_parse(row->minisig, strlen(row->minisig), &sig, &ce) != CR_OK ||
        inv_tc_parse(sig.trusted, &tc, NULL) != INV_OK)
        return 0;
    x->found = 1;
    x->at = tc.signed_at;
    return 0;
}

/* The signed: date (from its trusted comment) of the stored signature of
 * version n's document by role's key keyid: *found 0 when none. The
 * document signature itself is inv_verify's to check. */
static int doc_signed(inv_register *r, int64_t n, const char *role, const char *keyid,
                      int *found, int64_t *at, inv_err *e)
{
    docsig_ctx x = {role, keyid, 0, 0};
    int rc = inv_sig_list(r, n, docsig_one, &x, e);
    *found = x.found;
    *at = x.at;
    return rc;
}

/* Checks the parsed signature sig of the checkpoint cp (bytes text, len)
 * of version n: the key (named by the checkpoint, or the key a rotation
 * replaces), inv_checkpoint_sig_check, and that its document-signed: date
 * is the date of the same key's stored document signature. */
static int check_sig(inv_register *r, const inv_checkpoint *cp, const char *text, size_t len,
                     const cr_sig *sig, int64_t now, int *role, int *old, inv_cptc *tc,
                     inv_err *e)
{
    cr_pubkey pk;
    char keyid[CR_KEYID_HEX], d1[32], d2[32];
    int found;
    int64_t at;
    int rc = key_role(r, cp->version, sig->keyid, role, old, &pk, e);
    if (rc)
        return rc;
    cr_keyid_hex(pk.keyid, keyid);
    if ((rc = inv_checkpoint_sig_check(cp, text, len, *role, *old ? keyid : NULL, &pk, sig, now,
                                       tc, e)))
        return rc;
    if ((rc = doc_signed(r, cp->version, inv_roles[*role], keyid, &found, &at, e)))
        return rc;
    inv_time_format(tc->doc_signed_at, d1, sizeof d1);
    if (!found)
        return inv_fail(e, INV_FAIL, "version %lld, %s: the checkpoint signature by key %s says "
                        "the document was signed %s, but the register holds no document "
                        "signature by that key; attach the document signature first",
                        (long long)cp->version, inv_roles[*role], keyid, d1);
    if (at != tc->doc_signed_at) {
        inv_time_format(at, d2, sizeof d2);
        return inv_fail(e, INV_FAIL, "version %lld, %s: the checkpoint signature by key %s says "
                        "document-signed:%s, but that key's document signature is dated %s",
                        (long long)cp->version, inv_roles[*role], keyid, d1, d2);
    }
    return INV_OK;
}

/* No bound on the future: a state read (export, sign) counts what the
 * signed trusted comments say, as inv_sig_state_get does; attach and
 * verify bound it by the clock. */
#define NO_CLOCK (INT64_MAX - INV_CLOCK_SKEW)

/* The checkpoint of version n and its file bytes (b). */
static int derive_text(inv_register *r, int64_t n, inv_checkpoint *cp, inv_buf *b, inv_err *e)
{
    int rc = inv_checkpoint_get(r, n, cp, e);
    if (rc)
        return rc;
    if (inv_checkpoint_format(cp, b)) {
        inv_checkpoint_free(cp);
        return inv_fail(e, INV_EIO, "out of memory");
    }
    return INV_OK;
}

int inv_cpsig_check(inv_register *r, int64_t n, const char *minisig, size_t len, inv_cptc *tc,
                    inv_err *e)
{
    cr_sig sig;
    cr_err ce;
    inv_checkpoint cp;
    inv_buf b = {0};
    int role, old;
    if (cr_sig_parse(minisig, len, &sig, &ce) != CR_OK)
        return inv_fail(e, INV_EINPUT, "%s", ce.msg);
    int rc = derive_text(r, n, &cp, &b, e);
    if (rc)
        return rc;
    rc = check_sig(r, &cp, b.data, b.len, &sig, r->now, &role, &old, tc, e);
    inv_checkpoint_free(&cp);
    inv_buf_free(&b);
    return rc;
}

int inv_cpsig_attach(inv_register *r, int64_t n, const char *minisig, size_t len, inv_cptc *tc,
                     int *already, inv_err *e)
{
    char keyid[CR_KEYID_HEX], date[32];
    cr_sig sig, was;
    cr_err ce;
    char *row = NULL, *text = NULL;
    if (already)
        *already = 0;
    int rc = inv_cpsig_check(r, n, minisig, len, tc, e);
    if (rc)
        return rc;
    cr_sig_parse(minisig, len, &sig, &ce);
    cr_keyid_hex(sig.keyid, keyid);
    if (!(text = cr_sig_format(&sig)))
        return inv_fail(e, INV_EIO, "out of memory");
    if ((rc = inv__tx_begin(r, e)))
        goto out;
    if ((rc = inv__cpsig_find(r, n, tc->role, keyid, &row, e)))
        goto end;
    if (row) {
        /* The same signature whatever its untrusted comment (not signed). */
        if (cr_sig_parse(row, strlen(row), &was, &ce) == CR_OK &&
            was.prehashed == sig.prehashed && !strcmp(was.trusted, sig.trusted) &&
            !memcmp(was.sig, sig.sig, sizeof sig.sig) &&
            !memcmp(was.global_sig, sig.global_sig, sizeof sig.global_sig)) {
            if (already)
                *already = 1;
        } else {
            rc = inv_fail(e, INV_EINPUT, "the checkpoint of version %lld already holds another "
                          "signature by the %s's key %s", (long long)n, tc->role, keyid);
        }
        goto end;
    }
    inv_time_format(tc->signed_at, date, sizeof date);
    if ((rc = inv__cpsig_insert(r, n, tc->role, keyid, date, text, e)) == INV_OK)
        rc = fill_leaf_cache(r, n, e);
end: {
    int rc2 = inv__tx_end(r, rc == INV_OK, e);
    if (!rc)
        rc = rc2;
}
out:
    free(row);
    free(text);
    return rc;
}

int inv_cpsig_sign(inv_register *r, int64_t n, const cr_seckey *sk, int64_t now,
                   const char *untrusted, inv_cptc *tc, inv_err *e)
{
    inv_checkpoint cp;
    inv_buf b = {0};
    cr_pubkey pk, mine;
    cr_sig sig;
    cr_err ce;
    char trusted[CR_COMMENT_MAX], keyid[CR_KEYID_HEX];
    int role, old, found;
    int64_t doc_at;
    cr_seckey_pubkey(sk, &mine);
    cr_keyid_hex(mine.keyid, keyid);
    int rc = derive_text(r, n, &cp, &b, e);
    if (rc)
        return rc;
    if ((rc = key_role(r, n, mine.keyid, &role, &old, &pk, e)))
        goto out;
    /* document-signed: when this key signed the document of n */
    if ((rc = doc_signed(r, n, inv_roles[role], keyid, &found, &doc_at, e)))
        goto out;
    if (!found) {
        rc = inv_fail(e, INV_FAIL, "version %lld: the document carries no signature by the "
                      "%s's key %s; a checkpoint is signed with or after its document",
                      (long long)n, inv_roles[role], keyid);
        goto out;
    }
    memset(tc, 0, sizeof *tc);
    tc->doc_signed_at = doc_at;
    snprintf(tc->register_id, sizeof tc->register_id, "%s", cp.register_id);
    tc->version = n;
    snprintf(tc->role, sizeof tc->role, "%s", inv_roles[role]);
    inv_checkpoint_root_hex(&cp, tc->root);
    tc->signed_at = now;
    inv_cptc_format(tc, trusted, sizeof trusted);
    if (cr_sign(sk, b.data, b.len, trusted, untrusted, &sig, &ce) != CR_OK) {
        rc = inv_fail(e, ce.code == CR_EINPUT ? INV_EINPUT : INV_EIO, "%s", ce.msg);
        goto out;
    }
    char *text = cr_sig_format(&sig);
    if (!text) {
        rc = inv_fail(e, INV_EIO, "out of memory");
        goto out;
    }
    int already;
    rc = inv_cpsig_attach(r, n, text, strlen(text), tc, &already, e);
    free(text);
out:
    inv_checkpoint_free(&cp);
    inv_buf_free(&b);
    return rc;
}

/* ---- the checkpoint state of a version ---- */

typedef struct cpstate_ctx {
    inv_register *r;
    const inv_checkpoint *cp;
    const char *text;
    size_t len;
    inv_cp_state *st;
    int64_t now;
    inv_buf *why; /* NULL: the first fault fails (e) */
    inv_err *e;
    int rc;
} cpstate_ctx;

/* A fault of the row of role: appended to why, or the failure. */
static int cp_fault(cpstate_ctx *c, const char *role, const char *msg)
{
    c->st->broken = 1;
    if (c->why) {
        inv_buf_printf(c->why, "; stored %s checkpoint signature does not hold: %s", role, msg);
        return 0;
    }
    c->rc = inv_fail(c->e, INV_FAIL, "version %lld: the stored %s checkpoint signature does not "
                     "hold: %s; run 'scopereg verify'", (long long)c->cp->version, role, msg);
    return c->rc;
}

static int cpstate_one(void *ctx, const inv_sig_row *row)
{
    cpstate_ctx *c = ctx;
    cr_sig sig;
    cr_err ce;
    inv_err sub;
    inv_cptc tc;
    char keyid[CR_KEYID_HEX];
    int role, old;
    if (cr_sig_parse(row->minisig, strlen(row->minisig), &sig, &ce) != CR_OK)
        return cp_fault(c, row->role, ce.msg);
    cr_keyid_hex(sig.keyid, keyid);
    int rc = check_sig(c->r, c->cp, c->text, c->len, &sig, c->now, &role, &old, &tc, &sub);
    if (rc == INV_EIO) {
        c->rc = inv_fail(c->e, INV_EIO, "%s", sub.msg);
        return c->rc;
    }
    if (rc)
        return cp_fault(c, row->role, sub.msg);
    if (strcmp(row->role, tc.role) || strcmp(row->key_id, keyid) ||
        row->signed_at != tc.signed_at)
        return cp_fault(c, row->role, "the row was altered (role, key id or date differ from "
                                      "the signed trusted comment)");
    if (old) {
        c->st->old_signed[role] = 1;
        c->st->old_at[role] = tc.signed_at;
        c->st->old_doc_at[role] = tc.doc_signed_at;
        return 0;
    }
    c->st->signed_[role] = 1;
    if (tc.signed_at > c->st->at[role])
        c->st->at[role] = tc.signed_at;
    c->st->doc_at[role] = tc.doc_signed_at;
    return 0;
}

/* inv__cpsig_verify with the clock bound now. */
static int cpsig_verify(inv_register *r, const inv_checkpoint *cp, inv_buf *why,
                        inv_cp_state *st, int64_t now, inv_err *e)
{
    inv_buf b = {0};
    memset(st, 0, sizeof *st);
    inv_checkpoint_root_hex(cp, st->root);
    st->items = cp->items;
    if (inv_checkpoint_format(cp, &b)) {
        inv_buf_free(&b);
        return inv_fail(e, INV_EIO, "out of memory");
    }
    cpstate_ctx c = {r, cp, b.data, b.len, st, now, why, e, 0};
    int rc = inv_cpsig_list(r, cp->version, cpstate_one, &c, e);
    inv_buf_free(&b);
    if (c.rc || rc)
        return c.rc ? c.rc : rc;
    /* At a rotation a party has signed the checkpoint when both its keys
     * have, as for the document. */
    for (int i = 0; i < 2; i++) {
        if ((rc = inv_rotation_at(r, cp->version, inv_roles[i], &st->rotates[i], NULL, NULL, e)))
            return rc;
        if (st->rotates[i] && !st->signed_[i] && st->old_signed[i])
            st->old_only[i] = 1;
        if (!st->rotates[i] || !st->signed_[i])
            continue;
        if (!st->old_signed[i]) {
            st->signed_[i] = 0;
            st->new_only[i] = 1;
            continue;
        }
        if (st->old_at[i] > st->at[i])
            st->at[i] = st->old_at[i];
        if (st->old_doc_at[i] > st->doc_at[i])
            st->doc_at[i] = st->old_doc_at[i];
    }
    return INV_OK;
}

int inv__cpsig_verify(inv_register *r, const inv_checkpoint *cp, inv_buf *why,
                      inv_cp_state *st, inv_err *e)
{
    return cpsig_verify(r, cp, why, st, r->now, e);
}

int inv_cpsig_state(inv_register *r, int64_t n, const inv_checkpoint *cp, inv_cp_state *out,
                    inv_err *e)
{
    inv_checkpoint own;
    memset(out, 0, sizeof *out);
    if (!cp) {
        int rc = inv_checkpoint_get(r, n, &own, e);
        if (rc)
            return rc;
    }
    int rc = cpsig_verify(r, cp ? cp : &own, NULL, out, NO_CLOCK, e);
    if (!cp)
        inv_checkpoint_free(&own);
    return rc;
}

const char *inv_cp_status(const inv_cp_state *s)
{
    if (s->broken)
        return "broken";
    if (s->signed_[0] && s->signed_[1])
        return "agreed";
    if (s->signed_[0])
        return "provider only";
    if (s->signed_[1])
        return "client only";
    return "none";
}
