/*
 * work.h - layer 3 of inventory/: what commands do. Staging and key
 * rotation staging, commit, verification, CSV import and export,
 * signatures (check, attach, state), the dispute queries (in force at a
 * date, history of an item) and what a report reads. Uses document.h and
 * the layers below.
 */
#ifndef SCOPEREG_WORK_H
#define SCOPEREG_WORK_H

#include "document.h"
#include "checkpoint.h"
#include "terms.h"

/* ---- Staging (work/stage.c) and commit (work/commit.c) ---- */

/* The effective state of id: staged if staged, else in the latest version.
 * Returns INV_FAIL (no message) when the id is in neither or is staged for
 * removal. staged (may be NULL) tells whether it came from staging. */
int inv_item_current(inv_register *r, const char *id, inv_item *out, int *staged,
                     inv_err *e);

/* Stages a new item. INV_EINPUT if the id is in scope or already staged. */
int inv_stage_add(inv_register *r, const inv_item *it, inv_err *e);

/* Stages the new full state of an existing item (in scope or staged as an
 * addition). INV_EINPUT if unknown. An edit that restores the committed
 * state unstages the item. */
int inv_stage_edit(inv_register *r, const inv_item *it, inv_err *e);

/* Stages the removal of an item in scope, with a non-empty reason; a
 * staged addition is simply dropped. INV_EINPUT if unknown. */
int inv_stage_remove(inv_register *r, const char *id, const char *reason, inv_err *e);

/* Drops staged changes: of id, or all when id is NULL. INV_EINPUT if id
 * has nothing staged. */
int inv_stage_reset(inv_register *r, const char *id, inv_err *e);

/* Walks the staged changes in id order (no-op edits are left out). */
int inv_stage_walk(inv_register *r, inv_change_fn fn, void *ctx, inv_err *e);

/* Number of staged changes. */
int inv_stage_count(inv_register *r, int64_t *count, inv_err *e);

/* Turns the staged changes into version N+1 (date now, author, message),
 * atomically. INV_EINPUT when nothing is staged, the message is empty or
 * now is before the latest version's date. *number gets N+1. */
int inv_commit(inv_register *r, const char *message, const char *author, int64_t now,
               int64_t *number, inv_err *e);

/* Whether the next inv_commit through r renders its version with every
 * digest a signature needs (the minisign prehash, the leaves and the
 * checkpoint's root, besides the BLAKE2b-256 it records) in its one
 * rendering, and keeps them on r as inv_checkpoint_get keeps its own:
 * signing the version just committed through r (scopereg commit --sign)
 * then renders nothing again. The commit pays those hashes (on other
 * threads). Cannot fail. */
void inv_commit_with_digests(inv_register *r, int on);

/* What the last successful inv_commit or inv_import_commit through r
 * recorded: its number, item count and document hash, copied into the
 * caller's variables without reading the register (so that a command
 * reports a commit that happened even when memory then runs out).
 * INV_EINPUT when nothing was committed through r. Only meaningful after
 * the commit returned INV_OK. */
int inv_last_commit(const inv_register *r, int64_t *number, int64_t *items,
                    char hash[CR_HASH_STR_LEN], inv_err *e);

/* ---- Verification (work/verify.c, work/rows.c) ---- */

typedef struct inv_check {
    int64_t version;
    int ok;             /* 1 when the version holds */
    const char *reason; /* why not, when !ok */
    const inv_sig_state *sigs; /* what the signatures that verify establish */
    const char *doc_hash;      /* recomputed "blake2b-256:<hex>" ("" if unknown) */
    const struct inv_cp_state *cp; /* its checkpoint (derived in the same rendering) and
                                    * what its stored signatures establish; NULL when the
                                    * version could not be rendered */
} inv_check;
typedef int (*inv_check_fn)(void *ctx, const inv_check *c);

/* Re-renders every version, recomputes every hash, checks every link and
 * the stored rows; calls fn once per version. Returns INV_OK when all
 * holds, INV_FAIL when something does not (e names the first version that
 * does not hold), other codes on error. */
int inv_verify(inv_register *r, inv_check_fn fn, void *ctx, inv_err *e);

/* Checks that the stored rows of version n (n >= 1) make it what its
 * document says: items(n) = items(n-1) + changes(n), every row's since,
 * until and op agreeing with that, its date not before version n-1's
 * (the message names both dates), and the two parties holding different
 * keys at n. Together with a rendering of n (which refuses an id listed
 * twice) this is what inv_verify checks of version n, at the cost of one
 * scan of the item table (no rendering). inv_doc_digests runs it, so
 * sign, attach and every signature check refuse a version that fails it.
 * INV_FAIL naming the version and the item (or key) at fault; INV_EIO on
 * a database error. */
int inv_version_check(inv_register *r, int64_t n, inv_err *e);

/* ---- CSV import and export (work/import.c, work/export.c) ---- */

typedef struct inv_import_opts {
    const char *path;            /* the CSV file */
    const char *const *maps;     /* "HEADER=FIELD" overrides */
    size_t nmaps;
    const char *default_kind;    /* --kind: for rows without a kind column */
    const char *delimiter;       /* --delimiter as typed, or NULL to sniff */
    const char *encoding;        /* --encoding as typed, or NULL for UTF-8 */
    int sync;                    /* stage the removal of every item the file lacks */
    const char *sync_reason;     /* reason of those removals; NULL: a default one */
    int dry_run;                 /* undo everything at the end */
    size_t max_errors;           /* messages kept; 0: 20 */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;
    /* Onboarding of real files (docs/DESIGN.md, "CSV import"). */
    const char *source;          /* --source NAME: where the file comes from */
    const char *const *map_kinds; /* "VALUE=KIND" (--map-kind) */
    size_t nmap_kinds;
    const char *const *fill_down; /* headers (or "#N") filled from the row above */
    size_t nfill_down;
    const char *const *wheres;   /* "HEADER=VALUE" / "HEADER!=VALUE": rows kept */
    size_t nwheres;
    long header_row;             /* line of the header; 0: found by itself */
    int allow_duplicates;        /* let a serial or an id but for case repeat */
    const char *save_profile;    /* store profile_args under this name on success */
    const char *const *profile_args; /* the options to store ("--map", "X=id", ...) */
    size_t nprofile_args;
} inv_import_opts;
typedef struct inv_import_result {
    int64_t rows, added, modified, removed, unchanged;
    int delimiter;          /* the delimiter used */
    int sniffed, bom;       /* delimiter sniffed; BOM skipped */
    char encoding[16];
    char *columns;          /* "HEADER -> field" lines, malloc'd */
    char *errors;           /* one message per line ("FILE:LINE: column 'H': ..."), malloc'd */
    int64_t nerrors;
    long header_line;       /* where the header was found (lines before it skipped) */
    int64_t left_out;       /* rows --where left out */
    int64_t totals;         /* "Total" rows skipped */
    char *notes;            /* lines for people: skipped total rows, kept items, ...; malloc'd */
    int profile_saved;      /* o->save_profile was stored */
    int64_t staged_before;  /* inv_import_commit: changes staged before it (item, term
                             * and key), which the version holds too */
} inv_import_result;

/* Whether a staged modification changes only spellings: every changed
 * field differs from its old value only by case, accents, spaces or
 * punctuation ("Hewlett-Packard" -> "HEWLETT PACKARD"). Cannot fail. */
int inv_change_spelling_only(const inv_change *c);

/* Import profiles: the options of an import, stored in the register under
 * a name (1 to 64 of A-Z a-z 0-9 . _ -). inv_import_profile_get fills
 * *args with a malloc'd array of *nargs malloc'd strings ("--map",
 * "Type=kind", ...) that the caller frees with inv_strv_free; INV_EINPUT
 * naming the profiles there are when name is unknown. */
int inv_import_profile_get(inv_register *r, const char *name, char ***args, size_t *nargs,
                           inv_err *e);

/* Calls fn for each stored profile in name order, with its options joined
 * as a command line would show them. */
typedef int (*inv_profile_fn)(void *ctx, const char *name, const char *options);
int inv_import_profiles(inv_register *r, inv_profile_fn fn, void *ctx, inv_err *e);
void inv_strv_free(char **v, size_t n);

/* Records that id was staged by hand (add): --sync --source never
 * withdraws it, and --sync without --source is refused. Call after a
 * successful inv_stage_add; INV_EIO on a database error. */
int inv_item_source_hand(inv_register *r, const char *id, inv_err *e);

/* The sources that brought or updated id ("glpi, excel"; "by hand"),
 * malloc'd, "" when none is known; NULL when out of memory. For status. */
char *inv_item_sources(inv_register *r, const char *id);
void inv_import_result_free(inv_import_result *res);

/* Imports a CSV file into the staged changes, in one transaction: new ids
 * are staged as additions, rows that differ from the item's current state
 * as edits (columns absent from the file leave the item's fields alone; an
 * empty cell removes that attribute), equal rows are left alone. With
 * o->sync, every item in scope that the file lacks is staged for removal.
 * All or nothing: on any bad row nothing is staged, every error is listed
 * in res->errors (up to the cap) and INV_EINPUT is returned. fn (may be
 * NULL) is called for every staged change once the file was read without
 * error (before a dry run is undone). res is freed by the caller with
 * inv_import_result_free whatever the outcome. */
int inv_import(inv_register *r, const inv_import_opts *o, inv_change_fn fn, void *ctx,
               inv_import_result *res, inv_err *e);
/* Imports as inv_import does, then commits what it staged as version
 * *number (as inv_commit, with message, author and now), all in one
 * transaction: on any error nothing is written. Into a register with no
 * version, no item row, nothing staged and no staged key, the rows go
 * straight to the item rows of version 1, without staging. o->dry_run is
 * refused (INV_EINPUT). res as for inv_import. */
int inv_import_commit(inv_register *r, const inv_import_opts *o, const char *message,
                      const char *author, int64_t now, inv_import_result *res,
                      int64_t *number, inv_err *e);
enum { INV_EXPORT_CSV = 0, INV_EXPORT_EXCEL = 1 };

/* Writes version n as CSV into sink: header id,kind,name then every
 * attribute key in use (sorted); one row per item in id order; RFC 4180
 * quoting, LF line ends, UTF-8. INV_EXPORT_EXCEL: ';', a UTF-8 BOM, CRLF,
 * and cells starting with = + - @ TAB or CR prefixed with ' so a
 * spreadsheet never runs them as formulas. */
int inv_export_csv(inv_register *r, int64_t n, int flavour, inv_sink_fn sink, void *ctx,
                   inv_err *e);

/* ---- Signatures (work/signature.c) ---- */

/* BLAKE2b-512 of the document of version n (the minisign prehash) and its
 * BLAKE2b-256 in "blake2b-256:<hex>" form, streamed, never held whole.
 * The handle keeps the last result, so asking again for the same version
 * (sign, then the check of that signature) renders once; inv_verify never
 * uses it. A version that fails inv_version_check has no document to sign
 * or check: INV_FAIL with its message. */
int inv_doc_digests(inv_register *r, int64_t n, unsigned char prehash[64],
                    char doc_hash[CR_HASH_STR_LEN], inv_err *e);

/* Checks the text of a .minisig against version n: it parses, its key is
 * the key of a party in force at n, its trusted comment names this
 * register, version n, that role and the document's hash, is not dated
 * before version n, and both signatures verify over the document, which
 * must pass inv_version_check (inv_doc_digests). INV_FAIL (verification) or
 * INV_EINPUT (malformed) with a message saying which; on success tc gets
 * the trusted comment's fields. */
int inv_sig_check(inv_register *r, int64_t n, const char *minisig, size_t len, inv_tc *tc,
                  inv_err *e);

/* inv_sig_check, then stores it. A signature dated after the clock
 * (inv_set_clock) plus INV_CLOCK_SKEW is refused (INV_FAIL). A second
 * signature of the same version by the same key is refused (INV_EINPUT)
 * unless the same signature, its untrusted comment (not signed) aside
 * (INV_OK, *already set when given). */
int inv_sig_attach(inv_register *r, int64_t n, const char *minisig, size_t len, inv_tc *tc,
                   int *already, inv_err *e);

/* Signature state of a version from the stored signatures, taken from
 * their signed trusted comments, never from the row's columns alone: each
 * must parse, be by a key that signs the version, carry a global
 * signature that verifies with that key, name this register, the version,
 * the role of its key and the version's recorded document hash, not be
 * dated before the version, and agree with the row's role, key id and
 * date. Any
 * that does not is tampering: INV_FAIL naming the version and the role
 * (nothing counted). The signature over the document itself is checked by
 * inv_sigs_check and inv_verify, which render it. A party has signed when
 * every key it must sign with has: its key in force at the version, plus
 * its previous key when the version replaces that party's key (need 2):
 * inv_sig_state and the tally are in values/sigtally.h. */
int inv_sig_state_get(inv_register *r, int64_t n, inv_sig_state *out, inv_err *e);

/* ---- Key rotation staging (work/rekey.c; reads: store.h) ----
 *
 * A party's key is replaced by a version of its own: the replacement is
 * staged (like an item change), the next commit writes the new key in
 * force from that version on (party_key row with since = N), its document
 * names the new key in the header and records "key ROLE: OLD -> NEW" in
 * its changes, and that version is agreed only once signed by the
 * rotating party's old key and new key, and by the other party. */

/* Stages the replacement of role's key by pk for the next version,
 * replacing an earlier staged replacement of that role. INV_EINPUT when
 * role is not "provider" or "client", there is no version yet, pk is
 * already that party's key, or pk is (or was, or is staged as) the other
 * party's key. old (may be NULL) gets the key it replaces. */
int inv_rekey_stage(inv_register *r, const char *role, const cr_pubkey *pk, cr_pubkey *old,
                    inv_err *e);

/* Drops the staged replacement of role's key (NULL: of both keys).
 * INV_EINPUT when role names nothing staged. */
int inv_rekey_reset(inv_register *r, const char *role, inv_err *e);

/* Whether a replacement of role's key is staged (*staged), and which
 * (*pk, may be NULL). INV_FAIL when the staged key is malformed. */
int inv_rekey_staged(inv_register *r, const char *role, int *staged, cr_pubkey *pk,
                     inv_err *e);

/* ---- Dispute: at, history (work/history.c) and the HTML annex
 * data (inventory/work/report.c) ---- */

/* inv_agreed_at: values/sigtally.h. */

/* The scope in force at t: the highest-numbered version agreed at or
 * before t (inv_agreed_at), from the signed trusted comments of the stored
 * signatures (inv_sig_state_get) of every version newer than it, whatever
 * their dates; a newer version agreed first wins over an older one
 * countersigned later. version is 0 when no version was agreed by t.
 * latest is the latest version committed at or before t (0: none), which
 * may be newer than version and not (yet) agreed then. INV_FAIL naming
 * the version and role when a stored signature of those versions was
 * tampered with (inv_sig_state_get). */
typedef struct inv_in_force {
    int64_t version;
    int64_t agreed_at;
    inv_sig_state sigs;
    int64_t latest;
} inv_in_force;
int inv_in_force_at(inv_register *r, int64_t t, inv_in_force *out, inv_err *e);

/* One stored signature of a version, checked (inv_sigs_check). */
typedef struct inv_sig_result {
    const inv_sig_row *row; /* the stored row */
    int ok;                 /* the signature holds */
    const char *reason;     /* why not, when !ok */
} inv_sig_result;
typedef int (*inv_sig_result_fn)(void *ctx, const inv_sig_result *s);

/* Checks every stored signature of version n (n >= 1) with inv_sig_check,
 * and that the row's role, key id and date are those the signature's
 * trusted comment signs; calls fn (may be NULL) once per signature, by
 * role. INV_OK when every one holds (or there is none), INV_FAIL naming
 * the first that does not, other codes on error. Renders the document
 * once per signature. */
int inv_sigs_check(inv_register *r, int64_t n, inv_sig_result_fn fn, void *ctx, inv_err *e);

/* One version in the life of an item: change.op is INV_OP_ADD (before
 * NULL), INV_OP_EDIT (before and after: the previous and the new state) or
 * INV_OP_REMOVE (before: the state withdrawn, after NULL, reason). */
typedef struct inv_history_step {
    int64_t version;
    inv_change change;
} inv_history_step;
typedef int (*inv_history_fn)(void *ctx, const inv_history_step *s);

/* Walks every version where item id was added, modified or removed,
 * oldest first, from the item rows (one query). fn is never called when
 * the id was never in a committed version (INV_OK: the caller says so).
 * INV_FAIL naming the version, before any step, when the item's rows do
 * not tell one life as inv_verify checks it (a row ending without a
 * change, a removal while still listed, a modification of an item that
 * was not in scope...). */
int inv_history(inv_register *r, const char *id, inv_history_fn fn, void *ctx, inv_err *e);

/* What a report of version n reads (inventory/work/report.c; the HTML
 * annex itself is output/annex.c). */

/* INV_OK when version n re-renders to its recorded hash and every stored
 * signature of it holds (inv_sigs_check), so that a report shows what was
 * signed; INV_FAIL naming the version (or the signature) otherwise, other
 * codes on error. */
int inv_report_check(inv_register *r, int64_t n, inv_err *e);

/* One kind of version n and how many of its items have it. */
typedef struct inv_kind_count {
    char *kind;
    int64_t count;
} inv_kind_count;

/* The kinds of version n's items with their counts, by kind name; *out
 * (NULL when there is none) is freed with inv_kind_counts_free. INV_EIO on
 * a database error or out of memory (nothing to free). */
int inv_kind_counts(inv_register *r, int64_t n, inv_kind_count **out, size_t *nout,
                    inv_err *e);
void inv_kind_counts_free(inv_kind_count *k, size_t n);

/* Calls fn for each item of version n whose kind is kind, by id, with its
 * coverage in a scope-register/2 version (the item
 * is valid during the call only). Stops and returns what fn returns when
 * non-zero; INV_EIO on a database error. */
int inv_items_of_kind(inv_register *r, int64_t n, const char *kind, inv_item_fn fn, void *ctx,
                      inv_err *e);

/* ---- Checkpoint signatures (work/cpsig.c) ---- */

/* The checkpoint of version n (docs/FORMAT.md, scope-checkpoint/1): the
 * version must pass inv_version_check and re-render to its recorded hash
 * (INV_FAIL with the message otherwise; INV_EINPUT: no version n). One
 * rendering gives it and the document's digests, which the handle keeps
 * (inv_doc_digests of the same version then renders nothing). On success
 * the caller frees out with inv_checkpoint_free. */
int inv_checkpoint_get(inv_register *r, int64_t n, inv_checkpoint *out, inv_err *e);

/* Checks the text of a checkpoint .minisig against version n: it parses
 * (INV_EINPUT otherwise), is by the key a party holds at n (the key the
 * document names; a rotation's old key never signs a checkpoint), and
 * holds over the checkpoint derived from the register
 * (inv_checkpoint_sig_check, with the handle's clock). INV_FAIL naming
 * the version, role and check; tc gets the trusted comment's fields. */
int inv_cpsig_check(inv_register *r, int64_t n, const char *minisig, size_t len, inv_cptc *tc,
                    inv_err *e);

/* inv_cpsig_check, then stores it in the table checkpoint_signature
 * (created then in a register made before checkpoints). The same
 * signature again (untrusted comment aside) is INV_OK with *already set
 * (may be NULL); another one by the same key INV_EINPUT. */
int inv_cpsig_attach(inv_register *r, int64_t n, const char *minisig, size_t len, inv_cptc *tc,
                     int *already, inv_err *e);

/* Signs the checkpoint of version n with sk (its role from its key, which
 * must be a party's key at n: INV_FAIL otherwise), dated now, with the
 * untrusted comment given (NULL: the default), and stores it
 * (inv_cpsig_attach). tc gets what was signed. The caller keeps sk. */
int inv_cpsig_sign(inv_register *r, int64_t n, const cr_seckey *sk, int64_t now,
                   const char *untrusted, inv_cptc *tc, inv_err *e);

/* What the stored checkpoint signatures of a version establish. */
struct inv_cp_state {
    int signed_[2];    /* by role: a checkpoint signature that holds (at a rotation of
                        * that role's key: by the new key and by the key replaced) */
    int64_t at[2];     /* its signed: date (the later of the two at a rotation) */
    int broken;        /* a stored one does not hold */
    char root[65];     /* the checkpoint's root, hex */
    int64_t items;
    int64_t doc_at[2]; /* when signed_: the document-signed: date its trusted comment
                        * states (the later of the two at a rotation): when that party
                        * agreed the document */
    int rotates[2];    /* version n replaces that role's key */
    int old_signed[2]; /* ... and the key replaced signed the checkpoint */
    int new_only[2];   /* ... and only the new key signed it (not signed_ then) */
    int old_only[2];   /* ... and only the key replaced signed it (not signed_ then) */
    int64_t old_at[2], old_doc_at[2];
};
typedef struct inv_cp_state inv_cp_state;

/* Checks every stored checkpoint signature of version n against its
 * checkpoint cp (NULL: derived here by inv_checkpoint_get, one rendering)
 * and fills out; as inv_sig_state_get, a signed: date after the clock is
 * not refused here (verify and attach refuse it). INV_FAIL naming the version and role at the first that
 * does not hold (parse, key, signature, trusted comment, dates, the row's
 * role/key id/date against the signed trusted comment); INV_EIO on a
 * database error. Nothing to free. */
int inv_cpsig_state(inv_register *r, int64_t n, const inv_checkpoint *cp, inv_cp_state *out,
                    inv_err *e);

/* "agreed", "provider only", "client only", "none" or "broken" (a stored
 * checkpoint signature does not hold): the checkpoint field of verify
 * --json. Static strings. Cannot fail. */
const char *inv_cp_status(const inv_cp_state *s);

#endif
