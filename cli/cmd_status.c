/*
 * cmd_status.c - scopereg status: the staged changes (key replacements
 * staged with rekey first, as the next document will list them, then the
 * item changes), as text or, with --json, as one JSON object.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "changes_view.h"
#include "cli.h"
#include "dispute.h"
#include "output.h"

typedef struct status_ctx {
    cli_view view; /* the text form: additions with kind and name */
    int64_t added, modified, removed;
    int json;
    inv_buf terms; /* the staged term and coverage changes, as the document writes them */
    int64_t nterms;
} status_ctx;

/* A staged change of a service, exclusion, class, kind default or item
 * coverage: kept as its document lines (text) or a JSON object. */
static int one_term(void *ctx, const inv_term_change *c)
{
    status_ctx *s = ctx;
    inv_buf *b = &s->terms;
    const inv_term *t = c->after ? c->after : c->before;
    if (s->json) {
        printf("%s{\"type\":\"%s\",\"op\":\"%s\",\"id\":", s->nterms ? "," : "",
               t ? inv_term_words[t->type] : "coverage",
               c->op == 'A' ? "add" : c->op == 'R' ? "remove" : "edit");
        out_json_str(stdout, t ? t->id : c->item);
        if (c->item) {
            fputs(",\"services\":", stdout);
            out_json_str(stdout, c->svc_after);
            fputs(",\"sla\":", stdout);
            out_json_str(stdout, c->sla_after);
        }
        fputs("}", stdout);
    } else if (c->item) {
        /* the coverage lines that change ("..." for what the kind's default
         * gives at commit) */
        inv_buf_puts(b, "~ ");
        inv_escape(b, c->item);
        inv_buf_puts(b, "\n");
        if (strcmp(c->svc_before, c->svc_after))
            inv_buf_printf(b, "  services: \"%s\" -> \"%s\"\n", c->svc_before, c->svc_after);
        if (strcmp(c->sla_before, c->sla_after))
            inv_buf_printf(b, "  sla: \"%s\" -> \"%s\"\n", c->sla_before, c->sla_after);
    } else {
        inv_term_change_format(b, c->op == 'E' ? 'M' : c->op, c->before, c->after, c->reason);
    }
    s->nterms++;
    return 0;
}

static int one(void *ctx, const inv_change *c)
{
    status_ctx *s = ctx;
    s->added += c->op == INV_OP_ADD;
    s->modified += c->op == INV_OP_EDIT;
    s->removed += c->op == INV_OP_REMOVE;
    if (s->json) {
        fputs(s->added + s->modified + s->removed > 1 ? ",\n" : "\n", stdout);
        out_json_change(stdout, c);
        return ferror(stdout) ? INV_EIO : 0;
    }
    return cli_view_change(&s->view, c);
}

/* The staged key replacements: for each role, whether one is staged and
 * the key ids it replaces and brings. */
typedef struct staged_keys {
    int n, staged[2];
    char old[2][CR_KEYID_HEX], new_key[2][CR_KEYID_HEX];
} staged_keys;

static int staged_keys_get(inv_register *r, int64_t latest, staged_keys *k, inv_err *e)
{
    memset(k, 0, sizeof *k);
    for (int i = 0; i < 2 && latest > 0; i++) {
        cr_pubkey pk;
        inv_party p;
        int rc = inv_rekey_staged(r, inv_roles[i], &k->staged[i], &pk, e);
        if (rc)
            return rc;
        if (!k->staged[i])
            continue;
        if ((rc = inv_party_get(r, inv_roles[i], latest, &p, e)))
            return rc;
        cr_keyid_hex(p.key.keyid, k->old[i]);
        inv_party_free(&p);
        cr_keyid_hex(pk.keyid, k->new_key[i]);
        k->n++;
    }
    return INV_OK;
}

int cmd_status(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {"long", no_argument, NULL, 'v'},
                                         {"verbose", no_argument, NULL, 'v'},
                                         {NULL, 0, NULL, 0}};
    status_ctx s = {0};
    int c;
    while ((c = getopt_long(argc, argv, "v", opts, NULL)) != -1) {
        if (c == 'j')
            s.json = 1;
        else if (c == 'v')
            s.view.long_form = 1;
        else
            return cli_usage("status");
    }
    if (optind != argc)
        return cli_usage("status");
    inv_register *r;
    inv_err e = {0};
    int64_t latest;
    staged_keys k;
    int rc = cli_open(ctx, 0, &r);
    if (rc)
        return rc;
    if (inv_latest(r, &latest, &e) || staged_keys_get(r, latest, &k, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    if (s.json) {
        fputs("{\"register\":", stdout);
        out_json_str(stdout, inv_path(r));
        fputs(",\"register_id\":", stdout);
        out_json_str(stdout, inv_register_id(r));
        fputs(",\"contract\":", stdout);
        out_json_str(stdout, inv_contract(r));
        printf(",\"latest_version\":%lld,\"next_version\":%lld,\"key_changes\":[",
               (long long)latest, (long long)latest + 1);
        for (int i = 0, j = 0; i < 2; i++)
            if (k.staged[i])
                printf("%s{\"role\":\"%s\",\"old\":\"%s\",\"new\":\"%s\"}", j++ ? "," : "",
                       inv_roles[i], k.old[i], k.new_key[i]);
    }
    if (s.json)
        fputs("],\"scope_changes\":[", stdout);
    if (inv_stage_term_walk(r, one_term, &s, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    if (s.json)
        fputs("],\"changes\":[", stdout);
    if (inv_stage_walk(r, one, &s, &e)) {
        if (!e.msg[0])
            inv_fail(&e, INV_EIO, "cannot write to standard output");
        rc = cli_report(&e);
        goto out;
    }
    if (s.json) {
        printf("%s],\"added\":%lld,\"modified\":%lld,\"removed\":%lld}\n",
               s.added + s.modified + s.removed ? "\n" : "", (long long)s.added,
               (long long)s.modified, (long long)s.removed);
        rc = cli_flushed(rc);
        goto out;
    }
    printf(_("register %s, contract %s, latest version %lld\n"), inv_path(r), inv_contract(r),
           (long long)latest);
    if (s.added + s.modified + s.removed + k.n + s.nterms == 0) {
        printf(_("nothing staged\n"));
        goto out;
    }
    printf(_("staged for version %lld: %lld added, %lld modified, %lld removed"),
           (long long)latest + 1, (long long)s.added, (long long)s.modified,
           (long long)s.removed);
    if (k.n)
        printf(ngettext(", %d key replaced", ", %d keys replaced", k.n == 1 ? 1 : 2), k.n);
    if (s.nterms)
        printf(ngettext(", %lld change of services, exclusions, classes or coverage",
                        ", %lld changes of services, exclusions, classes or coverage",
                        s.nterms == 1 ? 1 : 2),
               (long long)s.nterms);
    fputs("\n", stdout);
    if (s.added)
        printf("%s\n", cli_view_kinds(&s.view));
    fputs("\n", stdout);
    for (int i = 0; i < 2; i++)
        if (k.staged[i])
            printf("key %s: %s -> %s\n", inv_roles[i], k.old[i], k.new_key[i]);
    if (s.terms.len)
        fwrite(s.terms.data, 1, s.terms.len, stdout);
    if (cli_view_print(&s.view, stdout) || s.terms.failed) {
        cli_flush();
        cli_error("out of memory: the list above is incomplete");
        rc = CLI_EIO;
    }
out:
    inv_buf_free(&s.terms);
    cli_view_free(&s.view);
    inv_close(r);
    return rc;
}
