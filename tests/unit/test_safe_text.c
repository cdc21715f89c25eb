/* test_safe_text.c - unit tests of out_safe_text and out_safe_dup (output/review.c):
 * what cosign and verify --documents show of the texts a document holds. Every
 * character a reader cannot see or tell from another is shown as \u{XXXX}; visible
 * letters of any script stay as they are. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "review.h"

/* out_safe_text of s in escaped (raw 0) or raw form, malloc'd. */
static char *safe(const char *s, int raw)
{
    inv_buf b = {0};
    assert_int_equal(inv_buf_add(&b, "", 0), 0);
    out_safe_text(&b, s, strlen(s), raw, 0);
    assert_non_null(b.data);
    return b.data;
}

static void expect(const char *in, int raw, const char *want)
{
    char *got = safe(in, raw);
    if (strcmp(got, want))
        fail_msg("out_safe_text(\"%s\") gave \"%s\", expected \"%s\"", in, got, want);
    free(got);
}

/* The characters the review named: format characters, spaces other than
 * U+0020, bidirectional controls, combining marks. */
static void test_invisible_escaped(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"SRV-02\xE2\x80\x8B", "SRV-02\\u{200B}"},      /* zero width space */
        {"SRV\xE2\x81\xA0-02", "SRV\\u{2060}-02"},      /* word joiner */
        {"\xEF\xBB\xBFX", "\\u{FEFF}X"},                /* BOM */
        {"a\xC2\xA0" "b", "a\\u{00A0}b"},               /* no-break space */
        {"a\xE2\x80\xAF" "b", "a\\u{202F}b"},           /* narrow no-break space */
        {"a\xE3\x80\x80" "b", "a\\u{3000}b"},           /* ideographic space */
        {"e\xCC\x81", "e\\u{0301}"},                    /* combining acute (NFD) */
        {"x\xE2\x80\xAE" "y", "x\\u{202E}y"},           /* right-to-left override */
        {"x\xE2\x81\xA6" "y", "x\\u{2066}y"},           /* left-to-right isolate */
        {"x\xE2\x80\x8D" "y", "x\\u{200D}y"},           /* zero width joiner */
        {"x\xC2\xAD" "y", "x\\u{00AD}y"},               /* soft hyphen */
        {"x\xD8\x9C" "y", "x\\u{061C}y"},               /* Arabic letter mark */
        {"x\xE1\xA0\x8E" "y", "x\\u{180E}y"},           /* Mongolian vowel separator */
        {"x\xEF\xB8\x8F" "y", "x\\u{FE0F}y"},           /* variation selector 16 */
        {"x\xE3\x85\xA4" "y", "x\\u{3164}y"},           /* Hangul filler */
        {"x\xF3\xA0\x80\x81" "y", "x\\u{E0001}y"},      /* language tag */
        {"x\xEF\xBF\xBE" "y", "x\\u{FFFE}y"},           /* noncharacter */
        {"x\xE2\x80\xA8" "y", "x\\u{2028}y"},           /* line separator */
        {"a\x1B[2Jb", "a\\x1B[2Jb"},                    /* ESC */
        {"a\xC2\x9B" "b", "a\\u{009B}b"},               /* C1 CSI */
        {"a\xFF" "b", "a\\xFFb"},                       /* not UTF-8 */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect(cases[i].in, 0, cases[i].want);
}

/* Letters of every script, precomposed accents, symbols: as they are. */
static void test_visible_kept(void **state)
{
    (void)state;
    static const char *const kept[] = {
        /* Café déjà œuvre Straße */
        "Caf\xC3\xA9 d\xC3\xA9j\xC3\xA0 \xC5\x93uvre Stra\xC3\x9F" "e",
        "\xCE\xA3\xCE\xB5\xCF\x81\xCE\xB2\xCE\xB5\xCF\x81",           /* Greek */
        "\xD0\xA1\xD0\xB5\xD1\x80\xD0\xB2\xD0\xB5\xD1\x80",           /* Cyrillic */
        "\xE6\x9C\x8D\xE5\x8A\xA1\xE5\x99\xA8",                       /* CJK */
        "\xE2\x82\xAC 10 \xC2\xB7 \xE2\x80\x94 \xC2\xAB ok \xC2\xBB", /* € · — « » */
        "\xF0\x9F\x96\xA5",                                           /* emoji */
        "a-b_c.d/e:f;g=h+i",
    };
    for (size_t i = 0; i < sizeof kept / sizeof kept[0]; i++)
        expect(kept[i], 0, kept[i]);
}

/* Raw form: line breaks, tabs and backslashes as the document writes them. */
static void test_raw_and_dup(void **state)
{
    (void)state;
    expect("a\nb\tc\\d", 1, "a\\nb\\tc\\\\d");
    expect("a\\nb", 0, "a\\nb");
    char *d = out_safe_dup("id SRV-02\xE2\x80\x8B missing", 0);
    assert_non_null(d);
    assert_string_equal(d, "id SRV-02\\u{200B} missing");
    free(d);
    d = out_safe_dup("P\xC2\xA0SA\n", 1);
    assert_non_null(d);
    assert_string_equal(d, "P\\u{00A0}SA\\n");
    free(d);
    assert_null(out_safe_dup(NULL, 0));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_invisible_escaped),
        cmocka_unit_test(test_visible_kept),
        cmocka_unit_test(test_raw_and_dup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
