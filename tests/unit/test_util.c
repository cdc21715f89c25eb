/* test_util.c - unit tests of values/util.c: dates (inv_time_parse, inv_time_format), buffers and
 * the escaping of document values (inv_escape). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "inventory.h"
#include "values_int.h"
#include "testutil.h"

/* Time                                                                   */
/* ====================================================================== */

static void test_time_bare_day(void **state)
{
    (void)state;
    inv_err e = {0};
    int64_t t = 0;
    assert_int_equal(inv_time_parse("2026-03-14", 0, &t, &e), INV_OK);
    assert_int_equal(t, 1773446400);
    assert_int_equal(inv_time_parse("2026-03-14", 1, &t, &e), INV_OK);
    assert_int_equal(t, 1773446400 + 86399);
    assert_int_equal(inv_time_parse("1970-01-01", 0, &t, &e), INV_OK);
    assert_int_equal(t, 0);
    assert_int_equal(inv_time_parse("2000-01-01", 0, &t, &e), INV_OK);
    assert_int_equal(t, 946684800);
    /* leap days */
    assert_int_equal(inv_time_parse("2024-02-29", 0, &t, &e), INV_OK);
    assert_int_equal(t, 1709164800);
    assert_int_equal(inv_time_parse("2000-02-29", 0, &t, &e), INV_OK);
    assert_int_equal(inv_time_parse("9999-12-31", 1, &t, &e), INV_OK);
    assert_int_equal(t, 253402300799);
    /* end_of_day has no effect on a full timestamp */
    assert_int_equal(inv_time_parse("2026-03-14T09:30:00Z", 1, &t, &e), INV_OK);
    assert_int_equal(t, 1773480600);
}

static void test_time_offsets(void **state)
{
    (void)state;
    const int64_t want = 1773480600; /* 2026-03-14T09:30:00Z */
    static const char *const same[] = {
        "2026-03-14T09:30:00Z",       "2026-03-14T09:30:00z",
        "2026-03-14t09:30:00Z",       "2026-03-14 09:30:00Z",
        "2026-03-14T10:30:00+01:00",  "2026-03-14T04:00:00-05:30",
        "2026-03-14T09:30:00+00:00",  "2026-03-14T09:30:00-00:00",
        "2026-03-14T09:30:00.999Z",   "2026-03-14T11:30:00.5+02:00",
        "2026-03-15T00:30:00+15:00",  "2026-03-13T23:30:00-10:00",
    };
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++) {
        inv_err e = {0};
        int64_t t = 0;
        if (inv_time_parse(same[i], 0, &t, &e) != INV_OK || t != want)
            fail_msg("'%s': rc/msg '%s', got %lld, want %lld", same[i], e.msg, (long long)t,
                     (long long)want);
    }
    /* a leap second is read as the second before it */
    assert_int_equal(tu_time("2016-12-31T23:59:60Z"), tu_time("2016-12-31T23:59:59Z"));
    assert_int_equal(tu_time("2017-01-01T00:59:60+01:00"), tu_time("2016-12-31T23:59:59Z"));
}

static void test_time_invalid(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "yesterday",
        "2026-02-30",
        "2026-02-29", /* 2026 is not a leap year */
        "2100-02-29",
        "2026-04-31",
        "2026-13-01",
        "2026-00-10",
        "2026-01-00",
        "2026-01-32",
        "1969-12-31",
        "0000-01-01",
        "2026-1-01",
        "2026-01-1",
        "26-01-01",
        "2026/01/01",
        "2026-01-01x",
        "2026-01-01T",
        "2026-01-01T10:00:00",      /* no zone */
        "2026-01-01T10:00Z",        /* no seconds */
        "2026-01-01T24:00:00Z",
        "2026-01-01T10:60:00Z",
        "2026-01-01T10:00:61Z",
        "2026-01-01T10:00:60Z",      /* a leap second ends a UTC day, never 10:00 */
        "2016-12-31T23:59:60+01:00", /* 22:59:60 UTC */
        "2026-01-01T10:00:00+0100",
        "2026-01-01T10:00:00+01",
        "2026-01-01T10:00:00+24:00",
        "2026-01-01T10:00:00+01:60",
        "2026-01-01T10:00:00.Z",
        "2026-01-01T10:00:00Zjunk",
        "2026-01-01T10:00:00+01:00x",
        " 2026-01-01",
        "2026-01-01 ",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        inv_err e = {0};
        int64_t t = 12345;
        int rc = inv_time_parse(bad[i], 0, &t, &e);
        if (rc != INV_EINPUT || e.code != INV_EINPUT)
            fail_msg("'%s' was accepted (rc %d, t %lld)", bad[i], rc, (long long)t);
        char quoted[64];
        snprintf(quoted, sizeof quoted, "'%s'", bad[i]);
        if (!strstr(e.msg, "invalid date") || !strstr(e.msg, quoted))
            fail_msg("message for '%s' does not name it: %s", bad[i], e.msg);
        /* end_of_day changes nothing about validity */
        assert_int_equal(inv_time_parse(bad[i], 1, &t, NULL), INV_EINPUT);
    }
}

static void test_time_format(void **state)
{
    (void)state;
    char out[21];
    inv_time_format(0, out, sizeof out);
    assert_string_equal(out, "1970-01-01T00:00:00Z");
    inv_time_format(1773480600, out, sizeof out);
    assert_string_equal(out, "2026-03-14T09:30:00Z");
    inv_time_format(1709164800 + 86399, out, sizeof out);
    assert_string_equal(out, "2024-02-29T23:59:59Z");
    inv_time_format(2147483648LL, out, sizeof out);
    assert_string_equal(out, "2038-01-19T03:14:08Z");
    inv_time_format(253402300799LL, out, sizeof out);
    assert_string_equal(out, "9999-12-31T23:59:59Z");
}

static void test_time_round_trips(void **state)
{
    (void)state;
    /* format then parse gives the instant back */
    static const int64_t ts[] = {0,          1,          59,         86399,     86400,
                                 951782400,  951868800,  1709164800, 1773480600,
                                 4102444800, 253402300799};
    for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
        char out[21];
        int64_t back = -1;
        inv_time_format(ts[i], out, sizeof out);
        assert_int_equal(inv_time_parse(out, 0, &back, NULL), INV_OK);
        assert_int_equal(back, ts[i]);
    }
    /* parse then format gives the canonical text back */
    static const char *const canon[] = {"1970-01-01T00:00:00Z", "2000-02-29T12:34:56Z",
                                        "2026-12-31T23:59:59Z", "2027-01-01T00:00:00Z"};
    for (size_t i = 0; i < sizeof canon / sizeof canon[0]; i++) {
        char out[21];
        inv_time_format(tu_time(canon[i]), out, sizeof out);
        assert_string_equal(out, canon[i]);
    }
    /* an offset date is formatted in UTC */
    char out[21];
    inv_time_format(tu_time("2026-01-01T00:30:00+01:00"), out, sizeof out);
    assert_string_equal(out, "2025-12-31T23:30:00Z");
}

/* Every date inv_time_parse accepts is an instant that inv_time_format can
 * write and inv_time_parse read back: commit stores the formatted date of
 * $SCOPEREG_NOW and reads it back for every later command. */
static void test_time_accepted_dates_round_trip(void **state)
{
    (void)state;
    static const char *const edge[] = {
        "1970-01-01T00:00:00Z",
        "1970-01-01T00:30:00+01:00", /* before the epoch once in UTC */
        "9999-12-31T23:59:59Z",
        "9999-12-31T23:59:59-01:00", /* in year 10000 once in UTC */
    };
    for (size_t i = 0; i < sizeof edge / sizeof edge[0]; i++) {
        int64_t t, back = -1;
        char out[32];
        inv_err e = {0};
        if (inv_time_parse(edge[i], 0, &t, &e) != INV_OK)
            continue; /* refusing it is fine */
        inv_time_format(t, out, sizeof out);
        if (inv_time_parse(out, 0, &back, &e) != INV_OK || back != t)
            fail_msg("'%s' is accepted as %lld, formatted as '%s', which does not parse "
                     "back (%s)",
                     edge[i], (long long)t, out, e.msg);
    }
}
static void check_escape(const char *in, const char *want)
{
    inv_buf b = {0};
    assert_int_equal(inv_escape(&b, in), 0);
    assert_non_null(b.data);
    assert_string_equal(b.data, want);
    assert_int_equal(b.len, strlen(want));
    inv_buf_free(&b);
}

static void test_escape(void **state)
{
    (void)state;
    check_escape("", "");
    check_escape("plain text", "plain text");
    check_escape("a\\b", "a\\\\b");
    check_escape("line1\nline2", "line1\\nline2");
    check_escape("a\tb", "a\\tb");
    check_escape("\\n", "\\\\n"); /* a backslash then n stays distinct from LF */
    check_escape("\n\t\\", "\\n\\t\\\\");
    check_escape("quote \" stays", "quote \" stays");
    check_escape("Zürich ", "Zürich ");
    /* appends after what the buffer holds */
    inv_buf b = {0};
    assert_int_equal(inv_buf_puts(&b, "notes: "), 0);
    assert_int_equal(inv_escape(&b, "x\ny"), 0);
    assert_string_equal(b.data, "notes: x\\ny");
    assert_int_equal(inv_buf_printf(&b, " %d%s", 42, "!"), 0);
    assert_string_equal(b.data, "notes: x\\ny 42!");
    inv_buf_free(&b);
    assert_null(b.data);
}

/* Under AddressSanitizer, an allocation too large to give returns NULL, as
 * without it, instead of stopping the program (test_buf_failed_sticks). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

/* A buffer that could not grow says so until freed, and takes no piece
 * after the one it lost (its text never has a hole): a caller adding many
 * pieces (verify's reasons) checks failed once instead of every return.
 * inv_buf_take hands over the text, or NULL once a piece was lost. */
static void test_buf_failed_sticks(void **state)
{
    (void)state;
    inv_buf b = {0};
    assert_int_equal(inv_buf_puts(&b, "; a fault"), 0);
    assert_int_equal(b.failed, 0);
    /* more than any allocation can give: the add fails, b keeps its bytes */
    assert_int_equal(inv_buf_add(&b, "x", SIZE_MAX >> 2), -1);
    assert_int_equal(b.failed, 1);
    assert_string_equal(b.data, "; a fault");
    assert_true(inv_oom_seen()); /* noted for the verdicts */
    /* a later add that would fit fails too: no hole in the text */
    assert_int_equal(inv_buf_printf(&b, " %d", 2), -1);
    assert_int_equal(inv_buf_puts(&b, "; another"), -1);
    assert_string_equal(b.data, "; a fault");
    assert_int_equal(b.failed, 1);
    assert_null(inv_buf_take(&b)); /* freed */
    assert_int_equal(b.failed, 0);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    /* a buffer without a loss is handed over whole, and left empty */
    assert_int_equal(inv_buf_puts(&b, "whole"), 0);
    char *t = inv_buf_take(&b);
    assert_non_null(t);
    assert_string_equal(t, "whole");
    assert_null(b.data);
    free(t);
    /* nothing added: NULL */
    assert_null(inv_buf_take(&b));
    inv_buf_free(&b);

    /* a printf that cannot be formatted (U+0100 in the C locale) loses
     * its piece as an add does: what follows is refused too */
    assert_int_equal(inv_buf_puts(&b, "A"), 0);
    assert_int_equal(inv_buf_printf(&b, "%lc", (wint_t)0x100), -1);
    assert_int_equal(b.failed, 1);
    assert_int_equal(inv_buf_puts(&b, "B"), -1);
    assert_string_equal(b.data, "A");
    inv_buf_free(&b);
}

/* inv__plain_run against a byte-by-byte reading: every byte value at every
 * place of runs of 0 to 24 bytes (so in each lane of the eight-byte words
 * and in the tail), the run starting at every offset of the buffer. */
static void test_plain_run(void **state)
{
    (void)state;
    unsigned char buf[32];
    size_t checked = 0;
    for (size_t len = 0; len <= 24; len++)
        for (int b = 0; b < 256; b++)
            for (size_t at = 0; at <= len; at++) {
                memset(buf, 'a', sizeof buf);
                if (at < len)
                    buf[at] = (unsigned char)b;
                for (size_t off = 0; off + len <= sizeof buf && off < 8; off += 7) {
                    if (off)
                        memmove(buf + off, buf, len);
                    size_t want = 0;
                    while (want < len && buf[off + want] >= 0x20 && buf[off + want] < 0x7f &&
                           buf[off + want] != '\\')
                        want++;
                    assert_int_equal(inv__plain_run(buf + off, len), want);
                    checked++;
                }
            }
    assert_true(checked > 100000);
    /* a plain run of 20 bytes, then a backslash, then more */
    assert_int_equal(inv__plain_run("abcdefghijklmnopqrst\\uvw", 24), 20);
    assert_int_equal(inv__plain_run("Gen\xc3\xa8ve", 7), 3);
    assert_int_equal(inv__plain_run("line\nfeed", 9), 4);
}

int main(void)
{
    cr_err ce = {0};
    if (cr_init(&ce) != CR_OK) {
        fprintf(stderr, "cr_init: %s\n", ce.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_failed_sticks),
        cmocka_unit_test(test_plain_run),
        cmocka_unit_test(test_time_bare_day),
        cmocka_unit_test(test_time_offsets),
        cmocka_unit_test(test_time_invalid),
        cmocka_unit_test(test_time_format),
        cmocka_unit_test(test_time_round_trips),
        cmocka_unit_test(test_time_accepted_dates_round_trip),
        cmocka_unit_test(test_escape),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
