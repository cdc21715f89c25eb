/* beside.c - a document's neighbourhood in its folder: signatures, version N-1, forks. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "beside.h"

const char *inv_file_kind(mode_t m)
{
    return S_ISFIFO(m) ? "a FIFO" : S_ISDIR(m) ? "a directory" : S_ISCHR(m) || S_ISBLK(m)
           ? "a device" : S_ISSOCK(m) ? "a socket" : "not a regular file";
}

int inv_open_regular(const char *path, FILE **f, mode_t *mode)
{
    struct stat sb;
    *f = NULL;
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
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

const char *inv_path_base(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

char *inv_path_dir(const char *path)
{
    const char *slash = strrchr(path, '/');
    size_t n = slash ? (size_t)(slash - path) : 0;
    if (slash && n == 0)
        n = 1; /* "/x.scope" */
    char *d = malloc(n + 2);
    if (d) {
        if (slash)
            memcpy(d, path, n);
        else
            d[n++] = '.';
        d[n] = '\0';
    }
    return d;
}

char *inv_path_stem(const char *path)
{
    size_t n = strlen(path);
    if (n > 6 && !strcmp(path + n - 6, ".scope"))
        n -= 6;
    char *s = malloc(n + 1);
    if (s) {
        memcpy(s, path, n);
        s[n] = '\0';
    }
    return s;
}

static char *sig_path(const char *stem, int role, int old)
{
    size_t n = strlen(stem) + INV_BUNDLE_NAME_EXTRA;
    char *p = malloc(n);
    if (p)
        inv_bundle_name(p, n, old ? INV_FILE_OLD_SIG : INV_FILE_SIG, stem, 0, role, NULL);
    return p;
}

/* ---- a signature file ---- */

int inv_sig_beside_check(const inv_doc *d, const char *stem, int role, int old,
                         const cr_pubkey *pk, const inv_keyring *ring, int64_t now,
                         inv_sig_beside *out, inv_err *e)
{
    struct stat sb;
    memset(out, 0, sizeof *out);
    out->role = role;
    out->old = old;
    out->want = old ? d->old_key[role] : d->key[role];
    if (!(out->path = sig_path(stem, role, old)))
        return inv_fail(e, INV_EIO, "out of memory");
    const char *sp = out->path;
    if (lstat(sp, &sb) != 0) {
        if (errno == ENOENT || errno == ENOTDIR) {
            out->status = INV_BESIDE_ABSENT; /* not signed with that key (yet) */
        } else {
            out->status = INV_BESIDE_UNREADABLE;
            inv_fail(&out->err, INV_FAIL, "%s: %s", sp, strerror(errno));
        }
        return INV_OK;
    }
    if (!out->want[0]) {
        out->status = INV_BESIDE_IGNORED;
        return INV_OK;
    }
    if (stat(sp, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        /* never opened: a FIFO would block, a device could act */
        out->status = INV_BESIDE_NOT_REGULAR;
        out->kind = stat(sp, &sb) != 0 ? "a dangling link" : inv_file_kind(sb.st_mode);
        inv_fail(&out->err, INV_FAIL, "%s is %s, not a regular file; only regular files are "
                 "read", sp, out->kind);
        return INV_OK;
    }
    cr_sig sig;
    cr_err ce;
    cr_pubkey found;
    inv_tc tc;
    if (cr_sig_load(sp, &sig, &ce) != CR_OK) {
        out->status = INV_BESIDE_UNREADABLE;
        inv_fail(&out->err, ce.code == CR_EIO ? INV_EIO : INV_FAIL, "%s", ce.msg);
    } else if (!pk && !ring) {
        out->status = INV_BESIDE_NO_KEY;
        inv_fail(&out->err, INV_FAIL, "the directory cannot be read");
    } else if (!pk && inv_keyring_find(ring, out->want, &found, &out->pub_path, &out->err) !=
                          INV_OK) {
        out->status = INV_BESIDE_NO_KEY;
    } else if (inv_doc_sig_check(d, role, old, pk ? pk : &found, &sig, now, &tc, &out->err) !=
               INV_OK) {
        out->status = INV_BESIDE_BAD;
    } else {
        out->status = INV_BESIDE_VALID;
        out->signed_at = tc.signed_at;
    }
    return INV_OK;
}

void inv_sig_beside_free(inv_sig_beside *s)
{
    free(s->path);
    s->path = NULL;
}

/* ---- version N-1 ---- */

/* Where version n's document is beside file: file's own name with -v<n>
 * for its -v<N> when it is named so, else the export name. malloc'd. */
static char *version_path(const char *file, const char *dir, const inv_doc *d, int64_t n)
{
    char *fstem = inv_path_stem(file);
    if (!fstem)
        return NULL;
    const char *base = inv_path_base(fstem);
    char tail[32], stem[80];
    snprintf(tail, sizeof tail, "-v%lld", (long long)d->version);
    size_t bl = strlen(base), tl = strlen(tail);
    size_t keep = bl > tl && !strcmp(base + bl - tl, tail) ? bl - tl : 0;
    if (!keep)
        inv_doc_stem(d->contract, stem, sizeof stem);
    size_t sl = strlen(dir) + (keep ? keep : strlen(stem)) + 2;
    char *s = malloc(sl), *p = malloc(sl + INV_BUNDLE_NAME_EXTRA);
    if (s && p) {
        snprintf(s, sl, "%s/%.*s", dir, (int)(keep ? keep : strlen(stem)), keep ? base : stem);
        inv_bundle_name(p, sl + INV_BUNDLE_NAME_EXTRA, INV_FILE_SCOPE, s, n, 0, NULL);
    } else {
        free(p);
        p = NULL;
    }
    free(s);
    free(fstem);
    return p;
}

/* The checks of inv_doc_check_previous once N-1 is read (prev). */
static int previous_holds(const char *file, const inv_doc *d, const inv_doc *prev, int role,
                          const cr_pubkey *anchor, int64_t now, inv_prev_check *out,
                          inv_err *e)
{
    long long n = (long long)d->version, p = n - 1;
    const char *path = out->path, *rname = inv_roles[role];
    inv_err sub;
    if (strcmp(prev->register_id, d->register_id))
        return inv_fail(e, INV_FAIL, "%s belongs to register %s, but version %lld belongs to "
                        "register %s: a second register for one contract is a fork; refusing "
                        "to sign", path, prev->register_id, n, d->register_id);
    if (prev->version != p)
        return inv_fail(e, INV_FAIL, "%s holds version %lld, not version %lld; refusing to "
                        "sign", path, (long long)prev->version, p);
    int rc = inv_doc_self_check(path, prev, &sub);
    const char *machine = inv_machine_fault(rc, sub.msg); /* no verdict then */
    if (machine)
        return inv_fail(e, INV_EIO, "version %lld beside the document (%s) cannot be "
                        "checked: %s; nothing signed", p, inv_path_base(path), machine);
    if (rc)
        return inv_fail(e, INV_FAIL, "version %lld beside the "
                        "document (%s) does not hold: %s; refusing to sign", p,
                        inv_path_base(path), sub.msg);
    const char *pbase = inv_path_base(path);
    if (anchor) {
        /* N-1 must carry role's signature by the anchor, a key the signer
         * holds: the signer's own word that N-1 is what it agreed. */
        char *pstem = inv_path_stem(path);
        if (!pstem)
            return inv_fail(e, INV_EIO, "out of memory");
        cr_keyid_hex(anchor->keyid, out->want);
        inv_sig_beside s;
        rc = inv_sig_beside_check(prev, pstem, role, 0, anchor, NULL, now, &s, e);
        free(pstem);
        if (rc)
            return rc;
        const char *sbase = inv_path_base(s.path);
        switch (s.status) {
        case INV_BESIDE_VALID:
            out->anchored = 1;
            out->signed_at = s.signed_at;
            break;
        case INV_BESIDE_ABSENT:
            rc = inv_fail(e, INV_FAIL, "version %lld (%s) carries no %s signature (no %s): "
                          "you did not sign it, so version %lld cannot be checked against "
                          "what you signed; refusing to sign", p, pbase, rname, sbase, n);
            break;
        case INV_BESIDE_BAD:
            rc = inv_fail(e, INV_FAIL, "version %lld (%s) does not carry a %s signature by "
                          "your key %s: %s: %s; refusing to sign", p, pbase, rname, out->want,
                          sbase, s.err.msg);
            break;
        default: /* not regular, unreadable */
            rc = inv_fail(e, s.err.code == INV_EIO ? INV_EIO : INV_FAIL, "%s", s.err.msg);
            break;
        }
        inv_sig_beside_free(&s);
        if (rc)
            return rc;
    }
    rc = inv_doc_follows(path, prev, file, d, &sub);
    if (rc)
        return inv_fail(e, rc == INV_EIO ? INV_EIO : INV_FAIL, "version %lld does not follow "
                        "version %lld (%s): %s; refusing to sign", n, p, pbase, sub.msg);
    return INV_OK;
}

int inv_doc_check_previous(const char *file, const char *dir, const inv_doc *d, int role,
                           const cr_pubkey *anchor, int64_t now, inv_prev_check *out,
                           inv_err *e)
{
    long long p = (long long)d->version - 1;
    FILE *f = NULL;
    mode_t mode = 0;
    inv_doc prev;
    inv_err sub;
    memset(out, 0, sizeof *out);
    out->version = p;
    if (!(out->path = version_path(file, dir, d, p)))
        return inv_fail(e, INV_EIO, "out of memory");
    if (inv_open_regular(out->path, &f, &mode) != 0) {
        int err = errno;
        if (err == ENOENT) {
            out->absent = 1;
            return INV_OK;
        }
        if (err == EINVAL)
            return inv_fail(e, INV_EINPUT, "version %lld beside the document, %s is %s, not a "
                            "regular file; only regular files are read", p, out->path,
                            inv_file_kind(mode));
        return inv_fail(e, err == ENOTDIR || err == EISDIR ? INV_EINPUT : INV_EIO,
                        "cannot open version %lld beside the document, %s: %s", p, out->path,
                        strerror(err));
    }
    int rc = inv_doc_read(f, out->path, &prev, NULL, NULL, &sub);
    fclose(f);
    const char *machine = inv_machine_fault(rc, sub.msg); /* no verdict then */
    if (machine)
        return inv_fail(e, INV_EIO, "version %lld beside the document cannot be read: %s", p,
                        machine);
    if (rc)
        return inv_fail(e, INV_FAIL, "version %lld beside the "
                        "document does not hold: %s", p, sub.msg);
    rc = previous_holds(file, d, &prev, role, anchor, now, out, e);
    inv_doc_free(&prev);
    return rc;
}

void inv_prev_check_free(inv_prev_check *p)
{
    free(p->path);
    p->path = NULL;
}

/* ---- forks ---- */

/* Whether the document at path is a fork signed by mine; calls fn if so. */
static void check_fork(const char *path, const struct stat *self, const inv_doc *d,
                       const cr_pubkey *mine, int64_t now, inv_fork_fn fn, void *ctx)
{
    struct stat sb;
    if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) ||
        (self && sb.st_dev == self->st_dev && sb.st_ino == self->st_ino))
        return;
    char *pstem = inv_path_stem(path);
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
                !memcmp(sigs[have].keyid, mine->keyid, CR_KEYID_BYTES) &&
                inv_tc_parse(sigs[have].trusted, &tc, &te) == INV_OK &&
                (strcmp(tc.register_id, d->register_id) || tc.version == d->version)) {
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
    if (inv_open_regular(path, &f, NULL) != 0)
        return;
    int rc = inv_doc_read(f, path, &o, NULL, NULL, &e);
    fclose(f);
    if (rc)
        return;
    /* The same register and version with other bytes is a fork whatever
     * the contract says; another register is one when it names the same
     * contract or the same two parties' keys. */
    int other_reg = strcmp(o.register_id, d->register_id) != 0;
    int same_version = !other_reg && o.version == d->version && strcmp(o.doc_hash, d->doc_hash);
    int related = (o.contract && d->contract && !strcmp(o.contract, d->contract)) ||
                  (!strcmp(o.key[0], d->key[0]) && !strcmp(o.key[1], d->key[1]));
    if (same_version || (other_reg && related)) {
        for (int i = 0; i < have; i++) {
            if (inv_doc_sig_check(&o, roles[i], olds[i], mine, &sigs[i], now, NULL, &e) !=
                INV_OK)
                continue;
            inv_fork fk = {path, other_reg, o.version, o.register_id, o.doc_hash};
            fn(ctx, &fk);
            break;
        }
    }
    inv_doc_free(&o);
}

void inv_doc_forks(const char *dir, const struct stat *self, const inv_doc *d,
                   const cr_pubkey *mine, int64_t now, inv_fork_fn fn, void *ctx)
{
    DIR *dh = opendir(dir);
    if (!dh)
        return;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        size_t n = strlen(de->d_name);
        if (de->d_name[0] == '.' || n <= 6 || strcmp(de->d_name + n - 6, ".scope"))
            continue;
        size_t len = strlen(dir) + n + 2;
        char *path = malloc(len);
        if (!path)
            break;
        snprintf(path, len, "%s/%s", dir, de->d_name);
        check_fork(path, self, d, mine, now, fn, ctx);
        free(path);
    }
    closedir(dh);
}
