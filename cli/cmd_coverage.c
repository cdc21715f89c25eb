/*
 * cmd_coverage.c - scopereg coverage --kind KIND: stage the default
 * coverage of a kind (its services and service-level class), which every
 * item of that kind without its own takes.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

int cmd_coverage(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"kind", required_argument, NULL, 'k'},
                                         {"service", required_argument, NULL, 's'},
                                         {"sla", required_argument, NULL, 'c'},
                                         {NULL, 0, NULL, 0}};
    const char *kind = NULL, *svc = NULL, *sla = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'k')
            kind = optarg;
        else if (c == 's')
            svc = optarg;
        else if (c == 'c')
            sla = optarg;
        else
            return cli_usage("coverage");
    }
    if (optind != argc || !kind || (!svc && !sla)) {
        cli_error("coverage needs --kind KIND and --service or --sla");
        return cli_usage("coverage");
    }
    inv_register *r;
    inv_err e = {0};
    int rc = cli_open(ctx, 1, &r);
    if (rc)
        return rc;
    if (inv_stage_kind_default(r, kind, svc, sla, &e))
        rc = cli_report(&e);
    else
        printf(_("staged: default coverage of %s\n"), inv_kind_canonical(kind));
    inv_close(r);
    return rc;
}
