/*
 * import.c - CSV import into the staged changes: upsert, sync by source,
 * duplicates, profiles, dry run, all or nothing; import --commit, which
 * commits in the same transaction and, into an empty register, writes the
 * item rows of version 1 directly.
 *
 * Workflow tables (not part of any signed document; a register without
 * them is a register whose items have no known source and which has no
 * profile; they are created the first time an import or add writes):
 *   item_source(id, source)    -- the sources whose files list the item;
 *                                 "(by hand)" for an item staged with add
 *   import_profile(name, options) -- options of an import, 0x1F-separated
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "work_int.h"

typedef struct import_ctx {
    inv_register *r;
    const inv_import_opts *o;
    inv_csv_report *rep;
    inv_import_result *res;
    sqlite3_stmt *seen_put, *seen_get;
    inv_item cur, merged;
    int has_kind, has_name;
    int fresh; /* nothing was staged nor in scope when the import began */
    /* direct: rows go straight to the item rows of version 1 (rev = the
     * file's line), no stage and no temporary id table, until a row is
     * refused; then the ids seen move to temp.import_seen (seen_tmp), the
     * last one seen but not written (pending) too */
    int direct, seen_tmp;
    /* mixed: a direct import left for the staging one once its ids came
     * out of order; the item rows written stay (leave_unsorted) */
    int mixed;
    sqlite3_stmt *item_put, *item_get;
    const char *cur_id; /* the row's item, for cov_check's messages */
    inv_err *cov_err;
    inv_buf attrs;
    inv_buf last_id; /* the last id written, while direct */
    char *pending;
    long pending_line;
    char **attr_cols; /* attribute keys that columns of the file map to */
    size_t nattr_cols;
    int has_serial;   /* a column maps to serial */
    inv_buf notes;    /* lines for people (res->notes) */
    /* the coverage columns (csvread.c cov_cell): their headers, NULL when
     * the file has none; the last lists found defined (checked once) */
    const char *svc_col, *sla_col;
    inv_buf svc_ok, sla_ok;
} import_ctx;

#define HAND_SOURCE "(by hand)"

/* Creates the workflow tables when missing (inside the caller's
 * transaction, so a refused import leaves the file as it was). */
static int import_schema(inv_register *r, inv_err *e)
{
    return inv__exec(r,
                     "CREATE TABLE IF NOT EXISTS item_source(id TEXT NOT NULL,"
                     " source TEXT NOT NULL, PRIMARY KEY (id, source)) WITHOUT ROWID;"
                     "CREATE TABLE IF NOT EXISTS import_profile(name TEXT PRIMARY KEY,"
                     " options TEXT NOT NULL) WITHOUT ROWID;",
                     e);
}

/* Whether the workflow tables exist (a read-only handle cannot make them). */
static int have_schema(inv_register *r)
{
    sqlite3_stmt *st = NULL;
    int yes = 0;
    if (sqlite3_prepare_v2(r->db, "SELECT 1 FROM sqlite_master WHERE type = 'table' AND"
                                  " name = 'item_source'", -1, &st, NULL) == SQLITE_OK)
        yes = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return yes;
}

/* A --source or profile name: 1 to 64 of A-Z a-z 0-9 . _ - */
static int name_ok(const char *n)
{
    size_t l = strlen(n);
    if (l == 0 || l > 64)
        return 0;
    for (const char *p = n; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '.' || *p == '_' || *p == '-'))
            return 0;
    return 1;
}

void inv_import_result_free(inv_import_result *res)
{
    if (!res)
        return;
    free(res->columns);
    free(res->errors);
    free(res->notes);
    memset(res, 0, sizeof *res);
}

static int std_field(const char *f)
{
    return !strcmp(f, "id") || !strcmp(f, "kind") || !strcmp(f, "name");
}

static int seen_move(import_ctx *c, inv_err *e);

/* Leaves the direct import for the staging one, with the first id seen
 * but not written (pending) and every id written moved to the staging
 * import's table of ids:
 * - before the first row is written, for a file with coverage columns
 *   (inv_stage_coverage checks and writes coverage there);
 * - at the first id smaller than the one before it (leave_unsorted): the
 *   rows written stay, and commit_direct writes the staged ones after them.
 * INV_EIO when SQLite fails; the caller's transaction is then undone. */
static int leave_direct(import_ctx *c, inv_err *e)
{
    c->direct = 0;
    sqlite3_finalize(c->item_put);
    sqlite3_finalize(c->item_get);
    c->item_put = c->item_get = NULL;
    int rc = seen_move(c, e) ? INV_EIO : INV_OK;
    free(c->pending);
    c->pending = NULL;
    return rc;
}

/* A direct import writes version 1's rows as they come, and every later
 * reading of a version reads its items in id order (item_by_id): rows
 * stored in a file's order make each reading fetch the table's pages out
 * of order, over and over (verify of 1M items: 2.4 s instead of 1.75 s,
 * docs/PERFORMANCE.md). At the first id smaller than the last one
 * written, the import stages the rest (mixed): the rows written are one
 * run in id order, and commit_direct writes the staged ones after them in
 * id order, a second run. */
static int leave_unsorted(import_ctx *c, const char *id, inv_err *e)
{
    if (c->last_id.len && strcmp(id, c->last_id.data) < 0) {
        c->mixed = 1;
        return leave_direct(c, e);
    }
    c->last_id.len = 0;
    if (inv_buf_add(&c->last_id, id, strlen(id) + 1))
        return inv_fail(e, INV_EIO, "out of memory");
    return INV_OK;
}

/* Whether the services and class the row names as its own coverage are
 * defined (committed in the latest version or staged): INV_EINPUT naming
 * the column, the item and the command that defines it otherwise (the
 * reader prefixes file and line). */
static int cov_id_defined(import_ctx *c, int type, const char *id, size_t n, inv_err *e)
{
    char want[40];
    int staged = 0;
    snprintf(want, sizeof want, "%.*s", (int)n, id);
    int rc = inv_term_current(c->r, type, want, NULL, &staged, e);
    if (rc != INV_FAIL)
        return rc;
    if (type == INV_TERM_SERVICE)
        return inv_fail(e, INV_EINPUT,
                        "column '%s': unknown service '%s' for item '%s'; define it first: "
                        "scopereg service add %s --name TEXT (or correct the cell)",
                        c->svc_col, want, c->cur_id, want);
    return inv_fail(e, INV_EINPUT,
                    "column '%s': unknown service-level class '%s' for item '%s'; define it "
                    "first: scopereg sla add %s --name TEXT (or correct the cell)",
                    c->sla_col, want, c->cur_id, want);
}

static int svc_defined(void *ctx, const char *id, size_t n)
{
    import_ctx *c = ctx;
    return cov_id_defined(c, INV_TERM_SERVICE, id, n, c->cov_err);
}

/* A cell "LIST (kind default)" (it->svc or it->sla set without its own
 * bit) must list what the kind's default (staged, else committed) holds:
 * INV_EINPUT naming the column, the cell and the default otherwise. */
static int cov_claim_check(import_ctx *c, const inv_item *it, inv_err *e)
{
    inv_term d;
    inv_term_init(&d);
    int rc = INV_OK, staged = 0, looked = 0;
    for (int sla = 0; sla < 2 && !rc; sla++) {
        const char *claim = sla ? it->sla : it->svc;
        if (!claim || (it->own & (sla ? INV_OWN_SLA : INV_OWN_SERVICES)))
            continue;
        if (!looked++) {
            rc = inv_term_current(c->r, INV_TERM_DEFAULT, it->kind, &d, &staged, e);
            if (rc == INV_FAIL)
                rc = INV_OK; /* no default: none */
            if (rc)
                break;
        }
        const char *def = inv_term_get(&d, sla ? "sla" : "services");
        def = def ? def : INV_COV_NONE;
        if (strcmp(claim, def) && sla)
            rc = inv_fail(e, INV_EINPUT,
                          "column '%s': '%s (kind default)' is not the default of kind %s "
                          "(%s); write the class for the item's own coverage, or leave the "
                          "cell empty for the kind's default",
                          c->sla_col, claim, it->kind, def);
        else if (strcmp(claim, def))
            rc = inv_fail(e, INV_EINPUT,
                          "column '%s': '%s (kind default)' is not the default of kind %s "
                          "(%s); write the service ids for the item's own coverage, or leave "
                          "the cell empty for the kind's default",
                          c->svc_col, claim, it->kind, def);
    }
    inv_term_free(&d);
    return rc;
}

static int cov_check(import_ctx *c, const inv_item *it, inv_err *e)
{
    int rc;
    c->cur_id = it->id;
    c->cov_err = e;
    if ((rc = cov_claim_check(c, it, e)))
        return rc;
    if ((it->own & INV_OWN_SERVICES) && !(c->svc_ok.data && !strcmp(c->svc_ok.data, it->svc))) {
        if ((rc = inv_service_list_walk(it->svc, svc_defined, c)))
            return rc;
        c->svc_ok.len = 0;
        if (inv_buf_puts(&c->svc_ok, it->svc) < 0)
            return inv_fail(e, INV_EIO, "out of memory");
    }
    if ((it->own & INV_OWN_SLA) && strcmp(it->sla, INV_COV_NONE) &&
        !(c->sla_ok.data && !strcmp(c->sla_ok.data, it->sla))) {
        if ((rc = cov_id_defined(c, INV_TERM_CLASS, it->sla, strlen(it->sla), e)))
            return rc;
        c->sla_ok.len = 0;
        if (inv_buf_puts(&c->sla_ok, it->sla) < 0)
            return inv_fail(e, INV_EIO, "out of memory");
    }
    return INV_OK;
}

/* Whether the row's coverage columns leave cur's coverage as it is (an
 * empty cell: the kind's default, so an own part goes back to it); 0
 * when cur's coverage is not known (an item staged before). */
static int cov_same(const import_ctx *c, const inv_item *it, const inv_item *cur)
{
    if (!cur->svc || !cur->sla)
        return !c->svc_col && !c->sla_col;
    if (c->svc_col) {
        int own = it->own & INV_OWN_SERVICES;
        if (own != (cur->own & INV_OWN_SERVICES) || (own && strcmp(it->svc, cur->svc)))
            return 0;
    }
    if (c->sla_col) {
        int own = it->own & INV_OWN_SLA;
        if (own != (cur->own & INV_OWN_SLA) || (own && strcmp(it->sla, cur->sla)))
            return 0;
    }
    return 1;
}

/* The own coverage of a staged item (inv_item_current reads none from
 * the stage): the stage row's when it sets one, else the committed
 * item's, into cur. */
static int staged_cov(import_ctx *c, inv_item *cur, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(c->r, &st,
                          "SELECT coalesce(s.own, i.own, 0),"
                          " coalesce(iif(s.own IS NULL, i.svc, s.svc), 'none'),"
                          " coalesce(iif(s.own IS NULL, i.sla, s.sla), 'none')"
                          " FROM stage s LEFT JOIN item i ON i.id = s.id AND i.until IS NULL"
                          " AND i.op <> 'R' WHERE s.id = ?1",
                          e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, cur->id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        free(cur->svc);
        free(cur->sla);
        cur->own = sqlite3_column_int(st, 0);
        cur->svc = inv__strdup((const char *)sqlite3_column_text(st, 1));
        cur->sla = inv__strdup((const char *)sqlite3_column_text(st, 2));
        if (!cur->svc || !cur->sla)
            rc = inv_fail(e, INV_EIO, "out of memory");
    }
    sqlite3_finalize(st);
    return rc;
}

/* Stages the row's coverage columns for the item staged from it (new:
 * just added, its coverage the kind's default until now). */
static int cov_stage(import_ctx *c, const inv_item *it, int is_new, inv_err *e)
{
    if (!c->svc_col && !c->sla_col)
        return INV_OK;
    if (is_new && !it->own)
        return INV_OK; /* the kind's default already */
    const char *s = !c->svc_col ? NULL : (it->own & INV_OWN_SERVICES) ? it->svc : INV_COV_DEFAULT;
    const char *l = !c->sla_col ? NULL : (it->own & INV_OWN_SLA) ? it->sla : INV_COV_DEFAULT;
    return inv_stage_coverage(c->r, it->id, s, l, e);
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
        if (!strcmp(f, "serial"))
            c->has_serial = 1;
        if (!strcmp(f, "kind"))
            c->has_kind = 1;
        else if (!strcmp(f, "name"))
            c->has_name = 1;
        else if (!strcmp(f, "services"))
            c->svc_col = rep->columns[i].header;
        else if (!strcmp(f, "sla"))
            c->sla_col = rep->columns[i].header;
        else if (!std_field(f))
            c->attr_cols[c->nattr_cols++] = rep->columns[i].field;
    }
    if (c->direct && (c->svc_col || c->sla_col))
        return leave_direct(c, e);
    return INV_OK;
}

/* A row of a direct import: item row of version 1, its digest, rev =
 * the line. */
static int put_item(import_ctx *c, long line, const inv_item *it, inv_err *e)
{
    sqlite3_stmt *st = c->item_put;
    char digest[33];
    const char *name = it->name ? it->name : "";
    c->attrs.len = 0;
    if (inv_buf_add(&c->attrs, "", 0) || inv__attrs_encode(it, &c->attrs))
        return inv_fail(e, INV_EIO, "out of memory");
    inv__row_digest(it->id, 1, "A", it->kind, name, c->attrs.data, c->attrs.len, NULL, digest);
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, line);
    sqlite3_bind_text(st, 2, it->id, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, it->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, name, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 5, c->attrs.data, (int)c->attrs.len, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, digest, 32, SQLITE_STATIC);
    int rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(c->r, e, "import");
    sqlite3_reset(st);
    return rc;
}

static int on_row(void *ctx, long line, const inv_item *it, inv_err *e)
{
    import_ctx *c = ctx;
    int rc, staged;
    if (!c->attr_cols && (rc = learn_columns(c, e)))
        return rc;
    c->res->rows++;
    if ((c->svc_col || c->sla_col) && (rc = cov_check(c, it, e)))
        return rc;
    if (c->direct && (rc = leave_unsorted(c, it->id, e)))
        return rc;
    if (c->direct) {
        if (c->pending && !strcmp(c->pending, it->id)) {
            free(c->pending);
            c->pending = NULL;
        }
        rc = put_item(c, line, it, e);
        if (rc == INV_OK)
            c->res->added++;
        return rc;
    }
    if (c->fresh) {
        /* The reader hands each id over once, so no row can find its id
         * staged (by this import) or in scope: a new item. */
        rc = inv__stage_add_new(c->r, it, e);
        if (rc == INV_OK && (rc = cov_stage(c, it, 1, e)) == INV_OK)
            c->res->added++;
        return rc;
    }
    rc = inv_item_current(c->r, it->id, &c->cur, &staged, e);
    if (rc == INV_FAIL) {
        /* Neither staged nor in scope: a new item, which the CSV reader
         * has checked as inv_stage_add would. Staged for removal:
         * inv_stage_add explains. */
        rc = staged ? inv_stage_add(c->r, it, e) : inv__stage_add_new(c->r, it, e);
        if (rc == INV_OK && (rc = cov_stage(c, it, !staged, e)) == INV_OK)
            c->res->added++;
        return rc;
    }
    if (rc)
        return rc;
    if (staged && (c->svc_col || c->sla_col) && inv__has_cov(c->r) &&
        (rc = staged_cov(c, &c->cur, e)))
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
    int same_cov = cov_same(c, it, &c->cur);
    if (inv_item_equal(&c->merged, &c->cur)) {
        if (same_cov) {
            c->res->unchanged++;
            return INV_OK;
        }
    } else if ((rc = inv_stage_edit(c->r, &c->merged, e))) {
        return rc;
    }
    if (!same_cov && (rc = cov_stage(c, it, 0, e)))
        return rc;
    c->res->modified++;
    return rc;
}

/* Creates (empty) temp.import_seen and prepares its two statements;
 * INV_OK or INV_EIO with e set. */
static int seen_table(import_ctx *c, inv_err *e)
{
    return inv__exec(c->r, "CREATE TEMP TABLE IF NOT EXISTS import_seen(id TEXT PRIMARY KEY,"
                           " line INTEGER NOT NULL) WITHOUT ROWID;"
                           " DELETE FROM temp.import_seen;", e) ||
                   inv__prepare(c->r, &c->seen_put, "INSERT OR IGNORE INTO"
                                " temp.import_seen(id, line) VALUES (?1, ?2)", e) ||
                   inv__prepare(c->r, &c->seen_get, "SELECT line FROM temp.import_seen"
                                " WHERE id = ?1", e)
               ? INV_EIO
               : INV_OK;
}

/* A direct import's memory of ids: the item rows it wrote (rev is the
 * line), and the last id seen, until a row is refused: from then on the
 * table of the staging import, filled with what was seen. */
static long seen_direct(import_ctx *c, const char *id, long line, inv_err *e)
{
    if (c->rep->nerrors == 0) {
        sqlite3_stmt *st = c->item_get;
        sqlite3_reset(st);
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        int s = sqlite3_step(st);
        long first = s == SQLITE_ROW ? (long)sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        if (s != SQLITE_ROW && s != SQLITE_DONE) {
            inv__sqlerr(c->r, e, "import");
            return -1;
        }
        if (first)
            return first;
        free(c->pending);
        if (!(c->pending = inv__strdup(id))) {
            inv_fail(e, INV_EIO, "out of memory");
            return -1;
        }
        c->pending_line = line;
        return 0;
    }
    return seen_move(c, e) ? -1 : 0;
}

/* The direct import's memory of ids moved to the staging import's table,
 * once: the item rows written (rev is the line), then the id seen but not
 * written (pending, which the caller keeps or frees). Non-zero, with e
 * set, when SQLite fails. */
static int seen_move(import_ctx *c, inv_err *e)
{
    if (!c->seen_tmp) {
        if (seen_table(c, e) || inv__exec(c->r, "INSERT INTO temp.import_seen(id, line)"
                                          " SELECT id, rev FROM item", e))
            return -1;
        c->seen_tmp = 1;
    }
    if (c->pending) {
        sqlite3_bind_text(c->seen_put, 1, c->pending, -1, SQLITE_STATIC);
        sqlite3_bind_int64(c->seen_put, 2, c->pending_line);
        int s = sqlite3_step(c->seen_put);
        sqlite3_reset(c->seen_put);
        if (s != SQLITE_DONE) {
            inv__sqlerr(c->r, e, "import");
            return -1;
        }
    }
    return 0;
}

/* The CSV reader's memory of ids (inv_csv_opts.seen): a temporary table,
 * which SQLite keeps in its page cache and spills to a temporary file, so
 * an import's memory does not grow with the number of rows. --sync reads
 * it afterwards. A direct import uses its item rows instead (seen_direct). */
static long seen_id(void *ctx, const char *id, long line, inv_err *e)
{
    import_ctx *c = ctx;
    if (c->direct && !c->seen_tmp) {
        long first = seen_direct(c, id, line, e);
        if (first || !c->seen_tmp)
            return first;
    }
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

/* Steps a statement that returns nothing; INV_OK or the SQLite error. */
static int step_done(inv_register *r, sqlite3_stmt *st, const char *what, inv_err *e)
{
    int rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, what);
    sqlite3_reset(st);
    return rc;
}

/* Items in scope or staged as additions, with what the register knows of
 * their sources: "glpi: 12 items, (by hand): 2 items", for messages. */
static int sources_text(import_ctx *c, inv_buf *out, int64_t *n, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(c->r, &st,
                          "SELECT source, count(*) FROM item_source s WHERE"
                          " EXISTS (SELECT 1 FROM item i WHERE i.id = s.id AND i.until IS NULL"
                          "  AND i.op <> 'R')"
                          " OR EXISTS (SELECT 1 FROM stage g WHERE g.id = s.id AND g.op = 'A')"
                          " GROUP BY source ORDER BY source",
                          e);
    *n = 0;
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        const char *src = (const char *)sqlite3_column_text(st, 0);
        int64_t k = sqlite3_column_int64(st, 1);
        inv_buf_printf(out, "%s%s (%lld item%s)", (*n)++ ? ", " : "",
                       !strcmp(src, HAND_SOURCE) ? "added by hand" : src, (long long)k,
                       k == 1 ? "" : "s");
    }
    sqlite3_finalize(st);
    return rc;
}

/* --sync without --source: refused when any item in scope came from a
 * named source or was added by hand (the file is then not the whole
 * scope). Before anything is read. */
static int plain_sync_check(import_ctx *c, inv_err *e)
{
    inv_buf b = {0};
    int64_t n = 0;
    int rc = sources_text(c, &b, &n, e);
    if (!rc && n)
        rc = inv_fail(e, INV_EINPUT,
                      "%s: --sync without --source would withdraw every item the file lacks, "
                      "but the register holds items of several origins: %s; name this file's "
                      "source with --source NAME and only that source's items are withdrawn",
                      c->o->path, b.data);
    inv_buf_free(&b);
    return rc;
}

static int sync_removals(import_ctx *c, inv_err *e)
{
    sqlite3_stmt *st = NULL, *other = NULL, *drop = NULL;
    const char *base = strrchr(c->o->path, '/');
    const char *src = c->o->source;
    base = base ? base + 1 : c->o->path;
    inv_buf reason = {0};
    int64_t kept = 0;
    if (c->o->sync_reason && *c->o->sync_reason)
        inv_buf_puts(&reason, c->o->sync_reason);
    else if (src)
        inv_buf_printf(&reason, "absent from %s (import --sync --source %s)", base, src);
    else
        inv_buf_printf(&reason, "absent from %s (import --sync)", base);
    int rc;
    if (src)
        rc = inv__prepare(c->r, &st,
                          "SELECT s.id FROM item_source s WHERE s.source = ?1"
                          " AND s.id NOT IN (SELECT id FROM temp.import_seen)"
                          " AND EXISTS (SELECT 1 FROM item i WHERE i.id = s.id"
                          "  AND i.until IS NULL AND i.op <> 'R')"
                          " AND s.id NOT IN (SELECT id FROM stage WHERE op = 'R') ORDER BY s.id",
                          e);
    else
        rc = inv__prepare(c->r, &st,
                          "SELECT id FROM item WHERE until IS NULL AND op <> 'R'"
                          " AND id NOT IN (SELECT id FROM temp.import_seen)"
                          " AND id NOT IN (SELECT id FROM stage WHERE op = 'R') ORDER BY id",
                          e);
    if (!rc && src)
        rc = inv__prepare(c->r, &other,
                          "SELECT group_concat(source, ', ') FROM item_source WHERE id = ?1"
                          " AND source <> ?2",
                          e);
    if (!rc && src)
        rc = inv__prepare(c->r, &drop, "DELETE FROM item_source WHERE id = ?1 AND source = ?2",
                          e);
    if (!rc && src)
        sqlite3_bind_text(st, 1, src, -1, SQLITE_STATIC);
    int s = SQLITE_DONE;
    while (!rc && (s = sqlite3_step(st)) == SQLITE_ROW) {
        const char *id = (const char *)sqlite3_column_text(st, 0);
        if (src) {
            /* listed by another source too: that source still speaks for it */
            sqlite3_bind_text(other, 1, id, -1, SQLITE_STATIC);
            sqlite3_bind_text(other, 2, src, -1, SQLITE_STATIC);
            if (sqlite3_step(other) == SQLITE_ROW && sqlite3_column_type(other, 0) != SQLITE_NULL) {
                const char *also = (const char *)sqlite3_column_text(other, 0);
                if (kept++ < 20)
                    inv_buf_printf(&c->notes, "kept %s: absent from %s but also from %s\n", id,
                                   base, !strcmp(also, HAND_SOURCE) ? "added by hand" : also);
                sqlite3_reset(other);
                sqlite3_bind_text(drop, 1, id, -1, SQLITE_STATIC);
                sqlite3_bind_text(drop, 2, src, -1, SQLITE_STATIC);
                if ((rc = step_done(c->r, drop, "import --sync", e)))
                    break;
                continue;
            }
            sqlite3_reset(other);
        }
        if ((rc = inv_stage_remove(c->r, id, reason.data ? reason.data : "", e)))
            break;
        c->res->removed++;
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(c->r, e, "import --sync");
    if (kept > 20)
        inv_buf_printf(&c->notes, "kept %lld more items listed by other sources\n",
                       (long long)(kept - 20));
    sqlite3_finalize(st);
    sqlite3_finalize(other);
    sqlite3_finalize(drop);
    inv_buf_free(&reason);
    return rc;
}

/* --sync from a file that kept no row (a header alone, or --where left
 * every row out) would withdraw every item of the source, or of the
 * scope: a file exported empty by mistake, or a --where that matches
 * nothing, not a decision. Refused (after sync_removals counted them; the
 * caller's transaction is undone) when it would withdraw any item. */
static int sync_empty_check(import_ctx *c, const inv_csv_report *rep, inv_err *e)
{
    if (c->res->rows != 0 || c->res->removed == 0)
        return INV_OK;
    if (c->o->source)
        return inv_fail(e, INV_EINPUT,
                        "%s: the file kept no row (data rows: %llu, left out by --where: %llu, "
                        "'Total' rows skipped: %llu), so --sync --source %s would withdraw "
                        "%lld of its items; check the file and --where; to withdraw every item "
                        "of this source, stage each with 'scopereg remove ID --reason TEXT'",
                        c->o->path, (unsigned long long)rep->rows,
                        (unsigned long long)rep->left_out, (unsigned long long)rep->totals,
                        c->o->source, (long long)c->res->removed);
    return inv_fail(e, INV_EINPUT,
                    "%s: the file kept no row (data rows: %llu, left out by --where: %llu, "
                    "'Total' rows skipped: %llu), so --sync would withdraw %lld of the items "
                    "in scope; check the file and --where; to withdraw every item, stage each "
                    "with 'scopereg remove ID --reason TEXT'",
                    c->o->path, (unsigned long long)rep->rows, (unsigned long long)rep->left_out,
                    (unsigned long long)rep->totals, (long long)c->res->removed);
}

/* The sources of the ids of the file: --source NAME joins them, and an
 * import (named or not) speaks for them instead of a hand addition. */
static int record_sources(import_ctx *c, inv_err *e)
{
    /* direct: a correlated EXISTS (item's id index), not IN (SELECT id FROM
     * item), which SQLite would first copy whole into a temporary index */
    int rc = inv__exec(c->r, c->direct ? "DELETE FROM item_source WHERE source = '"
                                         HAND_SOURCE "' AND EXISTS (SELECT 1 FROM item i"
                                         " WHERE i.id = item_source.id)"
                                       : "DELETE FROM item_source WHERE source = '"
                                         HAND_SOURCE "' AND id IN (SELECT id FROM"
                                         " temp.import_seen)", e);
    if (rc || !c->o->source)
        return rc;
    sqlite3_stmt *st = NULL;
    if ((rc = inv__prepare(c->r, &st, c->direct ? "INSERT OR IGNORE INTO item_source(id,"
                                                  " source) SELECT id, ?1 FROM item"
                                                : "INSERT OR IGNORE INTO item_source(id,"
                                                  " source) SELECT id, ?1 FROM"
                                                  " temp.import_seen", e)))
        return rc;
    sqlite3_bind_text(st, 1, c->o->source, -1, SQLITE_STATIC);
    rc = step_done(c->r, st, "import --source", e);
    sqlite3_finalize(st);
    return rc;
}

/* SQL function attr(ATTRS, KEY): the value of an attribute in the stored
 * encoding, or NULL. */
static void sql_attr(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
    (void)argc;
    const char *a = (const char *)sqlite3_value_blob(argv[0]);
    int n = sqlite3_value_bytes(argv[0]);
    const char *key = (const char *)sqlite3_value_text(argv[1]);
    if (!a || !key)
        return;
    size_t kl = strlen(key);
    const char *p = a, *end = a + n;
    while (p < end) {
        const char *ks = memchr(p, INV_KEY_SEP, (size_t)(end - p));
        const char *vs = ks ? memchr(ks + 1, INV_ATTR_SEP, (size_t)(end - ks - 1)) : NULL;
        if (!vs)
            return;
        if ((size_t)(ks - p) == kl && !memcmp(p, key, kl)) {
            sqlite3_result_text(ctx, ks + 1, (int)(vs - ks - 1), SQLITE_TRANSIENT);
            return;
        }
        p = vs + 1;
    }
}

/* csvread's key_used: whether an item in scope holds attribute key (a full
 * scan, asked only for a header earlier releases read otherwise). */
static int key_in_scope(void *ctx, const char *key, inv_err *e)
{
    import_ctx *c = ctx;
    sqlite3_stmt *st = NULL;
    if (inv__prepare(c->r, &st,
                     "SELECT EXISTS (SELECT 1 FROM item WHERE until IS NULL AND op <> 'R'"
                     " AND scopereg_attr(attrs, ?1) IS NOT NULL)",
                     e))
        return -1;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int used = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
    if (used < 0)
        inv__sqlerr(c->r, e, "import");
    sqlite3_finalize(st);
    return used;
}

/* "FILE:LINE" when id is a row of this file, else where the register has
 * it ("in the register, from glpi"). */
static void where_is(import_ctx *c, const char *id, inv_buf *out)
{
    sqlite3_stmt *st = NULL;
    const char *base = c->o->path;
    out->len = 0;
    inv_buf_add(out, "", 0);
    if (sqlite3_prepare_v2(c->r->db, c->direct ? "SELECT rev FROM item WHERE id = ?1"
                                               : "SELECT line FROM temp.import_seen WHERE id = ?1",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            inv_buf_printf(out, "%s:%lld", base, (long long)sqlite3_column_int64(st, 0));
            sqlite3_finalize(st);
            return;
        }
    }
    sqlite3_finalize(st);
    st = NULL;
    inv_buf_puts(out, "in the register");
    if (sqlite3_prepare_v2(c->r->db, "SELECT group_concat(source, ', ') FROM item_source"
                                     " WHERE id = ?1", -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
            const char *src = (const char *)sqlite3_column_text(st, 0);
            inv_buf_printf(out, ", from %s", !strcmp(src, HAND_SOURCE) ? "added by hand" : src);
        }
    }
    sqlite3_finalize(st);
}

/* Whether id is a row of the file that this import changes (added or
 * modified): a duplicate allowed once is not refused again when the file
 * repeats it unchanged. */
static int seen_line(import_ctx *c, const char *id)
{
    sqlite3_stmt *st = NULL;
    int yes = 0;
    if (sqlite3_prepare_v2(c->r->db, c->direct ? "SELECT 1 FROM item WHERE id = ?1"
                           : c->mixed ? "SELECT 1 FROM item WHERE id = ?1 UNION ALL"
                                        " SELECT 1 FROM stage WHERE id = ?1 AND op <> 'R'"
                                      : "SELECT 1 FROM temp.import_seen s JOIN stage g"
                                        " ON g.id = s.id WHERE s.id = ?1 AND g.op <> 'R'",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        yes = sqlite3_step(st) == SQLITE_ROW;
    }
    sqlite3_finalize(st);
    return yes;
}

/* A group of the duplicate checks that names an id of the file: its
 * message, and the smallest id of the group, which orders the messages. */
typedef struct dup_msg {
    char *first; /* smallest id of the group */
    char *msg;
} dup_msg;

/* Keeps msg among the cap messages whose groups have the smallest first
 * ids (kept sorted); takes first and msg, frees what it drops. */
static void dup_keep(dup_msg *kept, size_t *n, size_t cap, char *first, char *msg)
{
    size_t at = *n;
    while (first && at > 0 && strcmp(kept[at - 1].first, first) > 0)
        at--;
    if (at >= cap || !first || !msg) {
        free(first);
        free(msg);
        return;
    }
    if (*n == cap) {
        free(kept[cap - 1].first);
        free(kept[cap - 1].msg);
        (*n)--;
    }
    memmove(kept + at + 1, kept + at, (*n - at) * sizeof *kept);
    kept[at].first = first;
    kept[at].msg = msg;
    (*n)++;
}

/* One group of equal keys (ids in id order, at most 64 of them): its
 * message when one of its ids is a row of the file, else NULL. */
static char *dup_group(import_ctx *c, int pass, const char *key, char **v, size_t nv,
                       inv_buf *a, inv_buf *b, inv_buf *msg)
{
    for (size_t i = 0; i < nv; i++) {
        if (!seen_line(c, v[i]))
            continue;
        size_t j = i == 0 ? 1 : 0;
        where_is(c, v[i], a);
        where_is(c, v[j], b);
        msg->len = 0;
        if (pass == 0)
            inv_buf_printf(msg, "%s: id '%s': serial number '%s' is also the serial "
                           "number of '%s' (%s); keep one item, or import with "
                           "--allow-duplicates if both are right",
                           a->data, v[i], key, v[j], b->data);
        else
            inv_buf_printf(msg, "%s: id '%s' differs from '%s' (%s) only by case; "
                           "spell both the same, or import with --allow-duplicates "
                           "if they are two items",
                           a->data, v[i], v[j], b->data);
        return msg->data ? inv__strdup(msg->data) : NULL;
    }
    return NULL;
}

#define DUP_KEPT 20

/* Serial numbers carried by two items, and ids equal but for case, among
 * the items the import leaves in scope, where one of them is a row of the
 * file: each group becomes an error of the report, the groups in the order
 * of their smallest id. One sort per key: the rows come ordered by key,
 * then id, and a group is a run of equal keys. */
static int check_duplicates(import_ctx *c, inv_csv_report *rep, inv_err *e)
{
    static const char staged[] =
        "WITH eff(id, attrs) AS (SELECT id, attrs FROM stage WHERE op <> 'R'"
        " UNION ALL SELECT i.id, i.attrs FROM item i WHERE i.until IS NULL AND i.op <> 'R'"
        "  AND NOT EXISTS (SELECT 1 FROM stage s WHERE s.id = i.id)) ";
    /* a direct import: the item rows are the file's */
    const char *eff = c->direct ? "WITH eff(id, attrs) AS (SELECT id, attrs FROM item) " : staged;
    char sql[1024];
    sqlite3_stmt *st = NULL;
    inv_buf a = {0}, b = {0}, msg = {0}, key = {0}, ids = {0};
    dup_msg kept[DUP_KEPT];
    int rc = INV_OK;
    for (int pass = 0; pass < 2 && !rc; pass++) {
        size_t nkept = 0, cap = rep->nkept < DUP_KEPT ? DUP_KEPT - rep->nkept : 0;
        uint64_t found = 0;
        if (pass == 0 && !c->has_serial)
            continue;
        if (cap == 0 && rep->nerrors == 0)
            cap = 1; /* the first message is the command's */
        if (pass == 0)
            snprintf(sql, sizeof sql, "%s SELECT k, id FROM (SELECT scopereg_attr(attrs,"
                     " 'serial') AS k, id FROM eff) WHERE k IS NOT NULL ORDER BY k, id", eff);
        else
            snprintf(sql, sizeof sql, "%s SELECT lower(id) AS k, id FROM eff ORDER BY k, id",
                     eff);
        if ((rc = inv__prepare(c->r, &st, sql, e)))
            break;
        /* the current group: its key, and its ids NUL-separated in ids */
        size_t off[64], nv = 0;
        int s, have = 0;
        for (;;) {
            s = sqlite3_step(st);
            const char *k = NULL, *id = NULL;
            size_t kl = 0;
            if (s == SQLITE_ROW) {
                k = (const char *)sqlite3_column_text(st, 0);
                kl = (size_t)sqlite3_column_bytes(st, 0);
                id = (const char *)sqlite3_column_text(st, 1);
                if (!k || !id) {
                    rc = inv_fail(e, INV_EIO, "out of memory");
                    break;
                }
                if (have && kl == key.len && !memcmp(k, key.data, kl)) {
                    if (nv < 64) {
                        off[nv++] = ids.len;
                        if (inv_buf_add(&ids, id, strlen(id) + 1)) {
                            rc = inv_fail(e, INV_EIO, "out of memory");
                            break;
                        }
                    }
                    continue;
                }
            }
            /* a group ends */
            if (have && nv > 1) {
                char *v[64];
                for (size_t i = 0; i < nv; i++)
                    v[i] = ids.data + off[i];
                char *m = dup_group(c, pass, key.data, v, nv, &a, &b, &msg);
                if (m) {
                    found++;
                    dup_keep(kept, &nkept, cap, inv__strdup(v[0]), m);
                }
            }
            if (s != SQLITE_ROW)
                break;
            key.len = ids.len = 0;
            nv = 0;
            have = 1;
            if (inv_buf_add(&key, k, kl) || inv_buf_add(&key, "", 1) ||
                inv_buf_add(&ids, id, strlen(id) + 1)) {
                rc = inv_fail(e, INV_EIO, "out of memory");
                break;
            }
            key.len = kl;
            off[nv++] = 0;
        }
        if (!rc && s != SQLITE_DONE)
            rc = inv__sqlerr(c->r, e, "import: duplicates");
        sqlite3_finalize(st);
        st = NULL;
        /* the groups' messages, in the order of their smallest ids */
        for (size_t i = 0; i < nkept; i++) {
            if (rep->nerrors == 0)
                inv_fail(e, INV_EINPUT, "%s", kept[i].msg);
            if (rep->nkept < DUP_KEPT) {
                char **errs = realloc(rep->errors, (rep->nkept + 1) * sizeof *errs);
                if (errs) {
                    rep->errors = errs;
                    rep->errors[rep->nkept++] = kept[i].msg;
                    kept[i].msg = NULL;
                }
            }
            rep->nerrors++;
            found--;
            free(kept[i].first);
            free(kept[i].msg);
        }
        rep->nerrors += found;
    }
    inv_buf_free(&a);
    inv_buf_free(&b);
    inv_buf_free(&msg);
    inv_buf_free(&key);
    inv_buf_free(&ids);
    if (!rc && rep->nerrors) {
        if (rep->nerrors > 1) {
            char first[sizeof e->msg];
            snprintf(first, sizeof first, "%s", e->msg);
            inv_fail(e, INV_EINPUT, "%.1900s (and %llu more errors)", first,
                     (unsigned long long)(rep->nerrors - 1));
        }
        rc = INV_EINPUT;
    }
    return rc;
}

/* ---- profiles ---- */

static int profile_save(import_ctx *c, inv_err *e)
{
    const inv_import_opts *o = c->o;
    inv_buf b = {0};
    sqlite3_stmt *st = NULL;
    inv_buf_add(&b, "", 0);
    for (size_t i = 0; i < o->nprofile_args; i++) {
        for (const unsigned char *p = (const unsigned char *)o->profile_args[i]; *p; p++)
            if (*p < 0x20) {
                inv_buf_free(&b);
                return inv_fail(e, INV_EINPUT, "--save-profile %s: option '%s' holds a control "
                                "character, which a profile cannot keep", o->save_profile,
                                o->profile_args[i]);
            }
        if (i)
            inv_buf_add(&b, "\x1f", 1);
        inv_buf_puts(&b, o->profile_args[i]);
    }
    if (!b.data)
        return inv_fail(e, INV_EIO, "out of memory");
    int rc = inv__prepare(c->r, &st, "INSERT OR REPLACE INTO import_profile(name, options)"
                                     " VALUES (?1, ?2)", e);
    if (!rc) {
        sqlite3_bind_text(st, 1, o->save_profile, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, b.data, (int)b.len, SQLITE_STATIC);
        rc = step_done(c->r, st, "import --save-profile", e);
    }
    sqlite3_finalize(st);
    inv_buf_free(&b);
    if (!rc)
        c->res->profile_saved = 1;
    return rc;
}

void inv_strv_free(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

int inv_import_profiles(inv_register *r, inv_profile_fn fn, void *ctx, inv_err *e)
{
    if (!have_schema(r))
        return INV_OK;
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st, "SELECT name, options FROM import_profile ORDER BY name", e);
    inv_buf b = {0};
    while (!rc && sqlite3_step(st) == SQLITE_ROW) {
        const char *opts = (const char *)sqlite3_column_text(st, 1);
        b.len = 0;
        inv_buf_add(&b, "", 0);
        /* shown as a command line: --opt 'value' */
        for (const char *p = opts; *p;) {
            const char *q = strchr(p, '\x1f');
            size_t n = q ? (size_t)(q - p) : strlen(p);
            int is_opt = n > 2 && p[0] == '-' && p[1] == '-';
            if (b.len)
                inv_buf_add(&b, " ", 1);
            if (is_opt) {
                inv_buf_add(&b, p, n);
            } else {
                inv_buf_add(&b, "'", 1);
                for (size_t k = 0; k < n; k++)
                    p[k] == '\'' ? inv_buf_puts(&b, "'\\''") : inv_buf_add(&b, p + k, 1);
                inv_buf_add(&b, "'", 1);
            }
            p += n + (q ? 1 : 0);
        }
        if (!b.data) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        if ((rc = fn(ctx, (const char *)sqlite3_column_text(st, 0), b.data)))
            break;
    }
    sqlite3_finalize(st);
    inv_buf_free(&b);
    return rc;
}

int inv_import_profile_get(inv_register *r, const char *name, char ***args, size_t *nargs,
                           inv_err *e)
{
    *args = NULL;
    *nargs = 0;
    sqlite3_stmt *st = NULL;
    int rc = INV_OK, found = 0;
    if (have_schema(r) &&
        !(rc = inv__prepare(r, &st, "SELECT options FROM import_profile WHERE name = ?1", e))) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW) {
            const char *opts = (const char *)sqlite3_column_text(st, 0);
            size_t n = *opts ? 1 : 0;
            for (const char *p = opts; *p; p++)
                n += *p == '\x1f';
            char **v = calloc(n + 1, sizeof *v);
            found = 1;
            if (!v) {
                rc = inv_fail(e, INV_EIO, "out of memory");
            } else {
                const char *p = opts;
                for (size_t i = 0; i < n; i++) {
                    const char *q = strchr(p, '\x1f');
                    size_t l = q ? (size_t)(q - p) : strlen(p);
                    if (!(v[i] = malloc(l + 1))) {
                        inv_strv_free(v, i);
                        sqlite3_finalize(st);
                        return inv_fail(e, INV_EIO, "out of memory");
                    }
                    memcpy(v[i], p, l);
                    v[i][l] = '\0';
                    p += l + (q ? 1 : 0);
                }
                *args = v;
                *nargs = n;
            }
        }
        sqlite3_finalize(st);
    }
    if (rc || found)
        return rc;
    inv_buf names = {0};
    inv_buf_add(&names, "", 0);
    if (have_schema(r) &&
        inv__prepare(r, &st, "SELECT group_concat(name, ', ') FROM import_profile", e) == INV_OK) {
        if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
            inv_buf_puts(&names, (const char *)sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
    }
    rc = inv_fail(e, INV_EINPUT, "no import profile '%s'; %s%s", name,
                  names.len ? "the register has: " : "the register has none yet: save one with "
                  "import FILE ... --save-profile NAME", names.len ? names.data : "");
    inv_buf_free(&names);
    return rc;
}

int inv_item_source_hand(inv_register *r, const char *id, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__tx_begin(r, e);
    if (rc)
        return rc;
    if (!(rc = import_schema(r, e)) &&
        !(rc = inv__prepare(r, &st, "DELETE FROM item_source WHERE id = ?1", e))) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        rc = step_done(r, st, "add", e);
        sqlite3_finalize(st);
        st = NULL;
    }
    if (!rc && !(rc = inv__prepare(r, &st, "INSERT INTO item_source(id, source) VALUES (?1, '"
                                           HAND_SOURCE "')", e))) {
        sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
        rc = step_done(r, st, "add", e);
        sqlite3_finalize(st);
    }
    int rc2 = inv__tx_end(r, rc == INV_OK, e);
    return rc ? rc : rc2;
}

char *inv_item_sources(inv_register *r, const char *id)
{
    sqlite3_stmt *st = NULL;
    char *out = NULL;
    if (!have_schema(r))
        return inv__strdup("");
    if (sqlite3_prepare_v2(r->db, "SELECT group_concat(source, ', ') FROM item_source"
                                  " WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
        return inv__strdup("");
    sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL) {
        const char *s = (const char *)sqlite3_column_text(st, 0);
        out = inv__strdup(!strcmp(s, HAND_SOURCE) ? "added by hand" : s);
    } else {
        out = inv__strdup("");
    }
    sqlite3_finalize(st);
    return out;
}

/* ---- spelling ---- */

static int same_spelling(const char *a, const char *b)
{
    char fa[512], fb[512];
    if (!a || !b)
        return 0;
    if (strlen(a) >= sizeof fa - 8 || strlen(b) >= sizeof fb - 8)
        return 0;
    inv_csv_header_norm(a, fa, sizeof fa);
    inv_csv_header_norm(b, fb, sizeof fb);
    return fa[0] && !strcmp(fa, fb);
}

int inv_change_spelling_only(const inv_change *c)
{
    const inv_item *a = c->before, *b = c->after;
    int differs = 0;
    if (c->op != INV_OP_EDIT || !a || !b)
        return 0;
    if (strcmp(a->kind ? a->kind : "", b->kind ? b->kind : ""))
        return 0;
    if (strcmp(a->name ? a->name : "", b->name ? b->name : "")) {
        if (!same_spelling(a->name, b->name))
            return 0;
        differs = 1;
    }
    if (a->nattrs != b->nattrs)
        return 0;
    for (size_t i = 0; i < a->nattrs; i++) {
        if (strcmp(a->attrs[i].key, b->attrs[i].key))
            return 0;
        if (strcmp(a->attrs[i].value, b->attrs[i].value)) {
            if (!same_spelling(a->attrs[i].value, b->attrs[i].value))
                return 0;
            differs = 1;
        }
    }
    return differs;
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
    return inv_buf_take(&b);
}

/* What the reader skipped, for people: title rows, totals, --where. */
static void import_notes(import_ctx *c, const inv_csv_report *rep)
{
    long first = rep->sep_line ? 2 : 1;
    if (rep->header_line == first + 1)
        inv_buf_printf(&c->notes, INV_("header on line %ld: line %ld above it skipped (title or "
                                       "blank)\n"), rep->header_line, first);
    else if (rep->header_line > first)
        inv_buf_printf(&c->notes, INV_("header on line %ld: lines %ld-%ld above it skipped (title "
                                       "or blank)\n"),
                       rep->header_line, first, rep->header_line - 1);
    if (rep->totals) {
        unsigned long n = (unsigned long)rep->totals;
        inv_buf_printf(&c->notes, INV_NG("skipped %llu total row (line", "skipped %llu total rows (lines",
                                         n),
                       (unsigned long long)rep->totals);
        for (uint64_t i = 0; i < rep->totals && i < INV_CSV_TOTALS_KEPT; i++)
            inv_buf_printf(&c->notes, "%s%ld", i ? ", " : " ", rep->total_lines[i]);
        inv_buf_printf(&c->notes, INV_("%s): not items\n"),
                       rep->totals > INV_CSV_TOTALS_KEPT ? ", ..." : "");
    }
    if (rep->kept_keys)
        inv_buf_printf(&c->notes,
                       INV_("column '%s' keeps the attribute key '%s' that the items have "
                            "(this release reads the header as %s; --map '%s=%s' uses that "
                            "instead)\n"),
                       rep->kept_header, rep->kept_key, rep->kept_field, rep->kept_header,
                       rep->kept_field);
    if (rep->kept_keys > 1)
        inv_buf_printf(&c->notes,
                       INV_NG("%zu more column keeps the attribute key that the items have\n",
                              "%zu more columns keep the attribute keys that the items have\n",
                              (unsigned long)(rep->kept_keys - 1)),
                       rep->kept_keys - 1);
    if (rep->unguarded)
        inv_buf_printf(&c->notes,
                       INV_NG("dropped the apostrophe that guards a cell against formulas ('=, "
                              "'+, '-, '@) in %llu row (line %ld)\n",
                              "dropped the apostrophe that guards a cell against formulas ('=, "
                              "'+, '-, '@) in %llu rows (first on line %ld)\n",
                              (unsigned long)rep->unguarded),
                       (unsigned long long)rep->unguarded, rep->unguarded_line);
    if (rep->left_out)
        inv_buf_printf(&c->notes, INV_NG("left out by --where: %llu row\n",
                                         "left out by --where: %llu rows\n",
                                         (unsigned long)rep->left_out),
                       (unsigned long long)rep->left_out);
}

/* What import --commit commits: NULL message for a plain import. */
typedef struct import_commit {
    const char *message, *author;
    int64_t now;
    int64_t number; /* the version committed */
} import_commit;

/* What an import that commits finds staged before it (*before: item
 * changes, term changes, key replacements, all committed with it), and
 * whether it can write the item rows of version 1 directly (*direct: no
 * version, no item row, nothing staged). */
static int staged_state(inv_register *r, int *direct, int64_t *before, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int64_t latest = 0, rekeyed = 0;
    int rc;
    *direct = 0;
    *before = 0;
    if ((rc = inv_latest(r, &latest, e)) || (rc = inv__rekey_count(r, &rekeyed, e)))
        return rc;
    if ((rc = inv__prepare(r, &st,
                           inv__has_cov(r)
                               ? "SELECT (SELECT count(*) FROM stage) + (SELECT count(*)"
                                 " FROM stage_term), EXISTS (SELECT 1 FROM item)"
                               : "SELECT (SELECT count(*) FROM stage), EXISTS (SELECT 1 FROM"
                                 " item)",
                           e)))
        return rc;
    if (sqlite3_step(st) == SQLITE_ROW) {
        *before = sqlite3_column_int64(st, 0) + rekeyed;
        *direct = latest == 0 && *before == 0 && !sqlite3_column_int(st, 1);
    } else {
        rc = inv__sqlerr(r, e, "import");
    }
    sqlite3_finalize(st);
    return rc;
}

/* Records version 1 over the item rows a direct import wrote (and, mixed,
 * the rows it staged, written first in id order), as commit does: the
 * items(1) check, the document hash, the item count, the version row. */
static int commit_direct(import_ctx *c, import_commit *cm, inv_err *e)
{
    inv_register *r = c->r;
    inv_version v = {0};
    inv__render_stats stats = {.split = 1}; /* as commit's (commit.c) */
    inv_err sub;
    int rc;
    if (c->res->added == 0)
        return inv_fail(e, INV_EINPUT, "nothing to commit (stage changes with add, edit, "
                                       "remove, import or rekey)");
    /* mixed: the rows staged once the file's ids came out of order,
     * after those written directly */
    if (c->mixed && ((rc = inv__commit_staged_rows(r, 1, e)) ||
                     (rc = inv__exec(r, "DELETE FROM stage", e))))
        return rc;
    v.number = 1;
    v.date = cm->now;
    v.author = (char *)cm->author;
    v.message = (char *)cm->message;
    v.item_count = c->res->added;
    /* a version committed by this release is a scope-register/2 document
     * (terms staged first take the commit path, can_go_direct) */
    if ((rc = inv__format2_start(r, v.number, e)))
        return rc;
    if ((rc = inv_version_check(r, v.number, &sub)))
        return inv_fail(e, rc, "refusing to commit: %s", sub.msg);
    if ((rc = inv__hash_version(r, &v, v.doc_hash, &stats, e)))
        return rc;
    if (stats.items != v.item_count)
        return inv_fail(e, INV_FAIL, "refusing to commit: version 1 would list %lld items "
                        "but the import wrote %lld; the register was changed outside "
                        "scopereg (run 'scopereg verify')",
                        (long long)stats.items, (long long)v.item_count);
    rc = inv__version_insert(r, &v, cm->now, cm->author, cm->message, "none", e);
    if (!rc)
        cm->number = v.number;
    return rc;
}

static int import_run(inv_register *r, const inv_import_opts *o, inv_change_fn fn, void *ctx,
                      import_commit *cm, inv_import_result *res, inv_err *e)
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
    co.map_kinds = o->map_kinds;
    co.nmap_kinds = o->nmap_kinds;
    co.fill_down = o->fill_down;
    co.nfill_down = o->nfill_down;
    co.wheres = o->wheres;
    co.nwheres = o->nwheres;
    co.header_row = o->header_row;
    if (o->default_kind) {
        co.default_kind = inv_kind_canonical(o->default_kind);
        if (!co.default_kind) {
            const char *near = inv_kind_suggest(o->default_kind);
            return inv_fail(e, INV_EINPUT, "--kind: unknown kind '%s'%s%s%s; %s",
                            o->default_kind, near ? INV_(" (did you mean '") : "", near ? near : "",
                            near ? "'?)" : "", inv_kind_help());
        }
    }
    if (o->source && !name_ok(o->source))
        return inv_fail(e, INV_EINPUT, "--source '%s': a source name is 1 to 64 of A-Z a-z 0-9 "
                        ". _ - (e.g. --source glpi)", o->source);
    if (o->save_profile && !name_ok(o->save_profile))
        return inv_fail(e, INV_EINPUT, "--save-profile '%s': a profile name is 1 to 64 of A-Z "
                        "a-z 0-9 . _ - (e.g. --save-profile glpi-monthly)", o->save_profile);
    if (o->header_row < 0)
        return inv_fail(e, INV_EINPUT, "--header-row %ld: a line number starts at 1",
                        o->header_row);
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
    if ((rc = import_schema(r, e)) ||
        (sqlite3_create_function(r->db, "scopereg_attr", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                 NULL, sql_attr, NULL, NULL) != SQLITE_OK &&
         (rc = inv__sqlerr(r, e, "import"))) ||
        (o->sync && !o->source && (rc = plain_sync_check(&c, e))))
        goto out;
    if (cm && !o->dry_run && (rc = staged_state(r, &c.direct, &res->staged_before, e)))
        goto out;
    if (c.direct)
        rc = inv__prepare(r, &c.item_put,
                          "INSERT INTO item(rev, id, since, until, op, kind, name, attrs,"
                          " reason, digest) VALUES (?1, ?2, 1, NULL, 'A', ?3, ?4, ?5, NULL, ?6)",
                          e) ||
                     inv__prepare(r, &c.item_get, "SELECT rev FROM item WHERE id = ?1", e)
                 ? INV_EIO
                 : INV_OK;
    else
        rc = seen_table(&c, e);
    if (rc)
        goto out;
    co.seen = seen_id;
    co.seen_ctx = &c;
    co.key_used = key_in_scope;
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
    if (!res->columns && !rc)
        rc = inv_fail(e, INV_EIO, "out of memory");
    res->header_line = rep.header_line;
    res->left_out = (int64_t)rep.left_out;
    res->totals = (int64_t)rep.totals;
    if (!rc && !c.attr_cols && (rc = learn_columns(&c, e))) /* a file with no row */
        goto out;
    if (!rc && (rc = record_sources(&c, e)))
        goto out;
    /* into an empty register (direct, mixed) nothing is in scope to remove */
    if (!rc && o->sync && !c.direct && !c.mixed && (rc = sync_removals(&c, e)))
        goto out;
    if (!rc && o->sync && (rc = sync_empty_check(&c, &rep, e)))
        goto out;
    if (!rc && !o->allow_duplicates && rc == INV_OK)
        rc = check_duplicates(&c, &rep, e);
    res->nerrors = (int64_t)rep.nerrors;
    if (rep.nerrors)
        res->errors = inv_csv_report_text(&rep);
    import_notes(&c, &rep);
    res->notes = c.notes.data;
    c.notes.data = NULL;
    if (rc)
        goto out;
    if (o->save_profile && !o->dry_run && (rc = profile_save(&c, e)))
        goto out;
    if (fn)
        rc = inv_stage_walk(r, fn, ctx, e);
    if (!rc && cm && !o->dry_run)
        rc = c.direct || c.mixed
                 ? commit_direct(&c, cm, e)
                 : inv_commit(r, cm->message, cm->author, cm->now, &cm->number, e);
out:
    sqlite3_finalize(c.seen_put);
    sqlite3_finalize(c.seen_get);
    sqlite3_finalize(c.item_put);
    sqlite3_finalize(c.item_get);
    inv_buf_free(&c.attrs);
    inv_buf_free(&c.last_id);
    inv_buf_free(&c.svc_ok);
    inv_buf_free(&c.sla_ok);
    free(c.pending);
    {
        int rc2 = inv_end(r, rc == INV_OK && !o->dry_run, e);
        if (!rc)
            rc = rc2;
    }
    inv_item_free(&c.cur);
    inv_item_free(&c.merged);
    free(c.attr_cols);
    inv_buf_free(&c.notes);
    inv_csv_report_free(&rep);
    return rc;
}

int inv_import(inv_register *r, const inv_import_opts *o, inv_change_fn fn, void *ctx,
               inv_import_result *res, inv_err *e)
{
    return import_run(r, o, fn, ctx, NULL, res, e);
}

int inv_import_commit(inv_register *r, const inv_import_opts *o, const char *message,
                      const char *author, int64_t now, inv_import_result *res,
                      int64_t *number, inv_err *e)
{
    import_commit cm = {message, author, now, 0};
    int rc;
    memset(res, 0, sizeof *res);
    *number = 0;
    if (o->dry_run)
        return inv_fail(e, INV_EINPUT, "import --commit --dry-run: a dry run commits nothing; "
                        "drop --commit to see what would be staged");
    /* the checks of commit, before anything is read */
    if ((rc = inv__commit_args_check(message, author, e)))
        return rc;
    rc = import_run(r, o, NULL, NULL, &cm, res, e);
    if (!rc)
        *number = cm.number;
    return rc;
}
