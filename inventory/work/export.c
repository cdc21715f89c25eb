/*
 * export.c - a version as CSV (RFC 4180, or Excel-friendly), written with
 * libcsv's quoting.
 */
#include <csv.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "work_int.h"

typedef struct keyset {
    char **v;
    size_t n, cap;
} keyset;

static void keyset_free(keyset *k)
{
    for (size_t i = 0; i < k->n; i++)
        free(k->v[i]);
    free(k->v);
}

/* Adds key in sorted position unless present; -1 when out of memory. */
static int keyset_add(keyset *k, const char *key)
{
    size_t lo = 0, hi = k->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(k->v[mid], key);
        if (c == 0)
            return 0;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 16;
        char **nv = realloc(k->v, cap * sizeof *nv);
        if (!nv)
            return -1;
        k->v = nv;
        k->cap = cap;
    }
    char *d = inv__strdup(key);
    if (!d)
        return -1;
    memmove(k->v + lo + 1, k->v + lo, (k->n - lo) * sizeof *k->v);
    k->v[lo] = d;
    k->n++;
    return 0;
}

static int collect_keys(void *ctx, const inv_item *it)
{
    for (size_t i = 0; i < it->nattrs; i++)
        if (keyset_add(ctx, it->attrs[i].key))
            return INV_EIO;
    return 0;
}

typedef struct writer {
    int excel;
    int cov; /* a scope-register/2 version: the columns services and sla */
    inv_buf cv;
    const keyset *keys;
    inv_sink_fn sink;
    void *ctx;
    inv_buf line, cell;
    int failed;
} writer;

static void put_cell(writer *w, const char *value, int first)
{
    if (!first)
        inv_buf_add(&w->line, w->excel ? ";" : ",", 1);
    const char *v = value ? value : "";
    size_t len = strlen(v);
    int neutralise = w->excel && inv_csv_formula_at(v, len);
    int comma_formula = 0;
    for (const char *c = v; w->excel && *c && !comma_formula; c++)
        comma_formula = (c[0] == ',' || c[0] == '\n') &&
                        inv_csv_formula_at(c + 1, len - (size_t)(c + 1 - v));
    /* Quote only when needed, as most tools write CSV. */
    int quote = strpbrk(v, w->excel ? ";\"\r\n" : ",\"\r\n") != NULL || neutralise ||
                comma_formula ||
                (len && (v[0] == ' ' || v[len - 1] == ' '));
    if (!quote) {
        inv_buf_add(&w->line, v, len);
        return;
    }
    w->cell.len = 0;
    if (neutralise)
        inv_buf_add(&w->cell, "'", 1);
    if (w->excel) {
        /* A spreadsheet whose list separator is ',' splits this ';' file at
         * commas too, and then a quote inside a field no longer protects a
         * line break: a formula may start after any comma or line break, so
         * neutralise those as well. */
        const char *run = v;
        for (const char *c = v; *c; c++)
            if ((c[0] == ',' || c[0] == '\n') &&
                inv_csv_formula_at(c + 1, len - (size_t)(c + 1 - v))) {
                inv_buf_add(&w->cell, run, (size_t)(c - run) + 1);
                inv_buf_add(&w->cell, "'", 1);
                run = c + 1;
            }
        inv_buf_add(&w->cell, run, strlen(run));
    } else {
        inv_buf_add(&w->cell, v, len);
    }
    size_t need = w->cell.len * 2 + 3;
    char *q = malloc(need);
    if (!q) {
        w->failed = 1;
        return;
    }
    size_t n = csv_write(q, need, w->cell.data, w->cell.len);
    inv_buf_add(&w->line, q, n);
    free(q);
}

static int end_line(writer *w)
{
    inv_buf_puts(&w->line, w->excel ? "\r\n" : "\n");
    if (w->line.failed || w->cell.failed) /* out of memory: the file would have a hole */
        w->failed = 1;
    if (w->line.len > 64 * 1024) {
        if (!w->failed && w->sink(w->ctx, w->line.data, w->line.len))
            w->failed = 1;
        w->line.len = 0;
    }
    return w->failed;
}

static int write_item(void *ctx, const inv_item *it)
{
    writer *w = ctx;
    put_cell(w, it->id, 1);
    put_cell(w, it->kind, 0);
    put_cell(w, it->name, 0);
    if (w->cov) {
        /* its effective coverage; a part taken from the kind's default
         * ends with " (kind default)", which import reads as "the kind's
         * default" again: re-importing the file gives the same own
         * coverage */
        const char *part[2] = {it->svc ? it->svc : INV_COV_NONE,
                               it->sla ? it->sla : INV_COV_NONE};
        int bit[2] = {INV_OWN_SERVICES, INV_OWN_SLA};
        for (int k = 0; k < 2; k++) {
            w->cv.len = 0;
            if (inv_buf_puts(&w->cv, part[k]) < 0 ||
                (!(it->own & bit[k]) && inv_buf_puts(&w->cv, " (kind default)") < 0))
                return INV_EIO;
            put_cell(w, w->cv.data, 0);
        }
    }
    for (size_t i = 0; i < w->keys->n; i++)
        put_cell(w, inv_item_get(it, w->keys->v[i]), 0);
    return end_line(w) ? INV_EIO : 0;
}

int inv_export_csv(inv_register *r, int64_t n, int flavour, inv_sink_fn sink, void *ctx,
                   inv_err *e)
{
    keyset keys = {0};
    writer w = {flavour == INV_EXPORT_EXCEL, inv_format_of(r, n) == 2, {0}, &keys, sink, ctx,
                {0}, {0}, 0};
    int rc = inv_items(r, n, collect_keys, &keys, e);
    if (rc)
        goto out;
    if (w.excel)
        inv_buf_add(&w.line, "\xEF\xBB\xBF", 3);
    put_cell(&w, "id", 1);
    put_cell(&w, "kind", 0);
    put_cell(&w, "name", 0);
    if (w.cov) {
        put_cell(&w, "services", 0);
        put_cell(&w, "sla", 0);
    }
    for (size_t i = 0; i < keys.n; i++)
        put_cell(&w, keys.v[i], 0);
    end_line(&w);
    rc = inv_items(r, n, write_item, &w, e);
    if (!rc && w.line.len && !w.failed && sink(ctx, w.line.data, w.line.len))
        w.failed = 1;
    if (!rc && (w.line.failed || w.cell.failed || w.cv.failed))
        rc = inv_fail(e, INV_EIO, "out of memory");
    else if (w.failed)
        rc = inv_fail(e, INV_EIO, "cannot write the CSV export");
out:
    keyset_free(&keys);
    inv_buf_free(&w.line);
    inv_buf_free(&w.cell);
    inv_buf_free(&w.cv);
    return rc;
}
