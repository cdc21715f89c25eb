/* test_merkle.c - unit tests of crypto/merkle.c: RFC 9162 tree heads (with
 * BLAKE2b-256) against vectors of an independent implementation and a
 * direct recursive rendering of the RFC's definitions, every audit path of
 * small trees, and tampered proofs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "merkle.h"

/* The eight leaves of the RFC 6962/9162 reference test vectors (hex), and
 * their tree heads for 1 to 8 leaves with BLAKE2b-256 in place of SHA-256,
 * computed by an independent implementation (Python's hashlib):
 *   H = lambda b: hashlib.blake2b(b, digest_size=32).digest()
 *   mth([]) = H(b''); mth([d]) = H(b'\x00' + d);
 *   mth(D) = H(b'\x01' + mth(D[:k]) + mth(D[k:])), k the largest power of
 *   2 below len(D). */
static const char *const leaves_hex[8] = {
    "", "00", "10", "2021", "3031", "40414243", "5051525354555657",
    "606162636465666768696a6b6c6d6e6f"};
static const char *const roots_hex[8] = {
    "03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314",
    "607844f4b0299f5c45d63dd035de1f8d697711c7f092b8fa82325f670f6d386a",
    "6ee5d7ded74104b2316b73f9843e14d16d9c5f553a39cbd7da7c3c8238fe0b0e",
    "dad1013557a71536d36ab10db2ea4847bed7ded78aa9d2682ffc0e221e758444",
    "a69507075082f2f7bd0e3e23bd31d7082c4c78ce98d87d897f7990eecf7d6ec5",
    "76840409bd8cc8be20c053d9569472d0bbea7b4f483cd5ae0624ef253c64f227",
    "ae8349a901b95ac305157e4ff4f5cf486653fed085ea4dd59a59c9375682933e",
    "59cc7108743d34853ea37ea07558da3407712c7f0fdb76e59753eb243e0c438e"};

static void hex(const unsigned char *b, char out[65])
{
    sodium_bin2hex(out, 65, b, 32);
}

static void leaf_of(size_t i, unsigned char out[32])
{
    unsigned char data[64];
    size_t len = 0;
    if (i < 8) {
        assert_int_equal(sodium_hex2bin(data, sizeof data, leaves_hex[i], strlen(leaves_hex[i]),
                                        NULL, &len, NULL),
                         0);
    } else {
        len = (size_t)snprintf((char *)data, sizeof data, "item: LEAF-%zu\n", i);
    }
    cr_merkle_leaf_hash(data, len, out);
}

/* RFC 9162's MTH, written as the RFC states it, over leaf hashes. */
static void mth(unsigned char (*l)[32], size_t n, unsigned char out[32])
{
    if (n == 0) {
        crypto_generichash(out, 32, (const unsigned char *)"", 0, NULL, 0);
        return;
    }
    if (n == 1) {
        memcpy(out, l[0], 32);
        return;
    }
    size_t k = 1;
    while (k * 2 < n)
        k *= 2;
    unsigned char a[32], b[32], buf[65];
    mth(l, k, a);
    mth(l + k, n - k, b);
    buf[0] = 1;
    memcpy(buf + 1, a, 32);
    memcpy(buf + 33, b, 32);
    crypto_generichash(out, 32, buf, sizeof buf, NULL, 0);
}

static void test_vectors(void **state)
{
    (void)state;
    char h[65];
    unsigned char l[32], root[32];
    cr_merkle_tree t;
    cr_merkle_tree_init(&t);
    cr_merkle_tree_root(&t, root);
    hex(root, h);
    assert_string_equal(h, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    for (size_t n = 0; n < 8; n++) {
        leaf_of(n, l);
        cr_merkle_tree_add(&t, l);
        cr_merkle_tree_root(&t, root);
        hex(root, h);
        assert_string_equal(h, roots_hex[n]);
    }
    assert_int_equal(t.size, 8);
}

/* Streamed leaf hashing gives the one-call hash whatever the pieces. */
static void test_leaf_pieces(void **state)
{
    (void)state;
    const char *block = "item: SRV-01\n  kind: server\n  name: File server\n";
    unsigned char a[32], b[32];
    cr_merkle_leaf_hash(block, strlen(block), a);
    cr_merkle_leaf l;
    cr_merkle_leaf_init(&l);
    for (const char *p = block; *p; p++)
        cr_merkle_leaf_update(&l, p, 1);
    cr_merkle_leaf_final(&l, b);
    assert_memory_equal(a, b, 32);
    /* the 0x00 prefix is there: not the plain hash of the block */
    crypto_generichash(b, 32, (const unsigned char *)block, strlen(block), NULL, 0);
    assert_memory_not_equal(a, b, 32);
}

/* Every tree up to 70 leaves: the streamed head is MTH, and the path of
 * every leaf verifies, and fails once any part of it is changed. */
static void test_paths(void **state)
{
    (void)state;
    enum { MAX = 70 };
    unsigned char (*l)[32] = malloc(MAX * 32);
    assert_non_null(l);
    for (size_t i = 0; i < MAX; i++)
        leaf_of(i, l[i]);
    for (uint64_t n = 1; n <= MAX; n++) {
        unsigned char want[32];
        mth(l, n, want);
        cr_merkle_tree t;
        cr_merkle_tree_init(&t);
        for (uint64_t i = 0; i < n; i++)
            cr_merkle_tree_add(&t, l[i]);
        unsigned char root[32];
        cr_merkle_tree_root(&t, root);
        assert_memory_equal(root, want, 32);
        for (uint64_t m = 0; m < n; m++) {
            cr_merkle_prover *p = cr_merkle_prover_new(m, n);
            assert_non_null(p);
            for (uint64_t i = 0; i < n; i++)
                assert_int_equal(cr_merkle_prover_add(p, l[i]), 0);
            assert_int_equal(cr_merkle_prover_add(p, l[0]), -1); /* one too many */
            cr_merkle_path path;
            unsigned char r2[32], leaf[32];
            assert_int_equal(cr_merkle_prover_final(p, &path, r2, leaf), 0);
            cr_merkle_prover_free(p);
            assert_memory_equal(r2, want, 32);
            assert_memory_equal(leaf, l[m], 32);
            assert_int_equal(cr_merkle_verify(l[m], &path, want), 0);
            /* another leaf, another index, another size, a flipped bit */
            if (n > 1) {
                assert_int_equal(cr_merkle_verify(l[(m + 1) % n], &path, want), -1);
                cr_merkle_path q = path;
                q.index = (m + 1) % n;
                assert_int_equal(cr_merkle_verify(l[m], &q, want), -1);
                q = path;
                q.hash[q.len - 1][0] ^= 1;
                assert_int_equal(cr_merkle_verify(l[m], &q, want), -1);
                q = path;
                q.len--;
                assert_int_equal(cr_merkle_verify(l[m], &q, want), -1);
            }
            /* (A path alone does not bind the tree size: the signed
             * checkpoint that carries the root states it.) */
            cr_merkle_path q = path;
            q.index = n; /* out of range */
            assert_int_equal(cr_merkle_verify(l[m], &q, want), -1);
        }
    }
    free(l);
}

static void test_prover_bad_args(void **state)
{
    (void)state;
    assert_null(cr_merkle_prover_new(3, 3));
    assert_null(cr_merkle_prover_new(0, 0));
    cr_merkle_prover *p = cr_merkle_prover_new(1, 4);
    assert_non_null(p);
    unsigned char l[32] = {0};
    cr_merkle_prover_add(p, l);
    /* too few leaves */
    assert_int_equal(cr_merkle_prover_final(p, NULL, NULL, NULL), -1);
    cr_merkle_prover_free(p);
}

int main(void)
{
    if (sodium_init() < 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors),
        cmocka_unit_test(test_leaf_pieces),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_prover_bad_args),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
