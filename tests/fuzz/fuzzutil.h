/*
 * fuzzutil.h - what the libFuzzer targets of scopereg share: a private
 * temporary directory and writing an input to a file in it.
 */
#ifndef SCOPEREG_FUZZUTIL_H
#define SCOPEREG_FUZZUTIL_H

#include <stddef.h>
#include <stdint.h>

/* The path of NAME in this process's temporary directory (created on first
 * use under $TMPDIR, /dev/shm when it exists, else /tmp; removed at exit).
 * The string is static: copy it to keep two paths at once. */
const char *fz_path(const char *name);
/* Writes len bytes to NAME (mode given) in the temporary directory and
 * returns its path (static, as above). Aborts on I/O errors: those are
 * the harness's, not the code under test's. */
const char *fz_write(const char *name, const uint8_t *data, size_t len, unsigned mode);
/* A NUL-terminated copy of data (malloc'd; the caller frees). */
char *fz_strndup(const uint8_t *data, size_t len);
/* Initialises libsodium once; aborts when it cannot. */
void fz_init_crypto(void);

#endif
