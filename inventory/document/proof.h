/*
 * proof.h - the proof folder of one item (docs/FORMAT.md, "Proof folder"):
 * proof.txt (format scope-proof/1), the leaf files, the checkpoints of
 * versions 1 to L with their signatures and the parties' keys; formatted,
 * parsed strictly, and checked with no register. Layer 2 (document).
 */
#ifndef SCOPEREG_PROOF_H
#define SCOPEREG_PROOF_H

#include "document.h"
#include "checkpoint.h"

/* The format tag on the first line of proof.txt. */
#define INV_PROOF_TAG "scope-proof/1"
#define INV_PROOF_FILE "proof.txt"
/* Largest leaf file read back (an item block). */
#define INV_PROOF_LEAF_MAX (16u << 20)
/* Room for a file name of the folder (stem + suffixes). */
#define INV_PF_NAME 192

/* The leaves a proof shows: the item asked about (in scope), or its
 * neighbours in id order (not in scope): the last item before the id and
 * the first after it, either absent at an edge, both in an empty tree. */
typedef enum inv_pf_kind { INV_PF_ITEM = 0, INV_PF_BEFORE = 1, INV_PF_AFTER = 2 } inv_pf_kind;
/* Their file names ("item.txt", "before.txt", "after.txt"), by kind. */
extern const char *const inv_pf_leaf_files[3];

typedef struct inv_pf_leaf {
    int kind;                                 /* inv_pf_kind */
    char *data;                               /* the leaf bytes (malloc'd) */
    size_t len;
    char *id;                                 /* its id, unescaped (malloc'd) */
    unsigned char hash[CR_MERKLE_HASH_BYTES]; /* BLAKE2b-256(0x00 || data) */
    cr_merkle_path path;                      /* index, tree size, audit path */
    int line;                                 /* proof.txt: line of its "leaf:" (parsed) */
} inv_pf_leaf;

/* A signature of a checkpoint. */
typedef struct inv_pf_sig {
    int present;                 /* the folder holds it (and it holds) */
    char file[INV_PF_NAME + 32]; /* <checkpoint>.ROLE.minisig */
    char key_id[CR_KEYID_HEX];
    int64_t signed_at;           /* when the checkpoint was signed (signed:) */
    int64_t doc_signed_at;       /* when, as the party states in this signature, the same
                                  * key signed the version's document (document-signed:) */
    char *trusted;               /* its trusted comment (malloc'd) */
    char *data;                  /* the file's bytes (malloc'd) */
    size_t len;
} inv_pf_sig;

typedef struct inv_pf_checkpoint {
    char file[INV_PF_NAME];      /* <stem>-vN.checkpoint */
    inv_checkpoint cp;
    char *data;                  /* the file's bytes (malloc'd) */
    size_t len;
    inv_pf_sig sig[2];           /* by role */
    int64_t agreed_at;           /* when both parties agreed the version: the latest
                                  * document-signed: date of its checkpoint signatures
                                  * when both (and at a rotation the old key's) hold,
                                  * else 0 */
    inv_pf_sig old[2];           /* by role, at a rotation of that role's key at this
                                  * version: <checkpoint>.ROLE.old.minisig, by the key
                                  * the previous checkpoint names (it vouches for the new
                                  * key) */
} inv_pf_checkpoint;

typedef struct inv_pf_key {
    int role;
    char id[CR_KEYID_HEX];
    cr_pubkey pk;
    char file[INV_PF_NAME];      /* <stem>.ROLE.pub, or <stem>.ROLE.KEYID.pub for an
                                  * earlier key */
    int64_t from, to;            /* versions whose checkpoint it signs (0: none) */
} inv_pf_key;

/* A proof folder, as prove plans it or verify --proof reads it back. */
typedef struct inv_proof_folder {
    /* proof.txt */
    char register_id[33];
    char *contract;              /* unescaped */
    char *id;                    /* the item asked about, unescaped */
    int64_t at;                  /* the date asked about */
    int answer;                  /* 1: in scope */
    int64_t version;             /* K, in force at `at` */
    int64_t agreed;              /* K's agreement date (its checkpoint's) */
    char checkpoint[INV_PF_NAME];/* K's checkpoint file */
    uint64_t size;               /* K's tree size */
    unsigned char root[CR_MERKLE_HASH_BYTES];
    int nleaves;
    inv_pf_leaf leaf[2];         /* item; or before, after (those present, in order) */
    /* the rest of the folder */
    char stem[80];
    inv_pf_checkpoint *cps;      /* versions 1 .. ncps (cps[0] is version 1) */
    int64_t ncps;
    inv_pf_key *keys;
    size_t nkeys;
    int64_t made;                /* when prove made it (proof.txt made:) */
    int64_t latest;              /* prove: the register's latest version then */
} inv_proof_folder;

/* Frees everything f holds (not f) and zeroes it. NULL is allowed. */
void inv_proof_folder_free(inv_proof_folder *f);

/* The bytes of proof.txt for f (docs/FORMAT.md) appended to b. -1 when out
 * of memory, 0 otherwise. */
int inv_proof_format(const inv_proof_folder *f, inv_buf *b);

/* Parses proof.txt strictly into f (its proof.txt fields and the leaves'
 * kind, index, hash and path; not their bytes): every line in the order
 * of the grammar, each value well formed, and the fields formatted back
 * give the same bytes. name prefixes the messages ("proof.txt: line 7:
 * expected ..."). INV_EINPUT on any refusal, INV_EIO when out of memory;
 * f is freed on failure and is the caller's to free on success. */
int inv_proof_parse(const char *data, size_t len, const char *name, inv_proof_folder *f,
                    inv_err *e);

/* After inv_proof_verify: the first version N after the version in force
 * whose checkpoint the folder holds signed by both parties and dated
 * after f->at, or 0 (none, or a checkpoint between them dated by f->at
 * lacks a signature in the folder). When there is one, no version after the folder's can
 * have been agreed by f->at (a version is dated no earlier than the one
 * before it, and both parties signed version N's place in the chain);
 * when 0, a version agreed after the folder's last (f->ncps) but by f->at
 * would change the answer, and the folder cannot exclude one. Cannot
 * fail. */
int64_t inv_proof_bound(const inv_proof_folder *f);

/* The dates of proof.txt against the checker's clock now: INV_FAIL
 * naming the line when made: (or at:) is later than now + INV_CLOCK_SKEW
 * (a folder made, or a question asked, for a date to come); INV_OK
 * otherwise. (That at: is no later than made: + INV_CLOCK_SKEW is
 * inv_proof_parse's.) Cannot fail otherwise. */
int inv_proof_clock_check(const inv_proof_folder *f, int64_t now, inv_err *e);

/* Checks that data (len bytes, read from name) is one item block as a
 * scope document writes it: "item: ID" then lines indented by two spaces,
 * each ending with LF, no empty line, no control character but LF; *id
 * gets the id unescaped (malloc'd, the caller frees). INV_EINPUT naming
 * name and the line; INV_EIO when out of memory. */
int inv_proof_leaf_parse(const char *data, size_t len, const char *name, char **id,
                         inv_err *e);

/* One step of checking an audit path as RFC 9162 section 2.1.3.2 does
 * (and VERIFY.txt spells out): the node so far, at position pos of a
 * level whose last position is last, and its sibling, the path's hash i:
 * on the left when pos is odd. Before the step, a node that is the last
 * of its level at an even position (no sibling there) moved up climbs
 * levels unchanged. */
typedef struct inv_pf_step {
    int i;                                    /* 0-based index into the path */
    uint64_t pos, last;                       /* before the step */
    int path_left;                            /* the path's hash goes on the left */
    const unsigned char *left, *right;        /* the two inputs, in order */
    unsigned char out[CR_MERKLE_HASH_BYTES];  /* BLAKE2b-256(0x01 || left || right) */
    int climbs;                               /* levels climbed before it, unchanged */
} inv_pf_step;
typedef void (*inv_pf_step_fn)(void *ctx, const inv_pf_step *s);

/* Walks path from the leaf hash up, calling fn (may be NULL) per step,
 * and leaves the result in out. 0 when the path fits its index and size
 * (each hash used, the last position 0 at the end), -1 otherwise (out is
 * then meaningless). Cannot fail otherwise. */
int inv_proof_walk(const unsigned char leaf[CR_MERKLE_HASH_BYTES], const cr_merkle_path *path,
                   inv_pf_step_fn fn, void *ctx, unsigned char out[CR_MERKLE_HASH_BYTES]);

/* Checks the proof folder dir with no register, as docs/FORMAT.md says:
 * proof.txt, the leaf files against it, each audit path against the root
 * of the checkpoint of the version in force, the checkpoints 1 .. L
 * (grammar, one register, chain of document/previous hashes, dates in
 * order), their signatures against the folder's public keys (a key's
 * role is its file name's), which version was in force at the date asked
 * (the latest whose two checkpoint signatures are both dated by then),
 * and the answer (the id in the item leaf, or between the neighbours at
 * adjacent indices, at an edge, or an empty tree). now: the checker's
 * clock (signatures dated after now + INV_CLOCK_SKEW do not hold).
 * INV_OK when the proof holds (f->answer says yes or no); INV_FAIL naming
 * the file (and line) that does not hold; INV_EINPUT when dir is not a
 * proof folder (no directory, no proof.txt, or another first line);
 * INV_EIO on a read error or out of memory. f is filled as far as it was
 * read, in all cases: free it with inv_proof_folder_free. */
int inv_proof_verify(const char *dir, int64_t now, inv_proof_folder *f, inv_err *e);

#endif
