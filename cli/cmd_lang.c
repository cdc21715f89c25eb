/*
 * cmd_lang.c - scopereg lang [fr|de|it|en]: shows or changes the
 * contract's language (what the annex, VERIFY.txt and evidence are
 * written in). Not a staged change: the language is no part of any signed
 * document, so changing it makes no version and needs no signature. Also
 * the choice of an output's language for the commands (lang.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "lang.h"

/* The language of a locale or LANGUAGE entry ("fr_CH.UTF-8" -> "fr") when
 * scopereg writes it, else NULL. */
static const char *lang_of(const char *s, size_t n)
{
    char code[8];
    size_t k = strcspn(s, "_.@");
    if (k > n)
        k = n;
    if (k == 0 || k >= sizeof code)
        return NULL;
    memcpy(code, s, k);
    code[k] = '\0';
    return inv_lang_known(code);
}

const char *cli_lang_of_messages(void)
{
    static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
    const char *loc = NULL, *l;
    for (size_t i = 0; i < sizeof vars / sizeof *vars && !loc; i++) {
        const char *v = getenv(vars[i]);
        if (v && *v)
            loc = v;
    }
    if (loc && (!strcmp(loc, "C") || !strcmp(loc, "POSIX") || !strncmp(loc, "C.", 2)))
        return "en";
    const char *list = getenv("LANGUAGE");
    while (list && *list) {
        size_t n = strcspn(list, ":");
        if ((l = lang_of(list, n)))
            return l;
        list += n + (list[n] == ':');
    }
    if (loc && (l = lang_of(loc, strlen(loc))))
        return l;
    return "en";
}

const char *cli_lang_arg(const char *opt, const char *arg)
{
    const char *l = inv_lang_known(arg);
    if (!l)
        cli_error("%s '%s': scopereg writes en (English), fr (French), de (German) and it "
                  "(Italian)",
                  opt, arg);
    return l;
}

int cmd_lang(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{NULL, 0, NULL, 0}};
    if (getopt_long(argc, argv, "", opts, NULL) != -1)
        return cli_usage("lang");
    if (argc - optind > 1) {
        cli_error("unexpected argument '%s'", argv[optind + 1]);
        return cli_usage("lang");
    }
    const char *lang = NULL;
    if (optind < argc && !(lang = cli_lang_arg("language", argv[optind])))
        return cli_usage("lang");
    inv_register *r;
    int rc;
    if ((rc = cli_open(ctx, lang != NULL, &r)))
        return rc;
    const char *was = inv_lang(r);
    if (lang) {
        inv_err e = {0};
        if (strcmp(was, lang) && inv_lang_set(r, lang, &e) != INV_OK) {
            rc = cli_report(&e);
        } else if (strcmp(was, lang)) {
            printf(_("contract %s: language %s (was %s); no new version: the language is not "
                     "part of the signed documents\n"),
                   inv_contract(r), lang, was);
        } else {
            printf(_("contract %s: language %s (unchanged)\n"), inv_contract(r), lang);
        }
    } else {
        printf("%s\n", was);
    }
    if (!rc)
        rc = cli_flushed(rc);
    inv_close(r);
    return rc;
}
