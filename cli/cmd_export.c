/*
 * cmd_export.c - scopereg export [VERSION] -o DIR [--force]
 *
 * Writes what the other party (or anyone) needs to review and check a
 * version without the register:
 *   DIR/<stem>-vN.scope               the document, byte for byte
 *   DIR/<stem>-vN.ROLE.minisig        each signature present, by the
 *                                     party's key in force at N
 *   DIR/<stem>-vN.ROLE.old.minisig    at a rotation, by the key replaced
 *   DIR/<stem>.ROLE.pub               the keys in force at N
 *   DIR/<stem>.ROLE.KEYID.pub         a key replaced at N, or a key in
 *                                     force whose <stem>.ROLE.pub is taken
 *                                     by another key (an earlier export)
 *   DIR/<stem>-vN.checkpoint          the version's checkpoint, and
 *   DIR/<stem>-vN.checkpoint.ROLE.minisig  its signatures present
 * and, for N > 1, the same files of version N-1 (its document, its stored
 * signatures, the key its own rotation replaced), so that cosign on the
 * other side checks that N is N-1 with N's changes and that N-1 carries
 * its own signature. <stem> is the contract reference made safe for a
 * file name (inv_doc_stem). Nothing is written unless every file can be:
 * an existing file with other bytes is refused (--force replaces it, if
 * it is a regular file); one with the same bytes is left as it is.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "outdir.h"
#include "signing.h"

typedef struct sig_ctx {
    outdir *o;
    const char *stem;
    int64_t n;
    char cur[2][CR_KEYID_HEX], old[2][CR_KEYID_HEX];
    int failed; /* the exit code of a failure, printed */
} sig_ctx;

static int add_sig(void *ctx, const inv_sig_row *s)
{
    sig_ctx *c = ctx;
    int i = inv_role_index(s->role);
    int old;
    if (i >= 0 && !strcmp(s->key_id, c->cur[i]))
        old = 0;
    else if (i >= 0 && c->old[i][0] && !strcmp(s->key_id, c->old[i]))
        old = 1;
    else {
        cli_warn("version %lld holds a %s signature by key %s, which is not a key of that "
                 "party at this version; not exported (run 'scopereg verify')",
                 (long long)c->n, s->role, s->key_id);
        return 0;
    }
    char name[256];
    inv_bundle_name(name, sizeof name, old ? INV_FILE_OLD_SIG : INV_FILE_SIG, c->stem, c->n, i,
                    NULL);
    char *data = strdup(s->minisig);
    if (!data) {
        cli_error("out of memory");
        c->failed = CLI_EIO;
        return 1;
    }
    if ((c->failed = outdir_add(c->o, name, data, strlen(s->minisig), 0644)))
        return 1;
    return 0;
}

static int add_cpsig(void *ctx, const inv_sig_row *s)
{
    sig_ctx *c = ctx;
    int i = inv_role_index(s->role);
    char name[256], *data;
    int old;
    if (i >= 0 && !strcmp(s->key_id, c->cur[i]))
        old = 0;
    else if (i >= 0 && c->old[i][0] && !strcmp(s->key_id, c->old[i]))
        old = 1; /* at a rotation, by the key replaced: it vouches for the new one */
    else
        return 0; /* not the role's key: the state check refuses it */
    inv_bundle_name(name, sizeof name, old ? INV_FILE_CP_OLD_SIG : INV_FILE_CP_SIG, c->stem,
                    c->n, i, NULL);
    if (!(data = strdup(s->minisig))) {
        cli_error("out of memory");
        c->failed = CLI_EIO;
        return 1;
    }
    return (c->failed = outdir_add(c->o, name, data, strlen(s->minisig), 0644)) != 0;
}

/* Plans version n's checkpoint (docs/FORMAT.md) and its stored
 * signatures, which must hold (inv_cpsig_state). A version that has
 * neither (signed before checkpoints) gets its checkpoint file alone. */
static int plan_checkpoint(inv_register *r, outdir *o, const char *stem, int64_t n)
{
    inv_err e = {0};
    inv_checkpoint cp;
    inv_cp_state st;
    inv_buf b = {0};
    char name[256];
    sig_ctx sc = {o, stem, n, {"", ""}, {"", ""}, 0};
    if (inv_checkpoint_get(r, n, &cp, &e))
        return cli_report(&e);
    int rc = CLI_OK;
    if (inv_cpsig_state(r, n, &cp, &st, &e))
        rc = cli_report(&e);
    else if (inv_checkpoint_format(&cp, &b)) {
        cli_error("out of memory");
        rc = CLI_EIO;
    }
    for (int i = 0; !rc && i < 2; i++) {
        inv_party p;
        if (inv_party_get(r, inv_roles[i], n, &p, &e)) {
            rc = cli_report(&e);
            break;
        }
        cr_keyid_hex(p.key.keyid, sc.cur[i]);
        inv_party_free(&p);
        cr_pubkey was;
        int rot = 0;
        if (inv_rotation_at(r, n, inv_roles[i], &rot, &was, NULL, &e)) {
            rc = cli_report(&e);
            break;
        }
        if (rot)
            cr_keyid_hex(was.keyid, sc.old[i]);
    }
    inv_checkpoint_free(&cp);
    if (rc) {
        inv_buf_free(&b);
        return rc;
    }
    inv_bundle_name(name, sizeof name, INV_FILE_CHECKPOINT, stem, n, 0, NULL);
    if ((rc = outdir_add(o, name, b.data, b.len, 0644)))
        return rc;
    if (inv_cpsig_list(r, n, add_cpsig, &sc, &e) && !sc.failed)
        return cli_report(&e);
    return sc.failed;
}

/* A version's keys: each party's key in force, and the key a rotation at
 * that version replaces (rot[i]). */
typedef struct version_keys {
    cr_pubkey key[2], old[2];
    int rot[2];
} version_keys;

/* Plans version n's document (re-rendered and checked against its
 * recorded hash) and its stored signatures; k gets its keys. Prints the
 * error and returns its exit code on failure. */
static int plan_version(inv_register *r, outdir *o, const char *stem, int64_t n,
                        version_keys *k)
{
    inv_err e = {0};
    inv_version v = {0};
    char *doc = NULL, hash[CR_HASH_STR_LEN], name[256];
    size_t doclen = 0;
    int rc = CLI_OK;
    if (inv_version_get(r, n, &v, &e) || inv_render_mem(r, n, &doc, &doclen, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    cr_hash_hex(doc, doclen, hash);
    if ((rc = cli_hash_holds(n, hash, v.doc_hash)) ||
        (rc = plan_checkpoint(r, o, stem, n)))
        goto out;
    sig_ctx sc = {o, stem, n, {"", ""}, {"", ""}, 0};
    for (int i = 0; i < 2; i++) {
        inv_party party;
        if (inv_party_get(r, inv_roles[i], n, &party, &e) ||
            inv_rotation_at(r, n, inv_roles[i], &k->rot[i], &k->old[i], NULL, &e)) {
            rc = cli_report(&e);
            goto out;
        }
        k->key[i] = party.key;
        inv_party_free(&party);
        cr_keyid_hex(k->key[i].keyid, sc.cur[i]);
        if (k->rot[i])
            cr_keyid_hex(k->old[i].keyid, sc.old[i]);
    }
    inv_bundle_name(name, sizeof name, INV_FILE_SCOPE, stem, n, 0, NULL);
    rc = outdir_add(o, name, doc, doclen, 0644);
    doc = NULL;
    if (rc)
        goto out;
    if (inv_sig_list(r, n, add_sig, &sc, &e) && !sc.failed) {
        rc = cli_report(&e);
        goto out;
    }
    rc = sc.failed;
out:
    free(doc);
    inv_version_free(&v);
    return rc;
}

static int same_key(const cr_pubkey *a, const cr_pubkey *b)
{
    return !memcmp(a->keyid, b->keyid, CR_KEYID_BYTES) && !cr_memcmp(a->pk, b->pk, CR_PK_BYTES);
}

int cmd_export(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"output", required_argument, NULL, 'o'},
                                         {"force", no_argument, NULL, 'f'},
                                         {NULL, 0, NULL, 0}};
    const char *dir = NULL, *which = "latest";
    int force = 0, c;
    while ((c = getopt_long(argc, argv, "o:f", opts, NULL)) != -1) {
        if (c == 'o')
            dir = optarg;
        else if (c == 'f')
            force = 1;
        else
            return cli_usage("export");
    }
    if (optind < argc)
        which = argv[optind++];
    if (optind < argc) {
        cli_error("unexpected argument '%s'", argv[optind]);
        return cli_usage("export");
    }
    if (!dir || !*dir) {
        cli_error("export needs -o DIR");
        return cli_usage("export");
    }

    inv_register *r;
    inv_err e = {0};
    outdir o;
    int64_t n;
    char stem[80];
    version_keys cur, prev;
    outdir_init(&o, dir);
    int rc = cli_open(ctx, 0, &r);
    if (rc)
        return rc;
    if (inv_version_resolve(r, which, &n, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    inv_doc_stem(inv_contract(r), stem, sizeof stem);

    /* The plan: every file, checked before anything is written. The
     * directory is opened (made when absent, removed again on failure)
     * first, since a key's file name depends on what it holds. Version
     * N-1 first, spilled to temporary files, so that one document at a
     * time is held in memory. */
    if ((rc = outdir_open(&o, 0)))
        goto out;
    if (n > 1 && ((rc = plan_version(r, &o, stem, n - 1, &prev)) ||
                  (rc = outdir_spill(&o, force))))
        goto out;
    if ((rc = plan_version(r, &o, stem, n, &cur)))
        goto out;
    for (int i = 0; i < 2; i++)
        if ((rc = outdir_add_pub(&o, stem, i, &cur.key[i], OUTDIR_PUB_PLAIN_IF_FREE)) ||
            (cur.rot[i] &&
             (rc = outdir_add_pub(&o, stem, i, &cur.old[i], OUTDIR_PUB_KEYID))))
            goto out;
    /* The keys of N-1 are those N names (its keys in force, or the keys a
     * rotation at N replaces); only a key that a rotation at N-1 itself
     * replaced is new. */
    for (int i = 0; n > 1 && i < 2; i++)
        if (prev.rot[i] && !same_key(&prev.old[i], &cur.key[i]) &&
            !(cur.rot[i] && same_key(&prev.old[i], &cur.old[i])) &&
            (rc = outdir_add_pub(&o, stem, i, &prev.old[i], OUTDIR_PUB_KEYID)))
            goto out;
    /* the state printed, before anything is written: a stored signature
     * that does not hold refuses the export */
    inv_sig_state st;
    char state[512];
    if (inv_sig_state_get(r, n, &st, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    cli_state_log(&st, state, sizeof state);
    if ((rc = outdir_check(&o, force, "use --force to replace it, or export into another "
                                      "directory")) ||
        (rc = outdir_commit(&o, force)))
        goto out;
    printf(_("exported version %lld of contract %s to %s (%s):\n"), (long long)n, inv_contract(r),
           dir, state);
    for (size_t i = 0; i < o.n; i++)
        printf("  %s%s\n", o.v[i].name, o.v[i].same && !force ? _(" (unchanged)") : "");
    if (n > 1)
        printf(_("version %lld is included: the other party's cosign checks that version %lld "
               "is version %lld with these changes\n"),
               (long long)n - 1, (long long)n, (long long)n - 1);
    if (cli_flush() != 0)
        rc = CLI_EIO;
out:
    outdir_free(&o);
    inv_close(r);
    return rc;
}
