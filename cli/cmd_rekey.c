/*
 * cmd_rekey.c - scopereg rekey --role provider|client --key NEW.pub
 *               scopereg rekey --role provider|client --cancel
 *               scopereg rekey                      (lists what is staged)
 *
 * Stages the replacement of a party's key. The next commit makes it a
 * version (alone, or with staged item changes) whose document names the
 * new key and records "key ROLE: OLD -> NEW"; that version is agreed once
 * signed by the party's old key, its new key, and the other party.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "signing.h"

static int list_staged(inv_register *r)
{
    inv_err e = {0};
    int any = 0;
    for (int i = 0; i < 2; i++) {
        cr_pubkey pk;
        inv_party p;
        int staged;
        char a[CR_KEYID_HEX], z[CR_KEYID_HEX];
        if (inv_rekey_staged(r, inv_roles[i], &staged, &pk, &e) ||
            inv_party_get(r, inv_roles[i], 0, &p, &e))
            return cli_report(&e);
        cr_keyid_hex(p.key.keyid, a);
        inv_party_free(&p);
        if (!staged)
            continue;
        cr_keyid_hex(pk.keyid, z);
        printf(_("staged: key %s: %s -> %s\n"), inv_roles[i], a, z);
        any = 1;
    }
    if (!any)
        printf(_("no key replacement staged\n"));
    return CLI_OK;
}

int cmd_rekey(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"role", required_argument, NULL, 'r'},
                                         {"key", required_argument, NULL, 'k'},
                                         {"cancel", no_argument, NULL, 'c'},
                                         {NULL, 0, NULL, 0}};
    const char *role = NULL, *keypath = NULL;
    int cancel = 0, c;
    while ((c = getopt_long(argc, argv, "k:", opts, NULL)) != -1) {
        switch (c) {
        case 'r': role = optarg; break;
        case 'k': keypath = optarg; break;
        case 'c': cancel = 1; break;
        default: return cli_usage("rekey");
        }
    }
    if (optind != argc) {
        cli_error("unexpected argument '%s'", argv[optind]);
        return cli_usage("rekey");
    }
    if (!role && (keypath || cancel)) {
        cli_error("rekey needs --role provider or --role client");
        return cli_usage("rekey");
    }
    if (role && inv_role_index(role) < 0) {
        cli_error("--role '%s': must be provider or client", role);
        return cli_usage("rekey");
    }
    if (role && !keypath == !cancel) {
        cli_error("rekey --role %s needs either --key NEW.pub or --cancel", role);
        return cli_usage("rekey");
    }
    cr_pubkey pk;
    cr_err ce = {0};
    if (keypath && cr_pubkey_load(keypath, &pk, &ce) != CR_OK)
        return cli_report_cr(&ce);

    inv_register *r;
    inv_err e = {0};
    int64_t latest;
    int rc = cli_open(ctx, role != NULL, &r);
    if (rc)
        return rc;
    if (!role) {
        rc = list_staged(r);
        goto out;
    }
    if (cancel) {
        if (inv_rekey_reset(r, role, &e)) {
            rc = cli_report(&e);
            goto out;
        }
        printf(_("dropped the staged replacement of the %s's key\n"), role);
        goto out;
    }
    cr_pubkey old;
    char a[CR_KEYID_HEX], z[CR_KEYID_HEX];
    /* read before the write: nothing may fail once the key is staged */
    if (inv_latest(r, &latest, &e) || inv_rekey_stage(r, role, &pk, &old, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    cr_keyid_hex(old.keyid, a);
    cr_keyid_hex(pk.keyid, z);
    printf(_("staged for version %lld: key %s: %s -> %s\n"), (long long)latest + 1, role, a, z);
    printf(_("commit it ('scopereg commit -m ...'); that version is agreed once signed by the "
           "%s's old key %s and new key %s, and by the %s\n"),
           role, a, z, inv_roles[1 - inv_role_index(role)]);
out:
    if (cli_flush() != 0 && !rc)
        rc = CLI_EIO;
    inv_close(r);
    return rc;
}
