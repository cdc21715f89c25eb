/*
 * commit.c - committing the staged changes (and staged key replacements)
 * as a new version: its rows, its document hash, its chain link.
 */
#include <stdlib.h>
#include <string.h>

#include "work_int.h"

/* First staged id that contradicts the committed state, for a message. */
static int stage_conflict(inv_register *r, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st,
                          "SELECT s.id, s.op FROM stage s LEFT JOIN item i ON i.id = s.id"
                          " AND i.until IS NULL AND i.op <> 'R'"
                          " WHERE (s.op = 'A') = (i.id IS NOT NULL) ORDER BY s.id LIMIT 1",
                          e);
    if (rc)
        return rc;
    int s = sqlite3_step(st);
    const unsigned char *id = s == SQLITE_ROW ? sqlite3_column_text(st, 0) : NULL;
    const unsigned char *op = s == SQLITE_ROW ? sqlite3_column_text(st, 1) : NULL;
    if (s == SQLITE_ROW && id && op)
        rc = inv_fail(e, INV_EINPUT, "staged %s of item '%s' no longer applies; run "
                      "'scopereg reset %s'", op[0] == 'A' ? "addition" : "change", id, id);
    else if (s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read stage");
    sqlite3_finalize(st);
    return rc;
}

/* ---- the staged rows, checked again at commit ---- */

/* n bytes of s for a message, at most 60: printable ASCII and the
 * characters an id may hold as they are, anything else as \xNN (no
 * terminal control sequence, no invisible character gets through). Sets
 * *plain when nothing had to be escaped or cut. */
static void shown(char *out, size_t outlen, const char *s, size_t n, int *plain)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t o = 0, i = 0;
    *plain = 1;
    while (i < n && i < 60 && o + 16 < outlen) {
        size_t l = u[i] >= 0x80 ? inv_utf8_len(u + i, n - i) : 1;
        char one[8];
        inv_err sub;
        if (l > 1) {
            memcpy(one, s + i, l);
            one[l] = '\0';
        }
        if ((l == 1 && u[i] >= 0x20 && u[i] < 0x7f) ||
            (l > 1 && inv_id_check(one, &sub) == INV_OK)) {
            memcpy(out + o, s + i, l);
            o += l;
            i += l;
            continue;
        }
        *plain = 0;
        l = l ? l : 1;
        for (size_t k = 0; k < l; k++)
            o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", u[i + k]);
        i += l;
    }
    if (i < n) {
        *plain = 0;
        snprintf(out + o, outlen - o, "...");
    } else {
        out[o] = '\0';
    }
}

/* The fault the checks below report when memory ran out: stage_recheck
 * turns it into INV_EIO, never into a stage "written outside scopereg". */
static const char oom_fault[] = "out of memory";

/* The text of column c of st, NULL and a NUL inside it reported as
 * faults of field (into fault, which stays empty when the text holds);
 * oom_fault when SQLite could not convert a value that is not NULL. */
static const char *col_text(sqlite3_stmt *st, int c, const char *field, int may_be_null,
                            char *fault, size_t faultlen)
{
    const char *t = (const char *)sqlite3_column_text(st, c);
    if (!t && sqlite3_column_type(st, c) != SQLITE_NULL) {
        snprintf(fault, faultlen, "%s", oom_fault);
        return "";
    }
    if (!t) {
        if (!may_be_null)
            snprintf(fault, faultlen, "field '%s': missing", field);
        return "";
    }
    if (strlen(t) != (size_t)sqlite3_column_bytes(st, c))
        snprintf(fault, faultlen, "field '%s': a NUL character", field);
    return t;
}

/* Checks the stored attribute block of a staged row as a stored one is
 * checked (values sorted by key, keys valid, values valid). */
static void stage_attrs_fault(sqlite3_stmt *st, int c, inv_buf *key, inv_buf *val,
                              char *fault, size_t faultlen)
{
    const char *p = sqlite3_column_blob(st, c), *prev = NULL;
    size_t len = (size_t)sqlite3_column_bytes(st, c), prev_len = 0;
    inv_err sub;
    if (!p && len > 0) {
        snprintf(fault, faultlen, "%s", oom_fault);
        return;
    }
    for (const char *end = p ? p + len : NULL; p && p < end;) {
        const char *ks = memchr(p, INV_KEY_SEP, (size_t)(end - p));
        const char *vs = ks ? memchr(ks + 1, INV_ATTR_SEP, (size_t)(end - ks - 1)) : NULL;
        if (!vs) {
            snprintf(fault, faultlen, "its attributes are not in the stored encoding");
            return;
        }
        size_t kl = (size_t)(ks - p), vl = (size_t)(vs - ks - 1);
        key->len = val->len = 0;
        if (inv_buf_add(key, p, kl) || inv_buf_add(val, ks + 1, vl)) {
            snprintf(fault, faultlen, "%s", oom_fault);
            return;
        }
        if (strlen(key->data) != kl || strlen(val->data) != vl) {
            snprintf(fault, faultlen, "an attribute holds a NUL character");
            return;
        }
        if (inv_key_check(key->data, &sub) || inv_value_check(key->data, val->data, &sub)) {
            snprintf(fault, faultlen, "%.600s", sub.msg);
            return;
        }
        if (prev) {
            int cmp = memcmp(prev, p, prev_len < kl ? prev_len : kl);
            if (cmp > 0 || (cmp == 0 && prev_len >= kl)) {
                snprintf(fault, faultlen, "attribute '%s' is repeated or out of order",
                         key->data);
                return;
            }
        }
        prev = p;
        prev_len = kl;
        p = vs + 1;
    }
}

/*
 * Checks every staged row again, as add, edit and remove check what they
 * stage: the stage is a table anyone with the sqlite3 shell can write,
 * and what commit writes is signed and never rewritten. An addition's id
 * must be a new id (inv_id_check), an edit's or a removal's id one that
 * was stored (inv_id_check_stored); additions and edits need a canonical
 * kind, a name and attributes that are values; removals a reason that is
 * one. INV_EINPUT naming the item (escaped) and the field, before
 * anything is written. One pass over the stage; a kind is looked up once
 * per spelling.
 */
static int stage_recheck(inv_register *r, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    inv_buf key = {0}, val = {0}, kind_ok = {0};
    int rc = inv__prepare(r, &st,
                          "SELECT id, op, kind, name, attrs, reason FROM stage ORDER BY id", e);
    if (rc)
        return rc;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        char fault[768] = "";
        inv_err sub;
        const char *op = (const char *)sqlite3_column_text(st, 1);
        char o = op ? op[0] : '?';
        const char *id = col_text(st, 0, "id", 0, fault, sizeof fault);
        if (!fault[0] && (o == 'A' ? inv_id_check(id, &sub) : inv_id_check_stored(id, &sub)))
            snprintf(fault, sizeof fault, "field 'id': %.600s", sub.msg);
        if (!fault[0] && o != 'R') {
            const char *kind = col_text(st, 2, "kind", 0, fault, sizeof fault);
            const char *name = col_text(st, 3, "name", 0, fault, sizeof fault);
            if (!fault[0] && !(kind_ok.len && !strcmp(kind_ok.data, kind))) {
                const char *k = inv_kind_canonical(kind);
                if (k && !strcmp(k, kind)) {
                    kind_ok.len = 0;
                    inv_buf_puts(&kind_ok, kind);
                } else {
                    char q[256];
                    int plain;
                    shown(q, sizeof q, kind, strlen(kind), &plain);
                    snprintf(fault, sizeof fault, "field 'kind': '%s' is not a kind; %s", q,
                             inv_kind_help());
                }
            }
            if (!fault[0] && inv_value_check("name", name, &sub))
                snprintf(fault, sizeof fault, "%.600s", sub.msg);
            if (!fault[0])
                stage_attrs_fault(st, 4, &key, &val, fault, sizeof fault);
        } else if (!fault[0]) {
            const char *reason = col_text(st, 5, "reason", 0, fault, sizeof fault);
            if (!fault[0] && !*reason)
                snprintf(fault, sizeof fault, "field 'reason': empty (a removal needs a "
                         "reason)");
            else if (!fault[0] && inv_value_check("reason", reason, &sub))
                snprintf(fault, sizeof fault, "%.600s", sub.msg);
        }
        if (!strcmp(fault, oom_fault)) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        if (fault[0]) {
            char q[256];
            int plain;
            const char *raw = (const char *)sqlite3_column_text(st, 0);
            size_t rawlen = raw ? (size_t)sqlite3_column_bytes(st, 0) : 0;
            shown(q, sizeof q, raw ? raw : "", rawlen, &plain);
            rc = inv_fail(e, INV_EINPUT, "refusing to commit: the staged %s of item '%s' "
                          "does not hold: %s; the stage was written outside scopereg: run "
                          "'scopereg reset%s%s' and stage it again",
                          o == 'A' ? "addition" : o == 'E' ? "change" : "removal", q, fault,
                          plain && rawlen ? " " : "", plain ? q : "");
            break;
        }
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read stage");
    sqlite3_finalize(st);
    inv_buf_free(&key);
    inv_buf_free(&val);
    inv_buf_free(&kind_ok);
    return rc;
}

static int exec_n(inv_register *r, const char *sql, int64_t n, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st, sql, e);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n);
    rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "commit");
    sqlite3_finalize(st);
    return rc;
}

int inv__commit_staged_rows(inv_register *r, int64_t n, inv_err *e)
{
    return exec_n(r,
                  /* with the effective coverage (termcommit.c); a row without
                   * one (NULL: none, inherited) keeps the digest of before */
                  "INSERT INTO item(id, since, until, op, kind, name, attrs, reason,"
                  " svc, sla, own, digest)"
                  " SELECT id, ?1, NULL, iif(op = 'A', 'A', 'M'), kind, name, attrs, NULL,"
                  " svc, sla, own, iif(svc IS NULL AND sla IS NULL AND own IS NULL,"
                  " scopereg_row_digest(id, ?1, iif(op = 'A', 'A', 'M'), kind, name,"
                  " attrs, NULL), scopereg_cov_digest(scopereg_row_digest(id, ?1,"
                  " iif(op = 'A', 'A', 'M'), kind, name, attrs, NULL), svc, sla, own))"
                  " FROM stage WHERE op IN ('A', 'E') ORDER BY id",
                  n, e);
}

/* Refuses item rows that name version n or a later one before it is
 * committed (index item_by_version: no scan). */
static int stray_rows(inv_register *r, int64_t n, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare_n(r, &st,
                            "SELECT id, since FROM item INDEXED BY item_by_version"
                            " WHERE since >= ?1 ORDER BY since, id LIMIT 1",
                            n, e);
    if (rc)
        return rc;
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        rc = inv_fail(e, INV_FAIL, "refusing to commit: a row of item '%s' already names "
                      "version %lld, which is not committed yet; the register was changed "
                      "outside scopereg (run 'scopereg verify')",
                      sqlite3_column_text(st, 0), (long long)sqlite3_column_int64(st, 1));
    else if (s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read items");
    sqlite3_finalize(st);
    return rc;
}

static int hash_sink(void *ctx, const void *data, size_t len)
{
    cr_hash_update(ctx, data, len);
    return 0;
}

int inv__hash_version(inv_register *r, const inv_version *v, char out[CR_HASH_STR_LEN],
                      inv__render_stats *stats, inv_err *e)
{
    cr_hash h;
    unsigned char d[CR_HASH_BYTES];
    cr_hash_init(&h);
    int rc = inv__render_piped(r, v, hash_sink, &h, stats, e);
    if (rc)
        return rc;
    cr_hash_final(&h, d);
    memcpy(out, CR_HASH_PREFIX, sizeof CR_HASH_PREFIX - 1);
    cr_hex(out + sizeof CR_HASH_PREFIX - 1, d, sizeof d);
    return INV_OK;
}

static int do_commit(inv_register *r, const char *message, const char *author, int64_t now,
                     int64_t *number, inv_err *e)
{
    int64_t latest, n, added = 0, modified = 0, removed = 0, rekeyed = 0;
    inv_version prev = {0}, v = {0};
    /* Versions 1..latest and no other: the next number is latest + 1. */
    int rc = inv_versions_contiguous(r, &latest, e);
    if (rc)
        return rc;
    if (latest > 0) {
        if ((rc = inv_version_get(r, latest, &prev, e)))
            return rc;
        if (now < prev.date) {
            char d1[32], d2[32];
            inv_time_format(now, d1, sizeof d1);
            inv_time_format(prev.date, d2, sizeof d2);
            rc = inv_fail(e, INV_EINPUT,
                          "the date of the new version (%s) is before the date of version "
                          "%lld (%s); check the clock or $SCOPEREG_NOW",
                          d1, (long long)latest, d2);
            goto out;
        }
    }
    n = latest + 1;
    /* services, exclusions, classes, kind defaults, and the effective
     * coverage of the staged items (termcommit.c) */
    int64_t nterms = 0;
    if ((rc = inv__terms_commit(r, n, &nterms, e)))
        goto out;
    /* Set-based, so a 10^6-row import commits in a few statements: count
     * the staged changes (one scan), drop edits that change nothing (the
     * attribute encoding is canonical, so equal bytes mean equal items),
     * check, then write the new rows, skipping the statements that have
     * no staged row to work on: each one scans the whole stage. */
    sqlite3_stmt *cnt = NULL;
    if ((rc = inv__prepare(r, &cnt,
                           "SELECT count(*) FILTER (WHERE op = 'A'),"
                           " count(*) FILTER (WHERE op = 'E'), count(*) FILTER (WHERE op = 'R')"
                           " FROM stage",
                           e)))
        goto out;
    if (sqlite3_step(cnt) != SQLITE_ROW) {
        rc = inv__sqlerr(r, e, "count");
    } else {
        added = sqlite3_column_int64(cnt, 0);
        modified = sqlite3_column_int64(cnt, 1);
        removed = sqlite3_column_int64(cnt, 2);
    }
    sqlite3_finalize(cnt);
    if (rc || (rc = stage_recheck(r, e)))
        goto out;
    if (modified > 0) {
        if ((rc = inv__exec(r,
                            "DELETE FROM stage WHERE op = 'E' AND EXISTS (SELECT 1 FROM item i"
                            " WHERE i.id = stage.id AND i.until IS NULL AND i.op <> 'R'"
                            " AND i.kind = stage.kind AND i.name = stage.name"
                            " AND i.attrs = stage.attrs"
                            " AND coalesce(i.svc, 'none') = coalesce(stage.svc, 'none')"
                            " AND coalesce(i.sla, 'none') = coalesce(stage.sla, 'none')"
                            " AND coalesce(i.own, 0) = coalesce(stage.own, 0))",
                            e)))
            goto out;
        modified -= sqlite3_changes(r->db);
    }
    if ((rc = stage_conflict(r, e)) || (rc = inv__rekey_count(r, &rekeyed, e)))
        goto out;
    if (added + modified + removed + rekeyed + nterms == 0) {
        rc = inv_fail(e, INV_EINPUT, "nothing to commit (stage changes with add, edit, "
                                     "remove, import, rekey, service, exclusion, sla or "
                                     "coverage)");
        goto out;
    }
    /* Rows of a version not committed yet were written behind the tool's
     * back: this commit would adopt them. */
    if ((rc = stray_rows(r, n, e)))
        goto out;
    if ((removed > 0 &&
         (rc = exec_n(r,
                      "INSERT INTO item(id, since, until, op, kind, name, attrs, reason, digest)"
                      " SELECT i.id, ?1, ?1, 'R', i.kind, i.name, i.attrs, s.reason,"
                      " scopereg_row_digest(i.id, ?1, 'R', i.kind, i.name, i.attrs, s.reason)"
                      " FROM stage s JOIN item i ON i.id = s.id AND i.until IS NULL"
                      " AND i.op <> 'R' WHERE s.op = 'R'",
                      n, e))) ||
        (modified + removed > 0 &&
         (rc = exec_n(r,
                      "UPDATE item SET until = ?1 WHERE until IS NULL AND op <> 'R'"
                      " AND id IN (SELECT id FROM stage WHERE op IN ('E', 'R'))",
                      n, e))) ||
        (added + modified > 0 && (rc = inv__commit_staged_rows(r, n, e))) ||
        (rc = inv__exec(r, "DELETE FROM stage", e)) || (rc = inv__rekey_commit(r, n, e)) ||
        (rc = inv__format2_start(r, n, e)))
        goto out;

    v.number = n;
    v.date = now;
    v.author = (char *)author;
    v.message = (char *)message;
    v.item_count = prev.item_count + added - removed;
    snprintf(v.prev_hash, sizeof v.prev_hash, "%s", latest ? prev.doc_hash : "");
    /* items(n) = items(n-1) + changes(n), and two keys, before anything
     * is recorded; the rendering refuses an id listed twice and counts the
     * items, which must be the previous count with the changes applied. */
    inv_err sub;
    /* its consumer (the hash) never uses the register: the items section
     * may be read and formatted on two threads */
    inv__render_stats stats = {.split = 1};
    if ((rc = inv_version_check(r, n, &sub))) {
        rc = inv_fail(e, rc, "refusing to commit: %s", sub.msg);
        goto out;
    }
    if (r->commit_digests)
        rc = inv__commit_render(r, &v, &stats.items, e);
    else
        rc = inv__hash_version(r, &v, v.doc_hash, &stats, e);
    if (rc)
        goto out;
    if (stats.items != v.item_count) {
        rc = inv_fail(e, INV_FAIL, "refusing to commit: version %lld would list %lld items "
                      "but version %lld records %lld and the changes make %lld; the register "
                      "was changed outside scopereg (run 'scopereg verify')", (long long)n,
                      (long long)stats.items, (long long)latest, (long long)prev.item_count,
                      (long long)v.item_count);
        goto out;
    }

    rc = inv__version_insert(r, &v, now, author, message, latest ? prev.doc_hash : "none", e);
    if (!rc)
        *number = n;
out:
    inv_version_free(&prev);
    return rc;
}

int inv__version_insert(inv_register *r, const inv_version *v, int64_t now, const char *author,
                        const char *message, const char *previous, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    char date[32];
    inv_time_format(now, date, sizeof date);
    int rc = inv__prepare(r, &st,
                          "INSERT INTO version(number, date, author, message, previous, hash,"
                          " items) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                          e);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, v->number);
    sqlite3_bind_text(st, 2, date, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, author, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, message, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, previous, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, v->doc_hash, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, v->item_count);
    rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "insert version");
    sqlite3_finalize(st);
    if (!rc) {
        r->committed_number = v->number;
        r->committed_items = v->item_count;
        snprintf(r->committed_hash, sizeof r->committed_hash, "%s", v->doc_hash);
    }
    return rc;
}

int inv_last_commit(const inv_register *r, int64_t *number, int64_t *items,
                    char hash[CR_HASH_STR_LEN], inv_err *e)
{
    if (!r->committed_number)
        return inv_fail(e, INV_EINPUT, "nothing was committed through this handle");
    *number = r->committed_number;
    *items = r->committed_items;
    memcpy(hash, r->committed_hash, CR_HASH_STR_LEN);
    return INV_OK;
}

int inv__commit_args_check(const char *message, const char *author, inv_err *e)
{
    int rc;
    if (!message || !*message)
        return inv_fail(e, INV_EINPUT, "empty commit message (-m MESSAGE)");
    if ((rc = inv_value_check("message", message, e)))
        return rc;
    if (!author || !*author)
        return inv_fail(e, INV_EINPUT, "empty author (--author NAME)");
    if (strchr(author, '\n') || strchr(author, '\t'))
        return inv_fail(e, INV_EINPUT, "author: line breaks and tabs are not allowed");
    if ((rc = inv_value_check("author", author, e)))
        return rc;
    return INV_OK;
}

int inv_commit(inv_register *r, const char *message, const char *author, int64_t now,
               int64_t *number, inv_err *e)
{
    int rc;
    if ((rc = inv__commit_args_check(message, author, e)))
        return rc;
    if ((rc = inv__tx_begin(r, e)))
        return rc;
    rc = do_commit(r, message, author, now, number, e);
    int rc2 = inv__tx_end(r, rc == INV_OK, e);
    return rc ? rc : rc2;
}

void inv_commit_with_digests(inv_register *r, int on)
{
    r->commit_digests = on;
}
