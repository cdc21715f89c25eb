/*
 * cmd_status.c - scopereg status: the staged changes.
 */
#include <stdio.h>

#include "cli.h"

typedef struct status_ctx {
    inv_buf out;
    int64_t added, modified, removed;
} status_ctx;

static int one(void *ctx, const inv_change *c)
{
    status_ctx *s = ctx;
    s->added += c->op == INV_OP_ADD;
    s->modified += c->op == INV_OP_EDIT;
    s->removed += c->op == INV_OP_REMOVE;
    if (inv_change_format(&s->out, c))
        return INV_EIO;
    if (s->out.len > 64 * 1024) {
        fwrite(s->out.data, 1, s->out.len, stdout);
        s->out.len = 0;
    }
    return 0;
}

int cmd_status(int argc, char **argv, cli_ctx *ctx)
{
    (void)argv;
    if (argc != 1)
        return cli_usage("status");
    inv_register *r;
    inv_err e = {0};
    int64_t latest;
    status_ctx s = {0};
    int rc = cli_open(ctx, 0, &r);
    if (rc)
        return rc;
    if (inv_latest(r, &latest, &e) || inv_stage_walk(r, one, &s, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    printf("register %s, contract %s, latest version %lld\n", inv_path(r), inv_contract(r),
           (long long)latest);
    if (s.added + s.modified + s.removed == 0) {
        printf("nothing staged\n");
        goto out;
    }
    printf("staged for version %lld: %lld added, %lld modified, %lld removed\n\n",
           (long long)latest + 1, (long long)s.added, (long long)s.modified,
           (long long)s.removed);
    fwrite(s.out.data, 1, s.out.len, stdout);
out:
    inv_buf_free(&s.out);
    inv_close(r);
    return rc;
}
