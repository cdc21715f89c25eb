/*
 * cmd_keygen.c - scopereg keygen -o NAME [--unencrypted | --kdf COST] [--force]
 *                                [--passphrase-file F]
 *
 * Writes NAME.key (minisign secret key, 0600, scrypt-encrypted unless
 * --unencrypted) and NAME.pub (minisign public key), then prints the key
 * id and both paths. Existing files are left alone unless --force.
 */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* "NAME" + ext in a malloc'd string; NULL after printing. */
static char *with_ext(const char *name, const char *ext)
{
    size_t n = strlen(name) + strlen(ext) + 1;
    char *p = malloc(n);
    if (!p)
        cli_error("out of memory");
    else
        snprintf(p, n, "%s%s", name, ext);
    return p;
}

/* keygen --force: both files written under new names beside them
 * (cr_temp_name), then renamed over the old ones, so that a write that
 * fails (a full disk) leaves the old pair as it was, never a new secret
 * key beside an old public key nor neither. Only regular files are
 * replaced. Prints its failure; returns the exit code. */
static int save_replacing(const char *keypath, const char *pubpath, const cr_seckey *sk,
                          const cr_pubkey *pk, const char *pass, uint64_t ops, uint64_t mem)
{
    const char *paths[2] = {keypath, pubpath};
    for (int i = 0; i < 2; i++) {
        struct stat st;
        if (lstat(paths[i], &st) == 0 && !S_ISREG(st.st_mode)) {
            cli_error("%s is not a regular file: --force replaces regular files only; "
                      "nothing was written", paths[i]);
            return CLI_USAGE;
        }
    }
    cr_err e = {0};
    int rc = CLI_EIO;
    char *kt = cr_temp_name(keypath), *pt = cr_temp_name(pubpath);
    if (!kt || !pt) {
        cli_error("out of memory");
    } else if (cr_seckey_save_kdf(kt, sk, pass, ops, mem, 0, &e) != CR_OK ||
               (cr_pubkey_save(pt, pk, 0, &e) != CR_OK && (unlink(kt), 1))) {
        cli_error("cannot replace %s: %s; the old key pair is unchanged", keypath, e.msg);
        rc = e.code ? e.code : CLI_EIO;
    } else if (rename(kt, keypath) != 0) {
        cli_error("cannot replace %s: %s; the old key pair is unchanged", keypath,
                  strerror(errno));
        unlink(kt);
        unlink(pt);
    } else if (rename(pt, pubpath) != 0) {
        /* the new secret key is in place: its public key stays beside it */
        cli_error("cannot replace %s: %s; %s holds the new secret key and %s its public "
                  "key: rename %s to %s", pubpath, strerror(errno), keypath, pt, pt, pubpath);
    } else {
        rc = CLI_OK;
    }
    free(kt);
    free(pt);
    return rc;
}

static int exists(const char *path)
{
    struct stat st;
    return lstat(path, &st) == 0;
}

int cmd_keygen(int argc, char **argv, cli_ctx *ctx)
{
    (void)ctx; /* no register involved */
    static const struct option opts[] = {
        {"output", required_argument, NULL, 'o'},
        {"unencrypted", no_argument, NULL, 'U'},
        {"force", no_argument, NULL, 'f'},
        {"passphrase-file", required_argument, NULL, 'P'},
        {"kdf", required_argument, NULL, 'K'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0}};
    const char *name = NULL, *passfile = NULL, *kdf = NULL;
    int unencrypted = 0, force = 0, c;
    while ((c = getopt_long(argc, argv, "o:fh", opts, NULL)) != -1) {
        switch (c) {
        case 'o': name = optarg; break;
        case 'U': unencrypted = 1; break;
        case 'f': force = 1; break;
        case 'P': passfile = optarg; break;
        case 'K': kdf = optarg; break;
        case 'h': return cli_help("keygen");
        default: return cli_usage("keygen"); /* getopt said what is wrong */
        }
    }
    if (optind < argc) {
        cli_error("unexpected argument '%s'", argv[optind]);
        return cli_usage("keygen");
    }
    if (!name || !*name) {
        cli_error("-o NAME is required");
        return cli_usage("keygen");
    }
    if (unencrypted && passfile) {
        cli_error("--unencrypted and --passphrase-file exclude each other");
        return cli_usage("keygen");
    }
    if (unencrypted && kdf) {
        cli_error("--unencrypted and --kdf exclude each other: --kdf sets the cost of the "
                  "passphrase's encryption");
        return cli_usage("keygen");
    }
    /* minisign's cost unless --kdf interactive (16 MiB instead of 1 GiB) */
    uint64_t ops = CR_KDF_OPSLIMIT, mem = CR_KDF_MEMLIMIT;
    int light = kdf && strcmp(kdf, "interactive") == 0;
    if (light) {
        ops = CR_KDF_OPSLIMIT_INTERACTIVE;
        mem = CR_KDF_MEMLIMIT_INTERACTIVE;
    } else if (kdf && strcmp(kdf, "sensitive") != 0) {
        cli_error("--kdf: unknown cost '%s': use sensitive (1 GiB, minisign's, the default) "
                  "or interactive (16 MiB)", kdf);
        return cli_usage("keygen");
    }

    cr_err e = {0};
    int rc = CLI_EIO;
    char *pass = NULL;
    cr_seckey *sk = NULL;
    char *keypath = with_ext(name, ".key"), *pubpath = with_ext(name, ".pub");
    if (!keypath || !pubpath)
        goto out;
    /* Check both before writing either (the writes check again, O_EXCL). */
    if (!force) {
        const char *taken = exists(keypath) ? keypath : exists(pubpath) ? pubpath : NULL;
        if (taken) {
            cli_error("%s already exists (use --force to replace it)", taken);
            rc = CLI_USAGE;
            goto out;
        }
    }
    if (!unencrypted) {
        size_t n = strlen(keypath) + strlen(_("Passphrase for %s")) + 1;
        char *prompt = malloc(n);
        if (!prompt) {
            cli_error("out of memory");
            goto out;
        }
        snprintf(prompt, n, _("Passphrase for %s"), keypath);
        pass = cli_passphrase(passfile, prompt, 1);
        free(prompt);
        if (!pass) {
            rc = CLI_USAGE;
            goto out;
        }
    }
    cr_pubkey pk;
    if (cr_keygen(&sk, &pk, &e) != CR_OK) {
        rc = cli_report_cr(&e);
        goto out;
    }
    if (force) {
        if ((rc = save_replacing(keypath, pubpath, sk, &pk, pass, ops, mem)))
            goto out;
    } else if (cr_seckey_save_kdf(keypath, sk, pass, ops, mem, 0, &e) != CR_OK) {
        rc = cli_report_cr(&e);
        goto out;
    } else if (cr_pubkey_save(pubpath, &pk, 0, &e) != CR_OK) {
        rc = cli_report_cr(&e);
        unlink(keypath); /* no secret key without its public key */
        goto out;
    }
    char id[CR_KEYID_HEX];
    cr_keyid_hex(pk.keyid, id);
    printf(_("key id: %s\n"), id);
    printf(_("public key: %s\n"), pubpath);
    printf(_("secret key: %s (%s)\n"), keypath,
           unencrypted ? _("unencrypted")
           : light     ? _("encrypted with the passphrase, at the interactive cost: 16 MiB")
                       : _("encrypted with the passphrase"));
    rc = cli_flush() == 0 ? CLI_OK : CLI_EIO;
out:
    cr_seckey_free(sk);
    cr_secure_free(pass);
    free(keypath);
    free(pubpath);
    return rc;
}
