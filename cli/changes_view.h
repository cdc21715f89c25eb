/* changes_view.h - staged changes as import's dry run and status show them
 * (cli/changes_view.c): additions with their kind and name, a count per
 * kind, modifications that only change spellings grouped at the end. */
#ifndef SCOPEREG_CLI_CHANGES_VIEW_H
#define SCOPEREG_CLI_CHANGES_VIEW_H

#include "cli.h"

typedef struct cli_view {
    int long_form;            /* -v/--long: the fields of each addition too */
    int group_spelling;       /* put spelling-only modifications apart */
    int64_t added, modified, removed, spelling;
    int64_t per_kind[8];      /* additions per kind, in inv_kind_list order */
    inv_buf out;              /* the changes */
    inv_buf spell;            /* the spelling-only modifications */
    inv_buf kinds;            /* cli_view_kinds */
} cli_view;

/* An inv_change_fn: formats c into the view (ctx is a zeroed cli_view).
 * INV_EIO when out of memory. */
int cli_view_change(void *ctx, const inv_change *c);
/* "added per kind: 3 workstation, 1 server" (no line end); "" when
 * nothing was added. The text lives in v until cli_view_free. */
const char *cli_view_kinds(cli_view *v);
/* Writes the changes, then the spelling-only group, to f. -1 when a
 * piece of the view was lost for want of memory (what is written is then
 * incomplete: the caller fails), 0 otherwise. */
int cli_view_print(cli_view *v, FILE *f);
void cli_view_free(cli_view *v);

#endif
