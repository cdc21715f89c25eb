/*
 * cmd_show.c - scopereg show: the scope document of a version, exactly the
 * bytes that are signed; or, with --json, its header fields, status,
 * changes and items as JSON.
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"
#include "dispute.h"
#include "output.h"

typedef struct json_ctx {
    int64_t n;
} json_ctx;

static int json_change(void *ctx, const inv_change *c)
{
    json_ctx *j = ctx;
    fputs(j->n++ ? ",\n" : "\n", stdout);
    out_json_change(stdout, c);
    return ferror(stdout) ? INV_EIO : 0;
}

static int json_item(void *ctx, const inv_item *it)
{
    json_ctx *j = ctx;
    fputs(j->n++ ? ",\n" : "\n", stdout);
    out_json_item(stdout, it);
    return ferror(stdout) ? INV_EIO : 0;
}

/* The version as one JSON object (docs/JSON.md); signatures as stored. */
static int show_json(inv_register *r, int64_t n, inv_err *e)
{
    cli_version_info vi;
    json_ctx changes = {0}, items = {0};
    int rc = cli_version_info_get(r, n, 0, &vi, e);
    if (rc)
        goto out;
    printf("{\"format\":\"%s\",\"register\":",
           inv_format_of(r, n) == 2 ? INV_FORMAT_TAG2 : INV_FORMAT_TAG);
    out_json_str(stdout, inv_register_id(r));
    fputs(",\"contract\":", stdout);
    out_json_str(stdout, inv_contract(r));
    fputc(',', stdout);
    cli_version_json_members(stdout, &vi);
    fputs(",\"changes\":[", stdout);
    if ((rc = inv_diff(r, n - 1, n, json_change, &changes, e)))
        goto out;
    fputs(changes.n ? "\n],\"key_changes\":[" : "],\"key_changes\":[", stdout);
    for (int i = 0, k = 0; i < 2; i++) {
        int rotates;
        cr_pubkey old, new_key;
        char a[CR_KEYID_HEX], b[CR_KEYID_HEX];
        if ((rc = inv_rotation_at(r, n, inv_roles[i], &rotates, &old, &new_key, e)))
            goto out;
        if (!rotates)
            continue;
        cr_keyid_hex(old.keyid, a);
        cr_keyid_hex(new_key.keyid, b);
        printf("%s{\"role\":\"%s\",\"old\":\"%s\",\"new\":\"%s\"}", k++ ? "," : "",
               inv_roles[i], a, b);
    }
    fputs("],\"items\":[", stdout);
    if ((rc = inv_items(r, n, json_item, &items, e)))
        goto out;
    fputs(items.n ? "\n]}\n" : "]}\n", stdout);
out:
    if (rc == INV_EIO && !e->msg[0])
        inv_fail(e, INV_EIO, "cannot write to standard output");
    cli_version_info_free(&vi);
    return rc;
}

int cmd_show(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {NULL, 0, NULL, 0}};
    int json = 0, c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'j')
            return cli_usage("show");
        json = 1;
    }
    if (argc - optind > 1)
        return cli_usage("show");
    inv_register *r;
    inv_err e = {0};
    int64_t n;
    int rc = cli_open(ctx, 0, &r);
    if (rc)
        return rc;
    if (inv_version_resolve(r, optind < argc ? argv[optind] : "latest", &n, &e) != INV_OK ||
        (json ? show_json(r, n, &e) : inv_render(r, n, cli_sink_stdout, NULL, &e)) != INV_OK)
        rc = cli_report(&e);
    else if (cli_flush() != 0) {
        cli_error("cannot write %s to standard output", json ? "JSON" : "the document");
        rc = CLI_EIO;
    }
    inv_close(r);
    return rc;
}
