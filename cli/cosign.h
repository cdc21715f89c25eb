/*
 * cosign.h - what cmd_cosign.c and cosign_sign.c share: the document and
 * keys cosign works on, the previous key at a rotation, the signature
 * files it writes.
 */
#ifndef SCOPEREG_CLI_COSIGN_H
#define SCOPEREG_CLI_COSIGN_H

#include <sys/stat.h>

#include "review.h"
#include "signing.h"

typedef struct cli_cosign {
    const char *file;
    char *stem, *dir;
    inv_doc d;
    int parsed;
    int64_t now;
    inv_keyring *ring;      /* the .pub files beside the document (may be NULL) */
    cr_pubkey mine, prev;   /* the key signing; with --previous-key, the key N replaces */
    char keyid[CR_KEYID_HEX], prev_keyid[CR_KEYID_HEX];
    int role, old;          /* its role, and whether it is the key N replaces */
    int has_prev;           /* --previous-key given */
    int unvouched;          /* the new key alone at a rotation (--without-previous) */
    int without_previous;
    struct stat st;         /* of FILE */
    const char *fork_key;   /* the key whose forks are being looked for */
    char *fork;             /* a second version N it signed: the refusal */
    const out_review_words *words; /* --lang's, else the messages' language (NULL: English) */
    inv_cp_beside cpb;      /* its checkpoint, derived, and the checkpoint files beside it */
    int cp_checked;         /* cpb is filled (free it) */
    int doc_signed;         /* <stem>.ROLE.minisig beside it already holds, by this key */
    int cp_needed;          /* the checkpoint is to be signed (by this key, not yet) */
    char *cp_sigp;          /* where the checkpoint signature goes (<stem>.checkpoint.ROLE
                             * [.old].minisig: .old when this key is the one replaced) */
    int cp_old_needed;      /* with --previous-key: the key replaced signs it too */
    char *cp_old_sigp;      /* ... into <stem>.checkpoint.ROLE.old.minisig */
    int64_t doc_at;         /* the document-signed: date of these checkpoint signatures:
                             * the date of this key's document signature beside it
                             * (doc_signed), else now (signed in this run) */
} cli_cosign;

/* Derives the checkpoint of the document (streamed) and checks the
 * checkpoint files beside it (inv_cp_beside_check) into c->cpb; prints
 * its lines when they hold. Returns the exit code (derivation failed). */
int cli_cosign_checkpoint_check(cli_cosign *c);
/* A .checkpoint beside the document that is not the one derived, or a
 * checkpoint signature beside it that does not hold: refused (exit 1,
 * naming the file and the field). Called after the chain's checks, whose
 * messages say more. Returns the exit code. */
int cli_cosign_checkpoint_holds(const cli_cosign *c);

/* Once the key signing is known (c->mine, c->role, c->old): with plain
 * (no -o, no --previous-key), whether the document already carries its
 * valid signature beside it (c->doc_signed: it is not signed again);
 * whether the checkpoint is to be signed (c->cp_needed: not by the key a
 * rotation replaces, not when this key's checkpoint signature beside it
 * already holds) and where (c->cp_sigp; refused when it exists without
 * force). *done: nothing to sign at all. Returns the exit code. */
int cli_cosign_plan_checkpoint(cli_cosign *c, int plain, int force, int *done);

/* Signs the checkpoint derived from the document with sk (public key pk:
 * c->mine, or with --previous-key c->prev), its trusted comment saying
 * document-signed: c->doc_at, writes path (c->cp_sigp or c->cp_old_sigp)
 * and prints it. Returns the exit code. */
int cli_cosign_sign_checkpoint(const cli_cosign *c, const cr_seckey *sk, const cr_pubkey *pk,
                               const char *path, int force);

/* Prints e->msg as an error, its ids and values made visible
 * (out_safe_dup); returns e->code (CLI_EIO if unset). */
int cli_cosign_report(const inv_err *e);

/* --previous-key prevpath: the key signing (keypath, c->role, c->old) must
 * be the new key of a rotation of its role in the document, and prevpath
 * the secret key of the key it replaces. Loads it (one passphrase prompt
 * when encrypted) into *psk (the caller frees it with cr_seckey_free),
 * sets c->prev, c->prev_keyid and c->has_prev. Prints the error and
 * returns its exit code (CLI_USAGE: not a rotation, not that key). */
int cli_cosign_load_previous(cli_cosign *c, const char *keypath, const char *prevpath,
                             const char *passfile, cr_seckey **psk);

/* Where a signature goes: outpath, else <stem>.ROLE[.old].minisig in *out
 * (malloc'd, the caller frees it, even on failure). Prints and returns
 * CLI_USAGE when it exists (without force) or may not be replaced. */
int cli_cosign_sig_path(const cli_cosign *c, const char *outpath, int old, int force,
                        char **out);

/* Signs the document with sk (pk; old: the key the version replaces),
 * writes the signature to path (replacing a regular file with force) and
 * prints what was signed. Returns the exit code (printed on failure). */
int cli_cosign_sign(const cli_cosign *c, const cr_seckey *sk, const cr_pubkey *pk, int old,
                    const char *path, int force);

#endif
