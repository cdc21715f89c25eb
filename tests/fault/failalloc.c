/* failalloc.c - an LD_PRELOAD library that makes one allocation fail, for
 * the out-of-memory sweep of tests/e2e/t_oom.sh.
 *
 * SCOPEREG_FAIL_ALLOC=N makes the N-th call (from 1) to malloc, calloc or
 * realloc return NULL with errno ENOMEM; every other call is served by
 * glibc. SCOPEREG_COUNT_ALLOC=FILE writes, at exit, the number of calls
 * made into FILE, so a sweep knows how far to go. Neither set: a plain
 * pass-through. Counting is per process and not thread-safe by design:
 * the sweep's commands run their allocations on one thread or tolerate a
 * count that moves by one between runs (the sweep only needs each N to
 * hit some allocation). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

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

__attribute__((destructor)) static void failalloc_report(void)
{
    const char *path = getenv("SCOPEREG_COUNT_ALLOC");
    FILE *f;
    if (path && *path && (f = fopen(path, "w"))) {
        fprintf(f, "%ld\n", calls);
        fclose(f);
    }
}
