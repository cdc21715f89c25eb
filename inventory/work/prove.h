/*
 * prove.h - planning the proof folder of one item at a date (scopereg
 * prove): the version in force, the item's leaf and audit path (or its
 * neighbours' at adjacent indices), from one rendering of that version;
 * the checkpoints of versions 1 to L with their signatures; the keys.
 * The folder's format and its registerless check are document/proof.h;
 * the text of VERIFY.txt is an output (output/proof_txt.c).
 */
#ifndef SCOPEREG_PROVE_H
#define SCOPEREG_PROVE_H

#include "work.h"
#include "proof.h"

/* One leaf wanted while a version's leaves stream by (the item, or a
 * neighbour), with its audit path once the stream ends. */
typedef struct inv_tree_pass inv_tree_pass;

/* Starts a pass over a tree of size leaves, looking for id (bytewise
 * order): the leaf whose id is id, else the last leaf before it and the
 * first after it (either may be absent). NULL when out of memory; free
 * with inv_tree_pass_free. */
inv_tree_pass *inv_tree_pass_new(const char *id, uint64_t size);
void inv_tree_pass_free(inv_tree_pass *p);
/* The next leaf in order (its id unescaped, its bytes and its leaf hash).
 * -1 when out of memory or past size leaves (the pass is then spent). */
int inv_tree_pass_add(inv_tree_pass *p, const char *id, const char *data, size_t len,
                      const unsigned char hash[CR_MERKLE_HASH_BYTES]);
/* Once the size leaves were added: the root, and the leaves found (the
 * item, or before then after, those that exist) into leaf[0..*n), each
 * with its bytes (malloc'd, moved to the caller), id, hash and path,
 * every path checked against the root (cr_merkle_verify). -1 when the
 * count of leaves is not size, out of memory, or a path does not check. */
int inv_tree_pass_final(inv_tree_pass *p, unsigned char root[CR_MERKLE_HASH_BYTES],
                        inv_pf_leaf leaf[2], int *n);

/* Plans the proof folder of item id at t (at_given: t was asked; made:
 * the clock) into f: the version K in force at t (inv_in_force_at), which
 * must have a checkpoint signed by both parties by t; every version up to
 * K whose document was agreed must have an agreed checkpoint too
 * (INV_FAIL "version N has no checkpoint agreed by both parties: 'scopereg
 * sign N' and 'cosign' give it one; nothing written"); versions 1 to L (L
 * the latest with an agreed checkpoint) give their checkpoint bytes and
 * the checkpoint signatures that hold; K's leaves stream by once
 * (inv_render_blocks, memory flat in the number of items) and the root
 * they give must be the one both parties signed. INV_FAIL when no version
 * was agreed by t, or when the register does not hold (naming the version);
 * INV_EINPUT for an id that is not a valid id, or for t later than made (the
 * clock: proof.txt's made:) plus INV_CLOCK_SKEW; INV_EIO on a database error
 * or out of memory. f is filled either way: free it with
 * inv_proof_folder_free. */
int inv_prove(inv_register *r, const char *id, int64_t t, int64_t made, inv_proof_folder *f,
              inv_err *e);

#endif
