/*
 * merkle.h - Merkle trees over a version's items, as RFC 9162 section 2.1
 * defines them (the tree shape, the 0x00 leaf and 0x01 node prefixes), with
 * BLAKE2b-256 (the scope document's own hash) in place of SHA-256, so that
 * anyone can recompute a root or check a proof with `b2sum -l 256` alone. Streamed: a tree of any size is built, and the audit
 * path of one leaf extracted, in one pass over the leaves with memory
 * logarithmic in their number.
 *
 * Nothing here fails but for impossible arguments, and nothing allocates
 * except cr_merkle_prover_new (freed with cr_merkle_prover_free).
 * Exported symbols carry the prefix "cr_merkle_".
 */
#ifndef SCOPEREG_MERKLE_H
#define SCOPEREG_MERKLE_H

#include <stddef.h>
#include <stdint.h>

#define CR_MERKLE_HASH_BYTES 32
/* A path is at most one hash per level of a tree of 2^64 leaves. */
#define CR_MERKLE_MAX_PATH 64

/* Streaming BLAKE2b-256 of one leaf: BLAKE2b-256(0x00 || bytes), the
 * bytes given in as many pieces as the caller likes. */
typedef struct cr_merkle_leaf {
    unsigned char state[384] __attribute__((aligned(64)));
} cr_merkle_leaf;
void cr_merkle_leaf_init(cr_merkle_leaf *l);
void cr_merkle_leaf_update(cr_merkle_leaf *l, const void *data, size_t len);
void cr_merkle_leaf_final(cr_merkle_leaf *l, unsigned char out[CR_MERKLE_HASH_BYTES]);
/* The leaf hash of data in one call. Cannot fail. */
void cr_merkle_leaf_hash(const void *data, size_t len, unsigned char out[CR_MERKLE_HASH_BYTES]);
/* BLAKE2b-256(0x01 || left || right). Cannot fail; out may alias an input. */
void cr_merkle_node_hash(const unsigned char left[CR_MERKLE_HASH_BYTES],
                         const unsigned char right[CR_MERKLE_HASH_BYTES],
                         unsigned char out[CR_MERKLE_HASH_BYTES]);

/* The root of the tree over the leaf hashes added so far: the roots of
 * the perfect subtrees their count decomposes into, at most 64. */
typedef struct cr_merkle_tree {
    uint64_t size;
    int depth;
    unsigned char level[CR_MERKLE_MAX_PATH];
    unsigned char hash[CR_MERKLE_MAX_PATH][CR_MERKLE_HASH_BYTES];
} cr_merkle_tree;
void cr_merkle_tree_init(cr_merkle_tree *t);
/* Adds the next leaf hash. Cannot fail (a tree never reaches 2^64 leaves). */
void cr_merkle_tree_add(cr_merkle_tree *t, const unsigned char leaf[CR_MERKLE_HASH_BYTES]);
/* The tree head MTH of RFC 9162: the hash of nothing for an empty tree.
 * The tree is left as it was (more leaves may follow). */
void cr_merkle_tree_root(const cr_merkle_tree *t, unsigned char out[CR_MERKLE_HASH_BYTES]);

/* The audit path of leaf `index` in a tree of `size` leaves (RFC 9162
 * PATH), from the leaf's sibling up to the root's child. */
typedef struct cr_merkle_path {
    uint64_t index, size;
    int len;
    unsigned char hash[CR_MERKLE_MAX_PATH][CR_MERKLE_HASH_BYTES];
} cr_merkle_path;

/* Extracts a path while the leaves stream by: new(index, size), add every
 * leaf hash in order, then final. */
typedef struct cr_merkle_prover cr_merkle_prover;
/* NULL when index >= size or out of memory. Free with cr_merkle_prover_free. */
cr_merkle_prover *cr_merkle_prover_new(uint64_t index, uint64_t size);
void cr_merkle_prover_free(cr_merkle_prover *p);
/* Adds the next leaf hash; returns -1 (and ignores it) past `size` leaves. */
int cr_merkle_prover_add(cr_merkle_prover *p, const unsigned char leaf[CR_MERKLE_HASH_BYTES]);
/* Once exactly `size` leaves were added: fills path, the root and the
 * leaf's own hash (either may be NULL) and returns 0; -1 when the count
 * of leaves is not `size`. */
int cr_merkle_prover_final(cr_merkle_prover *p, cr_merkle_path *path,
                           unsigned char root[CR_MERKLE_HASH_BYTES],
                           unsigned char leaf[CR_MERKLE_HASH_BYTES]);

/* Checks an inclusion proof as RFC 9162 section 2.1.3.2 does: 0 when leaf
 * is at path->index of the tree of path->size leaves whose root is root,
 * -1 otherwise (index out of range, a path of the wrong length, another
 * root). Constant-time comparison of the roots. */
int cr_merkle_verify(const unsigned char leaf[CR_MERKLE_HASH_BYTES], const cr_merkle_path *path,
                     const unsigned char root[CR_MERKLE_HASH_BYTES]);

#endif
