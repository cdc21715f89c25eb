/*
 * document_int.h - what the files of inventory/ share about rendering
 * scope documents and nobody outside sees: rendering a version that need
 * not be stored yet, with what the rendering saw, into a sink or into
 * both digests. Layer 2.
 */
#ifndef SCOPEREG_DOCUMENT_INT_H
#define SCOPEREG_DOCUMENT_INT_H

#include "document.h"
#include "store_int.h"
#include "checkpoint.h"

/* What a rendering saw; strict makes it check every item as verify does.
 * For inv__render_checkpoint only: jobs, the threads its hashes run on (0
 * automatic, pipeline.h; 1 the rendering's own, when two renderings run
 * at once: work/verify.c); reuse, leaf hashes kept from the last
 * rendering on the same handle (leafmem.h; NULL: none). strict, jobs,
 * reuse and split are inputs, kept by the rendering. */
typedef struct inv__leafmem inv__leafmem;
typedef struct inv__render_stats {
    int strict;
    int jobs;
    inv__leafmem *reuse;
    /* Input, any rendering: its items section read on the caller's thread
     * and formatted on a worker with two jobs (render.c, items_split);
     * only when no consumer of the rendering uses the register. */
    int split;
    int64_t items, changes, added, removed, modified;
} inv__render_stats;

/* Steps st (columns id, kind, name, attrs), calling fn with each item it
 * reads, then finalizes st whatever happens. Returns what fn returns when
 * non-zero, INV_EIO on a database error or a malformed stored row. */
int inv__items_walk(inv_register *r, sqlite3_stmt *st, inv_item_fn fn, void *ctx, inv_err *e);
/* Renders the document of version v->number with the header fields of v
 * (which need not be stored yet: commit renders before it inserts). */
int inv__render(inv_register *r, const inv_version *v, inv_sink_fn sink, void *ctx,
                inv__render_stats *stats, inv_err *e);
/* inv__render with sink called on a second thread (inventory/document/
 * pipeline.h; one thread with --jobs 1): sink must not use the register; it
 * sees the same bytes in the same order, and is never called after this
 * returns. Fails as inv__render does, or with sink's failure. */
int inv__render_piped(inv_register *r, const inv_version *v, inv_sink_fn sink, void *ctx,
                      inv__render_stats *stats, inv_err *e);

/* inv__render, with each block also handed to block (may be NULL; sink
 * may be NULL too): one pass for both consumers. */
int inv__render_to(inv_register *r, const inv_version *v, inv_sink_fn sink, void *ctx,
                   inv_block_fn block, void *block_ctx, inv__render_stats *stats, inv_err *e);
/* Renders v into both digests (BLAKE2b-512 prehash, BLAKE2b-256 hash). */
int inv__render_digests(inv_register *r, const inv_version *v,
                        unsigned char prehash[CR_PREHASH_BYTES], char doc_hash[CR_HASH_STR_LEN],
                        inv__render_stats *stats, inv_err *e);

/* inv__render_digests that also derives the checkpoint of v into out (and
 * hands each leaf to fn, may be NULL), in the same single rendering
 * (checkpoint.c). prehash and doc_hash may be NULL. Fails as inv__render
 * does; on success the caller frees out with inv_checkpoint_free. */
int inv__render_checkpoint(inv_register *r, const inv_version *v, inv_leaf_fn fn, void *ctx,
                           unsigned char prehash[CR_PREHASH_BYTES],
                           char doc_hash[CR_HASH_STR_LEN], inv__render_stats *stats,
                           inv_checkpoint *out, inv_err *e);

/* Appends to b the bytes of item id's block in version n as its document
 * holds them ("item: ID" to the LF of its last field line, no blank line:
 * a leaf), from the rows with the writer inv__render_to uses. INV_FAIL
 * when the version holds no such item, INV_EINPUT on a malformed stored
 * row, INV_EIO on a database error or out of memory. b is the caller's. */
int inv__render_item_block(inv_register *r, int64_t n, const char *id, inv_buf *b, inv_err *e);

/* The key ids the document of version n names for the provider and the
 * client (the keys in force at n) into key (checkpoint.c). INV_EINPUT or
 * INV_EIO as inv_party_get fails. */
int inv__checkpoint_keys(inv_register *r, int64_t n, char key[2][CR_KEYID_HEX], inv_err *e);

#endif
