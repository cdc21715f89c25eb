/*
 * cmd_at.c - scopereg at DATE [ID]: the version in force at a date (the
 * latest version agreed by both parties by then, from the signing dates
 * the signatures' trusted comments sign), whether its stored signatures
 * hold and its rows follow from the version before, and whether an item
 * was in it. A register edited behind the tool's back gets no answer.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "dispute.h"
#include "output.h"

/* Stop value of the item walk: not an INV_* code. */
#define FOUND_STOP (-1)

typedef struct find_ctx {
    const char *id;
    inv_item it;
    int found;
} find_ctx;

static int find_one(void *ctx, const inv_item *it)
{
    find_ctx *f = ctx;
    int c = strcmp(it->id, f->id);
    if (c < 0)
        return 0;
    if (c == 0) {
        if (inv_item_copy(&f->it, it))
            return INV_EIO;
        f->found = 1;
    }
    return FOUND_STOP; /* items come in id order: nothing further can match */
}

static void print_text(const char *when, const inv_in_force *inf, const cli_version_info *vi,
                       const cli_version_info *later, const char *id, const find_ctx *f)
{
    char d[32];
    if (!inf->version) {
        printf(_("no version was in force at %s: none had been signed by both parties by then\n"),
               when);
    } else {
        inv_time_format(inf->agreed_at, d, sizeof d);
        printf(_("at %s the scope in force was version %lld, agreed %s\n"), when,
               (long long)inf->version, d);
        inv_time_format(vi->v.date, d, sizeof d);
        size_t mlen = strcspn(vi->v.message, "\n");
        printf(_("  committed %s by %s: %.*s%s\n"), d, vi->v.author, (int)mlen, vi->v.message,
               vi->v.message[mlen] ? " ..." : "");
        printf(ngettext("  %lld item, document %s\n", "  %lld items, document %s\n",
                        vi->v.item_count == 1 ? 1 : 2),
               (long long)vi->v.item_count, vi->v.doc_hash);
        cli_version_signers_print(stdout, vi, "  ");
        if (vi->hold)
            printf(_("  the stored signatures hold over the re-rendered document\n"));
    }
    if (later) {
        char a[32];
        inv_time_format(later->v.date, d, sizeof d);
        inv_time_format(later->agreed_at, a, sizeof a);
        printf(_("  version %lld, committed %s, was not agreed by then (%s%s)\n"),
               (long long)later->v.number, d, later->agreed_at ? _("agreed later, ") : _("now: "),
               later->agreed_at ? a : cli_state_word(&later->state));
    }
    if (!id || (inf->version && !vi->hold))
        return;
    if (!inf->version)
        printf(_("so %s was in no agreed scope at %s\n"), id, when);
    else if (!f->found)
        printf(_("%s was not in scope at %s: version %lld does not list it\n"), id, when,
               (long long)inf->version);
    else {
        printf(_("%s was in scope at %s, as signed in version %lld:\n"), id, when,
               (long long)inf->version);
        cli_item_print(stdout, &f->it, "  ");
    }
}

static void print_json(const char *when, const inv_in_force *inf, const cli_version_info *vi,
                       const cli_version_info *later, const char *id, const find_ctx *f)
{
    printf("{\"date\":");
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
        if (later->agreed_at)
            out_json_time(stdout, later->agreed_at);
        else
            fputs("null", stdout);
        fputc('}', stdout);
    } else {
        fputs("null", stdout);
    }
    if (id) {
        fputs(",\"id\":", stdout);
        out_json_str(stdout, id);
        printf(",\"in_scope\":%s,\"item\":", f->found ? "true" : "false");
        if (f->found)
            out_json_item(stdout, &f->it);
        else
            fputs("null", stdout);
    }
    fputs("}\n", stdout);
}

int cmd_at(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {NULL, 0, NULL, 0}};
    int json = 0, c, rc;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'j')
            return cli_usage("at");
        json = 1;
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

    inv_register *r;
    inv_in_force inf;
    cli_version_info vi = {0}, later = {0};
    find_ctx f = {id, {0}, 0};
    int have_later = 0;
    inv_item_init(&f.it);
    if ((rc = cli_open(ctx, 0, &r)))
        return rc;
    /* The state of every version comes from its signatures' signed
     * trusted comments (a row edited behind the tool's back is refused);
     * the version answered from must list what its changes make of the
     * version before (inv_doc_digests runs inv_version_check, then
     * renders once for the signature checks), and its signatures must
     * hold over its document. */
    unsigned char prehash[CR_PREHASH_BYTES];
    char doc_hash[CR_HASH_STR_LEN];
    if (inv_in_force_at(r, t, &inf, &e) != INV_OK ||
        (inf.version && inv_doc_digests(r, inf.version, prehash, doc_hash, &e) != INV_OK) ||
        (inf.version && cli_version_info_get(r, inf.version, 1, &vi, &e) != INV_OK) ||
        (inf.latest > inf.version &&
         cli_version_info_get(r, inf.latest, 0, &later, &e) != INV_OK)) {
        rc = cli_report(&e);
        goto out;
    }
    have_later = inf.latest > inf.version;
    if (id && inf.version && vi.hold) {
        int s = inv_items(r, inf.version, find_one, &f, &e);
        if (s != INV_OK && s != FOUND_STOP) {
            if (!e.msg[0]) /* find_one could not copy the item */
                inv_fail(&e, INV_EIO, "out of memory");
            rc = cli_report(&e);
            goto out;
        }
    }
    if (json)
        print_json(when, &inf, &vi, have_later ? &later : NULL, id, &f);
    else
        print_text(when, &inf, &vi, have_later ? &later : NULL, id, &f);
    if (fflush(stdout) != 0) {
        cli_error("cannot write to standard output");
        rc = CLI_EIO;
    } else if (inf.version && !vi.hold) {
        cli_error("version %lld, in force at %s by its stored signature rows, has a signature "
                  "that does not hold; run 'scopereg verify'", (long long)inf.version, when);
        rc = CLI_FAIL;
    } else {
        rc = inf.version && (!id || f.found) ? CLI_OK : CLI_FAIL;
    }
out:
    inv_item_free(&f.it);
    cli_version_info_free(&vi);
    cli_version_info_free(&later);
    inv_close(r);
    return rc;
}
