/* item_opts.h - item options shared by add and edit (cli/item_opts.c). */
#ifndef SCOPEREG_CLI_ITEM_OPTS_H
#define SCOPEREG_CLI_ITEM_OPTS_H

#include <getopt.h>

#include "inventory.h"

#define CLI_ITEM_OPTIONS                                                                     \
    {"kind", required_argument, NULL, 'k'}, {"name", required_argument, NULL, 'n'},         \
        {"set", required_argument, NULL, 's'}, {"unset", required_argument, NULL, 'u'},       \
        {"service", required_argument, NULL, 'S'}, {"sla", required_argument, NULL, 'C'}

/* The item's own coverage given with --service S[,S]...|none|default and
 * --sla CLASS|none|default (NULL: not given), which add and edit stage
 * with inv_stage_coverage after the item. */
typedef struct cli_cov {
    const char *services, *sla;
} cli_cov;
/* Keeps --service or --sla (opt 'S', 'C') in cv: 1 when opt is one of
 * them, 0 otherwise. Cannot fail. */
int cli_cov_option(cli_cov *cv, int opt, const char *arg);

/* Applies one of the options above (opt is its letter) to it; prints the
 * error and returns its exit code when the value is refused. */
int cli_item_option(inv_item *it, int opt, const char *arg);

#endif
