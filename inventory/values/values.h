/*
 * values.h - layer 0 of inventory/: values without a register. Result
 * codes and messages, buffers, time, items and their checks, kinds, the
 * change and the item block as the scope document writes them, the
 * trusted comment of a signature and the two roles. No SQL, no files.
 *
 * Every function returns one of the INV_* codes (or says otherwise) and,
 * on failure, fills the inv_err it was given with a one-line message
 * (lower case, no trailing full stop). Strings and items handed out are
 * the caller's, freed with the matching *_free function.
 */
#ifndef SCOPEREG_VALUES_H
#define SCOPEREG_VALUES_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "crypto.h"
#include "sigtally.h"

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

/* Sets e->code, formats e->msg and returns code. e may be NULL. fmt is
 * looked up in the "scopereg" message catalogue first (values_int.h).
 * An INV_EIO whose fmt says "out of memory" is noted for inv_oom_seen. */
int inv_fail(inv_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The format tag on the first line of every scope document. */
#define INV_FORMAT_TAG "scope-register/1"

/* A growable byte buffer, always NUL-terminated after len bytes (once
 * data is set). Free with inv_buf_free. The add functions return -1 when
 * out of memory, and set failed, which stays set until inv_buf_free:
 * every later add fails too, so the content never has a hole, and a
 * caller that adds many pieces checks failed once at the end instead of
 * each return. */
/* Whether memory ran out anywhere in this process since it started
 * (an inv_buf add, an INV_EIO "out of memory", SQLite's, the crypto
 * module's, or a caller's inv_oom_note), from any thread. A verdict (BROKEN, does not hold) is
 * never given once it has: a check that lost memory may have seen too
 * little, so the command fails instead (exit 3). Cannot fail. */
int inv_oom_seen(void);
void inv_oom_note(void);
/* Whether a failure rc (with its message msg) is the machine's, not the
 * input's: NULL when it may be a verdict on the input, else the words to
 * report instead (msg for INV_EIO; "out of memory" for any failure once
 * memory ran out). Cannot fail. */
const char *inv_machine_fault(int rc, const char *msg);

typedef struct inv_buf {
    char *data;
    size_t len, cap;
    int failed;
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
    /* Its effective coverage in a scope-register/2 version (values/coverage.h):
     * its services (a canonical list, "none") and class ("none"), and which
     * are its own (INV_OWN_* bits). svc NULL: no coverage known (a /1
     * version, or an item read without it, from the stage): it writes no
     * coverage line, and inv_item_equal and inv_field_changes compare
     * coverage only between two items that carry it. */
    char *svc, *sla;
    int own;
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

/* Validates a new item id (add, edit, import, a staged row at commit):
 * non-empty, at most 200 bytes, valid UTF-8, no control character, no
 * leading or trailing space, no invisible character (Unicode format
 * characters and the other default-ignorable code points), no space other
 * than U+0020, no combining mark at the start. INV_EINPUT naming the
 * character (U+XXXX) and its position. */
int inv_id_check(const char *id, inv_err *e);

/* The rules every id ever stored was held to (inv_id_check without the
 * invisible characters, spaces and combining marks, which came later):
 * what verify and the lookups of an existing id (remove) check, so
 * registers made before keep verifying. INV_EINPUT as inv_id_check. */
int inv_id_check_stored(const char *id, inv_err *e);

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

/* ---- Changes, as staging, diff and history report them ---- */

typedef enum inv_op { INV_OP_ADD = 'A', INV_OP_EDIT = 'E', INV_OP_REMOVE = 'R' } inv_op;
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

/* Where the rendered bytes go. Returns 0 to continue, non-zero to stop. */
typedef int (*inv_sink_fn)(void *ctx, const void *data, size_t len);

/* Appends to b the lines the scope document uses for a change:
 * "+ ID", "- ID" then "  reason: ...", or "~ ID" then one
 * "  field: \"old\" -> \"new\"" line per changed field ((none) when absent).
 * Returns -1 when out of memory. */
int inv_change_format(inv_buf *b, const inv_change *c);

/* Called once per item (valid during the call only); non-zero stops the
 * walk, which returns that value. */
typedef int (*inv_item_fn)(void *ctx, const inv_item *it);

/* ---- Trusted comments of signatures (values/tc.c) ---- */

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

/* The trusted comment of a checkpoint signature (docs/FORMAT.md):
 *   scopereg-checkpoint register:<id> version:<N> role:<provider|client>
 *   root:blake2b-256:<64 hex> document-signed:<YYYY-MM-DDTHH:MM:SSZ>
 *   signed:<YYYY-MM-DDTHH:MM:SSZ>
 * document-signed is the signed: date of the same key's signature of the
 * version's document (the date that party agreed the version); signed is
 * when it signed the checkpoint. A document's trusted comment never parses as one, nor the reverse. */
#define INV_CPTC_PREFIX "scopereg-checkpoint "
typedef struct inv_cptc {
    char register_id[64];
    int64_t version;
    char role[16];
    char root[65]; /* 64 lower-case hex digits */
    int64_t doc_signed_at; /* document-signed: */
    int64_t signed_at;
} inv_cptc;

/* Formats one into out (at least 256 bytes). Cannot fail. */
void inv_cptc_format(const inv_cptc *tc, char *out, size_t outlen);

/* Parses one strictly, as inv_tc_parse does its own grammar: INV_EINPUT
 * naming the field that is missing, out of place or malformed (a
 * document's trusted comment: "not a signature of a checkpoint"). */
int inv_cptc_parse(const char *text, inv_cptc *out, inv_err *e);

/* The two roles, in the order documents list them. */
#define INV_ROLE_PROVIDER 0
#define INV_ROLE_CLIENT 1
extern const char *const inv_roles[2];

/* Index of "provider" (0) or "client" (1); -1 for anything else. */
int inv_role_index(const char *role);

/* ---- Items and changes as the document writes them (values/row.c) ---- */

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

/* ---- Value escaping used by the document (docs/FORMAT.md) ---- */

int inv_buf_add(inv_buf *b, const void *data, size_t len);
int inv_buf_puts(inv_buf *b, const char *s);
int inv_buf_printf(inv_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void inv_buf_free(inv_buf *b);
/* Hands b's text to the caller, who frees it with free(), and leaves b
 * empty; NULL (b freed) when an add failed or nothing was added. */
char *inv_buf_take(inv_buf *b);
/* Marks b as having lost a piece that was to come from elsewhere (a text
 * built in another buffer that ran out of memory): as an add that fails,
 * every later add fails and inv_buf_take returns NULL. Cannot fail. */
void inv_buf_fail(inv_buf *b);

/* Escapes s as the document does (backslash, LF, TAB). */
int inv_escape(inv_buf *b, const char *s);

#endif

#include "fields.h" /* the field and kind tables (values/fields.h) */
#include "coverage.h" /* services, classes, levels, coverage (values/coverage.h) */
