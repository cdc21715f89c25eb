/*
 * bundle.h - the names of the files of a bundle of scope documents, as
 * export and evidence write them and cosign and verify --documents look
 * for them beside a document.
 */
#ifndef SCOPEREG_BUNDLE_H
#define SCOPEREG_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

/* Which file of a bundle. */
typedef enum inv_bundle_file {
    INV_FILE_SCOPE,     /* <stem>-vN.scope */
    INV_FILE_SIG,       /* <stem>-vN.ROLE.minisig: by the role's key in force */
    INV_FILE_OLD_SIG,   /* <stem>-vN.ROLE.old.minisig: by the key a rotation replaces */
    INV_FILE_PUB,       /* <stem>.ROLE.pub: the role's key in force */
    INV_FILE_KEYID_PUB, /* <stem>.ROLE.KEYID.pub: another key of the role */
    INV_FILE_CHECKPOINT, /* <stem>-vN.checkpoint: the version's checkpoint */
    INV_FILE_CP_SIG,    /* <stem>-vN.checkpoint.ROLE.minisig: its signature by the role */
    INV_FILE_CP_OLD_SIG /* <stem>-vN.checkpoint.ROLE.old.minisig: by the key a rotation
                         * replaces */
} inv_bundle_file;

/* Bytes beyond strlen(stem) that any name needs at most, NUL included. */
#define INV_BUNDLE_NAME_EXTRA 64

/* Writes the name of a bundle file to out. stem: the document stem
 * (inv_doc_stem), which may start with a directory. version: N (>= 1)
 * for a document or its signatures; 0 for the signatures of a document
 * whose name is already known: stem is then that name without ".scope"
 * ("dir/X-v3" gives "dir/X-v3.client.minisig"). role: INV_ROLE_*; keyid:
 * the key id in hex, for INV_FILE_KEYID_PUB only. Returns the length of
 * the name; -1 (out "" when outlen > 0) when the role or kind is unknown
 * or the name does not fit in outlen (strlen(stem) +
 * INV_BUNDLE_NAME_EXTRA always fits). */
int inv_bundle_name(char *out, size_t outlen, inv_bundle_file kind, const char *stem,
                    int64_t version, int role, const char *keyid);

#endif
