/*
 * register.c - the register file: schema, creation, opening, parties and
 * transactions.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store_int.h"

static const char schema_sql[] =
    "PRAGMA application_id = 1396920903;" /* 0x53435247, "SCRG" */
    "PRAGMA user_version = 1;"
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;"
    "CREATE TABLE party(role TEXT PRIMARY KEY CHECK (role IN ('provider','client')),"
    "  name TEXT NOT NULL) WITHOUT ROWID;"
    /* The key of a party in force from version `since` on. */
    "CREATE TABLE party_key(role TEXT NOT NULL, since INTEGER NOT NULL,"
    "  key_id TEXT NOT NULL, public_key TEXT NOT NULL, PRIMARY KEY (role, since))"
    "  WITHOUT ROWID;"
    "CREATE TABLE version(number INTEGER PRIMARY KEY, date TEXT NOT NULL,"
    "  author TEXT NOT NULL, message TEXT NOT NULL, previous TEXT NOT NULL,"
    "  hash TEXT NOT NULL, items INTEGER NOT NULL);"
    /* One row per revision of an item, in scope for versions
     * since <= v < until (until NULL: still in scope). A removal is a row
     * with op 'R' and since = until, carrying the reason.
     * The op checks are spelled with = and OR, not IN (...): SQLite builds
     * a temporary table for an IN list of three values each time it checks
     * a row, which made staging and committing a row several times slower.
     * Registers made with the IN spelling hold the same constraint. */
    "CREATE TABLE item(rev INTEGER PRIMARY KEY, id TEXT NOT NULL,"
    "  since INTEGER NOT NULL, until INTEGER,"
    "  op TEXT NOT NULL CHECK (op = 'A' OR op = 'M' OR op = 'R'),"
    "  kind TEXT NOT NULL, name TEXT NOT NULL, attrs BLOB NOT NULL, reason TEXT,"
    "  digest TEXT NOT NULL);"
    "CREATE INDEX item_by_id ON item(id, since);"
    "CREATE INDEX item_by_version ON item(since, id);"
    "CREATE TABLE stage(id TEXT PRIMARY KEY,"
    "  op TEXT NOT NULL CHECK (op = 'A' OR op = 'E' OR op = 'R'),"
    "  kind TEXT, name TEXT, attrs BLOB, reason TEXT) WITHOUT ROWID;"
    "CREATE TABLE signature(version INTEGER NOT NULL, role TEXT NOT NULL,"
    "  key_id TEXT NOT NULL, signed_at TEXT NOT NULL, minisig TEXT NOT NULL,"
    "  PRIMARY KEY (version, role, key_id)) WITHOUT ROWID;";

/* The tables of the functional scope (docs/DESIGN.md): the revisions of
 * services, exclusions, service-level classes and kind defaults in one
 * table `term` (type: the document's word for it; body: its fields, key
 * 0x1F value 0x1E in document order), their stage, and each item row's
 * coverage (svc: its services, canonical list or "none"; sla: its class
 * or "none"; own: which of the two are its own, bits 1 and 2; all NULL
 * on rows written before coverage, which read as none, inherited). Added
 * to a register made before, inside the first writing transaction (so a
 * command that fails leaves the file as it was). */
static const char cov_schema_sql[] =
    "CREATE TABLE term(rev INTEGER PRIMARY KEY, type TEXT NOT NULL"
    "  CHECK (type = 'service' OR type = 'exclusion' OR type = 'class' OR type = 'default'),"
    "  id TEXT NOT NULL, since INTEGER NOT NULL, until INTEGER,"
    "  op TEXT NOT NULL CHECK (op = 'A' OR op = 'M' OR op = 'R'),"
    "  body BLOB NOT NULL, reason TEXT, digest TEXT NOT NULL);"
    "CREATE INDEX term_by_id ON term(type, id, since);"
    "CREATE INDEX term_by_version ON term(since, type, id);"
    "CREATE TABLE stage_term(type TEXT NOT NULL, id TEXT NOT NULL,"
    "  op TEXT NOT NULL CHECK (op = 'A' OR op = 'E' OR op = 'R'),"
    "  body BLOB, reason TEXT, PRIMARY KEY (type, id)) WITHOUT ROWID;"
    "ALTER TABLE item ADD COLUMN svc TEXT;"
    "ALTER TABLE item ADD COLUMN sla TEXT;"
    "ALTER TABLE item ADD COLUMN own INTEGER;"
    "ALTER TABLE stage ADD COLUMN svc TEXT;"
    "ALTER TABLE stage ADD COLUMN sla TEXT;"
    "ALTER TABLE stage ADD COLUMN own INTEGER;";

/* Whether the register holds the coverage tables (cov_schema_sql): 1 or
 * 0, -1 when the schema cannot be read (never taken for "none"). */
static int has_cov(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int s = SQLITE_ERROR;
    if (sqlite3_prepare_v2(db, "SELECT 1 FROM sqlite_master WHERE type = 'table'"
                               " AND name = 'term'", -1, &st, NULL) == SQLITE_OK)
        s = sqlite3_step(st);
    sqlite3_finalize(st);
    return s == SQLITE_ROW ? 1 : s == SQLITE_DONE ? 0 : -1;
}

/* The first version rendered as scope-register/2 (meta format2-from),
 * 0 when none is; -1 when meta cannot be read. */
static int64_t read_format2_from(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;
    int s = SQLITE_ERROR;
    if (sqlite3_prepare_v2(db, "SELECT value FROM meta WHERE key = 'format2-from'", -1, &st,
                           NULL) == SQLITE_OK)
        s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        char *end;
        long long v = t ? strtoll(t, &end, 10) : 0;
        n = t && *t && !*end && v > 0 ? v : INT64_MAX; /* not a number: no version is /2 */
    } else if (s == SQLITE_DONE) {
        n = 0;
    }
    sqlite3_finalize(st);
    return n;
}

/* Adds the coverage tables inside the open transaction when missing. */
static int cov_ensure(inv_register *r, inv_err *e)
{
    if (!r->writable || r->has_cov)
        return INV_OK;
    if (has_cov(r->db) == 1) {
        r->has_cov = 1;
        return INV_OK;
    }
    int rc = inv__exec(r, cov_schema_sql, e);
    if (!rc)
        r->has_cov = 1;
    return rc;
}

int inv__utf8(inv_register *r)
{
    sqlite3_stmt *st = NULL;
    const char *enc = NULL;
    if (sqlite3_prepare_v2(r->db, "PRAGMA encoding", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        enc = (const char *)sqlite3_column_text(st, 0);
    int yes = enc && !strcmp(enc, "UTF-8");
    sqlite3_finalize(st);
    return yes;
}

int inv__rev_keyed(inv_register *r)
{
    static const char want[] = "CREATE TABLE item(rev INTEGER PRIMARY KEY,";
    sqlite3_stmt *st = NULL;
    const char *ddl = NULL;
    if (sqlite3_prepare_v2(r->db, "SELECT sql FROM sqlite_master WHERE type = 'table'"
                                  " AND name = 'item'", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        ddl = (const char *)sqlite3_column_text(st, 0);
    int yes = ddl && !strncmp(ddl, want, sizeof want - 1);
    sqlite3_finalize(st);
    return yes;
}

int inv__has_cov(const inv_register *r)
{
    return r->has_cov;
}

int inv_format_of(const inv_register *r, int64_t n)
{
    return r->format2_from && n >= r->format2_from ? 2 : 1;
}

int64_t inv__format2_from(const inv_register *r)
{
    return r->format2_from;
}

int inv__format2_start(inv_register *r, int64_t n, inv_err *e)
{
    if (r->format2_from)
        return INV_OK;
    sqlite3_stmt *st = NULL;
    char num[32];
    snprintf(num, sizeof num, "%lld", (long long)n);
    int rc = inv__prepare(r, &st, "INSERT INTO meta(key, value) VALUES ('format2-from', ?1)", e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, num, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "record format");
    sqlite3_finalize(st);
    if (!rc)
        r->format2_from = n;
    return rc;
}

/* At open and after a rollback: what the file holds (again). -1 when
 * the schema or meta cannot be read: what is kept then is "no coverage,
 * no /2 version", which the caller must not act on. */
static int reload_cov(inv_register *r)
{
    int c = has_cov(r->db);
    int64_t f = read_format2_from(r->db);
    r->has_cov = c == 1;
    r->format2_from = f > 0 ? f : 0;
    return c < 0 || f < 0 ? -1 : 0;
}

int inv__prepare(inv_register *r, sqlite3_stmt **st, const char *sql, inv_err *e)
{
    if (sqlite3_prepare_v3(r->db, sql, -1, 0, st, NULL) != SQLITE_OK)
        return inv__sqlerr(r, e, "prepare");
    return INV_OK;
}

int inv__prepare_n(inv_register *r, sqlite3_stmt **st, const char *sql, int64_t n, inv_err *e)
{
    int rc = inv__prepare(r, st, sql, e);
    if (!rc)
        sqlite3_bind_int64(*st, 1, n);
    return rc;
}

int inv__one_row(inv_register *r, sqlite3_stmt **st, const char *sql, const char *what,
                 inv_err *e)
{
    int rc = inv__prepare(r, st, sql, e);
    if (!rc && sqlite3_step(*st) != SQLITE_ROW)
        rc = inv__sqlerr(r, e, what);
    return rc;
}

int inv__cached(inv_register *r, enum inv_stmt_slot slot, const char *sql,
                sqlite3_stmt **st, inv_err *e)
{
    if (!r->cache[slot] && sqlite3_prepare_v3(r->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
                                              &r->cache[slot], NULL) != SQLITE_OK)
        return inv__sqlerr(r, e, "prepare");
    sqlite3_reset(r->cache[slot]);
    sqlite3_clear_bindings(r->cache[slot]);
    *st = r->cache[slot];
    return INV_OK;
}

/* The transaction SQLite ended by itself, or the write the commit gate
 * refused (below): INV_EIO. */
static int gate_fault(const inv_register *r, inv_err *e)
{
    return inv_fail(e, INV_EIO, "register %s: SQLite ended the transaction after an error "
                    "(memory exhausted or I/O); nothing was written: try again", r->path);
}

int inv__sqlerr(inv_register *r, inv_err *e, const char *what)
{
    int code = sqlite3_errcode(r->db);
    if (code == SQLITE_NOMEM)
        inv_oom_note();
    if (r->gate_refused)
        return gate_fault(r, e);
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
        return inv_fail(e, INV_EIO,
                        "register %s is busy: another scopereg is writing it; try again",
                        r->path);
    /* At open, a file that is not an SQLite database is not a register;
     * once it has opened, a page SQLite cannot read (a damaged file, or a
     * read the disk failed: SQLite reports EIO as a malformed image) gives
     * no verdict on what the pages hold: the command cannot go on. */
    if (code == SQLITE_NOTADB && !strcmp(what, "open"))
        return inv_fail(e, INV_EINPUT, "%s is not a scopereg register (%s)", r->path,
                        sqlite3_errmsg(r->db));
    /* an SQLite file whose first pages cannot be read: a truncated copy,
     * a damaged file, or a read the disk failed; still the input's fault
     * (exit 2), as a file that is no register is */
    if (code == SQLITE_CORRUPT && !strcmp(what, "open"))
        return inv_fail(e, INV_EINPUT, "register %s cannot be read: %s (a truncated or damaged "
                        "file, or a failing disk; restore the register from a copy)", r->path,
                        sqlite3_errmsg(r->db));
    if (code == SQLITE_NOTADB || code == SQLITE_CORRUPT)
        return inv_fail(e, INV_EIO, "register %s cannot be read: %s (a damaged file or disk; "
                        "check the disk, or restore the register from a copy)", r->path,
                        sqlite3_errmsg(r->db));
    if (code == SQLITE_FULL)
        return inv_fail(e, INV_EIO, "register %s: %s: the disk is full; free some space and "
                        "try again", r->path, what);
    return inv_fail(e, INV_EIO, "register %s: %s: %s", r->path, what, sqlite3_errmsg(r->db));
}

int inv__exec(inv_register *r, const char *sql, inv_err *e)
{
    if (sqlite3_exec(r->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return inv__sqlerr(r, e, "exec");
    return INV_OK;
}

/* SQLite's commit hook: a non-zero return turns the commit into a
 * rollback. Every write of scopereg is inside BEGIN ... COMMIT; SQLite
 * may end such a transaction by itself on out of memory or an I/O error,
 * and a statement run after that would commit alone, half a command. */
static int commit_gate(void *arg)
{
    inv_register *r = arg;
    if (r->committing)
        return 0;
    r->gate_refused = 1;
    return 1;
}

void inv__digests_forget(inv_register *r)
{
    r->digests_of = 0;
    r->digests_root_of = 0;
    if (r->leaves)
        fclose(r->leaves);
    r->leaves = NULL;
    r->nleaves = 0;
    r->leaves_of = 0;
}

int inv__commit(inv_register *r, inv_err *e)
{
    int rc;
    if (r->gate_refused || sqlite3_get_autocommit(r->db)) {
        rc = gate_fault(r, e);
    } else {
        r->committing = 1;
        rc = inv__exec(r, "COMMIT", e);
        r->committing = 0;
    }
    if (rc) /* what the transaction rendered may not be recorded */
        inv__digests_forget(r);
    return rc;
}

int inv__tx_begin(inv_register *r, inv_err *e)
{
    if (r->in_tx)
        return INV_OK;
    int rc = inv__exec(r, "BEGIN IMMEDIATE", e);
    if (!rc && (rc = cov_ensure(r, e))) {
        sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
        reload_cov(r);
    }
    return rc;
}

int inv__tx_end(inv_register *r, int commit, inv_err *e)
{
    if (r->in_tx)
        return INV_OK;
    if (commit)
        return inv__commit(r, e);
    sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
    reload_cov(r);
    inv__digests_forget(r); /* a version rendered in it is not recorded */
    return INV_OK;
}

int inv_begin(inv_register *r, inv_err *e)
{
    int rc = inv__exec(r, "BEGIN IMMEDIATE", e);
    if (!rc && (rc = cov_ensure(r, e))) {
        sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
        reload_cov(r);
    }
    if (rc == INV_OK)
        r->in_tx = 1;
    return rc;
}

int inv_tx_lost(inv_register *r, inv_err *e)
{
    if (!r || !r->in_tx || !(r->gate_refused || sqlite3_get_autocommit(r->db)))
        return INV_OK;
    return gate_fault(r, e);
}

int inv_end(inv_register *r, int commit, inv_err *e)
{
    if (!r->in_tx)
        return INV_OK;
    r->in_tx = 0;
    return inv__tx_end(r, commit, e);
}

int inv__party_key_insert(inv_register *r, const char *role, int64_t since,
                          const cr_pubkey *key, inv_err *e)
{
    char keyid[CR_KEYID_HEX], b64[CR_PUBKEY_B64];
    sqlite3_stmt *st = NULL;
    cr_keyid_hex(key->keyid, keyid);
    cr_pubkey_base64(key, b64, sizeof b64);
    int rc = inv__prepare(r, &st,
                          "INSERT INTO party_key(role, since, key_id, public_key)"
                          " VALUES (?1, ?2, ?3, ?4)",
                          e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, role, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, since);
    sqlite3_bind_text(st, 3, keyid, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, b64, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "insert key");
    sqlite3_finalize(st);
    return rc;
}

static int insert_party(inv_register *r, const char *role, const char *name,
                        const cr_pubkey *key, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc;
    if ((rc = inv__prepare(r, &st, "INSERT INTO party(role, name) VALUES (?1, ?2)", e)))
        return rc;
    sqlite3_bind_text(st, 1, role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, name, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "insert party");
    sqlite3_finalize(st);
    if (rc)
        return rc;
    return inv__party_key_insert(r, role, 1, key, e);
}

static int insert_meta(inv_register *r, const char *key, const char *value, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st, "INSERT INTO meta(key, value) VALUES (?1, ?2)", e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "insert meta");
    sqlite3_finalize(st);
    return rc;
}

static int check_text(const char *field, const char *value, inv_err *e)
{
    if (!value || !*value)
        return inv_fail(e, INV_EINPUT, "%s is empty", field);
    if (strchr(value, '\n') || strchr(value, '\t'))
        return inv_fail(e, INV_EINPUT, "%s: line breaks and tabs are not allowed here", field);
    return inv_value_check(field, value, e);
}

const char *const inv_langs[] = {"en", "fr", "de", "it", NULL};

const char *inv_lang_known(const char *lang)
{
    for (int i = 0; lang && inv_langs[i]; i++)
        if (strcmp(lang, inv_langs[i]) == 0)
            return inv_langs[i];
    return NULL;
}

static int unknown_lang(const char *lang, inv_err *e)
{
    return inv_fail(e, INV_EINPUT,
                    "unknown language '%s': scopereg writes in en (English), fr (French), "
                    "de (German) and it (Italian)",
                    lang ? lang : "");
}

int inv_create(const char *path, const inv_init *in, inv_err *e)
{
    return inv_create_lang(path, in, NULL, e);
}

int inv_create_lang(const char *path, const inv_init *in, const char *lang, inv_err *e)
{
    int rc;
    const char *known = inv_lang_known(lang ? lang : "en");
    if (!known)
        return unknown_lang(lang, e);
    if ((rc = check_text("contract reference", in->contract, e)) ||
        (rc = check_text("provider name", in->provider_name, e)) ||
        (rc = check_text("client name", in->client_name, e)))
        return rc;
    if (cr_memcmp(in->provider_key.pk, in->client_key.pk, CR_PK_BYTES) == 0)
        return inv_fail(e, INV_EINPUT,
                        "the provider and the client have the same public key; "
                        "each party needs its own key");
    if (memcmp(in->provider_key.keyid, in->client_key.keyid, CR_KEYID_BYTES) == 0) {
        char id[CR_KEYID_HEX];
        cr_keyid_hex(in->provider_key.keyid, id);
        return inv_fail(e, INV_EINPUT,
                        "the provider's and the client's keys have the same key id %s, so a "
                        "signature could not tell them apart; each party needs its own key "
                        "(make one with 'scopereg keygen')", id);
    }
    if (access(path, F_OK) == 0 || errno != ENOENT)
        return inv_fail(e, INV_EINPUT, "%s already exists; refusing to overwrite it", path);

    /* Build the register under a temporary name, then link it into place:
     * link() never replaces an existing file, and a failure leaves nothing. */
    size_t n = strlen(path) + 16;
    char *tmp = malloc(n);
    if (!tmp)
        return inv_fail(e, INV_EIO, "out of memory");
    snprintf(tmp, n, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        rc = inv_fail(e, INV_EIO, "cannot create %s: %s", path, strerror(errno));
        free(tmp);
        return rc;
    }
    close(fd);

    inv_register reg = {0};
    reg.path = tmp;
    if (sqlite3_open_v2(tmp, &reg.db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        rc = inv_fail(e, INV_EIO, "cannot create %s: %s", path, sqlite3_errmsg(reg.db));
        goto out;
    }
    sqlite3_commit_hook(reg.db, commit_gate, &reg);
    unsigned char rid[16];
    char rid_hex[33], created[32];
    cr_random(rid, sizeof rid);
    cr_hex(rid_hex, rid, sizeof rid);
    inv_time_format(in->now, created, sizeof created);
    /* 16 KiB pages rather than 4: fewer, shallower B-tree pages for rows
     * of a few hundred bytes; import, commit and rendering of large
     * registers run 5-15% faster, with the same page cache in bytes. Set
     * before the first table; existing registers keep their page size. */
    if ((rc = inv__exec(&reg, "PRAGMA page_size = 16384", e)) ||
        (rc = inv__exec(&reg, "BEGIN", e)) || (rc = inv__exec(&reg, schema_sql, e)) ||
        (rc = inv__exec(&reg, cov_schema_sql, e)) ||
        (rc = insert_meta(&reg, "format", INV_FORMAT_TAG, e)) ||
        (rc = insert_meta(&reg, "register", rid_hex, e)) ||
        (rc = insert_meta(&reg, "contract", in->contract, e)) ||
        (rc = insert_meta(&reg, "created", created, e)) ||
        (rc = insert_meta(&reg, "lang", known, e)) ||
        (rc = insert_party(&reg, "provider", in->provider_name, &in->provider_key, e)) ||
        (rc = insert_party(&reg, "client", in->client_name, &in->client_key, e)) ||
        (rc = inv__commit(&reg, e)))
        goto out;
    sqlite3_close(reg.db);
    reg.db = NULL;
    if (link(tmp, path) != 0)
        rc = inv_fail(e, errno == EEXIST ? INV_EINPUT : INV_EIO, "cannot create %s: %s", path,
                      errno == EEXIST ? "it already exists" : strerror(errno));
out:
    if (reg.db)
        sqlite3_close(reg.db);
    unlink(tmp);
    free(tmp);
    return rc;
}

static int load_meta(inv_register *r, const char *key, char **out, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st, "SELECT value FROM meta WHERE key = ?1", e);
    if (rc)
        return rc;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int s = sqlite3_step(st);
    if (s == SQLITE_ROW) {
        *out = inv__strdup((const char *)sqlite3_column_text(st, 0));
        rc = *out ? INV_OK : inv_fail(e, INV_EIO, "out of memory");
    } else if (s == SQLITE_DONE) {
        rc = inv_fail(e, INV_FAIL, "register %s: metadata '%s' is missing", r->path, key);
    } else {
        rc = inv__sqlerr(r, e, "read metadata");
    }
    sqlite3_finalize(st);
    return rc;
}

/* scopereg_row_digest(id, since, op, kind, name, attrs, reason): the
 * digest of one item row, so set-based SQL can compute it. */
static void sql_row_digest(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    char out[33];
    const char *t[7];
    for (int i = 0; i < 7; i++)
        t[i] = i == 5 ? NULL : (const char *)sqlite3_value_text(argv[i]);
    inv__row_digest(t[0] ? t[0] : "", sqlite3_value_int64(argv[1]), t[2] ? t[2] : "",
                    t[3] ? t[3] : "", t[4] ? t[4] : "",
                    (const char *)sqlite3_value_blob(argv[5]) ? (const char *)sqlite3_value_blob(argv[5]) : "",
                    (size_t)sqlite3_value_bytes(argv[5]), t[6], out);
    sqlite3_result_text(cx, out, -1, SQLITE_TRANSIENT);
}

/* scopereg_cov_digest(base, svc, sla, own): the digest of an item row
 * with coverage, from the digest of the row without it. */
static void sql_cov_digest(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    char out[33];
    const char *base = (const char *)sqlite3_value_text(argv[0]);
    inv__cov_row_digest(base ? base : "", (const char *)sqlite3_value_text(argv[1]),
                        (const char *)sqlite3_value_text(argv[2]),
                        (long long)sqlite3_value_int64(argv[3]), out);
    sqlite3_result_text(cx, out, -1, SQLITE_TRANSIENT);
}

/* scopereg_term_digest(type, id, since, op, body, reason). */
static void sql_term_digest(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
    (void)argc;
    char out[33];
    const char *t[6];
    for (int i = 0; i < 6; i++)
        t[i] = i == 4 ? NULL : (const char *)sqlite3_value_text(argv[i]);
    inv__term_row_digest(t[0] ? t[0] : "", t[1] ? t[1] : "", sqlite3_value_int64(argv[2]),
                         t[3] ? t[3] : "", sqlite3_value_blob(argv[4]),
                         (size_t)sqlite3_value_bytes(argv[4]), t[5], out);
    sqlite3_result_text(cx, out, -1, SQLITE_TRANSIENT);
}

static int register_functions(sqlite3 *db)
{
    int f = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY;
    return sqlite3_create_function(db, "scopereg_row_digest", 7, f, NULL, sql_row_digest, NULL,
                                   NULL) ||
           sqlite3_create_function(db, "scopereg_cov_digest", 4, f, NULL, sql_cov_digest, NULL,
                                   NULL) ||
           sqlite3_create_function(db, "scopereg_term_digest", 6, f, NULL, sql_term_digest, NULL,
                                   NULL);
}

/* Reads the application id of an open register. Returns the SQLite result
 * of the step (SQLITE_ROW on success). */
static int read_application_id(sqlite3 *db, int *appid)
{
    sqlite3_stmt *st = NULL;
    *appid = 0;
    int s = sqlite3_prepare_v2(db, "PRAGMA application_id", -1, &st, NULL);
    if (s != SQLITE_OK)
        return s;
    s = sqlite3_step(st);
    if (s == SQLITE_ROW)
        *appid = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return s;
}

/* A writer killed in mid-transaction leaves a hot journal, which only a
 * read-write connection may roll back: a read-only one gets
 * SQLITE_READONLY_ROLLBACK. Rolls it back as any writer would on its first
 * read, so the file holds its last committed content again. INV_OK when
 * done. */
static int roll_back_hot_journal(const char *path, inv_err *e)
{
    sqlite3 *db = NULL;
    int appid, s = sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL);
    if (s == SQLITE_OK) {
        sqlite3_busy_timeout(db, 10000);
        s = read_application_id(db, &appid);
    }
    int rc = INV_OK;
    if (s == SQLITE_READONLY || s == SQLITE_CANTOPEN || s == SQLITE_PERM)
        rc = inv_fail(e, INV_EIO,
                      "register %s was left in mid-write by an interrupted command; "
                      "restoring its last committed state needs write access to it and "
                      "its directory (%s)",
                      path, sqlite3_errmsg(db));
    else if (s == SQLITE_BUSY)
        rc = inv_fail(e, INV_EIO,
                      "register %s is busy: another scopereg is writing it; try again", path);
    else if (s != SQLITE_ROW)
        rc = inv_fail(e, INV_EIO, "cannot open %s: %s", path, sqlite3_errmsg(db));
    sqlite3_close(db);
    return rc;
}

/* Opens r->path into r->db with flags (READONLY or READWRITE), waiting up
 * to 10 s for a lock, with scopereg's SQL functions. One thread uses a
 * connection at a time (a pipeline's workers never call SQLite): no
 * mutex around each call (SQLite's multi-thread mode). INV_EIO naming the
 * file; r->db may then be set, for inv_close. */
static int open_db(inv_register *r, int flags, inv_err *e)
{
    if (sqlite3_open_v2(r->path, &r->db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
        return inv_fail(e, INV_EIO, "cannot open %s: %s", r->path, sqlite3_errmsg(r->db));
    sqlite3_busy_timeout(r->db, 10000);
    sqlite3_commit_hook(r->db, commit_gate, r);
    if (register_functions(r->db) != SQLITE_OK)
        return inv_fail(e, INV_EIO, "cannot open %s: %s", r->path, sqlite3_errmsg(r->db));
    return INV_OK;
}

int inv_open(const char *path, int writable, inv_register **out, inv_err *e)
{
    struct stat sb;
    *out = NULL;
    if (stat(path, &sb) != 0)
        return inv_fail(e, INV_EINPUT, "%s: no such register (create one with 'scopereg init')",
                        path);
    if (!S_ISREG(sb.st_mode))
        return inv_fail(e, INV_EINPUT, "%s is not a scopereg register (not a regular file)",
                        path);
    inv_register *r = calloc(1, sizeof *r);
    if (!r || !(r->path = inv__strdup(path))) {
        free(r);
        return inv_fail(e, INV_EIO, "out of memory");
    }
    r->now = (int64_t)time(NULL);
    r->writable = writable;
    int rc;
    if ((rc = open_db(r, writable ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY, e)))
        goto fail;
    /* Debian builds SQLite with secure_delete on: freeing a page, as
     * commit does for every page of the stage table, then journals it,
     * zeroes it and writes it back, with a journal sync at each cache
     * spill. FAST still zeroes deleted content inside live pages and
     * leaves freed pages alone. Nothing deleted here is secret: staged
     * rows are committed (kept for ever) or reset by their own author. */
    sqlite3_exec(r->db, "PRAGMA secure_delete = FAST", NULL, NULL, NULL);
    sqlite3_extended_result_codes(r->db, 1);
    int appid, s = read_application_id(r->db, &appid);
    if (s == SQLITE_READONLY_ROLLBACK && !writable) {
        if ((rc = roll_back_hot_journal(path, e)))
            goto fail;
        s = read_application_id(r->db, &appid);
    }
    sqlite3_extended_result_codes(r->db, 0);
    if (s != SQLITE_ROW) {
        rc = inv__sqlerr(r, e, "open");
        goto fail;
    }
    if (appid != INV_APPLICATION_ID) {
        rc = inv_fail(e, INV_EINPUT, "%s is not a scopereg register", path);
        goto fail;
    }
    /* A read-only command sees one snapshot from its first query to its
     * last (its SHARED lock is held until inv_close): a writer committing
     * meanwhile waits rather than showing it half of a new version. */
    if (!writable) {
        if ((rc = inv__exec(r, "BEGIN", e)))
            goto fail;
        r->read_tx = 1;
    }
    if (reload_cov(r)) {
        rc = inv_fail(e, INV_EIO, "%s: cannot read its schema", path);
        goto fail;
    }
    if ((rc = load_meta(r, "register", &r->register_id, e)) ||
        (rc = load_meta(r, "contract", &r->contract, e)))
        goto fail;
    if (!writable && stat(path, &sb) == 0) {
        r->dev = sb.st_dev;
        r->ino = sb.st_ino;
    }
    *out = r;
    return INV_OK;
fail:
    inv_close(r);
    return rc;
}

int inv__reader_open(inv_register *r, inv_register **out, inv_err *e)
{
    *out = NULL;
    if (!r->read_tx || r->writable || !r->ino)
        return inv_fail(e, INV_EINPUT, "a second reader needs a read-only handle");
    /* Only a rollback journal's SHARED lock keeps writers from committing
     * while both connections read (a WAL register lets them). */
    sqlite3_stmt *jm = NULL;
    int rollback = 0;
    if (inv__one_row(r, &jm, "PRAGMA journal_mode", "read", e) == INV_OK) {
        const char *m = (const char *)sqlite3_column_text(jm, 0);
        rollback = m && (!strcmp(m, "delete") || !strcmp(m, "truncate") || !strcmp(m, "persist"));
    }
    sqlite3_finalize(jm);
    if (!rollback)
        return inv_fail(e, INV_EINPUT, "a second reader needs a register in rollback-journal mode");
    inv_register *q = calloc(1, sizeof *q);
    if (!q || !(q->path = inv__strdup(r->path))) {
        free(q);
        return inv_fail(e, INV_EIO, "out of memory");
    }
    int rc;
    if ((rc = open_db(q, SQLITE_OPEN_READONLY, e)))
        goto fail;
    /* r's SHARED lock, held since its open, keeps any writer from
     * committing: the first read here takes a SHARED lock on the same
     * state of the file, provided it is the same file (not one renamed
     * over it since r opened it) and shows the same rows */
    if ((rc = inv__exec(q, "BEGIN", e)))
        goto fail;
    q->read_tx = 1;
    static const char fingerprint[] =
        "SELECT (SELECT max(rev) FROM item), (SELECT max(number) FROM version),"
        " (SELECT count(*) FROM version), (SELECT count(*) FROM party_key)";
    sqlite3_stmt *a = NULL, *b = NULL;
    struct stat sb;
    int same = inv__one_row(q, &b, fingerprint, "read", e) == INV_OK &&
               inv__one_row(r, &a, fingerprint, "read", e) == INV_OK;
    for (int i = 0; same && i < 4; i++)
        same = sqlite3_column_type(a, i) == sqlite3_column_type(b, i) &&
               sqlite3_column_int64(a, i) == sqlite3_column_int64(b, i);
    sqlite3_finalize(a);
    sqlite3_finalize(b);
    if (!same || stat(r->path, &sb) != 0 || sb.st_dev != r->dev || sb.st_ino != r->ino) {
        rc = inv_fail(e, INV_EINPUT, "%s changed while it was opened a second time", r->path);
        goto fail;
    }
    if ((r->register_id && !(q->register_id = inv__strdup(r->register_id))) ||
        (r->contract && !(q->contract = inv__strdup(r->contract)))) {
        rc = inv_fail(e, INV_EIO, "out of memory");
        goto fail;
    }
    q->now = r->now;
    q->has_cov = r->has_cov;
    q->format2_from = r->format2_from;
    *out = q;
    return INV_OK;
fail:
    inv_close(q);
    return rc;
}

void inv_close(inv_register *r)
{
    if (!r)
        return;
    for (int i = 0; i < ST_SLOTS; i++)
        sqlite3_finalize(r->cache[i]);
    if (r->in_tx || r->read_tx)
        sqlite3_exec(r->db, "ROLLBACK", NULL, NULL, NULL);
    sqlite3_close(r->db);
    free(r->path);
    free(r->register_id);
    free(r->contract);
    if (r->leaves)
        fclose(r->leaves);
    free(r);
}

void inv_set_clock(inv_register *r, int64_t now)
{
    r->now = now;
}

const char *inv_register_id(const inv_register *r) { return r->register_id; }
const char *inv_contract(const inv_register *r) { return r->contract; }
const char *inv_path(const inv_register *r) { return r->path; }

const char *inv_lang(inv_register *r)
{
    sqlite3_stmt *st = NULL;
    const char *lang = NULL;
    if (sqlite3_prepare_v2(r->db, "SELECT value FROM meta WHERE key = 'lang'", -1, &st,
                           NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        lang = inv_lang_known((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return lang ? lang : "en";
}

int inv_lang_set(inv_register *r, const char *lang, inv_err *e)
{
    const char *known = inv_lang_known(lang);
    sqlite3_stmt *st = NULL;
    int rc;
    if (!known)
        return unknown_lang(lang, e);
    if ((rc = inv__tx_begin(r, e)))
        return rc;
    if ((rc = inv__prepare(r, &st,
                           "INSERT OR REPLACE INTO meta(key, value) VALUES ('lang', ?1)", e)) ==
        INV_OK) {
        sqlite3_bind_text(st, 1, known, -1, SQLITE_STATIC);
        rc = sqlite3_step(st) == SQLITE_DONE ? INV_OK : inv__sqlerr(r, e, "record language");
        sqlite3_finalize(st);
    }
    int rc2 = inv__tx_end(r, rc == INV_OK, e);
    return rc ? rc : rc2;
}
