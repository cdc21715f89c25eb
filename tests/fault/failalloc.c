/* failalloc.c - an LD_PRELOAD library that makes one allocation, one
 * write or one read of a file fail, for the fault sweeps of
 * tests/e2e/t_oom.sh.
 *
 * SCOPEREG_FAIL_ALLOC=N makes the N-th call (from 1) to malloc, calloc or
 * realloc return NULL with errno ENOMEM; every other call is served by
 * glibc. SCOPEREG_COUNT_ALLOC=FILE writes, at exit, the number of calls
 * made into FILE, so a sweep knows how far to go.
 *
 * SCOPEREG_FAIL_WRITE=N makes the N-th call to pwrite64, write, fsync, fdatasync
 * or ftruncate64 made through the dynamic linker (SQLite's file I/O; not
 * glibc's own stdio) fail with ENOSPC, a full disk; SCOPEREG_FAIL_READ=N
 * the N-th pread64 with EIO. SCOPEREG_COUNT_IO=FILE writes "WRITES READS"
 * at exit.
 *
 * Nothing set: a plain pass-through. Counting is per process and not
 * thread-safe by design: a sweep only needs each N to hit some call, and
 * tolerates a count that moves by one between runs of a threaded command. */
#define _GNU_SOURCE
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

/* glibc's own entry points: no dlsym, which itself allocates */
extern void *__libc_malloc(size_t size);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t size);

static long fail_at = -2; /* -2: environment not read yet; -1: never fail */
static long calls;

/* Returns 1 when this call is the one to fail. */
static int failalloc_now(void)
{
    if (fail_at == -2) {
        const char *s = getenv("SCOPEREG_FAIL_ALLOC");
        fail_at = s && *s ? strtol(s, NULL, 10) : -1;
    }
    return ++calls == fail_at;
}

void *malloc(size_t size)
{
    if (failalloc_now()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_malloc(size);
}

void *calloc(size_t n, size_t size)
{
    if (failalloc_now()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_calloc(n, size);
}

void *realloc(void *p, size_t size)
{
    if (failalloc_now()) {
        errno = ENOMEM;
        return NULL;
    }
    return __libc_realloc(p, size);
}

/* ---- file I/O, by system call (no dlsym, which allocates) ---- */

static long fail_write = -2, fail_read = -2, writes, reads;

/* Returns 1 when this write (or read) is the one to fail. */
static int failio_now(long *at, long *count, const char *var)
{
    if (*at == -2) {
        const char *s = getenv(var);
        *at = s && *s ? strtol(s, NULL, 10) : -1;
    }
    return ++*count == *at;
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    if (failio_now(&fail_write, &writes, "SCOPEREG_FAIL_WRITE")) {
        errno = ENOSPC;
        return -1;
    }
    return syscall(SYS_pwrite64, fd, buf, n, off);
}

ssize_t write(int fd, const void *buf, size_t n)
{
    if (failio_now(&fail_write, &writes, "SCOPEREG_FAIL_WRITE")) {
        errno = ENOSPC;
        return -1;
    }
    return syscall(SYS_write, fd, buf, n);
}

int fdatasync(int fd)
{
    if (failio_now(&fail_write, &writes, "SCOPEREG_FAIL_WRITE")) {
        errno = ENOSPC;
        return -1;
    }
    return (int)syscall(SYS_fdatasync, fd);
}

int fsync(int fd)
{
    if (failio_now(&fail_write, &writes, "SCOPEREG_FAIL_WRITE")) {
        errno = ENOSPC;
        return -1;
    }
    return (int)syscall(SYS_fsync, fd);
}

int ftruncate64(int fd, off_t len)
{
    if (failio_now(&fail_write, &writes, "SCOPEREG_FAIL_WRITE")) {
        errno = ENOSPC;
        return -1;
    }
    return (int)syscall(SYS_ftruncate, fd, len);
}

ssize_t pread64(int fd, void *buf, size_t n, off_t off)
{
    if (failio_now(&fail_read, &reads, "SCOPEREG_FAIL_READ")) {
        errno = EIO;
        return -1;
    }
    return syscall(SYS_pread64, fd, buf, n, off);
}

__attribute__((destructor)) static void failalloc_report(void)
{
    const char *path = getenv("SCOPEREG_COUNT_ALLOC");
    FILE *f;
    if (path && *path && (f = fopen(path, "w"))) {
        fprintf(f, "%ld\n", calls);
        fclose(f);
    }
    path = getenv("SCOPEREG_COUNT_IO");
    if (path && *path && (f = fopen(path, "w"))) {
        fprintf(f, "%ld %ld\n", writes, reads);
        fclose(f);
    }
}
