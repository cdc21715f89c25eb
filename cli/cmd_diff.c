/*
 * cmd_diff.c - scopereg diff: what changed between two versions or dates.
 */
#include <stdio.h>

#include "cli.h"

typedef struct diff_ctx {
    inv_buf out;
    int64_t n;
} diff_ctx;

static int one(void *ctx, const inv_change *c)
{
    diff_ctx *d = ctx;
    d->n++;
    if (inv_change_format(&d->out, c))
        return INV_EIO;
    fwrite(d->out.data, 1, d->out.len, stdout);
    d->out.len = 0;
    return 0;
}

int cmd_diff(int argc, char **argv, cli_ctx *ctx)
{
    if (argc != 3)
        return cli_usage("diff");
    inv_register *r;
    inv_err e = {0};
    int64_t a, b;
    diff_ctx d = {0};
    int rc = cli_open(ctx, 0, &r);
    if (rc)
        return rc;
    if (inv_version_resolve(r, argv[1], &a, &e) != INV_OK ||
        inv_version_resolve(r, argv[2], &b, &e) != INV_OK) {
        rc = cli_report(&e);
        goto out;
    }
    printf("changes from version %lld to version %lld\n", (long long)a, (long long)b);
    if (inv_diff(r, a, b, one, &d, &e) != INV_OK) {
        rc = cli_report(&e);
        goto out;
    }
    if (d.n == 0)
        printf("no change\n");
out:
    inv_buf_free(&d.out);
    inv_close(r);
    return rc;
}
