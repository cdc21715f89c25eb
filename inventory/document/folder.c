/*
 * folder.c - a directory of exported documents checked with no register:
 * each document's grammar, its changes against its own items, its
 * signature files (beside.c), the chain of versions, key changes, key ids
 * two keys carry, and forks (inv_docs_verify).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "beside.h"
#include "checkpoint.h"
#include "keyring_int.h"

/* ---- a directory of documents ---- */

/* A key of a document that cannot be traced to the keys of an earlier
 * document present: it differs from the key of version `base` (the
 * nearest earlier present) and the versions in between are absent. */
typedef struct untraced {
    int64_t at;   /* the version whose key differs (0: the key is traced) */
    int64_t base; /* the nearest earlier version present then */
} untraced;

typedef struct entry {
    char *path;
    int parsed;
    inv_doc doc;
    inv_buf why, notes, unver;
    inv_sig_state sigs;
    untraced key[2]; /* by role */
    inv_cp_beside cp; /* its checkpoint files, when present */
    int cp_checked;
} entry;

/* A key id that the folder's .pub gives to one key and that a signature
 * file of the folder shows another key used (its global signature, over
 * the signature and the trusted comment, does not verify under the .pub):
 * key ids are 8 free bytes of a key file, not fingerprints. */
typedef struct twin {
    char id[CR_KEYID_HEX];
    char *sig_path; /* the signature file the .pub's key did not make */
    char *pub_path;
} twin;
typedef struct twins {
    twin *v;
    size_t n, cap;
} twins;

static void twins_free(twins *tw)
{
    for (size_t i = 0; i < tw->n; i++) {
        free(tw->v[i].sig_path);
        free(tw->v[i].pub_path);
    }
    free(tw->v);
}

/* A signature file that does not hold: was it made by another key than
 * the .pub of that key id? Only its global signature is checked (the
 * document's bytes play no part), so a changed document is no twin. */
static void check_twin(const inv_sig_beside *sb, const inv_keyring *ring, twins *tw)
{
    FILE *f;
    char buf[CR_SIG_FILE_MAX + 1];
    cr_sig sig;
    cr_err ce;
    cr_pubkey pk;
    const char *pub = NULL;
    inv_err sub;
    if (!sb->want[0] || inv_open_regular(sb->path, &f, NULL) != 0)
        return;
    size_t len = fread(buf, 1, sizeof buf, f);
    fclose(f);
    if (len > CR_SIG_FILE_MAX || cr_sig_parse(buf, len, &sig, &ce) != CR_OK)
        return;
    char id[CR_KEYID_HEX];
    cr_keyid_hex(sig.keyid, id);
    if (strcmp(id, sb->want) || inv_keyring_find(ring, id, &pk, &pub, &sub) != INV_OK)
        return;
    size_t tl = strlen(sig.trusted);
    unsigned char *msg = malloc(CR_SIG_BYTES + tl);
    if (!msg)
        return;
    memcpy(msg, sig.sig, CR_SIG_BYTES);
    memcpy(msg + CR_SIG_BYTES, sig.trusted, tl);
    int same = cr_ed25519_verify(sig.global_sig, msg, CR_SIG_BYTES + tl, pk.pk) == CR_OK;
    free(msg);
    if (same)
        return;
    for (size_t i = 0; i < tw->n; i++)
        if (!strcmp(tw->v[i].id, id))
            return; /* one is enough to name */
    if (tw->n == tw->cap) {
        size_t cap = tw->cap ? tw->cap * 2 : 4;
        twin *nv = realloc(tw->v, cap * sizeof *nv);
        if (!nv)
            return;
        tw->v = nv;
        tw->cap = cap;
    }
    twin *t = &tw->v[tw->n];
    memcpy(t->id, id, sizeof t->id);
    t->sig_path = strdup(sb->path);
    t->pub_path = strdup(pub);
    if (!t->sig_path || !t->pub_path) {
        free(t->sig_path);
        free(t->pub_path);
        return;
    }
    tw->n++;
}

/* Checks one signature file of e's document; adds to why/notes, and to
 * the tally when it holds (old: by the key being replaced). */
static void check_sig_file(entry *en, const inv_keyring *ring, int role, int old,
                           int64_t now, inv_tally *t, twins *tw)
{
    size_t stem = strlen(en->path) - (sizeof ".scope" - 1);
    char *base = strndup(en->path, stem);
    inv_sig_beside sb;
    inv_err sub;
    if (!base || inv_sig_beside_check(&en->doc, base, role, old, NULL, ring, now, &sb, &sub)) {
        if (!base)
            inv_oom_note(); /* no verdict: inv_docs_verify fails */
        inv_buf_printf(&en->why, "; %s", base ? sub.msg : "out of memory");
        free(base);
        return;
    }
    free(base);
    switch (sb.status) {
    case INV_BESIDE_ABSENT: /* not signed with that key (yet) */
        break;
    case INV_BESIDE_IGNORED:
        inv_buf_printf(&en->notes, "; %s ignored: version %lld replaces no %s key", sb.path,
                       (long long)en->doc.version, inv_roles[role]);
        break;
    case INV_BESIDE_NOT_REGULAR: /* never opened */
        inv_buf_printf(&en->why, "; %s: %s, not read", sb.path, sb.kind);
        break;
    case INV_BESIDE_UNREADABLE:
        inv_buf_printf(&en->why, "; %s", sb.err.msg);
        break;
    case INV_BESIDE_NO_KEY:
    case INV_BESIDE_BAD:
        inv_buf_printf(&en->why, "; %s: %s", sb.path, sb.err.msg);
        check_twin(&sb, ring, tw);
        break;
    case INV_BESIDE_VALID:
        inv_tally_add(t, role, old, sb.signed_at);
        break;
    }
    inv_sig_beside_free(&sb);
}

static void check_sigs(entry *en, const inv_keyring *ring, int64_t now, twins *tw)
{
    inv_tally t;
    inv_tally_init(&t, en->doc.old_key[0][0] != 0, en->doc.old_key[1][0] != 0);
    for (int role = 0; role < 2; role++)
        for (int old = 0; old < 2; old++)
            check_sig_file(en, ring, role, old, now, &t, tw);
    inv_tally_state(&t, &en->sigs);
}

static int cmp_entry(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->parsed != y->parsed)
        return x->parsed ? 1 : -1; /* unreadable documents first */
    if (x->parsed) {
        int c = strcmp(x->doc.register_id, y->doc.register_id);
        if (c)
            return c;
        if (x->doc.version != y->doc.version)
            return x->doc.version < y->doc.version ? -1 : 1;
    }
    return strcmp(x->path, y->path);
}

static int nullstrcmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* "version 2 is absent" / "versions 2 to 4 are absent" */
static void absent(char *out, size_t cap, int64_t from, int64_t to)
{
    if (from == to)
        snprintf(out, cap, "version %lld is absent", (long long)from);
    else
        snprintf(out, cap, "versions %lld to %lld are absent", (long long)from, (long long)to);
}

/* Document cur follows the nearest earlier present document prev of the
 * same register across absent versions: what can still be checked, and
 * which keys can no longer be traced. */
static void across_gap(entry *prev, entry *cur)
{
    inv_doc *p = &prev->doc, *d = &cur->doc;
    inv_buf_printf(&cur->notes, "; version %lld is absent: the link to it is not checked",
                   (long long)d->version - 1);
    if (nullstrcmp(p->contract, d->contract) || nullstrcmp(p->party[0], d->party[0]) ||
        nullstrcmp(p->party[1], d->party[1]))
        inv_buf_printf(&cur->why, "; its contract or party names differ from those of %s "
                       "(same register)", prev->path);
    if (p->date > d->date)
        inv_buf_printf(&cur->why, "; its date is before the date of %s (version %lld)",
                       prev->path, (long long)p->version);
    for (int r = 0; r < 2; r++) {
        const char *from = d->old_key[r][0] ? d->old_key[r] : d->key[r];
        if (strcmp(from, p->key[r])) {
            cur->key[r].at = d->version;
            cur->key[r].base = p->version;
        } else {
            cur->key[r] = prev->key[r];
        }
    }
}

/* The sentence saying why a document's keys cannot be trusted. */
static void untraced_reason(entry *en, const entry *v, size_t n)
{
    for (int r = 0; r < 2; r++) {
        const untraced *u = &en->key[r];
        if (!u->at)
            continue;
        char gap[96];
        absent(gap, sizeof gap, u->base + 1, u->at - 1);
        if (u->at == en->doc.version) {
            const char *bkey = "";
            for (size_t i = 0; i < n; i++)
                if (v[i].parsed && v[i].doc.version == u->base &&
                    !strcmp(v[i].doc.register_id, en->doc.register_id))
                    bkey = v[i].doc.key[r];
            inv_buf_printf(&en->unver, "; %s key %s differs from version %lld's (%s) and %s: "
                           "the key change cannot be checked", inv_roles[r], en->doc.key[r],
                           (long long)u->base, bkey, gap);
        } else {
            inv_buf_printf(&en->unver, "; %s key %s rests on the key change at version %lld, "
                           "which cannot be checked (%s)", inv_roles[r], en->doc.key[r],
                           (long long)u->at, gap);
        }
    }
}

/* Adds msg to en's reasons unless they already give it: the check against
 * version N-1 and the check of N against itself may find the same fault
 * (a modification's new value) and say it in the same words. Cannot fail
 * (out of memory shows when the reasons are read). */
static void why_once(entry *en, const char *msg)
{
    size_t n = strlen(msg);
    const char *p = en->why.data, *end = p ? p + en->why.len : NULL;
    for (; p && (size_t)(end - p) >= n + 2; p++) {
        if (!(p = memchr(p, ';', (size_t)(end - p))) || (size_t)(end - p) < n + 2)
            break;
        if (p[1] == ' ' && !memcmp(p + 2, msg, n) && (p + 2 + n == end || p[2 + n] == ';'))
            return;
    }
    inv_buf_printf(&en->why, "; %s", msg);
}

/* The chain between the documents of one register, sorted by version.
 * INV_EIO (e set) on a read error or out of memory. */
static int check_chain(entry *v, size_t n, inv_err *e)
{
    entry *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        entry *en = &v[i];
        if (!en->parsed)
            continue;
        inv_doc *d = &en->doc;
        if (!prev || strcmp(prev->doc.register_id, d->register_id)) {
            /* the first document of its register: its keys are those of
             * the .pub files, which the parties exchanged */
            if (d->version > 1)
                inv_buf_printf(&en->notes, "; version %lld is absent: the link to it is not "
                               "checked", (long long)d->version - 1);
            prev = en;
            continue;
        }
        inv_doc *p = &prev->doc;
        if (p->version == d->version) {
            if (!strcmp(p->doc_hash, d->doc_hash)) {
                inv_buf_printf(&en->notes, "; same bytes as %s", prev->path);
            } else {
                inv_buf_printf(&en->why, "; %s also claims version %lld of register %s, with "
                               "other bytes", prev->path, (long long)d->version, d->register_id);
                inv_buf_printf(&prev->why, "; %s also claims version %lld of register %s, with "
                               "other bytes", en->path, (long long)d->version, d->register_id);
            }
            en->key[0] = prev->key[0];
            en->key[1] = prev->key[1];
            continue;
        }
        if (p->version + 1 != d->version) {
            across_gap(prev, en);
        } else {
            inv_err sub;
            int rc = inv_doc_follows(prev->path, p, en->path, d, &sub);
            if (rc == INV_EIO)
                return inv_fail(e, INV_EIO, "%s", sub.msg);
            if (rc)
                why_once(en, sub.msg);
            en->key[0] = prev->key[0];
            en->key[1] = prev->key[1];
        }
        prev = en;
    }
    for (size_t i = 0; i < n; i++)
        if (v[i].parsed)
            untraced_reason(&v[i], v, n);
    return INV_OK;
}

/* The documents of one register in the sorted entries: [first, end). */
typedef struct reg_span {
    size_t first, end;
    const inv_doc *doc; /* its first document */
    size_t up;          /* union-find: the span it is forked with (itself: root) */
} reg_span;

static int cmp_span(const void *a, const void *b)
{
    const inv_doc *x = ((const reg_span *)a)->doc, *y = ((const reg_span *)b)->doc;
    int c = nullstrcmp(x->contract, y->contract);
    return c ? c : strcmp(x->register_id, y->register_id);
}

static size_t span_root(reg_span *s, size_t i)
{
    while (s[i].up != i)
        i = s[i].up = s[s[i].up].up;
    return i;
}

static void span_join(reg_span *s, size_t a, size_t b)
{
    a = span_root(s, a);
    b = span_root(s, b);
    if (a != b)
        s[a > b ? a : b].up = a < b ? a : b; /* the root is the first in order */
}

/* One pair of party keys that a document of a register names. */
typedef struct key_pair {
    char keys[2 * CR_KEYID_HEX];
    size_t span;
} key_pair;

static int cmp_pair(const void *a, const void *b)
{
    const key_pair *x = a, *y = b;
    int c = strcmp(x->keys, y->keys);
    return c ? c : (x->span > y->span) - (x->span < y->span);
}

/* Two registers in one folder are a fork when they claim the same
 * contract, or when documents of both name the same pair of party keys
 * (whatever their contracts are called: a trailing space or an invisible
 * character makes another text, not another contract): every document of
 * each is broken, whatever its signatures. INV_EIO when out of memory. */
static int check_forks(entry *v, size_t n, inv_err *e)
{
    reg_span *s = calloc(n ? n : 1, sizeof *s);
    key_pair *kp = calloc(n ? n : 1, sizeof *kp);
    size_t ns = 0, nk = 0;
    int rc = INV_OK;
    if (!s || !kp) {
        free(s);
        free(kp);
        return inv_fail(e, INV_EIO, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        if (!v[i].parsed)
            continue;
        if (ns && !strcmp(v[s[ns - 1].first].doc.register_id, v[i].doc.register_id)) {
            s[ns - 1].end = i + 1;
            continue;
        }
        s[ns].first = i;
        s[ns].doc = &v[i].doc;
        s[ns++].end = i + 1;
    }
    if (ns)
        qsort(s, ns, sizeof *s, cmp_span);
    for (size_t g = 0; g < ns; g++)
        s[g].up = g;
    /* the same contract */
    for (size_t g = 1; g < ns; g++)
        if (!nullstrcmp(s[g].doc->contract, s[g - 1].doc->contract))
            span_join(s, g - 1, g);
    /* the same parties' keys */
    for (size_t g = 0; g < ns; g++)
        for (size_t i = s[g].first; i < s[g].end; i++) {
            if (!v[i].parsed)
                continue;
            snprintf(kp[nk].keys, sizeof kp[nk].keys, "%s:%s", v[i].doc.key[0],
                     v[i].doc.key[1]);
            kp[nk++].span = g;
        }
    if (nk)
        qsort(kp, nk, sizeof *kp, cmp_pair);
    for (size_t i = 1; i < nk; i++)
        if (!strcmp(kp[i].keys, kp[i - 1].keys))
            span_join(s, kp[i - 1].span, kp[i].span);
    for (size_t g = 0; g < ns && !rc; g++) {
        if (span_root(s, g) != g)
            continue;
        size_t second = ns, count = 1;
        for (size_t h = g + 1; h < ns; h++)
            if (span_root(s, h) == g) {
                if (second == ns)
                    second = h;
                count++;
            }
        if (count < 2)
            continue;
        const inv_doc *a = s[g].doc, *b = s[second].doc;
        inv_buf ca = {0}, cb = {0}, why = {0};
        char more[64] = "";
        if (count > 2)
            snprintf(more, sizeof more, " (and %zu more registers)", count - 2);
        if (inv_escape(&ca, a->contract ? a->contract : "") ||
            inv_escape(&cb, b->contract ? b->contract : "") || !ca.data || !cb.data) {
            rc = inv_fail(e, INV_EIO, "out of memory");
        } else if (!strcmp(ca.data, cb.data)) {
            inv_buf_printf(&why, "; fork: registers %s and %s%s both claim contract %s",
                           a->register_id, b->register_id, more, ca.data);
        } else {
            inv_buf_printf(&why, "; fork: registers %s and %s%s name the same parties' keys "
                           "(contracts '%s' and '%s'): each contract's documents belong in a "
                           "folder of their own",
                           a->register_id, b->register_id, more, ca.data, cb.data);
        }
        if (!rc && !why.data)
            rc = inv_fail(e, INV_EIO, "out of memory");
        for (size_t h = g; h < ns && !rc; h++)
            if (span_root(s, h) == g)
                for (size_t i = s[h].first; i < s[h].end; i++)
                    if (v[i].parsed)
                        inv_buf_puts(&v[i].why, why.data);
        inv_buf_free(&ca);
        inv_buf_free(&cb);
        inv_buf_free(&why);
    }
    free(s);
    free(kp);
    return rc;
}

/* A key id that two .pub files of the folder give to two different keys
 * says nothing of which key signed: every document naming it is broken,
 * whichever of its signatures happen to verify. */
static void check_key_ids(entry *en, const inv_keyring *ring, const twins *tw)
{
    const inv_doc *d = &en->doc;
    const char *ids[4] = {d->key[0], d->key[1], d->old_key[0], d->old_key[1]};
    for (int i = 0; i < 4; i++) {
        inv_err sub;
        if (!ids[i][0])
            continue;
        if (inv_keyring_conflict(ring, ids[i], &sub))
            inv_buf_printf(&en->why, "; the %s's key %s is not known: %s (a key id is not a "
                           "fingerprint: keep the one .pub the party gave you)",
                           inv_roles[i % 2], ids[i], sub.msg);
        for (size_t k = 0; k < tw->n; k++)
            if (!strcmp(tw->v[k].id, ids[i]))
                inv_buf_printf(&en->why, "; the %s's key %s is not known: %s carries that key "
                               "id but was not made by the key of %s (another key carries the "
                               "id, or the file was altered; a key id is not a fingerprint): "
                               "compare %s with the key the party gave you",
                               inv_roles[i % 2], ids[i], tw->v[k].sig_path, tw->v[k].pub_path,
                               tw->v[k].pub_path);
    }
}

/* The document against itself: its changes against its own items. INV_EIO
 * (e set) on a read error or out of memory. */
static int check_self(entry *en, inv_err *e)
{
    inv_err sub;
    int rc = inv_doc_self_check(en->path, &en->doc, &sub);
    if (rc == INV_EIO)
        return inv_fail(e, INV_EIO, "%s", sub.msg);
    if (rc)
        inv_buf_printf(&en->why, "; %s", sub.msg);
    return INV_OK;
}

/* The checkpoint files beside the document, when any lies there: derived
 * from the document and checked (inv_cp_beside_check). INV_EIO (e set)
 * on a read error or out of memory. */
static int check_checkpoint(entry *en, const inv_keyring *ring, int64_t now, inv_err *e)
{
    inv_err sub;
    struct stat sb;
    int any = 0;
    char *stem = inv_path_stem(en->path), *p;
    if (!stem)
        return inv_fail(e, INV_EIO, "out of memory");
    for (int k = 0; k < 3 && !any; k++) {
        p = k == 0 ? inv_checkpoint_path(stem) : inv_checkpoint_sig_path(stem, inv_roles[k - 1]);
        if (!p) {
            free(stem);
            return inv_fail(e, INV_EIO, "out of memory");
        }
        any = lstat(p, &sb) == 0;
        free(p);
    }
    int rc = INV_OK;
    if (any) {
        rc = inv_cp_beside_check(en->path, stem, &en->doc, NULL, ring, now, &en->cp, &sub);
        en->cp_checked = 1;
        if (rc == INV_EIO)
            rc = inv_fail(e, INV_EIO, "%s", sub.msg);
        else if (rc) {
            inv_buf_printf(&en->why, "; %s", sub.msg);
            rc = INV_OK;
        } else if (!en->cp.ok) {
            if (en->cp.err.code == INV_EIO)
                rc = inv_fail(e, INV_EIO, "%s", en->cp.err.msg);
            else
                inv_buf_printf(&en->why, "; %s", en->cp.err.msg);
        }
    }
    free(stem);
    return rc;
}

/* Reads the document at en->path, a regular file only. INV_EIO (e set)
 * on an error that is not the file's; otherwise the outcome is in en. */
static int read_entry(entry *en, inv_err *e)
{
    struct stat sb;
    inv_err sub;
    if (stat(en->path, &sb) != 0) {
        inv_buf_printf(&en->why, "; %s: cannot be read: %s", en->path, strerror(errno));
        return INV_OK;
    }
    if (!S_ISREG(sb.st_mode)) {
        /* never opened: a FIFO would block, a device could act */
        inv_buf_printf(&en->why, "; %s: %s, not read", en->path, inv_file_kind(sb.st_mode));
        return INV_OK;
    }
    int fd = open(en->path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        inv_buf_printf(&en->why, "; %s: cannot be read: %s", en->path, strerror(errno));
        return INV_OK;
    }
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) { /* replaced since stat */
        inv_buf_printf(&en->why, "; %s: not a regular file, not read", en->path);
        close(fd);
        return INV_OK;
    }
    FILE *f = fdopen(fd, "rb");
    if (!f) {
        close(fd);
        return inv_fail(e, INV_EIO, "%s: %s", en->path, strerror(errno));
    }
    int prc = inv_doc_read(f, en->path, &en->doc, NULL, NULL, &sub);
    fclose(f);
    if (prc == INV_EIO && !strstr(sub.msg, en->path))
        return inv_fail(e, INV_EIO, "%s", sub.msg);
    if (prc) {
        inv_buf_printf(&en->why, "; %s", sub.msg);
        return INV_OK;
    }
    en->parsed = 1;
    return INV_OK;
}

int inv_docs_verify(const char *dir, int64_t now, inv_doc_check_fn fn, void *ctx, inv_err *e)
{
    char **names = NULL;
    size_t n = 0;
    inv_keyring *ring = NULL;
    entry *v = NULL;
    twins tw = {0};
    int rc = inv__list_dir(dir, ".scope", &names, &n, e);
    if (rc)
        return rc;
    if (n == 0) {
        rc = inv_fail(e, INV_EINPUT, "%s holds no *.scope document", dir);
        goto out;
    }
    if ((rc = inv_keyring_load(dir, &ring, e)))
        goto out;
    if (!(v = calloc(n, sizeof *v))) {
        rc = inv_fail(e, INV_EIO, "out of memory");
        goto out;
    }
    for (size_t i = 0; i < n; i++) {
        entry *en = &v[i];
        if (!(en->path = inv__path_join(dir, names[i]))) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            goto out;
        }
        if ((rc = read_entry(en, e)))
            goto out;
        if (en->parsed) {
            check_sigs(en, ring, now, &tw);
            if ((rc = check_self(en, e)))
                goto out;
        }
    }
    /* once every signature file is read: a key id two keys carry breaks
     * every document naming it, not only those whose signature failed */
    for (size_t i = 0; i < n; i++)
        if (v[i].parsed)
            check_key_ids(&v[i], ring, &tw);
    qsort(v, n, sizeof *v, cmp_entry);
    if ((rc = check_chain(v, n, e)) || (rc = check_forks(v, n, e)))
        goto out;
    /* the checkpoint files last: what they break is said after what
     * breaks the document itself */
    for (size_t i = 0; i < n; i++)
        if (v[i].parsed && (rc = check_checkpoint(&v[i], ring, now, e)))
            goto out;
    size_t first_bad = n;
    for (size_t i = 0; i < n && !rc; i++) {
        entry *en = &v[i];
        inv_buf_add(&en->why, "", 0);
        inv_buf_add(&en->notes, "", 0);
        inv_buf_add(&en->unver, "", 0);
        if (!en->why.data || !en->notes.data || !en->unver.data) {
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        inv_doc_check c = {en->path, en->parsed ? &en->doc : NULL, en->why.len == 0,
                           en->why.len ? en->why.data + 2 : NULL, &en->sigs,
                           en->notes.len ? en->notes.data + 2 : "",
                           !en->why.len && en->unver.len ? en->unver.data + 2 : NULL,
                           en->cp_checked ? &en->cp : NULL};
        if ((!c.ok || c.unverified) && inv_oom_seen()) {
            /* a check that ran out of memory gives no verdict */
            rc = inv_fail(e, INV_EIO, "out of memory");
            break;
        }
        if ((!c.ok || c.unverified) && first_bad == n) {
            first_bad = i;
            if (!c.ok)
                inv_fail(e, INV_FAIL, "%s does not hold: %s", en->path, c.reason);
            else
                inv_fail(e, INV_FAIL, "%s cannot be verified: %s", en->path, c.unverified);
        }
        if (fn)
            rc = fn(ctx, &c);
    }
    if (!rc)
        rc = first_bad < n ? INV_FAIL : INV_OK;
out:
    if (v) {
        for (size_t i = 0; i < n; i++) {
            free(v[i].path);
            if (v[i].parsed)
                inv_doc_free(&v[i].doc);
            inv_buf_free(&v[i].why);
            inv_buf_free(&v[i].notes);
            inv_buf_free(&v[i].unver);
            if (v[i].cp_checked)
                inv_cp_beside_free(&v[i].cp);
        }
        free(v);
    }
    inv_keyring_free(ring);
    inv__names_free(names, n);
    twins_free(&tw);
    return rc;
}
