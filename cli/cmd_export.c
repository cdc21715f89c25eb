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
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "signing.h"

typedef struct out_file {
    char *path;
    char *data; /* owned */
    size_t len;
    unsigned mode;
    int same;   /* already there with these bytes */
} out_file;

typedef struct plan {
    out_file *v;
    size_t n, cap;
} plan;

static void plan_free(plan *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].path);
        free(p->v[i].data);
    }
    free(p->v);
}

/* Takes ownership of data. */
static int plan_add(plan *p, const char *dir, const char *name, char *data, size_t len,
                    unsigned mode)
{
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 8;
        out_file *nv = realloc(p->v, cap * sizeof *nv);
        if (!nv) {
            free(data);
            return -1;
        }
        p->v = nv;
        p->cap = cap;
    }
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    if (!path) {
        free(data);
        return -1;
    }
    snprintf(path, n, "%s/%s", dir, name);
    p->v[p->n++] = (out_file){path, data, len, mode, 0};
    return 0;
}

/* 1 when path is a regular file holding exactly data, 0 when it is
 * absent, -1 when it holds something else (or is not a regular file). */
static int compare_existing(const char *path, const char *data, size_t len)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return errno == ENOENT ? 0 : -1;
    if (!S_ISREG(sb.st_mode) || (size_t)sb.st_size != len)
        return -1;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char buf[65536];
    size_t off = 0, got;
    int same = 1;
    while (same && (got = fread(buf, 1, sizeof buf, f)) > 0) {
        if (off + got > len || memcmp(buf, data + off, got))
            same = 0;
        off += got;
    }
    fclose(f);
    return same && off == len ? 1 : -1;
}

typedef struct sig_ctx {
    plan *p;
    const char *dir, *stem;
    int64_t n;
    char cur[2][CR_KEYID_HEX], old[2][CR_KEYID_HEX];
    int failed;
} sig_ctx;

static int add_sig(void *ctx, const inv_sig_row *s)
{
    sig_ctx *c = ctx;
    int i = inv_role_index(s->role);
    const char *which = NULL;
    if (i >= 0 && !strcmp(s->key_id, c->cur[i]))
        which = "";
    else if (i >= 0 && c->old[i][0] && !strcmp(s->key_id, c->old[i]))
        which = ".old";
    if (!which) {
        cli_warn("version %lld holds a %s signature by key %s, which is not a key of that "
                 "party at this version; not exported (run 'scopereg verify')",
                 (long long)c->n, s->role, s->key_id);
        return 0;
    }
    char name[512];
    snprintf(name, sizeof name, "%s-v%lld.%s%s.minisig", c->stem, (long long)c->n, s->role,
             which);
    char *data = strdup(s->minisig);
    if (!data || plan_add(c->p, c->dir, name, data, strlen(s->minisig), 0644)) {
        c->failed = 1;
        return 1;
    }
    return 0;
}

/* Plans the .pub file of key (role): the plain name when free or holding
 * this key (or when plain is 0: never), else the name with the key id. */
static int add_pub(plan *p, const char *dir, const char *stem, const char *role,
                   const cr_pubkey *key, int plain)
{
    char id[CR_KEYID_HEX], name[512];
    cr_keyid_hex(key->keyid, id);
    char *text = cr_pubkey_format(key);
    if (!text)
        return -1;
    if (plain) {
        snprintf(name, sizeof name, "%s/%s.%s.pub", dir, stem, role);
        int st = compare_existing(name, text, strlen(text));
        cr_pubkey there;
        cr_err ce;
        if (st < 0 && cr_pubkey_load(name, &there, &ce) == CR_OK &&
            memcmp(there.keyid, key->keyid, CR_KEYID_BYTES))
            plain = 0; /* another key of this party, from another version */
    }
    if (plain)
        snprintf(name, sizeof name, "%s.%s.pub", stem, role);
    else
        snprintf(name, sizeof name, "%s.%s.%s.pub", stem, role, id);
    return plan_add(p, dir, name, text, strlen(text), 0644);
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
    cr_err ce = {0};
    plan p = {0};
    int64_t n;
    inv_version v = {0};
    char *doc = NULL, stem[80], hash[CR_HASH_STR_LEN], name[512];
    size_t doclen = 0;
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

    sig_ctx sc = {&p, dir, stem, n, {"", ""}, {"", ""}, 0};
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

    /* The plan: every file, checked before anything is written. */
    snprintf(name, sizeof name, "%s-v%lld.scope", stem, (long long)n);
    if (plan_add(&p, dir, name, doc, doclen, 0644)) {
        doc = NULL;
        goto oom;
    }
    doc = NULL;
    if (inv_sig_list(r, n, add_sig, &sc, &e) && !sc.failed) {
        rc = cli_report(&e);
        goto out;
    }
    if (sc.failed)
        goto oom;
    for (int i = 0; i < 2; i++)
        if (add_pub(&p, dir, stem, inv_roles[i], &keys[i], 1) ||
            (rot[i] && add_pub(&p, dir, stem, inv_roles[i], &olds[i], 0)))
            goto oom;

    struct stat sb;
    if (stat(dir, &sb) != 0) {
        if (errno != ENOENT || mkdir(dir, 0755) != 0) {
            int err = errno;
            cli_error("cannot create directory %s: %s", dir, strerror(err));
            rc = err == ENOENT || err == ENOTDIR ? CLI_USAGE : CLI_EIO;
            goto out;
        }
    } else if (!S_ISDIR(sb.st_mode)) {
        cli_error("%s is not a directory", dir);
        rc = CLI_USAGE;
        goto out;
    }
    for (size_t i = 0; i < p.n; i++) {
        int st = compare_existing(p.v[i].path, p.v[i].data, p.v[i].len);
        p.v[i].same = st == 1;
        if (st < 0 && !force) {
            cli_error("%s already exists with other content (use --force to replace it, or "
                      "export into another directory)", p.v[i].path);
            rc = CLI_USAGE;
            goto out;
        }
    }
    for (size_t i = 0; i < p.n; i++) {
        if (p.v[i].same && !force)
            continue;
        if (cr_write_file(p.v[i].path, p.v[i].data, p.v[i].len, p.v[i].mode, force, &ce) !=
            CR_OK) {
            rc = cli_report_cr(&ce);
            goto out;
        }
    }
    inv_sig_state st;
    char state[512];
    if (inv_sig_state_get(r, n, &st, &e)) {
        rc = cli_report(&e);
        goto out;
    }
    cli_state_log(&st, state, sizeof state);
    printf("exported version %lld of contract %s to %s (%s):\n", (long long)n, inv_contract(r),
           dir, state);
    for (size_t i = 0; i < p.n; i++)
        printf("  %s%s\n", cli_basename(p.v[i].path), p.v[i].same ? " (unchanged)" : "");
    if (fflush(stdout) != 0)
        rc = CLI_EIO;
    goto out;
oom:
    cli_error("out of memory");
    rc = CLI_EIO;
out:
    free(doc);
    plan_free(&p);
    inv_version_free(&v);
    inv_close(r);
    return rc;
}
