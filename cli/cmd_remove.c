/*
 * cmd_remove.c - scopereg remove: stage the withdrawal of an item.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

int cmd_remove(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"reason", required_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
    const char *reason = NULL;
    int c, rc;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'r')
            return cli_usage("remove");
        reason = optarg;
    }
    if (optind + 1 != argc) {
        cli_error(optind == argc ? "remove needs an item ID" : "remove takes one item ID");
        return cli_usage("remove");
    }
    if (!reason || !*reason) {
        cli_error("remove needs --reason TEXT: the reason is written into the scope document");
        return cli_usage("remove");
    }
    inv_register *r;
    inv_err e = {0};
    if ((rc = cli_open(ctx, 1, &r)))
        return rc;
    if (inv_stage_remove(r, argv[optind], reason, &e) != INV_OK)
        rc = cli_report(&e);
    else
        printf(_("staged: remove %s\n"), argv[optind]);
    inv_close(r);
    return rc;
}
