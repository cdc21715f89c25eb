/*
 * fuzz_csv.c - the streaming CSV reader behind `scopereg import`
 * (inv_csv_read, inv_csv_read_raw) on arbitrary files.
 *
 * Each input is written to a temporary file and read several ways: as
 * the command line does by default (delimiter sniffed, UTF-8, 64 KiB
 * reads), in tiny reads (1 to 13 bytes for inputs under 4 KiB, else about
 * 1 KiB) as Windows-1252 with --map
 * overrides (so records, quotes, CR LF pairs and multi-byte characters
 * straddle read boundaries), as Latin-1 with ';' forced, and raw. Checks
 * beyond the sanitizers: the reader returns one of its documented codes,
 * every item it hands out passes inv_item_check, and the error count is
 * at least the number of messages kept.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "fuzzutil.h"

static int on_row(void *ctx, long line, const inv_item *it, inv_err *e)
{
    (void)ctx;
    if (line < 1 || !it->id)
        abort();
    /* What the reader hands out is checked data; a copy must be equal. */
    inv_item copy;
    inv_item_init(&copy);
    if (inv_item_copy(&copy, it) != INV_OK || !inv_item_equal(&copy, it))
        abort();
    inv_item_free(&copy);
    if (inv_item_check(it, e) != INV_OK && it->kind)
        abort();
    return INV_OK;
}

static int on_raw(void *ctx, long line, size_t nfields, char *const *fields, const size_t *lens)
{
    (void)ctx;
    if (line < 1 || nfields == 0 || nfields > INV_CSV_MAX_COLUMNS)
        abort();
    for (size_t i = 0; i < nfields; i++)
        if (fields[i][lens[i]] != '\0')
            abort();
    return 0;
}

static void check_report(int rc, const inv_csv_report *rep)
{
    if (rc != INV_OK && rc != INV_EINPUT && rc != INV_EIO)
        abort();
    if (rep->nerrors < rep->nkept || rep->rows_ok > rep->rows)
        abort();
    if (rc == INV_OK && rep->nerrors)
        abort();
    char *text = inv_csv_report_text(rep);
    free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write("in.csv", data, size, 0600);
    static const char *const maps[] = {"Asset Tag=id", "#2=kind", "Hostname=name", "x=-"};
    inv_csv_report rep;
    inv_err e;
    int rc;

    inv_csv_opts a = {0};
    a.path = path;
    rc = inv_csv_read(&a, on_row, NULL, &rep, &e);
    check_report(rc, &rep);
    inv_csv_report_free(&rep);

    inv_csv_opts b = {0};
    b.path = path;
    b.encoding = "windows-1252";
    b.chunk_size = size < 4096 ? 1 + size % 13 : 509 + size % 1021;
    b.maps = maps;
    b.nmaps = sizeof maps / sizeof *maps;
    b.default_kind = "workstation";
    b.max_errors = 3;
    rc = inv_csv_read(&b, on_row, NULL, &rep, &e);
    check_report(rc, &rep);
    inv_csv_report_free(&rep);

    inv_csv_opts c = {0};
    c.path = path;
    c.encoding = "latin1";
    c.delimiter = ';';
    c.chunk_size = 7;
    rc = inv_csv_read(&c, on_row, NULL, &rep, &e);
    check_report(rc, &rep);
    inv_csv_report_free(&rep);

    inv_csv_opts d = {0};
    d.path = path;
    d.chunk_size = 1 + size % 5;
    rc = inv_csv_read_raw(&d, on_raw, NULL, &rep, &e);
    if (rc != INV_OK && rc != INV_EINPUT && rc != INV_EIO)
        abort();
    inv_csv_report_free(&rep);
    return 0;
}
