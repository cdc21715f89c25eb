/*
 * main.c - global options and dispatch through the command table (commands.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "cli.h"
#include "i18n.h"

#ifndef SCOPEREG_VERSION
#define SCOPEREG_VERSION "dev"
#endif

/* The global options, then the command; returns the exit status before
 * standard output is checked (main). */
static int run(int argc, char **argv)
{
    /* Never dump core: secret keys and passphrases read from files or the
     * terminal live in sodium_malloc memory, which dumps leave out, but a
     * passphrase from the environment, scrypt's work area and stdio buffers
     * do not. */
    struct rlimit no_core = {0, 0};
    (void)setrlimit(RLIMIT_CORE, &no_core);
    cli_ctx ctx = {0};
    int i = 1;
    const char *reg = getenv("SCOPEREG_REGISTER");
    ctx.register_path = reg && *reg ? reg : "scope.db";
    for (; i < argc && argv[i][0] == '-'; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "-R") || !strcmp(a, "--register")) {
            if (++i >= argc) {
                cli_error("%s needs a FILE", a);
                return CLI_USAGE;
            }
            ctx.register_path = argv[i];
        } else if (!strncmp(a, "--register=", 11)) {
            ctx.register_path = a + 11;
        } else if (!strcmp(a, "--jobs") || !strncmp(a, "--jobs=", 7)) {
            const char *n = a[6] == '=' ? a + 7 : (++i < argc ? argv[i] : NULL);
            char *end = NULL;
            long v = n ? strtol(n, &end, 10) : 0;
            if (!n || !*n || *end || v < 1 || v > 1024) {
                cli_error("--jobs: expected a number of threads from 1 to 1024, not '%s'",
                          n ? n : "");
                return CLI_USAGE;
            }
            setenv("SCOPEREG_JOBS", n, 1); /* read by every pipeline (inv_pipe_jobs) */
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            cli_usage_all(stdout);
            return CLI_OK;
        } else if (!strcmp(a, "--version")) {
            printf("scopereg %s (document format %s; reads %s)\n", SCOPEREG_VERSION,
                   INV_FORMAT_TAG2, INV_FORMAT_TAG);
            return CLI_OK;
        } else {
            cli_error("unknown option '%s'", a);
            cli_usage_all(stderr);
            return CLI_USAGE;
        }
    }
    if (i >= argc) {
        cli_usage_all(stderr);
        return CLI_USAGE;
    }
    const cli_command *c = cli_find(argv[i]);
    if (!c) {
        cli_error("'%s' is not a scopereg command; see 'scopereg --help'", argv[i]);
        return CLI_USAGE;
    }
    for (int j = i + 1; j < argc; j++)
        if (!strcmp(argv[j], "--help") || !strcmp(argv[j], "-h"))
            return cli_help(c->name);
        else if (!strcmp(argv[j], "--"))
            break;

    const char *now = getenv("SCOPEREG_NOW");
    if (now && *now) {
        inv_err e = {0};
        if (inv_time_parse(now, 0, &ctx.now, &e) != INV_OK) {
            cli_error("$SCOPEREG_NOW: %s", e.msg);
            return CLI_USAGE;
        }
    } else {
        ctx.now = (int64_t)time(NULL);
    }
    cr_err ce = {0};
    if (cr_init(&ce) != CR_OK)
        return cli_report_cr(&ce);
    optind = 0; /* reinitialise getopt for the command */
    return c->run(argc - i, argv + i, &ctx);
}

int main(int argc, char **argv)
{
    cli_i18n_init(argc, argv); /* before any message */
    /* every way out, --help and --version too, has its output checked */
    return cli_exit_status(run(argc, argv));
}
