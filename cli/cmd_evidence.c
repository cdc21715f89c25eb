/*
 * cmd_evidence.c - scopereg evidence [ID] [--at DATE] -o DIR [--force]
 *
 * A self-contained folder for a third party (auditor, lawyer, court
 * expert) who trusts neither party's software:
 *   <stem>-vK.scope                  versions 1 to N, N the version in force
 *                                    at DATE (default: now), so that the
 *                                    previous: links can be followed from
 *                                    N down to version 1
 *   <stem>-vK.ROLE[.old].minisig     every stored signature of those
 *   <stem>.ROLE.pub                  the keys in force at N
 *   <stem>.ROLE.KEYID.pub            the other keys the chain uses
 *                                    (before a rotation)
 *   VERIFY.txt                       the question, the answer, and how to
 *                                    check everything with stock minisign
 *                                    and b2sum, in plain English
 * Every version is re-rendered, hashed, linked and its signatures checked
 * (as 'verify --documents' will check the folder) before anything is
 * written; a register that does not hold gives no evidence (exit 1). No
 * version agreed by DATE: refused (exit 1). With ID, exit 1 when it was
 * not in the version in force (the folder is still written: it proves the
 * negative answer). DIR must be new or empty unless --force, and is never
 * a symbolic link; file names come from inv_doc_stem, never from user data.
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outdir.h"
#include "signing.h"

#ifndef SCOPEREG_VERSION
#define SCOPEREG_VERSION "dev"
#endif

#define VERIFY_NAME "VERIFY.txt"

/* Stop value of the item walk: not an INV_* code. */
#define FOUND_STOP (-1)

typedef struct ev_sig {
    int role, old;
    char key_id[CR_KEYID_HEX];
    int64_t signed_at;
    char file[256];
    char *trusted;
    char *minisig; /* until planned */
} ev_sig;

typedef struct ev_version {
    int64_t n, date, item_count;
    char doc[256];
    char hash[CR_HASH_STR_LEN], previous[CR_HASH_STR_LEN];
    char key[2][CR_KEYID_HEX], old_key[2][CR_KEYID_HEX];
    ev_sig *sigs;
    size_t nsigs;
    inv_sig_state st;
    int64_t agreed_at;
} ev_version;

typedef struct ev_key {
    int role;
    char id[CR_KEYID_HEX];
    cr_pubkey pk;
    int64_t from, to; /* versions (of the folder) whose header names it */
    int64_t replaced; /* the version that replaces it, 0 if none in the folder */
    char file[256];
} ev_key;

typedef struct ev_step {
    int64_t version;
    char op; /* '+', '~', '-' */
    char *detail; /* fields changed, or the reason */
} ev_step;

typedef struct ev {
    inv_register *r;
    const char *id, *dir;
    int64_t t, made, latest;
    int at_given; /* --at, else now */
    char when[32], stem[80];
    inv_in_force inf;
    char *party[2];
    ev_version *v; /* v[0] is version 1 */
    int64_t nv;
    ev_key *keys;
    size_t nkeys;
    inv_item item;
    int found;
    ev_step *steps;
    size_t nsteps;
    int64_t later_date, later_agreed; /* not_agreed_then, as at says it */
    inv_sig_state later_st;
    outdir o;
} ev;

static void oom(void)
{
    cli_error("out of memory");
}

/* A register that does not hold gives no evidence. */
static int broken(int64_t n, const char *why)
{
    cli_error("version %lld does not hold: %s; no evidence written (run 'scopereg verify')",
              (long long)n, why);
    return CLI_FAIL;
}

/* ---- the item ---- */

static int find_one(void *ctx, const inv_item *it)
{
    ev *E = ctx;
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
    ev *E = ctx;
    if (s->version > E->inf.version)
        return 0;
    ev_step *nv = realloc(E->steps, (E->nsteps + 1) * sizeof *nv);
    if (!nv)
        return INV_EIO;
    E->steps = nv;
    ev_step *st = &nv[E->nsteps++];
    inv_buf b = {0};
    st->version = s->version;
    st->detail = NULL;
    if (s->change.op == INV_OP_ADD) {
        st->op = '+';
        inv_buf_add(&b, "", 0);
    } else if (s->change.op == INV_OP_EDIT) {
        fields_ctx fc = {&b, 0};
        st->op = '~';
        inv_buf_add(&b, "", 0);
        if (inv_field_changes(s->change.before, s->change.after, one_field, &fc))
            inv_buf_free(&b);
    } else {
        st->op = '-';
        inv_buf_add(&b, "", 0);
        inv_escape(&b, s->change.reason ? s->change.reason : "");
    }
    if (!b.data)
        return INV_EIO;
    st->detail = b.data;
    return 0;
}

/* ---- versions 1 to N: render, check, plan ---- */

static int key_note(ev *E, int role, const cr_pubkey *pk, int64_t n, int replaced_here)
{
    char id[CR_KEYID_HEX];
    cr_keyid_hex(pk->keyid, id);
    ev_key *k = NULL;
    for (size_t i = 0; i < E->nkeys; i++)
        if (E->keys[i].role == role && !strcmp(E->keys[i].id, id))
            k = &E->keys[i];
    if (!k) {
        ev_key *nv = realloc(E->keys, (E->nkeys + 1) * sizeof *nv);
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

static int cmp_sig(const void *a, const void *b)
{
    const ev_sig *x = a, *y = b;
    if (x->old != y->old)
        return x->old - y->old;
    return x->role - y->role;
}

static int plan_version(ev *E, int64_t n, const char *prev_hash)
{
    ev_version *V = &E->v[n - 1];
    inv_err e = {0};
    inv_version v = {0};
    inv_doc d;
    rows_ctx rows = {0};
    char *doc = NULL;
    size_t len = 0;
    int rc, parsed = 0;
    cr_pubkey cur[2], old[2];
    int rot[2];
    V->n = n;
    if ((rc = inv_version_get(E->r, n, &v, &e)) || (rc = inv_render_mem(E->r, n, &doc, &len, &e))) {
        rc = rc == INV_EIO ? cli_report(&e) : broken(n, e.msg);
        goto out;
    }
    V->date = v.date;
    V->item_count = v.item_count;
    cr_hash_hex(doc, len, V->hash);
    snprintf(V->previous, sizeof V->previous, "%s", v.prev_hash);
    outdir_doc_name(V->doc, sizeof V->doc, E->stem, n);
    if (strcmp(V->hash, v.doc_hash)) {
        char why[256];
        snprintf(why, sizeof why, "its document hashes to %s, not to %s as recorded at commit",
                 V->hash, v.doc_hash);
        rc = broken(n, why);
        goto out;
    }
    if (strcmp(v.prev_hash, prev_hash)) {
        rc = broken(n, "its previous: field is not the hash of the version before");
        goto out;
    }
    /* What its item list says must be what its changes make of the
     * version before: the answer and the item's life come from them. */
    if ((rc = inv_version_check(E->r, n, &e))) {
        if (rc != INV_EIO)
            cli_error("%s; no evidence written", e.msg); /* names version n */
        rc = rc == INV_EIO ? cli_report(&e) : CLI_FAIL;
        goto out;
    }
    if (inv_doc_parse(doc, len, V->doc, &d, NULL, NULL, &e)) {
        rc = e.code == INV_EIO ? cli_report(&e) : broken(n, e.msg);
        goto out;
    }
    parsed = 1;
    if (strcmp(d.register_id, inv_register_id(E->r)) || d.version != n) {
        rc = broken(n, "its document names another register or version");
        goto out;
    }
    for (int i = 0; i < 2; i++) {
        inv_party p;
        char id[CR_KEYID_HEX];
        if ((rc = inv_party_get(E->r, inv_roles[i], n, &p, &e)) ||
            (rc = inv_rotation_at(E->r, n, inv_roles[i], &rot[i], &old[i], NULL, &e))) {
            rc = rc == INV_EIO ? cli_report(&e) : broken(n, e.msg);
            goto out;
        }
        cur[i] = p.key;
        inv_party_free(&p);
        cr_keyid_hex(cur[i].keyid, id);
        memcpy(V->key[i], d.key[i], CR_KEYID_HEX);
        memcpy(V->old_key[i], d.old_key[i], CR_KEYID_HEX);
        if (strcmp(id, d.key[i]) || !rot[i] != !d.old_key[i][0]) {
            rc = broken(n, "the keys its document names are not the register's keys");
            goto out;
        }
        if (key_note(E, i, &cur[i], n, 0) || (rot[i] && key_note(E, i, &old[i], n, 1))) {
            oom();
            rc = CLI_EIO;
            goto out;
        }
    }

    /* Its signatures, checked as a third party will check them. */
    if ((rc = inv_sig_list(E->r, n, keep_row, &rows, &e))) {
        if (rows.failed)
            oom();
        rc = rows.failed ? CLI_EIO : cli_report(&e);
        goto out;
    }
    if (rows.n && !(V->sigs = calloc(rows.n, sizeof *V->sigs))) {
        oom();
        rc = CLI_EIO;
        goto out;
    }
    unsigned have[2] = {0, 0};
    int64_t at[2] = {0, 0};
    for (size_t j = 0; j < rows.n; j++) {
        const inv_sig_row *row = &rows.v[j];
        cr_sig sig;
        cr_err ce;
        inv_tc tc;
        int role, isold;
        char why[sizeof e.msg + 1024 + 128];
        ev_sig *s = &V->sigs[V->nsigs];
        if (cr_sig_parse(row->minisig, strlen(row->minisig), &sig, &ce) != CR_OK) {
            snprintf(why, sizeof why, "its stored %s signature is malformed: %s", row->role,
                     ce.msg);
            rc = broken(n, why);
            goto out;
        }
        cr_keyid_hex(sig.keyid, s->key_id);
        if (inv_doc_key_role(&d, s->key_id, &role, &isold) != INV_OK ||
            strcmp(inv_roles[role], row->role) || strcmp(s->key_id, row->key_id)) {
            snprintf(why, sizeof why, "its stored %s signature by key %s is not by a key its "
                     "document names for that party", row->role, s->key_id);
            rc = broken(n, why);
            goto out;
        }
        if (inv_doc_sig_check(&d, role, isold, isold ? &old[role] : &cur[role], &sig, E->made, &tc,
                              &e) != INV_OK) {
            snprintf(why, sizeof why, "its stored %s signature does not hold: %s", row->role,
                     e.msg);
            rc = broken(n, why);
            goto out;
        }
        if (tc.signed_at != row->signed_at) {
            rc = broken(n, "a stored signature's date is not the one its trusted comment signs");
            goto out;
        }
        if (!(s->trusted = strdup(sig.trusted))) {
            oom();
            rc = CLI_EIO;
            goto out;
        }
        s->role = role;
        s->old = isold;
        s->signed_at = tc.signed_at;
        outdir_sig_name(s->file, sizeof s->file, E->stem, n, inv_roles[role], isold);
        V->nsigs++;
        have[role] |= isold ? 2u : 1u;
        if (tc.signed_at > at[role])
            at[role] = tc.signed_at;
        if (!(s->minisig = strdup(row->minisig))) {
            oom();
            rc = CLI_EIO;
            goto out;
        }
    }
    inv_sig_state *st = &V->st;
    st->provider_need = d.old_key[0][0] ? 2 : 1;
    st->client_need = d.old_key[1][0] ? 2 : 1;
    st->provider_have = (int)(have[0] & 1u) + (int)(have[0] >> 1 & 1u);
    st->client_have = (int)(have[1] & 1u) + (int)(have[1] >> 1 & 1u);
    st->provider = st->provider_have == st->provider_need;
    st->client = st->client_have == st->client_need;
    st->provider_at = at[0];
    st->client_at = at[1];
    V->agreed_at = inv_agreed_at(st, V->date);

    /* The document, then its signatures: provider, client, old keys last. */
    if (V->nsigs)
        qsort(V->sigs, V->nsigs, sizeof *V->sigs, cmp_sig);
    rc = outdir_add(&E->o, V->doc, doc, len, 0644);
    doc = NULL;
    for (size_t j = 0; j < V->nsigs && !rc; j++) {
        ev_sig *s = &V->sigs[j];
        rc = outdir_add(&E->o, s->file, s->minisig, strlen(s->minisig), 0644);
        s->minisig = NULL;
    }
    if (!rc) /* one document in memory at a time */
        rc = outdir_spill(&E->o, 1);
out:
    free(doc);
    if (parsed)
        inv_doc_free(&d);
    rows_free(&rows);
    inv_version_free(&v);
    return rc;
}

/* ---- VERIFY.txt ---- */

static const char *role_name(int role)
{
    return inv_roles[role];
}

static void put_esc(inv_buf *b, const char *s)
{
    inv_escape(b, s ? s : "");
}

static const char *fmt_time(int64_t t, char *buf)
{
    inv_time_format(t, buf, 32);
    return buf;
}

static const ev_key *key_of(const ev *E, int role, const char *id)
{
    for (size_t i = 0; i < E->nkeys; i++)
        if (E->keys[i].role == role && !strcmp(E->keys[i].id, id))
            return &E->keys[i];
    return NULL;
}

/* "agreed 2026-...", "signed by the provider only", "never signed"... */
static void state_words(inv_buf *b, const ev_version *V)
{
    char d[32];
    const inv_sig_state *s = &V->st;
    if (V->agreed_at) {
        inv_buf_printf(b, "agreed %s", fmt_time(V->agreed_at, d));
        return;
    }
    if (!s->provider_have && !s->client_have) {
        inv_buf_puts(b, "never signed");
        return;
    }
    inv_buf_puts(b, "not agreed: signed ");
    int first = 1;
    for (int i = 0; i < 2; i++) {
        int have = i ? s->client_have : s->provider_have;
        int need = i ? s->client_need : s->provider_need;
        if (!have)
            continue;
        inv_buf_printf(b, "%sby the %s%s", first ? "" : " and ", role_name(i),
                       have < need ? " with one of its two keys" : "");
        first = 0;
    }
    inv_buf_puts(b, " only");
}

static void add_answer(inv_buf *b, const ev *E)
{
    char d[32], d2[32];
    const ev_version *N = &E->v[E->nv - 1];
    inv_buf_puts(b, "1. WHAT WAS ASKED, AND THE ANSWER\n\n");
    if (E->id) {
        inv_buf_puts(b, "Asked:  was the item \"");
        put_esc(b, E->id);
        inv_buf_printf(b, "\" in the scope agreed by both parties\n        at %s%s?\n",
                       E->when, E->at_given ? "" : ", when this folder was made");
        inv_buf_printf(b, "Answer: %s.\n\n", E->found ? "YES" : "NO");
    } else {
        inv_buf_printf(b, "Asked:  which scope was agreed by both parties at %s%s?\n",
                       E->when, E->at_given ? "" : ",\n        when this folder was made");
        inv_buf_printf(b, "Answer: version %lld, which lists %lld item%s.\n\n",
                       (long long)N->n, (long long)N->item_count,
                       N->item_count == 1 ? "" : "s");
    }
    inv_buf_printf(b, "The scope in force at %s was version %lld, the latest\n"
                      "version signed by both parties by then:\n"
                      "    committed                %s\n",
                   E->when, (long long)N->n, fmt_time(N->date, d));
    for (int i = 0; i < 2; i++)
        inv_buf_printf(b, "    signed by the %-10s %s\n", role_name(i),
                       fmt_time(i ? N->st.client_at : N->st.provider_at, d));
    inv_buf_printf(b, "    agreed                   %s\n"
                      "(a version is agreed when its later signature is made, and never before "
                      "it was\ncommitted)\n\n",
                   fmt_time(N->agreed_at, d2));
    if (E->id && E->found) {
        inv_buf_printf(b, "Version %lld (file %s) lists the item as follows, exactly as signed:\n\n",
                       (long long)N->n, N->doc);
        inv_buf ib = {0};
        if (inv_item_format(&ib, &E->item) == 0) {
            const char *p = ib.data, *end = ib.data + ib.len;
            while (p < end) {
                const char *nl = memchr(p, '\n', (size_t)(end - p));
                size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
                inv_buf_puts(b, "    ");
                inv_buf_add(b, p, n);
                inv_buf_puts(b, "\n");
                p += n + (nl != NULL);
            }
        }
        inv_buf_free(&ib);
        inv_buf_puts(b, "\n");
    } else if (E->id) {
        inv_buf_printf(b, "Version %lld (file %s) does not list it: its items have no line\n"
                          "\"item: ",
                       (long long)N->n, N->doc);
        put_esc(b, E->id);
        inv_buf_puts(b, "\".\n\n");
    }
    if (E->id) {
        if (!E->nsteps) {
            inv_buf_printf(b, "The item is in no version from 1 to %lld.\n\n", (long long)N->n);
        } else {
            inv_buf_printf(b, "The item's life up to version %lld, as the documents' changes "
                              "record it:\n", (long long)N->n);
            for (size_t i = 0; i < E->nsteps; i++) {
                const ev_step *s = &E->steps[i];
                const ev_version *V = &E->v[s->version - 1];
                inv_buf_printf(b, "    version %lld: %s", (long long)s->version,
                               s->op == '+' ? "added" : s->op == '~' ? "modified" : "removed");
                if (s->op == '~' && s->detail[0])
                    inv_buf_printf(b, " (%s)", s->detail);
                if (s->op == '-')
                    inv_buf_printf(b, " (reason: %s)", s->detail);
                inv_buf_printf(b, ": the line \"%c ", s->op);
                put_esc(b, E->id);
                inv_buf_printf(b, "\" in the changes of %s\n", V->doc);
            }
            inv_buf_puts(b, "\n");
        }
    }
    if (E->inf.latest > E->inf.version) {
        inv_buf_printf(b, "Version %lld, committed %s, was not in force then: it had\n"
                          "not been signed by both parties by that date (",
                       (long long)E->inf.latest, fmt_time(E->later_date, d));
        if (E->later_agreed)
            inv_buf_printf(b, "it was agreed later,\n%s", fmt_time(E->later_agreed, d));
        else
            inv_buf_printf(b, "when this folder was made,\nit was: %s",
                           inv_sig_state_name(&E->later_st));
        inv_buf_puts(b, ").\n");
    }
    if (E->latest == N->n + 1)
        inv_buf_printf(b, "The register held %lld versions when this folder was made; version "
                          "%lld is not\nincluded: it was committed after %s or not agreed by\n"
                          "both parties by then.\n",
                       (long long)E->latest, (long long)E->latest, E->when);
    else if (E->latest > N->n)
        inv_buf_printf(b, "The register held %lld versions when this folder was made; versions "
                          "%lld to %lld\nare not included: each was committed after %s or not\n"
                          "agreed by both parties by then.\n",
                       (long long)E->latest, (long long)N->n + 1, (long long)E->latest,
                       E->when);
    else
        inv_buf_printf(b, "Version %lld was the latest version of the register when this folder "
                          "was made.\n", (long long)N->n);
    inv_buf_printf(b, "\nWhat this folder cannot show by itself is that no later version had been\n"
                      "agreed by that date: that rests on the register. A later version whose two\n"
                      "signatures both date from %s or before would contradict\n"
                      "the answer.\n\n\n",
                   E->when);
}

static void add_files(inv_buf *b, const ev *E)
{
    char d[32];
    inv_buf_puts(b, "2. THE FILES\n\n");
    for (int64_t k = 0; k < E->nv; k++) {
        const ev_version *V = &E->v[k];
        inv_buf_printf(b, "  %s\n      The scope document of version %lld, byte for byte: the "
                          "text that was signed.\n      Committed %s, %lld item%s, ",
                       V->doc, (long long)V->n, fmt_time(V->date, d), (long long)V->item_count,
                       V->item_count == 1 ? "" : "s");
        state_words(b, V);
        if (k + 1 < E->nv && !V->agreed_at)
            inv_buf_puts(b, ".\n      Never in force; included because the chain of previous: "
                            "links\n      passes through it.\n");
        else if (k + 1 < E->nv)
            inv_buf_puts(b, ".\n      An earlier scope, included for the chain of previous: "
                            "links.\n");
        else
            inv_buf_printf(b, ".\n      The scope in force at %s.\n", E->when);
        for (size_t j = 0; j < V->nsigs; j++) {
            const ev_sig *s = &V->sigs[j];
            inv_buf_printf(b, "  %s\n      The %s's signature of version %lld, by its %skey %s,\n"
                              "      signed %s.\n",
                           s->file, role_name(s->role), (long long)V->n,
                           s->old ? "previous " : "", s->key_id, fmt_time(s->signed_at, d));
        }
    }
    for (size_t i = 0; i < E->nkeys; i++) {
        const ev_key *k = &E->keys[i];
        inv_buf_printf(b, "  %s\n      The %s's public key %s", k->file, role_name(k->role),
                       k->id);
        if (k->from == k->to)
            inv_buf_printf(b, ", named by version %lld", (long long)k->from);
        else if (k->from)
            inv_buf_printf(b, ", named by versions %lld to %lld", (long long)k->from,
                           (long long)k->to);
        if (k->replaced)
            inv_buf_printf(b, ";\n      version %lld replaces it", (long long)k->replaced);
        inv_buf_puts(b, ".\n");
    }
    inv_buf_puts(b, "  " VERIFY_NAME "\n      This text.\n\n");
    inv_buf_puts(b,
                 "What each kind of file proves:\n"
                 "  - A .scope file is one version of the contract's scope. By itself it proves\n"
                 "    nothing: anyone can write a text file.\n"
                 "  - A .minisig file, checked with minisign and the .pub file of the key that made\n"
                 "    it, proves that the holder of that secret key signed exactly the bytes of the\n"
                 "    .scope file. Its trusted comment, signed with it, names the register, the\n"
                 "    version, the signer's role (provider or client), the BLAKE2b-256 hash of the\n"
                 "    document and the date the signer's clock gave.\n"
                 "  - A .pub file is a party's public key. Compare it, the whole file and not only\n"
                 "    the key id, with the key that party acknowledged (for instance in the signed\n"
                 "    contract): a signature proves nothing about a party unless its key is one\n"
                 "    the party acknowledged, or one that such a key approved (key changes, step 5).\n"
                 "  - Together: a version signed with both parties' keys is what both agreed. Each\n"
                 "    document's previous: line is the hash of the version before it, so the\n"
                 "    versions form one chain that neither party can rewrite alone.\n\n\n");
}

static void add_commands(inv_buf *b, const ev *E)
{
    char d[32];
    const ev_version *N = &E->v[E->nv - 1];
    inv_buf_printf(b,
                   "3. CHECK EACH SIGNATURE (minisign)\n\n"
                   "Run each command. Each must print \"Signature and comment signature "
                   "verified\"\nand the trusted comment shown below it, which names the "
                   "register\n(%s), the version of the file, the signer's role,\nand after "
                   "document: the hash that step 4 gives for that file.\n\n",
                   inv_register_id(E->r));
    for (int64_t k = 0; k < E->nv; k++) {
        const ev_version *V = &E->v[k];
        for (size_t j = 0; j < V->nsigs; j++) {
            const ev_sig *s = &V->sigs[j];
            const ev_key *key = key_of(E, s->role, s->key_id);
            inv_buf_printf(b, "  minisign -Vm %s -p %s -x %s\n      expected: Trusted comment: %s\n",
                           V->doc, key ? key->file : "?", s->file, s->trusted);
        }
        if (!V->nsigs)
            inv_buf_printf(b, "  (version %lld carries no signature)\n", (long long)V->n);
    }
    inv_buf_puts(b, "\n\n4. CHECK EACH DOCUMENT'S HASH (b2sum)\n\n"
                    "Each command prints the BLAKE2b-256 hash of a document. It must be the one\n"
                    "shown, which is the document: hash in the trusted comments of that version's\n"
                    "signatures (step 3).\n\n");
    for (int64_t k = 0; k < E->nv; k++) {
        const ev_version *V = &E->v[k];
        inv_buf_printf(b, "  b2sum -l 256 %s\n      expected: %s  %s\n", V->doc,
                       V->hash + sizeof CR_HASH_PREFIX - 1, V->doc);
    }
    inv_buf_puts(b, "\n\n5. FOLLOW THE CHAIN (previous:)\n\n"
                    "Each document's previous: line names the hash of the version before it.\n"
                    "Print it with the command and compare it with the hash step 4 printed for\n"
                    "the version before; version 1 starts the chain.\n\n");
    for (int64_t k = E->nv - 1; k >= 0; k--) {
        const ev_version *V = &E->v[k];
        inv_buf_printf(b, "  grep '^previous: ' %s\n", V->doc);
        if (k > 0)
            inv_buf_printf(b, "      expected: previous: %s\n      (b2sum -l 256 of %s)\n",
                           V->previous, E->v[k - 1].doc);
        else
            inv_buf_puts(b, "      expected: previous: none\n");
    }
    inv_buf_printf(b, "\nSo the signatures of version %lld cover, through these links, the exact "
                      "bytes of\nevery earlier version in this folder.\n\n",
                   (long long)N->n);
    inv_buf_puts(b, "Keys: each document names in its header the keys that sign it (provider-key:\n"
                    "and client-key:); minisign prints the key id of each .pub file it is given.\n");
    int any = 0;
    for (int64_t k = 0; k < E->nv; k++) {
        const ev_version *V = &E->v[k];
        for (int i = 0; i < 2; i++) {
            if (!V->old_key[i][0])
                continue;
            const ev_key *ok = key_of(E, i, V->old_key[i]);
            char oldsig[256];
            outdir_sig_name(oldsig, sizeof oldsig, E->stem, V->n, role_name(i), 1);
            inv_buf_printf(b, "%sVersion %lld replaces the %s's key: its changes list\n"
                              "    key %s: %s -> %s\n"
                              "and it is signed with the old key as well as with the new one:\n"
                              "    %s\n"
                              "checked with\n"
                              "    %s\n"
                              "so the old key approved its replacement.\n",
                           any ? "" : "\n", (long long)V->n, role_name(i), role_name(i),
                           V->old_key[i], V->key[i], oldsig, ok ? ok->file : "?");
            any = 1;
        }
    }
    (void)d;
    inv_buf_puts(b, "\n\n");
}

static void add_sums(inv_buf *b, const ev *E)
{
    inv_buf_puts(b, "6. CHECK THE WHOLE FOLDER\n\n"
                    "The BLAKE2b-256 hash of every file of this folder but this one, as\n"
                    "\"b2sum -l 256\" prints them:\n\n");
    for (size_t i = 0; i < E->o.n; i++)
        inv_buf_printf(b, "%s  %s\n", E->o.v[i].hash + sizeof CR_HASH_PREFIX - 1,
                       E->o.v[i].name);
    inv_buf_puts(b, "\nOne command checks them all; each line it prints must end with OK:\n\n"
                    "  grep -E '^[0-9a-f]{64}  ' " VERIFY_NAME " | b2sum -l 256 -c\n\n"
                    "This text cannot hold its own hash. scopereg printed it when it made the\n"
                    "folder: ask whoever sent the folder for it, and compare it with what this\n"
                    "command prints:\n\n"
                    "  b2sum -l 256 " VERIFY_NAME "\n\n\n"
                    "7. WITH SCOPEREG (OPTIONAL)\n\n"
                    "  scopereg verify --documents .\n\n"
                    "checks all of the above at once: each document's grammar and hash, each\n"
                    "signature against the .pub files, the chain of previous: links and the key\n"
                    "changes. It needs no register.\n");
}

static char *verify_text(const ev *E)
{
    char d[32];
    inv_buf b = {0};
    inv_buf_puts(&b, "HOW TO VERIFY THIS FOLDER\n=========================\n\nContract:  ");
    put_esc(&b, inv_contract(E->r));
    inv_buf_printf(&b, "\nRegister:  %s\n", inv_register_id(E->r));
    const ev_version *N = &E->v[E->nv - 1];
    for (int i = 0; i < 2; i++) {
        inv_buf_printf(&b, "%s  ", i ? "Client:  " : "Provider:");
        put_esc(&b, E->party[i]);
        inv_buf_printf(&b, ", key %s at version %lld\n", N->key[i], (long long)N->n);
    }
    inv_buf_printf(&b, "Made:      %s, by scopereg %s, from the contract's register\n\n",
                   fmt_time(E->made, d), SCOPEREG_VERSION);
    inv_buf_puts(&b, "This folder holds the signed scope documents of a managed-IT contract: the\n"
                     "lists of the equipment and software that the provider looks after, each\n"
                     "version signed by both parties. Everything here can be checked with two\n"
                     "stock tools, without scopereg and without trusting either party's software:\n"
                     "minisign (https://jedisct1.github.io/minisign/) and b2sum (GNU coreutils).\n"
                     "Run every command below from inside this folder.\n\n\n");
    add_answer(&b, E);
    add_files(&b, E);
    add_commands(&b, E);
    add_sums(&b, E);
    return b.data; /* NULL when out of memory */
}

/* ---- the command ---- */

static void ev_free(ev *E)
{
    for (int64_t k = 0; k < E->nv; k++) {
        for (size_t j = 0; j < E->v[k].nsigs; j++) {
            free(E->v[k].sigs[j].trusted);
            free(E->v[k].sigs[j].minisig);
        }
        free(E->v[k].sigs);
    }
    free(E->v);
    free(E->keys);
    for (size_t i = 0; i < E->nsteps; i++)
        free(E->steps[i].detail);
    free(E->steps);
    for (int i = 0; i < 2; i++)
        free(E->party[i]);
    inv_item_free(&E->item);
    outdir_free(&E->o);
    inv_close(E->r);
}

/* Warns about what DIR holds besides the evidence (after --force). */
static void warn_extra(const ev *E)
{
    DIR *d = opendir(E->dir);
    if (!d)
        return;
    struct dirent *de;
    long extra = 0;
    char first[256] = "";
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") ||
            outdir_find(&E->o, de->d_name) >= 0)
            continue;
        if (!extra++)
            snprintf(first, sizeof first, "%s", de->d_name);
    }
    closedir(d);
    if (extra)
        cli_warn("%s also holds %ld other entr%s (%s%s) that " VERIFY_NAME " does not list",
                 E->dir, extra, extra == 1 ? "y" : "ies", first, extra > 1 ? ", ..." : "");
}

int cmd_evidence(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"at", required_argument, NULL, 'a'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"force", no_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    const char *at = NULL, *dir = NULL;
    int force = 0, c, rc;
    while ((c = getopt_long(argc, argv, "o:f", opts, NULL)) != -1) {
        if (c == 'a')
            at = optarg;
        else if (c == 'o')
            dir = optarg;
        else if (c == 'f')
            force = 1;
        else
            return cli_usage("evidence");
    }
    if (argc - optind > 1) {
        cli_error("unexpected argument '%s'", argv[optind + 1]);
        return cli_usage("evidence");
    }
    if (!dir || !*dir) {
        cli_error("evidence needs -o DIR");
        return cli_usage("evidence");
    }
    ev E;
    memset(&E, 0, sizeof E);
    E.id = optind < argc ? argv[optind] : NULL;
    E.dir = dir;
    E.made = ctx->now;
    inv_item_init(&E.item);
    outdir_init(&E.o, dir);
    inv_err e = {0};
    if (E.id && inv_id_check(E.id, &e) != INV_OK) {
        cli_error("ID: %s", e.msg);
        return cli_usage("evidence");
    }
    E.t = ctx->now;
    E.at_given = at != NULL;
    if (at && inv_time_parse(at, 1, &E.t, &e) != INV_OK) {
        cli_error("--at '%s': %s (YYYY-MM-DD, the end of that day in UTC, or RFC 3339)", at,
                  e.msg);
        return cli_usage("evidence");
    }
    inv_time_format(E.t, E.when, sizeof E.when);

    if ((rc = cli_open(ctx, 0, &E.r)))
        return rc;
    if (inv_in_force_at(E.r, E.t, &E.inf, &e) || inv_latest(E.r, &E.latest, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    if (!E.inf.version) {
        cli_error("no version of contract %s had been agreed by both parties by %s: there is "
                  "no scope in force to give as evidence (see 'scopereg log'); nothing written",
                  inv_contract(E.r), E.when);
        rc = CLI_FAIL;
        goto out;
    }
    if (E.inf.latest > E.inf.version) {
        inv_version lv;
        if (inv_version_get(E.r, E.inf.latest, &lv, &e) ||
            inv_sig_state_get(E.r, E.inf.latest, &E.later_st, &e)) {
            rc = cli_report(&e);
            goto out;
        }
        E.later_date = lv.date;
        E.later_agreed = inv_agreed_at(&E.later_st, lv.date);
        inv_version_free(&lv);
    }
    inv_doc_stem(inv_contract(E.r), E.stem, sizeof E.stem);
    for (int i = 0; i < 2; i++) {
        inv_party p;
        if (inv_party_get(E.r, inv_roles[i], E.inf.version, &p, &e)) {
            rc = cli_report(&e);
            goto out;
        }
        E.party[i] = p.name;
        p.name = NULL;
        inv_party_free(&p);
    }
    if (E.id) {
        int s = inv_items(E.r, E.inf.version, find_one, &E, &e);
        if (s != INV_OK && s != FOUND_STOP) {
            if (!e.msg[0])
                inv_fail(&e, INV_EIO, "out of memory");
            rc = cli_report(&e);
            goto out;
        }
        if ((s = inv_history(E.r, E.id, one_step, &E, &e))) {
            if (!e.msg[0])
                inv_fail(&e, INV_EIO, "out of memory");
            rc = cli_report(&e);
            goto out;
        }
    }

    if ((rc = outdir_open(&E.o, OUTDIR_EMPTY | OUTDIR_NOFOLLOW | (force ? OUTDIR_FORCE : 0))))
        goto out;
    E.nv = E.inf.version;
    if (!(E.v = calloc((size_t)E.nv, sizeof *E.v))) {
        oom();
        rc = CLI_EIO;
        goto out;
    }
    for (int64_t n = 1; n <= E.nv; n++)
        if ((rc = plan_version(&E, n, n > 1 ? E.v[n - 2].hash : "")))
            goto out;
    /* The keys: those in force at N under the plain names, the others
     * (before a rotation) under names with their key ids. */
    for (size_t i = 0; i < E.nkeys; i++) {
        ev_key *k = &E.keys[i];
        const ev_version *N = &E.v[E.nv - 1];
        int plain = !strcmp(k->id, N->key[k->role]);
        if (plain)
            snprintf(k->file, sizeof k->file, "%s.%s.pub", E.stem, inv_roles[k->role]);
        else
            snprintf(k->file, sizeof k->file, "%s.%s.%s.pub", E.stem, inv_roles[k->role],
                     k->id);
        if ((rc = outdir_add_pub(&E.o, E.stem, inv_roles[k->role], &k->pk,
                                 plain ? OUTDIR_PUB_PLAIN : OUTDIR_PUB_KEYID)))
            goto out;
    }
    char *text = verify_text(&E);
    if (!text) {
        oom();
        rc = CLI_EIO;
        goto out;
    }
    rc = outdir_add(&E.o, VERIFY_NAME, text, strlen(text), 0644);
    if (rc || (rc = outdir_commit(&E.o, force)))
        goto out;
    if (force)
        warn_extra(&E);

    char d[32];
    const ev_version *N = &E.v[E.nv - 1];
    printf("at %s the scope in force was version %lld of contract %s, agreed %s\n", E.when,
           (long long)N->n, inv_contract(E.r), fmt_time(N->agreed_at, d));
    if (E.id && E.found)
        printf("%s was in scope at %s, as signed in version %lld\n", E.id, E.when,
               (long long)N->n);
    else if (E.id)
        printf("%s was not in scope at %s: version %lld does not list it\n", E.id, E.when,
               (long long)N->n);
    size_t nsigs = 0;
    for (int64_t k = 0; k < E.nv; k++)
        nsigs += E.v[k].nsigs;
    printf("evidence written to %s: version%s %s%lld, %zu signature%s, %zu public key%s, "
           VERIFY_NAME ":\n",
           dir, E.nv == 1 ? "" : "s", E.nv == 1 ? "" : "1 to ", (long long)E.nv, nsigs,
           nsigs == 1 ? "" : "s", E.nkeys, E.nkeys == 1 ? "" : "s");
    for (size_t i = 0; i < E.o.n; i++)
        printf("  %s\n", E.o.v[i].name);
    printf("%s of " VERIFY_NAME ": %s\n"
           "(send it apart from the folder, so that the recipient can check " VERIFY_NAME ")\n",
           "BLAKE2b-256", E.o.v[E.o.n - 1].hash);
    if (fflush(stdout) != 0) {
        cli_error("cannot write to standard output");
        rc = CLI_EIO;
    } else {
        rc = E.id && !E.found ? CLI_FAIL : CLI_OK;
    }
out:
    ev_free(&E);
    return rc;
}
