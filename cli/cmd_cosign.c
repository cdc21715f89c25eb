/*
 * cmd_cosign.c - scopereg cosign FILE.scope --key K.key [-o SIG]
 *                                 [--passphrase-file F] [--force]
 *
 * The other party's side, with no register: reads an exported scope
 * document (streamed), checks its grammar, checks the signatures lying
 * beside it (<stem>.ROLE.minisig, <stem>.ROLE.old.minisig) against the
 * .pub files of its directory whose key id the document names, shows
 * what the version changes and how many items it holds, then signs it
 * with the key given, which must be one the document names, and writes
 * <stem>.ROLE.minisig (or SIG) for the provider to attach.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "signing.h"

static int keep_line(void *ctx, const char *line, size_t len)
{
    inv_buf *b = ctx;
    return inv_buf_add(b, line, len) || inv_buf_add(b, "\n", 1);
}

/* FILE without ".scope" (or as is), malloc'd. */
static char *stem_of(const char *file)
{
    size_t n = strlen(file);
    if (n > 6 && !strcmp(file + n - 6, ".scope"))
        n -= 6;
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, file, n);
        s[n] = '\0';
    }
    return s;
}

/* The directory of file, malloc'd ("." when none). */
static char *dir_of(const char *file)
{
    const char *slash = strrchr(file, '/');
    size_t n = slash ? (size_t)(slash - file) : 0;
    if (slash && n == 0)
        n = 1; /* "/x.scope" */
    char *d = malloc(n + 2);
    if (d) {
        if (slash)
            memcpy(d, file, n);
        else
            d[n++] = '.';
        d[n] = '\0';
    }
    return d;
}

static char *sig_path(const char *stem, int role, int old)
{
    size_t n = strlen(stem) + 32;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s.%s%s.minisig", stem, inv_roles[role], old ? ".old" : "");
    return p;
}

/* Checks the signatures beside the document; prints one line each.
 * Returns CLI_OK, or CLI_FAIL when one is present and does not hold. */
static int check_beside(const inv_doc *d, const char *stem, const char *dir, int64_t now)
{
    inv_keyring *ring = NULL;
    inv_err e = {0};
    int rc = CLI_OK;
    if (inv_keyring_load(dir, &ring, &e) != INV_OK) {
        cli_warn("%s", e.msg);
        ring = NULL;
    }
    for (int role = 0; role < 2; role++) {
        for (int old = 0; old < 2; old++) {
            const char *want = old ? d->old_key[role] : d->key[role];
            if (!want[0])
                continue;
            char *sp = sig_path(stem, role, old);
            if (!sp) {
                cli_error("out of memory");
                rc = CLI_EIO;
                goto out;
            }
            struct stat sb;
            const char *what = old ? "previous key" : "key";
            if (stat(sp, &sb) != 0) {
                printf("%s signature (%s %s): none beside the document (no %s)\n",
                       inv_roles[role], what, want, cli_basename(sp));
                free(sp);
                continue;
            }
            cr_sig sig;
            cr_err ce;
            cr_pubkey pk;
            inv_tc tc;
            const char *pkpath = NULL;
            if (cr_sig_load(sp, &sig, &ce) != CR_OK) {
                cli_error("%s", ce.msg);
                rc = ce.code == CR_EIO ? CLI_EIO : CLI_FAIL;
            } else if (!ring || inv_keyring_find(ring, want, &pk, &pkpath, &e) != INV_OK) {
                printf("%s signature (%s %s): NOT CHECKED: %s\n", inv_roles[role], what, want,
                       ring ? e.msg : "the directory cannot be read");
                cli_warn("the %s's signature %s is not checked: no public key file with key "
                         "id %s beside the document", inv_roles[role], cli_basename(sp), want);
            } else if (inv_doc_sig_check(d, role, old, &pk, &sig, now, &tc, &e) != INV_OK) {
                cli_error("%s: %s", sp, e.msg);
                rc = CLI_FAIL;
            } else {
                char date[32];
                inv_time_format(tc.signed_at, date, sizeof date);
                printf("%s signature (%s %s): valid, signed %s (%s, %s)\n", inv_roles[role],
                       what, want, date, cli_basename(sp), cli_basename(pkpath));
            }
            free(sp);
            if (rc)
                goto out;
        }
    }
out:
    inv_keyring_free(ring);
    return rc;
}

int cmd_cosign(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"key", required_argument, NULL, 'k'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"passphrase-file", required_argument, NULL, 'P'},
                                         {"force", no_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    const char *keypath = NULL, *outpath = NULL, *passfile = NULL, *file;
    int force = 0, c;
    while ((c = getopt_long(argc, argv, "k:o:f", opts, NULL)) != -1) {
        switch (c) {
        case 'k': keypath = optarg; break;
        case 'o': outpath = optarg; break;
        case 'P': passfile = optarg; break;
        case 'f': force = 1; break;
        default: return cli_usage("cosign");
        }
    }
    if (optind + 1 != argc) {
        if (optind < argc)
            cli_error("unexpected argument '%s'", argv[optind + 1]);
        else
            cli_error("cosign needs the document FILE.scope");
        return cli_usage("cosign");
    }
    file = argv[optind];
    if (!keypath) {
        cli_error("cosign needs --key K.key (your secret key)");
        return cli_usage("cosign");
    }

    inv_doc d;
    inv_err e = {0};
    cr_err ce = {0};
    inv_buf changes = {0};
    cr_seckey *sk = NULL;
    char *stem = NULL, *dir = NULL, *sigp = NULL, *text = NULL;
    int parsed = 0, rc;
    FILE *f = fopen(file, "rb");
    if (!f) {
        cli_error("cannot open %s: %s", file, strerror(errno));
        return errno == ENOENT ? CLI_USAGE : CLI_EIO;
    }
    rc = inv_doc_read(f, file, &d, keep_line, &changes, &e);
    fclose(f);
    if (rc) {
        rc = cli_report(&e);
        goto out;
    }
    parsed = 1;
    if (!(stem = stem_of(file)) || !(dir = dir_of(file))) {
        cli_error("out of memory");
        rc = CLI_EIO;
        goto out;
    }

    char date[32], now[32];
    inv_time_format(d.date, date, sizeof date);
    inv_time_format(ctx->now, now, sizeof now);
    printf("document %s\n", file);
    printf("  contract: %s\n  register: %s\n", d.contract, d.register_id);
    for (int i = 0; i < 2; i++)
        printf("  %-9s %s (key %s%s%s)\n", i ? "client:" : "provider:", d.party[i], d.key[i],
               d.old_key[i][0] ? ", replacing key " : "", d.old_key[i]);
    printf("  version:  %lld of %s by %s\n", (long long)d.version, date, d.author);
    printf("  message:  %s\n", d.message);
    printf("  previous: %s\n", d.previous[0] ? d.previous : "none (first version)");
    printf("  document: %s (%llu bytes)\n", d.doc_hash, (unsigned long long)d.size);
    printf("  items:    %lld in scope\n", (long long)d.items);
    if ((rc = check_beside(&d, stem, dir, ctx->now)))
        goto out;
    printf("\nchanges in version %lld: %lld (%lld added, %lld modified, %lld removed%s)\n",
           (long long)d.version, (long long)d.changes, (long long)d.added,
           (long long)d.modified, (long long)d.removed,
           d.rekeyed ? ", and a key replacement" : "");
    if (changes.len)
        fwrite(changes.data, 1, changes.len, stdout);
    putchar('\n');
    fflush(stdout);

    if (ctx->now < d.date) {
        cli_error("the signature date (%s) is before the date of version %lld (%s); check "
                  "the clock or $SCOPEREG_NOW", now, (long long)d.version, date);
        rc = CLI_USAGE;
        goto out;
    }
    if ((rc = cli_seckey_load(keypath, passfile, &sk)))
        goto out;
    cr_pubkey mine;
    char keyid[CR_KEYID_HEX];
    int role, old;
    cr_seckey_pubkey(sk, &mine);
    cr_keyid_hex(mine.keyid, keyid);
    if (inv_doc_key_role(&d, keyid, &role, &old) != INV_OK) {
        cli_error("%s (key %s) is neither the client's key %s nor the provider's key %s "
                  "named in %s; refusing to sign", keypath, keyid, d.key[INV_ROLE_CLIENT],
                  d.key[INV_ROLE_PROVIDER], file);
        rc = CLI_USAGE;
        goto out;
    }
    if (!(sigp = outpath ? strdup(outpath) : sig_path(stem, role, old))) {
        cli_error("out of memory");
        rc = CLI_EIO;
        goto out;
    }
    struct stat sb;
    if (!force && lstat(sigp, &sb) == 0) {
        cli_error("%s already exists (use --force to replace it)", sigp);
        rc = CLI_USAGE;
        goto out;
    }
    inv_tc tc = {0};
    char trusted[CR_COMMENT_MAX], untrusted[CR_COMMENT_MAX];
    snprintf(tc.register_id, sizeof tc.register_id, "%s", d.register_id);
    tc.version = d.version;
    snprintf(tc.role, sizeof tc.role, "%s", inv_roles[role]);
    snprintf(tc.doc_hash, sizeof tc.doc_hash, "%s", d.doc_hash);
    tc.signed_at = ctx->now;
    inv_tc_format(&tc, trusted, sizeof trusted);
    cli_untrusted_comment(untrusted, sizeof untrusted, d.contract, d.version, inv_roles[role]);
    cr_sig sig;
    if (cr_sign_prehashed(sk, d.prehash, trusted, untrusted, &sig, &ce) != CR_OK ||
        cr_verify_prehashed(&mine, &sig, d.prehash, &ce) != CR_OK) {
        rc = cli_report_cr(&ce);
        goto out;
    }
    if (!(text = cr_sig_format(&sig))) {
        cli_error("out of memory");
        rc = CLI_EIO;
        goto out;
    }
    if (cr_write_file(sigp, text, strlen(text), 0644, force, &ce) != CR_OK) {
        rc = cli_report_cr(&ce);
        goto out;
    }
    printf("signed version %lld as the %s (%skey %s) at %s\n", (long long)d.version,
           inv_roles[role], old ? "previous " : "", keyid, now);
    printf("wrote %s\n", sigp);
    printf("send it back; the register's keeper stores it with: scopereg attach %s\n",
           cli_basename(sigp));
    if (fflush(stdout) != 0)
        rc = CLI_EIO;
out:
    cr_seckey_free(sk);
    if (parsed)
        inv_doc_free(&d);
    inv_buf_free(&changes);
    free(stem);
    free(dir);
    free(sigp);
    free(text);
    return rc;
}
