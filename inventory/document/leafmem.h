/*
 * leafmem.h - the leaf hashes of the last version a rendering handle
 * derived a checkpoint for, kept by item revision, so that its next
 * rendering hashes only the item blocks it has not seen (verify of many
 * versions: work/verify.c). Layer 2 (document).
 *
 * Why it is sound: an item block is rendered from its row alone (id,
 * kind, name, attributes and, in a scope-register/2 version, the row's
 * coverage columns), so within one process and one read transaction a
 * revision renders to the same bytes in every version of the same format.
 * A leaf hash is reused only for the same revision, the same id and the
 * same format; every other block is hashed. The document's own hashes
 * are always computed over the whole rendering.
 *
 * Memory: the records (revision, hash, id) live in two unlinked
 * temporary files read and written in id order: flat in the number of
 * items. Any failure of those files only turns reuse off.
 */
#ifndef SCOPEREG_LEAFMEM_H
#define SCOPEREG_LEAFMEM_H

#include <stddef.h>
#include <stdint.h>

typedef struct inv__leafmem inv__leafmem;

/* An empty memory; NULL when out of memory (the caller then renders
 * without one). Free with inv__leafmem_free. */
inv__leafmem *inv__leafmem_new(void);

/* Starts a rendering of format (1 or 2): what the last one kept is used
 * only when its format was the same. */
void inv__leafmem_begin(inv__leafmem *m, int format);

/* The leaf hash of the item block of revision rev and id (a NUL-free
 * string; the blocks come in id order), when the last rendering kept one:
 * 1 with it in hash, else 0. Cannot fail (a read error turns reuse off). */
int inv__leafmem_find(inv__leafmem *m, int64_t rev, const char *id, unsigned char hash[32]);

/* Keeps the leaf hash of this rendering's block (rev, id), in id order. */
void inv__leafmem_keep(inv__leafmem *m, int64_t rev, const char *id,
                       const unsigned char hash[32]);

/* Ends the rendering: ok, what it kept is what the next one may use;
 * else nothing is kept. */
void inv__leafmem_end(inv__leafmem *m, int ok);

/* Frees m and closes its files. NULL is allowed. */
void inv__leafmem_free(inv__leafmem *m);

#endif
