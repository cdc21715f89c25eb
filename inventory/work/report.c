/*
 * report.c - a version as one self-contained HTML page, printable on A4
 * as the contract annex.
 *
 * It lives here rather than in cli/ because it is a rendering of the
 * register like the scope document: it writes into an inv_sink_fn and
 * prints nothing, it streams the items kind by kind straight from SQL
 * (one prepared statement, no item list held in memory), and it can be
 * tested, and reused by other commands, without the command line.
 *
 * The page is deterministic (no generation time), references nothing
 * outside itself, and escapes every text that comes from the register.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct html {
    inv_sink_fn sink;
    void *ctx;
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

static void num(html *h, int64_t n)
{
    inv_buf_printf(&h->b, "%lld", (long long)n);
}

static void date(html *h, int64_t t)
{
    char d[32];
    inv_time_format(t, d, sizeof d);
    text(h, d);
}

/* ---- the kinds, in the order the annex lists them ---- */

static const struct {
    const char *kind, *title;
} kinds[] = {
    {"workstation", "Workstations"},  {"server", "Servers"},
    {"os", "Operating systems"},      {"software", "Software"},
    {"network", "Network equipment"}, {"printer", "Printers"},
    {"vpn", "VPN accesses"},          {"other", "Other items"},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

static const char *kind_title(const char *kind)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (!strcmp(kinds[i].kind, kind))
            return kinds[i].title;
    return kind;
}

typedef struct kind_count {
    char *kind;
    int64_t count;
    size_t order;
} kind_count;

static int by_order(const void *a, const void *b)
{
    const kind_count *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->kind, y->kind);
}

/* Counts per kind in version n, in the annex's order (a kind the code does
 * not know, which verify would report, comes last rather than vanishing). */
static int count_kinds(inv_register *r, int64_t n, kind_count **out, size_t *nout,
                       inv_err *e)
{
    sqlite3_stmt *st = NULL;
    kind_count *v = NULL;
    size_t cnt = 0, cap = 0;
    int rc = inv__prepare(r, &st,
                          "SELECT kind, count(*) FROM item"
                          " WHERE since <= ?1 AND (until IS NULL OR until > ?1) GROUP BY kind",
                          e), s;
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n);
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (cnt == cap) {
            kind_count *nv = realloc(v, (cap = cap ? cap * 2 : 8) * sizeof *nv);
            if (!nv) {
                rc = inv_fail(e, INV_EIO, "out of memory");
                break;
            }
            v = nv;
        }
        kind_count *k = &v[cnt];
        k->kind = inv__strdup((const char *)sqlite3_column_text(st, 0));
        k->count = sqlite3_column_int64(st, 1);
        if (!k->kind) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        cnt++;
        for (k->order = 0; k->order < NKINDS && strcmp(kinds[k->order].kind, k->kind);
             k->order++)
            ;
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "count items");
    sqlite3_finalize(st);
    if (cnt)
        qsort(v, cnt, sizeof *v, by_order);
    *out = v;
    *nout = cnt;
    return rc;
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
    raw(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           "<meta name=\"generator\" content=\"scopereg\">\n<title>");
    text(h, inv_contract(r));
    raw(h, " \xe2\x80\x94 technical scope, version ");
    num(h, v->number);
    raw(h, "</title>\n");
    raw(h, style);
    /* Running footer on every printed page (CSS page-margin boxes). */
    raw(h, "@page{@bottom-left{content:\"");
    css_string(h, inv_contract(r));
    raw(h, " \\2014  scope version ");
    num(h, v->number);
    raw(h, "\";font-size:8pt;color:#5a5a5a}"
           "@bottom-right{content:\"page \" counter(page) \" / \" counter(pages);"
           "font-size:8pt;color:#5a5a5a}}\n</style>\n</head>\n<body>\n");
}

static void status_badge(html *h, const inv_sig_state *st)
{
    const char *name = inv_sig_state_name(st);
    raw(h, "<span class=\"status ");
    raw(h, st->provider && st->client ? "agreed" : st->provider || st->client ? "partial"
                                                                                : "proposed");
    raw(h, "\">");
    text(h, name);
    raw(h, "</span>");
}

static int parties(html *h, inv_register *r, const inv_version *v, const inv_sig_state *st,
                   inv_err *e)
{
    raw(h, "<section id=\"parties\">\n<h2>Parties and signatures</h2>\n"
           "<table class=\"parties\">\n<thead><tr><th>Role</th><th>Party</th><th>Key id</th>"
           "<th>Signature of this version</th></tr></thead>\n<tbody>\n");
    for (int i = 0; i < 2; i++) {
        inv_party p;
        char keyid[CR_KEYID_HEX];
        int rc = inv_party_get(r, inv_roles[i], v->number, &p, e);
        if (rc)
            return rc;
        cr_keyid_hex(p.key.keyid, keyid);
        int done = i == INV_ROLE_PROVIDER ? st->provider : st->client;
        int some = i == INV_ROLE_PROVIDER ? st->provider_have : st->client_have;
        int64_t at = i == INV_ROLE_PROVIDER ? st->provider_at : st->client_at;
        raw(h, "<tr><td>");
        raw(h, i == INV_ROLE_PROVIDER ? "Provider" : "Client");
        raw(h, "</td><td>");
        text(h, p.name);
        raw(h, "</td><td><code>");
        text(h, keyid);
        raw(h, "</code></td><td>");
        if (done) {
            raw(h, "signed ");
            date(h, at);
        } else if (some) {
            raw(h, "partly signed (key rotation: both keys must sign)");
        } else {
            raw(h, "<span class=\"none\">not signed</span>");
        }
        raw(h, "</td></tr>\n");
        inv_party_free(&p);
    }
    raw(h, "</tbody>\n</table>\n<p>Status of version ");
    num(h, v->number);
    raw(h, ": ");
    status_badge(h, st);
    int64_t agreed = inv_agreed_at(st, v->date);
    if (agreed) {
        raw(h, " on ");
        date(h, agreed);
        raw(h, " (the later of the two signatures).");
    } else {
        raw(h, ". This version binds the parties only once both have signed it.");
    }
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
    char d[32], nbuf[32];
    raw(h, "<section id=\"version\">\n<h2>Version</h2>\n<table class=\"kv\">\n<tbody>\n");
    kv(h, "Contract", inv_contract(r), NULL);
    kv(h, "Register", inv_register_id(r), "hash");
    snprintf(nbuf, sizeof nbuf, "%lld", (long long)v->number);
    kv(h, "Version", nbuf, NULL);
    inv_time_format(v->date, d, sizeof d);
    kv(h, "Date", d, NULL);
    kv(h, "Author", v->author, NULL);
    kv(h, "Message", v->message, NULL);
    kv(h, "Previous document", v->prev_hash[0] ? v->prev_hash : "none (first version)",
       "hash");
    kv(h, "Scope document", v->doc_hash, "hash");
    raw(h, "</tbody>\n</table>\n</section>\n");
}

static void summary(html *h, const kind_count *k, size_t nk)
{
    int64_t total = 0;
    raw(h, "<section id=\"summary\">\n<h2>Items in scope per kind</h2>\n"
           "<table class=\"counts\">\n<thead><tr><th>Kind</th><th class=\"num\">Items</th>"
           "</tr></thead>\n<tbody>\n");
    for (size_t i = 0; i < nk; i++) {
        raw(h, "<tr><td>");
        text(h, kind_title(k[i].kind));
        raw(h, "</td><td class=\"num\">");
        num(h, k[i].count);
        raw(h, "</td></tr>\n");
        total += k[i].count;
    }
    raw(h, "<tr class=\"total\"><td>Total</td><td class=\"num\">");
    num(h, total);
    raw(h, "</td></tr>\n</tbody>\n</table>\n</section>\n");
}

/* ---- changes ---- */

static void value_or_none(html *h, const char *tag, const char *v)
{
    if (!v) {
        raw(h, "<span class=\"none\">(none)</span>");
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

static int change_row(void *ctx, const inv_change *c)
{
    html *h = ctx;
    static const char *const ops[] = {"added", "modified", "removed"};
    const char *op = ops[c->op == INV_OP_ADD ? 0 : c->op == INV_OP_EDIT ? 1 : 2];
    raw(h, "<tr class=\"");
    raw(h, op);
    raw(h, "\"><td class=\"op\">");
    raw(h, op);
    raw(h, "</td><td class=\"id\">");
    text(h, c->id);
    raw(h, "</td><td>");
    if (c->op == INV_OP_ADD) {
        text(h, kind_title(c->after->kind));
        if (*c->after->name) {
            raw(h, ": ");
            text(h, c->after->name);
        }
    } else if (c->op == INV_OP_REMOVE) {
        if (c->before) {
            text(h, kind_title(c->before->kind));
            if (*c->before->name) {
                raw(h, ": ");
                text(h, c->before->name);
            }
            raw(h, "<br>");
        }
        raw(h, "<span class=\"k\">reason:</span> ");
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
    raw(h, "<section id=\"changes\">\n<h2>Changes since ");
    if (v->number == 1) {
        raw(h, "the start of the register</h2>\n<p>Version 1 is the initial scope: each of its ");
        num(h, v->item_count);
        raw(h, " items is added.</p>\n</section>\n");
        return INV_OK;
    }
    raw(h, "version ");
    num(h, v->number - 1);
    raw(h, "</h2>\n<table class=\"changes\">\n<thead><tr><th>Change</th><th>Item</th>"
           "<th>Details</th></tr></thead>\n<tbody>\n");
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
        raw(h, "<tr class=\"key\"><td class=\"op\">key replaced</td><td>");
        raw(h, i == INV_ROLE_PROVIDER ? "provider" : "client");
        raw(h, "</td><td><code><del>");
        raw(h, a);
        raw(h, "</del> \xe2\x86\x92 <ins>");
        raw(h, b);
        raw(h, "</ins></code> (this version is signed by both keys)</td></tr>\n");
    }
    int rc = inv_diff(r, v->number - 1, v->number, change_row, h, e);
    if (rc)
        return h->failed ? inv_fail(e, INV_EIO, "cannot write the report") : rc;
    raw(h, "</tbody>\n</table>\n</section>\n");
    return INV_OK;
}

/* ---- items, grouped by kind ---- */

static void item_row(html *h, const inv_item *it)
{
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
}

static int items(html *h, inv_register *r, int64_t n, const kind_count *k, size_t nk,
                 inv_err *e)
{
    sqlite3_stmt *st = NULL;
    inv_item it;
    inv_item_init(&it);
    int rc = inv__prepare(r, &st,
                          "SELECT id, kind, name, attrs FROM item INDEXED BY item_by_id"
                          " WHERE since <= ?1 AND (until IS NULL OR until > ?1) AND kind = ?2"
                          " ORDER BY id",
                          e);
    if (rc)
        return rc;
    for (size_t i = 0; i < nk && !rc; i++) {
        raw(h, "<section class=\"kind\" id=\"kind-");
        text(h, k[i].kind);
        raw(h, "\">\n<h2>");
        text(h, kind_title(k[i].kind));
        raw(h, " <span class=\"count\">(");
        num(h, k[i].count);
        raw(h, ")</span></h2>\n<table class=\"items\">\n<thead><tr><th>Id</th><th>Name</th>"
               "<th>Attributes</th></tr></thead>\n<tbody>\n");
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, n);
        sqlite3_bind_text(st, 2, k[i].kind, -1, SQLITE_STATIC);
        int s;
        while ((s = sqlite3_step(st)) == SQLITE_ROW) {
            if ((rc = inv__item_from_row(&it, st, 0, 0, e)))
                break;
            item_row(h, &it);
        }
        if (!rc && s != SQLITE_DONE)
            rc = inv__sqlerr(r, e, "read items");
        raw(h, "</tbody>\n</table>\n</section>\n");
    }
    sqlite3_finalize(st);
    inv_item_free(&it);
    return rc;
}

/* ---- how to verify ---- */

static void verify_part(html *h, inv_register *r, const inv_version *v, const char *doc,
                        const char *cstem)
{
    const char *hex = v->doc_hash + sizeof CR_HASH_PREFIX - 1;
    char stem[256];
    size_t dl = strlen(doc);
    /* The signatures sit beside the document: <stem>.<role>.minisig. */
    snprintf(stem, sizeof stem, "%.*s", (int)(dl > 6 && !strcmp(doc + dl - 6, ".scope")
                                                  ? dl - 6 : dl), doc);
    raw(h, "<section id=\"verify\">\n<h2>How to verify</h2>\n"
           "<p>This page presents the scope document of version ");
    num(h, v->number);
    raw(h, ". What the parties signed is that document, byte for byte: <code>");
    text(h, doc);
    raw(h, "</code>, as <code>scopereg export ");
    num(h, v->number);
    raw(h, " -o DIR</code> writes it with the signatures and public keys beside it (or "
           "<code>scopereg show ");
    num(h, v->number);
    raw(h, "</code>). Anyone can check it offline with stock tools, trusting neither "
           "party's software:</p>\n<ol>\n<li>The document is the one described here when "
           "its BLAKE2b-256 hash is <code class=\"hash\">");
    text(h, hex);
    raw(h, "</code>:\n<pre>b2sum -l 256 ");
    text(h, doc);
    raw(h, "</pre></li>\n<li>Each party signed it when minisign accepts its signature with "
           "its public key (key ids above); the trusted comment minisign prints names "
           "register ");
    text(h, inv_register_id(r));
    raw(h, ", version ");
    num(h, v->number);
    raw(h, ", the role and the document's hash:\n<pre>");
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
    raw(h, "</pre></li>\n<li>With scopereg, on the register: <code>scopereg verify</code> "
           "re-renders every version, checks the hash chain and every signature; on "
           "exported files: <code>scopereg verify --documents DIR</code>.</li>\n</ol>\n"
           "</section>\n");
}

int inv_report_html(inv_register *r, int64_t n, const char *doc_name, inv_sink_fn sink,
                    void *ctx, inv_err *e)
{
    inv_version v;
    unsigned char prehash[CR_PREHASH_BYTES];
    char hash[CR_HASH_STR_LEN], stem[80], *doc = NULL;
    html h = {sink, ctx, {0}, 0};
    kind_count *k = NULL;
    size_t nk = 0;
    inv_sig_state st;
    int rc = inv_version_get(r, n, &v, e);
    if (rc)
        return rc;
    /* An annex must show what was signed: the version re-renders to its
     * recorded hash, and every stored signature holds. */
    if ((rc = inv_doc_digests(r, n, prehash, hash, e)))
        goto out;
    if (strcmp(hash, v.doc_hash)) {
        rc = inv_fail(e, INV_FAIL, "version %lld does not re-render to its recorded hash (%s, "
                      "recorded %s); run 'scopereg verify'", (long long)n, hash, v.doc_hash);
        goto out;
    }
    if ((rc = inv_sigs_check(r, n, NULL, NULL, e)) ||
        (rc = inv_sig_state_get(r, n, &st, e)) || (rc = count_kinds(r, n, &k, &nk, e)))
        goto out;
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
    raw(&h, "<header>\n<p class=\"annex\">Annex to contract ");
    text(&h, inv_contract(r));
    raw(&h, "</p>\n<h1>Technical scope of the managed IT services</h1>\n<p class=\"sub\">"
            "Version ");
    num(&h, n);
    raw(&h, " of ");
    date(&h, v.date);
    raw(&h, " \xe2\x80\x94 ");
    status_badge(&h, &st);
    raw(&h, " \xe2\x80\x94 ");
    num(&h, v.item_count);
    raw(&h, v.item_count == 1 ? " item" : " items");
    raw(&h, "</p>\n</header>\n");
    if ((rc = parties(&h, r, &v, &st, e)))
        goto out;
    version_part(&h, r, &v);
    summary(&h, k, nk);
    if ((rc = changes(&h, r, &v, e)) || (rc = items(&h, r, n, k, nk, e)))
        goto out;
    verify_part(&h, r, &v, doc_name, stem);
    raw(&h, "<footer>Rendered by scopereg from register ");
    text(&h, inv_register_id(r));
    raw(&h, ". The authoritative text is the signed scope document whose hash is given "
            "above; where this page and that document differ, the document prevails."
            "</footer>\n</body>\n</html>\n");
    if (!h.b.data)
        h.failed = 1;
    flush(&h);
    if (h.failed)
        rc = inv_fail(e, INV_EIO, "cannot write the report");
out:
    for (size_t i = 0; i < nk; i++)
        free(k[i].kind);
    free(k);
    free(doc);
    inv_buf_free(&h.b);
    inv_version_free(&v);
    return rc;
}
