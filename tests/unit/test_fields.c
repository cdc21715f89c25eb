/* test_fields.c - unit tests of values/fields.c: the table of standard fields (aliases,
 * places, ranks, labels, rules) and the table of kinds (aliases, help, titles). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "inventory.h"
#include "testutil.h"

/* ---- fields ---- */

static void test_field_order_and_places(void **state)
{
    (void)state;
    const inv_field *f = inv_field_at(0);
    assert_non_null(f);
    assert_string_equal(f->key, "id");
    assert_int_equal(f->place, INV_FIELD_KEY);
    assert_int_equal(f->rule, INV_RULE_ID);
    assert_string_equal(inv_field_at(1)->key, "kind");
    assert_int_equal(inv_field_at(1)->place, INV_FIELD_FIXED);
    assert_int_equal(inv_field_at(1)->rule, INV_RULE_KIND);
    assert_string_equal(inv_field_at(2)->key, "name");
    assert_int_equal(inv_field_at(2)->place, INV_FIELD_FIXED);
    /* the fixed fields come first; every key is unique, every attribute key
     * is a valid, normal attribute key, every entry has its names */
    size_t n = 0;
    int seen_attr = 0;
    for (; (f = inv_field_at(n)) != NULL; n++) {
        if (f->place == INV_FIELD_ATTR) {
            seen_attr = 1;
            inv_err e = {0};
            if (inv_key_check(f->key, &e) != INV_OK)
                fail_msg("field '%s' is not a valid attribute key: %s", f->key, e.msg);
            char norm[80];
            snprintf(norm, sizeof norm, "%s", f->key);
            assert_int_equal(inv_key_normalise(norm), 0);
            assert_string_equal(norm, f->key);
        } else if (seen_attr) {
            fail_msg("fixed field '%s' after an attribute", f->key);
        }
        assert_non_null(f->json);
        assert_true(f->label && f->label[0]);
        assert_non_null(f->aliases);
        assert_ptr_equal(inv_field_get(f->key), f);
        for (size_t j = 0; j < n; j++)
            assert_string_not_equal(inv_field_at(j)->key, f->key);
    }
    assert_true(n >= 18);
    assert_null(inv_field_at(n));
    assert_null(inv_field_get("colour"));
    assert_null(inv_field_get(""));
    static const char *const standard[] = {"serial", "vendor", "model", "os", "location",
                                           "owner", "ip", "licences", "notes",
                                           "purchase_date"};
    for (size_t i = 0; i < sizeof standard / sizeof standard[0]; i++) {
        f = inv_field_get(standard[i]);
        if (!f || f->place != INV_FIELD_ATTR)
            fail_msg("'%s' is not a standard attribute", standard[i]);
    }
    assert_string_equal(inv_field_label("serial"), "Serial number");
    assert_null(inv_field_label("colour"));
}

static void test_field_fixed_and_rank(void **state)
{
    (void)state;
    assert_string_equal(inv_field_fixed("kind", 4)->key, "kind");
    assert_string_equal(inv_field_fixed("name", 4)->key, "name");
    assert_string_equal(inv_field_fixed("id", 2)->key, "id");
    assert_string_equal(inv_field_fixed("kindly", 4)->key, "kind"); /* n bytes of it */
    assert_null(inv_field_fixed("kin", 3));
    assert_null(inv_field_fixed("kinds", 5));
    assert_null(inv_field_fixed("serial", 6));
    assert_null(inv_field_fixed("", 0));
    assert_int_equal(inv_field_nfixed(), 2);
    assert_int_equal(inv_field_rank("kind", 4), 0);
    assert_int_equal(inv_field_rank("name", 4), 1);
    assert_int_equal(inv_field_rank("serial", 6), 2);
    assert_int_equal(inv_field_rank("names", 5), 2);
    assert_int_equal(inv_field_rank("a", 1), 2);
}

/* Every alias maps to its own field, and no two fields share a folded alias
 * (nor an alias and another field's key). */
static void test_field_aliases(void **state)
{
    (void)state;
    char a[256], b[256];
    size_t total = 0;
    const inv_field *f, *g;
    for (size_t i = 0; (f = inv_field_at(i)) != NULL; i++) {
        const inv_field *got = inv_field_by_header(f->key);
        if (got != f)
            fail_msg("key '%s' maps to '%s'", f->key, got ? got->key : "(null)");
        for (const char *const *al = f->aliases; *al; al++, total++) {
            got = inv_field_by_header(*al);
            if (got != f)
                fail_msg("alias '%s' maps to '%s', want '%s'", *al,
                         got ? got->key : "(null)", f->key);
            inv_csv_header_norm(*al, a, sizeof a);
            assert_true(a[0] != '\0');
            for (size_t j = 0; (g = inv_field_at(j)) != NULL; j++) {
                if (g == f)
                    continue;
                inv_csv_header_norm(g->key, b, sizeof b);
                if (!strcmp(a, b))
                    fail_msg("alias '%s' of '%s' folds to the key '%s'", *al, f->key, g->key);
                for (const char *const *bl = g->aliases; *bl; bl++) {
                    inv_csv_header_norm(*bl, b, sizeof b);
                    if (!strcmp(a, b))
                        fail_msg("alias '%s' maps to '%s' and '%s' ('%s')", *al, f->key,
                                 g->key, *bl);
                }
            }
        }
    }
    /* the alias walk of csvread.h gives the same entries */
    const char *alias, *field;
    size_t n = 0;
    for (; inv_csv_alias_at(n, &alias, &field) == 0; n++)
        assert_string_equal(inv_csv_alias_field(alias), field);
    assert_int_equal(n, total);
    assert_true(total > 200);
    /* German headers, and the tools' own */
    static const char *const ex[][2] = {
        {"Seriennummer", "serial"}, {"Hersteller", "vendor"},  {"Standort", "location"},
        {"Inventarnummer", "id"},   {"Bezeichnung", "name"},   {"Betriebssystem", "os"},
        {"IP-Adresse", "ip"},       {"Kategorie", "kind"},     {"Kaufdatum", "purchase_date"},
        {"Asset Tag", "id"},        {"Numéro de série", "serial"}, {"primary_ip4", "ip"},
    };
    for (size_t i = 0; i < sizeof ex / sizeof ex[0]; i++) {
        f = inv_field_by_header(ex[i][0]);
        if (!f || strcmp(f->key, ex[i][1]))
            fail_msg("header '%s' maps to '%s', want '%s'", ex[i][0], f ? f->key : "(null)",
                     ex[i][1]);
    }
    assert_null(inv_field_by_header("Description"));
    assert_null(inv_field_by_header("Gerätetyp"));
    assert_null(inv_field_by_header(" - "));
}

/* Decomposed Unicode (NFD, as macOS tools write): a combining mark
 * U+0300..U+036F folds away, as the accent of a precomposed letter does. */
static void test_fold_nfd(void **state)
{
    (void)state;
    char a[256], b[256];
    /* "Numéro de série", NFD: e + U+0301 */
    const char *nfd = "Nume\xcc\x81ro de se\xcc\x81rie";
    inv_csv_header_norm(nfd, a, sizeof a);
    inv_csv_header_norm("Numéro de série", b, sizeof b);
    assert_string_equal(a, b);
    assert_string_equal(a, "numerodeserie");
    const inv_field *f = inv_field_by_header(nfd);
    assert_non_null(f);
    assert_string_equal(f->key, "serial");
    /* a free attribute: the key of the precomposed spelling, no '_' for the mark */
    char key[80];
    snprintf(key, sizeof key, "%s", "De\xcc\x81signation spe\xcc\x81" "ciale");
    assert_int_equal(inv_key_normalise(key), 0);
    assert_string_equal(key, "designation_speciale");
    inv__fold("Ge\xcc\x80ne\xcc\x80ve", a, sizeof a, '_', 1);
    assert_string_equal(a, "geneve");
    /* U+0300, U+0308 (diaeresis), U+036F (the last one): all dropped */
    inv_csv_header_norm("a\xcc\x80o\xcc\x88u\xcd\xaf", a, sizeof a);
    assert_string_equal(a, "aou");
    /* U+0370, past the range: kept as it is */
    inv_csv_header_norm("a\xcd\xb0", a, sizeof a);
    assert_string_equal(a, "a\xcd\xb0");
    /* German NFD: "Gera\u0308tename" */
    f = inv_field_by_header("Gera\xcc\x88tename");
    assert_non_null(f);
    assert_string_equal(f->key, "name");
}

/* Shelf's custom-field headers "cf: NAME,type:TYPE" map by NAME. */
static void test_shelf_custom_fields(void **state)
{
    (void)state;
    const inv_field *f = inv_field_by_header("cf: Serial number,type:text");
    assert_non_null(f);
    assert_string_equal(f->key, "serial");
    f = inv_field_by_header("CF:Warranty End, type: date");
    assert_non_null(f);
    assert_string_equal(f->key, "warranty_end");
    assert_string_equal(inv_csv_alias_field("cf: Prestations,type:text"), "services");
    char key[80];
    snprintf(key, sizeof key, "%s", "cf: Warranty months,type:number");
    assert_int_equal(inv_key_normalise(key), 0);
    assert_string_equal(key, "warranty_months");
    /* NAME may hold commas: the last one ends it */
    snprintf(key, sizeof key, "%s", "cf: Rack, row,type:text");
    assert_int_equal(inv_key_normalise(key), 0);
    assert_string_equal(key, "rack_row");
    /* not the Shelf form: folded whole */
    snprintf(key, sizeof key, "%s", "cf: Serial number");
    assert_int_equal(inv_key_normalise(key), 0);
    assert_string_equal(key, "cf_serial_number");
    snprintf(key, sizeof key, "%s", "Notes,type:text");
    assert_int_equal(inv_key_normalise(key), 0);
    assert_string_equal(key, "notes_type_text");
    snprintf(key, sizeof key, "%s", "cf_serial_number_type_text");
    assert_int_equal(inv_key_normalise(key), 0);
    assert_string_equal(key, "cf_serial_number_type_text");
    assert_null(inv_field_by_header("cf: ,type:text"));
}

/* Two columns on id: the asset tag is kept, a tool's database id dropped. */
static void test_id_rank(void **state)
{
    (void)state;
    static const char *const db[] = {"ID", "id", "Asset ID", "asset_id", "Item ID", NULL};
    static const char *const tag[] = {"Asset Tag", "Asset tag", "Inventory Number",
                                      "N° d'inventaire", "Numéro d'inventaire", "Inventarnummer",
                                      "Asset Number", "Tag", "Étiquette", NULL};
    for (const char *const *d = db; *d; d++)
        if (inv_csv_id_rank(*d) != 0)
            fail_msg("'%s' ranks %d, want 0 (a database id)", *d, inv_csv_id_rank(*d));
    for (const char *const *t = tag; *t; t++)
        if (inv_csv_id_rank(*t) != 2)
            fail_msg("'%s' ranks %d, want 2 (an asset tag)", *t, inv_csv_id_rank(*t));
    assert_int_equal(inv_csv_id_rank("Identifiant"), 1);
    /* Snipe-IT: ID before Asset Tag; keep the second */
    assert_int_equal(inv_csv_dup_keep("id", "ID", "Asset Tag"), 1);
    /* NetBox: ID before Asset tag */
    assert_int_equal(inv_csv_dup_keep("id", "ID", "Asset tag"), 1);
    /* the asset tag first: keep the first */
    assert_int_equal(inv_csv_dup_keep("id", "Asset Tag", "ID"), 0);
    /* a tie, or another field: the first */
    assert_int_equal(inv_csv_dup_keep("id", "Asset Tag", "Inventory Number"), 0);
    assert_int_equal(inv_csv_dup_keep("id", "ID", "Item ID"), 0);
    assert_int_equal(inv_csv_dup_keep("kind", "ID", "Asset Tag"), 0);
}

static void test_field_check(void **state)
{
    (void)state;
    inv_err e = {0};
    assert_int_equal(inv_field_check(inv_field_get("id"), "", "", &e), INV_EINPUT);
    assert_string_equal(e.msg, "empty item id");
    assert_int_equal(inv_field_check(inv_field_get("id"), "", "PC-1", &e), INV_OK);
    assert_int_equal(inv_field_check(inv_field_get("kind"), "PC-1", "Server", &e), INV_EINPUT);
    assert_string_equal(e.msg, "item 'PC-1': missing or non-canonical kind");
    assert_int_equal(inv_field_check(inv_field_get("kind"), "PC-1", NULL, &e), INV_EINPUT);
    assert_int_equal(inv_field_check(inv_field_get("kind"), "PC-1", "server", &e), INV_OK);
    assert_int_equal(inv_field_check(inv_field_get("name"), "PC-1", "a\x01", &e), INV_EINPUT);
    assert_non_null(strstr(e.msg, "field 'name': a control character at character 2"));
    assert_int_equal(inv_field_check(inv_field_get("serial"), "PC-1", "a\tb", &e), INV_OK);
    inv_item it;
    inv_item_init(&it);
    assert_ptr_equal(inv_item_fixed(&it, inv_field_get("id")), &it.id);
    assert_ptr_equal(inv_item_fixed(&it, inv_field_get("kind")), &it.kind);
    assert_ptr_equal(inv_item_fixed(&it, inv_field_get("name")), &it.name);
    assert_null(inv_item_fixed(&it, inv_field_get("serial")));
}

/* ---- kinds ---- */

/* Calls fn on each '|'-separated word of list. */
static void each_word(const char *list, const char *kind, void (*fn)(const char *, const char *))
{
    while (*list) {
        const char *end = strchr(list, '|');
        size_t n = end ? (size_t)(end - list) : strlen(list);
        char w[64];
        assert_true(n > 0 && n < sizeof w);
        memcpy(w, list, n);
        w[n] = '\0';
        fn(w, kind);
        list += n + (end ? 1 : 0);
    }
}

static void folds_to(const char *alias, const char *kind)
{
    const char *got = inv_kind_canonical(alias);
    if (!got || strcmp(got, kind))
        fail_msg("kind alias '%s' folds to '%s', want '%s'", alias, got ? got : "(null)", kind);
}

static void test_kind_aliases(void **state)
{
    (void)state;
    const inv_kind *k;
    size_t n = 0;
    for (; (k = inv_kind_at(n)) != NULL; n++) {
        assert_ptr_equal(inv_kind_canonical(k->kind), k->kind);
        each_word(k->en, k->kind, folds_to);
        each_word(k->fr, k->kind, folds_to);
        each_word(k->de, k->kind, folds_to);
        assert_true(k->de[0] != '\0'); /* every kind has German words */
        /* the aliases shown by help are aliases of the kind */
        char shown[256];
        snprintf(shown, sizeof shown, "%s", k->shown);
        for (char *w = strtok(shown, ","); w; w = strtok(NULL, ","))
            folds_to(w, k->kind);
    }
    assert_int_equal(n, 8);
    static const char *const de[][2] = {
        {"Drucker", "printer"},        {"Arbeitsplatz", "workstation"},
        {"Netzwerk", "network"},       {"Netzwerkgeräte", "network"},
        {"Betriebssystem", "os"},      {"Lizenzen", "software"},
        {"Fernzugriff", "vpn"},        {"Zubehör", "other"},
        {"Virtuelle Maschine", "server"},
    };
    for (size_t i = 0; i < sizeof de / sizeof de[0]; i++)
        folds_to(de[i][0], de[i][1]);
}

static void test_kind_help_list_titles(void **state)
{
    (void)state;
    /* the sentence error messages give, byte for byte as before the table */
    assert_string_equal(inv_kind_help(),
                        "accepted kinds: workstation (poste, PC, laptop, portable, desktop), "
                        "server (serveur, VM, NAS), os (systeme d'exploitation), "
                        "software (logiciel, application, licence), "
                        "network (reseau, switch, routeur, firewall, pare-feu, wifi, access "
                        "point), printer (imprimante, copieur, scanner), vpn (acces VPN, "
                        "remote access), other (autre, phone, UPS)");
    assert_string_equal(inv_kind_list(),
                        "workstation, server, os, software, network, printer, vpn, other");
    const inv_kind *k;
    for (size_t i = 0; (k = inv_kind_at(i)) != NULL; i++) {
        char want[64];
        snprintf(want, sizeof want, "%s (", k->kind);
        if (!strstr(inv_kind_help(), want))
            fail_msg("the help sentence does not list '%s'", k->kind);
        assert_non_null(strstr(inv_kind_list(), k->kind));
        assert_true(k->title[0] != '\0');
        assert_ptr_equal(inv_kind_title(k->kind), k->title);
    }
    assert_string_equal(inv_kind_title("workstation"), "Workstations");
    assert_string_equal(inv_kind_title("vpn"), "VPN accesses");
    assert_string_equal(inv_kind_title("toaster"), "toaster");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_order_and_places),
        cmocka_unit_test(test_field_fixed_and_rank),
        cmocka_unit_test(test_field_aliases),
        cmocka_unit_test(test_fold_nfd),
        cmocka_unit_test(test_shelf_custom_fields),
        cmocka_unit_test(test_id_rank),
        cmocka_unit_test(test_field_check),
        cmocka_unit_test(test_kind_aliases),
        cmocka_unit_test(test_kind_help_list_titles),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
