/*
 * cmd_cosign.c - scopereg cosign FILE.scope --key K.key [-o SIG]
 *                [--previous-key OLD.key] [--passphrase-file F] [--force]
 *                [--without-previous] [--lang fr|de|it|en]
 *
 * The other party's side, with no register: reads an exported scope
 * document (streamed), checks its grammar and that its changes agree with
 * its own items (inv_doc_self_check), checks the signatures lying beside
 * it (<stem>.ROLE.minisig, <stem>.ROLE.old.minisig) against the .pub files
 * of its directory whose key id the document names, then, for version
 * N > 1, checks version N-1 lying beside it: that it holds by itself,
 * carries the signature of a key the signer holds (the key signing now;
 * at a rotation of that key in N, the key replaced, whose secret key
 * --previous-key gives: the new key alone cannot vouch for N-1 and is
 * refused), and that N is N-1 with N's changes applied (inv_doc_follows).
 * It refuses a second version N of the register that a signing key signed
 * (a fork) and warns about a document of another register of the same
 * contract or parties, shows what the version changes (streamed a second
 * time, so memory stays flat), then signs it with the key given (and the
 * previous key), which must be one the document names, and writes
 * <stem>.ROLE.minisig (and <stem>.ROLE.old.minisig; or SIG) for the
 * provider to attach. The same key signs the checkpoint derived from the
 * document (<stem>.checkpoint.ROLE.minisig; a .checkpoint beside it must
 * be that one), with the one passphrase prompt; a document it signed
 * before checkpoints gets its checkpoint signed alone. Free texts of the document are printed escaped,
 * never raw. The checks are the library's (inventory/document/beside.c),
 * the text an output (output/review.c).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cosign.h"
#include "lang.h"
#include "outdir.h"

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

/* Checks the signatures beside the document; prints one line each.
 * Returns CLI_OK, or CLI_FAIL when one is present and does not hold. */
static int check_beside(cli_cosign *c)
{
    inv_err e = {0};
    for (int role = 0; role < 2; role++) {
        for (int old = 0; old < 2; old++) {
            inv_sig_beside s;
            int rc = CLI_OK;
            if (!(old ? c->d.old_key[role] : c->d.key[role])[0])
                continue;
            if (inv_sig_beside_check(&c->d, c->stem, role, old, NULL, c->ring, c->now, &s, &e))
                return cli_cosign_report(&e);
            out_review_sig(stdout, &s, c->words);
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

/* Version N-1 beside the document (inv_doc_check_previous), anchored by a
 * key the signer holds. Prints what was checked; returns the exit code
 * (CLI_OK to go on). */
static int check_previous(cli_cosign *c)
{
    inv_prev_check p;
    inv_err e = {0};
    long long n = (long long)c->d.version;
    const cr_pubkey *anchor = c->has_prev ? &c->prev : c->unvouched ? NULL : &c->mine;
    int rc = inv_doc_check_previous(c->file, c->dir, &c->d, c->role, anchor, c->now, &p, &e);
    if (rc) {
        rc = cli_cosign_report(&e);
    } else if (p.absent && !c->without_previous) {
        cli_error("version %lld is not beside the document (no %s): cosign checks that "
                  "version %lld is version %lld with these changes and that you signed "
                  "version %lld; put the files of the export beside it, or sign without "
                  "that check with --without-previous",
                  n - 1, p.path, n, n - 1, n - 1);
        rc = CLI_USAGE;
    } else {
        const char *old = c->d.old_key[c->role];
        out_review_previous(stdout, &p, &c->d, c->role, c->has_prev, c->unvouched ? old : NULL,
                            c->words);
        if (p.absent)
            cli_warn("version %lld NOT CHECKED: that version %lld is version %lld with these "
                     "changes, and that the %s's key is one you signed before",
                     n - 1, n, n - 1, inv_roles[!c->role]);
        if (c->unvouched)
            cli_warn("NOT CHECKED: that key %s, which version %lld replaces, is yours and "
                     "signed version %lld (--without-previous)", old, n, n - 1);
    }
    inv_prev_check_free(&p);
    return rc;
}

/* A fork: another register, said on both outputs; a second version N,
 * kept for the refusal. */
static void on_fork(void *ctx, const inv_fork *fk)
{
    cli_cosign *c = ctx;
    char *msg = out_review_fork(fk, &c->d, c->fork_key, c->words);
    if (!msg)
        return;
    if (!fk->other_register) {
        if (!c->fork)
            c->fork = msg;
        else
            free(msg);
        return;
    }
    out_review_warning(stdout, msg, c->words);
    cli_flush();
    out_review_warning(stderr, msg, c->words);
    free(msg);
}

/* A file this run writes, and what was there before it: on a failure the
 * run puts back the file it replaced (--force; kept until then as a hard
 * link beside it, cr_temp_name) or removes the one it created, so a failed
 * cosign leaves every file as it was. */
typedef struct kept {
    const char *path; /* NULL: not written by this run */
    char *bak;        /* the file replaced, kept; NULL: none kept */
    int was;          /* path existed before this run */
} kept;

/* Notes path before the run writes it, and with force keeps the file
 * there. A file system without hard links keeps nothing, with a warning
 * (the file is then replaced for good once written). Returns the exit
 * code after printing, CLI_EIO when out of memory. */
static int keep_old(kept *k, const char *path, int force)
{
    k->path = path;
    k->bak = NULL;
    k->was = access(path, F_OK) == 0;
    if (!k->was || !force)
        return CLI_OK;
    if (!(k->bak = cr_temp_name(path))) {
        cli_error("out of memory");
        return CLI_EIO;
    }
    if (link(path, k->bak) != 0) {
        cli_warn("cannot keep %s while it is replaced (%s): should this cosign fail, it "
                 "stays replaced", path, strerror(errno));
        free(k->bak);
        k->bak = NULL;
    }
    return CLI_OK;
}

/* Ends the run for k's file: undo, the file replaced is put back, or the
 * one created removed (a file that was there and could not be kept stays
 * as the run left it). */
static void kept_end(kept *k, int undo)
{
    if (!k->path)
        return;
    if (undo && k->bak)
        rename(k->bak, k->path);
    else if (undo && !k->was)
        unlink(k->path);
    if (k->bak) {
        /* gone after a rename; still there when path was not replaced
         * (both names were links to the same file, and rename left them) */
        unlink(k->bak);
        free(k->bak);
    }
    k->path = NULL;
    k->bak = NULL;
}

int cmd_cosign(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"key", required_argument, NULL, 'k'},
                                         {"previous-key", required_argument, NULL, 'p'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"passphrase-file", required_argument, NULL, 'P'},
                                         {"force", no_argument, NULL, 'f'},
                                         {"without-previous", no_argument, NULL, 'W'},
                                         {"lang", required_argument, NULL, 'L'},
                                         {NULL, 0, NULL, 0}};
    const char *keypath = NULL, *prevpath = NULL, *outpath = NULL, *passfile = NULL, *lang = NULL;
    cli_cosign c;
    memset(&c, 0, sizeof c);
    c.now = ctx->now;
    int force = 0, opt;
    while ((opt = getopt_long(argc, argv, "k:o:f", opts, NULL)) != -1) {
        switch (opt) {
        case 'k': keypath = optarg; break;
        case 'p': prevpath = optarg; break;
        case 'o': outpath = optarg; break;
        case 'P': passfile = optarg; break;
        case 'f': force = 1; break;
        case 'W': c.without_previous = 1; break;
        case 'L':
            if (!(lang = cli_lang_arg("--lang", optarg)))
                return cli_usage("cosign");
            break;
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
    if (outpath && outdir_file_name_ok(outpath))
        return CLI_USAGE;
    c.file = argv[optind];
    /* no register, so no contract's language: --lang, else the messages' */
    c.words = out_review_words_for(lang ? lang : cli_lang_of_messages());
    if (!keypath) {
        cli_error("cosign needs --key K.key (your secret key)");
        return cli_usage("cosign");
    }
    if (prevpath && outpath) {
        cli_error("-o names one file, but with --previous-key cosign writes two signatures "
                  "(<ref>-vN.ROLE.old.minisig and <ref>-vN.ROLE.minisig); leave -o out");
        return cli_usage("cosign");
    }

    inv_err e = {0};
    cr_seckey *sk = NULL, *psk = NULL;
    char *sigp = NULL, *oldp = NULL;
    int rc;
    mode_t mode = 0;
    FILE *f = NULL;
    kept keep[4] = {{0}}; /* the files written (the old key's signature, the key's, and their
                           * checkpoint signatures'), until the signatures are all written */
    int written = 0;
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
        rc = cli_cosign_report(&e);
        goto out;
    }
    c.parsed = 1;
    /* its changes against its own items, before any of them is shown */
    rc = inv_doc_self_check(c.file, &c.d, &e);
    const char *machine = inv_machine_fault(rc, e.msg);
    if (machine) { /* no verdict on the document when the machine failed */
        cli_error("%s", machine);
        rc = CLI_EIO;
        goto out;
    }
    if (rc) {
        char *m = out_safe_dup(e.msg, 0);
        cli_error("%s does not hold: %s; refusing to sign", c.file, m ? m : e.msg);
        free(m);
        rc = rc == INV_EIO ? CLI_EIO : CLI_FAIL;
        goto out;
    }
    if (!(c.stem = inv_path_stem(c.file)) || !(c.dir = inv_path_dir(c.file))) {
        cli_error("out of memory");
        rc = CLI_EIO;
        goto out;
    }
    int kl = inv_keyring_load(c.dir, &c.ring, &e);
    if (kl != INV_OK || inv_oom_seen()) {
        /* the machine failed, not the folder: sign nothing unchecked */
        if ((machine = inv_machine_fault(kl ? e.code : INV_FAIL, e.msg))) {
            cli_error("%s; nothing signed", machine);
            rc = CLI_EIO;
            goto out;
        }
        cli_warn("%s", e.msg);
        c.ring = NULL;
    }

    char now[32], date[32];
    long long n = (long long)c.d.version;
    inv_time_format(c.now, now, sizeof now);
    inv_time_format(c.d.date, date, sizeof date);
    out_review_header(stdout, c.file, &c.d, c.words);
    if ((rc = check_beside(&c)) || (rc = cli_cosign_checkpoint_check(&c)))
        goto out;
    if (c.now < c.d.date) {
        cli_error("the signature date (%s) is before the date of version %lld (%s); check "
                  "the clock or $SCOPEREG_NOW", now, n, date);
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
    const char *replaced = c.d.old_key[c.role];
    if (prevpath && (rc = cli_cosign_load_previous(&c, keypath, prevpath, passfile, &psk)))
        goto out;
    if (!c.old && replaced[0] && !c.has_prev) {
        /* the new key cannot vouch for what the key it replaces signed */
        if (!c.without_previous) {
            cli_error("version %lld replaces the %s's key %s by %s, the key you sign with: "
                      "that new key cannot vouch for version %lld, which key %s signed; "
                      "cosign with --key %s --previous-key OLD.key (the secret key of %s), "
                      "or sign unchecked with --without-previous", n, inv_roles[c.role],
                      replaced, c.keyid, n - 1, replaced, keypath, replaced);
            rc = CLI_USAGE;
            goto out;
        }
        c.unvouched = 1;
    }
    int cp_done;
    if ((rc = cli_cosign_plan_checkpoint(&c, !outpath && !prevpath, force, &cp_done)))
        goto out;
    if (c.doc_signed && cp_done) {
        out_review_cp_line(stdout, "done", c.d.version, c.role, "", c.file, c.words);
        goto out;
    }
    if ((!c.doc_signed && (rc = cli_cosign_sig_path(&c, outpath, c.old, force, &sigp))) ||
        (c.has_prev && (rc = cli_cosign_sig_path(&c, NULL, 1, force, &oldp))))
        goto out;

    /* Continuity with version N-1, then forks: a second version N that a
     * signing key signed is refused; another register is warned about. */
    if (n > 1 && (rc = check_previous(&c)))
        goto out;
    c.fork_key = c.keyid;
    inv_doc_forks(c.dir, &c.st, &c.d, &c.mine, c.now, on_fork, &c);
    c.fork_key = c.prev_keyid;
    if (c.has_prev && !c.fork)
        inv_doc_forks(c.dir, &c.st, &c.d, &c.prev, c.now, on_fork, &c);
    if (c.fork) {
        char *m = out_safe_dup(c.fork, 0);
        cli_error("%s: the register can hold only one of them; refusing to sign", m ? m : "");
        free(m);
        rc = CLI_FAIL;
        goto out;
    }
    if ((rc = cli_cosign_checkpoint_holds(&c)))
        goto out;

    /* The changes, read a second time and printed as they come; the bytes
     * must be those checked above. */
    out_review_changes(stdout, &c.d, c.words);
    inv_doc again;
    if (fseek(f, 0, SEEK_SET) != 0) {
        cli_error("cannot read %s again: %s", c.file, strerror(errno));
        rc = CLI_EIO;
        goto out;
    }
    rc = inv_doc_read(f, c.file, &again, print_change_line, NULL, &e);
    if ((machine = inv_machine_fault(rc, e.msg))) { /* no claim about the file then */
        cli_error("cannot read %s again: %s; nothing signed", c.file, machine);
        rc = CLI_EIO;
        goto out;
    }
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
    cli_flush();
    /* What the client reviewed above must be whole: memory that ran out
     * anywhere before this point may have left a field or a change out
     * of it (inv_oom_seen), and then nothing is signed. */
    if (inv_oom_seen()) {
        cli_error("out of memory: the review above may be incomplete; nothing signed");
        rc = CLI_EIO;
        goto out;
    }

    /* The key replaced first, then the key given, then the checkpoint's
     * signatures. On a failure the files this run wrote are removed and
     * those it replaced (--force) put back (kept_end): a failed cosign
     * leaves the folder as it was. So they are when memory ran out while
     * the lines saying what was signed were printed: the client would not
     * know what it holds. */
    if ((c.has_prev && (rc = keep_old(&keep[0], oldp, force))) ||
        (!c.doc_signed && (rc = keep_old(&keep[1], sigp, force))) ||
        (c.cp_old_needed && (rc = keep_old(&keep[2], c.cp_old_sigp, force))) ||
        (c.cp_needed && (rc = keep_old(&keep[3], c.cp_sigp, force))))
        goto out;
    if (c.has_prev && (rc = cli_cosign_sign(&c, psk, &c.prev, 1, oldp, force)))
        goto out;
    if (c.doc_signed)
        out_review_cp_line(stdout, "only", c.d.version, c.role, "", c.file, c.words);
    else if ((rc = cli_cosign_sign(&c, sk, &c.mine, c.old, sigp, force)))
        goto out;
    if ((c.cp_old_needed &&
         (rc = cli_cosign_sign_checkpoint(&c, psk, &c.prev, c.cp_old_sigp, force))) ||
        (c.cp_needed && (rc = cli_cosign_sign_checkpoint(&c, sk, &c.mine, c.cp_sigp, force))))
        goto out;
    if (inv_oom_seen()) {
        cli_error("out of memory while saying what was signed; nothing signed");
        rc = CLI_EIO;
        goto out;
    }
    written = 1;
    if (cli_flush() != 0)
        rc = CLI_EIO;
out:
    for (int i = 0; i < 4; i++)
        kept_end(&keep[i], rc != CLI_OK && !written);
    if (f)
        fclose(f);
    cr_seckey_free(sk);
    cr_seckey_free(psk);
    if (c.parsed)
        inv_doc_free(&c.d);
    inv_keyring_free(c.ring);
    if (c.cp_checked)
        inv_cp_beside_free(&c.cpb);
    free(c.cp_sigp);
    free(c.cp_old_sigp);
    free(c.stem);
    free(c.dir);
    free(c.fork);
    free(sigp);
    free(oldp);
    return rc;
}
