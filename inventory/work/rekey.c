/*
 * rekey.c - staging the replacement of a party's key (key rotation).
 *
 * A replacement is staged in the meta table under "staged-key:ROLE" (the
 * base64 line of the new public key): staging state, like the stage table,
 * never part of a document. commit turns it into a party_key row with
 * since = N; from then on inv_party_get gives the new key for versions
 * >= N, the header of version N names it, and its changes section records
 * "key ROLE: OLD -> NEW" (docs/FORMAT.md). Version N is signed by the old
 * and the new key of the rotating party, and by the other party.
 */
#include <stdlib.h>
#include <string.h>

#include "work_int.h"

#define STAGED_PREFIX "staged-key:"

int inv_rekey_staged(inv_register *r, const char *role, int *staged, cr_pubkey *pk,
                     inv_err *e)
{
    char key[32];
    sqlite3_stmt *st = NULL;
    int rc = inv__role_check(role, e);
    *staged = 0;
    if (rc)
        return rc;
    snprintf(key, sizeof key, STAGED_PREFIX "%s", role);
    if ((rc = inv__prepare(r, &st, "SELECT value FROM meta WHERE key = ?1", e)))
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        const char *b64 = (const char *)sqlite3_column_text(st, 0);
        cr_err ce;
        cr_pubkey tmp;
        *staged = 1;
        if (!b64 || cr_pubkey_parse(b64, strlen(b64), &tmp, &ce) != CR_OK)
            rc = inv_fail(e, INV_FAIL, "register %s: the staged %s key is malformed; run "
                          "'scopereg rekey --role %s --cancel'", r->path, role, role);
        else if (pk)
            *pk = tmp;
    } else if (s != SQLITE_DONE) {
        rc = inv__sqlerr(r, e, "read staged key");
    }
    sqlite3_finalize(st);
    return rc;
}

/* Whether keyid is, or was, a key of role (party_key rows), or is staged
 * for it. */
static int key_known(inv_register *r, const char *role, const char *keyid, int *known,
                     inv_err *e)
{
    sqlite3_stmt *st = NULL;
    *known = 0;
    int rc = inv__prepare(r, &st, "SELECT 1 FROM party_key WHERE role = ?1 AND key_id = ?2",
                          e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, keyid, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        *known = 1;
    else if (s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read keys");
    sqlite3_finalize(st);
    if (rc || *known)
        return rc;
    cr_pubkey pk;
    int staged;
    if ((rc = inv_rekey_staged(r, role, &staged, &pk, e)))
        return rc;
    if (staged) {
        char hex[CR_KEYID_HEX];
        cr_keyid_hex(pk.keyid, hex);
        *known = !strcmp(hex, keyid);
    }
    return INV_OK;
}

static int do_stage(inv_register *r, const char *role, const cr_pubkey *pk, cr_pubkey *old,
                    inv_err *e)
{
    int64_t latest;
    inv_party cur, op;
    char keyid[CR_KEYID_HEX], b64[CR_PUBKEY_B64], key[32];
    const char *other = inv_roles[1 - inv_role_index(role)];
    int rc = inv_latest(r, &latest, e), known;
    if (rc)
        return rc;
    if (latest == 0)
        return inv_fail(e, INV_EINPUT, "register %s has no version yet: the first version "
                        "names the keys given at init", r->path);
    if ((rc = inv_party_get(r, role, 0, &cur, e)))
        return rc;
    inv_party_free(&cur);
    if (old)
        *old = cur.key;
    cr_keyid_hex(pk->keyid, keyid);
    if (!memcmp(cur.key.keyid, pk->keyid, CR_KEYID_BYTES) ||
        !cr_memcmp(cur.key.pk, pk->pk, CR_PK_BYTES))
        return inv_fail(e, INV_EINPUT, "key %s is already the %s's key", keyid, role);
    if ((rc = key_known(r, other, keyid, &known, e)))
        return rc;
    if (known)
        return inv_fail(e, INV_EINPUT, "key %s is, was or is staged as the %s's key; each "
                        "party needs its own key", keyid, other);
    if ((rc = inv_party_get(r, other, 0, &op, e)))
        return rc;
    inv_party_free(&op);
    if (!cr_memcmp(op.key.pk, pk->pk, CR_PK_BYTES))
        return inv_fail(e, INV_EINPUT, "this public key is the %s's key; each party needs "
                        "its own key", other);
    sqlite3_stmt *st = NULL;
    if ((rc = inv__prepare(r, &st, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)",
                           e)))
        return rc;
    cr_pubkey_base64(pk, b64, sizeof b64);
    snprintf(key, sizeof key, STAGED_PREFIX "%s", role);
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, b64, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "stage key");
    sqlite3_finalize(st);
    return rc;
}

int inv_rekey_stage(inv_register *r, const char *role, const cr_pubkey *pk, cr_pubkey *old,
                    inv_err *e)
{
    int rc = inv__role_check(role, e);
    if (rc)
        return rc;
    if ((rc = inv__tx_begin(r, e)))
        return rc;
    rc = do_stage(r, role, pk, old, e);
    int rc2 = inv__tx_end(r, rc == INV_OK, e);
    return rc ? rc : rc2;
}

static int do_reset(inv_register *r, const char *role, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    char key[32];
    int rc = inv__prepare(r, &st,
                          "DELETE FROM meta WHERE key = ?1 OR (?1 IS NULL AND key LIKE '"
                          STAGED_PREFIX "%')",
                          e);
    if (rc)
        return rc;
    if (role) {
        snprintf(key, sizeof key, STAGED_PREFIX "%s", role);
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    }
    rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "unstage key");
    sqlite3_finalize(st);
    if (!rc && role && sqlite3_changes(r->db) == 0)
        rc = inv_fail(e, INV_EINPUT, "no replacement of the %s's key is staged", role);
    return rc;
}

int inv_rekey_reset(inv_register *r, const char *role, inv_err *e)
{
    int rc;
    if (role && (rc = inv__role_check(role, e)))
        return rc;
    if ((rc = inv__tx_begin(r, e)))
        return rc;
    rc = do_reset(r, role, e);
    int rc2 = inv__tx_end(r, rc == INV_OK, e);
    return rc ? rc : rc2;
}

int inv__rekey_count(inv_register *r, int64_t *count, inv_err *e)
{
    *count = 0;
    for (int i = 0; i < 2; i++) {
        int staged, rc = inv_rekey_staged(r, inv_roles[i], &staged, NULL, e);
        if (rc)
            return rc;
        *count += staged;
    }
    return INV_OK;
}

int inv__rekey_commit(inv_register *r, int64_t n, inv_err *e)
{
    cr_pubkey pk[2];
    int staged[2];
    for (int i = 0; i < 2; i++) {
        int rc = inv_rekey_staged(r, inv_roles[i], &staged[i], &pk[i], e);
        if (rc)
            return rc;
    }
    if (!staged[0] && !staged[1])
        return INV_OK;
    if (staged[0] && staged[1] && !cr_memcmp(pk[0].pk, pk[1].pk, CR_PK_BYTES))
        return inv_fail(e, INV_EINPUT, "the staged provider and client keys are the same key; "
                        "each party needs its own key");
    for (int i = 0; i < 2; i++) {
        if (!staged[i])
            continue;
        int rc = inv__party_key_insert(r, inv_roles[i], n, &pk[i], e);
        if (rc)
            return rc;
    }
    return inv__rekey_drop(r, e);
}

int inv__rekey_drop(inv_register *r, inv_err *e)
{
    return inv__exec(r, "DELETE FROM meta WHERE key LIKE '" STAGED_PREFIX "%'", e);
}
