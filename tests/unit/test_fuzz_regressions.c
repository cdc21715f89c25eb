/*
 * test_fuzz_regressions.c - inputs that the libFuzzer targets of
 * tests/fuzz once made fail, written out here so that the ordinary suite
 * (plain and under ASan + UBSan, tests/run.sh) keeps checking them.
 *
 * Each input is handed over in a heap buffer of exactly its size with no
 * NUL after it, as the (pointer, length) interfaces allow, so that ASan
 * sees any read past its end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "crypto.h"
#include "inventory.h"

/* An exact-size heap copy of len bytes (no terminating NUL). */
static char *exact(const void *data, size_t len)
{
    char *p = malloc(len ? len : 1);
    assert_non_null(p);
    memcpy(p, data, len);
    return p;
}

/* fuzz_minisign: cr_parse_key_text (through cr_pubkey_parse) looked for
 * more lines after a first line without the "untrusted comment: " prefix
 * with strspn(), which runs to a NUL: when everything after line 1 was
 * line ends, it read past the end of the text. */
static void test_key_text_trailing_line_ends(void **state)
{
    (void)state;
    static const unsigned char found[] = {
        0x75, 0x6e, 0x74, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x37, 0x31, 0x31, 0x30, 0x46,
        0x31, 0x30, 0x33, 0x43, 0x38, 0xe1, 0x52, 0x57, 0x54, 0x49, 0x41, 0x38, 0x6f, 0x44,
        0x4f, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x36, 0x38, 0x6f, 0x44, 0x4f, 0x00, 0x00,
        0x00, 0x00, 0x00, 0x00, 0x00, 0x9e, 0x42, 0x34, 0x58, 0x41, 0x46, 0x31, 0x4e, 0x0a,
        0x0a};
    cr_pubkey pk;
    cr_err e;
    unsigned char bin[158];
    char *t = exact(found, sizeof found);
    assert_int_equal(cr_pubkey_parse(t, sizeof found, &pk, &e), CR_EINPUT);
    free(t);
    /* The smallest form: one line, then only line ends. */
    static const char *const cases[] = {"x\n\n", "x\r\n\r\n", "x\n", "x\n\r\n\n\n"};
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = strlen(cases[i]);
        t = exact(cases[i], n);
        assert_int_equal(cr_parse_key_text(t, n, bin, sizeof bin, NULL, &e), CR_EINPUT);
        assert_non_null(strstr(e.msg, "base64"));
        assert_int_equal(cr_pubkey_parse(t, n, &pk, &e), CR_EINPUT);
        free(t);
    }
    /* A real key line followed by line ends still parses. */
    static const char key[] = "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3\n\r\n\n";
    t = exact(key, sizeof key - 1);
    assert_int_equal(cr_pubkey_parse(t, sizeof key - 1, &pk, &e), CR_OK);
    free(t);
}

/* The prehashed signature of "test" by minisign's own key (corpus
 * rust-minisign-verify, and jedisct1/minisign's README), line by line. */
static const char ms_pub[] = "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3";
static const char ms_l1[] = "untrusted comment: signature from minisign secret key";
static const char ms_l2[] = "RUQf6LRCGA9i559r3g7V1qNyJDApGip8MfqcadIgT9CuhV3EMhHoN1mGTkUidF/z7S"
                            "rlQgXdy8ofjb7bNJJylDOocrCo8KLzZwo=";
static const char ms_l3[] = "trusted comment: timestamp:1556193335\tfile:test";
static const char ms_l4[] = "y/rUw2y8/hOUYjZU71eHp/Wo1KZ40fGy2VJEDl34XMJM+TX48Ss/17u3IvIfbVR1FkZZ"
                            "SNCisQbuQY+bHwhEBg==";

/* Parses text (exact-size copy), formats what it read and parses that
 * again: both reads must be the same. Returns cr_sig_parse's result. */
static int parse_round_trip(const char *text, size_t len, cr_sig *s)
{
    cr_err e;
    char *t = exact(text, len);
    int rc = cr_sig_parse(t, len, s, &e);
    free(t);
    if (rc == CR_OK) {
        cr_sig again;
        char *f = cr_sig_format(s);
        assert_non_null(f);
        assert_int_equal(cr_sig_parse(f, strlen(f), &again, &e), CR_OK);
        assert_memory_equal(s, &again, sizeof again);
        free(f);
    }
    return rc;
}

/* fuzz_minisign: a comment line ending in several CRs before its LF read
 * as the comment plus CRs (only one CR was dropped), so formatting and
 * reading it again changed it, and a trusted comment line like that was
 * checked over other bytes than stock minisign checks (its trim() drops
 * every CR and LF at the end of a line): minisign said "verified",
 * scopereg "does not verify". */
static void test_sig_comment_trailing_crs(void **state)
{
    (void)state;
    char text[1024];
    cr_sig s;
    cr_pubkey pk;
    cr_err e;
    assert_int_equal(cr_pubkey_parse(ms_pub, strlen(ms_pub), &pk, &e), CR_OK);
    /* As found: "untrusted comment: sign \r\r\r\n" */
    int n = snprintf(text, sizeof text, "untrusted comment: sign \r\r\r\n%s\n%s\n%s\n", ms_l2, ms_l3,
                     ms_l4);
    assert_int_equal(parse_round_trip(text, (size_t)n, &s), CR_OK);
    assert_string_equal(s.untrusted, "sign ");
    /* The trusted comment with CRs before its LF verifies, as with minisign. */
    n = snprintf(text, sizeof text, "%s\r\n%s\r\r\n%s\r\r\r\n%s\r\r\n", ms_l1, ms_l2, ms_l3, ms_l4);
    assert_int_equal(parse_round_trip(text, (size_t)n, &s), CR_OK);
    assert_string_equal(s.trusted, "timestamp:1556193335\tfile:test");
    assert_int_equal(cr_verify(&pk, &s, "test", 4, &e), CR_OK);
    /* A CR inside a comment stays: it is signed data. */
    n = snprintf(text, sizeof text, "untrusted comment: a\rb\n%s\n%s\n%s\n", ms_l2, ms_l3, ms_l4);
    assert_int_equal(parse_round_trip(text, (size_t)n, &s), CR_OK);
    assert_string_equal(s.untrusted, "a\rb");
}

/* Found while reducing the input above: libsodium 1.0.18 (Debian 12)
 * decodes every byte from 0x80 up as the base64 digit '/', so a signature
 * or key line with '/' replaced by such bytes read as the same data. */
static void test_base64_high_bytes(void **state)
{
    (void)state;
    char text[1024], l2[sizeof ms_l2];
    cr_sig s;
    cr_pubkey pk;
    cr_err e;
    unsigned char bin[64];
    memcpy(l2, ms_l2, sizeof l2);
    char *slash = strchr(l2, '/');
    assert_non_null(slash);
    *slash = (char)0xbc;
    int n = snprintf(text, sizeof text, "%s\n%s\n%s\n%s\n", ms_l1, l2, ms_l3, ms_l4);
    assert_int_equal(parse_round_trip(text, (size_t)n, &s), CR_EINPUT);
    char pub[sizeof ms_pub];
    memcpy(pub, ms_pub, sizeof pub);
    pub[strlen(pub) - 1] = (char)0xff;
    assert_int_equal(cr_pubkey_parse(pub, strlen(pub), &pk, &e), CR_EINPUT);
    for (int c = 0x80; c < 0x100; c++) {
        char line[5] = {'Q', 'U', 'F', (char)c, 0};
        assert_int_equal(cr_base64_line(line, 4, bin, 3, 1, &e), CR_EINPUT);
    }
    assert_int_equal(cr_base64_line("QUF/", 4, bin, 3, 1, &e), CR_OK);
}

int main(void)
{
    cr_err e;
    if (cr_init(&e) != CR_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_text_trailing_line_ends),
        cmocka_unit_test(test_sig_comment_trailing_crs),
        cmocka_unit_test(test_base64_high_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
