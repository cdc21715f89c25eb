/*
 * terms.h - the functional scope at work: staging services, exclusions,
 * service-level classes, kind defaults and an item's own coverage
 * (work/terms.c), committing them (work/termcommit.c) and answering
 * whether an item was covered for a service (work/coverage.c).
 * Included by work.h.
 */
#ifndef SCOPEREG_WORK_TERMS_H
#define SCOPEREG_WORK_TERMS_H

/* ---- staging (work/terms.c) ---- */

/* The state of term (type, id) the next version would hold: staged if
 * staged, else committed in the latest version. INV_FAIL (no message)
 * when neither holds it or it is staged for removal; out (may be NULL)
 * is filled otherwise (freed first; the caller frees it). */
int inv_term_current(inv_register *r, int type, const char *id, inv_term *out, int *staged,
                     inv_err *e);

/* Stages t as a new term. INV_EINPUT when its id is taken (committed or
 * staged), when a class has no name or a default names an unknown
 * service or class; nothing written then. */
int inv_stage_term_add(inv_register *r, const inv_term *t, inv_err *e);
/* Stages the new full state of an existing term (an edit back to the
 * committed state unstages it). INV_EINPUT when it does not exist. */
int inv_stage_term_edit(inv_register *r, const inv_term *t, inv_err *e);
/* Stages the removal of term (type, id) with reason; a staged addition
 * is dropped. INV_EINPUT when it does not exist, when the reason is
 * empty, or when a service or class is still used by items (named: the
 * first five and how many) or by a kind default. */
int inv_stage_term_remove(inv_register *r, int type, const char *id, const char *reason,
                          inv_err *e);
/* Stages kind's default coverage: services (a list as inv_service_list_parse
 * reads it) and sla (a class id or "none"), either NULL to keep what the
 * default holds ("none" when it has none yet). INV_EINPUT when the kind
 * is not canonical or a service or class is unknown. */
int inv_stage_kind_default(inv_register *r, const char *kind, const char *services,
                           const char *sla, inv_err *e);
/* Stages item id's own coverage: services (a list, "none", or "default"
 * to take the kind's default again) and sla (a class id, "none" or
 * "default"), either NULL to keep it. The item must be in scope or
 * staged (not for removal). INV_EINPUT naming the item, the option and
 * the unknown service or class; nothing written then. */
int inv_stage_coverage(inv_register *r, const char *id, const char *services, const char *sla,
                       inv_err *e);

/* A staged change of a term (op 'A', 'E', 'R'; before NULL for an
 * addition, after NULL for a removal) or of an item's coverage (term
 * NULL; id, the coverage before and after as the document writes it). */
typedef struct inv_term_change {
    char op;
    const inv_term *before, *after;
    const char *reason;
    /* item coverage changes: */
    const char *item;
    const char *svc_before, *svc_after, *sla_before, *sla_after;
} inv_term_change;
typedef int (*inv_term_change_fn)(void *ctx, const inv_term_change *c);
/* Walks the staged term changes (services, exclusions, classes, defaults,
 * each by id), then the items whose coverage a staged change sets (by
 * id). Stops and returns what fn returns when non-zero. */
int inv_stage_term_walk(inv_register *r, inv_term_change_fn fn, void *ctx, inv_err *e);

/* Calls fn once per term of version n (types in document order, each by
 * id): what its document's sections list. A register without coverage
 * tables holds none. */
typedef int (*inv_term_fn)(void *ctx, const inv_term *t);
int inv_terms(inv_register *r, int64_t n, inv_term_fn fn, void *ctx, inv_err *e);

/* ---- answers (work/coverage.c) ---- */

/* Item id's effective coverage in version n: its services (canonical
 * list, "none") and class ("none") into svc and sla (reset first), and
 * which are its own (INV_OWN_* bits). A scope-register/1 version holds
 * no coverage: "none", whatever the row's columns hold. INV_FAIL when the
 * item is not in version n, or its row does not hold (its digest is not
 * the one commit gives it, or a row of a /1 version has coverage: what
 * verify reports); the caller frees svc and sla. */
int inv_item_coverage(inv_register *r, int64_t n, const char *id, inv_buf *svc, inv_buf *sla,
                      int *own, inv_err *e);
/* Whether service is in the canonical list svc. Cannot fail. */
int inv_cov_has(const char *svc, const char *service);

/* What `at DATE ID --service S` answers: whether item it (read from
 * version n, its coverage known or looked up) was covered for service in
 * version n, with its coverage, the service and its class as version n
 * defines them. */
typedef struct inv_cov_answer {
    int covered;      /* its services hold the service */
    char *svc, *sla;  /* its effective coverage: canonical list, class ("none") */
    int own;          /* INV_OWN_* bits */
    inv_term service; /* the service at n (id NULL: version n does not define it) */
    inv_term cls;     /* its class at n (id NULL: none) */
} inv_cov_answer;
typedef struct inv_source inv_source;
/* Fills out (the caller frees it with inv_cov_answer_free, whatever the
 * result) from source s (work/answer.h). From a register the coverage is
 * read from the item's row with inv_item_coverage (INV_FAIL as it fails)
 * and the service and class from its term rows; from a folder, the
 * coverage is the item's (read from version n's document) and the service and
 * class are the blocks of version n's document (inv__source_terms:
 * INV_FAIL naming the file and line when one does not decode). INV_EINPUT
 * when service is not a service id; INV_EIO on a database or read error
 * or out of memory. */
int inv_cov_answer_get(inv_source *s, int64_t n, const inv_item *it, const char *service,
                       inv_cov_answer *out, inv_err *e);
void inv_cov_answer_free(inv_cov_answer *a);


#endif
