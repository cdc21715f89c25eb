/*
 * fuzz_import.c - `scopereg import --dry-run` (inv_import) on arbitrary
 * CSV files against a small register: reading, mapping, merging with the
 * items in scope, --sync removals, staging, the change listing, and the
 * rollback that leaves the register as it was.
 *
 * The register is made once per process in a temporary directory: two
 * parties, one version of four items (with attributes, so merges have
 * something to merge with). Each input is imported as a dry run, with
 * --sync every other time; afterwards nothing may be staged.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzutil.h"
#include "inventory.h"

static inv_register *reg;

static void die(const char *what, const inv_err *e)
{
    fprintf(stderr, "fuzz_import set-up: %s: %s\n", what, e->msg);
    abort();
}

static void add(const char *id, const char *kind, const char *name, const char *k,
                const char *v)
{
    inv_item it;
    inv_err e;
    inv_item_init(&it);
    it.id = strdup(id);
    if (inv_item_set(&it, "kind", kind, &e) || inv_item_set(&it, "name", name, &e) ||
        (k && inv_item_set(&it, k, v, &e)) || inv_stage_add(reg, &it, &e))
        die(id, &e);
    inv_item_free(&it);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    inv_err e = {0};
    cr_err ce;
    cr_seckey *sk;
    inv_init in = {0};
    fz_init_crypto();
    if (cr_keygen(&sk, &in.provider_key, &ce) != CR_OK)
        abort();
    cr_seckey_free(sk);
    if (cr_keygen(&sk, &in.client_key, &ce) != CR_OK)
        abort();
    cr_seckey_free(sk);
    in.contract = "FUZZ-1";
    in.provider_name = "Provider SA";
    in.client_name = "Client SA";
    in.now = 1767225600; /* 2026-01-01 */
    const char *path = fz_path("fuzz.db");
    if (inv_create(path, &in, &e) || inv_open(path, 1, &reg, &e))
        die("register", &e);
    add("PC-001", "workstation", "Poste 1", "serial", "SN-1");
    add("SRV-01", "server", "File server", "ip", "10.0.0.5");
    add("FW-01", "network", "", NULL, NULL);
    add("Ébauche", "other", "x", "notes", "line1\nline2");
    int64_t n;
    if (inv_commit(reg, "fuzz", "fuzz", in.now, &n, &e))
        die("commit", &e);
    return 0;
}

static int on_change(void *ctx, const inv_change *c)
{
    inv_buf *b = ctx;
    b->len = 0;
    if (!c->id || inv_change_format(b, c))
        abort();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int round;
    inv_import_opts o = {0};
    inv_import_result res;
    inv_err e = {0};
    inv_buf b = {0};
    o.path = fz_write("in.csv", data, size, 0600);
    o.default_kind = "poste";
    o.sync = round++ & 1;
    o.dry_run = 1;
    int rc = inv_import(reg, &o, on_change, &b, &res, &e);
    if (rc != INV_OK && rc != INV_EINPUT && rc != INV_EIO)
        abort();
    if (rc == INV_EIO && !strstr(e.msg, "out of memory")) {
        fprintf(stderr, "import: unexpected I/O error: %s\n", e.msg);
        abort();
    }
    inv_import_result_free(&res);
    inv_buf_free(&b);
    int64_t staged = -1;
    if (inv_stage_count(reg, &staged, &e) != INV_OK || staged != 0) {
        fprintf(stderr, "a dry run left %lld staged changes\n", (long long)staged);
        abort();
    }
    return 0;
}
