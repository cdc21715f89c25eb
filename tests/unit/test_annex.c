/* test_annex.c - unit tests of the HTML annex's words table (output/annex.c) and of
 * what a report reads from the register (work/report.c): counts per kind, items of a
 * kind. The annex's content, escaping and refusals are tested in test_history.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory.h"
#include "output.h"
#include "testutil.h"

/* The register of every test here (tests/unit/testutil.h). */
typedef tu_reg fx;

static int buf_sink(void *ctx, const void *data, size_t len)
{
    return inv_buf_add(ctx, data, len);
}

static char *annex(fx *f, int64_t n, const out_annex_words *w)
{
    inv_buf b = {0};
    inv_err e = {0};
    assert_ok(out_annex_html(f->r, n, NULL, w, buf_sink, &b, &e), &e);
    assert_non_null(b.data);
    return b.data;
}

/* Every word replaced by a marker naming it, with the values it names. */
#define M(name) "[" #name "]"
static const out_kind_title marker_kinds[] = {{"workstation", "[kind workstation]"}};
static const out_annex_words markers = {
    .lang = "xx",
    .title = "[title %1 %2]",
    .print_version = "printversion",
    .print_page = "printpage",
    .annex_of = "[annex_of %1]",
    .heading = M(heading),
    .sub_version = "[sub_version %1 %2]",
    .items_one = "[items_one %1]",
    .items_many = "[items_many %1]",
    .status_agreed = M(status_agreed),
    .status_proposed = M(status_proposed),
    .status_signed_by = {M(status_signed_by0), M(status_signed_by1)},
    .parties_title = M(parties_title),
    .th_role = M(th_role),
    .th_party = M(th_party),
    .th_key = M(th_key),
    .th_signature = M(th_signature),
    .role = {M(role0), M(role1)},
    .signed_on = "[signed_on %1]",
    .partly_signed = M(partly_signed),
    .not_signed = M(not_signed),
    .status_of = "[status_of %1]",
    .agreed_on = "[agreed_on %1]",
    .not_agreed = M(not_agreed),
    .version_title = M(version_title),
    .label_contract = M(label_contract),
    .label_register = M(label_register),
    .label_version = M(label_version),
    .label_date = M(label_date),
    .label_author = M(label_author),
    .label_message = M(label_message),
    .label_previous = M(label_previous),
    .no_previous = M(no_previous),
    .label_document = M(label_document),
    .summary_title = M(summary_title),
    .th_kind = M(th_kind),
    .th_items = M(th_items),
    .total = M(total),
    .changes_since = "[changes_since %1]",
    .changes_since_start = M(changes_since_start),
    .initial_scope = "[initial_scope %1]",
    .th_change = M(th_change),
    .th_item = M(th_item),
    .th_details = M(th_details),
    .op = {M(op0), M(op1), M(op2)},
    .no_value = M(no_value),
    .reason = M(reason),
    .key_replaced = M(key_replaced),
    .key_both = M(key_both),
    .role_lower = {M(role_lower0), M(role_lower1)},
    .th_id = M(th_id),
    .th_name = M(th_name),
    .th_attributes = M(th_attributes),
    .kinds = marker_kinds,
    .nkinds = 1,
    .verify_title = M(verify_title),
    .verify_intro = "[verify_intro %1 %2 %1]",
    .verify_hash = "[verify_hash %1]",
    .verify_sigs = "[verify_sigs %1 %2]",
    .verify_tool = M(verify_tool),
    .footer = "[footer %1]",
};

static void expect_in(const char *html, const char *want)
{
    if (!strstr(html, want))
        fail_msg("the annex lacks \"%s\"", want);
}

/* The words of the English table that no register value, CSS rule or
 * command line of the page holds: none may remain with another table. */
static void expect_no_english(const char *html)
{
    const out_annex_words *w = &out_annex_en;
    const char *words[] = {
        w->heading, w->parties_title, w->th_signature, w->partly_signed, w->not_agreed,
        w->label_previous, w->no_previous, w->label_document, w->summary_title,
        w->changes_since_start, w->th_details, w->key_both, w->th_attributes,
        w->verify_title, w->verify_tool, "technical scope, version", "Annex to contract",
        "Status of version", "Changes since version", "Version 1 is the initial scope",
        "This page presents", "The document is the one", "Each party signed it",
        "Rendered by scopereg", "scope version", "content:\"page", "Workstations",
        "lang=\"en\"", ">Provider<", ">Client<", ">not signed<", ">Total<", ">Kind<", ">Id<",
        ">Name<", ">Date<", ">Author<", ">Message<", ">Contract<", ">Register<",
        ">modified<", ">removed<", ">added<", "reason:", ">proposed<",
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strstr(html, words[i]))
            fail_msg("English words \"%s\" remain with another table", words[i]);
}

static void test_words_table(void **state)
{
    fx *f = *state;
    tu_build_history(f->r);

    /* NULL is the English table. */
    char *en = annex(f, 2, NULL), *en2 = annex(f, 2, &out_annex_en);
    assert_string_equal(en, en2);
    free(en2);
    expect_in(en, "<html lang=\"en\">");
    expect_in(en, "<h2>Changes since version 1</h2>");
    expect_in(en, "<td>Servers</td>");

    /* Another table changes every word, and only the words. */
    char *x = annex(f, 2, &markers);
    expect_no_english(x);
    expect_in(x, "<html lang=\"xx\">");
    expect_in(x, "<title>[title ACME-2026-01 2]</title>");
    expect_in(x, " \\2014  printversion 2\";");
    expect_in(x, "content:\"printpage \" counter(page)");
    expect_in(x, "<p class=\"annex\">[annex_of ACME-2026-01]</p>");
    expect_in(x, "<h1>[heading]</h1>");
    expect_in(x, "[sub_version 2 2026-02-01T10:00:00Z]");
    expect_in(x, "<span class=\"status proposed\">[status_proposed]</span>");
    expect_in(x, "[items_many 5]");
    expect_in(x, "<th>[th_role]</th><th>[th_party]</th><th>[th_key]</th><th>[th_signature]</th>");
    expect_in(x, "<tr><td>[role0]</td><td>Helvetia IT SA</td>");
    expect_in(x, "<tr><td>[role1]</td><td>ACME SA</td>");
    expect_in(x, "<span class=\"none\">[not_signed]</span>");
    expect_in(x, "<p>[status_of 2]<span class=\"status proposed\">");
    expect_in(x, "</span>[not_agreed]</p>");
    expect_in(x, "<h2>[version_title]</h2>");
    expect_in(x, "<tr><th>[label_contract]</th><td>ACME-2026-01</td></tr>");
    expect_in(x, "<tr><th>[label_version]</th><td>2</td></tr>");
    expect_in(x, "<tr><th>[label_date]</th><td>2026-02-01T10:00:00Z</td></tr>");
    expect_in(x, "<tr><th>[label_previous]</th><td class=\"hash\">blake2b-256:");
    expect_in(x, "<tr><th>[label_document]</th><td class=\"hash\">blake2b-256:");
    expect_in(x, "<h2>[summary_title]</h2>");
    expect_in(x, "<tr class=\"total\"><td>[total]</td>");
    expect_in(x, "<h2>[changes_since 1]</h2>");
    expect_in(x, "<th>[th_change]</th><th>[th_item]</th><th>[th_details]</th>");
    /* The class stays the same in every language; the word changes. */
    expect_in(x, "<tr class=\"modified\"><td class=\"op\">[op1]</td>");
    expect_in(x, "<tr class=\"removed\"><td class=\"op\">[op2]</td>");
    expect_in(x, "<tr class=\"added\"><td class=\"op\">[op0]</td>");
    expect_in(x, "<span class=\"k\">[reason]</span> stolen, police report 42");
    expect_in(x, "<span class=\"none\">[no_value]</span>");
    /* A kind the table names takes its title; the others the kinds table's. */
    expect_in(x, "<h2>[kind workstation] <span class=\"count\">");
    expect_in(x, "<td>Servers</td>");
    expect_in(x, "<th>[th_id]</th><th>[th_name]</th><th>[th_attributes]</th>");
    expect_in(x, "<h2>[verify_title]</h2>");
    expect_in(x, "[verify_intro 2 ACME-2026-01-v2.scope 2]");
    expect_in(x, "<li>[verify_hash ");
    expect_in(x, "[verify_sigs ");
    expect_in(x, "<li>[verify_tool]</li>");
    expect_in(x, "<footer>[footer ");
    free(x);
    free(en);

    /* Version 1: the words of a first version. */
    x = annex(f, 1, &markers);
    expect_no_english(x);
    expect_in(x, "<h2>[changes_since_start]</h2>\n<p>[initial_scope 5]</p>");
    expect_in(x, "<td class=\"hash\">[no_previous]</td>");
    free(x);
}

typedef struct ids {
    inv_buf b;
    int stop_at, n;
} ids;

static int collect(void *ctx, const inv_item *it)
{
    ids *c = ctx;
    inv_buf_printf(&c->b, "%s:%s:%s;", it->id, it->kind, it->name);
    return ++c->n == c->stop_at ? 7 : 0;
}

static void test_report_reads(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    inv_kind_count *k = NULL;
    size_t nk = 9;
    tu_build_history(f->r);

    assert_ok(inv_kind_counts(f->r, 1, &k, &nk, &e), &e);
    assert_int_equal(nk, 4);
    const char *want[] = {"network", "server", "software", "workstation"};
    const int64_t count[] = {1, 1, 1, 2};
    for (size_t i = 0; i < nk; i++) {
        assert_string_equal(k[i].kind, want[i]);
        assert_int_equal(k[i].count, count[i]);
    }
    inv_kind_counts_free(k, nk);
    /* no version 0: no kind, nothing to free */
    assert_ok(inv_kind_counts(f->r, 0, &k, &nk, &e), &e);
    assert_int_equal(nk, 0);
    assert_null(k);

    ids c = {{0}, 0, 0};
    assert_ok(inv_items_of_kind(f->r, 1, "workstation", collect, &c, &e), &e);
    assert_string_equal(c.b.data, "PC-010:workstation:Poste compta;pc-001:workstation:;");
    c.b.len = 0;
    c.n = 0;
    assert_ok(inv_items_of_kind(f->r, 1, "vpn", collect, &c, &e), &e);
    assert_int_equal(c.n, 0);
    /* fn's non-zero answer stops the walk and is returned */
    c.stop_at = 1;
    assert_int_equal(inv_items_of_kind(f->r, 1, "workstation", collect, &c, &e), 7);
    assert_int_equal(c.n, 1);
    inv_buf_free(&c.b);

    /* The check a report makes: version 1 re-renders to its hash, no signature. */
    assert_ok(inv_report_check(f->r, 1, &e), &e);
    assert_int_equal(inv_report_check(f->r, 9, &e), INV_EINPUT);
}

int main(void)
{
    cr_err ce = {0};
    if (cr_init(&ce) != CR_OK) {
        fprintf(stderr, "cr_init: %s\n", ce.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_words_table, tu_reg_setup_default, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_report_reads, tu_reg_setup_default,
                                        tu_reg_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
