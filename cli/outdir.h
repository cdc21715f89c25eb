/*
 * outdir.h - a set of files planned in full, then written into one
 * directory all together or not at all (export, evidence).
 *
 * The caller adds every file (name and bytes) to the plan, opens the
 * directory (created when absent), checks what is already there, and
 * commits. Each file is first written under a temporary hidden name in
 * the directory (O_EXCL|O_NOFOLLOW), fsynced, and only when every one was
 * written are they given their names: without force by link() (which
 * never replaces anything), with force by rename(), over regular files
 * only: a symbolic link, directory, device, FIFO or socket at a planned
 * name is refused, force or not. Any failure before that
 * removes the temporary files, and the directory when the plan created
 * it, so a refused or failed command leaves nothing behind.
 *
 * Names are single path components in [A-Za-z0-9._-] that do not start
 * with '.' (so never "." or ".."); anything else is refused as an
 * internal error: names are made from inv_doc_stem, never taken from
 * user data as they are.
 */
#ifndef SCOPEREG_CLI_OUTDIR_H
#define SCOPEREG_CLI_OUTDIR_H

#include "cli.h"

typedef struct outdir_file {
    char *name;  /* base name in the directory */
    char *data;  /* owned; NULL once written to tmp */
    size_t len;
    unsigned mode;
    char hash[CR_HASH_STR_LEN]; /* BLAKE2b-256 of the bytes, "blake2b-256:<hex>" */
    int same;    /* already in the directory with these bytes (outdir_check) */
    char *tmp;   /* temporary name in the directory once written */
    int placed;  /* given its name by outdir_commit */
} outdir_file;

typedef struct outdir {
    const char *dir;
    int dfd;       /* the open directory, -1 before outdir_open */
    int created;   /* outdir_open made it */
    int committed;
    outdir_file *v;
    size_t n, cap;
} outdir;

/* Flags of outdir_open. */
enum {
    OUTDIR_EMPTY = 1,   /* refuse a directory that holds anything (unless OUTDIR_FORCE) */
    OUTDIR_FORCE = 2,
    OUTDIR_NOFOLLOW = 4 /* refuse a directory given as a symbolic link */
};

void outdir_init(outdir *o, const char *dir);
/* Removes the temporary files left, and the directory if the plan made
 * it and nothing was committed; frees everything. */
void outdir_free(outdir *o);

/* Adds a file to the plan; takes ownership of data (freed on failure
 * too). Prints the error and returns its exit code on failure. */
int outdir_add(outdir *o, const char *name, char *data, size_t len, unsigned mode);
/* Adds a copy of text. */
int outdir_add_text(outdir *o, const char *name, const char *text);

/* How outdir_add_pub names a public key. */
enum {
    OUTDIR_PUB_PLAIN,         /* <stem>.ROLE.pub */
    OUTDIR_PUB_PLAIN_IF_FREE, /* <stem>.ROLE.pub unless that file (in an open
                                 directory) holds another key: then KEYID */
    OUTDIR_PUB_KEYID          /* <stem>.ROLE.KEYID.pub */
};
/* Adds the public key file of role (INV_ROLE_*) in minisign's format,
 * named by inv_bundle_name as said (stem: inv_doc_stem, under 80 bytes).
 * Prints the error and returns its exit code on failure. */
int outdir_add_pub(outdir *o, const char *stem, int role, const cr_pubkey *key, int naming);

/* Opens the directory, creating it (mode 0755, its parent must exist)
 * when absent. Prints the error and returns its exit code on failure. */
int outdir_open(outdir *o, int flags);
/* Compares each planned file with the directory: the same bytes are
 * marked same (left as they are); a regular file with other content is
 * refused unless force, with hint after the message ("use --force to
 * replace it..."); anything that is not a regular file is refused even
 * with force. The directory is open. */
int outdir_check(outdir *o, int force, const char *hint);
/* Writes every planned file not yet written to its temporary name and
 * frees its bytes (the directory is open): bounds the memory held when
 * many files are planned one after another. */
int outdir_spill(outdir *o, int force);
/* Refuses first (CLI_USAGE, nothing written) when a planned name is
 * taken by anything but a regular file; then writes what is left and
 * gives every file its name (files marked same are left alone unless
 * force, even when spilled before). On failure nothing is left of the
 * plan, except files already renamed over with force. */
int outdir_commit(outdir *o, int force);

/* Whether path can name the one file a command writes (-o FILE), asked
 * before any work: CLI_OK, or CLI_USAGE after printing why not (an empty
 * path, a last component that names a directory, or one over NAME_MAX
 * bytes). Nothing is allocated. */
int outdir_file_name_ok(const char *path);

/* Whether path may be replaced by --force: CLI_OK when nothing is there
 * or a regular file is (never followed as a symbolic link); otherwise
 * prints why not ("PATH is a character device: --force replaces regular
 * files only...") and returns CLI_USAGE (CLI_EIO when path cannot be
 * checked). For single-file outputs (cosign -o, report -o, export-csv -o). */
int outdir_replaceable(const char *path);

/* Gives the file tmp the name name (both relative to dfd, or AT_FDCWD)
 * without replacing anything: link() then tmp's removal, or, where the
 * file system has no hard links, rename() once the name is seen free.
 * 0, else -1 with errno (EEXIST: name is taken; tmp is then kept). */
int outdir_place_new(int dfd, const char *tmp, const char *name);

/* Index of the planned file with that name, or -1. */
long outdir_find(const outdir *o, const char *name);

#endif
