/* keyring.c - the public keys (*.pub) of a directory, and listing a directory's files. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "keyring_int.h"

/* ---- public keys of a directory ---- */

typedef struct ring_key {
    char *path;
    char id[CR_KEYID_HEX];
    cr_pubkey pk;
} ring_key;

struct inv_keyring {
    char *dir;
    ring_key *v;
    size_t n, cap;
    inv_buf bad; /* "; FILE: message" for each unreadable .pub */
};

int inv__ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a > b && !strcmp(s + a - b, suffix);
}

char *inv__path_join(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (p)
        snprintf(p, n, "%s%s%s", dir, inv__ends_with(dir, "/") ? "" : "/", name);
    return p;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in dir ending with suffix, sorted; *names NULL-terminated. */
int inv__list_dir(const char *dir, const char *suffix, char ***names, size_t *count,
                    inv_err *e)
{
    DIR *d = opendir(dir);
    *names = NULL;
    *count = 0;
    if (!d && (errno == ENOMEM || errno == EMFILE || errno == ENFILE))
        return inv_fail(e, INV_EIO, "%s: cannot read the directory: %s", dir,
                        strerror(errno)); /* the machine's, not the folder's */
    if (!d)
        return inv_fail(e, INV_EINPUT, "%s: cannot read the directory: %s", dir,
                        strerror(errno));
    size_t cap = 0;
    struct dirent *de;
    int rc = INV_OK;
    while ((de = readdir(d)) != NULL) {
        if (de->d_name[0] == '.' || !inv__ends_with(de->d_name, suffix))
            continue;
        if (*count + 1 >= cap) {
            cap = cap ? cap * 2 : 16;
            char **nv = realloc(*names, cap * sizeof *nv);
            if (!nv) {
                rc = inv_fail(e, INV_EIO, "out of memory");
                break;
            }
            *names = nv;
        }
        if (!((*names)[*count] = strdup(de->d_name))) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        (*names)[++*count] = NULL;
    }
    closedir(d);
    if (!rc && *count)
        qsort(*names, *count, sizeof **names, cmp_str);
    return rc;
}

void inv__names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
}

int inv_keyring_load(const char *dir, inv_keyring **out, inv_err *e)
{
    char **names;
    size_t n;
    *out = NULL;
    int rc = inv__list_dir(dir, ".pub", &names, &n, e);
    if (rc)
        return rc;
    inv_keyring *k = calloc(1, sizeof *k);
    if (!k || !(k->dir = strdup(dir)) ||
        (n && !(k->v = calloc(n, sizeof *k->v)))) {
        inv__names_free(names, n);
        inv_keyring_free(k);
        return inv_fail(e, INV_EIO, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        cr_err ce;
        char *path = inv__path_join(dir, names[i]);
        if (!path) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        ring_key *rk = &k->v[k->n];
        struct stat sb;
        if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode)) {
            /* a FIFO or a device is never opened: it could block or act */
            inv_buf_printf(&k->bad, "; %s: not a regular file", path);
            free(path);
            continue;
        }
        if (cr_pubkey_load(path, &rk->pk, &ce) != CR_OK) {
            inv_buf_printf(&k->bad, "; %s", ce.msg);
            free(path);
            continue;
        }
        rk->path = path;
        cr_keyid_hex(rk->pk.keyid, rk->id);
        k->n++;
    }
    inv__names_free(names, n);
    if (rc) {
        inv_keyring_free(k);
        return rc;
    }
    *out = k;
    return INV_OK;
}

void inv_keyring_free(inv_keyring *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->n; i++)
        free(k->v[i].path);
    free(k->v);
    free(k->dir);
    inv_buf_free(&k->bad);
    free(k);
}

/* Sets *found to the first key of k with id keyid (NULL when none holds it); INV_FAIL
 * naming both files when two .pub files hold different keys under that id. *found
 * points into k, which keeps it. */
static int ring_scan(const inv_keyring *k, const char keyid[CR_KEYID_HEX],
                     const ring_key **found, inv_err *e)
{
    *found = NULL;
    for (size_t i = 0; i < k->n; i++) {
        const ring_key *rk = &k->v[i];
        if (strcmp(rk->id, keyid))
            continue;
        if (*found && cr_memcmp((*found)->pk.pk, rk->pk.pk, CR_PK_BYTES))
            return inv_fail(e, INV_FAIL, "%s and %s hold two different public keys with "
                            "the same key id %s", (*found)->path, rk->path, keyid);
        if (!*found)
            *found = rk;
    }
    return INV_OK;
}

int inv_keyring_find_pref(const inv_keyring *k, const char keyid[CR_KEYID_HEX],
                          int (*prefer)(const char *path, void *ctx), void *ctx,
                          cr_pubkey *pk, const char **path, inv_err *e)
{
    int rc = inv_keyring_find(k, keyid, pk, path, e);
    if (rc)
        return rc;
    for (size_t i = 0; i < k->n; i++)
        if (!strcmp(k->v[i].id, keyid) && prefer(k->v[i].path, ctx)) {
            *pk = k->v[i].pk; /* the same key: inv_keyring_find checked */
            if (path)
                *path = k->v[i].path;
            break;
        }
    return INV_OK;
}

int inv_keyring_find(const inv_keyring *k, const char keyid[CR_KEYID_HEX], cr_pubkey *pk,
                     const char **path, inv_err *e)
{
    const ring_key *found;
    int rc = ring_scan(k, keyid, &found, e);
    if (rc)
        return rc;
    if (!found)
        return inv_fail(e, INV_FAIL, "no .pub file in %s holds key %s%s%s%s", k->dir, keyid,
                        k->bad.len ? " (unreadable: " : "",
                        k->bad.len ? k->bad.data + 2 : "", k->bad.len ? ")" : "");
    *pk = found->pk;
    if (path)
        *path = found->path;
    return INV_OK;
}

int inv_keyring_conflict(const inv_keyring *k, const char keyid[CR_KEYID_HEX], inv_err *e)
{
    const ring_key *found;
    return ring_scan(k, keyid, &found, e);
}
