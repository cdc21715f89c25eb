/*
 * beside.h - a scope document's neighbourhood in its folder, as the other
 * party sees it with no register: the signature files beside it, version
 * N-1 beside it and what it was signed with, and the other documents of
 * the same contract that a key signed (forks). What cosign checks before
 * signing, and what verify --documents checks of each signature file.
 */
#ifndef SCOPEREG_BESIDE_H
#define SCOPEREG_BESIDE_H

#include <stdio.h>
#include <sys/stat.h>

#include "document.h"

/* A path's parts, as cosign and verify --documents name the files beside
 * a document: the base name (in path); path without ".scope" (or as is);
 * its directory ("." when none, "/" for "/x"). The last two malloc'd
 * (NULL when out of memory). */
const char *inv_path_base(const char *path);
char *inv_path_stem(const char *path);
char *inv_path_dir(const char *path);

/* What a file that is not a regular file is: "a FIFO", "a directory", "a
 * device", "a socket" or "not a regular file". */
const char *inv_file_kind(mode_t mode);

/* Opens path for reading, a regular file only, never blocking on a FIFO
 * (nor opening a device for good): 0 with *f (the caller closes it), or
 * -1 with errno (EINVAL: not a regular file, *mode, when not NULL, gets
 * its type). */
int inv_open_regular(const char *path, FILE **f, mode_t *mode);

/* What a signature file beside a document is. */
typedef enum inv_beside {
    INV_BESIDE_ABSENT,      /* no such file */
    INV_BESIDE_IGNORED,     /* present, but the document names no such key (.old
                             * without a rotation of that role) */
    INV_BESIDE_NOT_REGULAR, /* a FIFO, directory, device, socket or dangling link:
                             * never opened (kind says which; err) */
    INV_BESIDE_UNREADABLE,  /* cannot be read or is malformed (err) */
    INV_BESIDE_NO_KEY,      /* no .pub of the folder holds the key it must be by (err) */
    INV_BESIDE_BAD,         /* does not hold (err) */
    INV_BESIDE_VALID        /* holds: signed_at, pub_path */
} inv_beside;

/* One signature file of a document, checked. */
typedef struct inv_sig_beside {
    int role, old;         /* by role's key in force, or (old) by the key it replaces */
    const char *want;      /* the key id the document names for it ("" none; in d) */
    char *path;            /* the file: <stem>.ROLE[.old].minisig */
    inv_beside status;
    const char *kind;      /* NOT_REGULAR: inv_file_kind or "a dangling link" */
    inv_err err;           /* why, for NOT_REGULAR to BAD (code INV_FAIL or INV_EIO) */
    int64_t signed_at;     /* VALID: its signed: date */
    const char *pub_path;  /* VALID: the .pub that checked it (in ring; NULL when pk given) */
} inv_sig_beside;

/* Checks the signature of document d by role's key (old: the key the
 * version replaces) in the file beside it: stem is the document's path
 * without ".scope". With pk, that key checks it; else the .pub of ring
 * (may be NULL: NO_KEY, "the directory cannot be read") whose key id d
 * names. now bounds its signed: date (inv_doc_sig_check). Only a regular
 * file is opened. INV_OK with out filled whatever its status; INV_EIO
 * (e says so) when out of memory. Free out with inv_sig_beside_free. */
int inv_sig_beside_check(const inv_doc *d, const char *stem, int role, int old,
                         const cr_pubkey *pk, const inv_keyring *ring, int64_t now,
                         inv_sig_beside *out, inv_err *e);
void inv_sig_beside_free(inv_sig_beside *s);

/* Version N-1 beside a document, as cosign checks it. */
typedef struct inv_prev_check {
    int64_t version;          /* N-1 */
    char *path;               /* where its document is: FILE's name with -v<N-1> for its
                               * -v<N>, else <stem of the contract>-v<N-1>.scope */
    int absent;               /* no document there: nothing checked */
    int anchored;             /* its role signature was checked with the anchor key */
    char want[CR_KEYID_HEX];  /* anchored: the key whose signature of N-1 was checked */
    int64_t signed_at;        /* anchored: the date of that signature */
} inv_prev_check;

/* For document d read from file (its directory dir), version N > 1, to be
 * signed by role: reads version N-1 beside it, checks that it holds by
 * itself (inv_doc_self_check), is of the same register and version N-1,
 * that it carries role's signature by anchor, and that N is N-1 with N's
 * changes applied (inv_doc_follows). anchor is a key the signer holds
 * (taken from its secret key, never from a .pub of the folder): the key
 * signing now, or at a rotation of role's key at N the key replaced; NULL
 * leaves that signature unchecked (out->anchored 0; the caller says so).
 * INV_OK when it holds or when there is no such file (out->absent);
 * INV_EINPUT when it cannot be opened or is not a regular file; INV_FAIL
 * when it does not hold ("...; refusing to sign"); INV_EIO on read errors
 * or out of memory. Free out with inv_prev_check_free. */
int inv_doc_check_previous(const char *file, const char *dir, const inv_doc *d, int role,
                           const cr_pubkey *anchor, int64_t now, inv_prev_check *out,
                           inv_err *e);
void inv_prev_check_free(inv_prev_check *p);

/* Another document that key mine signed (a valid signature) and that is
 * a fork of d: a document of d's register and version with other bytes
 * (whatever its file name or contract), or a document of another register
 * naming d's contract or both of d's parties' key ids. */
typedef struct inv_fork {
    const char *path;
    int other_register;       /* else: the same version with other bytes */
    int64_t version;
    const char *register_id, *doc_hash;
} inv_fork;
typedef void (*inv_fork_fn)(void *ctx, const inv_fork *f);

/* Calls fn for each fork among the *.scope of dir (regular files only;
 * self, the document d itself, is skipped). A document of this register
 * and another version is never read: the trusted comments of its
 * signature files by mine tell first. Unreadable files are skipped. */
void inv_doc_forks(const char *dir, const struct stat *self, const inv_doc *d,
                   const cr_pubkey *mine, int64_t now, inv_fork_fn fn, void *ctx);

#endif
