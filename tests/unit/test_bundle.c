/* test_bundle.c - unit tests of values/sigtally.c (the signature tally),
 * document/bundle.c (bundle file names) and document/beside.c (signature
 * files beside a document, as far as no key is needed). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "inventory.h"
#include "beside.h"
#include "testutil.h"

/* The tally                                                              */
/* ====================================================================== */

static void test_tally_plain(void **state)
{
    (void)state;
    inv_tally t;
    inv_sig_state s;
    inv_tally_init(&t, 0, 0);
    inv_tally_state(&t, &s);
    assert_string_equal(inv_sig_state_name(&s), "proposed");
    assert_int_equal(s.party[0].need, 1);
    assert_int_equal(s.party[1].have, 0);
    assert_int_equal(inv_agreed_at(&s, 100), 0);
    inv_tally_add(&t, INV_ROLE_PROVIDER, 0, 200);
    inv_tally_add(&t, INV_ROLE_PROVIDER, 0, 150); /* the latest date stays */
    inv_tally_state(&t, &s);
    assert_string_equal(inv_sig_state_name(&s), "signed by provider");
    assert_true(s.party[0].signed_);
    assert_int_equal(s.party[0].have, 1);
    assert_int_equal(s.party[0].at, 200);
    inv_tally_add(&t, INV_ROLE_CLIENT, 0, 300);
    inv_tally_state(&t, &s);
    assert_true(inv_sig_agreed(&s));
    assert_string_equal(inv_sig_state_name(&s), "agreed");
    assert_int_equal(inv_agreed_at(&s, 100), 300);
    /* a signature dated before the version: never agreed */
    assert_int_equal(inv_agreed_at(&s, 250), 0);
}

static void test_tally_rotation(void **state)
{
    (void)state;
    inv_tally t;
    inv_sig_state s;
    inv_tally_init(&t, 0, 1); /* the client's key is replaced */
    inv_tally_add(&t, INV_ROLE_PROVIDER, 0, 10);
    inv_tally_add(&t, INV_ROLE_CLIENT, 0, 20);
    inv_tally_state(&t, &s);
    assert_int_equal(s.party[1].need, 2);
    assert_int_equal(s.party[1].have, 1);
    assert_false(s.party[1].signed_);
    assert_string_equal(inv_sig_state_name(&s), "signed by provider");
    inv_tally_add(&t, INV_ROLE_CLIENT, 1, 30);
    inv_tally_add(&t, INV_ROLE_CLIENT, 1, 25); /* counted once */
    inv_tally_state(&t, &s);
    assert_int_equal(s.party[1].have, 2);
    assert_int_equal(s.party[1].at, 30);
    assert_string_equal(inv_sig_state_name(&s), "agreed");
    /* an old key where no rotation is, and a role out of range: not counted */
    inv_tally_init(&t, 0, 0);
    inv_tally_add(&t, INV_ROLE_PROVIDER, 1, 10);
    inv_tally_add(&t, 2, 0, 10);
    inv_tally_add(&t, -1, 0, 10);
    inv_tally_state(&t, &s);
    assert_int_equal(s.party[0].have, 0);
    assert_int_equal(s.party[0].at, 0);
    assert_string_equal(inv_sig_state_name(&s), "proposed");
}

/* Bundle file names                                                      */
/* ====================================================================== */

static void test_bundle_names(void **state)
{
    (void)state;
    char out[128];
    assert_int_equal(inv_bundle_name(out, sizeof out, INV_FILE_SCOPE, "ACME", 3, 0, NULL), 13);
    assert_string_equal(out, "ACME-v3.scope");
    inv_bundle_name(out, sizeof out, INV_FILE_SIG, "ACME", 12, INV_ROLE_CLIENT, NULL);
    assert_string_equal(out, "ACME-v12.client.minisig");
    inv_bundle_name(out, sizeof out, INV_FILE_OLD_SIG, "ACME", 2, INV_ROLE_PROVIDER, NULL);
    assert_string_equal(out, "ACME-v2.provider.old.minisig");
    inv_bundle_name(out, sizeof out, INV_FILE_PUB, "ACME", 0, INV_ROLE_PROVIDER, NULL);
    assert_string_equal(out, "ACME.provider.pub");
    inv_bundle_name(out, sizeof out, INV_FILE_KEYID_PUB, "ACME", 0, INV_ROLE_CLIENT,
                    "0123456789ABCDEF");
    assert_string_equal(out, "ACME.client.0123456789ABCDEF.pub");
    /* version 0: the stem is a document's name without .scope */
    inv_bundle_name(out, sizeof out, INV_FILE_SIG, "dir/X-v3", 0, INV_ROLE_CLIENT, NULL);
    assert_string_equal(out, "dir/X-v3.client.minisig");
}

static void test_bundle_names_refused(void **state)
{
    (void)state;
    char out[16] = "junk";
    assert_int_equal(inv_bundle_name(out, sizeof out, INV_FILE_SCOPE, "ACME-2026", 3, 0, NULL),
                     -1); /* does not fit */
    assert_string_equal(out, "");
    assert_int_equal(inv_bundle_name(out, sizeof out, INV_FILE_PUB, "A", 0, 2, NULL), -1);
    assert_int_equal(inv_bundle_name(out, sizeof out, INV_FILE_KEYID_PUB, "A", 0, 0, NULL), -1);
    /* strlen(stem) + INV_BUNDLE_NAME_EXTRA always fits */
    char stem[80], big[80 + INV_BUNDLE_NAME_EXTRA];
    memset(stem, 'x', sizeof stem - 1);
    stem[sizeof stem - 1] = '\0';
    assert_true(inv_bundle_name(big, sizeof big, INV_FILE_OLD_SIG, stem, INT64_MAX,
                                INV_ROLE_PROVIDER, NULL) > 0);
    assert_true(inv_bundle_name(big, sizeof big, INV_FILE_KEYID_PUB, stem, 0, INV_ROLE_PROVIDER,
                                "0123456789ABCDEF") > 0);
}

/* Signature files beside a document                                      */
/* ====================================================================== */

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_beside_statuses(void **state)
{
    (void)state;
    char *dir = tu_tmpdir(), stem[512], path[600];
    inv_doc d;
    inv_err e = {0};
    inv_sig_beside s;
    memset(&d, 0, sizeof d);
    d.version = 2;
    memcpy(d.key[0], "0123456789ABCDEF", CR_KEYID_HEX);
    memcpy(d.key[1], "FEDCBA9876543210", CR_KEYID_HEX);
    snprintf(stem, sizeof stem, "%s/X-v2", dir);

    /* none there */
    assert_ok(inv_sig_beside_check(&d, stem, INV_ROLE_CLIENT, 0, NULL, NULL, 0, &s, &e), &e);
    assert_int_equal(s.status, INV_BESIDE_ABSENT);
    snprintf(path, sizeof path, "%s/X-v2.client.minisig", dir);
    assert_string_equal(s.path, path);
    assert_string_equal(s.want, "FEDCBA9876543210");
    inv_sig_beside_free(&s);

    /* an old-key signature where the version replaces no key */
    snprintf(path, sizeof path, "%s/X-v2.client.old.minisig", dir);
    write_file(path, "anything");
    assert_ok(inv_sig_beside_check(&d, stem, INV_ROLE_CLIENT, 1, NULL, NULL, 0, &s, &e), &e);
    assert_int_equal(s.status, INV_BESIDE_IGNORED);
    inv_sig_beside_free(&s);

    /* not a signature file */
    snprintf(path, sizeof path, "%s/X-v2.client.minisig", dir);
    write_file(path, "not a signature\n");
    assert_ok(inv_sig_beside_check(&d, stem, INV_ROLE_CLIENT, 0, NULL, NULL, 0, &s, &e), &e);
    assert_int_equal(s.status, INV_BESIDE_UNREADABLE);
    assert_int_equal(s.err.code, INV_FAIL);
    inv_sig_beside_free(&s);

    /* a FIFO is never opened, a directory neither */
    snprintf(path, sizeof path, "%s/X-v2.provider.minisig", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_ok(inv_sig_beside_check(&d, stem, INV_ROLE_PROVIDER, 0, NULL, NULL, 0, &s, &e), &e);
    assert_int_equal(s.status, INV_BESIDE_NOT_REGULAR);
    assert_string_equal(s.kind, "a FIFO");
    assert_non_null(strstr(s.err.msg, "is a FIFO, not a regular file"));
    inv_sig_beside_free(&s);
    remove(path);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_ok(inv_sig_beside_check(&d, stem, INV_ROLE_PROVIDER, 0, NULL, NULL, 0, &s, &e), &e);
    assert_int_equal(s.status, INV_BESIDE_NOT_REGULAR);
    assert_string_equal(s.kind, "a directory");
    inv_sig_beside_free(&s);
    tu_rmtree(dir);
    free(dir);
}

static void test_open_regular(void **state)
{
    (void)state;
    char *dir = tu_tmpdir(), path[600];
    FILE *f;
    mode_t mode = 0;
    snprintf(path, sizeof path, "%s/fifo", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_int_equal(inv_open_regular(path, &f, &mode), -1); /* does not block */
    assert_null(f);
    assert_string_equal(inv_file_kind(mode), "a FIFO");
    snprintf(path, sizeof path, "%s/file", dir);
    write_file(path, "x");
    assert_int_equal(inv_open_regular(path, &f, &mode), 0);
    assert_int_equal(fgetc(f), 'x');
    fclose(f);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tally_plain),
        cmocka_unit_test(test_tally_rotation),
        cmocka_unit_test(test_bundle_names),
        cmocka_unit_test(test_bundle_names_refused),
        cmocka_unit_test(test_beside_statuses),
        cmocka_unit_test(test_open_regular),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
