/*
 * cmd_verify.c - scopereg verify [--documents DIR | --proof DIR] [--json]
 *
 * Without --documents: re-renders every version of the register,
 * recomputes every hash, checks the chain, the stored rows and every
 * stored signature; one line per version: agreed, pending or BROKEN.
 * With --documents DIR: the same questions about exported documents,
 * signatures and public keys, with no register (inv_docs_verify).
 * Exit 0 only when nothing is broken (pending is not broken); with
 * --documents, a document whose keys cannot be traced to an earlier one
 * present is UNVERIFIED, never agreed, and makes the exit status 1.
 * --json writes one object instead (docs/JSON.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"
#include "review.h"
#include "signing.h"

typedef struct tally {
    int64_t total, agreed, pending, broken, unverified;
    char last_register[40];
    char keys[2][CR_KEYID_HEX]; /* --documents: the key ids printed last */
    int json;
    inv_register *r; /* register mode */
    const char *dir; /* --documents: its JSON header is written with the first answer */
} tally;


/* "result", "status", "agreed_at", "signers" from what the signatures
 * that verify establish. date: the version's date (0 when unknown).
 * unverified: the document's keys cannot be traced (never agreed). */
static void json_state(const inv_sig_state *s, int ok, int unverified, int64_t date)
{
    printf("\"result\":\"%s\",\"status\":\"%s\",\"agreed_at\":",
           !ok ? "broken" : unverified ? "unverified" : inv_sig_agreed(s) ? "agreed"
                                                                               : "pending",
           inv_sig_state_name(s));
    int64_t at = unverified ? 0 : inv_agreed_at(s, date);
    out_json_time_or_null(stdout, at);
    fputs(",\"signers\":", stdout);
    out_json_signers(stdout, s);
}

/* The checkpoint line under a version (docs/SIGNING.md, status words). */
static void print_checkpoint(const inv_check *c)
{
    const inv_cp_state *p = c->cp;
    if (!p || p->broken)
        return; /* the version's line says BROKEN and why */
    if (p->signed_[0] && p->signed_[1])
        printf(_("  checkpoint agreed (root %s, %lld items)\n"), p->root, (long long)p->items);
    else if (p->signed_[0] || p->signed_[1])
        printf(_("  checkpoint signed by the %s only (root %s)\n"),
               inv_roles[p->signed_[0] ? 0 : 1], p->root);
    else if (p->new_only[0] || p->new_only[1] || p->old_only[0] || p->old_only[1])
        ; /* not before checkpoints: the lines below say whose key is missing */
    else if (c->sigs && (c->sigs->party[0].have || c->sigs->party[1].have))
        printf(_("  no checkpoint: signed before checkpoints; 'scopereg sign %lld' and "
                 "'scopereg cosign' give it one\n"), (long long)c->version);
    else
        printf("%s", _("  no checkpoint\n"));
    /* at a rotation, a party whose new key signed and whose key replaced
     * has not: the checkpoint is not that party's yet (docs/SIGNING.md) */
    for (int i = 0; i < 2; i++) {
        if (p->new_only[i])
            printf(_("  checkpoint signed by the %s's new key only: the key it replaces must "
                     "sign it too ('scopereg sign %lld --key OLD.key', or 'scopereg cosign "
                     "--previous-key OLD.key')\n"),
                   inv_roles[i], (long long)c->version);
        if (p->old_only[i])
            printf(_("  checkpoint signed by the %s's replaced key only: the new key must sign "
                     "it too ('scopereg sign %lld --key NEW.key', or 'scopereg cosign --key "
                     "NEW.key')\n"),
                   inv_roles[i], (long long)c->version);
    }
}

/* The checkpoint field of --json (docs/JSON.md). */
static void json_checkpoint(const inv_check *c)
{
    const inv_cp_state *p = c->cp;
    fputs(",\"checkpoint\":", stdout);
    if (!p) {
        fputs("null", stdout);
        return;
    }
    printf("{\"status\":\"%s\",\"root\":\"%s\",\"items\":%lld,\"signed\":{",
           inv_cp_status(p), p->root, (long long)p->items);
    for (int i = 0; i < 2; i++) {
        printf("%s\"%s\":", i ? "," : "", inv_roles[i]);
        if (p->signed_[i])
            out_json_time(stdout, p->at[i]);
        else
            fputs("null", stdout);
    }
    fputs("}", stdout);
    /* at a rotation, a party one of whose two keys signed it */
    if (p->new_only[0] || p->new_only[1] || p->old_only[0] || p->old_only[1]) {
        fputs(",\"one_key\":{", stdout);
        for (int i = 0; i < 2; i++)
            printf("%s\"%s\":%s", i ? "," : "", inv_roles[i],
                   p->new_only[i] ? "\"new\"" : p->old_only[i] ? "\"replaced\"" : "null");
        fputs("}", stdout);
    }
    fputs("}", stdout);
}

static int one_version(void *ctx, const inv_check *c)
{
    tally *t = ctx;
    char state[512];
    t->total++;
    if (!c->ok)
        t->broken++;
    else if (inv_sig_agreed(c->sigs))
        t->agreed++;
    else
        t->pending++;
    if (t->json) {
        inv_version v;
        inv_err e;
        int64_t date = 0;
        if (inv_version_get(t->r, c->version, &v, &e) == INV_OK) {
            date = v.date;
            inv_version_free(&v);
        }
        printf("%s{\"version\":%lld,\"document\":", t->total > 1 ? ",\n" : "\n",
               (long long)c->version);
        out_json_str(stdout, c->doc_hash && c->doc_hash[0] ? c->doc_hash : NULL);
        fputc(',', stdout);
        json_state(c->sigs, c->ok, 0, date);
        json_checkpoint(c);
        fputs(",\"reason\":", stdout);
        out_json_str(stdout, c->ok ? NULL : c->reason);
        fputc('}', stdout);
        return ferror(stdout) ? INV_EIO : 0;
    }
    if (!c->ok) {
        printf(_("version %lld: BROKEN: %s\n"), (long long)c->version, c->reason);
        return 0;
    }
    cli_state_verify(c->sigs, state, sizeof state);
    printf(_("version %lld: %s\n"), (long long)c->version, state);
    print_checkpoint(c);
    return 0;
}

static void json_documents_header(const char *dir)
{
    fputs("{\"directory\":", stdout);
    out_json_str(stdout, dir);
    fputs(",\"documents\":[", stdout);
}

static void json_document(const inv_doc_check *c)
{
    const inv_doc *d = c->doc;
    fputs("{\"file\":", stdout);
    out_json_str(stdout, c->file);
    if (!d) {
        fputs(",\"register\":null,\"contract\":null,\"version\":null,\"date\":null,"
              "\"previous\":null,\"document\":null,\"item_count\":null,\"parties\":null,"
              "\"key_changes\":null,\"result\":\"broken\",\"status\":null,\"agreed_at\":null,"
              "\"signers\":null",
              stdout);
    } else {
        fputs(",\"register\":", stdout);
        out_json_str(stdout, d->register_id);
        fputs(",\"contract\":", stdout);
        out_json_str(stdout, d->contract);
        printf(",\"version\":%lld,\"date\":", (long long)d->version);
        out_json_time(stdout, d->date);
        fputs(",\"previous\":", stdout);
        out_json_str(stdout, d->previous[0] ? d->previous : NULL);
        fputs(",\"document\":", stdout);
        out_json_str(stdout, d->doc_hash);
        printf(",\"item_count\":%lld,\"parties\":{", (long long)d->items);
        for (int i = 0; i < 2; i++) {
            printf("%s\"%s\":{\"name\":", i ? "," : "", inv_roles[i]);
            out_json_str(stdout, d->party[i]);
            fputs(",\"key_id\":", stdout);
            out_json_str(stdout, d->key[i]);
            fputc('}', stdout);
        }
        fputs("},\"key_changes\":[", stdout);
        for (int i = 0, k = 0; i < 2; i++)
            if (d->old_key[i][0])
                printf("%s{\"role\":\"%s\",\"old\":\"%s\",\"new\":\"%s\"}", k++ ? "," : "",
                       inv_roles[i], d->old_key[i], d->key[i]);
        fputs("],", stdout);
        json_state(c->sigs, c->ok, c->unverified != NULL, d->date);
    }
    cli_cp_beside_json(c->cp);
    fputs(",\"reason\":", stdout);
    out_json_str(stdout, !c->ok ? c->reason : c->unverified);
    fputs(",\"notes\":", stdout);
    out_json_str(stdout, c->notes && *c->notes ? c->notes : NULL);
    fputc('}', stdout);
}

/* A copy of s made safe for a terminal (out_safe_dup), kept in *keep to
 * be freed; s itself when out of memory or NULL. */
static char *seen(char **keep, const char *s, int raw)
{
    *keep = out_safe_dup(s, raw);
    return *keep ? *keep : (char *)s;
}

/* c with its file name, contract, party names, reason, notes and why it
 * is unverified made safe (in sc, sd; keep the copies to free). */
static void safe_check(const inv_doc_check *c, inv_doc_check *sc, inv_doc *sd, char *keep[7])
{
    *sc = *c;
    sc->file = seen(&keep[0], c->file, 1);
    sc->reason = seen(&keep[1], c->reason, 0);
    sc->notes = seen(&keep[2], c->notes, 0);
    sc->unverified = seen(&keep[3], c->unverified, 0);
    if (c->doc) {
        *sd = *c->doc;
        sd->contract = seen(&keep[4], c->doc->contract, 1);
        sd->party[0] = seen(&keep[5], c->doc->party[0], 1);
        sd->party[1] = seen(&keep[6], c->doc->party[1], 1);
        sc->doc = sd;
    }
}

static int one_document(void *ctx, const inv_doc_check *c)
{
    tally *t = ctx;
    char state[512];
    const char *name = c->file;
    t->total++;
    if (!c->ok)
        t->broken++;
    else if (c->unverified)
        t->unverified++;
    else if (inv_sig_agreed(c->sigs))
        t->agreed++;
    else
        t->pending++;
    if (t->json) {
        if (t->total == 1)
            json_documents_header(t->dir);
        fputs(t->total > 1 ? ",\n" : "\n", stdout);
        json_document(c);
        return ferror(stdout) ? INV_EIO : 0;
    }
    char *keep[7] = {NULL};
    inv_doc_check sc;
    inv_doc sd;
    safe_check(c, &sc, &sd, keep);
    c = &sc;
    name = sc.file;
    if (c->doc && strcmp(t->last_register, c->doc->register_id)) {
        snprintf(t->last_register, sizeof t->last_register, "%s", c->doc->register_id);
        printf(_("register %s, contract %s: provider %s (key %s), client %s (key %s)\n"),
               c->doc->register_id, c->doc->contract, c->doc->party[0], c->doc->key[0],
               c->doc->party[1], c->doc->key[1]);
        memcpy(t->keys, c->doc->key, sizeof t->keys);
    }
    if (!c->ok) {
        if (c->doc)
            printf(_("  %s: version %lld: BROKEN: %s\n"), name, (long long)c->doc->version,
                   c->reason);
        else
            printf(_("  %s: BROKEN: %s\n"), name, c->reason);
    } else if (c->unverified) {
        cli_state_verify(c->sigs, state, sizeof state);
        printf(_("  %s: version %lld: UNVERIFIED: %s\n"), name, (long long)c->doc->version,
               c->unverified);
        printf(_("      signatures by the keys it names: %s\n"), state);
        printf("      %s\n", c->doc->doc_hash);
    } else {
        cli_state_verify(c->sigs, state, sizeof state);
        printf(_("  %s: version %lld: %s\n"), name, (long long)c->doc->version, state);
        printf("      %s\n", c->doc->doc_hash);
        cli_cp_beside_line(c->cp);
    }
    /* a document naming other keys than the line above says so itself */
    if (c->doc && memcmp(t->keys, c->doc->key, sizeof t->keys)) {
        printf(_("      keys of version %lld: provider %s, client %s%s\n"),
               (long long)c->doc->version, c->doc->key[0], c->doc->key[1],
               c->unverified ? _(" (not traced to an earlier version)") : "");
        memcpy(t->keys, c->doc->key, sizeof t->keys);
    }
    if (c->notes && *c->notes)
        printf(_("      note: %s\n"), c->notes);
    for (int i = 0; i < 7; i++)
        free(keep[i]);
    return 0;
}

/* The closing members of a JSON answer: counts, "holds" and "problem". */
static void json_close(const tally *t, int rc, const inv_err *e)
{
    printf("%s],\"total\":%lld,\"agreed\":%lld,\"pending\":%lld,\"broken\":%lld,",
           t->total ? "\n" : "", (long long)t->total, (long long)t->agreed,
           (long long)t->pending, (long long)t->broken);
    if (t->dir)
        printf("\"unverified\":%lld,", (long long)t->unverified);
    printf("\"holds\":%s,\"problem\":", rc == INV_OK ? "true" : "false");
    out_json_str(stdout, rc == INV_OK ? NULL : e->msg);
    fputs("}\n", stdout);
}

static int finish(int rc, const inv_err *e)
{
    if (cli_flushed(CLI_OK) != CLI_OK)
        return CLI_EIO;
    if (rc == INV_OK)
        return CLI_OK;
    char *m = out_safe_dup(e->msg, 0); /* it may name ids and values */
    cli_error("%s", m ? m : e->msg);
    free(m);
    return e->code ? e->code : CLI_EIO;
}

static int verify_documents(const char *dir, int json, int64_t now)
{
    tally t = {0};
    inv_err e = {0};
    t.json = json;
    t.dir = dir;
    int rc = inv_docs_verify(dir, now, one_document, &t, &e);
    if (rc != INV_OK && rc != INV_FAIL)
        return cli_report(&e); /* no document, or no directory: nothing on stdout */
    if (json) {
        if (!t.total)
            json_documents_header(dir);
        json_close(&t, rc, &e);
    } else {
        printf(ngettext("%lld document: %lld agreed, %lld pending, %lld broken",
                        "%lld documents: %lld agreed, %lld pending, %lld broken",
                        t.total == 1 ? 1 : 2),
               (long long)t.total, (long long)t.agreed, (long long)t.pending,
               (long long)t.broken);
        if (t.unverified)
            printf(_(", %lld unverified"), (long long)t.unverified);
        putchar('\n');
    }
    return finish(rc, &e);
}

int cli_verify_proof(const char *dir, int json, int64_t now);

int cmd_verify(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"documents", required_argument, NULL, 'd'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"proof", required_argument, NULL, 'p'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL, *proof = NULL;
    int json = 0, c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            dir = optarg;
        else if (c == 'p')
            proof = optarg;
        else if (c == 'j')
            json = 1;
        else
            return cli_usage("verify");
    }
    if (optind != argc) {
        cli_error("unexpected argument '%s'", argv[optind]);
        return cli_usage("verify");
    }
    if (proof && dir) {
        cli_error("--proof DIR and --documents DIR are two questions: give one of them");
        return cli_usage("verify");
    }
    if (proof)
        return cli_verify_proof(proof, json, ctx->now); /* cli/verify_proof.c */
    if (dir)
        return verify_documents(dir, json, ctx->now);

    inv_register *r;
    inv_err e = {0};
    tally t = {0};
    int rc = cli_open(ctx, 0, &r);
    if (rc)
        return rc;
    t.json = json;
    t.r = r;
    if (json) {
        fputs("{\"register\":", stdout);
        out_json_str(stdout, inv_path(r));
        fputs(",\"register_id\":", stdout);
        out_json_str(stdout, inv_register_id(r));
        fputs(",\"contract\":", stdout);
        out_json_str(stdout, inv_contract(r));
        fputs(",\"versions\":[", stdout);
    }
    rc = inv_verify(r, one_version, &t, &e);
    if (rc == INV_OK || rc == INV_FAIL) {
        if (json)
            json_close(&t, rc, &e);
        else if (rc == INV_OK)
            printf(ngettext("register %s holds: %lld version re-renders to the recorded hash, "
                            "the chain is intact; %lld agreed, %lld pending\n",
                            "register %s holds: %lld versions re-render to the recorded hashes, "
                            "the chain is intact; %lld agreed, %lld pending\n",
                            t.total == 1 ? 1 : 2),
                   inv_path(r), (long long)t.total, (long long)t.agreed, (long long)t.pending);
        rc = finish(rc, &e);
    } else {
        rc = cli_report(&e);
    }
    inv_close(r);
    return rc;
}
