/*
 * cmd_log.c - scopereg log: the versions, newest first, each with its
 * signature state (proposed, signed by provider, signed by client,
 * agreed) and the dates of the signatures, from the stored rows
 * ('scopereg verify' checks them).
 */
#include <stdio.h>
#include <string.h>

#include "signing.h"

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
        inv_sig_state st;
        char date[32], state[2560];
        if (inv_version_get(r, n, &v, &e) != INV_OK) {
            rc = cli_report(&e);
            goto out;
        }
        int src = inv_sig_state_get(r, n, &st, &e);
        if (src == INV_FAIL) /* a damaged key row: say so, go on listing */
            snprintf(state, sizeof state, "signatures not counted: %s (run 'scopereg verify')",
                     e.msg);
        else if (src != INV_OK) {
            inv_version_free(&v);
            rc = cli_report(&e);
            goto out;
        } else
            cli_state_log(&st, state, sizeof state);
        inv_time_format(v.date, date, sizeof date);
        size_t mlen = strcspn(v.message, "\n");
        printf("version %lld  %s  %s  %lld items\n    %.*s%s\n    %s\n    %s\n",
               (long long)n, date, v.author, (long long)v.item_count, (int)mlen, v.message,
               v.message[mlen] ? " ..." : "", v.doc_hash, state);
        inv_version_free(&v);
    }
    if (fflush(stdout) != 0)
        rc = CLI_EIO;
out:
    inv_close(r);
    return rc;
}
