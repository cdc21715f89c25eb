/*
 * cmd_cosign.c - scopereg cosign FILE.scope --key K.key [-o SIG]
 *                [--passphrase-file F] [--force] [--without-previous]
 *
 * The other party's side, with no register: reads an exported scope
 * document (streamed), checks its grammar, checks the signatures lying
 * beside it (<stem>.ROLE.minisig, <stem>.ROLE.old.minisig) against the
 * .pub files of its directory whose key id the document names, then,
 * for version N > 1, checks version N-1 lying beside it: that it carries
 * the signature of the key signing now (or, at a rotation of that key,
 * of the key the rotation replaces), and that N is N-1 with N's changes
 * applied (inv_doc_follows). It warns when another document of the same
 * contract that this key signed belongs to another register (a fork),
 * shows what the version changes (streamed a second time, so memory stays
 * flat) and how many items it holds, then signs it with the key given,
 * which must be one the document names, and writes <stem>.ROLE.minisig
 * (or SIG) for the provider to attach. Free texts of the document are
 * printed escaped, never raw. The checks are the library's
 * (inventory/document/beside.c), the text an output (output/review.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "outdir.h"
#include "review.h"
#include "signing.h"

/* A change line of the document as it comes (second reading), made safe. */
static int print_change_line(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    out_review_change_line(stdout, line, len);
    return ferror(stdout) ? 1 : 0;
}

/* Reports a failed inv_open_regular of path; returns the exit code. */
static int open_failed(const char *path, mode_t mode)
{
    int err = errno;
    if (err == EINVAL) {
        cli_error("%s is %s, not a regular file; only regular files are read", path,
                  inv_file_kind(mode));
        return CLI_USAGE;
    }
    cli_error("cannot open %s: %s", path, strerror(err));
    return err == ENOENT || err == ENOTDIR || err == EISDIR ? CLI_USAGE : CLI_EIO;
}

/* ---- what cosign works on ---- */

typedef struct cosign {
    const char *file;
    char *stem, *dir;
    inv_doc d;
    int parsed;
    int64_t now;
    inv_keyring *ring;      /* the .pub files beside the document (may be NULL) */
    cr_pubkey mine;         /* the key signing */
    char keyid[CR_KEYID_HEX];
    int role, old;          /* its role, and whether it is the key N replaces */
    int without_previous;
    struct stat st;         /* of FILE */
} cosign;

/* Checks the signatures beside the document; prints one line each.
 * Returns CLI_OK, or CLI_FAIL when one is present and does not hold. */
static int check_beside(cosign *c)
{
    inv_err e = {0};
    for (int role = 0; role < 2; role++) {
        for (int old = 0; old < 2; old++) {
            inv_sig_beside s;
            int rc = CLI_OK;
            if (!(old ? c->d.old_key[role] : c->d.key[role])[0])
                continue;
            if (inv_sig_beside_check(&c->d, c->stem, role, old, NULL, c->ring, c->now, &s, &e))
                return cli_report(&e);
            out_review_sig(stdout, &s, NULL);
            if (s.status == INV_BESIDE_NO_KEY)
                cli_warn("the %s's signature %s is not checked: no public key file with key "
                         "id %s beside the document", inv_roles[role], cli_basename(s.path),
                         s.want);
            else if (s.status == INV_BESIDE_BAD)
                cli_error("%s: %s", s.path, s.err.msg);
            else if (s.status == INV_BESIDE_NOT_REGULAR || s.status == INV_BESIDE_UNREADABLE)
                cli_error("%s", s.err.msg);
            if (s.status == INV_BESIDE_BAD || s.status == INV_BESIDE_NOT_REGULAR ||
                s.status == INV_BESIDE_UNREADABLE)
                rc = s.err.code == INV_EIO ? CLI_EIO : CLI_FAIL;
            inv_sig_beside_free(&s);
            if (rc)
                return rc;
        }
    }
    return CLI_OK;
}

/* Version N-1 beside the document (inv_doc_check_previous). Prints what
 * was checked; returns the exit code (CLI_OK to go on). */
static int check_previous(cosign *c)
{
    inv_prev_check p;
    inv_err e = {0};
    long long n = (long long)c->d.version;
    int rc = inv_doc_check_previous(c->file, c->dir, &c->d, c->role, c->old, &c->mine, c->ring,
                                    c->now, &p, &e);
    if (rc) {
        rc = cli_report(&e);
    } else if (p.absent && !c->without_previous) {
        cli_error("version %lld is not beside the document (no %s): cosign checks that "
                  "version %lld is version %lld with these changes and that you signed "
                  "version %lld; put the files of the export beside it, or sign without "
                  "that check with --without-previous",
                  n - 1, p.path, n, n - 1, n - 1);
        rc = CLI_USAGE;
    } else {
        out_review_previous(stdout, &p, &c->d, c->role, c->keyid, c->file, NULL);
        if (p.absent)
            cli_warn("version %lld NOT CHECKED: that version %lld is version %lld with these "
                     "changes, and that the %s's key is one you signed before",
                     n - 1, n, n - 1, inv_roles[!c->role]);
    }
    inv_prev_check_free(&p);
    return rc;
}

/* A fork: said on standard output and on standard error. */
static void on_fork(void *ctx, const inv_fork *fk)
{
    const cosign *c = ctx;
    char *msg = out_review_fork(fk, &c->d, c->keyid, NULL);
    if (!msg)
        return;
    out_review_warning(stdout, msg, NULL);
    fflush(stdout);
    out_review_warning(stderr, msg, NULL);
    free(msg);
}

int cmd_cosign(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"key", required_argument, NULL, 'k'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"passphrase-file", required_argument, NULL, 'P'},
                                         {"force", no_argument, NULL, 'f'},
                                         {"without-previous", no_argument, NULL, 'W'},
                                         {NULL, 0, NULL, 0}};
    const char *keypath = NULL, *outpath = NULL, *passfile = NULL;
    cosign c;
    memset(&c, 0, sizeof c);
    c.now = ctx->now;
    int force = 0, opt;
    while ((opt = getopt_long(argc, argv, "k:o:f", opts, NULL)) != -1) {
        switch (opt) {
        case 'k': keypath = optarg; break;
        case 'o': outpath = optarg; break;
        case 'P': passfile = optarg; break;
        case 'f': force = 1; break;
        case 'W': c.without_previous = 1; break;
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
    c.file = argv[optind];
    if (!keypath) {
        cli_error("cosign needs --key K.key (your secret key)");
        return cli_usage("cosign");
    }

    inv_err e = {0};
    cr_err ce = {0};
    cr_seckey *sk = NULL;
    char *sigp = NULL, *text = NULL;
    int rc;
    struct stat sb;
    mode_t mode = 0;
    FILE *f = NULL;
    /* an output that --force may not replace is refused before anything */
    if (outpath && force && (rc = outdir_replaceable(outpath)))
        return rc;
    if (inv_open_regular(c.file, &f, &mode) != 0)
        return open_failed(c.file, mode);
    if (fstat(fileno(f), &c.st) != 0) {
        cli_error("cannot read %s: %s", c.file, strerror(errno));
        fclose(f);
        return CLI_EIO;
    }
    rc = inv_doc_read(f, c.file, &c.d, NULL, NULL, &e);
    if (rc) {
        rc = cli_report(&e);
        goto out;
    }
    c.parsed = 1;
    if (!(c.stem = inv_path_stem(c.file)) || !(c.dir = inv_path_dir(c.file))) {
        cli_error("out of memory");
        rc = CLI_EIO;
        goto out;
    }
    if (inv_keyring_load(c.dir, &c.ring, &e) != INV_OK) {
        cli_warn("%s", e.msg);
        c.ring = NULL;
    }

    char now[32], date[32];
    inv_time_format(c.now, now, sizeof now);
    inv_time_format(c.d.date, date, sizeof date);
    out_review_header(stdout, c.file, &c.d, NULL);
    if ((rc = check_beside(&c)))
        goto out;
    if (c.now < c.d.date) {
        cli_error("the signature date (%s) is before the date of version %lld (%s); check "
                  "the clock or $SCOPEREG_NOW", now, (long long)c.d.version, date);
        rc = CLI_USAGE;
        goto out;
    }
    if ((rc = cli_seckey_load(keypath, passfile, &sk)))
        goto out;
    cr_seckey_pubkey(sk, &c.mine);
    cr_keyid_hex(c.mine.keyid, c.keyid);
    if (inv_doc_key_role(&c.d, c.keyid, &c.role, &c.old) != INV_OK) {
        cli_error("%s (key %s) is neither the client's key %s nor the provider's key %s "
                  "named in %s; refusing to sign", keypath, c.keyid, c.d.key[INV_ROLE_CLIENT],
                  c.d.key[INV_ROLE_PROVIDER], c.file);
        rc = CLI_USAGE;
        goto out;
    }
    size_t splen = strlen(c.stem) + INV_BUNDLE_NAME_EXTRA;
    if (!(sigp = outpath ? strdup(outpath) : malloc(splen))) {
        cli_error("out of memory");
        rc = CLI_EIO;
        goto out;
    }
    if (!outpath)
        inv_bundle_name(sigp, splen, c.old ? INV_FILE_OLD_SIG : INV_FILE_SIG, c.stem, 0, c.role,
                        NULL);
    if (!force && lstat(sigp, &sb) == 0) {
        cli_error("%s already exists (use --force to replace it)", sigp);
        rc = CLI_USAGE;
        goto out;
    }
    if (force && (rc = outdir_replaceable(sigp)))
        goto out;

    /* Continuity with version N-1, then other registers of this contract. */
    if (c.d.version > 1 && (rc = check_previous(&c)))
        goto out;
    inv_doc_forks(c.dir, &c.st, &c.d, &c.mine, c.now, on_fork, &c);

    /* The changes, read a second time and printed as they come; the bytes
     * must be those checked above. */
    out_review_changes(stdout, &c.d, NULL);
    inv_doc again;
    if (fseek(f, 0, SEEK_SET) != 0) {
        cli_error("cannot read %s again: %s", c.file, strerror(errno));
        rc = CLI_EIO;
        goto out;
    }
    rc = inv_doc_read(f, c.file, &again, print_change_line, NULL, &e);
    if (rc) {
        cli_error("%s changed while it was read: %s; nothing signed", c.file, e.msg);
        rc = CLI_FAIL;
        goto out;
    }
    int same = !strcmp(again.doc_hash, c.d.doc_hash);
    inv_doc_free(&again);
    if (!same) {
        cli_error("%s changed while it was read (now %s, checked %s); nothing signed", c.file,
                  again.doc_hash, c.d.doc_hash);
        rc = CLI_FAIL;
        goto out;
    }
    putchar('\n');
    fflush(stdout);

    inv_tc tc = {0};
    char trusted[CR_COMMENT_MAX], untrusted[CR_COMMENT_MAX];
    snprintf(tc.register_id, sizeof tc.register_id, "%s", c.d.register_id);
    tc.version = c.d.version;
    snprintf(tc.role, sizeof tc.role, "%s", inv_roles[c.role]);
    snprintf(tc.doc_hash, sizeof tc.doc_hash, "%s", c.d.doc_hash);
    tc.signed_at = c.now;
    inv_tc_format(&tc, trusted, sizeof trusted);
    cli_untrusted_comment(untrusted, sizeof untrusted, c.d.contract, c.d.version,
                          inv_roles[c.role]);
    cr_sig sig;
    if (cr_sign_prehashed(sk, c.d.prehash, trusted, untrusted, &sig, &ce) != CR_OK ||
        cr_verify_prehashed(&c.mine, &sig, c.d.prehash, &ce) != CR_OK) {
        rc = cli_report_cr(&ce);
        goto out;
    }
    if (!(text = cr_sig_format(&sig))) {
        cli_error("out of memory");
        rc = CLI_EIO;
        goto out;
    }
    if ((force && (rc = outdir_replaceable(sigp))))
        goto out;
    if (cr_write_file(sigp, text, strlen(text), 0644, force, &ce) != CR_OK) {
        rc = cli_report_cr(&ce);
        goto out;
    }
    out_review_signed(stdout, &c.d, c.role, c.old, c.keyid, c.now, sigp, NULL);
    if (fflush(stdout) != 0)
        rc = CLI_EIO;
out:
    if (f)
        fclose(f);
    cr_seckey_free(sk);
    if (c.parsed)
        inv_doc_free(&c.d);
    inv_keyring_free(c.ring);
    free(c.stem);
    free(c.dir);
    free(sigp);
    free(text);
    return rc;
}
