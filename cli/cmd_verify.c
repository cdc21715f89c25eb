/*
 * cmd_verify.c - scopereg verify [--documents DIR] [--json]
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
#include <string.h>

#include "output.h"
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
    if (at)
        out_json_time(stdout, at);
    else
        fputs("null", stdout);
    fputs(",\"signers\":", stdout);
    out_json_signers(stdout, s);
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
        fputs(",\"reason\":", stdout);
        out_json_str(stdout, c->ok ? NULL : c->reason);
        fputc('}', stdout);
        return ferror(stdout) ? INV_EIO : 0;
    }
    if (!c->ok) {
        printf("version %lld: BROKEN: %s\n", (long long)c->version, c->reason);
        return 0;
    }
    cli_state_verify(c->sigs, state, sizeof state);
    printf("version %lld: %s\n", (long long)c->version, state);
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
    fputs(",\"reason\":", stdout);
    out_json_str(stdout, !c->ok ? c->reason : c->unverified);
    fputs(",\"notes\":", stdout);
    out_json_str(stdout, c->notes && *c->notes ? c->notes : NULL);
    fputc('}', stdout);
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
    if (c->doc && strcmp(t->last_register, c->doc->register_id)) {
        snprintf(t->last_register, sizeof t->last_register, "%s", c->doc->register_id);
        printf("register %s, contract %s: provider %s (key %s), client %s (key %s)\n",
               c->doc->register_id, c->doc->contract, c->doc->party[0], c->doc->key[0],
               c->doc->party[1], c->doc->key[1]);
        memcpy(t->keys, c->doc->key, sizeof t->keys);
    }
    if (!c->ok) {
        if (c->doc)
            printf("  %s: version %lld: BROKEN: %s\n", name, (long long)c->doc->version,
                   c->reason);
        else
            printf("  %s: BROKEN: %s\n", name, c->reason);
    } else if (c->unverified) {
        cli_state_verify(c->sigs, state, sizeof state);
        printf("  %s: version %lld: UNVERIFIED: %s\n", name, (long long)c->doc->version,
               c->unverified);
        printf("      signatures by the keys it names: %s\n", state);
        printf("      %s\n", c->doc->doc_hash);
    } else {
        cli_state_verify(c->sigs, state, sizeof state);
        printf("  %s: version %lld: %s\n", name, (long long)c->doc->version, state);
        printf("      %s\n", c->doc->doc_hash);
    }
    /* a document naming other keys than the line above says so itself */
    if (c->doc && memcmp(t->keys, c->doc->key, sizeof t->keys)) {
        printf("      keys of version %lld: provider %s, client %s%s\n",
               (long long)c->doc->version, c->doc->key[0], c->doc->key[1],
               c->unverified ? " (not traced to an earlier version)" : "");
        memcpy(t->keys, c->doc->key, sizeof t->keys);
    }
    if (c->notes && *c->notes)
        printf("      note: %s\n", c->notes);
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
    if (fflush(stdout) != 0) {
        cli_error("cannot write to standard output");
        return CLI_EIO;
    }
    return rc == INV_OK ? CLI_OK : cli_report(e);
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
        printf("%lld document%s: %lld agreed, %lld pending, %lld broken",
               (long long)t.total, t.total == 1 ? "" : "s",
               (long long)t.agreed, (long long)t.pending, (long long)t.broken);
        if (t.unverified)
            printf(", %lld unverified", (long long)t.unverified);
        putchar('\n');
    }
    return finish(rc, &e);
}

int cmd_verify(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"documents", required_argument, NULL, 'd'},
                                         {"json", no_argument, NULL, 'j'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL;
    int json = 0, c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            dir = optarg;
        else if (c == 'j')
            json = 1;
        else
            return cli_usage("verify");
    }
    if (optind != argc) {
        cli_error("unexpected argument '%s'", argv[optind]);
        return cli_usage("verify");
    }
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
            printf("register %s holds: %lld version%s re-render%s to the recorded hash%s, the "
                   "chain is intact; %lld agreed, %lld pending\n",
                   inv_path(r), (long long)t.total, t.total == 1 ? "" : "s",
                   t.total == 1 ? "s" : "", t.total == 1 ? "" : "es", (long long)t.agreed,
                   (long long)t.pending);
        rc = finish(rc, &e);
    } else {
        rc = cli_report(&e);
    }
    inv_close(r);
    return rc;
}
