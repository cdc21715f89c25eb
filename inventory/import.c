/*
 * import.c - CSV import into the staged changes: upsert, sync, dry run,
 * all or nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "internal.h"

typedef struct import_ctx {
    inv_register *r;
    const inv_import_opts *o;
    inv_csv_report *rep;
    inv_import_result *res;
    sqlite3_stmt *seen_put, *seen_get;
    inv_item cur, merged;
    int has_kind, has_name;
    int fresh; /* nothing was staged nor in scope when the import began */
    char **attr_cols; /* attribute keys that columns of the file map to */
    size_t nattr_cols;
} import_ctx;

void inv_import_result_free(inv_import_result *res)
{
    if (!res)
        return;
    free(res->columns);
    free(res->errors);
    memset(res, 0, sizeof *res);
}

static int std_field(const char *f)
{
    return !strcmp(f, "id") || !strcmp(f, "kind") || !strcmp(f, "name");
}

/* Learns from the header (available once the first row arrives) which
 * fields the file speaks for. */
static int learn_columns(import_ctx *c, inv_err *e)
{
    const inv_csv_report *rep = c->rep;
    c->attr_cols = calloc(rep->ncolumns ? rep->ncolumns : 1, sizeof *c->attr_cols);
    if (!c->attr_cols)
        return inv_fail(e, INV_EIO, "out of memory");
    for (size_t i = 0; i < rep->ncolumns; i++) {
        const char *f = rep->columns[i].field;
        if (!f)
            continue;
        if (!strcmp(f, "kind"))
            c->has_kind = 1;
        else if (!strcmp(f, "name"))
            c->has_name = 1;
        else if (!std_field(f))
            c->attr_cols[c->nattr_cols++] = rep->columns[i].field;
    }
    return INV_OK;
}

static int on_row(void *ctx, long line, const inv_item *it, inv_err *e)
{
    import_ctx *c = ctx;
    int rc, staged;
    (void)line;
    if (!c->attr_cols && (rc = learn_columns(c, e)))
        return rc;
    c->res->rows++;
    if (c->fresh) {
        /* The reader hands each id over once, so no row can find its id
         * staged (by this import) or in scope: a new item. */
        rc = inv__stage_add_new(c->r, it, e);
        if (rc == INV_OK)
            c->res->added++;
        return rc;
    }
    rc = inv_item_current(c->r, it->id, &c->cur, &staged, e);
    if (rc == INV_FAIL) {
        /* Neither staged nor in scope: a new item, which the CSV reader
         * has checked as inv_stage_add would. Staged for removal:
         * inv_stage_add explains. */
        rc = staged ? inv_stage_add(c->r, it, e) : inv__stage_add_new(c->r, it, e);
        if (rc == INV_OK)
            c->res->added++;
        return rc;
    }
    if (rc)
        return rc;
    /* Merge: the file speaks for its columns only. */
    if ((rc = inv_item_copy(&c->merged, &c->cur)))
        return inv_fail(e, INV_EIO, "out of memory");
    if (c->has_kind) {
        free(c->merged.kind);
        c->merged.kind = inv__strdup(it->kind);
    }
    if (c->has_name) {
        free(c->merged.name);
        c->merged.name = inv__strdup(it->name);
    }
    for (size_t i = 0; i < c->nattr_cols; i++) {
        const char *k = c->attr_cols[i];
        const char *v = inv_item_get(it, k);
        inv_err ignore;
        if (v)
            rc = inv_item_set(&c->merged, k, v, e);
        else if (inv_item_get(&c->merged, k))
            rc = inv_item_unset(&c->merged, k, &ignore);
        if (rc)
            return rc;
    }
    if (!c->merged.kind || !c->merged.name)
        return inv_fail(e, INV_EIO, "out of memory");
    if (inv_item_equal(&c->merged, &c->cur)) {
        c->res->unchanged++;
        return INV_OK;
    }
    rc = inv_stage_edit(c->r, &c->merged, e);
    if (rc == INV_OK)
        c->res->modified++;
    return rc;
}

/* The CSV reader's memory of ids (inv_csv_opts.seen): a temporary table,
 * which SQLite keeps in its page cache and spills to a temporary file, so
 * an import's memory does not grow with the number of rows. --sync reads
 * it afterwards. */
static long seen_id(void *ctx, const char *id, long line, inv_err *e)
{
    import_ctx *c = ctx;
    sqlite3_stmt *st = c->seen_put;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, line);
    if (sqlite3_step(st) != SQLITE_DONE) {
        inv__sqlerr(c->r, e, "import");
        return -1;
    }
    if (sqlite3_changes(c->r->db) == 1)
        return 0;
    st = c->seen_get;
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_ROW) {
        inv__sqlerr(c->r, e, "import");
        return -1;
    }
    return (long)sqlite3_column_int64(st, 0);
}

static int sync_removals(import_ctx *c, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    const char *base = strrchr(c->o->path, '/');
    base = base ? base + 1 : c->o->path;
    inv_buf reason = {0};
    if (c->o->sync_reason && *c->o->sync_reason)
        inv_buf_puts(&reason, c->o->sync_reason);
    else
        inv_buf_printf(&reason, "absent from %s (import --sync)", base);
    int rc = inv__prepare(c->r, &st,
                          "SELECT id FROM item WHERE until IS NULL AND op <> 'R'"
                          " AND id NOT IN (SELECT id FROM temp.import_seen)"
                          " AND id NOT IN (SELECT id FROM stage WHERE op = 'R') ORDER BY id",
                          e);
    int s;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        if ((rc = inv_stage_remove(c->r, (const char *)sqlite3_column_text(st, 0),
                                   reason.data ? reason.data : "", e)))
            break;
        c->res->removed++;
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(c->r, e, "import --sync");
    sqlite3_finalize(st);
    inv_buf_free(&reason);
    return rc;
}

static char *columns_text(const inv_csv_report *rep)
{
    inv_buf b = {0};
    inv_buf_add(&b, "", 0);
    for (size_t i = 0; i < rep->ncolumns; i++) {
        const inv_csv_column *col = &rep->columns[i];
        const char *how = col->how == INV_CSV_ALIAS     ? "known header"
                        : col->how == INV_CSV_MAP       ? "--map"
                        : col->how == INV_CSV_ATTR      ? "attribute"
                        : col->how == INV_CSV_IGNORED   ? "ignored"
                                                        : "blank header";
        inv_buf_printf(&b, "%s -> %s (%s)\n", col->header ? col->header : "",
                       col->field ? col->field : "-", how);
    }
    return b.data;
}

int inv_import(inv_register *r, const inv_import_opts *o, inv_change_fn fn, void *ctx,
               inv_import_result *res, inv_err *e)
{
    inv_csv_opts co = {0};
    inv_csv_report rep = {0};
    import_ctx c = {0};
    int rc;
    memset(res, 0, sizeof *res);
    co.path = o->path;
    co.maps = o->maps;
    co.nmaps = o->nmaps;
    co.max_errors = o->max_errors;
    co.progress = o->progress;
    co.progress_ctx = o->progress_ctx;
    if (o->default_kind) {
        co.default_kind = inv_kind_canonical(o->default_kind);
        if (!co.default_kind)
            return inv_fail(e, INV_EINPUT, "--kind: unknown kind '%s' (did you mean '%s'?); %s",
                            o->default_kind, inv_kind_closest(o->default_kind),
                            inv_kind_help());
    }
    if (o->delimiter && (rc = inv_csv_delimiter_parse(o->delimiter, &co.delimiter, e)))
        return rc;
    if (o->encoding && !(co.encoding = inv_csv_encoding_name(o->encoding)))
        return inv_fail(e, INV_EINPUT,
                        "--encoding: unknown encoding '%s' (use utf-8, windows-1252 or latin1)",
                        o->encoding);
    c.r = r;
    c.o = o;
    c.rep = &rep;
    c.res = res;
    inv_item_init(&c.cur);
    inv_item_init(&c.merged);
    if ((rc = inv_begin(r, e)))
        return rc;
    if ((rc = inv__exec(r, "CREATE TEMP TABLE IF NOT EXISTS import_seen(id TEXT PRIMARY KEY,"
                           " line INTEGER NOT NULL) WITHOUT ROWID;"
                           " DELETE FROM temp.import_seen;",
                        e)) ||
        (rc = inv__prepare(r, &c.seen_put, "INSERT OR IGNORE INTO temp.import_seen(id, line)"
                                           " VALUES (?1, ?2)", e)) ||
        (rc = inv__prepare(r, &c.seen_get, "SELECT line FROM temp.import_seen WHERE id = ?1",
                           e)))
        goto out;
    co.seen = seen_id;
    co.seen_ctx = &c;
    /* A first import (the onboarding of a fleet) skips looking each id up
     * in the stage and in the items: both are empty. */
    {
        sqlite3_stmt *st = NULL;
        if ((rc = inv__prepare(r, &st,
                               "SELECT NOT EXISTS (SELECT 1 FROM stage) AND NOT EXISTS"
                               " (SELECT 1 FROM item WHERE until IS NULL AND op <> 'R')",
                               e)))
            goto out;
        if (sqlite3_step(st) == SQLITE_ROW)
            c.fresh = sqlite3_column_int(st, 0);
        else
            rc = inv__sqlerr(r, e, "import");
        sqlite3_finalize(st);
        if (rc)
            goto out;
    }
    rc = inv_csv_read(&co, on_row, &c, &rep, e);
    res->delimiter = rep.delimiter;
    res->sniffed = rep.sniffed;
    res->bom = rep.bom;
    snprintf(res->encoding, sizeof res->encoding, "%s", rep.encoding);
    res->columns = columns_text(&rep);
    res->nerrors = (int64_t)rep.nerrors;
    if (rep.nerrors)
        res->errors = inv_csv_report_text(&rep);
    if (rc)
        goto out;
    if (o->sync && (rc = sync_removals(&c, e)))
        goto out;
    if (fn)
        rc = inv_stage_walk(r, fn, ctx, e);
out:
    sqlite3_finalize(c.seen_put);
    sqlite3_finalize(c.seen_get);
    {
        int rc2 = inv_end(r, rc == INV_OK && !o->dry_run, e);
        if (!rc)
            rc = rc2;
    }
    inv_item_free(&c.cur);
    inv_item_free(&c.merged);
    free(c.attr_cols);
    inv_csv_report_free(&rep);
    return rc;
}
