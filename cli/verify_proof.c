/*
 * verify_proof.c - scopereg verify --proof DIR: a folder written by prove,
 * checked with no register (inv_proof_verify), and its answer printed.
 * Exit 0: the item was in scope and the proof holds; 1: it was not (the
 * proof holds), or the proof does not hold (the file and line named); 2:
 * DIR is not a proof folder; 3: a read error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "output.h"
#include "review.h"
#include "proof.h"

int cli_verify_proof(const char *dir, int64_t now);

static void print_answer(const inv_proof_folder *f, const char *dir)
{
    char at[32], d[32], d0[32], d1[32];
    char *sdir = out_safe_dup(dir, 1), *sid = out_safe_dup(f->id, 1),
         *scontract = out_safe_dup(f->contract, 1);
    const inv_pf_checkpoint *K = &f->cps[f->version - 1];
    inv_time_format(f->at, at, sizeof at);
    inv_time_format(f->agreed, d, sizeof d);
    inv_time_format(K->sig[0].signed_at, d0, sizeof d0);
    inv_time_format(K->sig[1].signed_at, d1, sizeof d1);
    printf(_("proof folder %s: register %s, contract %s\n"), sdir ? sdir : dir, f->register_id,
           scontract ? scontract : f->contract);
    printf(_("  checkpoints of versions 1 to %lld: the chain of document hashes is unbroken "
             "and every signature holds\n"),
           (long long)f->ncps);
    printf(_("  version %lld was in force at %s: its checkpoint was agreed %s (provider %s "
             "with key %s, client %s with key %s)\n"),
           (long long)f->version, at, d, d0, K->sig[0].key_id, d1, K->sig[1].key_id);
    for (int64_t k = f->version + 1; k <= f->ncps; k++) {
        if (f->cps[k - 1].agreed_at) {
            inv_time_format(f->cps[k - 1].agreed_at, d, sizeof d);
            printf(_("  version %lld was not in force then: its checkpoint was agreed only %s\n"),
                   (long long)k, d);
        } else {
            printf(_("  version %lld was not in force then: its checkpoint is not agreed\n"),
                   (long long)k);
        }
    }
    if (f->answer) {
        printf(_("YES: %s was in scope at %s: version %lld lists it at index %llu of %llu "
                 "(item.txt)\n"),
               sid ? sid : f->id, at, (long long)f->version,
               (unsigned long long)f->leaf[0].path.index, (unsigned long long)f->size);
    } else if (f->nleaves == 2) {
        printf(_("NO: %s was not in scope at %s: in version %lld the items at indices %llu and "
                 "%llu of %llu (before.txt, after.txt) are next to each other and bracket it\n"),
               sid ? sid : f->id, at, (long long)f->version,
               (unsigned long long)f->leaf[0].path.index,
               (unsigned long long)f->leaf[1].path.index, (unsigned long long)f->size);
    } else if (f->nleaves == 1 && f->leaf[0].kind == INV_PF_AFTER) {
        printf(_("NO: %s was not in scope at %s: in version %lld it sorts before the first "
                 "item of %llu (after.txt, index 0)\n"),
               sid ? sid : f->id, at, (long long)f->version, (unsigned long long)f->size);
    } else if (f->nleaves == 1) {
        printf(_("NO: %s was not in scope at %s: in version %lld it sorts after the last "
                 "item of %llu (before.txt, index %llu)\n"),
               sid ? sid : f->id, at, (long long)f->version, (unsigned long long)f->size,
               (unsigned long long)f->leaf[0].path.index);
    } else {
        printf(_("NO: %s was not in scope at %s: version %lld lists no item\n"),
               sid ? sid : f->id, at, (long long)f->version);
    }
    for (size_t i = 0; i < f->nkeys; i++)
        printf(_("  %s key %s (%s): compare it with the key that party acknowledged\n"),
               inv_roles[f->keys[i].role], f->keys[i].id, f->keys[i].file);
    free(sdir);
    free(sid);
    free(scontract);
}

int cli_verify_proof(const char *dir, int64_t now)
{
    inv_proof_folder f;
    inv_err e = {0};
    int rc = inv_proof_verify(dir, now, &f, &e);
    if (rc == INV_OK) {
        print_answer(&f, dir);
        rc = f.answer ? CLI_OK : CLI_FAIL;
        if (fflush(stdout) != 0) {
            cli_error("cannot write to standard output");
            rc = CLI_EIO;
        }
    } else {
        char *m = out_safe_dup(e.msg, 0);
        if (rc == INV_FAIL)
            cli_error("the proof does not hold: %s", m ? m : e.msg);
        else
            cli_error("%s", m ? m : e.msg);
        free(m);
        rc = rc == INV_FAIL ? CLI_FAIL : rc == INV_EINPUT ? CLI_USAGE : CLI_EIO;
    }
    inv_proof_folder_free(&f);
    return rc;
}
