/*
 * cmd_add.c - scopereg add: stage a new item.
 */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "item_opts.h"

int cmd_add(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {CLI_ITEM_OPTIONS, {NULL, 0, NULL, 0}};
    inv_item it;
    inv_register *r = NULL;
    inv_err e = {0};
    int c, rc = CLI_OK;
    cli_cov cv = {NULL, NULL};
    inv_item_init(&it);
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == '?' || c == 'u') {
            if (c == 'u')
                cli_error("--unset is for edit, not add");
            rc = cli_usage("add");
            goto out;
        }
        if (!cli_cov_option(&cv, c, optarg) && (rc = cli_item_option(&it, c, optarg)))
            goto out;
    }
    if (optind + 1 != argc) {
        cli_error(optind == argc ? "add needs an item ID" : "add takes one item ID");
        rc = cli_usage("add");
        goto out;
    }
    if (!it.kind) {
        cli_error("add needs --kind KIND; %s", inv_kind_help());
        rc = CLI_USAGE;
        goto out;
    }
    if (inv_id_check(argv[optind], &e) != INV_OK) {
        rc = cli_report(&e);
        goto out;
    }
    it.id = strdup(argv[optind]);
    if (!it.name)
        it.name = strdup("");
    if ((rc = cli_open(ctx, 1, &r)))
        goto out;
    /* the item, its own coverage and its source: all or nothing */
    if (inv_begin(r, &e) != INV_OK || inv_stage_add(r, &it, &e) != INV_OK ||
        inv_stage_coverage(r, it.id, cv.services, cv.sla, &e) != INV_OK ||
        /* import --sync never withdraws what was added by hand */
        inv_item_source_hand(r, it.id, &e) != INV_OK || inv_end(r, 1, &e) != INV_OK) {
        rc = cli_report(&e);
        goto out;
    }
    printf(_("staged: add %s (%s)\n"), it.id, it.kind);
out:
    inv_close(r);
    inv_item_free(&it);
    return rc;
}
