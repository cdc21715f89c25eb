/*
 * csvread.c - streaming CSV reader for `scopereg import`, on libcsv and
 * iconv. See csvread.h for the rules it applies.
 *
 * How the stream is cut: each chunk read from the file is fed to libcsv in
 * segments that end just after a CR or an LF. Between segments the reader
 * knows the physical line of the next byte, and whether a record is open
 * (libcsv's row callback closes it), so it can tell the line where each
 * record starts without parsing anything itself.
 */
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <csv.h>

#include "csvread.h"
#include "values_int.h"

enum { ENC_UTF8, ENC_CP1252, ENC_LATIN1 };

/* What a column feeds. */
enum { T_NONE, T_ID, T_KIND, T_NAME, T_ATTR, T_BLANK, T_SVC, T_SLA };

/* ---- set of ids: open addressing, memory proportional to the ids ---- */

typedef struct idslot {
    char *id;
    long line;
} idslot;

typedef struct idset {
    idslot *slots;
    size_t cap, n;
} idset;

static uint64_t hash_str(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return h;
}

static idslot *idset_find(idset *set, const char *id)
{
    size_t mask = set->cap - 1, i = (size_t)hash_str(id) & mask;
    while (set->slots[i].id && strcmp(set->slots[i].id, id) != 0)
        i = (i + 1) & mask;
    return &set->slots[i];
}

/* Adds id seen on line; returns 0 when new, the earlier line when already
 * there, -1 when out of memory. */
static long idset_add(idset *set, const char *id, long line)
{
    if ((set->n + 1) * 10 >= set->cap * 7) {
        size_t cap = set->cap ? set->cap * 2 : 1024;
        idslot *old = set->slots;
        size_t oldcap = set->cap;
        set->slots = calloc(cap, sizeof *set->slots);
        if (!set->slots) {
            set->slots = old;
            return -1;
        }
        set->cap = cap;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].id)
                *idset_find(set, old[i].id) = old[i];
        free(old);
    }
    idslot *s = idset_find(set, id);
    if (s->id)
        return s->line;
    if (!(s->id = strdup(id)))
        return -1;
    s->line = line;
    set->n++;
    return 0;
}

static void idset_free(idset *set)
{
    for (size_t i = 0; i < set->cap; i++)
        free(set->slots[i].id);
    free(set->slots);
    memset(set, 0, sizeof *set);
}

/* ---- the reader ---- */

typedef struct reader {
    const inv_csv_opts *o;
    const char *path;
    inv_csv_report *rep;
    inv_err *e;
    int raw;
    inv_csv_row_fn fn;
    inv_csv_raw_fn rawfn;
    void *ctx;
    size_t max_errors;
    int delim;
    int enc;
    iconv_t cd;
    /* windows-1252 and latin1 are one byte per character: what iconv makes
     * of each byte, asked once per file (sb_len 0: not a character) */
    char sb[256][4];
    unsigned char sb_len[256];
    const char *default_kind; /* canonical, or NULL */

    struct csv_parser p;
    int p_ready;

    /* position */
    long line;         /* physical line of the next byte fed */
    int prev_cr;       /* the last byte fed was a CR */
    int line_has_bytes;
    int in_record;     /* libcsv has an open record */
    long rec_line;     /* where it started */

    /* the current record: fields NUL-terminated in arena */
    inv_buf arena;
    size_t *off, *len;
    char **ptr;
    size_t fcap, nstored, nfields, store_max;
    int nonblank;

    /* the header */
    int have_header;
    size_t ncols;
    int *target;
    size_t id_col;

    inv_buf tmp, val; /* scratch for a value: line ends, then decoded */
    idset ids;

    /* The item handed to fn: its strings point into row (values), into
     * rep->columns (keys) or at the canonical kind names, nothing is
     * allocated per record. Attribute columns are kept in key order
     * (attr_cols), so each record's attributes come out sorted. */
    inv_item item;
    inv_buf row;
    size_t *voff;     /* per column: offset of its value in row, or NO_VALUE */
    size_t *attr_cols, nattr_cols;
    inv_attr *attrs;
    struct {
        char *text;
        const char *kind; /* canonical, or NULL when unknown */
    } kinds[64];      /* kind cells seen, so a kind is looked up once per file */
    size_t nkinds;

    /* finding the header */
    int quiet;          /* count errors in quiet_errs instead of keeping them */
    int quiet_errs;
    int no_search;      /* a --map '#N=...' or --header-row: no search */
    size_t searched;    /* records looked at */
    struct {
        inv_buf arena;
        size_t *off, *len;
        size_t n, nfields;
        long line;
        int score; /* mapped cells; -1: none kept */
    } best;

    /* onboarding options, resolved against the header */
    struct {
        char *value;      /* folded with inv_csv_header_norm */
        const char *kind; /* canonical */
    } *kmaps;
    size_t nkmaps;
    int *fill;        /* per column: 1 when filled down */
    inv_buf *above;   /* per column: the value above (filled columns) */
    struct where {
        size_t col;
        int neg;
        char *want;   /* folded */
    } *wh;
    size_t nwh;
    int kind_col_filled; /* the kind column is filled down */
    size_t nmapped_other; /* mapped columns besides the id */

    size_t extra_at; /* 1-based field past the header's last holding text (stored) */

    /* What the raw bytes say about the encoding (u8_scan, one pass over
     * every byte fed): a file read as windows-1252 or latin1 that holds
     * valid UTF-8 multi-byte sequences is UTF-8 text, and a file that mixes
     * such sequences with bytes that are not UTF-8 has two encodings. */
    struct {
        int need;             /* continuation bytes still expected */
        unsigned cp;          /* the character being read */
        unsigned char lo, hi; /* range of the next continuation byte */
        unsigned char lead;
        size_t seq_len;       /* its bytes read so far, in this read and before */
        long seq_line;        /* where the sequence started */
        int done;             /* the verdict cannot change any more */
        int complete;         /* the whole file was scanned */
        long any_line;        /* first line with a valid sequence of 3 or 4 bytes (one of
                               * 2 bytes outside Latin text can be a windows-1252
                               * letter and sign: "ß“" is U+07D3) */
        char any_text[128];   /* its cell, as UTF-8 */
        long text_line;       /* first with one that reads as Latin text */
        char text[128];
        long bad_line;        /* first byte that is not UTF-8 */
        unsigned bad_byte;
        /* the last bytes scanned of the line not yet ended: the start of a
         * cell that a read of the file cut before its UTF-8 text */
        unsigned char tail[48];
        size_t tail_len;
        /* the same in the cells decode() saw (windows-1252, latin1): the
         * column, and the character of the byte that is not UTF-8 */
        long d_any_line, d_text_line, d_bad_line;
        char d_text[128]; /* the cell at d_text_line, whole even when the raw
                           * scan saw it split across two reads */
        size_t d_any_col, d_text_col, d_bad_col, d_bad_char;
        /* "invalid UTF-8 ... use --encoding windows-1252" errors kept, to
         * reword when the file turns out to hold UTF-8 text elsewhere */
        struct u8fix {
            size_t idx, col, chars;
            long line;
            unsigned byte;
            int header;
        } *fix;
        size_t nfix, fixcap;
    } u8;

    int stop;    /* stop reading */
    int rc;      /* the code to return when stopped */
    int discard; /* drop what libcsv still delivers */
    int row_unguarded;   /* a cell of this record had its formula guard dropped */
    int fed;             /* feed() ran: a refusal before it (a workbook, UTF-16...) gets no
                          * encoding verdict, which would be about part of the file */
    /* data records with empty fields past the header's last column, and
     * records with exactly the header's fields: the first on no more rows
     * than the second, under a header that ends with a named column, are
     * shifted rows, not an export's trailing delimiters */
    uint64_t extra_rows, exact_rows;
    long cur_rec_line, last_rec_line; /* this data record's line, the previous one's */
    long short_line, prev_short_line; /* the last data records short of fields, and the one
                                       * before: a row cut in two leaves two in a row */
    long extra_line;
    size_t extra_n;
} reader;

/* Keeps a message, or counts it past the cap. Returns INV_EIO on OOM. */
static int keep_msg(reader *r, char *msg)
{
    inv_csv_report *rep = r->rep;
    rep->nerrors++;
    if (rep->nkept >= r->max_errors) {
        free(msg);
        return INV_OK;
    }
    if ((rep->nkept & (rep->nkept - 1)) == 0) { /* 0, 1, 2, 4...: grow */
        char **errors = realloc(rep->errors, (rep->nkept ? 2 * rep->nkept : 1) * sizeof *errors);
        if (!errors) {
            free(msg);
            return INV_EIO;
        }
        rep->errors = errors;
    }
    rep->errors[rep->nkept++] = msg;
    return INV_OK;
}

static void fatal(reader *r, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Stops the reading with code; e gets the message, which also joins the
 * list when it is about the input (INV_EINPUT). */
static void fatal(reader *r, int code, const char *fmt, ...)
{
    char buf[sizeof r->e->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, INV_(fmt), ap);
    va_end(ap);
    if (r->stop)
        return;
    r->stop = 1;
    r->rc = code;
    inv_fail(r->e, code, "%s", buf);
    if (code == INV_EINPUT) {
        char *msg = strdup(buf);
        if (!msg || keep_msg(r, msg))
            r->rc = inv_fail(r->e, INV_EIO, "%s: out of memory", r->path);
    }
}

static void oom(reader *r)
{
    fatal(r, INV_EIO, "%s: out of memory", r->path);
}

#define SLOT_APPEND ((size_t)-1)
#define SLOT_FIRST ((size_t)-2)

/* "FILE:LINE: message" (or "FILE: message" when line is 0), appended
 * (SLOT_APPEND), put first (SLOT_FIRST: it explains the others) or in
 * place of kept message slot. */
static void put_error_v(reader *r, size_t slot, long line, const char *fmt, va_list ap)
{
    char body[1536];
    if (r->quiet) {
        r->quiet_errs++;
        return;
    }
    vsnprintf(body, sizeof body, INV_(fmt), ap);
    size_t n = strlen(r->path) + strlen(body) + 32;
    char *msg = malloc(n);
    if (!msg) {
        oom(r);
        return;
    }
    if (line > 0)
        snprintf(msg, n, "%s:%ld: %s", r->path, line, body);
    else
        snprintf(msg, n, "%s: %s", r->path, body);
    inv_csv_report *rep = r->rep;
    if (slot == SLOT_APPEND || (slot == SLOT_FIRST && !rep->nkept)) {
        if (keep_msg(r, msg))
            oom(r);
    } else if (slot == SLOT_FIRST) {
        rep->nerrors++;
        if (rep->nkept >= r->max_errors) { /* the last one kept gives way */
            free(rep->errors[--rep->nkept]);
        } else if ((rep->nkept & (rep->nkept - 1)) == 0) {
            char **errors = realloc(rep->errors, 2 * rep->nkept * sizeof *errors);
            if (!errors) {
                free(msg);
                oom(r);
                return;
            }
            rep->errors = errors;
        }
        memmove(rep->errors + 1, rep->errors, rep->nkept * sizeof *rep->errors);
        rep->errors[0] = msg;
        rep->nkept++;
    } else if (slot < rep->nkept) {
        free(rep->errors[slot]);
        rep->errors[slot] = msg;
    } else {
        free(msg);
    }
}

static void add_error(reader *r, long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Collects "FILE:LINE: message" (or "FILE: message" when line is 0). */
static void add_error(reader *r, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    put_error_v(r, SLOT_APPEND, line, fmt, ap);
    va_end(ap);
}

static void put_error(reader *r, size_t slot, long line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* put_error_v; fmt is marked with INV_N_ where it is written. */
static void put_error(reader *r, size_t slot, long line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    put_error_v(r, slot, line, fmt, ap);
    va_end(ap);
}

/* A printable excerpt of UTF-8 text for messages: control characters as
 * '?', cut at about 60 bytes on a character boundary. */
static const char *excerpt(const char *s, char *out, size_t outlen)
{
    size_t o = 0, max = outlen > 64 ? 60 : outlen - 4;
    const unsigned char *u = (const unsigned char *)s;
    while (*u && o < max) {
        size_t n = 1;
        if (*u >= 0xC0)
            while ((u[n] & 0xC0) == 0x80)
                n++;
        if (o + n > max)
            break;
        for (size_t i = 0; i < n; i++)
            out[o++] = (char)((u[i] < 0x20 || u[i] == 0x7f) ? '?' : u[i]);
        u += n;
    }
    if (*u) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

/* How to name the column with header h (a header of r) between single
 * quotes on a command line: h itself, or "#N" when h holds a quote or is
 * too long to be shown whole. */
static const char *arg_name(const reader *r, const char *h, char *out, size_t outlen)
{
    excerpt(h, out, outlen);
    if (!strchr(h, '\'') && !strcmp(out, h))
        return out;
    for (size_t i = 0; i < r->rep->ncolumns; i++)
        if (r->rep->columns[i].header == h)
            snprintf(out, outlen, "#%zu", i + 1);
    return out;
}

/* A cell's value between single quotes on a command line: each ' written
 * '\'' (close, a quoted quote, open again); control characters as '?'. */
static const char *arg_value(const char *v, char *out, size_t outlen)
{
    size_t o = 0;
    for (; *v && o + 5 < outlen; v++) {
        if (*v == '\'') {
            memcpy(out + o, "'\\''", 4);
            o += 4;
        } else {
            out[o++] = (unsigned char)*v < 0x20 || *v == 0x7f ? '?' : *v;
        }
    }
    out[o] = '\0';
    return out;
}

/* "column 'Name'", "column 3 'Name'" (with_number) or "column 3" (blank). */
static const char *col_label(const reader *r, size_t i, int with_number, char *out,
                             size_t outlen)
{
    const char *h = (r->rep->columns && i < r->rep->ncolumns) ? r->rep->columns[i].header : "";
    char ex[80];
    if (!h || !*h)
        snprintf(out, outlen, INV_("column %zu"), i + 1);
    else if (with_number)
        snprintf(out, outlen, INV_("column %zu '%s'"), i + 1, excerpt(h, ex, sizeof ex));
    else
        snprintf(out, outlen, INV_("column '%s'"), excerpt(h, ex, sizeof ex));
    return out;
}

/* Bytes of s, from the start, below 0x80: eight at a time. */
static size_t ascii_run(const unsigned char *s, size_t n)
{
    size_t k = 0;
    for (uint64_t w; k + 8 <= n; k += 8) {
        memcpy(&w, s + k, 8);
        if (w & 0x8080808080808080u)
            break;
    }
    while (k < n && s[k] < 0x80)
        k++;
    return k;
}

/* Bytes of s, from the start, that are printable ASCII, TAB or LF. */
static size_t ascii_ctl_free_run(const unsigned char *s, size_t n)
{
    size_t k = 0;
    while (k < n && ((s[k] >= 0x20 && s[k] < 0x7F) || s[k] == '\t' || s[k] == '\n'))
        k++;
    return k;
}

/* ---- UTF-8 in the raw bytes ---- */

/* Whether a character is one a Western inventory holds: Latin letters and
 * signs (U+00A0-U+017F), dashes, quotes and bullets, the euro and trade
 * mark signs. In a windows-1252 file the bytes of such a character in UTF-8
 * spell "Ã©", "Ã¼", "â€“": mojibake, never text; bytes that happen to form
 * other UTF-8 ("ß“" is U+07D3) do not make a windows-1252 file UTF-8. */
static int latin_text_cp(unsigned cp)
{
    return (cp >= 0xA0 && cp <= 0x17F) || (cp >= 0x2010 && cp <= 0x203A) || cp == 0x20AC ||
           cp == 0x2122;
}

/* The cell around s[a..b) (cut at the delimiter, a quote or a line end,
 * 40 bytes each side) as printable UTF-8: bytes that are not UTF-8 and
 * control characters as '?'. */
static void cell_text(const reader *r, const unsigned char *s, size_t n, size_t a, size_t b,
                      char *out, size_t outlen)
{
    size_t from = a, to = b, o = 0;
#define CELL_END(c) ((c) == r->delim || (c) == '"' || (c) == '\r' || (c) == '\n')
    while (from > 0 && a - from < 40 && !CELL_END(s[from - 1]))
        from--;
    while (to < n && to - b < 40 && !CELL_END(s[to]))
        to++;
#undef CELL_END
    while (from < to && (s[from] == ' ' || s[from] == '\t'))
        from++;
    while (to > from && (s[to - 1] == ' ' || s[to - 1] == '\t'))
        to--;
    for (size_t k = from; k < to && o + 5 < outlen;) {
        size_t l = inv_utf8_len(s + k, to - k);
        unsigned cp = l == 2 ? ((s[k] & 0x1Fu) << 6) | (s[k + 1] & 0x3Fu) : 0x100;
        if (l < 2) {
            out[o++] = (char)((l == 1 && s[k] >= 0x20 && s[k] != 0x7f) ? s[k] : '?');
            k++;
            continue;
        }
        if (cp < 0xA0) {
            out[o++] = '?';
        } else {
            memcpy(out + o, s + k, l);
            o += l;
        }
        k += l;
    }
    out[o] = '\0';
}

/* The UTF-8 text in, as r->sb reads its bytes one by one (what windows-1252
 * or latin1 would make of it), printable. */
static const char *as_single_byte(const reader *r, const char *in, char *out, size_t outlen)
{
    size_t o = 0;
    for (const unsigned char *u = (const unsigned char *)in; *u && o + 5 < outlen; u++) {
        size_t l = *u >= 0x80 ? r->sb_len[*u] : 1;
        const char *t = *u >= 0x80 ? r->sb[*u] : (const char *)u;
        if (!l || (l == 2 && (unsigned char)t[0] == 0xC2 && (unsigned char)t[1] < 0xA0)) {
            out[o++] = '?'; /* not a character, or a C1 control */
            continue;
        }
        memcpy(out + o, t, l);
        o += l;
    }
    out[o] = '\0';
    return out;
}

static void u8_settle(reader *r)
{
    r->u8.done = r->u8.bad_line && r->u8.text_line;
}

static void u8_bad(reader *r, long line, unsigned byte)
{
    if (r->u8.bad_line)
        return;
    r->u8.bad_line = line;
    r->u8.bad_byte = byte;
    u8_settle(r);
}

/* A valid multi-byte sequence ends at s[end] (exclusive), len bytes long
 * (its first bytes may be in the previous read: then end < len, and they
 * are the last bytes of r->u8.tail). */
static void u8_good(reader *r, const unsigned char *s, size_t n, size_t end, size_t len,
                    long line)
{
    /* the cell may begin in the bytes of the previous read: the excerpt
     * then comes from them and these, joined */
    unsigned char joined[sizeof r->u8.tail + 128];
    size_t t = r->u8.tail_len;
    if (t && (end < len || end - len < 40)) {
        size_t keep = n - end < 40 ? n : end + 40;
        memcpy(joined, r->u8.tail, t);
        memcpy(joined + t, s, keep);
        s = joined;
        n = t + keep;
        end += t;
    }
    size_t a = end >= len ? end - len : 0;
    if (!r->u8.any_line && len >= 3) {
        r->u8.any_line = line;
        cell_text(r, s, n, a, end, r->u8.any_text, sizeof r->u8.any_text);
    }
    if (!r->u8.text_line && latin_text_cp(r->u8.cp)) {
        r->u8.text_line = line;
        cell_text(r, s, n, a, end, r->u8.text, sizeof r->u8.text);
        u8_settle(r);
    }
}

/* Keeps the last bytes of s (n bytes, the end of the bytes scanned) when
 * its line goes on in the next read. */
static void u8_keep_tail(reader *r, const unsigned char *s, size_t n)
{
    size_t cap = sizeof r->u8.tail, t = r->u8.tail_len;
    if (n && (s[n - 1] == '\n' || s[n - 1] == '\r')) {
        r->u8.tail_len = 0;
        return;
    }
    if (n >= cap) {
        memcpy(r->u8.tail, s + n - cap, cap);
        r->u8.tail_len = cap;
        return;
    }
    if (t + n > cap) { /* drop the oldest */
        memmove(r->u8.tail, r->u8.tail + (t + n - cap), cap - n);
        t = cap - n;
    }
    memcpy(r->u8.tail + t, s, n);
    r->u8.tail_len = t + n;
}

/* Scans bytes of the file, all on line `line` but maybe the last (a line
 * end, ASCII): a UTF-8 decoder whose state crosses calls, eight ASCII bytes
 * at a time. Notes the first valid multi-byte sequence, the first that
 * reads as Latin text and the first byte that is not UTF-8. */
static void u8_scan(reader *r, const unsigned char *s, size_t n, long line)
{
    size_t k = 0;
    while (k < n && !r->u8.done) {
        unsigned char c = s[k];
        if (!r->u8.need) {
            k += ascii_run(s + k, n - k);
            if (k == n)
                break;
            c = s[k];
            if (c >= 0xC2 && c <= 0xDF) {
                r->u8.need = 1, r->u8.lo = 0x80, r->u8.hi = 0xBF, r->u8.cp = c & 0x1Fu;
            } else if (c >= 0xE0 && c <= 0xEF) {
                r->u8.need = 2, r->u8.cp = c & 0x0Fu;
                r->u8.lo = c == 0xE0 ? 0xA0 : 0x80, r->u8.hi = c == 0xED ? 0x9F : 0xBF;
            } else if (c >= 0xF0 && c <= 0xF4) {
                r->u8.need = 3, r->u8.cp = c & 0x07u;
                r->u8.lo = c == 0xF0 ? 0x90 : 0x80, r->u8.hi = c == 0xF4 ? 0x8F : 0xBF;
            } else {
                u8_bad(r, line, c);
                k++;
                continue;
            }
            r->u8.lead = c;
            r->u8.seq_line = line;
            r->u8.seq_len = 1;
            k++;
            continue;
        }
        if (c < r->u8.lo || c > r->u8.hi) {
            r->u8.need = 0; /* the lead was not UTF-8; c is looked at again */
            u8_bad(r, r->u8.seq_line, r->u8.lead);
            continue;
        }
        r->u8.cp = (r->u8.cp << 6) | (c & 0x3Fu);
        r->u8.lo = 0x80, r->u8.hi = 0xBF;
        k++;
        r->u8.seq_len++;
        if (!--r->u8.need)
            u8_good(r, s, n, k, r->u8.seq_len, line);
    }
    u8_keep_tail(r, s, n);
}

/* u8_scan over bytes that libcsv will not see (the reading stopped),
 * counting lines as feed() does. */
static void u8_scan_lines(reader *r, const unsigned char *buf, size_t n)
{
    for (size_t i = 0; i < n && !r->u8.done;) {
        size_t j = i;
        while (j < n && buf[j] != '\r' && buf[j] != '\n')
            j++;
        size_t end = j < n ? j + 1 : n;
        u8_scan(r, buf + i, end - i, r->line);
        if (j < n) {
            if (!(buf[j] == '\n' && j == i && r->prev_cr))
                r->line++;
            r->prev_cr = buf[j] == '\r';
        } else if (end > i) {
            r->prev_cr = 0;
        }
        i = end;
    }
}

/* Whether the scan must go on after the reading stopped on an input error:
 * its verdict may still add to the messages. */
static int u8_want_rest(const reader *r)
{
    return !r->raw && r->fed && !r->u8.done && r->rc == INV_EINPUT &&
           (r->enc != ENC_UTF8 || r->u8.nfix);
}

/* Line ends (LF, CR LF or a lone CR) in the raw fields before field i of
 * the current record: the cell's first line is rec_line plus these. */
static long lines_before(const reader *r, size_t i)
{
    long n = 0;
    for (size_t j = 0; j < i && j < r->nstored; j++) {
        const char *f = r->arena.data + r->off[j];
        for (size_t k = 0; k < r->len[j]; k++)
            n += f[k] == '\n' || (f[k] == '\r' && !(k + 1 < r->len[j] && f[k + 1] == '\n'));
    }
    return n;
}

/* The line of byte in[at] of field i (its value with line ends made LF):
 * the record's first line, then the line ends before it. */
static long byte_line(const reader *r, size_t i, const unsigned char *in, size_t at)
{
    long line = r->rec_line + lines_before(r, i);
    for (size_t k = 0; k < at; k++)
        line += in[k] == '\n';
    return line;
}

/* decode() of a cell read as windows-1252 or latin1 met byte in[at] >= 0x80:
 * notes the column of the first valid UTF-8 sequence (and the first reading
 * as Latin text) and of the first byte that is not UTF-8. Returns the bytes
 * looked at. */
static size_t u8_note_cell(reader *r, size_t i, const unsigned char *in, size_t len, size_t at)
{
    size_t l = inv_utf8_len(in + at, len - at);
    if (l >= 2) {
        unsigned cp = l == 2 ? ((in[at] & 0x1Fu) << 6) | (in[at + 1] & 0x3Fu)
                      : l == 3 ? ((in[at] & 0x0Fu) << 12) | ((in[at + 1] & 0x3Fu) << 6) |
                                     (in[at + 2] & 0x3Fu)
                               : 0x10000;
        int text = !r->u8.d_text_line && latin_text_cp(cp);
        if ((r->u8.d_any_line || l < 3) && !text)
            return l;
        long line = byte_line(r, i, in, at);
        if (!r->u8.d_any_line && l >= 3)
            r->u8.d_any_line = line, r->u8.d_any_col = i;
        if (text) {
            r->u8.d_text_line = line, r->u8.d_text_col = i;
            cell_text(r, in, len, at, at + l, r->u8.d_text, sizeof r->u8.d_text);
        }
        return l;
    }
    if (!r->u8.d_bad_line) {
        r->u8.d_bad_line = byte_line(r, i, in, at);
        r->u8.d_bad_col = i;
        r->u8.d_bad_char = at + 1;
    }
    return 1;
}

/* An invalid byte in a UTF-8 cell (header: a header cell): the advice is
 * --encoding windows-1252, unless the file holds UTF-8 text elsewhere, as
 * said now or, when that text comes later, by u8_verdict(). slot: where
 * the message goes. */
static void u8_error(reader *r, size_t slot, long line, size_t i, unsigned byte, size_t chars,
                     int header)
{
    char lab[160], ex[160];
    if (r->u8.text_line) {
        excerpt(r->u8.text, ex, sizeof ex);
        if (header)
            put_error(r, slot, line,
                      INV_N_("column %zu: the header is not valid UTF-8 (byte 0x%02X at "
                             "character %zu), but line %ld holds UTF-8 text ('%s'): the file "
                             "mixes two encodings, and --encoding windows-1252 would garble "
                             "line %ld; re-type this header cell, or save the file as CSV "
                             "UTF-8"),
                      i + 1, byte, chars, r->u8.text_line, ex, r->u8.text_line);
        else
            put_error(r, slot, line,
                      INV_N_("%s: invalid UTF-8 (byte 0x%02X at character %zu), but line %ld "
                             "holds UTF-8 text ('%s'): the file mixes two encodings, and "
                             "--encoding windows-1252 would garble line %ld; re-type this "
                             "cell, or save the file as CSV UTF-8"),
                      col_label(r, i, 1, lab, sizeof lab), byte, chars, r->u8.text_line, ex,
                      r->u8.text_line);
        return;
    }
    size_t before = r->rep->nkept;
    if (header)
        add_error(r, line,
                  "column %zu: the header is not valid UTF-8 (byte 0x%02X at "
                  "character %zu); if the file is not UTF-8, use --encoding "
                  "windows-1252",
                  i + 1, byte, chars);
    else
        add_error(r, line,
                  "%s: invalid UTF-8 (byte 0x%02X at character %zu); if the "
                  "file is not UTF-8, use --encoding windows-1252",
                  col_label(r, i, 1, lab, sizeof lab), byte, chars);
    if (r->rep->nkept == before)
        return;
    if (r->u8.nfix == r->u8.fixcap) {
        size_t cap = r->u8.fixcap ? 2 * r->u8.fixcap : 8;
        struct u8fix *fix = realloc(r->u8.fix, cap * sizeof *fix);
        if (!fix) {
            oom(r);
            return;
        }
        r->u8.fix = fix;
        r->u8.fixcap = cap;
    }
    r->u8.fix[r->u8.nfix++] = (struct u8fix){r->rep->nkept - 1, i, chars, line, byte, header};
}

/* What the scan found, once the file is read (or the reading stopped on
 * an input error): a file read as windows-1252 or latin1 that is all valid
 * UTF-8 with UTF-8 characters in it, or that mixes UTF-8 text and bytes
 * that are not UTF-8, is refused, the message first; in a UTF-8 file the
 * invalid bytes are no longer a hint to use --encoding windows-1252. */
static void u8_verdict(reader *r)
{
    char lab[160], ex[160], as[400], ch[8];
    if (r->raw || !r->fed || (r->stop && r->rc != INV_EINPUT))
        return;
    if (r->enc == ENC_UTF8) {
        if (!r->u8.text_line)
            return;
        for (size_t k = 0; k < r->u8.nfix; k++) {
            const struct u8fix *f = &r->u8.fix[k];
            if (f->idx < r->rep->nkept)
                u8_error(r, f->idx, f->line, f->col, f->byte, f->chars, f->header);
        }
        return;
    }
    if (r->u8.complete && (r->u8.text_line || r->u8.any_line) && !r->u8.bad_line) {
        /* all UTF-8: name the first Latin text, else the first character */
        long line = r->u8.text_line ? r->u8.text_line : r->u8.any_line;
        const char *text = r->u8.text_line ? r->u8.text : r->u8.any_text;
        long dline = r->u8.text_line ? r->u8.d_text_line : r->u8.d_any_line;
        size_t dcol = r->u8.text_line ? r->u8.d_text_col : r->u8.d_any_col;
        if (r->u8.text_line && dline == line)
            text = r->u8.d_text;
        excerpt(text, ex, sizeof ex);
        as_single_byte(r, ex, as, sizeof as);
        /* in the header, the column by its number: its name is garbled */
        if (dline == line && line == r->rep->header_line)
            snprintf(lab, sizeof lab, INV_("column %zu"), dcol + 1);
        else if (dline == line)
            col_label(r, dcol, 1, lab, sizeof lab);
        if (dline == line)
            put_error(r, SLOT_FIRST, line,
                      INV_N_("%s: '%s' is UTF-8 text (read as %s it would become '%s'), "
                             "and the whole file is valid UTF-8: the file is UTF-8, not %s; "
                             "drop --encoding (or use --encoding utf-8 if a saved profile "
                             "sets %s)"),
                      lab, ex, r->rep->encoding, as,
                      r->rep->encoding, r->rep->encoding);
        else
            put_error(r, SLOT_FIRST, line,
                      INV_N_("'%s' is UTF-8 text (read as %s it would become '%s'), and the "
                             "whole file is valid UTF-8: the file is UTF-8, not %s; drop "
                             "--encoding (or use --encoding utf-8 if a saved profile sets "
                             "%s)"),
                      ex, r->rep->encoding, as, r->rep->encoding, r->rep->encoding);
        return;
    }
    if (!r->u8.text_line || !r->u8.bad_line)
        return;
    /* two encodings */
    excerpt(r->u8.d_text_line == r->u8.text_line ? r->u8.d_text : r->u8.text, ex, sizeof ex);
    unsigned b = r->u8.bad_byte;
    snprintf(ch, sizeof ch, "%.*s", r->sb_len[b], r->sb[b]);
    if (!r->sb_len[b] || (r->sb_len[b] == 2 && (unsigned char)ch[0] == 0xC2 &&
                          (unsigned char)ch[1] < 0xA0))
        snprintf(ch, sizeof ch, "?");
    if (r->u8.d_bad_line == r->u8.bad_line)
        put_error(r, SLOT_FIRST, r->u8.bad_line,
                  INV_N_("%s: byte 0x%02X ('%s' in %s) at character %zu is not UTF-8, but "
                         "line %ld holds UTF-8 text ('%s'): the file mixes two encodings, "
                         "and no --encoding reads both right; save it in one: re-type this "
                         "cell, or save the file as CSV UTF-8"),
                  col_label(r, r->u8.d_bad_col, 1, lab, sizeof lab), b, ch, r->rep->encoding,
                  r->u8.d_bad_char, r->u8.text_line, ex);
    else
        put_error(r, SLOT_FIRST, r->u8.bad_line,
                  INV_N_("byte 0x%02X ('%s' in %s) is not UTF-8, but line %ld holds UTF-8 "
                         "text ('%s'): the file mixes two encodings, and no --encoding reads "
                         "both right; save it in one: re-type the cell holding that byte, or "
                         "save the file as CSV UTF-8"),
                  b, ch, r->rep->encoding, r->u8.text_line, ex);
}

/* Fills r->sb with what iconv (r->cd) makes of each byte 0x80-0xFF, once
 * per file. Returns 0, or the errno of a failure other than a byte that is
 * not a character. */
static int single_byte_table(reader *r)
{
    for (int c = 0x80; c < 0x100; c++) {
        char in[1] = {(char)c}, *ip = in, *op = r->sb[c];
        size_t il = 1, ol = sizeof r->sb[c];
        iconv(r->cd, NULL, NULL, NULL, NULL);
        size_t rc = iconv(r->cd, &ip, &il, &op, &ol);
        if (rc == (size_t)-1) {
            if (errno != EILSEQ && errno != EINVAL)
                return errno;
            r->sb_len[c] = 0;
        } else {
            r->sb_len[c] = (unsigned char)(op - r->sb[c]);
        }
    }
    return 0;
}

static int is_blank_byte(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

int inv_csv_formula_at(const char *s, size_t n)
{
    size_t k = 0;
    while (k < n && s[k] == '\'')
        k++;
    return k < n && s[k] && strchr("=+-@\t\r", s[k]) != NULL;
}

/* Drops from v the apostrophe put before a formula character (or before
 * apostrophes and one) at the start of the value or after a comma or line
 * feed: the reverse of export-csv --excel. Returns how many were dropped,
 * *lead 1 when one was at the start; cannot fail. */
static size_t unguard(inv_buf *v, int *lead)
{
    char *d = v->data;
    size_t o = 0, dropped = 0;
    *lead = 0;
    if (!memchr(d, '\'', v->len)) /* nearly every cell: nothing to look at */
        return 0;
    *lead = v->len > 1 && d[0] == '\'' && inv_csv_formula_at(d + 1, v->len - 1);
    for (size_t k = 0; k < v->len; k++) {
        if (d[k] == '\'' && (k == 0 || d[k - 1] == ',' || d[k - 1] == '\n') &&
            inv_csv_formula_at(d + k + 1, v->len - k - 1)) {
            dropped++;
            d[o++] = d[++k]; /* what follows is kept as it is, even a ' */
            continue;
        }
        d[o++] = d[k];
    }
    d[o] = '\0';
    v->len = o;
    return dropped;
}

/*
 * Turns the raw bytes of field i into a checked, trimmed UTF-8 value in
 * r->val.data. Returns 0, or 1 after collecting an error (header: the header
 * cell of column i is being decoded). INV_EIO paths call oom().
 */
static int decode(reader *r, size_t i, const char *raw, size_t n, int header)
{
    char lab[160];
    long line = r->rec_line;
    /* 1. line ends inside the value: CR LF and lone CR become LF */
    r->tmp.len = 0;
    size_t from = 0;
    for (const char *cr; (cr = n > from ? memchr(raw + from, '\r', n - from) : NULL);) {
        size_t k = (size_t)(cr - raw);
        if (inv_buf_add(&r->tmp, raw + from, k - from) || inv_buf_add(&r->tmp, "\n", 1)) {
            oom(r);
            return 1;
        }
        from = k + 1 + (k + 1 < n && raw[k + 1] == '\n');
    }
    if (inv_buf_add(&r->tmp, raw + from, n - from)) {
        oom(r);
        return 1;
    }
    /* 2. to UTF-8 */
    r->val.len = 0;
    if (r->enc == ENC_UTF8) {
        const unsigned char *s = (const unsigned char *)r->tmp.data;
        size_t k = 0, chars = 0;
        while (k < r->tmp.len) {
            size_t run = ascii_run(s + k, r->tmp.len - k);
            k += run;
            chars += run;
            if (k == r->tmp.len)
                break;
            size_t l = inv_utf8_len(s + k, r->tmp.len - k);
            if (!l) { /* named on the line of the byte, in a cell of several */
                u8_error(r, SLOT_APPEND, byte_line(r, i, s, k), i, s[k], chars + 1, header);
                return 1;
            }
            k += l;
            chars++;
        }
        if (inv_buf_add(&r->val, r->tmp.data, r->tmp.len)) {
            oom(r);
            return 1;
        }
    } else {
        /* one byte, one character: through the table iconv filled */
        const unsigned char *in = (const unsigned char *)r->tmp.data;
        size_t len = r->tmp.len;
        if (inv__buf_reserve(&r->val, 3 * len + 1)) { /* r->val is empty here */
            oom(r);
            return 1;
        }
        char *out = r->val.data;
        size_t u8_next = 0; /* bytes before it are in a sequence looked at */
        for (size_t at = 0; at < len; at++) {
            unsigned char c = in[at];
            if (c < 0x80) {
                *out++ = (char)c;
                continue;
            }
            if (at >= u8_next && !(r->u8.d_text_line && r->u8.d_bad_line))
                u8_next = at + u8_note_cell(r, i, in, len, at);
            size_t l = r->sb_len[c];
            if (!l) {
                line = byte_line(r, i, in, at);
                if (header)
                    add_error(r, line, "column %zu: byte 0x%02X at character %zu of the "
                              "header is not a %s character",
                              i + 1, c, at + 1, r->rep->encoding);
                else
                    add_error(r, line, "%s: byte 0x%02X at character %zu is not a %s "
                              "character",
                              col_label(r, i, 1, lab, sizeof lab), c, at + 1,
                              r->rep->encoding);
                return 1;
            }
            memcpy(out, r->sb[c], l);
            out += l;
        }
        r->val.len = (size_t)(out - r->val.data);
        r->val.data[r->val.len] = '\0';
    }
    /* 3. the apostrophe a spreadsheet export puts before = + - @ TAB so
     * that the cell is not run as a formula (export-csv --excel at the
     * start and after a comma or line feed, other tools at the start):
     * dropped before the trim (which would take a guarded TAB), so that
     * exporting and importing again changes nothing; the record is
     * counted once kept (process_row) */
    int lead = 0;
    if (!header && unguard(&r->val, &lead))
        r->row_unguarded = 1;
    /* 4. trim spaces, tabs and line feeds at both ends (not at the start
     * of a guarded value: the guard says its TAB is text) */
    char *v = r->val.data;
    size_t a = 0, b = r->val.len;
    while (!lead && a < b && is_blank_byte((unsigned char)v[a]))
        a++;
    while (b > a && is_blank_byte((unsigned char)v[b - 1]))
        b--;
    long trimmed_lines = 0; /* line ends trimmed at the start, for the lines below */
    for (size_t k = 0; k < a; k++)
        trimmed_lines += v[k] == '\n';
    memmove(v, v + a, b - a);
    v[b - a] = '\0';
    r->val.len = b - a;
    /* 5. control characters: C0 but TAB and LF, DEL, C1; in headers too,
     * which are shown to people and kept as text (a NUL would cut them) */
    const unsigned char *s = (const unsigned char *)v;
    size_t chars = 0;
    for (size_t k = 0; k < r->val.len; chars++) {
        size_t run = ascii_ctl_free_run(s + k, r->val.len - k);
        k += run;
        chars += run;
        if (k == r->val.len)
            break;
        unsigned cp = s[k];
        size_t l = inv_utf8_len(s + k, r->val.len - k);
        if (l == 2)
            cp = ((s[k] & 0x1Fu) << 6) | (s[k + 1] & 0x3Fu);
        if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F ||
            (cp >= 0x80 && cp < 0xA0)) {
            line = byte_line(r, i, s, k) + trimmed_lines; /* the byte's own line */
            if (header) {
                add_error(r, line,
                          "column %zu: control character U+%04X at character %zu of the "
                          "header (only TAB and line feed are allowed)",
                          i + 1, cp, chars + 1);
                return 1;
            }
            add_error(r, line,
                      "%s: control character U+%04X at character %zu (only TAB and line "
                      "feed are allowed)%s",
                      col_label(r, i, 0, lab, sizeof lab), cp, chars + 1,
                      (cp >= 0x80 && r->enc == ENC_LATIN1)
                          ? "; in latin1 bytes 0x80-0x9F are control characters: the file "
                            "may be --encoding windows-1252"
                          : "");
            return 1;
        }
        k += l ? l : 1;
    }
    return 0;
}

/* ---- header ---- */

static const char *field_of(const reader *r, size_t i)
{
    return r->rep->columns[i].field;
}

/* Appends "'a', 'b', ..." (the header names) to out, cut to fit. */
static void list_headers(const reader *r, char *out, size_t outlen)
{
    size_t o = 0;
    out[0] = '\0';
    for (size_t i = 0; i < r->rep->ncolumns; i++) {
        char ex[80], item[100];
        const char *h = r->rep->columns[i].header;
        if (h && *h)
            snprintf(item, sizeof item, "%s'%s'", i ? ", " : "", excerpt(h, ex, sizeof ex));
        else
            snprintf(item, sizeof item, "%s(blank %zu)", i ? ", " : "", i + 1);
        size_t l = strlen(item);
        if (o + l + 6 >= outlen) {
            snprintf(out + o, outlen - o, ", ...");
            return;
        }
        memcpy(out + o, item, l + 1);
        o += l;
    }
}

/* Splits "HEADER=FIELD" at the last '='; trims both. 0 or -1. */
static int split_map(const char *m, char *hdr, size_t hlen, char *fld, size_t flen)
{
    const char *eq = strrchr(m, '=');
    if (!eq)
        return -1;
    const char *a = m, *b = eq;
    while (a < b && (*a == ' ' || *a == '\t'))
        a++;
    while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
        b--;
    snprintf(hdr, hlen, "%.*s", (int)(b - a), a);
    a = eq + 1;
    while (*a == ' ' || *a == '\t')
        a++;
    snprintf(fld, flen, "%s", a);
    size_t l = strlen(fld);
    while (l && (fld[l - 1] == ' ' || fld[l - 1] == '\t'))
        fld[--l] = '\0';
    return (hdr[0] && fld[0]) ? 0 : -1;
}

static int target_of(const char *field)
{
    if (!field)
        return T_NONE;
    if (!strcmp(field, "services"))
        return T_SVC;
    if (!strcmp(field, "sla"))
        return T_SLA;
    const inv_field *f = inv_field_fixed(field, strlen(field));
    if (!f)
        return T_ATTR;
    return f->place == INV_FIELD_KEY ? T_ID : f->rule == INV_RULE_KIND ? T_KIND : T_NAME;
}

/* Index of the first column an explicit --map gave field to, or -1. */
static long mapped_to(const reader *r, const char *field)
{
    for (size_t i = 0; i < r->rep->ncolumns; i++)
        if (r->rep->columns[i].how == INV_CSV_MAP && r->rep->columns[i].field &&
            !strcmp(r->rep->columns[i].field, field))
            return (long)i;
    return -1;
}

static int set_field(reader *r, size_t i, const char *field, inv_csv_how how)
{
    inv_csv_column *c = &r->rep->columns[i];
    free(c->field);
    c->field = NULL;
    c->how = how;
    if (field && !(c->field = strdup(field))) {
        oom(r);
        return -1;
    }
    return 0;
}

/* Calls fn for each column that spec names: "#N" (column N) or a header
 * (compared with inv_csv_header_norm). Returns how many it named. */
static size_t each_column(reader *r, const char *spec, void (*fn)(reader *, size_t, void *),
                          void *arg)
{
    char want[512], have[512], *end = NULL;
    size_t hits = 0;
    long num = spec[0] == '#' ? strtol(spec + 1, &end, 10) : 0;
    int by_number = spec[0] == '#' && spec[1] && end && *end == '\0';
    inv_csv_header_norm(spec, want, sizeof want);
    for (size_t i = 0; i < r->rep->ncolumns; i++) {
        if (by_number) {
            if ((long)i + 1 != num)
                continue;
        } else {
            inv_csv_header_norm(r->rep->columns[i].header, have, sizeof have);
            if (!want[0] || strcmp(want, have) != 0)
                continue;
        }
        hits++;
        fn(r, i, arg);
    }
    return hits;
}

static void set_fill(reader *r, size_t i, void *arg)
{
    (void)arg;
    r->fill[i] = 1;
}

static void add_where(reader *r, size_t i, void *arg)
{
    struct where *w = arg;
    r->wh[r->nwh] = *w;
    r->wh[r->nwh].col = i;
    r->wh[r->nwh].want = strdup(w->want);
    if (!r->wh[r->nwh].want)
        oom(r);
    else
        r->nwh++;
}

/* "no column 'X' in the header; the columns are: ..." for option opt. */
static void no_such_column(reader *r, long line, const char *opt, const char *arg,
                           const char *spec)
{
    char list[1100];
    list_headers(r, list, sizeof list);
    if (spec[0] == '#')
        add_error(r, line, "%s '%s': there is no column %s; the header has %zu", opt, arg,
                  spec + 1, r->rep->ncolumns);
    else
        add_error(r, line, "%s '%s': no column '%s' in the header; the columns are: %s", opt,
                  arg, spec, list);
}

/* Resolves --fill-down, --where and --map-kind against the header. */
static void resolve_options(reader *r, long line, long kind_col)
{
    const inv_csv_opts *o = r->o;
    size_t n = r->rep->ncolumns;
    r->fill = calloc(n ? n : 1, sizeof *r->fill);
    r->above = calloc(n ? n : 1, sizeof *r->above);
    r->wh = calloc(o->nwheres * (n ? n : 1) + 1, sizeof *r->wh);
    r->kmaps = calloc(o->nmap_kinds + 1, sizeof *r->kmaps);
    if (!r->fill || !r->above || !r->wh || !r->kmaps) {
        oom(r);
        return;
    }
    for (size_t k = 0; k < o->nfill_down; k++) {
        char spec[512];
        snprintf(spec, sizeof spec, "%s", o->fill_down[k]);
        if (!each_column(r, spec, set_fill, NULL))
            no_such_column(r, line, "--fill-down", o->fill_down[k], spec);
    }
    if (kind_col >= 0 && r->fill[kind_col])
        r->kind_col_filled = 1;
    for (size_t k = 0; k < o->nwheres; k++) {
        const char *w = o->wheres[k];
        const char *ne = strstr(w, "!="), *eq = strchr(w, '=');
        const char *op = ne && ne < eq ? ne : eq;
        if (!op || op == w) {
            add_error(r, line, "--where '%s': expected HEADER=VALUE or HEADER!=VALUE", w);
            continue;
        }
        char spec[512], want[512];
        const char *a = w, *b = op;
        while (a < b && (*a == ' ' || *a == '\t'))
            a++;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t'))
            b--;
        snprintf(spec, sizeof spec, "%.*s", (int)(b - a), a);
        struct where one = {0, op == ne, want};
        inv_csv_header_norm(op + (op == ne ? 2 : 1), want, sizeof want);
        if (!each_column(r, spec, add_where, &one))
            no_such_column(r, line, "--where", w, spec);
    }
    for (size_t k = 0; k < o->nmap_kinds; k++) {
        const char *m = o->map_kinds[k];
        char val[512], kind[512];
        if (split_map(m, val, sizeof val, kind, sizeof kind)) {
            add_error(r, line, "--map-kind '%s': expected VALUE=KIND", m);
            continue;
        }
        const char *canon = inv_kind_canonical(kind);
        if (!canon) {
            const char *near = inv_kind_suggest(kind);
            add_error(r, line, "--map-kind '%s': unknown kind '%s'%s%s%s; accepted kinds: %s",
                      m, kind, near ? INV_(" (did you mean '") : "", near ? near : "",
                      near ? "'?)" : "", inv_kind_list());
            continue;
        }
        char folded[512];
        inv_csv_header_norm(val, folded, sizeof folded);
        if (!(r->kmaps[r->nkmaps].value = strdup(folded))) {
            oom(r);
            return;
        }
        r->kmaps[r->nkmaps++].kind = canon;
    }
}

/* NetBox names the kind "Role" and the device type (a model such as
 * "FortiGate 60F") "Type": when a file has both, mapped by the alias
 * table to kind, "Type" becomes the model (or the attribute "type" when
 * another column is the model). */
static void netbox_type(reader *r)
{
    long role = -1, type = -1, model = -1;
    for (size_t i = 0; i < r->rep->ncolumns; i++) {
        const inv_csv_column *c = &r->rep->columns[i];
        char h[64];
        if (!c->field)
            continue;
        if (!strcmp(c->field, "model"))
            model = (long)i;
        if (c->how != INV_CSV_ALIAS || strcmp(c->field, "kind") != 0)
            continue;
        inv_csv_header_norm(c->header, h, sizeof h);
        if (!strcmp(h, "role") || !strcmp(h, "devicerole"))
            role = (long)i;
        else if (!strcmp(h, "type") || !strcmp(h, "devicetype"))
            type = (long)i;
    }
    if (role >= 0 && type >= 0)
        set_field(r, (size_t)type, model >= 0 ? "type" : "model",
                  model >= 0 ? INV_CSV_ATTR : INV_CSV_ALIAS);
}

/* The common delimiter (';', ',', TAB, '|'; not delim) a one-column header
 * holds most, or 0. */
static int other_delimiter(const char *h, int delim)
{
    static const int cand[] = {';', ',', '\t', '|'};
    size_t best = 0;
    int which = 0;
    for (size_t k = 0; h && k < sizeof cand / sizeof cand[0]; k++) {
        size_t times = 0;
        if (cand[k] == delim)
            continue;
        for (const char *p = h; *p; p++)
            times += *p == cand[k];
        if (times > best)
            best = times, which = cand[k];
    }
    return which;
}

static const char *delim_shown(int d, char *out, size_t outlen);
static const char *delim_arg(int d, char *out, size_t outlen);
static int store_field(reader *r, const void *s, size_t n);

static void process_header(reader *r)
{
    long line = r->rec_line;
    size_t n = r->nstored;
    inv_csv_report *rep = r->rep;
    uint64_t before = rep->nerrors;
    char lab[160], lab2[160], list[1100];

    if (r->nfields > INV_CSV_MAX_COLUMNS) {
        fatal(r, INV_EINPUT, "%s:%ld: the header has more than %d columns", r->path, line,
              INV_CSV_MAX_COLUMNS);
        return;
    }
    rep->columns = calloc(n, sizeof *rep->columns);
    r->target = calloc(n, sizeof *r->target);
    if (!rep->columns || !r->target) {
        oom(r);
        return;
    }
    rep->ncolumns = n;
    rep->header_line = line;
    size_t undecoded = 0; /* header cells whose bytes are not text: an error each */
    for (size_t i = 0; i < n; i++) {
        int bad = decode(r, i, r->arena.data + r->off[i], r->len[i], 1);
        if (r->stop)
            return;
        undecoded += bad != 0;
        if (!(rep->columns[i].header = strdup(bad ? "" : r->val.data))) {
            oom(r);
            return;
        }
    }

    /* 1. --map */
    for (size_t m = 0; m < r->o->nmaps; m++) {
        const char *map = r->o->maps[m];
        char hdr[512], fld[512], want[512], have[512];
        if (split_map(map, hdr, sizeof hdr, fld, sizeof fld)) {
            add_error(r, line, "--map '%s': expected HEADER=FIELD", map);
            continue;
        }
        const char *field = NULL;
        if (strcmp(fld, "-") != 0) {
            if (inv_key_normalise(fld) != 0) {
                add_error(r, line, "--map '%s': '%s' is not a usable field name", map,
                          strrchr(map, '=') + 1);
                continue;
            }
            field = fld;
        }
        size_t hits = 0;
        char *end = hdr;
        long num = hdr[0] == '#' ? strtol(hdr + 1, &end, 10) : 0;
        int by_number = hdr[0] == '#' && hdr[1] && *end == '\0';
        inv_csv_header_norm(hdr, want, sizeof want);
        for (size_t i = 0; i < n; i++) {
            if (by_number) {
                if ((long)i + 1 != num)
                    continue;
            } else {
                inv_csv_header_norm(rep->columns[i].header, have, sizeof have);
                if (!want[0] || strcmp(want, have) != 0)
                    continue;
            }
            hits++;
            if (rep->columns[i].how == INV_CSV_MAP || rep->columns[i].how == INV_CSV_IGNORED) {
                add_error(r, line, "%s: mapped twice (the second time by --map '%s')",
                          col_label(r, i, 0, lab, sizeof lab), map);
                continue;
            }
            if (set_field(r, i, field, field ? INV_CSV_MAP : INV_CSV_IGNORED))
                return;
        }
        if (!hits) {
            list_headers(r, list, sizeof list);
            if (by_number)
                add_error(r, line, "--map '%s': there is no column %ld; the header has %zu",
                          map, num, n);
            else
                add_error(r, line, "--map '%s': no column '%s' in the header; the columns "
                          "are: %s",
                          map, hdr, list);
        }
    }

    /* 2. aliases, 3. attributes */
    for (size_t i = 0; i < n && !r->stop; i++) {
        inv_csv_column *c = &rep->columns[i];
        if (c->how)
            continue;
        if (!c->header[0]) {
            c->how = INV_CSV_BLANK;
            continue;
        }
        const char *alias = inv_csv_alias_field(c->header);
        long other = alias ? mapped_to(r, alias) : -1;
        char key[512], old[512];
        snprintf(key, sizeof key, "%s", c->header);
        snprintf(old, sizeof old, "%s", c->header);
        int kbad = inv_key_normalise(key);
        /* an earlier release kept this column as attribute `old` (it now
         * maps to a field, or to another key): if the items have it, it
         * stays so, and re-importing the same file renames nothing */
        if (r->o->key_used && inv__key_normalise_legacy(old) == 0 && target_of(old) == T_ATTR &&
            mapped_to(r, old) < 0 &&
            (alias ? other < 0 && inv_csv_header_norm_changed(c->header)
                   : kbad || strcmp(old, key) != 0)) {
            int used = r->o->key_used(r->o->seen_ctx, old, r->e);
            if (used < 0) {
                fatal(r, INV_EIO, "%s", r->e->msg);
                return;
            }
            if (used) {
                if (!rep->kept_keys++) {
                    snprintf(rep->kept_header, sizeof rep->kept_header, "%s",
                             excerpt(c->header, lab, sizeof lab));
                    snprintf(rep->kept_key, sizeof rep->kept_key, "%.64s", old);
                    snprintf(rep->kept_field, sizeof rep->kept_field, "%.64s",
                             alias ? alias : kbad ? "-" : key);
                }
                set_field(r, i, old, INV_CSV_ATTR);
                continue;
            }
        }
        if (alias && other < 0) {
            set_field(r, i, alias, INV_CSV_ALIAS);
            continue;
        }
        snprintf(key, sizeof key, "%s", c->header);
        if (inv_key_normalise(key) != 0) {
            char ex[80];
            arg_name(r, c->header, ex, sizeof ex);
            add_error(r, line, "%s: no attribute key can be made from this header; use "
                      "--map '%s=KEY' or --map '%s=-'",
                      col_label(r, i, 1, lab, sizeof lab), ex, ex);
            continue;
        }
        long taken = mapped_to(r, key);
        if (alias && (target_of(key) != T_ATTR || taken >= 0)) {
            char ex[80];
            arg_name(r, c->header, ex, sizeof ex);
            add_error(r, line, "%s: maps to %s by default, but --map gives %s to %s; add "
                      "--map '%s=-' to drop this column or --map '%s=KEY' to keep it",
                      col_label(r, i, 0, lab, sizeof lab), alias, alias,
                      col_label(r, (size_t)other, 0, lab2, sizeof lab2), ex, ex);
            continue;
        }
        if (target_of(key) != T_ATTR) {
            char ex[80];
            arg_name(r, c->header, ex, sizeof ex);
            add_error(r, line, "%s: '%s' cannot be an attribute key; use --map '%s=KEY' "
                      "or --map '%s=-'", col_label(r, i, 0, lab, sizeof lab), key, ex, ex);
            continue;
        }
        set_field(r, i, key, INV_CSV_ATTR);
    }
    if (r->stop)
        return;

    /* NetBox: "Role" is the kind and "Type" (the device type) the model */
    netbox_type(r);

    /* duplicates: two columns on one field */
    for (size_t j = 0; j < n; j++) {
        if (!field_of(r, j))
            continue;
        for (size_t i = 0; i < j; i++) {
            if (!field_of(r, i) || strcmp(field_of(r, i), field_of(r, j)) != 0)
                continue;
            char a[512], b[512], ex[80];
            inv_csv_header_norm(rep->columns[i].header, a, sizeof a);
            inv_csv_header_norm(rep->columns[j].header, b, sizeof b);
            if (!strcmp(a, b))
                add_error(r, line, "%s: duplicate header: column %zu has the same name; "
                          "both map to %s (keep one, e.g. with --map '#%zu=-')",
                          col_label(r, j, 1, lab, sizeof lab), i + 1, field_of(r, j), j + 1);
            else /* the one to drop: for id, a tool's database id rather than the asset tag */
                add_error(r, line, "%s: duplicate header: %s also maps to %s (keep one, "
                          "e.g. with --map '%s=-')",
                          col_label(r, j, 1, lab, sizeof lab),
                          col_label(r, i, 1, lab2, sizeof lab2), field_of(r, j),
                          arg_name(r,
                                   rep->columns[inv_csv_dup_keep(field_of(r, j),
                                                                 rep->columns[i].header,
                                                                 rep->columns[j].header)
                                                    ? i
                                                    : j]
                                       .header,
                                   ex, sizeof ex));
            break;
        }
    }

    /* the id and the kind */
    long id_col = -1, kind_col = -1;
    for (size_t i = 0; i < n; i++) {
        r->target[i] = rep->columns[i].how == INV_CSV_BLANK ? T_BLANK
                                                             : target_of(field_of(r, i));
        if (r->target[i] == T_ID && id_col < 0)
            id_col = (long)i;
        if (r->target[i] == T_KIND && kind_col < 0)
            kind_col = (long)i;
    }
    /* a header cell that could not be decoded already has its error: the
     * id may be that column (a windows-1252 "N° d'inventaire" read as
     * UTF-8), so advice to map another would mislead */
    if (id_col < 0 && !undecoded) {
        char cand[400] = "", ex[80];
        size_t o = 0, k = 0;
        const char *first = NULL;
        static const char *const usable[] = {"serial", "hostname", "name"};
        for (size_t u = 0; u < 3; u++)
            for (size_t i = 0; i < n && o < sizeof cand - 100; i++) {
                const char *f = field_of(r, i);
                if (!f || strcmp(f, usable[u]) != 0)
                    continue;
                if (!first)
                    first = rep->columns[i].header;
                o += (size_t)snprintf(cand + o, sizeof cand - o, "%s'%s' (%s)",
                                      k++ ? ", " : "",
                                      excerpt(rep->columns[i].header, ex, sizeof ex), f);
            }
        list_headers(r, list, sizeof list);
        int other = n == 1 ? other_delimiter(rep->columns[0].header, r->delim) : 0;
        char d1[8], d2[8];
        if (other && r->o->delimiter && !rep->sep_line)
            add_error(r, line, "the header is one column holding %s: the file's delimiter is "
                      "%s (drop --delimiter or use --delimiter %s)",
                      delim_shown(other, d1, sizeof d1), d1, delim_arg(other, d2, sizeof d2));
        else if (other)
            add_error(r, line, "the header is one column holding %s: the file's delimiter is "
                      "%s (use --delimiter %s)",
                      delim_shown(other, d1, sizeof d1), d1, delim_arg(other, d2, sizeof d2));
        else if (first)
            add_error(r, line, "no column maps to id (an asset tag or inventory number); "
                      "the file has %s: choose the id column yourself, e.g. --map '%s=id'; "
                      "the columns are: %s",
                      cand, arg_name(r, first, ex, sizeof ex), list);
        else
            add_error(r, line, "no column maps to id (an asset tag or inventory number); "
                      "name it with --map 'HEADER=id'; the columns are: %s",
                      list);
    }
    if (kind_col < 0 && !r->default_kind)
        add_error(r, line, "no column maps to kind and no default kind was given; use "
                  "--kind KIND or --map 'HEADER=kind'");
    if (r->stop)
        return;
    resolve_options(r, line, kind_col);
    if (r->stop)
        return;
    if (rep->nerrors > before) {
        r->stop = 1;
        r->rc = INV_EINPUT;
        return;
    }
    r->id_col = (size_t)id_col;
    r->ncols = n;
    for (size_t i = 0; i < n; i++)
        r->nmapped_other += r->target[i] != T_NONE && r->target[i] != T_BLANK &&
                            r->target[i] != T_ID;
    r->store_max = n;
    r->voff = calloc(n, sizeof *r->voff);
    r->attr_cols = calloc(n, sizeof *r->attr_cols);
    r->attrs = calloc(n, sizeof *r->attrs);
    if (!r->voff || !r->attr_cols || !r->attrs) {
        oom(r);
        return;
    }
    /* attribute columns sorted by key (insertion sort: keys are unique) */
    for (size_t i = 0; i < n; i++) {
        if (r->target[i] != T_ATTR)
            continue;
        size_t k = r->nattr_cols++;
        while (k > 0 && strcmp(field_of(r, r->attr_cols[k - 1]), field_of(r, i)) > 0) {
            r->attr_cols[k] = r->attr_cols[k - 1];
            k--;
        }
        r->attr_cols[k] = i;
    }
    r->have_header = 1;
}

/* ---- finding the header ---- */

/* How many cells of the current record --map or the alias table would
 * map (*has_id: one of them to id; *nonempty: cells with text). Errors in
 * the cells are not reported: the record may be a title. */
static int header_score(reader *r, int *has_id, size_t *nonempty)
{
    int score = 0;
    *has_id = 0;
    *nonempty = 0;
    r->quiet = 1;
    for (size_t i = 0; i < r->nstored && !r->stop; i++) {
        r->quiet_errs = 0;
        decode(r, i, r->arena.data + r->off[i], r->len[i], 1);
        if (r->stop || r->quiet_errs || !r->val.data || !r->val.data[0])
            continue;
        (*nonempty)++;
        char have[512], hdr[512], fld[512], want[512];
        const char *field = NULL;
        inv_csv_header_norm(r->val.data, have, sizeof have);
        for (size_t m = 0; m < r->o->nmaps && !field; m++) {
            if (split_map(r->o->maps[m], hdr, sizeof hdr, fld, sizeof fld))
                continue;
            inv_csv_header_norm(hdr, want, sizeof want);
            if (want[0] && !strcmp(want, have))
                field = fld;
        }
        if (field && !strcmp(field, "-"))
            continue;
        if (field) {
            snprintf(want, sizeof want, "%s", field);
            if (inv_key_normalise(want) == 0 && !strcmp(want, "id"))
                *has_id = 1;
            score++;
            continue;
        }
        field = inv_csv_alias_field(r->val.data);
        if (field) {
            score++;
            if (!strcmp(field, "id"))
                *has_id = 1;
        }
    }
    r->quiet = 0;
    return score;
}

/* Keeps a copy of the current record as the best header so far. */
static void keep_best(reader *r, int score)
{
    size_t n = r->nstored;
    size_t *off = realloc(r->best.off, (n ? n : 1) * sizeof *off);
    if (off)
        r->best.off = off;
    size_t *len = realloc(r->best.len, (n ? n : 1) * sizeof *len);
    if (len)
        r->best.len = len;
    r->best.arena.len = 0;
    if (!off || !len || inv_buf_add(&r->best.arena, r->arena.data, r->arena.len)) {
        oom(r);
        return;
    }
    memcpy(off, r->off, n * sizeof *off);
    memcpy(len, r->len, n * sizeof *len);
    r->best.n = n;
    r->best.nfields = r->nfields;
    r->best.line = r->rec_line;
    r->best.score = score;
}

/* No record looked like the header: the best candidate is taken, for its
 * messages ("no column maps to id; the columns are: ..."). */
static void header_fallback(reader *r)
{
    if (r->best.score < 0)
        return;
    r->arena.len = 0;
    if (inv_buf_add(&r->arena, r->best.arena.data, r->best.arena.len)) {
        oom(r);
        return;
    }
    memcpy(r->off, r->best.off, r->best.n * sizeof *r->off);
    memcpy(r->len, r->best.len, r->best.n * sizeof *r->len);
    r->nstored = r->best.n;
    r->nfields = r->best.nfields;
    r->rec_line = r->best.line;
    uint64_t before = r->rep->nerrors;
    process_header(r);
    if (!r->stop && r->rep->nerrors == before) {
        add_error(r, r->best.line, "no header found in the first %d records (a header has "
                  "a column that maps to id and more than one name); name its line with "
                  "--header-row N",
                  INV_CSV_HEADER_SEARCH);
        r->have_header = 0;
    }
    r->stop = 1;
    if (!r->rc)
        r->rc = INV_EINPUT;
}

/* A record before the header: the header, or a title to skip. */
static void header_candidate(reader *r)
{
    long want = r->o->header_row;
    if (want > 0) {
        if (r->rec_line < want)
            return;
        if (r->rec_line > want) {
            fatal(r, INV_EINPUT, "%s:%ld: --header-row %ld: no record starts on line %ld "
                  "(it is blank or inside a quoted field); the next record starts on line %ld",
                  r->path, want, want, want, r->rec_line);
            return;
        }
        process_header(r);
        return;
    }
    if (r->no_search) {
        process_header(r);
        return;
    }
    int has_id;
    size_t nonempty;
    int score = header_score(r, &has_id, &nonempty);
    if (r->stop)
        return;
    if (has_id && (nonempty >= 2 || r->nfields == 1)) {
        process_header(r);
        return;
    }
    if (score > r->best.score)
        keep_best(r, score);
    if (++r->searched >= INV_CSV_HEADER_SEARCH)
        header_fallback(r);
}

/* ---- records ---- */

#define NO_VALUE ((size_t)-1)

/* The canonical kind of a kind cell (NULL when unknown), remembered for
 * the next records: a file spells its kinds a few ways, many times. */
static const char *kind_of(reader *r, const char *v)
{
    for (size_t i = 0; i < r->nkinds; i++)
        if (!strcmp(r->kinds[i].text, v))
            return r->kinds[i].kind;
    const char *k = NULL;
    if (r->nkmaps) {
        char folded[512];
        inv_csv_header_norm(v, folded, sizeof folded);
        for (size_t i = 0; i < r->nkmaps && !k; i++)
            if (!strcmp(r->kmaps[i].value, folded))
                k = r->kmaps[i].kind;
    }
    if (!k)
        k = inv_kind_canonical(v);
    size_t max = sizeof r->kinds / sizeof r->kinds[0];
    if (r->nkinds < max && (r->kinds[r->nkinds].text = strdup(v)) != NULL)
        r->kinds[r->nkinds++].kind = k;
    return k;
}

/* Appends v and its NUL to the record's values; its offset, or NO_VALUE
 * after stopping the reading when out of memory. */
static size_t keep_value(reader *r, const char *v, size_t len)
{
    size_t at = r->row.len;
    if (inv_buf_add(&r->row, v, len + 1)) {
        oom(r);
        return NO_VALUE;
    }
    return at;
}

/* Whether a raw cell starts with a word that names a total ("Total",
 * "TOTAL :", "Sous-total", "Somme", "Summe", "Gesamt", "Totaux"): ASCII,
 * so the raw bytes do, whatever the encoding. */
static int total_word(const char *raw, size_t n)
{
    static const char *const words[] = {"total", "sous-total", "soustotal", "totaux",
                                        "totale", "somme", "summe", "gesamt",
                                        "gesamtsumme", "sum", "grand total"};
    size_t a = 0;
    while (a < n && is_blank_byte((unsigned char)raw[a]))
        a++;
    /* every word starts with g, s or t: most cells are none of them */
    char c0 = a < n ? (char)(raw[a] | 0x20) : '\0';
    if (c0 != 'g' && c0 != 's' && c0 != 't')
        return 0;
    for (size_t w = 0; w < sizeof words / sizeof words[0]; w++) {
        size_t l = strlen(words[w]);
        if (n - a < l || strncasecmp(raw + a, words[w], l) != 0)
            continue;
        unsigned char next = a + l < n ? (unsigned char)raw[a + l] : ' ';
        if (next == ' ' || next == ':' || next == '\t' || next == '(' || next == '\n' ||
            next == '\r')
            return 1;
    }
    return 0;
}

/* The value of column i, decoded, with the value above when it is filled
 * down and empty; NULL after an error was collected. Updates what is
 * above. */
static const char *cell(reader *r, size_t i)
{
    if (decode(r, i, r->arena.data + r->off[i], r->len[i], 0))
        return NULL;
    if (!r->fill || !r->fill[i])
        return r->val.data;
    inv_buf *above = &r->above[i];
    if (r->val.len) {
        above->len = 0;
        if (inv_buf_add(above, r->val.data, r->val.len)) {
            oom(r);
            return NULL;
        }
        return r->val.data;
    }
    if (!above->len)
        return r->val.data;
    r->val.len = 0;
    if (inv_buf_add(&r->val, above->data, above->len)) {
        oom(r);
        return NULL;
    }
    return r->val.data;
}

/* Whether the --where conditions keep the current record; -1 after an
 * error was collected. Filled-down cells are updated first, so that a
 * record left out still passes its values down. */
static int kept(reader *r)
{
    char have[512];
    int keep = 1;
    for (size_t i = 0; r->fill && i < r->ncols; i++)
        if (r->fill[i] && !cell(r, i))
            return -1;
    for (size_t k = 0; k < r->nwh; k++) {
        const char *v = cell(r, r->wh[k].col);
        if (!v)
            return -1;
        inv_csv_header_norm(v, have, sizeof have);
        if ((strcmp(have, r->wh[k].want) == 0) == r->wh[k].neg)
            keep = 0;
    }
    return keep;
}

/* A coverage cell (services or sla), decoded in v: its canonical value
 * kept with the record's values, its offset; NO_VALUE when it names the
 * kind's default without a list (empty, or "(kind default)" alone);
 * NO_VALUE - 1 when out of memory (the reading stops). A malformed cell
 * is an error of the record (NO_VALUE then too). *claim is set when the
 * cell is "LIST (kind default)", as export-csv writes an inherited part:
 * the offset is then LIST's, which the caller must find equal to the
 * kind's default.
 *
 * The services cell is a list of service ids separated by ',', ';', '|'
 * or line breaks, or "none"; the sla cell a class id or "none"; either
 * may end with "(own)" or "(kind default)". ASCII letters are taken in
 * lower case. */
static size_t cov_cell(reader *r, long line, size_t i, int t, const char *v, int *claim)
{
    char lab[160], ex[80];
    size_t n = strlen(v);
    static const char own_tag[] = "(own)", def_tag[] = "(kind default)";
    *claim = 0;
    if (n >= sizeof def_tag - 1 && !strcasecmp(v + n - (sizeof def_tag - 1), def_tag)) {
        n -= sizeof def_tag - 1; /* inherited: the list must be the default's */
        while (n && strchr(" \t", v[n - 1]))
            n--;
        if (!n)
            return NO_VALUE;
        *claim = 1;
    }
    if (!n)
        return NO_VALUE;
    inv_buf cell = {0}, canon = {0};
    if (!*claim && n >= sizeof own_tag - 1 && !strcasecmp(v + n - (sizeof own_tag - 1), own_tag))
        n -= sizeof own_tag - 1;
    size_t at = NO_VALUE;
    int bad = 0;
    /* lower case, separators to commas, blanks around ids and empty
     * pieces dropped */
    for (size_t k = 0; k < n && !bad;) {
        while (k < n && strchr(",;|\n\r \t", v[k]))
            k++;
        size_t b = k;
        while (k < n && !strchr(",;|\n\r", v[k]))
            k++;
        size_t l = k - b;
        while (l && (v[b + l - 1] == ' ' || v[b + l - 1] == '\t'))
            l--;
        if (!l)
            continue;
        if (cell.len && inv_buf_add(&cell, ",", 1))
            bad = -1;
        for (size_t j = 0; j < l && !bad; j++) {
            char ch = v[b + j];
            if (ch >= 'A' && ch <= 'Z')
                ch = (char)(ch - 'A' + 'a');
            if (inv_buf_add(&cell, &ch, 1))
                bad = -1;
        }
    }
    if (!bad && inv_buf_add(&cell, "", 0))
        bad = -1;
    if (!cell.len) {
        /* only separators or "(own)": nothing named */
        if (t == T_SVC)
            add_error(r, line, "%s: '%s' names no service; write service ids (backup, "
                      "monitoring), or none, or leave the cell empty for the kind's default",
                      col_label(r, i, 0, lab, sizeof lab), excerpt(v, ex, sizeof ex));
        else
            add_error(r, line, "%s: '%s' names no class; write a class id (gold), or none, or "
                      "leave the cell empty for the kind's default",
                      col_label(r, i, 0, lab, sizeof lab), excerpt(v, ex, sizeof ex));
        goto out;
    }
    if (t == T_SVC) {
        if (inv_service_list_parse(cell.data, &canon, r->e)) {
            const char *m = r->e->msg;
            if (!strncmp(m, "--service: ", 11))
                m += 11;
            add_error(r, line, "%s: %s", col_label(r, i, 0, lab, sizeof lab), m);
            goto out;
        }
    } else {
        if (strchr(cell.data, ',')) {
            add_error(r, line, "%s: '%s' names several classes; an item has one service-level "
                      "class", col_label(r, i, 0, lab, sizeof lab), excerpt(v, ex, sizeof ex));
            goto out;
        }
        if (strcmp(cell.data, INV_COV_NONE) && inv_cov_id_check("class", cell.data, r->e)) {
            add_error(r, line, "%s: %s", col_label(r, i, 0, lab, sizeof lab), r->e->msg);
            goto out;
        }
        if (inv_buf_puts(&canon, cell.data) < 0) {
            oom(r);
            at = NO_VALUE - 1;
            goto out;
        }
    }
    at = keep_value(r, canon.data, canon.len);
    if (at == NO_VALUE)
        at = NO_VALUE - 1;
out:
    inv_buf_free(&cell);
    inv_buf_free(&canon);
    return at;
}

/* The delimiter for people: "';'" (or "TAB"), and as --delimiter takes it. */
static const char *delim_shown(int d, char *out, size_t outlen)
{
    if (d == '\t')
        snprintf(out, outlen, "TAB");
    else
        snprintf(out, outlen, "'%c'", d);
    return out;
}

static const char *delim_arg(int d, char *out, size_t outlen)
{
    if (d == '\t')
        snprintf(out, outlen, "tab");
    else
        snprintf(out, outlen, "'%c'", d);
    return out;
}

/* A record whose number of fields is not the header's: taken when what
 * differs is empty (fields past the last column hold nothing, or the
 * columns it lacks have no header name: old Excel drops trailing
 * delimiters), the missing cells then empty; else an error saying what
 * is likely wrong. Returns 1 when taken. */
static int ragged_ok(reader *r, long line)
{
    char lab[160], ex[80], d[8];
    if (r->nfields > r->ncols) {
        if (!r->extra_at) {
            if (!r->extra_rows++)
                r->extra_line = line, r->extra_n = r->nfields;
            return 1;
        }
        /* the first extra field holding text, stored past the columns */
        const char *v = "";
        if (r->nstored > r->ncols) {
            size_t k = r->nstored - 1;
            r->quiet = 1;
            r->quiet_errs = 0;
            decode(r, k, r->arena.data + r->off[k], r->len[k], 0);
            r->quiet = 0;
            if (r->stop)
                return 0;
            v = r->quiet_errs ? "?" : r->val.data;
        }
        add_error(r, line, "expected %zu fields as in the header, got %zu: field %zu holds "
                  "'%s' past the last column; an unquoted %s (the delimiter) inside a cell? "
                  "put that cell in double quotes",
                  r->ncols, r->nfields, r->extra_at, excerpt(v, ex, sizeof ex),
                  delim_shown(r->delim, d, sizeof d));
        return 0;
    }
    for (size_t i = r->nfields; i < r->ncols; i++) {
        const char *h = r->rep->columns[i].header;
        if ((h && *h) || (r->target[i] != T_BLANK && r->target[i] != T_NONE)) {
            if (r->prev_short_line && r->prev_short_line == r->last_rec_line)
                add_error(r, line, "expected %zu fields as in the header, got %zu: %s is "
                          "missing; is a row cut in two by a line break in a cell that is not "
                          "in double quotes (on line %ld or this one)? put that cell in double "
                          "quotes",
                          r->ncols, r->nfields, col_label(r, i, 1, lab, sizeof lab),
                          r->prev_short_line);
            else
                add_error(r, line, "expected %zu fields as in the header, got %zu: %s is "
                          "missing; is a row cut in two by a line break in a cell that is not "
                          "in double quotes? put that cell in double quotes",
                          r->ncols, r->nfields, col_label(r, i, 1, lab, sizeof lab));
            return 0;
        }
    }
    while (r->nstored < r->ncols)
        if (store_field(r, "", 0))
            return 0;
    return 1;
}

/* The header of a column that could be the id instead of one with empty
 * cells (a serial number, a host name, a name: the first the file has),
 * or NULL. */
static const char *id_alternative(const reader *r)
{
    static const char *const usable[] = {"serial", "hostname", "name"};
    for (size_t u = 0; u < sizeof usable / sizeof usable[0]; u++)
        for (size_t i = 0; i < r->ncols; i++) {
            const char *f = field_of(r, i);
            if (f && !strcmp(f, usable[u]) && r->rep->columns[i].header[0])
                return r->rep->columns[i].header;
        }
    return NULL;
}


static void process_row(reader *r)
{
    long line = r->rec_line;
    inv_csv_report *rep = r->rep;
    uint64_t before = rep->nerrors;
    inv_item *it = &r->item;
    const char *kind = NULL;
    size_t id_at = NO_VALUE, name_at = NO_VALUE, others = 0;
    size_t svc_at = NO_VALUE, sla_at = NO_VALUE;
    int svc_claim = 0, sla_claim = 0; /* "LIST (kind default)" */
    char lab[160], ex[80];
    int rc;

    rep->rows++;
    r->row_unguarded = 0;
    /* a total row: skipped, and said */
    if ((r->nstored && total_word(r->arena.data + r->off[0], r->len[0])) ||
        (r->id_col < r->nstored &&
         total_word(r->arena.data + r->off[r->id_col], r->len[r->id_col]))) {
        if (rep->totals < INV_CSV_TOTALS_KEPT)
            rep->total_lines[rep->totals] = line;
        rep->totals++;
        return;
    }
    r->last_rec_line = r->cur_rec_line;
    r->cur_rec_line = line;
    r->prev_short_line = r->short_line;
    if (r->nfields < r->ncols)
        r->short_line = line;
    if (r->nfields == r->ncols)
        r->exact_rows++;
    else if (!ragged_ok(r, line))
        return;
    if (r->nwh || r->o->nfill_down) {
        int k = kept(r);
        if (k < 0)
            return;
        if (!k) {
            rep->left_out++;
            return;
        }
    }
    r->row.len = 0;
    for (size_t i = 0; i < r->ncols && !r->stop; i++) {
        int t = r->target[i];
        r->voff[i] = NO_VALUE;
        if (t == T_NONE)
            continue; /* ignored with --map 'HEADER=-' */
        const char *v = cell(r, i);
        if (!v)
            continue;
        if (t == T_BLANK) {
            if (*v)
                add_error(r, line, "column %zu has no header name but holds '%s'; name it in "
                          "the file or map it with --map '#%zu=KEY'",
                          i + 1, excerpt(v, ex, sizeof ex), i + 1);
            continue;
        }
        if (t == T_ID) {
            if (!*v) {
                char h[80];
                const char *alt = id_alternative(r);
                arg_name(r, r->rep->columns[i].header, h, sizeof h);
                if (alt)
                    add_error(r, line, "%s: empty id; leave such rows out with --where '%s!=' "
                              "or map another column to id with --map '%s=id'",
                              col_label(r, i, 0, lab, sizeof lab), h,
                              arg_name(r, alt, ex, sizeof ex));
                else
                    add_error(r, line, "%s: empty id; leave such rows out with --where '%s!=' "
                              "or map another column to id with --map 'HEADER=id'",
                              col_label(r, i, 0, lab, sizeof lab), h);
                continue;
            }
            if (inv_id_check(v, r->e)) {
                add_error(r, line, "%s: %s", col_label(r, i, 0, lab, sizeof lab), r->e->msg);
                continue;
            }
            long first = r->o->seen ? r->o->seen(r->o->seen_ctx, v, line, r->e)
                                    : idset_add(&r->ids, v, line);
            if (first < 0) {
                if (r->o->seen)
                    fatal(r, INV_EIO, "%s", r->e->msg);
                else
                    oom(r);
                return;
            }
            if (first > 0) {
                add_error(r, line, "%s: duplicate id '%s' (first on line %ld)",
                          col_label(r, i, 0, lab, sizeof lab), excerpt(v, ex, sizeof ex),
                          first);
                continue;
            }
            if ((id_at = keep_value(r, v, r->val.len)) == NO_VALUE)
                return;
            continue;
        }
        if (*v)
            others++;
        if (t == T_KIND) {
            if (!*v) {
                char h[80];
                arg_name(r, r->rep->columns[i].header, h, sizeof h);
                if (r->kind_col_filled)
                    add_error(r, line, "%s: empty kind, and no row above it has one to fill "
                              "down; fill the cell", col_label(r, i, 0, lab, sizeof lab));
                else
                    add_error(r, line, "%s: empty kind (a merged cell?); fill the cell, or "
                              "add --fill-down '%s' to take the kind of the row above",
                              col_label(r, i, 0, lab, sizeof lab), h);
                continue;
            }
            const char *k = kind_of(r, v);
            if (!k) {
                const char *near = inv_kind_suggest(v);
                char near_txt[100] = "";
                if (near)
                    snprintf(near_txt, sizeof near_txt, INV_(" (did you mean '%s'?)"), near);
                char kv[256];
                add_error(r, line, "%s: unknown kind '%s'%s; map it with --map-kind '%s=KIND' "
                          "(accepted kinds: %s)",
                          col_label(r, i, 0, lab, sizeof lab), excerpt(v, ex, sizeof ex),
                          near_txt, arg_value(v, kv, sizeof kv), inv_kind_list());
                continue;
            }
            kind = k;
            continue;
        }
        if (t == T_SVC || t == T_SLA) {
            int claim;
            size_t at = cov_cell(r, line, i, t, v, &claim);
            if (at == NO_VALUE - 1)
                return;
            if (t == T_SVC)
                svc_at = at, svc_claim = claim;
            else
                sla_at = at, sla_claim = claim;
            continue;
        }
        if (t == T_ATTR && !*v)
            continue; /* empty: attribute absent */
        /* field_of() is a normal key already (never id, kind or name).
         * decode() has refused invalid UTF-8 and control characters but
         * TAB and LF, so all inv_value_check can still object to is the
         * length. */
        if (r->val.len > INV_VALUE_MAX &&
            (rc = inv_value_check(t == T_NAME ? "name" : field_of(r, i), v, r->e))) {
            add_error(r, line, "%s: %s", col_label(r, i, 0, lab, sizeof lab), r->e->msg);
            continue;
        }
        size_t at = keep_value(r, v, r->val.len);
        if (at == NO_VALUE)
            return;
        if (t == T_NAME)
            name_at = at;
        else
            r->voff[i] = at;
    }
    if (r->stop || rep->nerrors > before)
        return;
    if (!others && r->nmapped_other) {
        add_error(r, line, "only the id '%s' is filled: a total or a note rather than an "
                  "item? fill the row, or delete it from the file",
                  excerpt(r->row.data + id_at, ex, sizeof ex));
        return;
    }
    if (!kind && !(kind = r->default_kind)) {
        inv_fail(r->e, INV_EIO, "no kind");
        fatal(r, INV_EIO, "%s:%ld: %s", r->path, line, r->e->msg);
        return;
    }
    memset(it, 0, sizeof *it);
    it->id = id_at == NO_VALUE ? NULL : r->row.data + id_at;
    it->kind = (char *)kind;
    it->name = name_at == NO_VALUE ? (char *)"" : r->row.data + name_at;
    it->attrs = r->attrs;
    it->cap = r->ncols;
    for (size_t k = 0; k < r->nattr_cols; k++) {
        size_t i = r->attr_cols[k];
        if (r->voff[i] == NO_VALUE)
            continue;
        r->attrs[it->nattrs].key = r->rep->columns[i].field;
        r->attrs[it->nattrs++].value = r->row.data + r->voff[i];
    }
    /* the cells that give the item its own coverage, or claim the kind's
     * default (svc or sla set, its own bit not) */
    if (svc_at != NO_VALUE) {
        it->svc = r->row.data + svc_at;
        it->own |= svc_claim ? 0 : INV_OWN_SERVICES;
    }
    if (sla_at != NO_VALUE) {
        it->sla = r->row.data + sla_at;
        it->own |= sla_claim ? 0 : INV_OWN_SLA;
    }
    if (r->row_unguarded && !rep->unguarded++)
        rep->unguarded_line = line;
    rc = r->fn(r->ctx, line, it, r->e);
    memset(it, 0, sizeof *it);
    if (rc == INV_OK) {
        rep->rows_ok++;
    } else if (rc == INV_EINPUT) {
        add_error(r, line, "%s", r->e->msg);
    } else {
        r->stop = 1;
        r->rc = rc;
    }
}

static void process_raw(reader *r)
{
    r->rep->rows++;
    if (r->nfields > INV_CSV_MAX_COLUMNS) {
        add_error(r, r->rec_line, "more than %d fields in one record", INV_CSV_MAX_COLUMNS);
        return;
    }
    for (size_t i = 0; i < r->nstored; i++)
        r->ptr[i] = r->arena.data + r->off[i];
    int rc = r->rawfn(r->ctx, r->rec_line, r->nstored, r->ptr, r->len);
    if (rc) {
        r->stop = 1;
        r->rc = rc;
    }
}

/* ---- libcsv callbacks ---- */

static void cb_field(void *s, size_t n, void *data)
{
    reader *r = data;
    if (r->stop || r->discard)
        return;
    for (size_t k = 0; k < n && !r->nonblank; k++)
        if (!is_blank_byte(((unsigned char *)s)[k]))
            r->nonblank = 1;
    if (r->nfields++ >= r->store_max) {
        /* counted, not kept; but the first past the header's last column
         * that holds text is kept, for the message */
        if (!r->have_header || r->extra_at)
            return;
        size_t k = 0;
        while (k < n && is_blank_byte(((unsigned char *)s)[k]))
            k++;
        if (k == n)
            return;
        r->extra_at = r->nfields;
    }
    store_field(r, s, n);
}

/* Appends a field to the current record; -1 (reading stopped) when out of
 * memory. */
static int store_field(reader *r, const void *s, size_t n)
{
    if (r->nstored == r->fcap) {
        size_t cap = r->fcap ? r->fcap * 2 : 32;
        size_t *off = realloc(r->off, cap * sizeof *off);
        if (off)
            r->off = off;
        size_t *len = realloc(r->len, cap * sizeof *len);
        if (len)
            r->len = len;
        char **ptr = realloc(r->ptr, cap * sizeof *ptr);
        if (ptr)
            r->ptr = ptr;
        if (!off || !len || !ptr) {
            oom(r);
            return -1;
        }
        r->fcap = cap;
    }
    r->off[r->nstored] = r->arena.len;
    r->len[r->nstored] = n;
    if (inv_buf_add(&r->arena, s, n) || inv_buf_add(&r->arena, "", 1)) {
        oom(r);
        return -1;
    }
    r->nstored++;
    return 0;
}

static void cb_row(int c, void *data)
{
    reader *r = data;
    (void)c;
    r->in_record = 0;
    if (!r->stop && !r->discard) {
        if (r->raw)
            process_raw(r);
        else if (r->nonblank) /* a record of empty cells is a blank line */
            r->have_header ? process_row(r) : header_candidate(r);
    }
    r->nstored = r->nfields = 0;
    r->arena.len = 0;
    r->nonblank = 0;
    r->extra_at = 0;
}

static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

/* libcsv grows its field buffer with this: it refuses past the limit. */
static void *limited_realloc(void *p, size_t n)
{
    return n > INV_CSV_FIELD_MAX + 1 ? NULL : realloc(p, n);
}

static int parser_init(struct csv_parser *p, int delim, int raw)
{
    if (csv_init(p, 0) != 0)
        return -1;
    csv_set_delim(p, (unsigned char)delim);
    csv_set_realloc_func(p, limited_realloc);
    csv_set_blk_size(p, 4096);
    if (raw)
        csv_set_space_func(p, no_space);
    return 0;
}

/* Whether a segment would open a record in libcsv (any byte but spaces and
 * line ends; with raw fields, spaces too). */
static int has_content(const reader *r, const unsigned char *s, size_t n)
{
    for (size_t k = 0; k < n; k++) {
        unsigned char c = s[k];
        if (c == '\r' || c == '\n')
            continue;
        if (!r->raw && (c == ' ' || c == '\t') && c != r->delim)
            continue;
        return 1;
    }
    return 0;
}

static void feed(reader *r, const unsigned char *buf, size_t n)
{
    size_t i = 0;
    r->fed = 1;
    while (i < n && !r->stop) {
        size_t j = i;
        while (j < n && buf[j] != '\r' && buf[j] != '\n')
            j++;
        size_t end = j < n ? j + 1 : n;
        if (!r->raw && !r->u8.done)
            u8_scan(r, buf + i, end - i, r->line);
        if (!r->in_record && has_content(r, buf + i, end - i)) {
            r->in_record = 1;
            r->rec_line = r->line;
        }
        if (csv_parse(&r->p, buf + i, end - i, cb_field, cb_row, r) != end - i && !r->stop) {
            if (csv_error(&r->p) == CSV_ENOMEM &&
                csv_get_buffer_size(&r->p) + 2 * 4096 > INV_CSV_FIELD_MAX) {
                fatal(r, INV_EINPUT, "%s:%ld: a field is longer than %u bytes (is a quote "
                      "left open?)", r->path, r->rec_line, INV_CSV_FIELD_MAX);
            } else {
                fatal(r, INV_EIO, "%s: %s", r->path, csv_strerror(csv_error(&r->p)));
            }
            return;
        }
        if (j < n) {
            int crlf = buf[j] == '\n' && j == i && r->prev_cr;
            if (!crlf) {
                r->line++;
                r->line_has_bytes = 0;
            }
            r->prev_cr = buf[j] == '\r';
        } else if (end > i) {
            r->prev_cr = 0;
            r->line_has_bytes = 1;
        }
        i = end;
    }
    if (i < n && u8_want_rest(r))
        u8_scan_lines(r, buf + i, n - i);
}

/* A spreadsheet saved in its own format and named .csv: refused, with how
 * to save it as CSV. pre holds the start of the file. */
static void workbook(reader *r, const inv_buf *pre)
{
    const unsigned char *p = (const unsigned char *)pre->data;
    size_t n = pre->len;
    if (n >= 4 && !memcmp(p, "\xD0\xCF\x11\xE0", 4)) {
        fatal(r, INV_EINPUT, "%s is an Excel workbook (.xls), not CSV: open it in Excel or "
              "LibreOffice and save it as 'CSV UTF-8'", r->path);
        return;
    }
    if (n < 4 || memcmp(p, "PK\x03\x04", 4) != 0)
        return;
    /* a zip: its first entry says what it holds */
    size_t nl = n >= 30 ? (size_t)(p[26] | p[27] << 8) : 0;
    size_t el = n >= 30 ? (size_t)(p[28] | p[29] << 8) : 0;
    const char *name = (const char *)p + 30;
    static const char ods[] = "application/vnd.oasis.opendocument.spreadsheet";
    static const char odf[] = "application/vnd.oasis.opendocument";
    if (nl == 8 && 30 + nl <= n && !memcmp(name, "mimetype", 8)) {
        const char *data = name + nl + el;
        size_t have = 30 + nl + el <= n ? n - (30 + nl + el) : 0;
        if (have >= sizeof ods - 1 && !memcmp(data, ods, sizeof ods - 1)) {
            fatal(r, INV_EINPUT, "%s is an OpenDocument spreadsheet (.ods), not CSV: open it "
                  "in LibreOffice Calc and save it as 'Text CSV' with the character set "
                  "'Unicode (UTF-8)'", r->path);
            return;
        }
        if (have >= sizeof odf - 1 && !memcmp(data, odf, sizeof odf - 1)) {
            fatal(r, INV_EINPUT, "%s is an OpenDocument file, not CSV: open it in LibreOffice "
                  "and save it as 'Text CSV' with the character set 'Unicode (UTF-8)'",
                  r->path);
            return;
        }
    }
    if (30 + nl <= n && ((nl >= 3 && !memcmp(name, "xl/", 3)) ||
                         (nl == 19 && !memcmp(name, "[Content_Types].xml", 19)) ||
                         (nl >= 9 && !memcmp(name, "docProps/", 9)) ||
                         (nl >= 6 && !memcmp(name, "_rels/", 6)))) {
        fatal(r, INV_EINPUT, "%s is an Excel workbook (.xlsx), not CSV: open it in Excel or "
              "LibreOffice and save it as 'CSV UTF-8'", r->path);
        return;
    }
    fatal(r, INV_EINPUT, "%s is a zip archive (an Excel .xlsx or LibreOffice .ods workbook?), "
          "not CSV: open it in Excel or LibreOffice and save it as 'CSV UTF-8'", r->path);
}

/* ---- sniffing ---- */

/* The field counts of the first SNIFF_RECORDS non-blank records under one
 * delimiter. */
#define SNIFF_RECORDS 10

typedef struct sniff {
    size_t fields;
    int nonblank, done;
    size_t counts[SNIFF_RECORDS], n;
} sniff;

static void sniff_field(void *s, size_t n, void *data)
{
    sniff *sn = data;
    if (sn->done)
        return;
    sn->fields++;
    for (size_t k = 0; k < n; k++)
        if (!is_blank_byte(((unsigned char *)s)[k]))
            sn->nonblank = 1;
}

static void sniff_row(int c, void *data)
{
    sniff *sn = data;
    (void)c;
    if (sn->done)
        return;
    if (sn->nonblank) {
        sn->counts[sn->n++] = sn->fields;
        if (sn->n == SNIFF_RECORDS)
            sn->done = 1;
    }
    sn->fields = 0;
    sn->nonblank = 0;
}

/* The most frequent field count above 1 (*count: how often; 0 when every
 * record has one field). */
static size_t sniff_mode(const sniff *sn, size_t *count)
{
    size_t best = 0, times = 0;
    for (size_t i = 0; i < sn->n; i++) {
        size_t t = 0;
        if (sn->counts[i] < 2)
            continue;
        for (size_t j = 0; j < sn->n; j++)
            t += sn->counts[j] == sn->counts[i];
        if (t > times || (t == times && sn->counts[i] > best)) {
            times = t;
            best = sn->counts[i];
        }
    }
    *count = times;
    return best;
}

static const int sniff_order[3] = {',', ';', '\t'};

/* ---- the driver ---- */

/* Reads up to chunk bytes into buf; returns how many, 0 at the end (eof
 * set) or on error (r->stop set). */
static size_t read_chunk(reader *r, FILE *f, char *buf, size_t chunk, uint64_t total, int *eof)
{
    size_t got = fread(buf, 1, chunk, f);
    r->rep->bytes += got;
    if (got < chunk) {
        if (ferror(f)) {
            fatal(r, INV_EIO, "%s: read error: %s", r->path, strerror(errno));
            return 0;
        }
        *eof = 1;
    }
    if (r->o->progress)
        r->o->progress(r->o->progress_ctx, r->rep->bytes, total);
    return got;
}

/* Reads the start of the file into pre (until at least want bytes, or the
 * end); 0, or -1 when stopped. */
static int read_more(reader *r, FILE *f, inv_buf *pre, char *buf, size_t chunk,
                     uint64_t total, int *eof)
{
    size_t got = read_chunk(r, f, buf, chunk, total, eof);
    if (r->stop)
        return -1;
    if (inv_buf_add(pre, buf, got)) {
        oom(r);
        return -1;
    }
    return 0;
}

/* Skips a byte order mark and an Excel "sep=X" line at the start of pre;
 * returns where the data starts. */
static size_t preamble(reader *r, const inv_buf *pre, int eof)
{
    const char *p = pre->data;
    size_t start = 0;
    if (pre->len >= 3 && !memcmp(p, "\xEF\xBB\xBF", 3)) {
        start = 3;
        r->rep->bom = 1;
        if (r->enc != ENC_UTF8)
            fatal(r, INV_EINPUT, "%s: the file starts with a UTF-8 byte order mark, so it "
                  "is UTF-8, not %s: drop --encoding", r->path, r->rep->encoding);
    } else if (pre->len >= 2 && (!memcmp(p, "\xFF\xFE", 2) || !memcmp(p, "\xFE\xFF", 2))) {
        fatal(r, INV_EINPUT, "%s: the file is UTF-16 (it starts with a UTF-16 byte order "
              "mark); save it as CSV UTF-8 and import that", r->path);
    }
    if (r->stop || pre->len - start < 5 || strncasecmp(p + start, "sep=", 4) != 0)
        return start;
    const char *q = p + start + 5;
    size_t rest = pre->len - start - 5, eol;
    if (rest == 0)
        eol = eof ? 0 : (size_t)-1;
    else if (q[0] == '\n')
        eol = 1;
    else if (q[0] == '\r')
        eol = (rest > 1 && q[1] == '\n') ? 2 : 1;
    else
        eol = (size_t)-1;
    char one[2] = {p[start + 4], 0};
    int d;
    inv_err ignored;
    if (eol == (size_t)-1 || inv_csv_delimiter_parse(one, &d, &ignored) != INV_OK)
        return start;
    if (!r->delim)
        r->delim = d;
    r->rep->sep_line = 1;
    r->line = 2;
    return start + 5 + eol;
}

/* Picks the delimiter from the first record of pre[start..], reading more
 * of the file into pre as needed (up to INV_CSV_SNIFF_MAX bytes). */
static void sniff_delimiter(reader *r, FILE *f, inv_buf *pre, size_t start, char *buf,
                            size_t chunk, uint64_t total, int *eof)
{
    struct csv_parser sp[3];
    sniff sn[3];
    memset(sn, 0, sizeof sn);
    size_t fed = start;
    for (int k = 0; k < 3; k++)
        parser_init(&sp[k], sniff_order[k], 0);
    for (;;) {
        for (int k = 0; k < 3; k++)
            if (!sn[k].done)
                csv_parse(&sp[k], pre->data + fed, pre->len - fed, sniff_field, sniff_row,
                          &sn[k]);
        fed = pre->len;
        if ((sn[0].done && sn[1].done && sn[2].done) || pre->len - start > INV_CSV_SNIFF_MAX)
            break;
        if (*eof) {
            for (int k = 0; k < 3; k++)
                if (!sn[k].done)
                    csv_fini(&sp[k], sniff_field, sniff_row, &sn[k]);
            break;
        }
        if (read_more(r, f, pre, buf, chunk, total, eof))
            break;
    }
    /* The delimiter that splits most records into the same number of
     * fields (title rows above the header do not count against it), then
     * the one giving more fields; ties keep the earlier. */
    size_t best = 0, best_times = 0;
    r->delim = ',';
    for (int k = 0; k < 3; k++) {
        size_t times, fields = sniff_mode(&sn[k], &times);
        csv_free(&sp[k]);
        if (times > best_times || (times == best_times && fields > best)) {
            best_times = times;
            best = fields;
            r->delim = sniff_order[k];
        }
    }
    r->rep->sniffed = 1;
}

static void run(reader *r)
{
    const inv_csv_opts *o = r->o;
    size_t chunk = o->chunk_size ? o->chunk_size : INV_CSV_CHUNK;
    inv_buf pre = {0};
    int eof = 0;
    struct stat st;

    errno = 0;
    FILE *f = fopen(r->path, "rb");
    if (!f) {
        int err = errno;
        fatal(r, (err == ENOENT || err == EACCES || err == ENOTDIR) ? INV_EINPUT : INV_EIO,
              "%s: cannot open: %s", r->path, strerror(err));
        return;
    }
    uint64_t total = 0;
    if (fstat(fileno(f), &st) == 0) {
        if (S_ISDIR(st.st_mode)) {
            fclose(f);
            fatal(r, INV_EINPUT, "%s: is a directory", r->path);
            return;
        }
        if (S_ISREG(st.st_mode))
            total = (uint64_t)st.st_size;
    }
    char *buf = malloc(chunk);
    if (!buf) {
        fclose(f);
        oom(r);
        return;
    }

    /* the start of the file: enough for a BOM and "sep=X\r\n", or for the
     * first entry of a zip */
    while (pre.len < 3 + 7 && !eof && !r->stop)
        read_more(r, f, &pre, buf, chunk, total, &eof);
    while (!r->raw && pre.len >= 4 && !memcmp(pre.data, "PK\x03\x04", 4) && pre.len < 256 &&
           !eof && !r->stop)
        read_more(r, f, &pre, buf, chunk, total, &eof);
    if (!r->raw && !r->stop)
        workbook(r, &pre);
    size_t start = r->stop ? 0 : preamble(r, &pre, eof);
    if (!r->stop && !r->delim)
        sniff_delimiter(r, f, &pre, start, buf, chunk, total, &eof);
    r->rep->delimiter = r->delim;
    if (!r->stop) {
        if (parser_init(&r->p, r->delim, r->raw)) {
            fatal(r, INV_EIO, "%s: cannot initialise libcsv", r->path);
        } else {
            r->p_ready = 1;
            feed(r, (const unsigned char *)pre.data + start, pre.len - start);
        }
    }
    inv_buf_free(&pre);
    while (!r->stop && !eof) {
        size_t got = read_chunk(r, f, buf, chunk, total, &eof);
        feed(r, (const unsigned char *)buf, got);
    }
    /* stopped on an input error: the encoding scan still reads to the end */
    while (!eof && u8_want_rest(r)) {
        size_t got = read_chunk(r, f, buf, chunk, total, &eof);
        if (!got && !eof)
            break;
        u8_scan_lines(r, (const unsigned char *)buf, got);
    }
    if (eof && !r->u8.done && !ferror(f)) {
        r->u8.complete = 1;
        if (r->u8.need) /* a sequence cut by the end of the file */
            u8_bad(r, r->u8.seq_line, r->u8.lead);
    }
    fclose(f);
    free(buf);
    if (r->stop) {
        u8_verdict(r);
        return;
    }

    /* the end: close a last record that has no line end */
    if (r->in_record) {
        long line = r->rec_line;
        csv_parse(&r->p, "\n", 1, cb_field, cb_row, r);
        if (r->in_record && !r->stop) {
            add_error(r, line, "a quoted field is never closed: the record starting here "
                      "runs to the end of the file");
            r->discard = 1;
        }
    }
    csv_fini(&r->p, cb_field, cb_row, r);
    r->rep->lines = (uint64_t)(r->line - 1 + (r->line_has_bytes ? 1 : 0));
    /* extra empty fields on fewer rows than have the header's width, in a
     * file whose header does not end with a blank column (the habit of the
     * exports that pad rows with delimiters): shifted rows, the exception */
    if (r->extra_rows && r->extra_rows <= r->exact_rows && !r->stop && r->ncols &&
        !(r->target[r->ncols - 1] == T_BLANK && !r->rep->columns[r->ncols - 1].header[0])) {
        char d[8];
        add_error(r, r->extra_line,
                  "expected %zu fields as in the header, got %zu (those past the last "
                  "column empty); rows with %zu fields: %llu, with more: %llu; a row shifted "
                  "by an unquoted %s (the delimiter) inside a cell? put that cell in double "
                  "quotes",
                  r->ncols, r->extra_n, r->ncols, (unsigned long long)r->exact_rows,
                  (unsigned long long)r->extra_rows, delim_shown(r->delim, d, sizeof d));
    }
    if (!r->raw && !r->have_header && !r->stop) {
        if (o->header_row > 0)
            add_error(r, 0, "--header-row %ld: the file ends before line %ld", o->header_row,
                      o->header_row);
        else if (r->best.score >= 0)
            header_fallback(r);
        else
            add_error(r, 0, "no header line: the file has no record");
    }
    u8_verdict(r);
}

static int finish(reader *r)
{
    inv_csv_report *rep = r->rep;
    if (r->stop && (r->rc != INV_EINPUT || rep->nerrors == 0))
        return r->rc; /* an I/O error, or what a callback returned */
    if (rep->nerrors == 0)
        return INV_OK;
    const char *first = rep->nkept ? rep->errors[0] : "errors";
    if (rep->nerrors > 1)
        return inv_fail(r->e, INV_EINPUT, "%s (and %llu more errors)", first,
                        (unsigned long long)(rep->nerrors - 1));
    return inv_fail(r->e, INV_EINPUT, "%s", first);
}

static void reader_free(reader *r)
{
    if (r->p_ready)
        csv_free(&r->p);
    if (r->cd != (iconv_t)-1)
        iconv_close(r->cd);
    inv_buf_free(&r->arena);
    free(r->off);
    free(r->len);
    free(r->ptr);
    free(r->target);
    inv_buf_free(&r->tmp);
    inv_buf_free(&r->val);
    idset_free(&r->ids);
    inv_buf_free(&r->row);
    free(r->voff);
    free(r->attr_cols);
    free(r->attrs);
    for (size_t i = 0; i < r->nkinds; i++)
        free(r->kinds[i].text);
    inv_buf_free(&r->best.arena);
    free(r->best.off);
    free(r->best.len);
    for (size_t i = 0; i < r->nkmaps; i++)
        free(r->kmaps[i].value);
    free(r->kmaps);
    for (size_t i = 0; r->above && i < r->ncols; i++)
        inv_buf_free(&r->above[i]);
    free(r->above);
    free(r->fill);
    for (size_t i = 0; i < r->nwh; i++)
        free(r->wh[i].want);
    free(r->wh);
    free(r->u8.fix);
}

/* Both entry points: fn for mapped items, or rawfn for raw records. */
static int read_file(const inv_csv_opts *o, inv_csv_row_fn fn, inv_csv_raw_fn rawfn,
                     void *ctx, inv_csv_report *rep, inv_err *e)
{
    reader r;
    inv_csv_report own;
    inv_err own_e;
    int rc = INV_OK;

    memset(&r, 0, sizeof r);
    r.cd = (iconv_t)-1;
    r.rep = rep ? rep : &own;
    memset(r.rep, 0, sizeof *r.rep);
    r.e = e ? e : &own_e;
    r.o = o;
    r.path = (o && o->path) ? o->path : "";
    r.raw = rawfn != NULL;
    r.fn = fn;
    r.rawfn = rawfn;
    r.ctx = ctx;
    r.line = 1;
    r.store_max = INV_CSV_MAX_COLUMNS + 1;
    r.max_errors = (o && o->max_errors) ? o->max_errors : INV_CSV_MAX_ERRORS;
    r.best.score = -1;
    for (size_t m = 0; o && m < o->nmaps; m++)
        if (o->maps[m] && o->maps[m][0] == '#')
            r.no_search = 1;
    snprintf(r.rep->encoding, sizeof r.rep->encoding, "utf-8");

    if (!o || !o->path || !*o->path)
        rc = inv_fail(r.e, INV_EINPUT, "no CSV file given");
    else if (!fn && !rawfn)
        rc = inv_fail(r.e, INV_EINPUT, "no callback given");
    if (rc == INV_OK && o->delimiter) {
        char d[2] = {(char)o->delimiter, 0};
        rc = inv_csv_delimiter_parse(d, &r.delim, r.e);
    }
    if (rc == INV_OK && !r.raw) {
        const char *enc = inv_csv_encoding_name(o->encoding ? o->encoding : "utf-8");
        if (!enc) {
            rc = inv_fail(r.e, INV_EINPUT, "unknown encoding '%s' (use utf-8, windows-1252 "
                          "or latin1)", o->encoding);
        } else {
            snprintf(r.rep->encoding, sizeof r.rep->encoding, "%s", enc);
            r.enc = !strcmp(enc, "utf-8") ? ENC_UTF8
                    : !strcmp(enc, "latin1") ? ENC_LATIN1 : ENC_CP1252;
            if (r.enc != ENC_UTF8) {
                r.cd = iconv_open("UTF-8", r.enc == ENC_LATIN1 ? "ISO-8859-1" : "WINDOWS-1252");
                int err = r.cd == (iconv_t)-1 ? errno : single_byte_table(&r);
                if (err)
                    rc = inv_fail(r.e, INV_EIO, "iconv cannot convert from %s: %s", enc,
                                  strerror(err));
            }
        }
    }
    if (rc == INV_OK && !r.raw && o->default_kind) {
        r.default_kind = inv_kind_canonical(o->default_kind);
        if (!r.default_kind)
            rc = inv_fail(r.e, INV_EINPUT, "unknown kind '%s' for --kind (did you mean '%s'?)",
                          o->default_kind, inv_kind_closest(o->default_kind));
    }
    if (rc == INV_OK) {
        run(&r);
        rc = finish(&r);
    }
    reader_free(&r);
    if (!rep)
        inv_csv_report_free(&own);
    return rc;
}

int inv_csv_read(const inv_csv_opts *o, inv_csv_row_fn fn, void *ctx, inv_csv_report *rep,
                 inv_err *e)
{
    return read_file(o, fn, NULL, ctx, rep, e);
}

int inv_csv_read_raw(const inv_csv_opts *o, inv_csv_raw_fn fn, void *ctx, inv_csv_report *rep,
                     inv_err *e)
{
    return read_file(o, NULL, fn, ctx, rep, e);
}

void inv_csv_report_free(inv_csv_report *rep)
{
    if (!rep)
        return;
    for (size_t i = 0; i < rep->ncolumns; i++) {
        free(rep->columns[i].header);
        free(rep->columns[i].field);
    }
    free(rep->columns);
    for (size_t i = 0; i < rep->nkept; i++)
        free(rep->errors[i]);
    free(rep->errors);
    memset(rep, 0, sizeof *rep);
}

char *inv_csv_report_text(const inv_csv_report *rep)
{
    size_t n = 64;
    for (size_t i = 0; i < rep->nkept; i++)
        n += strlen(rep->errors[i]) + 1;
    char *out = malloc(n), *p = out;
    if (!out)
        return NULL;
    *p = '\0';
    for (size_t i = 0; i < rep->nkept; i++)
        p += sprintf(p, "%s\n", rep->errors[i]);
    if (rep->nerrors > rep->nkept)
        sprintf(p, "and %llu more errors\n", (unsigned long long)(rep->nerrors - rep->nkept));
    return out;
}

int inv_csv_delimiter_parse(const char *arg, int *out, inv_err *e)
{
    if (!arg)
        arg = "";
    if (!strcmp(arg, "\t") || !strcmp(arg, "\\t") || !strcasecmp(arg, "tab")) {
        *out = '\t';
        return INV_OK;
    }
    unsigned char c = (unsigned char)arg[0];
    if (strlen(arg) != 1 || c < 0x21 || c > 0x7e || c == '"' ||
        (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
        return inv_fail(e, INV_EINPUT, "invalid delimiter '%s': use one character such as "
                        "',', ';' or '|', or 'tab'", arg);
    *out = c;
    return INV_OK;
}

const char *inv_csv_encoding_name(const char *arg)
{
    static const struct {
        const char *name, *canon;
    } names[] = {
        {"utf-8", "utf-8"},           {"utf8", "utf-8"},
        {"windows-1252", "windows-1252"}, {"windows1252", "windows-1252"},
        {"cp1252", "windows-1252"},   {"cp-1252", "windows-1252"},
        {"latin1", "latin1"},         {"latin-1", "latin1"},
        {"iso-8859-1", "latin1"},     {"iso8859-1", "latin1"},
        {"iso-8859-1", "latin1"},
    };
    if (!arg)
        return NULL;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcasecmp(arg, names[i].name))
            return names[i].canon;
    return NULL;
}
