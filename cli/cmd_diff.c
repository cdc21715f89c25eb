/*
 * cmd_diff.c - scopereg diff: what changed between two versions or dates.
 */
#include <stdio.h>

#include "cli.h"

int cmd_diff(int argc, char **argv, cli_ctx *ctx)
{
    if (argc != 3)
        return cli_usage("diff");
    inv_register *r;
    inv_err e = {0};
    int64_t a, b;
    cli_changes d = {0};
    int rc = cli_open(ctx, 0, &r);
    if (rc)
        return rc;
    if (inv_version_resolve(r, argv[1], &a, &e) != INV_OK ||
        inv_version_resolve(r, argv[2], &b, &e) != INV_OK) {
        rc = cli_report(&e);
        goto out;
    }
    printf("changes from version %lld to version %lld\n", (long long)a, (long long)b);
    if (inv_diff(r, a, b, cli_print_change, &d, &e) != INV_OK) {
        rc = cli_report(&e);
        goto out;
    }
    cli_changes_flush(&d);
    if (d.n == 0)
        printf("no change\n");
out:
    cli_changes_free(&d);
    inv_close(r);
    return rc;
}
