/*
 * item_opts.c - the item options shared by add and edit:
 * --kind, --name, --set KEY=VALUE, --unset KEY, and the item's own
 * coverage, --service and --sla.
 */
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "item_opts.h"

int cli_cov_option(cli_cov *cv, int opt, const char *arg)
{
    if (opt == 'S')
        cv->services = arg;
    else if (opt == 'C')
        cv->sla = arg;
    return opt == 'S' || opt == 'C';
}

int cli_item_option(inv_item *it, int opt, const char *arg)
{
    inv_err e = {0};
    int rc = INV_OK;
    char *buf = NULL, *key, *value;
    switch (opt) {
    case 'k':
        rc = inv_item_set(it, "kind", arg, &e);
        break;
    case 'n':
        rc = inv_item_set(it, "name", arg, &e);
        break;
    case 's':
        if ((rc = cli_split_kv(arg, "--set", &buf, &key, &value)))
            return rc;
        if (!strcmp(key, "id")) {
            free(buf);
            cli_error("--set id=...: the id of an item cannot be changed; remove the item "
                      "and add it under its new id");
            return CLI_USAGE;
        }
        /* the same keys as import: "Numéro de série" is serial */
        rc = inv_item_set_alias(it, key, value, &e);
        free(buf);
        break;
    case 'u': {
        char norm[256];
        rc = inv_item_unset(it, inv_item_key_alias(arg, norm, sizeof norm) ? arg : norm, &e);
        break;
    }
    }
    return rc ? cli_report(&e) : CLI_OK;
}
