/* test_verify.c - unit tests of work/verify.c: verification of the hash chain, including edits
 * made behind the tool's back with SQLite; rows naming versions the register does not hold, a
 * version dated backwards, removal reasons, and the staged rows commit checks again. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

#include "inventory.h"
#include "testutil.h"

/* The register of every test here (tests/unit/testutil.h). */
typedef tu_reg fx;

/* --- verification --- */

typedef struct checks {
    int n;
    int ok[8];
    char reason[8][1024];
} checks;

static int record_check(void *ctx, const inv_check *c)
{
    checks *k = ctx;
    assert_true(c->version >= 1 && c->version < 8);
    assert_int_equal(c->version, k->n + 1); /* in order, once each */
    k->ok[c->version] = c->ok;
    snprintf(k->reason[c->version], sizeof k->reason[0], "%s", c->ok ? "" : c->reason);
    if (!c->ok)
        assert_non_null(c->reason);
    k->n++;
    return 0;
}

/* Runs SQL on the register file with SQLite directly, as someone with the
 * sqlite3 shell would; asserts it changed want_changes rows. */
static void tamper(fx *f, const char *sql, int want_changes)
{
    inv_close(f->r);
    f->r = NULL;
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    char *err = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &err) != SQLITE_OK)
        fail_msg("tamper '%s': %s", sql, err);
    assert_int_equal(sqlite3_changes(db), want_changes);
    sqlite3_close(db);
    inv_err e = {0};
    assert_ok(inv_open(f->path, 0, &f->r, &e), &e);
}

static void test_verify_ok(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    checks k = {0};
    /* an empty register holds */
    assert_ok(inv_verify(f->r, record_check, &k, &e), &e);
    assert_int_equal(k.n, 0);
    tu_build_history(f->r);
    assert_ok(inv_verify(f->r, record_check, &k, &e), &e);
    assert_int_equal(k.n, 3);
    for (int v = 1; v <= 3; v++)
        assert_true(k.ok[v]);
    /* staged changes do not matter */
    tu_stage_add(f->r, "NEW", "pc", NULL, NULL);
    assert_ok(inv_verify(f->r, NULL, NULL, &e), &e);
}

static void test_verify_item_value_tampered(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    checks k = {0};
    tu_build_history(f->r);
    /* the ip of SRV-01 as committed at version 2 (still in scope at 3) */
    tamper(f,
           "UPDATE item SET attrs = CAST(replace(CAST(attrs AS TEXT), '10.0.0.6', '10.0.0.7')"
           " AS BLOB) WHERE id = 'SRV-01' AND since = 2",
           1);
    assert_err(inv_verify(f->r, record_check, &k, &e), &e, INV_FAIL, "version 2");
    assert_int_equal(k.n, 3);
    assert_true(k.ok[1]);
    assert_false(k.ok[2]);
    assert_false(k.ok[3]);
    assert_non_null(strstr(k.reason[2], "SRV-01"));
    /* the document shows the altered value, so the hash cannot match */
    char *doc = tu_render(f->r, 2);
    assert_non_null(strstr(doc, "  ip: 10.0.0.7\n"));
    free(doc);
}

static void test_verify_version1_tampered(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    checks k = {0};
    tu_build_history(f->r);
    tamper(f, "UPDATE item SET name = 'Poste direction' WHERE id = 'PC-010' AND since = 1", 1);
    assert_err(inv_verify(f->r, record_check, &k, &e), &e, INV_FAIL, "version 1");
    assert_false(k.ok[1]);
    assert_non_null(strstr(k.reason[1], "PC-010"));
    /* version 2 shows PC-010's change from that row, so its document changes
     * too, and version 3's link to it breaks */
    assert_false(k.ok[2]);
    assert_non_null(strstr(k.reason[2], "link to version 1"));
    assert_false(k.ok[3]);
    assert_non_null(strstr(k.reason[3], "link to version 2"));
}

static void test_verify_version_row_tampered(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    checks k = {0};
    tu_build_history(f->r);
    tamper(f, "UPDATE version SET message = 'Q1 (amended)' WHERE number = 2", 1);
    assert_err(inv_verify(f->r, record_check, &k, &e), &e, INV_FAIL, "version 2");
    assert_true(k.ok[1]);
    assert_false(k.ok[2]);
    assert_false(k.ok[3]); /* its previous: no longer matches */
    assert_non_null(strstr(k.reason[3], "version 2"));
}

/* --- rows naming versions the register does not hold (F5, F6) --- */

/* Every check in order, whatever its number: versions and verdicts. */
typedef struct any_checks {
    int n;
    int64_t version[16];
    int ok[16];
    char reason[16][1024];
} any_checks;

static int record_any(void *ctx, const inv_check *c)
{
    any_checks *k = ctx;
    assert_true(k->n < 16);
    if (k->n)
        assert_true(c->version > k->version[k->n - 1]); /* in order, once each */
    k->version[k->n] = c->version;
    k->ok[k->n] = c->ok;
    snprintf(k->reason[k->n], sizeof k->reason[0], "%s", c->ok ? "" : c->reason);
    k->n++;
    return 0;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_verify_huge_signature_version(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    any_checks k = {0};
    struct timespec t0;
    tu_build_history(f->r);
    tamper(f, "INSERT INTO signature(version, role, key_id, signed_at, minisig)"
              " VALUES (9223372036854775807, 'client', '" TU_PK_B_ID "',"
              " '2026-03-02T09:00:00Z', 'x')", 1);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_err(inv_verify(f->r, record_any, &k, &e), &e, INV_FAIL,
               "version 9223372036854775807 does not hold");
    assert_true(seconds_since(&t0) < 1.0);
    assert_int_equal(k.n, 4); /* 1, 2, 3 and one line for the row */
    assert_true(k.ok[0] && k.ok[1] && k.ok[2]);
    assert_true(k.version[3] == INT64_MAX);
    assert_false(k.ok[3]);
    assert_non_null(strstr(k.reason[3], "1 signature row names versions beyond the latest "
                                        "version 3 (version 9223372036854775807)"));
}

static void test_verify_huge_version_row(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    any_checks k = {0};
    struct timespec t0;
    int64_t n = 0, latest = 0;
    tu_build_history(f->r);
    tamper(f, "INSERT INTO version VALUES (9223372036854775807, '2026-05-01T00:00:00Z', 'jm',"
              " 'big', 'none', 'x', 0)", 1);
    clock_gettime(CLOCK_MONOTONIC, &t0);
    assert_err(inv_verify(f->r, record_any, &k, &e), &e, INV_FAIL, "version 4 does not hold");
    assert_true(seconds_since(&t0) < 1.0);
    assert_int_equal(k.n, 5);
    assert_true(k.version[3] == 4 && k.version[4] == INT64_MAX);
    assert_non_null(strstr(k.reason[3], "versions 4 to 9223372036854775806 "
                                        "(9223372036854775803 versions) are missing"));
    assert_false(k.ok[4]);
    /* at, evidence (through inv_in_force_at) and commit refuse */
    inv_in_force inf;
    assert_err(inv_in_force_at(f->r, tu_time("2026-04-01"), &inf, &e), &e, INV_FAIL,
               "the register holds 4 versions numbered up to 9223372036854775807");
    assert_err(inv_versions_contiguous(f->r, &latest, &e), &e, INV_FAIL,
               "9223372036854775803 versions between 1 and 9223372036854775807 are missing");
    tu_reg_reopen(f);
    tu_stage_add(f->r, "NEW-1", "pc", NULL, NULL);
    assert_err(inv_commit(f->r, "x", "jm", tu_time("2026-06-01T00:00:00Z"), &n, &e), &e,
               INV_FAIL, "are missing");
    assert_int_equal(tu_staged_count(f->r), 1);
    /* a middle version deleted: one line for it, the others checked */
    tamper(f, "DELETE FROM version WHERE number = 9223372036854775807;"
              " DELETE FROM version WHERE number = 2", 1);
    memset(&k, 0, sizeof k);
    assert_err(inv_verify(f->r, record_any, &k, &e), &e, INV_FAIL, "version 2 does not hold");
    assert_int_equal(k.n, 3);
    assert_true(k.ok[0]);
    assert_non_null(strstr(k.reason[1], "version 2 is missing from the register"));
    assert_true(k.version[2] == 3 && k.ok[2]); /* checked on its own */
}

static void test_verify_rows_of_no_version(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    any_checks k = {0};
    tu_build_history(f->r);
    tamper(f, "INSERT INTO version VALUES (0, '2026-01-01T00:00:00Z', 'jm', 'zero', 'none',"
              " 'x', 0)", 1);
    tamper(f, "INSERT INTO signature VALUES (-3, 'client', 'A', '2026-01-01T00:00:00Z', 'x'),"
              " (CAST('3' AS BLOB), 'client', 'B', '2026-03-02T00:00:00Z', 'x')", 2);
    tamper(f, "INSERT INTO party_key SELECT 'Client', since, key_id, public_key FROM party_key"
              " WHERE role = 'client'", 1);
    tamper(f, "INSERT INTO item(id, since, until, op, kind, name, attrs, reason, digest)"
              " VALUES ('EVIL', -5, -4, 'A', 'server', 'x', x'', NULL, '0')", 1);
    assert_err(inv_verify(f->r, record_any, &k, &e), &e, INV_FAIL, "version 3 does not hold");
    assert_int_equal(k.n, 3);
    assert_true(k.ok[0] && k.ok[1]);
    assert_non_null(strstr(k.reason[2], "1 item row and 2 signature rows name version 0, a "
                                        "version below it or a version that is not a whole "
                                        "number"));
    assert_non_null(strstr(k.reason[2], "1 key row names a role other than provider or "
                                        "client"));
    assert_non_null(strstr(k.reason[2], "1 version row is numbered 0 or below (the lowest: 0)"));
    inv_in_force inf;
    assert_err(inv_in_force_at(f->r, tu_time("2026-04-01"), &inf, &e), &e, INV_FAIL,
               "the register holds a version numbered 0");
}

/* --- a removal reason is a value (F9) --- */

static void test_verify_removal_reason(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    any_checks k = {0};
    tu_build_history(f->r);
    tamper(f, "UPDATE item SET reason = 'a' || char(27) || '[2J' || char(13) || 'ok'"
              " WHERE id = 'pc-001' AND op = 'R'", 1);
    assert_err(inv_verify(f->r, record_any, &k, &e), &e, INV_FAIL, "version 2 does not hold");
    assert_non_null(strstr(k.reason[1], "item 'pc-001': its removal reason: field 'reason': a "
                                        "control character at character 2"));
    tamper(f, "UPDATE item SET reason = '' WHERE id = 'pc-001' AND op = 'R'", 1);
    memset(&k, 0, sizeof k);
    assert_err(inv_verify(f->r, record_any, &k, &e), &e, INV_FAIL, "version 2 does not hold");
    assert_non_null(strstr(k.reason[1], "item 'pc-001': its removal has no reason"));
}

/* --- a version dated before the one it follows (F4) --- */

static int count_steps(void *ctx, const inv_history_step *s)
{
    (void)s;
    ++*(int *)ctx;
    return 0;
}

static void test_version_dated_backwards(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    int steps = 0;
    tu_build_history(f->r);
    assert_ok(inv_version_check(f->r, 3, &e), &e);
    tamper(f, "UPDATE version SET date = '2026-01-20T00:00:00Z' WHERE number = 3", 1);
    static const char want[] = "version 3: its date (2026-01-20T00:00:00Z) is before the date "
                               "of version 2 (2026-02-01T10:00:00Z)";
    assert_err(inv_version_check(f->r, 3, &e), &e, INV_FAIL, want);
    assert_ok(inv_version_check(f->r, 2, &e), &e);
    unsigned char prehash[CR_PREHASH_BYTES];
    char hash[CR_HASH_STR_LEN];
    assert_err(inv_doc_digests(f->r, 3, prehash, hash, &e), &e, INV_FAIL, want);
    /* history of an item changed at 3 refuses before any step; of one
     * that version 3 does not touch, answers */
    assert_err(inv_history(f->r, "WS-01", count_steps, &steps, &e), &e, INV_FAIL, want);
    assert_int_equal(steps, 0);
    assert_ok(inv_history(f->r, "FW-01", count_steps, &steps, &e), &e);
    assert_int_equal(steps, 1);
    inv_in_force inf;
    assert_err(inv_in_force_at(f->r, tu_time("2026-04-01"), &inf, &e), &e, INV_FAIL, want);
}

/* --- commit checks the staged rows again (F1, F9) --- */

static void test_commit_rechecks_stage(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    int64_t n = 0, latest = 0;
    tu_build_history(f->r);
    static const struct {
        const char *row, *want;
    } bad[] = {
        {"'EVIL-01', 'A', 'server', 'x' || char(13) || 'item: FAKE', x'', NULL",
         "the staged addition of item 'EVIL-01' does not hold: field 'name': a control "
         "character at character 2"},
        {"'EVIL-01', 'A', 'spaceship', 'x', x'', NULL",
         "item 'EVIL-01' does not hold: field 'kind': 'spaceship' is not a kind"},
        {"'', 'A', 'server', 'x', x'', NULL",
         "item '' does not hold: field 'id': empty item id"},
        {"char(10), 'A', 'server', 'x', x'', NULL",
         "item '\\x0a' does not hold: field 'id': item id: a control character at character 1"},
        {"'E1', 'A', 'server', CAST(x'ff' AS TEXT), x'', NULL",
         "item 'E1' does not hold: field 'name': invalid UTF-8 at character 1"},
        {"'SRV-02' || char(8203), 'A', 'server', 'x', x'', NULL",
         "item 'SRV-02\\xe2\\x80\\x8b' does not hold: field 'id': item id: U+200B"},
        {"'E2', 'A', 'server', 'x', CAST('ip' || char(31) || 'a' || char(27) || char(30)"
         " AS BLOB), NULL",
         "item 'E2' does not hold: field 'ip': a control character at character 2"},
        {"'SRV-01', 'R', NULL, NULL, NULL, 'a' || char(27) || '[2J'",
         "the staged removal of item 'SRV-01' does not hold: field 'reason': a control "
         "character at character 2"},
        {"'SRV-01', 'R', NULL, NULL, NULL, ''",
         "the staged removal of item 'SRV-01' does not hold: field 'reason': empty"},
        {"'SRV-01', 'E', 'server', 'x' || char(0) || 'y', x'', NULL",
         "the staged change of item 'SRV-01' does not hold: field 'name': a NUL character"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char sql[512];
        snprintf(sql, sizeof sql, "DELETE FROM stage; INSERT INTO stage(id, op, kind, name, attrs, reason)"
                  " VALUES (%s)",
                 bad[i].row);
        tamper(f, sql, 1);
        tu_reg_reopen(f);
        if (inv_commit(f->r, "x", "jm", tu_time("2026-04-01T00:00:00Z"), &n, &e) !=
                INV_EINPUT ||
            !strstr(e.msg, bad[i].want) || !strstr(e.msg, "refusing to commit"))
            fail_msg("case %zu: expected \"%s\", got \"%s\"", i, bad[i].want, e.msg);
        assert_ok(inv_latest(f->r, &latest, &e), &e);
        assert_int_equal(latest, 3);
        assert_int_equal(tu_staged_count(f->r), 1);
    }
    /* the same stage, put right, commits */
    tamper(f, "DELETE FROM stage", 1);
    tu_reg_reopen(f);
    tu_stage_add(f->r, "EVIL-01", "server", "x", NULL);
    assert_ok(inv_commit(f->r, "x", "jm", tu_time("2026-04-01T00:00:00Z"), &n, &e), &e);
    assert_int_equal(n, 4);
    assert_ok(inv_verify(f->r, NULL, NULL, &e), &e);
}

int main(void)
{
    cr_err ce = {0};
    if (cr_init(&ce) != CR_OK) {
        fprintf(stderr, "cr_init: %s\n", ce.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_verify_ok, tu_reg_setup_default, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_verify_item_value_tampered,
                                        tu_reg_setup_default, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_verify_version1_tampered,
                                        tu_reg_setup_default, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_verify_version_row_tampered,
                                        tu_reg_setup_default, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_verify_huge_signature_version, tu_reg_setup_default,
                                        tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_verify_huge_version_row, tu_reg_setup_default,
                                        tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_verify_rows_of_no_version, tu_reg_setup_default,
                                        tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_verify_removal_reason, tu_reg_setup_default,
                                        tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_version_dated_backwards, tu_reg_setup_default,
                                        tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_commit_rechecks_stage, tu_reg_setup_default,
                                        tu_reg_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
