/*
 * cmd_sla.c - scopereg sla add|edit|remove: stage a service-level class
 * (its name, support hours, availability and, per incident level, the
 * times to respond and to resolve).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Applies --response or --resolution (opt) LEVEL=DURATION to t; DURATION
 * "none" clears that target. seen[level] holds the argument that gave
 * each level of opt already: a level given twice (by any of its words)
 * is refused. */
static int target(inv_term *t, const char *opt, const char *arg, const char **seen, inv_err *e)
{
    const char *eq = strchr(arg, '=');
    char level[64], key[64], canon[16];
    if (!eq || eq == arg || (size_t)(eq - arg) >= sizeof level)
        return inv_fail(e, INV_EINPUT, "%s expects LEVEL=DURATION (critical=4h), got '%s'",
                        opt, arg);
    snprintf(level, sizeof level, "%.*s", (int)(eq - arg), arg);
    int l = inv_level_parse(level), rc;
    if (l < 0)
        return inv_fail(e, INV_EINPUT,
                        "%s: unknown level '%s'; write critical, major, minor or improvement "
                        "(French: critique, majeur, mineur, amélioration; German: kritisch, "
                        "hoch, mittel, niedrig)",
                        opt, level);
    if (seen[l])
        return inv_fail(e, INV_EINPUT,
                        "%s: level %s is given twice (%s, %s); give each level once",
                        opt, inv_levels[l], seen[l], arg);
    seen[l] = arg;
    int clear = !strcmp(eq + 1, INV_COV_NONE);
    if (!clear && (rc = inv_duration_parse(opt, eq + 1, canon, e)))
        return rc;
    snprintf(key, sizeof key, "%s %s", opt + 2, inv_levels[l]);
    return inv_term_set(t, key, clear ? NULL : canon, e);
}

typedef struct sla_opt {
    int c;
    const char *arg;
} sla_opt;

int cmd_sla(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"name", required_argument, NULL, 'n'},
                                         {"hours", required_argument, NULL, 'h'},
                                         {"availability", required_argument, NULL, 'a'},
                                         {"response", required_argument, NULL, 'p'},
                                         {"resolution", required_argument, NULL, 's'},
                                         {"reason", required_argument, NULL, 'r'},
                                         {NULL, 0, NULL, 0}};
    if (argc < 2 || (strcmp(argv[1], "add") && strcmp(argv[1], "edit") &&
                     strcmp(argv[1], "remove"))) {
        cli_error("sla needs add, edit or remove");
        return cli_usage("sla");
    }
    const char *verb = argv[1], *reason = NULL;
    int add = !strcmp(verb, "add"), rm = !strcmp(verb, "remove"), c, n = 0;
    sla_opt *given = calloc((size_t)argc, sizeof *given);
    if (!given)
        return CLI_EIO;
    optind = 0;
    while ((c = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        if (c == '?' || rm != (c == 'r')) {
            free(given);
            return cli_usage("sla");
        }
        if (c == 'r')
            reason = optarg;
        else
            given[n++] = (sla_opt){c, optarg};
    }
    int rc = CLI_OK;
    inv_err e = {0};
    inv_term t;
    inv_term_init(&t);
    inv_register *r = NULL;
    if (optind + 2 != argc) {
        cli_error("sla %s takes one class ID", verb);
        rc = cli_usage("sla");
        goto out;
    }
    const char *id = argv[optind + 1];
    if (inv_cov_id_check("class", id, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    if ((rm && (!reason || !*reason)) || (!rm && !n)) {
        if (rm)
            cli_error("sla remove needs --reason TEXT: the reason is written into the scope "
                      "document");
        else
            cli_error("sla %s needs options (--name, --hours, --availability, --response, "
                      "--resolution)", verb);
        rc = cli_usage("sla");
        goto out;
    }
    if ((rc = cli_open(ctx, 1, &r)))
        goto out;
    if (rm) {
        rc = inv_stage_term_remove(r, INV_TERM_CLASS, id, reason, &e);
    } else {
        if (add) {
            t.type = INV_TERM_CLASS;
            t.id = strdup(id);
        } else if ((rc = inv_term_current(r, INV_TERM_CLASS, id, &t, NULL, &e)) == INV_FAIL) {
            rc = inv_fail(&e, INV_EINPUT, "no class '%s' is defined (add it with 'scopereg "
                          "sla add %s --name TEXT')", id, id);
        }
        char canon[16];
        const char *seen[2][INV_LEVELS] = {{NULL}}; /* --response, --resolution */
        for (int i = 0; !rc && i < n; i++) {
            const char *a = given[i].arg;
            switch (given[i].c) {
            case 'n':
            case 'h':
                rc = inv_term_set(&t, given[i].c == 'n' ? "name" : "hours", *a ? a : NULL, &e);
                break;
            case 'a':
                if (*a && (rc = inv_availability_parse(a, canon, &e)))
                    break;
                rc = inv_term_set(&t, "availability", *a ? canon : NULL, &e);
                break;
            default:
                rc = target(&t, given[i].c == 'p' ? "--response" : "--resolution", a,
                            seen[given[i].c == 'p' ? 0 : 1], &e);
            }
        }
        if (!rc)
            rc = add ? inv_stage_term_add(r, &t, &e) : inv_stage_term_edit(r, &t, &e);
    }
    if (rc)
        rc = cli_report(&e);
    else
        printf(_("staged: %s class %s\n"), verb, id);
out:
    free(given);
    inv_term_free(&t);
    inv_close(r);
    return rc;
}
