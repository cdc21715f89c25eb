/*
 * proof_txt.h - VERIFY.txt of a proof folder (scopereg prove): the
 * question, the answer, what the folder discloses, and every check as a
 * command typed with stock minisign and GNU coreutils, each followed by
 * what it must print. Its words come from a table (out_proof_words).
 */
#ifndef SCOPEREG_PROOF_TXT_H
#define SCOPEREG_PROOF_TXT_H

#include "inventory.h"
#include "proof.h"

/* In VERIFY.txt, a command is a line "  $ COMMAND" and each line it must
 * print a line "  > LINE" right after it: the same in every language. */
#define OUT_PROOF_CMD "  $ "
#define OUT_PROOF_OUT "  > "

/* The words of a proof's VERIFY.txt. %1..%9 stand for the values named in
 * the comment ("%%" is a percent sign); the rest is written as is. */
typedef struct out_proof_words {
    const char *title;
    const char *contract, *register_;  /* %1 contract (escaped) / register id */
    const char *made;                  /* %1 date, %2 scopereg's version */
    const char *intro;
    const char *role[2];               /* by role index, in a sentence: "the %1" */
    /* 1. the question and the answer */
    const char *answer_title;
    const char *asked;                 /* %1 id (escaped), %2 date */
    const char *answer;                /* %1 yes or no */
    const char *yes, *no;
    const char *in_force;              /* %1 date asked, %2 version */
    const char *signed_by[2];          /* by role: %1 date */
    const char *agreed;                /* %1 date */
    const char *lists_item;            /* %1 version, %2 position; the block follows */
    const char *between;               /* %1 version, %2 count, %3 id, %4 %5 positions */
    const char *before_first;          /* %1 version, %2 count, %3 id */
    const char *after_last;            /* %1 version, %2 count, %3 id, %4 last position */
    const char *empty;                 /* %1 version, %2 id */
    const char *later;                 /* %1 version, %2 later_agreed or later_not */
    const char *later_agreed;          /* %1 date */
    const char *later_not;
    const char *cannot_show;           /* %1 date asked, %2 the folder's last version,
                                        * %3 when it was made, %4 the version in force */
    /* 2. what the folder discloses */
    const char *discloses_title;
    const char *discloses_item;
    const char *discloses_two;
    const char *discloses_one;         /* %1 the file */
    const char *discloses_none;
    /* 3. the files */
    const char *files_title;
    const char *file_proof;
    const char *file_leaf[3];          /* by kind: %1 version */
    const char *file_cp;               /* %1 file, %2 version */
    const char *cp_agreed;             /* %1 date */
    const char *cp_partial;            /* %1 role word */
    const char *cp_unsigned;
    const char *file_sig;              /* %1 file, %2 role word, %3 key id, %4 date, %5 the
                                        * document-signed: date it states */
    const char *file_old_sig;          /* at a rotation: %1 file, %2 role word, %3 the key
                                        * replaced, %4 the new key, %5 date, %6 its
                                        * document-signed: date */
    const char *file_key;              /* %1 file, %2 role word, %3 key id, %4 first version,
                                        * %5 last version */
    const char *file_verify;           /* %1 the name of this text */
    /* 4. to 9. the commands */
    const char *sigs_title;            /* %1 register id */
    const char *no_sig;                /* %1 version */
    const char *chain_title;
    const char *chain_end;             /* %1 version in force */
    const char *leaf_title;
    const char *leaf_end;              /* %1 the leaf file */
    const char *path_title;            /* %1 checkpoint file */
    const char *path_rule;
    const char *path_leaf;             /* %1 the leaf file, %2 index, %3 tree size */
    const char *step;                  /* %1 step number, %2 position, %3 last position,
                                        * %4 climbed (may be ""), %5 path_left/right */
    const char *climbed;               /* %1 levels */
    const char *path_left, *path_right;
    const char *path_none;             /* a tree of one leaf: %1 the leaf file */
    const char *path_end;              /* %1 root, %2 checkpoint file */
    const char *empty_title;           /* %1 checkpoint file */
    const char *order_title;
    const char *order_end;             /* %1 id (escaped) */
    const char *keys_title;            /* %1 its section number */
    const char *keys_named;            /* before the grep of each checkpoint's key lines */
    const char *key_change;            /* %1 version, %2 role word, %3 key replaced, %4 new
                                        * key, %5 the .old.minisig file, %6 version - 1 */
    const char *keys_sigs;             /* before the key id of each signature */
    const char *commands_end;
    const char *scopereg;              /* the optional check with scopereg: %1 its section
                                        * number */
} out_proof_words;

extern const out_proof_words out_proof_en, out_proof_fr, out_proof_de;

/* The table of lang ("fr", "de"); English for any other value or NULL.
 * Cannot fail. */
const out_proof_words *out_proof_words_for(const char *lang);

/* The text of VERIFY.txt for the planned folder f (inv_prove), in the
 * words of w (NULL: English); tool_version is scopereg's. Returns the text
 * (malloc'd, the caller frees it), or NULL when out of memory. */
char *out_proof_txt(const inv_proof_folder *f, const char *tool_version,
                    const out_proof_words *w);

#endif
