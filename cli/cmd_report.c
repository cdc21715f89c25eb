/*
 * cmd_report.c - scopereg report [VERSION] --html [--lang LANG] -o FILE: a
 * version as one self-contained HTML page, printable on A4 as the contract
 * annex, in the contract's language (the register's, inv_lang) or LANG.
 *
 * The page is rendered in memory first, so a version that is refused
 * leaves FILE as it was; cr_write_file then creates FILE without following
 * a symbolic link and, without --force, never over an existing file.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "outdir.h"
#include "output.h"

static int buf_sink(void *ctx, const void *data, size_t len)
{
    return inv_buf_add(ctx, data, len);
}

int cmd_report(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"html", no_argument, NULL, 'h'},
        {"output", required_argument, NULL, 'o'},
        {"force", no_argument, NULL, 'f'},
        {"lang", required_argument, NULL, 'l'},
        {NULL, 0, NULL, 0},
    };
    const char *out = NULL, *lang = NULL;
    int html = 0, force = 0, c, rc;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'h': html = 1; break;
        case 'o': out = optarg; break;
        case 'f': force = 1; break;
        case 'l': lang = optarg; break;
        default: return cli_usage("report");
        }
    }
    if (argc - optind > 1) {
        cli_error("unexpected argument '%s'", argv[optind + 1]);
        return cli_usage("report");
    }
    if (!html || !out) {
        cli_error("report needs %s", !html ? "--html (the only format so far)" : "-o FILE");
        return cli_usage("report");
    }
    const out_annex_words *words = NULL;
    if (lang && !(words = out_annex_words_for(inv_lang_known(lang)))) {
        cli_error("unknown language '%s' for --lang: use en, fr, de or it", lang);
        return CLI_USAGE;
    }
    int to_stdout = !strcmp(out, "-");
    if (!to_stdout && (rc = outdir_file_name_ok(out)))
        return rc;
    inv_register *r;
    inv_err e = {0};
    cr_err ce = {0};
    inv_buf page = {0};
    int64_t n;
    if ((rc = cli_open(ctx, 0, &r)))
        return rc;
    if (!words) /* the contract's language; every code inv_lang gives has a table */
        words = out_annex_words_for(inv_lang(r));
    if (inv_version_resolve(r, optind < argc ? argv[optind] : "latest", &n, &e) ||
        out_annex_html(r, n, NULL, words, to_stdout ? cli_sink_stdout : buf_sink,
                       to_stdout ? NULL : &page, &e)) {
        if (!e.msg[0])
            inv_fail(&e, INV_EIO, "out of memory");
        rc = cli_report(&e);
    } else if (to_stdout) {
        rc = cli_flushed(rc);
    } else if (force && (rc = outdir_replaceable(out))) {
        /* --force replaces a regular file, nothing else */
    } else if (cr_write_file(out, page.data, page.len, 0666, force, &ce) != CR_OK) {
        cli_error("%s%s", ce.msg, ce.code == CR_EINPUT ? " (use --force)" : "");
        rc = ce.code ? ce.code : CLI_EIO;
    } else {
        fprintf(stderr, _("wrote the HTML annex of version %lld to %s\n"), (long long)n, out);
    }
    inv_buf_free(&page);
    inv_close(r);
    return rc;
}
