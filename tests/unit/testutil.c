/* testutil.c - helpers shared by the cmocka unit tests. */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include "inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

char *tu_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *tmpl = tu_path(base && *base ? base : "/tmp", "scopereg-test-XXXXXX");
    if (!mkdtemp(tmpl)) {
        perror("mkdtemp");
        abort();
    }
    return tmpl;
}

void tu_rmtree(const char *path)
{
    char *cmd = malloc(strlen(path) + 16);
    if (!cmd)
        return;
    sprintf(cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", path);
    free(cmd);
}

char *tu_corpus(const char *rel)
{
    const char *base = getenv("SCOPEREG_CORPORA");
    if (!base || !*base)
        base = "../shared/corpora";
    char *p = tu_path(base, rel);
    if (access(p, R_OK) != 0) {
        printf("skipped: external corpus %s is absent\n", p);
        free(p);
        return NULL;
    }
    return p;
}

char *tu_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int tu_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(data, 1, len, f);
    return (fclose(f) == 0 && w == len) ? 0 : -1;
}

char *tu_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p)
        abort();
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

int64_t tu_time(const char *text)
{
    int64_t t = -1;
    inv_err e = {0};
    if (inv_time_parse(text, 0, &t, &e) != INV_OK)
        fail_msg("cannot parse '%s': %s", text, e.msg);
    return t;
}
