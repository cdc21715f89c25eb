/*
 * cmd_prove.c - scopereg prove ID [--at DATE] -o DIR [--force] [--lang en|fr|de|it]
 *
 * The smallest folder that proves whether ID was in the scope in force at
 * DATE (default: now), for a third party, without the rest of the scope
 * (docs/FORMAT.md, "Proof folder"):
 *   proof.txt                          the question, the answer, the version
 *                                      in force, each leaf's index, hash and
 *                                      audit path (RFC 9162, BLAKE2b-256)
 *   item.txt                           in scope: the item's block, byte for byte
 *   before.txt, after.txt              not in scope: the neighbours' blocks
 *                                      (one at an edge, none in an empty tree)
 *   <stem>-vK.checkpoint[.ROLE.minisig] versions 1 to L (the latest with a
 *                                      checkpoint agreed by both parties)
 *   <stem>.ROLE[.KEYID].pub            the parties' keys over those versions
 *   VERIFY.txt                         every check as a command with stock
 *                                      minisign and coreutils, and what it
 *                                      must print, in the contract's language
 *                                      (inv_lang) or --lang's (en, fr, de, it)
 * Exit 0 when ID was in scope, 1 when it was not (the folder proves it) or
 * nothing can be proved (no version or checkpoint agreed by DATE: nothing
 * written). The planning is the library's (inventory/work/prove.c), the
 * text of VERIFY.txt an output (output/proof_txt.c).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outdir.h"
#include "output.h"
#include "review.h"
#include "proof_txt.h"
#include "prove.h"

#ifndef SCOPEREG_VERSION
#define SCOPEREG_VERSION "dev"
#endif

static int add_copy(outdir *o, const char *name, const char *data, size_t len)
{
    char *copy = malloc(len ? len : 1);
    if (!copy) {
        cli_error("out of memory");
        return CLI_EIO;
    }
    memcpy(copy, data, len);
    return outdir_add(o, name, copy, len, 0644);
}

/* Every file of the folder, VERIFY.txt last. */
static int plan(outdir *o, const inv_proof_folder *f, const char *lang)
{
    inv_buf b = {0};
    int rc;
    if (inv_proof_format(f, &b)) {
        inv_buf_free(&b);
        cli_error("out of memory");
        return CLI_EIO;
    }
    if ((rc = outdir_add(o, INV_PROOF_FILE, b.data, b.len, 0644)))
        return rc;
    for (int i = 0; i < f->nleaves; i++)
        if ((rc = add_copy(o, inv_pf_leaf_files[f->leaf[i].kind], f->leaf[i].data,
                           f->leaf[i].len)))
            return rc;
    for (int64_t k = 0; k < f->ncps; k++) {
        const inv_pf_checkpoint *c = &f->cps[k];
        if ((rc = add_copy(o, c->file, c->data, c->len)))
            return rc;
        for (int i = 0; i < 2; i++)
            if ((c->sig[i].present &&
                 (rc = add_copy(o, c->sig[i].file, c->sig[i].data, c->sig[i].len))) ||
                (c->old[i].present &&
                 (rc = add_copy(o, c->old[i].file, c->old[i].data, c->old[i].len))))
                return rc;
    }
    for (size_t i = 0; i < f->nkeys; i++) {
        char *text = cr_pubkey_format(&f->keys[i].pk);
        if (!text) {
            cli_error("out of memory");
            return CLI_EIO;
        }
        if ((rc = outdir_add(o, f->keys[i].file, text, strlen(text), 0644)))
            return rc;
    }
    char *verify = out_proof_txt(f, SCOPEREG_VERSION, out_proof_words_for(lang));
    if (!verify) {
        cli_error("out of memory");
        return CLI_EIO;
    }
    return outdir_add(o, "VERIFY.txt", verify, strlen(verify), 0644);
}

static int summary(const inv_proof_folder *f, const outdir *o, const char *dir)
{
    char at[32], agreed[32];
    char *id = out_safe_dup(f->id, 1);
    const char *shown = id ? id : f->id;
    inv_time_format(f->at, at, sizeof at);
    inv_time_format(f->agreed, agreed, sizeof agreed);
    printf(_("at %s the scope in force was version %lld (%llu items), agreed %s (the later "
             "document signature its checkpoint signatures state)\n"),
           at, (long long)f->version, (unsigned long long)f->size, agreed);
    if (f->answer)
        printf(_("%s was in scope at %s: version %lld lists it at position %llu\n"), shown, at,
               (long long)f->version, (unsigned long long)f->leaf[0].path.index);
    else
        printf(_("%s was not in scope at %s: version %lld does not list it\n"), shown, at,
               (long long)f->version);
    free(id);
    printf(_("proof written to %s (%zu files):\n"), dir, o->n);
    for (size_t i = 0; i < o->n; i++)
        printf("  %s\n", o->v[i].name);
    if (!f->answer && f->nleaves == 2)
        printf(_("it discloses the two neighbouring items in full (before.txt, after.txt), "
                 "and no other item\n"));
    else if (!f->answer && f->nleaves == 1)
        printf(_("it discloses the neighbouring item in full (%s), and no other item\n"),
               inv_pf_leaf_files[f->leaf[0].kind]);
    printf("%s of VERIFY.txt: %s\n", "BLAKE2b-256", o->v[o->n - 1].hash);
    return cli_flushed(f->answer ? CLI_OK : CLI_FAIL);
}

int cmd_prove(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"at", required_argument, NULL, 'a'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"force", no_argument, NULL, 'f'},
                                         {"lang", required_argument, NULL, 'L'},
                                         {NULL, 0, NULL, 0}};
    const char *at = NULL, *dir = NULL, *lang = NULL;
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
            return cli_usage("prove");
    }
    if (argc - optind != 1) {
        if (argc - optind > 1)
            cli_error("unexpected argument '%s'", argv[optind + 1]);
        else
            cli_error("prove needs the ID of one item");
        return cli_usage("prove");
    }
    const char *id = argv[optind];
    inv_err e = {0};
    if (lang && !inv_lang_known(lang)) {
        cli_error("--lang '%s': scopereg writes a proof's VERIFY.txt in en, fr, de and it", lang);
        return cli_usage("prove");
    }
    int64_t t = ctx->now;
    if ((rc = cli_question_opts("prove", dir, id, at, &t)))
        return rc;
    inv_register *r;
    if ((rc = cli_open(ctx, 0, &r)))
        return rc;
    inv_proof_folder f;
    outdir o;
    outdir_init(&o, dir);
    if ((rc = inv_prove(r, id, t, ctx->now, &f, &e))) {
        rc = cli_report(&e);
        goto out;
    }
    if ((rc = plan(&o, &f, lang ? lang : inv_lang(r))) ||
        (rc = outdir_open(&o, OUTDIR_EMPTY | OUTDIR_NOFOLLOW | (force ? OUTDIR_FORCE : 0))) ||
        (rc = outdir_commit(&o, force)))
        goto out;
    rc = summary(&f, &o, dir);
out:
    inv_proof_folder_free(&f);
    outdir_free(&o);
    inv_close(r);
    return rc;
}
