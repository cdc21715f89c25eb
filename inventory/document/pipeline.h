/*
 * pipeline.h - the consumers of a rendering (document hash, signature
 * prehash, leaf hashes) on a second thread: a decorator that takes the
 * block and byte calls of a rendering, copies them into a bounded queue
 * and replays them, in the same order, on the real consumers in a worker
 * thread. Layer 2 (document).
 *
 * Use:
 *     inv_pipe *p = inv_pipe_new(block, bctx, sink, sctx, 0, e);
 *     rc = inv__render_to(r, v, sink ? inv_pipe_sink : NULL, p,
 *                         block ? inv_pipe_block : NULL, p, stats, e);
 *     rc2 = inv_pipe_finish(p, rc ? NULL : e);    (always call it)
 *     inv_pipe_free(p);
 *     if (!rc) rc = rc2;
 * The consumers' results (their contexts) are final once finish returns.
 *
 * A pipe keeps the order of all the calls it is given. When the block
 * consumer and the byte consumer share no state, each may instead have a
 * pipe of its own (inv__render_checkpoint: the document's two BLAKE2b on
 * one, the leaf hashes and the tree on the other), or one of them may be
 * given to the rendering directly (it then runs on the rendering's thread):
 * each consumer still sees its own calls in order, so what it computes is
 * the same. With three threads on two cores the system shares the work
 * whatever its split (tests/bench/run.sh: a version of a million items
 * renders longer than its hashes, one of a few changes shorter).
 *
 * How many threads (jobs):
 *   1   no thread: each call goes straight to the consumer, on the caller's
 *       thread, as if there were no pipe;
 *   2   (or more: one worker is all a sequential consumer can use) the
 *       consumers of a pipe run on its worker thread, one call at a time,
 *       in the order the rendering made them;
 *   0   automatic (inv_pipe_jobs): SCOPEREG_JOBS when it is set to a
 *       number >= 1, else 2 when sysconf(_SC_NPROCESSORS_ONLN) >= 2, else 1.
 * The consumers see exactly the same calls, with the same bytes, whatever
 * jobs is; only the thread differs. With jobs >= 2 a consumer must not use
 * what the rendering thread uses at the same time (the register's SQLite
 * handle, its inv_err): hashers and copies are fine.
 *
 * Memory: INV_PIPE_BUFFERS buffers of INV_PIPE_BUFFER bytes (1 MiB), more
 * only while a single block larger than a buffer passes (that buffer grows
 * to the block and shrinks back when it is reused): flat in the size of
 * the document.
 */
#ifndef SCOPEREG_PIPELINE_H
#define SCOPEREG_PIPELINE_H

#include "document.h"

#define INV_PIPE_BUFFERS 4
#define INV_PIPE_BUFFER (256 * 1024)

typedef struct inv_pipe inv_pipe;

/* The number of threads jobs = 0 stands for: SCOPEREG_JOBS when it is a
 * decimal number from 1 to 1024, else 2 when at least two processors are
 * online, else 1. Cannot fail (a malformed SCOPEREG_JOBS is ignored). */
int inv_pipe_jobs(void);

/* A pipe to block (may be NULL) with block_ctx and to sink (may be NULL)
 * with sink_ctx, with jobs threads (0: inv_pipe_jobs()). Pass
 * inv_pipe_block and inv_pipe_sink, with the pipe as their context, to
 * the rendering. When the worker thread cannot be started the pipe works
 * with one thread (same results). NULL with INV_EIO "out of memory" in e.
 * Free with inv_pipe_free. */
inv_pipe *inv_pipe_new(inv_block_fn block, void *block_ctx, inv_sink_fn sink,
                       void *sink_ctx, int jobs, inv_err *e);

/* Where the consumers write their own message when they fail (an inv_err
 * their contexts point to; may be NULL, the default): inv_pipe_finish
 * then copies it into its e. Read only after the consumers have stopped. */
void inv_pipe_errors(inv_pipe *p, const inv_err *consumer_err);

/* The threads the pipe runs its consumers with: 1 (direct calls) or 2. */
int inv_pipe_threads(const inv_pipe *p);

/* The inv_block_fn and inv_sink_fn to render into (ctx: the pipe). They
 * copy what they are handed (valid during the call only) and return at
 * once; they return non-zero, so that the rendering stops, once a consumer
 * has failed (with one thread: the consumer's own return value). After
 * inv_pipe_finish they only return non-zero. */
int inv_pipe_block(void *pipe, const inv_block *b);
int inv_pipe_sink(void *pipe, const void *data, size_t len);

/* Hands the consumers every call made so far, waits until they have made
 * them, and stops the worker. INV_OK when no consumer failed and no call
 * was refused for want of memory. When a consumer failed: the code and
 * message of the inv_err given to inv_pipe_errors when the consumer set
 * one, else INV_EIO "cannot write the scope document" (what a rendering
 * whose consumer stops says); INV_EIO "out of memory" when a call could
 * not be copied. e
 * may be NULL (a rendering that failed keeps its own message). A consumer
 * that failed was called no more after its failure (neither was the
 * other consumer). Call it once; later calls return the same code. */
int inv_pipe_finish(inv_pipe *p, inv_err *e);

/* Stops the worker (the calls not yet replayed are dropped when
 * inv_pipe_finish was not called) and frees p. NULL is allowed. */
void inv_pipe_free(inv_pipe *p);

#endif
