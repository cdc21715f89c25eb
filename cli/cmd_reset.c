/*
 * cmd_reset.c - scopereg reset: drop staged changes.
 */
#include <stdio.h>

#include "cli.h"

int cmd_reset(int argc, char **argv, cli_ctx *ctx)
{
    if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
        return cli_usage("reset");
    inv_register *r;
    inv_err e = {0};
    int rc = cli_open(ctx, 1, &r);
    if (rc)
        return rc;
    if (inv_stage_reset(r, argc == 2 ? argv[1] : NULL, &e) != INV_OK)
        rc = cli_report(&e);
    else if (argc == 2)
        printf(_("unstaged %s\n"), argv[1]);
    else
        printf(_("unstaged every change\n"));
    inv_close(r);
    return rc;
}
