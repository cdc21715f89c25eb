/*
 * cmd_import.c - scopereg import: stage a client's fleet from a CSV file.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static void progress(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx;
    if (total)
        fprintf(stderr, "\rimport: %3u%% (%llu of %llu MiB)", (unsigned)(done * 100 / total),
                (unsigned long long)(done >> 20), (unsigned long long)(total >> 20));
    if (done == total)
        fputc('\n', stderr);
}

static const char *delim_name(int d)
{
    return d == ',' ? "','" : d == ';' ? "';'" : d == '\t' ? "tab" : d == '|' ? "'|'" : "?";
}

int cmd_import(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"map", required_argument, NULL, 'm'},      {"kind", required_argument, NULL, 'k'},
        {"delimiter", required_argument, NULL, 'd'}, {"encoding", required_argument, NULL, 'e'},
        {"sync", no_argument, NULL, 's'},            {"dry-run", no_argument, NULL, 'n'},
        {"reason", required_argument, NULL, 'r'},    {NULL, 0, NULL, 0},
    };
    inv_import_opts o = {0};
    const char **maps = calloc((size_t)argc + 1, sizeof *maps);
    int c, rc;
    if (!maps)
        return CLI_EIO;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'm': maps[o.nmaps++] = optarg; break;
        case 'k': o.default_kind = optarg; break;
        case 'd': o.delimiter = optarg; break;
        case 'e': o.encoding = optarg; break;
        case 's': o.sync = 1; break;
        case 'n': o.dry_run = 1; break;
        case 'r': o.sync_reason = optarg; break;
        default: free(maps); return cli_usage("import");
        }
    }
    if (optind + 1 != argc) {
        cli_error(optind == argc ? "import needs a CSV FILE" : "import takes one CSV FILE");
        free(maps);
        return cli_usage("import");
    }
    o.path = argv[optind];
    o.maps = maps;
    if (isatty(STDERR_FILENO)) {
        o.progress = progress;
    }
    inv_register *r;
    inv_err e = {0};
    inv_import_result res;
    cli_changes l = {0};
    if ((rc = cli_open(ctx, 1, &r))) {
        free(maps);
        return rc;
    }
    l.hold = 1; /* the list is printed after the summary */
    rc = inv_import(r, &o, o.dry_run ? cli_print_change : NULL, &l, &res, &e);
    if (rc == INV_EINPUT && res.errors && *res.errors) {
        fputs(res.errors, stderr);
        cli_error("%s: %lld error%s, nothing was staged", o.path, (long long)res.nerrors,
                  res.nerrors == 1 ? "" : "s");
    } else if (rc) {
        cli_report(&e);
    } else {
        printf("%s: %lld rows, delimiter %s%s, %s%s\n", o.path, (long long)res.rows,
               delim_name(res.delimiter), res.sniffed ? " (sniffed)" : "", res.encoding,
               res.bom ? ", byte order mark skipped" : "");
        printf("%s %lld added, %lld modified, %lld removed, %lld unchanged\n",
               o.dry_run ? "would stage:" : "staged:", (long long)res.added,
               (long long)res.modified, (long long)res.removed, (long long)res.unchanged);
        if (o.dry_run) {
            printf("\ncolumns:\n%s", res.columns ? res.columns : "");
            printf("\nstaged changes after this import (nothing was written):\n");
            cli_changes_flush(&l);
            if (l.n == 0)
                printf("none\n");
        }
    }
    cli_changes_free(&l);
    inv_import_result_free(&res);
    inv_close(r);
    free(maps);
    return rc;
}
