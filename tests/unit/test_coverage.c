/* test_coverage.c - unit tests of values/coverage.c: service and class ids,
 * levels and their aliases, durations, availability, service lists, terms
 * (fields, encoding, blocks, change entries) and an item's coverage lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory.h"
#include "testutil.h"

static void test_ids(void **state)
{
    (void)state;
    inv_err e = {0};
    assert_int_equal(inv_cov_id_check("service", "backup", &e), INV_OK);
    assert_int_equal(inv_cov_id_check("service", "24-7_support", &e), INV_OK);
    assert_int_equal(inv_cov_id_check("service", "0", &e), INV_OK);
    const char *bad[] = {"", "Backup", "_x", "-x", "a b", "café",
                         "abcdefghijklmnopqrstuvwxyz0123456", NULL};
    for (int i = 0; bad[i]; i++) {
        assert_int_equal(inv_cov_id_check("class", bad[i], &e), INV_EINPUT);
        assert_non_null(strstr(e.msg, "class id"));
    }
    assert_int_equal(inv_cov_id_check("service", "abcdefghijklmnopqrstuvwxyz012345", &e), INV_OK);
    assert_int_equal(inv_cov_id_check("service", "none", &e), INV_EINPUT);
    assert_non_null(strstr(e.msg, "reserved"));
    assert_int_equal(inv_cov_id_check("service", "default", &e), INV_EINPUT);
}

static void test_levels(void **state)
{
    (void)state;
    assert_int_equal(inv_level_parse("critical"), 0);
    assert_int_equal(inv_level_parse("Critique"), 0);
    assert_int_equal(inv_level_parse("kritisch"), 0);
    assert_int_equal(inv_level_parse("MAJOR"), 1);
    assert_int_equal(inv_level_parse("majeur"), 1);
    assert_int_equal(inv_level_parse("hoch"), 1);
    assert_int_equal(inv_level_parse("mineur"), 2);
    assert_int_equal(inv_level_parse("mittel"), 2);
    assert_int_equal(inv_level_parse("amélioration"), 3);
    assert_int_equal(inv_level_parse("amelioration"), 3);
    assert_int_equal(inv_level_parse("improvement"), 3);
    assert_int_equal(inv_level_parse("niedrig"), 3);
    assert_int_equal(inv_level_parse("urgent"), -1);
    assert_int_equal(inv_level_parse(""), -1);
    assert_int_equal(inv_level_parse("crit"), -1);
    assert_string_equal(inv_levels[3], "improvement");
}

static void test_durations(void **state)
{
    (void)state;
    inv_err e = {0};
    char out[16];
    struct {
        const char *in, *want;
    } ok[] = {{"30min", "30min"}, {"4h", "4h"}, {"04H", "4h"}, {"2d", "2d"},
              {"240MIN", "240min"}, {"999999d", "999999d"}, {"0010h", "10h"}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(inv_duration_parse("--response", ok[i].in, out, &e), INV_OK);
        assert_string_equal(out, ok[i].want);
    }
    const char *bad[] = {"", "4", "h", "0h", "00min", "4 h", "4hours", "1.5h", "-4h",
                         "1000000d", "4m", NULL};
    for (int i = 0; bad[i]; i++) {
        assert_int_equal(inv_duration_parse("--resolution", bad[i], out, &e), INV_EINPUT);
        assert_non_null(strstr(e.msg, "--resolution"));
        assert_non_null(strstr(e.msg, "30min, 4h, 2d"));
    }
}

static void test_availability(void **state)
{
    (void)state;
    inv_err e = {0};
    char out[16];
    struct {
        const char *in, *want;
    } ok[] = {{"99.9", "99.9%"}, {"99.90", "99.9%"}, {"99.9%", "99.9%"}, {"100", "100%"},
              {"100.0", "100%"}, {"0", "0%"}, {"099.5", "99.5%"}, {"99.999", "99.999%"},
              {"5.000", "5%"}};
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(inv_availability_parse(ok[i].in, out, &e), INV_OK);
        assert_string_equal(out, ok[i].want);
    }
    const char *bad[] = {"", "%", "101", "100.01", "99.9999", "99.", ".5", "-1", "99,9",
                         "ninety", "1000", NULL};
    for (int i = 0; bad[i]; i++) {
        assert_int_equal(inv_availability_parse(bad[i], out, &e), INV_EINPUT);
        assert_non_null(strstr(e.msg, "--availability"));
    }
}

static int count_one(void *ctx, const char *id, size_t n)
{
    (void)id;
    (void)n;
    ++*(int *)ctx;
    return 0;
}

static void test_service_lists(void **state)
{
    (void)state;
    inv_err e = {0};
    inv_buf b = {0};
    assert_int_equal(inv_service_list_parse("monitoring,backup", &b, &e), INV_OK);
    assert_string_equal(b.data, "backup, monitoring");
    assert_int_equal(inv_service_list_parse(" support , backup ", &b, &e), INV_OK);
    assert_string_equal(b.data, "backup, support");
    assert_int_equal(inv_service_list_parse("none", &b, &e), INV_OK);
    assert_string_equal(b.data, "none");
    assert_int_equal(inv_service_list_parse("backup,backup", &b, &e), INV_EINPUT);
    assert_non_null(strstr(e.msg, "listed twice"));
    assert_int_equal(inv_service_list_parse("backup,,x", &b, &e), INV_EINPUT);
    assert_non_null(strstr(e.msg, "empty service id"));
    assert_int_equal(inv_service_list_parse("Backup", &b, &e), INV_EINPUT);
    assert_int_equal(inv_service_list_parse("backup,none", &b, &e), INV_EINPUT);
    int n = 0;
    inv_service_list_walk("a, b, c", count_one, &n);
    assert_int_equal(n, 3);
    n = 0;
    inv_service_list_walk("none", count_one, &n);
    assert_int_equal(n, 0);
    assert_true(inv_cov_has("backup, monitoring", "monitoring"));
    assert_false(inv_cov_has("backup, monitoring", "monitor"));
    assert_false(inv_cov_has("none", "none"));
    inv_buf_free(&b);
}

static void test_terms(void **state)
{
    (void)state;
    inv_err e = {0};
    inv_term t, u;
    inv_term_init(&t);
    inv_term_init(&u);
    t.type = INV_TERM_CLASS;
    t.id = strdup("gold");
    /* fields are kept in document order whatever the order they are set in */
    assert_int_equal(inv_term_set(&t, "resolution critical", "4h", &e), INV_OK);
    assert_int_equal(inv_term_set(&t, "availability", "99.9%", &e), INV_OK);
    assert_int_equal(inv_term_set(&t, "name", "Gold", &e), INV_OK);
    assert_int_equal(inv_term_set(&t, "response critical", "1h", &e), INV_OK);
    assert_int_equal(inv_term_set(&t, "colour", "x", &e), INV_EINPUT);
    inv_buf b = {0};
    assert_int_equal(inv_term_format(&b, &t), 0);
    assert_string_equal(b.data, "class: gold\n  name: Gold\n  availability: 99.9%\n"
                                "  response critical: 1h\n  resolution critical: 4h\n");
    /* stored and read back */
    inv_buf enc = {0};
    assert_int_equal(inv_term_encode(&t, &enc), 0);
    assert_int_equal(inv_term_decode(&u, INV_TERM_CLASS, "gold", enc.data, enc.len, &e), INV_OK);
    assert_true(inv_term_equal(&t, &u));
    /* a modification lists what differs, quoted, (none) when absent */
    assert_int_equal(inv_term_set(&u, "response critical", "30min", &e), INV_OK);
    assert_int_equal(inv_term_set(&u, "availability", NULL, &e), INV_OK);
    b.len = 0;
    assert_int_equal(inv_term_change_format(&b, 'M', &t, &u, NULL), 0);
    assert_string_equal(b.data, "class ~ gold\n  availability: \"99.9%\" -> (none)\n"
                                "  response critical: \"1h\" -> \"30min\"\n");
    b.len = 0;
    assert_int_equal(inv_term_change_format(&b, 'R', &t, NULL, "ended"), 0);
    assert_string_equal(b.data, "class - gold\n  reason: ended\n");
    /* a stored body that is not canonical, or out of order, is refused */
    const char bad1[] = "availability\x1f" "99.90%\x1e";
    assert_int_equal(inv_term_decode(&u, INV_TERM_CLASS, "gold", bad1, sizeof bad1 - 1, &e),
                     INV_EINPUT);
    const char bad2[] = "response critical\x1f" "1h\x1ename\x1fGold\x1e";
    assert_int_equal(inv_term_decode(&u, INV_TERM_CLASS, "gold", bad2, sizeof bad2 - 1, &e),
                     INV_EINPUT);
    const char bad3[] = "services\x1f" "b, a\x1esla\x1fnone\x1e";
    assert_int_equal(inv_term_decode(&u, INV_TERM_DEFAULT, "server", bad3, sizeof bad3 - 1, &e),
                     INV_EINPUT);
    const char ok3[] = "services\x1f" "a, b\x1esla\x1fnone\x1e";
    assert_int_equal(inv_term_decode(&u, INV_TERM_DEFAULT, "server", ok3, sizeof ok3 - 1, &e),
                     INV_OK);
    assert_int_equal(inv_term_decode(&u, INV_TERM_DEFAULT, "serveur", ok3, sizeof ok3 - 1, &e),
                     INV_EINPUT);
    assert_int_equal(inv_term_type_of("exclusion", 9), INV_TERM_EXCLUSION);
    assert_int_equal(inv_term_type_of("item", 4), -1);
    inv_buf_free(&b);
    inv_buf_free(&enc);
    inv_term_free(&t);
    inv_term_free(&u);
}

static void test_item_coverage(void **state)
{
    (void)state;
    inv_err e = {0};
    inv_buf b = {0};
    assert_int_equal(inv_cov_lines(&b, "backup, monitoring", "gold", INV_OWN_SLA), 0);
    assert_string_equal(b.data, "  services: backup, monitoring (kind default)\n"
                                "  sla: gold (own)\n");
    b.len = 0;
    assert_int_equal(inv_cov_lines(&b, NULL, NULL, 0), 0);
    assert_string_equal(b.data, "  services: none (kind default)\n  sla: none (kind default)\n");
    inv_item it;
    inv_item_init(&it);
    assert_int_equal(inv_item_cov_line(&it, "serial", "x", &e), 0);
    assert_int_equal(inv_item_cov_line(&it, "services", "backup, monitoring (own)", &e), 1);
    assert_int_equal(inv_item_cov_line(&it, "sla", "gold (kind default)", &e), 1);
    assert_string_equal(it.svc, "backup, monitoring");
    assert_string_equal(it.sla, "gold");
    assert_int_equal(it.own, INV_OWN_SERVICES);
    assert_int_equal(inv_item_cov_line(&it, "sla", "gold", &e), -1);
    assert_int_equal(inv_item_cov_line(&it, "services", "monitoring, backup (own)", &e), -1);
    /* the item block carries them right after the name */
    it.id = strdup("SRV-01");
    it.kind = strdup("server");
    it.name = strdup("");
    b.len = 0;
    assert_int_equal(inv_item_format(&b, &it), 0);
    assert_string_equal(b.data, "item: SRV-01\n  kind: server\n  name:\n"
                                "  services: backup, monitoring (own)\n"
                                "  sla: gold (kind default)\n");
    inv_item_free(&it);
    inv_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ids),          cmocka_unit_test(test_levels),
        cmocka_unit_test(test_durations),    cmocka_unit_test(test_availability),
        cmocka_unit_test(test_service_lists), cmocka_unit_test(test_terms),
        cmocka_unit_test(test_item_coverage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
