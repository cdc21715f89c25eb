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
 * "printer", "vpn", "other". NULL if unknown. */
const char *inv_kind_canonical(const char *text);
/* A sentence listing the kinds and their aliases, for error messages. */
const char *inv_kind_help(void);
/* The accepted name closest to text (for "did you mean"), never NULL. */
const char *inv_kind_closest(const char *text);

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
} inv_import_opts;

typedef struct inv_import_result {
    int64_t rows, added, modified, removed, unchanged;
    int delimiter;          /* the delimiter used */
    int sniffed, bom;       /* delimiter sniffed; BOM skipped */
    char encoding[16];
    char *columns;          /* "HEADER -> field" lines, malloc'd */
    char *errors;           /* one message per line ("FILE:LINE: column 'H': ..."), malloc'd */
    int64_t nerrors;
} inv_import_result;

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
/* Parses one; INV_EINPUT naming the field that is missing or malformed. */
int inv_tc_parse(const char *text, inv_tc *out, inv_err *e);

/* The role ("provider" or "client") whose key in force at version n has
 * keyid; INV_EINPUT naming the key id when neither party's. pk (may be
 * NULL) gets that party's key. */
int inv_role_of_key(inv_register *r, const unsigned char keyid[CR_KEYID_BYTES], int64_t n,
                    const char **role, cr_pubkey *pk, inv_err *e);

/* BLAKE2b-512 of the document of version n (the minisign prehash) and its
 * BLAKE2b-256 in "blake2b-256:<hex>" form, streamed, never held whole. */
int inv_doc_digests(inv_register *r, int64_t n, unsigned char prehash[64],
                    char doc_hash[CR_HASH_STR_LEN], inv_err *e);

/* Checks the text of a .minisig against version n: it parses, its key is
 * the key of a party in force at n, its trusted comment names this
 * register, version n, that role and the document's hash, and both
 * signatures verify over the document. INV_FAIL (verification) or
 * INV_EINPUT (malformed) with a message saying which; on success tc gets
 * the trusted comment's fields. */
int inv_sig_check(inv_register *r, int64_t n, const char *minisig, size_t len, inv_tc *tc,
                  inv_err *e);
/* inv_sig_check, then stores it. A second signature of the same version
 * by the same key is refused (INV_EINPUT) unless byte-identical (INV_OK,
 * *already set when given). */
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

/* Signature state of a version from the stored rows (verify checks them). */
struct inv_sig_state {
    int provider, client;              /* signed by that party */
    int64_t provider_at, client_at;    /* signed: timestamps */
};
int inv_sig_state_get(inv_register *r, int64_t n, inv_sig_state *out, inv_err *e);
/* "agreed", "signed by provider", "signed by client" or "proposed". */
const char *inv_sig_state_name(const inv_sig_state *s);

/* ---- Value escaping used by the document (docs/FORMAT.md) ---- */

int inv_buf_add(inv_buf *b, const void *data, size_t len);
int inv_buf_puts(inv_buf *b, const char *s);
int inv_buf_printf(inv_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void inv_buf_free(inv_buf *b);
/* Escapes s as the document does (backslash, LF, TAB). */
int inv_escape(inv_buf *b, const char *s);

#endif
