/* item_opts.h - item options shared by add and edit (cli/item_opts.c). */
#ifndef SCOPEREG_CLI_ITEM_OPTS_H
#define SCOPEREG_CLI_ITEM_OPTS_H

#include <getopt.h>

#include "inventory.h"

#define CLI_ITEM_OPTIONS                                                                     \
    {"kind", required_argument, NULL, 'k'}, {"name", required_argument, NULL, 'n'},         \
        {"set", required_argument, NULL, 's'}, {"unset", required_argument, NULL, 'u'}

/* Applies one of the options above (opt is its letter) to it; prints the
 * error and returns its exit code when the value is refused. */
int cli_item_option(inv_item *it, int opt, const char *arg);

#endif
