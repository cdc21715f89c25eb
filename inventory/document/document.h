/*
 * document.h - layer 2 of inventory/: scope documents. Rendering a version
 * of the register (the bytes that are hashed and signed), its items and
 * the diff of two versions; reading documents back without a register,
 * checking consecutive documents and a folder of them. Uses store.h and
 * values.h only.
 */
#ifndef SCOPEREG_DOCUMENT_H
#define SCOPEREG_DOCUMENT_H

#include "store.h"
#include "bundle.h"

/* ---- Scope documents of a register (document/render.c) ---- */

/* A scope document is a stream of blocks; their bytes, end to end, are
 * the document, byte for byte (docs/FORMAT.md). */
typedef enum inv_block_kind {
    INV_BLOCK_HEADER = 1, /* from the format tag to the "changes: N" line */
    INV_BLOCK_CHANGE,     /* one change entry: a "key ROLE: OLD -> NEW" line, "+ ID",
                           * "- ID" and its reason, or "~ ID" and its field lines */
    INV_BLOCK_ITEM,       /* the blank line, then "item: ID" and its field lines */
    INV_BLOCK_TRAILER,    /* the blank line and "end of scope document" */
    INV_BLOCK_TERM        /* scope-register/2: the blank line, then "service: ID",
                           * "exclusion: TEXT", "class: ID" or "default: KIND" and
                           * its field lines (a term change is an INV_BLOCK_CHANGE
                           * whose id is NULL) */
} inv_block_kind;
typedef struct inv_block {
    inv_block_kind kind;
    const char *data; /* the block's bytes, valid during the call only */
    size_t len;
    size_t lead;      /* how many of them, first, are the separator (blank line) */
    const char *id;   /* the item's or the change's id; NULL for the header,
                       * the trailer and key lines */
    int64_t rev;      /* an item block: its row's revision (item.rev); 0 otherwise */
} inv_block;
/* Called once per block, in document order. Returning non-zero means no
 * further block, and the rendering fails as when a sink fails (INV_EIO). */
typedef int (*inv_block_fn)(void *ctx, const inv_block *b);

/* Renders the scope document of version n as blocks to fn, in one pass,
 * without holding the document (what a leaf hasher or a proof extractor
 * consumes). Fails as inv_render does. */
int inv_render_blocks(inv_register *r, int64_t n, inv_block_fn fn, void *ctx, inv_err *e);

/* Renders the scope document of version n into sink: exactly the bytes
 * that are hashed and signed (see docs/FORMAT.md). */
int inv_render(inv_register *r, int64_t n, inv_sink_fn sink, void *ctx, inv_err *e);

/* Renders version n into a malloc'd buffer the caller frees. */
int inv_render_mem(inv_register *r, int64_t n, char **out, size_t *len, inv_err *e);

/* Walks the differences from version a to version b (a may be 0: empty). */
int inv_diff(inv_register *r, int64_t a, int64_t b, inv_change_fn fn, void *ctx,
             inv_err *e);

/* Items of version n in id order. */
int inv_items(inv_register *r, int64_t n, inv_item_fn fn, void *ctx, inv_err *e);

/* ---- Scope documents outside any register (document/documents.c, docchain.c) ----
 *
 * What the client's machine and an auditor have: exported documents,
 * .minisig files and .pub files, without the register. */

/* The header and the counts of a scope document, read back from its bytes. */
typedef struct inv_doc {
    char register_id[33];
    char *contract, *author, *message; /* unescaped */
    char *party[2];                    /* names, by role index; unescaped */
    char key[2][CR_KEYID_HEX];         /* key ids in force, from the header */
    char old_key[2][CR_KEYID_HEX];     /* "" unless the version replaces that key */
    int64_t version, date;
    char previous[CR_HASH_STR_LEN];    /* "" for "previous: none" */
    int64_t items;                     /* the items: field (= item blocks) */
    int64_t changes;                   /* the changes: field (= entries) */
    int64_t added, removed, modified, rekeyed; /* change entries by type */
    int format;                        /* 1 or 2: scope-register/1 or /2 */
    int64_t terms[4];                  /* /2: the services:, exclusions:, classes:,
                                        * defaults: counts (= their blocks) */
    int64_t term_changes;              /* /2: service, exclusion, class, default entries */
    char doc_hash[CR_HASH_STR_LEN];    /* BLAKE2b-256 of every byte */
    unsigned char prehash[CR_PREHASH_BYTES]; /* BLAKE2b-512, what "ED" signs */
    uint64_t size;                     /* bytes */
} inv_doc;

/* Called with each line of the changes section after "changes: N" (as
 * written, escaped, without its LF). Non-zero stops the reading. */
typedef int (*inv_doc_line_fn)(void *ctx, const char *line, size_t len);

/* Reads a scope document from f (streamed: one line in memory at a time),
 * checks it against the grammar of docs/FORMAT.md (header fields, counts,
 * the final line) and computes its digests. name prefixes the messages
 * (INV_EINPUT "NAME: line N: ..."; INV_EIO on a read error). on_change
 * may be NULL. On failure d is freed. */
int inv_doc_read(FILE *f, const char *name, inv_doc *d, inv_doc_line_fn on_change,
                 void *ctx, inv_err *e);

/* The same on bytes in memory. */
int inv_doc_parse(const char *data, size_t len, const char *name, inv_doc *d,
                  inv_doc_line_fn on_change, void *ctx, inv_err *e);
void inv_doc_free(inv_doc *d);

/* Which of the document's keys keyid is: sets *role (role index) and
 * *old (1 for the key a rotation at this version replaces). INV_FAIL
 * (no message) when neither party's key. */
int inv_doc_key_role(const inv_doc *d, const char keyid[CR_KEYID_HEX], int *role, int *old);

/* Checks a signature of the document d by role's key (old: the key that
 * the version replaces) given as pk: pk's key id is the one the document
 * names, the signature and the trusted comment verify, and the trusted
 * comment names d's register, version, that role and d's hash, and its
 * signed: date is neither before d's date nor after now + INV_CLOCK_SKEW
 * (now: the checker's clock). INV_FAIL with a message saying which check
 * failed; tc (may be NULL) gets the trusted comment's fields. */
int inv_doc_sig_check(const inv_doc *d, int role, int old, const cr_pubkey *pk,
                      const cr_sig *sig, int64_t now, inv_tc *tc, inv_err *e);

/* Checks that the document cur (read from cur_path) is the document prev
 * (read from prev_path) with cur's changes applied: cur.version is
 * prev.version + 1, same register, contract and party names, cur's
 * previous: is prev's hash, cur's date is not earlier, keys change only
 * through a key-change line whose old key is prev's key, and, item by
 * item, items(cur) = items(prev) + changes(cur): an added id was absent, a
 * removed id was present and is gone, a modified id's old values are
 * prev's and its new block is prev's block with those field changes, and
 * every other item block is byte-identical. Streamed (flat memory: the
 * files are read, not held). Both documents must have passed inv_doc_read
 * (prev and cur are what it filled in); both files are read again, as
 * regular files only (a FIFO or device is never read and never blocks),
 * and must still hash to prev.doc_hash and cur.doc_hash, so the verdict
 * is about the bytes inv_doc_read checked. INV_OK; INV_FAIL naming the
 * version and item (or header field) that do not follow; INV_EINPUT when
 * a file cannot be opened, is not a regular file, or is not the document
 * read before (changed since); INV_EIO on a read error. Frees nothing. */
int inv_doc_follows(const char *prev_path, const inv_doc *prev, const char *cur_path,
                    const inv_doc *cur, inv_err *e);

/* Checks that the document d (read from path by inv_doc_read) agrees with
 * itself, whatever other document exists: every "+ ID" is listed in its
 * items, every "- ID" is not, every "~ ID" is listed and each of its field
 * lines' new value (or "(none)": absent) is what the item holds; for
 * version 1, the changes are exactly one "+ ID" per listed item. Streamed
 * (two readers over the one file, flat memory); the file is read as a
 * regular file only and must still hash to d->doc_hash. INV_OK; INV_FAIL
 * naming the version and the item; INV_EINPUT when the file cannot be
 * opened, is not a regular file or is not the document read before;
 * INV_EIO on a read error. Frees nothing. */
int inv_doc_self_check(const char *path, const inv_doc *d, inv_err *e);

/* The file-name stem for a contract reference: bytes in [A-Za-z0-9._-]
 * kept, any other character (a UTF-8 sequence counts as one) becomes '_',
 * no leading '.' or '-', never "..", at most 64 bytes; "scope" when
 * nothing is left. out holds at least 65 bytes. */
void inv_doc_stem(const char *contract, char *out, size_t outlen);

/* The public keys (*.pub) of a directory, for standalone checks. */
typedef struct inv_keyring inv_keyring;

/* Reads every *.pub of dir; unreadable ones are remembered for messages.
 * INV_EINPUT when dir cannot be listed. */
int inv_keyring_load(const char *dir, inv_keyring **out, inv_err *e);
void inv_keyring_free(inv_keyring *k);

/* The key with that id: INV_OK with *pk and *path (owned by the ring);
 * INV_FAIL with a message when none, or when two files hold different
 * keys under that id. */
int inv_keyring_find(const inv_keyring *k, const char keyid[CR_KEYID_HEX], cr_pubkey *pk,
                     const char **path, inv_err *e);

/* inv_keyring_find, preferring among the files that hold the key the
 * first for which prefer(path, ctx) is non-zero (the first file when
 * none is): the outcome does not depend on how the names sort. Fails as
 * inv_keyring_find. */
int inv_keyring_find_pref(const inv_keyring *k, const char keyid[CR_KEYID_HEX],
                          int (*prefer)(const char *path, void *ctx), void *ctx,
                          cr_pubkey *pk, const char **path, inv_err *e);

/* Whether two files of the ring hold different keys under keyid (a key id
 * is 8 free bytes of a key file, not a fingerprint): INV_FAIL with a
 * message naming both files; INV_OK otherwise (one key, or none). */
int inv_keyring_conflict(const inv_keyring *k, const char keyid[CR_KEYID_HEX], inv_err *e);

/* The outcome for one document of inv_docs_verify. */
typedef struct inv_doc_check {
    const char *file;          /* path of the .scope file */
    const inv_doc *doc;        /* NULL when it could not be read */
    int ok;                    /* nothing is broken */
    const char *reason;        /* when !ok */
    const inv_sig_state *sigs; /* signatures that verify */
    const char *notes;         /* "" or remarks that break nothing ("; "-separated) */
    const char *unverified;    /* when ok: why a key it names cannot be traced to the
                                * keys of an earlier document present (a key change
                                * across absent versions): not agreed, whatever its
                                * signatures; NULL otherwise */
    const struct inv_cp_beside *cp; /* its checkpoint files (checkpoint.h), checked; NULL
                                     * when none lies beside it */
} inv_doc_check;
typedef int (*inv_doc_check_fn)(void *ctx, const inv_doc_check *c);

/* Checks every *.scope of dir: its grammar, each <stem>.provider.minisig,
 * <stem>.client.minisig (and <stem>.ROLE.old.minisig at a rotation)
 * beside it against the .pub of dir whose key id the document names, and
 * the chain: documents of the same register agree on contract and
 * parties, each version present once, version N+1 follows version N
 * (inv_doc_follows) when both are present, and keys change only through a
 * rotation line; a key that differs from the nearest earlier version
 * present across absent versions makes the document (and the later ones
 * resting on that key) unverified. Each document is also checked against
 * itself (inv_doc_self_check), whatever other document is present. Two
 * registers claiming the same contract, or whose documents name the same
 * pair of party key ids (whatever their contracts are called), are a
 * fork: every document of both is broken. A key id that two keys carry in
 * the folder (two .pub files, or a signature file with that id whose
 * global signature the folder's .pub does not verify) breaks every
 * document naming it, signed by it or not. Only regular
 * files are read (a FIFO or device named *.scope, *.minisig or *.pub is
 * never opened; a *.scope or *.minisig that is not a regular file breaks
 * its document). fn is called once per document, by register then
 * version. INV_OK when nothing is broken or unverified, INV_FAIL when
 * something is (e names the first), INV_EINPUT when dir holds no document
 * or cannot be read, INV_EIO on a read error or out of memory. */
int inv_docs_verify(const char *dir, int64_t now, inv_doc_check_fn fn, void *ctx, inv_err *e);

#endif
