/*
 * csvread.h - the streaming CSV reader behind `scopereg import` (internal
 * to the inventory module; no SQLite, no staging here).
 *
 * inv_csv_read() streams FILE through libcsv in fixed-size chunks (memory
 * does not grow with the number of rows: one record, the header and the
 * set of ids seen so far are all that is kept, and the ids can be kept
 * elsewhere through o->seen), maps the header to item
 * fields and hands one inv_item per data record to a callback, with the
 * 1-based physical line where the record starts. Input errors do not stop
 * the reading: they are collected in an inv_csv_report, up to a cap, as
 * "FILE:LINE: column 'HEADER': what is wrong", and counted past the cap.
 *
 * What the reader accepts and decides (docs material):
 *  - an optional UTF-8 byte order mark (a UTF-16 one is refused with a
 *    hint), then an optional Excel "sep=X" line, which names the delimiter
 *    unless one is forced; LF, CRLF and CR-only line ends,
 *    mixed freely; quoted fields holding delimiters, doubled quotes and
 *    line breaks. Blank lines, and lines whose cells are all empty, are
 *    skipped (in the header position too).
 *  - delimiter ',', ';' or TAB, sniffed from the header record: each
 *    candidate splits the first record with libcsv and the one giving the
 *    most fields wins (delimiters inside quotes do not count); ties go to
 *    ',' then ';' then TAB, so a one-column header means ','. Or forced.
 *  - encoding utf-8 (default: invalid bytes are an error naming line,
 *    column number and header, suggesting --encoding windows-1252),
 *    windows-1252 or latin1, converted to UTF-8 with iconv one field at a
 *    time after libcsv has split the record (the three encodings are
 *    ASCII-compatible, so quotes, delimiters and line ends are the same
 *    bytes before and after conversion; a field is always whole, so no
 *    character is ever split across a read boundary, and an undefined byte
 *    is reported at its line and column).
 *  - one pass over the raw bytes (eight ASCII bytes at a time) looks for
 *    UTF-8: a file read as windows-1252 or latin1 that is all valid UTF-8
 *    and holds multi-byte sequences is refused (it is UTF-8: the error
 *    names the first line, column and text), and so is one that mixes
 *    UTF-8 Latin text (U+00A0-U+017F, dashes and quotes, euro) with bytes
 *    that are not UTF-8, naming both lines; read as UTF-8, such a mixed
 *    file's invalid bytes no longer suggest --encoding windows-1252. The
 *    scan reads on to the end of the file when an input error stopped
 *    the reading, so its verdict is about the whole file.
 *  - a zip (.xlsx, .ods) or OLE2 (.xls) file is refused before anything
 *    else, with how to save it as CSV.
 *  - a record with fewer fields than the header is taken when every
 *    column it lacks has no header name (and no --map), one with more
 *    when every extra field is empty: old Excel drops or adds trailing
 *    delimiters. Otherwise an error names the first missing column, or
 *    quotes the first extra value. A one-column header holding another
 *    common delimiter (';' ',' TAB '|') names that delimiter.
 *  - values: a CR LF or a lone CR inside a quoted value becomes LF; then
 *    spaces, TABs and line feeds at both ends are trimmed (also inside
 *    quotes). An empty value means "attribute absent"; an empty kind means
 *    the default kind; an empty name is the empty name.
 *  - line numbers: the physical line (CRLF, LF or CR each end one line)
 *    where the record starts; errors about a record give that line.
 *    "column" in messages is the 1-based position of the field in the
 *    record, shown as column 'HEADER' (plus the number where it matters:
 *    invalid bytes, blank or unusable headers).
 *  - the header: the first record that has a cell mapping to id (by --map
 *    or the alias table) and more than one non-empty cell (or only one
 *    field), within the first INV_CSV_HEADER_SEARCH records; title rows
 *    and blank rows above it are skipped (rep->header_line says where it
 *    was). A --map '#N=...' turns the search off (the first record is the
 *    header), o->header_row names the line.
 *  - kinds: o->map_kinds first ("VALUE=KIND", VALUE compared as headers
 *    are), then inv_kind_canonical. An empty kind cell is refused (a
 *    merged cell?) unless its column is filled down; --kind is for files
 *    without a kind column.
 *  - o->fill_down columns: an empty cell takes the value of the record
 *    above (after filling), whether --where kept that record or not.
 *  - o->wheres: a record is kept when every condition holds, the cell and
 *    VALUE compared as headers are (case, accents, spaces and punctuation
 *    ignored); others are counted in rep->left_out and not checked further.
 *  - total rows: a record whose first cell or id cell starts with the word
 *    Total, Sous-total, Totaux, Somme, Summe, Gesamt or Totale is skipped
 *    and counted (rep->totals, rep->total_lines); a record whose only
 *    non-empty mapped cell is the id, in a file with other mapped
 *    columns, is refused.
 *  - limits: a field of more than INV_CSV_FIELD_MAX bytes (often a quote
 *    left open) stops the reading with an error at the record's line; a
 *    header of more than INV_CSV_MAX_COLUMNS columns too. A quoted field
 *    still open at the end of the file is an error at its record's line.
 *
 * Exported symbols carry the prefix "inv_csv_".
 */
#ifndef SCOPEREG_INVENTORY_CSVREAD_H
#define SCOPEREG_INVENTORY_CSVREAD_H

#include <stddef.h>
#include <stdint.h>

#include "values.h"

#define INV_CSV_MAX_ERRORS 20              /* default cap on kept messages */
#define INV_CSV_CHUNK 65536                /* default read size in bytes */
#define INV_CSV_FIELD_MAX (4u * 1024 * 1024) /* longest field, in file bytes */
#define INV_CSV_MAX_COLUMNS 4096           /* most fields in one record */
#define INV_CSV_SNIFF_MAX (1024 * 1024)    /* header bytes looked at to sniff */

typedef struct inv_csv_opts {
    const char *path;             /* the file; required */
    const char *const *maps;      /* "HEADER=FIELD" overrides (see below) */
    size_t nmaps;
    const char *default_kind;     /* kind for rows without one; NULL: none */
    int delimiter;                /* 0: sniff; else the byte (',' ';' '\t' '|'...) */
    const char *encoding;         /* NULL (utf-8) or a name inv_csv_encoding_name knows */
    size_t max_errors;            /* messages kept; 0: INV_CSV_MAX_ERRORS */
    size_t chunk_size;            /* bytes per read; 0: INV_CSV_CHUNK */
    /* Called after each chunk read: bytes done, file size (0 if unknown). */
    void (*progress)(void *ctx, uint64_t done, uint64_t total);
    void *progress_ctx;
    /* Where the ids are remembered to find duplicates. NULL: in memory,
     * which grows with the number of rows. Otherwise called once per
     * valid id cell, in file order: returns 0 when the id is new (and
     * keeps it with its line), the line where it was first seen when it
     * is not, or -1 with e filled to stop the reading (INV_EIO). */
    long (*seen)(void *ctx, const char *id, long line, inv_err *e);
    void *seen_ctx;
    /* Whether items in scope hold attribute key: 1, 0, or -1 with e
     * filled to stop the reading. Asked (with seen_ctx) only for a header
     * that folds otherwise than in earlier releases
     * (inv_csv_header_norm_changed) and now maps to a field by the alias
     * table: when it answers 1 the column keeps that key, as those
     * releases gave it, so that importing the same file again renames no
     * attribute. NULL: never asked. */
    int (*key_used)(void *ctx, const char *key, inv_err *e);
    /* Onboarding of real files. */
    const char *const *map_kinds; /* "VALUE=KIND": a kind cell VALUE means KIND */
    size_t nmap_kinds;
    const char *const *fill_down; /* "HEADER" or "#N": empty cells take the value above */
    size_t nfill_down;
    const char *const *wheres;    /* "HEADER=VALUE" / "HEADER!=VALUE": rows kept */
    size_t nwheres;
    long header_row;              /* physical line of the header; 0: find it */
} inv_csv_opts;

#define INV_CSV_HEADER_SEARCH 30 /* records looked at to find the header */
#define INV_CSV_TOTALS_KEPT 8    /* lines of skipped total rows remembered */

/* How a column was mapped. */
typedef enum inv_csv_how {
    INV_CSV_ALIAS = 1, /* header found in the alias table */
    INV_CSV_MAP,       /* by a --map */
    INV_CSV_ATTR,      /* kept as an attribute under its normalised header */
    INV_CSV_IGNORED,   /* --map 'HEADER=-' */
    INV_CSV_BLANK      /* no header name: must stay empty */
} inv_csv_how;

typedef struct inv_csv_column {
    char *header; /* the header cell, decoded and trimmed (valid UTF-8) */
    char *field;  /* "id", "kind", "name" or an attribute key; NULL if none */
    inv_csv_how how;
} inv_csv_column;

/* What a read saw; filled by inv_csv_read / inv_csv_read_raw (which zero it
 * first) and freed by the caller with inv_csv_report_free, whatever the
 * outcome. */
typedef struct inv_csv_report {
    uint64_t rows;      /* data records (not blank lines, not the header) */
    uint64_t rows_ok;   /* records the callback accepted (it returned INV_OK) */
    uint64_t lines;     /* physical lines in the file */
    uint64_t bytes;     /* bytes read */
    int delimiter;      /* the delimiter used */
    int sniffed;        /* 1 when the delimiter was sniffed */
    int bom;            /* 1 when a UTF-8 byte order mark was skipped */
    int sep_line;       /* 1 when an Excel "sep=X" first line was skipped */
    char encoding[16];  /* "utf-8", "windows-1252" or "latin1" */
    inv_csv_column *columns; /* header cells in file order (inv_csv_read) */
    size_t ncolumns;
    char **errors;      /* the first max_errors messages, "FILE:LINE: ..." */
    size_t nkept;
    uint64_t nerrors;   /* all errors, including those past the cap */
    long header_line;   /* where the header record starts (0: none found) */
    uint64_t left_out;  /* records --where left out */
    uint64_t totals;    /* "Total" records skipped */
    long total_lines[INV_CSV_TOTALS_KEPT]; /* the first of them */
    size_t kept_keys;      /* columns that kept an earlier release's key (key_used) */
    char kept_header[128]; /* the first of them, its key and the field it now maps to */
    char kept_key[72];
    char kept_field[72];
    uint64_t unguarded;  /* records with a cell whose formula guard ('= '+ '- '@) was dropped */
    long unguarded_line; /* the first of them */
} inv_csv_report;

/* Frees what a report holds and zeroes it; rep may be NULL. */
void inv_csv_report_free(inv_csv_report *rep);

/* The error list for people: one message per line, then
 * "and N more errors" when some were past the cap. malloc'd (caller
 * frees); "" when there were none; NULL when out of memory. */
char *inv_csv_report_text(const inv_csv_report *rep);

/* Called once per good data record, in file order. line is where the
 * record starts; it is owned by the reader and valid during the call only
 * (copy it with inv_item_copy). e is the one given to inv_csv_read.
 * Return INV_OK to go on; INV_EINPUT with e filled to record e->msg as an
 * error of that record ("FILE:LINE: " is prefixed) and go on; any other
 * value stops the reading, and inv_csv_read returns it with e as left.
 * it->svc / it->sla with their INV_OWN_* bit set are the item's own
 * coverage; set without it, the list a cell "LIST (kind default)" says
 * the kind's default holds (fn must check it); NULL: the kind's default. */
typedef int (*inv_csv_row_fn)(void *ctx, long line, const inv_item *it, inv_err *e);

/*
 * Reads o->path, maps its header and calls fn for each record that has no
 * error. Header mapping, in order:
 *  1. o->maps, each "HEADER=FIELD" (split at the last '='): HEADER is
 *     matched with inv_csv_header_norm against every column (so it may
 *     name several columns), or "#N" names column N. FIELD is "id",
 *     "kind", "name", an attribute key (normalised with inv_key_normalise,
 *     so "Purchase Date" means purchase_date), or "-" to ignore the column.
 *  2. the alias table (inv_csv_alias_field), unless --map already gave
 *     that field to another column: then the column falls to step 3.
 *  3. an attribute under inv_key_normalise(header).
 *  A blank header cell leaves the column unmapped; a value under it is an
 *  error. Two columns landing on the same field are a duplicate header.
 *  No id column is an error listing the headers; no kind column needs
 *  o->default_kind.
 *
 * rep->columns is complete before the first call of fn, so fn may look at
 * it (through ctx) to learn which fields the file speaks for.
 *
 * Rows are still handed to fn after an error was found, so that one pass
 * reports everything; a caller that writes must undo on any non-zero
 * return.
 *
 * Returns INV_OK when the whole file was read without an error; INV_EINPUT
 * when the options, the header or any record was wrong (e->msg: the first
 * message, with "(and N more errors)"; rep->errors: the list); INV_EIO on a
 * read error or out of memory; or what fn returned to stop. rep may be
 * NULL; otherwise it is zeroed first and must be freed with
 * inv_csv_report_free.
 */
int inv_csv_read(const inv_csv_opts *o, inv_csv_row_fn fn, void *ctx, inv_csv_report *rep,
                 inv_err *e);

/* Called once per raw record: fields exactly as libcsv split them (BOM
 * removed; no decoding, trimming, line-end rewriting or header handling;
 * blank lines skipped). fields[i] is NUL-terminated and lens[i] its length
 * (a field may hold NUL bytes). Return 0 to go on, non-zero to stop: the
 * reader then returns that value. */
typedef int (*inv_csv_raw_fn)(void *ctx, long line, size_t nfields, char *const *fields,
                              const size_t *lens);

/* Streams the records of o->path (only path, delimiter, chunk_size and
 * progress are used; the first record is delivered like the others).
 * INV_EINPUT for an unterminated quoted field, a field over
 * INV_CSV_FIELD_MAX (which stops the reading) or a record over
 * INV_CSV_MAX_COLUMNS fields (not delivered); INV_EIO on read errors. rep
 * as above: rows counts every record, columns and encoding are not used. */
int inv_csv_read_raw(const inv_csv_opts *o, inv_csv_raw_fn fn, void *ctx,
                     inv_csv_report *rep, inv_err *e);

/* ---- Options as the command line spells them ---- */

/* Parses a --delimiter argument: one byte (',', ';', '|'...), or "\t",
 * "tab", "TAB" for a tab. Refuses quote, CR, LF, space, letters and
 * digits, and non-ASCII (INV_EINPUT). */
int inv_csv_delimiter_parse(const char *arg, int *out, inv_err *e);

/* Canonical encoding name for a --encoding argument ("utf-8", "utf8",
 * "windows-1252", "cp1252", "latin1", "latin-1", "iso-8859-1", any case):
 * "utf-8", "windows-1252" or "latin1"; NULL when unknown. */
const char *inv_csv_encoding_name(const char *arg);

/* ---- Folding (fold.c) and header aliases (fields.c) ---- */

/* Normalises a header name for matching: ASCII letters lower-cased, accents
 * stripped from Latin letters (U+00C0-U+017F; Æ->ae, Œ->oe, ß->ss), every
 * other ASCII character (space, punctuation) dropped, other non-ASCII
 * characters kept as they are. "Numéro d'inventaire" -> "numerodinventaire".
 * Combining marks U+0300-U+036F are dropped, so a decomposed (NFD) header
 * folds as its precomposed form; a Shelf custom-field header "cf: NAME,
 * type:TYPE" folds as NAME alone (inv__fold does both too).
 * Writes at most outlen bytes including the NUL; never fails. */
void inv_csv_header_norm(const char *in, char *out, size_t outlen);

/* Whether s[0..n) starts, after any apostrophes, with a character a
 * spreadsheet reads as the start of a formula (= + - @ TAB CR). Such text
 * gets one more apostrophe in export-csv --excel, which import drops again
 * (at a cell's start and after a comma or line feed in it). Cannot fail. */
int inv_csv_formula_at(const char *s, size_t n);

/* 1 when inv_csv_header_norm folds header otherwise than releases before
 * it dropped combining marks, typographic punctuation and Shelf's "cf:"
 * wrapper did (so the header may now map to a field where those releases
 * kept an attribute); else 0. Cannot fail. */
int inv_csv_header_norm_changed(const char *header);

/* The field a header maps to by default (inv_field_by_header's key:
 * English, French and German names, and those of GLPI, Snipe-IT, NetBox,
 * Lansweeper, Ralph, Shelf), or NULL. */
const char *inv_csv_alias_field(const char *header);

/* "services" or "sla" when header names a coverage column (the item's
 * own services or service-level class: "Services", "Prestations",
 * "Leistungen"; "SLA", "Niveau de service", "Criticité", "Servicelevel"),
 * else NULL. inv_csv_alias_field gives these too; inv_csv_alias_at lists
 * the document fields' aliases only. Cannot fail. */
const char *inv_csv_cov_column(const char *header);

/* The alias table, for docs and --help: entry i (0-based) as written (e.g.
 * "Numéro de série") and its field. Returns 0, or -1 past the end. */
int inv_csv_alias_at(size_t i, const char **alias, const char **field);

/* Folds UTF-8 text to lower-case ASCII into out (outlen bytes with the
 * NUL): Latin letters lose their accents, characters that are not letters
 * or digits become sep (kept when keep_punct and they are '.', '-' or
 * '_'); runs of sep collapse, sep at the edges is dropped, sep 0 drops
 * them. Keys and kinds are compared so. Combining marks U+0300-U+036F
 * are dropped (a decomposed letter folds as the precomposed one), and a
 * Shelf custom-field header "cf: NAME,type:TYPE" folds as NAME. Never
 * fails. */
void inv__fold(const char *in, char *out, size_t outlen, char sep, int keep_punct);
/* inv__fold as releases before those two rules folded: only to find the
 * attribute key such a release gave a header (inv__key_normalise_legacy). */
void inv__fold_legacy(const char *in, char *out, size_t outlen, char sep, int keep_punct);
/* inv_key_normalise with inv__fold_legacy: the key an earlier release made
 * of a header. 0, or -1 when no key can be made; key as for
 * inv_key_normalise. */
int inv__key_normalise_legacy(char *key);

#endif
