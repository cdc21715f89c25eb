/*
 * cmd_exclusion.c - scopereg exclusion add|remove: stage an exclusion of
 * the functional scope (what the contract does not cover), one line of
 * text.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_exclusion(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"reason", required_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
    const char *reason = NULL;
    if (argc < 2 || (strcmp(argv[1], "add") && strcmp(argv[1], "remove"))) {
        cli_error("exclusion needs add or remove");
        return cli_usage("exclusion");
    }
    int add = !strcmp(argv[1], "add"), c;
    optind = 0;
    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        if (c == 'r' && !add)
            reason = optarg;
        else
            return cli_usage("exclusion");
    }
    if (optind + 2 != argc) {
        cli_error("exclusion %s takes one TEXT (quote it)", argv[1]);
        return cli_usage("exclusion");
    }
    const char *text = argv[optind + 1];
    if (!add && (!reason || !*reason)) {
        cli_error("exclusion remove needs --reason TEXT: the reason is written into the scope "
                  "document");
        return cli_usage("exclusion");
    }
    inv_register *r;
    inv_err e = {0};
    int rc = cli_open(ctx, 1, &r);
    if (rc)
        return rc;
    inv_term t;
    inv_term_init(&t);
    t.type = INV_TERM_EXCLUSION;
    if (!(t.id = strdup(text)))
        rc = inv_fail(&e, INV_EIO, "out of memory");
    else if (add)
        rc = inv_stage_term_add(r, &t, &e);
    else
        rc = inv_stage_term_remove(r, INV_TERM_EXCLUSION, text, reason, &e);
    if (rc)
        rc = cli_report(&e);
    else
        printf(_("staged: %s exclusion %s\n"), argv[1], text);
    inv_term_free(&t);
    inv_close(r);
    return rc;
}
