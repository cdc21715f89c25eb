/* dispute.h - what at, history, show --json and status --json share
 * (cli/dispute.c): a version with its parties and signatures, and changes
 * as text (JSON of a change: output/json.c); what at and history print
 * whether they answer from the register or from a folder of documents. */
#ifndef SCOPEREG_CLI_DISPUTE_H
#define SCOPEREG_CLI_DISPUTE_H

#include <stdio.h>

#include "cli.h"

#include "answer.h"

/* One signature of a version, and a version as at and history show it
 * (inventory/work/answer.h). */
typedef inv_vsig cli_sig;
typedef inv_vinfo cli_version_info;

/* Reads version n of the register, its parties and its signatures; with
 * check, checks every signature (a signature that does not hold is
 * recorded, not an error): inv_vinfo_get. Frees with
 * cli_version_info_free whatever the outcome. */
int cli_version_info_get(inv_register *r, int64_t n, int check, cli_version_info *vi,
                         inv_err *e);
void cli_version_info_free(cli_version_info *vi);

/* Text: one line per party, indented: who signed with which key when,
 * or has not signed; "DOES NOT HOLD: ..." after a signature that fails. */
void cli_version_signers_print(FILE *f, const cli_version_info *vi, const char *indent);
/* JSON members (no braces): "version", "date", "author", "message",
 * "previous", "document", "item_count", "status", "agreed_at",
 * "parties", "signatures" (each with "holds" and "reason" when checked). */
void cli_version_json_members(FILE *f, const cli_version_info *vi);

/* An item as the scope document writes it ("item: ID", then "  kind: ..."
 * lines), each line prefixed with indent. -1, nothing printed, when out
 * of memory: the caller fails (an answer must not lose its item). */
int cli_item_print(FILE *f, const inv_item *it, const char *indent);
/* Text with every line prefixed with indent. */
void cli_print_indented(FILE *f, const char *text, size_t len, const char *indent);

/* Opens the source of at and history: the folder dir of exported
 * documents when dir is not NULL (checked as verify --documents checks
 * it, with ctx's clock), else the register of ctx (*r, closed by the
 * caller with inv_close, NULL for a folder). Prints the error and returns
 * its exit code on failure; free *s with inv_source_free. */
int cli_source_open(cli_ctx *ctx, const char *dir, inv_register **r, inv_source **s);

#endif
