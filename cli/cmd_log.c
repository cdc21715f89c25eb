/*
 * cmd_log.c - scopereg log: the versions, newest first.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_log(int argc, char **argv, cli_ctx *ctx)
{
    (void)argv;
    if (argc != 1)
        return cli_usage("log");
    inv_register *r;
    inv_err e = {0};
    int64_t latest;
    int rc = cli_open(ctx, 0, &r);
    if (rc)
        return rc;
    if (inv_latest(r, &latest, &e) != INV_OK) {
        rc = cli_report(&e);
        goto out;
    }
    if (latest == 0)
        printf("no version yet in %s\n", inv_path(r));
    for (int64_t n = latest; n >= 1; n--) {
        inv_version v;
        char date[32];
        if (inv_version_get(r, n, &v, &e) != INV_OK) {
            rc = cli_report(&e);
            goto out;
        }
        inv_time_format(v.date, date, sizeof date);
        size_t mlen = strcspn(v.message, "\n");
        printf("version %lld  %s  %s  %lld items\n    %.*s%s\n    %s\n", (long long)n, date,
               v.author, (long long)v.item_count, (int)mlen, v.message,
               v.message[mlen] ? " ..." : "", v.doc_hash);
        inv_version_free(&v);
    }
out:
    inv_close(r);
    return rc;
}
