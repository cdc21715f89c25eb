/* cosign_sign.c - cosign's keys and files: --previous-key, signature paths, signing. */
#include <stdlib.h>
#include <string.h>

#include "cosign.h"
#include "outdir.h"

int cli_cosign_report(const inv_err *e)
{
    char *m = out_safe_dup(e->msg[0] ? e->msg : "unexpected failure", 0);
    cli_error("%s", m ? m : e->msg);
    free(m);
    return e->code ? e->code : CLI_EIO;
}

/* --previous-key: the key signing must be the new key of a rotation of
 * its role at N, and old.key the key it replaces. Loads it into c->prev
 * (*psk); returns the exit code. */
int cli_cosign_load_previous(cli_cosign *c, const char *keypath, const char *prevpath,
                             const char *passfile, cr_seckey **psk)
{
    long long n = (long long)c->d.version;
    const char *r = inv_roles[c->role], *old = c->d.old_key[c->role];
    if (c->old) {
        cli_error("%s (key %s) is the key version %lld replaces; with --previous-key, --key is "
                  "the new key, %s", keypath, c->keyid, n, c->d.key[c->role]);
        return CLI_USAGE;
    }
    if (!old[0]) {
        cli_error("version %lld does not replace the %s's key %s: --previous-key is only for "
                  "a version that replaces your key; leave it out", n, r, c->keyid);
        return CLI_USAGE;
    }
    int rc = cli_seckey_load(prevpath, passfile, psk);
    if (rc)
        return rc;
    cr_seckey_pubkey(*psk, &c->prev);
    cr_keyid_hex(c->prev.keyid, c->prev_keyid);
    if (strcmp(c->prev_keyid, old)) {
        cli_error("%s (key %s) is not the key version %lld replaces: it replaces the %s's key "
                  "%s by %s; give --previous-key the secret key of %s", prevpath,
                  c->prev_keyid, n, r, old, c->d.key[c->role], old);
        return CLI_USAGE;
    }
    c->has_prev = 1;
    return CLI_OK;
}

/* Where a signature goes: SIG, else <stem>.ROLE[.old].minisig; refused
 * when it exists (without --force) or may not be replaced. */
int cli_cosign_sig_path(const cli_cosign *c, const char *outpath, int old, int force,
                        char **out)
{
    size_t splen = strlen(c->stem) + INV_BUNDLE_NAME_EXTRA;
    struct stat sb;
    if (!(*out = outpath ? strdup(outpath) : malloc(splen))) {
        cli_error("out of memory");
        return CLI_EIO;
    }
    if (!outpath)
        inv_bundle_name(*out, splen, old ? INV_FILE_OLD_SIG : INV_FILE_SIG, c->stem, 0, c->role,
                        NULL);
    if (!force && lstat(*out, &sb) == 0) {
        cli_error("%s already exists (use --force to replace it)", *out);
        return CLI_USAGE;
    }
    return force ? outdir_replaceable(*out) : CLI_OK;
}

/* Signs the document with sk (pk, old: the key N replaces) and writes the
 * signature to path. Returns the exit code. */
int cli_cosign_sign(const cli_cosign *c, const cr_seckey *sk, const cr_pubkey *pk, int old,
                    const char *path, int force)
{
    cr_err ce = {0};
    inv_tc tc = {0};
    char trusted[CR_COMMENT_MAX], untrusted[CR_COMMENT_MAX], keyid[CR_KEYID_HEX];
    snprintf(tc.register_id, sizeof tc.register_id, "%s", c->d.register_id);
    tc.version = c->d.version;
    snprintf(tc.role, sizeof tc.role, "%s", inv_roles[c->role]);
    snprintf(tc.doc_hash, sizeof tc.doc_hash, "%s", c->d.doc_hash);
    tc.signed_at = c->now;
    inv_tc_format(&tc, trusted, sizeof trusted);
    cli_untrusted_comment(untrusted, sizeof untrusted, c->d.contract, c->d.version,
                          inv_roles[c->role]);
    cr_sig sig;
    if (cr_sign_prehashed(sk, c->d.prehash, trusted, untrusted, &sig, &ce) != CR_OK ||
        cr_verify_prehashed(pk, &sig, c->d.prehash, &ce) != CR_OK)
        return cli_report_cr(&ce);
    char *text = cr_sig_format(&sig);
    int rc = CLI_OK;
    if (!text) {
        cli_error("out of memory");
        return CLI_EIO;
    }
    if (!(force && (rc = outdir_replaceable(path))) &&
        cr_write_file(path, text, strlen(text), 0644, force, &ce) != CR_OK)
        rc = cli_report_cr(&ce);
    free(text);
    if (!rc) {
        cr_keyid_hex(pk->keyid, keyid);
        out_review_signed(stdout, &c->d, c->role, old, keyid, c->now, path, c->words);
    }
    return rc;
}

