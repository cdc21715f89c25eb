/*
 * docsource.c - a folder of exported documents and signature files as a
 * source of versions for the answers of work/answer.c: checked once as
 * verify --documents checks it, then each version's header, signatures
 * and verdict kept (never its items: an item is looked up streamed in the
 * one document that is asked about).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "answer_int.h"
#include "work_int.h"
#include "beside.h"
#include "docfind.h"

/* One version of the folder. */
typedef struct dentry {
    char *path;
    inv_doc doc;         /* its header, strings owned */
    int ok;              /* holds, and its keys are traced */
    char *problem;       /* !ok: why (inv_docs_verify's reason) */
    inv_sig_state sigs;  /* its signature files that hold */
    int sure;            /* no signature file of it fails */
} dentry;

typedef struct docsrc {
    inv_source base; /* first: the source handed out */
    char *dir;
    int64_t now;
    dentry *v; /* by version, one each */
    size_t n, cap;
    char *unreadable; /* the first document that could not be read, and why */
    char *fork;       /* a second register, when there is one */
    int failed;       /* out of memory */
} docsrc;

static int doc_copy(inv_doc *dst, const inv_doc *src)
{
    *dst = *src;
    dst->contract = src->contract ? strdup(src->contract) : NULL;
    dst->author = src->author ? strdup(src->author) : NULL;
    dst->message = src->message ? strdup(src->message) : NULL;
    for (int i = 0; i < 2; i++)
        dst->party[i] = src->party[i] ? strdup(src->party[i]) : NULL;
    if ((src->contract && !dst->contract) || (src->author && !dst->author) ||
        (src->message && !dst->message) || (src->party[0] && !dst->party[0]) ||
        (src->party[1] && !dst->party[1])) {
        inv_doc_free(dst);
        return -1;
    }
    return 0;
}

static int collect(void *ctx, const inv_doc_check *c)
{
    docsrc *ds = ctx;
    if (!c->doc) {
        if (!ds->unreadable) {
            size_t len = strlen(c->file) + strlen(c->reason ? c->reason : "") + 3;
            if ((ds->unreadable = malloc(len)))
                snprintf(ds->unreadable, len, "%s: %s", c->file, c->reason ? c->reason : "");
            else
                ds->failed = 1;
        }
        return 0;
    }
    if (ds->n && strcmp(ds->v[0].doc.register_id, c->doc->register_id)) {
        if (!ds->fork && !(ds->fork = strdup(c->doc->register_id)))
            ds->failed = 1;
        return 0;
    }
    /* by register then version: the same version twice comes in a row */
    if (ds->n && ds->v[ds->n - 1].doc.version == c->doc->version) {
        dentry *en = &ds->v[ds->n - 1];
        if (!c->ok && en->ok) { /* the same version with other bytes: both broken */
            en->ok = 0;
            free(en->problem);
            if (!(en->problem = strdup(c->reason)))
                ds->failed = 1;
        }
        return 0;
    }
    if (ds->n == ds->cap) {
        size_t cap = ds->cap ? ds->cap * 2 : 16;
        dentry *nv = realloc(ds->v, cap * sizeof *nv);
        if (!nv) {
            ds->failed = 1;
            return INV_EIO;
        }
        ds->v = nv;
        ds->cap = cap;
    }
    dentry *en = &ds->v[ds->n];
    memset(en, 0, sizeof *en);
    const char *why = !c->ok ? c->reason : c->unverified;
    if (!(en->path = strdup(c->file)) || doc_copy(&en->doc, c->doc) ||
        (why && !(en->problem = strdup(why)))) {
        free(en->path);
        free(en->problem);
        ds->failed = 1;
        return INV_EIO;
    }
    en->ok = why == NULL;
    en->sigs = *c->sigs;
    ds->n++;
    return 0;
}

static dentry *find(docsrc *ds, int64_t n)
{
    size_t lo = 0, hi = ds->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (ds->v[mid].doc.version == n)
            return &ds->v[mid];
        if (ds->v[mid].doc.version < n)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* The key id and the signed: date a signature file that does not hold
 * claims (left as they are when it cannot be read). */
static void claimed(const char *path, char key_id[CR_KEYID_HEX], int64_t *signed_at)
{
    FILE *f;
    char buf[CR_SIG_FILE_MAX + 1];
    cr_sig sig;
    cr_err ce;
    inv_tc tc;
    inv_err sub;
    if (inv_open_regular(path, &f, NULL) != 0)
        return;
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (len > CR_SIG_FILE_MAX || cr_sig_parse(buf, len, &sig, &ce) != CR_OK)
        return;
    cr_keyid_hex(sig.keyid, key_id);
    if (inv_tc_parse(sig.trusted, &tc, &sub) == INV_OK)
        *signed_at = tc.signed_at;
}

static int cmp_vsig(const void *a, const void *b)
{
    const inv_vsig *x = a, *y = b;
    int c = strcmp(x->role, y->role);
    return c ? c : strcmp(x->key_id, y->key_id);
}

/* The signature files of en's document, checked (inv_sig_beside_check,
 * as inv_docs_verify checks them): into vi's list when vi is given;
 * *sure clear when one of them fails. INV_EIO when out of memory. */
static int doc_sigs(docsrc *ds, dentry *en, inv_vinfo *vi, int *sure, inv_err *e)
{
    inv_keyring *ring = NULL;
    char *stem = inv_path_stem(en->path);
    int rc = stem ? inv_keyring_load(ds->dir, &ring, e)
                  : inv_fail(e, INV_EIO, "out of memory");
    *sure = 1;
    for (int role = 0; role < 2 && !rc; role++)
        for (int old = 0; old < 2 && !rc; old++) {
            inv_sig_beside sb;
            if ((rc = inv_sig_beside_check(&en->doc, stem, role, old, NULL, ring, ds->now, &sb,
                                           e)))
                break;
            if (sb.status != INV_BESIDE_ABSENT && sb.status != INV_BESIDE_IGNORED) {
                int ok = sb.status == INV_BESIDE_VALID;
                *sure &= ok;
                inv_vsig *nv = vi ? realloc(vi->sigs, (vi->nsigs + 1) * sizeof *nv) : NULL;
                if (vi && !nv) {
                    rc = inv_fail(e, INV_EIO, "out of memory");
                } else if (vi) {
                    vi->sigs = nv;
                    inv_vsig *s = &nv[vi->nsigs++];
                    memset(s, 0, sizeof *s);
                    snprintf(s->role, sizeof s->role, "%s", inv_roles[role]);
                    snprintf(s->key_id, sizeof s->key_id, "%s", sb.want);
                    s->ok = ok;
                    if (ok) {
                        s->signed_at = sb.signed_at;
                    } else {
                        if (sb.status != INV_BESIDE_NOT_REGULAR &&
                            sb.status != INV_BESIDE_UNREADABLE)
                            claimed(sb.path, s->key_id, &s->signed_at);
                        size_t len = strlen(sb.path) + strlen(sb.err.msg) + 3;
                        if ((s->reason = malloc(len)))
                            snprintf(s->reason, len, "%s: %s", inv_path_base(sb.path),
                                     sb.err.msg);
                        else
                            rc = inv_fail(e, INV_EIO, "out of memory");
                    }
                }
            }
            inv_sig_beside_free(&sb);
        }
    if (!rc && vi && vi->nsigs > 1)
        qsort(vi->sigs, vi->nsigs, sizeof *vi->sigs, cmp_vsig);
    inv_keyring_free(ring);
    free(stem);
    return rc;
}

static int ds_latest(inv_source *s, int64_t *n, inv_err *e)
{
    docsrc *ds = (docsrc *)s;
    (void)e;
    *n = ds->n ? ds->v[ds->n - 1].doc.version : 0;
    return INV_OK;
}

static int ds_state(inv_source *s, int64_t n, inv__vstate *out, inv_err *e)
{
    dentry *en = find((docsrc *)s, n);
    (void)e;
    memset(out, 0, sizeof *out);
    if (!en)
        return INV_OK;
    out->present = 1;
    out->date = en->doc.date;
    out->sigs = en->sigs;
    out->sure = en->sure;
    out->problem = en->problem ? en->problem : INV_("a signature file does not hold");
    return INV_OK;
}

static int ds_link(inv_source *s, int64_t n, int64_t t, inv_err *e)
{
    docsrc *ds = (docsrc *)s;
    char when[32];
    if (n < 2 || find(ds, n - 1))
        return INV_OK; /* inv_docs_verify checked that n follows n-1 */
    inv_time_format(t, when, sizeof when);
    return inv_fail(e, INV_FAIL, "%s lacks version %lld, which version %lld, in force at %s, "
                    "follows: the answer cannot rely on the folder; add version %lld's "
                    "document and signature files to it", ds->dir, (long long)n - 1,
                    (long long)n, when, (long long)n - 1);
}

static int ds_version(inv_source *s, int64_t n, int check, inv_vinfo *vi, inv_err *e)
{
    docsrc *ds = (docsrc *)s;
    dentry *en = find(ds, n);
    int sure;
    memset(vi, 0, sizeof *vi);
    if (!en)
        return inv_fail(e, INV_FAIL, "%s lacks version %lld", ds->dir, (long long)n);
    const inv_doc *d = &en->doc;
    vi->v.number = n;
    vi->v.date = d->date;
    vi->v.item_count = d->items;
    snprintf(vi->v.prev_hash, sizeof vi->v.prev_hash, "%s", d->previous);
    snprintf(vi->v.doc_hash, sizeof vi->v.doc_hash, "%s", d->doc_hash);
    vi->v.author = strdup(d->author ? d->author : "");
    vi->v.message = strdup(d->message ? d->message : "");
    vi->state = en->sigs;
    vi->agreed_at = inv_agreed_at(&vi->state, d->date);
    for (int i = 0; i < 2; i++) {
        vi->party[i] = strdup(d->party[i] ? d->party[i] : "");
        snprintf(vi->party_key[i], sizeof vi->party_key[i], "%s", d->key[i]);
    }
    if (!vi->v.author || !vi->v.message || !vi->party[0] || !vi->party[1])
        return inv_fail(e, INV_EIO, "out of memory");
    int rc = doc_sigs(ds, en, vi, &sure, e);
    if (rc)
        return rc;
    if (check) {
        vi->checked = 1;
        vi->hold = en->ok && sure;
        if (!vi->hold &&
            !(vi->problem = strdup(en->problem ? en->problem
                                               : INV_("a signature file does not hold"))))
            return inv_fail(e, INV_EIO, "out of memory");
    }
    return INV_OK;
}

static int ds_item(inv_source *s, int64_t n, const char *id, inv_item *out, int *found,
                   inv_err *e)
{
    docsrc *ds = (docsrc *)s;
    dentry *en = find(ds, n);
    inv_doc_find f;
    *found = 0;
    if (!en)
        return inv_fail(e, INV_FAIL, "%s lacks version %lld", ds->dir, (long long)n);
    int rc = inv_doc_find_item(en->path, &en->doc, id, &f, e);
    if (!rc && f.listed) {
        inv_item_free(out);
        *out = f.item;
        inv_item_init(&f.item);
        *found = 1;
    }
    inv_doc_find_free(&f);
    return rc;
}

int inv__source_terms(inv_source *s, int64_t n, const char *service, const char *cls,
                      inv_term *svc_out, inv_term *cls_out, inv_err *e)
{
    if (!s->documents)
        return inv_fail(e, INV_EINPUT, "the terms of a version are read from a register "
                        "with inv_cov_answer_get");
    docsrc *ds = (docsrc *)s;
    dentry *en = find(ds, n);
    if (!en)
        return inv_fail(e, INV_FAIL, "%s lacks version %lld", ds->dir, (long long)n);
    return inv_doc_find_terms(en->path, &en->doc, service, cls, svc_out, cls_out, e);
}

static int ds_steps(inv_source *s, const char *id, inv_history_fn fn, void *ctx,
                    inv_history_answer *out, inv_err *e)
{
    docsrc *ds = (docsrc *)s;
    inv_item prev;
    inv_item_init(&prev);
    int have_prev = 0, rc = INV_OK;
    int64_t expect = 1;
    for (size_t i = 0; i < ds->n && !rc; i++) {
        dentry *en = &ds->v[i];
        inv_doc_find f;
        if (en->doc.version > expect && !out->lacks)
            out->lacks = expect;
        expect = en->doc.version + 1;
        if ((rc = inv_doc_find_item(en->path, &en->doc, id, &f, e))) {
            inv_doc_find_free(&f);
            break;
        }
        int stepped = f.change != 0;
        if (stepped) {
            inv_history_step step = {0};
            step.version = en->doc.version;
            step.change.id = id;
            step.change.op = (inv_op)f.change;
            if (f.change == INV_OP_ADD) {
                step.change.after = f.listed ? &f.item : NULL;
            } else if (f.change == INV_OP_EDIT) {
                step.change.before = have_prev ? &prev : &f.item;
                step.change.after = &f.item;
            } else {
                step.change.before = have_prev ? &prev : NULL;
                step.change.reason = f.reason;
            }
            rc = fn(ctx, &step);
        }
        if (!rc && !stepped && !en->ok && !out->doubt) {
            out->doubt = en->doc.version;
            if (!(out->doubt_why = strdup(en->problem)))
                rc = inv_fail(e, INV_EIO, "out of memory");
        }
        if (!rc && f.listed) {
            inv_item_free(&prev);
            prev = f.item;
            inv_item_init(&f.item);
            have_prev = 1;
        } else if (!rc) {
            have_prev = 0;
        }
        inv_doc_find_free(&f);
    }
    inv_item_free(&prev);
    return rc;
}

static void ds_free(inv_source *s)
{
    docsrc *ds = (docsrc *)s;
    for (size_t i = 0; i < ds->n; i++) {
        free(ds->v[i].path);
        free(ds->v[i].problem);
        inv_doc_free(&ds->v[i].doc);
    }
    free(ds->v);
    free(ds->dir);
    free(ds->unreadable);
    free(ds->fork);
    free(ds);
}

static const inv__source_ops doc_ops = {ds_latest, NULL,     ds_state, ds_link,
                                        ds_version, ds_item, ds_steps, ds_free};

int inv_source_documents(const char *dir, int64_t now, inv_source **out, inv_err *e)
{
    docsrc *ds = calloc(1, sizeof *ds);
    *out = NULL;
    if (!ds || !(ds->dir = strdup(dir))) {
        free(ds);
        return inv_fail(e, INV_EIO, "out of memory");
    }
    ds->base.ops = &doc_ops;
    ds->base.documents = 1;
    ds->base.where = ds->dir;
    ds->now = now;
    inv_err sub = {0};
    int rc = inv_docs_verify(dir, now, collect, ds, &sub);
    if (ds->failed)
        rc = inv_fail(e, INV_EIO, "out of memory");
    else if (rc == INV_EINPUT || rc == INV_EIO)
        *e = sub;
    else if (ds->unreadable)
        rc = inv_fail(e, INV_FAIL, "%s; no answer can rely on a folder holding a document "
                      "that cannot be read: remove it or replace it with the exported one",
                      ds->unreadable);
    else if (ds->fork)
        rc = inv_fail(e, INV_FAIL, "%s holds the documents of registers %s and %s: a fork "
                      "(run 'scopereg verify --documents %s'); keep one contract's documents "
                      "in a folder of their own", dir, ds->v[0].doc.register_id, ds->fork, dir);
    else
        rc = INV_OK;
    for (size_t i = 0; i < ds->n && !rc; i++) {
        int sure;
        rc = doc_sigs(ds, &ds->v[i], NULL, &sure, e);
        ds->v[i].sure = sure;
    }
    if (rc) {
        ds_free(&ds->base);
        return rc;
    }
    ds->base.contract = ds->n ? ds->v[0].doc.contract : "";
    *out = &ds->base;
    return INV_OK;
}
