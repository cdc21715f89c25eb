/*
 * outdir_pub.c - the public key files of a plan (outdir.h), named by
 * inv_bundle_name: <stem>.ROLE.pub, or <stem>.ROLE.KEYID.pub when the
 * plain name is taken by another key of the party.
 */
#include "outdir.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Reads a regular file of the open directory (never through a link):
 * 0 with *out (malloc'd, NUL-terminated), -1 when absent, not a regular
 * file, larger than max or unreadable. */
static int read_at(int dfd, const char *name, size_t max, char **out, size_t *len)
{
    struct stat sb;
    *out = NULL;
    if (dfd < 0 || fstatat(dfd, name, &sb, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(sb.st_mode) ||
        (size_t)sb.st_size > max)
        return -1;
    int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char *buf = malloc((size_t)sb.st_size + 1);
    size_t got = 0;
    while (buf && got <= (size_t)sb.st_size) {
        ssize_t r = read(fd, buf + got, (size_t)sb.st_size + 1 - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        got += (size_t)r;
    }
    close(fd);
    if (!buf || got != (size_t)sb.st_size) {
        free(buf);
        return -1;
    }
    buf[got] = '\0';
    *out = buf;
    *len = got;
    return 0;
}

int outdir_add_pub(outdir *o, const char *stem, int role, const cr_pubkey *key, int naming)
{
    char id[CR_KEYID_HEX], name[256];
    cr_keyid_hex(key->keyid, id);
    char *text = cr_pubkey_format(key);
    if (!text) {
        cli_error("out of memory");
        return CLI_EIO;
    }
    int plain = naming != OUTDIR_PUB_KEYID;
    if (inv_bundle_name(name, sizeof name, INV_FILE_PUB, stem, 0, role, NULL) < 0) {
        free(text);
        cli_error("internal error: cannot name the %s's key file", inv_roles[role]);
        return CLI_EIO;
    }
    if (naming == OUTDIR_PUB_PLAIN_IF_FREE) {
        char *there;
        size_t len;
        cr_pubkey pk;
        cr_err ce;
        if (read_at(o->dfd, name, 4096, &there, &len) == 0) {
            if ((len != strlen(text) || memcmp(there, text, len)) &&
                cr_pubkey_parse(there, len, &pk, &ce) == CR_OK &&
                memcmp(pk.keyid, key->keyid, CR_KEYID_BYTES))
                plain = 0; /* another key of this party, from another version */
            free(there);
        }
    }
    if (!plain)
        inv_bundle_name(name, sizeof name, INV_FILE_KEYID_PUB, stem, 0, role, id);
    return outdir_add(o, name, text, strlen(text), 0644);
}
