/* test_annex.c - unit tests of the HTML annex's words tables (output/annex.c,
 * output/annex_words.c), of what a report reads from the register (work/report.c):
 * counts per kind, items of a kind; and of Swiss times and numbers (output/swiss.c).
 * The annex's content, escaping and refusals are tested in test_history.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "inventory.h"
#include "output.h"
#include "swiss.h"
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
static const out_kind_title marker_kinds[] = {{"workstation", "[kind workstation]", NULL}};
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
    .services_title = M(services_title),
    .th_service = M(th_service),
    .th_description = M(th_description),
    .no_services = M(no_services),
    .exclusions_title = M(exclusions_title),
    .exclusions_intro = M(exclusions_intro),
    .no_exclusions = M(no_exclusions),
    .levels_title = M(levels_title),
    .levels_intro = M(levels_intro),
    .th_level = M(th_level),
    .level = {M(level0), M(level1), M(level2), M(level3)},
    .label_hours = M(label_hours),
    .label_availability = M(label_availability),
    .label_response = M(label_response),
    .label_resolution = M(label_resolution),
    .no_classes = M(no_classes),
    .duration = {"[min %1]", "[h %1]", "[d %1]"},
    .defaults_title = M(defaults_title),
    .defaults_intro = M(defaults_intro),
    .no_defaults = M(no_defaults),
    .th_services = M(th_services),
    .th_sla = M(th_sla),
    .cov_none = M(cov_none),
    .cov_kind_default = M(cov_kind_default),
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
        /* the functional scope */
        w->services_title, w->no_services, w->exclusions_intro, w->no_exclusions,
        w->levels_title, w->levels_intro, w->th_level, w->no_classes, w->defaults_title,
        w->defaults_intro, w->no_defaults, w->cov_kind_default, w->label_hours,
        w->label_response, w->label_resolution, ">Critical<", ">Improvement<",
        ">Service level<", ">none<",
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
    /* a scope-register/2 version without terms: each section says so */
    expect_in(x, "<h2>[services_title]</h2>\n<p><span class=\"none\">[no_services]</span></p>");
    expect_in(x, "<h2>[exclusions_title]</h2>\n<p><span class=\"none\">[no_exclusions]</span>");
    expect_in(x, "<h2>[levels_title]</h2>\n<p><span class=\"none\">[no_classes]</span>");
    expect_in(x, "<h2>[defaults_title]</h2>\n<p><span class=\"none\">[no_defaults]</span>");
    expect_in(x, "<span class=\"k\">[th_services]:</span> <span class=\"none\">[cov_none]</span>"
                 " <span class=\"k\">[cov_kind_default]</span>");
    free(x);
    free(en);

    /* Version 1: the words of a first version. */
    x = annex(f, 1, &markers);
    expect_no_english(x);
    expect_in(x, "<h2>[changes_since_start]</h2>\n<p>[initial_scope 5]</p>");
    expect_in(x, "<td class=\"hash\">[no_previous]</td>");
    free(x);
}

/* A term of type with fields key, value... (NULL-terminated), staged. */
static void stage_term(inv_register *r, int type, const char *id, ...)
{
    inv_term t;
    inv_err e = {0};
    va_list ap;
    inv_term_init(&t);
    t.type = type;
    t.id = strdup(id);
    va_start(ap, id);
    for (const char *k; (k = va_arg(ap, const char *)) != NULL;) {
        const char *v = va_arg(ap, const char *);
        assert_ok(inv_term_set(&t, k, v, &e), &e);
    }
    va_end(ap);
    assert_ok(inv_stage_term_add(r, &t, &e), &e);
    inv_term_free(&t);
}

/* The functional scope: services with descriptions, exclusions, the grid
 * of levels by classes, the kind defaults and each item's coverage, in
 * the table's words. */
static void test_functional_scope(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    stage_term(f->r, INV_TERM_SERVICE, "backup", "name", "Daily backup", "description",
               "Off-site <copy>, 30 days", NULL);
    stage_term(f->r, INV_TERM_SERVICE, "monitoring", "name", "Monitoring", NULL);
    stage_term(f->r, INV_TERM_EXCLUSION, "Hardware supply", NULL);
    stage_term(f->r, INV_TERM_CLASS, "gold", "name", "Gold", "hours", "24/7", "availability",
               "99.9%", "response critical", "1h", "resolution critical", "4h",
               "resolution improvement", "2d", NULL);
    stage_term(f->r, INV_TERM_CLASS, "silver", "name", "Silver", "response major", "30min",
               NULL);
    assert_ok(inv_stage_kind_default(f->r, "server", "backup,monitoring", "gold", &e), &e);
    tu_stage_add(f->r, "SRV-01", "server", "File server", NULL);
    tu_stage_add(f->r, "PC-01", "workstation", "Compta", NULL);
    assert_ok(inv_stage_coverage(f->r, "PC-01", "monitoring", "silver", &e), &e);
    assert_int_equal(tu_commit(f->r, "2026-01-10T09:00:00Z", "jm", "one"), 1);
    assert_ok(inv_stage_coverage(f->r, "SRV-01", "monitoring", NULL, &e), &e);
    assert_int_equal(tu_commit(f->r, "2026-02-10T09:00:00Z", "jm", "two"), 2);

    char *en = annex(f, 2, NULL);
    expect_in(en, "<h2>Functional scope: services</h2></th></tr>\n<tr><th>Service</th>"
                  "<th>Name</th><th>Description</th>");
    expect_in(en, "<tr><td class=\"id\">backup</td><td>Daily backup</td>"
                  "<td>Off-site &lt;copy&gt;, 30 days</td></tr>");
    expect_in(en, "<li>Hardware supply</li>");
    expect_in(en, "<th>Gold <span class=\"id\">(gold)</span></th>"
                  "<th>Silver <span class=\"id\">(silver)</span></th>");
    expect_in(en, "<tr><th>Critical</th><td><span class=\"k\">taken in charge within</span> 1 h"
                  "<br><span class=\"k\">resolved within</span> 4 h</td>"
                  "<td><span class=\"none\">(none)</span></td></tr>");
    expect_in(en, "<tr><th>Major</th><td><span class=\"none\">(none)</span></td>"
                  "<td><span class=\"k\">taken in charge within</span> 30 min</td></tr>");
    expect_in(en, "<span class=\"k\">resolved within</span> 2 d");
    expect_in(en, "<tr><th>Support hours</th><td>24/7</td>");
    expect_in(en, "<tr><th>Availability</th><td>99.9%</td>");
    expect_in(en, "<tr><td>Servers</td><td>backup, monitoring</td><td>gold</td></tr>");
    /* each item's coverage, the kind's default marked */
    expect_in(en, "<td class=\"id\">SRV-01</td><td class=\"name\">File server</td><td>"
                  "<ul class=\"attrs cov\"><li><span class=\"k\">Services:</span> monitoring"
                  "</li><li><span class=\"k\">Service level:</span> gold "
                  "<span class=\"k\">(kind default)</span></li></ul>");
    expect_in(en, "<span class=\"k\">Services:</span> monitoring</li><li>"
                  "<span class=\"k\">Service level:</span> silver</li>");
    /* the change of SRV-01's coverage, in words */
    expect_in(en, "<span class=\"k\">Services:</span> <del>backup, monitoring "
                  "<span class=\"k\">(kind default)</span></del> \xe2\x86\x92 "
                  "<ins>monitoring</ins>");
    free(en);
    const out_annex_words *tables[] = {&out_annex_fr, &out_annex_de, &out_annex_it};
    for (size_t i = 0; i < 3; i++) {
        char *x = annex(f, 2, tables[i]);
        const char *english[] = {"(kind default)", "Functional scope", "taken in charge within",
                                 "resolved within", "Support hours", ">Critical<", ">Major<",
                                 "Default coverage", ">Service level<"};
        for (size_t k = 0; k < sizeof english / sizeof english[0]; k++)
            if (strstr(x, english[k]))
                fail_msg("the %s page says \"%s\"", tables[i]->lang, english[k]);
        expect_in(x, tables[i]->services_title);
        expect_in(x, tables[i]->cov_kind_default);
        expect_in(x, tables[i]->level[3]);
        free(x);
    }
    char *fr = annex(f, 2, &out_annex_fr);
    expect_in(fr, "<span class=\"k\">prise en charge sous</span> 1\xc2\xa0h");
    expect_in(fr, "<span class=\"k\">r\xc3\xa9solution sous</span> 2\xc2\xa0j");
    free(fr);
}

/* ---- Swiss times and numbers (output/swiss.c) ---- */

static void expect_time(const char *utc, int offset, const char *want)
{
    char got[OUT_SWISS_TIME_LEN];
    int64_t t = tu_time(utc);
    if (out_zurich_offset(t) != offset)
        fail_msg("%s: offset %d, want %d", utc, out_zurich_offset(t), offset);
    out_swiss_time(t, got);
    if (strcmp(got, want))
        fail_msg("%s: \"%s\", want \"%s\"", utc, got, want);
}

static void test_zurich_time(void **state)
{
    (void)state;
    expect_time("2026-01-20T08:00:00Z", 3600, "20.01.2026 09:00");
    /* 2026: summer time from Sunday 29 March 01:00 UTC (02:00 -> 03:00 local)... */
    expect_time("2026-03-29T00:59:59Z", 3600, "29.03.2026 01:59");
    expect_time("2026-03-29T01:00:00Z", 7200, "29.03.2026 03:00");
    expect_time("2026-03-22T01:00:00Z", 3600, "22.03.2026 02:00"); /* a Sunday, not the last */
    expect_time("2026-07-01T22:30:00Z", 7200, "02.07.2026 00:30");
    /* ...to Sunday 25 October 01:00 UTC (03:00 -> 02:00 local: 02:xx twice) */
    expect_time("2026-10-25T00:00:00Z", 7200, "25.10.2026 02:00");
    expect_time("2026-10-25T00:59:59Z", 7200, "25.10.2026 02:59");
    expect_time("2026-10-25T01:00:00Z", 3600, "25.10.2026 02:00");
    expect_time("2026-10-18T01:00:00Z", 7200, "18.10.2026 03:00");
    /* a leap year whose last Sunday of March is the 31st */
    expect_time("2024-03-31T00:59:59Z", 3600, "31.03.2024 01:59");
    expect_time("2024-03-31T01:00:00Z", 7200, "31.03.2024 03:00");
    expect_time("2024-02-29T12:00:00Z", 3600, "29.02.2024 13:00");
    /* a year whose last Sunday of October is the 31st */
    expect_time("2021-10-31T00:59:59Z", 7200, "31.10.2021 02:59");
    expect_time("2021-10-31T01:00:00Z", 3600, "31.10.2021 02:00");
    /* the year changes at midnight local time, an hour before UTC's */
    expect_time("2025-12-31T23:00:00Z", 3600, "01.01.2026 00:00");
    expect_time("2025-12-31T22:59:59Z", 3600, "31.12.2025 23:59");
    expect_time("1970-01-01T00:00:00Z", 3600, "01.01.1970 01:00");

    /* Where the machine has the time zone database, the fixed rule gives
     * the same local time as Europe/Zurich every 20 minutes, 1996-2037. The
     * rule itself never reads TZ (the checks above ran without it). */
    if (access("/usr/share/zoneinfo/Europe/Zurich", R_OK) != 0) {
        printf("skipped: no /usr/share/zoneinfo/Europe/Zurich to compare the rule with\n");
        return;
    }
    setenv("TZ", "Europe/Zurich", 1);
    tzset();
    long checked = 0;
    /* every 61 minutes, and every minute of the two nights of each year */
    for (int64_t t = tu_time("1996-01-01T00:00:00Z"), next = t;
         t < tu_time("2037-12-31T00:00:00Z"); t = next) {
        char ymd[32];
        inv_time_format(t, ymd, sizeof ymd);
        int change_night = (!strncmp(ymd + 5, "03-", 3) || !strncmp(ymd + 5, "10-", 3)) &&
                           atoi(ymd + 8) >= 25 && ymd[11] <= '0' && ymd[12] <= '3';
        next = t + (change_night ? 60 : 3660);
        time_t tt = (time_t)t;
        struct tm tm;
        char want[OUT_SWISS_TIME_LEN], got[OUT_SWISS_TIME_LEN];
        assert_non_null(localtime_r(&tt, &tm));
        snprintf(want, sizeof want, "%02d.%02d.%04d %02d:%02d", tm.tm_mday, tm.tm_mon + 1,
                 tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
        out_swiss_time(t, got);
        if (strcmp(got, want) || out_zurich_offset(t) != tm.tm_gmtoff)
            fail_msg("%lld: the rule gives %s (%d), the time zone database %s (%ld)",
                     (long long)t, got, out_zurich_offset(t), want, (long)tm.tm_gmtoff);
        checked++;
    }
    unsetenv("TZ");
    tzset();
    printf("the rule agrees with the time zone database at %ld instants, 1996-2037\n",
           checked);
}

static void expect_group(int64_t n, const char *sep, const char *want)
{
    char got[48];
    out_group(n, sep, got, sizeof got);
    if (strcmp(got, want))
        fail_msg("%lld: \"%s\", want \"%s\"", (long long)n, got, want);
}

#define APOS "\xe2\x80\x99"  /* U+2019, de-CH and it-CH */
#define NNBSP "\xe2\x80\xaf" /* U+202F, fr-CH */

static void test_swiss_numbers(void **state)
{
    (void)state;
    expect_group(0, APOS, "0");
    expect_group(999, APOS, "999");
    expect_group(1000, APOS, "1" APOS "000");
    expect_group(1250, APOS, "1" APOS "250");
    expect_group(100000, NNBSP, "100" NNBSP "000");
    expect_group(1234567, NNBSP, "1" NNBSP "234" NNBSP "567");
    expect_group(-1234567, APOS, "-1" APOS "234" APOS "567");
    expect_group(INT64_MIN, "'", "-9'223'372'036'854'775'808");
    expect_group(INT64_MAX, APOS,
                 "9" APOS "223" APOS "372" APOS "036" APOS "854" APOS "775" APOS "807");
    expect_group(1234567, NULL, "1234567");
    expect_group(1234567, "", "1234567");
    char small[4];
    out_group(1234567, APOS, small, sizeof small);
    assert_string_equal(small, "1"); /* cut, never past the end (U+2019 is 3 bytes) */
    assert_string_equal(out_annex_en.group, APOS);
    assert_string_equal(out_annex_fr.group, NNBSP);
    assert_string_equal(out_annex_de.group, APOS);
    assert_string_equal(out_annex_it.group, APOS);
}

/* ---- the French, German and Italian tables ---- */

/* Every string of a words table, by member: a word added to the struct and
 * not listed here fails test_tables_complete. */
typedef struct member {
    const char *name;
    size_t off, n, size; /* offset, number of strings (0: not a string), bytes */
} member;
#define SIZE(m) sizeof((out_annex_words *)0)->m
#define WORD(m) {#m, offsetof(out_annex_words, m), SIZE(m) / sizeof(const char *), SIZE(m)}
#define OTHER(m) {#m, offsetof(out_annex_words, m), 0, SIZE(m)}
static const member members[] = {
    WORD(lang), WORD(title), WORD(print_version), WORD(print_page), WORD(annex_of),
    WORD(heading), WORD(sub_version), WORD(items_one), WORD(items_many), WORD(status_agreed),
    WORD(status_proposed), WORD(status_signed_by), WORD(parties_title), WORD(th_role),
    WORD(th_party), WORD(th_key), WORD(th_signature), WORD(role), WORD(signed_on),
    WORD(partly_signed), WORD(not_signed), WORD(status_of), WORD(agreed_on), WORD(not_agreed),
    WORD(version_title), WORD(label_contract), WORD(label_register), WORD(label_version),
    WORD(label_date), WORD(label_author), WORD(label_message), WORD(label_previous),
    WORD(no_previous), WORD(label_document), WORD(summary_title), WORD(th_kind),
    WORD(th_items), WORD(total), WORD(changes_since), WORD(changes_since_start),
    WORD(initial_scope), WORD(th_change), WORD(th_item), WORD(th_details), WORD(op),
    WORD(no_value), WORD(reason), WORD(key_replaced), WORD(key_both), WORD(role_lower),
    WORD(th_id), WORD(th_name), WORD(th_attributes), OTHER(kinds), OTHER(nkinds),
    WORD(verify_title), WORD(verify_intro), WORD(verify_hash), WORD(verify_sigs),
    WORD(verify_tool), WORD(footer), OTHER(dates), WORD(colon), WORD(times_note),
    WORD(group), OTHER(fields), OTHER(nfields), OTHER(repeat_titles), WORD(sign_title),
    WORD(sign_intro), WORD(sign_place_date), WORD(sign_name), WORD(sign_function),
    WORD(sign_signature), WORD(esig_title), WORD(th_signed_at), WORD(esig_previous),
    WORD(esig_none), WORD(services_title), WORD(th_service), WORD(th_description),
    WORD(no_services), WORD(exclusions_title), WORD(exclusions_intro), WORD(no_exclusions),
    WORD(levels_title), WORD(levels_intro), WORD(th_level), WORD(level), WORD(label_hours),
    WORD(label_availability), WORD(label_response), WORD(label_resolution), WORD(no_classes),
    WORD(duration), WORD(defaults_title), WORD(defaults_intro), WORD(no_defaults),
    WORD(th_services), WORD(th_sla), WORD(cov_none), WORD(cov_kind_default),
};
#define NMEMBERS (sizeof members / sizeof members[0])

static const char *word_at(const out_annex_words *w, const member *m, size_t i)
{
    return ((const char *const *)(const void *)((const char *)w + m->off))[i];
}

static const out_annex_words *const translations[] = {&out_annex_fr, &out_annex_de,
                                                      &out_annex_it, &out_annex_en};

/* The list above covers the struct: members follow one another with no
 * gap a pointer would fit in, up to its end; every table fills in every
 * word (the colon and the grouping are optional: NULL is ":" and none). */
static void test_tables_complete(void **state)
{
    (void)state;
    size_t end = 0;
    for (size_t i = 0; i < NMEMBERS; i++) {
        if (members[i].off < end || members[i].off - end >= sizeof(void *))
            fail_msg("a member of out_annex_words before '%s' is not listed here",
                     members[i].name);
        end = members[i].off + members[i].size;
    }
    if (sizeof(out_annex_words) - end >= sizeof(void *))
        fail_msg("a member of out_annex_words after '%s' is not listed here",
                 members[NMEMBERS - 1].name);
    for (size_t t = 0; t < 4; t++) {
        const out_annex_words *w = translations[t];
        for (size_t i = 0; i < NMEMBERS; i++)
            for (size_t j = 0; j < members[i].n; j++)
                if (!word_at(w, &members[i], j) && strcmp(members[i].name, "colon") &&
                    strcmp(members[i].name, "group"))
                    fail_msg("the %s table has no '%s'", w->lang, members[i].name);
        if (w == &out_annex_en) { /* its kind titles are the kinds table's own */
            assert_null(w->kinds);
            continue;
        }
        assert_int_equal(w->nkinds, 8);
        for (size_t k = 0; inv_kind_at(k); k++) {
            size_t i = 0;
            while (i < w->nkinds && strcmp(w->kinds[i].kind, inv_kind_at(k)->kind))
                i++;
            if (i == w->nkinds || !w->kinds[i].title || !w->kinds[i].one)
                fail_msg("the %s table has no title for kind '%s'", w->lang,
                         inv_kind_at(k)->kind);
        }
        for (size_t f = 1; inv_field_at(f); f++) { /* every field but the id (th_id) */
            size_t i = 0;
            while (i < w->nfields && strcmp(w->fields[i].key, inv_field_at(f)->key))
                i++;
            if (i == w->nfields || !w->fields[i].label)
                fail_msg("the %s table has no label for field '%s'", w->lang,
                         inv_field_at(f)->key);
        }
        assert_int_equal(w->dates, OUT_DATES_ZURICH);
        assert_true(w->repeat_titles);
    }
    assert_ptr_equal(out_annex_words_for("en"), &out_annex_en);
    assert_ptr_equal(out_annex_words_for("fr"), &out_annex_fr);
    assert_ptr_equal(out_annex_words_for("de"), &out_annex_de);
    assert_ptr_equal(out_annex_words_for("it"), &out_annex_it);
    assert_null(out_annex_words_for("rm"));
    assert_null(out_annex_words_for(NULL));
    /* every language the register can record has a table */
    for (size_t i = 0; inv_langs[i]; i++)
        assert_non_null(out_annex_words_for(inv_langs[i]));
}

/* What a reader sees of a page as words: the text outside tags, without
 * the style sheet and without commands and file names (<pre>, <code>),
 * plus the printed-page footer's strings (in the style sheet). */
static char *visible(const char *html)
{
    size_t n = strlen(html);
    char *v = malloc(n + 1), *o = v;
    assert_non_null(v);
    const char *foot = strstr(html, "@page{@bottom-left{");
    const char *foot_end = foot ? strstr(foot, "}}\n") : NULL;
    /* the quoted strings of the footer rule: "ACME \2014  scope version 2", "page " */
    for (int quoted = 0; foot && foot < foot_end; foot++) {
        if (*foot == '"') {
            quoted = !quoted;
            *o++ = ' ';
        } else if (quoted) {
            *o++ = *foot;
        }
    }
    for (const char *p = html; *p;) {
        if (!strncmp(p, "<style>", 7) || !strncmp(p, "<pre>", 5) || !strncmp(p, "<code", 5)) {
            const char *end = p[1] == 's' ? "</style>" : p[1] == 'p' ? "</pre>" : "</code>";
            const char *e = strstr(p, end);
            p = e ? e + strlen(end) : p + strlen(p);
            *o++ = ' ';
        } else if (*p == '<') {
            const char *e = strchr(p, '>');
            p = e ? e + 1 : p + strlen(p);
            *o++ = ' ';
        } else {
            *o++ = *p++;
        }
    }
    *o = '\0';
    return v;
}

static int word_char(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

/* Where words occurs in text as whole words (not inside a longer word), or NULL. */
static const char *find_words(const char *text, const char *words, size_t n)
{
    for (const char *p = text; (p = strstr(p, words)) != NULL; p++) {
        int before =
            p > text && word_char((unsigned char)p[-1]) && word_char((unsigned char)words[0]);
        int after = word_char((unsigned char)p[n]) && word_char((unsigned char)words[n - 1]);
        if (!before && !after)
            return p;
    }
    return NULL;
}

/* Fails when a phrase of the English words en (NULL: none) shows in text:
 * en is cut at its %N, its tags and its <code> spans (commands and file
 * names, the same in every language); each piece of three characters or
 * more, trimmed of spaces and punctuation, is looked for as whole words;
 * only the words of same (NULL-terminated), which are words of the page's
 * language too ("Version" in French), are let through. */
static void expect_no_english_words(const char *text, const char *en, const char *const *same,
                                    const char *what, const char *lang)
{
    if (!en)
        return;
    char *copy = strdup(en), *p = copy;
    assert_non_null(copy);
    /* blank out <code>...</code>, tags and %N */
    for (char *q = copy; *q;) {
        if (!strncmp(q, "<code", 5)) {
            char *e = strstr(q, "</code>");
            size_t len = e ? (size_t)(e + 7 - q) : strlen(q);
            memset(q, '\x01', len);
            q += len;
        } else if (*q == '<') {
            char *e = strchr(q, '>');
            size_t len = e ? (size_t)(e + 1 - q) : strlen(q);
            memset(q, '\x01', len);
            q += len;
        } else if (q[0] == '%' && q[1] >= '1' && q[1] <= '9') {
            q[0] = q[1] = '\x01';
            q += 2;
        } else {
            q++;
        }
    }
    while (*p) {
        size_t len = strcspn(p, "\x01");
        char *s = p, *e = p + len;
        p = *e ? e + 1 : e;
        while (s < e && strchr(" .,:;()\"'", *s))
            s++;
        while (e > s && strchr(" .,:;()\"'", e[-1]))
            e--;
        if (e - s < 3)
            continue;
        char save = *e;
        *e = '\0';
        size_t n = (size_t)(e - s);
        const char *const *ok = same;
        while (*ok && strcmp(*ok, s))
            ok++;
        if (!*ok && find_words(text, s, n))
            fail_msg("the %s page still says \"%s\" (English %s)", lang, s, what);
        *e = save;
    }
    free(copy);
}

/* An entry of a table that is the English one must be a word of both
 * languages (same), never a phrase left untranslated. */
static void expect_same_word(const char *const *same, const char *en, const char *what,
                             const char *lang)
{
    while (*same && strcmp(*same, en))
        same++;
    if (!*same)
        fail_msg("the %s table's '%s' is the English \"%s\"", lang, what, en);
}

/* No word of the English table, of the kinds table's English titles or of
 * the field table's English labels remains in page, rendered with w:
 * every English entry that differs from w's is looked for. */
static void expect_translated(const char *page, const out_annex_words *w)
{
    /* English words that are French or German words too, as the tables use them */
    static const char *const same_fr[] = {"Version", "version", "client", "Total", "Date",
                                          "Client", "page", "Signature", "Signatures",
                                          "Licences", "Description", "Exclusions", NULL};
    static const char *const same_de[] = {"Version", "Total", "Register", "Status", "Name",
                                          "Server", "Services", NULL};
    const char *const *same = !strcmp(w->lang, "fr-CH") ? same_fr : same_de;
    char *text = visible(page);
    const out_annex_words *en = &out_annex_en;
    size_t checked = 0;
    for (size_t i = 0; i < NMEMBERS; i++)
        for (size_t j = 0; j < members[i].n; j++) {
            const char *e = word_at(en, &members[i], j), *t = word_at(w, &members[i], j);
            if (!e || !strcmp(members[i].name, "lang") || !strcmp(members[i].name, "group"))
                continue; /* the grouping is a sign, not a word: de-CH and en share it */
            if (t && !strcmp(e, t)) {
                expect_same_word(same, e, members[i].name, w->lang);
                continue;
            }
            expect_no_english_words(text, e, same, members[i].name, w->lang);
            checked++;
        }
    for (size_t k = 0; inv_kind_at(k); k++) {
        const inv_kind *kd = inv_kind_at(k);
        for (size_t i = 0; i < w->nkinds; i++)
            if (!strcmp(w->kinds[i].kind, kd->kind) && !strcmp(w->kinds[i].title, kd->title))
                expect_same_word(same, kd->title, kd->kind, w->lang);
            else if (!strcmp(w->kinds[i].kind, kd->kind)) {
                expect_no_english_words(text, kd->title, same, "kind title", w->lang);
                checked++;
            }
    }
    for (size_t f = 0; inv_field_at(f); f++) {
        const inv_field *fd = inv_field_at(f);
        for (size_t i = 0; i < w->nfields; i++)
            if (!strcmp(w->fields[i].key, fd->key) && !strcmp(w->fields[i].label, fd->label))
                expect_same_word(same, fd->label, fd->key, w->lang);
            else if (!strcmp(w->fields[i].key, fd->key)) {
                expect_no_english_words(text, fd->label, same, "field label", w->lang);
                checked++;
            }
    }
    if (checked < 75)
        fail_msg("only %zu English entries differ from the %s table", checked, w->lang);
    free(text);
}

/* The text between the first from and the to after it (malloc'd). */
static char *between(const char *s, const char *from, const char *to)
{
    const char *a = strstr(s, from);
    assert_non_null(a);
    a += strlen(from);
    const char *b = strstr(a, to);
    assert_non_null(b);
    return strndup(a, (size_t)(b - a));
}

static size_t occurrences(const char *s, const char *what)
{
    size_t n = 0;
    for (const char *p = s; (p = strstr(p, what)) != NULL; p += strlen(what))
        n++;
    return n;
}

static const tu_reg_spec SIGNED = {"scope.db", "ACME-2026-01", "Helvetia IT SA", "ACME SA",
                                   "2026-01-05T08:00:00Z", 1};

static int signed_setup(void **state)
{
    return tu_reg_setup(state, &SIGNED);
}

/* The party (0 provider, 1 client) signs version n with signed: at. */
static void sign(fx *f, int64_t n, int party, const char *at)
{
    unsigned char prehash[CR_PREHASH_BYTES];
    char comment[512];
    inv_tc tc = {0}, got;
    inv_err e = {0};
    cr_err ce = {0};
    cr_sig sig;
    assert_ok(inv_doc_digests(f->r, n, prehash, tc.doc_hash, &e), &e);
    snprintf(tc.register_id, sizeof tc.register_id, "%s", inv_register_id(f->r));
    snprintf(tc.role, sizeof tc.role, "%s", party ? "client" : "provider");
    tc.version = n;
    tc.signed_at = tu_time(at);
    inv_tc_format(&tc, comment, sizeof comment);
    if (cr_sign_prehashed(f->sk[party], prehash, comment, NULL, &sig, &ce) != CR_OK)
        fail_msg("cr_sign_prehashed: %s", ce.msg);
    char *text = cr_sig_format(&sig);
    assert_non_null(text);
    assert_ok(inv_sig_attach(f->r, n, text, strlen(text), &got, NULL, &e), &e);
    free(text);
}

static void test_languages(void **state)
{
    fx *f = *state;
    char pk[2][CR_KEYID_HEX];
    tu_build_history(f->r);
    sign(f, 1, 0, "2026-01-11T08:00:00Z");          /* v1: the provider only */
    sign(f, 2, 0, "2026-02-02T08:00:00Z");          /* v2: agreed */
    sign(f, 2, 1, "2026-03-29T01:30:00Z");          /*     in summer time */
    sign(f, 3, 1, "2026-10-25T00:30:00Z");          /* v3: the client only, 02:30 CEST */
    cr_keyid_hex(f->pk[0].keyid, pk[0]);
    cr_keyid_hex(f->pk[1].keyid, pk[1]);
    /* v4, not signed: an item of every kind, one with every standard field */
    inv_err e = {0};
    for (size_t k = 0; inv_kind_at(k); k++) {
        char id[32];
        snprintf(id, sizeof id, "K-%s", inv_kind_at(k)->kind);
        tu_stage_add(f->r, id, inv_kind_at(k)->kind, "Imprimante 1er", NULL);
    }
    inv_item all;
    tu_item_make(&all, "ALL-01", "other", "tout", NULL);
    for (size_t i = 0; inv_field_at(i); i++)
        if (inv_field_at(i)->place == INV_FIELD_ATTR)
            assert_ok(inv_item_set(&all, inv_field_at(i)->key, "x", &e), &e);
    assert_ok(inv_stage_add(f->r, &all, &e), &e);
    inv_item_free(&all);
    assert_int_equal(tu_commit(f->r, "2026-07-01T06:00:00Z", "jm", "Q3"), 4);
    char *doc[5];
    for (int n = 1; n <= 4; n++)
        doc[n] = tu_render(f->r, n);

    for (int n = 1; n <= 4; n++) {
        char *en = annex(f, n, NULL);
        char *en_pre = between(en, "<ol>", "</ol>");
        for (size_t t = 0; t < 3; t++) {
            const out_annex_words *w = translations[t];
            char *x = annex(f, n, w), *want;
            if (t < 2) /* French and German: not one English word left */
                expect_translated(x, w);
            /* the commands, file names and hashes are those of the English page */
            char *pre = between(x, "<ol>", "</ol>");
            char *a = between(en_pre, "<pre>", "</pre>"), *b = between(pre, "<pre>", "</pre>");
            assert_string_equal(a, b);
            free(a);
            free(b);
            a = between(en, "<code class=\"hash\">", "</code>");
            b = between(x, "<code class=\"hash\">", "</code>");
            assert_string_equal(a, b);
            free(a);
            free(b);
            assert_int_equal(occurrences(x, "minisign -Vm "), 2);
            free(pre);
            /* the page's language and its section titles in the thead of their table */
            want = malloc(64);
            snprintf(want, 64, "<html lang=\"%s\">", w->lang);
            expect_in(x, want);
            free(want);
            expect_in(x, "<table class=\"parties\">\n<thead><tr class=\"title\"><th "
                         "colspan=\"4\"><h2>");
            expect_in(x, "<table class=\"counts\">\n<thead><tr class=\"title\"><th "
                         "colspan=\"2\"><h2>");
            expect_in(x, "<table class=\"items\">\n<thead><tr class=\"title\"><th "
                         "colspan=\"3\"><h2>");
            expect_in(x, "thead tr.title th{");
            /* the UTC instant the document holds, given once, in the note */
            char utc[32], note[128];
            inv_version v;
            assert_ok(inv_version_get(f->r, n, &v, &e), &e);
            inv_time_format(v.date, utc, sizeof utc);
            inv_version_free(&v);
            snprintf(note, sizeof note, "<code>%s</code>", utc);
            assert_int_equal(occurrences(x, utc), 1);
            expect_in(x, note);
            /* no UTC date anywhere else: every date is Swiss */
            assert_int_equal(occurrences(x, ":00Z"), 1);
            /* the signature block: per party, lines to fill in, then the e-signatures */
            expect_in(x, "<section id=\"signatures\">");
            assert_int_equal(occurrences(x, "<span class=\"line\"></span>"), 6);
            assert_int_equal(occurrences(x, "<span class=\"line tall\"></span>"), 2);
            expect_in(x, "<tr><td>Helvetia IT SA</td><td>ACME SA</td></tr>");
            if (t < 2)
                expect_in(x, t == 0 ? "Lieu et date" : "Ort und Datum");
            free(x);
        }
        free(en_pre);
        /* English has the note, the block and the title rows too */
        expect_in(en, "<section id=\"signatures\">");
        expect_in(en, "Place and date");
        assert_int_equal(occurrences(en, "<span class=\"line\"></span>"), 6);
        expect_in(en, "tr class=\"title\"");
        expect_in(en, "Dates and times in this annex are Swiss time");
        free(en);
    }

    /* French: words, dates in Zurich time, signatures */
    char *fr = annex(f, 2, &out_annex_fr);
    expect_in(fr, "<p class=\"annex\">Annexe au contrat ACME-2026-01</p>");
    expect_in(fr, "<p class=\"sub\">Version 2 du 01.02.2026 11:00 \xe2\x80\x94 <span "
                  "class=\"status agreed\">approuv\xc3\xa9" "e par les deux parties</span>");
    expect_in(fr, "<tr><th>Date</th><td>01.02.2026 11:00</td></tr>");
    expect_in(fr, "la date de cette version y est <code>2026-02-01T10:00:00Z</code>.");
    expect_in(fr, "<td>sign\xc3\xa9" "e le 02.02.2026 09:00</td>");
    expect_in(fr, "<td>sign\xc3\xa9" "e le 29.03.2026 03:30</td>");
    expect_in(fr, " le 29.03.2026 03:30 (date de la derni\xc3\xa8re des deux signatures).");
    expect_in(fr, "<h2>Modifications depuis la version 1</h2>");
    expect_in(fr, "<tr class=\"removed\"><td class=\"op\">retrait</td>");
    expect_in(fr, "<span class=\"k\">motif\xc2\xa0:</span> stolen, police report 42");
    /* a changed kind and field labels in French, free keys as written */
    expect_in(fr, "<li><span class=\"k\">Cat\xc3\xa9gorie\xc2\xa0:</span> <del>poste de "
                  "travail</del> \xe2\x86\x92 <ins>serveur</ins></li>");
    expect_in(fr, "<span class=\"k\">Adresse IP\xc2\xa0:</span> <del>10.0.0.5</del>");
    expect_in(fr, "<span class=\"k\">Syst\xc3\xa8me d\xe2\x80\x99" "exploitation\xc2\xa0:</span>");
    expect_in(fr, "<h2>Postes de travail <span class=\"count\">(1)</span></h2>");
    expect_in(fr, "<h2>Serveurs <span class=\"count\">(2)</span></h2>");
    expect_in(fr, "<th>N\xc2\xb0 d\xe2\x80\x99inventaire</th><th>Nom</th>");
    expect_in(fr, "<tr><td>Prestataire</td><td><code>");
    expect_in(fr, "</code></td><td>02.02.2026 09:00</td></tr>\n<tr><td>Client</td><td><code>");
    expect_in(fr, "</code></td><td>29.03.2026 03:30</td></tr>");
    expect_in(fr, pk[0]);
    expect_in(fr, pk[1]);
    free(fr);
    /* German: v3, signed by the client only, in the night the clocks go back */
    char *de = annex(f, 3, &out_annex_de);
    expect_in(de, "<p class=\"annex\">Anhang zum Vertrag ACME-2026-01</p>");
    expect_in(de, "<span class=\"status partial\">vom Kunden signiert</span>");
    expect_in(de, "<td>signiert am 25.10.2026 02:30</td>");
    expect_in(de, "<tr><th>Datum</th><td>01.03.2026 09:00</td></tr>");
    expect_in(de, "<tr class=\"modified\"><td class=\"op\">\xc3\x84nderung</td>");
    expect_in(de, "<span class=\"k\">Lizenzen:</span> <span class=\"none\">(kein Wert)</span> "
                  "\xe2\x86\x92 <ins>25</ins>");
    expect_in(de, "<td class=\"op\">Entfernung</td>");
    expect_in(de, "<span class=\"k\">Grund:</span> returned");
    expect_in(de, "<tr><td>Kunde</td><td><code>");
    expect_in(de, "</code></td><td>25.10.2026 02:30</td></tr>\n</tbody>");
    expect_in(de, "Ort und Datum");
    expect_in(de, "Name, Vorname");
    expect_in(de, "Funktion");
    expect_in(de, "Unterschrift");
    free(de);
    /* Italian: v1, the initial scope, signed by the provider only */
    char *it = annex(f, 1, &out_annex_it);
    expect_in(it, "<html lang=\"it-CH\">");
    expect_in(it, "<span class=\"status partial\">firmata dal fornitore</span>");
    expect_in(it, "<h2>Modifiche dall\xe2\x80\x99" "apertura del registro</h2>\n<p>La versione 1 "
                  "\xc3\xa8 il perimetro iniziale: ciascuno dei suoi 5 elementi");
    expect_in(it, "<td>firmata il 11.01.2026 09:00</td>");
    free(it);
    /* A version with no electronic signature says so */
    char *fr4 = annex(f, 4, &out_annex_fr);
    expect_in(fr4, "<tr><td colspan=\"3\"><span class=\"none\">Aucune signature "
                   "\xc3\xa9lectronique n\xe2\x80\x99" "est enregistr\xc3\xa9" "e pour cette "
                   "version.</span></td></tr>");
    expect_in(fr4, "<tr><th>Date</th><td>01.07.2026 08:00</td></tr>");
    expect_in(fr4, "<h2>Imprimantes <span class=\"count\">(1)</span></h2>");
    expect_in(fr4, "<td>Imprimantes\xc2\xa0: Imprimante 1er</td>");
    expect_in(fr4, "<li><span class=\"k\">Date d\xe2\x80\x99" "achat\xc2\xa0:</span> x</li>");
    free(fr4);

    /* The documents are what they were: an annex in any language reads them only */
    for (int n = 1; n <= 4; n++) {
        char *again = tu_render(f->r, n);
        assert_string_equal(doc[n], again);
        free(again);
        free(doc[n]);
    }
}

/* Counts of a thousand and more are grouped the Swiss way, in every language. */
static void test_language_counts(void **state)
{
    fx *f = *state;
    for (int i = 0; i < 1234; i++) {
        char id[16];
        snprintf(id, sizeof id, "WS-%04d", i);
        tu_stage_add(f->r, id, "workstation", NULL, NULL);
    }
    assert_int_equal(tu_commit(f->r, "2026-06-30T22:00:00Z", "jm", "all"), 1);
    char *en = annex(f, 1, NULL), *fr = annex(f, 1, &out_annex_fr),
         *de = annex(f, 1, &out_annex_de);
    expect_in(en, "<tr class=\"total\"><td>Total</td><td class=\"num\">1" APOS "234</td></tr>");
    expect_in(en, "1" APOS "234 items</p>");
    expect_in(en, "Version 1 of 01.07.2026 00:00");
    expect_in(en, "this version's date is <code>2026-06-30T22:00:00Z</code> there");
    expect_in(fr, "<tr class=\"total\"><td>Total</td><td class=\"num\">1" NNBSP "234</td></tr>");
    expect_in(fr, "<h2>Postes de travail <span class=\"count\">(1" NNBSP "234)</span></h2>");
    expect_in(fr, "1" NNBSP "234 \xc3\xa9l\xc3\xa9ments</p>");
    expect_in(fr, "chacun de ses 1" NNBSP "234 \xc3\xa9l\xc3\xa9ments y est ajout\xc3\xa9.");
    expect_in(fr, "Version 1 du 01.07.2026 00:00"); /* 22:00 UTC in summer: the next day */
    expect_in(de, "<td class=\"num\">1" APOS "234</td>");
    expect_in(de, "1" APOS "234 Eintr\xc3\xa4ge</p>");
    expect_in(de, "Version 1 vom 01.07.2026 00:00");
    /* ids and versions are never grouped */
    expect_in(fr, "<td class=\"id\">WS-1233</td>");
    free(en);
    free(fr);
    free(de);
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
        cmocka_unit_test_setup_teardown(test_functional_scope, tu_reg_setup_default,
                                        tu_reg_teardown),
        cmocka_unit_test(test_zurich_time),
        cmocka_unit_test(test_swiss_numbers),
        cmocka_unit_test(test_tables_complete),
        cmocka_unit_test_setup_teardown(test_languages, signed_setup, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_language_counts, tu_reg_setup_default,
                                        tu_reg_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
