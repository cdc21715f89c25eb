/*
 * cmd_service.c - scopereg service add|edit|remove: stage a service of the
 * functional scope (its id, name and description).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"

int cmd_service(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"name", required_argument, NULL, 'n'},
                                         {"description", required_argument, NULL, 'd'},
                                         {"reason", required_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
    const char *name = NULL, *desc = NULL, *reason = NULL;
    if (argc < 2) {
        cli_error("service needs add, edit or remove");
        return cli_usage("service");
    }
    const char *verb = argv[1];
    int add = !strcmp(verb, "add"), edit = !strcmp(verb, "edit"), rm = !strcmp(verb, "remove");
    if (!add && !edit && !rm) {
        cli_error("service: unknown action '%s'; use add, edit or remove", verb);
        return cli_usage("service");
    }
    int c;
    optind = 0;
    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        if (c == 'n' && !rm)
            name = optarg;
        else if (c == 'd' && !rm)
            desc = optarg;
        else if (c == 'r' && rm)
            reason = optarg;
        else
            return cli_usage("service");
    }
    if (optind + 2 != argc) {
        cli_error("service %s takes one service ID", verb);
        return cli_usage("service");
    }
    const char *id = argv[optind + 1];
    inv_err e = {0};
    if (inv_cov_id_check("service", id, &e))
        return cli_report(&e);
    if (add && !name) {
        cli_error("service add needs --name TEXT");
        return cli_usage("service");
    }
    if (edit && !name && !desc) {
        cli_error("service edit needs --name or --description");
        return cli_usage("service");
    }
    if (rm && (!reason || !*reason)) {
        cli_error("service remove needs --reason TEXT: the reason is written into the scope "
                  "document");
        return cli_usage("service");
    }
    inv_register *r;
    int rc = cli_open(ctx, 1, &r);
    if (rc)
        return rc;
    inv_term t;
    inv_term_init(&t);
    if (rm) {
        rc = inv_stage_term_remove(r, INV_TERM_SERVICE, id, reason, &e);
    } else {
        if (edit) {
            rc = inv_term_current(r, INV_TERM_SERVICE, id, &t, NULL, &e);
            if (rc == INV_FAIL)
                rc = inv_fail(&e, INV_EINPUT, "no service '%s' is defined (add it with "
                              "'scopereg service add %s --name TEXT')", id, id);
        } else {
            t.type = INV_TERM_SERVICE;
            t.id = strdup(id);
        }
        if (!rc && name)
            rc = inv_term_set(&t, "name", name, &e);
        if (!rc && desc)
            rc = inv_term_set(&t, "description", *desc ? desc : NULL, &e);
        if (!rc)
            rc = add ? inv_stage_term_add(r, &t, &e) : inv_stage_term_edit(r, &t, &e);
    }
    if (rc)
        rc = cli_report(&e);
    else
        printf(_("staged: %s service %s\n"), verb, id);
    inv_term_free(&t);
    inv_close(r);
    return rc;
}
