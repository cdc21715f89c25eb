/* test_inventory.c - unit tests of the register foundation: time, keys,
 * kinds, ids and values, escaping, items, the register file, staging,
 * commits, the canonical hash-chained scope document, diff, version
 * resolution and verification (including edits made behind the tool's
 * back with SQLite). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "crypto.h"
#include "inventory.h"
#include "testutil.h"

/* Two fixed public keys: minisign's own (jedisct1/minisign README) and one
 * made by 'scopereg keygen'. Fixed, so the key ids in documents are known. */
#define PK_A_B64 "RWQf6LRCGA9i53mlYecO4IzT51TGPpvWucNSCh1CBM0QTaLn73Y7GFO3"
#define PK_A_ID "E7620F1842B4E81F"
#define PK_B_B64 "RWSO/6srTaM8iHr2B44Or/TD7hw/u/iMbET6azLIJQbrPXo/m6tFWANN"
#define PK_B_ID "883CA34D2BABFF8E"

/* ====================================================================== */
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

    char *big = malloc(INV_VALUE_MAX + 2);
    assert_non_null(big);
    memset(big, 'v', INV_VALUE_MAX);
    big[INV_VALUE_MAX] = '\0';
    assert_int_equal(inv_value_check("notes", big, &e), INV_OK);
    big[INV_VALUE_MAX] = 'v';
    big[INV_VALUE_MAX + 1] = '\0';
    assert_err(inv_value_check("notes", big, &e), &e, INV_EINPUT, "more than 65536");
    free(big);
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

/* ====================================================================== */
/* Items                                                                  */
/* ====================================================================== */

/* Builds an item: id, kind (any alias), name, then key/value pairs, NULL. */
static void item_make(inv_item *it, const char *id, const char *kind, const char *name, ...)
{
    inv_err e = {0};
    inv_item_init(it);
    it->id = strdup(id);
    it->name = strdup(name ? name : "");
    assert_non_null(it->id);
    assert_ok(inv_item_set(it, "kind", kind, &e), &e);
    va_list ap;
    va_start(ap, name);
    const char *k;
    while ((k = va_arg(ap, const char *)) != NULL) {
        const char *v = va_arg(ap, const char *);
        assert_ok(inv_item_set(it, k, v, &e), &e);
    }
    va_end(ap);
}

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
    item_make(&a, "PC-01", "poste", "Compta", "serial", "S1", "os", "Windows 11", NULL);
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
    item_make(&c, "X", "pc", "Compta", "serial", "Windows 11", "os", "S1", NULL);
    assert_false(inv_item_equal(&a, &c));

    /* copy into an item that already holds data replaces it */
    assert_int_equal(inv_item_copy(&c, &a), INV_OK);
    assert_true(inv_item_equal(&a, &c));
    assert_string_equal(c.id, "PC-01");
    assert_int_equal(c.nattrs, 2);

    /* copy of an empty item */
    inv_item empty, d;
    inv_item_init(&empty);
    item_make(&d, "D", "vpn", "x", "k", "v", NULL);
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
    item_make(&it, "SRV-01", "serveur", "File server", "ip", "10.0.0.5", NULL);
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

/* ====================================================================== */
/* The register                                                           */
/* ====================================================================== */

typedef struct fx {
    char *dir;
    char *path;
    inv_register *r;
    cr_pubkey a, b;
} fx;

static void parse_pk(const char *b64, cr_pubkey *pk)
{
    cr_err ce = {0};
    if (cr_pubkey_parse(b64, strlen(b64), pk, &ce) != CR_OK)
        fail_msg("cannot parse fixed public key: %s", ce.msg);
}

static inv_init init_for(fx *f, int64_t now)
{
    inv_init in = {0};
    in.contract = "ACME-2026-01";
    in.provider_name = "Helvetia IT SA";
    in.client_name = "ACME SA";
    in.provider_key = f->a;
    in.client_key = f->b;
    in.now = now;
    return in;
}

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    if (!f)
        return -1;
    f->dir = tu_tmpdir();
    f->path = tu_path(f->dir, "scope.db");
    parse_pk(PK_A_B64, &f->a);
    parse_pk(PK_B_B64, &f->b);
    inv_err e = {0};
    inv_init in = init_for(f, tu_time("2026-01-05T08:00:00Z"));
    if (inv_create(f->path, &in, &e) != INV_OK) {
        fprintf(stderr, "inv_create: %s\n", e.msg);
        return -1;
    }
    if (inv_open(f->path, 1, &f->r, &e) != INV_OK) {
        fprintf(stderr, "inv_open: %s\n", e.msg);
        return -1;
    }
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    if (f) {
        inv_close(f->r);
        tu_rmtree(f->dir);
        free(f->dir);
        free(f->path);
        free(f);
    }
    return 0;
}

static void fx_reopen(fx *f)
{
    inv_err e = {0};
    inv_close(f->r);
    f->r = NULL;
    assert_ok(inv_open(f->path, 1, &f->r, &e), &e);
}

/* Number of entries in dir other than . and .. */
static int dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    assert_non_null(d);
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static void stage_add(inv_register *r, const char *id, const char *kind, const char *name, ...)
{
    inv_item it;
    inv_err e = {0};
    inv_item_init(&it);
    it.id = strdup(id);
    it.name = strdup(name ? name : "");
    assert_ok(inv_item_set(&it, "kind", kind, &e), &e);
    va_list ap;
    va_start(ap, name);
    const char *k;
    while ((k = va_arg(ap, const char *)) != NULL) {
        const char *v = va_arg(ap, const char *);
        assert_ok(inv_item_set(&it, k, v, &e), &e);
    }
    va_end(ap);
    assert_ok(inv_stage_add(r, &it, &e), &e);
    inv_item_free(&it);
}

/* Loads the current state of id, applies "set" key/value pairs (value NULL:
 * unset), stages the edit. */
static void stage_edit(inv_register *r, const char *id, ...)
{
    inv_item it;
    inv_err e = {0};
    inv_item_init(&it);
    assert_ok(inv_item_current(r, id, &it, NULL, &e), &e);
    va_list ap;
    va_start(ap, id);
    const char *k;
    while ((k = va_arg(ap, const char *)) != NULL) {
        const char *v = va_arg(ap, const char *);
        if (v)
            assert_ok(inv_item_set(&it, k, v, &e), &e);
        else
            assert_ok(inv_item_unset(&it, k, &e), &e);
    }
    va_end(ap);
    assert_ok(inv_stage_edit(r, &it, &e), &e);
    inv_item_free(&it);
}

static int64_t staged_count(inv_register *r)
{
    int64_t n = -1;
    inv_err e = {0};
    assert_ok(inv_stage_count(r, &n, &e), &e);
    return n;
}

static int64_t commit_at(inv_register *r, const char *date, const char *author,
                         const char *msg)
{
    int64_t n = -1;
    inv_err e = {0};
    assert_ok(inv_commit(r, msg, author, tu_time(date), &n, &e), &e);
    return n;
}

static char *render(inv_register *r, int64_t n)
{
    char *doc = NULL;
    size_t len = 0;
    inv_err e = {0};
    assert_ok(inv_render_mem(r, n, &doc, &len, &e), &e);
    assert_non_null(doc);
    assert_int_equal(strlen(doc), len); /* no NUL inside */
    return doc;
}

/* --- creation and opening --- */

static void test_create_and_open(void **state)
{
    (void)state;
    fx f = {0};
    inv_err e = {0};
    f.dir = tu_tmpdir();
    f.path = tu_path(f.dir, "acme.db");
    parse_pk(PK_A_B64, &f.a);
    parse_pk(PK_B_B64, &f.b);
    char kid[CR_KEYID_HEX];
    cr_keyid_hex(f.a.keyid, kid);
    assert_string_equal(kid, PK_A_ID);
    cr_keyid_hex(f.b.keyid, kid);
    assert_string_equal(kid, PK_B_ID);

    /* refusals leave nothing behind */
    inv_init in = init_for(&f, tu_time("2026-01-05T08:00:00Z"));
    in.client_key = f.a;
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
    assert_int_equal(dir_entries(f.dir), 0);

    in = init_for(&f, tu_time("2026-01-05T08:00:00Z"));
    assert_ok(inv_create(f.path, &in, &e), &e);
    assert_int_equal(dir_entries(f.dir), 1); /* no temporary file left */
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
    assert_int_equal(dir_entries(f.dir), 1);
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
    assert_memory_equal(p.key.pk, f.a.pk, CR_PK_BYTES);
    assert_memory_equal(p.key.keyid, f.a.keyid, CR_KEYID_BYTES);
    inv_party_free(&p);
    assert_ok(inv_party_get(r, "client", 1, &p, &e), &e);
    assert_string_equal(p.name, "ACME SA");
    assert_memory_equal(p.key.pk, f.b.pk, CR_PK_BYTES);
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

/* --- staging --- */

typedef struct walk_log {
    inv_buf text;
    int n;
} walk_log;

static int log_change(void *ctx, const inv_change *c)
{
    walk_log *w = ctx;
    w->n++;
    if (inv_change_format(&w->text, c))
        return INV_EIO;
    return 0;
}

static char *staged_text(inv_register *r)
{
    walk_log w = {{0}, 0};
    inv_err e = {0};
    assert_ok(inv_stage_walk(r, log_change, &w, &e), &e);
    inv_buf_puts(&w.text, "");
    return w.text.data;
}

static void test_staging_rules(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    inv_err e = {0};
    inv_item it;
    int is_staged = -1;

    stage_add(r, "PC-01", "poste", "Compta", "serial", "S1", NULL);
    assert_int_equal(staged_count(r), 1);

    /* duplicate add of a staged item */
    inv_item_init(&it);
    item_make(&it, "PC-01", "serveur", "Other", NULL);
    assert_err(inv_stage_add(r, &it, &e), &e, INV_EINPUT, "item 'PC-01' is already staged");
    assert_int_equal(staged_count(r), 1);

    /* an invalid item is refused before anything else */
    free(it.id);
    it.id = strdup("");
    assert_err(inv_stage_add(r, &it, &e), &e, INV_EINPUT, "empty item id");
    free(it.id);
    it.id = strdup("ok-id");
    free(it.kind);
    it.kind = strdup("serveur");
    assert_err(inv_stage_add(r, &it, &e), &e, INV_EINPUT, "kind");
    inv_item_free(&it);

    /* edit and remove of unknown ids */
    item_make(&it, "NOPE", "pc", "x", NULL);
    assert_err(inv_stage_edit(r, &it, &e), &e, INV_EINPUT, "no item 'NOPE'");
    inv_item_free(&it);
    assert_err(inv_stage_remove(r, "NOPE", "gone", &e), &e, INV_EINPUT, "no item 'NOPE'");
    assert_err(inv_stage_remove(r, "", "gone", &e), &e, INV_EINPUT, "empty item id");
    assert_int_equal(staged_count(r), 1);

    /* a staged addition can be edited (it stays an addition) */
    stage_edit(r, "PC-01", "owner", "J. Muller", NULL);
    assert_int_equal(staged_count(r), 1);
    inv_item_init(&it);
    assert_ok(inv_item_current(r, "PC-01", &it, &is_staged, &e), &e);
    assert_int_equal(is_staged, 1);
    assert_string_equal(inv_item_get(&it, "owner"), "J. Muller");
    inv_item_free(&it);
    char *s = staged_text(r);
    assert_string_equal(s, "+ PC-01\n");
    free(s);

    /* removing a staged addition drops it */
    stage_add(r, "TMP-1", "VM", "scratch", NULL);
    assert_int_equal(staged_count(r), 2);
    assert_ok(inv_stage_remove(r, "TMP-1", "typo", &e), &e);
    assert_int_equal(staged_count(r), 1);
    inv_item_init(&it);
    assert_int_equal(inv_item_current(r, "TMP-1", &it, NULL, &e), INV_FAIL);
    inv_item_free(&it);

    stage_add(r, "SRV-01", "serveur", "File server", "ip", "10.0.0.5", NULL);
    assert_int_equal(commit_at(r, "2026-01-10T09:00:00Z", "jm", "initial"), 1);
    assert_int_equal(staged_count(r), 0);

    /* duplicate add of an item in scope */
    item_make(&it, "PC-01", "pc", "again", NULL);
    assert_err(inv_stage_add(r, &it, &e), &e, INV_EINPUT, "item 'PC-01' is already in scope");
    inv_item_free(&it);
    assert_int_equal(staged_count(r), 0);

    /* the committed state is current, not staged */
    inv_item_init(&it);
    assert_ok(inv_item_current(r, "SRV-01", &it, &is_staged, &e), &e);
    assert_int_equal(is_staged, 0);
    assert_string_equal(it.kind, "server");
    assert_string_equal(inv_item_get(&it, "ip"), "10.0.0.5");
    inv_item_free(&it);

    /* an edit is staged; an edit back to the committed state unstages it */
    stage_edit(r, "SRV-01", "ip", "10.0.0.6", NULL);
    assert_int_equal(staged_count(r), 1);
    s = staged_text(r);
    assert_string_equal(s, "~ SRV-01\n  ip: \"10.0.0.5\" -> \"10.0.0.6\"\n");
    free(s);
    stage_edit(r, "SRV-01", "ip", "10.0.0.5", NULL);
    assert_int_equal(staged_count(r), 0);
    inv_item_init(&it);
    assert_ok(inv_item_current(r, "SRV-01", &it, &is_staged, &e), &e);
    assert_int_equal(is_staged, 0);
    inv_item_free(&it);
    /* an edit that changes nothing stages nothing */
    stage_edit(r, "SRV-01", NULL);
    assert_int_equal(staged_count(r), 0);
    /* an edit through another spelling of the same kind changes nothing */
    stage_edit(r, "SRV-01", "kind", "Serveur", NULL);
    assert_int_equal(staged_count(r), 0);

    /* removal needs a reason */
    assert_err(inv_stage_remove(r, "PC-01", "", &e), &e, INV_EINPUT, "reason");
    assert_err(inv_stage_remove(r, "PC-01", NULL, &e), &e, INV_EINPUT, "reason");
    assert_err(inv_stage_remove(r, "PC-01", "bad\x01", &e), &e, INV_EINPUT, "field 'reason'");
    assert_int_equal(staged_count(r), 0);
    assert_ok(inv_stage_remove(r, "PC-01", "stolen", &e), &e);
    assert_int_equal(staged_count(r), 1);
    inv_item_init(&it);
    assert_int_equal(inv_item_current(r, "PC-01", &it, &is_staged, &e), INV_FAIL);
    assert_int_equal(is_staged, 1);
    inv_item_free(&it);
    /* while staged for removal: no add, no edit, no second removal */
    item_make(&it, "PC-01", "pc", "x", NULL);
    assert_err(inv_stage_add(r, &it, &e), &e, INV_EINPUT, "staged for removal");
    assert_err(inv_stage_edit(r, &it, &e), &e, INV_EINPUT, "staged for removal");
    inv_item_free(&it);
    assert_err(inv_stage_remove(r, "PC-01", "again", &e), &e, INV_EINPUT,
               "already staged for removal");
    s = staged_text(r);
    assert_string_equal(s, "- PC-01\n  reason: stolen\n");
    free(s);

    /* reset of one id, of an id with nothing staged, of everything */
    assert_ok(inv_stage_reset(r, "PC-01", &e), &e);
    assert_int_equal(staged_count(r), 0);
    assert_err(inv_stage_reset(r, "PC-01", &e), &e, INV_EINPUT, "nothing is staged for item 'PC-01'");
    stage_add(r, "A", "pc", "", NULL);
    stage_edit(r, "SRV-01", "notes", "x", NULL);
    assert_ok(inv_stage_remove(r, "PC-01", "sold", &e), &e);
    assert_int_equal(staged_count(r), 3);
    s = staged_text(r);
    assert_string_equal(s, "+ A\n- PC-01\n  reason: sold\n~ SRV-01\n  notes: (none) -> \"x\"\n");
    free(s);
    assert_ok(inv_stage_reset(r, NULL, &e), &e);
    assert_int_equal(staged_count(r), 0);

    /* staging survives closing and reopening the register */
    stage_edit(r, "SRV-01", "notes", "kept", NULL);
    fx_reopen(f);
    r = f->r;
    assert_int_equal(staged_count(r), 1);
    inv_item_init(&it);
    assert_ok(inv_item_current(r, "SRV-01", &it, &is_staged, &e), &e);
    assert_int_equal(is_staged, 1);
    assert_string_equal(inv_item_get(&it, "notes"), "kept");
    inv_item_free(&it);
}

static void test_commit_rules(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    inv_err e = {0};
    int64_t n = -1, latest = -1;

    assert_err(inv_commit(r, "empty", "jm", tu_time("2026-01-10T09:00:00Z"), &n, &e), &e,
               INV_EINPUT, "nothing to commit");
    stage_add(r, "PC-01", "pc", "", NULL);
    assert_err(inv_commit(r, "", "jm", tu_time("2026-01-10T09:00:00Z"), &n, &e), &e, INV_EINPUT,
               "message");
    assert_err(inv_commit(r, NULL, "jm", tu_time("2026-01-10T09:00:00Z"), &n, &e), &e, INV_EINPUT,
               "message");
    assert_err(inv_commit(r, "m", "", tu_time("2026-01-10T09:00:00Z"), &n, &e), &e, INV_EINPUT,
               "author");
    assert_err(inv_commit(r, "m", "j\nm", tu_time("2026-01-10T09:00:00Z"), &n, &e), &e, INV_EINPUT,
               "author");
    assert_err(inv_commit(r, "bad\x01", "jm", tu_time("2026-01-10T09:00:00Z"), &n, &e), &e,
               INV_EINPUT, "message");
    assert_ok(inv_latest(r, &latest, &e), &e);
    assert_int_equal(latest, 0);
    assert_int_equal(staged_count(r), 1);

    assert_int_equal(commit_at(r, "2026-01-10T09:00:00Z", "jm", "one"), 1);
    assert_int_equal(staged_count(r), 0);
    assert_err(inv_commit(r, "again", "jm", tu_time("2026-01-11T09:00:00Z"), &n, &e), &e,
               INV_EINPUT, "nothing to commit");

    /* a date before the previous version's is refused, and nothing changes */
    stage_add(r, "PC-02", "pc", "", NULL);
    assert_err(inv_commit(r, "early", "jm", tu_time("2026-01-10T08:59:59Z"), &n, &e), &e,
               INV_EINPUT, "before the date of version 1");
    assert_non_null(strstr(e.msg, "2026-01-10T08:59:59Z"));
    assert_ok(inv_latest(r, &latest, &e), &e);
    assert_int_equal(latest, 1);
    assert_int_equal(staged_count(r), 1);
    /* the same second as the previous version is not before it */
    assert_int_equal(commit_at(r, "2026-01-10T09:00:00Z", "jm", "two"), 2);

    /* edits that change nothing are not a change */
    stage_edit(r, "PC-01", "owner", "x", NULL);
    stage_edit(r, "PC-01", "owner", NULL, NULL);
    assert_err(inv_commit(r, "noop", "jm", tu_time("2026-01-12T00:00:00Z"), &n, &e), &e,
               INV_EINPUT, "nothing to commit");

    inv_version v;
    assert_ok(inv_version_get(r, 2, &v, &e), &e);
    assert_int_equal(v.number, 2);
    assert_int_equal(v.date, tu_time("2026-01-10T09:00:00Z"));
    assert_string_equal(v.author, "jm");
    assert_string_equal(v.message, "two");
    assert_int_equal(v.item_count, 2);
    assert_int_equal(strncmp(v.doc_hash, "blake2b-256:", 12), 0);
    assert_int_equal(strlen(v.doc_hash), 12 + 64);
    inv_version v1;
    assert_ok(inv_version_get(r, 1, &v1, &e), &e);
    assert_string_equal(v1.prev_hash, "");
    assert_string_equal(v.prev_hash, v1.doc_hash);
    assert_string_not_equal(v.doc_hash, v1.doc_hash);
    inv_version_free(&v);
    inv_version_free(&v1);
    assert_err(inv_version_get(r, 3, &v, &e), &e, INV_EINPUT, "no version 3");

    /* re-adding an item removed earlier is an addition again */
    assert_ok(inv_stage_remove(r, "PC-02", "returned", &e), &e);
    assert_int_equal(commit_at(r, "2026-01-11T00:00:00Z", "jm", "three"), 3);
    stage_add(r, "PC-02", "serveur", "back", NULL);
    assert_int_equal(commit_at(r, "2026-01-12T00:00:00Z", "jm", "four"), 4);
    char *doc = render(r, 4);
    assert_non_null(strstr(doc, "\nchanges: 1\n+ PC-02\n\nitem: PC-01\n"));
    assert_non_null(strstr(doc, "\nitem: PC-02\n  kind: server\n  name: back\n"));
    free(doc);
    doc = render(r, 3);
    assert_non_null(strstr(doc, "\nchanges: 1\n- PC-02\n  reason: returned\n\nitem: PC-01\n"));
    assert_null(strstr(doc, "item: PC-02"));
    free(doc);

    int64_t nn;
    assert_ok(inv_verify(r, NULL, NULL, &e), &e);
    /* versions survive reopening */
    fx_reopen(f);
    assert_ok(inv_latest(f->r, &nn, &e), &e);
    assert_int_equal(nn, 4);
}

/* --- the scope document --- */

/* The three versions the document, diff, resolve and verify tests use. */
static void build_history(inv_register *r)
{
    inv_err e = {0};
    stage_add(r, "SRV-01", "serveur", "File server", "IP", "10.0.0.5", "notes",
              "line1\nline2\ttab \\ back", NULL);
    stage_add(r, "PC-010", "Poste", "Poste compta", "Serial", "S1", "OS", "Windows 11", NULL);
    stage_add(r, "pc-001", "PC", NULL, NULL);
    stage_add(r, "Ébauche", "logiciel", "Ébauche", NULL);
    stage_add(r, "FW-01", "pare-feu", NULL, NULL);
    assert_int_equal(commit_at(r, "2026-01-10T09:00:00Z", "J. Muller", "Initial inventory"),
                     1);

    stage_edit(r, "SRV-01", "ip", "10.0.0.6", "notes", NULL, "os", "Windows Server 2022",
               "name", "File \"server\"", NULL);
    stage_edit(r, "PC-010", "kind", "serveur", NULL);
    assert_ok(inv_stage_remove(r, "pc-001", "stolen, police report 42", &e), &e);
    stage_add(r, "WS-01", "laptop", NULL, NULL);
    assert_int_equal(commit_at(r, "2026-02-01T11:00:00+01:00", "jm", "Q1\nsecond line"), 2);

    assert_ok(inv_stage_remove(r, "WS-01", "returned", &e), &e);
    stage_edit(r, "Ébauche", "licences", "25", NULL);
    assert_int_equal(commit_at(r, "2026-03-01T08:00:00Z", "jm", "Q2"), 3);
}

static char *expected_header(inv_register *r, int64_t n, const char *date, const char *author,
                             const char *message, const char *previous, int items)
{
    inv_buf b = {0};
    inv_buf_printf(&b,
                   "scope-register/1\n"
                   "register: %s\n"
                   "contract: ACME-2026-01\n"
                   "provider: Helvetia IT SA\n"
                   "provider-key: " PK_A_ID "\n"
                   "client: ACME SA\n"
                   "client-key: " PK_B_ID "\n"
                   "version: %lld\n"
                   "date: %s\n"
                   "author: %s\n"
                   "message: %s\n"
                   "previous: %s\n"
                   "items: %d\n",
                   inv_register_id(r), (long long)n, date, author, message, previous, items);
    return b.data;
}

static void test_document_v1(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    build_history(r);
    char *head = expected_header(r, 1, "2026-01-10T09:00:00Z", "J. Muller", "Initial inventory",
                                 "none", 5);
    inv_buf want = {0};
    inv_buf_puts(&want, head);
    inv_buf_puts(&want,
                 "\n"
                 "changes: 5\n"
                 "+ FW-01\n"
                 "+ PC-010\n"
                 "+ SRV-01\n"
                 "+ pc-001\n"
                 "+ Ébauche\n"
                 "\n"
                 "item: FW-01\n"
                 "  kind: network\n"
                 "  name:\n"
                 "\n"
                 "item: PC-010\n"
                 "  kind: workstation\n"
                 "  name: Poste compta\n"
                 "  os: Windows 11\n"
                 "  serial: S1\n"
                 "\n"
                 "item: SRV-01\n"
                 "  kind: server\n"
                 "  name: File server\n"
                 "  ip: 10.0.0.5\n"
                 "  notes: line1\\nline2\\ttab \\\\ back\n"
                 "\n"
                 "item: pc-001\n"
                 "  kind: workstation\n"
                 "  name:\n"
                 "\n"
                 "item: Ébauche\n"
                 "  kind: software\n"
                 "  name: Ébauche\n"
                 "\n"
                 "end of scope document\n");
    char *doc = render(r, 1);
    assert_string_equal(doc, want.data);
    free(doc);
    free(head);
    inv_buf_free(&want);
}

static void test_document_v2_changes(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    build_history(r);
    inv_version v1;
    inv_err e = {0};
    assert_ok(inv_version_get(r, 1, &v1, &e), &e);
    char *head = expected_header(r, 2, "2026-02-01T10:00:00Z", "jm", "Q1\\nsecond line",
                                 v1.doc_hash, 5);
    inv_version_free(&v1);
    inv_buf want = {0};
    inv_buf_puts(&want, head);
    inv_buf_puts(&want,
                 "\n"
                 "changes: 4\n"
                 "~ PC-010\n"
                 "  kind: \"workstation\" -> \"server\"\n"
                 "~ SRV-01\n"
                 "  name: \"File server\" -> \"File \\\"server\\\"\"\n"
                 "  ip: \"10.0.0.5\" -> \"10.0.0.6\"\n"
                 "  notes: \"line1\\nline2\\ttab \\\\ back\" -> (none)\n"
                 "  os: (none) -> \"Windows Server 2022\"\n"
                 "+ WS-01\n"
                 "- pc-001\n"
                 "  reason: stolen, police report 42\n"
                 "\n"
                 "item: FW-01\n"
                 "  kind: network\n"
                 "  name:\n"
                 "\n"
                 "item: PC-010\n"
                 "  kind: server\n"
                 "  name: Poste compta\n"
                 "  os: Windows 11\n"
                 "  serial: S1\n"
                 "\n"
                 "item: SRV-01\n"
                 "  kind: server\n"
                 "  name: File \"server\"\n"
                 "  ip: 10.0.0.6\n"
                 "  os: Windows Server 2022\n"
                 "\n"
                 "item: WS-01\n"
                 "  kind: workstation\n"
                 "  name:\n"
                 "\n"
                 "item: Ébauche\n"
                 "  kind: software\n"
                 "  name: Ébauche\n"
                 "\n"
                 "end of scope document\n");
    char *doc = render(r, 2);
    assert_string_equal(doc, want.data);
    free(doc);
    free(head);
    inv_buf_free(&want);

    /* version 3: a removal and an added attribute */
    doc = render(r, 3);
    assert_non_null(strstr(doc, "\nversion: 3\ndate: 2026-03-01T08:00:00Z\n"));
    assert_non_null(strstr(doc, "\nitems: 4\n\nchanges: 2\n"
                                "- WS-01\n  reason: returned\n"
                                "~ Ébauche\n  licences: (none) -> \"25\"\n\nitem: FW-01\n"));
    assert_non_null(strstr(doc, "item: Ébauche\n  kind: software\n  name: Ébauche\n"
                                "  licences: 25\n\nend of scope document\n"));
    assert_null(strstr(doc, "item: WS-01"));
    free(doc);
}

/* Properties every document has (docs/FORMAT.md): LF line ends, no other
 * control byte, items sorted bytewise, the items: count matches. */
static void check_document_shape(const char *doc)
{
    size_t len = strlen(doc);
    assert_true(len > 0);
    assert_int_equal(doc[len - 1], '\n');
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)doc[i] < 0x20 && doc[i] != '\n')
            fail_msg("control byte 0x%02x at offset %zu", (unsigned char)doc[i], i);
    assert_int_equal(strncmp(doc, "scope-register/1\n", 17), 0);
    const char *end = "\nend of scope document\n";
    assert_string_equal(doc + len - strlen(end), end);

    long want_items = -1;
    const char *p = strstr(doc, "\nitems: ");
    assert_non_null(p);
    want_items = strtol(p + 8, NULL, 10);
    long items = 0;
    char prev[512] = "";
    for (p = doc; (p = strstr(p, "\nitem: ")) != NULL; p += 7) {
        const char *id = p + 7;
        size_t n = strcspn(id, "\n");
        char cur[512];
        assert_true(n < sizeof cur);
        memcpy(cur, id, n);
        cur[n] = '\0';
        if (items && strcmp(prev, cur) >= 0)
            fail_msg("items out of order: '%s' then '%s'", prev, cur);
        memcpy(prev, cur, n + 1);
        items++;
    }
    assert_int_equal(items, want_items);
}

static void test_document_sort_order(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    /* staged in scrambled order; bytewise order is the order of the list */
    static const char *const sorted[] = {"PC-010", "SRV-01", "Z-9",    "pc-001", "z",
                                         "Ébauche", "éa",    "日本-1", "ﬁ-lig"};
    static const int scramble[] = {6, 3, 8, 0, 5, 2, 7, 1, 4};
    for (size_t i = 0; i < 9; i++)
        stage_add(r, sorted[scramble[i]], "other", NULL, NULL);
    commit_at(r, "2026-01-10T09:00:00Z", "jm", "order");
    char *doc = render(r, 1);
    check_document_shape(doc);
    const char *last_change = doc, *last_item = doc;
    for (size_t i = 0; i < 9; i++) {
        char change[64], item[64];
        snprintf(change, sizeof change, "\n+ %s\n", sorted[i]);
        snprintf(item, sizeof item, "\nitem: %s\n", sorted[i]);
        const char *c = strstr(doc, change), *it = strstr(doc, item);
        if (!c || !it)
            fail_msg("'%s' missing from the document:\n%s", sorted[i], doc);
        if (c < last_change || it < last_item)
            fail_msg("'%s' out of bytewise order in:\n%s", sorted[i], doc);
        last_change = c;
        last_item = it;
    }
    free(doc);
}

typedef struct chunks {
    inv_buf b;
    int calls;
} chunks;

static int count_sink(void *ctx, const void *data, size_t len)
{
    chunks *c = ctx;
    c->calls++;
    return inv_buf_add(&c->b, data, len);
}

static int failing_sink(void *ctx, const void *data, size_t len)
{
    (void)ctx;
    (void)data;
    (void)len;
    return 1;
}

static void test_render_determinism(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    inv_err e = {0};
    build_history(r);
    for (int64_t n = 1; n <= 3; n++) {
        char *a = render(r, n), *b = render(r, n);
        assert_string_equal(a, b);
        check_document_shape(a);

        /* the streamed rendering has the same bytes */
        chunks s = {{0}, 0};
        assert_ok(inv_render(r, n, count_sink, &s, &e), &e);
        assert_int_equal(s.b.len, strlen(a));
        assert_memory_equal(s.b.data, a, s.b.len);
        inv_buf_free(&s.b);

        /* the stored hash is BLAKE2b-256 of the rendered bytes */
        char h[CR_HASH_STR_LEN];
        cr_hash_hex(a, strlen(a), h);
        inv_version v;
        assert_ok(inv_version_get(r, n, &v, &e), &e);
        assert_string_equal(v.doc_hash, h);
        if (n > 1) {
            char *prev = render(r, n - 1);
            char ph[CR_HASH_STR_LEN], line[128];
            cr_hash_hex(prev, strlen(prev), ph);
            assert_string_equal(v.prev_hash, ph);
            snprintf(line, sizeof line, "\nprevious: %s\n", ph);
            assert_non_null(strstr(a, line));
            free(prev);
        }
        inv_version_free(&v);
        free(a);
        free(b);
    }
    /* a later version does not change the rendering of an earlier one, nor
     * do staged changes, nor reopening */
    char *v1 = render(r, 1);
    stage_add(r, "NEW", "pc", NULL, NULL);
    stage_edit(r, "FW-01", "ip", "10.0.0.1", NULL);
    char *v1b = render(r, 1);
    assert_string_equal(v1, v1b);
    commit_at(r, "2026-04-01T00:00:00Z", "jm", "Q3");
    fx_reopen(f);
    char *v1c = render(f->r, 1);
    assert_string_equal(v1, v1c);
    free(v1);
    free(v1b);
    free(v1c);

    /* a sink that fails makes rendering fail */
    assert_err(inv_render(f->r, 1, failing_sink, NULL, &e), &e, INV_EIO, "cannot write");
    /* no such version */
    char *doc = NULL;
    size_t len = 0;
    assert_err(inv_render_mem(f->r, 9, &doc, &len, &e), &e, INV_EINPUT, "no version 9");
    assert_err(inv_render_mem(f->r, 0, &doc, &len, &e), &e, INV_EINPUT, "no version 0");
}

/* A document larger than the renderer's buffer is streamed in pieces that
 * add up to the same bytes, and verifies. */
static void test_render_large(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    inv_err e = {0};
    char notes[200];
    memset(notes, 'n', 150);
    notes[150] = '\0';
    assert_ok(inv_begin(r, &e), &e);
    for (int i = 0; i < 1200; i++) {
        char id[32];
        snprintf(id, sizeof id, "WS-%05d", (i * 7919) % 1200);
        stage_add(r, id, "pc", "Poste", "notes", notes, NULL);
    }
    assert_ok(inv_end(r, 1, &e), &e);
    assert_int_equal(staged_count(r), 1200);
    commit_at(r, "2026-01-10T09:00:00Z", "jm", "bulk");
    chunks s = {{0}, 0};
    assert_ok(inv_render(r, 1, count_sink, &s, &e), &e);
    char *doc = render(r, 1);
    assert_true(strlen(doc) > 3 * 65536);
    assert_true(s.calls > 1); /* streamed, not held whole */
    assert_int_equal(s.b.len, strlen(doc));
    assert_memory_equal(s.b.data, doc, s.b.len);
    check_document_shape(doc);
    assert_non_null(strstr(doc, "\nitems: 1200\n\nchanges: 1200\n+ WS-00000\n+ WS-00001\n"));
    free(doc);
    inv_buf_free(&s.b);
    assert_ok(inv_verify(r, NULL, NULL, &e), &e);
}

/* --- items of a version, diff, resolution --- */

static int collect_ids(void *ctx, const inv_item *it)
{
    inv_buf *b = ctx;
    inv_buf_printf(b, "%s(%s) ", it->id, it->kind);
    return 0;
}

static void test_items_of_version(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    inv_err e = {0};
    build_history(r);
    inv_buf b = {0};
    assert_ok(inv_items(r, 1, collect_ids, &b, &e), &e);
    assert_string_equal(b.data, "FW-01(network) PC-010(workstation) SRV-01(server) "
                                "pc-001(workstation) Ébauche(software) ");
    b.len = 0;
    assert_ok(inv_items(r, 2, collect_ids, &b, &e), &e);
    assert_string_equal(b.data, "FW-01(network) PC-010(server) SRV-01(server) "
                                "WS-01(workstation) Ébauche(software) ");
    b.len = 0;
    assert_ok(inv_items(r, 3, collect_ids, &b, &e), &e);
    assert_string_equal(b.data, "FW-01(network) PC-010(server) SRV-01(server) "
                                "Ébauche(software) ");
    inv_buf_free(&b);
}

static char *diff_text(inv_register *r, int64_t a, int64_t b, int *n)
{
    walk_log w = {{0}, 0};
    inv_err e = {0};
    assert_ok(inv_diff(r, a, b, log_change, &w, &e), &e);
    inv_buf_puts(&w.text, "");
    if (n)
        *n = w.n;
    return w.text.data;
}

static void test_diff(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    build_history(r);
    int n;
    /* non-adjacent: WS-01 came and went between 1 and 3, so it is not listed */
    char *d = diff_text(r, 1, 3, &n);
    assert_string_equal(d, "~ PC-010\n"
                           "  kind: \"workstation\" -> \"server\"\n"
                           "~ SRV-01\n"
                           "  name: \"File server\" -> \"File \\\"server\\\"\"\n"
                           "  ip: \"10.0.0.5\" -> \"10.0.0.6\"\n"
                           "  notes: \"line1\\nline2\\ttab \\\\ back\" -> (none)\n"
                           "  os: (none) -> \"Windows Server 2022\"\n"
                           "- pc-001\n"
                           "  reason: stolen, police report 42\n"
                           "~ Ébauche\n"
                           "  licences: (none) -> \"25\"\n");
    assert_int_equal(n, 4);
    free(d);

    /* adjacent versions: the diff is the document's changes section */
    for (int64_t v = 2; v <= 3; v++) {
        d = diff_text(r, v - 1, v, &n);
        char *doc = render(r, v);
        const char *ch = strstr(doc, "\nchanges: ");
        assert_non_null(ch);
        ch = strchr(ch + 1, '\n') + 1;
        const char *end = strstr(ch, "\nitem: ");
        assert_non_null(end);
        assert_int_equal((size_t)(end - ch), strlen(d));
        assert_memory_equal(ch, d, strlen(d));
        free(doc);
        free(d);
    }

    /* from nothing: everything is added */
    d = diff_text(r, 0, 1, &n);
    assert_string_equal(d, "+ FW-01\n+ PC-010\n+ SRV-01\n+ pc-001\n+ Ébauche\n");
    assert_int_equal(n, 5);
    free(d);

    /* a version against itself: nothing */
    d = diff_text(r, 2, 2, &n);
    assert_string_equal(d, "");
    assert_int_equal(n, 0);
    free(d);

    /* backwards: the item removed in 2 comes back, WS-01 is gone */
    d = diff_text(r, 3, 2, &n);
    assert_string_equal(d, "+ WS-01\n~ Ébauche\n  licences: \"25\" -> (none)\n");
    free(d);
}

static void check_resolve(inv_register *r, const char *arg, int64_t want)
{
    int64_t n = -1;
    inv_err e = {0};
    int rc = inv_version_resolve(r, arg, &n, &e);
    if (want > 0 && (rc != INV_OK || n != want))
        fail_msg("resolve '%s': rc %d (%s), got %lld, want %lld", arg, rc, e.msg,
                 (long long)n, (long long)want);
    if (want <= 0 && (rc != INV_EINPUT || e.code != INV_EINPUT || !strstr(e.msg, arg)))
        fail_msg("resolve '%s' should fail naming it: rc %d, %lld, '%s'", arg, rc,
                 (long long)n, e.msg);
}

static void test_version_resolve(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    inv_err e = {0};
    int64_t n;
    assert_err(inv_version_resolve(r, "latest", &n, &e), &e, INV_EINPUT, "no version");
    assert_err(inv_version_resolve(r, "1", &n, &e), &e, INV_EINPUT, "no version 1");
    build_history(r); /* v1 2026-01-10T09:00Z, v2 2026-02-01T10:00Z, v3 2026-03-01T08:00Z */
    check_resolve(r, "1", 1);
    check_resolve(r, "2", 2);
    check_resolve(r, "3", 3);
    check_resolve(r, "v2", 2);
    check_resolve(r, "latest", 3);
    check_resolve(r, "2026-01-10", 1); /* a bare day is its end */
    check_resolve(r, "2026-01-10T09:00:00Z", 1);
    check_resolve(r, "2026-01-31", 1);
    check_resolve(r, "2026-02-01T09:59:59Z", 1);
    check_resolve(r, "2026-02-01T10:00:00Z", 2);
    check_resolve(r, "2026-02-01T10:30:00+01:00", 1); /* 09:30Z */
    check_resolve(r, "2026-02-01T11:00:00+01:00", 2); /* 10:00Z */
    check_resolve(r, "2026-02-01", 2);
    check_resolve(r, "2026-02-28", 2);
    check_resolve(r, "2026-03-01", 3);
    check_resolve(r, "2030-01-01", 3);
    check_resolve(r, "0", 0);
    check_resolve(r, "4", 0);
    check_resolve(r, "v9", 0);
    check_resolve(r, "-1", 0);
    check_resolve(r, "abc", 0);
    check_resolve(r, "", 0);
    check_resolve(r, "2026-02-30", 0);
    check_resolve(r, "2026-01-09", 0); /* before the first version */
    check_resolve(r, "2026-01-10T08:59:59Z", 0);

    int64_t at = -1;
    assert_ok(inv_version_at(r, tu_time("2026-01-10T08:59:59Z"), &at, &e), &e);
    assert_int_equal(at, 0);
    assert_ok(inv_version_at(r, tu_time("2026-02-15T00:00:00Z"), &at, &e), &e);
    assert_int_equal(at, 2);
}

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
    build_history(f->r);
    assert_ok(inv_verify(f->r, record_check, &k, &e), &e);
    assert_int_equal(k.n, 3);
    for (int v = 1; v <= 3; v++)
        assert_true(k.ok[v]);
    /* staged changes do not matter */
    stage_add(f->r, "NEW", "pc", NULL, NULL);
    assert_ok(inv_verify(f->r, NULL, NULL, &e), &e);
}

static void test_verify_item_value_tampered(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    checks k = {0};
    build_history(f->r);
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
    char *doc = render(f->r, 2);
    assert_non_null(strstr(doc, "  ip: 10.0.0.7\n"));
    free(doc);
}

static void test_verify_version1_tampered(void **state)
{
    fx *f = *state;
    inv_err e = {0};
    checks k = {0};
    build_history(f->r);
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
    build_history(f->r);
    tamper(f, "UPDATE version SET message = 'Q1 (amended)' WHERE number = 2", 1);
    assert_err(inv_verify(f->r, record_check, &k, &e), &e, INV_FAIL, "version 2");
    assert_true(k.ok[1]);
    assert_false(k.ok[2]);
    assert_false(k.ok[3]); /* its previous: no longer matches */
    assert_non_null(strstr(k.reason[3], "version 2"));
}

int main(void)
{
    cr_err ce = {0};
    if (cr_init(&ce) != CR_OK) {
        fprintf(stderr, "cr_init: %s\n", ce.msg);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_time_bare_day),
        cmocka_unit_test(test_time_offsets),
        cmocka_unit_test(test_time_invalid),
        cmocka_unit_test(test_time_format),
        cmocka_unit_test(test_time_round_trips),
        cmocka_unit_test(test_time_accepted_dates_round_trip),
        cmocka_unit_test(test_key_normalise),
        cmocka_unit_test(test_key_normalise_long),
        cmocka_unit_test(test_key_check),
        cmocka_unit_test(test_kind_canonical),
        cmocka_unit_test(test_kind_closest_and_help),
        cmocka_unit_test(test_id_check),
        cmocka_unit_test(test_value_check),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_item_set_get_unset),
        cmocka_unit_test(test_item_equal_copy),
        cmocka_unit_test(test_item_check),
        cmocka_unit_test(test_create_and_open),
        cmocka_unit_test(test_open_refusals),
        cmocka_unit_test_setup_teardown(test_staging_rules, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_commit_rules, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_document_v1, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_document_v2_changes, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_document_sort_order, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_render_determinism, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_render_large, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_items_of_version, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_diff, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_version_resolve, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_verify_ok, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_verify_item_value_tampered, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_verify_version1_tampered, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_verify_version_row_tampered, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
