/*
 * cmd_sign.c - scopereg sign [VERSION] --key K.key [--passphrase-file F]
 *
 * The key's party signs the scope document of a version (default: the
 * latest) in minisign's prehashed mode; the document is rendered and
 * hashed as a stream, never held whole. The role comes from the key id:
 * a key that is neither party's is refused. A version whose rows do not
 * follow from the version before (inv_version_check), whose document no
 * longer hashes to its recorded hash, or whose parties share a key is
 * never signed. The signature is stored after the same checks as
 * 'attach'. The same key signs the version's checkpoint too (one
 * passphrase prompt); a version whose document this key signed before
 * checkpoints existed gets its checkpoint signed alone.
 */
#include <getopt.h>
#include <stdio.h>

#include "signing.h"

int cmd_sign(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"key", required_argument, NULL, 'k'},
                                         {"passphrase-file", required_argument, NULL, 'P'},
                                         {NULL, 0, NULL, 0}};
    const char *keypath = NULL, *passfile = NULL, *which = "latest";
    int c;
    while ((c = getopt_long(argc, argv, "k:", opts, NULL)) != -1) {
        if (c == 'k')
            keypath = optarg;
        else if (c == 'P')
            passfile = optarg;
        else
            return cli_usage("sign");
    }
    if (optind < argc)
        which = argv[optind++];
    if (optind < argc) {
        cli_error("unexpected argument '%s'", argv[optind]);
        return cli_usage("sign");
    }
    if (!keypath) {
        cli_error("sign needs --key K.key (the secret key of the provider or the client)");
        return cli_usage("sign");
    }

    inv_register *r;
    inv_err e = {0};
    cr_seckey *sk = NULL;
    int64_t n;
    cli_signable s = {0};
    int rc = cli_open(ctx, 1, &r);
    if (rc)
        return rc;
    /* the checks and the one rendering first, then the passphrase */
    if (inv_version_resolve(r, which, &n, &e))
        rc = cli_report(&e);
    else if (!(rc = cli_sign_ready(r, n, ctx, &s)) &&
             !(rc = cli_seckey_load(keypath, passfile, &sk)) &&
             !(rc = cli_sign_store(r, &s, sk, keypath, ctx, 0)))
        rc = cli_sign_print(&s, ctx);
    cr_seckey_free(sk);
    cli_signable_free(&s);
    inv_close(r);
    return rc;
}
