/* cosign_sign.c - cosign's keys and files: --previous-key, signature paths, signing,
 * the checkpoint. */
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


int cli_cosign_checkpoint_check(cli_cosign *c)
{
    inv_err e = {0};
    if (inv_cp_beside_check(c->file, c->stem, &c->d, NULL, c->ring, c->now, &c->cpb, &e)) {
        c->cp_checked = 1;
        return cli_cosign_report(&e);
    }
    c->cp_checked = 1;
    if (!c->cpb.ok)
        return CLI_OK; /* said by cli_cosign_checkpoint_holds, after the chain's checks */
    out_review_checkpoint(stdout, &c->cpb, c->words);
    for (int i = 0; i < 2; i++)
        if (c->cpb.sig_nokey[i])
            cli_warn("the %s's checkpoint signature is not checked: no public key file with "
                     "key id %s beside the document", inv_roles[i], c->d.key[i]);
    return CLI_OK;
}

int cli_cosign_plan_checkpoint(cli_cosign *c, int plain, int force, int *done)
{
    inv_err e = {0};
    size_t splen = strlen(c->stem) + INV_BUNDLE_NAME_EXTRA + 16;
    struct stat sb;
    *done = 0;
    /* every key that signs the document signs the checkpoint: at a
     * rotation the key replaced too (<stem>.checkpoint.ROLE.old.minisig),
     * which vouches for the new key in a proof folder */
    c->cp_needed = c->old ? !c->cpb.old_sig_ok[c->role] : !c->cpb.sig_ok[c->role];
    c->cp_old_needed = c->has_prev && !c->cpb.old_sig_ok[c->role];
    c->doc_at = c->now;
    if (plain && !c->old) {
        inv_sig_beside s;
        if (inv_sig_beside_check(&c->d, c->stem, c->role, 0, &c->mine, NULL, c->now, &s, &e))
            return cli_cosign_report(&e);
        c->doc_signed = s.status == INV_BESIDE_VALID;
        if (c->doc_signed)
            c->doc_at = s.signed_at;
        inv_sig_beside_free(&s);
    }
    if (!(c->cp_sigp = malloc(splen)) || !(c->cp_old_sigp = malloc(splen))) {
        cli_error("out of memory");
        return CLI_EIO;
    }
    inv_bundle_name(c->cp_sigp, splen, c->old ? INV_FILE_CP_OLD_SIG : INV_FILE_CP_SIG, c->stem,
                    0, c->role, NULL);
    inv_bundle_name(c->cp_old_sigp, splen, INV_FILE_CP_OLD_SIG, c->stem, 0, c->role, NULL);
    if (!c->cp_needed) {
        /* a checkpoint signature by this key beside it already holds */
        *done = c->doc_signed;
        return CLI_OK;
    }
    /* a checkpoint file beside it that does not hold refuses the signing
     * with exit 1 (cli_cosign_checkpoint_holds, after the chain's checks,
     * whose failures come first): its files are not an input error here */
    if (!c->cpb.ok)
        return CLI_OK;
    for (int k = 0; k < 2; k++) {
        const char *p = k ? c->cp_old_sigp : c->cp_sigp;
        if (k && !c->cp_old_needed)
            break;
        if (!force && lstat(p, &sb) == 0) {
            cli_error("%s already exists (use --force to replace it)", p);
            return CLI_USAGE;
        }
        int rc = force ? outdir_replaceable(p) : CLI_OK;
        if (rc)
            return rc;
    }
    return CLI_OK;
}

int cli_cosign_sign_checkpoint(const cli_cosign *c, const cr_seckey *sk, const cr_pubkey *pk,
                               const char *path, int force)
{
    cr_err ce = {0};
    inv_cptc tc = {0};
    inv_buf b = {0};
    char trusted[CR_COMMENT_MAX], untrusted[CR_COMMENT_MAX];
    snprintf(tc.register_id, sizeof tc.register_id, "%s", c->d.register_id);
    tc.version = c->d.version;
    snprintf(tc.role, sizeof tc.role, "%s", inv_roles[c->role]);
    inv_checkpoint_root_hex(&c->cpb.cp, tc.root);
    tc.doc_signed_at = c->doc_at;
    tc.signed_at = c->now;
    inv_cptc_format(&tc, trusted, sizeof trusted);
    snprintf(untrusted, sizeof untrusted, "scopereg: contract %.200s, version %lld, %s "
             "checkpoint signature", c->d.contract, (long long)c->d.version, inv_roles[c->role]);
    if (inv_checkpoint_format(&c->cpb.cp, &b)) {
        cli_error("out of memory");
        return CLI_EIO;
    }
    cr_sig sig;
    char *text = NULL;
    int rc = CLI_OK;
    if (cr_sign(sk, b.data, b.len, trusted, untrusted, &sig, &ce) != CR_OK ||
        cr_verify(pk, &sig, b.data, b.len, &ce) != CR_OK)
        rc = cli_report_cr(&ce);
    else if (!(text = cr_sig_format(&sig))) {
        cli_error("out of memory");
        rc = CLI_EIO;
    } else if (!(force && (rc = outdir_replaceable(path))) &&
               cr_write_file(path, text, strlen(text), 0644, force, &ce) != CR_OK)
        rc = cli_report_cr(&ce);
    if (!rc)
        out_review_cp_line(stdout, "signed", c->d.version, c->role, tc.root, path, c->words);
    free(text);
    inv_buf_free(&b);
    return rc;
}

int cli_cosign_checkpoint_holds(const cli_cosign *c)
{
    if (c->cpb.ok)
        return CLI_OK;
    char *m = out_safe_dup(c->cpb.err.msg, 0);
    cli_error("%s; refusing to sign", m ? m : c->cpb.err.msg);
    free(m);
    return c->cpb.err.code == INV_EIO ? CLI_EIO : CLI_FAIL;
}
