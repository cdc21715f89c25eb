/*
 * cmd_attach.c - scopereg attach FILE.minisig
 *
 * Stores a party's signature made elsewhere (by 'scopereg cosign' or
 * stock minisign with the right trusted comment): the version comes from
 * the trusted comment; the signature must be by the key of the role it
 * names, over the re-rendered document of that version of this register.
 * It is stored with scopereg's untrusted comment ("scopereg: contract
 * REF, version N, ROLE signature"), whatever the file's said. A
 * checkpoint signature (trusted comment "scopereg-checkpoint ...") is
 * checked against the checkpoint re-derived from the register and stored
 * beside the document's signatures.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "signing.h"

/* A checkpoint signature (its trusted comment says so): checked against
 * the checkpoint re-derived from the register, then stored. */
static int attach_checkpoint(const char *file, cr_sig *sig, cli_ctx *ctx)
{
    inv_err e = {0};
    inv_cptc tc;
    inv_cp_state st;
    int64_t latest;
    char words[128], date[32], keyid[CR_KEYID_HEX];
    if (inv_cptc_parse(sig->trusted, &tc, &e) != INV_OK) {
        cli_error("%s: %s", file, e.msg);
        return CLI_USAGE;
    }
    inv_register *r;
    int rc = cli_open(ctx, 1, &r);
    if (rc)
        return rc;
    if (strcmp(tc.register_id, inv_register_id(r))) {
        cli_error("%s: checkpoint signature is for register %s, not for %s (register %s)",
                  file, tc.register_id, inv_path(r), inv_register_id(r));
        rc = CLI_FAIL;
        goto out;
    }
    if ((rc = inv_latest(r, &latest, &e))) {
        rc = cli_report(&e);
        goto out;
    }
    if (tc.version < 1 || tc.version > latest) {
        cli_error("%s: checkpoint signature is for version %lld, which %s does not hold "
                  "(latest is %lld)", file, (long long)tc.version, inv_path(r),
                  (long long)latest);
        rc = CLI_FAIL;
        goto out;
    }
    cli_untrusted_comment(sig->untrusted, sizeof sig->untrusted, inv_contract(r), tc.version,
                          tc.role);
    size_t ul = strlen(sig->untrusted), sl = strlen(" signature");
    if (ul > sl && ul + 12 < sizeof sig->untrusted)
        snprintf(sig->untrusted + ul - sl, sizeof sig->untrusted - (ul - sl),
                 " checkpoint signature");
    char *canon = cr_sig_format(sig);
    int already = 0;
    if (!canon) {
        cli_error("out of memory");
        rc = CLI_EIO;
        goto out;
    }
    /* checked first, outside the write lock (the version is rendered once
     * and kept by the handle); then stored and its state read in one
     * transaction: a failure after the store keeps nothing, and nothing
     * is printed before */
    inv_cptc pre;
    rc = inv_cpsig_check(r, tc.version, canon, strlen(canon), &pre, &e);
    if (!rc)
        rc = inv_begin(r, &e);
    if (!rc && (rc = inv_cpsig_attach(r, tc.version, canon, strlen(canon), &tc, &already, &e)))
        rc = rc != INV_EIO && inv_tx_lost(r, &e) ? INV_EIO : rc; /* SQLite ended it */
    if (rc)
        cli_error("%s: %s", file, e.msg);
    free(canon);
    if (rc) {
        rc = e.code ? e.code : CLI_EIO;
        goto out;
    }
    if (inv_cpsig_state(r, tc.version, NULL, &st, &e) || inv_end(r, 1, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    cli_cp_state(&st, words, sizeof words);
    cr_keyid_hex(sig->keyid, keyid);
    inv_time_format(tc.signed_at, date, sizeof date);
    if (already)
        printf(_("%s is already attached: the %s's checkpoint signature of version %lld (key "
                 "%s); nothing changed\n"), file, tc.role, (long long)tc.version, keyid);
    else
        printf(_("attached the %s's checkpoint signature of version %lld (key %s, signed %s, "
                 "root %s)\n"), tc.role, (long long)tc.version, keyid, date, tc.root);
    printf(_("version %lld: %s\n"), (long long)tc.version, words);
    if (cli_flush() != 0)
        rc = CLI_EIO;
out:
    inv_close(r);
    return rc;
}

int cmd_attach(int argc, char **argv, cli_ctx *ctx)
{
    if (argc != 2 || argv[1][0] == '-') {
        if (argc < 2)
            cli_error("attach needs the signature file FILE.minisig");
        else if (argc > 2)
            cli_error("unexpected argument '%s'", argv[2]);
        return cli_usage("attach");
    }
    const char *file = argv[1];
    char *text = NULL;
    size_t len;
    cr_err ce = {0};
    inv_err e = {0};
    cr_sig sig;
    inv_tc tc;
    int64_t latest;
    if (cr_read_file(file, CR_SIG_FILE_MAX, &text, &len, &ce) != CR_OK)
        return cli_report_cr(&ce);
    if (cr_sig_parse(text, len, &sig, &ce) != CR_OK) {
        cli_error("%s: %s", file, ce.msg);
        free(text);
        return CLI_USAGE;
    }
    if (!strncmp(sig.trusted, INV_CPTC_PREFIX, strlen(INV_CPTC_PREFIX))) {
        free(text);
        return attach_checkpoint(file, &sig, ctx);
    }
    if (inv_tc_parse(sig.trusted, &tc, &e) != INV_OK) {
        cli_error("%s: %s", file, e.msg);
        free(text);
        return CLI_USAGE;
    }
    inv_register *r;
    int rc = cli_open(ctx, 1, &r);
    if (rc) {
        free(text);
        return rc;
    }
    if (strcmp(tc.register_id, inv_register_id(r))) {
        cli_error("%s: signature is for register %s, not for %s (register %s)", file,
                  tc.register_id, inv_path(r), inv_register_id(r));
        rc = CLI_FAIL;
        goto out;
    }
    if (inv_latest(r, &latest, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    if (tc.version < 1 || tc.version > latest) {
        cli_error("%s: signature is for version %lld, which %s does not hold (latest is %lld)",
                  file, (long long)tc.version, inv_path(r), (long long)latest);
        rc = CLI_FAIL;
        goto out;
    }
    /* The untrusted comment is not signed: the register stores (and export
     * and evidence write) scopereg's own, never the signer's free text. */
    cli_untrusted_comment(sig.untrusted, sizeof sig.untrusted, inv_contract(r), tc.version,
                          tc.role);
    char *canon = cr_sig_format(&sig);
    if (!canon) {
        cli_error("out of memory");
        rc = CLI_EIO;
        goto out;
    }
    free(text);
    text = canon;
    len = strlen(canon);
    int already = 0;
    /* checked outside the write lock, then stored in one transaction with
     * the reading of its state (as above) */
    inv_tc pre;
    if (inv_sig_check(r, tc.version, text, len, &pre, &e) != INV_OK) {
        cli_error("%s: %s", file, e.msg);
        rc = e.code ? e.code : CLI_EIO;
        goto out;
    }
    if (inv_begin(r, &e) != INV_OK) {
        rc = cli_report(&e);
        goto out;
    }
    if (inv_sig_attach(r, tc.version, text, len, &tc, &already, &e) != INV_OK) {
        if (e.code != INV_EIO) /* SQLite ended it: what failed after is not a verdict */
            inv_tx_lost(r, &e);
        cli_error("%s: %s", file, e.msg);
        rc = e.code ? e.code : CLI_EIO;
        goto out;
    }
    inv_sig_state st;
    char state[512], date[32], keyid[CR_KEYID_HEX];
    if (inv_sig_state_get(r, tc.version, &st, &e) || inv_end(r, 1, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    cli_state_log(&st, state, sizeof state);
    cr_keyid_hex(sig.keyid, keyid);
    inv_time_format(tc.signed_at, date, sizeof date);
    if (already)
        printf(_("%s is already attached: the %s's signature of version %lld (key %s); nothing "
                 "changed\n"), file, tc.role, (long long)tc.version, keyid);
    else
        printf(_("attached the %s's signature of version %lld (key %s, signed %s)\n"), tc.role,
               (long long)tc.version, keyid, date);
    printf("version %lld: %s\n", (long long)tc.version, state);
    if (cli_flush() != 0)
        rc = CLI_EIO;
out:
    free(text);
    inv_close(r);
    return rc;
}
