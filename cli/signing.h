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

/* Base name of a path (after the last '/'). */
const char *cli_basename(const char *path);

#endif
