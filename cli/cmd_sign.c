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
#include <stdlib.h>
#include <string.h>

#include "signing.h"

typedef struct existing {
    const char *role, *key_id;
    int found;
    int64_t at;
} existing;

static int find_existing(void *ctx, const inv_sig_row *s)
{
    existing *x = ctx;
    if (!strcmp(s->role, x->role) && !strcmp(s->key_id, x->key_id)) {
        x->found = 1;
        x->at = s->signed_at;
    }
    return 0;
}

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
    cr_err ce = {0};
    cr_seckey *sk = NULL;
    char *text = NULL;
    int64_t n;
    inv_version v = {0};
    inv_checkpoint cp = {0};
    unsigned char prehash[CR_PREHASH_BYTES];
    char hash[CR_HASH_STR_LEN], keyid[CR_KEYID_HEX], date[32], vdate[32];
    int rc = cli_open(ctx, 1, &r);
    if (rc)
        return rc;
    if (inv_version_resolve(r, which, &n, &e) || inv_version_get(r, n, &v, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    /* One rendering gives the checkpoint and the document's digests. */
    if (inv_checkpoint_get(r, n, &cp, &e) || inv_doc_digests(r, n, prehash, hash, &e)) {
        if (e.code == INV_FAIL)
            cli_error("refusing to sign: %s", e.msg);
        rc = e.code == INV_FAIL ? CLI_FAIL : cli_report(&e);
        goto out;
    }
    /* Never sign a version that no longer re-renders to its recorded hash. */
    if ((rc = cli_hash_holds(n, hash, v.doc_hash)))
        goto out;
    inv_time_format(ctx->now, date, sizeof date);
    inv_time_format(v.date, vdate, sizeof vdate);
    if (ctx->now < v.date) {
        cli_error("the signature date (%s) is before the date of version %lld (%s); check "
                  "the clock or $SCOPEREG_NOW", date, (long long)n, vdate);
        rc = CLI_USAGE;
        goto out;
    }
    if ((rc = cli_seckey_load(keypath, passfile, &sk)))
        goto out;
    cr_pubkey mine, theirs;
    const char *role;
    cr_seckey_pubkey(sk, &mine);
    cr_keyid_hex(mine.keyid, keyid);
    if (inv_role_of_key(r, mine.keyid, n, &role, &theirs, &e)) {
        cli_error("%s: %s; sign with the provider's or the client's key", keypath, e.msg);
        rc = e.code == INV_EINPUT ? CLI_USAGE : e.code;
        goto out;
    }
    if (cr_memcmp(mine.pk, theirs.pk, CR_PK_BYTES)) {
        cli_error("%s: key id %s is the %s's, but the key itself is another one; refusing it",
                  keypath, keyid, role);
        rc = CLI_USAGE;
        goto out;
    }
    /* The signatures already stored must be what their trusted comments
     * sign (a row edited behind the tool's back is refused). */
    inv_sig_state before;
    existing x = {role, keyid, 0, 0};
    existing xc = {role, keyid, 0, 0};
    inv_cp_state cps;
    if (inv_sig_state_get(r, n, &before, &e) || inv_sig_list(r, n, find_existing, &x, &e) ||
        inv_cpsig_state(r, n, &cp, &cps, &e) || inv_cpsig_list(r, n, find_existing, &xc, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    /* Each key that signs the document signs the checkpoint too: at a
     * rotation the key replaced as well, which vouches for the new key in
     * a proof folder (docs/FORMAT.md). */
    if (x.found && xc.found) {
        char at[32];
        inv_time_format(x.at, at, sizeof at);
        printf(_("version %lld already carries the %s's signature by key %s (signed %s); "
               "nothing changed\n"), (long long)n, role, keyid, at);
        goto out;
    }
    inv_cptc cptc;
    inv_cp_state cpst;
    if (x.found) {
        /* Signed before checkpoints existed: the checkpoint only. */
        if (cli_sign_checkpoint(r, n, sk, ctx->now, role, &cptc, &cpst, &e))
            rc = cli_report(&e);
        else
            rc = cli_checkpoint_signed(n, ctx->now, role, &cptc, &cpst, 1);
        goto out;
    }

    inv_tc tc = {0};
    char trusted[CR_COMMENT_MAX], untrusted[CR_COMMENT_MAX];
    snprintf(tc.register_id, sizeof tc.register_id, "%s", inv_register_id(r));
    tc.version = n;
    snprintf(tc.role, sizeof tc.role, "%s", role);
    snprintf(tc.doc_hash, sizeof tc.doc_hash, "%s", hash);
    tc.signed_at = ctx->now;
    inv_tc_format(&tc, trusted, sizeof trusted);
    cli_untrusted_comment(untrusted, sizeof untrusted, inv_contract(r), n, role);
    cr_sig sig;
    if (cr_sign_prehashed(sk, prehash, trusted, untrusted, &sig, &ce) != CR_OK) {
        rc = cli_report_cr(&ce);
        goto out;
    }
    if (!(text = cr_sig_format(&sig))) {
        cli_error("out of memory");
        rc = CLI_EIO;
        goto out;
    }
    int already = 0;
    inv_sig_state st;
    char state[512];
    /* The document's signature and the checkpoint's in one transaction:
     * both are stored or neither, and nothing is printed before. */
    if (inv_begin(r, &e) || inv_sig_attach(r, n, text, strlen(text), &tc, &already, &e) ||
        inv_sig_state_get(r, n, &st, &e) ||
        (!xc.found && cli_sign_checkpoint(r, n, sk, ctx->now, role, &cptc, &cpst, &e)) ||
        inv_end(r, 1, &e)) {
        if (e.code != INV_EIO) /* SQLite ended it: what failed after is not a verdict */
            inv_tx_lost(r, &e);
        rc = cli_report(&e);
        goto out;
    }
    cli_state_log(&st, state, sizeof state);
    printf(_("version %lld signed by the %s (key %s) at %s\n"), (long long)n, role, keyid, date);
    printf(_("  document %s\n"), hash);
    if (!xc.found && (rc = cli_checkpoint_signed(n, ctx->now, role, &cptc, &cpst, 0)))
        goto out;
    printf(_("version %lld: %s\n"), (long long)n, state);
    if (!inv_sig_agreed(&st))
        printf(_("next: 'scopereg export %lld -o DIR' and send the files to the other party\n"),
               (long long)n);
    if (fflush(stdout) != 0)
        rc = CLI_EIO;
out:
    cr_seckey_free(sk);
    free(text);
    inv_version_free(&v);
    inv_checkpoint_free(&cp);
    inv_close(r);
    return rc;
}
