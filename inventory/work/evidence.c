/* evidence.c - planning an evidence bundle: every version re-checked as a third party will. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "evidence.h"
#include "work_int.h"

/* Stop value of the item walk: not an INV_* code. */
#define FOUND_STOP (-1)

/* A register that does not hold gives no evidence. */
static int broken(inv_err *e, int64_t n, const char *why)
{
    char w[sizeof e->msg];
    size_t len = strlen(why); /* why may be e->msg */
    len = len < sizeof w ? len : sizeof w - 1;
    memcpy(w, why, len);
    w[len] = '\0';
    return inv_fail(e, INV_FAIL, "version %lld does not hold: %s; no evidence written (run "
                    "'scopereg verify')", (long long)n, w);
}

static int oom(inv_err *e)
{
    return inv_fail(e, INV_EIO, "out of memory");
}

/* ---- the question ---- */

static int find_one(void *ctx, const inv_item *it)
{
    inv_evidence *E = ctx;
    int c = strcmp(it->id, E->id);
    if (c < 0)
        return 0;
    if (c == 0) {
        if (inv_item_copy(&E->item, it))
            return INV_EIO;
        E->found = 1;
    }
    return FOUND_STOP; /* items come in id order */
}

typedef struct fields_ctx {
    inv_buf *b;
    int n;
} fields_ctx;

static int one_field(void *ctx, const char *field, const char *old_value, const char *new_value)
{
    (void)old_value;
    (void)new_value;
    fields_ctx *c = ctx;
    return inv_buf_printf(c->b, "%s%s", c->n++ ? ", " : "", field) ? INV_EIO : 0;
}

static int one_step(void *ctx, const inv_history_step *s)
{
    inv_evidence *E = ctx;
    if (s->version > E->inf.version)
        return 0;
    inv_ev_step *nv = realloc(E->steps, (E->nsteps + 1) * sizeof *nv);
    if (!nv)
        return INV_EIO;
    E->steps = nv;
    inv_ev_step *st = &nv[E->nsteps++];
    inv_buf b = {0};
    st->version = s->version;
    st->detail = NULL;
    inv_buf_add(&b, "", 0);
    if (s->change.op == INV_OP_ADD) {
        st->op = '+';
    } else if (s->change.op == INV_OP_EDIT) {
        fields_ctx fc = {&b, 0};
        st->op = '~';
        if (inv_field_changes(s->change.before, s->change.after, one_field, &fc))
            inv_buf_free(&b);
    } else {
        st->op = '-';
        inv_escape(&b, s->change.reason ? s->change.reason : "");
    }
    if (!b.data)
        return INV_EIO;
    st->detail = b.data;
    return 0;
}

/* Keeps a copy of a term of N that the found item's coverage names. */
static int named_term(void *ctx, const inv_term *t)
{
    inv_evidence *E = ctx;
    int named = t->type == INV_TERM_SERVICE ? inv_cov_has(E->item.svc, t->id)
              : t->type == INV_TERM_CLASS   ? E->item.sla && !strcmp(E->item.sla, t->id)
                                            : 0;
    if (!named)
        return 0;
    inv_term *nv = realloc(E->terms, (E->nterms + 1) * sizeof *nv);
    if (!nv)
        return INV_EIO;
    E->terms = nv;
    inv_term *c = &nv[E->nterms++];
    inv_err ignore;
    inv_term_init(c);
    c->type = t->type;
    if (!(c->id = strdup(t->id)))
        return INV_EIO;
    for (size_t i = 0; i < t->nf; i++)
        if (inv_term_set(c, t->f[i].key, t->f[i].value, &ignore))
            return INV_EIO;
    return 0;
}

int inv_evidence_ask(inv_register *r, const char *id, int64_t t, int at_given, int64_t made,
                     inv_evidence *E, inv_err *e)
{
    memset(E, 0, sizeof *E);
    inv_item_init(&E->item);
    E->t = t;
    E->at_given = at_given;
    E->made = made;
    inv_time_format(t, E->when, sizeof E->when);
    snprintf(E->register_id, sizeof E->register_id, "%s", inv_register_id(r));
    if ((id && !(E->id = strdup(id))) || !(E->contract = strdup(inv_contract(r))))
        return oom(e);
    int rc;
    if ((rc = inv_in_force_at(r, t, &E->inf, e)) || (rc = inv_latest(r, &E->latest, e)))
        return rc;
    if (!E->inf.version)
        return inv_fail(e, INV_FAIL, "no version of contract %s had been agreed by both "
                        "parties by %s: there is no scope in force to give as evidence (see "
                        "'scopereg log'); nothing written", E->contract, E->when);
    if (E->inf.latest > E->inf.version) {
        inv_version lv;
        if ((rc = inv_version_get(r, E->inf.latest, &lv, e)))
            return rc;
        rc = inv_sig_state_get(r, E->inf.latest, &E->later_st, e);
        E->later_date = lv.date;
        E->later_agreed = rc ? 0 : inv_agreed_at(&E->later_st, lv.date);
        inv_version_free(&lv);
        if (rc)
            return rc;
    }
    inv_doc_stem(E->contract, E->stem, sizeof E->stem);
    for (int i = 0; i < 2; i++) {
        inv_party p;
        if ((rc = inv_party_get(r, inv_roles[i], E->inf.version, &p, e)))
            return rc;
        E->party[i] = p.name;
        p.name = NULL;
        inv_party_free(&p);
    }
    if (E->id) {
        e->msg[0] = '\0';
        rc = inv_items(r, E->inf.version, find_one, E, e);
        if ((rc != INV_OK && rc != FOUND_STOP) || (rc = inv_history(r, E->id, one_step, E, e)) ||
            (E->found && E->item.svc &&
             (rc = inv_terms(r, E->inf.version, named_term, E, e)))) {
            if (!e->msg[0])
                oom(e);
            return e->code ? e->code : INV_EIO;
        }
    }
    return INV_OK;
}

/* ---- versions 1 to N: render, check, plan ---- */

static int key_note(inv_evidence *E, int role, const cr_pubkey *pk, int64_t n, int replaced_here)
{
    char id[CR_KEYID_HEX];
    cr_keyid_hex(pk->keyid, id);
    inv_ev_key *k = (inv_ev_key *)inv_evidence_key(E, role, id);
    if (!k) {
        inv_ev_key *nv = realloc(E->keys, (E->nkeys + 1) * sizeof *nv);
        if (!nv)
            return -1;
        E->keys = nv;
        k = &nv[E->nkeys++];
        memset(k, 0, sizeof *k);
        k->role = role;
        memcpy(k->id, id, sizeof id);
        k->pk = *pk;
    }
    if (replaced_here) {
        k->replaced = n;
    } else {
        if (!k->from)
            k->from = n;
        k->to = n;
    }
    return 0;
}

typedef struct rows_ctx {
    inv_sig_row *v;
    size_t n;
    int failed;
} rows_ctx;

static int keep_row(void *ctx, const inv_sig_row *s)
{
    rows_ctx *c = ctx;
    inv_sig_row *nv = realloc(c->v, (c->n + 1) * sizeof *nv);
    char *role = nv ? strdup(s->role) : NULL, *kid = role ? strdup(s->key_id) : NULL;
    char *sig = kid ? strdup(s->minisig) : NULL;
    if (nv)
        c->v = nv;
    if (!sig) {
        free(role);
        free(kid);
        c->failed = 1;
        return INV_EIO;
    }
    nv[c->n++] = (inv_sig_row){s->version, role, kid, s->signed_at, sig};
    return 0;
}

static void rows_free(rows_ctx *c)
{
    for (size_t i = 0; i < c->n; i++) {
        free((char *)c->v[i].role);
        free((char *)c->v[i].key_id);
        free((char *)c->v[i].minisig);
    }
    free(c->v);
}

/* A planned signature and the stored text it was read from. */
typedef struct sig_plan {
    inv_ev_sig s;
    const char *minisig;
} sig_plan;

static int cmp_sig(const void *a, const void *b)
{
    const sig_plan *x = a, *y = b;
    if (x->s.old != y->s.old)
        return x->s.old - y->s.old;
    return x->s.role - y->s.role;
}

/* The document's header against the register: register, version, keys. */
static int check_keys(inv_register *r, inv_evidence *E, inv_ev_version *V, const inv_doc *d,
                      cr_pubkey cur[2], cr_pubkey old[2], inv_err *e)
{
    int64_t n = V->n;
    int rot[2], rc;
    if (strcmp(d->register_id, E->register_id) || d->version != n)
        return broken(e, n, "its document names another register or version");
    for (int i = 0; i < 2; i++) {
        inv_party p;
        char id[CR_KEYID_HEX];
        if ((rc = inv_party_get(r, inv_roles[i], n, &p, e)) ||
            (rc = inv_rotation_at(r, n, inv_roles[i], &rot[i], &old[i], NULL, e)))
            return rc == INV_EIO ? rc : broken(e, n, e->msg);
        cur[i] = p.key;
        inv_party_free(&p);
        cr_keyid_hex(cur[i].keyid, id);
        memcpy(V->key[i], d->key[i], CR_KEYID_HEX);
        memcpy(V->old_key[i], d->old_key[i], CR_KEYID_HEX);
        if (strcmp(id, d->key[i]) || !rot[i] != !d->old_key[i][0])
            return broken(e, n, "the keys its document names are not the register's keys");
        if (key_note(E, i, &cur[i], n, 0) || (rot[i] && key_note(E, i, &old[i], n, 1)))
            return oom(e);
    }
    return INV_OK;
}

/* Its stored signatures, checked as a third party will check them, into
 * plan (rows.n entries) and V's state. */
static int check_sigs(inv_register *r, inv_evidence *E, inv_ev_version *V, const inv_doc *d,
                      const cr_pubkey cur[2], const cr_pubkey old[2], sig_plan **plan,
                      size_t *nplan, rows_ctx *rows, inv_err *e)
{
    int64_t n = V->n;
    int rc;
    if ((rc = inv_sig_list(r, n, keep_row, rows, e)))
        return rows->failed ? oom(e) : rc;
    if (rows->n && !(*plan = calloc(rows->n, sizeof **plan)))
        return oom(e);
    inv_tally tally;
    inv_tally_init(&tally, d->old_key[0][0] != 0, d->old_key[1][0] != 0);
    for (size_t j = 0; j < rows->n; j++) {
        const inv_sig_row *row = &rows->v[j];
        cr_sig sig;
        cr_err ce;
        inv_tc tc;
        inv_err sub;
        int role, isold;
        char why[sizeof sub.msg + 1024 + 128];
        inv_ev_sig *s = &(*plan)[*nplan].s;
        if (cr_sig_parse(row->minisig, strlen(row->minisig), &sig, &ce) != CR_OK) {
            snprintf(why, sizeof why, INV_("its stored %s signature is malformed: %s"), row->role,
                     ce.msg);
            return broken(e, n, why);
        }
        cr_keyid_hex(sig.keyid, s->key_id);
        if (inv_doc_key_role(d, s->key_id, &role, &isold) != INV_OK ||
            strcmp(inv_roles[role], row->role) || strcmp(s->key_id, row->key_id)) {
            snprintf(why, sizeof why,
                     INV_("its stored %s signature by key %s is not by a key its document names "
                          "for that party"),
                     row->role, s->key_id);
            return broken(e, n, why);
        }
        if (inv_doc_sig_check(d, role, isold, isold ? &old[role] : &cur[role], &sig, E->made,
                              &tc, &sub) != INV_OK) {
            snprintf(why, sizeof why, INV_("its stored %s signature does not hold: %s"), row->role,
                     sub.msg);
            return broken(e, n, why);
        }
        if (tc.signed_at != row->signed_at)
            return broken(e, n, "a stored signature's date is not the one its trusted comment "
                          "signs");
        if (!(s->trusted = strdup(sig.trusted)))
            return oom(e);
        s->role = role;
        s->old = isold;
        s->signed_at = tc.signed_at;
        inv_bundle_name(s->file, sizeof s->file, isold ? INV_FILE_OLD_SIG : INV_FILE_SIG,
                        E->stem, n, role, NULL);
        (*plan)[(*nplan)++].minisig = row->minisig;
        inv_tally_add(&tally, role, isold, tc.signed_at);
    }
    inv_tally_state(&tally, &V->st);
    V->agreed_at = inv_agreed_at(&V->st, V->date);
    return INV_OK;
}

typedef struct cp_rows {
    inv_evidence *E;
    int64_t n;
    const inv_ev_sink *sink;
    inv_err *e;
    int rc;
} cp_rows;

/* One stored checkpoint signature, checked already (inv_cpsig_state). */
static int cp_row(void *ctx, const inv_sig_row *s)
{
    cp_rows *c = ctx;
    char name[256], *text;
    int role = inv_role_index(s->role);
    cr_sig sig;
    cr_err ce;
    inv_ev_version *V = &c->E->v[c->n - 1];
    if (role < 0 || V->ncpsigs >= sizeof V->cpsigs / sizeof V->cpsigs[0] ||
        cr_sig_parse(s->minisig, strlen(s->minisig), &sig, &ce))
        return 0; /* inv_cpsig_state refused what does not hold */
    inv_ev_sig *g = &V->cpsigs[V->ncpsigs];
    g->role = role;
    /* at a rotation, the key replaced signs the checkpoint too: a file of
     * its own, as export names it */
    g->old = V->old_key[role][0] && !strcmp(s->key_id, V->old_key[role]);
    snprintf(g->key_id, sizeof g->key_id, "%s", s->key_id);
    g->signed_at = s->signed_at;
    inv_bundle_name(g->file, sizeof g->file, g->old ? INV_FILE_CP_OLD_SIG : INV_FILE_CP_SIG,
                    c->E->stem, c->n, role, NULL);
    if (!(g->trusted = strdup(sig.trusted)) || !(text = strdup(s->minisig)))
        return c->rc = oom(c->e);
    V->ncpsigs++;
    snprintf(name, sizeof name, "%s", g->file);
    return c->rc = c->sink->file(c->sink->ctx, name, text, strlen(text));
}

/* Version n's checkpoint and its stored signatures, when it has any
 * (versions signed before checkpoints have none): each must hold, as
 * verify checks it; the checkpoint carries no item data. */
static int plan_checkpoint(inv_register *r, inv_evidence *E, int64_t n,
                           const inv_ev_sink *sink, inv_err *e)
{
    inv_checkpoint cp;
    inv_cp_state st;
    inv_buf b = {0};
    char name[256];
    int rc = inv_checkpoint_get(r, n, &cp, e);
    if (rc)
        return rc == INV_EIO ? rc : broken(e, n, e->msg);
    if ((rc = inv_cpsig_state(r, n, &cp, &st, e))) {
        inv_checkpoint_free(&cp);
        return rc == INV_EIO ? rc : broken(e, n, e->msg);
    }
    if (!st.signed_[0] && !st.signed_[1]) {
        inv_checkpoint_free(&cp);
        return INV_OK;
    }
    rc = inv_checkpoint_format(&cp, &b) ? oom(e) : INV_OK;
    inv_checkpoint_free(&cp);
    if (rc)
        return rc;
    inv_bundle_name(name, sizeof name, INV_FILE_CHECKPOINT, E->stem, n, 0, NULL);
    snprintf(E->v[n - 1].cp_file, sizeof E->v[n - 1].cp_file, "%s", name);
    e->msg[0] = '\0';
    if ((rc = sink->file(sink->ctx, name, b.data, b.len)))
        return rc;
    cp_rows c = {E, n, sink, e, 0};
    rc = inv_cpsig_list(r, n, cp_row, &c, e);
    return c.rc ? c.rc : rc;
}

static int plan_version(inv_register *r, inv_evidence *E, int64_t n, const inv_ev_sink *sink,
                        inv_err *e)
{
    inv_ev_version *V = &E->v[n - 1];
    const char *prev_hash = n > 1 ? E->v[n - 2].hash : "";
    inv_version v = {0};
    inv_doc d;
    rows_ctx rows = {0};
    sig_plan *plan = NULL;
    size_t nplan = 0;
    char *doc = NULL;
    size_t len = 0;
    int rc, parsed = 0;
    cr_pubkey cur[2], old[2];
    V->n = n;
    if ((rc = inv_version_get(r, n, &v, e)) || (rc = inv_render_mem(r, n, &doc, &len, e))) {
        if (rc != INV_EIO)
            rc = broken(e, n, e->msg);
        goto out;
    }
    V->date = v.date;
    V->item_count = v.item_count;
    cr_hash_hex(doc, len, V->hash);
    snprintf(V->previous, sizeof V->previous, "%s", v.prev_hash);
    inv_bundle_name(V->doc, sizeof V->doc, INV_FILE_SCOPE, E->stem, n, 0, NULL);
    if (strcmp(V->hash, v.doc_hash)) {
        char why[256];
        snprintf(why, sizeof why,
                 INV_("its document hashes to %s, not to %s as recorded at commit"), V->hash,
                 v.doc_hash);
        rc = broken(e, n, why);
        goto out;
    }
    if (strcmp(v.prev_hash, prev_hash)) {
        rc = broken(e, n, "its previous: field is not the hash of the version before");
        goto out;
    }
    /* What its item list says must be what its changes make of the
     * version before: the answer and the item's life come from them. */
    if ((rc = inv_version_check(r, n, e))) {
        if (rc != INV_EIO) {
            char why[sizeof e->msg];
            snprintf(why, sizeof why, "%s", e->msg); /* names version n */
            rc = inv_fail(e, INV_FAIL, "%s; no evidence written", why);
        }
        goto out;
    }
    if ((rc = inv_doc_parse(doc, len, V->doc, &d, NULL, NULL, e))) {
        if (rc != INV_EIO)
            rc = broken(e, n, e->msg);
        goto out;
    }
    parsed = 1;
    if ((rc = check_keys(r, E, V, &d, cur, old, e)) ||
        (rc = check_sigs(r, E, V, &d, cur, old, &plan, &nplan, &rows, e)))
        goto out;

    /* The document, then its signatures: provider, client, old keys last. */
    if (nplan)
        qsort(plan, nplan, sizeof *plan, cmp_sig);
    if (nplan && !(V->sigs = calloc(nplan, sizeof *V->sigs))) {
        rc = oom(e);
        goto out;
    }
    for (size_t j = 0; j < nplan; j++) {
        V->sigs[j] = plan[j].s;
        plan[j].s.trusted = NULL;
    }
    V->nsigs = nplan;
    e->msg[0] = '\0';
    rc = sink->file(sink->ctx, V->doc, doc, len);
    doc = NULL;
    for (size_t j = 0; j < nplan && !rc; j++) {
        char *text = strdup(plan[j].minisig);
        rc = text ? sink->file(sink->ctx, V->sigs[j].file, text, strlen(text)) : oom(e);
    }
    if (!rc)
        rc = plan_checkpoint(r, E, n, sink, e);
    if (!rc && sink->version_done)
        rc = sink->version_done(sink->ctx, n);
    if (rc && !e->msg[0])
        e->code = rc;
out:
    for (size_t j = 0; j < nplan; j++)
        free(plan[j].s.trusted);
    free(plan);
    free(doc);
    if (parsed)
        inv_doc_free(&d);
    rows_free(&rows);
    inv_version_free(&v);
    return rc;
}

int inv_evidence_plan(inv_register *r, inv_evidence *E, const inv_ev_sink *sink, inv_err *e)
{
    int rc;
    if (!(E->v = calloc((size_t)E->inf.version, sizeof *E->v)))
        return oom(e);
    for (int64_t n = 1; n <= E->inf.version; n++) {
        E->nv = n;
        if ((rc = plan_version(r, E, n, sink, e)))
            return rc;
    }
    /* The keys: those in force at N under the plain names, the others
     * (before a rotation) under names with their key ids. */
    const inv_ev_version *N = &E->v[E->nv - 1];
    for (size_t i = 0; i < E->nkeys; i++) {
        inv_ev_key *k = &E->keys[i];
        int plain = !strcmp(k->id, N->key[k->role]);
        inv_bundle_name(k->file, sizeof k->file, plain ? INV_FILE_PUB : INV_FILE_KEYID_PUB,
                        E->stem, 0, k->role, k->id);
        char *text = cr_pubkey_format(&k->pk);
        if (!text)
            return oom(e);
        e->msg[0] = '\0';
        if ((rc = sink->file(sink->ctx, k->file, text, strlen(text)))) {
            e->code = rc;
            return rc;
        }
    }
    return INV_OK;
}

const inv_ev_key *inv_evidence_key(const inv_evidence *E, int role, const char *id)
{
    for (size_t i = 0; i < E->nkeys; i++)
        if (E->keys[i].role == role && !strcmp(E->keys[i].id, id))
            return &E->keys[i];
    return NULL;
}

void inv_evidence_free(inv_evidence *E)
{
    for (int64_t k = 0; k < E->nv; k++) {
        for (size_t j = 0; j < E->v[k].nsigs; j++)
            free(E->v[k].sigs[j].trusted);
        free(E->v[k].sigs);
        for (size_t j = 0; j < E->v[k].ncpsigs; j++)
            free(E->v[k].cpsigs[j].trusted);
    }
    free(E->v);
    free(E->keys);
    for (size_t i = 0; i < E->nsteps; i++)
        free(E->steps[i].detail);
    free(E->steps);
    for (int i = 0; i < 2; i++)
        free(E->party[i]);
    free(E->id);
    free(E->contract);
    inv_item_free(&E->item);
    for (size_t i = 0; i < E->nterms; i++)
        inv_term_free(&E->terms[i]);
    free(E->terms);
    memset(E, 0, sizeof *E);
}
