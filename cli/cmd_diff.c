/*
 * cmd_diff.c - scopereg diff A B: what changed between two versions or
 * dates: first the parties' keys that differ between A and B (the keys in
 * force at A against those in force at B), as "key ROLE: OLD -> NEW"
 * lines, then the item changes, as the scope document writes them.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

/* Prints "key ROLE: OLD -> NEW" for each party whose key in force at a
 * differs from its key in force at b; *n counts them. */
static int key_changes(inv_register *r, int64_t a, int64_t b, int64_t *n, inv_err *e)
{
    for (int i = 0; i < 2; i++) {
        inv_party p;
        cr_pubkey ka, kb;
        int rc = inv_party_get(r, inv_roles[i], a, &p, e);
        if (rc)
            return rc;
        ka = p.key;
        inv_party_free(&p);
        if ((rc = inv_party_get(r, inv_roles[i], b, &p, e)))
            return rc;
        kb = p.key;
        inv_party_free(&p);
        if (!memcmp(ka.pk, kb.pk, CR_PK_BYTES) && !memcmp(ka.keyid, kb.keyid, CR_KEYID_BYTES))
            continue;
        char ida[CR_KEYID_HEX], idb[CR_KEYID_HEX];
        cr_keyid_hex(ka.keyid, ida);
        cr_keyid_hex(kb.keyid, idb);
        printf("key %s: %s -> %s\n", inv_roles[i], ida, idb);
        (*n)++;
    }
    return INV_OK;
}

int cmd_diff(int argc, char **argv, cli_ctx *ctx)
{
    if (argc != 3)
        return cli_usage("diff");
    inv_register *r;
    inv_err e = {0};
    int64_t a, b, keys = 0;
    cli_changes d = {0};
    int rc = cli_open(ctx, 0, &r);
    if (rc)
        return rc;
    if (inv_version_resolve(r, argv[1], &a, &e) != INV_OK ||
        inv_version_resolve(r, argv[2], &b, &e) != INV_OK) {
        rc = cli_report(&e);
        goto out;
    }
    printf(_("changes from version %lld to version %lld\n"), (long long)a, (long long)b);
    if ((a > 0 && b > 0 && key_changes(r, a, b, &keys, &e) != INV_OK) ||
        inv_diff(r, a, b, cli_print_change, &d, &e) != INV_OK) {
        rc = cli_report(&e);
        goto out;
    }
    cli_changes_flush(&d);
    if (d.n == 0 && keys == 0)
        printf(_("no change\n"));
    rc = cli_flushed(rc);
out:
    cli_changes_free(&d);
    inv_close(r);
    return rc;
}
