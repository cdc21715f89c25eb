/*
 * signature.c - the parties' signatures of scope documents: trusted
 * comments, checks against the register, storage and state.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

void inv_tc_format(const inv_tc *tc, char *out, size_t outlen)
{
    char date[32];
    inv_time_format(tc->signed_at, date, sizeof date);
    snprintf(out, outlen, "scopereg register:%s version:%lld role:%s document:%s signed:%s",
             tc->register_id, (long long)tc->version, tc->role, tc->doc_hash, date);
}

/* Copies the value of "name:" among the space-separated fields of text. */
static int tc_field(const char *text, const char *name, char *out, size_t outlen)
{
    size_t nlen = strlen(name);
    const char *p = text;
    while ((p = strstr(p, name)) != NULL) {
        if ((p == text || p[-1] == ' ') && p[nlen] == ':') {
            p += nlen + 1;
            size_t n = strcspn(p, " ");
            if (n == 0 || n >= outlen)
                return -1;
            memcpy(out, p, n);
            out[n] = '\0';
            return 0;
        }
        p += nlen;
    }
    return -1;
}

int inv_tc_parse(const char *text, inv_tc *out, inv_err *e)
{
    char num[32], date[40];
    memset(out, 0, sizeof *out);
    if (strncmp(text, "scopereg ", 9) != 0)
        return inv_fail(e, INV_EINPUT, "trusted comment does not start with 'scopereg ': "
                                       "not a signature of a scope document");
    if (tc_field(text, "register", out->register_id, sizeof out->register_id))
        return inv_fail(e, INV_EINPUT, "trusted comment: missing register:");
    if (tc_field(text, "version", num, sizeof num) || strspn(num, "0123456789") != strlen(num))
        return inv_fail(e, INV_EINPUT, "trusted comment: missing or malformed version:");
    out->version = strtoll(num, NULL, 10);
    if (tc_field(text, "role", out->role, sizeof out->role) ||
        (strcmp(out->role, "provider") && strcmp(out->role, "client")))
        return inv_fail(e, INV_EINPUT, "trusted comment: role: must be provider or client");
    if (tc_field(text, "document", out->doc_hash, sizeof out->doc_hash) ||
        strncmp(out->doc_hash, CR_HASH_PREFIX, sizeof CR_HASH_PREFIX - 1))
        return inv_fail(e, INV_EINPUT, "trusted comment: missing or malformed document:");
    if (tc_field(text, "signed", date, sizeof date) ||
        inv_time_parse(date, 0, &out->signed_at, NULL))
        return inv_fail(e, INV_EINPUT, "trusted comment: missing or malformed signed:");
    return INV_OK;
}

const char *const inv_roles[2] = {"provider", "client"};

int inv_role_index(const char *role)
{
    if (role && !strcmp(role, "provider"))
        return INV_ROLE_PROVIDER;
    if (role && !strcmp(role, "client"))
        return INV_ROLE_CLIENT;
    return -1;
}

int inv_role_of_key(inv_register *r, const unsigned char keyid[CR_KEYID_BYTES], int64_t n,
                    const char **role, cr_pubkey *pk, inv_err *e)
{
    for (int i = 0; i < 2; i++) {
        inv_party p;
        int rc = inv_party_get(r, inv_roles[i], n, &p, e);
        if (rc)
            return rc;
        int match = memcmp(p.key.keyid, keyid, CR_KEYID_BYTES) == 0;
        if (match && pk)
            *pk = p.key;
        inv_party_free(&p);
        if (match) {
            *role = inv_roles[i];
            return INV_OK;
        }
    }
    /* At a rotation, the key being replaced signs too. */
    for (int i = 0; i < 2 && n > 1; i++) {
        cr_pubkey old;
        int rotates, rc = inv_rotation_at(r, n, inv_roles[i], &rotates, &old, NULL, e);
        if (rc)
            return rc;
        if (rotates && memcmp(old.keyid, keyid, CR_KEYID_BYTES) == 0) {
            if (pk)
                *pk = old;
            *role = inv_roles[i];
            return INV_OK;
        }
    }
    char hex[CR_KEYID_HEX];
    cr_keyid_hex(keyid, hex);
    return inv_fail(e, INV_EINPUT,
                    "key %s is neither the provider's nor the client's key for version %lld",
                    hex, (long long)n);
}

typedef struct digests {
    cr_hash h;
    cr_prehash p;
} digests;

static int digest_sink(void *ctx, const void *data, size_t len)
{
    digests *d = ctx;
    cr_hash_update(&d->h, data, len);
    cr_prehash_update(&d->p, data, len);
    return 0;
}

int inv__render_digests(inv_register *r, const inv_version *v,
                        unsigned char prehash[CR_PREHASH_BYTES], char doc_hash[CR_HASH_STR_LEN],
                        inv__render_stats *stats, inv_err *e)
{
    digests d;
    unsigned char h[CR_HASH_BYTES];
    cr_hash_init(&d.h);
    cr_prehash_init(&d.p);
    int rc = inv__render(r, v, digest_sink, &d, stats, e);
    if (rc)
        return rc;
    cr_hash_final(&d.h, h);
    cr_prehash_final(&d.p, prehash);
    memcpy(doc_hash, CR_HASH_PREFIX, sizeof CR_HASH_PREFIX - 1);
    cr_hex(doc_hash + sizeof CR_HASH_PREFIX - 1, h, sizeof h);
    return INV_OK;
}

int inv_doc_digests(inv_register *r, int64_t n, unsigned char prehash[CR_PREHASH_BYTES],
                    char doc_hash[CR_HASH_STR_LEN], inv_err *e)
{
    if (n > 0 && r->digests_of == n) {
        memcpy(prehash, r->digests_prehash, CR_PREHASH_BYTES);
        memcpy(doc_hash, r->digests_hash, CR_HASH_STR_LEN);
        return INV_OK;
    }
    inv_version v;
    int rc = inv_version_get(r, n, &v, e);
    if (rc)
        return rc;
    rc = inv__render_digests(r, &v, prehash, doc_hash, NULL, e);
    inv_version_free(&v);
    if (rc == INV_OK) {
        r->digests_of = n;
        memcpy(r->digests_prehash, prehash, CR_PREHASH_BYTES);
        memcpy(r->digests_hash, doc_hash, CR_HASH_STR_LEN);
    }
    return rc;
}

/* The checks of inv_sig_check once the document's digests are known. */
static int check_parsed(inv_register *r, int64_t n, const cr_sig *sig,
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
    if (strcmp(tc->register_id, r->register_id))
        return inv_fail(e, INV_FAIL, "signature is for register %s, not this register (%s)",
                        tc->register_id, r->register_id);
    if (tc->version != n)
        return inv_fail(e, INV_FAIL, "signature is for version %lld, not version %lld",
                        (long long)tc->version, (long long)n);
    if (strcmp(tc->role, role))
        return inv_fail(e, INV_FAIL, "signature says role %s but its key is the %s's",
                        tc->role, role);
    if (strcmp(tc->doc_hash, doc_hash))
        return inv_fail(e, INV_FAIL, "signature names document %s but version %lld hashes "
                        "to %s", tc->doc_hash, (long long)n, doc_hash);
    return INV_OK;
}

int inv_sig_check(inv_register *r, int64_t n, const char *minisig, size_t len, inv_tc *tc,
                  inv_err *e)
{
    cr_sig sig;
    cr_err ce;
    unsigned char prehash[CR_PREHASH_BYTES];
    char doc_hash[CR_HASH_STR_LEN];
    if (cr_sig_parse(minisig, len, &sig, &ce) != CR_OK)
        return inv_fail(e, INV_EINPUT, "%s", ce.msg);
    int rc = inv_doc_digests(r, n, prehash, doc_hash, e);
    if (rc)
        return rc;
    return check_parsed(r, n, &sig, prehash, doc_hash, tc, e);
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
    if (rc)
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
        if (!strcmp((const char *)sqlite3_column_text(st, 0), text)) {
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

int inv_sig_list(inv_register *r, int64_t n, inv_sig_fn fn, void *ctx, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st,
                          "SELECT version, role, key_id, signed_at, minisig FROM signature"
                          " WHERE ?1 = 0 OR version = ?1 ORDER BY version, role, key_id",
                          e);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n);
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        inv_sig_row row;
        row.version = sqlite3_column_int64(st, 0);
        row.role = (const char *)sqlite3_column_text(st, 1);
        row.key_id = (const char *)sqlite3_column_text(st, 2);
        row.minisig = (const char *)sqlite3_column_text(st, 4);
        if (inv_time_parse((const char *)sqlite3_column_text(st, 3), 0, &row.signed_at, NULL))
            row.signed_at = 0;
        if ((rc = fn(ctx, &row)))
            break;
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read signatures");
    sqlite3_finalize(st);
    return rc;
}

/* The key ids that must sign version n: per role, the key in force and,
 * at a rotation of that role, the key it replaces ("" otherwise). */
typedef struct keyset {
    char cur[2][CR_KEYID_HEX];
    char old[2][CR_KEYID_HEX];
    unsigned have[2]; /* bit 0: cur signed, bit 1: old signed */
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
        inv_party_free(&p);
        int rotates;
        if ((rc = inv_rotation_at(r, n, inv_roles[i], &rotates, &old, NULL, e)))
            return rc;
        if (rotates)
            cr_keyid_hex(old.keyid, k->old[i]);
    }
    return INV_OK;
}

/* Counts a signature of role by key_id at time at into st. */
static void state_add(inv_sig_state *st, keyset *k, const char *role, const char *key_id,
                      int64_t at)
{
    int i = inv_role_index(role);
    if (i < 0 || !key_id)
        return;
    unsigned bit = !strcmp(key_id, k->cur[i]) ? 1u : k->old[i][0] && !strcmp(key_id, k->old[i]) ? 2u : 0u;
    if (!bit)
        return;
    k->have[i] |= bit;
    int64_t *when = i == INV_ROLE_PROVIDER ? &st->provider_at : &st->client_at;
    if (at > *when)
        *when = at;
}

static void state_finish(inv_sig_state *st, const keyset *k)
{
    int need[2], have[2];
    for (int i = 0; i < 2; i++) {
        need[i] = k->old[i][0] ? 2 : 1;
        have[i] = (int)(k->have[i] & 1u) + (int)((k->have[i] >> 1) & 1u);
    }
    st->provider_need = need[0];
    st->client_need = need[1];
    st->provider_have = have[0];
    st->client_have = have[1];
    st->provider = have[0] == need[0];
    st->client = have[1] == need[1];
    if (!have[0])
        st->provider_at = 0;
    if (!have[1])
        st->client_at = 0;
}

typedef struct state_ctx {
    inv_sig_state *st;
    keyset *k;
} state_ctx;

static int state_one(void *ctx, const inv_sig_row *s)
{
    state_ctx *c = ctx;
    state_add(c->st, c->k, s->role, s->key_id, s->signed_at);
    return 0;
}

int inv_sig_state_get(inv_register *r, int64_t n, inv_sig_state *out, inv_err *e)
{
    keyset k;
    memset(out, 0, sizeof *out);
    int rc = keyset_get(r, n, &k, e);
    if (rc)
        return rc;
    state_ctx c = {out, &k};
    if ((rc = inv_sig_list(r, n, state_one, &c, e)))
        return rc;
    state_finish(out, &k);
    return INV_OK;
}

const char *inv_sig_state_name(const inv_sig_state *s)
{
    if (s->provider && s->client)
        return "agreed";
    if (s->provider)
        return "signed by provider";
    if (s->client)
        return "signed by client";
    return "proposed";
}

typedef struct sigcheck_ctx {
    inv_register *r;
    int64_t n;
    const unsigned char *prehash;
    const char *doc_hash;
    inv_buf *why;
    inv_sig_state *state;
    keyset *k;
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
    int rc = check_parsed(c->r, c->n, &sig, c->prehash, c->doc_hash, &tc, &sub);
    if (rc == INV_EIO) {
        c->rc = rc;
        return rc;
    }
    if (rc) {
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
    state_add(c->state, c->k, tc.role, keyid, tc.signed_at);
    return 0;
}

int inv__verify_signatures(inv_register *r, int64_t n, const unsigned char *prehash,
                           const char *doc_hash, inv_buf *why, inv_sig_state *state,
                           inv_err *e)
{
    keyset k;
    memset(state, 0, sizeof *state);
    int rc = keyset_get(r, n, &k, e);
    if (rc == INV_FAIL) {
        /* A broken key row: say so, and count no signature. */
        inv_buf_printf(why, "; %s", e->msg);
        state_finish(state, &k);
        state->provider = state->client = 0;
        return INV_OK;
    }
    if (rc)
        return rc;
    sigcheck_ctx c = {r, n, prehash, doc_hash, why, state, &k, 0};
    rc = inv_sig_list(r, n, sigcheck_one, &c, e);
    if (c.rc)
        return inv_fail(e, c.rc, "cannot check signatures of version %lld", (long long)n);
    state_finish(state, &k);
    return rc;
}
