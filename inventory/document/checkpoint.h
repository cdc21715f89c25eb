/*
 * checkpoint.h - the checkpoint of a version (format scope-checkpoint/1,
 * docs/FORMAT.md): a small statement of a version's register, contract,
 * number, date, document hash, previous document hash, item count and the
 * RFC 9162 Merkle root (BLAKE2b-256) over its item blocks, which both parties
 * sign beside the document. Derived from the register (one rendering) or
 * from a document file (one streamed read), formatted and parsed strictly.
 * Layer 2 (document).
 */
#ifndef SCOPEREG_CHECKPOINT_H
#define SCOPEREG_CHECKPOINT_H

#include "document.h"
#include "merkle.h"

/* The format tag on the first line of a checkpoint file. */
#define INV_CHECKPOINT_TAG "scope-checkpoint/1"
/* The tree: RFC 9162 section 2.1 with BLAKE2b-256 in place of SHA-256. */
#define INV_CHECKPOINT_TREE "rfc9162-blake2b-256"
/* Largest checkpoint file inv_checkpoint_load reads. */
#define INV_CHECKPOINT_MAX (4 * INV_VALUE_MAX + 4096)

/* The fields of a checkpoint. contract is malloc'd (unescaped) and freed
 * with inv_checkpoint_free; a zeroed struct is a valid empty one. */
typedef struct inv_checkpoint {
    char register_id[33];
    char *contract;
    int64_t version;
    int64_t date;                   /* the version's date (its document's date:) */
    char key[2][CR_KEYID_HEX];      /* provider-key:, client-key: the key ids the
                                     * version's document names (by role) */
    char doc_hash[CR_HASH_STR_LEN]; /* "blake2b-256:<hex>" of version's document */
    char previous[CR_HASH_STR_LEN]; /* the document's previous:, "" for none */
    int64_t items;                  /* number of leaves (item blocks) */
    unsigned char root[CR_MERKLE_HASH_BYTES];
} inv_checkpoint;

/* Frees contract and zeroes cp. NULL is allowed. */
void inv_checkpoint_free(inv_checkpoint *cp);

/* The root as 64 lower-case hex digits into out (65 bytes). Cannot fail. */
void inv_checkpoint_root_hex(const inv_checkpoint *cp, char out[2 * CR_MERKLE_HASH_BYTES + 1]);

/* Appends the checkpoint file's bytes (docs/FORMAT.md) to b. -1 when out
 * of memory (b then holds what was appended so far), 0 otherwise. */
int inv_checkpoint_format(const inv_checkpoint *cp, inv_buf *b);

/* Parses the bytes of a checkpoint file strictly: every line of the
 * grammar in its order, each value well formed, nothing before, between
 * or after, and the fields formatted back give the same bytes. name
 * prefixes the messages ("NAME: line N: expected 'root: <64 lower-case
 * hex digits>'"). INV_EINPUT on any refusal (out is then freed), INV_EIO
 * when out of memory. On success the caller frees out with
 * inv_checkpoint_free. */
int inv_checkpoint_parse(const char *data, size_t len, const char *name, inv_checkpoint *out,
                         inv_err *e);

/* Reads a checkpoint file (a regular file only, at most
 * INV_CHECKPOINT_MAX bytes) and parses it (inv_checkpoint_parse).
 * text and len (either may be NULL) get the file's bytes, malloc'd and
 * NUL-terminated, which the caller frees. INV_EINPUT when the file is
 * missing, not a regular file, too large or malformed; INV_EIO on a read
 * error. Messages name path. Nothing to free on failure. */
int inv_checkpoint_load(const char *path, inv_checkpoint *out, char **text, size_t *len,
                        inv_err *e);

/* The name of the first field in which a and b differ ("register",
 * "contract", "version", "date", "document", "previous", "items",
 * "root"), or NULL when they are equal. Cannot fail. */
const char *inv_checkpoint_diff(const inv_checkpoint *a, const inv_checkpoint *b);

/* One leaf of a version's tree, as it streams by. */
typedef struct inv_leaf {
    uint64_t index;      /* 0-based, in document (id) order */
    const char *id;      /* the item's id, unescaped (valid during the call) */
    const char *data;    /* the leaf bytes: "item: ID\n" to the LF of its last
                          * field line, no blank line (valid during the call) */
    size_t len;
    unsigned char hash[CR_MERKLE_HASH_BYTES]; /* BLAKE2b-256(0x00 || data) */
    int64_t rev;         /* from a register: the item row's revision (item.rev);
                          * 0 from a document file */
} inv_leaf;
/* Called once per leaf in order; non-zero stops the derivation, which
 * then fails with INV_EIO as when a sink fails (set your own message in
 * your context). From inv_checkpoint_render it may be called on a second
 * thread (inventory/document/pipeline.h): it must not use the register,
 * and it is never called after inv_checkpoint_render returns. */
typedef int (*inv_leaf_fn)(void *ctx, const inv_leaf *l);

/* The checkpoint of version n of r, from one rendering of its document
 * (the same pass gives the document hash, its minisign prehash, and each
 * leaf to fn). fn and prehash may be NULL. The version's stored rows are
 * not checked here (inv_checkpoint_get in work.h runs inv_version_check
 * first); but when the rendering does not hash to the hash recorded at
 * commit the version has no checkpoint: INV_FAIL "version N: its document
 * no longer matches ...; run 'scopereg verify'". INV_EINPUT when there is
 * no version n; INV_EIO on a database error, out of memory or when fn
 * stops. On success the caller frees out with inv_checkpoint_free;
 * nothing to free on failure. */
int inv_checkpoint_render(inv_register *r, int64_t n, inv_leaf_fn fn, void *ctx,
                          inv_checkpoint *out, unsigned char prehash[CR_PREHASH_BYTES],
                          inv_err *e);

/* The checkpoint of the document d, read from path by inv_doc_read: the
 * file is read once more, streamed (one item block in memory at a time),
 * each item block hashed as a leaf (handed to fn, may be NULL), and its
 * bytes must still hash to d->doc_hash. Gives the same bytes as
 * inv_checkpoint_render of the version the document is. INV_EINPUT when
 * the file cannot be opened, is not a regular file or is not the
 * document read before (changed, or its item blocks do not number
 * d->items); INV_EIO on a read error, out of memory or when fn stops.
 * On success the caller frees out with inv_checkpoint_free. */
int inv_checkpoint_of_doc(const char *path, const inv_doc *d, inv_leaf_fn fn, void *ctx,
                          inv_checkpoint *out, inv_err *e);

/* Checks sig, a signature of the checkpoint cp whose file bytes are
 * cp_text (cp_len bytes; what inv_checkpoint_format writes of cp), by
 * role's key pk: sig and pk must be by key_id, or with key_id NULL by the
 * key cp names for role (cp->key[role]); key_id is given for the old-key
 * signature at a rotation (the key the version replaces, which the
 * previous checkpoint names). It verifies (minisign, over cp_text), its
 * trusted comment parses (inv_cptc_parse) and names cp's register,
 * version and root and that role, its document-signed: date is not
 * before cp->date nor after its signed: date, and its signed: date is
 * not after now + INV_CLOCK_SKEW. INV_FAIL with a message naming the
 * version, the role, the key and the check; tc (may be NULL) gets the
 * trusted comment's fields. Nothing allocated. Whether document-signed
 * is the date of the document signature is the caller's to check. */
int inv_checkpoint_sig_check(const inv_checkpoint *cp, const char *cp_text, size_t cp_len,
                             int role, const char *key_id, const cr_pubkey *pk,
                             const cr_sig *sig, int64_t now, inv_cptc *tc, inv_err *e);

/* A document's checkpoint files beside it, checked (cosign, verify
 * --documents). */
typedef struct inv_cp_beside {
    inv_checkpoint cp;     /* the checkpoint derived from the document */
    int present;           /* <stem>.checkpoint lies beside it (a regular file) */
    int sig_present[2];    /* <stem>.checkpoint.ROLE.minisig, by role */
    int sig_ok[2];         /* ... holds (by the key the document names for role) */
    int sig_nokey[2];      /* ... not checked: no .pub of the folder holds that key */
    int64_t signed_at[2];  /* when sig_ok */
    int64_t doc_signed_at[2]; /* when sig_ok: its document-signed: date (that of the
                           * document signature beside it by the same key) */
    int old_sig_present[2]; /* <stem>.checkpoint.ROLE.old.minisig (at a rotation) */
    int old_sig_ok[2];     /* ... holds, by the key the document replaces */
    int ok;                /* nothing present is wrong */
    inv_err err;           /* when !ok: the first file that does not hold, and why */
} inv_cp_beside;

/* Checks the checkpoint files beside the document d (read from path by
 * inv_doc_read; stem: path without ".scope"): derives its checkpoint
 * (inv_checkpoint_of_doc, unless cp gives it: copied), then a
 * <stem>.checkpoint present must be exactly its bytes (else !ok naming
 * the file and the first field that differs, or the line that does not
 * parse), and each <stem>.checkpoint.ROLE.minisig present must hold over
 * those bytes by the key d names for role, found in ring (may be NULL)
 * (inv_checkpoint_sig_check; else !ok naming the file), and so must
 * <stem>.checkpoint.ROLE.old.minisig by the key d replaces (only at a
 * rotation); each one's document-signed: date must be the signed: date
 * of the document signature beside it by the same key (else !ok naming
 * the version and the role). Only regular
 * files are read. INV_OK with out filled whatever it found; INV_EINPUT or
 * INV_EIO when the checkpoint cannot be derived (inv_checkpoint_of_doc).
 * Free out with inv_cp_beside_free (also after a failure). */
int inv_cp_beside_check(const char *path, const char *stem, const inv_doc *d,
                        const inv_checkpoint *cp, const inv_keyring *ring, int64_t now,
                        inv_cp_beside *out, inv_err *e);
void inv_cp_beside_free(inv_cp_beside *b);

/* The file names beside a document: "<stem>.checkpoint" (stem: the
 * document's path without ".scope"), and "<stem>.checkpoint.ROLE.minisig".
 * malloc'd, the caller frees; NULL when out of memory. */
char *inv_checkpoint_path(const char *stem);
char *inv_checkpoint_sig_path(const char *stem, const char *role);

#endif
