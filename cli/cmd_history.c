/*
 * cmd_history.c - scopereg history ID: every version where an item was
 * added, modified or removed, with the version's status and who signed it
 * when (each stored signature checked). With --documents DIR the same
 * history comes from a folder of exported documents and signature files,
 * checked as verify --documents checks it (inventory/work/answer.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "dispute.h"
#include "output.h"

typedef struct hist_ctx {
    inv_source *src;
    const char *dir; /* --documents, or NULL */
    int json;
    int64_t steps;
    inv_buf text;
    inv_err *e;
} hist_ctx;

static const char *op_word(inv_op op)
{
    return op == INV_OP_ADD ? _("added") : op == INV_OP_EDIT ? _("modified") : _("removed");
}

static int step_one(void *ctx, const inv_history_step *s, const cli_version_info *vi)
{
    hist_ctx *h = ctx;
    if (h->json) {
        fputs(h->steps ? ",\n{" : "\n{", stdout);
        cli_version_json_members(stdout, vi);
        printf(",\"signatures_hold\":%s,\"change\":", vi->hold ? "true" : "false");
        out_json_change(stdout, &s->change);
        fputc('}', stdout);
    } else {
        char d[32], a[32];
        if (h->steps == 0 && h->dir)
            printf(_("history of %s in the documents of %s (contract %s)\n"), s->change.id,
                   h->dir, inv_source_contract(h->src));
        else if (h->steps == 0)
            printf(_("history of %s in register %s (contract %s)\n"), s->change.id,
                   inv_source_where(h->src), inv_source_contract(h->src));
        inv_time_format(vi->v.date, d, sizeof d);
        printf(_("\nversion %lld, %s: %s"), (long long)s->version, d, op_word(s->change.op));
        if (vi->checked && !vi->hold) {
            printf(_(" (its signatures DO NOT HOLD: see below)\n"));
        } else if (vi->agreed_at) {
            inv_time_format(vi->agreed_at, a, sizeof a);
            printf(_(" (agreed %s)\n"), a);
        } else {
            printf(" (%s)\n", cli_state_word(&vi->state));
        }
        h->text.len = 0;
        if (inv_change_format(&h->text, &s->change))
            return inv_fail(h->e, INV_EIO, "out of memory");
        if (s->change.op == INV_OP_ADD) {
            if (cli_item_print(stdout, s->change.after, "  "))
                return inv_fail(h->e, INV_EIO, "out of memory");
        } else {
            /* Without the "~ ID" / "- ID" line: the field and reason lines. */
            const char *body = memchr(h->text.data, '\n', h->text.len);
            body = body ? body + 1 : h->text.data + h->text.len;
            cli_print_indented(stdout, body, h->text.len - (size_t)(body - h->text.data), "");
        }
        cli_version_signers_print(stdout, vi, "  ");
    }
    h->steps++;
    return ferror(stdout) ? inv_fail(h->e, INV_EIO, "cannot write to standard output") : 0;
}

/* A folder: the JSON members saying which versions it holds (null for the
 * register, which holds every version), then the closing brace. */
static void json_held(const inv_history_answer *ha, const char *dir)
{
    if (dir && ha->held.last)
        printf(",\"folder_versions\":[%lld,%lld],\"later_versions_excluded\":false}\n",
               (long long)ha->held.first, (long long)ha->held.last);
    else
        printf(",\"folder_versions\":null,\"later_versions_excluded\":null}\n");
}

/* A folder: how far the answer holds, on the answer's own line, then the
 * versions it holds and how to settle what it cannot show. */
static void text_held(const inv_history_answer *ha, const char *dir)
{
    char d[32], a[32];
    const inv_held *h = &ha->held;
    if (!dir || !h->last) {
        fputs("\n", stdout);
        return;
    }
    printf(_("; this holds as far as versions %lld to %lld of this folder show: a later "
             "version would not show here, and the folder cannot exclude one\n"),
           (long long)h->first, (long long)h->last);
    inv_time_format(h->last_date, d, sizeof d);
    if (h->last_agreed) {
        inv_time_format(h->last_agreed, a, sizeof a);
        printf(_("  this folder holds versions %lld to %lld: the last, version %lld, dated %s, "
                 "was agreed %s\n"),
               (long long)h->first, (long long)h->last, (long long)h->last, d, a);
    } else {
        printf(_("  this folder holds versions %lld to %lld: the last, version %lld, dated %s, "
                 "is not agreed in it: %s\n"),
               (long long)h->first, (long long)h->last, (long long)h->last, d,
               !h->last_signed[0] && !h->last_signed[1]
                   ? _("it holds no signature of it by either party")
                   : h->last_signed[0] ? _("it holds no client signature of it")
                                       : _("it holds no provider signature of it"));
    }
    printf(_("  to settle it, ask the other party for the latest document it countersigned: "
             "the history stands if that is version %lld\n"),
           (long long)h->last);
}

int cmd_history(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {"documents", required_argument, NULL, 'd'},
                                         {NULL, 0, NULL, 0}};
    int json = 0, c, rc;
    const char *dir = NULL;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'j')
            json = 1;
        else if (c == 'd')
            dir = optarg;
        else
            return cli_usage("history");
    }
    if (argc - optind != 1) {
        cli_error(argc - optind < 1 ? "history needs an item ID" : "unexpected argument '%s'",
                  argv[argc - 1]);
        return cli_usage("history");
    }
    const char *id = argv[optind];
    inv_register *r;
    inv_source *src;
    inv_err e = {0};
    inv_history_answer ha = {0};
    hist_ctx h = {0};
    if ((rc = cli_source_open(ctx, dir, &r, &src)))
        return rc;
    h.src = src;
    h.dir = dir;
    h.json = json;
    h.e = &e;
    if ((rc = inv_source_latest(src, &ha.latest, &e))) {
        rc = cli_report(&e);
        goto out;
    }
    if (json) {
        printf("{\"source\":\"%s\",\"id\":", dir ? "documents" : "register");
        out_json_str(stdout, id);
        fputs(",\"contract\":", stdout);
        out_json_str(stdout, inv_source_contract(src));
        printf(",\"latest_version\":%lld,\"steps\":[", (long long)ha.latest);
    }
    rc = inv_answer_history(src, id, step_one, &h, &ha, &e);
    if (rc) {
        if (json)
            fputs("\n]}\n", stdout);
        cli_flush();
        rc = cli_report(&e);
        goto out;
    }
    if (ha.steps == 0 && ha.lacks) {
        /* The folder lacks a version: "never" cannot be said. */
        if (json) {
            printf("],\"in_scope_latest\":null");
            json_held(&ha, dir);
        }
    } else if (ha.steps == 0) {
        /* Never committed: a negative answer, said as a sentence. */
        int staged = 0;
        inv_err sub = {0};
        if (json) {
            printf("],\"in_scope_latest\":false");
            json_held(&ha, dir);
        } else if (dir) {
            printf(_("%s is in no version of this folder"), id);
            text_held(&ha, dir);
        } else {
            int in = r && inv_item_current(r, id, NULL, &staged, &sub) == INV_OK && staged;
            printf(_("%s was never in a version of this register%s\n"), id,
                   in ? _("; it is staged for the next commit (see 'scopereg status')") : "");
        }
        rc = cli_flush() ? CLI_EIO : CLI_FAIL;
        if (rc == CLI_EIO || !dir || !(ha.lacks || ha.doubt))
            goto out;
    } else if (json) {
        printf("\n],\"in_scope_latest\":%s", ha.removed ? "false" : "true");
        json_held(&ha, dir);
    } else if (ha.removed && dir) {
        printf(_("\n%s has not been in scope since version %lld (the last version in this "
                 "folder: %lld)"),
               id, (long long)ha.last_version, (long long)ha.latest);
        text_held(&ha, dir);
    } else if (ha.removed) {
        printf(_("\n%s has not been in scope since version %lld (latest version: %lld)\n"), id,
               (long long)ha.last_version, (long long)ha.latest);
    } else if (dir) {
        printf(_("\n%s is in scope of version %lld, the last this folder holds"), id,
               (long long)ha.latest);
        text_held(&ha, dir);
    } else {
        printf(_("\n%s is in scope of the latest version (%lld)\n"), id, (long long)ha.latest);
    }
    if (cli_flushed(CLI_OK) != CLI_OK) {
        rc = CLI_EIO;
    } else if (ha.lacks) {
        cli_error("%s lacks version %lld: what it did to %s is not shown, and the history "
                  "cannot rely on the folder; add version %lld's document and signature files "
                  "to it", dir, (long long)ha.lacks, id, (long long)ha.lacks);
        rc = CLI_FAIL;
    } else if (ha.broken && dir) {
        cli_error(ngettext("%lld version in this history does not hold in %s; run 'scopereg "
                           "verify --documents %s'",
                           "%lld versions in this history do not hold in %s; run 'scopereg "
                           "verify --documents %s'",
                           ha.broken == 1 ? 1 : 2),
                  (long long)ha.broken, dir, dir);
        rc = CLI_FAIL;
    } else if (ha.broken) {
        cli_error(ngettext("%lld version in this history has a signature that does not hold; "
                           "run 'scopereg verify'",
                           "%lld versions in this history have a signature that does not hold; "
                           "run 'scopereg verify'",
                           ha.broken == 1 ? 1 : 2),
                  (long long)ha.broken);
        rc = CLI_FAIL;
    } else if (ha.doubt) {
        cli_error("version %lld in %s does not hold (%s): whether it changed %s cannot be "
                  "relied on; run 'scopereg verify --documents %s'", (long long)ha.doubt, dir,
                  ha.doubt_why ? ha.doubt_why : "", id, dir);
        rc = CLI_FAIL;
    }
out:
    inv_history_answer_free(&ha);
    inv_buf_free(&h.text);
    inv_source_free(src);
    if (r)
        inv_close(r);
    return rc;
}
