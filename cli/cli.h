/*
 * cli.h - the command line of scopereg: the only code that prints or exits.
 *
 * Each command lives in its own file cli/cmd_NAME.c and is registered in
 * the table in cli/main.c. A command returns its exit code:
 *   0 success / yes, 1 verification failed or a negative answer,
 *   2 usage or input error, 3 I/O or internal error.
 */
#ifndef SCOPEREG_CLI_H
#define SCOPEREG_CLI_H

#include <stdint.h>
#include <stdio.h>

#include "crypto.h"
#include "i18n.h"
#include "inventory.h"

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2, CLI_EIO = 3 };

typedef struct cli_ctx {
    const char *register_path; /* -R, $SCOPEREG_REGISTER, or ./scope.db */
    int64_t now;               /* $SCOPEREG_NOW or the clock */
} cli_ctx;

typedef struct cli_command {
    const char *name;
    int (*run)(int argc, char **argv, cli_ctx *ctx);
    const char *synopsis; /* one line, after "scopereg " */
    const char *help;     /* description, options and an example */
} cli_command;

/* The command table (cli/main.c). */
extern const cli_command cli_commands[];
const cli_command *cli_find(const char *name);

/* Messages, git style: "error: ..." on stderr, lower case, no full stop.
 * fmt is looked up in the message catalogue (xgettext extracts the first
 * argument of cli_error and cli_warn: no _() around it). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void cli_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* fflush(stdout), keeping the errno of the first failure for the message
 * of cli_exit_status and cli_flushed. Returns 0, or EOF when it failed. */
int cli_flush(void);
/* The exit status of a command that returned rc, once its standard output
 * is flushed: when a write to it failed (a full disk, a closed descriptor;
 * a closed pipe ends the process by SIGPIPE, as it does other tools) and no
 * error line was printed yet, prints one naming the failure and saying that
 * what the command wrote stands, and returns CLI_EIO; after an error line,
 * rc (CLI_EIO for CLI_OK). Otherwise rc. Called by main on every return. */
int cli_exit_status(int rc);
/* Prints e->msg as an error and returns e->code (or CLI_EIO if unset). */
int cli_report(const inv_err *e);
int cli_report_cr(const cr_err *e);
/* Prints "usage: scopereg SYNOPSIS" for the command and returns CLI_USAGE. */
int cli_usage(const char *name);
/* Prints the full help of a command on stdout; CLI_OK. */
int cli_help(const char *name);
/* The list of commands and global options, for --help (f: stdout) and
 * after a usage error (f: stderr). Cannot fail but on f. */
void cli_usage_all(FILE *f);

/* The name of a signature state (inv_sig_state_name: "agreed", "signed by
 * provider"...) in the messages' language, for human output (cli/signing.c);
 * --json writes inv_sig_state_name's. */
const char *cli_state_word(const inv_sig_state *s);

/* The author of a commit: $SCOPEREG_AUTHOR, else the login name, else
 * "unknown". Never fails; the string is the environment's or the
 * password database's, not to be freed (getpwuid may reuse it). */
const char *cli_default_author(void);

/* Whether hash, the hash of version n re-rendered, is recorded, the hash
 * stored at commit: CLI_OK, else prints that version n does not hold and
 * returns CLI_FAIL. Nothing to free. */
int cli_hash_holds(int64_t n, const char *hash, const char *recorded);

/* Opens the register of ctx; prints the error and returns its code on
 * failure. */
int cli_open(cli_ctx *ctx, int writable, inv_register **r);

/* Writes all of data to stdout; returns 0, or non-zero on a write error. */
int cli_sink_stdout(void *ctx, const void *data, size_t len);

/* Passphrase for a secret key: $SCOPEREG_PASSPHRASE, --passphrase-file, or
 * the terminal without echo (twice when confirm). Returned in secure
 * memory (free with cr_secure_free); NULL after printing an error. */
char *cli_passphrase(const char *file, const char *prompt, int confirm);

/* Prints changes as the scope document writes them (inv_change_format),
 * buffered; counts them per kind. Use as an inv_change_fn with a zeroed
 * cli_changes, then cli_changes_flush and cli_changes_free. */
typedef struct cli_changes {
    int64_t n, added, modified, removed;
    inv_buf out;
    int hold; /* keep everything buffered until cli_changes_flush */
} cli_changes;
int cli_print_change(void *ctx, const inv_change *c);
void cli_changes_flush(cli_changes *c);
void cli_changes_free(cli_changes *c);

/* Parses --set KEY=VALUE into key/value (pointers into a copy the caller
 * frees via *buf). Returns CLI_USAGE after printing when malformed. */
int cli_split_kv(const char *arg, const char *opt, char **buf, char **key, char **value);

/* The question of evidence and prove: dir (-o) must be given, id (may be
 * NULL) must be an id a register can hold, and --at (may be NULL: *t
 * stays) a date, read into *t. CLI_OK, else the usage of cmd (CLI_USAGE)
 * after printing what is wrong. */
int cli_question_opts(const char *cmd, const char *dir, const char *id, const char *at,
                      int64_t *t);

/* Flushes standard output: rc, or CLI_EIO after the line of
 * cli_exit_status saying it cannot be written (a full disk, a closed
 * descriptor), with its cause. */
int cli_flushed(int rc);

#endif
