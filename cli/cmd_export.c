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
 * <stem> is the contract reference made safe for a file name
 * (inv_doc_stem). Nothing is written unless every file can be: an
 * existing file with other bytes is refused (--force replaces it); one
 * with the same bytes is left as it is.
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
    outdir_sig_name(name, sizeof name, c->stem, c->n, s->role, old);
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
    inv_version v = {0};
    char *doc = NULL, stem[80], hash[CR_HASH_STR_LEN], name[256];
    size_t doclen = 0;
    outdir_init(&o, dir);
    int rc = cli_open(ctx, 0, &r);
    if (rc)
        return rc;
    if (inv_version_resolve(r, which, &n, &e) || inv_version_get(r, n, &v, &e) ||
        inv_render_mem(r, n, &doc, &doclen, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    cr_hash_hex(doc, doclen, hash);
    if (strcmp(hash, v.doc_hash)) {
        cli_error("version %lld does not hold: its document hashes to %s, not to %s as "
                  "recorded at commit; run 'scopereg verify'",
                  (long long)n, hash, v.doc_hash);
        rc = CLI_FAIL;
        goto out;
    }
    inv_doc_stem(inv_contract(r), stem, sizeof stem);

    sig_ctx sc = {&o, stem, n, {"", ""}, {"", ""}, 0};
    cr_pubkey keys[2], olds[2];
    int rot[2];
    for (int i = 0; i < 2; i++) {
        inv_party party;
        if (inv_party_get(r, inv_roles[i], n, &party, &e) ||
            inv_rotation_at(r, n, inv_roles[i], &rot[i], &olds[i], NULL, &e)) {
            rc = cli_report(&e);
            goto out;
        }
        keys[i] = party.key;
        inv_party_free(&party);
        cr_keyid_hex(keys[i].keyid, sc.cur[i]);
        if (rot[i])
            cr_keyid_hex(olds[i].keyid, sc.old[i]);
    }

    /* The plan: every file, checked before anything is written. The
     * directory is opened (made when absent, removed again on failure)
     * first, since a key's file name depends on what it holds. */
    if ((rc = outdir_open(&o, 0)))
        goto out;
    outdir_doc_name(name, sizeof name, stem, n);
    rc = outdir_add(&o, name, doc, doclen, 0644);
    doc = NULL;
    if (rc)
        goto out;
    if (inv_sig_list(r, n, add_sig, &sc, &e) && !sc.failed) {
        rc = cli_report(&e);
        goto out;
    }
    if ((rc = sc.failed))
        goto out;
    for (int i = 0; i < 2; i++)
        if ((rc = outdir_add_pub(&o, stem, inv_roles[i], &keys[i], OUTDIR_PUB_PLAIN_IF_FREE)) ||
            (rot[i] && (rc = outdir_add_pub(&o, stem, inv_roles[i], &olds[i], OUTDIR_PUB_KEYID))))
            goto out;
    if ((rc = outdir_check(&o, force, "use --force to replace it, or export into another "
                                      "directory")) ||
        (rc = outdir_commit(&o, force)))
        goto out;

    inv_sig_state st;
    char state[512];
    if (inv_sig_state_get(r, n, &st, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    cli_state_log(&st, state, sizeof state);
    printf("exported version %lld of contract %s to %s (%s):\n", (long long)n, inv_contract(r),
           dir, state);
    for (size_t i = 0; i < o.n; i++)
        printf("  %s%s\n", o.v[i].name, o.v[i].same && !force ? " (unchanged)" : "");
    if (fflush(stdout) != 0)
        rc = CLI_EIO;
out:
    free(doc);
    outdir_free(&o);
    inv_version_free(&v);
    inv_close(r);
    return rc;
}
