/*
 * cmd_verify.c - scopereg verify: re-render, re-hash and check the chain.
 */
#include <stdio.h>

#include "cli.h"

static int one(void *ctx, const inv_check *c)
{
    (void)ctx;
    if (c->ok)
        printf("version %lld: ok\n", (long long)c->version);
    else
        printf("version %lld: BROKEN: %s\n", (long long)c->version, c->reason);
    return 0;
}

int cmd_verify(int argc, char **argv, cli_ctx *ctx)
{
    (void)argv;
    if (argc != 1)
        return cli_usage("verify");
    inv_register *r;
    inv_err e = {0};
    int rc = cli_open(ctx, 0, &r);
    if (rc)
        return rc;
    rc = inv_verify(r, one, NULL, &e);
    if (rc == INV_OK)
        printf("register %s holds: every version re-renders to its recorded hash and the "
               "chain is intact\n", inv_path(r));
    else
        rc = cli_report(&e);
    inv_close(r);
    return rc;
}
