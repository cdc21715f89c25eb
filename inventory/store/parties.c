/*
 * parties.c - the parties of a register and their keys: the key in force
 * at a version, the key a version replaces (rotation), whose key a key id
 * is. Reads only.
 */
#include <stdlib.h>
#include <string.h>

#include "store_int.h"

void inv_party_free(inv_party *p)
{
    free(p->name);
    p->name = NULL;
}

int inv_party_get(inv_register *r, const char *role, int64_t version, inv_party *out,
                  inv_err *e)
{
    sqlite3_stmt *st = NULL;
    memset(out, 0, sizeof *out);
    int rc = inv__prepare(r, &st,
                          "SELECT p.name, k.public_key FROM party p JOIN party_key k"
                          " ON k.role = p.role WHERE p.role = ?1 AND k.since <= ?2"
                          " ORDER BY k.since DESC LIMIT 1",
                          e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, role, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, version > 0 ? version : INT64_MAX);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        const char *b64 = (const char *)sqlite3_column_text(st, 1);
        cr_err ce;
        if (cr_pubkey_parse(b64, strlen(b64), &out->key, &ce) != CR_OK) {
            rc = inv_fail(e, INV_FAIL, "register %s: stored %s key is malformed: %s", r->path,
                          role, ce.msg);
        } else if (!(out->name = inv__strdup((const char *)sqlite3_column_text(st, 0)))) {
            rc = inv_fail(e, INV_EIO, "out of memory");
        }
    } else if (s == SQLITE_DONE) {
        rc = inv_fail(e, INV_FAIL, "register %s: no %s key in force at version %lld", r->path,
                      role, (long long)version);
    } else {
        rc = inv__sqlerr(r, e, "read party");
    }
    sqlite3_finalize(st);
    return rc;
}

int inv_rotation_at(inv_register *r, int64_t n, const char *role, int *rotates,
                    cr_pubkey *old, cr_pubkey *new_key, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__role_check(role, e);
    *rotates = 0;
    if (rc || n <= 1) /* version 1 names the keys given at init */
        return rc;
    if ((rc = inv__prepare(r, &st,
                           "SELECT public_key FROM party_key WHERE role = ?1 AND since = ?2", e)))
        return rc;
    sqlite3_bind_text(st, 1, role, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, n);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        const char *b64 = (const char *)sqlite3_column_text(st, 0);
        cr_err ce;
        cr_pubkey nk;
        *rotates = 1;
        if (!b64 || cr_pubkey_parse(b64, strlen(b64), &nk, &ce) != CR_OK)
            rc = inv_fail(e, INV_FAIL, "register %s: stored %s key of version %lld is "
                          "malformed", r->path, role, (long long)n);
        else if (new_key)
            *new_key = nk;
    } else if (s != SQLITE_DONE) {
        rc = inv__sqlerr(r, e, "read keys");
    }
    sqlite3_finalize(st);
    if (rc || !*rotates)
        return rc;
    inv_party p;
    if ((rc = inv_party_get(r, role, n - 1, &p, e)))
        return rc;
    if (old)
        *old = p.key;
    inv_party_free(&p);
    return INV_OK;
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
