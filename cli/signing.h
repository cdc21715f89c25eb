/*
 * signing.h - what the signature commands (sign, cosign, export, attach,
 * rekey, verify, log) share: loading a secret key with its passphrase,
 * the untrusted comment, and the wording of signature states.
 */
#ifndef SCOPEREG_CLI_SIGNING_H
#define SCOPEREG_CLI_SIGNING_H

#include "cli.h"

/* Loads the secret key at path: unencrypted as is, else with the
 * passphrase from passfile, $SCOPEREG_PASSPHRASE or the terminal. Prints
 * the error and returns its exit code on failure (*sk NULL). */
int cli_seckey_load(const char *path, const char *passfile, cr_seckey **sk);

/* The untrusted comment of a scope-document signature, naming the
 * contract (cut to fit), the version and the role. */
void cli_untrusted_comment(char *out, size_t outlen, const char *contract, int64_t version,
                           const char *role);

/* "agreed (provider DATE, client DATE)" or "pending (...)" for verify. */
void cli_state_verify(const inv_sig_state *s, char *out, size_t outlen);
/* "proposed", "signed by provider DATE", "agreed (provider DATE, client
 * DATE)"... for log, attach and sign. */
void cli_state_log(const inv_sig_state *s, char *out, size_t outlen);

/* Signs and stores the checkpoint of version n with sk for role (dated
 * now), inside the caller's transaction when one is open; tc and st get
 * what was signed and the checkpoint's state, for cli_checkpoint_signed.
 * Prints nothing; INV_* in e on failure. */
int cli_sign_checkpoint(inv_register *r, int64_t n, const cr_seckey *sk, int64_t now,
                        const char *role, inv_cptc *tc, inv_cp_state *st, inv_err *e);
/* Prints what cli_sign_checkpoint signed, once it is committed; alone:
 * the document was signed before (say so). CLI_EIO when stdout fails. */
int cli_checkpoint_signed(int64_t n, int64_t now, const char *role, const inv_cptc *tc,
                          const inv_cp_state *st, int alone);

/* The words of a version's checkpoint state for people ("checkpoint
 * agreed", ...), translated, into out. */
void cli_cp_state(const inv_cp_state *s, char *out, size_t outlen);

/* verify --documents: the line under a document saying what its
 * checkpoint files establish (nothing when b is NULL or does not hold:
 * the document's line says BROKEN). */
void cli_cp_beside_line(const inv_cp_beside *b);
/* verify --documents --json: ,"checkpoint":{...} or ,"checkpoint":null
 * (docs/JSON.md). */
void cli_cp_beside_json(const inv_cp_beside *b);

/* Base name of a path (after the last '/'). */
const char *cli_basename(const char *path);

#endif
