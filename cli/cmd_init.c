/*
 * cmd_init.c - scopereg init: create a register for one contract, in the
 * contract's language (--lang, default en: what people read around the
 * documents; the documents themselves never change with it).
 */
#include <getopt.h>
#include <stdio.h>

#include "cli.h"

int cmd_init(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {
        {"contract", required_argument, NULL, 'c'},
        {"provider", required_argument, NULL, 'p'},
        {"provider-key", required_argument, NULL, 'P'},
        {"client", required_argument, NULL, 'l'},
        {"client-key", required_argument, NULL, 'L'},
        {"lang", required_argument, NULL, 'g'},
        {NULL, 0, NULL, 0},
    };
    const char *pkey = NULL, *ckey = NULL, *lang = NULL;
    inv_init in = {0};
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'c': in.contract = optarg; break;
        case 'p': in.provider_name = optarg; break;
        case 'P': pkey = optarg; break;
        case 'l': in.client_name = optarg; break;
        case 'L': ckey = optarg; break;
        case 'g': lang = optarg; break;
        default: return cli_usage("init");
        }
    }
    if (optind != argc || !in.contract || !in.provider_name || !pkey || !in.client_name ||
        !ckey) {
        if (optind != argc)
            cli_error("unexpected argument '%s'", argv[optind]);
        else
            cli_error("init needs --contract, --provider, --provider-key, --client and "
                      "--client-key");
        return cli_usage("init");
    }
    if (lang && !inv_lang_known(lang)) {
        cli_error("--lang '%s': the contract's language is one of en, fr, de and it", lang);
        return cli_usage("init");
    }
    cr_err ce = {0};
    if (cr_pubkey_load(pkey, &in.provider_key, &ce) != CR_OK ||
        cr_pubkey_load(ckey, &in.client_key, &ce) != CR_OK)
        return cli_report_cr(&ce);
    in.now = ctx->now;
    inv_err e = {0};
    if (inv_create_lang(ctx->register_path, &in, lang, &e) != INV_OK)
        return cli_report(&e);
    char pid[CR_KEYID_HEX], cid[CR_KEYID_HEX];
    cr_keyid_hex(in.provider_key.keyid, pid);
    cr_keyid_hex(in.client_key.keyid, cid);
    printf(_("created register %s for contract %s\n"
             "  provider: %s (key %s)\n  client:   %s (key %s)\n"),
           ctx->register_path, in.contract, in.provider_name, pid, in.client_name, cid);
    printf(_("  language: %s\n"), lang ? lang : "en");
    return CLI_OK;
}
