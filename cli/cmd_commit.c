/*
 * cmd_commit.c - scopereg commit: staged changes become version N+1.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cli.h"

int cmd_commit(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"message", required_argument, NULL, 'm'},
                                         {"author", required_argument, NULL, 'a'},
                                         {NULL, 0, NULL, 0}};
    const char *message = NULL, *author = NULL;
    int c, rc;
    while ((c = getopt_long(argc, argv, "m:", opts, NULL)) != -1) {
        if (c == 'm')
            message = optarg;
        else if (c == 'a')
            author = optarg;
        else
            return cli_usage("commit");
    }
    if (optind != argc) {
        cli_error("unexpected argument '%s'", argv[optind]);
        return cli_usage("commit");
    }
    if (!message) {
        cli_error("commit needs -m MESSAGE");
        return cli_usage("commit");
    }
    if (!author)
        author = cli_default_author();
    inv_register *r;
    inv_err e = {0};
    int64_t n, items;
    char hash[CR_HASH_STR_LEN];
    if ((rc = cli_open(ctx, 1, &r)))
        return rc;
    if (inv_commit(r, message, author, ctx->now, &n, &e) != INV_OK ||
        inv_last_commit(r, &n, &items, hash, &e) != INV_OK) {
        rc = cli_report(&e);
    } else {
        printf(ngettext("version %lld committed: %lld item, %s\n",
                        "version %lld committed: %lld items, %s\n", items == 1 ? 1 : 2),
               (long long)n, (long long)items, hash);
    }
    inv_close(r);
    return rc;
}
