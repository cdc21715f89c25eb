/*
 * verify_txt.h - VERIFY.txt, the text of an evidence bundle: the question,
 * the answer, the files, and how to check everything with stock minisign
 * and b2sum. Its words come from a table (out_verify_words).
 */
#ifndef SCOPEREG_VERIFY_TXT_H
#define SCOPEREG_VERIFY_TXT_H

#include <stddef.h>

#include "inventory.h"
#include "evidence.h"

/* The name of the text in the bundle (not a word: the same in every language). */
#define OUT_VERIFY_NAME "VERIFY.txt"

/* The words of VERIFY.txt. %1..%9 stand for the values named in the
 * comment ("%%" is a percent sign); each string is written as is
 * otherwise, line breaks included. */
typedef struct out_verify_words {
    const char *title;
    const char *contract, *register_;  /* %1 contract (escaped) / register id */
    const char *party[2];              /* %1 name (escaped), %2 key id, %3 version */
    const char *made;                  /* %1 date, %2 scopereg's version */
    const char *intro;
    const char *role[2];               /* by role index, in a sentence: "the %1" */
    const char *item_one, *item_many;  /* after a count */
    /* 1. the question and the answer */
    const char *answer_title;
    const char *asked_item;            /* %1 id (escaped), %2 date, %3 made_item or "" */
    const char *made_item;             /* the date is when the folder was made */
    const char *answer_item;           /* %1 yes or no */
    const char *yes, *no;
    const char *asked_scope;           /* %1 date, %2 made_scope or "" */
    const char *made_scope;
    const char *answer_scope;          /* %1 version, %2 count, %3 item_one/many */
    const char *in_force;              /* %1 date asked, %2 version, %3 commit date */
    const char *signed_by[2];          /* by role: %1 date */
    const char *agreed;                /* %1 date */
    const char *lists_item;            /* %1 version, %2 file; the item block follows */
    const char *not_listed;            /* %1 version, %2 file, %3 id (escaped) */
    const char *in_no_version;         /* %1 version */
    const char *life;                  /* %1 version */
    const char *step;                  /* %1 version, %2 op word, %3 detail or "", %4 the
                                        * change line's sign, %5 id (escaped), %6 file */
    const char *op_added, *op_modified, *op_removed;
    const char *step_fields;           /* %1 fields changed */
    const char *step_reason;           /* %1 reason (escaped) */
    const char *later;                 /* %1 version, %2 commit date */
    const char *later_agreed;          /* %1 date */
    const char *later_state;           /* %1 one of the state_ words */
    const char *later_end;
    const char *state_agreed, *state_signed_by[2], *state_proposed;
    const char *not_included_one;      /* %1 versions held, %2 version, %3 date asked */
    const char *not_included_many;     /* %1 versions held, %2 first, %3 last, %4 date */
    const char *latest;                /* %1 version */
    const char *cannot_show;           /* %1 date asked */
    /* 2. the files */
    const char *files_title;
    const char *file_doc;              /* %1 file, %2 version, %3 date, %4 count, %5 item word */
    const char *vstate_agreed;         /* %1 date */
    const char *vstate_never, *vstate_not_agreed, *vstate_and;
    const char *vstate_by;             /* %1 role word, %2 vstate_one_key or "" */
    const char *vstate_one_key, *vstate_only;
    const char *doc_never_in_force, *doc_earlier;
    const char *doc_in_force;          /* %1 date asked */
    const char *file_sig;              /* %1 file, %2 role word, %3 version, %4 previous or
                                        * "", %5 key id, %6 date */
    const char *previous;
    const char *file_key;              /* %1 file, %2 role word, %3 key id */
    const char *key_named_one;         /* %1 version */
    const char *key_named_many;        /* %1 first, %2 last */
    const char *key_replaced;          /* %1 version */
    const char *key_end;
    const char *file_verify;           /* %1 the name of this text */
    const char *proves;
    /* 3. to 7. the commands */
    const char *sigs_title;            /* %1 register id */
    const char *minisign;              /* %1 document, %2 .pub, %3 .minisig, %4 trusted comment */
    const char *no_sig;                /* %1 version */
    const char *hashes_title;
    const char *b2sum;                 /* %1 document, %2 hex digest */
    const char *chain_title;
    const char *grep;                  /* %1 document */
    const char *expect_previous;       /* %1 hash, %2 the document before */
    const char *expect_none;
    const char *chain_end;             /* %1 version */
    const char *keys_intro;            /* how to read the key id of a .pub or .minisig file */
    const char *keyid_pub;             /* %1 .pub file, %2 its key id */
    const char *keyid_sig;             /* %1 .minisig file, %2 the key id that made it */
    const char *rotation;              /* %1 version, %2 role word, %3 role as the document
                                        * writes it, %4 old key id, %5 new key id, %6 the
                                        * old key's signature file, %7 its .pub */
    const char *commands_end;
    const char *sums_title;
    const char *sums_end;              /* %1 the name of this text */
} out_verify_words;

extern const out_verify_words out_verify_en, out_verify_fr, out_verify_de, out_verify_it;

/* The table of lang ("fr", "de", "it"; inv_langs); English for any other
 * value or NULL. Cannot fail. */
const out_verify_words *out_verify_words_for(const char *lang);

/* A file of the bundle and its BLAKE2b-256 ("blake2b-256:<hex>"). */
typedef struct out_file_sum {
    const char *name, *hash;
} out_file_sum;

/* The text of VERIFY.txt for a planned bundle (inv_evidence_plan), with
 * the hashes of the other files in the order given, in the words of w
 * (NULL: English); tool_version is scopereg's. Returns the text
 * (malloc'd, the caller frees it), or NULL when out of memory. */
char *out_verify_txt(const inv_evidence *ev, const out_file_sum *files, size_t nfiles,
                     const char *tool_version, const out_verify_words *w);

#endif
