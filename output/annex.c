/*
 * annex.c - a version as one self-contained HTML page, printable on A4 as
 * the contract annex, in the words of a table (out_annex_en: English).
 *
 * Its data comes from the library (inventory.h): the version, parties,
 * signature state, counts per kind, items of each kind streamed from the
 * register (no item list held in memory), changes since the previous
 * version. It writes into an inv_sink_fn and prints nothing.
 *
 * The page is deterministic (no generation time), references nothing
 * outside itself, and escapes every text that comes from the register.
 */
#include <stdlib.h>
#include <string.h>

#include "output.h"

const out_annex_words out_annex_en = {
    .lang = "en",
    .title = "%1 \xe2\x80\x94 technical scope, version %2",
    .print_version = "scope version",
    .print_page = "page",
    .annex_of = "Annex to contract %1",
    .heading = "Technical scope of the managed IT services",
    .sub_version = "Version %1 of %2",
    .items_one = "%1 item",
    .items_many = "%1 items",
    .status_agreed = "agreed",
    .status_proposed = "proposed",
    .status_signed_by = {"signed by provider", "signed by client"},
    .parties_title = "Parties and signatures",
    .th_role = "Role",
    .th_party = "Party",
    .th_key = "Key id",
    .th_signature = "Signature of this version",
    .role = {"Provider", "Client"},
    .signed_on = "signed %1",
    .partly_signed = "partly signed (key rotation: both keys must sign)",
    .not_signed = "not signed",
    .status_of = "Status of version %1: ",
    .agreed_on = " on %1 (the later of the two signatures).",
    .not_agreed = ". This version binds the parties only once both have signed it.",
    .version_title = "Version",
    .label_contract = "Contract",
    .label_register = "Register",
    .label_version = "Version",
    .label_date = "Date",
    .label_author = "Author",
    .label_message = "Message",
    .label_previous = "Previous document",
    .no_previous = "none (first version)",
    .label_document = "Scope document",
    .summary_title = "Items in scope per kind",
    .th_kind = "Kind",
    .th_items = "Items",
    .total = "Total",
    .changes_since = "Changes since version %1",
    .changes_since_start = "Changes since the start of the register",
    .initial_scope = "Version 1 is the initial scope: each of its %1 items is added.",
    .th_change = "Change",
    .th_item = "Item",
    .th_details = "Details",
    .op = {"added", "modified", "removed"},
    .no_value = "(none)",
    .reason = "reason:",
    .key_replaced = "key replaced",
    .key_both = "(this version is signed by both keys)",
    .role_lower = {"provider", "client"},
    .th_id = "Id",
    .th_name = "Name",
    .th_attributes = "Attributes",
    .kinds = NULL, /* the kinds table's English titles (inv_kind_title) */
    .nkinds = 0,
    .verify_title = "How to verify",
    .verify_intro =
        "This page presents the scope document of version %1. What the parties signed is "
        "that document, byte for byte: <code>%2</code>, as <code>scopereg export %1 -o "
        "DIR</code> writes it with the signatures and public keys beside it (or "
        "<code>scopereg show %1</code>). Anyone can check it offline with stock tools, "
        "trusting neither party's software:",
    .verify_hash = "The document is the one described here when its BLAKE2b-256 hash is "
                   "<code class=\"hash\">%1</code>:",
    .verify_sigs = "Each party signed it when minisign accepts its signature with its public "
                   "key (key ids above); the trusted comment minisign prints names register "
                   "%1, version %2, the role and the document's hash:",
    .verify_tool = "With scopereg, on the register: <code>scopereg verify</code> re-renders "
                   "every version, checks the hash chain and every signature; on exported "
                   "files: <code>scopereg verify --documents DIR</code>.",
    .footer = "Rendered by scopereg from register %1. The authoritative text is the signed "
              "scope document whose hash is given above; where this page and that document "
              "differ, the document prevails.",
};

typedef struct html {
    inv_sink_fn sink;
    void *ctx;
    const out_annex_words *w;
    inv_buf b;
    int failed;
} html;

static void flush(html *h)
{
    if (h->b.len && !h->failed && h->sink(h->ctx, h->b.data, h->b.len))
        h->failed = 1;
    h->b.len = 0;
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
    char s[24];
} numstr;

static numstr ns(int64_t n)
{
    numstr r;
    snprintf(r.s, sizeof r.s, "%lld", (long long)n);
    return r;
}

typedef struct datestr {
    char s[32];
} datestr;

static datestr ds(int64_t t)
{
    datestr r;
    inv_time_format(t, r.s, sizeof r.s);
    return r;
}

static void num(html *h, int64_t n)
{
    inv_buf_printf(&h->b, "%lld", (long long)n);
}

/* ---- the kinds, in the kinds table's order (inv_kind_at) ---- */

static const char *kind_title(const out_annex_words *w, const char *kind)
{
    for (size_t i = 0; i < w->nkinds; i++)
        if (!strcmp(w->kinds[i].kind, kind))
            return w->kinds[i].title;
    return inv_kind_title(kind);
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
    raw(h, "<section id=\"parties\">\n<h2>");
    raw(h, w->parties_title);
    raw(h, "</h2>\n<table class=\"parties\">\n<thead><tr><th>");
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
            SAY(h, w->signed_on, ds(ps->at).s);
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
        SAY(h, w->agreed_on, ds(agreed).s);
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
    kv(h, w->label_date, ds(v->date).s, NULL);
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
    raw(h, "</tbody>\n</table>\n</section>\n");
}

static void summary(html *h, const kind_row *k, size_t nk)
{
    const out_annex_words *w = h->w;
    int64_t total = 0;
    raw(h, "<section id=\"summary\">\n<h2>");
    raw(h, w->summary_title);
    raw(h, "</h2>\n<table class=\"counts\">\n<thead><tr><th>");
    raw(h, w->th_kind);
    raw(h, "</th><th class=\"num\">");
    raw(h, w->th_items);
    raw(h, "</th></tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < nk; i++) {
        raw(h, "<tr><td>");
        text(h, kind_title(w, k[i].k->kind));
        raw(h, "</td><td class=\"num\">");
        num(h, k[i].k->count);
        raw(h, "</td></tr>\n");
        total += k[i].k->count;
    }
    raw(h, "<tr class=\"total\"><td>");
    raw(h, w->total);
    raw(h, "</td><td class=\"num\">");
    num(h, total);
    raw(h, "</td></tr>\n</tbody>\n</table>\n</section>\n");
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
    raw(h, "<li><span class=\"k\">");
    text(h, field);
    raw(h, ":</span> ");
    value_or_none(h, "del", old_value);
    raw(h, " \xe2\x86\x92 ");
    value_or_none(h, "ins", new_value);
    raw(h, "</li>");
    return 0;
}

static void kind_and_name(html *h, const inv_item *it)
{
    text(h, kind_title(h->w, it->kind));
    if (*it->name) {
        raw(h, ": ");
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
    raw(h, "<section id=\"changes\">\n<h2>");
    if (v->number == 1) {
        raw(h, w->changes_since_start);
        raw(h, "</h2>\n<p>");
        SAY(h, w->initial_scope, ns(v->item_count).s);
        raw(h, "</p>\n</section>\n");
        return INV_OK;
    }
    SAY(h, w->changes_since, ns(v->number - 1).s);
    raw(h, "</h2>\n<table class=\"changes\">\n<thead><tr><th>");
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
        return h->failed ? inv_fail(e, INV_EIO, "cannot write the report") : rc;
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
    if (it->nattrs) {
        raw(h, "<ul class=\"attrs\">");
        for (size_t i = 0; i < it->nattrs; i++) {
            raw(h, "<li><span class=\"k\">");
            text(h, it->attrs[i].key);
            raw(h, ":</span> ");
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
        raw(h, "\">\n<h2>");
        text(h, kind_title(w, k[i].k->kind));
        raw(h, " <span class=\"count\">(");
        num(h, k[i].k->count);
        raw(h, ")</span></h2>\n<table class=\"items\">\n<thead><tr><th>");
        raw(h, w->th_id);
        raw(h, "</th><th>");
        raw(h, w->th_name);
        raw(h, "</th><th>");
        raw(h, w->th_attributes);
        raw(h, "</th></tr></thead>\n<tbody>\n");
        rc = inv_items_of_kind(r, n, k[i].k->kind, item_row, h, e);
        if (rc && h->failed)
            rc = inv_fail(e, INV_EIO, "cannot write the report");
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
    SAY(&h, h.w->sub_version, ns(n).s, ds(v.date).s);
    raw(&h, " \xe2\x80\x94 ");
    status_badge(&h, &st);
    raw(&h, " \xe2\x80\x94 ");
    SAY(&h, v.item_count == 1 ? h.w->items_one : h.w->items_many, ns(v.item_count).s);
    raw(&h, "</p>\n</header>\n");
    if ((rc = parties(&h, r, &v, &st, e)))
        goto out;
    version_part(&h, r, &v);
    summary(&h, order, nk);
    if ((rc = changes(&h, r, &v, e)) || (rc = items(&h, r, n, order, nk, e)))
        goto out;
    verify_part(&h, r, &v, doc_name, stem);
    raw(&h, "<footer>");
    SAY(&h, h.w->footer, inv_register_id(r));
    raw(&h, "</footer>\n</body>\n</html>\n");
    if (!h.b.data)
        h.failed = 1;
    flush(&h);
    if (h.failed)
        rc = inv_fail(e, INV_EIO, "cannot write the report");
out:
    inv_kind_counts_free(k, nk);
    free(order);
    free(doc);
    inv_buf_free(&h.b);
    inv_version_free(&v);
    return rc;
}
