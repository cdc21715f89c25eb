/*
 * cmd_verify.c - scopereg verify [--documents DIR]
 *
 * Without --documents: re-renders every version of the register,
 * recomputes every hash, checks the chain, the stored rows and every
 * stored signature; one line per version: agreed, pending or BROKEN.
 * With --documents DIR: the same questions about exported documents,
 * signatures and public keys, with no register (inv_docs_verify).
 * Exit 0 only when nothing is broken (pending is not broken).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "signing.h"

typedef struct tally {
    int64_t total, agreed, pending, broken;
    char last_register[40];
} tally;

static int one_version(void *ctx, const inv_check *c)
{
    tally *t = ctx;
    char state[512];
    t->total++;
    if (!c->ok) {
        t->broken++;
        printf("version %lld: BROKEN: %s\n", (long long)c->version, c->reason);
        return 0;
    }
    cli_state_verify(c->sigs, state, sizeof state);
    if (c->sigs->provider && c->sigs->client)
        t->agreed++;
    else
        t->pending++;
    printf("version %lld: %s\n", (long long)c->version, state);
    return 0;
}

static int one_document(void *ctx, const inv_doc_check *c)
{
    tally *t = ctx;
    char state[512];
    const char *name = c->file;
    t->total++;
    if (c->doc && strcmp(t->last_register, c->doc->register_id)) {
        snprintf(t->last_register, sizeof t->last_register, "%s", c->doc->register_id);
        printf("register %s, contract %s: provider %s (key %s), client %s (key %s)\n",
               c->doc->register_id, c->doc->contract, c->doc->party[0], c->doc->key[0],
               c->doc->party[1], c->doc->key[1]);
    }
    if (!c->ok) {
        t->broken++;
        if (c->doc)
            printf("  %s: version %lld: BROKEN: %s\n", name, (long long)c->doc->version,
                   c->reason);
        else
            printf("  %s: BROKEN: %s\n", name, c->reason);
    } else {
        cli_state_verify(c->sigs, state, sizeof state);
        if (c->sigs->provider && c->sigs->client)
            t->agreed++;
        else
            t->pending++;
        printf("  %s: version %lld: %s\n", name, (long long)c->doc->version, state);
        printf("      %s\n", c->doc->doc_hash);
    }
    if (c->notes && *c->notes)
        printf("      note: %s\n", c->notes);
    return 0;
}

static int verify_documents(const char *dir)
{
    tally t = {0};
    inv_err e = {0};
    int rc = inv_docs_verify(dir, one_document, &t, &e);
    if (rc == INV_OK || rc == INV_FAIL)
        printf("%lld document%s: %lld agreed, %lld pending, %lld broken\n",
               (long long)t.total, t.total == 1 ? "" : "s",
               (long long)t.agreed, (long long)t.pending, (long long)t.broken);
    if (rc == INV_OK)
        return fflush(stdout) == 0 ? CLI_OK : CLI_EIO;
    return cli_report(&e);
}

int cmd_verify(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"documents", required_argument, NULL, 'd'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'd')
            dir = optarg;
        else
            return cli_usage("verify");
    }
    if (optind != argc) {
        cli_error("unexpected argument '%s'", argv[optind]);
        return cli_usage("verify");
    }
    if (dir)
        return verify_documents(dir);

    inv_register *r;
    inv_err e = {0};
    tally t = {0};
    int rc = cli_open(ctx, 0, &r);
    if (rc)
        return rc;
    rc = inv_verify(r, one_version, &t, &e);
    if (rc == INV_OK) {
        printf("register %s holds: %lld version%s re-render%s to the recorded hash%s, the "
               "chain is intact; %lld agreed, %lld pending\n",
               inv_path(r), (long long)t.total, t.total == 1 ? "" : "s",
               t.total == 1 ? "s" : "", t.total == 1 ? "" : "es", (long long)t.agreed,
               (long long)t.pending);
        if (fflush(stdout) != 0)
            rc = CLI_EIO;
    } else {
        rc = cli_report(&e);
    }
    inv_close(r);
    return rc;
}
