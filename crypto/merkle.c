/*
 * merkle.c - RFC 9162 Merkle trees with BLAKE2b-256 (libsodium), streamed:
 * tree heads and audit paths in one pass, inclusion proofs checked.
 */
#include "merkle.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

_Static_assert(sizeof(crypto_generichash_state) <= sizeof(cr_merkle_leaf),
               "cr_merkle_leaf too small for libsodium's BLAKE2b state");

void cr_merkle_leaf_init(cr_merkle_leaf *l)
{
    static const unsigned char prefix = 0x00;
    crypto_generichash_init((crypto_generichash_state *)l->state, NULL, 0, CR_MERKLE_HASH_BYTES);
    crypto_generichash_update((crypto_generichash_state *)l->state, &prefix, 1);
}

void cr_merkle_leaf_update(cr_merkle_leaf *l, const void *data, size_t len)
{
    crypto_generichash_update((crypto_generichash_state *)l->state, data, len);
}

void cr_merkle_leaf_final(cr_merkle_leaf *l, unsigned char out[CR_MERKLE_HASH_BYTES])
{
    crypto_generichash_final((crypto_generichash_state *)l->state, out, CR_MERKLE_HASH_BYTES);
    sodium_memzero(l, sizeof *l);
}

void cr_merkle_leaf_hash(const void *data, size_t len, unsigned char out[CR_MERKLE_HASH_BYTES])
{
    cr_merkle_leaf l;
    cr_merkle_leaf_init(&l);
    cr_merkle_leaf_update(&l, data, len);
    cr_merkle_leaf_final(&l, out);
}

void cr_merkle_node_hash(const unsigned char left[CR_MERKLE_HASH_BYTES],
                         const unsigned char right[CR_MERKLE_HASH_BYTES],
                         unsigned char out[CR_MERKLE_HASH_BYTES])
{
    unsigned char in[1 + 2 * CR_MERKLE_HASH_BYTES];
    in[0] = 0x01;
    memcpy(in + 1, left, CR_MERKLE_HASH_BYTES);
    memcpy(in + 1 + CR_MERKLE_HASH_BYTES, right, CR_MERKLE_HASH_BYTES);
    crypto_generichash(out, CR_MERKLE_HASH_BYTES, in, sizeof in, NULL, 0);
}

void cr_merkle_tree_init(cr_merkle_tree *t)
{
    memset(t, 0, sizeof *t);
}

void cr_merkle_tree_add(cr_merkle_tree *t, const unsigned char leaf[CR_MERKLE_HASH_BYTES])
{
    int d = t->depth;
    memcpy(t->hash[d], leaf, CR_MERKLE_HASH_BYTES);
    t->level[d] = 0;
    d++;
    /* Two perfect subtrees of one height side by side make one of the next. */
    while (d >= 2 && t->level[d - 1] == t->level[d - 2]) {
        cr_merkle_node_hash(t->hash[d - 2], t->hash[d - 1], t->hash[d - 2]);
        t->level[d - 2]++;
        d--;
    }
    t->depth = d;
    t->size++;
}

void cr_merkle_tree_root(const cr_merkle_tree *t, unsigned char out[CR_MERKLE_HASH_BYTES])
{
    if (t->depth == 0) {
        crypto_generichash(out, CR_MERKLE_HASH_BYTES, (const unsigned char *)"", 0, NULL, 0);
        return;
    }
    /* RFC 9162 splits at the largest power of two below the size: the
     * perfect subtrees, largest first, fold from the right. */
    unsigned char r[CR_MERKLE_HASH_BYTES];
    memcpy(r, t->hash[t->depth - 1], sizeof r);
    for (int i = t->depth - 2; i >= 0; i--)
        cr_merkle_node_hash(t->hash[i], r, r);
    memcpy(out, r, sizeof r);
}

/* One subtree whose head is a hash of the path: leaves [lo, hi). */
typedef struct range {
    uint64_t lo, hi;
    int slot; /* position in the path, 0 nearest the leaf */
    cr_merkle_tree tree;
} range;

struct cr_merkle_prover {
    uint64_t index, size, added;
    int nranges, cursor;
    range ranges[CR_MERKLE_MAX_PATH]; /* sorted by lo */
    cr_merkle_tree all;
    unsigned char leaf[CR_MERKLE_HASH_BYTES];
};

/* The subtrees of RFC 9162's PATH(m, D[lo:hi]), nearest the leaf first. */
static void collect(uint64_t lo, uint64_t hi, uint64_t m, range *out, int *n)
{
    if (hi - lo <= 1)
        return;
    uint64_t k = 1;
    while (k < (hi - lo) - k) /* largest power of two below hi - lo */
        k <<= 1;
    if (m < lo + k) {
        collect(lo, lo + k, m, out, n);
        out[*n].lo = lo + k;
        out[*n].hi = hi;
    } else {
        collect(lo + k, hi, m, out, n);
        out[*n].lo = lo;
        out[*n].hi = lo + k;
    }
    out[*n].slot = *n;
    (*n)++;
}

static int by_lo(const void *a, const void *b)
{
    const range *x = a, *y = b;
    return x->lo < y->lo ? -1 : x->lo > y->lo;
}

cr_merkle_prover *cr_merkle_prover_new(uint64_t index, uint64_t size)
{
    if (index >= size)
        return NULL;
    cr_merkle_prover *p = calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->index = index;
    p->size = size;
    collect(0, size, index, p->ranges, &p->nranges);
    if (p->nranges > 1)
        qsort(p->ranges, (size_t)p->nranges, sizeof p->ranges[0], by_lo);
    for (int i = 0; i < p->nranges; i++)
        cr_merkle_tree_init(&p->ranges[i].tree);
    cr_merkle_tree_init(&p->all);
    return p;
}

void cr_merkle_prover_free(cr_merkle_prover *p)
{
    free(p);
}

int cr_merkle_prover_add(cr_merkle_prover *p, const unsigned char leaf[CR_MERKLE_HASH_BYTES])
{
    if (p->added >= p->size)
        return -1;
    uint64_t j = p->added++;
    cr_merkle_tree_add(&p->all, leaf);
    if (j == p->index) {
        memcpy(p->leaf, leaf, CR_MERKLE_HASH_BYTES);
        return 0;
    }
    /* The ranges and the leaf tile [0, size) in order: walk forward. */
    while (p->cursor < p->nranges && j >= p->ranges[p->cursor].hi)
        p->cursor++;
    if (p->cursor < p->nranges && j >= p->ranges[p->cursor].lo)
        cr_merkle_tree_add(&p->ranges[p->cursor].tree, leaf);
    return 0;
}

int cr_merkle_prover_final(cr_merkle_prover *p, cr_merkle_path *path,
                           unsigned char root[CR_MERKLE_HASH_BYTES],
                           unsigned char leaf[CR_MERKLE_HASH_BYTES])
{
    if (p->added != p->size)
        return -1;
    if (path) {
        memset(path, 0, sizeof *path);
        path->index = p->index;
        path->size = p->size;
        path->len = p->nranges;
        for (int i = 0; i < p->nranges; i++)
            cr_merkle_tree_root(&p->ranges[i].tree, path->hash[p->ranges[i].slot]);
    }
    if (root)
        cr_merkle_tree_root(&p->all, root);
    if (leaf)
        memcpy(leaf, p->leaf, CR_MERKLE_HASH_BYTES);
    return 0;
}

int cr_merkle_verify(const unsigned char leaf[CR_MERKLE_HASH_BYTES], const cr_merkle_path *path,
                     const unsigned char root[CR_MERKLE_HASH_BYTES])
{
    if (path->index >= path->size || path->len < 0 || path->len > CR_MERKLE_MAX_PATH)
        return -1;
    uint64_t fn = path->index, sn = path->size - 1;
    unsigned char r[CR_MERKLE_HASH_BYTES];
    memcpy(r, leaf, sizeof r);
    for (int i = 0; i < path->len; i++) {
        if (sn == 0)
            return -1;
        if ((fn & 1) || fn == sn) {
            cr_merkle_node_hash(path->hash[i], r, r);
            while (!(fn & 1) && fn != 0) {
                fn >>= 1;
                sn >>= 1;
            }
        } else {
            cr_merkle_node_hash(r, path->hash[i], r);
        }
        fn >>= 1;
        sn >>= 1;
    }
    if (sn != 0)
        return -1;
    return sodium_memcmp(r, root, sizeof r) == 0 ? 0 : -1;
}
