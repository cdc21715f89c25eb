/* test_item.c - unit tests of values/item.c: attribute keys, kinds and their aliases, ids,
 * values, and items (set, get, unset, equal, copy, check). */
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

/* ====================================================================== */
/* Attribute keys, kinds, ids, values, escaping                           */
/* ====================================================================== */

static void check_norm(const char *in, const char *want)
{
    char buf[300];
    snprintf(buf, sizeof buf, "%s", in);
    int rc = inv_key_normalise(buf);
    if (!want) {
        if (rc != -1)
            fail_msg("inv_key_normalise('%s') gave '%s', want -1", in, buf);
        return;
    }
    if (rc != 0 || strcmp(buf, want))
        fail_msg("inv_key_normalise('%s') = %d '%s', want '%s'", in, rc, buf, want);
    inv_err e = {0};
    if (inv_key_check(buf, &e) != INV_OK && strcmp(want, "kind") && strcmp(want, "name") &&
        strcmp(want, "id"))
        fail_msg("normalised key '%s' fails inv_key_check: %s", buf, e.msg);
}

static void test_key_normalise(void **state)
{
    (void)state;
    check_norm("Numéro de série", "numero_de_serie");
    check_norm("serial", "serial");
    check_norm("Serial Number", "serial_number");
    check_norm("  IP Address  ", "ip_address");
    check_norm("IP", "ip");
    check_norm("MAC-Address", "mac-address");
    check_norm("os.version", "os.version");
    check_norm("a..b", "a.b");
    check_norm("a - b", "a_b");
    check_norm("a . b", "a_b");
    check_norm("__x__", "x");
    check_norm("--x--", "x");
    check_norm("N° série", "n_serie");
    check_norm("Nb licences (total)", "nb_licences_total");
    check_norm("Date d'achat", "date_d_achat");
    check_norm("Straße", "strasse");
    check_norm("Œuvre", "oeuvre");
    check_norm("ÉTIQUETTE", "etiquette");
    check_norm("Propriétaire/Utilisateur", "proprietaire_utilisateur");
    check_norm("v2", "v2");
    check_norm("Kind", "kind");
    check_norm("", NULL);
    check_norm("   ", NULL);
    check_norm("!!!", NULL);
    check_norm("___", NULL);
    check_norm("日本語", NULL);
}

/* A long key is cut to 64 characters and, like any other, keeps no
 * separator at its edge (inventory.h: "repeated or edge '_' removed"). */
static void test_key_normalise_long(void **state)
{
    (void)state;
    char buf[300];
    memset(buf, 'a', 100);
    buf[100] = '\0';
    assert_int_equal(inv_key_normalise(buf), 0);
    assert_int_equal(strlen(buf), 64);
    assert_int_equal(inv_key_check(buf, NULL), INV_OK);

    /* 63 letters then a separator at the cut */
    memset(buf, 'a', 63);
    snprintf(buf + 63, sizeof buf - 63, " bcd");
    assert_int_equal(inv_key_normalise(buf), 0);
    assert_true(strlen(buf) <= 64);
    size_t n = strlen(buf);
    if (buf[n - 1] == '_' || buf[n - 1] == '.' || buf[n - 1] == '-')
        fail_msg("normalised long key ends with a separator: '%s'", buf);
}

static void test_key_check(void **state)
{
    (void)state;
    inv_err e = {0};
    assert_int_equal(inv_key_check("serial", &e), INV_OK);
    assert_int_equal(inv_key_check("a.b-c_d9", &e), INV_OK);
    assert_int_equal(inv_key_check("9lives", &e), INV_OK);
    assert_err(inv_key_check("Serial", &e), &e, INV_EINPUT, "invalid attribute key 'Serial'");
    assert_err(inv_key_check("_x", &e), &e, INV_EINPUT, "'_x'");
    assert_err(inv_key_check("", &e), &e, INV_EINPUT, "invalid attribute key");
    assert_err(inv_key_check("a b", &e), &e, INV_EINPUT, "'a b'");
    assert_err(inv_key_check("kind", &e), &e, INV_EINPUT, "field");
    assert_err(inv_key_check("name", &e), &e, INV_EINPUT, "field");
    assert_err(inv_key_check("id", &e), &e, INV_EINPUT, "field");
    char k[80];
    memset(k, 'k', 65);
    k[65] = '\0';
    assert_err(inv_key_check(k, &e), &e, INV_EINPUT, "1 to 64");
    k[64] = '\0';
    assert_int_equal(inv_key_check(k, &e), INV_OK);
}

static void test_kind_canonical(void **state)
{
    (void)state;
    static const char *const table[][2] = {
        {"workstation", "workstation"},
        {"server", "server"},
        {"os", "os"},
        {"software", "software"},
        {"network", "network"},
        {"printer", "printer"},
        {"vpn", "vpn"},
        {"other", "other"},
        {"poste", "workstation"},
        {"Poste", "workstation"},
        {"poste de travail", "workstation"},
        {"Poste de Travail", "workstation"},
        {"PC", "workstation"},
        {"pc", "workstation"},
        {"laptop", "workstation"},
        {"Ordinateur portable", "workstation"},
        {"serveur", "server"},
        {"SERVEUR", "server"},
        {"VM", "server"},
        {"vm", "server"},
        {"machine virtuelle", "server"},
        {"logiciel", "software"},
        {"Logiciel", "software"},
        {"licence", "software"},
        {"switch", "network"},
        {"Switch", "network"},
        {"routeur", "network"},
        {"router", "network"},
        {"pare-feu", "network"},
        {"Pare-Feu", "network"},
        {"parefeu", "network"},
        {"firewall", "network"},
        {"FIREWALL", "network"},
        {"réseau", "network"},
        {"Wi-Fi", "network"},
        {"imprimante", "printer"},
        {"Imprimante", "printer"},
        {"copieur", "printer"},
        {"accès VPN", "vpn"},
        {"Accès VPN", "vpn"},
        {"ACCÈS VPN", "vpn"},
        {"acces vpn", "vpn"},
        {"VPN", "vpn"},
        {"Système d'exploitation", "os"},
        {"systeme d'exploitation", "os"},
        {"OS", "os"},
        {"autre", "other"},
        {"onduleur", "other"},
        /* asset tools name categories in the plural */
        {"Serveurs", "server"},
        {"Laptops", "workstation"},
        {"PCs", "workstation"},
        {"VMs", "server"},
        {"Switches", "network"},
        {"Réseaux", "network"},
        {"Imprimantes", "printer"},
        {"printers", "printer"},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        const char *k = inv_kind_canonical(table[i][0]);
        if (!k || strcmp(k, table[i][1]))
            fail_msg("kind '%s' -> '%s', want '%s'", table[i][0], k ? k : "(null)",
                     table[i][1]);
    }
    static const char *const unknown[] = {"toaster", "", "   ", "serveurz", "pcss",
                                          "work",    "s",  "es",   "-", "日本"};
    for (size_t i = 0; i < sizeof unknown / sizeof unknown[0]; i++) {
        const char *k = inv_kind_canonical(unknown[i]);
        if (k)
            fail_msg("unknown kind '%s' mapped to '%s'", unknown[i], k);
    }
}

static void test_kind_closest_and_help(void **state)
{
    (void)state;
    assert_string_equal(inv_kind_closest("serveru"), "server");
    assert_string_equal(inv_kind_closest("imprimant"), "imprimante");
    assert_string_equal(inv_kind_closest("routr"), "router");
    assert_string_equal(inv_kind_closest("workstaton"), "workstation");
    assert_string_equal(inv_kind_closest("Logiciels"), "logiciel");
    static const char *const any[] = {"toaster", "", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"
                                                     "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz"};
    for (size_t i = 0; i < sizeof any / sizeof any[0]; i++) {
        const char *c = inv_kind_closest(any[i]);
        assert_non_null(c);
        if (!inv_kind_canonical(c))
            fail_msg("closest to '%s' is '%s', which is not an accepted kind", any[i], c);
    }
    const char *help = inv_kind_help();
    static const char *const words[] = {"workstation", "server", "os", "software",
                                        "network",     "printer", "vpn", "other",
                                        "poste",       "serveur", "logiciel", "switch",
                                        "routeur",     "pare-feu", "firewall", "imprimante"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (!strstr(help, words[i]))
            fail_msg("kind help does not mention '%s': %s", words[i], help);
}

static void test_id_check(void **state)
{
    (void)state;
    inv_err e = {0};
    static const char *const good[] = {"PC-01", "Éa", "a b", "SRV 01/A", "x", "日本-1",
                                       "a\"b'c", "a\\b"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (inv_id_check(good[i], &e) != INV_OK)
            fail_msg("id '%s' refused: %s", good[i], e.msg);

    assert_err(inv_id_check("", &e), &e, INV_EINPUT, "empty item id");
    assert_err(inv_id_check(" PC", &e), &e, INV_EINPUT, "starts or ends with a space");
    assert_err(inv_id_check("PC ", &e), &e, INV_EINPUT, "'PC ' starts or ends with a space");
    assert_err(inv_id_check("a\x01" "b", &e), &e, INV_EINPUT, "control character at character 2");
    assert_err(inv_id_check("a\tb", &e), &e, INV_EINPUT, "control character");
    assert_err(inv_id_check("a\nb", &e), &e, INV_EINPUT, "control character");
    assert_err(inv_id_check("a\rb", &e), &e, INV_EINPUT, "control character");
    assert_err(inv_id_check("a\x7f", &e), &e, INV_EINPUT, "control character");
    assert_err(inv_id_check("a\xc2\x85", &e), &e, INV_EINPUT, "control character"); /* NEL */
    assert_err(inv_id_check("\xff", &e), &e, INV_EINPUT, "invalid UTF-8");
    assert_err(inv_id_check("ab\xc3", &e), &e, INV_EINPUT, "invalid UTF-8 at character 3");
    assert_err(inv_id_check("\xc0\xaf", &e), &e, INV_EINPUT, "invalid UTF-8");     /* overlong */
    assert_err(inv_id_check("\xed\xa0\x80", &e), &e, INV_EINPUT, "invalid UTF-8"); /* surrogate */
    assert_err(inv_id_check("\xf4\x90\x80\x80", &e), &e, INV_EINPUT, "invalid UTF-8");
    for (size_t i = 0; i < 2; i++) {
        /* an id names the item in every message: both messages say "id" */
        inv_id_check(i ? "a\x01" : "", &e);
        assert_non_null(strstr(e.msg, "id"));
    }

    char id[260];
    memset(id, 'x', 200);
    id[200] = '\0';
    assert_int_equal(inv_id_check(id, &e), INV_OK);
    id[200] = 'x';
    id[201] = '\0';
    assert_err(inv_id_check(id, &e), &e, INV_EINPUT, "longer than 200 bytes");
}

/* New ids hold no invisible character, no space but U+0020 and start
 * with no combining mark; ids stored before that rule still pass the
 * stored rule, which verify applies. */
static void test_id_check_invisible(void **state)
{
    (void)state;
    inv_err e = {0};
    static const struct {
        const char *id, *want;
    } bad[] = {
        {"SRV-02\xe2\x80\x8b", "U+200B (an invisible format character) at character 7"},
        {"SRV\xe2\x81\xa0" "02", "U+2060 (an invisible format character) at character 4"},
        {"\xef\xbb\xbf" "PC", "U+FEFF (an invisible format character) at character 1"},
        {"PC\xc2\xad" "1", "U+00AD (an invisible format character) at character 3"},
        {"a\xe2\x80\xae" "b", "U+202E (an invisible format character) at character 2"},
        {"a\xe2\x81\xa6" "b", "U+2066 (an invisible format character) at character 2"},
        {"a\xe2\x80\x8f", "U+200F (an invisible format character) at character 2"},
        {"SRV\xc2\xa0" "01", "U+00A0 (a space other than U+0020) at character 4"},
        {"SRV\xe3\x80\x80" "01", "U+3000 (a space other than U+0020) at character 4"},
        {"SRV\xe2\x80\xaf" "01", "U+202F (a space other than U+0020) at character 4"},
        {"SRV\xe1\x9a\x80" "01", "U+1680 (a space other than U+0020) at character 4"},
        {"SRV\xe2\x80\x83" "01", "U+2003 (a space other than U+0020) at character 4"},
        {"SRV\xe2\x80\xa8" "01", "U+2028 (a line or paragraph separator) at character 4"},
        {"\xcc\x81" "SRV", "U+0301 (a combining mark) at character 1: an id may not start"},
        {"\xe2\x83\x9d" "SRV", "U+20DD (a combining mark) at character 1"},
        {"\xef\xb8\xa0" "SRV", "U+FE20 (a combining mark) at character 1"},
        {"SRV\xef\xb8\x8f", "U+FE0F (an invisible variation selector) at character 4"},
        {"SRV\xf3\xa0\x80\x81", "U+E0001 (an invisible format character) at character 4"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (inv_id_check(bad[i].id, &e) != INV_EINPUT || e.code != INV_EINPUT ||
            !strstr(e.msg, bad[i].want))
            fail_msg("case %zu: expected \"%s\", got \"%s\"", i, bad[i].want, e.msg);
        assert_non_null(strstr(e.msg, "item id: "));
        /* stored before the rule: still an id verify accepts */
        assert_ok(inv_id_check_stored(bad[i].id, &e), &e);
    }
    /* a combining mark after a letter is part of it: NFD spellings pass */
    static const char *const good[] = {"e\xcc\x81t\xc3\xa9", "SRV-\xe2\x82\xac",
                                       "\xe6\x97\xa5\xe6\x9c\xac", "a b", "PC\xc3\xa9"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (inv_id_check(good[i], &e) != INV_OK)
            fail_msg("id %zu refused: %s", i, e.msg);
    /* the stored rule keeps the old ones */
    assert_err(inv_id_check_stored("", &e), &e, INV_EINPUT, "empty item id");
    assert_err(inv_id_check_stored("a\rb", &e), &e, INV_EINPUT, "control character");
    assert_err(inv_id_check_stored("\xff", &e), &e, INV_EINPUT, "invalid UTF-8");
    assert_err(inv_id_check_stored(" a", &e), &e, INV_EINPUT, "starts or ends with a space");
    /* an item whose id holds one is refused as a whole, naming it */
    inv_item it;
    inv_item_init(&it);
    it.id = strdup("SRV-02\xe2\x80\x8b");
    it.kind = strdup("server");
    it.name = strdup("Mail");
    assert_err(inv_item_check(&it, &e), &e, INV_EINPUT, "U+200B");
    inv_item_free(&it);
}

static void test_value_check(void **state)
{
    (void)state;
    inv_err e = {0};
    assert_int_equal(inv_value_check("notes", "", &e), INV_OK);
    assert_int_equal(inv_value_check("notes", "a\tb", &e), INV_OK);
    assert_int_equal(inv_value_check("notes", "line1\nline2\n", &e), INV_OK);
    assert_int_equal(inv_value_check("notes", "Zürich — 10 € « ok »", &e), INV_OK);
    assert_int_equal(inv_value_check("notes", " leading and trailing ", &e), INV_OK);
    assert_err(inv_value_check("notes", "a\x01" "b", &e), &e, INV_EINPUT,
               "field 'notes': a control character at character 2");
    assert_err(inv_value_check("owner", "a\rb", &e), &e, INV_EINPUT, "field 'owner'");
    assert_err(inv_value_check("notes", "\x1b[31mred", &e), &e, INV_EINPUT,
               "control character at character 1");
    assert_err(inv_value_check("notes", "é\x7f", &e), &e, INV_EINPUT,
               "control character at character 2");
    assert_err(inv_value_check("notes", "\xc2\x9b", &e), &e, INV_EINPUT, "control character");
    assert_err(inv_value_check("notes", "caf\xe9", &e), &e, INV_EINPUT,
               "invalid UTF-8 at character 4");
    assert_err(inv_value_check("model", "\xe2\x82", &e), &e, INV_EINPUT, "field 'model'");
    /* the bounds of the one-pass path for ASCII and two-byte letters */
    assert_int_equal(inv_value_check("notes", "a\xc2\xa0" "b\xdf\xbf", &e), INV_OK);
    assert_err(inv_value_check("notes", "ab\xc2", &e), &e, INV_EINPUT,
               "invalid UTF-8 at character 3");
    assert_err(inv_value_check("notes", "\xc1\xbf", &e), &e, INV_EINPUT,
               "invalid UTF-8 at character 1");
    assert_err(inv_value_check("notes", "\xc3\x28", &e), &e, INV_EINPUT,
               "invalid UTF-8 at character 1");
    assert_err(inv_value_check("notes", "Gen\xc3\xa8ve\x7f", &e), &e, INV_EINPUT,
               "control character at character 7");

    char *big = malloc(INV_VALUE_MAX + 2);
    assert_non_null(big);
    memset(big, 'v', INV_VALUE_MAX);
    big[INV_VALUE_MAX] = '\0';
    assert_int_equal(inv_value_check("notes", big, &e), INV_OK);
    big[INV_VALUE_MAX] = 'v';
    big[INV_VALUE_MAX + 1] = '\0';
    assert_err(inv_value_check("notes", big, &e), &e, INV_EINPUT, "more than 65536");
    memcpy(big + INV_VALUE_MAX - 1, "\xc3\xa9", 3); /* 65,537 bytes, the last an é */
    assert_err(inv_value_check("notes", big, &e), &e, INV_EINPUT, "more than 65536");
    free(big);
}

/* ====================================================================== */
/* Items                                                                  */
/* ====================================================================== */

static void test_item_set_get_unset(void **state)
{
    (void)state;
    inv_item it;
    inv_err e = {0};
    inv_item_init(&it);
    assert_null(it.id);
    assert_int_equal(it.nattrs, 0);

    assert_int_equal(inv_item_set(&it, "kind", "PC", &e), INV_OK);
    assert_string_equal(it.kind, "workstation");
    assert_int_equal(inv_item_set(&it, "Kind", "Pare-feu", &e), INV_OK);
    assert_string_equal(it.kind, "network");
    assert_err(inv_item_set(&it, "kind", "toaster", &e), &e, INV_EINPUT, "unknown kind 'toaster'");
    assert_non_null(strstr(e.msg, "workstation"));
    assert_string_equal(it.kind, "network"); /* unchanged */

    assert_int_equal(inv_item_set(&it, "name", "Poste compta", &e), INV_OK);
    assert_string_equal(it.name, "Poste compta");
    assert_int_equal(it.nattrs, 0); /* kind and name are fields, not attributes */

    assert_err(inv_item_set(&it, "id", "X", &e), &e, INV_EINPUT, "id");
    assert_err(inv_item_set(&it, "ID", "X", &e), &e, INV_EINPUT, "id");
    assert_err(inv_item_set(&it, "!!", "X", &e), &e, INV_EINPUT, "'!!'");
    assert_err(inv_item_set(&it, "notes", "bad\x01", &e), &e, INV_EINPUT, "field 'notes'");
    assert_err(inv_item_set(&it, "name", "bad\x02", &e), &e, INV_EINPUT, "field 'name'");
    assert_string_equal(it.name, "Poste compta");
    assert_int_equal(it.nattrs, 0);

    /* attributes kept sorted by (normalised) key */
    assert_int_equal(inv_item_set(&it, "Zone", "z", &e), INV_OK);
    assert_int_equal(inv_item_set(&it, "Numéro de série", "SN-1", &e), INV_OK);
    assert_int_equal(inv_item_set(&it, "IP", "10.0.0.1", &e), INV_OK);
    assert_int_equal(inv_item_set(&it, "notes", "a\tb\nc", &e), INV_OK);
    assert_int_equal(it.nattrs, 4);
    assert_string_equal(it.attrs[0].key, "ip");
    assert_string_equal(it.attrs[1].key, "notes");
    assert_string_equal(it.attrs[2].key, "numero_de_serie");
    assert_string_equal(it.attrs[3].key, "zone");
    assert_string_equal(inv_item_get(&it, "numero_de_serie"), "SN-1");
    assert_string_equal(inv_item_get(&it, "notes"), "a\tb\nc");
    assert_null(inv_item_get(&it, "serial"));

    /* setting again replaces */
    assert_int_equal(inv_item_set(&it, "ip", "10.0.0.2", &e), INV_OK);
    assert_int_equal(it.nattrs, 4);
    assert_string_equal(inv_item_get(&it, "ip"), "10.0.0.2");
    /* an empty value is a value */
    assert_int_equal(inv_item_set(&it, "owner", "", &e), INV_OK);
    assert_string_equal(inv_item_get(&it, "owner"), "");
    assert_int_equal(it.nattrs, 5);

    assert_int_equal(inv_item_unset(&it, "Owner", &e), INV_OK);
    assert_null(inv_item_get(&it, "owner"));
    assert_int_equal(inv_item_unset(&it, "ip", &e), INV_OK);
    assert_int_equal(it.nattrs, 3);
    assert_string_equal(it.attrs[0].key, "notes");
    assert_string_equal(it.attrs[2].key, "zone");
    it.id = strdup("PC-01");
    assert_err(inv_item_unset(&it, "ip", &e), &e, INV_EINPUT, "item 'PC-01' has no attribute 'ip'");
    assert_err(inv_item_unset(&it, "kind", &e), &e, INV_EINPUT, "'kind'");
    assert_err(inv_item_unset(&it, "name", &e), &e, INV_EINPUT, "'name'");
    assert_err(inv_item_unset(&it, "id", &e), &e, INV_EINPUT, "'id'");
    assert_int_equal(it.nattrs, 3);
    assert_int_equal(inv_item_check(&it, &e), INV_OK);

    inv_item_free(&it);
    assert_null(it.id);
    assert_null(it.attrs);
    assert_int_equal(it.nattrs, 0);
}

static void test_item_equal_copy(void **state)
{
    (void)state;
    inv_item a, b, c;
    inv_err e = {0};
    tu_item_make(&a, "PC-01", "poste", "Compta", "serial", "S1", "os", "Windows 11", NULL);
    inv_item_init(&b);
    assert_int_equal(inv_item_copy(&b, &a), INV_OK);
    assert_true(inv_item_equal(&a, &b));
    assert_true(inv_item_equal(&b, &a));
    assert_string_equal(b.id, "PC-01");
    assert_ptr_not_equal(b.id, a.id);
    assert_ptr_not_equal(b.attrs, a.attrs);
    assert_ptr_not_equal(b.attrs[0].value, a.attrs[0].value);

    /* deep: changing the copy leaves the source alone */
    assert_int_equal(inv_item_set(&b, "serial", "S2", &e), INV_OK);
    assert_string_equal(inv_item_get(&a, "serial"), "S1");
    assert_false(inv_item_equal(&a, &b));
    assert_int_equal(inv_item_set(&b, "serial", "S1", &e), INV_OK);
    assert_true(inv_item_equal(&a, &b));

    /* the id is ignored */
    free(b.id);
    b.id = strdup("PC-99");
    assert_true(inv_item_equal(&a, &b));

    /* kind, name, an extra or a missing attribute each make a difference */
    assert_int_equal(inv_item_set(&b, "kind", "serveur", &e), INV_OK);
    assert_false(inv_item_equal(&a, &b));
    assert_int_equal(inv_item_set(&b, "kind", "workstation", &e), INV_OK);
    assert_true(inv_item_equal(&a, &b));
    assert_int_equal(inv_item_set(&b, "name", "compta", &e), INV_OK);
    assert_false(inv_item_equal(&a, &b));
    assert_int_equal(inv_item_set(&b, "name", "Compta", &e), INV_OK);
    assert_int_equal(inv_item_set(&b, "owner", "", &e), INV_OK);
    assert_false(inv_item_equal(&a, &b));
    assert_int_equal(inv_item_unset(&b, "owner", &e), INV_OK);
    assert_int_equal(inv_item_unset(&b, "os", &e), INV_OK);
    assert_false(inv_item_equal(&a, &b));
    assert_false(inv_item_equal(&b, &a));

    /* same key set, one value swapped between keys */
    tu_item_make(&c, "X", "pc", "Compta", "serial", "Windows 11", "os", "S1", NULL);
    assert_false(inv_item_equal(&a, &c));

    /* copy into an item that already holds data replaces it */
    assert_int_equal(inv_item_copy(&c, &a), INV_OK);
    assert_true(inv_item_equal(&a, &c));
    assert_string_equal(c.id, "PC-01");
    assert_int_equal(c.nattrs, 2);

    /* copy of an empty item */
    inv_item empty, d;
    inv_item_init(&empty);
    tu_item_make(&d, "D", "vpn", "x", "k", "v", NULL);
    assert_int_equal(inv_item_copy(&d, &empty), INV_OK);
    assert_null(d.id);
    assert_int_equal(d.nattrs, 0);

    inv_item_free(&a);
    inv_item_free(&b);
    inv_item_free(&c);
    inv_item_free(&d);
}

static void test_item_check(void **state)
{
    (void)state;
    inv_item it;
    inv_err e = {0};
    tu_item_make(&it, "SRV-01", "serveur", "File server", "ip", "10.0.0.5", NULL);
    assert_int_equal(inv_item_check(&it, &e), INV_OK);
    free(it.kind);
    it.kind = strdup("serveur"); /* an alias is not canonical */
    assert_err(inv_item_check(&it, &e), &e, INV_EINPUT, "kind");
    free(it.kind);
    it.kind = strdup("server");
    free(it.id);
    it.id = strdup(" SRV");
    assert_err(inv_item_check(&it, &e), &e, INV_EINPUT, "space");
    free(it.id);
    it.id = strdup("SRV-01");
    free(it.attrs[0].value);
    it.attrs[0].value = strdup("bad\x01");
    assert_err(inv_item_check(&it, &e), &e, INV_EINPUT, "field 'ip'");
    inv_item_free(&it);
}

int main(void)
{
    cr_err ce = {0};
    if (cr_init(&ce) != CR_OK) {
        fprintf(stderr, "cr_init: %s\n", ce.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_key_normalise),
        cmocka_unit_test(test_key_normalise_long),
        cmocka_unit_test(test_key_check),
        cmocka_unit_test(test_kind_canonical),
        cmocka_unit_test(test_kind_closest_and_help),
        cmocka_unit_test(test_id_check),
        cmocka_unit_test(test_id_check_invisible),
        cmocka_unit_test(test_value_check),
        cmocka_unit_test(test_item_set_get_unset),
        cmocka_unit_test(test_item_equal_copy),
        cmocka_unit_test(test_item_check),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
