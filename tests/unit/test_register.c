/* test_register.c - unit tests of store/register.c: creating a register file (its refusals,
 * no temporary file left) and opening it (parties, keys, refusals). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "inventory.h"
#include "store_int.h"
#include "testutil.h"

/* The register of every test here (tests/unit/testutil.h). */
typedef tu_reg fx;

/* The default register of testutil.h, from a given clock. */
static inv_init init_for(fx *f, int64_t now)
{
    inv_init in = {0};
    in.contract = "ACME-2026-01";
    in.provider_name = "Helvetia IT SA";
    in.client_name = "ACME SA";
    in.provider_key = f->pk[0];
    in.client_key = f->pk[1];
    in.now = now;
    return in;
}

/* A fresh directory, the register's path in it, and the two keys. */
static void fx_start(fx *f)
{
    f->dir = tu_tmpdir();
    f->path = tu_path(f->dir, "acme.db");
    tu_parse_pk(TU_PK_A_B64, &f->pk[0]);
    tu_parse_pk(TU_PK_B_B64, &f->pk[1]);
}

/* --- creation and opening --- */

static void test_create_and_open(void **state)
{
    (void)state;
    fx f = {0};
    inv_err e = {0};
    fx_start(&f);
    char kid[CR_KEYID_HEX];
    cr_keyid_hex(f.pk[0].keyid, kid);
    assert_string_equal(kid, TU_PK_A_ID);
    cr_keyid_hex(f.pk[1].keyid, kid);
    assert_string_equal(kid, TU_PK_B_ID);

    /* refusals leave nothing behind */
    inv_init in = init_for(&f, tu_time("2026-01-05T08:00:00Z"));
    in.client_key = f.pk[0];
    assert_err(inv_create(f.path, &in, &e), &e, INV_EINPUT, "same public key");
    in = init_for(&f, 0);
    in.contract = "";
    assert_err(inv_create(f.path, &in, &e), &e, INV_EINPUT, "contract reference is empty");
    in.contract = "ACME\n2026";
    assert_err(inv_create(f.path, &in, &e), &e, INV_EINPUT, "contract reference");
    in.contract = "ACME-2026-01";
    in.provider_name = "";
    assert_err(inv_create(f.path, &in, &e), &e, INV_EINPUT, "provider name");
    in.provider_name = "Helvetia IT SA";
    in.client_name = "ACME\x01";
    assert_err(inv_create(f.path, &in, &e), &e, INV_EINPUT, "client name");
    assert_int_equal(tu_dir_entries(f.dir), 0);

    in = init_for(&f, tu_time("2026-01-05T08:00:00Z"));
    assert_ok(inv_create(f.path, &in, &e), &e);
    assert_int_equal(tu_dir_entries(f.dir), 1); /* no temporary file left */
    struct stat sb;
    assert_int_equal(stat(f.path, &sb), 0);
    size_t len1;
    char *before = tu_slurp(f.path, &len1);
    assert_non_null(before);

    /* refuses to overwrite, and the file is byte-for-byte unchanged */
    assert_err(inv_create(f.path, &in, &e), &e, INV_EINPUT, "already exists");
    size_t len2;
    char *after = tu_slurp(f.path, &len2);
    assert_int_equal(len1, len2);
    assert_memory_equal(before, after, len1);
    assert_int_equal(tu_dir_entries(f.dir), 1);
    free(before);
    free(after);

    inv_register *r = NULL;
    assert_ok(inv_open(f.path, 0, &r, &e), &e);
    const char *rid = inv_register_id(r);
    assert_int_equal(strlen(rid), 32);
    assert_int_equal(strspn(rid, "0123456789abcdef"), 32);
    assert_string_equal(inv_contract(r), "ACME-2026-01");
    assert_string_equal(inv_path(r), f.path);
    inv_party p;
    assert_ok(inv_party_get(r, "provider", 0, &p, &e), &e);
    assert_string_equal(p.name, "Helvetia IT SA");
    assert_memory_equal(p.key.pk, f.pk[0].pk, CR_PK_BYTES);
    assert_memory_equal(p.key.keyid, f.pk[0].keyid, CR_KEYID_BYTES);
    inv_party_free(&p);
    assert_ok(inv_party_get(r, "client", 1, &p, &e), &e);
    assert_string_equal(p.name, "ACME SA");
    assert_memory_equal(p.key.pk, f.pk[1].pk, CR_PK_BYTES);
    inv_party_free(&p);
    int64_t latest = -1, count = -1;
    assert_ok(inv_latest(r, &latest, &e), &e);
    assert_int_equal(latest, 0);
    assert_ok(inv_stage_count(r, &count, &e), &e);
    assert_int_equal(count, 0);
    inv_close(r);

    /* a second register gets another random id */
    char *path2 = tu_path(f.dir, "other.db");
    assert_ok(inv_create(path2, &in, &e), &e);
    inv_register *r2 = NULL, *r1 = NULL;
    assert_ok(inv_open(path2, 0, &r2, &e), &e);
    assert_ok(inv_open(f.path, 0, &r1, &e), &e);
    assert_string_not_equal(inv_register_id(r1), inv_register_id(r2));
    inv_close(r1);
    inv_close(r2);
    free(path2);

    tu_rmtree(f.dir);
    free(f.dir);
    free(f.path);
}

static void test_open_refusals(void **state)
{
    (void)state;
    inv_err e = {0};
    inv_register *r = (inv_register *)1;
    char *dir = tu_tmpdir();
    char *missing = tu_path(dir, "missing.db");
    assert_err(inv_open(missing, 1, &r, &e), &e, INV_EINPUT, "missing.db");
    assert_null(r);
    assert_int_equal(access(missing, F_OK), -1); /* not created */

    char *text = tu_path(dir, "notes.txt");
    const char *content = "this is not a register\n";
    assert_int_equal(tu_write(text, content, strlen(content)), 0);
    assert_err(inv_open(text, 1, &r, &e), &e, INV_EINPUT, "is not a scopereg register");
    assert_non_null(strstr(e.msg, "notes.txt"));
    size_t len;
    char *back = tu_slurp(text, &len);
    assert_string_equal(back, content); /* untouched */
    free(back);

    char *empty = tu_path(dir, "empty.db");
    assert_int_equal(tu_write(empty, "", 0), 0);
    assert_err(inv_open(empty, 1, &r, &e), &e, INV_EINPUT, "is not a scopereg register");

    assert_err(inv_open(dir, 0, &r, &e), &e, INV_EINPUT, "not a scopereg register");

    /* an SQLite database of some other application */
    char *other = tu_path(dir, "other.db");
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(other, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "CREATE TABLE t(x); INSERT INTO t VALUES (1);", NULL,
                                  NULL, NULL),
                     SQLITE_OK);
    sqlite3_close(db);
    assert_err(inv_open(other, 1, &r, &e), &e, INV_EINPUT, "is not a scopereg register");
    assert_null(r);

    tu_rmtree(dir);
    free(dir);
    free(missing);
    free(text);
    free(empty);
    free(other);
}

/* --- the commit gate --- */

/* SQLite may end a transaction by itself (out of memory, an I/O error);
 * a write run after that must not commit alone: the gate refuses it,
 * names the cause, and nothing reaches the file. Simulated here by
 * rolling back behind the store's back. */
static void test_commit_gate(void **state)
{
    (void)state;
    fx f = {0};
    inv_err e = {0};
    fx_start(&f);
    inv_init in = init_for(&f, tu_time("2026-01-05T08:00:00Z"));
    assert_ok(inv_create(f.path, &in, &e), &e);
    size_t len0, len1;
    char *before = tu_slurp(f.path, &len0);
    assert_non_null(before);

    inv_register *r = NULL;
    assert_ok(inv_open(f.path, 1, &r, &e), &e);
    int64_t n, items;
    char hash[CR_HASH_STR_LEN];
    assert_err(inv_last_commit(r, &n, &items, hash, &e), &e, INV_EINPUT, "nothing was committed");
    assert_ok(inv_begin(r, &e), &e);
    assert_ok(inv__exec(r, "INSERT INTO meta(key, value) VALUES ('gate-x', '1')", &e), &e);
    assert_int_equal(sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
    /* this write would commit by itself: refused */
    assert_err(inv__exec(r, "INSERT INTO meta(key, value) VALUES ('gate-y', '2')", &e), &e,
               INV_EIO, "SQLite ended the transaction after an error");
    assert_non_null(strstr(e.msg, "nothing was written"));
    assert_err(inv_end(r, 1, &e), &e, INV_EIO, "SQLite ended the transaction after an error");
    inv_close(r);

    char *after = tu_slurp(f.path, &len1);
    assert_non_null(after);
    assert_int_equal(len0, len1);
    assert_memory_equal(before, after, len0);
    free(before);
    free(after);

    /* an explicit transaction still commits */
    assert_ok(inv_open(f.path, 1, &r, &e), &e);
    assert_ok(inv_begin(r, &e), &e);
    assert_ok(inv__exec(r, "INSERT INTO meta(key, value) VALUES ('gate-z', '3')", &e), &e);
    assert_ok(inv_end(r, 1, &e), &e);
    inv_close(r);
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open_v2(f.path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT group_concat(key) FROM meta WHERE key LIKE "
                                            "'gate-%'", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "gate-z");
    sqlite3_finalize(st);
    sqlite3_close(db);

    tu_rmtree(f.dir);
    free(f.dir);
    free(f.path);
}

int main(void)
{
    cr_err ce = {0};
    if (cr_init(&ce) != CR_OK) {
        fprintf(stderr, "cr_init: %s\n", ce.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_and_open),
        cmocka_unit_test(test_open_refusals),
        cmocka_unit_test(test_commit_gate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
