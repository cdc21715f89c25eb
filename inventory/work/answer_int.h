/*
 * answer_int.h - what the answers (work/answer.c) ask of their source of
 * versions, the register (work/history.c) or a folder of documents
 * (work/docsource.c), and nobody outside sees.
 */
#ifndef SCOPEREG_ANSWER_INT_H
#define SCOPEREG_ANSWER_INT_H

#include "answer.h"

/* What the walk of inv_answer_at needs of one version. */
typedef struct inv__vstate {
    int present;        /* the source holds it (a folder may lack it) */
    int64_t date;       /* its date, when present */
    inv_sig_state sigs; /* what its signatures that are counted establish */
    int sure;           /* every signature it has was counted or found not to hold by
                         * its signed dates: sigs is all there is (a folder: a signature
                         * file that does not hold leaves its signed date unknown) */
    const char *problem; /* !sure: why, owned by the source */
} inv__vstate;

typedef struct inv__source_ops {
    /* The highest version (0: none). */
    int (*latest)(inv_source *s, int64_t *n, inv_err *e);
    /* Before the walk of the versions by date (may be NULL). */
    int (*precheck)(inv_source *s, inv_err *e);
    int (*state)(inv_source *s, int64_t n, inv__vstate *out, inv_err *e);
    /* Whether version n, in force, can be answered from: what makes it
     * follow version n-1 can be checked and holds (INV_FAIL naming it). */
    int (*link)(inv_source *s, int64_t n, int64_t t, inv_err *e);
    int (*version)(inv_source *s, int64_t n, int check, inv_vinfo *vi, inv_err *e);
    /* id's block in version n: *found, and out (initialised) when found. */
    int (*item)(inv_source *s, int64_t n, const char *id, inv_item *out, int *found,
                inv_err *e);
    /* The steps of id, oldest first, as inv_history; sets out->lacks,
     * out->doubt and out->doubt_why when the source lacks or doubts a
     * version. */
    int (*steps)(inv_source *s, const char *id, inv_history_fn fn, void *ctx,
                 inv_history_answer *out, inv_err *e);
    void (*free)(inv_source *s);
} inv__source_ops;

struct inv_source {
    const inv__source_ops *ops;
    int documents;
    inv_register *r;      /* the register's source */
    void *self;           /* the folder's state */
    const char *where;    /* the register's path, the folder */
    const char *contract;
};

/* A source on the register r, in s (nothing to free: not malloc'd). */
void inv__source_register_init(inv_source *s, inv_register *r);

/* The walk of inv_answer_at and inv_in_force_at: the highest-numbered
 * version agreed by t, and the latest committed by t. */
int inv__in_force_walk(inv_source *s, int64_t t, inv_in_force *out, inv_err *e);

/* A folder's version n: the blocks of service and of class cls in its
 * document (inv_doc_find_terms: id NULL when it holds none), into svc_out
 * and cls_out, which the caller frees with inv_term_free whatever the
 * outcome. INV_FAIL when the folder lacks version n or a block does not
 * decode (naming the file and line); INV_EINPUT when s is a register or
 * the document changed since it was checked; INV_EIO on a read error or
 * out of memory. */
int inv__source_terms(inv_source *s, int64_t n, const char *service, const char *cls,
                      inv_term *svc_out, inv_term *cls_out, inv_err *e);

#endif
