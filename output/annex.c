/*
 * annex.c - a version as one self-contained HTML page, printable on A4 as
 * the contract annex, in the words of a table (output/annex_words.c:
 * English, French, German, Italian).
 *
 * Its data comes from the library (inventory.h): the version, parties,
 * signature state, counts per kind, items of each kind streamed from the
 * register (no item list held in memory), changes since the previous
 * version. It writes into an inv_sink_fn and prints nothing.
 *
 * The page is deterministic (no generation time, no time zone or locale
 * of the machine: Swiss times come from output/swiss.c's fixed rule),
 * references nothing outside itself, and escapes every text that comes
 * from the register. The table decides the words and how dates and counts
 * are written; the data, hashes and commands are the same in every
 * language.
 */
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "swiss.h"

typedef struct html {
    inv_sink_fn sink;
    void *ctx;
    const out_annex_words *w;
    inv_buf b;
    int failed;
} html;

/* Writes what is buffered; a buffer that lost a piece for want of memory
 * is not written (the file would have a hole) and fails the report. */
static void flush(html *h)
{
    if (h->b.failed)
        h->failed = 1;
    if (h->b.len && !h->failed && h->sink(h->ctx, h->b.data, h->b.len))
        h->failed = 1;
    h->b.len = 0;
}

/* The report's failure: its buffer lost a piece for want of memory (it
 * keeps b.failed until freed), or the sink refused a write. */
static int write_fault(const html *h, inv_err *e)
{
    return inv_fail(e, INV_EIO, h->b.failed ? "out of memory" : "cannot write the report");
}

static void raw(html *h, const char *s)
{
    inv_buf_puts(&h->b, s);
    if (h->b.len >= 64 * 1024)
        flush(h);
}

/* Text escaped for element content and double-quoted attributes. */
static void text(html *h, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep = *s == '&' ? "&amp;" : *s == '<' ? "&lt;" : *s == '>' ? "&gt;"
                        : *s == '"' ? "&quot;" : *s == '\'' ? "&#39;" : NULL;
        if (rep) {
            inv_buf_add(&h->b, run, (size_t)(s - run));
            inv_buf_puts(&h->b, rep);
            run = s + 1;
        }
    }
    inv_buf_add(&h->b, run, (size_t)(s - run));
}

/* Words of the table: HTML as it is, %1..%9 replaced by args[0..8]
 * escaped (an argument the words do not name is not written). */
static void say(html *h, const char *words, const char *const *args, int nargs)
{
    const char *run = words;
    for (const char *s = words; *s; s++) {
        if (s[0] == '%' && s[1] >= '1' && s[1] <= '9' && s[1] - '1' < nargs) {
            inv_buf_add(&h->b, run, (size_t)(s - run));
            text(h, args[s[1] - '1']);
            run = ++s + 1;
        }
    }
    inv_buf_puts(&h->b, run);
}
#define SAY(h, words, ...)                                                                  \
    say((h), (words), (const char *const[]){__VA_ARGS__},                                   \
        (int)(sizeof((const char *const[]){__VA_ARGS__}) / sizeof(const char *)))

/* Text inside a CSS string in the style element: every ASCII character
 * other than a letter, a digit or a space as a CSS escape, so neither a
 * quote nor "</style" can end it; UTF-8 sequences as they are. */
static void css_string(html *h, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z') ||
            c == ' ')
            inv_buf_add(&h->b, s, 1);
        else
            inv_buf_printf(&h->b, "\\%x ", c);
    }
}

typedef struct numstr {
    char s[48];
} numstr;

static numstr ns(int64_t n)
{
    numstr r;
    snprintf(r.s, sizeof r.s, "%lld", (long long)n);
    return r;
}

typedef struct datestr {
    char s[OUT_SWISS_TIME_LEN];
} datestr;

/* A date of the page, as the table writes dates. */
static datestr ds(const html *h, int64_t t)
{
    datestr r;
    if (h->w->dates == OUT_DATES_ZURICH)
        out_swiss_time(t, r.s);
    else
        inv_time_format(t, r.s, sizeof r.s);
    return r;
}

/* A count of items, grouped as the table groups digits. */
static numstr cnt(const html *h, int64_t n)
{
    numstr r;
    out_group(n, h->w->group, r.s, sizeof r.s);
    return r;
}

static void num(html *h, int64_t n)
{
    inv_buf_printf(&h->b, "%lld", (long long)n);
}

static void count(html *h, int64_t n)
{
    inv_buf_puts(&h->b, cnt(h, n).s);
}

/* ---- the kinds, in the kinds table's order (inv_kind_at) ---- */

static const char *kind_title(const out_annex_words *w, const char *kind)
{
    for (size_t i = 0; i < w->nkinds; i++)
        if (!strcmp(w->kinds[i].kind, kind))
            return w->kinds[i].title;
    return inv_kind_title(kind);
}

/* Between a label and its value: ":", or the table's (French: U+00A0 ":"). */
static void colon(html *h)
{
    raw(h, h->w->colon ? h->w->colon : ":");
}

/* A kind as a value (a changed kind): the table's singular, else as stored. */
static const char *kind_one(const out_annex_words *w, const char *kind)
{
    for (size_t i = 0; i < w->nkinds; i++)
        if (!strcmp(w->kinds[i].kind, kind) && w->kinds[i].one)
            return w->kinds[i].one;
    return kind;
}

/* The label of a standard field in the table's words; a free attribute
 * key (or every key, for a table without labels) as written. */
static const char *field_label(const out_annex_words *w, const char *key)
{
    for (size_t i = 0; i < w->nfields; i++)
        if (!strcmp(w->fields[i].key, key))
            return w->fields[i].label;
    return key;
}

typedef struct kind_row {
    const inv_kind_count *k;
    size_t order;
} kind_row;

static int by_order(const void *a, const void *b)
{
    const kind_row *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->k->kind, y->k->kind);
}

/* The counts in the kinds table's order (a kind it does not know, which
 * verify would report, comes last rather than vanishing). NULL when out of
 * memory. */
static kind_row *order_kinds(const inv_kind_count *k, size_t nk)
{
    kind_row *v = malloc((nk ? nk : 1) * sizeof *v);
    if (!v)
        return NULL;
    for (size_t i = 0; i < nk; i++) {
        const inv_kind *kd;
        v[i].k = &k[i];
        for (v[i].order = 0; (kd = inv_kind_at(v[i].order)) && strcmp(kd->kind, k[i].kind);
             v[i].order++)
            ;
    }
    if (nk)
        qsort(v, nk, sizeof *v, by_order);
    return v;
}

/* ---- the parts of the page ---- */

static const char style[] =
    "<style>\n"
    ":root{--ink:#1a1a1a;--muted:#5a5a5a;--rule:#c8c8c8;--band:#f2f2f2}\n"
    "*{box-sizing:border-box}\n"
    "body{font:10.5pt/1.4 \"DejaVu Sans\",\"Helvetica Neue\",Arial,sans-serif;color:var(--ink);"
    "max-width:190mm;margin:12mm auto;padding:0 6mm}\n"
    "header{border-bottom:2px solid var(--ink);margin-bottom:6mm;padding-bottom:3mm}\n"
    ".annex{margin:0;color:var(--muted);text-transform:uppercase;letter-spacing:.08em;"
    "font-size:9pt}\n"
    "h1{font-size:17pt;margin:1mm 0 2mm}\n"
    "h2{font-size:12.5pt;margin:7mm 0 2mm;border-bottom:1px solid var(--rule);"
    "padding-bottom:1mm}\n"
    "h2 .count{color:var(--muted);font-weight:normal}\n"
    ".sub{margin:0;font-size:11pt}\n"
    ".status{display:inline-block;padding:0 2mm;border:1px solid var(--ink);"
    "border-radius:1mm;font-weight:bold}\n"
    ".status.agreed{background:#e3f1e3}\n"
    ".status.partial{background:#fdf3d9}\n"
    ".status.proposed{background:#f4e1e1}\n"
    "table{width:100%;border-collapse:collapse;margin:1mm 0 2mm}\n"
    "th,td{text-align:left;vertical-align:top;padding:1.2mm 2mm;"
    "border-bottom:1px solid var(--rule)}\n"
    "thead th{background:var(--band);border-bottom:1px solid var(--ink);font-size:9pt;"
    "text-transform:uppercase;letter-spacing:.04em}\n"
    "table.kv th{width:38mm;font-weight:normal;color:var(--muted)}\n"
    "td{white-space:pre-wrap;overflow-wrap:anywhere}\n"
    "td.num,th.num{text-align:right;width:25mm}\n"
    "tr.total td{font-weight:bold;border-top:1px solid var(--ink)}\n"
    "code,.id,.hash{font-family:\"DejaVu Sans Mono\",Menlo,Consolas,monospace;"
    "font-size:9pt}\n"
    ".hash{overflow-wrap:anywhere;word-break:break-all}\n"
    "table.items td.id{width:36mm}\n"
    "table.items td.name{width:48mm}\n"
    "table.changes td.op{width:22mm}\n"
    "table.changes td.id{width:36mm}\n"
    "ul.attrs,ul.fields{list-style:none;margin:0;padding:0}\n"
    "ul.attrs li,ul.fields li{white-space:pre-wrap}\n"
    "ul.attrs li{display:inline-block;margin-right:4mm;vertical-align:top}\n"
    ".k{color:var(--muted)}\n"
    "del{color:#8a1c1c}\n"
    "ins{color:#1c5e1c;text-decoration:none;font-weight:bold}\n"
    ".none{color:var(--muted);font-style:italic}\n"
    "pre{font-family:\"DejaVu Sans Mono\",Menlo,Consolas,monospace;font-size:8.5pt;"
    "background:var(--band);padding:2mm;white-space:pre-wrap;word-break:break-all}\n"
    "footer{margin-top:8mm;border-top:1px solid var(--rule);padding-top:2mm;"
    "color:var(--muted);font-size:8.5pt}\n"
    "@page{size:A4;margin:16mm 14mm 18mm 14mm}\n"
    "@media print{\n"
    "body{font-size:9pt;max-width:none;margin:0;padding:0}\n"
    "h1{font-size:15pt}\n"
    "h2{font-size:11pt;break-after:avoid;page-break-after:avoid}\n"
    "thead{display:table-header-group}\n"
    "tfoot{display:table-footer-group}\n"
    "tr,li,pre{break-inside:avoid;page-break-inside:avoid}\n"
    "section.kind{break-before:auto}\n"
    ".status{background:none!important}\n"
    "}\n";

/* With titles repeated on continuation pages (repeat_titles) and the
 * signature block: the title row of a table's thead looks like the h2 it
 * holds, the lines to fill in by hand are ruled, the block is never cut. */
static const char style_sections[] =
    "thead tr.title th{background:none;border:0;padding:0;font-size:inherit;"
    "text-transform:none;letter-spacing:normal;font-weight:normal}\n"
    "thead tr.title h2{margin-top:5mm}\n"
    "p.note{color:var(--muted);font-size:9pt;margin:1mm 0 0}\n"
    "table.sign{table-layout:fixed;margin-top:3mm}\n"
    "table.sign td{border:0;padding:1mm 4mm 1mm 0;white-space:normal}\n"
    "table.sign .line{display:block;border-bottom:1px solid var(--ink);height:9mm}\n"
    "table.sign .line.tall{height:20mm}\n"
    "table.sign .k{font-size:8.5pt}\n"
    "h3{font-size:10.5pt;margin:5mm 0 1mm}\n"
    "@media print{\n"
    "thead tr.title h2{margin-top:0}\n"
    "#signatures{break-inside:avoid;page-break-inside:avoid}\n"
    "}\n";

static void head(html *h, inv_register *r, const inv_version *v)
{
    raw(h, "<!DOCTYPE html>\n<html lang=\"");
    text(h, h->w->lang);
    raw(h, "\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"generator\" content=\"scopereg\">\n<title>");
    SAY(h, h->w->title, inv_contract(r), ns(v->number).s);
    raw(h, "</title>\n");
    raw(h, style);
    if (h->w->repeat_titles || h->w->sign_title)
        raw(h, style_sections);
    /* Running footer on every printed page (CSS page-margin boxes). */
    raw(h, "@page{@bottom-left{content:\"");
    css_string(h, inv_contract(r));
    raw(h, " \\2014  ");
    css_string(h, h->w->print_version);
    raw(h, " ");
    num(h, v->number);
    raw(h, "\";font-size:8pt;color:#5a5a5a}"
           "@bottom-right{content:\"");
    css_string(h, h->w->print_page);
    raw(h, " \" counter(page) \" / \" counter(pages);"
           "font-size:8pt;color:#5a5a5a}}\n</style>\n</head>\n<body>\n");
}

/* A section title and the opening of its table, up to the first heading
 * cell: "<h2>TITLE</h2> <table><thead><tr>" or, when the table repeats
 * titles, "<table><thead><tr class=title><th colspan=N><h2>TITLE</h2>
 * </th></tr><tr>". title_start writes up to TITLE, title_end after it. */
static void title_start(html *h, const char *cls, int ncols)
{
    if (!h->w->repeat_titles) {
        raw(h, "<h2>");
        return;
    }
    raw(h, "<table class=\"");
    raw(h, cls);
    raw(h, "\">\n<thead><tr class=\"title\"><th colspan=\"");
    num(h, ncols);
    raw(h, "\"><h2>");
}

static void title_end(html *h, const char *cls)
{
    if (h->w->repeat_titles) {
        raw(h, "</h2></th></tr>\n<tr>");
        return;
    }
    raw(h, "</h2>\n<table class=\"");
    raw(h, cls);
    raw(h, "\">\n<thead><tr>");
}

static void status_badge(html *h, const inv_sig_state *st)
{
    const out_annex_words *w = h->w;
    int p = st->party[0].signed_, c = st->party[1].signed_;
    raw(h, "<span class=\"status ");
    raw(h, p && c ? "agreed" : p || c ? "partial" : "proposed");
    raw(h, "\">");
    raw(h, p && c ? w->status_agreed : p ? w->status_signed_by[0]
                                   : c ? w->status_signed_by[1] : w->status_proposed);
    raw(h, "</span>");
}

static int parties(html *h, inv_register *r, const inv_version *v, const inv_sig_state *st,
                   inv_err *e)
{
    const out_annex_words *w = h->w;
    raw(h, "<section id=\"parties\">\n");
    title_start(h, "parties", 4);
    raw(h, w->parties_title);
    title_end(h, "parties");
    raw(h, "<th>");
    raw(h, w->th_role);
    raw(h, "</th><th>");
    raw(h, w->th_party);
    raw(h, "</th><th>");
    raw(h, w->th_key);
    raw(h, "</th><th>");
    raw(h, w->th_signature);
    raw(h, "</th></tr></thead>\n<tbody>\n");
    for (int i = 0; i < 2; i++) {
        inv_party p;
        char keyid[CR_KEYID_HEX];
        int rc = inv_party_get(r, inv_roles[i], v->number, &p, e);
        if (rc)
            return rc;
        cr_keyid_hex(p.key.keyid, keyid);
        const inv_party_sigs *ps = &st->party[i];
        raw(h, "<tr><td>");
        raw(h, w->role[i]);
        raw(h, "</td><td>");
        text(h, p.name);
        raw(h, "</td><td><code>");
        text(h, keyid);
        raw(h, "</code></td><td>");
        if (ps->signed_) {
            SAY(h, w->signed_on, ds(h, ps->at).s);
        } else if (ps->have) {
            raw(h, w->partly_signed);
        } else {
            raw(h, "<span class=\"none\">");
            raw(h, w->not_signed);
            raw(h, "</span>");
        }
        raw(h, "</td></tr>\n");
        inv_party_free(&p);
    }
    raw(h, "</tbody>\n</table>\n<p>");
    SAY(h, w->status_of, ns(v->number).s);
    status_badge(h, st);
    int64_t agreed = inv_agreed_at(st, v->date);
    if (agreed)
        SAY(h, w->agreed_on, ds(h, agreed).s);
    else
        raw(h, w->not_agreed);
    raw(h, "</p>\n</section>\n");
    return INV_OK;
}

static void kv(html *h, const char *key, const char *value, const char *cls)
{
    raw(h, "<tr><th>");
    raw(h, key);
    raw(h, "</th><td");
    if (cls) {
        raw(h, " class=\"");
        raw(h, cls);
        raw(h, "\"");
    }
    raw(h, ">");
    text(h, value);
    raw(h, "</td></tr>\n");
}

static void version_part(html *h, inv_register *r, const inv_version *v)
{
    const out_annex_words *w = h->w;
    raw(h, "<section id=\"version\">\n<h2>");
    raw(h, w->version_title);
    raw(h, "</h2>\n<table class=\"kv\">\n<tbody>\n");
    kv(h, w->label_contract, inv_contract(r), NULL);
    kv(h, w->label_register, inv_register_id(r), "hash");
    kv(h, w->label_version, ns(v->number).s, NULL);
    kv(h, w->label_date, ds(h, v->date).s, NULL);
    kv(h, w->label_author, v->author, NULL);
    kv(h, w->label_message, v->message, NULL);
    /* no_previous is words, not a value: written as HTML */
    if (v->prev_hash[0]) {
        kv(h, w->label_previous, v->prev_hash, "hash");
    } else {
        raw(h, "<tr><th>");
        raw(h, w->label_previous);
        raw(h, "</th><td class=\"hash\">");
        raw(h, w->no_previous);
        raw(h, "</td></tr>\n");
    }
    kv(h, w->label_document, v->doc_hash, "hash");
    raw(h, "</tbody>\n</table>\n");
    if (w->times_note) {
        char utc[32];
        inv_time_format(v->date, utc, sizeof utc);
        raw(h, "<p class=\"note\">");
        SAY(h, w->times_note, utc);
        raw(h, "</p>\n");
    }
    raw(h, "</section>\n");
}

static void summary(html *h, const kind_row *k, size_t nk)
{
    const out_annex_words *w = h->w;
    int64_t total = 0;
    raw(h, "<section id=\"summary\">\n");
    title_start(h, "counts", 2);
    raw(h, w->summary_title);
    title_end(h, "counts");
    raw(h, "<th>");
    raw(h, w->th_kind);
    raw(h, "</th><th class=\"num\">");
    raw(h, w->th_items);
    raw(h, "</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < nk; i++) {
        raw(h, "<tr><td>");
        text(h, kind_title(w, k[i].k->kind));
        raw(h, "</td><td class=\"num\">");
        count(h, k[i].k->count);
        raw(h, "</td></tr>\n");
        total += k[i].k->count;
    }
    raw(h, "<tr class=\"total\"><td>");
    raw(h, w->total);
    raw(h, "</td><td class=\"num\">");
    count(h, total);
    raw(h, "</td></tr>\n</tbody>\n</table>\n</section>\n");
}

/* ---- the functional scope (scope-register/2) ---- */

/* A canonical list or class id ("none": the table's word). */
static void cov_list(html *h, const char *list, size_t n)
{
    if (n == sizeof INV_COV_NONE - 1 && !memcmp(list, INV_COV_NONE, n)) {
        raw(h, "<span class=\"none\">");
        raw(h, h->w->cov_none);
        raw(h, "</span>");
        return;
    }
    char *copy = malloc(n + 1);
    if (!copy) {
        h->failed = 1;
        return;
    }
    memcpy(copy, list, n);
    copy[n] = '\0';
    text(h, copy);
    free(copy);
}

/* An item's coverage part: its list or class, then the table's words for
 * a part taken from the kind's default. */
static void cov_part(html *h, const char *list, int own)
{
    cov_list(h, list, strlen(list));
    if (!own) {
        raw(h, " <span class=\"k\">");
        raw(h, h->w->cov_kind_default);
        raw(h, "</span>");
    }
}

/* A coverage line's value as the document writes it ("LIST (own)",
 * "LIST (kind default)", "... (kind default)" in a staged change) in the
 * table's words; any other text as it is. */
static void cov_value(html *h, const char *v)
{
    const char *list;
    size_t n;
    int own;
    inv_err ignore;
    if (inv_cov_value_parse("services", v, &list, &n, &own, &ignore) &&
        inv_cov_value_parse("sla", v, &list, &n, &own, &ignore)) {
        text(h, v);
        return;
    }
    cov_list(h, list, n);
    if (!own) {
        raw(h, " <span class=\"k\">");
        raw(h, h->w->cov_kind_default);
        raw(h, "</span>");
    }
}

/* A duration as the term holds it ("30min", "4h", "2d") in the table's
 * words; another value as it is. */
static void duration(html *h, const char *d)
{
    size_t k = strspn(d, "0123456789");
    const char *u = d + k;
    int unit = !strcmp(u, "min") ? 0 : !strcmp(u, "h") ? 1 : !strcmp(u, "d") ? 2 : -1;
    if (!k || unit < 0) {
        text(h, d);
        return;
    }
    char num_s[16];
    snprintf(num_s, sizeof num_s, "%.*s", (int)(k < 15 ? k : 15), d);
    SAY(h, h->w->duration[unit], num_s);
}

/* The terms of a version, held for its sections (a contract has a few). */
typedef struct terms {
    inv_term *v;
    size_t n;
    size_t count[INV_TERM_TYPES];
    int failed;
} terms;

static int keep_term(void *ctx, const inv_term *t)
{
    terms *ts = ctx;
    inv_term *nv = realloc(ts->v, (ts->n + 1) * sizeof *nv);
    inv_err ignore;
    if (!nv) {
        ts->failed = 1;
        return INV_EIO;
    }
    ts->v = nv;
    inv_term *c = &ts->v[ts->n++];
    inv_term_init(c);
    c->type = t->type;
    if (!(c->id = malloc(strlen(t->id) + 1))) {
        ts->failed = 1;
        return INV_EIO;
    }
    memcpy(c->id, t->id, strlen(t->id) + 1);
    for (size_t i = 0; i < t->nf; i++)
        if (inv_term_set(c, t->f[i].key, t->f[i].value, &ignore)) {
            ts->failed = 1;
            return INV_EIO;
        }
    if (t->type >= 0 && t->type < INV_TERM_TYPES)
        ts->count[t->type]++;
    return 0;
}

static void terms_free(terms *ts)
{
    for (size_t i = 0; i < ts->n; i++)
        inv_term_free(&ts->v[i]);
    free(ts->v);
    memset(ts, 0, sizeof *ts);
}

/* "<p class=none>WORDS</p>" for a section without entries. */
static void none_note(html *h, const char *words)
{
    raw(h, "<p><span class=\"none\">");
    raw(h, words);
    raw(h, "</span></p>\n");
}

/* Opens the section id of a table of the functional scope: with no entry
 * (n 0), its title and the note none, section closed, and returns 0; else
 * the table's title row over ncols columns and a header cell for each of
 * the nth words th (the caller writes any further header cells), and
 * returns 1. */
static int part_open(html *h, const char *id, const char *title, size_t n, const char *none,
                     int ncols, const char *const *th, int nth)
{
    raw(h, "<section id=\"");
    raw(h, id);
    raw(h, "\">\n");
    if (!n) {
        raw(h, "<h2>");
        raw(h, title);
        raw(h, "</h2>\n");
        none_note(h, none);
        raw(h, "</section>\n");
        return 0;
    }
    title_start(h, id, ncols);
    raw(h, title);
    title_end(h, id);
    for (int i = 0; i < nth; i++) {
        raw(h, "<th>");
        raw(h, th[i]);
        raw(h, "</th>");
    }
    return 1;
}

static void services_part(html *h, const terms *ts)
{
    const out_annex_words *w = h->w;
    const char *th[] = {w->th_service, w->th_name, w->th_description};
    if (!part_open(h, "services", w->services_title, ts->count[INV_TERM_SERVICE],
                   w->no_services, 3, th, 3))
        return;
    raw(h, "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < ts->n; i++) {
        const inv_term *t = &ts->v[i];
        if (t->type != INV_TERM_SERVICE)
            continue;
        const char *name = inv_term_get(t, "name"), *d = inv_term_get(t, "description");
        raw(h, "<tr><td class=\"id\">");
        text(h, t->id);
        raw(h, "</td><td>");
        text(h, name ? name : "");
        raw(h, "</td><td>");
        text(h, d ? d : "");
        raw(h, "</td></tr>\n");
    }
    raw(h, "</tbody>\n</table>\n</section>\n");
}

static void exclusions_part(html *h, const terms *ts)
{
    const out_annex_words *w = h->w;
    raw(h, "<section id=\"exclusions\">\n<h2>");
    raw(h, w->exclusions_title);
    raw(h, "</h2>\n");
    if (!ts->count[INV_TERM_EXCLUSION]) {
        none_note(h, w->no_exclusions);
        raw(h, "</section>\n");
        return;
    }
    raw(h, "<p>");
    raw(h, w->exclusions_intro);
    raw(h, "</p>\n<ul class=\"exclusions\">\n");
    for (size_t i = 0; i < ts->n; i++) {
        if (ts->v[i].type != INV_TERM_EXCLUSION)
            continue;
        raw(h, "<li>");
        text(h, ts->v[i].id);
        raw(h, "</li>\n");
    }
    raw(h, "</ul>\n</section>\n");
}

/* One row of the grid: th, then per class what cell() writes. */
static void grid_row(html *h, const terms *ts, const char *th,
                     void (*cell)(html *, const inv_term *, int), int arg)
{
    raw(h, "<tr><th>");
    raw(h, th);
    raw(h, "</th>");
    for (size_t i = 0; i < ts->n; i++) {
        if (ts->v[i].type != INV_TERM_CLASS)
            continue;
        raw(h, "<td>");
        cell(h, &ts->v[i], arg);
        raw(h, "</td>");
    }
    raw(h, "</tr>\n");
}

static void cell_value(html *h, const inv_term *t, int which)
{
    const char *v = inv_term_get(t, which ? "availability" : "hours");
    if (v) {
        text(h, v);
        return;
    }
    raw(h, "<span class=\"none\">");
    raw(h, h->w->no_value);
    raw(h, "</span>");
}

static void cell_level(html *h, const inv_term *t, int level)
{
    char key[40];
    const char *words[2] = {h->w->label_response, h->w->label_resolution};
    int any = 0;
    for (int k = 0; k < 2; k++) {
        snprintf(key, sizeof key, "%s %s", k ? "resolution" : "response", inv_levels[level]);
        const char *d = inv_term_get(t, key);
        if (!d)
            continue;
        if (any++)
            raw(h, "<br>");
        raw(h, "<span class=\"k\">");
        raw(h, words[k]);
        raw(h, "</span> ");
        duration(h, d);
    }
    if (!any) {
        raw(h, "<span class=\"none\">");
        raw(h, h->w->no_value);
        raw(h, "</span>");
    }
}

static void levels_part(html *h, const terms *ts)
{
    const out_annex_words *w = h->w;
    size_t nc = ts->count[INV_TERM_CLASS];
    if (!part_open(h, "levels", w->levels_title, nc, w->no_classes, (int)nc + 1, &w->th_level,
                   1))
        return;
    for (size_t i = 0; i < ts->n; i++) {
        const inv_term *t = &ts->v[i];
        if (t->type != INV_TERM_CLASS)
            continue;
        const char *name = inv_term_get(t, "name");
        raw(h, "<th>");
        text(h, name ? name : t->id);
        raw(h, " <span class=\"id\">(");
        text(h, t->id);
        raw(h, ")</span></th>");
    }
    raw(h, "</tr></thead>\n<tbody>\n");
    for (int l = 0; l < INV_LEVELS; l++)
        grid_row(h, ts, w->level[l], cell_level, l);
    grid_row(h, ts, w->label_hours, cell_value, 0);
    grid_row(h, ts, w->label_availability, cell_value, 1);
    raw(h, "</tbody>\n</table>\n<p class=\"note\">");
    raw(h, w->levels_intro);
    raw(h, "</p>\n</section>\n");
}

static void defaults_part(html *h, const terms *ts)
{
    const out_annex_words *w = h->w;
    const char *th[] = {w->th_kind, w->th_services, w->th_sla};
    if (!part_open(h, "defaults", w->defaults_title, ts->count[INV_TERM_DEFAULT],
                   w->no_defaults, 3, th, 3))
        return;
    raw(h, "</tr></thead>\n<tbody>\n");
    /* in the kinds table's order, as the item lists */
    for (size_t k = 0; inv_kind_at(k); k++)
        for (size_t i = 0; i < ts->n; i++) {
            const inv_term *t = &ts->v[i];
            if (t->type != INV_TERM_DEFAULT || strcmp(t->id, inv_kind_at(k)->kind))
                continue;
            const char *sv = inv_term_get(t, "services"), *sl = inv_term_get(t, "sla");
            raw(h, "<tr><td>");
            text(h, kind_title(w, t->id));
            raw(h, "</td><td>");
            cov_list(h, sv ? sv : INV_COV_NONE, strlen(sv ? sv : INV_COV_NONE));
            raw(h, "</td><td>");
            cov_list(h, sl ? sl : INV_COV_NONE, strlen(sl ? sl : INV_COV_NONE));
            raw(h, "</td></tr>\n");
        }
    raw(h, "</tbody>\n</table>\n<p class=\"note\">");
    raw(h, w->defaults_intro);
    raw(h, "</p>\n</section>\n");
}

/* The sections of the functional scope of a /2 version; nothing for a /1
 * version or a table without their words. */
static int functional_scope(html *h, inv_register *r, int64_t n, inv_err *e)
{
    if (!h->w->services_title || inv_format_of(r, n) != 2)
        return INV_OK;
    terms ts = {0};
    int rc = inv_terms(r, n, keep_term, &ts, e);
    if (ts.failed)
        rc = inv_fail(e, INV_EIO, "out of memory");
    if (!rc) {
        services_part(h, &ts);
        exclusions_part(h, &ts);
        levels_part(h, &ts);
        defaults_part(h, &ts);
    }
    terms_free(&ts);
    return rc;
}

/* ---- changes ---- */

static void value_or_none(html *h, const char *tag, const char *v)
{
    if (!v) {
        raw(h, "<span class=\"none\">");
        raw(h, h->w->no_value);
        raw(h, "</span>");
        return;
    }
    raw(h, "<");
    raw(h, tag);
    raw(h, ">");
    text(h, v);
    raw(h, "</");
    raw(h, tag);
    raw(h, ">");
}

static int field_li(void *ctx, const char *field, const char *old_value, const char *new_value)
{
    html *h = ctx;
    if (!strcmp(field, "kind")) {
        /* a kind is a word of the table too, where it has one */
        old_value = old_value ? kind_one(h->w, old_value) : NULL;
        new_value = new_value ? kind_one(h->w, new_value) : NULL;
    }
    int cov = h->w->th_services && (!strcmp(field, "services") || !strcmp(field, "sla"));
    raw(h, "<li><span class=\"k\">");
    text(h, field_label(h->w, field));
    colon(h);
    raw(h, "</span> ");
    if (cov && old_value) {
        raw(h, "<del>");
        cov_value(h, old_value);
        raw(h, "</del>");
    } else {
        value_or_none(h, "del", old_value);
    }
    raw(h, " \xe2\x86\x92 ");
    if (cov && new_value) {
        raw(h, "<ins>");
        cov_value(h, new_value);
        raw(h, "</ins>");
    } else {
        value_or_none(h, "ins", new_value);
    }
    raw(h, "</li>");
    return 0;
}

static void kind_and_name(html *h, const inv_item *it)
{
    text(h, kind_title(h->w, it->kind));
    if (*it->name) {
        colon(h);
        raw(h, " ");
        text(h, it->name);
    }
}

static int change_row(void *ctx, const inv_change *c)
{
    html *h = ctx;
    static const char *const classes[] = {"added", "modified", "removed"};
    int op = c->op == INV_OP_ADD ? 0 : c->op == INV_OP_EDIT ? 1 : 2;
    raw(h, "<tr class=\"");
    raw(h, classes[op]);
    raw(h, "\"><td class=\"op\">");
    raw(h, h->w->op[op]);
    raw(h, "</td><td class=\"id\">");
    text(h, c->id);
    raw(h, "</td><td>");
    if (c->op == INV_OP_ADD) {
        kind_and_name(h, c->after);
    } else if (c->op == INV_OP_REMOVE) {
        if (c->before) {
            kind_and_name(h, c->before);
            raw(h, "<br>");
        }
        raw(h, "<span class=\"k\">");
        raw(h, h->w->reason);
        raw(h, "</span> ");
        text(h, c->reason ? c->reason : "");
    } else {
        raw(h, "<ul class=\"fields\">");
        inv_field_changes(c->before, c->after, field_li, h);
        raw(h, "</ul>");
    }
    raw(h, "</td></tr>\n");
    if (h->b.len >= 64 * 1024)
        flush(h);
    return h->failed;
}

static int changes(html *h, inv_register *r, const inv_version *v, inv_err *e)
{
    const out_annex_words *w = h->w;
    raw(h, "<section id=\"changes\">\n");
    if (v->number == 1) {
        raw(h, "<h2>");
        raw(h, w->changes_since_start);
        raw(h, "</h2>\n<p>");
        SAY(h, w->initial_scope, cnt(h, v->item_count).s);
        raw(h, "</p>\n</section>\n");
        return INV_OK;
    }
    title_start(h, "changes", 3);
    SAY(h, w->changes_since, ns(v->number - 1).s);
    title_end(h, "changes");
    raw(h, "<th>");
    raw(h, w->th_change);
    raw(h, "</th><th>");
    raw(h, w->th_item);
    raw(h, "</th><th>");
    raw(h, w->th_details);
    raw(h, "</th></tr></thead>\n<tbody>\n");
    /* Key replacements come first, as in the document. */
    for (int i = 0; i < 2; i++) {
        int rotates;
        cr_pubkey old, new_key;
        char a[CR_KEYID_HEX], b[CR_KEYID_HEX];
        int rc = inv_rotation_at(r, v->number, inv_roles[i], &rotates, &old, &new_key, e);
        if (rc)
            return rc;
        if (!rotates)
            continue;
        cr_keyid_hex(old.keyid, a);
        cr_keyid_hex(new_key.keyid, b);
        raw(h, "<tr class=\"key\"><td class=\"op\">");
        raw(h, w->key_replaced);
        raw(h, "</td><td>");
        raw(h, w->role_lower[i]);
        raw(h, "</td><td><code><del>");
        raw(h, a);
        raw(h, "</del> \xe2\x86\x92 <ins>");
        raw(h, b);
        raw(h, "</ins></code> ");
        raw(h, w->key_both);
        raw(h, "</td></tr>\n");
    }
    int rc = inv_diff(r, v->number - 1, v->number, change_row, h, e);
    if (rc)
        return h->failed ? write_fault(h, e) : rc;
    raw(h, "</tbody>\n</table>\n</section>\n");
    return INV_OK;
}

/* ---- items, grouped by kind ---- */

static int item_row(void *ctx, const inv_item *it)
{
    html *h = ctx;
    raw(h, "<tr><td class=\"id\">");
    text(h, it->id);
    raw(h, "</td><td class=\"name\">");
    text(h, it->name);
    raw(h, "</td><td>");
    if (it->svc && h->w->th_services) {
        /* its effective coverage, each part marked when the kind's */
        raw(h, "<ul class=\"attrs cov\"><li><span class=\"k\">");
        raw(h, h->w->th_services);
        colon(h);
        raw(h, "</span> ");
        cov_part(h, it->svc, it->own & INV_OWN_SERVICES);
        raw(h, "</li><li><span class=\"k\">");
        raw(h, h->w->th_sla);
        colon(h);
        raw(h, "</span> ");
        cov_part(h, it->sla ? it->sla : INV_COV_NONE, it->own & INV_OWN_SLA);
        raw(h, "</li></ul>");
    }
    if (it->nattrs) {
        raw(h, "<ul class=\"attrs\">");
        for (size_t i = 0; i < it->nattrs; i++) {
            raw(h, "<li><span class=\"k\">");
            text(h, field_label(h->w, it->attrs[i].key));
            colon(h);
            raw(h, "</span> ");
            text(h, it->attrs[i].value);
            raw(h, "</li>");
        }
        raw(h, "</ul>");
    }
    raw(h, "</td></tr>\n");
    if (h->b.len >= 64 * 1024)
        flush(h);
    return h->failed;
}

static int items(html *h, inv_register *r, int64_t n, const kind_row *k, size_t nk, inv_err *e)
{
    const out_annex_words *w = h->w;
    int rc = INV_OK;
    for (size_t i = 0; i < nk && !rc; i++) {
        raw(h, "<section class=\"kind\" id=\"kind-");
        text(h, k[i].k->kind);
        raw(h, "\">\n");
        title_start(h, "items", 3);
        text(h, kind_title(w, k[i].k->kind));
        raw(h, " <span class=\"count\">(");
        count(h, k[i].k->count);
        raw(h, ")</span>");
        title_end(h, "items");
        raw(h, "<th>");
        raw(h, w->th_id);
        raw(h, "</th><th>");
        raw(h, w->th_name);
        raw(h, "</th><th>");
        raw(h, w->th_attributes);
        raw(h, "</th></tr></thead>\n<tbody>\n");
        rc = inv_items_of_kind(r, n, k[i].k->kind, item_row, h, e);
        if (rc && h->failed)
            rc = write_fault(h, e);
        raw(h, "</tbody>\n</table>\n</section>\n");
    }
    return rc;
}

/* ---- how to verify ---- */

static void verify_part(html *h, inv_register *r, const inv_version *v, const char *doc,
                        const char *cstem)
{
    const out_annex_words *w = h->w;
    const char *hex = v->doc_hash + sizeof CR_HASH_PREFIX - 1;
    char stem[256];
    size_t dl = strlen(doc);
    numstr n = ns(v->number);
    /* The signatures sit beside the document: <stem>.<role>.minisig. */
    snprintf(stem, sizeof stem, "%.*s", (int)(dl > 6 && !strcmp(doc + dl - 6, ".scope")
                                                  ? dl - 6 : dl), doc);
    raw(h, "<section id=\"verify\">\n<h2>");
    raw(h, w->verify_title);
    raw(h, "</h2>\n<p>");
    SAY(h, w->verify_intro, n.s, doc);
    raw(h, "</p>\n<ol>\n<li>");
    SAY(h, w->verify_hash, hex);
    raw(h, "\n<pre>b2sum -l 256 ");
    text(h, doc);
    raw(h, "</pre></li>\n<li>");
    SAY(h, w->verify_sigs, inv_register_id(r), n.s);
    raw(h, "\n<pre>");
    for (int i = 0; i < 2; i++) {
        raw(h, "minisign -Vm ");
        text(h, doc);
        raw(h, " -p ");
        text(h, cstem);
        raw(h, ".");
        raw(h, inv_roles[i]);
        raw(h, ".pub -x ");
        text(h, stem);
        raw(h, ".");
        raw(h, inv_roles[i]);
        raw(h, ".minisig\n");
    }
    raw(h, "</pre></li>\n<li>");
    raw(h, w->verify_tool);
    raw(h, "</li>\n</ol>\n</section>\n");
}

/* ---- the signature block ---- */

/* The electronic signatures of a version, one role at a time. */
typedef struct esig_walk {
    html *h;
    int role;                /* the role listed in this pass */
    char keyid[CR_KEYID_HEX]; /* that party's key in force at the version */
    int rows;
} esig_walk;

static int esig_row(void *ctx, const inv_sig_row *s)
{
    esig_walk *c = ctx;
    html *h = c->h;
    if (strcmp(s->role, inv_roles[c->role]))
        return 0;
    raw(h, "<tr><td>");
    raw(h, h->w->role[c->role]);
    raw(h, "</td><td><code>");
    text(h, s->key_id);
    raw(h, "</code>");
    if (strcmp(s->key_id, c->keyid)) {
        raw(h, " ");
        raw(h, h->w->esig_previous);
    }
    raw(h, "</td><td>");
    text(h, ds(h, s->signed_at).s);
    raw(h, "</td></tr>\n");
    c->rows++;
    return 0;
}

/* Place, date, name, function and signature of each party, lines to fill
 * in by hand; then each electronic signature stored for the version (all
 * hold: inv_report_check said so), its key id and signing time. */
static int signatures(html *h, inv_register *r, const inv_version *v, inv_err *e)
{
    const out_annex_words *w = h->w;
    const char *lines[] = {w->sign_place_date, w->sign_name, w->sign_function,
                           w->sign_signature};
    inv_party p[2] = {{0}};
    esig_walk c = {h, 0, {0}, 0};
    int rc = INV_OK;
    for (int i = 0; i < 2 && !rc; i++)
        rc = inv_party_get(r, inv_roles[i], v->number, &p[i], e);
    if (rc)
        goto out;
    raw(h, "<section id=\"signatures\">\n<h2>");
    raw(h, w->sign_title);
    raw(h, "</h2>\n<p>");
    SAY(h, w->sign_intro, ns(v->number).s);
    raw(h, "</p>\n<table class=\"sign\">\n<thead><tr><th>");
    raw(h, w->role[0]);
    raw(h, "</th><th>");
    raw(h, w->role[1]);
    raw(h, "</th></tr></thead>\n<tbody>\n<tr><td>");
    text(h, p[0].name);
    raw(h, "</td><td>");
    text(h, p[1].name);
    raw(h, "</td></tr>\n");
    for (size_t l = 0; l < sizeof lines / sizeof lines[0]; l++) {
        raw(h, "<tr>");
        for (int i = 0; i < 2; i++) {
            raw(h, "<td><span class=\"k\">");
            raw(h, lines[l]);
            raw(h, l + 1 < sizeof lines / sizeof lines[0] ? "</span><span class=\"line\">"
                                                          : "</span><span class=\"line tall\">");
            raw(h, "</span></td>");
        }
        raw(h, "</tr>\n");
    }
    raw(h, "</tbody>\n</table>\n<h3>");
    raw(h, w->esig_title);
    raw(h, "</h3>\n<table class=\"esig\">\n<thead><tr><th>");
    raw(h, w->th_role);
    raw(h, "</th><th>");
    raw(h, w->th_key);
    raw(h, "</th><th>");
    raw(h, w->th_signed_at);
    raw(h, "</th></tr></thead>\n<tbody>\n");
    for (c.role = 0; c.role < 2 && !rc; c.role++) {
        cr_keyid_hex(p[c.role].key.keyid, c.keyid);
        rc = inv_sig_list(r, v->number, esig_row, &c, e);
    }
    if (rc)
        goto out;
    if (!c.rows) {
        raw(h, "<tr><td colspan=\"3\"><span class=\"none\">");
        raw(h, w->esig_none);
        raw(h, "</span></td></tr>\n");
    }
    raw(h, "</tbody>\n</table>\n</section>\n");
out:
    for (int i = 0; i < 2; i++)
        inv_party_free(&p[i]);
    return rc;
}

int out_annex_html(inv_register *r, int64_t n, const char *doc_name, const out_annex_words *w,
                   inv_sink_fn sink, void *ctx, inv_err *e)
{
    inv_version v;
    char stem[80], *doc = NULL;
    html h = {sink, ctx, w ? w : &out_annex_en, {0}, 0};
    inv_kind_count *k = NULL;
    kind_row *order = NULL;
    size_t nk = 0;
    inv_sig_state st;
    int rc = inv_version_get(r, n, &v, e);
    if (rc)
        return rc;
    /* An annex must show what was signed. */
    if ((rc = inv_report_check(r, n, e)) || (rc = inv_sig_state_get(r, n, &st, e)) ||
        (rc = inv_kind_counts(r, n, &k, &nk, e)))
        goto out;
    if (!(order = order_kinds(k, nk))) {
        rc = inv_fail(e, INV_EIO, "out of memory");
        goto out;
    }
    inv_doc_stem(inv_contract(r), stem, sizeof stem);
    if (!doc_name) {
        size_t len = strlen(stem) + 32;
        if (!(doc = malloc(len))) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            goto out;
        }
        snprintf(doc, len, "%s-v%lld.scope", stem, (long long)n);
        doc_name = doc;
    }

    head(&h, r, &v);
    raw(&h, "<header>\n<p class=\"annex\">");
    SAY(&h, h.w->annex_of, inv_contract(r));
    raw(&h, "</p>\n<h1>");
    raw(&h, h.w->heading);
    raw(&h, "</h1>\n<p class=\"sub\">");
    SAY(&h, h.w->sub_version, ns(n).s, ds(&h, v.date).s);
    raw(&h, " \xe2\x80\x94 ");
    status_badge(&h, &st);
    raw(&h, " \xe2\x80\x94 ");
    SAY(&h, v.item_count == 1 ? h.w->items_one : h.w->items_many, cnt(&h, v.item_count).s);
    raw(&h, "</p>\n</header>\n");
    if ((rc = parties(&h, r, &v, &st, e)))
        goto out;
    version_part(&h, r, &v);
    summary(&h, order, nk);
    if ((rc = functional_scope(&h, r, n, e)) || (rc = changes(&h, r, &v, e)) || (rc = items(&h, r, n, order, nk, e)))
        goto out;
    verify_part(&h, r, &v, doc_name, stem);
    if (h.w->sign_title && (rc = signatures(&h, r, &v, e)))
        goto out;
    raw(&h, "<footer>");
    SAY(&h, h.w->footer, inv_register_id(r));
    raw(&h, "</footer>\n</body>\n</html>\n");
    if (!h.b.data)
        h.failed = 1;
    flush(&h);
    if (h.failed)
        rc = write_fault(&h, e);
out:
    inv_kind_counts_free(k, nk);
    free(order);
    free(doc);
    inv_buf_free(&h.b);
    inv_version_free(&v);
    return rc;
}
