/* test_lang.c - unit tests of the contract's language: inv_lang and
 * inv_lang_set (store/register.c), inv_create_lang, and the words tables of
 * VERIFY.txt and cosign in every language (every word present, the same
 * %1..%9 as the English word, the commands spelled alike). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "inventory.h"
#include "review.h"
#include "testutil.h"
#include "verify_txt.h"

static void test_default_and_set(void **state)
{
    tu_reg *f = *state;
    inv_err e = {0};
    assert_string_equal(inv_lang(f->r), "en");
    tu_stage_add(f->r, "SRV-01", "server", "File server", "ip", "10.0.0.5", NULL);
    tu_commit(f->r, "2026-01-10T09:00:00Z", "jm", "first");
    char *before = tu_render(f->r, 1);
    int64_t latest = 0;

    assert_err(inv_lang_set(f->r, "xx", &e), &e, INV_EINPUT,
               "unknown language 'xx': scopereg writes in en (English), fr (French), de "
               "(German) and it (Italian)");
    assert_err(inv_lang_set(f->r, "FR", &e), &e, INV_EINPUT, "'FR'");
    assert_err(inv_lang_set(f->r, "fr_CH", &e), &e, INV_EINPUT, "'fr_CH'");
    assert_err(inv_lang_set(f->r, NULL, &e), &e, INV_EINPUT, "unknown language ''");
    assert_string_equal(inv_lang(f->r), "en");

    for (int i = 0; inv_langs[i]; i++) {
        assert_ok(inv_lang_set(f->r, inv_langs[i], &e), &e);
        assert_string_equal(inv_lang(f->r), inv_langs[i]);
        tu_reg_reopen(f);
        assert_string_equal(inv_lang(f->r), inv_langs[i]);
        /* no version, the same document */
        assert_ok(inv_latest(f->r, &latest, &e), &e);
        assert_int_equal(latest, 1);
        char *now = tu_render(f->r, 1);
        assert_string_equal(now, before);
        free(now);
    }
    /* inside an explicit transaction: rolled back with it */
    assert_ok(inv_lang_set(f->r, "de", &e), &e);
    assert_ok(inv_begin(f->r, &e), &e);
    assert_ok(inv_lang_set(f->r, "fr", &e), &e);
    assert_string_equal(inv_lang(f->r), "fr");
    assert_ok(inv_end(f->r, 0, &e), &e);
    assert_string_equal(inv_lang(f->r), "de");
    free(before);
}

static void test_create_lang(void **state)
{
    (void)state;
    inv_err e = {0};
    char *dir = tu_tmpdir();
    char *path = tu_path(dir, "fr.db");
    inv_init in = {0};
    in.contract = "ACME-2026-01";
    in.provider_name = "Helvetia IT SA";
    in.client_name = "ACME SA";
    tu_parse_pk(TU_PK_A_B64, &in.provider_key);
    tu_parse_pk(TU_PK_B_B64, &in.client_key);
    in.now = tu_time("2026-01-05T08:00:00Z");

    assert_err(inv_create_lang(path, &in, "français", &e), &e, INV_EINPUT,
               "unknown language 'français'");
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(tu_dir_entries(dir), 0);

    assert_ok(inv_create_lang(path, &in, "fr", &e), &e);
    inv_register *r = NULL;
    assert_ok(inv_open(path, 0, &r, &e), &e);
    assert_string_equal(inv_lang(r), "fr");
    inv_close(r);

    char *p2 = tu_path(dir, "en.db");
    assert_ok(inv_create(p2, &in, &e), &e);
    assert_ok(inv_open(p2, 0, &r, &e), &e);
    assert_string_equal(inv_lang(r), "en");
    inv_close(r);

    assert_ptr_equal(inv_lang_known("it"), inv_langs[3]);
    assert_null(inv_lang_known("es"));
    assert_null(inv_lang_known(""));
    assert_null(inv_lang_known(NULL));
    free(p2);
    free(path);
    tu_rmtree(dir);
    free(dir);
}

/* The placeholders %1..%9 of s, as a bit set; "%%" is none. */
static unsigned holes(const char *s)
{
    unsigned set = 0;
    for (; s && *s; s++) {
        if (s[0] == '%' && s[1] == '%')
            s++;
        else if (s[0] == '%' && s[1] >= '1' && s[1] <= '9')
            set |= 1u << (s[1] - '0');
    }
    return set;
}

/* Each word of table t (n pointers) is there and has the holes of the
 * English word; skip (may be -1) is the index of a word no longer used. */
static void same_words(const char *const *en, const char *const *t, size_t n, size_t skip,
                       const char *lang)
{
    for (size_t i = 0; i < n; i++) {
        if (i == skip)
            continue;
        if (!t[i])
            fail_msg("%s: word %zu is missing (English: %s)", lang, i, en[i]);
        if (holes(t[i]) != holes(en[i]))
            fail_msg("%s: word %zu has other placeholders than the English one:\n%s\n%s", lang,
                     i, t[i], en[i]);
    }
}

static void test_verify_words(void **state)
{
    (void)state;
    const size_t n = sizeof(out_verify_words) / sizeof(const char *);
    const out_verify_words *tables[] = {&out_verify_fr, &out_verify_de, &out_verify_it};
    const char *langs[] = {"fr", "de", "it"};
    for (size_t k = 0; k < 3; k++) {
        same_words((const char *const *)&out_verify_en, (const char *const *)tables[k], n,
                   (size_t)-1, langs[k]);
        assert_ptr_equal(out_verify_words_for(langs[k]), tables[k]);
        /* the commands are spelled as in English, only the words around them differ */
        const out_verify_words *w = tables[k];
        const char *en[] = {out_verify_en.minisign, out_verify_en.b2sum, out_verify_en.grep,
                            out_verify_en.keyid_pub, out_verify_en.keyid_sig};
        const char *tr[] = {w->minisign, w->b2sum, w->grep, w->keyid_pub, w->keyid_sig};
        for (size_t i = 0; i < 5; i++) {
            size_t cmd = strcspn(en[i], "\n") + 1;
            assert_memory_equal(tr[i], en[i], cmd);
        }
        assert_non_null(strstr(w->sums_end, "  grep -E '^[0-9a-f]{64}  ' %1 | b2sum -l 256 -c\n"));
        assert_non_null(strstr(w->sums_end, "  b2sum -l 256 %1\n"));
        assert_non_null(strstr(w->sums_end, "  scopereg verify --documents .\n"));
        assert_null(strstr(w->keys_intro, "prints the key id"));
    }
    assert_string_equal(out_verify_fr.yes, "OUI");
    assert_string_equal(out_verify_fr.no, "NON");
    assert_string_equal(out_verify_de.yes, "JA");
    assert_string_equal(out_verify_de.no, "NEIN");
    assert_ptr_equal(out_verify_words_for("en"), &out_verify_en);
    assert_ptr_equal(out_verify_words_for("es"), &out_verify_en);
    assert_ptr_equal(out_verify_words_for(NULL), &out_verify_en);
    assert_null(strstr(out_verify_en.keys_intro, "minisign prints the key id"));
    assert_non_null(strstr(out_verify_en.keys_intro, "minisign -V prints no key id"));
}

static void test_review_words(void **state)
{
    (void)state;
    const size_t n = sizeof(out_review_words) / sizeof(const char *);
    /* prev_note: a word cosign no longer says */
    const size_t skip = offsetof(out_review_words, prev_note) / sizeof(const char *);
    const out_review_words *tables[] = {&out_review_fr, &out_review_de, &out_review_it};
    const char *langs[] = {"fr", "de", "it"};
    for (size_t k = 0; k < 3; k++) {
        same_words((const char *const *)&out_review_en, (const char *const *)tables[k], n, skip,
                   langs[k]);
        assert_ptr_equal(out_review_words_for(langs[k]), tables[k]);
    }
    assert_ptr_equal(out_review_words_for("xx"), &out_review_en);
    assert_ptr_equal(out_review_words_for(NULL), &out_review_en);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_default_and_set, tu_reg_setup_default,
                                        tu_reg_teardown),
        cmocka_unit_test(test_create_lang),
        cmocka_unit_test(test_verify_words),
        cmocka_unit_test(test_review_words),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
