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
 * print a line "  > LINE" right after it: the same in every language. The
 * commands run in order in one bash shell (the shell functions node and
 * keyid, and the variables f and h, carry over from one to the next). */
#define OUT_PROOF_CMD "  $ "
#define OUT_PROOF_OUT "  > "

/* The words of a proof's VERIFY.txt. %1..%9 stand for the values named in
 * the comment ("%%" is a percent sign); the rest is written as is. The
 * text is kept short (a folder of one item of a 1M-item register stays
 * under 10 kB besides its checkpoints): what each step proves in a
 * sentence, the commands and their outputs in full. */
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
    const char *in_force;              /* %1 version, %2 the provider's document-signed:
                                        * date, %3 the client's */
    const char *lists_item;            /* %1 index */
    const char *between;               /* %1 count, %2 id, %3 %4 indices */
    const char *before_first;          /* %1 count, %2 id */
    const char *after_last;            /* %1 count, %2 id, %3 last index */
    const char *empty;                 /* %1 id */
    const char *later;                 /* %1 version, %2 later_agreed or later_not */
    const char *later_agreed;          /* %1 date */
    const char *later_not;
    const char *cannot_show;           /* %1 date asked, %2 the folder's last version */
    const char *excluded;              /* instead, when a later version agreed in the
                                        * folder is dated after the date asked
                                        * (inv_proof_bound): %1 date asked, %2 the version
                                        * in force, %3 that version, %4 its date */
    const char *discloses_item;
    const char *discloses_two;
    const char *discloses_one;         /* %1 the file */
    const char *discloses_none;
    /* the commands, numbered from 2 */
    const char *sigs_title;            /* %1 section number */
    const char *no_sig;                /* %1 version */
    const char *chain_title;           /* %1 section number */
    const char *path_title;            /* %1 section number, %2 checkpoint file */
    const char *path_none;             /* a tree of one leaf: %1 the leaf file */
    const char *empty_title;           /* %1 section number, %2 checkpoint file */
    const char *order_title;           /* %1 section number, %2 id (escaped) */
    const char *keys_title;            /* %1 section number */
    const char *key_change;            /* %1 version, %2 role word, %3 key replaced, %4 new
                                        * key, %5 the .old.minisig file */
    const char *scopereg;              /* the optional check with scopereg: %1 its section
                                        * number */
} out_proof_words;

extern const out_proof_words out_proof_en, out_proof_fr, out_proof_de, out_proof_it;

/* The table of lang ("fr", "de", "it"); English for any other value or NULL.
 * Cannot fail. */
const out_proof_words *out_proof_words_for(const char *lang);

/* The text of VERIFY.txt for the planned folder f (inv_prove), in the
 * words of w (NULL: English); tool_version is scopereg's. Returns the text
 * (malloc'd, the caller frees it), or NULL when out of memory. */
char *out_proof_txt(const inv_proof_folder *f, const char *tool_version,
                    const out_proof_words *w);

#endif
