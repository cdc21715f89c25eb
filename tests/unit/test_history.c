/* test_history.c - unit tests of the dispute queries (inventory/history.c)
 * and the HTML annex (output/annex.c): when a version is agreed, which
 * version is in force at a date, checking stored signatures, the history
 * of an item, field changes, item blocks, and the report's content, escaping,
 * determinism and refusals. Signatures are real: made with fresh key
 * pairs and stored through inv_sig_attach. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "crypto.h"
#include "inventory.h"
#include "output.h"
#include "testutil.h"

/* A register with two fresh key pairs: provider and client; names that the
 * annex must escape. */
typedef tu_reg fx;

static const tu_reg_spec SPEC = {"scope.db", "ACME <2026> & \"annex\"", "Helvetia IT SA",
                                 "ACME <script>alert(1)</script> SA", "2026-01-05T08:00:00Z",
                                 1};

static int fx_setup(void **state)
{
    return tu_reg_setup(state, &SPEC);
}

#define fx_teardown tu_reg_teardown

/* Stages an item from "key=value" pairs (NULL-terminated). */
static void stage(fx *f, int add, const char *id, const char *kind, const char *name, ...)
{
    inv_item it;
    inv_err e = {0};
    va_list ap;
    inv_item_init(&it);
    it.id = strdup(id);
    assert_ok(inv_item_set(&it, "kind", kind, &e), &e);
    assert_ok(inv_item_set(&it, "name", name, &e), &e);
    va_start(ap, name);
    for (const char *kv; (kv = va_arg(ap, const char *)) != NULL;) {
        char *k = strdup(kv), *eq = strchr(k, '=');
        *eq = '\0';
        assert_ok(inv_item_set(&it, k, eq + 1, &e), &e);
        free(k);
    }
    va_end(ap);
    assert_ok(add ? inv_stage_add(f->r, &it, &e) : inv_stage_edit(f->r, &it, &e), &e);
    inv_item_free(&it);
}

static int64_t commit(fx *f, const char *when, const char *msg)
{
    int64_t n = 0;
    inv_err e = {0};
    assert_ok(inv_commit(f->r, msg, "J. Muller", tu_time(when), &n, &e), &e);
    return n;
}

/* The party (0 provider, 1 client) signs version n with signed: at and
 * attaches it; returns what inv_sig_attach returns (e gets its message). */
static int sign_rc(fx *f, int64_t n, int party, const char *at, inv_err *e)
{
    unsigned char prehash[CR_PREHASH_BYTES];
    char comment[512];
    inv_tc tc = {0}, got;
    cr_err ce = {0};
    cr_sig sig;
    assert_ok(inv_doc_digests(f->r, n, prehash, tc.doc_hash, e), e);
    snprintf(tc.register_id, sizeof tc.register_id, "%s", inv_register_id(f->r));
    snprintf(tc.role, sizeof tc.role, "%s", party ? "client" : "provider");
    tc.version = n;
    tc.signed_at = tu_time(at);
    inv_tc_format(&tc, comment, sizeof comment);
    if (cr_sign_prehashed(f->sk[party], prehash, comment, NULL, &sig, &ce) != CR_OK)
        fail_msg("cr_sign_prehashed: %s", ce.msg);
    char *text = cr_sig_format(&sig);
    assert_non_null(text);
    int rc = inv_sig_attach(f->r, n, text, strlen(text), &got, NULL, e);
    free(text);
    return rc;
}

/* The party (0 provider, 1 client) signs version n with signed: at. */
static void sign(fx *f, int64_t n, int party, const char *at)
{
    inv_err e = {0};
    assert_ok(sign_rc(f, n, party, at, &e), &e);
}

/* Runs SQL on the register behind the tool's back. */
static void tamper(fx *f, const char *sql)
{
    sqlite3 *db;
    char *err = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("%s: %s", sql, err);
    sqlite3_close(db);
}

/*
 * The history used by most tests:
 *   v1 2026-01-10  SRV-01, PC-01 added   provider 01-11, client 01-12 -> agreed 01-12
 *   v2 2026-02-01  SRV-01 ip changed     provider 02-02 only          -> signed by provider
 *   v3 2026-03-01  PC-01 removed         provider 03-02, client 03-05 -> agreed 03-05
 *   v4 2026-04-01  PC-01 added again     nobody                       -> proposed
 */
static void build(fx *f)
{
    inv_err e = {0};
    stage(f, 1, "SRV-01", "server", "File server", "ip=10.0.0.5", "os=Windows Server 2022",
          NULL);
    stage(f, 1, "PC-01", "poste", "Compta", "serial=SN-1", NULL);
    assert_int_equal(commit(f, "2026-01-10T09:00:00Z", "Initial inventory"), 1);
    sign(f, 1, 0, "2026-01-11T08:00:00Z");
    sign(f, 1, 1, "2026-01-12T08:00:00Z");
    stage(f, 0, "SRV-01", "server", "File server", "ip=10.0.0.6", "os=Windows Server 2022",
          NULL);
    assert_int_equal(commit(f, "2026-02-01T10:00:00Z", "Q1"), 2);
    sign(f, 2, 0, "2026-02-02T08:00:00Z");
    assert_ok(inv_stage_remove(f->r, "PC-01", "stolen, police report 42", &e), &e);
    assert_int_equal(commit(f, "2026-03-01T10:00:00Z", "Theft"), 3);
    sign(f, 3, 0, "2026-03-02T08:00:00Z");
    sign(f, 3, 1, "2026-03-05T08:00:00Z");
    stage(f, 1, "PC-01", "workstation", "Compta (replacement)", "serial=SN-2", NULL);
    assert_int_equal(commit(f, "2026-04-01T10:00:00Z", "Replacement"), 4);
}

/* ---- inv_agreed_at ---- */

static void test_agreed_at(void **state)
{
    (void)state;
    inv_sig_state s = {0};
    int64_t d = tu_time("2026-01-10T00:00:00Z");
    assert_int_equal(inv_agreed_at(&s, d), 0);
    s.party[0].signed_ = 1;
    s.party[0].at = d + 10;
    assert_int_equal(inv_agreed_at(&s, d), 0);
    s.party[1].signed_ = 1;
    s.party[1].at = d + 20;
    assert_int_equal(inv_agreed_at(&s, d), d + 20);
    s.party[0].at = d + 30;
    assert_int_equal(inv_agreed_at(&s, d), d + 30);
    /* A signature dated before its version does not hold (it is refused
     * where it is checked): no agreement rests on it. */
    s.party[0].at = d - 100;
    assert_int_equal(inv_agreed_at(&s, d), 0);
    s.party[0].at = d + 30;
    s.party[1].at = d - 50;
    assert_int_equal(inv_agreed_at(&s, d), 0);
    s.party[1].at = d;
    assert_int_equal(inv_agreed_at(&s, d), d + 30);
}

/* ---- inv_in_force_at ---- */

static void expect_in_force(fx *f, const char *when, int64_t version, const char *agreed,
                            int64_t latest)
{
    inv_in_force in;
    inv_err e = {0};
    assert_ok(inv_in_force_at(f->r, tu_time(when), &in, &e), &e);
    if (in.version != version || in.latest != latest ||
        (agreed && in.agreed_at != tu_time(agreed)) || (!agreed && in.agreed_at != 0))
        fail_msg("at %s: version %lld (agreed %lld, latest %lld), expected %lld (latest %lld)",
                 when, (long long)in.version, (long long)in.agreed_at, (long long)in.latest,
                 (long long)version, (long long)latest);
}

static void test_in_force(void **state)
{
    fx *f = *state;
    /* An empty register: nothing in force, nothing committed. */
    expect_in_force(f, "2026-06-01T00:00:00Z", 0, NULL, 0);
    build(f);
    expect_in_force(f, "2026-01-09T00:00:00Z", 0, NULL, 0);
    /* Committed and signed by one party only: not yet in force. */
    expect_in_force(f, "2026-01-11T12:00:00Z", 0, NULL, 1);
    /* Agreed at the later signature, inclusive. */
    expect_in_force(f, "2026-01-12T07:59:59Z", 0, NULL, 1);
    expect_in_force(f, "2026-01-12T08:00:00Z", 1, "2026-01-12T08:00:00Z", 1);
    /* v2 never agreed: v1 stays in force after it is committed. */
    expect_in_force(f, "2026-02-15T00:00:00Z", 1, "2026-01-12T08:00:00Z", 2);
    expect_in_force(f, "2026-03-04T00:00:00Z", 1, "2026-01-12T08:00:00Z", 3);
    expect_in_force(f, "2026-03-05T08:00:00Z", 3, "2026-03-05T08:00:00Z", 3);
    /* v4 proposed only. */
    expect_in_force(f, "2030-01-01T00:00:00Z", 3, "2026-03-05T08:00:00Z", 4);
}

static void test_in_force_late_countersignature(void **state)
{
    fx *f = *state;
    build(f);
    /* The client countersigns v2 after v3 was agreed: v3, the newer
     * agreement, stays in force; before v3's agreement v2 was not yet. */
    sign(f, 2, 1, "2026-03-10T08:00:00Z");
    expect_in_force(f, "2026-03-06T00:00:00Z", 3, "2026-03-05T08:00:00Z", 3);
    expect_in_force(f, "2026-03-11T00:00:00Z", 3, "2026-03-05T08:00:00Z", 3);
    /* A signature dated before its version is refused: it never makes the
     * version agreed. */
    inv_err e = {0};
    assert_err(sign_rc(f, 4, 0, "2026-03-20T00:00:00Z", &e), &e, INV_FAIL,
               "provider signature of version 4 is dated 2026-03-20T00:00:00Z, before the "
               "version itself (2026-04-01T10:00:00Z)");
    sign(f, 4, 0, "2026-04-01T10:00:00Z");
    sign(f, 4, 1, "2026-04-02T00:00:00Z");
    expect_in_force(f, "2026-03-31T00:00:00Z", 3, "2026-03-05T08:00:00Z", 3);
    expect_in_force(f, "2026-04-01T10:00:00Z", 3, "2026-03-05T08:00:00Z", 4);
    expect_in_force(f, "2026-04-02T00:00:00Z", 4, "2026-04-02T00:00:00Z", 4);
}

/* ---- inv_sigs_check ---- */

typedef struct seen {
    int n, ok;
    char reason[512];
} seen;

static int seen_one(void *ctx, const inv_sig_result *s)
{
    seen *x = ctx;
    x->n++;
    x->ok += s->ok;
    if (!s->ok)
        snprintf(x->reason, sizeof x->reason, "%s", s->reason);
    return 0;
}

static void test_sigs_check(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    seen x = {0};
    build(f);
    assert_ok(inv_sigs_check(f->r, 1, seen_one, &x, &e), &e);
    assert_int_equal(x.n, 2);
    assert_int_equal(x.ok, 2);
    memset(&x, 0, sizeof x);
    assert_ok(inv_sigs_check(f->r, 4, seen_one, &x, &e), &e);
    assert_int_equal(x.n, 0);
    assert_ok(inv_sigs_check(f->r, 2, NULL, NULL, &e), &e);
    assert_err(inv_sigs_check(f->r, 0, NULL, NULL, &e), &e, INV_EINPUT, "no version 0");

    /* A stored date moved earlier (to put the agreement before a dispute's
     * date) no longer matches the signed trusted comment. */
    tamper(f, "UPDATE signature SET signed_at = '2026-01-10T10:00:00Z'"
              " WHERE version = 1 AND role = 'client'");
    inv_close(f->r);
    assert_ok(inv_open(f->path, 1, &f->r, &e), &e);
    memset(&x, 0, sizeof x);
    assert_err(inv_sigs_check(f->r, 1, seen_one, &x, &e), &e, INV_FAIL,
               "stored client signature of version 1 does not hold");
    assert_int_equal(x.n, 2);
    assert_int_equal(x.ok, 1);
    assert_non_null(strstr(x.reason, "differ"));

    /* A version's item edited behind the tool's back: the re-rendered
     * document no longer matches what was signed. */
    tamper(f, "UPDATE item SET attrs = replace(attrs, '10.0.0.6', '10.0.0.7')"
              " WHERE id = 'SRV-01' AND since = 2");
    memset(&x, 0, sizeof x);
    assert_err(inv_sigs_check(f->r, 3, seen_one, &x, &e), &e, INV_FAIL, "does not hold");
    assert_int_equal(x.ok, 0);
}

/* ---- inv_history ---- */

typedef struct step_log {
    int n;
    int64_t version[8];
    char op[8];
    char text[8][256];
} step_log;

static int log_step(void *ctx, const inv_history_step *s)
{
    step_log *l = ctx;
    inv_buf b = {0};
    if (l->n >= 8)
        return 0;
    l->version[l->n] = s->version;
    l->op[l->n] = (char)s->change.op;
    assert_int_equal(inv_change_format(&b, &s->change), 0);
    if (s->change.op == INV_OP_ADD) {
        assert_null(s->change.before);
        assert_non_null(s->change.after);
        inv_buf_printf(&b, "name=%s", s->change.after->name);
    }
    if (s->change.op == INV_OP_REMOVE) {
        assert_non_null(s->change.before);
        assert_null(s->change.after);
        inv_buf_printf(&b, "was=%s", s->change.before->name);
    }
    snprintf(l->text[l->n], sizeof l->text[0], "%s", b.data);
    inv_buf_free(&b);
    l->n++;
    return 0;
}

static void test_history(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    step_log l = {0};
    build(f);

    assert_ok(inv_history(f->r, "SRV-01", log_step, &l, &e), &e);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.version[0], 1);
    assert_int_equal(l.op[0], INV_OP_ADD);
    assert_string_equal(l.text[0], "+ SRV-01\nname=File server");
    assert_int_equal(l.version[1], 2);
    assert_int_equal(l.op[1], INV_OP_EDIT);
    assert_string_equal(l.text[1], "~ SRV-01\n  ip: \"10.0.0.5\" -> \"10.0.0.6\"\n");

    memset(&l, 0, sizeof l);
    assert_ok(inv_history(f->r, "PC-01", log_step, &l, &e), &e);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.version[0], 1);
    assert_int_equal(l.op[0], INV_OP_ADD);
    assert_int_equal(l.version[1], 3);
    assert_int_equal(l.op[1], INV_OP_REMOVE);
    assert_string_equal(l.text[1], "- PC-01\n  reason: stolen, police report 42\nwas=Compta");
    assert_int_equal(l.version[2], 4);
    assert_int_equal(l.op[2], INV_OP_ADD);
    assert_string_equal(l.text[2], "+ PC-01\nname=Compta (replacement)");

    /* Never committed (even when staged): no step, no error. */
    memset(&l, 0, sizeof l);
    stage(f, 1, "NEW-01", "other", "", NULL);
    assert_ok(inv_history(f->r, "NEW-01", log_step, &l, &e), &e);
    assert_ok(inv_history(f->r, "pc-01", log_step, &l, &e), &e);
    assert_int_equal(l.n, 0);

    /* A row slipped in beyond the latest version belongs to no history. */
    tamper(f, "INSERT INTO item(id, since, until, op, kind, name, attrs, reason, digest)"
              " VALUES ('GHOST', 9, NULL, 'A', 'server', 'x', x'', NULL, '0')");
    assert_ok(inv_history(f->r, "GHOST", log_step, &l, &e), &e);
    assert_int_equal(l.n, 0);

    /* A modification of an item that was not in scope contradicts the rows. */
    tamper(f, "UPDATE item SET op = 'M' WHERE id = 'PC-01' AND since = 4");
    assert_err(inv_history(f->r, "PC-01", log_step, &l, &e), &e, INV_FAIL,
               "version 4 modifies 'PC-01', which version 3 removed");
}

static int stop_at_first(void *ctx, const inv_history_step *s)
{
    (void)s;
    ++*(int *)ctx;
    return 42;
}

static void test_history_stops(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    int calls = 0;
    build(f);
    assert_int_equal(inv_history(f->r, "PC-01", stop_at_first, &calls, &e), 42);
    assert_int_equal(calls, 1);
}

/* ---- inv_field_changes ---- */

static int fields_to_buf(void *ctx, const char *field, const char *o, const char *n)
{
    inv_buf_printf(ctx, "%s:%s>%s;", field, o ? o : "-", n ? n : "-");
    return 0;
}

static void test_field_changes(void **state)
{
    (void)state;
    inv_item a, b;
    inv_err e = {0};
    inv_buf out = {0};
    inv_item_init(&a);
    inv_item_init(&b);
    a.id = strdup("X");
    b.id = strdup("X");
    assert_ok(inv_item_set(&a, "kind", "server", &e), &e);
    assert_ok(inv_item_set(&b, "kind", "workstation", &e), &e);
    assert_ok(inv_item_set(&a, "name", "n", &e), &e);
    assert_ok(inv_item_set(&b, "name", "n", &e), &e);
    assert_ok(inv_item_set(&a, "aa", "1", &e), &e);
    assert_ok(inv_item_set(&a, "ip", "1", &e), &e);
    assert_ok(inv_item_set(&b, "ip", "2", &e), &e);
    assert_ok(inv_item_set(&a, "os", "same", &e), &e);
    assert_ok(inv_item_set(&b, "os", "same", &e), &e);
    assert_ok(inv_item_set(&b, "zz", "new", &e), &e);
    assert_int_equal(inv_field_changes(&a, &b, fields_to_buf, &out), 0);
    assert_string_equal(out.data, "kind:server>workstation;aa:1>-;ip:1>2;zz:->new;");
    out.len = 0;
    assert_int_equal(inv_field_changes(&a, &a, fields_to_buf, &out), 0);
    assert_int_equal(out.len, 0);
    /* The item block, as the document writes it (escaped, empty name). */
    assert_ok(inv_item_set(&b, "name", "", &e), &e);
    assert_ok(inv_item_set(&b, "notes", "a\tb\nc\\", &e), &e);
    assert_int_equal(inv_item_format(&out, &b), 0);
    assert_string_equal(out.data, "item: X\n  kind: workstation\n  name:\n  ip: 2\n"
                                  "  notes: a\\tb\\nc\\\\\n  os: same\n  zz: new\n");
    inv_buf_free(&out);
    inv_item_free(&a);
    inv_item_free(&b);
}

/* ---- out_annex_html (output/annex.c) ---- */

static int buf_sink(void *ctx, const void *data, size_t len)
{
    return inv_buf_add(ctx, data, len);
}

static char *report(fx *f, int64_t n, int want, const char *want_msg)
{
    inv_buf b = {0};
    inv_err e = {0};
    int rc = out_annex_html(f->r, n, NULL, NULL, buf_sink, &b, &e);
    if (want == INV_OK) {
        assert_ok(rc, &e);
        return b.data;
    }
    assert_err(rc, &e, want, want_msg);
    assert_int_equal(b.len, 0); /* nothing written */
    inv_buf_free(&b);
    return NULL;
}

static void expect_in(const char *html, const char *want)
{
    if (!strstr(html, want))
        fail_msg("the report lacks \"%s\"", want);
}

static void expect_not_in(const char *html, const char *what)
{
    if (strstr(html, what))
        fail_msg("the report holds \"%s\"", what);
}

static void test_report(void **state)
{
    fx *f = *state;
    build(f);
    stage(f, 0, "SRV-01", "server", "File server <main>", "ip=10.0.0.6",
          "notes=a & b\n<b>bold</b>", NULL);
    assert_int_equal(commit(f, "2026-05-01T10:00:00Z", "Notes"), 5);
    sign(f, 5, 0, "2026-05-02T09:00:00Z");
    sign(f, 5, 1, "2026-05-03T09:00:00Z");
    char *html = report(f, 5, INV_OK, NULL);

    expect_in(html, "<!DOCTYPE html>");
    expect_in(html, "</html>\n");
    /* Every text from the register is escaped. */
    expect_in(html, "ACME &lt;2026&gt; &amp; &quot;annex&quot;");
    expect_in(html, "ACME &lt;script&gt;alert(1)&lt;/script&gt; SA");
    expect_not_in(html, "<script");
    expect_in(html, "File server &lt;main&gt;");
    expect_in(html, "a &amp; b\n&lt;b&gt;bold&lt;/b&gt;");
    expect_not_in(html, "<b>");
    /* The contract in the CSS footer cannot end the string or the style. */
    expect_in(html, "ACME \\3c 2026\\3e  \\26  \\22 annex\\22 ");
    /* Self-contained: no external resource of any kind. */
    expect_not_in(html, "src=");
    expect_not_in(html, "href=");
    expect_not_in(html, "url(");
    expect_not_in(html, "@import");
    expect_not_in(html, "http");
    /* Print layout for A4. */
    expect_in(html, "@page{size:A4;");
    expect_in(html, "@media print");
    expect_in(html, "thead{display:table-header-group}");
    expect_in(html, "break-inside:avoid");
    /* Status, parties, key ids and signature dates. */
    char keyid[CR_KEYID_HEX];
    cr_keyid_hex(f->pk[0].keyid, keyid);
    expect_in(html, keyid);
    cr_keyid_hex(f->pk[1].keyid, keyid);
    expect_in(html, keyid);
    expect_in(html, "<span class=\"status agreed\">agreed</span>");
    expect_in(html, "signed 02.05.2026 11:00");
    expect_in(html, "signed 03.05.2026 11:00");
    expect_in(html, "on 03.05.2026 11:00");
    /* Counts per kind, items grouped by kind. */
    expect_in(html, "<td>Servers</td><td class=\"num\">1</td>");
    expect_in(html, "<td>Workstations</td><td class=\"num\">1</td>");
    expect_in(html, "<h2>Workstations <span class=\"count\">(1)</span></h2>");
    const char *ws = strstr(html, "id=\"kind-workstation\""), *srv = strstr(html, "id=\"kind-server\"");
    assert_non_null(ws);
    assert_non_null(srv);
    assert_true(ws < srv); /* the annex's order: workstations first */
    /* Changes since version 4. */
    expect_in(html, "Changes since version 4");
    expect_in(html, "<span class=\"k\">Name:</span> <del>File server</del>");
    expect_in(html, "<ins>File server &lt;main&gt;</ins>");
    /* The hash and how to verify. */
    inv_version v;
    inv_err e = {0};
    assert_ok(inv_version_get(f->r, 5, &v, &e), &e);
    expect_in(html, v.doc_hash + strlen(CR_HASH_PREFIX));
    inv_version_free(&v);
    expect_in(html, "b2sum -l 256 ACME__2026_____annex_-v5.scope");
    expect_in(html, "minisign -Vm ACME__2026_____annex_-v5.scope -p "
                    "ACME__2026_____annex_.client.pub -x ACME__2026_____annex_-v5.client.minisig");

    /* Deterministic. */
    char *again = report(f, 5, INV_OK, NULL);
    assert_string_equal(html, again);
    free(again);
    free(html);

    /* Version 1 summarises its changes; removals carry their reason;
     * a proposed version says so. */
    html = report(f, 1, INV_OK, NULL);
    expect_in(html, "Version 1 is the initial scope: each of its 2 items is added.");
    free(html);
    html = report(f, 3, INV_OK, NULL);
    expect_in(html, "<span class=\"k\">reason:</span> stolen, police report 42");
    free(html);
    html = report(f, 4, INV_OK, NULL);
    expect_in(html, "<span class=\"status proposed\">proposed</span>");
    expect_in(html, "not signed");
    free(html);
    html = report(f, 2, INV_OK, NULL);
    expect_in(html, "<span class=\"status partial\">signed by provider</span>");
    free(html);
    report(f, 9, INV_EINPUT, "no version 9");
}

static void test_report_refuses_broken(void **state)
{
    fx *f = *state;
    build(f);
    /* A signature row altered: refused, nothing written. */
    tamper(f, "UPDATE signature SET signed_at = '2026-01-11T00:00:00Z'"
              " WHERE version = 3 AND role = 'client'");
    report(f, 3, INV_FAIL, "stored client signature of version 3 does not hold");
    /* The recorded hash altered: refused. */
    tamper(f, "UPDATE version SET hash = 'blake2b-256:" /* 64 zeros */
              "0000000000000000000000000000000000000000000000000000000000000000'"
              " WHERE number = 4");
    report(f, 4, INV_FAIL, "does not re-render to its recorded hash");
}

/* ---- the chain of rows: inv_version_check, inv_verify, inv_commit ---- */

/* What verify said of each version (build makes 4). */
typedef struct verdicts {
    int ok[8];
    char reason[8][4096];
} verdicts;

static int keep_verdict(void *ctx, const inv_check *c)
{
    verdicts *v = ctx;
    if (c->version >= 1 && c->version < 8) {
        v->ok[c->version] = c->ok;
        snprintf(v->reason[c->version], sizeof v->reason[0], "%s", c->ok ? "" : c->reason);
    }
    return 0;
}

/* One way of editing the item rows behind the tool's back. */
typedef struct chain_case {
    const char *sql;
    int64_t version;       /* what inv_version_check refuses first */
    const char *check_msg; /* in its message */
    const char *verify_msg; /* in verify's reason for that version */
} chain_case;

/* The history of build(): SRV-01 added (v1) and modified (v2), PC-01
 * added (v1), removed (v3) and added again (v4). */
static const chain_case chain_cases[] = {
    /* PC-01's first row ends at 2, where nothing changes it. */
    {"UPDATE item SET until = 2 WHERE id = 'PC-01' AND since = 1", 2,
     "version 2: item 'PC-01': its row ends at version 2 but version 2 records no change of "
     "'PC-01'",
     "item 'PC-01': its row ends at version 2 but version 2 records no change of 'PC-01'"},
    /* The removal of v3 while PC-01's row stays open. */
    {"UPDATE item SET until = NULL WHERE id = 'PC-01' AND since = 1", 3,
     "version 3 removes 'PC-01' but it is still listed (its row of version 1 stays in scope)",
     "version 3 removes 'PC-01' but it is still listed (its row of version 1 stays in scope)"},
    /* A modification that changes nothing. */
    {"UPDATE item SET attrs = (SELECT attrs FROM item WHERE id = 'SRV-01' AND since = 1)"
     " WHERE id = 'SRV-01' AND since = 2",
     2, "version 2 modifies 'SRV-01' without changing it",
     "version 2 modifies 'SRV-01' without changing it"},
    /* A modification turned into an addition of a listed item. */
    {"UPDATE item SET op = 'A' WHERE id = 'SRV-01' AND since = 2", 2,
     "version 2 adds 'SRV-01' but version 1 lists it",
     "version 2 adds 'SRV-01' but version 1 lists it"},
    /* The addition of SRV-01 deleted: v2 modifies what v1 never listed. */
    {"DELETE FROM item WHERE id = 'SRV-01' AND since = 1", 2,
     "version 2 modifies 'SRV-01', which version 1 does not list",
     "version 2 modifies 'SRV-01', which version 1 does not list"},
    /* Two removals of PC-01 at v3. */
    {"INSERT INTO item(id, since, until, op, kind, name, attrs, reason, digest)"
     " SELECT id, since, until, op, kind, name, attrs, 'again', digest FROM item"
     " WHERE id = 'PC-01' AND op = 'R'",
     3, "item 'PC-01' has two rows at version 3", "item 'PC-01' has two rows at version 3"},
    /* A removal row that stays in scope. */
    {"UPDATE item SET until = NULL WHERE id = 'PC-01' AND op = 'R'", 3,
     "version 3: item 'PC-01': its row of version 3 ends where its kind of change cannot",
     "item 'PC-01': its removal row of version 3 stays in scope"},
    /* A modification that ends where it begins. */
    {"UPDATE item SET until = 2 WHERE id = 'SRV-01' AND since = 2", 2,
     "version 2: item 'SRV-01': its row of version 2 ends where its kind of change cannot",
     "item 'SRV-01': its row of version 2 ends at version 2, not after it"},
    /* The re-addition of v4 made a modification of a removed item. */
    {"UPDATE item SET op = 'M' WHERE id = 'PC-01' AND since = 4", 4,
     "version 4 modifies 'PC-01', which version 3 does not list",
     "version 4 modifies 'PC-01', which version 3 removed"},
};

static void test_chain_case(void **state)
{
    fx *f = *state;
    const chain_case *c = f->arg;
    inv_err e = {0};
    verdicts v;
    build(f);
    for (int64_t n = 1; n <= 4; n++)
        assert_ok(inv_version_check(f->r, n, &e), &e);
    tamper(f, c->sql);
    /* versions before the one edited still follow */
    for (int64_t n = 1; n < c->version; n++)
        assert_ok(inv_version_check(f->r, n, &e), &e);
    assert_err(inv_version_check(f->r, c->version, &e), &e, INV_FAIL, c->check_msg);
    assert_non_null(strstr(e.msg, "run 'scopereg verify'"));
    memset(&v, 0, sizeof v);
    assert_err(inv_verify(f->r, keep_verdict, &v, &e), &e, INV_FAIL, "does not hold");
    if (v.ok[c->version] || !strstr(v.reason[c->version], c->verify_msg))
        fail_msg("verify of version %lld: expected \"%s\" in \"%s\"", (long long)c->version,
                 c->verify_msg, v.reason[c->version]);
    for (int64_t n = 1; n < c->version; n++)
        if (!v.ok[n] && strstr(v.reason[n], "item '"))
            fail_msg("verify blames version %lld for an item: %s", (long long)n, v.reason[n]);
    /* Nothing is signed or attached on top of it. */
    unsigned char prehash[CR_PREHASH_BYTES];
    char hash[CR_HASH_STR_LEN];
    inv_close(f->r);
    assert_ok(inv_open(f->path, 1, &f->r, &e), &e);
    assert_err(inv_doc_digests(f->r, c->version, prehash, hash, &e), &e, INV_FAIL,
               c->check_msg);
}

/* inv_history checks the item's rows before it reports a step. */
static int count_steps(void *ctx, const inv_history_step *s)
{
    (void)s;
    ++*(int *)ctx;
    return 0;
}

static void test_chain_history_commit(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    int steps = 0;
    int64_t n = 0, latest;
    build(f);
    /* SRV-01 ended at version 3, where nothing changes it. */
    tamper(f, "UPDATE item SET until = 3 WHERE id = 'SRV-01' AND since = 2");
    assert_err(inv_history(f->r, "SRV-01", count_steps, &steps, &e), &e, INV_FAIL,
               "version 3: item 'SRV-01': its row ends at version 3 but version 3 records no "
               "change of 'SRV-01'");
    assert_int_equal(steps, 0);
    assert_ok(inv_history(f->r, "PC-01", count_steps, &steps, &e), &e);
    assert_int_equal(steps, 3);
    tamper(f, "UPDATE item SET until = NULL WHERE id = 'SRV-01' AND since = 2");
    assert_ok(inv_history(f->r, "SRV-01", count_steps, &steps, &e), &e);

    /* A row made to end at the next version: commit refuses it and writes
     * nothing. */
    tamper(f, "UPDATE item SET until = 5 WHERE id = 'SRV-01' AND since = 2");
    stage(f, 1, "PC-02", "workstation", "New", NULL);
    assert_err(inv_commit(f->r, "five", "jm", tu_time("2026-05-01T00:00:00Z"), &n, &e), &e,
               INV_FAIL, "refusing to commit: version 5: item 'SRV-01': its row ends at "
               "version 5 but version 5 records no change of 'SRV-01'");
    assert_ok(inv_latest(f->r, &latest, &e), &e);
    assert_int_equal(latest, 4);
    int64_t staged = 0;
    assert_ok(inv_stage_count(f->r, &staged, &e), &e);
    assert_int_equal(staged, 1);
    /* verify names it on the latest version: version 5 does not exist */
    verdicts v;
    memset(&v, 0, sizeof v);
    assert_err(inv_verify(f->r, keep_verdict, &v, &e), &e, INV_FAIL, "does not hold");
    assert_non_null(strstr(v.reason[4], "its row ends at version 5"));
    assert_non_null(strstr(v.reason[4], "(there is no version 5)"));
    /* Put right, the same commit goes through. */
    tamper(f, "UPDATE item SET until = NULL WHERE id = 'SRV-01' AND since = 2");
    assert_ok(inv_commit(f->r, "five", "jm", tu_time("2026-05-01T00:00:00Z"), &n, &e), &e);
    assert_int_equal(n, 5);
    assert_ok(inv_version_check(f->r, 5, &e), &e);
    assert_ok(inv_verify(f->r, NULL, NULL, &e), &e);

    /* A row slipped in for the next version: refused. */
    tamper(f, "INSERT INTO item(id, since, until, op, kind, name, attrs, reason, digest)"
              " VALUES ('EVIL', 6, NULL, 'A', 'server', 'x', x'', NULL, '0')");
    stage(f, 1, "PC-03", "workstation", "New", NULL);
    assert_err(inv_commit(f->r, "six", "jm", tu_time("2026-06-01T00:00:00Z"), &n, &e), &e,
               INV_FAIL, "a row of item 'EVIL' already names version 6");
}

/* The same key for both parties: no version is committed or checked. */
static void test_chain_same_key(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    char b64[CR_PUBKEY_B64], hex[CR_KEYID_HEX], sql[512], want[128];
    int64_t n;
    build(f);
    cr_pubkey_base64(&f->pk[0], b64, sizeof b64);
    cr_keyid_hex(f->pk[0].keyid, hex);
    snprintf(want, sizeof want, "the provider and the client hold the same key %s", hex);
    /* staged behind the tool's back as the client's new key */
    snprintf(sql, sizeof sql, "INSERT INTO meta(key, value) VALUES ('staged-key:client', '%s')",
             b64);
    tamper(f, sql);
    assert_err(inv_commit(f->r, "five", "jm", tu_time("2026-05-01T00:00:00Z"), &n, &e), &e,
               INV_FAIL, want);
    tamper(f, "DELETE FROM meta WHERE key = 'staged-key:client'");
    /* written as the client's key from version 4 on */
    snprintf(sql, sizeof sql, "INSERT INTO party_key(role, since, key_id, public_key)"
             " VALUES ('client', 4, '%s', '%s')", hex, b64);
    tamper(f, sql);
    assert_ok(inv_version_check(f->r, 3, &e), &e);
    assert_err(inv_version_check(f->r, 4, &e), &e, INV_FAIL, want);
    verdicts v;
    memset(&v, 0, sizeof v);
    assert_err(inv_verify(f->r, keep_verdict, &v, &e), &e, INV_FAIL, "does not hold");
    assert_non_null(strstr(v.reason[4], want));
    assert_true(v.ok[3]);
}

/* ---- trusted comments: exactly the grammar ---- */

#define RID "ba2901a8c2ede5acd656d85ae8cbe716"
#define DOC "blake2b-256:0ff42a0ea1ca94c50b0b537d5c277150ea2c2e262da94673672810f60f032db2"
#define TC_OK "scopereg register:" RID " version:4 role:client document:" DOC \
              " signed:2026-02-02T09:00:00Z"

static void test_tc_strict(void **state)
{
    (void)state;
    inv_tc tc;
    inv_err e = {0};
    char out[512];
    assert_ok(inv_tc_parse(TC_OK, &tc, &e), &e);
    assert_int_equal(tc.version, 4);
    inv_tc_format(&tc, out, sizeof out);
    assert_string_equal(out, TC_OK);
    static const struct {
        const char *text, *want;
    } bad[] = {
        {"scopereg I DO NOT AGREE status:REJECTED register:" RID " version:4 role:client "
         "document:" DOC " signed:2026-02-02T09:00:00Z",
         "unexpected text 'I DO NOT AGREE status:REJECTED' after 'scopereg'; a scope-document "
         "signature's trusted comment is exactly: scopereg register:"},
        {"scopereg register:" RID " version:4 version:5 role:client document:" DOC
         " signed:2026-02-02T09:00:00Z",
         "'version:' appears twice ('version:4' and 'version:5')"},
        {TC_OK " status:REJECTED", "unexpected text 'status:REJECTED' after "
                                   "'signed:2026-02-02T09:00:00Z'"},
        {TC_OK " ", "a space after 'signed:2026-02-02T09:00:00Z' at the end"},
        {"scopereg register:" RID " role:client version:4 document:" DOC
         " signed:2026-02-02T09:00:00Z",
         "'version:' is missing: 'role:' comes after 'register:" RID "'"},
        {"scopereg register:" RID " version:4 role:client NOTE document:" DOC
         " signed:2026-02-02T09:00:00Z",
         "unexpected text 'NOTE' after 'role:client'"},
        {"scopereg register:" RID "  version:4 role:client document:" DOC
         " signed:2026-02-02T09:00:00Z",
         "two spaces after 'register:" RID "'"},
        {"scopereg  register:" RID " version:4 role:client document:" DOC
         " signed:2026-02-02T09:00:00Z",
         "two spaces after 'scopereg'"},
        {"scopereg register:" RID " version:04 role:client document:" DOC
         " signed:2026-02-02T09:00:00Z",
         "version: '04' is not a version number"},
        {"scopereg register:" RID " version:0 role:client document:" DOC
         " signed:2026-02-02T09:00:00Z",
         "version: '0' is not a version number"},
        {"scopereg register:" RID " version:+4 role:client document:" DOC
         " signed:2026-02-02T09:00:00Z",
         "version: '+4' is not a version number"},
        {"scopereg register:BA2901A8C2EDE5ACD656D85AE8CBE716 version:4 role:client document:" DOC
         " signed:2026-02-02T09:00:00Z",
         "register: 'BA2901A8C2EDE5ACD656D85AE8CBE716' is not a register id"},
        {"scopereg register:" RID "0 version:4 role:client document:" DOC
         " signed:2026-02-02T09:00:00Z",
         "is not a register id (32 lower-case hex digits)"},
        {"scopereg register:" RID " version:4 role:Client document:" DOC
         " signed:2026-02-02T09:00:00Z",
         "role: 'Client' must be provider or client"},
        {"scopereg register:" RID " version:4 role:client document:" DOC "00"
         " signed:2026-02-02T09:00:00Z",
         "document: 'blake2b-256:0ff42a0ea1ca94c50b0b537d5c277150ea2c2e262da94673..."},
        {"scopereg register:" RID " version:4 role:client document:" DOC
         " signed:2026-02-02T09:00:00+00:00",
         "signed: '2026-02-02T09:00:00+00:00' is not a date YYYY-MM-DDTHH:MM:SSZ"},
        {"scopereg register:" RID " version:4 role:client document:" DOC
         " signed:2026-02-30T09:00:00Z",
         "signed: '2026-02-30T09:00:00Z' is not a date"},
        {"scopereg register:" RID " version:4 role:client document:" DOC
         " signed:2026-02-02t09:00:00Z",
         "is not a date"},
        {"scopereg register:" RID " version:4 role:client document:" DOC,
         "'signed:' is missing after 'document:blake2b-256:"},
        {"scopereg register:" RID " version:4 role:client document:" DOC
         " signed:2026-02-02T09:00:00Z signed:2026-02-03T09:00:00Z",
         "unexpected text 'signed:2026-02-03T09:00:00Z' after 'signed:2026-02-02T09:00:00Z'"},
        {"scopereg register:" RID "\tversion:4 role:client document:" DOC
         " signed:2026-02-02T09:00:00Z",
         "register: '" RID "\\x09version:4' is not a register id"},
        /* control bytes are never echoed raw */
        {"scopereg \x1b[2J\x1b[1;1Hsigned version 4 register:" RID " version:4 role:client "
         "document:" DOC " signed:2026-02-02T09:00:00Z",
         "unexpected text '\\x1b[2J\\x1b[1;1Hsigned version 4' after 'scopereg'"},
        {"scopereg", "does not start with 'scopereg '"},
        {"Scopereg register:" RID, "does not start with 'scopereg '"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        memset(&e, 0, sizeof e);
        int rc = inv_tc_parse(bad[i].text, &tc, &e);
        if (rc != INV_EINPUT || !strstr(e.msg, bad[i].want))
            fail_msg("case %zu: expected \"%s\", got %d: \"%s\"", i, bad[i].want, rc, e.msg);
        for (const char *p = e.msg; *p; p++)
            if ((unsigned char)*p < 0x20 || *p == 0x7f)
                fail_msg("case %zu: control byte in the message", i);
    }
    /* Whatever parses writes back to the very same text. */
    static const char *const good[] = {
        TC_OK,
        "scopereg register:" RID " version:123456789012345678 role:provider document:" DOC
        " signed:1999-12-31T23:59:59Z",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        assert_ok(inv_tc_parse(good[i], &tc, &e), &e);
        inv_tc_format(&tc, out, sizeof out);
        assert_string_equal(out, good[i]);
    }
}

int main(void)
{
    cr_err ce = {0};
    if (cr_init(&ce) != CR_OK) {
        fprintf(stderr, "cr_init: %s\n", ce.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_agreed_at),
        cmocka_unit_test(test_field_changes),
        cmocka_unit_test_setup_teardown(test_in_force, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_in_force_late_countersignature, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_sigs_check, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_history, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_history_stops, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_report, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_report_refuses_broken, fx_setup, fx_teardown),
        cmocka_unit_test(test_tc_strict),
        cmocka_unit_test_setup_teardown(test_chain_history_commit, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_chain_same_key, fx_setup, fx_teardown),
#define CHAIN_CASE(i)                                                                        \
    cmocka_unit_test_prestate_setup_teardown(test_chain_case, fx_setup, fx_teardown,         \
                                             (void *)&chain_cases[i])
        CHAIN_CASE(0), CHAIN_CASE(1), CHAIN_CASE(2), CHAIN_CASE(3), CHAIN_CASE(4),
        CHAIN_CASE(5), CHAIN_CASE(6), CHAIN_CASE(7), CHAIN_CASE(8),
#undef CHAIN_CASE
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
