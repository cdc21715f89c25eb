/*
 * values_int.h - what the files of inventory/ share about values and
 * nobody outside sees: the attribute encoding of the item and stage
 * tables, an item from its stored row, the digest of a row, the writer of
 * a document's field lines. Layer 0: no register.
 */
#ifndef SCOPEREG_VALUES_INT_H
#define SCOPEREG_VALUES_INT_H

#include <stdio.h>
#include <libintl.h>
#include <sqlite3.h>

#include "values.h"

/* The library's messages in the command line's language (GNU gettext, the
 * "scopereg" catalogue that cli/ binds; English when none is bound).
 * inv_fail looks its format up itself, and xgettext extracts inv_fail's
 * third argument (po/CMakeLists.txt): only messages written another way
 * need INV_("text"), or INV_N_("text") in a table translated where used. */
#define INV_(text) dgettext("scopereg", text)
#define INV_N_(text) (text)
/* A message with a plural: one and many, chosen by n as the catalogue says. */
#define INV_NG(one, many, n) dngettext("scopereg", one, many, n)

/* Attribute encoding in the attrs columns: for each attribute, sorted by
 * key, key 0x1F value 0x1E. Both separators are control characters, which
 * keys and values can never hold. */
#define INV_KEY_SEP '\x1f'
#define INV_ATTR_SEP '\x1e'

/* Encodes it->attrs into b (b reset first). */
int inv__attrs_encode(const inv_item *it, inv_buf *b);
/* Decodes an attrs column into it (attributes appended in stored order;
 * checked for sortedness, key validity and values when strict).
 * INV_EINPUT with a message on malformed data. */
int inv__attrs_decode(inv_item *it, const char *enc, size_t len, int strict, inv_err *e);
/* Fills it from columns (id, kind, name, attrs) of st starting at col. */
int inv__item_from_row(inv_item *it, sqlite3_stmt *st, int col, int strict, inv_err *e);

/* ASCII folding of the Latin letter whose UTF-8 encoding starts at s
 * (U+00C0..U+017F: "e" for e-acute, "oe", "ss"...; "" for the Latin-1
 * signs U+0080..U+00BF, which fold to nothing), or NULL when s holds
 * another character. *adv gets the bytes it spans. (fold.c) */
const char *inv__fold_latin(const unsigned char *s, size_t *adv);

/* Duplicates a string; NULL on OOM. */
char *inv__strdup(const char *s);
/* An anonymous temporary file "scopereg-STEM-XXXXXX" in $TMPDIR (else
 * /tmp), opened "w+b" and unlinked at once: nothing is left behind
 * whatever happens. NULL when it cannot be made (errno says why); the
 * caller fcloses it. */
FILE *inv__tmpfile(const char *stem);
/* Makes room for n more bytes (and the NUL) in b, growing it by doubling;
 * -1 when out of memory (b unchanged). */
int inv__buf_reserve(inv_buf *b, size_t n);

/* Appends "INDENT KEY: VALUE\n" to b, value escaped as inv_escape does
 * (backslash, LF, TAB), "KEY:\n" when vl is 0; il, kl, vl are the
 * lengths. The one writer of a document's field lines (row.c). -1 when
 * out of memory (b unchanged). */
int inv__doc_line(inv_buf *b, const char *indent, size_t il, const char *key, size_t kl,
                  const char *value, size_t vl);
/* inv__doc_line for a value the caller knows holds nothing it escapes (no
 * backslash, LF or TAB): the same bytes, without looking for them. -1
 * when out of memory (b unchanged). */
int inv__doc_line_raw(inv_buf *b, const char *indent, size_t il, const char *key, size_t kl,
                      const char *value, size_t vl);
/* The length of the run of bytes at p (n bytes) that are printable ASCII
 * other than backslash: the bytes a document line copies as they are
 * and every check of a value accepts at once, tested eight at a time
 * (the rendering's hottest loop). Cannot fail (util.c). */
size_t inv__plain_run(const void *p, size_t n);
/* Whether inv_value_check accepts the n bytes at s at once: printable
 * ASCII, TAB, LF and two-byte UTF-8 sequences from U+00A0 (accented
 * letters), at most INV_VALUE_MAX bytes, no NUL: 1 when they hold nothing
 * a document line escapes (backslash, LF, TAB), 2 when they do, 0 when
 * not accepted at once. A shortcut, not a second statement of the rule:
 * what it does not accept goes to inv_value_check, which decides and
 * names the fault (item.c). Cannot fail. */
int inv__plain_class(const char *s, size_t n);
/* INV_EINPUT naming role unless it is "provider" or "client" (tc.c). */
int inv__role_check(const char *role, inv_err *e);

/* Digest of one stored item row (hex, 32 chars + NUL), used by verify to
 * point at the row that was altered. */
void inv__row_digest(const char *id, int64_t since, const char *op, const char *kind,
                     const char *name, const char *attrs, size_t attrs_len,
                     const char *reason, char out[33]);

/* The first lines of an item block: "item: ID", "  kind: KIND", "  name:
 * NAME" (lengths given; the attribute lines follow, one inv__doc_line
 * each, indent "  "). The one writer of an item block's head, for items
 * (inv__render_item) and for stored rows (render.c). -1 when out of
 * memory. Inline: it runs for every item. */
static inline int inv__item_head(inv_buf *b, const char *id, size_t idl, const char *kind,
                                 size_t kindl, const char *name, size_t namel)
{
    return inv__doc_line(b, "", 0, "item", 4, id, idl) ||
                   inv__doc_line(b, "  ", 2, "kind", 4, kind, kindl) ||
                   inv__doc_line(b, "  ", 2, "name", 4, name, namel)
               ? -1
               : 0;
}
/* Appends v in the quoted form of change lines ("..." escaping \\ " LF
 * TAB; (none) when v is NULL). -1 when out of memory (row.c). */
int inv__quoted(inv_buf *b, const char *v);
/* The "  field: old -> new" lines of a modification, appended to b. */
void inv__render_modification(inv_buf *b, const inv_item *before, const inv_item *after);
/* The "item:" block of an item, appended to b. */
void inv__render_item(inv_buf *b, const inv_item *it);

#endif
