/*
 * outdir.c - a set of files planned in full, then written into one
 * directory all together or not at all (see outdir.h).
 */
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void outdir_init(outdir *o, const char *dir)
{
    memset(o, 0, sizeof *o);
    o->dir = dir;
    o->dfd = -1;
}

void outdir_free(outdir *o)
{
    for (size_t i = 0; i < o->n; i++) {
        if (o->v[i].tmp && o->dfd >= 0)
            unlinkat(o->dfd, o->v[i].tmp, 0);
        free(o->v[i].tmp);
        free(o->v[i].name);
        free(o->v[i].data);
    }
    free(o->v);
    if (o->dfd >= 0)
        close(o->dfd);
    if (o->created && !o->committed)
        rmdir(o->dir);
    outdir_init(o, o->dir);
}

static int name_ok(const char *name)
{
    if (!name[0] || name[0] == '.')
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
              (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' || *p == '-'))
            return 0;
    return 1;
}

long outdir_find(const outdir *o, const char *name)
{
    for (size_t i = 0; i < o->n; i++)
        if (!strcmp(o->v[i].name, name))
            return (long)i;
    return -1;
}

int outdir_add(outdir *o, const char *name, char *data, size_t len, unsigned mode)
{
    if (!name_ok(name) || outdir_find(o, name) >= 0) {
        free(data);
        cli_error("internal error: output file name '%s' is not safe or planned twice", name);
        return CLI_EIO;
    }
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 16;
        outdir_file *nv = realloc(o->v, cap * sizeof *nv);
        if (!nv) {
            free(data);
            cli_error("out of memory");
            return CLI_EIO;
        }
        o->v = nv;
        o->cap = cap;
    }
    char *copy = strdup(name);
    if (!copy) {
        free(data);
        cli_error("out of memory");
        return CLI_EIO;
    }
    outdir_file *f = &o->v[o->n++];
    memset(f, 0, sizeof *f);
    f->name = copy;
    f->data = data;
    f->len = len;
    f->mode = mode;
    cr_hash_hex(data, len, f->hash);
    return CLI_OK;
}

int outdir_add_text(outdir *o, const char *name, const char *text)
{
    char *copy = strdup(text);
    if (!copy) {
        cli_error("out of memory");
        return CLI_EIO;
    }
    return outdir_add(o, name, copy, strlen(text), 0644);
}

int outdir_open(outdir *o, int flags)
{
    struct stat sb;
    int err;
    if (lstat(o->dir, &sb) != 0) {
        if (errno != ENOENT || mkdir(o->dir, 0755) != 0) {
            err = errno;
            cli_error("cannot create directory %s: %s", o->dir, strerror(err));
            return err == ENOENT || err == ENOTDIR ? CLI_USAGE : CLI_EIO;
        }
        o->created = 1;
    } else if (S_ISLNK(sb.st_mode) && (flags & OUTDIR_NOFOLLOW)) {
        cli_error("%s is a symbolic link; give the directory itself", o->dir);
        return CLI_USAGE;
    } else if (S_ISLNK(sb.st_mode) ? stat(o->dir, &sb) != 0 || !S_ISDIR(sb.st_mode)
                                   : !S_ISDIR(sb.st_mode)) {
        cli_error("%s is not a directory", o->dir);
        return CLI_USAGE;
    }
    o->dfd = open(o->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
                              ((flags & OUTDIR_NOFOLLOW) ? O_NOFOLLOW : 0));
    if (o->dfd < 0) {
        err = errno;
        cli_error("cannot open directory %s: %s", o->dir, strerror(err));
        return err == ELOOP || err == ENOTDIR ? CLI_USAGE : CLI_EIO;
    }
    if (!(flags & OUTDIR_EMPTY) || (flags & OUTDIR_FORCE) || o->created)
        return CLI_OK;
    int fd = dup(o->dfd);
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        err = errno;
        if (fd >= 0)
            close(fd);
        cli_error("cannot read directory %s: %s", o->dir, strerror(err));
        return CLI_EIO;
    }
    struct dirent *de;
    char first[256] = "";
    long count = 0;
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
            continue;
        if (!count++)
            snprintf(first, sizeof first, "%s", de->d_name);
    }
    closedir(d);
    if (count) {
        cli_error("%s is not empty (it holds %s%s); give a new or empty directory, or --force "
                  "to write into it anyway", o->dir, count == 1 ? "" : _("among others "), first);
        return CLI_USAGE;
    }
    return CLI_OK;
}

/* What a file that is not a regular file is, for messages: "a FIFO"... */
static const char *kind_of(mode_t m)
{
    if (S_ISLNK(m))
        return _("a symbolic link");
    if (S_ISDIR(m))
        return _("a directory");
    if (S_ISCHR(m))
        return _("a character device");
    if (S_ISBLK(m))
        return _("a block device");
    if (S_ISFIFO(m))
        return _("a FIFO");
    if (S_ISSOCK(m))
        return _("a socket");
    return _("not a regular file");
}

int outdir_file_name_ok(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    if (!*path) {
        cli_error("-o '': give the file to write; nothing was written");
        return CLI_USAGE;
    }
    if (!*name || !strcmp(name, ".") || !strcmp(name, "..")) {
        cli_error("-o %s names a directory: give the file to write in it; nothing was "
                  "written", path);
        return CLI_USAGE;
    }
    if (strlen(name) > NAME_MAX) {
        cli_error("-o %s: a file name is at most %d bytes; nothing was written", path,
                  NAME_MAX);
        return CLI_USAGE;
    }
    return CLI_OK;
}

int outdir_replaceable(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0) {
        int err = errno;
        if (err == ENOENT)
            return CLI_OK;
        cli_error("cannot check %s: %s", path, strerror(err));
        return err == ENOTDIR || err == ENAMETOOLONG || err == ELOOP ? CLI_USAGE : CLI_EIO;
    }
    if (S_ISREG(sb.st_mode))
        return CLI_OK;
    cli_error("%s is %s: --force replaces regular files only; remove it yourself or choose "
              "another path; nothing was written", path,
              kind_of(sb.st_mode));
    return CLI_USAGE;
}

/* Refuses (whatever force says) a planned name that the open directory
 * holds as anything but a regular file. */
static int refuse_irregular(const outdir *o, const outdir_file *f)
{
    struct stat sb;
    if (fstatat(o->dfd, f->name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || S_ISREG(sb.st_mode))
        return CLI_OK;
    cli_error("%s/%s is %s: --force replaces regular files only; remove it yourself or "
              "choose another path; nothing was written", o->dir, f->name,
              kind_of(sb.st_mode));
    return CLI_USAGE;
}

/* 1 when name in the open directory is a regular file whose bytes hash to
 * f->hash (and have its length), 0 when absent, -2 when it is not a
 * regular file, -1 otherwise. */
static int compare_existing(const outdir *o, const outdir_file *f)
{
    struct stat sb;
    if (fstatat(o->dfd, f->name, &sb, AT_SYMLINK_NOFOLLOW) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISREG(sb.st_mode))
        return -2;
    if ((size_t)sb.st_size != f->len)
        return -1;
    int fd = openat(o->dfd, f->name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    cr_hash h;
    cr_hash_init(&h);
    char buf[65536];
    size_t total = 0;
    for (;;) {
        ssize_t r = read(fd, buf, sizeof buf);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            close(fd);
            return -1;
        }
        if (r == 0)
            break;
        cr_hash_update(&h, buf, (size_t)r);
        total += (size_t)r;
    }
    close(fd);
    unsigned char bin[CR_HASH_BYTES];
    char hex[CR_HASH_STR_LEN];
    cr_hash_final(&h, bin);
    memcpy(hex, CR_HASH_PREFIX, sizeof CR_HASH_PREFIX - 1);
    cr_hex(hex + sizeof CR_HASH_PREFIX - 1, bin, CR_HASH_BYTES);
    return total == f->len && !strcmp(hex, f->hash) ? 1 : -1;
}

int outdir_check(outdir *o, int force, const char *hint)
{
    for (size_t i = 0; i < o->n; i++) {
        int st = compare_existing(o, &o->v[i]);
        o->v[i].same = st == 1;
        int rc = st == -2 ? refuse_irregular(o, &o->v[i]) : CLI_OK;
        if (rc)
            return rc;
        if (st < 0 && !force) {
            cli_error("%s/%s already exists with other content (%s)", o->dir, o->v[i].name,
                      hint);
            return CLI_USAGE;
        }
    }
    return CLI_OK;
}

/* Writes f under a fresh hidden name of the open directory. */
static int write_tmp(outdir *o, outdir_file *f)
{
    char tmp[64];
    int fd = -1;
    for (int tries = 0; fd < 0 && tries < 16; tries++) {
        unsigned char rnd[8];
        char hex[17];
        cr_random(rnd, sizeof rnd);
        cr_hex(hex, rnd, sizeof rnd);
        snprintf(tmp, sizeof tmp, ".scopereg-%s.tmp", hex);
        fd = openat(o->dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                    (mode_t)f->mode);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        cli_error("cannot create a file in %s: %s", o->dir, strerror(errno));
        return CLI_EIO;
    }
    if (!(f->tmp = strdup(tmp))) {
        close(fd);
        unlinkat(o->dfd, tmp, 0);
        cli_error("out of memory");
        return CLI_EIO;
    }
    int err = cr_write_fd(fd, f->data, f->len);
    if (err) {
        cli_error("cannot write %s/%s: %s", o->dir, f->name, strerror(err));
        return CLI_EIO; /* outdir_free removes the temporary file */
    }
    free(f->data);
    f->data = NULL;
    return CLI_OK;
}

int outdir_spill(outdir *o, int force)
{
    for (size_t i = 0; i < o->n; i++) {
        outdir_file *f = &o->v[i];
        if (f->tmp || (f->same && !force))
            continue;
        int rc = write_tmp(o, f);
        if (rc)
            return rc;
    }
    return CLI_OK;
}

int outdir_place_new(int dfd, const char *tmp, const char *name)
{
    if (linkat(dfd, tmp, dfd, name, 0) == 0) {
        unlinkat(dfd, tmp, 0);
        return 0;
    }
    if (errno == EEXIST)
        return -1;
    struct stat sb;
    if (fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) == 0) {
        errno = EEXIST;
        return -1;
    }
    return renameat(dfd, tmp, dfd, name);
}

int outdir_commit(outdir *o, int force)
{
    int rc;
    for (size_t i = 0; i < o->n; i++)
        if ((rc = refuse_irregular(o, &o->v[i])))
            return rc;
    if ((rc = outdir_spill(o, force)))
        return rc;
    for (size_t i = 0; i < o->n; i++) {
        outdir_file *f = &o->v[i];
        if (f->tmp && f->same && !force) {
            /* spilled before outdir_check found the same bytes there */
            unlinkat(o->dfd, f->tmp, 0);
            free(f->tmp);
            f->tmp = NULL;
        }
        if (!f->tmp)
            continue;
        int st = force ? renameat(o->dfd, f->tmp, o->dfd, f->name)
                       : outdir_place_new(o->dfd, f->tmp, f->name);
        if (st != 0) {
            int err = errno;
            if (err == EEXIST)
                cli_error("%s/%s appeared while the files were written; nothing was written",
                          o->dir, f->name);
            else
                cli_error("cannot write %s/%s: %s", o->dir, f->name, strerror(err));
            /* Undo: what link() placed is ours and replaced nothing. */
            for (size_t j = 0; j < i; j++)
                if (o->v[j].placed && !force)
                    unlinkat(o->dfd, o->v[j].name, 0);
            return err == EEXIST ? CLI_USAGE : CLI_EIO;
        }
        free(f->tmp);
        f->tmp = NULL;
        f->placed = 1;
    }
    if (fsync(o->dfd) != 0 && errno != EINVAL && errno != EBADF) {
        cli_error("cannot write directory %s: %s", o->dir, strerror(errno));
        return CLI_EIO;
    }
    o->committed = 1;
    return CLI_OK;
}
