/*
 * cmd_history.c - scopereg history ID: every version where an item was
 * added, modified or removed, with the version's status and who signed it
 * when (each stored signature checked).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "dispute.h"
#include "output.h"

typedef struct hist_ctx {
    inv_register *r;
    int json;
    int64_t steps;
    int64_t broken;       /* versions with a signature that does not hold */
    int64_t last_version; /* of the last step */
    int removed;          /* the last step is a removal */
    inv_buf text;
    inv_err *e;
} hist_ctx;

static const char *op_word(inv_op op)
{
    return op == INV_OP_ADD ? _("added") : op == INV_OP_EDIT ? _("modified") : _("removed");
}

static int step_one(void *ctx, const inv_history_step *s)
{
    hist_ctx *h = ctx;
    cli_version_info vi;
    int rc = cli_version_info_get(h->r, s->version, 1, &vi, h->e);
    if (rc) {
        cli_version_info_free(&vi);
        return rc;
    }
    h->broken += !vi.hold;
    h->last_version = s->version;
    h->removed = s->change.op == INV_OP_REMOVE;
    if (h->json) {
        fputs(h->steps ? ",\n{" : "\n{", stdout);
        cli_version_json_members(stdout, &vi);
        printf(",\"signatures_hold\":%s,\"change\":", vi.hold ? "true" : "false");
        out_json_change(stdout, &s->change);
        fputc('}', stdout);
    } else {
        char d[32], a[32];
        if (h->steps == 0)
            printf(_("history of %s in register %s (contract %s)\n"), s->change.id,
                   inv_path(h->r), inv_contract(h->r));
        inv_time_format(vi.v.date, d, sizeof d);
        printf(_("\nversion %lld, %s: %s"), (long long)s->version, d, op_word(s->change.op));
        if (vi.agreed_at) {
            inv_time_format(vi.agreed_at, a, sizeof a);
            printf(_(" (agreed %s)\n"), a);
        } else {
            printf(" (%s)\n", cli_state_word(&vi.state));
        }
        h->text.len = 0;
        if (inv_change_format(&h->text, &s->change)) {
            cli_version_info_free(&vi);
            return inv_fail(h->e, INV_EIO, "out of memory");
        }
        if (s->change.op == INV_OP_ADD) {
            cli_item_print(stdout, s->change.after, "  ");
        } else {
            /* Without the "~ ID" / "- ID" line: the field and reason lines. */
            const char *body = memchr(h->text.data, '\n', h->text.len);
            body = body ? body + 1 : h->text.data + h->text.len;
            cli_print_indented(stdout, body, h->text.len - (size_t)(body - h->text.data), "");
        }
        cli_version_signers_print(stdout, &vi, "  ");
    }
    h->steps++;
    cli_version_info_free(&vi);
    return ferror(stdout) ? inv_fail(h->e, INV_EIO, "cannot write to standard output") : 0;
}

int cmd_history(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {NULL, 0, NULL, 0}};
    int json = 0, c, rc;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'j')
            return cli_usage("history");
        json = 1;
    }
    if (argc - optind != 1) {
        cli_error(argc - optind < 1 ? "history needs an item ID" : "unexpected argument '%s'",
                  argv[argc - 1]);
        return cli_usage("history");
    }
    const char *id = argv[optind];
    inv_register *r;
    inv_err e = {0};
    int64_t latest = 0;
    hist_ctx h = {0};
    if ((rc = cli_open(ctx, 0, &r)))
        return rc;
    h.r = r;
    h.json = json;
    h.e = &e;
    if ((rc = inv_latest(r, &latest, &e))) {
        rc = cli_report(&e);
        goto out;
    }
    if (json) {
        printf("{\"id\":");
        out_json_str(stdout, id);
        fputs(",\"contract\":", stdout);
        out_json_str(stdout, inv_contract(r));
        printf(",\"latest_version\":%lld,\"steps\":[", (long long)latest);
    }
    rc = inv_history(r, id, step_one, &h, &e);
    if (rc) {
        if (json)
            fputs("\n]}\n", stdout);
        fflush(stdout);
        rc = cli_report(&e);
        goto out;
    }
    if (h.steps == 0) {
        /* Never committed: a negative answer, said as a sentence. */
        int staged = 0;
        inv_err sub = {0};
        if (json) {
            printf("],\"in_scope_latest\":false}\n");
        } else {
            int in = inv_item_current(r, id, NULL, &staged, &sub) == INV_OK && staged;
            printf(_("%s was never in a version of this register%s\n"), id,
                   in ? _("; it is staged for the next commit (see 'scopereg status')") : "");
        }
        rc = fflush(stdout) ? CLI_EIO : CLI_FAIL;
        goto out;
    }
    if (json) {
        printf("\n],\"in_scope_latest\":%s}\n", h.removed ? "false" : "true");
    } else if (h.removed) {
        printf(_("\n%s has not been in scope since version %lld (latest version: %lld)\n"), id,
               (long long)h.last_version, (long long)latest);
    } else {
        printf(_("\n%s is in scope of the latest version (%lld)\n"), id, (long long)latest);
    }
    if (fflush(stdout) != 0) {
        cli_error("cannot write to standard output");
        rc = CLI_EIO;
    } else if (h.broken) {
        cli_error(ngettext("%lld version in this history has a signature that does not hold; "
                           "run 'scopereg verify'",
                           "%lld versions in this history have a signature that does not hold; "
                           "run 'scopereg verify'",
                           h.broken == 1 ? 1 : 2),
                  (long long)h.broken);
        rc = CLI_FAIL;
    }
out:
    inv_buf_free(&h.text);
    inv_close(r);
    return rc;
}
