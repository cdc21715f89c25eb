/* test_answer.c - the answers of a dispute from any source (work/answer.c)
 * on a source made up here, and one item looked up in a scope document
 * outside any register (document/docfind.c). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "answer_int.h"
#include "docfind.h"
#include "testutil.h"

/* ---- the walk, on a made-up source ---- */

typedef struct fake_v {
    int present;
    const char *date;
    const char *provider, *client; /* signed: dates, NULL when not signed */
    int sure;
} fake_v;

typedef struct fake {
    inv_source base; /* first */
    const fake_v *v;
    int64_t n;
    int links; /* link calls */
} fake;

static int f_latest(inv_source *s, int64_t *n, inv_err *e)
{
    (void)e;
    *n = ((fake *)s)->n;
    return INV_OK;
}

static int f_state(inv_source *s, int64_t n, inv__vstate *out, inv_err *e)
{
    const fake_v *v = &((fake *)s)->v[n - 1];
    inv_tally t;
    (void)e;
    memset(out, 0, sizeof *out);
    out->present = v->present;
    if (!v->present)
        return INV_OK;
    out->date = tu_time(v->date);
    inv_tally_init(&t, 0, 0);
    if (v->provider)
        inv_tally_add(&t, 0, 0, tu_time(v->provider));
    if (v->client)
        inv_tally_add(&t, 1, 0, tu_time(v->client));
    inv_tally_state(&t, &out->sigs);
    out->sure = v->sure;
    out->problem = "a signature file does not hold";
    return INV_OK;
}

static int f_link(inv_source *s, int64_t n, int64_t t, inv_err *e)
{
    (void)t;
    ((fake *)s)->links++;
    if (n > 1 && !((fake *)s)->v[n - 2].present)
        return inv_fail(e, INV_FAIL, "lacks the link of %lld", (long long)n);
    return INV_OK;
}

static int f_version(inv_source *s, int64_t n, int check, inv_vinfo *vi, inv_err *e)
{
    inv__vstate st;
    memset(vi, 0, sizeof *vi);
    f_state(s, n, &st, e);
    vi->v.number = n;
    vi->v.date = st.date;
    vi->state = st.sigs;
    vi->agreed_at = inv_agreed_at(&st.sigs, st.date);
    vi->checked = check;
    vi->hold = st.sure;
    return INV_OK;
}

static int f_item(inv_source *s, int64_t n, const char *id, inv_item *out, int *found,
                  inv_err *e)
{
    (void)s;
    (void)e;
    *found = n >= 2 && !strcmp(id, "SRV-01");
    if (*found)
        tu_item_make(out, id, "server", "File server", NULL);
    return INV_OK;
}

static const inv__source_ops fake_ops = {f_latest, NULL, f_state, f_link, f_version, f_item,
                                         NULL, NULL};

static void fake_init(fake *f, const fake_v *v, int64_t n)
{
    memset(f, 0, sizeof *f);
    f->base.ops = &fake_ops;
    f->base.documents = 1;
    f->base.where = "archive";
    f->v = v;
    f->n = n;
}

/* Answers at `when` with id; checks the version in force, the latest
 * committed then, and whether id was found. */
static void expect_at(fake *f, const char *when, int64_t version, int64_t latest, int found)
{
    inv_at_answer a;
    inv_err e = {0};
    assert_ok(inv_answer_at(&f->base, tu_time(when), "SRV-01", &a, &e), &e);
    assert_int_equal(a.inf.version, version);
    assert_int_equal(a.inf.latest, latest);
    assert_int_equal(a.found, found);
    assert_int_equal(a.in_force.v.number, version);
    assert_int_equal(a.later.v.number, latest > version ? latest : 0);
    inv_at_answer_free(&a);
}

static void expect_no_answer(fake *f, const char *when, const char *why)
{
    inv_at_answer a;
    inv_err e = {0};
    assert_err(inv_answer_at(&f->base, tu_time(when), "SRV-01", &a, &e), &e, INV_FAIL, why);
    inv_at_answer_free(&a);
}

static void test_walk(void **state)
{
    (void)state;
    /* v1 agreed 01-12; v2 agreed 02-03; v3 agreed 03-10, after v4 (agreed
     * 03-05: the newer agreement wins); v5 signed by the provider only. */
    static const fake_v v[] = {
        {1, "2026-01-10", "2026-01-11", "2026-01-12", 1},
        {1, "2026-02-01", "2026-02-02", "2026-02-03", 1},
        {1, "2026-03-01", "2026-03-02", "2026-03-10", 1},
        {1, "2026-03-03", "2026-03-04", "2026-03-05", 1},
        {1, "2026-04-01", "2026-04-02", NULL, 1},
    };
    fake f;
    fake_init(&f, v, 5);
    expect_at(&f, "2026-01-05", 0, 0, 0);
    expect_at(&f, "2026-01-11", 0, 1, 0);
    expect_at(&f, "2026-01-12", 1, 1, 0);
    expect_at(&f, "2026-02-15", 2, 2, 1);
    expect_at(&f, "2026-03-04", 2, 4, 1);
    expect_at(&f, "2026-03-06", 4, 4, 1);
    expect_at(&f, "2026-03-11", 4, 4, 1);
    expect_at(&f, "2027-01-01", 4, 5, 1);
    assert_true(f.links > 0);
}

static void test_walk_gaps(void **state)
{
    (void)state;
    /* The folder lacks v3. */
    static const fake_v v[] = {
        {1, "2026-01-10", "2026-01-11", "2026-01-12", 1},
        {1, "2026-02-01", "2026-02-02", "2026-02-03", 1},
        {0, NULL, NULL, NULL, 0},
        {1, "2026-04-01", "2026-04-02", NULL, 1},
        {1, "2026-05-01", "2026-05-02", "2026-05-03", 1},
    };
    fake f;
    fake_init(&f, v, 5);
    /* Before v2 was made, v3 (never dated before v2) cannot matter. */
    expect_at(&f, "2026-01-20", 1, 1, 0);
    /* After it, v3 may have been agreed. */
    expect_no_answer(&f, "2026-02-15",
                     "archive lacks version 3, which may have been agreed by "
                     "2026-02-15T00:00:00Z: the answer cannot rely on the folder");
    /* v5 agreed by then: nothing older matters. */
    expect_at(&f, "2026-05-10", 5, 5, 1);
    /* v3 does not hold: its signed dates, and its own date, are unknown. */
    static const fake_v u[] = {
        {1, "2026-01-10", "2026-01-11", "2026-01-12", 1},
        {1, "2026-02-01", "2026-02-02", "2026-02-03", 1},
        {1, "2026-09-01", NULL, NULL, 0},
        {1, "2026-09-02", "2026-09-03", "2026-09-04", 1},
    };
    fake_init(&f, u, 4);
    expect_no_answer(&f, "2026-02-15", "version 3 in archive does not hold (a signature "
                                       "file does not hold), and it may have been agreed by "
                                       "2026-02-15T00:00:00Z");
    expect_at(&f, "2026-01-20", 1, 1, 0);
    expect_at(&f, "2026-09-10", 4, 4, 1);
    /* In force, but lacking the version it follows. */
    static const fake_v w[] = {
        {1, "2026-01-10", "2026-01-11", "2026-01-12", 1},
        {0, NULL, NULL, NULL, 0},
        {1, "2026-03-01", "2026-03-02", "2026-03-03", 1},
    };
    fake_init(&f, w, 3);
    expect_no_answer(&f, "2026-03-10", "lacks the link of 3");
    /* A folder starting at version 2: version 1 may have been agreed. */
    static const fake_v x[] = {
        {0, NULL, NULL, NULL, 0},
        {1, "2026-02-01", "2026-02-02", NULL, 1},
    };
    fake_init(&f, x, 2);
    expect_no_answer(&f, "2026-02-10", "archive lacks version 1");
}

/* ---- one item in a document ---- */

/* Writes version n of the register into dir/vN.scope and reads it back. */
static char *doc_file(tu_reg *f, int64_t n, inv_doc *d)
{
    char name[32];
    inv_err e = {0};
    snprintf(name, sizeof name, "v%lld.scope", (long long)n);
    char *path = tu_path(f->dir, name), *text = tu_render(f->r, n);
    assert_int_equal(tu_write(path, text, strlen(text)), 0);
    assert_ok(inv_doc_parse(text, strlen(text), path, d, NULL, NULL, &e), &e);
    free(text);
    return path;
}

static void test_find(void **state)
{
    tu_reg *f = *state;
    inv_err e = {0};
    inv_doc d1, d2;
    inv_doc_find x;
    tu_stage_add(f->r, "SRV-0", "server", "Short", NULL);
    tu_stage_add(f->r, "SRV-01", "server", "File server", "ip", "10.0.0.5", "notes",
                 "a\tb\\c\nd", NULL);
    tu_stage_add(f->r, "PC\\01", "workstation", "", NULL);
    assert_int_equal(tu_commit(f->r, "2026-01-10T09:00:00Z", "jm", "one"), 1);
    assert_ok(inv_stage_remove(f->r, "SRV-01", "stolen:\tpolice\\report", &e), &e);
    tu_stage_edit(f->r, "SRV-0", "name", "Shorter", NULL);
    assert_int_equal(tu_commit(f->r, "2026-02-01T09:00:00Z", "jm", "two"), 2);
    char *p1 = doc_file(f, 1, &d1), *p2 = doc_file(f, 2, &d2);

    /* Listed and added: its fields unescaped; a prefix of its id is another item. */
    assert_ok(inv_doc_find_item(p1, &d1, "SRV-01", &x, &e), &e);
    assert_true(x.listed);
    assert_int_equal(x.change, INV_OP_ADD);
    assert_string_equal(x.item.kind, "server");
    assert_string_equal(x.item.name, "File server");
    assert_string_equal(inv_item_get(&x.item, "notes"), "a\tb\\c\nd");
    assert_string_equal(inv_item_get(&x.item, "ip"), "10.0.0.5");
    inv_doc_find_free(&x);
    assert_ok(inv_doc_find_item(p1, &d1, "PC\\01", &x, &e), &e);
    assert_true(x.listed);
    assert_string_equal(x.item.name, "");
    inv_doc_find_free(&x);
    /* Removed in version 2, with its reason; the other one modified. */
    assert_ok(inv_doc_find_item(p2, &d2, "SRV-01", &x, &e), &e);
    assert_false(x.listed);
    assert_int_equal(x.change, INV_OP_REMOVE);
    assert_string_equal(x.reason, "stolen:\tpolice\\report");
    inv_doc_find_free(&x);
    assert_ok(inv_doc_find_item(p2, &d2, "SRV-0", &x, &e), &e);
    assert_true(x.listed);
    assert_int_equal(x.change, INV_OP_EDIT);
    assert_string_equal(x.item.name, "Shorter");
    inv_doc_find_free(&x);
    /* Neither listed nor changed. */
    assert_ok(inv_doc_find_item(p2, &d2, "SRV-011", &x, &e), &e);
    assert_false(x.listed);
    assert_int_equal(x.change, 0);
    inv_doc_find_free(&x);
    /* The file changed since it was read: refused. */
    char *text = tu_slurp(p2, NULL);
    char *at = strstr(text, "Shorter");
    at[0] = 'T';
    assert_int_equal(tu_write(p2, text, strlen(text)), 0);
    assert_err(inv_doc_find_item(p2, &d2, "SRV-0", &x, &e), &e, INV_EINPUT,
               "changed while it was read");
    inv_doc_find_free(&x);
    /* Not a regular file. */
    assert_err(inv_doc_find_item(f->dir, &d2, "SRV-0", &x, &e), &e, INV_EINPUT,
               "not a regular file");
    inv_doc_find_free(&x);
    free(text);
    free(p1);
    free(p2);
    inv_doc_free(&d1);
    inv_doc_free(&d2);
}

int main(void)
{
    cr_err ce;
    if (cr_init(&ce) != CR_OK) {
        fprintf(stderr, "cr_init: %s\n", ce.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk),
        cmocka_unit_test(test_walk_gaps),
        cmocka_unit_test_setup_teardown(test_find, tu_reg_setup_default, tu_reg_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
