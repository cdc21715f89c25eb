/*
 * verify.c - re-render every version, recompute every hash, check every
 * link of the chain and every stored row: that each version's item list
 * is the previous one with its changes applied, that removal reasons are
 * values, that the parties never hold the same key, and that no row names
 * a version the version table does not hold (counted in one line, never
 * walked number by number).
 */
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "leafmem.h"
#include "pipeline.h"
#include "work_int.h"

/* A row whose digest no longer matches what commit wrote. */
typedef struct bad_row {
    char *id;
    int64_t since, until; /* until 0: still open */
} bad_row;

/* A fault of the chain of rows or of the keys: the version it breaks. */
typedef struct row_fault {
    int64_t version;
    size_t seq;  /* order found, for a stable sort */
    char *what;  /* NULL past FAULT_TEXTS (counted, not described) */
} row_fault;

/* Faults described in full; past that only their versions are kept. */
#define FAULT_TEXTS 10000

/* Rows naming a version the version table does not hold: counted, never
 * walked version by version (a row can name version 2^63-1). */
typedef struct strays {
    int64_t item_low, sig_low, key_low;          /* version 0 or below, or not an integer */
    int64_t item_beyond, sig_beyond, key_beyond; /* beyond the latest version */
    int64_t beyond_min, beyond_max;              /* the versions those name (0: none) */
    int64_t key_role;                            /* key rows of no party */
    int64_t ver_low, ver_min;                    /* version rows numbered 0 or below */
} strays;

static void stray_beyond(strays *s, int64_t *count, int64_t v)
{
    ++*count;
    if (!s->beyond_min || v < s->beyond_min)
        s->beyond_min = v;
    if (v > s->beyond_max)
        s->beyond_max = v;
}

typedef struct bad_rows {
    bad_row *v;
    size_t n, cap;
    strays stray;
    row_fault *f;
    size_t nf, capf, next_f; /* next_f: the first fault of the version being reported */
    int oom;
    int all_texts; /* describe every fault added (the key checks: few, and each named) */
} bad_rows;

static void bad_rows_free(bad_rows *b)
{
    for (size_t i = 0; i < b->n; i++)
        free(b->v[i].id);
    free(b->v);
    for (size_t i = 0; i < b->nf; i++)
        free(b->f[i].what);
    free(b->f);
}

static void add_fault(void *ctx, int64_t version, const char *id, const char *what)
{
    bad_rows *b = ctx;
    (void)id;
    if (b->nf == b->capf) {
        size_t cap = b->capf ? b->capf * 2 : 16;
        row_fault *nv = realloc(b->f, cap * sizeof *nv);
        if (!nv) {
            b->oom = 1;
            return;
        }
        b->f = nv;
        b->capf = cap;
    }
    row_fault *f = &b->f[b->nf];
    f->version = version;
    f->seq = b->nf++;
    int described = b->all_texts || b->nf <= FAULT_TEXTS;
    f->what = described ? inv__strdup(what) : NULL;
    if (described && !f->what)
        b->oom = 1;
}

static int cmp_fault(const void *a, const void *b)
{
    const row_fault *x = a, *y = b;
    if (x->version != y->version)
        return x->version < y->version ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The reason of a removal row of version since is a value, as remove
 * checks it: present, valid UTF-8, no control character but TAB and LF
 * (a CR or an ESC would reach every terminal that shows the change).
 * reason: its column's text (NULL for NULL), bytes its length. */
static void check_reason(bad_rows *b, const char *id, int64_t since, const char *reason,
                         size_t bytes)
{
    char text[1024];
    inv_err sub;
    if (!reason || !*reason)
        snprintf(text, sizeof text, INV_("item '%s': its removal has no reason"), id);
    else if (strlen(reason) != bytes)
        snprintf(text, sizeof text,
                 INV_("item '%s': its removal reason holds a NUL character"), id);
    else if (inv_value_check("reason", reason, &sub))
        snprintf(text, sizeof text, INV_("item '%s': its removal reason: %.600s"), id, sub.msg);
    else
        return;
    add_fault(b, since, id, text);
}

/* One pass over every item row in (id, since) order: each row's digest,
 * and the chain of each item's rows (inv__chain). */
static int scan_rows(inv_register *r, int64_t latest, bad_rows *b, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    inv__chain chain;
    inv__chain_init(&chain, add_fault, b);
    char sql[512];
    snprintf(sql, sizeof sql,
             "SELECT id, since, until, op, kind, name, attrs, reason, digest, %s"
             " FROM item INDEXED BY item_by_id ORDER BY id, since, rev",
             INV__COV_COLS(r, ""));
    int rc = inv__prepare(r, &st, sql, e);
    if (rc)
        return rc;
    int s;
    /* id since until op kind name attrs reason digest svc sla own: each
     * column read once, its class first (a conversion would change it) */
    enum { C_ID, C_SINCE, C_UNTIL, C_OP, C_KIND, C_NAME, C_ATTRS, C_REASON, C_DIGEST, C_SVC,
           C_SLA, C_OWN, NCOL };
    static const int texts[] = {C_ID, C_OP, C_KIND, C_NAME, C_REASON, C_DIGEST, C_SVC, C_SLA};
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        int type[NCOL];
        for (int c = 0; c < NCOL; c++)
            type[c] = sqlite3_column_type(st, c);
        int64_t since = sqlite3_column_int64(st, C_SINCE);
        int open = type[C_UNTIL] == SQLITE_NULL;
        if (type[C_SINCE] != SQLITE_INTEGER || since < 1 ||
            (!open && type[C_UNTIL] != SQLITE_INTEGER)) {
            b->stray.item_low++;
            continue;
        }
        if (since > latest) {
            stray_beyond(&b->stray, &b->stray.item_beyond, since);
            continue;
        }
        int64_t until = open ? 0 : sqlite3_column_int64(st, C_UNTIL);
        const char *t[NCOL] = {0};
        size_t tn[NCOL] = {0};
        for (size_t k = 0; k < sizeof texts / sizeof *texts; k++) {
            int c = texts[k];
            t[c] = (const char *)sqlite3_column_text(st, c);
            tn[c] = t[c] ? (size_t)sqlite3_column_bytes(st, c) : 0;
        }
        const char *attrs = sqlite3_column_blob(st, C_ATTRS);
        size_t alen = (size_t)sqlite3_column_bytes(st, C_ATTRS);
        int64_t own = sqlite3_column_int64(st, C_OWN);
        /* a row with coverage (svc, sla, own: not all NULL) has the digest
         * commit gives it (scopereg_cov_digest over the digest without it) */
        int cov = type[C_SVC] != SQLITE_NULL || type[C_SLA] != SQLITE_NULL ||
                  type[C_OWN] != SQLITE_NULL;
        int typed = inv__types_typed(type, "T..TTTBtTtti", t[C_OP], tn[C_OP]);
        const char *id = t[C_ID], *op = t[C_OP];
        if (op && op[0] == 'R')
            check_reason(b, id ? id : "", since, t[C_REASON], tn[C_REASON]);
        /* a change of coverage alone is a change: the chain compares the
         * attributes followed by the coverage (NULL: none, inherited) */
        const char *svc = t[C_SVC], *sla = t[C_SLA];
        /* a scope-register/1 version holds no coverage: its rows none
         * (its document never shows them, so no hash would catch one) */
        if ((svc || sla || type[C_OWN] != SQLITE_NULL) && inv_format_of(r, since) != 2) {
            char text[768];
            snprintf(text, sizeof text,
                     INV_("item '%.200s' (row of version %lld) has coverage in a "
                          "scope-register/1 version"),
                     id ? id : "", (long long)since);
            add_fault(b, since, id, text);
        }
        const char *kind = t[C_KIND], *name = t[C_NAME];
        if (inv__chain_row_cov(&chain, id ? id : "", since, open ? INT64_MAX : until,
                               op ? op[0] : '?', kind, name, attrs, alen, svc, sla, own)) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        const char *stored = t[C_DIGEST];
        int until_ok = open || until >= since;
        /* a text holding a NUL byte: its digest and every document stop at
         * it, so what follows is an edit the digest alone would not show */
        int nul = 0;
        for (size_t k = 0; k < sizeof texts / sizeof *texts && !nul; k++)
            nul = texts[k] != C_DIGEST && t[texts[k]] && strlen(t[texts[k]]) != tn[texts[k]];
        /* the digest commit gave it (the SQL functions scopereg_row_digest
         * and scopereg_cov_digest, computed here from the values read: a
         * row of other types is altered whatever its digest) */
        char now[33] = "";
        if (typed) {
            char base[33];
            inv__row_digest(id, since, op, kind, name, attrs ? attrs : "", alen, t[C_REASON],
                            base);
            if (cov)
                inv__cov_row_digest(base, svc, sla, (long long)own, now);
            else
                memcpy(now, base, sizeof now);
        }
        /* 32 bytes as commit writes them: no NUL with more after it */
        if (typed && stored && tn[C_DIGEST] == 32 && !strcmp(stored, now) && until_ok && !nul)
            continue;
        if (b->n == b->cap) {
            size_t cap = b->cap ? b->cap * 2 : 16;
            bad_row *nv = realloc(b->v, cap * sizeof *nv);
            if (!nv) {
                rc = inv_fail(e, INV_EIO, "out of memory");
                break;
            }
            b->v = nv;
            b->cap = cap;
        }
        bad_row *row = &b->v[b->n];
        if (!(row->id = inv__strdup(id ? id : ""))) { /* a NULL id: a row altered */
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        b->n++;
        row->since = since;
        row->until = until;
    }
    if (!rc && s != SQLITE_DONE)
        rc = inv__sqlerr(r, e, "read items");
    sqlite3_finalize(st);
    inv__chain_end(&chain);
    inv__chain_free(&chain);
    if (!rc)
        rc = inv__scan_terms(r, latest, add_fault, b, e);
    if (!rc && (b->oom || chain.failed))
        rc = inv_fail(e, INV_EIO, "out of memory");
    return rc;
}

/* Appends to why the items whose rows were altered and are live in n. */
static void name_bad_rows(const bad_rows *b, int64_t n, inv_buf *why)
{
    size_t shown = 0;
    for (size_t i = 0; i < b->n; i++) {
        const bad_row *row = &b->v[i];
        if (row->since > n || (row->until && row->until < n) ||
            (row->until == n && row->since != n))
            continue;
        if (shown++ < 5)
            inv_buf_printf(why, "; item '%s' (row of version %lld) was altered after commit",
                           row->id ? row->id : "?", (long long)row->since);
    }
    if (shown > 5)
        inv_buf_printf(why, "; and %zu more altered items", shown - 5);
}

/* Appends to why the faults of versions n to hi (b->f sorted by
 * version, read from b->next_f on): up to five described, then how many
 * more. */
static void name_faults(bad_rows *b, int64_t n, int64_t hi, inv_buf *why)
{
    size_t shown = 0, more = 0;
    while (b->next_f < b->nf && b->f[b->next_f].version < n)
        b->next_f++;
    for (; b->next_f < b->nf && b->f[b->next_f].version <= hi; b->next_f++) {
        const row_fault *f = &b->f[b->next_f];
        if (f->what && shown < 5) {
            inv_buf_printf(why, "; %s", f->what);
            shown++;
        } else {
            more++;
        }
    }
    if (more)
        inv_buf_printf(why, "; and %zu more rows that do not follow from the previous version",
                       more);
}

/* The faults of versions that do not exist (below 1, or past latest). */
static void name_stray_faults(const bad_rows *b, int64_t latest, inv_buf *why)
{
    size_t shown = 0, more = 0;
    for (size_t i = 0; i < b->nf; i++) {
        const row_fault *f = &b->f[i];
        if (f->version >= 1 && f->version <= latest)
            continue;
        if (f->what && shown++ < 5)
            inv_buf_printf(why, "; %s (there is no version %lld)", f->what,
                           (long long)f->version);
        else
            more++;
    }
    if (more)
        inv_buf_printf(why, "; and %zu more rows naming versions that do not exist", more);
}

/* A stored party key row, parsed. */
typedef struct key_row {
    int role;
    int64_t since;
    cr_pubkey pk;
    char hex[CR_KEYID_HEX];
} key_row;

static int check_parties(inv_register *r, int64_t latest, inv_buf *why, bad_rows *b,
                         inv_err *e)
{
    sqlite3_stmt *st = NULL;
    key_row *k = NULL;
    size_t nk = 0, cap = 0;
    int rc = inv__prepare(r, &st, "SELECT role, since, key_id, public_key FROM party_key", e);
    if (rc)
        return rc;
    while (sqlite3_step(st) == SQLITE_ROW) {
        cr_pubkey pk;
        cr_err ce;
        char hex[CR_KEYID_HEX];
        const char *b64 = (const char *)sqlite3_column_text(st, 3);
        const char *kid = (const char *)sqlite3_column_text(st, 2);
        if (!b64 || cr_pubkey_parse(b64, strlen(b64), &pk, &ce) != CR_OK) {
            inv_buf_printf(why, "; stored %s key is malformed", sqlite3_column_text(st, 0));
            continue;
        }
        cr_keyid_hex(pk.keyid, hex);
        /* A key row names the version from which it is in force: version 1
         * (init) or a rotation, which a version's document records. */
        int64_t since = sqlite3_column_int64(st, 1);
        if (sqlite3_column_type(st, 1) != SQLITE_INTEGER || since < 1) {
            b->stray.key_low++;
            continue;
        }
        if (since > latest && since > 1) {
            stray_beyond(&b->stray, &b->stray.key_beyond, since);
            continue;
        }
        int role = inv_role_index((const char *)sqlite3_column_text(st, 0));
        if (role < 0) {
            b->stray.key_role++;
            continue;
        }
        if (!kid || strcmp(kid, hex))
            inv_buf_printf(why, "; stored %s key id %s does not match its key (%s)",
                           inv_roles[role], kid ? kid : "?", hex);
        if (nk == cap) {
            size_t ncap = cap ? cap * 2 : 8;
            key_row *nv = realloc(k, ncap * sizeof *nv);
            if (!nv) {
                b->oom = 1;
                break;
            }
            k = nv;
            cap = ncap;
        }
        k[nk] = (key_row){role, since, pk, {0}};
        memcpy(k[nk].hex, hex, sizeof hex);
        nk++;
    }
    sqlite3_finalize(st);
    /* Each party needs its own key: no key (nor key id) is ever both. */
    for (size_t i = 0; i < nk; i++)
        for (size_t j = 0; j < nk; j++) {
            if (k[i].role != INV_ROLE_PROVIDER || k[j].role != INV_ROLE_CLIENT)
                continue;
            if (memcmp(k[i].pk.keyid, k[j].pk.keyid, CR_KEYID_BYTES) &&
                cr_memcmp(k[i].pk.pk, k[j].pk.pk, CR_PK_BYTES))
                continue;
            char text[512];
            int64_t v = k[i].since > k[j].since ? k[i].since : k[j].since;
            snprintf(text, sizeof text,
                     INV_("the provider and the client hold the same key%s %s (the provider's "
                          "from version %lld, the client's from version %lld); each party "
                          "needs its own key"),
                     cr_memcmp(k[i].pk.pk, k[j].pk.pk, CR_PK_BYTES) ? INV_(" id") : "", k[i].hex,
                     (long long)k[i].since, (long long)k[j].since);
            add_fault(b, v < 1 ? 1 : v, NULL, text);
        }
    free(k);
    return b->oom ? inv_fail(e, INV_EIO, "out of memory") : INV_OK;
}

/* Counts the signature rows and the version rows that name no version of
 * 1..latest, in one query (the tables are small; nothing is walked by
 * number). */
static int count_strays(inv_register *r, int64_t latest, strays *sy, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st,
                          "SELECT count(*) FILTER (WHERE typeof(version) <> 'integer'"
                          "  OR version < 1),"
                          " count(*) FILTER (WHERE typeof(version) = 'integer' AND version > ?1),"
                          " min(version) FILTER (WHERE typeof(version) = 'integer'"
                          "  AND version > ?1),"
                          " max(version) FILTER (WHERE typeof(version) = 'integer'"
                          "  AND version > ?1),"
                          " (SELECT count(*) FROM version WHERE number < 1),"
                          " (SELECT min(number) FROM version)"
                          " FROM signature",
                          e);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, latest);
    if (sqlite3_step(st) != SQLITE_ROW) {
        rc = inv__sqlerr(r, e, "read signatures");
    } else {
        sy->sig_low = sqlite3_column_int64(st, 0);
        int64_t beyond = sqlite3_column_int64(st, 1);
        if (beyond) {
            int64_t lo = sqlite3_column_int64(st, 2), hi = sqlite3_column_int64(st, 3);
            stray_beyond(sy, &sy->sig_beyond, lo);
            stray_beyond(sy, &sy->sig_beyond, hi);
            sy->sig_beyond = beyond;
        }
        sy->ver_low = sqlite3_column_int64(st, 4);
        sy->ver_min = sqlite3_column_int64(st, 5);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Appends "A item rows, B signature rows and C key rows" (the non-zero
 * ones) to why; the number of rows named. */
static int64_t rows_phrase(inv_buf *why, int64_t items, int64_t sigs, int64_t keys)
{
    const char *what[3] = {"item", "signature", "key"};
    int64_t n[3] = {items, sigs, keys};
    int parts = (items > 0) + (sigs > 0) + (keys > 0), done = 0;
    for (int i = 0; i < 3; i++) {
        if (!n[i])
            continue;
        done++;
        inv_buf_printf(why, "%s%lld %s row%s", done == 1 ? "" : done == parts ? " and " : ", ",
                       (long long)n[i], what[i], n[i] == 1 ? "" : "s");
    }
    return items + sigs + keys;
}

/* The rows that name no version, in one sentence each (appended as
 * "; ..." to why): numbered 0 or below, or not an integer; key rows of
 * no party; version rows numbered 0 or below. */
static void name_low_strays(const strays *sy, inv_buf *why)
{
    if (sy->item_low + sy->sig_low + sy->key_low) {
        inv_buf_printf(why, "; ");
        int64_t n = rows_phrase(why, sy->item_low, sy->sig_low, sy->key_low);
        inv_buf_printf(why, " name%s version 0, a version below it or a version that is not "
                       "a whole number", n == 1 ? "s" : "");
    }
    if (sy->key_role)
        inv_buf_printf(why, "; %lld key row%s name%s a role other than provider or client",
                       (long long)sy->key_role, sy->key_role == 1 ? "" : "s",
                       sy->key_role == 1 ? "s" : "");
    if (sy->ver_low)
        inv_buf_printf(why, "; %lld version row%s %s numbered 0 or below (the lowest: %lld): "
                       "versions are numbered from 1",
                       (long long)sy->ver_low, sy->ver_low == 1 ? "" : "s",
                       sy->ver_low == 1 ? "is" : "are", (long long)sy->ver_min);
}

/* The next version number above n the version table holds (latest when
 * none, which cannot be: n < latest). */
static int next_version(inv_register *r, int64_t n, int64_t latest, int64_t *next, inv_err *e)
{
    sqlite3_stmt *st = NULL;
    int rc = inv__prepare(r, &st, "SELECT min(number) FROM version WHERE number > ?1", e);
    if (rc)
        return rc;
    sqlite3_bind_int64(st, 1, n);
    if (sqlite3_step(st) != SQLITE_ROW)
        rc = inv__sqlerr(r, e, "read versions");
    else
        *next = sqlite3_column_type(st, 0) == SQLITE_NULL ? latest : sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return rc;
}

/* The scan of every item row (scan_rows) on a thread of its own, with a
 * second handle on the same state of the register, while the versions
 * render: its results are merged in before the first that needs them.
 *
 * Then, when the register holds two versions or more, that thread renders
 * versions too (the pool): each handle takes the next version not yet
 * taken, at most AHEAD past the one being reported, and renders it whole
 * with its hashes on its own thread (jobs 1: two renderings on two cores,
 * no copies between threads); the main thread reports them in order. A
 * rendering depends on nothing but the rows, which both handles read in
 * the same state, so what is reported is what one thread would report. */
#define AHEAD 4

/* One version's rendering, as the main loop uses it. */
typedef struct vres {
    int state;  /* 0 free, 1 being rendered, 2 done */
    int got;    /* its version row was read (else hrc and sub say why) */
    int hrc;    /* inv__render_checkpoint's code */
    inv_err sub;
    char hash[CR_HASH_STR_LEN];
    unsigned char prehash[CR_PREHASH_BYTES];
    inv__render_stats stats;
    inv_checkpoint cp; /* when got and !hrc: the taker frees it */
} vres;

typedef struct scan_job {
    inv_register *r;   /* the second handle; NULL: no thread */
    pthread_t t;
    int64_t latest;
    bad_rows bad;
    inv_err e;
    int rc;
    int scanned;       /* the scan is done (under mu) */
    int merged;        /* its results moved to the caller's (scan_join) */
    /* what settle completes once the scan is in */
    bad_rows *into;     /* the caller's faults, the scan's merged in */
    inv_buf *global;    /* the lines of what no version holds */
    int64_t ncp, cpmin; /* checkpoint signature rows of no version, the first */
    int beyond;         /* rows name versions past latest */
    int settled;
    /* the pool (pool: on) */
    int pool, stop;
    int64_t *nums;      /* the version numbers from 1 to latest, ascending */
    size_t count, next, at; /* how many; the next not taken; the one reported */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    vres slot[AHEAD];   /* version nums[k] in slot[k % AHEAD] */
    inv__leafmem *mem[2]; /* leaf hashes kept by the main handle, the second */
} scan_job;

/* Renders version n on handle h into x (no lock held), with the leaf
 * hashes mem kept from h's last rendering (may be NULL). */
static void render_one(inv_register *h, inv__leafmem *mem, int64_t n, vres *x)
{
    inv_version v;
    x->stats = (inv__render_stats){.strict = 1, .jobs = 1, .reuse = mem};
    x->hash[0] = '\0';
    x->got = 0;
    if ((x->hrc = inv_version_get(h, n, &v, &x->sub)) != INV_OK)
        return;
    x->got = 1;
    x->hrc = inv__render_checkpoint(h, &v, NULL, NULL, x->prehash, x->hash, &x->stats, &x->cp,
                                    &x->sub);
    inv_version_free(&v);
}

static void vres_free(vres *x)
{
    if (x->state == 2 && x->got && !x->hrc)
        inv_checkpoint_free(&x->cp);
    x->state = 0;
}

/* Takes version k of j->nums and renders it on h, mu held (and held again
 * on return). */
static void pool_render(scan_job *j, inv_register *h, size_t k)
{
    vres *x = &j->slot[k % AHEAD];
    j->next = k + 1;
    x->state = 1;
    pthread_mutex_unlock(&j->mu);
    render_one(h, j->mem[h == j->r], j->nums[k], x);
    pthread_mutex_lock(&j->mu);
    x->state = 2;
    pthread_cond_broadcast(&j->cv);
}

/* The second handle's share of the pool, mu held. */
static void pool_work(scan_job *j)
{
    for (;;) {
        while (!j->stop && j->next < j->count && j->next >= j->at + AHEAD)
            pthread_cond_wait(&j->cv, &j->mu);
        if (j->stop || j->next >= j->count)
            return;
        pool_render(j, j->r, j->next);
    }
}

/* Version n's rendering from the pool, into *out (whose cp the caller
 * then owns): the one another handle made, or one made here on r. n is
 * the next version of j->nums the main loop reaches. */
/* Whether version n is the next of j->nums to report (mu held): then the
 * window moves to it, else n is not in the pool. */
static int pool_at(scan_job *j, int64_t n)
{
    while (j->at < j->count && j->nums[j->at] < n)
        j->at++; /* none: every number is reached in order */
    pthread_cond_broadcast(&j->cv);
    return j->at < j->count && j->nums[j->at] == n;
}

static void pool_take(scan_job *j, inv_register *r, int64_t n, vres *out)
{
    pthread_mutex_lock(&j->mu);
    int listed = pool_at(j, n);
    size_t k = j->at;
    vres *x = &j->slot[k % AHEAD];
    while (listed) {
        if (k >= j->next)
            pool_render(j, r, k);
        else if (x->state == 2)
            break;
        else if (j->next < j->count && j->next < k + AHEAD)
            pool_render(j, r, j->next); /* one further while n renders there */
        else
            pthread_cond_wait(&j->cv, &j->mu);
    }
    if (listed && x->got) {
        *out = *x;
        x->state = 0;
        j->at = k + 1;
    } else {
        /* not read there (it reads here, or the loop reports why) */
        if (listed) {
            vres_free(x);
            j->at = k + 1;
        }
        pthread_cond_broadcast(&j->cv);
        pthread_mutex_unlock(&j->mu);
        render_one(r, j->mem[0], n, out);
        return;
    }
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
}

/* Drops version n's rendering from the pool, when the main loop reports
 * it without (its version row cannot be read). */
static void pool_skip(scan_job *j, int64_t n)
{
    if (!j->pool)
        return;
    pthread_mutex_lock(&j->mu);
    if (pool_at(j, n)) {
        size_t k = j->at;
        if (k >= j->next)
            j->next = k + 1; /* nobody renders it */
        else
            while (j->slot[k % AHEAD].state == 1)
                pthread_cond_wait(&j->cv, &j->mu);
        vres_free(&j->slot[k % AHEAD]);
        j->at = k + 1;
    }
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
}

/* Version v's rendering with its digests and checkpoint: from the pool
 * when there is one, else here with the hashes on their own threads.
 * Fails as inv__render_checkpoint does (in sub). */
static int render_version(scan_job *j, inv_register *r, const inv_version *v,
                          unsigned char prehash[CR_PREHASH_BYTES], char hash[CR_HASH_STR_LEN],
                          inv__render_stats *stats, inv_checkpoint *cp, inv_err *sub)
{
    if (!j->pool)
        return inv__render_checkpoint(r, v, NULL, NULL, prehash, hash, stats, cp, sub);
    vres x;
    pool_take(j, r, v->number, &x);
    memcpy(prehash, x.prehash, sizeof x.prehash);
    memcpy(hash, x.hash, sizeof x.hash);
    *stats = x.stats;
    if (x.hrc)
        *sub = x.sub;
    else
        *cp = x.cp;
    return x.hrc;
}

static void *scan_main(void *p)
{
    scan_job *j = p;
    inv_err e;
    bad_rows bad = {0};
    int rc = scan_rows(j->r, j->latest, &bad, &e);
    pthread_mutex_lock(&j->mu);
    j->bad = bad;
    j->e = e;
    j->rc = rc;
    j->scanned = 1;
    pthread_cond_broadcast(&j->cv);
    if (!rc && j->pool)
        pool_work(j);
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

/* The version numbers from 1 to latest, for the pool (on when two or
 * more). Leaves the pool off when they cannot be read. */
static void pool_numbers(scan_job *j, inv_register *r)
{
    sqlite3_stmt *st = NULL;
    inv_err sub;
    if (inv__prepare(r, &st, "SELECT number FROM version WHERE number >= 1 AND number <= ?1"
                             " ORDER BY number", &sub))
        return;
    sqlite3_bind_int64(st, 1, j->latest);
    size_t cap = 0;
    int s;
    while ((s = sqlite3_step(st)) == SQLITE_ROW) {
        if (j->count == cap) {
            size_t ncap = cap ? cap * 2 : 64;
            int64_t *nv = realloc(j->nums, ncap * sizeof *nv);
            if (!nv)
                break;
            j->nums = nv;
            cap = ncap;
        }
        j->nums[j->count++] = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    if (s != SQLITE_DONE || j->count < 2) {
        free(j->nums);
        j->nums = NULL;
        j->count = 0;
        return;
    }
    j->pool = 1;
    /* A leaf hash is kept by item revision, which names one row only when
     * rev is the table's key (a schema rewritten behind scopereg's back
     * may make it another column): otherwise no memory, the same results.
     * NULL memories: no reuse either. */
    if (inv__rev_keyed(r)) {
        j->mem[0] = inv__leafmem_new();
        j->mem[1] = inv__leafmem_new();
    }
}

/* Frees what scan_start made for the thread (after it stopped, or when it
 * could not start) and closes the second handle. */
static void scan_free(scan_job *j)
{
    for (int i = 0; i < AHEAD; i++)
        vres_free(&j->slot[i]);
    free(j->nums);
    j->nums = NULL;
    inv__leafmem_free(j->mem[0]);
    inv__leafmem_free(j->mem[1]);
    j->mem[0] = j->mem[1] = NULL;
    j->pool = 0;
    pthread_cond_destroy(&j->cv);
    pthread_mutex_destroy(&j->mu);
    inv_close(j->r);
    j->r = NULL;
}

/* Starts the scan on its thread when there are two jobs and a second
 * read-only handle opens; 0 then, -1 when the caller scans by itself. */
static int scan_start(inv_register *r, int64_t latest, bad_rows *into, inv_buf *global,
                      scan_job *j)
{
    inv_err sub;
    memset(j, 0, sizeof *j);
    j->latest = latest;
    j->into = into;
    j->global = global;
    if (inv_pipe_jobs() < 2 || inv__reader_open(r, &j->r, &sub) != INV_OK)
        return -1;
    if (pthread_mutex_init(&j->mu, NULL)) {
        inv_close(j->r);
        j->r = NULL;
        return -1;
    }
    if (pthread_cond_init(&j->cv, NULL)) {
        pthread_mutex_destroy(&j->mu);
        inv_close(j->r);
        j->r = NULL;
        return -1;
    }
    pool_numbers(j, r);
    /* signals stay with the caller's thread, as with the pipes' workers */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int started = pthread_create(&j->t, NULL, scan_main, j);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (started != 0) {
        scan_free(j);
        return -1;
    }
    return 0;
}

/* Stops the thread (its renderings not taken are dropped) and closes the
 * second handle. Nothing when there was no thread. */
static void scan_end(scan_job *j)
{
    if (!j->r)
        return;
    pthread_mutex_lock(&j->mu);
    j->stop = 1;
    pthread_cond_broadcast(&j->cv);
    pthread_mutex_unlock(&j->mu);
    pthread_join(j->t, NULL);
    if (!j->merged)
        bad_rows_free(&j->bad);
    scan_free(j);
}

/* Waits for the scan and moves what it found into b, its rows and faults
 * first (the order of one thread: scan_rows ran before check_parties).
 * Returns the scan's code (its message in e). Once only. */
static int scan_join(scan_job *j, bad_rows *b, inv_err *e)
{
    if (!j->r || j->merged)
        return INV_OK;
    pthread_mutex_lock(&j->mu);
    while (!j->scanned)
        pthread_cond_wait(&j->cv, &j->mu);
    pthread_mutex_unlock(&j->mu);
    j->merged = 1;
    bad_rows *s = &j->bad;
    int rc = j->rc;
    if (rc)
        *e = j->e;
    bad_row *v = realloc(s->v, (s->n + b->n + 1) * sizeof *v);
    row_fault *f = realloc(s->f, (s->nf + b->nf + 1) * sizeof *f);
    if (v)
        s->v = v;
    if (f)
        s->f = f;
    if (!v || !f) {
        bad_rows_free(s);
        return rc ? rc : inv_fail(e, INV_EIO, "out of memory");
    }
    if (b->n) /* b->v is NULL when b holds no row */
        memcpy(v + s->n, b->v, b->n * sizeof *v);
    if (b->nf)
        memcpy(f + s->nf, b->f, b->nf * sizeof *f);
    free(b->v);
    free(b->f);
    b->v = v;
    b->n += s->n;
    b->cap = b->n;
    b->f = f;
    b->nf += s->nf;
    b->capf = b->nf;
    for (size_t i = 0; i < b->nf; i++)
        f[i].seq = i;
    b->oom |= s->oom;
    strays *x = &b->stray;
    const strays *y = &s->stray;
    x->item_low += y->item_low;
    x->item_beyond += y->item_beyond;
    if (y->beyond_min && (!x->beyond_min || y->beyond_min < x->beyond_min))
        x->beyond_min = y->beyond_min;
    if (y->beyond_max > x->beyond_max)
        x->beyond_max = y->beyond_max;
    return rc;
}

/* Once the scan is in (waits for it, the first time only): the lines of
 * what no version holds (j->global), the faults in version order, and
 * whether rows name versions past latest (j->beyond). */
static int settle(scan_job *j, inv_err *e)
{
    if (j->settled)
        return INV_OK;
    bad_rows *b = j->into;
    int rc = scan_join(j, b, e);
    if (rc)
        return rc;
    if (b->oom) /* a fault that could not be kept must not read as none */
        return inv_fail(e, INV_EIO, "out of memory");
    name_low_strays(&b->stray, j->global);
    if (j->ncp)
        inv_buf_printf(j->global, "; %lld checkpoint signature row%s name%s a version the "
                       "register does not hold (version %lld)", (long long)j->ncp,
                       j->ncp == 1 ? "" : "s", j->ncp == 1 ? "s" : "", (long long)j->cpmin);
    if (b->nf)
        qsort(b->f, b->nf, sizeof *b->f, cmp_fault);
    name_stray_faults(b, j->latest, j->global);
    const strays *sy = &b->stray;
    j->beyond = sy->item_beyond + sy->sig_beyond + sy->key_beyond > 0;
    j->settled = 1;
    return INV_OK;
}

int inv_verify(inv_register *r, inv_check_fn fn, void *ctx, inv_err *e)
{
    int64_t latest;
    bad_rows bad = {0};
    inv_buf why = {0}, global = {0};
    char prev_hash[CR_HASH_STR_LEN] = "";
    int64_t prev_date = 0, first_bad = 0;
    inv_version_span_t span;
    /* The versions checked are those the version table holds, 1 to its
     * highest number: a row anywhere naming a version past it (that
     * version row deleted, or a number made up) is counted and reported
     * in one line, and a gap in the table is one line, whatever the
     * numbers: nothing is walked number by number. */
    int rc = inv_version_span(r, &span, e);
    if (rc)
        return rc;
    latest = span.max > 0 ? span.max : 0;
    /* The scan of every row runs beside the first rendering when it can
     * (scan_start); what needs its results waits for it (settle). */
    scan_job job;
    const strays *sy = &bad.stray;
    if (scan_start(r, latest, &bad, &global, &job) && (rc = scan_rows(r, latest, &bad, e)))
        goto out;
    /* the key checks' faults are described whatever the scan found (with
     * one thread or two: the scan's list caps its own texts) */
    bad.all_texts = 1;
    if ((rc = check_parties(r, latest, &global, &bad, e)) ||
        (rc = count_strays(r, latest, &bad.stray, e)) ||
        /* checkpoint signature rows of no version the register holds */
        (rc = inv__cpsig_strays(r, latest, &job.ncp, &job.cpmin, e)))
        goto out;

    for (int64_t n = 1; n <= latest;) {
        inv_version v;
        inv_err sub;
        char hash[CR_HASH_STR_LEN] = "";
        unsigned char prehash[CR_PREHASH_BYTES];
        inv__render_stats stats = {.strict = 1};
        inv_sig_state sigs = {0};
        inv_cp_state cps;
        int have_cp = 0;
        int64_t shown = n, next = n < latest ? n + 1 : 0;
        why.len = 0;
        inv_buf_add(&why, "", 0);
        int vrc = inv_version_get(r, n, &v, &sub);
        if (vrc)
            pool_skip(&job, n);
        if (vrc == INV_EIO) {
            /* no verdict on a version that could not be read (out of
             * memory, the file unreadable): the command fails */
            if (!(rc = settle(&job, e)))
                rc = inv_fail(e, INV_EIO, "%s", sub.msg);
            goto out;
        }
        if (vrc && (rc = settle(&job, e)))
            goto out;
        if (vrc == INV_EINPUT) {
            /* n is missing, and so is every number up to the next one the
             * table holds: one line for them all. */
            if ((rc = next_version(r, n, latest, &next, e)))
                goto out;
            if (next - 1 == n)
                inv_buf_printf(&why, "; version %lld is missing from the register",
                               (long long)n);
            else
                inv_buf_printf(&why, "; versions %lld to %lld (%lld versions) are missing "
                               "from the register", (long long)n, (long long)(next - 1),
                               (long long)(next - n));
            name_faults(&bad, n, next - 1, &why);
            prev_hash[0] = '\0';
            prev_date = 0;
        } else if (vrc) {
            inv_buf_printf(&why, "; %s", sub.msg);
            name_faults(&bad, n, n, &why);
            prev_hash[0] = '\0';
            prev_date = 0;
        } else {
            /* One rendering: the document's digests and its checkpoint. */
            inv_checkpoint cp;
            int hrc = render_version(&job, r, &v, prehash, hash, &stats, &cp, &sub);
            if (hrc == INV_EIO) {
                /* one thread would have met the scan's failure first */
                if (!(rc = settle(&job, e)))
                    rc = inv_fail(e, INV_EIO, "%s", sub.msg);
                inv_version_free(&v);
                goto out;
            }
            if (hrc) {
                inv_buf_printf(&why, "; %s", sub.msg);
                hash[0] = '\0';
            } else if (strcmp(hash, v.doc_hash)) {
                inv_buf_printf(&why, "; its document no longer matches the hash recorded at "
                                     "commit (%s, now %s)",
                               v.doc_hash, hash);
            }
            if (!hrc && stats.items != v.item_count)
                inv_buf_printf(&why, "; it records %lld items but the register holds %lld",
                               (long long)v.item_count, (long long)stats.items);
            if (n == 1 && v.prev_hash[0])
                inv_buf_printf(&why, "; version 1 names a previous document");
            if (n > 1 && prev_hash[0] && strcmp(v.prev_hash, prev_hash))
                inv_buf_printf(&why, "; its link to version %lld does not hold (records %s, "
                                     "version %lld hashes to %s)",
                               (long long)n - 1, v.prev_hash[0] ? v.prev_hash : "none",
                               (long long)n - 1, prev_hash);
            if (n > 1 && prev_date && v.date < prev_date) {
                char d1[32], d2[32];
                inv_time_format(v.date, d1, sizeof d1);
                inv_time_format(prev_date, d2, sizeof d2);
                inv_buf_printf(&why, "; its date (%s) is before the date of version %lld (%s)",
                               d1, (long long)n - 1, d2);
            }
            if (!hrc && stats.changes == 0)
                inv_buf_printf(&why, "; it records no change");
            if ((rc = settle(&job, e))) {
                if (!hrc)
                    inv_checkpoint_free(&cp);
                inv_version_free(&v);
                goto out;
            }
            name_bad_rows(&bad, n, &why);
            name_faults(&bad, n, n, &why);
            if (!hrc &&
                (rc = inv__verify_signatures(r, n, v.date, prehash, hash, &why, &sigs, e))) {
                inv_checkpoint_free(&cp);
                inv_version_free(&v);
                goto out;
            }
            /* Its checkpoint's signatures, against the checkpoint of the
             * document just rendered (when it hashes as recorded). */
            if (!hrc && !strcmp(hash, v.doc_hash)) {
                if ((rc = inv__cpsig_verify(r, &cp, &why, &cps, e))) {
                    inv_checkpoint_free(&cp);
                    inv_version_free(&v);
                    goto out;
                }
                have_cp = 1;
            }
            if (!hrc)
                inv_checkpoint_free(&cp);
            prev_date = v.date;
            snprintf(prev_hash, sizeof prev_hash, "%s", hrc ? "" : hash);
            inv_version_free(&v);
        }
        /* The last line of the table's versions (a gap never is): what no
         * version holds goes here, unless rows name versions past it. */
        if (n == latest && !job.beyond && global.len)
            inv_buf_add(&why, global.data, global.len);
        if (why.failed || global.failed || (why.len && inv_oom_seen())) {
            /* a fault whose line could not be written must not read as
             * none, nor a check that lost memory as a fault */
            rc = inv_fail(e, INV_EIO, "out of memory");
            goto out;
        }
        inv_check c = {shown, why.len == 0, why.len ? why.data + 2 : NULL, &sigs, hash,
                       have_cp ? &cps : NULL};
        if (!c.ok && !first_bad) {
            first_bad = shown;
            inv_fail(e, INV_FAIL, "version %lld does not hold: %s", (long long)shown,
                     c.reason);
        }
        if (fn && (rc = fn(ctx, &c)))
            goto out;
        if (!next || next > latest)
            break;
        n = next;
    }
    if ((rc = settle(&job, e)))
        goto out;
    if (job.beyond) {
        /* Rows naming versions past the latest: one line, on the first
         * such version. */
        int64_t k = sy->beyond_min;
        why.len = 0;
        inv_buf_printf(&why, "; version %lld is missing from the register: ", (long long)k);
        int64_t nrows = rows_phrase(&why, sy->item_beyond, sy->sig_beyond, sy->key_beyond);
        inv_buf_printf(&why, " name%s versions beyond the latest version %lld (",
                       nrows == 1 ? "s" : "", (long long)latest);
        if (sy->beyond_max == k)
            inv_buf_printf(&why, "version %lld)", (long long)k);
        else
            inv_buf_printf(&why, "versions %lld to %lld)", (long long)k,
                           (long long)sy->beyond_max);
        if (global.len)
            inv_buf_add(&why, global.data, global.len);
        if (why.failed || global.failed || inv_oom_seen()) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            goto out;
        }
        inv_check c = {k, 0, why.data + 2, NULL, "", NULL};
        inv_sig_state none = {0};
        c.sigs = &none;
        if (!first_bad) {
            first_bad = k;
            inv_fail(e, INV_FAIL, "version %lld does not hold: %s", (long long)k, c.reason);
        }
        if (fn && (rc = fn(ctx, &c)))
            goto out;
    } else if (global.failed) {
        rc = inv_fail(e, INV_EIO, "out of memory");
        goto out;
    } else if (latest == 0 && global.len && inv_oom_seen()) {
        rc = inv_fail(e, INV_EIO, "out of memory");
        goto out;
    } else if (latest == 0 && global.len) {
        /* an empty register with stray rows is broken too */
        rc = inv_fail(e, INV_FAIL, "register does not hold: %s", global.data + 2);
        goto out;
    }
    rc = first_bad ? INV_FAIL : INV_OK;
out:
    scan_end(&job);
    bad_rows_free(&bad);
    inv_buf_free(&why);
    inv_buf_free(&global);
    return rc;
}
