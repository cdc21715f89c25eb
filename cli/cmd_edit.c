/*
 * cmd_edit.c - scopereg edit: stage a change of an item.
 */
#include <stdio.h>

#include "cli.h"
#include "item_opts.h"

int cmd_edit(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {CLI_ITEM_OPTIONS, {NULL, 0, NULL, 0}};
    inv_item it;
    inv_register *r = NULL;
    inv_err e = {0};
    int c, rc;
    inv_item_init(&it);
    /* Find the id first: options apply to the item's current state. */
    int id_at = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1)
        if (c == '?')
            return cli_usage("edit");
    if (optind + 1 != argc) {
        cli_error(optind == argc ? "edit needs an item ID" : "edit takes one item ID");
        return cli_usage("edit");
    }
    id_at = optind;
    if (inv_id_check(argv[id_at], &e) != INV_OK)
        return cli_report(&e);
    if ((rc = cli_open(ctx, 1, &r)))
        return rc;
    rc = inv_item_current(r, argv[id_at], &it, NULL, &e);
    if (rc == INV_FAIL) {
        cli_error("no item '%s' in scope or staged", argv[id_at]);
        rc = CLI_USAGE;
        goto out;
    }
    if (rc) {
        rc = cli_report(&e);
        goto out;
    }
    int changes = 0;
    cli_cov cv = {NULL, NULL};
    optind = 0;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (cli_cov_option(&cv, c, optarg))
            continue;
        if ((rc = cli_item_option(&it, c, optarg)))
            goto out;
        changes++;
    }
    if (!changes && !cv.services && !cv.sla) {
        cli_error("edit needs at least one of --kind, --name, --set, --unset, --service, --sla");
        rc = cli_usage("edit");
        goto out;
    }
    /* the fields and the item's own coverage: all or nothing */
    if (inv_begin(r, &e) != INV_OK || (changes && inv_stage_edit(r, &it, &e) != INV_OK) ||
        inv_stage_coverage(r, it.id, cv.services, cv.sla, &e) != INV_OK ||
        inv_end(r, 1, &e) != INV_OK) {
        rc = cli_report(&e);
        goto out;
    }
    printf(_("staged: edit %s\n"), it.id);
out:
    inv_close(r);
    inv_item_free(&it);
    return rc;
}
