/*
 * test_checkpoint.c - the checkpoint of a version (scope-checkpoint/1):
 * its root equals one computed here independently (BLAKE2b-256 through
 * libsodium over the item blocks cut out of the rendered document, the
 * RFC 9162 tree built recursively), the register and the document file
 * give the same bytes, leaves stream in order, and the strict parser
 * refuses every deviation.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inventory.h"
#include "testutil.h"

/* ---- an independent tree: RFC 9162 section 2.1.1, recursively ---- */

static void leaf_hash(const char *data, size_t len, unsigned char out[32])
{
    crypto_generichash_state st;
    unsigned char zero = 0;
    crypto_generichash_init(&st, NULL, 0, 32);
    crypto_generichash_update(&st, &zero, 1);
    crypto_generichash_update(&st, (const unsigned char *)data, len);
    crypto_generichash_final(&st, out, 32);
}

static void mth(unsigned char (*leaves)[32], size_t n, unsigned char out[32])
{
    if (n == 0) {
        crypto_generichash(out, 32, (const unsigned char *)"", 0, NULL, 0);
        return;
    }
    if (n == 1) {
        memcpy(out, leaves[0], 32);
        return;
    }
    size_t k = 1;
    while (k * 2 < n)
        k *= 2;
    unsigned char buf[65];
    buf[0] = 1;
    mth(leaves, k, buf + 1);
    mth(leaves + k, n - k, buf + 33);
    crypto_generichash(out, 32, buf, sizeof buf, NULL, 0);
}

/* The item blocks of a document: each "item: " line that follows a blank
 * line, up to the next blank line (its LF included, the blank line not). */
static size_t cut_leaves(const char *doc, unsigned char (*leaves)[32], size_t max,
                         char ids[][32])
{
    size_t n = 0;
    const char *p = doc;
    while ((p = strstr(p, "\n\nitem: ")) != NULL && n < max) {
        const char *start = p + 2;
        const char *end = strstr(start, "\n\n");
        assert_non_null(end);
        leaf_hash(start, (size_t)(end + 1 - start), leaves[n]);
        const char *nl = strchr(start, '\n');
        snprintf(ids[n], 32, "%.*s", (int)(nl - start - 6), start + 6);
        n++;
        p = end;
    }
    return n;
}

typedef struct leaves_seen {
    uint64_t n;
    unsigned char hash[64][32];
    char ids[64][32];
    int bad;
} leaves_seen;

static int on_leaf(void *ctx, const inv_leaf *l)
{
    leaves_seen *s = ctx;
    unsigned char h[32];
    leaf_hash(l->data, l->len, h);
    if (l->index != s->n || memcmp(h, l->hash, 32) || l->len < 7 ||
        memcmp(l->data, "item: ", 6) || l->data[l->len - 1] != '\n' || s->n >= 64)
        s->bad++;
    else {
        memcpy(s->hash[s->n], l->hash, 32);
        snprintf(s->ids[s->n], 32, "%s", l->id);
    }
    s->n++;
    return 0;
}

/* Root and leaves of every version equal the independent computation;
 * the document file gives the same checkpoint, byte for byte. */
static void test_root_independent(void **state)
{
    tu_reg *f = *state;
    inv_err e = {0};
    tu_build_history(f->r);
    for (int64_t n = 1; n <= 3; n++) {
        char *doc = tu_render(f->r, n);
        unsigned char leaves[64][32], root[32];
        char ids[64][32];
        size_t nl = cut_leaves(doc, leaves, 64, ids);
        assert_true(nl > 0);
        mth(leaves, nl, root);

        inv_checkpoint cp, cq;
        leaves_seen s = {0};
        unsigned char prehash[CR_PREHASH_BYTES], ph2[CR_PREHASH_BYTES];
        char hash[CR_HASH_STR_LEN];
        assert_ok(inv_checkpoint_render(f->r, n, on_leaf, &s, &cp, prehash, &e), &e);
        assert_int_equal(s.bad, 0);
        assert_int_equal(s.n, nl);
        assert_int_equal(cp.items, (int64_t)nl);
        for (size_t i = 0; i < nl; i++) {
            assert_memory_equal(s.hash[i], leaves[i], 32);
            assert_string_equal(s.ids[i], ids[i]);
        }
        assert_memory_equal(cp.root, root, 32);
        /* the document hash and prehash come out of the same pass */
        assert_ok(inv_doc_digests(f->r, n, ph2, hash, &e), &e);
        assert_string_equal(cp.doc_hash, hash);
        assert_memory_equal(prehash, ph2, sizeof ph2);
        assert_int_equal(cp.version, n);
        assert_string_equal(cp.register_id, inv_register_id(f->r));
        assert_string_equal(cp.contract, "ACME-2026-01");
        /* the checkpoint names the keys the version's document names */
        for (int role = 0; role < 2; role++) {
            inv_party p;
            char kid[CR_KEYID_HEX];
            assert_ok(inv_party_get(f->r, inv_roles[role], n, &p, &e), &e);
            cr_keyid_hex(p.key.keyid, kid);
            inv_party_free(&p);
            assert_string_equal(cp.key[role], kid);
        }
        assert_true(n == 1 ? cp.previous[0] == '\0' : !strncmp(cp.previous, "blake2b-256:", 12));

        /* the same from the document file */
        char *path = tu_path(f->dir, "doc.scope");
        assert_int_equal(tu_write(path, doc, strlen(doc)), 0);
        FILE *fp = fopen(path, "rb");
        inv_doc d;
        assert_ok(inv_doc_read(fp, path, &d, NULL, NULL, &e), &e);
        fclose(fp);
        leaves_seen s2 = {0};
        assert_ok(inv_checkpoint_of_doc(path, &d, on_leaf, &s2, &cq, &e), &e);
        assert_int_equal(s2.bad, 0);
        assert_int_equal(s2.n, nl);
        assert_null(inv_checkpoint_diff(&cp, &cq));
        inv_buf a = {0}, b = {0};
        assert_int_equal(inv_checkpoint_format(&cp, &a), 0);
        assert_int_equal(inv_checkpoint_format(&cq, &b), 0);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.data, b.data, a.len);
        /* root line spelled as the independent root */
        char hex[65], line[128];
        for (int i = 0; i < 32; i++)
            snprintf(hex + 2 * i, 3, "%02x", root[i]);
        snprintf(line, sizeof line, "\nroot: %s\nend of checkpoint\n", hex);
        assert_non_null(strstr(a.data, line));
        assert_int_equal(strncmp(a.data, "scope-checkpoint/1\nregister: ", 29), 0);

        /* a document changed since it was read is refused */
        doc[strlen(doc) - 30] ^= 1;
        assert_int_equal(tu_write(path, doc, strlen(doc)), 0);
        inv_checkpoint cx;
        assert_err(inv_checkpoint_of_doc(path, &d, NULL, NULL, &cx, &e), &e, INV_EINPUT,
                   "changed while it was being checked");

        inv_doc_free(&d);
        inv_buf_free(&a);
        inv_buf_free(&b);
        inv_checkpoint_free(&cp);
        inv_checkpoint_free(&cq);
        free(path);
        free(doc);
    }
}

/* Parse, format again: the same bytes; a parsed file gives the fields. */
static void test_roundtrip(void **state)
{
    tu_reg *f = *state;
    inv_err e = {0};
    tu_build_history(f->r);
    inv_checkpoint cp, back;
    assert_ok(inv_checkpoint_render(f->r, 2, NULL, NULL, &cp, NULL, &e), &e);
    free(cp.contract);
    cp.contract = strdup("A\\B\tC\nD é");
    inv_buf a = {0}, b = {0};
    assert_int_equal(inv_checkpoint_format(&cp, &a), 0);
    assert_non_null(strstr(a.data, "\ncontract: A\\\\B\\tC\\nD é\n"));
    assert_ok(inv_checkpoint_parse(a.data, a.len, "x.checkpoint", &back, &e), &e);
    assert_null(inv_checkpoint_diff(&cp, &back));
    assert_int_equal(inv_checkpoint_format(&back, &b), 0);
    assert_int_equal(a.len, b.len);
    assert_memory_equal(a.data, b.data, a.len);
    inv_checkpoint_free(&back);

    /* an empty contract and previous: none parse too */
    cp.contract[0] = '\0';
    cp.previous[0] = '\0';
    a.len = 0;
    assert_int_equal(inv_checkpoint_format(&cp, &a), 0);
    assert_non_null(strstr(a.data, "\ncontract:\n"));
    assert_non_null(strstr(a.data, "\nprevious: none\n"));
    assert_ok(inv_checkpoint_parse(a.data, a.len, "x.checkpoint", &back, &e), &e);
    assert_null(inv_checkpoint_diff(&cp, &back));
    /* diff names the field */
    back.root[31] ^= 1;
    assert_string_equal(inv_checkpoint_diff(&cp, &back), "root");
    back.items++;
    assert_string_equal(inv_checkpoint_diff(&cp, &back), "items");
    inv_checkpoint_free(&back);
    inv_checkpoint_free(&cp);
    inv_buf_free(&a);
    inv_buf_free(&b);
}

/* Replaces the first occurrence of from by to in text (malloc'd result). */
static char *replaced(const char *text, const char *from, const char *to)
{
    const char *p = strstr(text, from);
    assert_non_null(p);
    size_t n = strlen(text) - strlen(from) + strlen(to);
    char *o = malloc(n + 1);
    snprintf(o, n + 1, "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
    return o;
}

static void test_refusals(void **state)
{
    tu_reg *f = *state;
    inv_err e = {0};
    tu_build_history(f->r);
    inv_checkpoint cp, back;
    inv_buf a = {0};
    assert_ok(inv_checkpoint_render(f->r, 2, NULL, NULL, &cp, NULL, &e), &e);
    assert_int_equal(inv_checkpoint_format(&cp, &a), 0);
    char hex[65];
    inv_checkpoint_root_hex(&cp, hex);
    char upper[65];
    for (int i = 0; i < 64; i++)
        upper[i] = (char)(hex[i] >= 'a' ? hex[i] - 32 : hex[i]);
    upper[64] = '\0';
    char rootline[80], rootup[80];
    snprintf(rootline, sizeof rootline, "root: %s", hex);
    snprintf(rootup, sizeof rootup, "root: %s", upper);
    struct {
        const char *from, *to, *want;
    } cases[] = {
        {"scope-checkpoint/1", "scope-checkpoint/2", "line 1: expected 'scope-checkpoint/1'"},
        {"scope-checkpoint/1\n", "scopereg\nscope-checkpoint/1\n", "line 1:"},
        {"register: ", "register:  ", "line 2: expected 'register:"},
        {"version: 2", "version: 02", "line 4: expected 'version:"},
        {"version: 2", "version: +2", "line 4:"},
        {"date: 2026-02-01T10:00:00Z", "date: 2026-02-01 10:00:00Z", "line 5:"},
        {"date: 2026-02-01T10:00:00Z", "date: 2026-02-30T10:00:00Z", "line 5:"},
        {"provider-key: ", "provider-key: x", "line 6: expected 'provider-key:"},
        {"client-key: ", "client-key: 0", "line 7: expected 'client-key:"},
        {"\nprovider-key: ", "\nclient-key: ", "line 6: expected 'provider-key:"},
        {"document: blake2b-256:", "document: BLAKE2b-256:", "line 8:"},
        {"previous: blake2b-256:", "previous: sha256:", "line 9:"},
        {"items: ", "items: -", "line 10:"},
        {"tree: rfc9162-blake2b-256", "tree: rfc9162-sha256", "line 11: expected 'tree:"},
        {rootline, rootup, "line 12: expected 'root:"},
        {"end of checkpoint\n", "end of checkpoint", "line 13: the last line has no line feed"},
        {"end of checkpoint\n", "end of checkpoint\n\n", "line 14: unexpected text"},
        {"end of checkpoint\n", "end of checkpoint\r\n", "line 13: expected 'end of checkpoint'"},
        {"contract: ACME-2026-01", "contract: AC\\ME", "line 3: expected 'contract:"},
        {"\nversion:", "\nitems: 3\nversion:", "line 4: expected 'version:"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *bad = replaced(a.data, cases[i].from, cases[i].to);
        int rc = inv_checkpoint_parse(bad, strlen(bad), "v2.checkpoint", &back, &e);
        if (rc != INV_EINPUT || !strstr(e.msg, cases[i].want) ||
            strncmp(e.msg, "v2.checkpoint: ", 15))
            fail_msg("case %zu: want \"%s\", got %d \"%s\"", i, cases[i].want, rc, e.msg);
        assert_null(back.contract);
        free(bad);
    }
    /* a NUL inside, and an empty file */
    char *nul = strdup(a.data);
    nul[40] = '\0';
    assert_err(inv_checkpoint_parse(nul, a.len, "v2.checkpoint", &back, &e), &e, INV_EINPUT,
               "v2.checkpoint: line ");
    assert_err(inv_checkpoint_parse("", 0, "v2.checkpoint", &back, &e), &e, INV_EINPUT,
               "line 1: the file ends here");
    /* a document's bytes are no checkpoint */
    char *doc = tu_render(f->r, 2);
    assert_err(inv_checkpoint_parse(doc, strlen(doc), "v2.scope", &back, &e), &e, INV_EINPUT,
               "not a scopereg checkpoint");
    /* load: a missing file */
    char *path = tu_path(f->dir, "none.checkpoint");
    assert_err(inv_checkpoint_load(path, &back, NULL, NULL, &e), &e, INV_EINPUT, path);
    /* load: the real one, with its text */
    assert_int_equal(tu_write(path, a.data, a.len), 0);
    char *text;
    size_t len;
    assert_ok(inv_checkpoint_load(path, &back, &text, &len, &e), &e);
    assert_int_equal(len, a.len);
    assert_memory_equal(text, a.data, len);
    assert_null(inv_checkpoint_diff(&cp, &back));
    /* the register's checkpoint of a version that does not exist */
    inv_checkpoint cz;
    assert_err(inv_checkpoint_render(f->r, 9, NULL, NULL, &cz, NULL, &e), &e, INV_EINPUT,
               "9");
    free(text);
    free(path);
    free(doc);
    free(nul);
    inv_checkpoint_free(&back);
    inv_checkpoint_free(&cp);
    inv_buf_free(&a);
}


/* The checkpoint signature's trusted comment: strict, and never taken for
 * a document's (nor the reverse). */
static void test_cptc(void **state)
{
    (void)state;
    inv_err e = {0};
    inv_cptc t = {0}, back;
    inv_tc dt;
    char text[512];
    snprintf(t.register_id, sizeof t.register_id, "%s", "0123456789abcdef0123456789abcdef");
    t.version = 12;
    snprintf(t.role, sizeof t.role, "client");
    memset(t.root, 'a', 64);
    t.root[64] = '\0';
    t.doc_signed_at = tu_time("2026-02-27T17:30:00Z");
    t.signed_at = tu_time("2026-03-01T08:00:00Z");
    inv_cptc_format(&t, text, sizeof text);
    assert_string_equal(text, "scopereg-checkpoint register:0123456789abcdef0123456789abcdef "
                              "version:12 role:client root:blake2b-256:"
                              "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
                              "document-signed:2026-02-27T17:30:00Z "
                              "signed:2026-03-01T08:00:00Z");
    assert_ok(inv_cptc_parse(text, &back, &e), &e);
    assert_string_equal(back.register_id, t.register_id);
    assert_int_equal(back.version, 12);
    assert_string_equal(back.role, "client");
    assert_string_equal(back.root, t.root);
    assert_int_equal(back.signed_at, t.signed_at);
    assert_int_equal(back.doc_signed_at, t.doc_signed_at);
    /* never a document's */
    assert_err(inv_tc_parse(text, &dt, &e), &e, INV_EINPUT, "does not start with 'scopereg '");
    const char *doc_tc = "scopereg register:0123456789abcdef0123456789abcdef version:12 "
                         "role:client document:blake2b-256:"
                         "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa "
                         "signed:2026-03-01T08:00:00Z";
    assert_ok(inv_tc_parse(doc_tc, &dt, &e), &e);
    assert_err(inv_cptc_parse(doc_tc, &back, &e), &e, INV_EINPUT, "not a signature of a "
               "checkpoint");
    struct {
        const char *from, *to, *want;
    } cases[] = {
        {"version:12", "version:012", "version:"},
        {"role:client", "role:auditor", "role:"},
        {"root:blake2b-256:a", "root:blake2b-256:A", "root:"},
        {"root:blake2b-256:", "root:sha512:", "root:"},
        {"root:blake2b-256:", "document:sha256:", "expected 'root:'"},
        {" version", "  version", "'version:' must follow"},
        {"08:00:00Z", "08:00:00Z ", "unexpected text ' ' at the end"},
        {"08:00:00Z", "08:00:00Z x", "unexpected text ' x'"},
        {"signed:2026-03-01", "signed:2026-02-30", "signed:"},
        {"register:0", "register:X", "register:"},
        {"scopereg-checkpoint ", "scopereg-checkpoint  ", "expected 'register:'"},
        /* document-signed: present, in its place, a real date, written as scopereg does */
        {"document-signed:2026-02-27T17:30:00Z ", "", "expected 'document-signed:'"},
        {"document-signed:2026-02-27", "document-signed:2026-02-30", "document-signed: '2026-02-30"},
        {"document-signed:2026-02-27T17:30:00Z", "document-signed:2026-02-27 17:30:00",
         "document-signed:"},
        {"document-signed:", "document-signed:0", "document-signed: '02026"},
        {"document-signed:2026-02-27T17:30:00Z signed:2026-03-01T08:00:00Z",
         "signed:2026-03-01T08:00:00Z document-signed:2026-02-27T17:30:00Z",
         "expected 'document-signed:'"},
        {" signed:", "  signed:", "'signed:' must follow"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *bad = replaced(text, cases[i].from, cases[i].to);
        int rc = inv_cptc_parse(bad, &back, &e);
        if (rc != INV_EINPUT || !strstr(e.msg, cases[i].want))
            fail_msg("case %zu: want \"%s\", got %d \"%s\"", i, cases[i].want, rc, e.msg);
        free(bad);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_root_independent, tu_reg_setup_default,
                                        tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_roundtrip, tu_reg_setup_default, tu_reg_teardown),
        cmocka_unit_test_setup_teardown(test_refusals, tu_reg_setup_default, tu_reg_teardown),
        cmocka_unit_test(test_cptc),
    };
    if (sodium_init() < 0)
        return 1;
    return cmocka_run_group_tests(tests, NULL, NULL);
}
