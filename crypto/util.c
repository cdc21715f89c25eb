/*
 * util.c - error reporting, libsodium set-up, randomness, secure memory,
 * hex/base64 helpers and file reading/writing for the crypto module.
 */
#include "crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

static atomic_int cr_oom;

int cr_oom_seen(void)
{
    return atomic_load(&cr_oom);
}

int cr_fail(cr_err *e, int code, const char *fmt, ...)
{
    if (code == CR_EIO && strstr(fmt, "out of memory"))
        atomic_store(&cr_oom, 1);
    if (!e)
        return code;
    char tmp[sizeof e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof tmp, fmt, ap); /* fmt may use e->msg as an argument */
    va_end(ap);
    memcpy(e->msg, tmp, sizeof tmp);
    e->code = code;
    return code;
}

int cr_fail_in(cr_err *e, const char *path, int code)
{
    if (!e)
        return code;
    return cr_fail(e, code, "%s: %s", path, e->msg);
}

int cr_init(cr_err *e)
{
    if (sodium_init() < 0)
        return cr_fail(e, CR_EIO, "cannot initialise libsodium");
    return CR_OK;
}

void cr_random(void *buf, size_t len)
{
    randombytes_buf(buf, len);
}

int cr_memcmp(const void *a, const void *b, size_t len)
{
    return sodium_memcmp(a, b, len) == 0 ? 0 : 1;
}

void cr_hex(char *hex, const unsigned char *bin, size_t len)
{
    sodium_bin2hex(hex, 2 * len + 1, bin, len);
}

void *cr_secure_alloc(size_t len)
{
    return sodium_malloc(len);
}

void cr_secure_free(void *p)
{
    sodium_free(p); /* wipes; NULL is a no-op */
}

int cr_next_line(const char **text, size_t *len, const char **line, size_t *linelen)
{
    if (*len == 0)
        return 0;
    const char *p = *text;
    const char *nl = memchr(p, '\n', *len);
    size_t n = nl ? (size_t)(nl - p) : *len;
    size_t adv = nl ? n + 1 : n;
    *line = p;
    /* As minisign's trim(): every CR before the line end goes, not just
     * one, so both read the same comment (and verify the same bytes). */
    while (n > 0 && p[n - 1] == '\r')
        n--;
    *linelen = n;
    *text = p + adv;
    *len -= adv;
    return 1;
}

int cr_base64_line(const char *line, size_t linelen, unsigned char *out, size_t n,
                   int lineno, cr_err *e)
{
    /* Decode into a scratch buffer larger than n so that a wrong length is
     * told apart from bad characters; it may hold key material: wiped. */
    unsigned char tmp[CR_BASE64_LINE_MAX];
    size_t got = 0;
    if (linelen == 0)
        return cr_fail(e, CR_EINPUT, "line %d: empty, expected base64 data", lineno);
    if (n > sizeof tmp - 3 || linelen > (sizeof tmp / 3) * 4)
        return cr_fail(e, CR_EINPUT, "line %d: too long for base64 data of %zu bytes", lineno,
                       n);
    /* The alphabet and padding only: libsodium 1.0.18 (Debian 12) decodes
     * any byte from 0x80 up as '/', which would let a file be altered
     * without its data changing. */
    for (size_t i = 0; i < linelen; i++) {
        unsigned char c = (unsigned char)line[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '+' || c == '/' || c == '='))
            return cr_fail(e, CR_EINPUT, "line %d: not valid base64", lineno);
    }
    int rc = sodium_base642bin(tmp, sizeof tmp, line, linelen, NULL, &got, NULL,
                               sodium_base64_VARIANT_ORIGINAL);
    if (rc != 0)
        rc = cr_fail(e, CR_EINPUT, "line %d: not valid base64", lineno);
    else if (got != n)
        rc = cr_fail(e, CR_EINPUT, "line %d: data is %zu bytes, expected %zu", lineno, got, n);
    else
        memcpy(out, tmp, n);
    sodium_memzero(tmp, sizeof tmp);
    return rc;
}

/* Whether the len bytes at s are all CR or LF (s need not end in a NUL). */
static int only_line_ends(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

int cr_parse_key_text(const char *text, size_t len, unsigned char *bin, size_t n,
                      int *b64_lineno, cr_err *e)
{
    const char *line;
    size_t linelen;
    int lineno = 1;
    if (!cr_next_line(&text, &len, &line, &linelen))
        return cr_fail(e, CR_EINPUT, "empty, expected a minisign key");
    if (linelen >= CR_UNTRUSTED_PREFIX_LEN &&
        memcmp(line, CR_UNTRUSTED_PREFIX, CR_UNTRUSTED_PREFIX_LEN) == 0) {
        if (!cr_next_line(&text, &len, &line, &linelen))
            return cr_fail(e, CR_EINPUT, "line 2: missing, expected the base64 key");
        lineno = 2;
    } else if (len > 0 && !only_line_ends(text, len)) {
        /* Several lines, so line 1 was meant as the comment. */
        return cr_fail(e, CR_EINPUT, "line 1: does not start with \"%s\"", CR_UNTRUSTED_PREFIX);
    }
    int rc = cr_base64_line(line, linelen, bin, n, lineno, e);
    if (rc != CR_OK)
        return rc;
    if (b64_lineno)
        *b64_lineno = lineno;
    while (cr_next_line(&text, &len, &line, &linelen)) {
        lineno++;
        if (linelen > 0) {
            sodium_memzero(bin, n);
            return cr_fail(e, CR_EINPUT, "line %d: unexpected data after the key", lineno);
        }
    }
    return CR_OK;
}

void cr_alg_name(char out[3], const unsigned char alg[2])
{
    for (int i = 0; i < 2; i++)
        out[i] = (alg[i] >= 0x21 && alg[i] < 0x7f) ? (char)alg[i] : '?';
    out[2] = '\0';
}

void cr_base64(char *out, size_t outlen, const unsigned char *bin, size_t len)
{
    if (outlen < sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL)) {
        if (outlen > 0)
            out[0] = '\0';
        return;
    }
    sodium_bin2base64(out, outlen, bin, len, sodium_base64_VARIANT_ORIGINAL);
}

/* Reads fd to EOF into buf (cap bytes); *len gets the count. Returns
 * CR_OK, CR_EINPUT when more than cap bytes are there, CR_EIO on error. */
static int read_all(int fd, char *buf, size_t cap, size_t *len)
{
    size_t n = 0;
    for (;;) {
        if (n == cap) {
            char extra;
            ssize_t r;
            do
                r = read(fd, &extra, 1);
            while (r < 0 && errno == EINTR);
            if (r < 0)
                return CR_EIO;
            *len = n;
            return r == 0 ? CR_OK : CR_EINPUT;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            return CR_EIO;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *len = n;
    return CR_OK;
}

/* Opens a file the user named, for reading: CR_READ_PRIVATE refuses a
 * symlink, CR_READ_REGULAR anything but a regular file. The open itself
 * never blocks (O_NONBLOCK, cleared once the file is known): a FIFO with
 * no writer is refused, not waited for. Returns the descriptor with *st
 * filled, or -1 with *rc set (CR_EINPUT for a missing path, a symlink, a
 * directory or a refused file type; CR_EIO otherwise) and e filled. */
static int open_input(const char *path, int flags, struct stat *st, int *rc, cr_err *e)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK |
                            ((flags & CR_READ_PRIVATE) ? O_NOFOLLOW : 0));
    if (fd < 0) {
        if (errno == ELOOP && (flags & CR_READ_PRIVATE))
            *rc = cr_fail(e, CR_EINPUT,
                          "%s is a symbolic link; refusing to read a secret key through it",
                          path);
        else
            *rc = cr_fail(e, errno == ENOENT || errno == ENOTDIR ? CR_EINPUT : CR_EIO,
                          "cannot open %s: %s", path, strerror(errno));
        return -1;
    }
    if (fstat(fd, st) != 0) {
        int err = errno;
        close(fd);
        *rc = cr_fail(e, CR_EIO, "cannot read %s: %s", path, strerror(err));
        return -1;
    }
    if (S_ISDIR(st->st_mode)) {
        close(fd);
        *rc = cr_fail(e, CR_EINPUT, "%s is a directory", path);
        return -1;
    }
    if ((flags & (CR_READ_REGULAR | CR_READ_PRIVATE)) && !S_ISREG(st->st_mode)) {
        close(fd);
        *rc = cr_fail(e, CR_EINPUT, "%s is not a regular file (a pipe, device or socket); "
                      "give the path of a file", path);
        return -1;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
        int err = errno;
        close(fd);
        *rc = cr_fail(e, CR_EIO, "cannot read %s: %s", path, strerror(err));
        return -1;
    }
    return fd;
}

int cr_read_file(const char *path, size_t max, char **out, size_t *len, cr_err *e)
{
    *out = NULL;
    *len = 0;
    struct stat st;
    int rc, fd = open_input(path, CR_READ_REGULAR, &st, &rc, e);
    if (fd < 0)
        return rc;
    if ((uintmax_t)st.st_size > max) {
        close(fd);
        return cr_fail(e, CR_EINPUT, "%s is too large (more than %zu bytes)", path, max);
    }
    /* Read its size plus one byte to notice growth; a file that grows
     * while it is read gets a larger buffer, up to max. */
    size_t cap = (size_t)st.st_size + 1;
    if (cap > max + 1)
        cap = max + 1;
    char *buf = malloc(cap + 1);
    size_t n = 0;
    rc = CR_OK;
    while (buf) {
        size_t got = 0;
        rc = read_all(fd, buf + n, cap - n, &got);
        n += got;
        if (rc != CR_EINPUT || cap > max)
            break;
        /* Buffer full and more to come: grow. */
        size_t ncap = cap * 2 > max + 1 ? max + 1 : cap * 2;
        char *nb = realloc(buf, ncap + 1);
        if (!nb) {
            free(buf);
            buf = NULL;
            break;
        }
        buf = nb;
        cap = ncap;
        rc = CR_OK;
    }
    int err = errno;
    close(fd);
    if (!buf)
        return cr_fail(e, CR_EIO, "out of memory reading %s", path);
    if (rc == CR_OK && n > max)
        rc = CR_EINPUT;
    if (rc != CR_OK) {
        free(buf);
        if (rc == CR_EINPUT)
            return cr_fail(e, CR_EINPUT, "%s is too large (more than %zu bytes)", path, max);
        return cr_fail(e, CR_EIO, "cannot read %s: %s", path, strerror(err));
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return CR_OK;
}

int cr_read_secret(const char *path, int flags, size_t max, char **out, size_t *len,
                   cr_err *e)
{
    *out = NULL;
    *len = 0;
    struct stat st;
    int rc, fd = open_input(path, flags, &st, &rc, e);
    if (fd < 0)
        return rc;
    if (flags & CR_READ_PRIVATE) {
        if (!S_ISREG(st.st_mode)) {
            close(fd);
            return cr_fail(e, CR_EINPUT, "%s is not a regular file", path);
        }
        if (st.st_mode & (S_IRWXG | S_IRWXO)) {
            close(fd);
            return cr_fail(e, CR_EINPUT,
                           "%s is accessible by group or others (mode %04o); "
                           "run: chmod 600 %s",
                           path, (unsigned)(st.st_mode & 07777), path);
        }
    }
    char *buf = sodium_malloc(max + 1);
    if (!buf) {
        close(fd);
        return cr_fail(e, CR_EIO, "out of secure memory reading %s", path);
    }
    size_t n = 0;
    rc = read_all(fd, buf, max, &n);
    int err = errno;
    close(fd);
    if (rc != CR_OK) {
        sodium_free(buf);
        if (rc == CR_EINPUT)
            return cr_fail(e, CR_EINPUT, "%s is too large (more than %zu bytes)", path, max);
        return cr_fail(e, CR_EIO, "cannot read %s: %s", path, strerror(err));
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return CR_OK;
}

int cr_write_fd(int fd, const void *data, size_t len)
{
    const unsigned char *p = data;
    size_t left = len;
    int err = 0;
    while (left > 0) {
        ssize_t w = write(fd, p, left);
        if (w < 0) {
            if (errno == EINTR)
                continue;
            err = errno;
            break;
        }
        p += w;
        left -= (size_t)w;
    }
    if (!err && fsync(fd) != 0 && errno != EINVAL)
        err = errno;
    if (close(fd) != 0 && !err)
        err = errno;
    return err;
}

char *cr_temp_name(const char *path)
{
    unsigned char r[8];
    char hex[2 * sizeof r + 1];
    size_t len = strlen(path), n = len + sizeof hex + sizeof ".tmp" + 1;
    char *tmp = malloc(n);
    if (!tmp)
        return NULL;
    /* the last component cut so that the name stays within NAME_MAX
     * (255 bytes) with its ".HEX.tmp" */
    const char *slash = strrchr(path, '/');
    size_t base = len - (slash ? (size_t)(slash + 1 - path) : 0);
    size_t room = 255 - (sizeof hex - 1) - (sizeof ".tmp" - 1) - 1;
    size_t keep = len - (base > room ? base - room : 0);
    randombytes_buf(r, sizeof r);
    sodium_bin2hex(hex, sizeof hex, r, sizeof r);
    snprintf(tmp, n, "%.*s.%s.tmp", (int)keep, path, hex);
    return tmp;
}

/* Creates path afresh with mode and writes data into it; on a failed
 * write the partial file is removed. CR_EINPUT when path exists. */
static int write_new(const char *path, const void *data, size_t len, unsigned mode, cr_err *e)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, (mode_t)mode);
    if (fd < 0) {
        if (errno == EEXIST)
            return cr_fail(e, CR_EINPUT, "%s already exists; refusing to overwrite it", path);
        return cr_fail(e, CR_EIO, "cannot create %s: %s", path, strerror(errno));
    }
    int err = cr_write_fd(fd, data, len);
    if (err) {
        unlink(path);
        return cr_fail(e, CR_EIO, "cannot write %s: %s", path, strerror(err));
    }
    return CR_OK;
}

int cr_write_file(const char *path, const void *data, size_t len, unsigned mode, int force,
                  cr_err *e)
{
    /* With force, only a regular file is replaced (never a device such as
     * /dev/null, a FIFO, a directory or a symbolic link), and through a
     * new file beside it renamed over it: the new file never inherits the
     * old one's mode, and a write that fails (a full disk) leaves the old
     * file as it was. */
    struct stat st;
    if (!force || lstat(path, &st) != 0)
        return write_new(path, data, len, mode, e);
    if (!S_ISREG(st.st_mode))
        return cr_fail(e, CR_EINPUT,
                       "%s is not a regular file; --force replaces regular files only: "
                       "choose another path", path);
    char *tmp = NULL;
    for (int attempt = 0;; attempt++) {
        free(tmp);
        if (!(tmp = cr_temp_name(path)))
            return cr_fail(e, CR_EIO, "out of memory");
        cr_err sub;
        int rc = write_new(tmp, data, len, mode, &sub);
        if (rc == CR_OK)
            break;
        if (rc != CR_EINPUT || attempt == 7) { /* a name taken: draw another */
            rc = cr_fail(e, CR_EIO, "cannot replace %s (%s), which is kept as it was", path,
                         sub.msg);
            free(tmp);
            return rc;
        }
    }
    if (rename(tmp, path) != 0) {
        int err = errno;
        unlink(tmp);
        free(tmp);
        return cr_fail(e, CR_EIO, "cannot replace %s: %s", path, strerror(err));
    }
    free(tmp);
    return CR_OK;
}
