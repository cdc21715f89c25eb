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
 * printed escaped, never raw.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "outdir.h"
#include "signing.h"

/* ---- printing free texts ---- */

/* Length of the UTF-8 sequence at s (n bytes left) when it is valid, else 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len;
    unsigned min;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2, min = 0x80;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3, min = 0x800;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4, min = 0x10000;
    else
        return 0;
    if (n < len)
        return 0;
    unsigned cp = s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* The code point of a valid sequence of len bytes. */
static unsigned utf8_cp(const unsigned char *s, size_t len)
{
    unsigned cp = s[0] & (len == 1 ? 0x7F : 0x7F >> len);
    for (size_t i = 1; i < len; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    return cp;
}

/* Characters a terminal acts on instead of showing: C0, DEL, C1, the
 * line and paragraph separators and the bidirectional overrides. */
static int invisible(unsigned cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0xFEFF;
}

/* Writes n bytes of s on one line, every character a terminal would act
 * on made visible: raw: \n, \t, \\ (and \" when quoted) as the document
 * writes them; escaped (a line of the document, already escaped): only
 * what the document leaves as is. Other controls and invalid bytes as
 * \xHH, invisible code points as \u{HHHH}. */
static void put_text(FILE *out, const char *s, size_t n, int raw, int quoted)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t run = 0; /* printable ASCII that needs nothing, written at once */
        while (i + run < n && p[i + run] >= 0x20 && p[i + run] < 0x7F &&
               !(raw && (p[i + run] == '\\' || (quoted && p[i + run] == '"'))))
            run++;
        if (run) {
            fwrite(p + i, 1, run, out);
            i += run;
            continue;
        }
        unsigned char c = p[i];
        if (raw && (c == '\\' || c == '\n' || c == '\t' || (quoted && c == '"'))) {
            fputc('\\', out);
            fputc(c == '\n' ? 'n' : c == '\t' ? 't' : c, out);
            i++;
            continue;
        }
        size_t len = utf8_len(p + i, n - i);
        if (!len) {
            fprintf(out, "\\x%02X", c);
            i++;
            continue;
        }
        unsigned cp = utf8_cp(p + i, len);
        if (invisible(cp)) {
            if (cp < 0x80)
                fprintf(out, "\\x%02X", cp);
            else
                fprintf(out, "\\u{%04X}", cp);
        } else {
            fwrite(p + i, 1, len, out);
        }
        i += len;
    }
}

/* put_text of a whole unescaped string (NULL: nothing). */
static void put_raw(FILE *out, const char *s)
{
    put_text(out, s ? s : "", s ? strlen(s) : 0, 1, 0);
}

/* A change line of the document as it comes (second reading), made safe. */
static int print_change_line(void *ctx, const char *line, size_t len)
{
    (void)ctx;
    put_text(stdout, line, len, 0, 0);
    fputc('\n', stdout);
    return ferror(stdout) ? 1 : 0;
}

/* ---- files ---- */

/* Opens path for reading, regular files only, without blocking on a
 * FIFO: 0 with *f, or -1 with errno (EINVAL: not a regular file, *mode
 * gets its type). */
static int open_regular(const char *path, FILE **f, mode_t *mode)
{
    struct stat sb;
    *f = NULL;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    if (fstat(fd, &sb) != 0) {
        int err = errno;
        close(fd);
        errno = err;
        return -1;
    }
    if (mode)
        *mode = sb.st_mode;
    int fl = S_ISREG(sb.st_mode) ? fcntl(fd, F_GETFL) : -1;
    if (!S_ISREG(sb.st_mode) || fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0 ||
        !(*f = fdopen(fd, "rb"))) {
        int err = S_ISREG(sb.st_mode) ? errno : EINVAL;
        close(fd);
        errno = err;
        return -1;
    }
    return 0;
}

/* What a file that is not a regular file is, for messages. */
static const char *kind_of(mode_t m)
{
    if (S_ISDIR(m))
        return "a directory";
    if (S_ISFIFO(m))
        return "a FIFO";
    if (S_ISCHR(m) || S_ISBLK(m))
        return "a device";
    if (S_ISSOCK(m))
        return "a socket";
    return "not a regular file";
}

/* Reports a failed open_regular of path; returns the exit code. */
static int open_failed(const char *path, const char *what, mode_t mode)
{
    int err = errno;
    if (err == EINVAL) {
        cli_error("%s%s is %s, not a regular file; only regular files are read", what, path,
                  kind_of(mode));
        return CLI_USAGE;
    }
    cli_error("cannot open %s%s: %s", what, path, strerror(err));
    return err == ENOENT || err == ENOTDIR || err == EISDIR ? CLI_USAGE : CLI_EIO;
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

/* Loads the signature file sp: CLI_OK; CLI_USAGE (with *absent set, no
 * message) when there is none; else prints why and returns the code. */
static int load_sig(const char *sp, cr_sig *sig, int *absent)
{
    struct stat sb;
    cr_err ce;
    *absent = 0;
    if (lstat(sp, &sb) != 0 && errno == ENOENT) {
        *absent = 1;
        return CLI_USAGE;
    }
    if (cr_sig_load(sp, sig, &ce) != CR_OK)
        return cli_report_cr(&ce);
    return CLI_OK;
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
    const inv_doc *d = &c->d;
    inv_err e = {0};
    int rc = CLI_OK;
    for (int role = 0; role < 2; role++) {
        for (int old = 0; old < 2; old++) {
            const char *want = old ? d->old_key[role] : d->key[role];
            if (!want[0])
                continue;
            char *sp = sig_path(c->stem, role, old);
            if (!sp) {
                cli_error("out of memory");
                return CLI_EIO;
            }
            cr_sig sig;
            cr_pubkey pk;
            inv_tc tc;
            int absent;
            const char *pkpath = NULL;
            const char *what = old ? "previous key" : "key";
            rc = load_sig(sp, &sig, &absent);
            if (absent) {
                printf("%s signature (%s %s): none beside the document (no %s)\n",
                       inv_roles[role], what, want, cli_basename(sp));
                rc = CLI_OK;
            } else if (rc) {
                rc = rc == CLI_EIO ? CLI_EIO : CLI_FAIL;
            } else if (!c->ring || inv_keyring_find(c->ring, want, &pk, &pkpath, &e) != INV_OK) {
                printf("%s signature (%s %s): NOT CHECKED: %s\n", inv_roles[role], what, want,
                       c->ring ? e.msg : "the directory cannot be read");
                cli_warn("the %s's signature %s is not checked: no public key file with key "
                         "id %s beside the document", inv_roles[role], cli_basename(sp), want);
            } else if (inv_doc_sig_check(d, role, old, &pk, &sig, c->now, &tc, &e) != INV_OK) {
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
                return rc;
        }
    }
    return CLI_OK;
}

/* The path of version n's document beside FILE: FILE's own name with
 * "-v<n>" for its "-v<N>" when it is named so, else the export name
 * (<stem of the contract>-v<n>.scope). malloc'd. */
static char *version_path(const cosign *c, int64_t n)
{
    const char *base = cli_basename(c->stem);
    char tail[32], stem[80];
    snprintf(tail, sizeof tail, "-v%lld", (long long)c->d.version);
    size_t bl = strlen(base), tl = strlen(tail);
    size_t keep = bl > tl && !strcmp(base + bl - tl, tail) ? bl - tl : 0;
    if (!keep)
        inv_doc_stem(c->d.contract, stem, sizeof stem);
    size_t len = strlen(c->dir) + (keep ? keep : strlen(stem)) + 48;
    char *p = malloc(len);
    if (p)
        snprintf(p, len, "%s/%.*s-v%lld.scope", c->dir, (int)(keep ? keep : strlen(stem)),
                 keep ? base : stem, (long long)n);
    return p;
}

/* Version N-1 beside the document: read, same register, signed by the
 * key signing now (or by the key a rotation at N replaces, then with a
 * note), and N follows it. Prints what was checked; returns the exit
 * code (CLI_OK to go on). */
static int check_previous(cosign *c)
{
    const inv_doc *d = &c->d;
    long long n = (long long)d->version, p = n - 1;
    const char *role = inv_roles[c->role], *other = inv_roles[!c->role];
    inv_doc prev;
    inv_err e = {0};
    int prev_parsed = 0, rc = CLI_OK;
    char *path = version_path(c, d->version - 1), *pstem = NULL, *sp = NULL;
    FILE *f = NULL;
    mode_t mode = 0;
    if (!path) {
        cli_error("out of memory");
        return CLI_EIO;
    }
    if (open_regular(path, &f, &mode) != 0) {
        if (errno != ENOENT) {
            char what[64];
            snprintf(what, sizeof what, "version %lld beside the document, ", p);
            rc = open_failed(path, what, mode);
            goto out;
        }
        if (!c->without_previous) {
            cli_error("version %lld is not beside the document (no %s): cosign checks that "
                      "version %lld is version %lld with these changes and that you signed "
                      "version %lld; put the files of the export beside it, or sign without "
                      "that check with --without-previous",
                      p, path, n, p, p);
            rc = CLI_USAGE;
            goto out;
        }
        printf("previous: version %lld NOT CHECKED (--without-previous; no %s): that version "
               "%lld is version %lld with these changes, and that the %s's key is one you "
               "signed before\n", p, cli_basename(path), n, p, other);
        cli_warn("version %lld NOT CHECKED: that version %lld is version %lld with these "
                 "changes, and that the %s's key is one you signed before",
                 p, n, p, other);
        goto out;
    }
    rc = inv_doc_read(f, path, &prev, NULL, NULL, &e);
    fclose(f);
    if (rc) {
        cli_error("version %lld beside the document does not hold: %s", p, e.msg);
        rc = rc == INV_EIO ? CLI_EIO : CLI_FAIL;
        goto out;
    }
    prev_parsed = 1;
    if (strcmp(prev.register_id, d->register_id)) {
        cli_error("%s belongs to register %s, but version %lld belongs to register %s: a "
                  "second register for one contract is a fork; refusing to sign",
                  path, prev.register_id, n, d->register_id);
        rc = CLI_FAIL;
        goto out;
    }
    if (prev.version != p) {
        cli_error("%s holds version %lld, not version %lld; refusing to sign", path,
                  (long long)prev.version, p);
        rc = CLI_FAIL;
        goto out;
    }

    /* Whose signature of N-1 anchors this one: the key signing now, when
     * it was in force at N-1; the key a rotation at N replaces, when the
     * new key signs (checked with its .pub beside the document). */
    int by_old = !c->old && d->old_key[c->role][0];
    const char *want = by_old ? d->old_key[c->role] : c->keyid;
    cr_pubkey pk = c->mine;
    const char *pkpath = NULL;
    if (by_old && (!c->ring || inv_keyring_find(c->ring, want, &pk, &pkpath, &e) != INV_OK)) {
        cli_error("version %lld replaces your key %s; its %s signature by that key cannot be "
                  "checked: %s; sign with your previous key first, or put its .pub beside the "
                  "document", n, want, role, c->ring ? e.msg : "the directory cannot be read");
        rc = CLI_FAIL;
        goto out;
    }
    cr_sig sig;
    inv_tc tc;
    int absent;
    if (!(pstem = stem_of(path)) || !(sp = sig_path(pstem, c->role, 0))) {
        cli_error("out of memory");
        rc = CLI_EIO;
        goto out;
    }
    rc = load_sig(sp, &sig, &absent);
    if (absent) {
        cli_error("version %lld (%s) carries no %s signature (no %s): you did not sign it, "
                  "so version %lld cannot be checked against what you signed; refusing to sign",
                  p, cli_basename(path), role, cli_basename(sp), n);
        rc = CLI_FAIL;
        goto out;
    }
    if (rc) {
        rc = rc == CLI_EIO ? CLI_EIO : CLI_FAIL;
        goto out;
    }
    if (inv_doc_sig_check(&prev, c->role, 0, &pk, &sig, c->now, &tc, &e) != INV_OK) {
        cli_error("version %lld (%s) does not carry a %s signature by %s key %s: %s: %s; "
                  "refusing to sign", p, cli_basename(path), role,
                  by_old ? "your previous" : "your", want, cli_basename(sp), e.msg);
        rc = CLI_FAIL;
        goto out;
    }
    rc = inv_doc_follows(path, &prev, c->file, d, &e);
    if (rc) {
        cli_error("version %lld does not follow version %lld (%s): %s; refusing to sign", n, p,
                  cli_basename(path), e.msg);
        rc = rc == INV_EIO ? CLI_EIO : CLI_FAIL;
        goto out;
    }
    char date[32];
    inv_time_format(tc.signed_at, date, sizeof date);
    printf("previous: version %lld (%s), signed by %s key %s on %s: version %lld is version "
           "%lld with the changes below\n", p, cli_basename(path),
           by_old ? "your previous" : "your", want, date, n, p);
    if (by_old) {
        printf("NOTE: version %lld replaces your key %s by %s; the signature of version %lld "
               "was checked with %s, a public key that came with the document: your new key "
               "cannot vouch for it. Signing version %lld with your previous key first "
               "(cosign %s --key OLD.key) anchors it.\n",
               n, want, c->keyid, p, cli_basename(pkpath), n, cli_basename(c->file));
    }
out:
    if (prev_parsed)
        inv_doc_free(&prev);
    free(path);
    free(pstem);
    free(sp);
    return rc;
}

/* Whether the document at path (of the same contract) carries a valid
 * signature by the key signing now and belongs to another register, or
 * is another document of the same version of this register: a fork. */
static void check_fork(cosign *c, const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        (sb.st_dev == c->st.st_dev && sb.st_ino == c->st.st_ino))
        return;
    char *pstem = stem_of(path);
    if (!pstem)
        return;
    /* A signature file by this key whose trusted comment names another
     * register, or this register and version, before reading the document
     * (then checked in full): the documents of this register's other
     * versions are never read. */
    cr_sig sigs[4];
    int have = 0, roles[4], olds[4];
    for (int role = 0; role < 2; role++) {
        for (int old = 0; old < 2; old++) {
            char *sp = sig_path(pstem, role, old);
            cr_err ce;
            inv_err te;
            inv_tc tc;
            struct stat ss;
            if (sp && stat(sp, &ss) == 0 && S_ISREG(ss.st_mode) &&
                cr_sig_load(sp, &sigs[have], &ce) == CR_OK &&
                !memcmp(sigs[have].keyid, c->mine.keyid, CR_KEYID_BYTES) &&
                inv_tc_parse(sigs[have].trusted, &tc, &te) == INV_OK &&
                (strcmp(tc.register_id, c->d.register_id) || tc.version == c->d.version)) {
                roles[have] = role;
                olds[have] = old;
                have++;
            }
            free(sp);
        }
    }
    free(pstem);
    if (!have)
        return;
    FILE *f;
    inv_doc o;
    inv_err e;
    if (open_regular(path, &f, NULL) != 0)
        return;
    int rc = inv_doc_read(f, path, &o, NULL, NULL, &e);
    fclose(f);
    if (rc)
        return;
    const inv_doc *d = &c->d;
    int other_reg = strcmp(o.register_id, d->register_id) != 0;
    int same_version = !other_reg && o.version == d->version && strcmp(o.doc_hash, d->doc_hash);
    if (o.contract && d->contract && !strcmp(o.contract, d->contract) &&
        (other_reg || same_version)) {
        for (int i = 0; i < have; i++) {
            if (inv_doc_sig_check(&o, roles[i], olds[i], &c->mine, &sigs[i], c->now, NULL,
                                  &e) != INV_OK)
                continue;
            char msg[1024];
            if (other_reg)
                snprintf(msg, sizeof msg,
                         "%s, which you signed (key %s, version %lld), belongs to register %s; "
                         "this document belongs to register %s: a second register for one "
                         "contract is a fork (two histories, either of which may be shown "
                         "later); sign only if you know why a new register was started",
                         path, c->keyid, (long long)o.version, o.register_id,
                         d->register_id);
            else
                snprintf(msg, sizeof msg,
                         "%s, which you signed (key %s), is another version %lld of register "
                         "%s with other bytes (%s, this one %s): two versions %lld are a fork",
                         path, c->keyid, (long long)o.version, o.register_id, o.doc_hash,
                         d->doc_hash, (long long)o.version);
            printf("WARNING: %s\n", msg);
            fflush(stdout);
            fprintf(stderr, "WARNING: %s\n", msg);
            break;
        }
    }
    inv_doc_free(&o);
}

/* Every other *.scope of the directory (regular files only). */
static void check_forks(cosign *c)
{
    DIR *dh = opendir(c->dir);
    if (!dh)
        return;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        size_t n = strlen(de->d_name);
        if (de->d_name[0] == '.' || n <= 6 || strcmp(de->d_name + n - 6, ".scope"))
            continue;
        size_t len = strlen(c->dir) + n + 2;
        char *path = malloc(len);
        if (!path)
            break;
        snprintf(path, len, "%s/%s", c->dir, de->d_name);
        check_fork(c, path);
        free(path);
    }
    closedir(dh);
}

static void print_header(const cosign *c)
{
    const inv_doc *d = &c->d;
    char date[32];
    inv_time_format(d->date, date, sizeof date);
    printf("document ");
    put_raw(stdout, c->file);
    printf("\n  contract: ");
    put_raw(stdout, d->contract);
    printf("\n  register: %s\n", d->register_id);
    for (int i = 0; i < 2; i++) {
        printf("  %-9s ", i ? "client:" : "provider:");
        put_raw(stdout, d->party[i]);
        printf(" (key %s%s%s)\n", d->key[i], d->old_key[i][0] ? ", replacing key " : "",
               d->old_key[i]);
    }
    printf("  version:  %lld of %s by ", (long long)d->version, date);
    put_raw(stdout, d->author);
    printf("\n  message (written by the provider's author, not checked): \"");
    put_text(stdout, d->message ? d->message : "", d->message ? strlen(d->message) : 0, 1, 1);
    printf("\"\n  previous: %s\n", d->previous[0] ? d->previous : "none (first version)");
    printf("  document: %s (%llu bytes)\n", d->doc_hash, (unsigned long long)d->size);
    printf("  items:    %lld in scope\n", (long long)d->items);
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
    if (open_regular(c.file, &f, &mode) != 0)
        return open_failed(c.file, "", mode);
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
    if (!(c.stem = stem_of(c.file)) || !(c.dir = dir_of(c.file))) {
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
    print_header(&c);
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
    if (!(sigp = outpath ? strdup(outpath) : sig_path(c.stem, c.role, c.old))) {
        cli_error("out of memory");
        rc = CLI_EIO;
        goto out;
    }
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
    check_forks(&c);

    /* The changes, read a second time and printed as they come; the bytes
     * must be those checked above. */
    printf("\nchanges in version %lld: %lld (%lld added, %lld modified, %lld removed%s)\n",
           (long long)c.d.version, (long long)c.d.changes, (long long)c.d.added,
           (long long)c.d.modified, (long long)c.d.removed,
           c.d.rekeyed ? ", and a key replacement" : "");
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
    printf("signed version %lld as the %s (%skey %s) at %s\n", (long long)c.d.version,
           inv_roles[c.role], c.old ? "previous " : "", c.keyid, now);
    printf("wrote ");
    put_raw(stdout, sigp);
    printf("\nsend it back; the register's keeper stores it with: scopereg attach ");
    put_raw(stdout, cli_basename(sigp));
    putchar('\n');
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
