/*
 * cmd_evidence.c - scopereg evidence [ID] [--at DATE] -o DIR [--force]
 *                  [--lang fr|de|it|en]
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
 *                                    and b2sum, in the contract's language
 *                                    (inv_lang) or --lang's
 * Every version is re-rendered, hashed, linked and its signatures checked
 * (as 'verify --documents' will check the folder) before anything is
 * written; a register that does not hold gives no evidence (exit 1). No
 * version agreed by DATE: refused (exit 1). With ID, exit 1 when it was
 * not in the version in force (the folder is still written: it proves the
 * negative answer). DIR must be new or empty unless --force, and is never
 * a symbolic link; file names come from inv_bundle_name, never from user
 * data. The planning is the library's (inventory/work/evidence.c), the
 * text of VERIFY.txt an output (output/verify_txt.c).
 */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "coverage_view.h"
#include "evidence.h"
#include "outdir.h"
#include "verify_txt.h"

#ifndef SCOPEREG_VERSION
#define SCOPEREG_VERSION "dev"
#endif

static int sink_file(void *ctx, const char *name, char *data, size_t len)
{
    return outdir_add(ctx, name, data, len, 0644);
}

/* One document in memory at a time. */
static int sink_version_done(void *ctx, int64_t n)
{
    (void)n;
    return outdir_spill(ctx, 1);
}

/* VERIFY.txt, added to the plan last. */
static int add_verify(outdir *o, const inv_evidence *E, const char *lang)
{
    out_file_sum *sums = calloc(o->n ? o->n : 1, sizeof *sums);
    if (!sums) {
        cli_error("out of memory");
        return CLI_EIO;
    }
    for (size_t i = 0; i < o->n; i++)
        sums[i] = (out_file_sum){o->v[i].name, o->v[i].hash};
    char *text = out_verify_txt(E, sums, o->n, SCOPEREG_VERSION,
                                out_verify_words_for(lang));
    free(sums);
    if (!text) {
        cli_error("out of memory");
        return CLI_EIO;
    }
    return outdir_add(o, OUT_VERIFY_NAME, text, strlen(text), 0644);
}

/* Warns about what DIR holds besides the evidence (after --force). */
static void warn_extra(const outdir *o, const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    long extra = 0;
    char first[256] = "";
    while ((de = readdir(d)) != NULL) {
        if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, "..") || outdir_find(o, de->d_name) >= 0)
            continue;
        if (!extra++)
            snprintf(first, sizeof first, "%s", de->d_name);
    }
    closedir(d);
    if (extra)
        cli_warn("%s also holds %ld other entr%s (%s%s) that " OUT_VERIFY_NAME " does not list",
                 dir, extra, extra == 1 ? "y" : "ies", first, extra > 1 ? ", ..." : "");
}

/* What was written, and the answer. */
static int print_summary(const inv_evidence *E, const outdir *o, const char *dir)
{
    char d[32];
    const inv_ev_version *N = &E->v[E->nv - 1];
    inv_time_format(N->agreed_at, d, sizeof d);
    printf(_("at %s the scope in force was version %lld of contract %s, agreed %s\n"), E->when,
           (long long)N->n, E->contract, d);
    if (E->id && E->found) {
        printf(_("%s was in scope at %s, as signed in version %lld\n"), E->id, E->when,
               (long long)N->n);
        if (E->item.svc) /* its coverage as agreed (a scope-register/2 version) */
            cli_cov_item_print(stdout, &E->item, E->terms, E->nterms);
    }
    else if (E->id)
        printf(_("%s was not in scope at %s: version %lld does not list it\n"), E->id, E->when,
               (long long)N->n);
    size_t nsigs = 0;
    for (int64_t k = 0; k < E->nv; k++)
        nsigs += E->v[k].nsigs;
    if (E->nv == 1)
        printf(_("evidence written to %s: version 1"), dir);
    else
        printf(_("evidence written to %s: versions 1 to %lld"), dir, (long long)E->nv);
    printf(ngettext(", %zu signature", ", %zu signatures", nsigs == 1 ? 1 : 2), nsigs);
    printf(ngettext(", %zu public key, %s:\n", ", %zu public keys, %s:\n", E->nkeys == 1 ? 1 : 2),
           E->nkeys, OUT_VERIFY_NAME);
    for (size_t i = 0; i < o->n; i++)
        printf("  %s\n", o->v[i].name);
    printf(_("BLAKE2b-256 of %s: %s\n(send it apart from the folder, so that the recipient can "
             "check %s)\n"),
           OUT_VERIFY_NAME, o->v[o->n - 1].hash, OUT_VERIFY_NAME);
    return cli_flushed(E->id && !E->found ? CLI_FAIL : CLI_OK);
}

int cmd_evidence(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"at", required_argument, NULL, 'a'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"force", no_argument, NULL, 'f'},
                                         {"lang", required_argument, NULL, 'L'},
                                         {NULL, 0, NULL, 0}};
    const char *at = NULL, *dir = NULL, *id, *lang = NULL;
    int force = 0, c, rc;
    while ((c = getopt_long(argc, argv, "o:f", opts, NULL)) != -1) {
        if (c == 'a')
            at = optarg;
        else if (c == 'o')
            dir = optarg;
        else if (c == 'f')
            force = 1;
        else if (c == 'L')
            lang = optarg;
        else
            return cli_usage("evidence");
    }
    if (argc - optind > 1) {
        cli_error("unexpected argument '%s'", argv[optind + 1]);
        return cli_usage("evidence");
    }
    id = optind < argc ? argv[optind] : NULL;
    inv_err e = {0};
    if (lang && !inv_lang_known(lang)) {
        cli_error("--lang '%s': scopereg writes VERIFY.txt in en, fr, de and it", lang);
        return cli_usage("evidence");
    }
    int64_t t = ctx->now;
    if ((rc = cli_question_opts("evidence", dir, id, at, &t)))
        return rc;

    inv_register *r;
    if ((rc = cli_open(ctx, 0, &r)))
        return rc;
    inv_evidence E;
    outdir o;
    outdir_init(&o, dir);
    inv_ev_sink sink = {sink_file, sink_version_done, &o};
    if ((rc = inv_evidence_ask(r, id, t, at != NULL, ctx->now, &E, &e))) {
        rc = cli_report(&e);
        goto out;
    }
    if ((rc = outdir_open(&o, OUTDIR_EMPTY | OUTDIR_NOFOLLOW | (force ? OUTDIR_FORCE : 0))))
        goto out;
    e.msg[0] = '\0';
    if ((rc = inv_evidence_plan(r, &E, &sink, &e))) {
        if (e.msg[0]) /* else the sink said why */
            rc = cli_report(&e);
        goto out;
    }
    if ((rc = add_verify(&o, &E, lang ? lang : inv_lang(r))) || (rc = outdir_commit(&o, force)))
        goto out;
    if (force)
        warn_extra(&o, dir);
    rc = print_summary(&E, &o, dir);
out:
    inv_evidence_free(&E);
    outdir_free(&o);
    inv_close(r);
    return rc;
}
