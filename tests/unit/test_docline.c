/* test_docline.c - unit tests of document/docline.c: which field line of a
 * scope-register/2 modification is a coverage line (by its place and its
 * values) and the order of field lines told apart that way. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "docline.h"
#include "inventory.h"
#include "testutil.h"

/* Whether each line of a modification (after its two spaces), in turn, is
 * a coverage line; want[i] 1 or 0 for lines[i]. */
static void expect_cov(const char *const *lines, const int *want, size_t n)
{
    int state = 0;
    for (size_t i = 0; i < n; i++) {
        inv__fline f;
        assert_int_equal(inv__fline_parse(lines[i], strlen(lines[i]), &f), 0);
        int got = inv__fline_cov(&f, &state);
        if (got != want[i])
            fail_msg("line %zu '%s': coverage %d, expected %d", i, lines[i], got, want[i]);
    }
}

static void test_fline_cov_place(void **state)
{
    (void)state;
    /* kind and name first, then both coverage lines, then attributes of
     * the same names */
    const char *a[] = {"kind: \"server\" -> \"vpn\"",
                       "services: \"none (kind default)\" -> \"backup (own)\"",
                       "sla: \"gold (kind default)\" -> \"none (own)\"",
                       "os: \"a\" -> \"b\"",
                       "services: \"daily copies\" -> (none)",
                       "sla: (none) -> \"x\""};
    const int wa[] = {0, 1, 1, 0, 0, 0};
    expect_cov(a, wa, 6);
    /* an attribute services line first: no coverage value, so an attribute;
     * an sla line after it is an attribute too, whatever its values */
    const char *b[] = {"services: \"daily copies\" -> (none)",
                       "sla: \"gold (own)\" -> \"silver (own)\""};
    const int wb[] = {0, 0};
    expect_cov(b, wb, 2);
    /* the coverage sla alone, then a services line: after the coverage
     * sla, never the coverage services */
    const char *c[] = {"sla: \"gold (own)\" -> \"silver (own)\"",
                       "services: \"backup (own)\" -> \"none (own)\""};
    const int wc[] = {1, 0};
    expect_cov(c, wc, 2);
    /* two coverage services lines: the second is an attribute */
    const char *d[] = {"services: \"backup (own)\" -> \"none (own)\"",
                       "services: \"backup (own)\" -> \"none (own)\""};
    const int wd[] = {1, 0};
    expect_cov(d, wd, 2);
}

static void test_fline_cov_values(void **state)
{
    (void)state;
    /* (none) on either side, a non-canonical list, an escape: no coverage */
    const char *bad[] = {"services: (none) -> \"backup (own)\"",
                         "services: \"monitoring, backup (own)\" -> \"backup (own)\"",
                         "services: \"a\\\\b (own)\" -> \"backup (own)\"",
                         "sla: \"Gold (own)\" -> \"none (own)\"",
                         "services: \"backup\" -> \"backup (own)\""};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        const int w[] = {0};
        expect_cov(&bad[i], w, 1);
    }
}

static void test_field_cmp_cov(void **state)
{
    (void)state;
    /* kind < name < coverage services < coverage sla < attributes bytewise */
    assert_true(inv__field_cmp_cov("kind", 4, 0, "name", 4, 0) < 0);
    assert_true(inv__field_cmp_cov("name", 4, 0, "services", 8, 1) < 0);
    assert_true(inv__field_cmp_cov("services", 8, 1, "sla", 3, 1) < 0);
    assert_true(inv__field_cmp_cov("sla", 3, 1, "a", 1, 0) < 0);
    assert_true(inv__field_cmp_cov("os", 2, 0, "services", 8, 0) < 0);
    assert_true(inv__field_cmp_cov("services", 8, 0, "sla", 3, 0) < 0);
    assert_true(inv__field_cmp_cov("sla", 3, 0, "zone", 4, 0) < 0);
    /* a coverage line and the attribute of its name are two fields */
    assert_true(inv__field_cmp_cov("services", 8, 1, "services", 8, 0) < 0);
    assert_true(inv__field_cmp_cov("sla", 3, 0, "sla", 3, 1) > 0);
    assert_int_equal(inv__field_cmp_cov("services", 8, 1, "services", 8, 1), 0);
    assert_int_equal(inv__field_cmp_cov("os", 2, 0, "os", 2, 0), 0);
    /* without coverage lines: the scope-register/1 order */
    assert_int_equal(inv__field_cmp_cov("services", 8, 0, "os", 2, 0) > 0,
                     inv__field_cmp("services", 8, "os", 2) > 0);
    assert_int_equal(inv__field_cmp_cov("name", 4, 0, "a", 1, 0) < 0,
                     inv__field_cmp("name", 4, "a", 1) < 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fline_cov_place),
        cmocka_unit_test(test_fline_cov_values),
        cmocka_unit_test(test_field_cmp_cov),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
