/* testutil.h - helpers shared by the cmocka unit tests. */
#ifndef SCOPEREG_TESTUTIL_H
#define SCOPEREG_TESTUTIL_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* With cmocka.h included first: asserts that rc is want_code, that the
 * error e (an inv_err or a cr_err) says so, and that e->msg contains want. */
#define assert_err(rc, e, want_code, want)                                               \
    do {                                                                                 \
        int rc_ = (rc);                                                                  \
        if (rc_ != (want_code) || (e)->code != (want_code) || !strstr((e)->msg, (want))) \
            fail_msg("%s:%d: expected code %d with \"%s\", got %d: \"%s\"", __FILE__,   \
                     __LINE__, (want_code), (want), rc_, (e)->msg);                      \
    } while (0)

/* Asserts that rc is 0 (INV_OK, CR_OK), printing e->msg otherwise. */
#define assert_ok(rc, e)                                                                 \
    do {                                                                                 \
        int rc_ = (rc);                                                                  \
        if (rc_ != 0)                                                                    \
            fail_msg("%s:%d: expected success, got %d: \"%s\"", __FILE__, __LINE__, rc_, \
                     (e)->msg);                                                          \
    } while (0)

/* Seconds since the epoch of a date inv_time_parse accepts; fails the
 * test when it does not. */
int64_t tu_time(const char *text);

/* Creates a fresh temporary directory; returns a malloc'd path. Aborts the
 * test program on failure. */
char *tu_tmpdir(void);
/* Removes a directory tree (best effort). */
void tu_rmtree(const char *path);
/* Path of a file under the external corpora ($SCOPEREG_CORPORA), malloc'd;
 * NULL (after printing a "skipped: ..." line) when it is absent. */
char *tu_corpus(const char *rel);
/* Reads a whole file; malloc'd, NUL-terminated; NULL on failure. */
char *tu_slurp(const char *path, size_t *len);
/* Writes data to path; returns 0 on success. */
int tu_write(const char *path, const char *data, size_t len);
/* Joins dir and name into a malloc'd path. */
char *tu_path(const char *dir, const char *name);

#endif
