/*
 * cmd_at.c - scopereg at DATE [ID]: the version in force at a date (the
 * latest version agreed by both parties by then, from the signing dates
 * the signatures' trusted comments sign), whether its stored signatures
 * hold and its rows follow from the version before, and whether an item
 * was in it. A register edited behind the tool's back gets no answer.
 * With --documents DIR the same answer comes from a folder of exported
 * documents and signature files, checked as verify --documents checks it
 * (inventory/work/answer.h: one answer, two sources).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "coverage_view.h"
#include "dispute.h"
#include "output.h"

/* Which parties' signatures a folder lacks for a version it holds. */
static const char *lacks_word(const inv_sig_state *st)
{
    if (!st->party[0].signed_ && !st->party[1].signed_)
        return _("it holds no signature of it by either party");
    return st->party[0].signed_ ? _("it holds no client signature of it")
                                : _("it holds no provider signature of it");
}

/* The end of the answer's line: from a folder, how far the answer holds
 * (on the same line, so that a quoted answer keeps it); then end. */
static void reach(const inv_at_answer *f, const char *when, const char *end)
{
    char d[32];
    if (f->held.last && f->bound) {
        inv_time_format(f->bound_date, d, sizeof d);
        printf(_("; no later version can have been agreed by then: version %lld, agreed by "
                 "both parties in this folder, is dated %s"),
               (long long)f->bound, d);
    } else if (f->held.last) {
        printf(_("; this holds as far as versions %lld to %lld of this folder show: a version "
                 "after version %lld agreed by %s would change the answer, and the folder "
                 "cannot exclude one"),
               (long long)f->held.first, (long long)f->held.last, (long long)f->open_after,
               when);
    }
    fputs(end, stdout);
}

/* From a folder: the versions it holds, and how to settle what it cannot
 * show. */
static void print_held(const inv_at_answer *f, const char *when)
{
    char d[32], a[32];
    const inv_held *h = &f->held;
    if (!h->last)
        return;
    inv_time_format(h->last_date, d, sizeof d);
    if (h->last_agreed) {
        inv_time_format(h->last_agreed, a, sizeof a);
        printf(_("  this folder holds versions %lld to %lld: the last, version %lld, dated %s, "
                 "was agreed %s\n"),
               (long long)h->first, (long long)h->last, (long long)h->last, d, a);
    } else {
        inv_sig_state st = {0};
        for (int i = 0; i < 2; i++)
            st.party[i].signed_ = h->last_signed[i];
        printf(_("  this folder holds versions %lld to %lld: the last, version %lld, dated %s, "
                 "is not agreed in it: %s\n"),
               (long long)h->first, (long long)h->last, (long long)h->last, d,
               lacks_word(&st));
    }
    if (!f->bound)
        printf(_("  to settle it, ask the other party for the latest document it "
                 "countersigned: the answer stands unless a version after version %lld has "
                 "both parties' signatures dated by %s\n"),
               (long long)f->open_after, when);
}

static int print_text(const char *when, const inv_in_force *inf, const cli_version_info *vi,
                       const cli_version_info *later, const char *id, const inv_at_answer *f,
                       const char *dir)
{
    char d[32];
    if (!inf->version) {
        printf(_("no version was in force at %s: none had been signed by both parties by then"),
               when);
        if (id)
            fputs("\n", stdout);
        else
            reach(f, when, "\n");
    } else {
        inv_time_format(inf->agreed_at, d, sizeof d);
        printf(_("at %s the scope in force was version %lld, agreed %s"), when,
               (long long)inf->version, d);
        if (id)
            fputs("\n", stdout);
        else
            reach(f, when, "\n");
        inv_time_format(vi->v.date, d, sizeof d);
        size_t mlen = strcspn(vi->v.message, "\n");
        printf(_("  committed %s by %s: %.*s%s\n"), d, vi->v.author, (int)mlen, vi->v.message,
               vi->v.message[mlen] ? " ..." : "");
        printf(ngettext("  %lld item, document %s\n", "  %lld items, document %s\n",
                        vi->v.item_count == 1 ? 1 : 2),
               (long long)vi->v.item_count, vi->v.doc_hash);
        cli_version_signers_print(stdout, vi, "  ");
        if (vi->hold && dir)
            printf(_("  the signatures in %s hold over its document\n"), dir);
        else if (vi->hold)
            printf(_("  the stored signatures hold over the re-rendered document\n"));
    }
    if (later) {
        char a[32];
        inv_time_format(later->v.date, d, sizeof d);
        inv_time_format(later->agreed_at, a, sizeof a);
        if (dir && !later->agreed_at)
            printf(_("  version %lld, committed %s, is not agreed in this folder: %s\n"),
                   (long long)later->v.number, d, lacks_word(&later->state));
        else
            printf(_("  version %lld, committed %s, was not agreed by then (%s%s)\n"),
                   (long long)later->v.number, d,
                   later->agreed_at ? _("agreed later, ") : _("now: "),
                   later->agreed_at ? a : cli_state_word(&later->state));
    }
    print_held(f, when);
    if (!id || (inf->version && !vi->hold))
        return 0;
    if (!inf->version) {
        printf(_("so %s was in no agreed scope at %s"), id, when);
        reach(f, when, "\n");
    } else if (!f->found) {
        printf(_("%s was not in scope at %s: version %lld does not list it"), id, when,
               (long long)inf->version);
        reach(f, when, "\n");
    } else {
        printf(_("%s was in scope at %s, as signed in version %lld"), id, when,
               (long long)inf->version);
        reach(f, when, ":\n");
        return cli_item_print(stdout, &f->item, "  ");
    }
    return 0;
}

static void print_json(const char *when, const inv_in_force *inf, const cli_version_info *vi,
                       const cli_version_info *later, const char *id, const inv_at_answer *f,
                       const char *dir, const char *service, const inv_cov_answer *cov)
{
    printf("{\"source\":\"%s\",\"date\":", dir ? "documents" : "register");
    out_json_str(stdout, when);
    fputs(",\"in_force\":", stdout);
    if (inf->version) {
        fputc('{', stdout);
        cli_version_json_members(stdout, vi);
        printf(",\"signatures_hold\":%s}", vi->hold ? "true" : "false");
    } else {
        fputs("null", stdout);
    }
    fputs(",\"not_agreed_then\":", stdout);
    if (later) {
        printf("{\"version\":%lld,\"date\":", (long long)later->v.number);
        out_json_time(stdout, later->v.date);
        fputs(",\"status\":", stdout);
        out_json_str(stdout, inv_sig_state_name(&later->state));
        fputs(",\"agreed_at\":", stdout);
        out_json_time_or_null(stdout, later->agreed_at);
        fputc('}', stdout);
    } else {
        fputs("null", stdout);
    }
    /* a folder: the versions it holds, and whether a later one is excluded */
    fputs(",\"folder_versions\":", stdout);
    if (f->held.last)
        printf("[%lld,%lld]", (long long)f->held.first, (long long)f->held.last);
    else
        fputs("null", stdout);
    printf(",\"later_versions_excluded\":%s", !dir ? "null" : f->bound ? "true" : "false");
    if (id) {
        fputs(",\"id\":", stdout);
        out_json_str(stdout, id);
        printf(",\"in_scope\":%s,\"item\":", f->found ? "true" : "false");
        if (f->found)
            out_json_item(stdout, &f->item);
        else
            fputs("null", stdout);
    }
    if (cov) /* --service */
        cli_cov_answer_json(stdout, service, cov);
    fputs("}\n", stdout);
}

int cmd_at(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {"documents", required_argument, NULL, 'd'},
                                         {"service", required_argument, NULL, 's'},
                                         {NULL, 0, NULL, 0}};
    int json = 0, c, rc;
    const char *dir = NULL, *service = NULL;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c == 'j')
            json = 1;
        else if (c == 'd')
            dir = optarg;
        else if (c == 's')
            service = optarg;
        else
            return cli_usage("at");
    }
    if (argc - optind < 1 || argc - optind > 2) {
        cli_error(argc - optind < 1 ? "at needs a DATE" : "unexpected argument '%s'",
                  argv[argc - 1]);
        return cli_usage("at");
    }
    const char *arg = argv[optind], *id = argc - optind == 2 ? argv[optind + 1] : NULL;
    inv_err e = {0};
    int64_t t;
    char when[32];
    if (inv_time_parse(arg, 1, &t, &e) != INV_OK) {
        cli_error("DATE '%s': %s (YYYY-MM-DD, the end of that day in UTC, or RFC 3339)", arg,
                  e.msg);
        return cli_usage("at");
    }
    inv_time_format(t, when, sizeof when);
    if (service && (!id || inv_cov_id_check("service", service, &e)))
        return id ? cli_report(&e) : (cli_error("--service needs an item ID"), cli_usage("at"));

    inv_register *r;
    inv_source *src;
    inv_at_answer a;
    inv_cov_answer cov = {0}; /* --service: inventory/work/coverage.c */
    int has_cov = 0;
    if ((rc = cli_source_open(ctx, dir, &r, &src)))
        return rc;
    /* The state of every version comes from its signatures' signed
     * trusted comments (a row edited behind the tool's back, or a folder
     * lacking a version that may have been agreed by then, gets no
     * answer); the version answered from must follow the version before
     * it, and its signatures must hold over its document. */
    if (inv_answer_at(src, t, id, &a, &e) != INV_OK) {
        rc = cli_report(&e);
        goto out;
    }
    const inv_in_force *inf = &a.inf;
    const cli_version_info *vi = &a.in_force;
    const cli_version_info *later = inf->latest > inf->version ? &a.later : NULL;
    if (service && inf->version && vi->hold && a.found) {
        if (inv_cov_answer_get(src, inf->version, &a.item, service, &cov, &e) != INV_OK) {
            rc = cli_report(&e);
            goto out;
        }
        has_cov = 1;
    }
    if (json)
        print_json(when, inf, vi, later, id, &a, dir, service, has_cov ? &cov : NULL);
    else if (print_text(when, inf, vi, later, id, &a, dir)) {
        cli_flush();
        cli_error("out of memory: the answer above is incomplete");
        rc = CLI_EIO;
        goto out;
    }
    if (has_cov && !json)
        cli_cov_answer_print(stdout, id, service, when, inf->version, &cov);
    if (cli_flushed(CLI_OK) != CLI_OK) {
        rc = CLI_EIO;
    } else if (inf->version && !vi->hold && dir) {
        cli_error("version %lld, in force at %s by its signatures' signed dates, does not hold "
                  "in %s: %s; run 'scopereg verify --documents %s'", (long long)inf->version,
                  when, dir, vi->problem ? vi->problem : "", dir);
        rc = CLI_FAIL;
    } else if (inf->version && !vi->hold) {
        cli_error("version %lld, in force at %s by its stored signature rows, has a signature "
                  "that does not hold; run 'scopereg verify'", (long long)inf->version, when);
        rc = CLI_FAIL;
    } else {
        rc = inf->version && (!id || a.found) && (!service || cov.covered) ? CLI_OK : CLI_FAIL;
    }
out:
    inv_cov_answer_free(&cov);
    inv_at_answer_free(&a);
    inv_source_free(src);
    if (r)
        inv_close(r);
    return rc;
}
