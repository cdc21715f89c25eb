/*
 * signature.c - the parties' signatures of scope documents: trusted
 * comments, checks against the register, storage and state.
 */
#include <stdlib.h>
#include <string.h>

#include "work_int.h"

/* inv_doc_digests, and the version's date into *date. */
static int doc_digests(inv_register *r, int64_t n, unsigned char prehash[CR_PREHASH_BYTES],
                       char doc_hash[CR_HASH_STR_LEN], int64_t *date, inv_err *e)
{
    if (n > 0 && r->digests_of == n) {
        memcpy(prehash, r->digests_prehash, CR_PREHASH_BYTES);
        memcpy(doc_hash, r->digests_hash, CR_HASH_STR_LEN);
        *date = r->digests_date;
        return INV_OK;
    }
    inv_version v;
    int rc = inv_version_get(r, n, &v, e);
    if (rc)
        return rc;
    /* A version whose rows do not follow from the previous version's has
     * no document to sign or check: what it lists is not what its
     * changes say. */
    inv__render_stats split = {.split = 1}; /* the hashes never use the register */
    if ((rc = inv_version_check(r, n, e)) == INV_OK)
        rc = inv__render_digests(r, &v, prehash, doc_hash, &split, e);
    *date = v.date;
    inv_version_free(&v);
    if (rc == INV_OK) {
        r->digests_of = n;
        r->digests_date = *date;
        memcpy(r->digests_prehash, prehash, CR_PREHASH_BYTES);
        memcpy(r->digests_hash, doc_hash, CR_HASH_STR_LEN);
    }
    return rc;
}

int inv_doc_digests(inv_register *r, int64_t n, unsigned char prehash[CR_PREHASH_BYTES],
                    char doc_hash[CR_HASH_STR_LEN], inv_err *e)
{
    int64_t date;
    return doc_digests(r, n, prehash, doc_hash, &date, e);
}

int inv__tc_check(inv_register *r, int64_t n, int64_t vdate, const char *role,
                  const inv_tc *tc, inv_err *e)
{
    char d1[32], d2[32];
    if (strcmp(tc->register_id, r->register_id))
        return inv_fail(e, INV_FAIL, "signature is for register %s, not this register (%s)",
                        tc->register_id, r->register_id);
    if (tc->version != n)
        return inv_fail(e, INV_FAIL, "signature is for version %lld, not version %lld",
                        (long long)tc->version, (long long)n);
    if (strcmp(tc->role, role))
        return inv_fail(e, INV_FAIL, "signature says role %s but its key is the %s's",
                        tc->role, role);
    inv_time_format(tc->signed_at, d1, sizeof d1);
    if (tc->signed_at < vdate) {
        inv_time_format(vdate, d2, sizeof d2);
        return inv_fail(e, INV_FAIL, "%s signature of version %lld is dated %s, before the "
                        "version itself (%s): a document cannot be signed before it exists",
                        role, (long long)n, d1, d2);
    }
    return INV_OK;
}

int inv__tc_not_future(inv_register *r, int64_t n, const inv_tc *tc, inv_err *e)
{
    char d1[32], d2[32];
    if (tc->signed_at <= r->now + INV_CLOCK_SKEW)
        return INV_OK;
    inv_time_format(tc->signed_at, d1, sizeof d1);
    inv_time_format(r->now, d2, sizeof d2);
    return inv_fail(e, INV_FAIL, "%s signature of version %lld is dated %s, later than this "
                    "machine's clock (%s) plus %d s: a signature cannot be dated in the future",
                    tc->role, (long long)n, d1, d2, INV_CLOCK_SKEW);
}

/* The checks of inv_sig_check once the document's digests are known. */
static int check_parsed(inv_register *r, int64_t n, int64_t vdate, const cr_sig *sig,
                        const unsigned char prehash[CR_PREHASH_BYTES], const char *doc_hash,
                        inv_tc *tc, inv_err *e)
{
    const char *role;
    cr_pubkey pk;
    cr_err ce;
    int rc = inv_role_of_key(r, sig->keyid, n, &role, &pk, e);
    if (rc == INV_EINPUT && e)
        e->code = INV_FAIL; /* a signature by a stranger's key does not verify */
    if (rc)
        return rc == INV_EINPUT ? INV_FAIL : rc;
    if (cr_verify_prehashed(&pk, sig, prehash, &ce) != CR_OK)
        return inv_fail(e, INV_FAIL, "%s signature of version %lld: %s", role, (long long)n,
                        ce.msg);
    if ((rc = inv_tc_parse(sig->trusted, tc, e)))
        return rc;
    if (strcmp(tc->register_id, r->register_id) || tc->version != n || strcmp(tc->role, role))
        return inv__tc_check(r, n, vdate, role, tc, e);
    if (strcmp(tc->doc_hash, doc_hash))
        return inv_fail(e, INV_FAIL, "signature names document %s but version %lld hashes "
                        "to %s", tc->doc_hash, (long long)n, doc_hash);
    return inv__tc_check(r, n, vdate, role, tc, e);
}

int inv_sig_check(inv_register *r, int64_t n, const char *minisig, size_t len, inv_tc *tc,
                  inv_err *e)
{
    cr_sig sig;
    cr_err ce;
    unsigned char prehash[CR_PREHASH_BYTES];
    char doc_hash[CR_HASH_STR_LEN];
    int64_t date;
    if (cr_sig_parse(minisig, len, &sig, &ce) != CR_OK)
        return inv_fail(e, INV_EINPUT, "%s", ce.msg);
    int rc = doc_digests(r, n, prehash, doc_hash, &date, e);
    if (rc)
        return rc;
    return check_parsed(r, n, date, &sig, prehash, doc_hash, tc, e);
}

int inv_sig_attach(inv_register *r, int64_t n, const char *minisig, size_t len, inv_tc *tc,
                   int *already, inv_err *e)
{
    char keyid[CR_KEYID_HEX], date[32];
    cr_sig sig;
    cr_err ce;
    sqlite3_stmt *st = NULL;
    if (already)
        *already = 0;
    int rc = inv_sig_check(r, n, minisig, len, tc, e);
    if (rc || (rc = inv__tc_not_future(r, n, tc, e)))
        return rc;
    cr_sig_parse(minisig, len, &sig, &ce);
    cr_keyid_hex(sig.keyid, keyid);
    /* Store the canonical form: the file as scopereg writes it. */
    char *text = cr_sig_format(&sig);
    if (!text)
        return inv_fail(e, INV_EIO, "out of memory");
    if ((rc = inv__tx_begin(r, e)))
        goto out;
    if ((rc = inv__prepare(r, &st,
                           "SELECT minisig FROM signature WHERE version = ?1 AND role = ?2"
                           " AND key_id = ?3",
                           e)))
        goto end;
    sqlite3_bind_int64(st, 1, n);
    sqlite3_bind_text(st, 2, tc->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, keyid, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        /* The same signature whatever its untrusted comment (not signed):
         * a row stored before attach wrote scopereg's own is the same. */
        const char *row = (const char *)sqlite3_column_text(st, 0);
        cr_sig was;
        if (row && cr_sig_parse(row, strlen(row), &was, &ce) == CR_OK &&
            was.prehashed == sig.prehashed && !strcmp(was.trusted, sig.trusted) &&
            !memcmp(was.sig, sig.sig, sizeof sig.sig) &&
            !memcmp(was.global_sig, sig.global_sig, sizeof sig.global_sig)) {
            if (already)
                *already = 1;
        } else {
            rc = inv_fail(e, INV_EINPUT,
                          "version %lld already holds another signature by the %s's key %s",
                          (long long)n, tc->role, keyid);
        }
        goto end;
    }
    sqlite3_finalize(st);
    st = NULL;
    inv_time_format(tc->signed_at, date, sizeof date);
    if ((rc = inv__prepare(r, &st,
                           "INSERT INTO signature(version, role, key_id, signed_at, minisig)"
                           " VALUES (?1, ?2, ?3, ?4, ?5)",
                           e)))
        goto end;
    sqlite3_bind_int64(st, 1, n);
    sqlite3_bind_text(st, 2, tc->role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, keyid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, text, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "store signature");
end:
    sqlite3_finalize(st);
    {
        int rc2 = inv__tx_end(r, rc == INV_OK, e);
        if (!rc)
            rc = rc2;
    }
out:
    free(text);
    return rc;
}

/* The key ids that must sign version n: per role, the key in force and,
 * at a rotation of that role, the key it replaces ("" otherwise). */
typedef struct keyset {
    char cur[2][CR_KEYID_HEX];
    char old[2][CR_KEYID_HEX];
    cr_pubkey cur_pk[2], old_pk[2];
} keyset;

static int keyset_get(inv_register *r, int64_t n, keyset *k, inv_err *e)
{
    memset(k, 0, sizeof *k);
    for (int i = 0; i < 2; i++) {
        inv_party p;
        cr_pubkey old;
        int rc = inv_party_get(r, inv_roles[i], n, &p, e);
        if (rc)
            return rc;
        cr_keyid_hex(p.key.keyid, k->cur[i]);
        k->cur_pk[i] = p.key;
        inv_party_free(&p);
        int rotates;
        if ((rc = inv_rotation_at(r, n, inv_roles[i], &rotates, &old, NULL, e)))
            return rc;
        if (rotates) {
            cr_keyid_hex(old.keyid, k->old[i]);
            k->old_pk[i] = old;
        }
    }
    return INV_OK;
}

/* Counts a signature of role by key_id at time at into t. */
static void state_add(inv_tally *t, const keyset *k, const char *role, const char *key_id,
                      int64_t at)
{
    int i = inv_role_index(role);
    if (i < 0 || !key_id)
        return;
    if (!strcmp(key_id, k->cur[i]))
        inv_tally_add(t, i, 0, at);
    else if (k->old[i][0] && !strcmp(key_id, k->old[i]))
        inv_tally_add(t, i, 1, at);
}

static void tally_start(inv_tally *t, const keyset *k)
{
    inv_tally_init(t, k->old[0][0] != 0, k->old[1][0] != 0);
}

typedef struct state_ctx {
    inv_register *r;
    const inv_version *v;
    inv_tally *t;
    const keyset *k;
    inv_err *e;
    int rc;
} state_ctx;

/* One stored signature, counted from what its trusted comment signs: the
 * comment must be authentic (its global signature verifies with the key
 * that must sign), name this version, its key's role and its recorded
 * document, be dated within bounds, and agree with the row's columns. */
static int state_one(void *ctx, const inv_sig_row *row)
{
    state_ctx *c = ctx;
    int64_t n = c->v->number;
    cr_sig sig;
    cr_err ce;
    inv_err sub;
    inv_tc tc;
    char keyid[CR_KEYID_HEX], d1[32], d2[32];
    unsigned char buf[CR_SIG_BYTES + CR_COMMENT_MAX];
    const cr_pubkey *pk = NULL;
    int i;
    if (cr_sig_parse(row->minisig, strlen(row->minisig), &sig, &ce) != CR_OK)
        return c->rc = inv_fail(c->e, INV_FAIL, "version %lld: the stored %s signature is "
                                "malformed: %s; run 'scopereg verify'", (long long)n,
                                row->role, ce.msg);
    cr_keyid_hex(sig.keyid, keyid);
    for (i = 0; i < 2 && !pk; i++) {
        if (!strcmp(keyid, c->k->cur[i]))
            pk = &c->k->cur_pk[i];
        else if (c->k->old[i][0] && !strcmp(keyid, c->k->old[i]))
            pk = &c->k->old_pk[i];
    }
    if (!pk)
        return c->rc = inv_fail(c->e, INV_FAIL, "version %lld: the stored %s signature is by "
                                "key %s, which is neither party's key for that version; run "
                                "'scopereg verify'", (long long)n, row->role, keyid);
    const char *role = inv_roles[i - 1];
    size_t tlen = strlen(sig.trusted);
    memcpy(buf, sig.sig, CR_SIG_BYTES);
    memcpy(buf + CR_SIG_BYTES, sig.trusted, tlen);
    if (cr_ed25519_verify(sig.global_sig, buf, CR_SIG_BYTES + tlen, pk->pk) != CR_OK)
        return c->rc = inv_fail(c->e, INV_FAIL, "version %lld: the trusted comment of the "
                                "stored %s signature was altered: its global signature does "
                                "not verify with key %s; run 'scopereg verify'",
                                (long long)n, row->role, keyid);
    if (inv_tc_parse(sig.trusted, &tc, &sub) ||
        inv__tc_check(c->r, n, c->v->date, role, &tc, &sub))
        return c->rc = inv_fail(c->e, INV_FAIL, "version %lld: the stored %s signature does "
                                "not hold: %s; run 'scopereg verify'", (long long)n, row->role,
                                sub.msg);
    if (strcmp(tc.doc_hash, c->v->doc_hash))
        return c->rc = inv_fail(c->e, INV_FAIL, "version %lld: the stored %s signature names "
                                "document %s but the version records %s; run 'scopereg "
                                "verify'", (long long)n, role, tc.doc_hash, c->v->doc_hash);
    if (strcmp(row->role, tc.role) || strcmp(row->key_id, keyid))
        return c->rc = inv_fail(c->e, INV_FAIL, "version %lld: the stored %s signature row "
                                "was altered: it says role %s, key %s, but its trusted comment "
                                "signs role %s with key %s; run 'scopereg verify'",
                                (long long)n, tc.role, row->role, row->key_id, tc.role, keyid);
    if (row->signed_at != tc.signed_at) {
        inv_time_format(row->signed_at, d1, sizeof d1);
        inv_time_format(tc.signed_at, d2, sizeof d2);
        return c->rc = inv_fail(c->e, INV_FAIL, "version %lld: the stored %s signature row "
                                "was altered: its date says %s but its trusted comment signs "
                                "%s; run 'scopereg verify'", (long long)n, tc.role, d1, d2);
    }
    state_add(c->t, c->k, tc.role, keyid, tc.signed_at);
    return 0;
}

int inv_sig_state_get(inv_register *r, int64_t n, inv_sig_state *out, inv_err *e)
{
    keyset k;
    inv_version v;
    inv_err local;
    memset(out, 0, sizeof *out);
    int rc = keyset_get(r, n, &k, e);
    if (rc)
        return rc;
    if ((rc = inv_version_get(r, n, &v, e)))
        return rc;
    inv_tally t;
    tally_start(&t, &k);
    state_ctx c = {r, &v, &t, &k, e ? e : &local, 0};
    rc = inv_sig_list(r, n, state_one, &c, e);
    inv_version_free(&v);
    if (c.rc || rc)
        return c.rc ? c.rc : rc;
    inv_tally_state(&t, out);
    return INV_OK;
}

typedef struct sigcheck_ctx {
    inv_register *r;
    int64_t n, vdate;
    const unsigned char *prehash;
    const char *doc_hash;
    inv_buf *why;
    inv_tally *t;
    const keyset *k;
    int rc;
} sigcheck_ctx;

static int sigcheck_one(void *ctx, const inv_sig_row *row)
{
    sigcheck_ctx *c = ctx;
    cr_sig sig;
    cr_err ce;
    inv_err sub;
    inv_tc tc;
    char keyid[CR_KEYID_HEX];
    if (cr_sig_parse(row->minisig, strlen(row->minisig), &sig, &ce) != CR_OK) {
        inv_buf_printf(c->why, "; stored %s signature is malformed: %s", row->role, ce.msg);
        return 0;
    }
    cr_keyid_hex(sig.keyid, keyid);
    int rc = check_parsed(c->r, c->n, c->vdate, &sig, c->prehash, c->doc_hash, &tc, &sub);
    if (rc == INV_EIO) {
        c->rc = rc;
        return rc;
    }
    if (rc || (rc = inv__tc_not_future(c->r, c->n, &tc, &sub))) {
        inv_buf_printf(c->why, "; stored %s signature does not hold: %s", row->role, sub.msg);
        return 0;
    }
    if (strcmp(row->role, tc.role) || strcmp(row->key_id, keyid) ||
        row->signed_at != tc.signed_at) {
        inv_buf_printf(c->why, "; stored %s signature row was altered (role, key id or date "
                               "differ from the signed trusted comment)",
                       row->role);
        return 0;
    }
    state_add(c->t, c->k, tc.role, keyid, tc.signed_at);
    return 0;
}

int inv__verify_signatures(inv_register *r, int64_t n, int64_t vdate,
                           const unsigned char *prehash, const char *doc_hash, inv_buf *why,
                           inv_sig_state *state, inv_err *e)
{
    keyset k;
    inv_tally t;
    memset(state, 0, sizeof *state);
    int rc = keyset_get(r, n, &k, e);
    tally_start(&t, &k);
    if (rc == INV_FAIL) {
        /* A broken key row: say so, and count no signature. */
        inv_buf_printf(why, "; %s", e->msg);
        inv_tally_state(&t, state);
        return INV_OK;
    }
    if (rc)
        return rc;
    sigcheck_ctx c = {r, n, vdate, prehash, doc_hash, why, &t, &k, 0};
    rc = inv_sig_list(r, n, sigcheck_one, &c, e);
    if (c.rc)
        return inv_fail(e, c.rc, "cannot check signatures of version %lld", (long long)n);
    inv_tally_state(&t, state);
    return rc;
}
