/*
 * cmd_commit.c - scopereg commit: staged changes become version N+1;
 * with --sign, the committer's key signs it in the same command, from the
 * commit's own rendering (one rendering instead of two).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "signing.h"

/* CLI_USAGE, naming the fix, when sk is the new key of a staged key
 * replacement: it becomes its party's key only with this commit, whose
 * version the key it replaces signs. A failure to read the stage is
 * reported as such (its exit code); CLI_OK otherwise. */
static int staged_key(inv_register *r, const cr_seckey *sk, const char *keypath)
{
    cr_pubkey mine, staged;
    char keyid[CR_KEYID_HEX];
    cr_seckey_pubkey(sk, &mine);
    for (int i = 0; i < 2; i++) {
        int is = 0;
        inv_err e = {0};
        if (inv_rekey_staged(r, inv_roles[i], &is, &staged, &e) != INV_OK)
            return cli_report(&e); /* the register failed: no advice about the key */
        if (is && !cr_memcmp(staged.keyid, mine.keyid, CR_KEYID_BYTES)) {
            cr_keyid_hex(mine.keyid, keyid);
            cli_error("%s: key %s becomes the %s's key only with this commit (staged by rekey); "
                      "sign this version with the key it replaces, or commit, then 'scopereg "
                      "sign --key %s'",
                      keypath, keyid, inv_roles[i], keypath);
            return CLI_USAGE;
        }
    }
    return CLI_OK;
}

int cmd_commit(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"message", required_argument, NULL, 'm'},
                                         {"author", required_argument, NULL, 'a'},
                                         {"sign", no_argument, NULL, 's'},
                                         {"key", required_argument, NULL, 'k'},
                                         {"passphrase-file", required_argument, NULL, 'P'},
                                         {NULL, 0, NULL, 0}};
    const char *message = NULL, *author = NULL, *keypath = NULL, *passfile = NULL;
    int c, rc, sign = 0;
    while ((c = getopt_long(argc, argv, "m:k:", opts, NULL)) != -1) {
        if (c == 'm')
            message = optarg;
        else if (c == 'a')
            author = optarg;
        else if (c == 's')
            sign = 1;
        else if (c == 'k')
            keypath = optarg;
        else if (c == 'P')
            passfile = optarg;
        else
            return cli_usage("commit");
    }
    if (optind != argc) {
        cli_error("unexpected argument '%s'", argv[optind]);
        return cli_usage("commit");
    }
    if (!message) {
        cli_error("commit needs -m MESSAGE");
        return cli_usage("commit");
    }
    if (sign && !keypath) {
        cli_error("commit --sign needs --key K.key (the secret key of the provider or the "
                  "client)");
        return cli_usage("commit");
    }
    if (!sign && (keypath || passfile)) {
        cli_error("--key and --passphrase-file go with --sign: add --sign to sign the new "
                  "version, or sign it later with 'scopereg sign'");
        return cli_usage("commit");
    }
    if (!author)
        author = cli_default_author();
    inv_register *r;
    inv_err e = {0};
    int64_t n, items, latest;
    char hash[CR_HASH_STR_LEN], keyid[CR_KEYID_HEX];
    cr_seckey *sk = NULL;
    cli_signable s = {0};
    if ((rc = cli_open(ctx, 1, &r)))
        return rc;
    if (sign) {
        /* The key and its party before anything is written: a wrong
         * passphrase or another contract's key leaves the stage as it is.
         * Then the commit and the signatures in one transaction: all of
         * them are stored or none, and nothing is printed before. */
        const char *role;
        if (inv_latest(r, &latest, &e)) {
            rc = cli_report(&e);
            goto out;
        }
        if ((rc = cli_seckey_load(keypath, passfile, &sk)) || (rc = staged_key(r, sk, keypath)) ||
            (rc = cli_key_role(r, latest + 1, sk, keypath, &role, keyid)))
            goto out;
        inv_commit_with_digests(r, 1);
        if (inv_begin(r, &e)) {
            rc = cli_report(&e);
            goto out;
        }
    }
    if (inv_commit(r, message, author, ctx->now, &n, &e) != INV_OK ||
        inv_last_commit(r, &n, &items, hash, &e) != INV_OK) {
        if (sign && e.code != INV_EIO)
            inv_tx_lost(r, &e);
        rc = cli_report(&e);
        goto out;
    }
    if (sign) {
        /* a refusal here rolls the commit back too (its error says why) */
        if ((rc = cli_sign_ready(r, n, ctx, &s)) ||
            (rc = cli_sign_store(r, &s, sk, keypath, ctx, 1)))
            goto out;
        if (inv_end(r, 1, &e)) {
            rc = cli_report(&e);
            goto out;
        }
    }
    printf(ngettext("version %lld committed: %lld item, %s\n",
                    "version %lld committed: %lld items, %s\n", items == 1 ? 1 : 2),
           (long long)n, (long long)items, hash);
    if (sign)
        rc = cli_sign_print(&s, ctx);
out:
    if (rc)
        inv_end(r, 0, NULL); /* the transaction of --sign, when open: rolled back */
    cr_seckey_free(sk);
    cli_signable_free(&s);
    inv_close(r);
    return rc;
}
