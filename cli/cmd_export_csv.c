/*
 * cmd_export_csv.c - scopereg export-csv: a version as CSV, Excel CSV or
 * JSON.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outdir.h"
#include "output.h"

static int file_sink(void *ctx, const void *data, size_t len)
{
    return fwrite(data, 1, len, ctx) != len;
}

typedef struct json_ctx {
    FILE *f;
    int64_t n;
} json_ctx;

static int json_item(void *ctx, const inv_item *it)
{
    json_ctx *j = ctx;
    fputs(j->n++ ? ",\n" : "\n", j->f);
    out_json_item(j->f, it);
    return ferror(j->f) ? INV_EIO : 0;
}

int cmd_export_csv(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'}, {"excel", no_argument, NULL, 'x'},
        {"json", no_argument, NULL, 'j'},         {"force", no_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    int excel = 0, json = 0, force = 0, c, rc;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'o': out = optarg; break;
        case 'x': excel = 1; break;
        case 'j': json = 1; break;
        case 'f': force = 1; break;
        default: return cli_usage("export-csv");
        }
    }
    if (argc - optind > 1 || (excel && json)) {
        if (excel && json)
            cli_error("--excel and --json exclude each other");
        return cli_usage("export-csv");
    }
    inv_register *r;
    inv_err e = {0};
    int64_t n;
    FILE *f = stdout;
    if ((rc = cli_open(ctx, 0, &r)))
        return rc;
    if (inv_version_resolve(r, optind < argc ? argv[optind] : "latest", &n, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    if (out) {
        /* --force replaces a regular file only: checked before opening, and
         * again on what was opened (without blocking on a FIFO) before it
         * is truncated */
        if (force && (rc = outdir_replaceable(out)))
            goto out;
        int fd = open(out, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC |
                               (force ? 0 : O_EXCL), 0644);
        struct stat sb;
        if (fd >= 0 && (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))) {
            close(fd);
            cli_error("%s is not a regular file: --force replaces regular files only; "
                      "nothing was written", out);
            rc = CLI_USAGE;
            goto out;
        }
        if (fd >= 0 && ftruncate(fd, 0) != 0) {
            cli_error("cannot write %s: %s", out, strerror(errno));
            close(fd);
            rc = CLI_EIO;
            goto out;
        }
        if (fd >= 0) {
            int fl = fcntl(fd, F_GETFL);
            if (fl >= 0)
                fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
        }
        if (fd < 0 || !(f = fdopen(fd, "w"))) {
            cli_error("cannot create %s: %s%s", out, strerror(errno),
                      errno == EEXIST ? _(" (use --force to overwrite)") : "");
            if (fd >= 0)
                close(fd);
            f = stdout;
            rc = errno == EEXIST || errno == ELOOP ? CLI_USAGE : CLI_EIO;
            goto out;
        }
    }
    if (json) {
        json_ctx j = {f, 0};
        fputs("[", f);
        rc = inv_items(r, n, json_item, &j, &e);
        fputs(j.n ? "\n]\n" : "]\n", f);
    } else {
        rc = inv_export_csv(r, n, excel ? INV_EXPORT_EXCEL : INV_EXPORT_CSV, file_sink, f, &e);
    }
    if (rc)
        rc = cli_report(&e);
    if ((f != stdout ? fclose(f) : fflush(f)) != 0 && !rc) {
        cli_error("cannot write %s", out ? out : "standard output");
        rc = CLI_EIO;
    }
    if (rc && out)
        unlink(out);
    else if (out)
        fprintf(stderr, _("wrote version %lld to %s\n"), (long long)n, out);
out:
    inv_close(r);
    return rc;
}
