/*
 * evidence.h - planning an evidence bundle: versions 1 to N (N the
 * version in force at a date), re-rendered, re-hashed, re-parsed and
 * their signatures checked as a third party will check them; the keys
 * the chain uses; the answer to the question asked and its facts.
 *
 * The planner names every file (inv_bundle_name) and hands its bytes to
 * the caller's sink, one version at a time; it writes nothing itself and
 * prints nothing. The text of VERIFY.txt is an output (output/verify_txt.c).
 */
#ifndef SCOPEREG_EVIDENCE_H
#define SCOPEREG_EVIDENCE_H

#include "work.h"

/* A stored signature of a version of the bundle. */
typedef struct inv_ev_sig {
    int role, old; /* INV_ROLE_*; old: by the key the version replaces */
    char key_id[CR_KEYID_HEX];
    int64_t signed_at;
    char file[256]; /* <stem>-vN.ROLE[.old].minisig */
    char *trusted;  /* its trusted comment */
} inv_ev_sig;

/* A version of the bundle, checked. */
typedef struct inv_ev_version {
    int64_t n, date, item_count;
    char doc[256]; /* <stem>-vN.scope */
    char hash[CR_HASH_STR_LEN], previous[CR_HASH_STR_LEN];
    char key[2][CR_KEYID_HEX], old_key[2][CR_KEYID_HEX]; /* as its header names them */
    inv_ev_sig *sigs; /* provider, client, then the old keys */
    size_t nsigs;
    inv_sig_state st; /* what the signatures that hold establish */
    int64_t agreed_at;
    char cp_file[256]; /* <stem>-vN.checkpoint, "" when it has no checkpoint signature */
    inv_ev_sig cpsigs[4]; /* its checkpoint signatures that hold, ncpsigs of them: each
                           * party's, and at a rotation the replaced key's too */
    size_t ncpsigs;
} inv_ev_version;

/* A public key the bundle holds. */
typedef struct inv_ev_key {
    int role;
    char id[CR_KEYID_HEX];
    cr_pubkey pk;
    int64_t from, to; /* versions of the bundle whose header names it */
    int64_t replaced; /* the version that replaces it, 0 if none in the bundle */
    char file[256];   /* <stem>.ROLE.pub when in force at N, else <stem>.ROLE.KEYID.pub */
} inv_ev_key;

/* A step of the asked item's life up to N, from the changes. */
typedef struct inv_ev_step {
    int64_t version;
    char op;      /* '+', '~', '-' */
    char *detail; /* '~': the fields changed ("a, b"); '-': the reason, escaped */
} inv_ev_step;

typedef struct inv_evidence {
    char *id;              /* the item asked about, or NULL */
    int64_t t, made;       /* the date asked about; when the bundle is made */
    int at_given;          /* t was given (else it is made) */
    char when[32];         /* t, formatted */
    char stem[80];         /* inv_doc_stem of the contract */
    char *contract;
    char register_id[33];
    char *party[2];        /* names at N, by role */
    inv_in_force inf;      /* the version in force at t (N = inf.version) */
    int64_t latest;        /* the latest version of the register when made */
    int64_t later_date, later_agreed; /* inf.latest when newer than N: its date, and */
    inv_sig_state later_st;           /* when it was agreed (0: not) and its state */
    inv_item item;         /* the item as N lists it, when found */
    int found;
    /* the terms of N its coverage names (a /2 version): its services, then
     * its service-level class, as N's document lists them */
    inv_term *terms;
    size_t nterms;
    inv_ev_step *steps;
    size_t nsteps;
    inv_ev_version *v;     /* v[0] is version 1; nv = N once planned */
    int64_t nv;
    inv_ev_key *keys;
    size_t nkeys;
} inv_evidence;

/* Asks the register: the version in force at t (made: the clock the
 * signatures are checked against), its parties, the item id (may be
 * NULL: no item asked) as it lists it and its life up to then, the
 * latest version and the state of a later one. INV_FAIL when no version
 * was agreed by t (e says so, "nothing written"); other codes on error.
 * ev is filled either way; free it with inv_evidence_free. */
int inv_evidence_ask(inv_register *r, const char *id, int64_t t, int at_given, int64_t made,
                     inv_evidence *ev, inv_err *e);

/* Where a planned file goes: file takes data (malloc'd, len bytes) in all
 * cases; version_done (may be NULL) is called once a version's files were
 * all given. A nonzero return stops the planning and is returned as is,
 * with e->msg "" (the sink reported it). */
typedef struct inv_ev_sink {
    int (*file)(void *ctx, const char *name, char *data, size_t len);
    int (*version_done)(void *ctx, int64_t n);
    void *ctx;
} inv_ev_sink;

/* Plans versions 1 to N after inv_evidence_ask: each version's document
 * then its signatures (provider, client, old keys last), then the public
 * keys, through sink. Every version is re-rendered and must hash to what
 * was recorded at commit, link to the version before, make of it what its
 * changes say, parse, name the register's keys; every stored signature
 * must hold as minisign will check it. INV_FAIL (e: "version N does not
 * hold: ...; no evidence written ...") when something does not; INV_EIO
 * on memory or register errors; the sink's code when it fails. */
int inv_evidence_plan(inv_register *r, inv_evidence *ev, const inv_ev_sink *sink, inv_err *e);

/* The key of that role and id in the bundle, or NULL. */
const inv_ev_key *inv_evidence_key(const inv_evidence *ev, int role, const char *id);

/* Frees everything ev holds (not ev itself). */
void inv_evidence_free(inv_evidence *ev);

#endif
