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

/* The fields of a trusted comment, in their order. */
static const char *const tc_fields[5] = {"register", "version", "role", "document", "signed"};

#define TC_GRAMMAR                                                                          \
    "a scope-document signature's trusted comment is exactly: scopereg "                    \
    "register:<32 lower-case hex digits> version:<number> role:<provider|client> "          \
    "document:blake2b-256:<64 lower-case hex digits> signed:<YYYY-MM-DDTHH:MM:SSZ>, "       \
    "each field once, in that order, single spaces"

/* Index in tc_fields of the field named by the n bytes at name, -1 if none. */
static int tc_field_index(const char *name, size_t n)
{
    for (int i = 0; i < 5; i++)
        if (strlen(tc_fields[i]) == n && !memcmp(name, tc_fields[i], n))
            return i;
    return -1;
}

/* n bytes of s for a message: printable ASCII as is, any other byte as
 * \xNN (no terminal control sequence gets through), cut at 60 bytes. */
static void tc_quote(char *out, size_t outlen, const char *s, size_t n)
{
    size_t o = 0, i;
    for (i = 0; i < n && i < 60 && o + 5 < outlen; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f)
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
    }
    if (i < n && o + 4 < outlen) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

/* Whether the n bytes at s are lower-case hex digits. */
static int lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* Checks the value v (n bytes) of field k and stores it in out; INV_EINPUT
 * naming the field. */
static int tc_value(int k, const char *v, size_t n, inv_tc *out, inv_err *e)
{
    char q[300], buf[32];
    tc_quote(q, sizeof q, v, n);
    switch (k) {
    case 0:
        if (n != 32 || !lower_hex(v, n))
            return inv_fail(e, INV_EINPUT, "trusted comment: register: '%s' is not a register "
                            "id (32 lower-case hex digits)", q);
        memcpy(out->register_id, v, n);
        out->register_id[n] = '\0';
        return INV_OK;
    case 1:
        if (n < 1 || n > 18 || strspn(v, "0123456789") < n || v[0] == '0')
            return inv_fail(e, INV_EINPUT, "trusted comment: version: '%s' is not a version "
                            "number (decimal digits, from 1, no sign, no leading zero)", q);
        memcpy(buf, v, n);
        buf[n] = '\0';
        out->version = strtoll(buf, NULL, 10);
        return INV_OK;
    case 2:
        if (!((n == 8 && !memcmp(v, "provider", 8)) || (n == 6 && !memcmp(v, "client", 6))))
            return inv_fail(e, INV_EINPUT, "trusted comment: role: '%s' must be provider or "
                            "client", q);
        memcpy(out->role, v, n);
        out->role[n] = '\0';
        return INV_OK;
    case 3: {
        size_t pl = sizeof CR_HASH_PREFIX - 1;
        if (n != pl + 2 * CR_HASH_BYTES || memcmp(v, CR_HASH_PREFIX, pl) ||
            !lower_hex(v + pl, n - pl))
            return inv_fail(e, INV_EINPUT, "trusted comment: document: '%s' is not "
                            CR_HASH_PREFIX " and 64 lower-case hex digits", q);
        memcpy(out->doc_hash, v, n);
        out->doc_hash[n] = '\0';
        return INV_OK;
    }
    default: {
        /* YYYY-MM-DDTHH:MM:SSZ exactly, and a real instant written back
         * the same (no 24:00:00, no 31 April). */
        static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
        char back[32];
        int ok = n == sizeof shape - 1;
        for (size_t i = 0; ok && i < n; i++)
            ok = shape[i] == 'd' ? v[i] >= '0' && v[i] <= '9' : v[i] == shape[i];
        if (ok) {
            memcpy(buf, v, n);
            buf[n] = '\0';
            ok = inv_time_parse(buf, 0, &out->signed_at, NULL) == INV_OK;
            if (ok) {
                inv_time_format(out->signed_at, back, sizeof back);
                ok = !strcmp(back, buf);
            }
        }
        if (!ok)
            return inv_fail(e, INV_EINPUT, "trusted comment: signed: '%s' is not a date "
                            "YYYY-MM-DDTHH:MM:SSZ", q);
        return INV_OK;
    }
    }
}

int inv_tc_parse(const char *text, inv_tc *out, inv_err *e)
{
    char q[300], a[300];
    const char *tok[5];
    size_t toklen[5];
    memset(out, 0, sizeof *out);
    if (strncmp(text, "scopereg ", 9) != 0)
        return inv_fail(e, INV_EINPUT, "trusted comment does not start with 'scopereg ': "
                                       "not a signature of a scope document");
    const char *p = text + 9, *prev = text;
    size_t prevlen = 8;
    for (int k = 0; k < 5; k++) {
        size_t tlen = strcspn(p, " ");
        tc_quote(a, sizeof a, prev, prevlen);
        if (tlen == 0 && *p == '\0')
            return inv_fail(e, INV_EINPUT, "trusted comment: '%s:' is missing after '%s'; "
                            TC_GRAMMAR, tc_fields[k], a);
        if (tlen == 0)
            return inv_fail(e, INV_EINPUT, "trusted comment: two spaces after '%s'; "
                            TC_GRAMMAR, a);
        const char *colon = memchr(p, ':', tlen);
        int j = colon ? tc_field_index(p, (size_t)(colon - p)) : -1;
        if (j >= 0 && j < k) {
            tc_quote(q, sizeof q, p, tlen);
            tc_quote(a, sizeof a, tok[j], toklen[j]);
            return inv_fail(e, INV_EINPUT, "trusted comment: '%s:' appears twice ('%s' and "
                            "'%s'); " TC_GRAMMAR, tc_fields[j], a, q);
        }
        if (j > k)
            return inv_fail(e, INV_EINPUT, "trusted comment: '%s:' is missing: '%s:' comes "
                            "after '%s'; " TC_GRAMMAR, tc_fields[k], tc_fields[j], a);
        if (j < 0) {
            /* The text that does not belong: up to the next field name. */
            const char *end = p + tlen;
            while (*end == ' ') {
                const char *t = end + 1;
                size_t l = strcspn(t, " ");
                const char *c = memchr(t, ':', l);
                if (c && tc_field_index(t, (size_t)(c - t)) >= 0)
                    break;
                end = t + l;
            }
            tc_quote(q, sizeof q, p, (size_t)(end - p));
            return inv_fail(e, INV_EINPUT, "trusted comment: unexpected text '%s' after "
                            "'%s'; " TC_GRAMMAR, q, a);
        }
        int rc = tc_value(k, colon + 1, tlen - (size_t)(colon + 1 - p), out, e);
        if (rc)
            return rc;
        tok[k] = p;
        toklen[k] = tlen;
        prev = p;
        prevlen = tlen;
        p += tlen;
        if (k < 4 && *p == ' ')
            p++;
    }
    if (*p) {
        tc_quote(a, sizeof a, prev, prevlen);
        if (!p[1])
            return inv_fail(e, INV_EINPUT, "trusted comment: a space after '%s' at the end; "
                            TC_GRAMMAR, a);
        tc_quote(q, sizeof q, p + 1, strlen(p + 1));
        return inv_fail(e, INV_EINPUT, "trusted comment: unexpected text '%s' after '%s'; "
                        TC_GRAMMAR, q, a);
    }
    /* What was read, written back, is what was signed: nothing else can
     * hide in it. */
    char back[512];
    inv_tc_format(out, back, sizeof back);
    if (strcmp(back, text))
        return inv_fail(e, INV_EINPUT, "trusted comment is not in the form scopereg writes; "
                        TC_GRAMMAR);
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
    if ((rc = inv_version_check(r, n, e)) == INV_OK)
        rc = inv__render_digests(r, &v, prehash, doc_hash, NULL, e);
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
    cr_pubkey cur_pk[2], old_pk[2];
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
    inv_register *r;
    const inv_version *v;
    inv_sig_state *st;
    keyset *k;
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
    state_add(c->st, c->k, tc.role, keyid, tc.signed_at);
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
    state_ctx c = {r, &v, out, &k, e ? e : &local, 0};
    rc = inv_sig_list(r, n, state_one, &c, e);
    inv_version_free(&v);
    if (c.rc || rc) {
        memset(out, 0, sizeof *out);
        return c.rc ? c.rc : rc;
    }
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
    int64_t n, vdate;
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
    state_add(c->state, c->k, tc.role, keyid, tc.signed_at);
    return 0;
}

int inv__verify_signatures(inv_register *r, int64_t n, int64_t vdate,
                           const unsigned char *prehash, const char *doc_hash, inv_buf *why,
                           inv_sig_state *state, inv_err *e)
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
    sigcheck_ctx c = {r, n, vdate, prehash, doc_hash, why, state, &k, 0};
    rc = inv_sig_list(r, n, sigcheck_one, &c, e);
    if (c.rc)
        return inv_fail(e, c.rc, "cannot check signatures of version %lld", (long long)n);
    state_finish(state, &k);
    return rc;
}
