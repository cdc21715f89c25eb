/*
 * floorbench.c - times the hashing a scope document requires of whoever
 * checks or signs it, on the document alone: its BLAKE2b-256 (the hash a
 * version records), its BLAKE2b-512 prehash (what a minisign signature
 * covers), the leaf hash of every item block and the RFC 9162 tree over
 * them (the checkpoint's root), with the project's own hashing
 * (crypto/). Built with the project for tests/bench/run.sh, which adds
 * these figures to one read of the rows to print the floor of each line
 * (docs/PERFORMANCE.md); not a test.
 *
 *   floorbench [-r RUNS] DOCUMENT
 *
 * Reads DOCUMENT into memory, then for each part takes the smallest CPU
 * time of RUNS runs (default 3) and prints one line:
 *     hash256 S  prehash S  leaves S  tree S  items N  root HEX
 * (seconds of CPU time; the root in hex, for run.sh to compare with the
 * version's checkpoint: the item blocks found are the leaves scopereg
 * hashes). An item block is a line "item: ..." after a blank line, up to
 * the next blank line (docs/FORMAT.md). Exit 0, 2 on bad usage, 3 when
 * the file cannot be read or holds no item.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "crypto.h"
#include "merkle.h"

typedef struct leaf {
    size_t at, len;
} leaf;

static double now_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* The first k bytes at s in p..end, or NULL (memmem is not C11). */
static const char *find(const char *p, const char *end, const char *s, size_t k)
{
    while ((size_t)(end - p) >= k && (p = memchr(p, s[0], (size_t)(end - p - (ptrdiff_t)k + 1)))) {
        if (!memcmp(p, s, k))
            return p;
        p++;
    }
    return NULL;
}

/* The item blocks of doc (n bytes) into *out (malloc'd), their number in
 * *count. -1 when out of memory. */
static int find_leaves(const char *doc, size_t n, leaf **out, size_t *count)
{
    size_t cap = 1024, k = 0;
    leaf *v = malloc(cap * sizeof *v);
    if (!v)
        return -1;
    static const char mark[] = "\n\nitem: ";
    const char *p = doc, *end = doc + n;
    while ((p = find(p, end, mark, sizeof mark - 1)) != NULL) {
        const char *start = p + 2;
        const char *stop = find(start, end, "\n\n", 2);
        stop = stop ? stop + 1 : end;
        if (k == cap) {
            leaf *nv = realloc(v, (cap *= 2) * sizeof *nv);
            if (!nv) {
                free(v);
                return -1;
            }
            v = nv;
        }
        v[k++] = (leaf){(size_t)(start - doc), (size_t)(stop - start)};
        p = stop - 1; /* its last LF and the blank line: the next block's mark */
    }
    *out = v;
    *count = k;
    return 0;
}

int main(int argc, char **argv)
{
    int runs = 3, opt;
    while ((opt = getopt(argc, argv, "r:")) != -1) {
        if (opt != 'r' || (runs = atoi(optarg)) < 1) {
            fprintf(stderr, "usage: floorbench [-r RUNS] DOCUMENT\n");
            return 2;
        }
    }
    if (optind + 1 != argc) {
        fprintf(stderr, "usage: floorbench [-r RUNS] DOCUMENT\n");
        return 2;
    }
    cr_err ce;
    if (cr_init(&ce) != CR_OK) {
        fprintf(stderr, "floorbench: cannot start libsodium\n");
        return 3;
    }
    FILE *f = fopen(argv[optind], "rb");
    if (!f) {
        perror(argv[optind]);
        return 3;
    }
    size_t cap = 1 << 20, n = 0, got;
    char *doc = malloc(cap);
    while (doc && (got = fread(doc + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nd = realloc(doc, cap *= 2);
            if (!nd) {
                free(doc);
                doc = NULL;
            }
            doc = nd;
        }
    }
    fclose(f);
    leaf *lv = NULL;
    size_t nl = 0;
    if (!doc || find_leaves(doc, n, &lv, &nl) || nl == 0) {
        fprintf(stderr, "floorbench: %s: %s\n", argv[optind],
                doc ? "no item block (or out of memory)" : "out of memory");
        free(doc);
        return 3;
    }
    unsigned char (*hashes)[CR_MERKLE_HASH_BYTES] = malloc(nl * sizeof *hashes);
    if (!hashes) {
        fprintf(stderr, "floorbench: out of memory\n");
        return 3;
    }
    double best[4] = {1e9, 1e9, 1e9, 1e9};
    unsigned char root[CR_MERKLE_HASH_BYTES], d32[CR_HASH_BYTES], d64[CR_PREHASH_BYTES];
    for (int r = 0; r < runs; r++) {
        double t0 = now_cpu();
        cr_hash h;
        cr_hash_init(&h);
        cr_hash_update(&h, doc, n);
        cr_hash_final(&h, d32);
        double t1 = now_cpu();
        cr_prehash p;
        cr_prehash_init(&p);
        cr_prehash_update(&p, doc, n);
        cr_prehash_final(&p, d64);
        double t2 = now_cpu();
        for (size_t i = 0; i < nl; i++)
            cr_merkle_leaf_hash(doc + lv[i].at, lv[i].len, hashes[i]);
        double t3 = now_cpu();
        cr_merkle_tree t;
        cr_merkle_tree_init(&t);
        for (size_t i = 0; i < nl; i++)
            cr_merkle_tree_add(&t, hashes[i]);
        cr_merkle_tree_root(&t, root);
        double t4 = now_cpu();
        double d[4] = {t1 - t0, t2 - t1, t3 - t2, t4 - t3};
        for (int k = 0; k < 4; k++)
            if (d[k] < best[k])
                best[k] = d[k];
    }
    char hex[2 * CR_MERKLE_HASH_BYTES + 1];
    cr_hex(hex, root, sizeof root);
    printf("hash256 %.3f prehash %.3f leaves %.3f tree %.3f items %zu root %s\n", best[0],
           best[1], best[2], best[3], nl, hex);
    free(hashes);
    free(lv);
    free(doc);
    return 0;
}
