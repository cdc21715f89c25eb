/*
 * fuzzutil.c - temporary files and set-up shared by the fuzz targets.
 */
#include "fuzzutil.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "crypto.h"

static char dir[512];

static void remove_dir(void)
{
    char cmd[600];
    if (!dir[0])
        return;
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "fuzz: could not remove %s\n", dir);
}

const char *fz_path(const char *name)
{
    static char path[1024];
    if (!dir[0]) {
        const char *base = getenv("TMPDIR");
        struct stat st;
        if (!base || !*base)
            base = stat("/dev/shm", &st) == 0 && S_ISDIR(st.st_mode) ? "/dev/shm" : "/tmp";
        snprintf(dir, sizeof dir, "%s/scopereg-fuzz.XXXXXX", base);
        if (!mkdtemp(dir)) {
            perror("fuzz: mkdtemp");
            abort();
        }
        atexit(remove_dir);
    }
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return path;
}

const char *fz_write(const char *name, const uint8_t *data, size_t len, unsigned mode)
{
    const char *path = fz_path(name);
    unlink(path);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, (mode_t)mode);
    if (fd < 0) {
        perror("fuzz: open");
        abort();
    }
    if (fchmod(fd, (mode_t)mode) != 0) {
        perror("fuzz: fchmod");
        abort();
    }
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w <= 0) {
            perror("fuzz: write");
            abort();
        }
        data += w;
        len -= (size_t)w;
    }
    close(fd);
    return path;
}

char *fz_strndup(const uint8_t *data, size_t len)
{
    char *s = malloc(len + 1);
    if (!s)
        abort();
    memcpy(s, data, len);
    s[len] = '\0';
    return s;
}

void fz_init_crypto(void)
{
    static int done;
    cr_err e;
    if (!done && cr_init(&e) != CR_OK) {
        fprintf(stderr, "fuzz: %s\n", e.msg);
        abort();
    }
    done = 1;
}
