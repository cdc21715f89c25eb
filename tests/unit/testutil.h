/* testutil.h - helpers shared by the cmocka unit tests. */
#ifndef SCOPEREG_TESTUTIL_H
#define SCOPEREG_TESTUTIL_H

#include <stddef.h>

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
