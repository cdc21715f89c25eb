/*
 * sign_version.c - a party's signature of one version in the register,
 * shared by 'sign' and 'commit --sign': the checks before the key is
 * used, then the signatures of the document and of its checkpoint, stored
 * in one transaction, and what is printed of them.
 */
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

void cli_signable_free(cli_signable *s)
{
    inv_version_free(&s->v);
    inv_checkpoint_free(&s->cp);
    memset(s, 0, sizeof *s);
}

int cli_sign_ready(inv_register *r, int64_t n, const cli_ctx *ctx, cli_signable *s)
{
    inv_err e = {0};
    char date[32], vdate[32];
    memset(s, 0, sizeof *s);
    s->n = n;
    if (inv_version_get(r, n, &s->v, &e))
        return cli_report(&e);
    /* One rendering gives the checkpoint and the document's digests (none
     * when the commit through r kept them). */
    if (inv_checkpoint_get(r, n, &s->cp, &e) || inv_doc_digests(r, n, s->prehash, s->hash, &e)) {
        if (e.code == INV_FAIL)
            cli_error("refusing to sign: %s", e.msg);
        return e.code == INV_FAIL ? CLI_FAIL : cli_report(&e);
    }
    /* Never sign a version that no longer re-renders to its recorded hash. */
    int rc = cli_hash_holds(n, s->hash, s->v.doc_hash);
    if (rc)
        return rc;
    inv_time_format(ctx->now, date, sizeof date);
    inv_time_format(s->v.date, vdate, sizeof vdate);
    if (ctx->now < s->v.date) {
        cli_error("the signature date (%s) is before the date of version %lld "
                  "(%s); check "
                  "the clock or $SCOPEREG_NOW",
                  date, (long long)n, vdate);
        return CLI_USAGE;
    }
    return CLI_OK;
}

int cli_key_role(inv_register *r, int64_t n, const cr_seckey *sk, const char *keypath,
                 const char **role, char keyid[CR_KEYID_HEX])
{
    inv_err e = {0};
    cr_pubkey mine, theirs;
    cr_seckey_pubkey(sk, &mine);
    cr_keyid_hex(mine.keyid, keyid);
    if (inv_role_of_key(r, mine.keyid, n, role, &theirs, &e)) {
        if (e.code != INV_EINPUT) /* the register failed: not the key's fault */
            return cli_report(&e);
        cli_error("%s: %s; sign with the provider's or the client's key", keypath, e.msg);
        return CLI_USAGE;
    }
    if (cr_memcmp(mine.pk, theirs.pk, CR_PK_BYTES)) {
        cli_error("%s: key id %s is the %s's, but the key itself is another one; "
                  "refusing it",
                  keypath, keyid, *role);
        return CLI_USAGE;
    }
    return CLI_OK;
}

int cli_sign_store(inv_register *r, cli_signable *s, const cr_seckey *sk, const char *keypath,
                   const cli_ctx *ctx, int in_tx)
{
    inv_err e = {0};
    cr_err ce = {0};
    int64_t n = s->n;
    char *text = NULL;
    int rc = cli_key_role(r, n, sk, keypath, &s->role, s->keyid);
    if (rc)
        return rc;
    /* The signatures already stored must be what their trusted comments
     * sign (a row edited behind the tool's back is refused). */
    inv_sig_state before;
    existing x = {s->role, s->keyid, 0, 0};
    existing xc = {s->role, s->keyid, 0, 0};
    inv_cp_state cps;
    if (inv_sig_state_get(r, n, &before, &e) || inv_sig_list(r, n, find_existing, &x, &e) ||
        inv_cpsig_state(r, n, &s->cp, &cps, &e) ||
        inv_cpsig_list(r, n, find_existing, &xc, &e)) {
        if (in_tx && e.code != INV_EIO) /* SQLite ended the caller's: say so */
            inv_tx_lost(r, &e);
        return cli_report(&e);
    }
    /* Each key that signs the document signs the checkpoint too: at a
     * rotation the key replaced as well, which vouches for the new key in
     * a proof folder (docs/FORMAT.md). */
    s->cp_signed = !xc.found;
    if (x.found && xc.found) {
        s->did = CLI_SIGNED_BEFORE;
        s->before_at = x.at;
        return CLI_OK;
    }
    if (x.found) {
        /* Signed before checkpoints existed: the checkpoint only. */
        s->did = CLI_SIGNED_CHECKPOINT;
        if (cli_sign_checkpoint(r, n, sk, ctx->now, s->role, &s->cptc, &s->cpst, &e))
            return cli_report(&e);
        return CLI_OK;
    }

    inv_tc tc = {0};
    char trusted[CR_COMMENT_MAX], untrusted[CR_COMMENT_MAX];
    snprintf(tc.register_id, sizeof tc.register_id, "%s", inv_register_id(r));
    tc.version = n;
    snprintf(tc.role, sizeof tc.role, "%s", s->role);
    snprintf(tc.doc_hash, sizeof tc.doc_hash, "%s", s->hash);
    tc.signed_at = ctx->now;
    inv_tc_format(&tc, trusted, sizeof trusted);
    cli_untrusted_comment(untrusted, sizeof untrusted, inv_contract(r), n, s->role);
    cr_sig sig;
    if (cr_sign_prehashed(sk, s->prehash, trusted, untrusted, &sig, &ce) != CR_OK)
        return cli_report_cr(&ce);
    if (!(text = cr_sig_format(&sig))) {
        cli_error("out of memory");
        return CLI_EIO;
    }
    int already = 0;
    s->did = CLI_SIGNED_BOTH;
    /* The document's signature and the checkpoint's in one transaction
     * (the caller's when in_tx): both are stored or neither. */
    if ((!in_tx && inv_begin(r, &e)) ||
        inv_sig_attach(r, n, text, strlen(text), &tc, &already, &e) ||
        inv_sig_state_get(r, n, &s->st, &e) ||
        (s->cp_signed &&
         cli_sign_checkpoint(r, n, sk, ctx->now, s->role, &s->cptc, &s->cpst, &e)) ||
        (!in_tx && inv_end(r, 1, &e))) {
        if (e.code != INV_EIO) /* SQLite ended it: what failed after is not a verdict */
            inv_tx_lost(r, &e);
        free(text);
        return cli_report(&e);
    }
    free(text);
    return CLI_OK;
}

int cli_sign_print(const cli_signable *s, const cli_ctx *ctx)
{
    int64_t n = s->n;
    char date[32], state[512];
    if (s->did == CLI_SIGNED_BEFORE) {
        char at[32];
        inv_time_format(s->before_at, at, sizeof at);
        printf(_("version %lld already carries the %s's signature by key %s (signed %s); "
                 "nothing changed\n"),
               (long long)n, s->role, s->keyid, at);
        return cli_flush() != 0 ? CLI_EIO : CLI_OK;
    }
    if (s->did == CLI_SIGNED_CHECKPOINT)
        return cli_checkpoint_signed(n, ctx->now, s->role, &s->cptc, &s->cpst, 1);
    inv_time_format(ctx->now, date, sizeof date);
    cli_state_log(&s->st, state, sizeof state);
    printf(_("version %lld signed by the %s (key %s) at %s\n"), (long long)n, s->role, s->keyid,
           date);
    printf(_("  document %s\n"), s->hash);
    int rc;
    if (s->cp_signed && (rc = cli_checkpoint_signed(n, ctx->now, s->role, &s->cptc, &s->cpst, 0)))
        return rc;
    printf(_("version %lld: %s\n"), (long long)n, state);
    if (!inv_sig_agreed(&s->st))
        printf(_("next: 'scopereg export %lld -o DIR' and send the files to the other party\n"),
               (long long)n);
    return cli_flush() != 0 ? CLI_EIO : CLI_OK;
}
