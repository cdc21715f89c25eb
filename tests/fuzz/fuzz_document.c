/*
 * fuzz_document.c - reading a scope document back from its bytes
 * (inv_doc_parse, inv_doc_read), as `scopereg cosign` and
 * `scopereg verify --documents` do with files another party sent.
 *
 * Properties beyond the sanitizers: the in-memory and the streamed
 * readers agree (outcome, hash, counts); a document that reads has the
 * BLAKE2b-256 of all its bytes as doc_hash and its size as size; the
 * counts by type add up to changes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzutil.h"
#include "inventory.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init_crypto();
    return 0;
}

static int on_change(void *ctx, const char *line, size_t len)
{
    size_t *n = ctx;
    if (memchr(line, '\n', len))
        abort(); /* a line never holds its line feed */
    ++*n;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *exact = malloc(size ? size : 1);
    if (!exact)
        abort();
    memcpy(exact, data, size);
    inv_doc d, d2;
    inv_err e, e2;
    size_t lines = 0, lines2 = 0;
    memset(&d, 0, sizeof d);
    memset(&d2, 0, sizeof d2);
    int rc = inv_doc_parse(exact, size, "fuzz.scope", &d, on_change, &lines, &e);
    if (rc != INV_OK && rc != INV_EINPUT && rc != INV_FAIL)
        abort();
    if (rc == INV_OK) {
        char hash[CR_HASH_STR_LEN];
        cr_hash_hex(exact, size, hash);
        if (strcmp(hash, d.doc_hash) != 0 || d.size != size)
            abort();
        if (d.added + d.removed + d.modified + d.rekeyed != d.changes || d.items < 0 ||
            d.version < 1 || !d.contract || !d.author || !d.message || !d.party[0] ||
            !d.party[1])
            abort();
        int role, old;
        (void)inv_doc_key_role(&d, d.key[0], &role, &old);
    }
    if (size > 0) {
        FILE *f = fmemopen(exact, size, "rb");
        if (!f)
            abort();
        int rc2 = inv_doc_read(f, "fuzz.scope", &d2, on_change, &lines2, &e2);
        fclose(f);
        if (rc2 != rc || lines2 != lines || (rc == INV_OK && strcmp(d.doc_hash, d2.doc_hash)))
            abort();
        if (rc != INV_OK && strcmp(e.msg, e2.msg) != 0) {
            fprintf(stderr, "parse: %s\nread:  %s\n", e.msg, e2.msg);
            abort();
        }
        if (rc2 == INV_OK)
            inv_doc_free(&d2);
    }
    if (rc == INV_OK)
        inv_doc_free(&d);
    free(exact);
    return 0;
}
