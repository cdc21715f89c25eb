/* test_stage.c - unit tests of work/stage.c: staging additions, edits, removals and
 * unstaging, with the rules that keep the staging area consistent. */
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

/* The register of every test here (tests/unit/testutil.h). */
typedef tu_reg fx;

/* --- staging --- */

static void test_staging_rules(void **state)
{
    fx *f = *state;
    inv_register *r = f->r;
    inv_err e = {0};
    inv_item it;
    int is_staged = -1;

    tu_stage_add(r, "PC-01", "poste", "Compta", "serial", "S1", NULL);
    assert_int_equal(tu_staged_count(r), 1);

    /* duplicate add of a staged item */
    inv_item_init(&it);
    tu_item_make(&it, "PC-01", "serveur", "Other", NULL);
    assert_err(inv_stage_add(r, &it, &e), &e, INV_EINPUT, "item 'PC-01' is already staged");
    assert_int_equal(tu_staged_count(r), 1);

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
    tu_item_make(&it, "NOPE", "pc", "x", NULL);
    assert_err(inv_stage_edit(r, &it, &e), &e, INV_EINPUT, "no item 'NOPE'");
    inv_item_free(&it);
    assert_err(inv_stage_remove(r, "NOPE", "gone", &e), &e, INV_EINPUT, "no item 'NOPE'");
    assert_err(inv_stage_remove(r, "", "gone", &e), &e, INV_EINPUT, "empty item id");
    assert_int_equal(tu_staged_count(r), 1);

    /* a staged addition can be edited (it stays an addition) */
    tu_stage_edit(r, "PC-01", "owner", "J. Muller", NULL);
    assert_int_equal(tu_staged_count(r), 1);
    inv_item_init(&it);
    assert_ok(inv_item_current(r, "PC-01", &it, &is_staged, &e), &e);
    assert_int_equal(is_staged, 1);
    assert_string_equal(inv_item_get(&it, "owner"), "J. Muller");
    inv_item_free(&it);
    char *s = tu_staged_text(r);
    assert_string_equal(s, "+ PC-01\n");
    free(s);

    /* removing a staged addition drops it */
    tu_stage_add(r, "TMP-1", "VM", "scratch", NULL);
    assert_int_equal(tu_staged_count(r), 2);
    assert_ok(inv_stage_remove(r, "TMP-1", "typo", &e), &e);
    assert_int_equal(tu_staged_count(r), 1);
    inv_item_init(&it);
    assert_int_equal(inv_item_current(r, "TMP-1", &it, NULL, &e), INV_FAIL);
    inv_item_free(&it);

    tu_stage_add(r, "SRV-01", "serveur", "File server", "ip", "10.0.0.5", NULL);
    assert_int_equal(tu_commit(r, "2026-01-10T09:00:00Z", "jm", "initial"), 1);
    assert_int_equal(tu_staged_count(r), 0);

    /* duplicate add of an item in scope */
    tu_item_make(&it, "PC-01", "pc", "again", NULL);
    assert_err(inv_stage_add(r, &it, &e), &e, INV_EINPUT, "item 'PC-01' is already in scope");
    inv_item_free(&it);
    assert_int_equal(tu_staged_count(r), 0);

    /* the committed state is current, not staged */
    inv_item_init(&it);
    assert_ok(inv_item_current(r, "SRV-01", &it, &is_staged, &e), &e);
    assert_int_equal(is_staged, 0);
    assert_string_equal(it.kind, "server");
    assert_string_equal(inv_item_get(&it, "ip"), "10.0.0.5");
    inv_item_free(&it);

    /* an edit is staged; an edit back to the committed state unstages it */
    tu_stage_edit(r, "SRV-01", "ip", "10.0.0.6", NULL);
    assert_int_equal(tu_staged_count(r), 1);
    s = tu_staged_text(r);
    assert_string_equal(s, "~ SRV-01\n  ip: \"10.0.0.5\" -> \"10.0.0.6\"\n");
    free(s);
    tu_stage_edit(r, "SRV-01", "ip", "10.0.0.5", NULL);
    assert_int_equal(tu_staged_count(r), 0);
    inv_item_init(&it);
    assert_ok(inv_item_current(r, "SRV-01", &it, &is_staged, &e), &e);
    assert_int_equal(is_staged, 0);
    inv_item_free(&it);
    /* an edit that changes nothing stages nothing */
    tu_stage_edit(r, "SRV-01", NULL);
    assert_int_equal(tu_staged_count(r), 0);
    /* an edit through another spelling of the same kind changes nothing */
    tu_stage_edit(r, "SRV-01", "kind", "Serveur", NULL);
    assert_int_equal(tu_staged_count(r), 0);

    /* removal needs a reason */
    assert_err(inv_stage_remove(r, "PC-01", "", &e), &e, INV_EINPUT, "reason");
    assert_err(inv_stage_remove(r, "PC-01", NULL, &e), &e, INV_EINPUT, "reason");
    assert_err(inv_stage_remove(r, "PC-01", "bad\x01", &e), &e, INV_EINPUT, "field 'reason'");
    assert_int_equal(tu_staged_count(r), 0);
    assert_ok(inv_stage_remove(r, "PC-01", "stolen", &e), &e);
    assert_int_equal(tu_staged_count(r), 1);
    inv_item_init(&it);
    assert_int_equal(inv_item_current(r, "PC-01", &it, &is_staged, &e), INV_FAIL);
    assert_int_equal(is_staged, 1);
    inv_item_free(&it);
    /* while staged for removal: no add, no edit, no second removal */
    tu_item_make(&it, "PC-01", "pc", "x", NULL);
    assert_err(inv_stage_add(r, &it, &e), &e, INV_EINPUT, "staged for removal");
    assert_err(inv_stage_edit(r, &it, &e), &e, INV_EINPUT, "staged for removal");
    inv_item_free(&it);
    assert_err(inv_stage_remove(r, "PC-01", "again", &e), &e, INV_EINPUT,
               "already staged for removal");
    s = tu_staged_text(r);
    assert_string_equal(s, "- PC-01\n  reason: stolen\n");
    free(s);

    /* reset of one id, of an id with nothing staged, of everything */
    assert_ok(inv_stage_reset(r, "PC-01", &e), &e);
    assert_int_equal(tu_staged_count(r), 0);
    assert_err(inv_stage_reset(r, "PC-01", &e), &e, INV_EINPUT,
               "nothing is staged for item 'PC-01'");
    tu_stage_add(r, "A", "pc", "", NULL);
    tu_stage_edit(r, "SRV-01", "notes", "x", NULL);
    assert_ok(inv_stage_remove(r, "PC-01", "sold", &e), &e);
    assert_int_equal(tu_staged_count(r), 3);
    s = tu_staged_text(r);
    assert_string_equal(s, "+ A\n- PC-01\n  reason: sold\n~ SRV-01\n  notes: (none) -> \"x\"\n");
    free(s);
    assert_ok(inv_stage_reset(r, NULL, &e), &e);
    assert_int_equal(tu_staged_count(r), 0);

    /* staging survives closing and reopening the register */
    tu_stage_edit(r, "SRV-01", "notes", "kept", NULL);
    tu_reg_reopen(f);
    r = f->r;
    assert_int_equal(tu_staged_count(r), 1);
    inv_item_init(&it);
    assert_ok(inv_item_current(r, "SRV-01", &it, &is_staged, &e), &e);
    assert_int_equal(is_staged, 1);
    assert_string_equal(inv_item_get(&it, "notes"), "kept");
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
        cmocka_unit_test_setup_teardown(test_staging_rules, tu_reg_setup_default, tu_reg_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
