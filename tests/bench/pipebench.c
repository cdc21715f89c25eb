/*
 * pipebench.c - times one rendering of a version with its hashers (the
 * document's BLAKE2b-256, the signature prehash BLAKE2b-512, the SHA-256
 * leaf of every item block and the RFC 9162 tree) with one thread and
 * with two (inventory/document/pipeline.h). Built with the project for
 * tests/bench/pipe.sh; not a test.
 *
 *   pipebench [-r RUNS] [-v VERSION] REGISTER
 *
 * Columns: fastest wall time; smallest CPU time of the process (every
 * thread), of the rendering's thread (main) and of the others (the
 * workers, together); crit, the larger of main and other: the wall time
 * with a core for each thread, which a loaded machine cannot show (for
 * the three threads of "two pipes": the larger of main and half the
 * total, what two cores would take at best).
 *
 * Opens REGISTER read-only, renders VERSION (default: the latest) RUNS
 * times (default 3) each way (way_what below): with no consumer at all
 * (the rendering by itself), with the hashers on the rendering's thread
 * (jobs 1), behind one pipe of two threads (jobs 2), and split: one
 * consumer behind a pipe, the other on the rendering's thread, or each
 * behind its own pipe. Prints, for each, the fastest wall time and the
 * smallest CPU time (user + system of every thread) and the ratios to
 * jobs 1; checks that every way gives the same document hash, prehash
 * and root, and the document hash the register recorded. Exit 0 when they agree, 1 when not, 2 on bad usage, 3 when
 * the register cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "document_int.h"
#include "inventory.h"
#include "merkle.h"
#include "pipeline.h"

typedef struct hashers {
    cr_hash h;
    cr_prehash p;
    cr_merkle_tree t;
} hashers;

typedef struct result {
    char doc_hash[CR_HASH_STR_LEN];
    unsigned char prehash[CR_PREHASH_BYTES];
    unsigned char root[CR_MERKLE_HASH_BYTES];
    uint64_t leaves;
} result;

static int on_bytes(void *ctx, const void *data, size_t len)
{
    hashers *x = ctx;
    cr_hash_update(&x->h, data, len);
    cr_prehash_update(&x->p, data, len);
    return 0;
}

static int on_block(void *ctx, const inv_block *b)
{
    hashers *x = ctx;
    unsigned char leaf[CR_MERKLE_HASH_BYTES];
    if (b->kind != INV_BLOCK_ITEM)
        return 0;
    cr_merkle_leaf_hash(b->data + b->lead, b->len - b->lead, leaf);
    cr_merkle_tree_add(&x->t, leaf);
    return 0;
}

static double now_wall(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now_cpu(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* The ways of running the hashers, in the order printed. */
enum { ALONE, JOBS1, JOBS2, BLOCKS2, BYTES2, PIPES2, NWAYS };
static const char *const way_name[NWAYS] = {
    "render only", "jobs 1", "jobs 2", "blocks->2nd", "bytes->2nd", "two pipes"};
static const char *const way_what[NWAYS] = {
    "the rendering with no consumer",
    "the hashers on the rendering's thread",
    "one pipe: every call, in order, on one worker",
    "the leaf hasher behind a pipe, the two BLAKE2b on the rendering's thread",
    "the two BLAKE2b behind a pipe, the leaf hasher on the rendering's thread",
    "two pipes: the leaf hasher and the two BLAKE2b on two workers (3 threads)"};

/* One rendering, the hashers run the way way says. */
static double now_thread(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int run(inv_register *r, const inv_version *v, int way, result *out, double *wall,
               double *cpu, double *main_cpu, inv_err *e)
{
    hashers x;
    cr_hash_init(&x.h);
    cr_prehash_init(&x.p);
    cr_merkle_tree_init(&x.t);
    double w0 = now_wall(), c0 = now_cpu(), t0 = now_thread();
    int rc;
    if (way == ALONE) {
        rc = inv__render_to(r, v, NULL, NULL, NULL, NULL, NULL, e);
    } else if (way == JOBS1) {
        rc = inv__render_to(r, v, on_bytes, &x, on_block, &x, NULL, e);
    } else {
        inv_pipe *pb = NULL, *ps = NULL;
        if (way == JOBS2)
            pb = ps = inv_pipe_new(on_block, &x, on_bytes, &x, 2, e);
        if (way == BLOCKS2 || way == PIPES2)
            pb = inv_pipe_new(on_block, &x, NULL, NULL, 2, e);
        if (way == BYTES2 || way == PIPES2)
            ps = inv_pipe_new(NULL, NULL, on_bytes, &x, 2, e);
        if ((way != BYTES2 && !pb) || (way != BLOCKS2 && !ps))
            return INV_EIO;
        rc = inv__render_to(r, v, ps ? inv_pipe_sink : on_bytes, ps ? (void *)ps : &x,
                            pb ? inv_pipe_block : on_block, pb ? (void *)pb : &x, NULL, e);
        int rc2 = pb ? inv_pipe_finish(pb, rc ? NULL : e) : INV_OK;
        int rc3 = ps && ps != pb ? inv_pipe_finish(ps, rc ? NULL : e) : INV_OK;
        if (!rc)
            rc = rc2 ? rc2 : rc3;
        inv_pipe_free(pb);
        if (ps != pb)
            inv_pipe_free(ps);
    }
    unsigned char h[CR_HASH_BYTES];
    cr_hash_final(&x.h, h);
    cr_prehash_final(&x.p, out->prehash);
    *wall = now_wall() - w0;
    *cpu = now_cpu() - c0;
    *main_cpu = now_thread() - t0;
    memcpy(out->doc_hash, CR_HASH_PREFIX, sizeof CR_HASH_PREFIX - 1);
    cr_hex(out->doc_hash + sizeof CR_HASH_PREFIX - 1, h, sizeof h);
    cr_merkle_tree_root(&x.t, out->root);
    out->leaves = x.t.size;
    return rc;
}

int main(int argc, char **argv)
{
    int runs = 3;
    int64_t n = 0;
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (!strcmp(argv[i], "-r"))
            runs = atoi(argv[i + 1]);
        else if (!strcmp(argv[i], "-v"))
            n = atoll(argv[i + 1]);
        else
            break;
    }
    if (i + 1 != argc || runs < 1) {
        fprintf(stderr, "usage: pipebench [-r RUNS] [-v VERSION] REGISTER\n");
        return 2;
    }
    cr_err ce = {0};
    inv_err e = {0};
    inv_register *r = NULL;
    inv_version v;
    if (cr_init(&ce) != CR_OK) {
        fprintf(stderr, "pipebench: %s\n", ce.msg);
        return 3;
    }
    if (inv_open(argv[i], 0, &r, &e) || (!n && inv_latest(r, &n, &e)) ||
        inv_version_get(r, n, &v, &e)) {
        fprintf(stderr, "pipebench: %s: %s\n", argv[i], e.msg);
        return 3;
    }
    double best_w[NWAYS], best_c[NWAYS], best_m[NWAYS], best_o[NWAYS];
    result res[NWAYS];
    for (int k = 0; k < NWAYS; k++)
        best_w[k] = best_c[k] = best_m[k] = best_o[k] = 1e30;
    for (int round = 0; round < runs; round++) {
        for (int k = 0; k < NWAYS; k++) {
            double w, c, m;
            if (run(r, &v, k, &res[k], &w, &c, &m, &e)) {
                fprintf(stderr, "pipebench: version %lld: %s\n", (long long)n, e.msg);
                return 3;
            }
            if (w < best_w[k])
                best_w[k] = w;
            if (c < best_c[k])
                best_c[k] = c;
            if (m < best_m[k])
                best_m[k] = m;
            if (c - m < best_o[k])
                best_o[k] = c - m;
        }
    }
    int same = !strcmp(res[JOBS1].doc_hash, v.doc_hash);
    for (int k = JOBS2; k < NWAYS; k++)
        same = same && !strcmp(res[JOBS1].doc_hash, res[k].doc_hash) &&
               !memcmp(res[JOBS1].prehash, res[k].prehash, sizeof res[k].prehash) &&
               !memcmp(res[JOBS1].root, res[k].root, sizeof res[k].root) &&
               res[JOBS1].leaves == res[k].leaves;
    printf("version %lld, %lld items, %d runs each (fastest wall, smallest CPU), %ld cpus\n",
           (long long)n, (long long)v.item_count, runs, sysconf(_SC_NPROCESSORS_ONLN));
    /* On a machine that other work shares, wall times say little; the CPU
     * time of the busiest thread is what the wall time would be with a
     * core for each thread (the rendering thread's, or the workers'
     * together when they are the busier). */
    printf("%-12s %7s %7s %7s %7s %7s %8s %8s  %s\n", "", "wall s", "CPU s", "main s",
           "other s", "crit s", "wall/j1", "crit/j1", "");
    for (int k = 0; k < NWAYS; k++) {
        if (best_o[k] < 0.0005) /* one thread: rounding */
            best_o[k] = 0;
        double crit = best_m[k] > best_o[k] ? best_m[k] : best_o[k];
        if (k == PIPES2) /* two workers: on two cores at best the total shared evenly */
            crit = best_m[k] > best_c[k] / 2 ? best_m[k] : best_c[k] / 2;
        double crit1 = best_m[JOBS1];
        printf("%-12s %7.3f %7.3f %7.3f %7.3f %7.3f %8.2f %8.2f  %s\n", way_name[k], best_w[k],
               best_c[k], best_m[k], best_o[k], crit, best_w[k] / best_w[JOBS1], crit / crit1,
               way_what[k]);
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("peak RSS of the whole run: %.1f MiB\n", (double)ru.ru_maxrss / 1024);
    char root[2 * CR_MERKLE_HASH_BYTES + 1];
    cr_hex(root, res[JOBS1].root, sizeof res[JOBS1].root);
    printf("document %s, root %s: %s\n", res[JOBS1].doc_hash, root,
           same ? "the same every way, and as recorded" : "DIFFERENT");
    inv_version_free(&v);
    inv_close(r);
    return same ? 0 : 1;
}
