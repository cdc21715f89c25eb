/*
 * answer.h - the questions of a dispute answered once, whatever they are
 * asked of: which version was in force at a date and whether an item was
 * in it (at), and an item's life (history), from a source of versions
 * that is either the register or a folder of exported documents and
 * signature files with no register (work/answer.c; the register's side
 * in work/history.c, the folder's in work/docsource.c).
 */
#ifndef SCOPEREG_ANSWER_H
#define SCOPEREG_ANSWER_H

#include "work.h"

/* One signature of a version: a stored row, or a signature file beside
 * the document. */
typedef struct inv_vsig {
    char role[16];
    char key_id[CR_KEYID_HEX];
    int64_t signed_at; /* the signed: date (as its row or, for a file that does not
                        * hold, its trusted comment claims; 0 when unreadable) */
    int ok;            /* holds (when the version was checked) */
    char *reason;      /* why not, or NULL */
} inv_vsig;

/* A version as at and history show it. */
typedef struct inv_vinfo {
    inv_version v;
    inv_sig_state state;          /* from the signatures that are counted */
    int64_t agreed_at;            /* inv_agreed_at, 0 when not agreed */
    char *party[2];               /* names, by role index */
    char party_key[2][CR_KEYID_HEX];
    inv_vsig *sigs;               /* by role name, then key id */
    size_t nsigs;
    int checked; /* the signatures were checked */
    int hold;    /* when checked: every signature holds, and so does the version's
                  * document (a folder's: inv_docs_verify) */
    char *problem; /* when checked and !hold, from a folder: why the document does not
                    * hold (inv_docs_verify's reason); NULL otherwise */
} inv_vinfo;

/* Reads version n of the register, its parties and its stored signature
 * rows; with check, checks every signature (inv_sigs_check: one that
 * does not hold is recorded in vi, not an error). Free vi with
 * inv_vinfo_free whatever the outcome. */
int inv_vinfo_get(inv_register *r, int64_t n, int check, inv_vinfo *vi, inv_err *e);
void inv_vinfo_free(inv_vinfo *vi);

/* Where the answers come from. */
typedef struct inv_source inv_source;

/* The register r (not owned: close it after inv_source_free). INV_EIO
 * when out of memory. */
int inv_source_register(inv_register *r, inv_source **out, inv_err *e);

/* A folder of exported documents, their signature files and the parties'
 * .pub files, checked once here as verify --documents checks it
 * (inv_docs_verify, now: the checker's clock); the answers then rely on
 * what that check found, version by version. Holds a few hundred bytes per
 * document, never an item list. INV_EINPUT when dir cannot be read or
 * holds no *.scope document; INV_FAIL when a document cannot be read at
 * all, or when the documents belong to more than one register (a fork):
 * no version of such a folder can be relied on; INV_EIO on a read error
 * or out of memory. */
int inv_source_documents(const char *dir, int64_t now, inv_source **out, inv_err *e);
void inv_source_free(inv_source *s);

/* Whether s is a folder of documents; the folder (or the register's
 * path); the contract; the register id. Owned by s. */
int inv_source_is_documents(const inv_source *s);
const char *inv_source_where(const inv_source *s);
const char *inv_source_contract(const inv_source *s);
/* The highest version s knows of (0: none); a folder may lack later ones. */
int inv_source_latest(inv_source *s, int64_t *n, inv_err *e);

/* The versions a folder holds: first to last (0 when it holds none), the
 * last's date and agreement date (0: not agreed by the signature files of
 * the folder), and which parties signed it there. A folder cannot show a
 * version made after its last: an answer from it holds as far as its
 * versions show. */
typedef struct inv_held {
    int64_t first, last;
    int64_t last_date, last_agreed;
    int last_signed[2]; /* by role index: the folder holds that party's signature(s) */
} inv_held;

/* What s holds (all zero for the register, which holds every version).
 * INV_EIO when out of memory. */
int inv_source_held(inv_source *s, inv_held *out, inv_err *e);

/* The answer to "which version was in force at t, and was id in it". */
typedef struct inv_at_answer {
    inv_in_force inf;   /* version (0: none), agreed_at, latest committed by t */
    inv_vinfo in_force; /* inf.version, checked (when inf.version) */
    inv_vinfo later;    /* inf.latest, unchecked (when inf.latest > inf.version) */
    int found;          /* id given, in_force.hold: version inf.version lists id */
    inv_item item;      /* its block, when found */
    inv_held held;      /* a folder: the versions it holds (zero for the register) */
    int64_t bound;      /* a folder: the first version after inf.version that it holds
                         * agreed by both parties and dated after t (0: none): then no
                         * version after the folder's can have been agreed by t */
    int64_t bound_date; /* its date */
    int64_t open_after; /* a folder, no bound: a version after this one agreed by t
                         * would change the answer (the folder's last, or the version
                         * in force when a version after it dated by t lacks a
                         * signature in the folder) */
} inv_at_answer;

/* Answers at t (and id, may be NULL): the highest-numbered version agreed
 * by both parties at or before t, from the signed dates of the signatures
 * of every version newer than it, whatever their dates (as
 * inv_in_force_at); that version's link to the version before it and its
 * signatures checked; the latest version committed by t when newer; and,
 * when the version in force holds, id's block in it. A version in force
 * that does not hold is an answer (a->in_force.hold 0: the caller says it
 * does not hold), not an error. From a folder, a version the answer must
 * rely on and cannot is an error, INV_FAIL naming it and the folder: a
 * version the folder lacks that may have been agreed by t (it is not
 * preceded by a version present dated after t) or that the version in
 * force follows, and a version whose signature files do not all hold and
 * whose signed dates may therefore make it agreed by t. From the
 * register: INV_FAIL naming the version when its rows or stored signature
 * rows were changed outside scopereg. Free a with inv_at_answer_free
 * whatever the outcome. */
int inv_answer_at(inv_source *s, int64_t t, const char *id, inv_at_answer *a, inv_err *e);
void inv_at_answer_free(inv_at_answer *a);

/* One step of an item's history with its version, checked. */
typedef int (*inv_answer_step_fn)(void *ctx, const inv_history_step *s, const inv_vinfo *vi);

/* What a history came to. */
typedef struct inv_history_answer {
    int64_t steps;        /* versions where id was added, modified or removed */
    int64_t broken;       /* of those, versions that do not hold (!vi->hold) */
    int64_t last_version; /* of the last step */
    int removed;          /* the last step is a removal */
    int64_t latest;       /* the highest version of the source */
    int64_t lacks;        /* a folder's first absent version below latest (0: none):
                           * what it did to id is unknown */
    int64_t doubt;        /* a folder's first version outside the steps that does not
                           * hold (0: none): what it did to id cannot be relied on */
    char *doubt_why;      /* its reason (malloc'd) */
    inv_held held;        /* a folder: the versions it holds (zero for the register) */
} inv_history_answer;

/* Walks every version where id was added, modified or removed, oldest
 * first, calling fn with the step and its version checked (the register:
 * from the item rows, refused with INV_FAIL before any step when they do
 * not tell one life, as inv_history; a folder: from each version's
 * document, looked up streamed, the change as its changes list it, the
 * state before as the nearest earlier document present lists it). Fills
 * out; INV_OK even when a version does not hold or a folder lacks one
 * (out says which: the caller says so). fn's non-zero return stops the
 * walk and is returned. Free out with inv_history_answer_free. */
int inv_answer_history(inv_source *s, const char *id, inv_answer_step_fn fn, void *ctx,
                       inv_history_answer *out, inv_err *e);
void inv_history_answer_free(inv_history_answer *a);

#endif
