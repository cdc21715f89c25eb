/*
 * inventory.h - the register of scopereg: schema, items, staging, versions,
 * rendering of scope documents, diff, verification, CSV import and export.
 *
 * All SQL and all CSV handling live behind this header. Nothing here
 * prints to the terminal or exits: every function returns one of the INV_*
 * codes and, on failure, fills the inv_err it was given with a one-line
 * message (lower case, no trailing full stop) naming the file, line, column
 * or field at fault.
 *
 * Memory: strings and items handed out are owned by the caller unless said
 * otherwise, and are freed with the matching *_free function.
 *
 * Exported symbols carry the prefix "inv_".
 */
#ifndef SCOPEREG_INVENTORY_H
#define SCOPEREG_INVENTORY_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crypto.h"

/* Result codes; they are the exit codes of the command line. */
enum {
    INV_OK = 0,     /* success, or a positive answer */
    INV_FAIL = 1,   /* verification failed, or a negative answer */
    INV_EINPUT = 2, /* usage or input error: nothing was changed */
    INV_EIO = 3     /* I/O or internal error */
};

typedef struct inv_err {
    int code;
    char msg[2048];
} inv_err;

/* Sets e->code, formats e->msg and returns code. e may be NULL. */
int inv_fail(inv_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The format tag on the first line of every scope document. */
#define INV_FORMAT_TAG "scope-register/1"

/* A growable byte buffer, always NUL-terminated after len bytes. Free
 * with inv_buf_free. The add functions return -1 when out of memory. */
typedef struct inv_buf {
    char *data;
    size_t len, cap;
} inv_buf;

/* ---- Time: seconds since the epoch, UTC ---- */

/* Parses "YYYY-MM-DD" (the start of that day, 00:00:00Z) or RFC 3339
 * ("YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm|-hh:mm)"). With end_of_day set, a
 * bare day means its last second, 23:59:59Z. Returns INV_EINPUT on a
 * malformed or impossible date. */
int inv_time_parse(const char *text, int end_of_day, int64_t *out, inv_err *e);
/* Formats as "YYYY-MM-DDTHH:MM:SSZ" into out (at least 21 bytes). */
void inv_time_format(int64_t t, char *out, size_t outlen);

/* ---- Items ---- */

typedef struct inv_attr {
    char *key;
    char *value;
} inv_attr;

/* An item of the technical scope. attrs are kept sorted by key (bytewise),
 * keys unique. kind is a canonical kind name (see inv_kind_canonical). */
typedef struct inv_item {
    char *id;
    char *kind;
    char *name; /* may be "" but never NULL once set */
    inv_attr *attrs;
    size_t nattrs, cap;
} inv_item;

/* Zero-initialises. */
void inv_item_init(inv_item *it);
/* Frees every string and resets to the initial state. */
void inv_item_free(inv_item *it);
/* Deep copy into dst (initialised or freed first); INV_EIO when out of memory. */
int inv_item_copy(inv_item *dst, const inv_item *src);
/* Sets field "kind", "name" or an attribute. Value copied. The key is
 * normalised first (see inv_key_normalise) and must be valid; value must
 * pass inv_value_check. INV_EINPUT with a message naming the field. */
int inv_item_set(inv_item *it, const char *key, const char *value, inv_err *e);
/* Removes attribute key; INV_EINPUT if it is "kind"/"name"/"id" or absent. */
int inv_item_unset(inv_item *it, const char *key, inv_err *e);
/* Looks up an attribute value, or NULL. */
const char *inv_item_get(const inv_item *it, const char *key);
/* Whether two items have the same kind, name and attributes (id ignored). */
int inv_item_equal(const inv_item *a, const inv_item *b);
/* Checks id, kind, name and attributes; INV_EINPUT naming the field. */
int inv_item_check(const inv_item *it, inv_err *e);

/* Length of the valid UTF-8 sequence at s (n bytes available), 0 when
 * invalid: overlong forms, surrogates and code points past U+10FFFF are
 * invalid. Cannot fail. */
size_t inv_utf8_len(const unsigned char *s, size_t n);

/* Validates an item id: non-empty, at most 200 bytes, valid UTF-8, no
 * control character, no leading or trailing space. */
int inv_id_check(const char *id, inv_err *e);
/* Validates a value: valid UTF-8, no control character other than TAB and
 * LF, at most INV_VALUE_MAX bytes. field names it in the message. */
int inv_value_check(const char *field, const char *value, inv_err *e);
#define INV_VALUE_MAX 65536
/* Normalises an attribute key in place to lower case ASCII
 * [a-z0-9][a-z0-9_.-]* : letters folded, accents stripped from Latin-1
 * letters, spaces and other separators turned into '_', repeated or edge
 * '_' removed. Returns 0, or -1 when nothing usable is left. */
int inv_key_normalise(char *key);
/* Validates a key that should already be normal. */
int inv_key_check(const char *key, inv_err *e);

/* Canonical kind for a name or alias (English or French, any case,
 * accents optional): "workstation", "server", "os", "software", "network",
 * "printer", "vpn", "other". Plurals ("Laptops", "Switches", "Serveurs")
 * are accepted. NULL if unknown. */
const char *inv_kind_canonical(const char *text);
/* A sentence listing the kinds and their aliases, for error messages. */
const char *inv_kind_help(void);
/* The accepted name closest to text (for "did you mean"), never NULL.
 * Not reentrant: the result lives in a static buffer until the next call. */
const char *inv_kind_closest(const char *text);
/* The accepted name close enough to text to be worth suggesting (an edit
 * distance of at most one in four letters), or NULL when none is: "servuer"
 * gives "server", "Ornamental Railings" nothing. Not reentrant (static
 * buffer). */
const char *inv_kind_suggest(const char *text);
/* "workstation, server, ..., other": the canonical kinds, for messages. */
const char *inv_kind_list(void);
/* Sets like inv_item_set after mapping key through the CSV header aliases
 * that import uses ("Numéro de série" -> serial, "Fabricant" -> vendor,
 * "Type" -> kind), so add/edit --set and import store the same key.
 * INV_EINPUT (naming the key) for id, as inv_item_set. */
int inv_item_set_alias(inv_item *it, const char *key, const char *value, inv_err *e);
/* The key inv_item_set_alias would use for key, written to out (outlen
 * bytes); -1 when no key can be made. For --unset. */
int inv_item_key_alias(const char *key, char *out, size_t outlen);

/* ---- The register ---- */

typedef struct inv_register inv_register;

typedef struct inv_party {
    char *name;
    cr_pubkey key;
} inv_party;

typedef struct inv_init {
    const char *contract; /* contract reference, required */
    const char *provider_name;
    const char *client_name;
    cr_pubkey provider_key;
    cr_pubkey client_key;
    int64_t now;
} inv_init;

/* Creates a new register at path. Refuses (INV_EINPUT) when path exists.
 * On failure nothing is left at path. */
int inv_create(const char *path, const inv_init *init, inv_err *e);

/* Opens an existing register. INV_EINPUT when path is missing or is not a
 * scopereg register. The caller closes it with inv_close. */
int inv_open(const char *path, int writable, inv_register **out, inv_err *e);
void inv_close(inv_register *r);

/* Register metadata; pointers stay valid until inv_close. */
const char *inv_register_id(const inv_register *r);
const char *inv_contract(const inv_register *r);
const char *inv_path(const inv_register *r);

/* Party of role "provider" or "client" as in force at version (0 means the
 * next version to be committed). Fills out (strings owned by the caller,
 * freed with inv_party_free). */
int inv_party_get(inv_register *r, const char *role, int64_t version, inv_party *out,
                  inv_err *e);
void inv_party_free(inv_party *p);

/* Explicit transaction, for commands that make several calls (import).
 * Each mutating function below otherwise runs in its own transaction. */
int inv_begin(inv_register *r, inv_err *e);
int inv_end(inv_register *r, int commit, inv_err *e);

/* ---- Staging ---- */

typedef enum inv_op { INV_OP_ADD = 'A', INV_OP_EDIT = 'E', INV_OP_REMOVE = 'R' } inv_op;

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

typedef struct inv_change {
    inv_op op;
    const char *id;
    const inv_item *before; /* NULL for an addition */
    const inv_item *after;  /* NULL for a removal */
    const char *reason;     /* removals only, may be NULL */
} inv_change;

/* Called once per change, in id order. Returning non-zero stops the walk
 * and the walking function returns that value. */
typedef int (*inv_change_fn)(void *ctx, const inv_change *c);

/* Walks the staged changes in id order (no-op edits are left out). */
int inv_stage_walk(inv_register *r, inv_change_fn fn, void *ctx, inv_err *e);
/* Number of staged changes. */
int inv_stage_count(inv_register *r, int64_t *count, inv_err *e);

/* ---- Versions ---- */

typedef struct inv_version {
    int64_t number;
    int64_t date;
    char *author;
    char *message;
    char prev_hash[CR_HASH_STR_LEN]; /* "" for version 1 */
    char doc_hash[CR_HASH_STR_LEN];
    int64_t item_count;
} inv_version;

void inv_version_free(inv_version *v);

/* Turns the staged changes into version N+1 (date now, author, message),
 * atomically. INV_EINPUT when nothing is staged, the message is empty or
 * now is before the latest version's date. *number gets N+1. */
int inv_commit(inv_register *r, const char *message, const char *author, int64_t now,
               int64_t *number, inv_err *e);

/* Latest version number, 0 when none. */
int inv_latest(inv_register *r, int64_t *number, inv_err *e);
/* Reads version n; INV_EINPUT "no version N" when absent. */
int inv_version_get(inv_register *r, int64_t n, inv_version *out, inv_err *e);
/* The latest version whose date is <= t; 0 when none. */
int inv_version_at(inv_register *r, int64_t t, int64_t *number, inv_err *e);
/* Resolves a user's version argument: a number, "latest", or a date
 * (YYYY-MM-DD = end of that day, or RFC 3339). INV_EINPUT naming it. */
int inv_version_resolve(inv_register *r, const char *arg, int64_t *number, inv_err *e);

/* Where the rendered bytes go. Returns 0 to continue, non-zero to stop. */
typedef int (*inv_sink_fn)(void *ctx, const void *data, size_t len);

/* Renders the scope document of version n into sink: exactly the bytes
 * that are hashed and signed (see docs/FORMAT.md). */
int inv_render(inv_register *r, int64_t n, inv_sink_fn sink, void *ctx, inv_err *e);

/* Renders version n into a malloc'd buffer the caller frees. */
int inv_render_mem(inv_register *r, int64_t n, char **out, size_t *len, inv_err *e);

/* Walks the differences from version a to version b (a may be 0: empty). */
int inv_diff(inv_register *r, int64_t a, int64_t b, inv_change_fn fn, void *ctx,
             inv_err *e);

/* Appends to b the lines the scope document uses for a change:
 * "+ ID", "- ID" then "  reason: ...", or "~ ID" then one
 * "  field: \"old\" -> \"new\"" line per changed field ((none) when absent).
 * Returns -1 when out of memory. */
int inv_change_format(inv_buf *b, const inv_change *c);

/* Items of version n in id order. */
typedef int (*inv_item_fn)(void *ctx, const inv_item *it);
int inv_items(inv_register *r, int64_t n, inv_item_fn fn, void *ctx, inv_err *e);

/* ---- Verification ---- */

typedef struct inv_sig_state inv_sig_state;

typedef struct inv_check {
    int64_t version;
    int ok;             /* 1 when the version holds */
    const char *reason; /* why not, when !ok */
    const inv_sig_state *sigs; /* what the signatures that verify establish */
    const char *doc_hash;      /* recomputed "blake2b-256:<hex>" ("" if unknown) */
} inv_check;

typedef int (*inv_check_fn)(void *ctx, const inv_check *c);

/* Re-renders every version, recomputes every hash, checks every link and
 * the stored rows; calls fn once per version. Returns INV_OK when all
 * holds, INV_FAIL when something does not (e names the first version that
 * does not hold), other codes on error. */
int inv_verify(inv_register *r, inv_check_fn fn, void *ctx, inv_err *e);

/* Checks that the stored rows of version n (n >= 1) make it what its
 * document says: items(n) = items(n-1) + changes(n), every row's since,
 * until and op agreeing with that, and the two parties holding different
 * keys at n. Together with a rendering of n (which refuses an id listed
 * twice) this is what inv_verify checks of version n, at the cost of one
 * scan of the item table (no rendering). inv_doc_digests runs it, so
 * sign, attach and every signature check refuse a version that fails it.
 * INV_FAIL naming the version and the item (or key) at fault; INV_EIO on
 * a database error. */
int inv_version_check(inv_register *r, int64_t n, inv_err *e);

/* ---- CSV import and export (inventory/import.c, inventory/export.c) ---- */

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

enum { INV_EXPORT_CSV = 0, INV_EXPORT_EXCEL = 1 };

/* Writes version n as CSV into sink: header id,kind,name then every
 * attribute key in use (sorted); one row per item in id order; RFC 4180
 * quoting, LF line ends, UTF-8. INV_EXPORT_EXCEL: ';', a UTF-8 BOM, CRLF,
 * and cells starting with = + - @ TAB or CR prefixed with ' so a
 * spreadsheet never runs them as formulas. */
int inv_export_csv(inv_register *r, int64_t n, int flavour, inv_sink_fn sink, void *ctx,
                   inv_err *e);

/* ---- Signatures ---- */

/* The fields of the trusted comment of a scope-document signature:
 *   scopereg register:<id> version:<N> role:<provider|client>
 *   document:blake2b-256:<hex> signed:<YYYY-MM-DDTHH:MM:SSZ>
 * (docs/FORMAT.md). */
typedef struct inv_tc {
    char register_id[64];
    int64_t version;
    char role[16];
    char doc_hash[CR_HASH_STR_LEN];
    int64_t signed_at;
} inv_tc;

/* Formats a trusted comment into out (at least 256 bytes). */
void inv_tc_format(const inv_tc *tc, char *out, size_t outlen);
/* How far a signer's clock may run ahead of the checker's (seconds): a
 * signature dated later than now + INV_CLOCK_SKEW is refused. */
#define INV_CLOCK_SKEW 300
/* Parses one: exactly the grammar above (docs/SIGNING.md), each field
 * once, in that order, single spaces, nothing before, between or after
 * (so a person reading minisign's output sees what scopereg counts);
 * INV_EINPUT naming the field that is missing, repeated, out of order or
 * malformed, or quoting (escaped, cut) the text that does not belong. */
int inv_tc_parse(const char *text, inv_tc *out, inv_err *e);
/* Sets the clock of the command using r (seconds since the epoch; the
 * system clock until set): a signature dated after it plus
 * INV_CLOCK_SKEW is refused by inv_sig_attach and reported by inv_verify.
 * Cannot fail. */
void inv_set_clock(inv_register *r, int64_t now);

/* The two roles, in the order documents list them. */
#define INV_ROLE_PROVIDER 0
#define INV_ROLE_CLIENT 1
extern const char *const inv_roles[2];
/* Index of "provider" (0) or "client" (1); -1 for anything else. */
int inv_role_index(const char *role);

/* The role ("provider" or "client") whose key in force at version n has
 * keyid, or, when that party's key is replaced at version n (key
 * rotation), whose previous key has keyid: a rotation version is signed
 * by the old and the new key. INV_EINPUT naming the key id when neither
 * party's. pk (may be NULL) gets the matching key. */
int inv_role_of_key(inv_register *r, const unsigned char keyid[CR_KEYID_BYTES], int64_t n,
                    const char **role, cr_pubkey *pk, inv_err *e);

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
 * unless byte-identical (INV_OK, *already set when given). */
int inv_sig_attach(inv_register *r, int64_t n, const char *minisig, size_t len, inv_tc *tc,
                   int *already, inv_err *e);

typedef struct inv_sig_row {
    int64_t version;
    const char *role;
    const char *key_id;
    int64_t signed_at;
    const char *minisig;
} inv_sig_row;
typedef int (*inv_sig_fn)(void *ctx, const inv_sig_row *s);
/* Walks the stored signatures of version n (all versions when n is 0), by
 * version then role. */
int inv_sig_list(inv_register *r, int64_t n, inv_sig_fn fn, void *ctx, inv_err *e);

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
 * its previous key when the version replaces that party's key (need 2). */
struct inv_sig_state {
    int provider, client;              /* signed by that party */
    int64_t provider_at, client_at;    /* latest signed: timestamp among its keys */
    int provider_need, client_need;    /* keys that must sign: 1, or 2 at a rotation */
    int provider_have, client_have;    /* how many of those did */
};
int inv_sig_state_get(inv_register *r, int64_t n, inv_sig_state *out, inv_err *e);
/* "agreed", "signed by provider", "signed by client" or "proposed". */
const char *inv_sig_state_name(const inv_sig_state *s);

/* ---- Key rotation (inventory/rotation.c) ----
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
/* Whether version n replaces role's key (*rotates); when it does, old and
 * new_key (either may be NULL) get the key in force before n and from n
 * on. INV_FAIL when a stored key is malformed. */
int inv_rotation_at(inv_register *r, int64_t n, const char *role, int *rotates,
                    cr_pubkey *old, cr_pubkey *new_key, inv_err *e);

/* ---- Scope documents outside any register (inventory/documents.c) ----
 *
 * What the client's machine and an auditor have: exported documents,
 * .minisig files and .pub files, without the register. */

/* The header and the counts of a scope document, read back from its bytes. */
typedef struct inv_doc {
    char register_id[33];
    char *contract, *author, *message; /* unescaped */
    char *party[2];                    /* names, by role index; unescaped */
    char key[2][CR_KEYID_HEX];         /* key ids in force, from the header */
    char old_key[2][CR_KEYID_HEX];     /* "" unless the version replaces that key */
    int64_t version, date;
    char previous[CR_HASH_STR_LEN];    /* "" for "previous: none" */
    int64_t items;                     /* the items: field (= item blocks) */
    int64_t changes;                   /* the changes: field (= entries) */
    int64_t added, removed, modified, rekeyed; /* change entries by type */
    char doc_hash[CR_HASH_STR_LEN];    /* BLAKE2b-256 of every byte */
    unsigned char prehash[CR_PREHASH_BYTES]; /* BLAKE2b-512, what "ED" signs */
    uint64_t size;                     /* bytes */
} inv_doc;

/* Called with each line of the changes section after "changes: N" (as
 * written, escaped, without its LF). Non-zero stops the reading. */
typedef int (*inv_doc_line_fn)(void *ctx, const char *line, size_t len);

/* Reads a scope document from f (streamed: one line in memory at a time),
 * checks it against the grammar of docs/FORMAT.md (header fields, counts,
 * the final line) and computes its digests. name prefixes the messages
 * (INV_EINPUT "NAME: line N: ..."; INV_EIO on a read error). on_change
 * may be NULL. On failure d is freed. */
int inv_doc_read(FILE *f, const char *name, inv_doc *d, inv_doc_line_fn on_change,
                 void *ctx, inv_err *e);
/* The same on bytes in memory. */
int inv_doc_parse(const char *data, size_t len, const char *name, inv_doc *d,
                  inv_doc_line_fn on_change, void *ctx, inv_err *e);
void inv_doc_free(inv_doc *d);

/* Which of the document's keys keyid is: sets *role (role index) and
 * *old (1 for the key a rotation at this version replaces). INV_FAIL
 * (no message) when neither party's key. */
int inv_doc_key_role(const inv_doc *d, const char keyid[CR_KEYID_HEX], int *role, int *old);

/* Checks a signature of the document d by role's key (old: the key that
 * the version replaces) given as pk: pk's key id is the one the document
 * names, the signature and the trusted comment verify, and the trusted
 * comment names d's register, version, that role and d's hash, and its
 * signed: date is neither before d's date nor after now + INV_CLOCK_SKEW
 * (now: the checker's clock). INV_FAIL with a message saying which check
 * failed; tc (may be NULL) gets the trusted comment's fields. */
int inv_doc_sig_check(const inv_doc *d, int role, int old, const cr_pubkey *pk,
                      const cr_sig *sig, int64_t now, inv_tc *tc, inv_err *e);

/* Checks that the document cur (read from cur_path) is the document prev
 * (read from prev_path) with cur's changes applied: cur.version is
 * prev.version + 1, same register, contract and party names, cur's
 * previous: is prev's hash, cur's date is not earlier, keys change only
 * through a key-change line whose old key is prev's key, and, item by
 * item, items(cur) = items(prev) + changes(cur): an added id was absent, a
 * removed id was present and is gone, a modified id's old values are
 * prev's and its new block is prev's block with those field changes, and
 * every other item block is byte-identical. Streamed (flat memory: the
 * files are read, not held). Both documents must have passed inv_doc_read
 * (prev and cur are what it filled in); both files are read again, as
 * regular files only (a FIFO or device is never read and never blocks),
 * and must still hash to prev.doc_hash and cur.doc_hash, so the verdict
 * is about the bytes inv_doc_read checked. INV_OK; INV_FAIL naming the
 * version and item (or header field) that do not follow; INV_EINPUT when
 * a file cannot be opened, is not a regular file, or is not the document
 * read before (changed since); INV_EIO on a read error. Frees nothing. */
int inv_doc_follows(const char *prev_path, const inv_doc *prev, const char *cur_path,
                    const inv_doc *cur, inv_err *e);

/* The file-name stem for a contract reference: bytes in [A-Za-z0-9._-]
 * kept, any other character (a UTF-8 sequence counts as one) becomes '_',
 * no leading '.' or '-', never "..", at most 64 bytes; "scope" when
 * nothing is left. out holds at least 65 bytes. */
void inv_doc_stem(const char *contract, char *out, size_t outlen);

/* The public keys (*.pub) of a directory, for standalone checks. */
typedef struct inv_keyring inv_keyring;
/* Reads every *.pub of dir; unreadable ones are remembered for messages.
 * INV_EINPUT when dir cannot be listed. */
int inv_keyring_load(const char *dir, inv_keyring **out, inv_err *e);
void inv_keyring_free(inv_keyring *k);
/* The key with that id: INV_OK with *pk and *path (owned by the ring);
 * INV_FAIL with a message when none, or when two files hold different
 * keys under that id. */
int inv_keyring_find(const inv_keyring *k, const char keyid[CR_KEYID_HEX], cr_pubkey *pk,
                     const char **path, inv_err *e);

/* The outcome for one document of inv_docs_verify. */
typedef struct inv_doc_check {
    const char *file;          /* path of the .scope file */
    const inv_doc *doc;        /* NULL when it could not be read */
    int ok;                    /* nothing is broken */
    const char *reason;        /* when !ok */
    const inv_sig_state *sigs; /* signatures that verify */
    const char *notes;         /* "" or remarks that break nothing ("; "-separated) */
    const char *unverified;    /* when ok: why a key it names cannot be traced to the
                                * keys of an earlier document present (a key change
                                * across absent versions): not agreed, whatever its
                                * signatures; NULL otherwise */
} inv_doc_check;
typedef int (*inv_doc_check_fn)(void *ctx, const inv_doc_check *c);

/* Checks every *.scope of dir: its grammar, each <stem>.provider.minisig,
 * <stem>.client.minisig (and <stem>.ROLE.old.minisig at a rotation)
 * beside it against the .pub of dir whose key id the document names, and
 * the chain: documents of the same register agree on contract and
 * parties, each version present once, version N+1 follows version N
 * (inv_doc_follows) when both are present, and keys change only through a
 * rotation line; a key that differs from the nearest earlier version
 * present across absent versions makes the document (and the later ones
 * resting on that key) unverified. Two registers claiming the same
 * contract are a fork: every document of both is broken. Only regular
 * files are read (a FIFO or device named *.scope, *.minisig or *.pub is
 * never opened; a *.scope or *.minisig that is not a regular file breaks
 * its document). fn is called once per document, by register then
 * version. INV_OK when nothing is broken or unverified, INV_FAIL when
 * something is (e names the first), INV_EINPUT when dir holds no document
 * or cannot be read, INV_EIO on a read error or out of memory. */
int inv_docs_verify(const char *dir, int64_t now, inv_doc_check_fn fn, void *ctx, inv_err *e);

/* ---- Dispute: at, history (inventory/history.c) and the HTML annex
 * (inventory/report.c) ---- */

/* When a version of that date was agreed, given its signature state: the
 * later of the two parties' signed: timestamps. 0 when the version is not
 * agreed, or when a timestamp is before the version's date (such a
 * signature does not hold: inv_sig_state_get refuses it). */
int64_t inv_agreed_at(const inv_sig_state *s, int64_t date);

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

/* Appends to b the item block as the scope document writes it: "item: ID"
 * then "  kind: ...", "  name: ..." and one "  key: value" line per
 * attribute, escaped. Returns -1 when out of memory. */
int inv_item_format(inv_buf *b, const inv_item *it);

/* Calls fn once per field that differs from before to after, in the
 * document's order: kind, name, then attributes by key; old_value or
 * new_value is NULL when the field is absent on that side. Stops and
 * returns what fn returns when non-zero. */
typedef int (*inv_field_fn)(void *ctx, const char *field, const char *old_value,
                            const char *new_value);
int inv_field_changes(const inv_item *before, const inv_item *after, inv_field_fn fn,
                      void *ctx);

/* Renders version n as one self-contained HTML page (inline CSS, no
 * external resource, every text HTML-escaped), printable on A4 as the
 * contract annex: contract, parties and key ids, version, status and
 * signature dates, counts per kind, items grouped by kind, changes since
 * n-1, the document's hash and how to check it with stock tools. doc_name
 * is the file name the verification commands give the scope document
 * (NULL: "<contract>-v<N>.scope"). Refuses (INV_FAIL, nothing written)
 * when the version does not re-render to its recorded hash or a stored
 * signature does not hold. Deterministic: same register, same bytes. */
int inv_report_html(inv_register *r, int64_t n, const char *doc_name, inv_sink_fn sink,
                    void *ctx, inv_err *e);

/* ---- Value escaping used by the document (docs/FORMAT.md) ---- */

int inv_buf_add(inv_buf *b, const void *data, size_t len);
int inv_buf_puts(inv_buf *b, const char *s);
int inv_buf_printf(inv_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void inv_buf_free(inv_buf *b);
/* Escapes s as the document does (backslash, LF, TAB). */
int inv_escape(inv_buf *b, const char *s);

#endif
