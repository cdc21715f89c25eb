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

/* ---- A register for the tests (one fixture for every unit test file) ---- */

#include <stdarg.h>

#include "crypto.h"
#include "inventory.h"

/* Two fixed public keys: minisign's own (jedisct1/minisign README) and one
 * made by 'scopereg keygen'. Fixed, so the key ids in documents are known. */
#define TU_PK_A_B64 "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3"
#define TU_PK_A_ID "E7620F1842B4E81F"
#define TU_PK_B_B64 "RWSO/6srTaM8iHr2B44Or/TD7hw/u/iMbET6azLIJQbrPXo/m6tFWANN"
#define TU_PK_B_ID "883CA34D2BABFF8E"

/* How tu_reg_setup makes the register; a NULL spec means TU_REG_DEFAULT. */
typedef struct tu_reg_spec {
    const char *file;       /* file name in the temporary directory */
    const char *contract;
    const char *provider_name;
    const char *client_name;
    const char *created;    /* a date inv_time_parse accepts */
    int fresh_keys;         /* 1: two fresh key pairs (sk[] set); 0: the fixed keys above */
} tu_reg_spec;

/* The default: scope.db, "ACME-2026-01", Helvetia IT SA (TU_PK_A) and
 * ACME SA (TU_PK_B), created 2026-01-05T08:00:00Z. */
extern const tu_reg_spec TU_REG_DEFAULT;

/* A register open for writing in its own temporary directory. */
typedef struct tu_reg {
    char *dir, *path;
    inv_register *r;
    cr_seckey *sk[2]; /* provider, client; NULL with the fixed keys */
    cr_pubkey pk[2];  /* provider, client */
    const void *arg;  /* what *state held before the setup (a case of a table), if any */
} tu_reg;

/* cmocka setup: creates and opens the register spec describes, puts the
 * tu_reg in *state. Returns -1 (after printing why) on failure. */
int tu_reg_setup(void **state, const tu_reg_spec *spec);
/* cmocka setup with TU_REG_DEFAULT. */
int tu_reg_setup_default(void **state);
/* cmocka teardown: closes the register, removes its directory, frees all. */
int tu_reg_teardown(void **state);
/* Closes and opens the register again for writing; fails the test on error. */
void tu_reg_reopen(tu_reg *f);

/* Parses a base64 minisign public key; fails the test on error. */
void tu_parse_pk(const char *b64, cr_pubkey *pk);

/* Builds an item: id, kind (any alias), name (NULL: empty), then key, value
 * pairs ending with NULL; fails the test when inv_item_set refuses. The
 * caller frees it with inv_item_free. */
void tu_item_make(inv_item *it, const char *id, const char *kind, const char *name, ...);
/* tu_item_make, then inv_stage_add; fails the test on refusal. */
void tu_stage_add(inv_register *r, const char *id, const char *kind, const char *name, ...);
/* Loads the current state of id, applies key, value pairs (value NULL:
 * unset) ending with NULL, stages the edit; fails the test on refusal. */
void tu_stage_edit(inv_register *r, const char *id, ...);
/* Number of staged changes. */
int64_t tu_staged_count(inv_register *r);
/* Commits the staged changes at date; returns the new version number. */
int64_t tu_commit(inv_register *r, const char *date, const char *author, const char *msg);
/* The document of version n, malloc'd and NUL-terminated (no NUL inside). */
char *tu_render(inv_register *r, int64_t n);

/* A list of changes formatted with inv_change_format, one per line. */
typedef struct tu_changes {
    inv_buf text;
    int n;
} tu_changes;
/* An inv_change callback appending to a tu_changes (ctx). */
int tu_change_log(void *ctx, const inv_change *c);
/* The staged changes as inv_change_format writes them; malloc'd, never NULL. */
char *tu_staged_text(inv_register *r);

/* The three versions the document, diff, resolve and verify tests use:
 * v1 2026-01-10T09:00:00Z (5 items), v2 2026-02-01T10:00:00Z (edits, a
 * kind change, a removal, an addition), v3 2026-03-01T08:00:00Z. */
void tu_build_history(inv_register *r);

/* Number of entries in dir other than . and .. */
int tu_dir_entries(const char *dir);

#endif
