/*
 * review.h - the text cosign shows before and after signing: the document
 * (its free texts made safe for a terminal), what was checked beside it,
 * the changes, and what was written. Its words come from a table
 * (out_review_words).
 */
#ifndef SCOPEREG_REVIEW_H
#define SCOPEREG_REVIEW_H

#include <stdio.h>

#include "inventory.h"
#include "beside.h"

/* The words of cosign's text. %1..%9 stand for the values named in the
 * comment ("%%" is a percent sign). */
typedef struct out_review_words {
    const char *header;       /* %1 file, %2 contract, %3 register id */
    const char *party[2];     /* by role: %1 name, %2 key id, %3 replacing or "" */
    const char *replacing;    /* %1 the key replaced */
    const char *version;      /* %1 version, %2 date, %3 author, %4 message, %5 previous
                               * (or no_previous), %6 document hash, %7 bytes, %8 items */
    const char *no_previous;
    const char *role[2];      /* by role index */
    const char *key, *previous_key; /* which key of the role */
    const char *sig_none;     /* %1 role, %2 key word, %3 key id, %4 file */
    const char *sig_unchecked;/* %1 role, %2 key word, %3 key id, %4 why */
    const char *sig_valid;    /* %1 role, %2 key word, %3 key id, %4 date, %5 file, %6 .pub */
    const char *prev_unchecked; /* %1 N-1, %2 its file, %3 N, %4 the other role */
    const char *prev_ok;      /* %1 N-1, %2 its file, %3 your or your_previous, %4 key id,
                               * %5 date, %6 N */
    const char *your, *your_previous;
    const char *prev_note;    /* %1 N, %2 the key replaced, %3 the new key, %4 N-1, %5 .pub,
                               * %6 the document's file */
    const char *fork_register;/* %1 file, %2 key id, %3 its version, %4 its register, %5 this
                               * register */
    const char *fork_version; /* %1 file, %2 key id, %3 version, %4 register, %5 its hash,
                               * %6 this hash */
    const char *warning;      /* %1 the warning */
    const char *changes;      /* %1 N, %2 changes, %3 added, %4 modified, %5 removed, %6
                               * and_key or "" */
    const char *and_key;
    const char *signed_;      /* %1 N, %2 role, %3 previous or "", %4 key id, %5 date */
    const char *previous;
    const char *wrote;        /* %1 file written, %2 its base name */
    /* Added later: a table without them uses the English words. */
    const char *prev_follows; /* %1 N-1, %2 its file, %3 N */
    const char *prev_unanchored; /* %1 the key replaced, %2 N, %3 N-1 */
    const char *cp_root;      /* %1 root, %2 items, %3 cp_same or "" */
    const char *cp_same;
    const char *cp_valid;     /* %1 role */
    const char *cp_signed;    /* %1 N, %2 role, %3 root, %4 file written */
    const char *cp_only;      /* %1 the document's file */
    const char *cp_done;      /* %1 the document's file */
    const char *and_terms;    /* scope-register/2: %1 changes of services, exclusions,
                               * classes and kind defaults; follows changes' %6 */
} out_review_words;

extern const out_review_words out_review_en, out_review_fr, out_review_de, out_review_it;

/* The table of lang ("fr", "de", "it"; inv_langs); English for any other
 * value or NULL. Cannot fail. */
const out_review_words *out_review_words_for(const char *lang);

/* Each function writes to f in the words of w (NULL: English); write
 * errors are left to the caller (ferror/fflush on f). */

/* The document: file, contract, register, parties and keys, version, date,
 * author, message, previous, hash, size and items. Free texts are made
 * safe (out_safe_text). */
void out_review_header(FILE *f, const char *file, const inv_doc *d, const out_review_words *w);
/* One signature file beside the document (status ABSENT, NO_KEY or VALID;
 * others are errors, the caller's to say). */
void out_review_sig(FILE *f, const inv_sig_beside *s, const out_review_words *w);
/* Version N-1: p->absent (not checked: --without-previous), else read and
 * checked, its signature by the signer's key when p->anchored (by_previous:
 * that key is the one version N replaces, given by its secret key).
 * unvouched: the key id version N replaces whose signature of N-1 was not
 * checked (the new key signing alone with --without-previous), or NULL. */
void out_review_previous(FILE *f, const inv_prev_check *p, const inv_doc *d, int role,
                         int by_previous, const char *unvouched, const out_review_words *w);
/* The warning about a fork (no "WARNING: " prefix, no newline), malloc'd;
 * NULL when out of memory. */
char *out_review_fork(const inv_fork *fk, const inv_doc *d, const char *mine_keyid,
                      const out_review_words *w);
/* "WARNING: text\n". */
void out_review_warning(FILE *f, const char *text, const out_review_words *w);
/* The title of the changes. */
void out_review_changes(FILE *f, const inv_doc *d, const out_review_words *w);
/* A change line as the document writes it (escaped), made safe, and a newline. */
void out_review_change_line(FILE *f, const char *line, size_t len);
/* The checkpoint derived from the document and the checkpoint files
 * beside it that hold (cosign). */
void out_review_checkpoint(FILE *f, const inv_cp_beside *b, const out_review_words *w);
/* One line of cosign about the checkpoint: which is "signed" (n, role,
 * root, path), "only" or "done" (path: the document's file). */
void out_review_cp_line(FILE *f, const char *which, int64_t n, int role, const char *root,
                        const char *path, const out_review_words *w);
/* What was signed and written. */
void out_review_signed(FILE *f, const inv_doc *d, int role, int old, const char *keyid,
                       int64_t at, const char *sig_path, const out_review_words *w);

/* Appends n bytes of s to b on one line, every character a terminal would
 * act on made visible: raw: \n, \t, \\ (and \" when quoted) as the
 * document writes them; escaped (a line of the document, already
 * escaped): only what the document leaves as is. Other controls and
 * invalid bytes as \xHH; code points a reader cannot see or tell from
 * another (format characters such as U+200B, U+2060, U+FEFF and the
 * bidirectional controls, spaces other than U+0020 such as U+00A0 and
 * U+202F, combining marks, variation selectors, fillers, noncharacters)
 * as \u{HHHH}. */
void out_safe_text(inv_buf *b, const char *s, size_t n, int raw, int quoted);
/* s made safe (out_safe_text: raw, a text as held, such as a name read
 * from a document; else a message or a text already escaped as the
 * document escapes it) in a malloc'd string; NULL when out of memory or s
 * is NULL. */
char *out_safe_dup(const char *s, int raw);

#endif
