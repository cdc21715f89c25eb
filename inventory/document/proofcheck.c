/*
 * proofcheck.c - verify --proof: a proof folder checked with no register
 * (proof.txt, the leaves, the audit paths, the checkpoints and their
 * signatures, the version in force, the answer).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "beside.h"
#include "document_int.h"
#include "keyring_int.h"
#include "proof.h"

/* Reads dir/name, a regular file of at most max bytes, NUL-terminated.
 * *absent set (INV_OK, *out NULL) when there is no such file and absent
 * is given; else INV_FAIL naming the file. */
static int read_in(const char *dir, const char *name, size_t max, char **out, size_t *len,
                   int *absent, inv_err *e)
{
    FILE *fp;
    mode_t mode = 0;
    *out = NULL;
    *len = 0;
    if (absent)
        *absent = 0;
    char *path = inv__path_join(dir, name);
    if (!path)
        return inv_fail(e, INV_EIO, "out of memory");
    if (inv_open_regular(path, &fp, &mode) != 0) {
        int err = errno;
        free(path);
        if (err == ENOENT && absent) {
            *absent = 1;
            return INV_OK;
        }
        if (err == EINVAL)
            return inv_fail(e, INV_FAIL, "%s is %s, not a regular file; only regular files are "
                            "read", name, inv_file_kind(mode));
        return inv_fail(e, err == ENOENT ? INV_FAIL : INV_EIO, "cannot read %s: %s", name,
                        strerror(err));
    }
    free(path);
    inv_buf b = {0};
    char chunk[65536];
    size_t n;
    int rc = INV_OK;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
        if (b.len + n > max) {
            rc = inv_fail(e, INV_FAIL, "%s is larger than %zu bytes: not a file of a proof "
                          "folder", name, max);
            break;
        }
        if (inv_buf_add(&b, chunk, n)) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
    }
    if (!rc && ferror(fp))
        rc = inv_fail(e, INV_EIO, "cannot read %s: %s", name, strerror(errno));
    fclose(fp);
    if (!rc && !b.data && inv_buf_add(&b, "", 0))
        rc = inv_fail(e, INV_EIO, "out of memory");
    if (rc) {
        inv_buf_free(&b);
        return rc;
    }
    *out = b.data;
    *len = b.len;
    return INV_OK;
}

/* The role of a key file by its name: "<stem>.ROLE.pub" or
 * "<stem>.ROLE.<KEYID>.pub" where KEYID is id, the key the file holds; -1
 * for any other name, -2 for a KEYID that is not id. */
static int key_file_role(const char *path, const char *stem, const char *id)
{
    const char *base = inv_path_base(path);
    size_t sl = strlen(stem);
    if (strncmp(base, stem, sl) || base[sl] != '.')
        return -1;
    for (int i = 0; i < 2; i++) {
        const char *p = base + sl + 1;
        size_t rl = strlen(inv_roles[i]);
        if (strncmp(p, inv_roles[i], rl))
            continue;
        p += rl;
        if (!strcmp(p, ".pub"))
            return i;
        if (p[0] == '.' && strlen(p) == 1 + 16 + 4 && !strcmp(p + 17, ".pub") &&
            strspn(p + 1, "0123456789ABCDEF") == 16)
            return strncmp(p + 1, id, 16) ? -2 : i;
    }
    return -1;
}

static int add_key(inv_proof_folder *f, int role, const char *id, const cr_pubkey *pk,
                   const char *path, int64_t version, inv_err *e)
{
    for (size_t i = 0; i < f->nkeys; i++) {
        inv_pf_key *k = &f->keys[i];
        if (k->role == role && !strcmp(k->id, id)) {
            if (version < k->from)
                k->from = version;
            if (version > k->to)
                k->to = version;
            return INV_OK;
        }
    }
    inv_pf_key *nv = realloc(f->keys, (f->nkeys + 1) * sizeof *nv);
    if (!nv)
        return inv_fail(e, INV_EIO, "out of memory");
    f->keys = nv;
    inv_pf_key *k = &nv[f->nkeys++];
    memset(k, 0, sizeof *k);
    k->role = role;
    snprintf(k->id, sizeof k->id, "%s", id);
    k->pk = *pk;
    snprintf(k->file, sizeof k->file, "%s", inv_path_base(path));
    k->from = k->to = version;
    return INV_OK;
}

/* The public key of role with key id id, from a .pub file of the folder
 * named as that role's (<stem>.ROLE.pub or <stem>.ROLE.KEYID.pub), for
 * version k whose checkpoint names it; recorded in f->keys. A .pub that no
 * checkpoint names is never looked at. */
/* A key file named as the role's, for inv_keyring_find_pref. */
typedef struct role_name {
    const char *stem, *id;
    int role;
} role_name;

static int named_as(const char *path, void *ctx)
{
    const role_name *n = ctx;
    return key_file_role(path, n->stem, n->id) == n->role;
}

static int named_key(inv_proof_folder *f, const inv_keyring *ring, int role, const char *id,
                     int64_t k, const char *cpfile, cr_pubkey *pk, inv_err *e)
{
    role_name want = {f->stem, id, role};
    const char *path;
    inv_err sub = {0};
    for (size_t i = 0; i < f->nkeys; i++)
        if (f->keys[i].role == role && !strcmp(f->keys[i].id, id)) {
            *pk = f->keys[i].pk;
            return add_key(f, role, id, pk, f->keys[i].file, k, e);
        }
    if (inv_keyring_find_pref(ring, id, named_as, &want, pk, &path, &sub) != INV_OK)
        return inv_fail(e, INV_FAIL, "%s: version %lld names key %s as the %s's, and no .pub "
                        "file of the folder holds it (%s.%s.pub or %s.%s.%s.pub)", cpfile,
                        (long long)k, id, inv_roles[role], f->stem, inv_roles[role], f->stem,
                        inv_roles[role], id);
    int named = key_file_role(path, f->stem, id);
    if (named == -2)
        return inv_fail(e, INV_FAIL, "%s: version %lld names key %s as the %s's, but the file "
                        "that holds it, %s, names another key: rename it %s.%s.%s.pub",
                        cpfile, (long long)k, id, inv_roles[role], inv_path_base(path), f->stem,
                        inv_roles[role], id);
    if (named != role)
        return inv_fail(e, INV_FAIL, "%s: version %lld names key %s as the %s's, but its file "
                        "%s is not named as a %s key (%s.%s.pub or %s.%s.KEYID.pub)", cpfile,
                        (long long)k, id, inv_roles[role], inv_path_base(path), inv_roles[role],
                        f->stem, inv_roles[role], f->stem, inv_roles[role]);
    return add_key(f, role, id, pk, path, k, e);
}

/* One signature file of a checkpoint (old: by the key a rotation at this
 * version replaces, <checkpoint>.ROLE.old.minisig): absent, or it must
 * hold by the key want (the key the checkpoint names for role, or for
 * old the key the previous checkpoint names), pk. */
static int check_sig(const char *dir, inv_pf_checkpoint *c, int role, int old, const char *want,
                     const cr_pubkey *pk, int64_t now, inv_err *e)
{
    inv_pf_sig *s = old ? &c->old[role] : &c->sig[role];
    int absent, rc;
    cr_sig sig;
    cr_err ce;
    inv_err sub = {0};
    snprintf(s->file, sizeof s->file, "%s.%s%s.minisig", c->file, inv_roles[role],
             old ? ".old" : "");
    if ((rc = read_in(dir, s->file, CR_SIG_FILE_MAX, &s->data, &s->len, &absent, e)) || absent)
        return rc;
    if (cr_sig_parse(s->data, s->len, &sig, &ce) != CR_OK)
        return inv_fail(e, INV_FAIL, "%s: %s", s->file, ce.msg);
    cr_keyid_hex(sig.keyid, s->key_id);
    inv_cptc tc;
    if (inv_checkpoint_sig_check(&c->cp, c->data, c->len, role, old ? want : NULL, pk, &sig,
                                 now, &tc, &sub))
        return inv_fail(e, sub.code == INV_EIO ? INV_EIO : INV_FAIL, "%s: %s", s->file,
                        sub.msg);
    if (!(s->trusted = inv__strdup(sig.trusted)))
        return inv_fail(e, INV_EIO, "out of memory");
    s->signed_at = tc.signed_at;
    s->doc_signed_at = tc.doc_signed_at;
    s->present = 1;
    return INV_OK;
}

/* The keys of version k's checkpoint c and its signatures: version 1's
 * keys are the folder's .pub files; a key that changes at k must be
 * vouched for by the previous key's signature of checkpoint k. */
static int check_sigs(const char *dir, inv_proof_folder *f, int64_t k, const inv_keyring *ring,
                      int64_t now, inv_err *e)
{
    inv_pf_checkpoint *c = &f->cps[k - 1];
    const inv_pf_checkpoint *p = k > 1 ? &f->cps[k - 2] : NULL;
    int rc;
    for (int role = 0; role < 2; role++) {
        cr_pubkey pk, oldpk;
        const char *want = c->cp.key[role];
        if ((rc = named_key(f, ring, role, want, k, c->file, &pk, e)))
            return rc;
        if (p && strcmp(p->cp.key[role], want)) {
            const char *was = p->cp.key[role];
            if ((rc = named_key(f, ring, role, was, k - 1, p->file, &oldpk, e)) ||
                (rc = check_sig(dir, c, role, 1, was, &oldpk, now, e)))
                return rc;
            if (!c->old[role].present)
                return inv_fail(e, INV_FAIL, "%s: version %lld replaces the %s's key %s by %s, "
                                "but %s is missing: no signature by the key replaced vouches "
                                "for the new one", c->file, (long long)k, inv_roles[role], was,
                                want, c->old[role].file);
        }
        if ((rc = check_sig(dir, c, role, 0, want, &pk, now, e)))
            return rc;
    }
    if (c->sig[0].present && c->sig[1].present) {
        /* agreed when both parties agreed the document, as they state */
        int64_t at = 0;
        for (int role = 0; role < 2; role++) {
            if (c->sig[role].doc_signed_at > at)
                at = c->sig[role].doc_signed_at;
            if (c->old[role].present && c->old[role].doc_signed_at > at)
                at = c->old[role].doc_signed_at;
        }
        c->agreed_at = at;
    }
    return INV_OK;
}

/* The checkpoints of the folder: <stem>-v1.checkpoint .. -vL, every one,
 * L at least the version of the proof. */
static int load_checkpoints(const char *dir, inv_proof_folder *f, const inv_keyring *ring,
                            int64_t now, inv_err *e)
{
    char **names = NULL;
    size_t count = 0;
    int rc = inv__list_dir(dir, ".checkpoint", &names, &count, e);
    if (rc)
        return rc == INV_EINPUT ? (e->code = INV_FAIL) : rc; /* same message */
    int64_t L = 0;
    size_t sl = strlen(f->stem);
    for (size_t i = 0; i < count; i++) {
        const char *n = names[i];
        if (strncmp(n, f->stem, sl) || strncmp(n + sl, "-v", 2))
            continue;
        char *end;
        long long v = strtoll(n + sl + 2, &end, 10);
        if (v >= 1 && n[sl + 2] != '0' && !strcmp(end, ".checkpoint") && v > L)
            L = v;
    }
    inv__names_free(names, count);
    if (L < f->version)
        L = f->version;
    if (L > 1000000)
        return inv_fail(e, INV_FAIL, "the folder names a checkpoint of version %lld: too many "
                        "versions for a proof folder", (long long)L);
    if (!(f->cps = calloc((size_t)L, sizeof *f->cps)))
        return inv_fail(e, INV_EIO, "out of memory");
    f->ncps = L;
    for (int64_t k = 1; k <= L; k++) {
        inv_pf_checkpoint *c = &f->cps[k - 1];
        inv_err sub = {0};
        int absent;
        snprintf(c->file, sizeof c->file, "%s-v%lld.checkpoint", f->stem, (long long)k);
        if ((rc = read_in(dir, c->file, INV_CHECKPOINT_MAX, &c->data, &c->len, &absent, e)))
            return rc;
        if (absent)
            return inv_fail(e, INV_FAIL, "%s is missing: the chain of checkpoints from version "
                            "1 to %lld needs every one", c->file, (long long)L);
        if ((rc = inv_checkpoint_parse(c->data, c->len, c->file, &c->cp, &sub)))
            return inv_fail(e, rc == INV_EIO ? INV_EIO : INV_FAIL, "%s", sub.msg);
        const inv_checkpoint *cp = &c->cp;
        if (strcmp(cp->register_id, f->register_id))
            return inv_fail(e, INV_FAIL, "%s: line 2: register %s, but proof.txt names register "
                            "%s", c->file, cp->register_id, f->register_id);
        if (strcmp(cp->contract, f->contract))
            return inv_fail(e, INV_FAIL, "%s: line 3: another contract than proof.txt's line 3",
                            c->file);
        if (cp->version != k)
            return inv_fail(e, INV_FAIL, "%s: line 4: version %lld, but the file name says %lld",
                            c->file, (long long)cp->version, (long long)k);
        if (k == 1 && cp->previous[0])
            return inv_fail(e, INV_FAIL, "%s: line 9: version 1 has no previous document, but "
                            "it says previous: %s", c->file, cp->previous);
        if (k > 1) {
            const inv_pf_checkpoint *p = &f->cps[k - 2];
            if (strcmp(cp->previous, p->cp.doc_hash))
                return inv_fail(e, INV_FAIL, "%s: line 9: previous: %s, but %s (line 8) says "
                                "version %lld's document is %s: the chain is broken", c->file,
                                cp->previous[0] ? cp->previous : "none", p->file,
                                (long long)(k - 1), p->cp.doc_hash);
            if (cp->date < p->cp.date)
                return inv_fail(e, INV_FAIL, "%s: line 5: version %lld is dated before version "
                                "%lld (%s)", c->file, (long long)k, (long long)(k - 1), p->file);
        }
        if ((rc = check_sigs(dir, f, k, ring, now, e)))
            return rc;
    }
    return INV_OK;
}

/* The leaf files against proof.txt and the root. */
static int check_leaves(const char *dir, inv_proof_folder *f, inv_err *e)
{
    for (int i = 0; i < f->nleaves; i++) {
        inv_pf_leaf *l = &f->leaf[i];
        const char *name = inv_pf_leaf_files[l->kind];
        unsigned char h[CR_MERKLE_HASH_BYTES], top[CR_MERKLE_HASH_BYTES];
        char want[2 * CR_MERKLE_HASH_BYTES + 1], got[2 * CR_MERKLE_HASH_BYTES + 1];
        inv_err sub = {0};
        int rc;
        if ((rc = read_in(dir, name, INV_PROOF_LEAF_MAX, &l->data, &l->len, NULL, e)))
            return rc;
        if ((rc = inv_proof_leaf_parse(l->data, l->len, name, &l->id, &sub)))
            return inv_fail(e, rc == INV_EIO ? INV_EIO : INV_FAIL, "%s", sub.msg);
        cr_merkle_leaf_hash(l->data, l->len, h);
        if (cr_memcmp(h, l->hash, sizeof h)) {
            cr_hex(want, l->hash, sizeof h);
            cr_hex(got, h, sizeof h);
            return inv_fail(e, INV_FAIL, "%s: its leaf hash is %s, but proof.txt line %d says "
                            "%s: the file was changed", name, got, l->line + 2, want);
        }
        if (inv_proof_walk(h, &l->path, NULL, NULL, top))
            return inv_fail(e, INV_FAIL, "proof.txt: lines %d-%d: %d path hashes do not fit "
                            "index %llu of a tree of %llu leaves", l->line + 4,
                            l->line + 3 + l->path.len, l->path.len,
                            (unsigned long long)l->path.index, (unsigned long long)l->path.size);
        if (cr_memcmp(top, f->root, sizeof top)) {
            cr_hex(got, top, sizeof top);
            return inv_fail(e, INV_FAIL, "proof.txt: lines %d-%d: the audit path of %s leads to "
                            "%s, not to the root of %s (line 11): a path hash or the leaf was "
                            "changed", l->line + 4, l->line + 3 + l->path.len, name, got,
                            f->checkpoint);
        }
    }
    return INV_OK;
}

/* What the leaves answer, and that it is proof.txt's answer. */
static int check_answer(inv_proof_folder *f, inv_err *e)
{
    const inv_pf_leaf *b = NULL, *a = NULL, *it = NULL;
    for (int i = 0; i < f->nleaves; i++) {
        const inv_pf_leaf *l = &f->leaf[i];
        const inv_pf_leaf **slot = l->kind == INV_PF_ITEM ? &it : l->kind == INV_PF_BEFORE ? &b
                                                                                          : &a;
        if (*slot || (l->kind == INV_PF_BEFORE && a))
            return inv_fail(e, INV_FAIL, "proof.txt: line %d: %s out of place (the leaves are "
                            "item.txt, or before.txt then after.txt)", l->line,
                            inv_pf_leaf_files[l->kind]);
        *slot = l;
    }
    if (f->answer) {
        if (!it || f->nleaves != 1)
            return inv_fail(e, INV_FAIL, "proof.txt: line 6: answer yes needs item.txt as its "
                            "only leaf");
        if (strcmp(it->id, f->id))
            return inv_fail(e, INV_FAIL, "item.txt: line 1: the item of the leaf is not the one "
                            "proof.txt line 4 asks about");
        return INV_OK;
    }
    if (it)
        return inv_fail(e, INV_FAIL, "proof.txt: line 6: answer no, but a leaf is item.txt");
    if (b && strcmp(b->id, f->id) >= 0)
        return inv_fail(e, INV_FAIL, "before.txt: line 1: its id does not sort before the id "
                        "asked about (proof.txt line 4)");
    if (a && strcmp(a->id, f->id) <= 0)
        return inv_fail(e, INV_FAIL, "after.txt: line 1: its id does not sort after the id "
                        "asked about (proof.txt line 4)");
    if (b && a && a->path.index != b->path.index + 1)
        return inv_fail(e, INV_FAIL, "proof.txt: line %d: after.txt is at index %llu, not next "
                        "to before.txt's %llu: items between them are not shown", a->line + 1,
                        (unsigned long long)a->path.index, (unsigned long long)b->path.index);
    if (!b && a && a->path.index != 0)
        return inv_fail(e, INV_FAIL, "proof.txt: line %d: after.txt alone must be the first "
                        "leaf (index 0), not %llu", a->line + 1,
                        (unsigned long long)a->path.index);
    if (b && !a && b->path.index != f->size - 1)
        return inv_fail(e, INV_FAIL, "proof.txt: line %d: before.txt alone must be the last "
                        "leaf (index %llu), not %llu", b->line + 1,
                        (unsigned long long)(f->size - 1), (unsigned long long)b->path.index);
    if (!b && !a) {
        unsigned char empty[CR_MERKLE_HASH_BYTES];
        cr_merkle_tree t;
        cr_merkle_tree_init(&t);
        cr_merkle_tree_root(&t, empty);
        if (f->size != 0 || cr_memcmp(empty, f->root, sizeof empty))
            return inv_fail(e, INV_FAIL, "proof.txt: line 12: no leaf, but the tree is not the "
                            "empty tree");
    }
    return INV_OK;
}

int inv_proof_verify(const char *dir, int64_t now, inv_proof_folder *f, inv_err *e)
{
    struct stat sb;
    char *text = NULL;
    size_t len;
    int absent, rc;
    inv_keyring *ring = NULL;
    inv_err sub = {0};
    memset(f, 0, sizeof *f);
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        return inv_fail(e, INV_EINPUT, "%s is not a directory: not a proof folder", dir);
    if ((rc = read_in(dir, INV_PROOF_FILE, 1u << 20, &text, &len, &absent, e))) {
        if (rc != INV_FAIL)
            return rc;
        inv_err why = *e; /* the message is formatted from a copy, never from itself */
        return inv_fail(e, INV_EINPUT, "%s; not a proof folder", why.msg);
    }
    if (absent)
        return inv_fail(e, INV_EINPUT, "%s holds no proof.txt: not a proof folder "
                        "(scopereg prove writes one)", dir);
    if (len < sizeof INV_PROOF_TAG || memcmp(text, INV_PROOF_TAG "\n", sizeof INV_PROOF_TAG)) {
        free(text);
        return inv_fail(e, INV_EINPUT, "proof.txt: line 1: expected 'scope-proof/1': not a "
                        "proof folder");
    }
    rc = inv_proof_parse(text, len, INV_PROOF_FILE, f, &sub);
    free(text);
    if (rc)
        return inv_fail(e, rc == INV_EIO ? INV_EIO : INV_FAIL, "%s", sub.msg);
    /* The stem: the checkpoint's name is <stem>-vK.checkpoint. */
    char tail[48];
    int tl = snprintf(tail, sizeof tail, "-v%lld.checkpoint", (long long)f->version);
    size_t cl = strlen(f->checkpoint);
    if (cl <= (size_t)tl || strcmp(f->checkpoint + cl - (size_t)tl, tail) ||
        cl - (size_t)tl >= sizeof f->stem)
        return inv_fail(e, INV_FAIL, "proof.txt: line 9: %s is not named as the checkpoint "
                        "of version %lld (<contract>%s)", f->checkpoint, (long long)f->version,
                        tail);
    memcpy(f->stem, f->checkpoint, cl - (size_t)tl);
    f->stem[cl - (size_t)tl] = '\0';
    if ((rc = inv_keyring_load(dir, &ring, e)))
        return rc == INV_EINPUT ? (e->code = INV_FAIL) : rc; /* same message */
    rc = load_checkpoints(dir, f, ring, now, e);
    inv_keyring_free(ring);
    if (rc)
        return rc;
    /* The version in force at the date asked, as the checkpoints show it. */
    int64_t K = 0;
    for (int64_t k = f->ncps; k >= 1 && !K; k--)
        if (f->cps[k - 1].agreed_at && f->cps[k - 1].agreed_at <= f->at)
            K = k;
    char at[32], d[32];
    inv_time_format(f->at, at, sizeof at);
    if (!K)
        return inv_fail(e, INV_FAIL, "no version of the folder was agreed by both parties by %s, "
                        "by the document signing dates its checkpoint signatures state "
                        "(proof.txt line 5)", at);
    if (K != f->version)
        return inv_fail(e, INV_FAIL, "proof.txt: line 7: version %lld, but by the folder's "
                        "checkpoints version %lld was in force at %s", (long long)f->version,
                        (long long)K, at);
    const inv_pf_checkpoint *c = &f->cps[K - 1];
    if (f->agreed != c->agreed_at) {
        inv_time_format(c->agreed_at, d, sizeof d);
        return inv_fail(e, INV_FAIL, "proof.txt: line 8: agreed at another date than %s, "
                        "the later of the two document signing dates the signatures "
                        "of %s state", d, c->file);
    }
    if ((uint64_t)c->cp.items != f->size)
        return inv_fail(e, INV_FAIL, "proof.txt: line 10: tree size %llu, but %s lists "
                        "%lld items", (unsigned long long)f->size, c->file,
                        (long long)c->cp.items);
    if (cr_memcmp(c->cp.root, f->root, sizeof f->root))
        return inv_fail(e, INV_FAIL, "proof.txt: line 11: another root than %s's", c->file);
    if ((rc = check_leaves(dir, f, e)))
        return rc;
    return check_answer(f, e);
}
