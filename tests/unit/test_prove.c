/* test_prove.c - unit tests of the proof of one item: the one-pass audit
 * paths of inventory/work/prove.c against crypto/merkle.c's prover for
 * every leaf and every gap of trees of 0 to 70 leaves, the steps of
 * inv_proof_walk against cr_merkle_verify, proof.txt written and read
 * back (and refused, naming the line), and the leaf files' grammar. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory.h"
#include "proof.h"
#include "prove.h"

#define MAXN 70

/* Leaf i: the block of item "K" + 2i (three digits), so that the odd
 * numbers fall between two leaves. */
static void leaf_bytes(int i, char *buf, size_t n, char *id, size_t idn)
{
    snprintf(id, idn, "K%03d", 2 * i);
    snprintf(buf, n, "item: %s\n  kind: server\n  name: n%d\n", id, i);
}

/* The prover's path of leaf m in a tree of n leaves. */
static void prover_path(int m, int n, cr_merkle_path *path, unsigned char root[32])
{
    cr_merkle_prover *p = cr_merkle_prover_new((uint64_t)m, (uint64_t)n);
    assert_non_null(p);
    for (int i = 0; i < n; i++) {
        char buf[128], id[16];
        unsigned char h[32];
        leaf_bytes(i, buf, sizeof buf, id, sizeof id);
        cr_merkle_leaf_hash(buf, strlen(buf), h);
        assert_int_equal(cr_merkle_prover_add(p, h), 0);
    }
    assert_int_equal(cr_merkle_prover_final(p, path, root, NULL), 0);
    cr_merkle_prover_free(p);
}

/* One pass over n leaves looking for ask: the leaves it finds. */
static int one_pass(int n, const char *ask, unsigned char root[32], inv_pf_leaf leaf[2])
{
    inv_tree_pass *p = inv_tree_pass_new(ask, (uint64_t)n);
    int found = -1;
    assert_non_null(p);
    for (int i = 0; i < n; i++) {
        char buf[128], id[16];
        unsigned char h[32];
        leaf_bytes(i, buf, sizeof buf, id, sizeof id);
        cr_merkle_leaf_hash(buf, strlen(buf), h);
        assert_int_equal(inv_tree_pass_add(p, id, buf, strlen(buf), h), 0);
    }
    assert_int_equal(inv_tree_pass_final(p, root, leaf, &found), 0);
    inv_tree_pass_free(p);
    return found;
}

static void same_path(const inv_pf_leaf *l, int m, int n)
{
    cr_merkle_path want;
    unsigned char root[32];
    char buf[128], id[16];
    prover_path(m, n, &want, root);
    assert_int_equal(l->path.index, (uint64_t)m);
    assert_int_equal(l->path.size, (uint64_t)n);
    assert_int_equal(l->path.len, want.len);
    assert_memory_equal(l->path.hash, want.hash, (size_t)want.len * 32);
    leaf_bytes(m, buf, sizeof buf, id, sizeof id);
    assert_string_equal(l->id, id);
    assert_int_equal(l->len, strlen(buf));
    assert_memory_equal(l->data, buf, l->len);
    unsigned char top[32];
    assert_int_equal(inv_proof_walk(l->hash, &l->path, NULL, NULL, top), 0);
    assert_memory_equal(top, root, 32);
}

static void free_leaves(inv_pf_leaf *leaf, int n)
{
    for (int i = 0; i < n; i++) {
        free(leaf[i].data);
        free(leaf[i].id);
    }
}

/* Every leaf of every tree up to MAXN leaves: its path is the prover's. */
static void test_pass_presence(void **state)
{
    (void)state;
    for (int n = 1; n <= MAXN; n++) {
        for (int m = 0; m < n; m++) {
            char ask[16];
            unsigned char root[32], want_root[32];
            inv_pf_leaf leaf[2];
            cr_merkle_path ignored;
            snprintf(ask, sizeof ask, "K%03d", 2 * m);
            assert_int_equal(one_pass(n, ask, root, leaf), 1);
            assert_int_equal(leaf[0].kind, INV_PF_ITEM);
            prover_path(m, n, &ignored, want_root);
            assert_memory_equal(root, want_root, 32);
            same_path(&leaf[0], m, n);
            free_leaves(leaf, 1);
        }
    }
}

/* Every gap (before the first, between two, after the last) of every
 * tree up to MAXN leaves, and the empty tree. */
static void test_pass_absence(void **state)
{
    (void)state;
    for (int n = 0; n <= MAXN; n++) {
        for (int g = 0; g <= n; g++) {
            char ask[16];
            unsigned char root[32];
            inv_pf_leaf leaf[2];
            snprintf(ask, sizeof ask, "K%03d", 2 * g - 1 < 0 ? 999 : 2 * g - 1);
            if (g == 0)
                snprintf(ask, sizeof ask, "A");
            int found = one_pass(n, ask, root, leaf);
            int want = (g > 0) + (g < n);
            assert_int_equal(found, want);
            int i = 0;
            if (g > 0) {
                assert_int_equal(leaf[i].kind, INV_PF_BEFORE);
                same_path(&leaf[i], g - 1, n);
                i++;
            }
            if (g < n) {
                assert_int_equal(leaf[i].kind, INV_PF_AFTER);
                same_path(&leaf[i], g, n);
            }
            if (n == 0) /* BLAKE2b-256 of nothing */
                assert_int_equal(root[0], 0x0e); /* 0e5751c0... */
            free_leaves(leaf, found);
        }
    }
}

/* A pass given more or fewer leaves than its size fails. */
static void test_pass_count(void **state)
{
    (void)state;
    unsigned char root[32], h[32] = {0};
    inv_pf_leaf leaf[2];
    int n;
    inv_tree_pass *p = inv_tree_pass_new("B", 2);
    assert_int_equal(inv_tree_pass_add(p, "A", "x", 1, h), 0);
    assert_int_equal(inv_tree_pass_final(p, root, leaf, &n), -1);
    inv_tree_pass_free(p);
    p = inv_tree_pass_new("B", 1);
    assert_int_equal(inv_tree_pass_add(p, "A", "x", 1, h), 0);
    assert_int_equal(inv_tree_pass_add(p, "C", "y", 1, h), -1);
    inv_tree_pass_free(p);
}

typedef struct walk_log {
    int steps, lefts;
    uint64_t last_pos;
} walk_log;

static void log_step(void *ctx, const inv_pf_step *s)
{
    walk_log *w = ctx;
    w->steps++;
    w->lefts += s->path_left;
    assert_int_equal(s->path_left, (int)(s->pos & 1));
    assert_true(s->pos <= s->last);
    w->last_pos = s->pos;
}

/* inv_proof_walk agrees with cr_merkle_verify, on good and tampered paths. */
static void test_walk(void **state)
{
    (void)state;
    for (int n = 1; n <= 40; n++) {
        for (int m = 0; m < n; m++) {
            cr_merkle_path path;
            unsigned char root[32], top[32], leaf[32];
            char buf[128], id[16];
            prover_path(m, n, &path, root);
            leaf_bytes(m, buf, sizeof buf, id, sizeof id);
            cr_merkle_leaf_hash(buf, strlen(buf), leaf);
            walk_log w = {0};
            assert_int_equal(inv_proof_walk(leaf, &path, log_step, &w, top), 0);
            assert_memory_equal(top, root, 32);
            assert_int_equal(w.steps, path.len);
            assert_int_equal(cr_merkle_verify(leaf, &path, root), 0);
            if (path.len) {
                path.hash[path.len - 1][5] ^= 1;
                assert_int_equal(inv_proof_walk(leaf, &path, NULL, NULL, top), 0);
                assert_memory_not_equal(top, root, 32);
                path.hash[path.len - 1][5] ^= 1;
                path.len--; /* too short */
                assert_int_equal(inv_proof_walk(leaf, &path, NULL, NULL, top), -1);
                path.len++;
            }
            path.index = (uint64_t)n; /* out of range */
            assert_int_equal(inv_proof_walk(leaf, &path, NULL, NULL, top), -1);
        }
    }
}

static void sample(inv_proof_folder *f)
{
    memset(f, 0, sizeof *f);
    snprintf(f->register_id, sizeof f->register_id, "%s", "0123456789abcdef0123456789abcdef");
    f->contract = strdup("ACME\\1\tx");
    f->id = strdup("SRV-01");
    assert_int_equal(inv_time_parse("2026-03-14T12:00:00Z", 0, &f->at, NULL), 0);
    assert_int_equal(inv_time_parse("2026-03-01T09:00:00Z", 0, &f->agreed, NULL), 0);
    assert_int_equal(inv_time_parse("2026-03-15T08:00:00Z", 0, &f->made, NULL), 0);
    f->answer = 0;
    f->version = 3;
    snprintf(f->checkpoint, sizeof f->checkpoint, "ACME_1_x-v3.checkpoint");
    f->size = 5;
    memset(f->root, 0xab, 32);
    f->nleaves = 2;
    f->leaf[0].kind = INV_PF_BEFORE;
    f->leaf[0].path.index = 1;
    f->leaf[0].path.size = 5;
    f->leaf[0].path.len = 3;
    memset(f->leaf[0].hash, 0x11, 32);
    memset(f->leaf[0].path.hash, 0x22, 3 * 32);
    f->leaf[1].kind = INV_PF_AFTER;
    f->leaf[1].path.index = 2;
    f->leaf[1].path.size = 5;
    f->leaf[1].path.len = 3;
    memset(f->leaf[1].hash, 0x33, 32);
}

static void test_format_parse(void **state)
{
    (void)state;
    inv_proof_folder f, g;
    inv_buf b = {0};
    inv_err e = {0};
    sample(&f);
    assert_int_equal(inv_proof_format(&f, &b), 0);
    assert_non_null(strstr(b.data, "scope-proof/1\nregister: 0123456789abcdef0123456789abcdef\n"
                                   "contract: ACME\\\\1\\tx\nitem: SRV-01\nat: 2026-03-14T12:00:00Z\n"
                                   "answer: no\nversion: 3\nagreed: 2026-03-01T09:00:00Z\n"
                                   "checkpoint: ACME_1_x-v3.checkpoint\ntree-size: 5\nroot: abab"));
    assert_non_null(strstr(b.data, "leaves: 2\nmade: 2026-03-15T08:00:00Z\n\nleaf: before.txt\n"
                                   "index: 1\nhash: 1111"));
    assert_non_null(strstr(b.data, "\n\nleaf: after.txt\nindex: 2\n"));
    assert_int_equal(inv_proof_parse(b.data, b.len, "proof.txt", &g, &e), INV_OK);
    assert_string_equal(g.contract, f.contract);
    assert_int_equal(g.nleaves, 2);
    assert_int_equal(g.leaf[1].kind, INV_PF_AFTER);
    assert_int_equal(g.leaf[0].line, 15);
    assert_int_equal(g.made, f.made);
    assert_memory_equal(g.leaf[0].path.hash, f.leaf[0].path.hash, 3 * 32);
    inv_proof_folder_free(&g);

    /* each refusal names the line */
    struct { const char *from, *to, *msg; } bad[] = {
        {"answer: no", "answer: maybe", "proof.txt: line 6: expected 'answer: yes or no'"},
        {"tree-size: 5", "tree-size: 05", "proof.txt: line 10: expected 'tree-size: <number>'"},
        {"index: 2", "index: 5", "proof.txt: line 24: index 5 is not below the tree size 5"},
        {"path-length: 3\npath: 2222", "path-length: 4\npath: 2222", "proof.txt: line 22: "},
        {"root: abab", "root: ABAB", "proof.txt: line 11: expected 'root: <64"},
        {"checkpoint: ACME_1_x-v3.checkpoint", "checkpoint: ../x.checkpoint", "line 9"},
        {"scope-proof/1", "scope-proof/2", "line 1: expected 'scope-proof/1' (not a scopereg"},
        {"end of proof\n", "end of proof\nmore\n", "line 32: unexpected text after"},
        {"made: 2026-03-15T08:00:00Z", "made: 2026-03-15", "proof.txt: line 13: expected "
                                                           "'made: <YYYY-MM-DDTHH:MM:SSZ>'"},
        {"leaves: 2\nmade", "leaves: 2\nmade: 2026-03-15T08:00:00Z\nmade", "line 14: "},
        /* asked about a date after the folder was made (more than the clock skew) */
        {"made: 2026-03-15T08:00:00Z", "made: 2026-03-14T11:54:59Z", "proof.txt: line 5: at: "
         "2026-03-14T12:00:00Z is later than made: 2026-03-14T11:54:59Z (line 13)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *at = strstr(b.data, bad[i].from);
        assert_non_null(at);
        inv_buf c = {0};
        inv_buf_add(&c, b.data, (size_t)(at - b.data));
        inv_buf_puts(&c, bad[i].to);
        inv_buf_puts(&c, at + strlen(bad[i].from));
        assert_int_equal(inv_proof_parse(c.data, c.len, "proof.txt", &g, &e), INV_EINPUT);
        if (!strstr(e.msg, bad[i].msg))
            fail_msg("case %zu: '%s' lacks '%s'", i, e.msg, bad[i].msg);
        inv_buf_free(&c);
    }
    /* at: up to made: plus the clock skew is accepted */
    {
        const char *at = strstr(b.data, "made: 2026-03-15T08:00:00Z");
        inv_buf c = {0};
        inv_buf_add(&c, b.data, (size_t)(at - b.data));
        inv_buf_puts(&c, "made: 2026-03-14T11:55:00Z");
        inv_buf_puts(&c, at + strlen("made: 2026-03-15T08:00:00Z"));
        assert_int_equal(inv_proof_parse(c.data, c.len, "proof.txt", &g, &e), INV_OK);
        inv_proof_folder_free(&g);
        inv_buf_free(&c);
    }
    /* cut anywhere: refused, never read past the end */
    for (size_t n = 0; n < b.len; n += 7)
        assert_int_equal(inv_proof_parse(b.data, n, "proof.txt", &g, &e), INV_EINPUT);
    inv_buf_free(&b);
    inv_proof_folder_free(&f);
}

/* made: and at: against the checker's clock, and the bound that excludes
 * a later version. */
static void test_clock_bound(void **state)
{
    (void)state;
    inv_proof_folder f;
    inv_err e = {0};
    int64_t now;
    sample(&f);
    assert_int_equal(inv_time_parse("2026-03-15T07:55:00Z", 0, &now, NULL), 0);
    assert_int_equal(inv_proof_clock_check(&f, now, &e), INV_OK); /* made = now + skew */
    assert_int_equal(inv_proof_clock_check(&f, now - 1, &e), INV_FAIL);
    assert_string_equal(e.msg, "proof.txt: line 13: made: 2026-03-15T08:00:00Z is later than "
                               "this computer's clock (2026-03-15T07:54:59Z) plus 300 seconds: a "
                               "proof cannot be made, nor answer, for a date to come");
    f.made = f.at - 1000; /* (parse refuses it; the clock check names at: then) */
    assert_int_equal(inv_proof_clock_check(&f, f.at - INV_CLOCK_SKEW - 1, &e), INV_FAIL);
    assert_non_null(strstr(e.msg, "proof.txt: line 5: at: 2026-03-14T12:00:00Z is later"));

    /* versions 1..5, K = 3: 4 signed by one party only, 5 by both */
    inv_pf_checkpoint cps[5];
    memset(cps, 0, sizeof cps);
    f.cps = cps;
    f.ncps = 5;
    for (int k = 0; k < 5; k++)
        cps[k].cp.date = f.at - 100 + k * 50; /* 4 and 5 dated after at */
    cps[3].sig[0].present = 1;
    assert_int_equal(inv_proof_bound(&f), 0);
    cps[4].sig[0].present = cps[4].sig[1].present = 1;
    assert_int_equal(inv_proof_bound(&f), 5);
    cps[3].sig[1].present = 1;
    assert_int_equal(inv_proof_bound(&f), 4);
    cps[3].cp.date = f.at; /* dated by at: it bounds nothing */
    assert_int_equal(inv_proof_bound(&f), 5);
    cps[3].sig[1].present = 0; /* dated by at, one signature: it may have been agreed */
    assert_int_equal(inv_proof_bound(&f), 0);
    cps[3].sig[1].present = 1;
    f.ncps = 4;
    assert_int_equal(inv_proof_bound(&f), 0);
    f.cps = NULL;
    f.ncps = 0;
    inv_proof_folder_free(&f);
}

static void test_leaf_parse(void **state)
{
    (void)state;
    char *id;
    inv_err e = {0};
    const char *good = "item: PC\\\\1\n  kind: server\n  name: x\n";
    assert_int_equal(inv_proof_leaf_parse(good, strlen(good), "item.txt", &id, &e), INV_OK);
    assert_string_equal(id, "PC\\1");
    free(id);
    const char *bad[] = {"", "item: A\n", "item: A\n  kind: server", "item: A\n\n  kind: x\n",
                         "item: A\n kind: x\n", "items: A\n  kind: x\n", "item: A\\x\n  k: v\n",
                         "item: A\n  kind:\tx\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(inv_proof_leaf_parse(bad[i], strlen(bad[i]), "item.txt", &id, &e),
                         INV_EINPUT);
        assert_null(id);
        assert_non_null(strstr(e.msg, "item.txt"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pass_presence), cmocka_unit_test(test_pass_absence),
        cmocka_unit_test(test_pass_count),    cmocka_unit_test(test_walk),
        cmocka_unit_test(test_format_parse),  cmocka_unit_test(test_leaf_parse),
        cmocka_unit_test(test_clock_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
