/*
 * verify_proof.c - scopereg verify --proof DIR: a folder written by prove,
 * checked with no register (inv_proof_verify), and its answer printed.
 * Exit 0: the item was in scope and the proof holds; 1: it was not (the
 * proof holds), or the proof does not hold (the file and line named); 2:
 * DIR is not a proof folder; 3: a read error. Either answer holds as far
 * as the folder's versions show: unless the folder holds a later version
 * both parties signed that is dated after the date asked, the answer's
 * line says that a version agreed after the folder's last could change it
 * (docs/FORMAT.md, "What the folder cannot show"). With --json, one
 * object on stdout instead (docs/JSON.md), also when the proof does not
 * hold; nothing on stdout when DIR is not a proof folder or cannot be read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "review.h"
#include "proof.h"

int cli_verify_proof(const char *dir, int json, int64_t now);

/* How far the answer reaches, on the answer's own line (a quoted answer
 * keeps it), then how to settle what the folder cannot. */
static void print_reach(const inv_proof_folder *f, const char *at)
{
    char d[32];
    int64_t L = f->ncps, bound = inv_proof_bound(f);
    if (bound) {
        inv_time_format(f->cps[bound - 1].cp.date, d, sizeof d);
        printf(_("; no later version can have been agreed by then: version %lld, whose "
                 "checkpoint both parties signed, is dated %s\n"),
               (long long)bound, d);
        return;
    }
    /* a later checkpoint dated by then that lacks a signature here may have been
     * agreed by then elsewhere */
    int64_t open = L;
    for (int64_t k = f->version + 1; k <= L; k++)
        if (f->cps[k - 1].cp.date <= f->at && !(f->cps[k - 1].sig[0].present &&
                                                 f->cps[k - 1].sig[1].present))
            open = f->version;
    printf(_("; this holds as far as versions 1 to %lld of this folder show: a version after "
             "version %lld agreed by %s would change the answer, and the folder cannot "
             "exclude one\n"),
           (long long)L, (long long)open, at);
    printf(_("  to settle it, ask the other party for the latest checkpoint it countersigned: "
             "the answer stands unless a version after version %lld has both parties' "
             "checkpoint signatures stating document-signed: dates by %s\n"),
           (long long)open, at);
}

/* The versions the folder holds, and how far the date asked is past the
 * last one's agreement. */
static void print_held(const inv_proof_folder *f, const char *at)
{
    char d[32], a[32];
    int64_t L = f->ncps;
    const inv_pf_checkpoint *c = &f->cps[L - 1];
    inv_time_format(c->cp.date, d, sizeof d);
    if (c->agreed_at) {
        inv_time_format(c->agreed_at, a, sizeof a);
        printf(_("  this folder holds the checkpoints of versions 1 to %lld: the last, version "
                 "%lld, dated %s, was agreed %s\n"),
               (long long)L, (long long)L, d, a);
    } else {
        printf(_("  this folder holds the checkpoints of versions 1 to %lld: the last, version "
                 "%lld, dated %s, has no checkpoint signed by both parties in it\n"),
               (long long)L, (long long)L, d);
    }
    int64_t since = c->agreed_at ? c->agreed_at : c->cp.date;
    if (f->at > since && !inv_proof_bound(f)) {
        long long days = (long long)((f->at - since) / 86400);
        printf(ngettext("  %s is %lld day after that: nothing in the folder speaks of a version "
                        "made since\n",
                        "  %s is %lld days after that: nothing in the folder speaks of a version "
                        "made since\n",
                        days == 1 ? 1 : 2),
               at, days);
    }
}

static void print_answer(const inv_proof_folder *f, const char *dir)
{
    char at[32], d[32], d0[32], d1[32];
    char *sdir = out_safe_dup(dir, 1), *sid = out_safe_dup(f->id, 1),
         *scontract = out_safe_dup(f->contract, 1);
    const inv_pf_checkpoint *K = &f->cps[f->version - 1];
    inv_time_format(f->at, at, sizeof at);
    inv_time_format(f->agreed, d, sizeof d);
    /* the dates the parties state they signed the document (document-signed:),
     * which make the version in force; not when they signed the checkpoint */
    inv_time_format(K->sig[0].doc_signed_at, d0, sizeof d0);
    inv_time_format(K->sig[1].doc_signed_at, d1, sizeof d1);
    printf(_("proof folder %s: register %s, contract %s\n"), sdir ? sdir : dir, f->register_id,
           scontract ? scontract : f->contract);
    printf(_("  checkpoints of versions 1 to %lld: the chain of document hashes is unbroken "
             "and every signature holds\n"),
           (long long)f->ncps);
    printf(_("  version %lld was in force at %s: both parties had signed its document by %s, "
             "as their checkpoint signatures state (provider %s with key %s, client %s with "
             "key %s)\n"),
           (long long)f->version, at, d, d0, K->sig[0].key_id, d1, K->sig[1].key_id);
    print_held(f, at);
    for (int64_t k = f->version + 1; k <= f->ncps; k++) {
        if (f->cps[k - 1].agreed_at) {
            inv_time_format(f->cps[k - 1].agreed_at, d, sizeof d);
            printf(_("  version %lld was not in force then: both parties signed its document "
                     "only %s, as its checkpoint signatures state\n"),
                   (long long)k, d);
        } else {
            /* the folder may lack a signature made elsewhere: say what it holds */
            const inv_pf_checkpoint *c = &f->cps[k - 1];
            printf(_("  version %lld: %s\n"), (long long)k,
                   !c->sig[0].present && !c->sig[1].present
                       ? _("this folder holds no signature of its checkpoint")
                   : c->sig[0].present
                       ? _("this folder holds no client signature of its checkpoint")
                       : _("this folder holds no provider signature of its checkpoint"));
        }
    }
    if (f->answer) {
        printf(_("YES: %s was in scope at %s: version %lld lists it at index %llu of %llu "
                 "(item.txt)"),
               sid ? sid : f->id, at, (long long)f->version,
               (unsigned long long)f->leaf[0].path.index, (unsigned long long)f->size);
    } else if (f->nleaves == 2) {
        printf(_("NO: %s was not in scope at %s: in version %lld the items at indices %llu and "
                 "%llu of %llu (before.txt, after.txt) are next to each other and bracket it"),
               sid ? sid : f->id, at, (long long)f->version,
               (unsigned long long)f->leaf[0].path.index,
               (unsigned long long)f->leaf[1].path.index, (unsigned long long)f->size);
    } else if (f->nleaves == 1 && f->leaf[0].kind == INV_PF_AFTER) {
        printf(_("NO: %s was not in scope at %s: in version %lld it sorts before the first "
                 "item of %llu (after.txt, index 0)"),
               sid ? sid : f->id, at, (long long)f->version, (unsigned long long)f->size);
    } else if (f->nleaves == 1) {
        printf(_("NO: %s was not in scope at %s: in version %lld it sorts after the last "
                 "item of %llu (before.txt, index %llu)"),
               sid ? sid : f->id, at, (long long)f->version, (unsigned long long)f->size,
               (unsigned long long)f->leaf[0].path.index);
    } else {
        printf(_("NO: %s was not in scope at %s: version %lld lists no item"),
               sid ? sid : f->id, at, (long long)f->version);
    }
    print_reach(f, at);
    for (size_t i = 0; i < f->nkeys; i++)
        printf(_("  %s key %s (%s): compare it with the key that party acknowledged\n"),
               inv_roles[f->keys[i].role], f->keys[i].id, f->keys[i].file);
    free(sdir);
    free(sid);
    free(scontract);
}

/* The members of the answer (docs/JSON.md), after the proof holds. */
static void json_answer(const inv_proof_folder *f)
{
    const inv_pf_checkpoint *K = &f->cps[f->version - 1];
    static const char *const kinds[3] = {"item", "before", "after"};
    printf(",\"in_scope\":%s,\"in_force\":{\"version\":%lld,\"date\":",
           f->answer ? "true" : "false", (long long)f->version);
    out_json_time(stdout, K->cp.date);
    fputs(",\"agreed_at\":", stdout);
    out_json_time(stdout, f->agreed);
    fputs(",\"signatures\":[", stdout);
    for (int i = 0; i < 2; i++) {
        printf("%s{\"role\":\"%s\",\"key_id\":", i ? "," : "", inv_roles[i]);
        out_json_str(stdout, K->sig[i].key_id);
        fputs(",\"document_signed\":", stdout);
        out_json_time_or_null(stdout, K->sig[i].doc_signed_at);
        fputs(",\"signed\":", stdout);
        out_json_time_or_null(stdout, K->sig[i].signed_at);
        fputc('}', stdout);
    }
    fputs("]},\"leaves\":[", stdout);
    for (int i = 0; i < f->nleaves; i++) {
        const inv_pf_leaf *l = &f->leaf[i];
        printf("%s{\"file\":\"%s\",\"kind\":\"%s\",\"index\":%llu,\"id\":", i ? "," : "",
               inv_pf_leaf_files[l->kind], kinds[l->kind], (unsigned long long)l->path.index);
        out_json_str(stdout, l->id);
        fputc('}', stdout);
    }
    printf("],\"tree_size\":%llu,\"folder_versions\":[1,%lld],"
           "\"later_versions_excluded\":%s,\"later_versions\":[",
           (unsigned long long)f->size, (long long)f->ncps,
           inv_proof_bound(f) ? "true" : "false");
    for (int64_t k = f->version + 1; k <= f->ncps; k++) {
        const inv_pf_checkpoint *c = &f->cps[k - 1];
        printf("%s{\"version\":%lld,\"agreed_at\":", k > f->version + 1 ? "," : "",
               (long long)k);
        out_json_time_or_null(stdout, c->agreed_at);
        fputs(",\"signatures_held\":[", stdout);
        for (int i = 0, n = 0; i < 2; i++)
            if (c->sig[i].present)
                printf("%s\"%s\"", n++ ? "," : "", inv_roles[i]);
        fputs("]}", stdout);
    }
    fputs("],\"keys\":[", stdout);
    for (size_t i = 0; i < f->nkeys; i++) {
        printf("%s{\"role\":\"%s\",\"key_id\":", i ? "," : "", inv_roles[f->keys[i].role]);
        out_json_str(stdout, f->keys[i].id);
        fputs(",\"file\":", stdout);
        out_json_str(stdout, f->keys[i].file);
        fputc('}', stdout);
    }
    fputc(']', stdout);
}

/* One JSON object (docs/JSON.md): the question as proof.txt asks it (null
 * when proof.txt was not read), then the answer when the proof holds, or
 * why it does not (error: the reason, answer members null). */
static void print_json(const inv_proof_folder *f, const char *dir, const char *error)
{
    int asked = f->id != NULL; /* proof.txt parsed (inv_proof_parse frees f otherwise) */
    fputs("{\"source\":\"proof\",\"folder\":", stdout);
    out_json_str(stdout, dir);
    fputs(",\"register\":", stdout);
    out_json_str(stdout, asked ? f->register_id : NULL);
    fputs(",\"contract\":", stdout);
    out_json_str(stdout, asked ? f->contract : NULL);
    fputs(",\"id\":", stdout);
    out_json_str(stdout, asked ? f->id : NULL);
    fputs(",\"date\":", stdout);
    out_json_time_or_null(stdout, asked ? f->at : 0);
    printf(",\"holds\":%s,\"error\":", error ? "false" : "true");
    out_json_str(stdout, error);
    if (error)
        fputs(",\"in_scope\":null,\"in_force\":null,\"leaves\":null,\"tree_size\":null,"
              "\"folder_versions\":null,\"later_versions_excluded\":null,"
              "\"later_versions\":null,\"keys\":null",
              stdout);
    else
        json_answer(f);
    fputs("}\n", stdout);
}

int cli_verify_proof(const char *dir, int json, int64_t now)
{
    inv_proof_folder f;
    inv_err e = {0};
    int rc = inv_proof_verify(dir, now, &f, &e);
    if (rc == INV_OK)
        rc = inv_proof_clock_check(&f, now, &e);
    if (rc == INV_OK) {
        if (json)
            print_json(&f, dir, NULL);
        else
            print_answer(&f, dir);
        rc = cli_flushed(f.answer ? CLI_OK : CLI_FAIL);
    } else {
        int written = 1;
        if (json && rc == INV_FAIL) { /* not for a folder that is none, nor a read error */
            print_json(&f, dir, e.msg);
            written = cli_flushed(CLI_FAIL) != CLI_EIO;
        }
        char *m = out_safe_dup(e.msg, 0);
        if (rc == INV_FAIL)
            cli_error("the proof does not hold: %s", m ? m : e.msg);
        else
            cli_error("%s", m ? m : e.msg);
        free(m);
        rc = !written           ? CLI_EIO
             : rc == INV_FAIL   ? CLI_FAIL
             : rc == INV_EINPUT ? CLI_USAGE
                                : CLI_EIO;
    }
    inv_proof_folder_free(&f);
    return rc;
}
