/*
 * cmd_report.c - scopereg report [VERSION] --html -o FILE: a version as
 * one self-contained HTML page, printable on A4 as the contract annex.
 *
 * The page is written to a temporary file beside FILE and moved into
 * place once complete, so a failure never leaves half a page, nor
 * destroys the file --force would have replaced.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

static int file_sink(void *ctx, const void *data, size_t len)
{
    return fwrite(data, 1, len, ctx) != len;
}

/* Refuses a FILE that exists (without force) or is a symbolic link
 * (always: the page never goes where a link points). */
static int check_target(const char *out, int force)
{
    struct stat st;
    if (lstat(out, &st) != 0) {
        if (errno == ENOENT)
            return CLI_OK;
        cli_error("cannot write %s: %s", out, strerror(errno));
        return CLI_EIO;
    }
    if (S_ISLNK(st.st_mode)) {
        cli_error("%s is a symbolic link; refusing to write through it", out);
        return CLI_USAGE;
    }
    if (!force) {
        cli_error("%s already exists (use --force to overwrite it)", out);
        return CLI_USAGE;
    }
    if (!S_ISREG(st.st_mode)) {
        cli_error("%s exists and is not a regular file", out);
        return CLI_USAGE;
    }
    return CLI_OK;
}

int cmd_report(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"html", no_argument, NULL, 'h'},
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL;
    int html = 0, force = 0, c, rc;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'h': html = 1; break;
        case 'o': out = optarg; break;
        case 'f': force = 1; break;
        default: return cli_usage("report");
        }
    }
    if (argc - optind > 1)
        return cli_usage("report");
    if (!html || !out) {
        cli_error("report needs %s", !html ? "--html (the only format so far)" : "-o FILE");
        return cli_usage("report");
    }
    int to_stdout = !strcmp(out, "-");
    if (!to_stdout && (rc = check_target(out, force)))
        return rc;

    inv_register *r;
    inv_err e = {0};
    int64_t n;
    char *tmp = NULL;
    FILE *f = stdout;
    if ((rc = cli_open(ctx, 0, &r)))
        return rc;
    if (inv_version_resolve(r, optind < argc ? argv[optind] : "latest", &n, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    if (!to_stdout) {
        size_t len = strlen(out) + 16;
        int fd = -1;
        mode_t mask = umask(0);
        umask(mask);
        if ((tmp = malloc(len)) != NULL) {
            snprintf(tmp, len, "%s.tmp-XXXXXX", out);
            fd = mkstemp(tmp);
        }
        if (fd < 0 || fchmod(fd, 0666 & ~mask) != 0 || !(f = fdopen(fd, "w"))) {
            cli_error("cannot create %s: %s", tmp ? tmp : out, strerror(errno));
            if (fd >= 0) {
                close(fd);
                unlink(tmp);
            }
            free(tmp);
            tmp = NULL;
            f = stdout;
            rc = CLI_EIO;
            goto out;
        }
    }
    rc = inv_report_html(r, n, NULL, file_sink, f, &e);
    if (rc)
        rc = cli_report(&e);
    if ((f != stdout ? fclose(f) : fflush(f)) != 0 && !rc) {
        cli_error("cannot write %s: %s", to_stdout ? "standard output" : out, strerror(errno));
        rc = CLI_EIO;
    }
    if (!tmp)
        goto out; /* -o -: nothing to move, nothing to announce */
    /* link() never replaces a file that appeared meanwhile; rename()
     * replaces the link itself, never what a link points to. */
    if (!rc && (force ? rename(tmp, out) : link(tmp, out)) != 0) {
        int err = errno;
        cli_error("cannot write %s: %s%s", out, strerror(err),
                  err == EEXIST ? " (use --force to overwrite it)" : "");
        rc = err == EEXIST ? CLI_USAGE : CLI_EIO;
    }
    if (rc || !force)
        unlink(tmp);
    if (!rc)
        fprintf(stderr, "wrote the HTML annex of version %lld to %s\n", (long long)n, out);
out:
    free(tmp);
    inv_close(r);
    return rc;
}
