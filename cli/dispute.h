/* dispute.h - what at, history, show --json and status --json share
 * (cli/dispute.c): a version with its parties and signatures, and changes
 * as text (JSON of a change: output/json.c). */
#ifndef SCOPEREG_CLI_DISPUTE_H
#define SCOPEREG_CLI_DISPUTE_H

#include <stdio.h>

#include "cli.h"

/* One stored signature of a version. */
typedef struct cli_sig {
    char role[16];
    char key_id[CR_KEYID_HEX];
    int64_t signed_at;
    int ok;       /* holds (when the version was checked) */
    char *reason; /* why not, or NULL */
} cli_sig;

/* A version as at and history show it. */
typedef struct cli_version_info {
    inv_version v;
    inv_sig_state state;          /* from the stored rows */
    int64_t agreed_at;            /* inv_agreed_at, 0 when not agreed */
    char *party[2];               /* names, by role index */
    char party_key[2][CR_KEYID_HEX];
    cli_sig *sigs;
    size_t nsigs;
    int checked; /* the signatures were checked (inv_sigs_check) */
    int hold;    /* when checked: every one holds */
} cli_version_info;

/* Reads version n, its parties and its signatures; with check, checks
 * every signature (a signature that does not hold is recorded, not an
 * error). Frees with cli_version_info_free whatever the outcome. */
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
 * lines), each line prefixed with indent. */
void cli_item_print(FILE *f, const inv_item *it, const char *indent);
/* Text with every line prefixed with indent. */
void cli_print_indented(FILE *f, const char *text, size_t len, const char *indent);

#endif
