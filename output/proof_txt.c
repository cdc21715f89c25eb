/* proof_txt.c - VERIFY.txt of a proof folder, its words from a table (proof_words_*.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proof_txt.h"
#include "words.h"

/* The commands are the same in every language. */
#define CMD OUT_PROOF_CMD
#define OUT OUT_PROOF_OUT
#define CMD_MINISIGN CMD "minisign -Vm %1 -p %2 -x %3\n" OUT \
    "Signature and comment signature verified\n" OUT "Trusted comment: %4\n"
/* node L R: BLAKE2b-256(0x01 || L || R) of two hashes in hexadecimal
 * (basenc reads base16 in upper case only) */
#define CMD_NODE CMD "node() { { printf '\\001'; printf %%s $1 $2 | tr a-f A-F | basenc -d --base16; }" \
    " | b2sum -l 256 | cut -c1-64; }\n"
/* index F: the index: line of leaf F's section of proof.txt, read as a
 * decimal number (051 is 51, as a reader reads it); an error when the
 * section has no such line, or two, or no number. The loop and the
 * adjacency of two neighbours both read indices through it. */
#define CMD_INDEX CMD "index() { echo $((10#$(sed -n \"/^leaf: $1\\$/,/^\\$/s/^index: //p\" proof.txt))); }\n"
/* the path loop of RFC 9162 2.1.3.2 over the leaf's path: lines of
 * proof.txt, from its index (i) and the item count of checkpoint %1 minus
 * 1 (s); it does not run when either cannot be read; a path hash left when
 * s is 0 fails (too-long), and s must end at 0: both tie the path to the
 * index */
#define CMD_LOOP CMD "i=$(index $f) && s=$((10#$(sed -n 's/^items: //p' %1) - 1)) &&" \
    " for p in $(sed -n \"/^leaf: $f\\$/,/^\\$/s/^path: //p\" proof.txt);" \
    " do [ $s = 0 ] && { echo too-long; break; }; if [ $((i % 2)) = 1 ] || [ $i = $s ]; then h=$(node $p $h);" \
    " while [ $((i % 2)) = 0 ] && [ $i != 0 ]; do i=$((i / 2)) s=$((s / 2)); done;" \
    " else h=$(node $h $p); fi; i=$((i / 2)) s=$((s / 2)); echo $h; done\n"
#define CMD_KEYID CMD "keyid() { base64 -d | od -An -tx8 -j2 -N8 --endian little | tr -d ' '" \
    " | tr a-f A-F; }\n"

const out_proof_words *out_proof_words_for(const char *lang)
{
    if (lang && !strcmp(lang, "fr"))
        return &out_proof_fr;
    if (lang && !strcmp(lang, "de"))
        return &out_proof_de;
    if (lang && !strcmp(lang, "it"))
        return &out_proof_it;
    return &out_proof_en;
}

typedef struct ctx {
    const inv_proof_folder *f;
    const out_proof_words *w;
    inv_buf *b;
    char num[4][24];
    char date[32];
    inv_buf esc;
} ctx;

static const char *num(ctx *c, int i, long long v)
{
    snprintf(c->num[i], sizeof c->num[i], "%lld", v);
    return c->num[i];
}

static const char *when(ctx *c, int64_t t)
{
    inv_time_format(t, c->date, sizeof c->date);
    return c->date;
}

static const char *esc(ctx *c, const char *text)
{
    c->esc.len = 0;
    inv_buf_add(&c->esc, "", 0);
    inv_escape(&c->esc, text ? text : "");
    return c->esc.data ? c->esc.data : "";
}

static void hex(const unsigned char h[CR_MERKLE_HASH_BYTES], char out[2 * CR_MERKLE_HASH_BYTES + 1])
{
    cr_hex(out, h, CR_MERKLE_HASH_BYTES);
}

/* Each line of text as an expected output line. */
static void expect_lines(ctx *c, const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        inv_buf_puts(c->b, OUT);
        inv_buf_add(c->b, p, n);
        inv_buf_puts(c->b, "\n");
        p += n + (nl != NULL);
    }
}

/* The lines of a checkpoint whose key is one of keys (as grep -E prints them). */
static void cp_lines(ctx *c, const inv_pf_checkpoint *cp, const char *const keys[])
{
    const char *p = cp->data, *end = cp->data + cp->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        for (int k = 0; keys[k]; k++) {
            size_t kl = strlen(keys[k]);
            if (n > kl && !memcmp(p, keys[k], kl)) {
                expect_lines(c, p, n);
                break;
            }
        }
        p += n + (nl != NULL);
    }
}

static const inv_pf_key *key_of(const inv_proof_folder *f, int role, const char *id)
{
    for (size_t i = 0; i < f->nkeys; i++)
        if (f->keys[i].role == role && !strcmp(f->keys[i].id, id))
            return &f->keys[i];
    return NULL;
}

/* The leaf of kind k, or NULL. */
static const inv_pf_leaf *leaf_of(const inv_proof_folder *f, int k)
{
    for (int i = 0; i < f->nleaves; i++)
        if (f->leaf[i].kind == k)
            return &f->leaf[i];
    return NULL;
}

static void add_answer(ctx *c)
{
    const inv_proof_folder *f = c->f;
    const out_proof_words *w = c->w;
    const inv_pf_checkpoint *K = &f->cps[f->version - 1];
    char at[32], d0[32], d1[32];
    inv_time_format(f->at, at, sizeof at);
    out_say(c->b, w->answer_title, NULL);
    out_say(c->b, w->asked, esc(c, f->id), at, NULL);
    out_say(c->b, w->answer, f->answer ? w->yes : w->no, NULL);
    /* when each party signed the document, as its checkpoint signature
     * states (document-signed:): the agreement, not the checkpoint's signing */
    inv_time_format(K->sig[0].doc_signed_at, d0, sizeof d0);
    inv_time_format(K->sig[1].doc_signed_at, d1, sizeof d1);
    out_say(c->b, w->in_force, num(c, 0, f->version), d0, d1, NULL);
    const inv_pf_leaf *b = leaf_of(f, INV_PF_BEFORE), *a = leaf_of(f, INV_PF_AFTER);
    const char *n = num(c, 1, (long long)f->size);
    if (f->answer) {
        out_say(c->b, w->lists_item, num(c, 2, (long long)f->leaf[0].path.index), NULL);
    } else if (b && a) {
        out_say(c->b, w->between, n, esc(c, f->id), num(c, 2, (long long)b->path.index),
                num(c, 3, (long long)a->path.index), NULL);
    } else if (a) {
        out_say(c->b, w->before_first, n, esc(c, f->id), NULL);
    } else if (b) {
        out_say(c->b, w->after_last, n, esc(c, f->id), num(c, 2, (long long)b->path.index), NULL);
    } else {
        out_say(c->b, w->empty, esc(c, f->id), NULL);
    }
    for (int64_t k = f->version + 1; k <= f->ncps; k++) {
        inv_buf why = {0};
        if (f->cps[k - 1].agreed_at)
            out_say(&why, w->later_agreed, when(c, f->cps[k - 1].agreed_at), NULL);
        else
            out_say(&why, w->later_not, NULL);
        out_say(c->b, w->later, num(c, 0, k), why.data ? why.data : "", NULL);
        inv_buf_free(&why);
    }
    int64_t bound = inv_proof_bound(f);
    if (bound)
        out_say(c->b, w->excluded, at, num(c, 0, f->version), num(c, 1, bound),
                when(c, f->cps[bound - 1].cp.date), NULL);
    else
        out_say(c->b, w->cannot_show, at, num(c, 1, (long long)f->ncps), NULL);
}

/* What the folder discloses. */
static void add_discloses(ctx *c)
{
    const inv_proof_folder *f = c->f;
    const out_proof_words *w = c->w;
    if (f->answer)
        out_say(c->b, w->discloses_item, NULL);
    else if (f->nleaves == 2)
        out_say(c->b, w->discloses_two, NULL);
    else if (f->nleaves == 1)
        out_say(c->b, w->discloses_one, inv_pf_leaf_files[f->leaf[0].kind], NULL);
    else
        out_say(c->b, w->discloses_none, NULL);
}

/* The hash of each node of one leaf's path, as the loop prints it. */
static void one_step(void *vctx, const inv_pf_step *s)
{
    ctx *c = vctx;
    char oh[65];
    hex(s->out, oh);
    out_say(c->b, OUT "%1\n", oh, NULL);
}

/* The sections from the leaves to the root (or the empty tree). */
static void add_tree(ctx *c, int sec)
{
    const inv_proof_folder *f = c->f;
    const out_proof_words *w = c->w;
    const inv_pf_checkpoint *K = &f->cps[f->version - 1];
    static const char *const tree_keys[] = {"items: ", "root: ", NULL};
    char h[65];
    if (!f->nleaves) {
        unsigned char e[CR_MERKLE_HASH_BYTES];
        cr_merkle_tree t;
        cr_merkle_tree_init(&t);
        cr_merkle_tree_root(&t, e);
        hex(e, h);
        out_say(c->b, w->empty_title, num(c, 0, sec), K->file, NULL);
        out_say(c->b, CMD "grep -E '^(items|root): ' %1\n", K->file, NULL);
        cp_lines(c, K, tree_keys);
        out_say(c->b, CMD "printf '' | b2sum -l 256\n" OUT "%1  -\n", h, NULL);
        return;
    }
    out_say(c->b, w->path_title, num(c, 0, sec), K->file, NULL);
    out_say(c->b, CMD_NODE, NULL);
    out_say(c->b, CMD_INDEX, NULL);
    out_say(c->b, CMD "grep -E '^(items|root): ' %1\n", K->file, NULL);
    cp_lines(c, K, tree_keys);
    for (int i = 0; i < f->nleaves; i++) {
        const inv_pf_leaf *l = &f->leaf[i];
        const char *name = inv_pf_leaf_files[l->kind];
        unsigned char top[CR_MERKLE_HASH_BYTES];
        hex(l->hash, h);
        out_say(c->b, CMD "f=%1; h=$({ printf '\\000'; cat $f; } | b2sum -l 256 | cut -c1-64);"
                          " echo $h\n" OUT "%2\n",
                name, h, NULL);
        if (!l->path.len) {
            out_say(c->b, w->path_none, name, NULL);
            out_say(c->b, CMD "grep -c \"^root: $h\\$\" %1\n" OUT "1\n", K->file, NULL);
            continue;
        }
        out_say(c->b, CMD_LOOP, K->file, NULL);
        inv_proof_walk(l->hash, &l->path, one_step, c, top);
        /* s ends at 0 (the path is as long as the leaf's place in the tree
         * needs: RFC 9162's last check, which ties the path to the index),
         * and the root it leads to is the checkpoint's, found once */
        out_say(c->b, CMD "echo $s; grep -c \"^root: $h\\$\" %1\n" OUT "0\n" OUT "1\n", K->file,
                NULL);
    }
}

/* That the neighbours shown are next to each other and bracket the id. */
static void add_order(ctx *c, int sec)
{
    const inv_proof_folder *f = c->f;
    const inv_pf_leaf *b = leaf_of(f, INV_PF_BEFORE), *a = leaf_of(f, INV_PF_AFTER);
    out_say(c->b, c->w->order_title, num(c, 0, sec), esc(c, f->id), NULL);
    inv_buf_puts(c->b, CMD "{ ");
    if (b)
        inv_buf_puts(c->b, "head -n 1 before.txt; ");
    inv_buf_puts(c->b, "grep '^item: ' proof.txt; ");
    if (a)
        inv_buf_puts(c->b, "head -n 1 after.txt; ");
    inv_buf_puts(c->b, "} | LC_ALL=C sort -u\n");
    const inv_pf_leaf *order[3] = {b, NULL, a};
    for (int i = 0; i < 3; i++) {
        if (i == 1) {
            inv_buf_puts(c->b, OUT "item: ");
            inv_buf_puts(c->b, esc(c, f->id));
            inv_buf_puts(c->b, "\n");
        } else if (order[i]) {
            const char *nl = memchr(order[i]->data, '\n', order[i]->len);
            expect_lines(c, order[i]->data, nl ? (size_t)(nl - order[i]->data) : order[i]->len);
        }
    }
    /* the indices as the loops read them, and their distance computed */
    const inv_pf_checkpoint *K = &f->cps[f->version - 1];
    if (b && a)
        out_say(c->b, CMD "b=$(index before.txt) a=$(index after.txt); echo $b $a $((a - b))\n"
                          OUT "%1 %2 1\n",
                num(c, 0, (long long)b->path.index), num(c, 1, (long long)a->path.index), NULL);
    else if (a)
        out_say(c->b, CMD "index after.txt\n" OUT "0\n", NULL);
    else
        out_say(c->b, CMD "echo $(index before.txt) $((10#$(sed -n 's/^items: //p' %1) - 1))\n"
                          OUT "%2 %2\n",
                K->file, num(c, 0, (long long)b->path.index), NULL);
}

/* The key id of every file, the keys each checkpoint names, and where
 * one changes, the key replaced vouching for the new one. */
static void add_keys(ctx *c, int sec)
{
    const inv_proof_folder *f = c->f;
    const out_proof_words *w = c->w;
    static const char *const key_keys[] = {"provider-key: ", "client-key: ", NULL};
    out_say(c->b, w->keys_title, num(c, 0, sec), NULL);
    for (int64_t k = 2; k <= f->ncps; k++)
        for (int i = 0; i < 2; i++) {
            const inv_pf_checkpoint *cp = &f->cps[k - 1], *pv = &f->cps[k - 2];
            if (strcmp(cp->cp.key[i], pv->cp.key[i]))
                out_say(c->b, w->key_change, num(c, 0, k), w->role[i], pv->cp.key[i],
                        cp->cp.key[i], cp->old[i].present ? cp->old[i].file : "?", NULL);
        }
    out_say(c->b, CMD_KEYID, NULL);
    for (size_t i = 0; i < f->nkeys; i++)
        out_say(c->b, CMD "tail -n 1 %1 | keyid\n" OUT "%2\n", f->keys[i].file, f->keys[i].id,
                NULL);
    for (int64_t k = 1; k <= f->ncps; k++) {
        const inv_pf_checkpoint *cp = &f->cps[k - 1];
        out_say(c->b, CMD "grep -E '^(provider|client)-key: ' %1\n", cp->file, NULL);
        cp_lines(c, cp, key_keys);
        for (int i = 0; i < 2; i++)
            for (int old = 1; old >= 0; old--) {
                const inv_pf_sig *s = old ? &cp->old[i] : &cp->sig[i];
                if (s->present)
                    out_say(c->b, CMD "sed -n 2p %1 | keyid\n" OUT "%2\n", s->file, s->key_id,
                            NULL);
            }
    }
}

static void add_commands(ctx *c)
{
    const inv_proof_folder *f = c->f;
    const out_proof_words *w = c->w;
    int sec = 2;
    /* the signatures */
    out_say(c->b, w->sigs_title, num(c, 0, sec++), NULL);
    for (int64_t k = 1; k <= f->ncps; k++) {
        const inv_pf_checkpoint *cp = &f->cps[k - 1];
        int any = 0;
        for (int i = 0; i < 2; i++) {
            /* at a rotation, the key replaced first: it vouches for the new one */
            for (int old = 1; old >= 0; old--) {
                const inv_pf_sig *s = old ? &cp->old[i] : &cp->sig[i];
                if (!s->present)
                    continue;
                const inv_pf_key *key = key_of(f, i, s->key_id);
                out_say(c->b, CMD_MINISIGN, cp->file, key ? key->file : "?", s->file,
                        s->trusted, NULL);
                any = 1;
            }
        }
        if (!any)
            out_say(c->b, w->no_sig, num(c, 0, k), NULL);
    }
    /* the chain */
    static const char *const chain_keys[] = {"register: ", "contract: ", "version: ", "date: ",
                                             "document: ", "previous: ", "root: ", NULL};
    out_say(c->b, w->chain_title, num(c, 0, sec++), NULL);
    for (int64_t k = 1; k <= f->ncps; k++) {
        const inv_pf_checkpoint *cp = &f->cps[k - 1];
        out_say(c->b, CMD "grep -E '^(register|contract|version|date|document|previous|root): ' %1\n",
                cp->file, NULL);
        cp_lines(c, cp, chain_keys);
    }
    add_tree(c, sec++);
    if (!f->answer && f->nleaves)
        add_order(c, sec++);
    add_keys(c, sec++);
    out_say(c->b, w->scopereg, num(c, 0, sec), NULL);
}

char *out_proof_txt(const inv_proof_folder *f, const char *tool_version,
                    const out_proof_words *w)
{
    inv_buf b = {0};
    ctx c;
    memset(&c, 0, sizeof c);
    c.f = f;
    c.w = w ? w : &out_proof_en;
    c.b = &b;
    w = c.w;
    out_say(&b, w->title, NULL);
    out_say(&b, w->contract, esc(&c, f->contract), NULL);
    out_say(&b, w->register_, f->register_id, NULL);
    out_say(&b, w->made, when(&c, f->made), tool_version, NULL);
    out_say(&b, w->intro, NULL);
    add_answer(&c);
    add_discloses(&c);
    add_commands(&c);
    int failed = !c.esc.data || c.esc.failed;
    inv_buf_free(&c.esc);
    if (failed) {
        inv_buf_free(&b);
        return NULL;
    }
    return inv_buf_take(&b);
}
