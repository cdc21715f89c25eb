/*
 * cmd_export_csv.c - scopereg export-csv: a version as CSV, Excel CSV or
 * JSON.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outdir.h"
#include "output.h"

/* The output file, and the error of its first write that failed. */
typedef struct out_file {
    FILE *f;
    int err;
} out_file;

static int file_sink(void *ctx, const void *data, size_t len)
{
    out_file *o = ctx;
    errno = 0;
    if (fwrite(data, 1, len, o->f) == len)
        return 0;
    if (!o->err)
        o->err = errno ? errno : EIO;
    return 1;
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
    if (out && (rc = outdir_file_name_ok(out)))
        return rc;
    inv_register *r;
    inv_err e = {0};
    int64_t n;
    FILE *f = stdout;
    char *tmp = NULL; /* -o FILE: the name it is written under first */
    if ((rc = cli_open(ctx, 0, &r)))
        return rc;
    if (inv_version_resolve(r, optind < argc ? argv[optind] : "latest", &n, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    /* -o FILE: written under a new name beside it (cr_temp_name), then
     * put at FILE only once whole: renamed over it with --force (a regular
     * file only), else linked, which refuses a FILE that appeared since.
     * A failed write leaves FILE as it was, or absent. */
    if (out) {
        struct stat sb;
        if (force ? (rc = outdir_replaceable(out)) != CLI_OK : lstat(out, &sb) == 0) {
            if (!force) {
                cli_error("cannot create %s: %s%s", out, strerror(EEXIST),
                          _(" (use --force to overwrite)"));
                rc = CLI_USAGE;
            }
            goto out;
        }
        int fd = -1;
        if (!(tmp = cr_temp_name(out))) {
            cli_error("out of memory");
            rc = CLI_EIO;
            goto out;
        }
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        /* the file replaced keeps its permissions (a private export stays
         * private), as when it was rewritten in place */
        if (fd >= 0 && force && lstat(out, &sb) == 0) {
            (void)fchmod(fd, sb.st_mode & 0777);
            int kept = fchown(fd, sb.st_uid, sb.st_gid); /* refused: the user's own */
            (void)kept;
        }
        if (fd < 0 || !(f = fdopen(fd, "w"))) {
            int err = errno;
            cli_error("cannot create %s beside %s, which is written there first: %s", tmp, out,
                      strerror(err));
            rc = err == ENOTDIR || err == ENAMETOOLONG ? CLI_USAGE : CLI_EIO;
            if (fd >= 0) {
                close(fd);
                unlink(tmp);
            }
            f = stdout;
            goto out;
        }
    }
    out_file of = {f, 0};
    if (json) {
        json_ctx j = {f, 0};
        fputs("[", f);
        rc = inv_items(r, n, json_item, &j, &e);
        fputs(j.n ? "\n]\n" : "]\n", f);
    } else {
        rc = inv_export_csv(r, n, excel ? INV_EXPORT_EXCEL : INV_EXPORT_CSV, file_sink, &of,
                            &e);
    }
    if (rc && (of.err || ferror(f))) { /* the output, not the register */
        cli_error("cannot write %s: %s", out ? out : "standard output",
                  strerror(of.err ? of.err : EIO));
        rc = CLI_EIO;
    } else if (rc) {
        rc = cli_report(&e);
    }
    if (f == stdout) {
        if (fflush(f) != 0 && !rc) {
            cli_error("cannot write %s", "standard output");
            rc = CLI_EIO;
        }
        goto out;
    }
    errno = 0;
    int werr = fflush(f) != 0 || ferror(f) ? (errno ? errno : EIO) : 0;
    if (!werr && fsync(fileno(f)) != 0 && errno != EINVAL)
        werr = errno;
    errno = 0;
    if (fclose(f) != 0 && !werr)
        werr = errno ? errno : EIO;
    f = stdout;
    if (werr && !rc) {
        cli_error("cannot write %s: %s", out, strerror(werr));
        rc = CLI_EIO;
    }
    if (!rc && (force ? rename(tmp, out) : outdir_place_new(AT_FDCWD, tmp, out)) != 0) {
        int err = errno;
        cli_error("cannot create %s: %s%s", out, strerror(err),
                  err == EEXIST ? _(" (use --force to overwrite)") : "");
        rc = err == EEXIST ? CLI_USAGE : CLI_EIO;
    }
    unlink(tmp); /* gone after a rename; the second name after a link */
    if (!rc)
        fprintf(stderr, _("wrote version %lld to %s\n"), (long long)n, out);
out:
    free(tmp);
    inv_close(r);
    return rc;
}
