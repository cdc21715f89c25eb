/* verify_txt.c - VERIFY.txt of an evidence bundle, its words from a table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify_txt.h"
#include "words.h"

const out_verify_words out_verify_en = {
    .title = "HOW TO VERIFY THIS FOLDER\n=========================\n\n",
    .contract = "Contract:  %1\n",
    .register_ = "Register:  %1\n",
    .party = {"Provider:  %1, key %2 at version %3\n", "Client:    %1, key %2 at version %3\n"},
    .made = "Made:      %1, by scopereg %2, from the contract's register\n\n",
    .intro = "This folder holds the signed scope documents of a managed-IT contract: the\n"
             "lists of the equipment and software that the provider looks after, each\n"
             "version signed by both parties. Everything here can be checked with two\n"
             "stock tools, without scopereg and without trusting either party's software:\n"
             "minisign (https://jedisct1.github.io/minisign/) and b2sum (GNU coreutils).\n"
             "Run every command below from inside this folder.\n\n\n",
    .role = {"provider", "client"},
    .item_one = "item",
    .item_many = "items",
    .answer_title = "1. WHAT WAS ASKED, AND THE ANSWER\n\n",
    .asked_item = "Asked:  was the item \"%1\" in the scope agreed by both parties\n"
                  "        at %2%3?\n",
    .made_item = ", when this folder was made",
    .answer_item = "Answer: %1.\n\n",
    .yes = "YES",
    .no = "NO",
    .asked_scope = "Asked:  which scope was agreed by both parties at %1%2?\n",
    .made_scope = ",\n        when this folder was made",
    .answer_scope = "Answer: version %1, which lists %2 %3.\n\n",
    .in_force = "The scope in force at %1 was version %2, the latest\n"
                "version signed by both parties by then:\n"
                "    committed                %3\n",
    .signed_by = {"    signed by the provider   %1\n", "    signed by the client     %1\n"},
    .agreed = "    agreed                   %1\n"
              "(a version is agreed when its later signature is made, and never before it was\n"
              "committed)\n\n",
    .lists_item = "Version %1 (file %2) lists the item as follows, exactly as signed:\n\n",
    .not_listed = "Version %1 (file %2) does not list it: its items have no line\n"
                  "\"item: %3\".\n\n",
    .in_no_version = "The item is in no version from 1 to %1.\n\n",
    .life = "The item's life up to version %1, as the documents' changes record it:\n",
    .step = "    version %1: %2%3: the line \"%4 %5\" in the changes of %6\n",
    .op_added = "added",
    .op_modified = "modified",
    .op_removed = "removed",
    .step_fields = " (%1)",
    .step_reason = " (reason: %1)",
    .later = "Version %1, committed %2, was not in force then: it had\n"
             "not been signed by both parties by that date (",
    .later_agreed = "it was agreed later,\n%1",
    .later_state = "when this folder was made,\nit was: %1",
    .later_end = ").\n",
    .state_agreed = "agreed",
    .state_signed_by = {"signed by provider", "signed by client"},
    .state_proposed = "proposed",
    .not_included_one = "The register held %1 versions when this folder was made; version %2 "
                        "is not\nincluded: it was committed after %3 or not agreed by\n"
                        "both parties by then.\n",
    .not_included_many = "The register held %1 versions when this folder was made; versions "
                         "%2 to %3\nare not included: each was committed after %4 or not\n"
                         "agreed by both parties by then.\n",
    .latest = "Version %1 was the latest version of the register when this folder was made.\n",
    .cannot_show = "\nWhat this folder cannot show by itself is that no later version had been\n"
                   "agreed by that date: that rests on the register. A later version whose two\n"
                   "signatures both date from %1 or before would contradict\n"
                   "the answer.\n\n\n",
    .files_title = "2. THE FILES\n\n",
    .file_doc = "  %1\n      The scope document of version %2, byte for byte: the text that was "
                "signed.\n      Committed %3, %4 %5, ",
    .vstate_agreed = "agreed %1",
    .vstate_never = "never signed",
    .vstate_not_agreed = "not agreed: signed ",
    .vstate_and = " and ",
    .vstate_by = "by the %1%2",
    .vstate_one_key = " with one of its two keys",
    .vstate_only = " only",
    .doc_never_in_force = ".\n      Never in force; included because the chain of previous: "
                          "links\n      passes through it.\n",
    .doc_earlier = ".\n      An earlier scope, included for the chain of previous: links.\n",
    .doc_in_force = ".\n      The scope in force at %1.\n",
    .file_sig = "  %1\n      The %2's signature of version %3, by its %4key %5,\n"
                "      signed %6.\n",
    .previous = "previous ",
    .file_key = "  %1\n      The %2's public key %3",
    .key_named_one = ", named by version %1",
    .key_named_many = ", named by versions %1 to %2",
    .key_replaced = ";\n      version %1 replaces it",
    .key_end = ".\n",
    .file_verify = "  %1\n      This text.\n\n",
    .proves =
        "What each kind of file proves:\n"
        "  - A .scope file is one version of the contract's scope. By itself it proves\n"
        "    nothing: anyone can write a text file.\n"
        "  - A .minisig file, checked with minisign and the .pub file of the key that made\n"
        "    it, proves that the holder of that secret key signed exactly the bytes of the\n"
        "    .scope file. Its trusted comment, signed with it, names the register, the\n"
        "    version, the signer's role (provider or client), the BLAKE2b-256 hash of the\n"
        "    document and the date the signer's clock gave.\n"
        "  - A .pub file is a party's public key. Compare it, the whole file and not only\n"
        "    the key id, with the key that party acknowledged (for instance in the signed\n"
        "    contract): a signature proves nothing about a party unless its key is one\n"
        "    the party acknowledged, or one that such a key approved (key changes, step 5).\n"
        "  - Together: a version signed with both parties' keys is what both agreed. Each\n"
        "    document's previous: line is the hash of the version before it, so the\n"
        "    versions form one chain that neither party can rewrite alone.\n\n\n",
    .sigs_title = "3. CHECK EACH SIGNATURE (minisign)\n\n"
                  "Run each command. Each must print \"Signature and comment signature "
                  "verified\"\nand the trusted comment shown below it, which names the "
                  "register\n(%1), the version of the file, the signer's role,\nand after "
                  "document: the hash that step 4 gives for that file.\n\n",
    .minisign = "  minisign -Vm %1 -p %2 -x %3\n      expected: Trusted comment: %4\n",
    .no_sig = "  (version %1 carries no signature)\n",
    .hashes_title = "\n\n4. CHECK EACH DOCUMENT'S HASH (b2sum)\n\n"
                    "Each command prints the BLAKE2b-256 hash of a document. It must be the one\n"
                    "shown, which is the document: hash in the trusted comments of that "
                    "version's\nsignatures (step 3).\n\n",
    .b2sum = "  b2sum -l 256 %1\n      expected: %2  %1\n",
    .chain_title = "\n\n5. FOLLOW THE CHAIN (previous:)\n\n"
                   "Each document's previous: line names the hash of the version before it.\n"
                   "Print it with the command and compare it with the hash step 4 printed for\n"
                   "the version before; version 1 starts the chain.\n\n",
    .grep = "  grep '^previous: ' %1\n",
    .expect_previous = "      expected: previous: %1\n      (b2sum -l 256 of %2)\n",
    .expect_none = "      expected: previous: none\n",
    .chain_end = "\nSo the signatures of version %1 cover, through these links, the exact "
                 "bytes of\nevery earlier version in this folder.\n\n",
    .keys_intro = "Keys: each document names in its header the keys that sign it "
                  "(provider-key:\nand client-key:); minisign prints the key id of each .pub "
                  "file it is given.\n",
    .rotation = "Version %1 replaces the %2's key: its changes list\n"
                "    key %3: %4 -> %5\n"
                "and it is signed with the old key as well as with the new one:\n"
                "    %6\n"
                "checked with\n"
                "    %7\n"
                "so the old key approved its replacement.\n",
    .commands_end = "\n\n",
    .sums_title = "6. CHECK THE WHOLE FOLDER\n\n"
                  "The BLAKE2b-256 hash of every file of this folder but this one, as\n"
                  "\"b2sum -l 256\" prints them:\n\n",
    .sums_end = "\nOne command checks them all; each line it prints must end with OK:\n\n"
                "  grep -E '^[0-9a-f]{64}  ' %1 | b2sum -l 256 -c\n\n"
                "This text cannot hold its own hash. scopereg printed it when it made the\n"
                "folder: ask whoever sent the folder for it, and compare it with what this\n"
                "command prints:\n\n"
                "  b2sum -l 256 %1\n\n\n"
                "7. WITH SCOPEREG (OPTIONAL)\n\n"
                "  scopereg verify --documents .\n\n"
                "checks all of the above at once: each document's grammar and hash, each\n"
                "signature against the .pub files, the chain of previous: links and the key\n"
                "changes. It needs no register.\n",
};

/* Scratch strings: numbers, dates, escaped text. */
typedef struct scratch {
    char num[4][24];
    char date[2][32];
    inv_buf esc;
} scratch;

static const char *num(scratch *s, int i, int64_t v)
{
    snprintf(s->num[i], sizeof s->num[i], "%lld", (long long)v);
    return s->num[i];
}

static const char *when(scratch *s, int i, int64_t t)
{
    inv_time_format(t, s->date[i], sizeof s->date[i]);
    return s->date[i];
}

static const char *esc(scratch *s, const char *text)
{
    s->esc.len = 0;
    inv_buf_add(&s->esc, "", 0);
    inv_escape(&s->esc, text ? text : "");
    return s->esc.data ? s->esc.data : "";
}

typedef struct ctx {
    const inv_evidence *E;
    const inv_ev_version *N;
    const out_verify_words *w;
    inv_buf *b;
    scratch s;
} ctx;

static const char *items_word(const ctx *c, int64_t n)
{
    return n == 1 ? c->w->item_one : c->w->item_many;
}

/* "agreed 2026-...", "signed by the provider only", "never signed"... */
static void state_words(ctx *c, const inv_ev_version *V)
{
    const out_verify_words *w = c->w;
    const inv_sig_state *s = &V->st;
    if (V->agreed_at) {
        out_say(c->b, w->vstate_agreed, when(&c->s, 0, V->agreed_at), NULL);
        return;
    }
    if (!s->party[0].have && !s->party[1].have) {
        out_say(c->b, w->vstate_never, NULL);
        return;
    }
    out_say(c->b, w->vstate_not_agreed, NULL);
    int first = 1;
    for (int i = 0; i < 2; i++) {
        if (!s->party[i].have)
            continue;
        if (!first)
            out_say(c->b, w->vstate_and, NULL);
        out_say(c->b, w->vstate_by, w->role[i],
            s->party[i].have < s->party[i].need ? w->vstate_one_key : "", NULL);
        first = 0;
    }
    out_say(c->b, w->vstate_only, NULL);
}

static const char *state_name(const out_verify_words *w, const inv_sig_state *s)
{
    if (inv_sig_agreed(s))
        return w->state_agreed;
    if (s->party[0].signed_)
        return w->state_signed_by[0];
    if (s->party[1].signed_)
        return w->state_signed_by[1];
    return w->state_proposed;
}

/* The item as version N lists it, each line indented. */
static void item_block(ctx *c)
{
    inv_buf ib = {0};
    if (inv_item_format(&ib, &c->E->item) == 0) {
        const char *p = ib.data, *end = ib.data + ib.len;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
            inv_buf_puts(c->b, "    ");
            inv_buf_add(c->b, p, n);
            inv_buf_puts(c->b, "\n");
            p += n + (nl != NULL);
        }
    }
    inv_buf_free(&ib);
    inv_buf_puts(c->b, "\n");
}

static void item_life(ctx *c)
{
    const inv_evidence *E = c->E;
    const out_verify_words *w = c->w;
    if (!E->nsteps) {
        out_say(c->b, w->in_no_version, num(&c->s, 0, c->N->n), NULL);
        return;
    }
    out_say(c->b, w->life, num(&c->s, 0, c->N->n), NULL);
    for (size_t i = 0; i < E->nsteps; i++) {
        const inv_ev_step *s = &E->steps[i];
        const inv_ev_version *V = &E->v[s->version - 1];
        inv_buf detail = {0};
        char sign[2] = {s->op, '\0'};
        if (s->op == '~' && s->detail[0])
            out_say(&detail, w->step_fields, s->detail, NULL);
        else if (s->op == '-')
            out_say(&detail, w->step_reason, s->detail, NULL);
        out_say(c->b, w->step, num(&c->s, 0, s->version),
            s->op == '+' ? w->op_added : s->op == '~' ? w->op_modified : w->op_removed,
            detail.data ? detail.data : "", sign, esc(&c->s, E->id), V->doc, NULL);
        inv_buf_free(&detail);
    }
    inv_buf_puts(c->b, "\n");
}

static void add_answer(ctx *c)
{
    const inv_evidence *E = c->E;
    const inv_ev_version *N = c->N;
    const out_verify_words *w = c->w;
    scratch *s = &c->s;
    out_say(c->b, w->answer_title, NULL);
    if (E->id) {
        out_say(c->b, w->asked_item, esc(s, E->id), E->when, E->at_given ? "" : w->made_item, NULL);
        out_say(c->b, w->answer_item, E->found ? w->yes : w->no, NULL);
    } else {
        out_say(c->b, w->asked_scope, E->when, E->at_given ? "" : w->made_scope, NULL);
        out_say(c->b, w->answer_scope, num(s, 0, N->n), num(s, 1, N->item_count),
            items_word(c, N->item_count), NULL);
    }
    out_say(c->b, w->in_force, E->when, num(s, 0, N->n), when(s, 0, N->date), NULL);
    for (int i = 0; i < 2; i++)
        out_say(c->b, w->signed_by[i], when(s, 0, N->st.party[i].at), NULL);
    out_say(c->b, w->agreed, when(s, 0, N->agreed_at), NULL);
    if (E->id && E->found) {
        out_say(c->b, w->lists_item, num(s, 0, N->n), N->doc, NULL);
        item_block(c);
    } else if (E->id) {
        out_say(c->b, w->not_listed, num(s, 0, N->n), N->doc, esc(s, E->id), NULL);
    }
    if (E->id)
        item_life(c);
    if (E->inf.latest > E->inf.version) {
        out_say(c->b, w->later, num(s, 0, E->inf.latest), when(s, 0, E->later_date), NULL);
        if (E->later_agreed)
            out_say(c->b, w->later_agreed, when(s, 0, E->later_agreed), NULL);
        else
            out_say(c->b, w->later_state, state_name(w, &E->later_st), NULL);
        out_say(c->b, w->later_end, NULL);
    }
    if (E->latest == N->n + 1)
        out_say(c->b, w->not_included_one, num(s, 0, E->latest), num(s, 1, E->latest), E->when,
            NULL);
    else if (E->latest > N->n)
        out_say(c->b, w->not_included_many, num(s, 0, E->latest), num(s, 1, N->n + 1),
            num(s, 2, E->latest), E->when, NULL);
    else
        out_say(c->b, w->latest, num(s, 0, N->n), NULL);
    out_say(c->b, w->cannot_show, E->when, NULL);
}

static void add_files(ctx *c)
{
    const inv_evidence *E = c->E;
    const out_verify_words *w = c->w;
    scratch *s = &c->s;
    out_say(c->b, w->files_title, NULL);
    for (int64_t k = 0; k < E->nv; k++) {
        const inv_ev_version *V = &E->v[k];
        out_say(c->b, w->file_doc, V->doc, num(s, 0, V->n), when(s, 1, V->date),
            num(s, 1, V->item_count), items_word(c, V->item_count), NULL);
        state_words(c, V);
        if (k + 1 < E->nv && !V->agreed_at)
            out_say(c->b, w->doc_never_in_force, NULL);
        else if (k + 1 < E->nv)
            out_say(c->b, w->doc_earlier, NULL);
        else
            out_say(c->b, w->doc_in_force, E->when, NULL);
        for (size_t j = 0; j < V->nsigs; j++) {
            const inv_ev_sig *g = &V->sigs[j];
            out_say(c->b, w->file_sig, g->file, w->role[g->role], num(s, 0, V->n),
                g->old ? w->previous : "", g->key_id, when(s, 0, g->signed_at), NULL);
        }
    }
    for (size_t i = 0; i < E->nkeys; i++) {
        const inv_ev_key *k = &E->keys[i];
        out_say(c->b, w->file_key, k->file, w->role[k->role], k->id, NULL);
        if (k->from == k->to)
            out_say(c->b, w->key_named_one, num(s, 0, k->from), NULL);
        else if (k->from)
            out_say(c->b, w->key_named_many, num(s, 0, k->from), num(s, 1, k->to), NULL);
        if (k->replaced)
            out_say(c->b, w->key_replaced, num(s, 0, k->replaced), NULL);
        out_say(c->b, w->key_end, NULL);
    }
    out_say(c->b, w->file_verify, OUT_VERIFY_NAME, NULL);
    out_say(c->b, w->proves, NULL);
}

static void add_commands(ctx *c)
{
    const inv_evidence *E = c->E;
    const out_verify_words *w = c->w;
    scratch *s = &c->s;
    out_say(c->b, w->sigs_title, E->register_id, NULL);
    for (int64_t k = 0; k < E->nv; k++) {
        const inv_ev_version *V = &E->v[k];
        for (size_t j = 0; j < V->nsigs; j++) {
            const inv_ev_sig *g = &V->sigs[j];
            const inv_ev_key *key = inv_evidence_key(E, g->role, g->key_id);
            out_say(c->b, w->minisign, V->doc, key ? key->file : "?", g->file, g->trusted, NULL);
        }
        if (!V->nsigs)
            out_say(c->b, w->no_sig, num(s, 0, V->n), NULL);
    }
    out_say(c->b, w->hashes_title, NULL);
    for (int64_t k = 0; k < E->nv; k++) {
        const inv_ev_version *V = &E->v[k];
        out_say(c->b, w->b2sum, V->doc, V->hash + sizeof CR_HASH_PREFIX - 1, NULL);
    }
    out_say(c->b, w->chain_title, NULL);
    for (int64_t k = E->nv - 1; k >= 0; k--) {
        const inv_ev_version *V = &E->v[k];
        out_say(c->b, w->grep, V->doc, NULL);
        if (k > 0)
            out_say(c->b, w->expect_previous, V->previous, E->v[k - 1].doc, NULL);
        else
            out_say(c->b, w->expect_none, NULL);
    }
    out_say(c->b, w->chain_end, num(s, 0, c->N->n), NULL);
    out_say(c->b, w->keys_intro, NULL);
    int any = 0;
    for (int64_t k = 0; k < E->nv; k++) {
        const inv_ev_version *V = &E->v[k];
        for (int i = 0; i < 2; i++) {
            if (!V->old_key[i][0])
                continue;
            const inv_ev_key *ok = inv_evidence_key(E, i, V->old_key[i]);
            char oldsig[256];
            inv_bundle_name(oldsig, sizeof oldsig, INV_FILE_OLD_SIG, E->stem, V->n, i, NULL);
            if (!any)
                inv_buf_puts(c->b, "\n");
            out_say(c->b, w->rotation, num(s, 0, V->n), w->role[i], inv_roles[i], V->old_key[i],
                V->key[i], oldsig, ok ? ok->file : "?", NULL);
            any = 1;
        }
    }
    out_say(c->b, w->commands_end, NULL);
}

static void add_sums(ctx *c, const out_file_sum *files, size_t nfiles)
{
    out_say(c->b, c->w->sums_title, NULL);
    for (size_t i = 0; i < nfiles; i++)
        out_say(c->b, "%1  %2\n", files[i].hash + sizeof CR_HASH_PREFIX - 1, files[i].name, NULL);
    out_say(c->b, c->w->sums_end, OUT_VERIFY_NAME, NULL);
}

char *out_verify_txt(const inv_evidence *E, const out_file_sum *files, size_t nfiles,
                     const char *tool_version, const out_verify_words *w)
{
    inv_buf b = {0};
    ctx c;
    memset(&c, 0, sizeof c);
    c.E = E;
    c.N = &E->v[E->nv - 1];
    c.w = w ? w : &out_verify_en;
    c.b = &b;
    scratch *s = &c.s;
    w = c.w;
    out_say(&b, w->title, NULL);
    out_say(&b, w->contract, esc(s, E->contract), NULL);
    out_say(&b, w->register_, E->register_id, NULL);
    for (int i = 0; i < 2; i++)
        out_say(&b, w->party[i], esc(s, E->party[i]), c.N->key[i], num(s, 0, c.N->n), NULL);
    out_say(&b, w->made, when(s, 0, E->made), tool_version, NULL);
    out_say(&b, w->intro, NULL);
    add_answer(&c);
    add_files(&c);
    add_commands(&c);
    add_sums(&c, files, nfiles);
    int failed = !s->esc.data;
    inv_buf_free(&s->esc);
    if (failed) {
        inv_buf_free(&b);
        return NULL;
    }
    return b.data; /* NULL when out of memory */
}
