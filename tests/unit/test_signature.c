/* test_signature.c - unit tests of the two-party signatures: trusted
 * comments (inv_tc_format / inv_tc_parse), reading scope documents back
 * without a register (inventory/documents.c: grammar, counts, digests,
 * signatures, the file-name stem, a directory of exported documents and
 * its chain), signature states, and key rotation (inventory/rotation.c).
 * Signatures are real: fresh key pairs, stored through inv_sig_attach. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>
#include <sys/stat.h>

#include "crypto.h"
#include "inventory.h"
#include "testutil.h"

/* ====================================================================== */
/* Trusted comments                                                       */
/* ====================================================================== */

#define HASH_A "blake2b-256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define RID_A "ba2901a8c2ede5acd656d85ae8cbe716"

static void test_tc_round_trip(void **state)
{
    (void)state;
    inv_tc tc = {0}, back;
    inv_err e = {0};
    char text[512];
    snprintf(tc.register_id, sizeof tc.register_id, "%s", "ba2901a8c2ede5acd656d85ae8cbe716");
    tc.version = 12;
    snprintf(tc.role, sizeof tc.role, "%s", "client");
    snprintf(tc.doc_hash, sizeof tc.doc_hash, "%s", HASH_A);
    tc.signed_at = tu_time("2026-03-14T09:30:00Z");
    inv_tc_format(&tc, text, sizeof text);
    assert_string_equal(text, "scopereg register:ba2901a8c2ede5acd656d85ae8cbe716 version:12 "
                              "role:client document:" HASH_A " signed:2026-03-14T09:30:00Z");
    assert_ok(inv_tc_parse(text, &back, &e), &e);
    assert_string_equal(back.register_id, tc.register_id);
    assert_int_equal(back.version, 12);
    assert_string_equal(back.role, "client");
    assert_string_equal(back.doc_hash, HASH_A);
    assert_int_equal(back.signed_at, tc.signed_at);
}

static void test_tc_parse_refusals(void **state)
{
    (void)state;
    inv_tc tc;
    inv_err e = {0};
    assert_err(inv_tc_parse("timestamp:1700000000 file:x.scope", &tc, &e), &e, INV_EINPUT,
               "does not start with 'scopereg '");
    assert_err(inv_tc_parse("scopereg version:1 role:client document:" HASH_A
                            " signed:2026-01-01T00:00:00Z", &tc, &e),
               &e, INV_EINPUT, "register:");
    assert_err(inv_tc_parse("scopereg register:" RID_A " version:x1 role:client document:" HASH_A
                            " signed:2026-01-01T00:00:00Z", &tc, &e),
               &e, INV_EINPUT, "version:");
    assert_err(inv_tc_parse("scopereg register:" RID_A " version:1 role:auditor document:" HASH_A
                            " signed:2026-01-01T00:00:00Z", &tc, &e),
               &e, INV_EINPUT, "role:");
    assert_err(inv_tc_parse("scopereg register:" RID_A " version:1 role:client document:sha256:00"
                            " signed:2026-01-01T00:00:00Z", &tc, &e),
               &e, INV_EINPUT, "document:");
    assert_err(inv_tc_parse("scopereg register:" RID_A " version:1 role:client document:" HASH_A
                            " signed:yesterday", &tc, &e),
               &e, INV_EINPUT, "signed:");
    /* a field name inside another value is not that field */
    assert_err(inv_tc_parse("scopereg register:xrole:client version:1 document:" HASH_A
                            " signed:2026-01-01T00:00:00Z", &tc, &e),
               &e, INV_EINPUT, "role:");
}

/* ====================================================================== */
/* A register with real keys                                              */
/* ====================================================================== */

typedef tu_reg fx;

static const tu_reg_spec SPEC = {"reg.db", "ACME/2026 É", "Helvetia IT SA", "ACME SA",
                                 "2026-01-01T08:00:00Z", 1};

static int fx_setup(void **state)
{
    return tu_reg_setup(state, &SPEC);
}

#define fx_teardown tu_reg_teardown

static void add_item(fx *f, const char *id, const char *kind, const char *name)
{
    inv_item it;
    inv_err e = {0};
    inv_item_init(&it);
    it.id = strdup(id);
    assert_ok(inv_item_set(&it, "kind", kind, &e), &e);
    assert_ok(inv_item_set(&it, "name", name, &e), &e);
    assert_ok(inv_item_set(&it, "notes", "line1\nline2\twith \\ tab", &e), &e);
    assert_ok(inv_stage_add(f->r, &it, &e), &e);
    inv_item_free(&it);
}

static int64_t commit(fx *f, const char *msg, const char *when)
{
    int64_t n = 0;
    inv_err e = {0};
    assert_ok(inv_commit(f->r, msg, "jm", tu_time(when), &n, &e), &e);
    return n;
}

/* The .minisig text of sk's signature of version n as role, malloc'd. */
static char *make_sig(fx *f, cr_seckey *sk, int64_t n, const char *role, const char *when)
{
    unsigned char prehash[CR_PREHASH_BYTES];
    char hash[CR_HASH_STR_LEN], trusted[512];
    inv_err e = {0};
    cr_err ce = {0};
    inv_tc tc = {0};
    cr_sig sig;
    assert_ok(inv_doc_digests(f->r, n, prehash, hash, &e), &e);
    snprintf(tc.register_id, sizeof tc.register_id, "%s", inv_register_id(f->r));
    tc.version = n;
    snprintf(tc.role, sizeof tc.role, "%s", role);
    snprintf(tc.doc_hash, sizeof tc.doc_hash, "%s", hash);
    tc.signed_at = tu_time(when);
    inv_tc_format(&tc, trusted, sizeof trusted);
    assert_int_equal(cr_sign_prehashed(sk, prehash, trusted, NULL, &sig, &ce), CR_OK);
    char *text = cr_sig_format(&sig);
    assert_non_null(text);
    return text;
}

static int attach(fx *f, cr_seckey *sk, int64_t n, const char *role, const char *when,
                  inv_err *e)
{
    char *text = make_sig(f, sk, n, role, when);
    inv_tc tc;
    int rc = inv_sig_attach(f->r, n, text, strlen(text), &tc, NULL, e);
    free(text);
    return rc;
}

static char *render(fx *f, int64_t n, size_t *len)
{
    char *doc;
    inv_err e = {0};
    assert_ok(inv_render_mem(f->r, n, &doc, len, &e), &e);
    return doc;
}

/* ====================================================================== */
/* Reading documents back                                                 */
/* ====================================================================== */

typedef struct lines {
    inv_buf b;
    int n;
} lines;

static int collect(void *ctx, const char *line, size_t len)
{
    lines *l = ctx;
    l->n++;
    return inv_buf_add(&l->b, line, len) || inv_buf_add(&l->b, "|", 1);
}

static void test_doc_parse_rendered(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    inv_doc d;
    size_t len;
    add_item(f, "SRV-01", "server", "File server");
    add_item(f, "PC-01", "workstation", "Compta");
    commit(f, "Initial\ninventory", "2026-01-10T09:00:00Z");
    add_item(f, "FW-01", "network", "");
    assert_ok(inv_stage_remove(f->r, "PC-01", "stolen", &e), &e);
    inv_item it;
    inv_item_init(&it);
    assert_int_equal(inv_item_current(f->r, "SRV-01", &it, NULL, &e), INV_OK);
    assert_ok(inv_item_set(&it, "ip", "10.0.0.6", &e), &e);
    assert_ok(inv_stage_edit(f->r, &it, &e), &e);
    inv_item_free(&it);
    commit(f, "Q1", "2026-02-01T10:00:00Z");

    char *doc = render(f, 2, &len);
    inv_version v;
    assert_ok(inv_version_get(f->r, 2, &v, &e), &e);
    lines l = {{0}, 0};
    assert_ok(inv_doc_parse(doc, len, "v2.scope", &d, collect, &l, &e), &e);
    assert_string_equal(d.register_id, inv_register_id(f->r));
    assert_string_equal(d.contract, "ACME/2026 É");
    assert_string_equal(d.party[0], "Helvetia IT SA");
    assert_string_equal(d.party[1], "ACME SA");
    char id[CR_KEYID_HEX];
    cr_keyid_hex(f->pk[0].keyid, id);
    assert_string_equal(d.key[0], id);
    cr_keyid_hex(f->pk[1].keyid, id);
    assert_string_equal(d.key[1], id);
    assert_string_equal(d.old_key[0], "");
    assert_int_equal(d.version, 2);
    assert_int_equal(d.date, tu_time("2026-02-01T10:00:00Z"));
    assert_string_equal(d.author, "jm");
    assert_string_equal(d.message, "Q1");
    assert_int_equal(d.items, 2);
    assert_int_equal(d.changes, 3);
    assert_int_equal(d.added, 1);
    assert_int_equal(d.removed, 1);
    assert_int_equal(d.modified, 1);
    assert_int_equal(d.size, len);
    assert_string_equal(d.doc_hash, v.doc_hash);
    assert_string_not_equal(d.previous, "");
    /* the changes section, line by line, as written */
    assert_int_equal(l.n, 5);
    assert_string_equal(l.b.data, "+ FW-01|- PC-01|  reason: stolen|~ SRV-01|"
                                  "  ip: (none) -> \"10.0.0.6\"|");
    unsigned char prehash[CR_PREHASH_BYTES];
    char hash[CR_HASH_STR_LEN];
    assert_ok(inv_doc_digests(f->r, 2, prehash, hash, &e), &e);
    assert_memory_equal(prehash, d.prehash, sizeof prehash);
    inv_doc_free(&d);
    inv_buf_free(&l.b);

    /* version 1: previous none, escaped message and values read back */
    free(doc);
    doc = render(f, 1, &len);
    assert_ok(inv_doc_parse(doc, len, "v1.scope", &d, NULL, NULL, &e), &e);
    assert_string_equal(d.message, "Initial\ninventory");
    assert_string_equal(d.previous, "");
    assert_int_equal(d.added, 2);
    inv_doc_free(&d);

    /* the same through a FILE, streamed */
    FILE *fp = fmemopen(doc, len, "rb");
    assert_non_null(fp);
    assert_ok(inv_doc_read(fp, "v1.scope", &d, NULL, NULL, &e), &e);
    fclose(fp);
    assert_int_equal(d.version, 1);
    inv_doc_free(&d);
    inv_version_free(&v);
    free(doc);
}

/* Replaces the first occurrence of from by to in doc (malloc'd result). */
static char *mutate(const char *doc, const char *from, const char *to)
{
    const char *p = strstr(doc, from);
    if (!p)
        fail_msg("'%s' not in the document", from);
    size_t a = (size_t)(p - doc), fl = strlen(from), tl = strlen(to), n = strlen(doc);
    char *out = malloc(n - fl + tl + 1);
    memcpy(out, doc, a);
    memcpy(out + a, to, tl);
    memcpy(out + a + tl, p + fl, n - a - fl + 1);
    return out;
}

static void expect_malformed(const char *doc, const char *from, const char *to,
                             const char *want)
{
    inv_err e = {0};
    inv_doc d;
    char *bad = mutate(doc, from, to);
    int rc = inv_doc_parse(bad, strlen(bad), "x.scope", &d, NULL, NULL, &e);
    if (rc != INV_EINPUT || !strstr(e.msg, want) || !strstr(e.msg, "x.scope: "))
        fail_msg("'%s' -> '%s': expected INV_EINPUT with \"%s\", got %d: \"%s\"", from, to,
                 want, rc, e.msg);
    free(bad);
}

static void test_doc_parse_refusals(void **state)
{
    fx *f = *state;
    size_t len;
    add_item(f, "B-1", "server", "b");
    add_item(f, "A-1", "printer", "a");
    commit(f, "one", "2026-01-10T09:00:00Z");
    char *doc = render(f, 1, &len);
    expect_malformed(doc, "scope-register/2", "scope-register/3", "line 1: not a scope document");
    expect_malformed(doc, "register: ", "registre: ", "line 2: expected the header field 'register:'");
    expect_malformed(doc, "register: ", "register: A", "register: must be 32");
    expect_malformed(doc, "version: 1", "version: 01", "line 8: version:");
    expect_malformed(doc, "date: 2026-01-10T09:00:00Z", "date: 2026-01-10 09:00", "date:");
    expect_malformed(doc, "date: 2026-01-10T09:00:00Z", "date: 2026-02-30T09:00:00Z", "date:");
    expect_malformed(doc, "previous: none", "previous: blake2b-256:00", "previous:");
    expect_malformed(doc, "items: 2", "items: 3", "items: count does not match");
    expect_malformed(doc, "changes: 2", "changes: 1", "changes: count does not match");
    expect_malformed(doc, "+ A-1\n+ B-1", "+ B-1\n+ A-1", "strictly increasing");
    expect_malformed(doc, "+ A-1", "* A-1", "expected a change");
    expect_malformed(doc, "+ A-1", "- A-1", "version 1 can only add");
    expect_malformed(doc, "kind: printer", "kind: imprimante", "canonical kinds");
    expect_malformed(doc, "line1\\nline2", "line1\\xline2", "malformed escape");
    expect_malformed(doc, "name: a", "name: a\r", "control character");
    expect_malformed(doc,
                     "  name: a\n"
                     "  services: none (kind default)\n  sla: none (kind default)\n",
                     "  name: a\n"
                     "  services: none (kind default)\n  sla: none (kind default)\n"
                     "  zeta: 1\n  alpha: 2\n",
                     "increasing");
    expect_malformed(doc, "end of scope document\n", "end of scope document", "line feed");
    expect_malformed(doc, "end of scope document\n", "end of scope document\nmore\n",
                     "data after");
    expect_malformed(doc, "\nend of scope document\n", "\n", "ends early");
    /* a key line in version 1 */
    expect_malformed(doc, "changes: 2\n", "changes: 3\nkey provider: 0000000000000000 -> 1111111111111111\n",
                     "key");
    free(doc);
    /* not a document at all */
    inv_err e = {0};
    inv_doc d;
    assert_err(inv_doc_parse("", 0, "empty.scope", &d, NULL, NULL, &e), &e, INV_EINPUT,
               "ends early");
    assert_err(inv_doc_parse("\xff\xfe", 2, "bin.scope", &d, NULL, NULL, &e), &e, INV_EINPUT,
               "not a scope document");
}

static void test_doc_sig_check(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    cr_err ce = {0};
    size_t len;
    inv_doc d;
    cr_sig sig;
    inv_tc tc;
    add_item(f, "A-1", "server", "a");
    commit(f, "one", "2026-01-10T09:00:00Z");
    char *doc = render(f, 1, &len);
    assert_ok(inv_doc_parse(doc, len, "v1.scope", &d, NULL, NULL, &e), &e);

    char *text = make_sig(f, f->sk[1], 1, "client", "2026-01-11T08:00:00Z");
    assert_int_equal(cr_sig_parse(text, strlen(text), &sig, &ce), CR_OK);
    assert_ok(inv_doc_sig_check(&d, INV_ROLE_CLIENT, 0, &f->pk[1], &sig, INT64_MAX / 2, &tc, &e), &e);
    assert_int_equal(tc.signed_at, tu_time("2026-01-11T08:00:00Z"));
    /* the signature verifies over the document with the crypto module too */
    assert_int_equal(cr_verify(&f->pk[1], &sig, doc, len, &ce), CR_OK);
    /* not the provider's */
    assert_err(inv_doc_sig_check(&d, INV_ROLE_PROVIDER, 0, &f->pk[1], &sig, INT64_MAX / 2, &tc, &e), &e,
               INV_FAIL, "not by the provider's key");
    assert_err(inv_doc_sig_check(&d, INV_ROLE_CLIENT, 0, &f->pk[0], &sig, INT64_MAX / 2, &tc, &e), &e,
               INV_FAIL, "public key");
    assert_err(inv_doc_sig_check(&d, INV_ROLE_CLIENT, 1, &f->pk[1], &sig, INT64_MAX / 2, &tc, &e), &e,
               INV_FAIL, "does not replace");
    free(text);

    /* a client key signing with role:provider in its trusted comment */
    text = make_sig(f, f->sk[1], 1, "provider", "2026-01-11T08:00:00Z");
    assert_int_equal(cr_sig_parse(text, strlen(text), &sig, &ce), CR_OK);
    assert_err(inv_doc_sig_check(&d, INV_ROLE_CLIENT, 0, &f->pk[1], &sig, INT64_MAX / 2, &tc, &e), &e,
               INV_FAIL, "says role provider");
    free(text);

    /* one byte changed: the signature no longer verifies */
    text = make_sig(f, f->sk[1], 1, "client", "2026-01-11T08:00:00Z");
    assert_int_equal(cr_sig_parse(text, strlen(text), &sig, &ce), CR_OK);
    inv_doc d2;
    char *bad = mutate(doc, "name: a", "name: b");
    assert_ok(inv_doc_parse(bad, strlen(bad), "v1.scope", &d2, NULL, NULL, &e), &e);
    assert_err(inv_doc_sig_check(&d2, INV_ROLE_CLIENT, 0, &f->pk[1], &sig, INT64_MAX / 2, &tc, &e), &e,
               INV_FAIL, "does not verify");
    inv_doc_free(&d2);
    free(bad);
    free(text);

    /* key role lookup */
    int role, old;
    assert_int_equal(inv_doc_key_role(&d, d.key[1], &role, &old), INV_OK);
    assert_int_equal(role, INV_ROLE_CLIENT);
    assert_int_equal(old, 0);
    assert_int_equal(inv_doc_key_role(&d, "0123456789ABCDEF", &role, &old), INV_FAIL);
    inv_doc_free(&d);
    free(doc);
}

static void test_doc_stem(void **state)
{
    (void)state;
    char out[80];
    static const char *const cases[][2] = {
        {"ACME-INFOG-2026", "ACME-INFOG-2026"},
        {"ACME/2026 É..x", "ACME_2026__._x"},
        {"../../etc/passwd", "_._.__etc_passwd"},
        {".hidden", "_hidden"},
        {"-rf", "_rf"},
        {"a..b...c", "a._b._.c"},
        {"Contrat n° 12", "Contrat_n__12"},
        {"", "scope"},
        {"日本", "__"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        inv_doc_stem(cases[i][0], out, sizeof out);
        if (strcmp(out, cases[i][1]))
            fail_msg("stem of '%s': got '%s', expected '%s'", cases[i][0], out, cases[i][1]);
        assert_null(strchr(out, '/'));
        assert_null(strstr(out, ".."));
        assert_true(out[0] != '.');
    }
    char longref[200];
    memset(longref, 'x', sizeof longref - 1);
    longref[sizeof longref - 1] = '\0';
    inv_doc_stem(longref, out, sizeof out);
    assert_int_equal(strlen(out), 64);
}

/* ====================================================================== */
/* Signature state and key rotation                                       */
/* ====================================================================== */

static void test_sig_state(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    inv_sig_state st;
    add_item(f, "A-1", "server", "a");
    commit(f, "one", "2026-01-10T09:00:00Z");
    assert_ok(inv_sig_state_get(f->r, 1, &st, &e), &e);
    assert_string_equal(inv_sig_state_name(&st), "proposed");
    assert_int_equal(st.party[0].need, 1);
    assert_ok(attach(f, f->sk[0], 1, "provider", "2026-01-10T10:00:00Z", &e), &e);
    assert_ok(inv_sig_state_get(f->r, 1, &st, &e), &e);
    assert_string_equal(inv_sig_state_name(&st), "signed by provider");
    assert_int_equal(st.party[0].at, tu_time("2026-01-10T10:00:00Z"));
    /* the provider's key cannot sign as the client, nor another register's */
    assert_err(attach(f, f->sk[0], 1, "client", "2026-01-10T10:00:00Z", &e), &e, INV_FAIL,
               "says role client");
    cr_seckey *stranger;
    cr_pubkey spk;
    cr_err ce;
    assert_int_equal(cr_keygen(&stranger, &spk, &ce), CR_OK);
    assert_err(attach(f, stranger, 1, "client", "2026-01-10T10:00:00Z", &e), &e, INV_FAIL,
               "neither the provider's nor the client's");
    cr_seckey_free(stranger);
    assert_ok(attach(f, f->sk[1], 1, "client", "2026-01-12T10:00:00Z", &e), &e);
    assert_ok(inv_sig_state_get(f->r, 1, &st, &e), &e);
    assert_string_equal(inv_sig_state_name(&st), "agreed");
    assert_int_equal(st.party[1].at, tu_time("2026-01-12T10:00:00Z"));
}

typedef struct vstate {
    int64_t n;
    int ok[8];
    inv_sig_state sigs[8];
} vstate;

static int keep_check(void *ctx, const inv_check *c)
{
    vstate *v = ctx;
    if (c->version < 8) {
        v->ok[c->version] = c->ok;
        v->sigs[c->version] = *c->sigs;
    }
    v->n++;
    return 0;
}

static void test_rotation(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    cr_err ce = {0};
    cr_seckey *nsk;
    cr_pubkey npk, old;
    const char *role;
    size_t len;
    int staged;
    assert_int_equal(cr_keygen(&nsk, &npk, &ce), CR_OK);

    /* no rotation before the first version; never to the other's key */
    assert_err(inv_rekey_stage(f->r, "client", &npk, NULL, &e), &e, INV_EINPUT,
               "no version yet");
    add_item(f, "A-1", "server", "a");
    commit(f, "one", "2026-01-10T09:00:00Z");
    assert_err(inv_rekey_stage(f->r, "client", &f->pk[0], NULL, &e), &e, INV_EINPUT,
               "provider's key");
    assert_err(inv_rekey_stage(f->r, "client", &f->pk[1], NULL, &e), &e, INV_EINPUT,
               "already the client's key");
    assert_err(inv_rekey_stage(f->r, "auditor", &npk, NULL, &e), &e, INV_EINPUT,
               "provider or client");

    /* staged, cancelled, staged again */
    assert_ok(inv_rekey_stage(f->r, "client", &npk, &old, &e), &e);
    assert_memory_equal(old.pk, f->pk[1].pk, CR_PK_BYTES);
    assert_ok(inv_rekey_staged(f->r, "client", &staged, NULL, &e), &e);
    assert_int_equal(staged, 1);
    assert_ok(inv_rekey_reset(f->r, "client", &e), &e);
    assert_ok(inv_rekey_staged(f->r, "client", &staged, NULL, &e), &e);
    assert_int_equal(staged, 0);
    assert_err(inv_rekey_reset(f->r, "client", &e), &e, INV_EINPUT, "no replacement");
    assert_ok(inv_rekey_stage(f->r, "client", &npk, NULL, &e), &e);
    /* the provider cannot take the key staged for the client */
    assert_err(inv_rekey_stage(f->r, "provider", &npk, NULL, &e), &e, INV_EINPUT,
               "client's key");

    /* a version made of the rotation alone */
    int64_t n = commit(f, "client key replaced", "2026-02-01T09:00:00Z");
    assert_int_equal(n, 2);
    assert_ok(inv_rekey_staged(f->r, "client", &staged, NULL, &e), &e);
    assert_int_equal(staged, 0);
    char *doc = render(f, 2, &len);
    char oldid[CR_KEYID_HEX], newid[CR_KEYID_HEX], line[128];
    cr_keyid_hex(f->pk[1].keyid, oldid);
    cr_keyid_hex(npk.keyid, newid);
    snprintf(line, sizeof line, "\nchanges: 1\nkey client: %s -> %s\n\nitem: A-1\n", oldid,
             newid);
    if (!strstr(doc, line))
        fail_msg("no rotation line in:\n%s", doc);
    snprintf(line, sizeof line, "\nclient-key: %s\n", newid);
    assert_non_null(strstr(doc, line));
    inv_doc d;
    assert_ok(inv_doc_parse(doc, len, "v2.scope", &d, NULL, NULL, &e), &e);
    assert_string_equal(d.old_key[1], oldid);
    assert_string_equal(d.key[1], newid);
    assert_int_equal(d.rekeyed, 1);
    int r, o;
    assert_int_equal(inv_doc_key_role(&d, oldid, &r, &o), INV_OK);
    assert_int_equal(r, INV_ROLE_CLIENT);
    assert_int_equal(o, 1);
    inv_doc_free(&d);
    free(doc);

    /* which keys sign which version */
    assert_ok(inv_role_of_key(f->r, f->pk[1].keyid, 2, &role, NULL, &e), &e);
    assert_string_equal(role, "client");
    assert_ok(inv_role_of_key(f->r, npk.keyid, 2, &role, NULL, &e), &e);
    assert_string_equal(role, "client");
    assert_err(inv_role_of_key(f->r, npk.keyid, 1, &role, NULL, &e), &e, INV_EINPUT,
               "neither");

    /* agreed only with the old and the new key of the client */
    inv_sig_state st;
    assert_ok(attach(f, f->sk[0], 2, "provider", "2026-02-01T10:00:00Z", &e), &e);
    assert_ok(attach(f, nsk, 2, "client", "2026-02-02T10:00:00Z", &e), &e);
    assert_ok(inv_sig_state_get(f->r, 2, &st, &e), &e);
    assert_int_equal(st.party[1].need, 2);
    assert_int_equal(st.party[1].have, 1);
    assert_false(st.party[1].signed_);
    assert_string_equal(inv_sig_state_name(&st), "signed by provider");
    assert_ok(attach(f, f->sk[1], 2, "client", "2026-02-03T10:00:00Z", &e), &e);
    assert_ok(inv_sig_state_get(f->r, 2, &st, &e), &e);
    assert_string_equal(inv_sig_state_name(&st), "agreed");
    assert_int_equal(st.party[1].at, tu_time("2026-02-03T10:00:00Z"));

    /* after the rotation, the old key no longer signs */
    add_item(f, "B-1", "vpn", "b");
    commit(f, "three", "2026-03-01T09:00:00Z");
    assert_err(attach(f, f->sk[1], 3, "client", "2026-03-02T10:00:00Z", &e), &e, INV_FAIL,
               "neither");
    assert_ok(attach(f, nsk, 3, "client", "2026-03-02T10:00:00Z", &e), &e);

    /* verify follows the rotation */
    vstate vs = {0};
    assert_ok(inv_verify(f->r, keep_check, &vs, &e), &e);
    assert_int_equal(vs.n, 3);
    assert_true(vs.ok[2] && vs.sigs[2].party[1].signed_ && vs.sigs[2].party[0].signed_);
    assert_true(vs.ok[3] && vs.sigs[3].party[1].signed_ && !vs.sigs[3].party[0].signed_);

    /* a key row edited behind the tool's back breaks the version it names */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    char sql[256];
    cr_pubkey_base64(&f->pk[1], line, sizeof line);
    snprintf(sql, sizeof sql, "UPDATE party_key SET public_key = '%s', key_id = '%s'"
             " WHERE role = 'client' AND since = 2", line, oldid);
    assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    memset(&vs, 0, sizeof vs);
    assert_err(inv_verify(f->r, keep_check, &vs, &e), &e, INV_FAIL, "version 2");
    assert_false(vs.ok[2]);
    cr_seckey_free(nsk);
}

static void test_rotation_with_items_and_reset(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    cr_err ce = {0};
    cr_seckey *nsk;
    cr_pubkey npk;
    int staged;
    size_t len;
    assert_int_equal(cr_keygen(&nsk, &npk, &ce), CR_OK);
    add_item(f, "A-1", "server", "a");
    commit(f, "one", "2026-01-10T09:00:00Z");
    /* 'reset' of everything drops a staged key replacement too */
    assert_ok(inv_rekey_stage(f->r, "provider", &npk, NULL, &e), &e);
    assert_ok(inv_stage_reset(f->r, NULL, &e), &e);
    assert_ok(inv_rekey_staged(f->r, "provider", &staged, NULL, &e), &e);
    assert_int_equal(staged, 0);
    int64_t none = 0;
    assert_int_equal(inv_commit(f->r, "nothing", "jm", tu_time("2026-02-01T09:00:00Z"), &none, &e),
                     INV_EINPUT);
    /* with an item change: key line first, then the items */
    assert_ok(inv_rekey_stage(f->r, "provider", &npk, NULL, &e), &e);
    add_item(f, "B-1", "vpn", "b");
    commit(f, "two", "2026-02-01T09:00:00Z");
    char *doc = render(f, 2, &len);
    assert_non_null(strstr(doc, "\nchanges: 2\nkey provider: "));
    assert_non_null(strstr(doc, "\n+ B-1\n"));
    inv_doc d;
    assert_ok(inv_doc_parse(doc, len, "v2.scope", &d, NULL, NULL, &e), &e);
    assert_int_equal(d.rekeyed, 1);
    assert_int_equal(d.added, 1);
    assert_int_equal(d.changes, 2);
    inv_doc_free(&d);
    free(doc);
    vstate vs = {0};
    assert_ok(inv_verify(f->r, keep_check, &vs, &e), &e);
    assert_int_equal(vs.sigs[2].party[0].need, 2);
    cr_seckey_free(nsk);
}

/* ====================================================================== */
/* A directory of exported documents                                      */
/* ====================================================================== */

static void write_doc(fx *f, const char *dir, int64_t n, const char *stem)
{
    size_t len;
    char name[256];
    char *doc = render(f, n, &len);
    snprintf(name, sizeof name, "%s/%s-v%lld.scope", dir, stem, (long long)n);
    assert_int_equal(tu_write(name, doc, len), 0);
    free(doc);
}

static void write_sig(fx *f, const char *dir, cr_seckey *sk, int64_t n, const char *role,
                      const char *suffix)
{
    char name[256];
    char *text = make_sig(f, sk, n, role, "2026-03-01T10:00:00Z");
    snprintf(name, sizeof name, "%s/C-v%lld.%s%s.minisig", dir, (long long)n, role, suffix);
    assert_int_equal(tu_write(name, text, strlen(text)), 0);
    free(text);
}

static void write_pub(const char *dir, const char *name, const cr_pubkey *pk)
{
    char *path = tu_path(dir, name);
    char *text = cr_pubkey_format(pk);
    assert_int_equal(tu_write(path, text, strlen(text)), 0);
    free(text);
    free(path);
}

typedef struct dstate {
    int n, ok[8];
    int64_t version[8];
    inv_sig_state sigs[8];
    char reason[8][512];
} dstate;

static int keep_doc(void *ctx, const inv_doc_check *c)
{
    dstate *s = ctx;
    if (s->n < 8) {
        s->ok[s->n] = c->ok;
        s->version[s->n] = c->doc ? c->doc->version : 0;
        s->sigs[s->n] = *c->sigs;
        snprintf(s->reason[s->n], sizeof s->reason[0], "%s", c->reason ? c->reason : "");
    }
    s->n++;
    return 0;
}

static void test_docs_verify(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    cr_err ce = {0};
    cr_seckey *nsk;
    cr_pubkey npk;
    assert_int_equal(cr_keygen(&nsk, &npk, &ce), CR_OK);
    char *dir = tu_path(f->dir, "out");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    assert_int_equal(system(cmd), 0);

    add_item(f, "A-1", "server", "a");
    commit(f, "one", "2026-01-10T09:00:00Z");
    add_item(f, "B-1", "vpn", "b");
    commit(f, "two", "2026-01-11T09:00:00Z");
    assert_ok(inv_rekey_stage(f->r, "provider", &npk, NULL, &e), &e);
    commit(f, "three", "2026-01-12T09:00:00Z");
    for (int64_t n = 1; n <= 3; n++)
        write_doc(f, dir, n, "C");
    write_sig(f, dir, f->sk[0], 1, "provider", "");
    write_sig(f, dir, f->sk[1], 1, "client", "");
    write_sig(f, dir, f->sk[0], 2, "provider", "");
    write_sig(f, dir, nsk, 3, "provider", "");
    write_sig(f, dir, f->sk[0], 3, "provider", ".old");
    write_sig(f, dir, f->sk[1], 3, "client", "");
    write_pub(dir, "C.provider.pub", &f->pk[0]);
    write_pub(dir, "C.client.pub", &f->pk[1]);

    /* the new provider key is missing: version 3 cannot be checked */
    dstate s = {0};
    assert_err(inv_docs_verify(dir, INT64_MAX / 2, keep_doc, &s, &e), &e, INV_FAIL, "C-v3.scope");
    assert_int_equal(s.n, 3);
    assert_true(s.ok[0] && s.sigs[0].party[0].signed_ && s.sigs[0].party[1].signed_);
    assert_true(s.ok[1] && s.sigs[1].party[0].signed_ && !s.sigs[1].party[1].signed_);
    assert_false(s.ok[2]);
    assert_non_null(strstr(s.reason[2], "no .pub file"));

    char id[CR_KEYID_HEX], name[64];
    cr_keyid_hex(npk.keyid, id);
    snprintf(name, sizeof name, "C.provider.%s.pub", id);
    write_pub(dir, name, &npk);
    memset(&s, 0, sizeof s);
    assert_ok(inv_docs_verify(dir, INT64_MAX / 2, keep_doc, &s, &e), &e);
    assert_true(s.ok[2] && s.sigs[2].party[0].signed_ && s.sigs[2].party[1].signed_);
    assert_int_equal(s.sigs[2].party[0].need, 2);

    /* a one-byte change to version 2: its signature and the link from 3 break */
    char *p2 = tu_path(dir, "C-v2.scope");
    size_t len;
    char *doc = tu_slurp(p2, &len);
    char *at = strstr(doc, "name: b");
    at[6] = 'c';
    assert_int_equal(tu_write(p2, doc, len), 0);
    memset(&s, 0, sizeof s);
    assert_err(inv_docs_verify(dir, INT64_MAX / 2, keep_doc, &s, &e), &e, INV_FAIL, "C-v2.scope");
    assert_false(s.ok[1]);
    assert_non_null(strstr(s.reason[1], "does not verify"));
    assert_false(s.ok[2]);
    assert_non_null(strstr(s.reason[2], "previous:"));
    free(doc);
    free(p2);

    /* an empty directory is an input error */
    char *empty = tu_path(f->dir, "empty");
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", empty);
    assert_int_equal(system(cmd), 0);
    assert_err(inv_docs_verify(empty, INT64_MAX / 2, NULL, NULL, &e), &e, INV_EINPUT, "no *.scope");
    free(empty);
    free(dir);
    cr_seckey_free(nsk);
}

/* ====================================================================== */
/* One document following another (inv_doc_follows)                      */
/* ====================================================================== */

typedef struct chainfx {
    char *path[5];  /* v1..v4 as rendered */
    char *text[5];
    inv_doc doc[5];
    char pid[CR_KEYID_HEX], cid[CR_KEYID_HEX], nid[CR_KEYID_HEX];
} chainfx;

static void edit_item(fx *f, const char *id, const char *key, const char *value)
{
    inv_item it;
    inv_err e = {0};
    inv_item_init(&it);
    assert_int_equal(inv_item_current(f->r, id, &it, NULL, &e), INV_OK);
    if (value)
        assert_ok(inv_item_set(&it, key, value, &e), &e);
    else
        assert_ok(inv_item_unset(&it, key, &e), &e);
    assert_ok(inv_stage_edit(f->r, &it, &e), &e);
    inv_item_free(&it);
}

static void read_doc_file(const char *path, inv_doc *d)
{
    inv_err e = {0};
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    assert_ok(inv_doc_read(fp, path, d, NULL, NULL, &e), &e);
    fclose(fp);
}

/* Four versions: items added, removed and modified (a name, a kind, an
 * attribute added, changed and removed, values with escapes), then a key
 * rotation only, then more modifications. */
static void chain_setup(fx *f, chainfx *c)
{
    inv_err e = {0};
    cr_err ce = {0};
    cr_seckey *nsk;
    cr_pubkey npk;
    assert_int_equal(cr_keygen(&nsk, &npk, &ce), CR_OK);
    cr_keyid_hex(f->pk[0].keyid, c->pid);
    cr_keyid_hex(f->pk[1].keyid, c->cid);
    cr_keyid_hex(npk.keyid, c->nid);
    add_item(f, "A-1", "server", "a");
    add_item(f, "B-1", "vpn", "b");
    add_item(f, "C-1", "workstation", "c");
    add_item(f, "E-1", "printer", "e");
    commit(f, "one", "2026-01-10T09:00:00Z");
    add_item(f, "D-1", "network", "d");
    assert_ok(inv_stage_remove(f->r, "B-1", "client request", &e), &e);
    edit_item(f, "A-1", "name", "a2");
    edit_item(f, "A-1", "ip", "10.0.0.6");
    edit_item(f, "A-1", "notes", "say \"hi\" \\ x\ty");
    edit_item(f, "C-1", "kind", "server");
    edit_item(f, "C-1", "notes", NULL);
    commit(f, "two", "2026-01-11T09:00:00Z");
    assert_ok(inv_rekey_stage(f->r, "client", &npk, NULL, &e), &e);
    commit(f, "three", "2026-01-12T09:00:00Z");
    edit_item(f, "A-1", "ip", NULL);
    edit_item(f, "A-1", "name", "");
    edit_item(f, "D-1", "os", "line1\nline2");
    commit(f, "four", "2026-01-12T09:00:00Z");
    for (int n = 1; n <= 4; n++) {
        char name[32];
        size_t len;
        snprintf(name, sizeof name, "v%d.scope", n);
        c->path[n] = tu_path(f->dir, name);
        c->text[n] = render(f, n, &len);
        assert_int_equal(tu_write(c->path[n], c->text[n], len), 0);
        read_doc_file(c->path[n], &c->doc[n]);
    }
    cr_seckey_free(nsk);
}

static void chain_free(chainfx *c)
{
    for (int n = 1; n <= 4; n++) {
        free(c->path[n]);
        free(c->text[n]);
        inv_doc_free(&c->doc[n]);
    }
}

/* Writes text as forged.scope, reads it (it must pass the grammar) and
 * checks that it does not follow version `from` with a message holding
 * want (and a second part want2, may be NULL). */
static void expect_forged(fx *f, chainfx *c, int from, const char *text, const char *want,
                          const char *want2)
{
    inv_err e = {0};
    inv_doc d;
    char *path = tu_path(f->dir, "forged.scope");
    assert_int_equal(tu_write(path, text, strlen(text)), 0);
    read_doc_file(path, &d);
    int rc = inv_doc_follows(c->path[from], &c->doc[from], path, &d, &e);
    if (rc != INV_FAIL || !strstr(e.msg, want) || (want2 && !strstr(e.msg, want2)))
        fail_msg("expected INV_FAIL with \"%s\" / \"%s\", got %d: \"%s\"", want,
                 want2 ? want2 : "", rc, e.msg);
    inv_doc_free(&d);
    free(path);
}

/* mutate, twice */
static char *mutate2(const char *doc, const char *a, const char *b, const char *c2,
                     const char *d2)
{
    char *t = mutate(doc, a, b);
    char *u = mutate(t, c2, d2);
    free(t);
    return u;
}

static void test_doc_follows_honest(void **state)
{
    fx *f = *state;
    chainfx c = {0};
    inv_err e = {0};
    chain_setup(f, &c);
    /* the versions hold what the test means them to */
    assert_non_null(strstr(c.text[2], "~ A-1\n"));
    assert_non_null(strstr(c.text[2], "+ D-1\n"));
    assert_non_null(strstr(c.text[2], "- B-1\n  reason: client request\n"));
    assert_non_null(strstr(c.text[2], "  kind: \"workstation\" -> \"server\"\n"));
    assert_non_null(strstr(c.text[2], "  ip: (none) -> \"10.0.0.6\"\n"));
    assert_non_null(strstr(c.text[2], "  notes: \"line1\\nline2\\twith \\\\ tab\" -> "
                                      "\"say \\\"hi\\\" \\\\ x\\ty\"\n"));
    assert_non_null(strstr(c.text[3], "changes: 1\nkey client: "));
    assert_non_null(strstr(c.text[4], "  ip: \"10.0.0.6\" -> (none)\n"));
    assert_non_null(strstr(c.text[4], "  name: \"a2\" -> \"\"\n"));
    assert_int_equal(c.doc[2].added, 1);
    assert_int_equal(c.doc[2].removed, 1);
    assert_int_equal(c.doc[2].modified, 2);
    for (int n = 2; n <= 4; n++)
        assert_ok(inv_doc_follows(c.path[n - 1], &c.doc[n - 1], c.path[n], &c.doc[n], &e), &e);
    /* only consecutive versions, in order */
    assert_err(inv_doc_follows(c.path[1], &c.doc[1], c.path[3], &c.doc[3], &e), &e, INV_FAIL,
               "version 3 does not follow version 1");
    assert_err(inv_doc_follows(c.path[2], &c.doc[2], c.path[1], &c.doc[1], &e), &e, INV_FAIL,
               "version 1 does not follow version 2");
    assert_err(inv_doc_follows(c.path[2], &c.doc[2], c.path[2], &c.doc[2], &e), &e, INV_FAIL,
               "does not follow");
    chain_free(&c);
}

static void test_doc_follows_forged(void **state)
{
    fx *f = *state;
    chainfx c = {0};
    chain_setup(f, &c);
    const char *v2 = c.text[2];
    char *t;
    int cases = 0;
#define FORGED(from, text, want, want2)                                                  \
    do {                                                                                 \
        t = (text);                                                                      \
        expect_forged(f, &c, (from), t, (want), (want2));                                \
        free(t);                                                                         \
        cases++;                                                                         \
    } while (0)

    /* an item dropped without a change */
    FORGED(1, mutate2(v2, "items: 4\n", "items: 3\n", "item: E-1\n  kind: printer\n  name: e\n"
                          "  services: none (kind default)\n  sla: none (kind default)\n"
                      "  notes: line1\\nline2\\twith \\\\ tab\n\n", ""),
           "version 2: item E-1 is listed in version 1 and absent from version 2, but version 2 "
           "records no change of E-1", NULL);
    /* an item added without a change */
    FORGED(1, mutate2(v2, "items: 4\n", "items: 5\n", "item: E-1\n",
                      "item: E-0\n  kind: other\n  name: x\n"
                      "  services: none (kind default)\n  sla: none (kind default)\n"
                      "\nitem: E-1\n"),
           "version 2: item E-0 is absent from version 1 and listed in version 2, but version 2 "
           "records no addition of E-0", NULL);
    /* a removal listed, the item kept */
    FORGED(1, mutate2(v2, "items: 4\n", "items: 5\n", "item: C-1\n",
                      "item: B-1\n  kind: vpn\n  name: b\n"
                      "  services: none (kind default)\n  sla: none (kind default)\n"
                      "  notes: line1\\nline2\\twith \\\\ tab"
                      "\n\nitem: C-1\n"),
           "version 2 removes B-1 (reason: client request) but still lists it", NULL);
    /* an addition listed, the item missing */
    FORGED(1, mutate2(v2, "items: 4\n", "items: 3\n", "item: D-1\n  kind: network\n  name: d\n"
                          "  services: none (kind default)\n  sla: none (kind default)\n"
                      "  notes: line1\\nline2\\twith \\\\ tab\n\n", ""),
           "version 2 adds D-1 but does not list it", NULL);
    /* an addition of an item already there */
    FORGED(1, mutate2(v2, "changes: 4\n", "changes: 5\n", "+ D-1\n", "+ D-1\n+ E-1\n"),
           "version 2 adds E-1, but version 1 already lists it", NULL);
    /* a modification whose new value is not the item's */
    FORGED(1, mutate(v2, "  ip: (none) -> \"10.0.0.6\"", "  ip: (none) -> \"10.0.0.7\""),
           "version 2 changes ip of A-1 to \"10.0.0.7\", but lists A-1 with ip \"10.0.0.6\"",
           NULL);
    /* ... whose old value is not version 1's */
    FORGED(1, mutate(v2, "  kind: \"workstation\" -> \"server\"",
                     "  kind: \"printer\" -> \"server\""),
           "version 2 changes kind of C-1 from \"printer\", but version 1 has \"workstation\"",
           NULL);
    /* ... that says a field was absent when it was not */
    FORGED(1, mutate(v2, "  notes: \"line1\\nline2\\twith \\\\ tab\" -> ", "  notes: (none) -> "),
           "version 2 adds notes to A-1, but version 1 already has notes", NULL);
    /* ... that removes a field the item still has */
    FORGED(1, mutate(v2, "  notes: \"line1\\nline2\\twith \\\\ tab\" -> (none)",
                     "  notes: \"line1\\nline2\\twith \\\\ tab\" -> (none)\n  zz: (none) -> \"1\""),
           "version 2 changes zz of C-1 to \"1\", but lists C-1 without zz", NULL);
    FORGED(1, mutate2(v2, "  kind: server\n  name: c\n"
                          "  services: none (kind default)\n  sla: none (kind default)\n",
                      "  kind: server\n  name: c\n"
                      "  services: none (kind default)\n  sla: none (kind default)\n"
                      "  notes: kept\n", "", ""),
           "version 2 removes notes from C-1, but still lists C-1 with notes \"kept\"", NULL);
    /* a value changed silently: an item no change names */
    FORGED(1, mutate(v2, "item: E-1\n  kind: printer\n  name: e\n"
                         "  services: none (kind default)\n  sla: none (kind default)\n",
                     "item: E-1\n  kind: printer\n  name: f\n"
                     "  services: none (kind default)\n  sla: none (kind default)\n"),
           "version 2: the name of item E-1 is \"e\" in version 1 and \"f\" in version 2, but "
           "version 2 records no change of E-1", NULL);
    /* ... an attribute added silently */
    FORGED(1, mutate(v2, "item: E-1\n  kind: printer\n  name: e\n"
                         "  services: none (kind default)\n  sla: none (kind default)\n",
                     "item: E-1\n  kind: printer\n  name: e\n"
                     "  services: none (kind default)\n  sla: none (kind default)\n  cpu: 4\n"),
           "version 2: item E-1 has cpu in version 2 and not in version 1", NULL);
    /* ... a field of a modified item that its modification does not name */
    FORGED(1, mutate(v2,
                     "  name: a2\n"
                     "  services: none (kind default)\n  sla: none (kind default)\n",
                     "  name: a2\n"
                     "  services: none (kind default)\n  sla: none (kind default)\n"
                     "  cpu: 4\n"),
           "version 2: item A-1 has cpu \"4\" in version 2 and no cpu in version 1, but the "
           "modification of A-1 in version 2 does not name cpu", NULL);
    FORGED(1, mutate(v2, "  notes: say \"hi\" \\\\ x\\ty\n", "  notes: say \"ho\" \\\\ x\\ty\n"),
           "version 2 changes notes of A-1 to \"say \\\"hi\\\" \\\\ x\\ty\", but lists A-1 with "
           "notes \"say \"ho\"", NULL);
    /* a modification of an item absent before */
    FORGED(1, mutate2(v2, "+ D-1\n", "~ D-1\n  os: (none) -> \"x\"\n", "tab\n\nitem: E-1",
                      "tab\n  os: x\n\nitem: E-1"),
           "version 2 modifies D-1, but version 1 does not list it", NULL);
    /* a removal of an item absent before */
    FORGED(1, mutate2(v2, "changes: 4\n", "changes: 5\n", "- B-1\n",
                      "- B-0\n  reason: none\n- B-1\n"),
           "version 2 removes B-0, but version 1 does not list it", NULL);
    /* the header: previous hash, version gap, contract, parties, date, keys */
    {
        char *u = mutate(v2, "previous: blake2b-256:", "previous: blake2b-256:0");
        size_t at = (size_t)(strstr(u, "previous: ") - u) + 10 + 12 + 64;
        memmove(u + at, u + at + 1, strlen(u + at + 1) + 1); /* keep 64 digits */
        FORGED(1, u, "version 2: its previous: field", "is not the hash of version 1");
    }
    FORGED(1, mutate(v2, "version: 2\n", "version: 3\n"), "version 3 does not follow version 1",
           NULL);
    FORGED(1, mutate(v2, "contract: ACME/2026 É\n", "contract: ACME/2027\n"),
           "version 2 names contract \"ACME/2027\", version 1 \"ACME/2026 É\"", NULL);
    FORGED(1, mutate(v2, "client: ACME SA\n", "client: ACME Holding\n"),
           "version 2 names the client \"ACME Holding\", version 1 \"ACME SA\"", NULL);
    FORGED(1, mutate(v2, "date: 2026-01-11T09:00:00Z", "date: 2026-01-09T09:00:00Z"),
           "version 2 is dated 2026-01-09T09:00:00Z, before version 1", NULL);
    {
        char from[64], to[64];
        snprintf(from, sizeof from, "client-key: %s\n", c.cid);
        snprintf(to, sizeof to, "client-key: %s\n", c.nid);
        char want[160];
        snprintf(want, sizeof want, "version 2 names the client's key %s, version 1 %s, and "
                 "version 2 records no key change for the client", c.nid, c.cid);
        FORGED(1, mutate(v2, from, to), want, NULL);
        /* a key line whose old key is not version 2's */
        char line[96], fake[96];
        snprintf(line, sizeof line, "key client: %s -> ", c.cid);
        snprintf(fake, sizeof fake, "key client: %s -> ", "0123456789ABCDEF");
        snprintf(want, sizeof want, "version 3 replaces the client's key 0123456789ABCDEF, but "
                 "the client's key of version 2 is %s", c.cid);
        FORGED(2, mutate(c.text[3], line, fake), want, NULL);
        /* a rotation to the key the provider had */
        char *u = mutate(c.text[3], "changes: 1\n", "changes: 2\n");
        char pline[96], pl2[96];
        snprintf(pline, sizeof pline, "provider-key: %s\n", c.pid);
        snprintf(pl2, sizeof pl2, "provider-key: %s\n", "0123456789ABCDEF");
        char *v = mutate(u, pline, pl2);
        free(u);
        snprintf(pline, sizeof pline, "changes: 2\n");
        snprintf(pl2, sizeof pl2, "changes: 2\nkey provider: %s -> 0123456789ABCDEF\n", c.pid);
        u = mutate(v, pline, pl2);
        free(v);
        snprintf(pline, sizeof pline, "client-key: %s\n", c.nid);
        snprintf(pl2, sizeof pl2, "client-key: %s\n", c.pid);
        v = mutate(u, pline, pl2);
        free(u);
        snprintf(pline, sizeof pline, "-> %s\n", c.nid);
        snprintf(pl2, sizeof pl2, "-> %s\n", c.pid);
        u = mutate(v, pline, pl2);
        free(v);
        /* refused by the grammar already: the client's new key is the
         * provider's old key */
        inv_doc d;
        inv_err e = {0};
        assert_err(inv_doc_parse(u, strlen(u), "v3.scope", &d, NULL, NULL, &e), &e,
                   INV_EINPUT, "old key is the other party's key");
        free(u);
        cases++;
    }
    /* a rotation that also changes an item silently */
    FORGED(3, mutate(c.text[4], "item: E-1\n  kind: printer\n", "item: E-1\n  kind: other\n"),
           "version 4: the kind of item E-1 is \"printer\" in version 3 and \"other\" in "
           "version 4", NULL);
#undef FORGED
    assert_int_equal(cases, 25);
    chain_free(&c);
}

/* What inv_doc_read itself refuses about keys and modifications. */
static void test_doc_follows_grammar(void **state)
{
    fx *f = *state;
    chainfx c = {0};
    chain_setup(f, &c);
    char from[64], to[64];
    /* both parties with the same key */
    snprintf(from, sizeof from, "client-key: %s\n", c.cid);
    snprintf(to, sizeof to, "client-key: %s\n", c.pid);
    expect_malformed(c.text[1], from, to, "name the same key");
    /* a key line from the other party's key */
    snprintf(from, sizeof from, "key client: %s", c.cid);
    snprintf(to, sizeof to, "key client: %s", c.pid);
    expect_malformed(c.text[3], from, to, "other party's key");
    /* field lines: quoted values, kind and name never absent, real changes, order */
    expect_malformed(c.text[2], "  ip: (none) -> \"10.0.0.6\"", "  ip: none -> \"10.0.0.6\"",
                     "expected '  FIELD:");
    expect_malformed(c.text[2], "  ip: (none) -> \"10.0.0.6\"", "  ip: (none) -> \"10.0.0.6",
                     "expected '  FIELD:");
    expect_malformed(c.text[2], "  ip: (none) -> \"10.0.0.6\"", "  ip: (none) -> \"10\\x\"",
                     "expected '  FIELD:");
    expect_malformed(c.text[2], "  ip: (none) -> \"10.0.0.6\"",
                     "  ip: (none) -> \"10.0.0.6\" trailing", "expected '  FIELD:");
    expect_malformed(c.text[2], "  ip: (none) -> \"10.0.0.6\"", "  ip: \"1\" -> \"1\"",
                     "changes nothing");
    expect_malformed(c.text[2], "  ip: (none) -> \"10.0.0.6\"", "  ip: (none) -> (none)",
                     "changes nothing");
    expect_malformed(c.text[2], "  kind: \"workstation\" -> \"server\"",
                     "  kind: \"workstation\" -> (none)", "always has a kind and a name");
    expect_malformed(c.text[2], "  kind: \"workstation\" -> \"server\"",
                     "  kind: \"workstation\" -> \"serveur\"", "canonical kinds");
    expect_malformed(c.text[2], "  ip: (none) -> \"10.0.0.6\"", "  Ip: (none) -> \"10.0.0.6\"",
                     "not a field name");
    expect_malformed(c.text[2], "  ip: (none) -> \"10.0.0.6\"", "  zz: (none) -> \"10.0.0.6\"",
                     "strictly increasing order");
    chain_free(&c);
}

/* A file that is not what was read, or not a file. */
static void test_doc_follows_files(void **state)
{
    fx *f = *state;
    chainfx c = {0};
    inv_err e = {0};
    chain_setup(f, &c);
    /* same size, other bytes, after inv_doc_read */
    char *t = mutate(c.text[2], "item: E-1\n  kind: printer\n  name: e\n"
                                "  services: none (kind default)\n  sla: none (kind default)\n",
                     "item: E-1\n  kind: printer\n  name: f\n"
                     "  services: none (kind default)\n  sla: none (kind default)\n");
    assert_int_equal(tu_write(c.path[2], t, strlen(t)), 0);
    assert_err(inv_doc_follows(c.path[1], &c.doc[1], c.path[2], &c.doc[2], &e), &e, INV_EINPUT,
               "changed while it was being checked");
    free(t);
    /* another size */
    assert_int_equal(tu_write(c.path[2], c.text[1], strlen(c.text[1])), 0);
    assert_err(inv_doc_follows(c.path[1], &c.doc[1], c.path[2], &c.doc[2], &e), &e, INV_EINPUT,
               "size changed");
    /* a FIFO or a directory is never read (and never blocks) */
    char *fifo = tu_path(f->dir, "fifo.scope");
    assert_int_equal(mkfifo(fifo, 0600), 0);
    assert_err(inv_doc_follows(fifo, &c.doc[1], c.path[2], &c.doc[2], &e), &e, INV_EINPUT,
               "not a regular file");
    assert_err(inv_doc_follows(c.path[1], &c.doc[1], f->dir, &c.doc[2], &e), &e, INV_EINPUT,
               "not a regular file");
    char *none = tu_path(f->dir, "absent.scope");
    assert_err(inv_doc_follows(c.path[1], &c.doc[1], none, &c.doc[2], &e), &e, INV_EINPUT,
               "cannot be read");
    free(none);
    free(fifo);
    chain_free(&c);
}

typedef struct ustate {
    int n, ok[8], unver[8];
    char why[8][1024];
} ustate;

static int keep_unver(void *ctx, const inv_doc_check *c)
{
    ustate *s = ctx;
    if (s->n < 8) {
        s->ok[s->n] = c->ok;
        s->unver[s->n] = c->unverified != NULL;
        snprintf(s->why[s->n], sizeof s->why[0], "%s",
                 !c->ok ? c->reason : c->unverified ? c->unverified : "");
    }
    s->n++;
    return 0;
}

/* A key change across an absent version cannot be checked (unverified,
 * and so is the next version resting on that key); a second register for
 * the same contract is a fork. */
static void test_docs_verify_gap_and_fork(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    cr_err ce = {0};
    cr_seckey *nsk;
    cr_pubkey npk;
    assert_int_equal(cr_keygen(&nsk, &npk, &ce), CR_OK);
    char nid[CR_KEYID_HEX], cid[CR_KEYID_HEX], name[64];
    cr_keyid_hex(npk.keyid, nid);
    cr_keyid_hex(f->pk[1].keyid, cid);
    char *dir = tu_path(f->dir, "gap");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    assert_int_equal(system(cmd), 0);

    add_item(f, "A-1", "server", "a");
    commit(f, "one", "2026-01-10T09:00:00Z");
    assert_ok(inv_rekey_stage(f->r, "client", &npk, NULL, &e), &e);
    commit(f, "two", "2026-01-11T09:00:00Z");
    add_item(f, "B-1", "vpn", "b");
    commit(f, "three", "2026-01-12T09:00:00Z");
    add_item(f, "C-1", "vpn", "c");
    commit(f, "four", "2026-01-13T09:00:00Z");
    write_doc(f, dir, 1, "C");
    write_doc(f, dir, 3, "C");
    write_doc(f, dir, 4, "C");
    write_sig(f, dir, f->sk[0], 1, "provider", "");
    write_sig(f, dir, f->sk[1], 1, "client", "");
    for (int64_t n = 3; n <= 4; n++) {
        write_sig(f, dir, f->sk[0], n, "provider", "");
        write_sig(f, dir, nsk, n, "client", "");
    }
    write_pub(dir, "C.provider.pub", &f->pk[0]);
    write_pub(dir, "C.client.pub", &f->pk[1]);
    snprintf(name, sizeof name, "C.client.%s.pub", nid);
    write_pub(dir, name, &npk);

    /* version 2 absent: the client's key changed across it */
    ustate s = {0};
    assert_err(inv_docs_verify(dir, INT64_MAX / 2, keep_unver, &s, &e), &e, INV_FAIL,
               "C-v3.scope cannot be verified");
    assert_int_equal(s.n, 3);
    assert_true(s.ok[0] && !s.unver[0]);
    char want[256];
    snprintf(want, sizeof want, "client key %s differs from version 1's (%s) and version 2 is "
             "absent: the key change cannot be checked", nid, cid);
    assert_true(s.ok[1] && s.unver[1]);
    assert_string_equal(s.why[1], want);
    snprintf(want, sizeof want, "client key %s rests on the key change at version 3, which "
             "cannot be checked (version 2 is absent)", nid);
    assert_true(s.ok[2] && s.unver[2]);
    assert_string_equal(s.why[2], want);

    /* with version 2 present, the rotation is followed: all hold */
    write_doc(f, dir, 2, "C");
    write_sig(f, dir, f->sk[0], 2, "provider", "");
    write_sig(f, dir, f->sk[1], 2, "client", ".old");
    write_sig(f, dir, nsk, 2, "client", "");
    memset(&s, 0, sizeof s);
    assert_ok(inv_docs_verify(dir, INT64_MAX / 2, keep_unver, &s, &e), &e);
    assert_int_equal(s.n, 4);
    for (int i = 0; i < 4; i++)
        assert_true(s.ok[i] && !s.unver[i]);

    /* a second register for the same contract and parties: a fork */
    char *p2 = tu_path(f->dir, "twin.db");
    inv_init in = {"ACME/2026 É", "Helvetia IT SA", "ACME SA", f->pk[0], f->pk[1],
                   tu_time("2026-01-01T08:00:00Z")};
    assert_ok(inv_create(p2, &in, &e), &e);
    inv_register *mine = f->r;
    assert_ok(inv_open(p2, 1, &f->r, &e), &e);
    add_item(f, "A-1", "server", "a");
    commit(f, "one", "2026-01-10T09:00:00Z");
    write_doc(f, dir, 1, "T"); /* unsigned: a fork is broken whatever its signatures */
    char twin_id[40];
    snprintf(twin_id, sizeof twin_id, "%s", inv_register_id(f->r));
    inv_close(f->r);
    f->r = mine;
    memset(&s, 0, sizeof s);
    assert_err(inv_docs_verify(dir, INT64_MAX / 2, keep_unver, &s, &e), &e, INV_FAIL, "fork: ");
    assert_int_equal(s.n, 5);
    const char *a = inv_register_id(f->r), *b = twin_id;
    if (strcmp(a, b) > 0) {
        const char *t = a;
        a = b;
        b = t;
    }
    snprintf(want, sizeof want, "fork: registers %s and %s both claim contract ACME/2026 É", a,
             b);
    for (int i = 0; i < 5; i++) {
        assert_false(s.ok[i]);
        if (!strstr(s.why[i], want))
            fail_msg("document %d: \"%s\" lacks \"%s\"", i, s.why[i], want);
    }
    free(p2);
    free(dir);
    cr_seckey_free(nsk);
}

/* ====================================================================== */
/* A document against itself (inv_doc_self_check)                        */
/* ====================================================================== */

/* Writes text as self.scope, reads it (it must pass the grammar) and
 * checks that inv_doc_self_check fails with code and a message holding
 * want. */
static void expect_self(fx *f, const char *text, int code, const char *want)
{
    inv_err e = {0};
    inv_doc d;
    char *path = tu_path(f->dir, "self.scope");
    assert_int_equal(tu_write(path, text, strlen(text)), 0);
    read_doc_file(path, &d);
    int rc = inv_doc_self_check(path, &d, &e);
    if (rc != code || (want && !strstr(e.msg, want)))
        fail_msg("expected %d with \"%s\", got %d: \"%s\"", code, want ? want : "", rc, e.msg);
    inv_doc_free(&d);
    free(path);
}

static void test_doc_self_check(void **state)
{
    fx *f = *state;
    chainfx c = {0};
    chain_setup(f, &c);
    const char *v1 = c.text[1], *v2 = c.text[2];
    char *t;
    int cases = 0;
#define SELF(text, want)                                                                 \
    do {                                                                                 \
        t = (text);                                                                      \
        expect_self(f, t, INV_FAIL, (want));                                             \
        free(t);                                                                         \
        cases++;                                                                         \
    } while (0)
    /* every honest version holds, the key-rotation-only one included */
    for (int n = 1; n <= 4; n++) {
        inv_err e = {0};
        assert_ok(inv_doc_self_check(c.path[n], &c.doc[n], &e), &e);
    }
    assert_non_null(strstr(v1, "changes: 4\n+ A-1\n+ B-1\n+ C-1\n+ E-1\n"));

    /* version 1: an addition swapped for an id it does not list */
    SELF(mutate(v1, "+ C-1\n", "+ C-9\n"),
         "version 1 lists item C-1 but its changes do not add it");
    /* ... one addition fewer */
    SELF(mutate2(v1, "changes: 4\n", "changes: 3\n", "+ E-1\n", ""),
         "version 1 lists item E-1 but its changes do not add it");
    /* ... one addition more */
    SELF(mutate2(v1, "changes: 4\n", "changes: 5\n", "+ E-1\n", "+ E-1\n+ F-1\n"),
         "version 1 adds F-1 but does not list it");
    /* ... no item at all but one added */
    SELF(mutate2(v1, "items: 4\n", "items: 3\n", "item: B-1\n  kind: vpn\n  name: b\n"
                     "  services: none (kind default)\n  sla: none (kind default)\n"
                 "  notes: line1\\nline2\\twith \\\\ tab\n\n", ""),
         "version 1 adds B-1 but does not list it");

    /* version 2 alone: a removal listed, the item kept */
    SELF(mutate2(v2, "items: 4\n", "items: 5\n", "item: C-1\n",
                 "item: B-1\n  kind: vpn\n  name: b\n"
                 "  services: none (kind default)\n  sla: none (kind default)\n\nitem: C-1\n"),
         "version 2 removes B-1 (reason: client request) but still lists it");
    /* ... an addition listed, the item missing */
    SELF(mutate2(v2, "items: 4\n", "items: 3\n", "item: D-1\n  kind: network\n  name: d\n"
                     "  services: none (kind default)\n  sla: none (kind default)\n"
                 "  notes: line1\\nline2\\twith \\\\ tab\n\n", ""),
         "version 2 adds D-1 but does not list it");
    /* ... a modification of an item it does not list */
    SELF(mutate2(v2, "items: 4\n", "items: 3\n", "item: C-1\n  kind: server\n  name: c\n"
                     "  services: none (kind default)\n  sla: none (kind default)\n\n", ""),
         "version 2 modifies C-1 but does not list it");
    /* ... whose new value is not the item's */
    SELF(mutate(v2, "  ip: (none) -> \"10.0.0.6\"", "  ip: (none) -> \"10.0.0.7\""),
         "version 2 changes ip of A-1 to \"10.0.0.7\", but lists A-1 with ip \"10.0.0.6\"");
    SELF(mutate(v2, "  kind: \"workstation\" -> \"server\"",
                "  kind: \"workstation\" -> \"printer\""),
         "version 2 changes kind of C-1 to \"printer\", but lists C-1 with kind \"server\"");
    /* ... that sets a field the item lacks */
    SELF(mutate(v2, "  notes: \"line1\\nline2\\twith \\\\ tab\" -> (none)",
                "  notes: \"line1\\nline2\\twith \\\\ tab\" -> (none)\n  zz: (none) -> \"1\""),
         "version 2 changes zz of C-1 to \"1\", but lists C-1 without zz");
    /* ... that removes a field the item still has */
    SELF(mutate(v2, "  kind: server\n  name: c\n"
                    "  services: none (kind default)\n  sla: none (kind default)\n",
                "  kind: server\n  name: c\n"
                "  services: none (kind default)\n  sla: none (kind default)\n  notes: kept\n"),
         "version 2 removes notes from C-1, but still lists C-1 with notes \"kept\"");
    assert_int_equal(cases, 11);
#undef SELF

    /* what it cannot see without version 1 is left to inv_doc_follows:
     * an old value, an item listed with no change, a field changed
     * silently */
    {
        inv_err e = {0};
        inv_doc d;
        char *path = tu_path(f->dir, "self.scope");
        t = mutate(v2, "  kind: \"workstation\" -> \"server\"", "  kind: \"printer\" -> \"server\"");
        assert_int_equal(tu_write(path, t, strlen(t)), 0);
        read_doc_file(path, &d);
        assert_ok(inv_doc_self_check(path, &d, &e), &e);
        assert_err(inv_doc_follows(c.path[1], &c.doc[1], path, &d, &e), &e, INV_FAIL,
                   "version 1 has \"workstation\"");
        inv_doc_free(&d);
        free(t);
        /* the file changed after it was read, or is not a file */
        t = mutate(c.text[2], "item: E-1\n  kind: printer\n  name: e\n"
                              "  services: none (kind default)\n  sla: none (kind default)\n",
                   "item: E-1\n  kind: printer\n  name: f\n"
                   "  services: none (kind default)\n  sla: none (kind default)\n");
        assert_int_equal(tu_write(c.path[2], t, strlen(t)), 0);
        assert_err(inv_doc_self_check(c.path[2], &c.doc[2], &e), &e, INV_EINPUT,
                   "changed while it was being checked");
        free(t);
        assert_int_equal(tu_write(c.path[2], c.text[1], strlen(c.text[1])), 0);
        assert_err(inv_doc_self_check(c.path[2], &c.doc[2], &e), &e, INV_EINPUT,
                   "size changed");
        char *fifo = tu_path(f->dir, "self-fifo.scope");
        assert_int_equal(mkfifo(fifo, 0600), 0);
        assert_err(inv_doc_self_check(fifo, &c.doc[1], &e), &e, INV_EINPUT,
                   "not a regular file");
        free(fifo);
        free(path);
    }
    chain_free(&c);
}

/* Two registers naming the same parties' keys are a fork whatever their
 * contracts are called; a key id two .pub files give to two keys breaks
 * every document naming it, signed by it or not. */
static void test_docs_verify_keys_fork_and_twin(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    cr_err ce = {0};
    char *dir = tu_path(f->dir, "kf");
    char cmd[512], want[512], pid[CR_KEYID_HEX];
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    assert_int_equal(system(cmd), 0);
    cr_keyid_hex(f->pk[0].keyid, pid);
    add_item(f, "A-1", "server", "a");
    commit(f, "one", "2026-01-10T09:00:00Z");
    add_item(f, "B-1", "vpn", "b");
    commit(f, "two", "2026-01-11T09:00:00Z");
    write_doc(f, dir, 1, "C");
    write_sig(f, dir, f->sk[0], 1, "provider", "");
    write_sig(f, dir, f->sk[1], 1, "client", "");
    write_pub(dir, "C.provider.pub", &f->pk[0]);
    write_pub(dir, "C.client.pub", &f->pk[1]);
    ustate s = {0};
    assert_ok(inv_docs_verify(dir, INT64_MAX / 2, keep_unver, &s, &e), &e);

    /* the same keys, the contract with a trailing space */
    char *p2 = tu_path(f->dir, "space.db");
    inv_init in = {"ACME/2026 É ", "Helvetia IT SA", "ACME SA", f->pk[0], f->pk[1],
                   tu_time("2026-01-01T08:00:00Z")};
    assert_ok(inv_create(p2, &in, &e), &e);
    inv_register *mine = f->r;
    assert_ok(inv_open(p2, 1, &f->r, &e), &e);
    add_item(f, "A-1", "server", "a");
    commit(f, "one", "2026-01-10T09:00:00Z");
    write_doc(f, dir, 1, "S");
    char other_id[40];
    snprintf(other_id, sizeof other_id, "%s", inv_register_id(f->r));
    inv_close(f->r);
    f->r = mine;
    memset(&s, 0, sizeof s);
    assert_err(inv_docs_verify(dir, INT64_MAX / 2, keep_unver, &s, &e), &e, INV_FAIL, "fork: ");
    assert_int_equal(s.n, 2);
    snprintf(want, sizeof want, "fork: registers %s and %s name the same parties' keys "
             "(contracts 'ACME/2026 É' and 'ACME/2026 É ')", inv_register_id(f->r), other_id);
    for (int i = 0; i < 2; i++)
        if (s.ok[i] || !strstr(s.why[i], want))
            fail_msg("document %d: \"%s\" lacks \"%s\"", i, s.why[i], want);
    char *sp = tu_path(dir, "S-v1.scope");
    assert_int_equal(remove(sp), 0);
    free(sp);

    /* a second .pub under the provider's key id; version 2 unsigned */
    cr_seckey *tsk;
    cr_pubkey tpk;
    assert_int_equal(cr_keygen(&tsk, &tpk, &ce), CR_OK);
    memcpy(tpk.keyid, f->pk[0].keyid, sizeof tpk.keyid);
    write_pub(dir, "twin.pub", &tpk);
    write_doc(f, dir, 2, "C");
    inv_keyring *ring;
    assert_ok(inv_keyring_load(dir, &ring, &e), &e);
    assert_err(inv_keyring_conflict(ring, pid, &e), &e, INV_FAIL,
               "hold two different public keys with the same key id");
    char cid[CR_KEYID_HEX];
    cr_keyid_hex(f->pk[1].keyid, cid);
    assert_ok(inv_keyring_conflict(ring, cid, &e), &e);
    assert_ok(inv_keyring_conflict(ring, "0123456789ABCDEF", &e), &e);
    inv_keyring_free(ring);
    memset(&s, 0, sizeof s);
    assert_err(inv_docs_verify(dir, INT64_MAX / 2, keep_unver, &s, &e), &e, INV_FAIL,
               "is not known");
    assert_int_equal(s.n, 2);
    snprintf(want, sizeof want, "the provider's key %s is not known: ", pid);
    for (int i = 0; i < 2; i++)
        if (s.ok[i] || !strstr(s.why[i], want) || !strstr(s.why[i], "twin.pub"))
            fail_msg("document %d: \"%s\" lacks \"%s\"", i, s.why[i], want);
    cr_seckey_free(tsk);
    free(p2);
    free(dir);
}

int main(void)
{
    cr_err ce;
    if (cr_init(&ce) != CR_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tc_round_trip),
        cmocka_unit_test(test_tc_parse_refusals),
        cmocka_unit_test(test_doc_stem),
        cmocka_unit_test_setup_teardown(test_doc_parse_rendered, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_doc_parse_refusals, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_doc_sig_check, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_sig_state, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_rotation, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_rotation_with_items_and_reset, fx_setup,
                                        fx_teardown),
        cmocka_unit_test_setup_teardown(test_docs_verify, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_doc_follows_honest, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_doc_follows_forged, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_doc_follows_grammar, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_doc_follows_files, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_docs_verify_gap_and_fork, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_doc_self_check, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_docs_verify_keys_fork_and_twin, fx_setup,
                                        fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
