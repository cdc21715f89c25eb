/*
 * cmd_show.c - scopereg show: the scope document of a version, exactly the
 * bytes that are signed.
 */
#include <stdio.h>

#include "cli.h"

int cmd_show(int argc, char **argv, cli_ctx *ctx)
{
    if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
        return cli_usage("show");
    inv_register *r;
    inv_err e = {0};
    int64_t n;
    int rc = cli_open(ctx, 0, &r);
    if (rc)
        return rc;
    if (inv_version_resolve(r, argc == 2 ? argv[1] : "latest", &n, &e) != INV_OK ||
        inv_render(r, n, cli_sink_stdout, NULL, &e) != INV_OK)
        rc = cli_report(&e);
    else if (fflush(stdout) != 0) {
        cli_error("cannot write the document to standard output");
        rc = CLI_EIO;
    }
    inv_close(r);
    return rc;
}
