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

/* What cli_sign_store did with a version's signature. */
enum { CLI_SIGNED_BOTH = 1, CLI_SIGNED_CHECKPOINT, CLI_SIGNED_BEFORE };

/* A version about to be signed in the register (cli/sign_version.c): its
 * row, checkpoint and document digests, then what signing it did, for
 * cli_sign_print. Free with cli_signable_free. */
typedef struct cli_signable {
    int64_t n;
    inv_version v;
    inv_checkpoint cp;
    unsigned char prehash[CR_PREHASH_BYTES];
    char hash[CR_HASH_STR_LEN];
    /* set by cli_sign_store */
    int did;           /* CLI_SIGNED_*; 0: nothing yet */
    const char *role;  /* the key's party (static) */
    char keyid[CR_KEYID_HEX];
    int64_t before_at; /* CLI_SIGNED_BEFORE: when this key signed it */
    int cp_signed;     /* the checkpoint was signed too */
    inv_cptc cptc;
    inv_cp_state cpst;
    inv_sig_state st;  /* the version's signatures once stored */
} cli_signable;
/* Frees what *s holds and zeroes it; s zeroed or made ready. */
void cli_signable_free(cli_signable *s);

/* What sign checks of version n before any key is used: its checkpoint
 * and digests (one rendering, or none when the commit through r kept
 * them), that it re-renders to the hash recorded at commit, and that
 * ctx's clock is not before its date. Prints the refusal and returns its
 * exit code (CLI_FAIL for a version that does not hold), CLI_OK when n
 * may be signed; *s is the caller's to free either way. */
int cli_sign_ready(inv_register *r, int64_t n, const cli_ctx *ctx, cli_signable *s);
/* The role whose key sk is at version n (*role: a static string; keyid:
 * sk's key id in hex). Prints the refusal naming keypath and returns
 * CLI_USAGE for a key that is neither party's, or the failure's code. */
int cli_key_role(inv_register *r, int64_t n, const cr_seckey *sk, const char *keypath,
                 const char **role, char keyid[CR_KEYID_HEX]);
/* Signs version s->n (made ready by cli_sign_ready) with sk: its document
 * and its checkpoint, both stored in one transaction or neither (in_tx:
 * the caller's, which the caller ends; a failure in it after SQLite ended
 * it is reported as that), printing nothing but a failure. A
 * version this key signed already is left as it is. Returns the failure's
 * exit code; the caller keeps sk and s, and prints s with cli_sign_print
 * once what was stored is committed. */
int cli_sign_store(inv_register *r, cli_signable *s, const cr_seckey *sk, const char *keypath,
                   const cli_ctx *ctx, int in_tx);
/* Prints what cli_sign_store did: the signatures, the version's state and
 * what is next. CLI_EIO when stdout fails. */
int cli_sign_print(const cli_signable *s, const cli_ctx *ctx);

/* Base name of a path (after the last '/'). */
const char *cli_basename(const char *path);

#endif
