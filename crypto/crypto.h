/*
 * crypto.h - the crypto module of scopereg: hashing, randomness, and
 * minisign-compatible keys and signatures, all on libsodium.
 *
 * Every function returns one of the CR_* codes below and, on failure,
 * writes a one-line message (no trailing newline, no secret material)
 * into the cr_err it was given. Nothing here prints or exits.
 *
 * Exported symbols carry the prefix "cr_".
 */
#ifndef SCOPEREG_CRYPTO_H
#define SCOPEREG_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

/* Result codes; they match the exit codes of the command line. */
enum {
    CR_OK = 0,     /* success */
    CR_FAIL = 1,   /* a signature or checksum does not verify */
    CR_EINPUT = 2, /* malformed input: key file, signature file, passphrase */
    CR_EIO = 3     /* I/O, out of memory, libsodium failure */
};

typedef struct cr_err {
    int code;
    char msg[1024];
} cr_err;

/* Sets e->code and formats e->msg; returns code. e may be NULL. A CR_EIO
 * whose fmt says "out of memory" is noted for cr_oom_seen. */
int cr_fail(cr_err *e, int code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Whether this module ran out of memory since the process started, from
 * any thread (the inventory's verdicts consult it). Cannot fail. */
int cr_oom_seen(void);

/* Prefixes e->msg with "PATH: " and sets e->code to code; returns code.
 * e may be NULL. */
int cr_fail_in(cr_err *e, const char *path, int code);

/* Initialises libsodium. Call once before anything else; returns CR_EIO if
 * libsodium cannot be initialised. */
int cr_init(cr_err *e);

/* ---- Hashing: BLAKE2b-256 of the scope documents, streamed. ---- */

#define CR_HASH_BYTES 32
#define CR_HASH_HEX (CR_HASH_BYTES * 2 + 1)
/* Prefix written before the hex digest in documents and the register. */
#define CR_HASH_PREFIX "blake2b-256:"

typedef struct cr_hash {
    unsigned char state[384] __attribute__((aligned(64)));
} cr_hash;

/* Streaming BLAKE2b-256 (unkeyed). Cannot fail. */
void cr_hash_init(cr_hash *h);
void cr_hash_update(cr_hash *h, const void *data, size_t len);
/* Writes CR_HASH_BYTES bytes to out. */
void cr_hash_final(cr_hash *h, unsigned char out[CR_HASH_BYTES]);
/* Lower-case hex of len bytes into hex, which must hold 2*len+1 bytes. */
void cr_hex(char *hex, const unsigned char *bin, size_t len);
/* One-shot: hex BLAKE2b-256 of data, prefixed with CR_HASH_PREFIX.
 * out must hold sizeof(CR_HASH_PREFIX) + 2*CR_HASH_BYTES bytes. */
void cr_hash_hex(const void *data, size_t len, char *out);
#define CR_HASH_STR_LEN (sizeof(CR_HASH_PREFIX) - 1 + 2 * CR_HASH_BYTES + 1)

/* Fills buf with len random bytes. Cannot fail. */
void cr_random(void *buf, size_t len);

/* Constant-time comparison; returns 0 when equal, 1 otherwise. */
int cr_memcmp(const void *a, const void *b, size_t len);

/* ---- Text helpers shared by the file formats ---- */

#define CR_UNTRUSTED_PREFIX "untrusted comment: "
#define CR_TRUSTED_PREFIX "trusted comment: "
#define CR_UNTRUSTED_PREFIX_LEN (sizeof(CR_UNTRUSTED_PREFIX) - 1)
#define CR_TRUSTED_PREFIX_LEN (sizeof(CR_TRUSTED_PREFIX) - 1)

/* Splits the next line off the text at *text (*len bytes): *line and
 * *linelen get the line without its "\n" and without the "\r"s before it
 * (as minisign trims lines), and *text / *len move past it. Returns 0 when
 * no text is left, 1 otherwise. Cannot fail. */
int cr_next_line(const char **text, size_t *len, const char **line, size_t *linelen);
/* Decodes one line of base64 (standard alphabet, padded, nothing else on
 * the line) into exactly n bytes at out (n <= CR_BASE64_LINE_MAX - 3).
 * Returns CR_EINPUT with a message "line LINENO: ..." (not valid base64,
 * wrong length); the message never quotes the data. */
#define CR_BASE64_LINE_MAX 256
int cr_base64_line(const char *line, size_t linelen, unsigned char *out, size_t n,
                   int lineno, cr_err *e);
/* Parses the text of a minisign key file: an optional "untrusted comment: "
 * line, one base64 line of exactly n bytes (into bin), then nothing but
 * blank lines; a lone base64 line is accepted. *b64_lineno (may be NULL)
 * gets the number of the base64 line. CR_EINPUT "line N: ..." on failure
 * (the caller prefixes the file name); bin is then wiped or untouched. */
int cr_parse_key_text(const char *text, size_t len, unsigned char *bin, size_t n,
                      int *b64_lineno, cr_err *e);
/* A two-byte algorithm tag as printable text for messages ("?" for bytes
 * that are not printable ASCII). */
void cr_alg_name(char out[3], const unsigned char alg[2]);
/* Standard padded base64 of len bytes into out, NUL-terminated. out must
 * hold 4*ceil(len/3)+1 bytes; when outlen is smaller out is left empty. */
void cr_base64(char *out, size_t outlen, const unsigned char *bin, size_t len);

/* ---- minisign public keys ---- */

/* Algorithm tags of the minisign formats. */
#define CR_SIGALG "Ed"        /* key files; legacy signatures (message signed as is) */
#define CR_SIGALG_HASHED "ED" /* signatures over BLAKE2b-512(message) */
#define CR_KDFALG "Sc"        /* secret key encrypted with scrypt */
#define CR_CHKALG "B2"        /* secret key checksum: BLAKE2b-256 */

#define CR_KEYID_BYTES 8
#define CR_PK_BYTES 32
/* Key id: the little-endian reading of the 8 key-id bytes as 16
 * upper-case hex digits (minisign prints the same number without leading
 * zeros). */
#define CR_KEYID_HEX 17

typedef struct cr_pubkey {
    unsigned char keyid[CR_KEYID_BYTES]; /* as stored in the file */
    unsigned char pk[CR_PK_BYTES];
} cr_pubkey;

/* Parses the text of a minisign public key file ("untrusted comment:" line
 * then the base64 line) or a bare base64 key line. Returns CR_EINPUT with a
 * message naming what is wrong (the caller prefixes the file name). */
int cr_pubkey_parse(const char *text, size_t len, cr_pubkey *out, cr_err *e);
/* Reads and parses a public key file. Message names the path. */
int cr_pubkey_load(const char *path, cr_pubkey *out, cr_err *e);
/* Length of that line plus its NUL. */
#define CR_PUBKEY_B64 57
/* The base64 line of a public key (no newline); out holds >= CR_PUBKEY_B64
 * bytes (when smaller, out is left empty). Cannot fail. */
void cr_pubkey_base64(const cr_pubkey *pk, char *out, size_t outlen);
/* The key id as minisign prints it, into out (CR_KEYID_HEX bytes). Cannot fail. */
void cr_keyid_hex(const unsigned char keyid[CR_KEYID_BYTES], char out[CR_KEYID_HEX]);
/* The text of a public key file ("untrusted comment: minisign public key
 * KEYID" line, then the base64 line, each ending in "\n") in a malloc'd
 * string the caller frees; NULL when out of memory. */
char *cr_pubkey_format(const cr_pubkey *pk);
/* Writes a minisign public key file at path (mode 0644), refusing to
 * replace an existing file unless force (see cr_write_file). CR_EINPUT
 * when the file exists, CR_EIO on a write error; the message names path. */
int cr_pubkey_save(const char *path, const cr_pubkey *pk, int force, cr_err *e);

/* ---- minisign secret keys (defined in crypto/seckey.c) ---- */

/* Decoded layout of the base64 line of a secret key file (158 bytes):
 *   sig_alg "Ed" | kdf_alg "Sc" or 00 00 | chk_alg "B2" | salt[32] |
 *   opslimit u64le | memlimit u64le | keynum[8] | sk[64] | chk[32]
 * chk = BLAKE2b-256(sig_alg || keynum || sk); when encrypted the last 104
 * bytes are XORed with scrypt(passphrase, salt, opslimit, memlimit). */

/* Opaque; lives in libsodium guarded memory and is wiped by cr_seckey_free. */
typedef struct cr_seckey cr_seckey;

/* minisign's scrypt cost for new encrypted keys (libsodium's "sensitive"
 * limits). */
#define CR_KDF_OPSLIMIT 33554432ULL
#define CR_KDF_MEMLIMIT 1073741824ULL
/* The lighter cost `keygen --kdf interactive` writes (libsodium's
 * "interactive" limits: 16 MiB, some 0.05 s), for a machine that cannot
 * spare 1 GiB and for demonstrations; minisign reads such keys too. */
#define CR_KDF_OPSLIMIT_INTERACTIVE 524288ULL
#define CR_KDF_MEMLIMIT_INTERACTIVE 16777216ULL

/* Generates a key pair with a random key id. The secret key is held in
 * secure memory; free it with cr_seckey_free. Returns CR_EIO if secure
 * memory cannot be had (*sk NULL). */
int cr_keygen(cr_seckey **sk, cr_pubkey *pk, cr_err *e);

/* Writes the secret key in minisign's format at path, created 0600 with
 * O_EXCL unless force (see cr_write_file). passphrase NULL writes it
 * unencrypted, as minisign -W does: kdf_alg, salt, limits and checksum all
 * zero bytes, untrusted comment "minisign unencrypted secret key".
 * Otherwise scrypt-encrypted as minisign does (CR_KDF_OPSLIMIT,
 * CR_KDF_MEMLIMIT, random salt). Failures: CR_EINPUT for an empty
 * passphrase or an existing file, CR_EIO for scrypt (out of memory) or
 * write errors; nothing is left at path then. The caller keeps sk and
 * the passphrase. */
int cr_seckey_save(const char *path, const cr_seckey *sk, const char *passphrase,
                   int force, cr_err *e);
/* The same with an explicit scrypt cost (stored in the file, so minisign
 * reads such keys too); tests use a low cost to run fast. */
int cr_seckey_save_kdf(const char *path, const cr_seckey *sk, const char *passphrase,
                       uint64_t opslimit, uint64_t memlimit, int force, cr_err *e);

/* Reads a minisign secret key file, encrypted ("Sc") or not (kdf_alg
 * zero, as minisign -W writes). Refuses a symlink and a file group or
 * others may access (CR_EINPUT, message ending "run: chmod 600 PATH").
 * Returns CR_EINPUT "PATH: wrong passphrase" when the checksum of an
 * encrypted key does not match. An unencrypted key's checksum may be zero
 * (minisign -W) or must match. Either way the public half stored in the
 * key must be the one derived from its seed, else CR_EINPUT "corrupt".
 * needs_passphrase (may be NULL) is set to 1 when the file is encrypted
 * and passphrase was NULL (CR_EINPUT); the caller then asks and calls
 * again. CR_EIO for I/O, out of memory, or scrypt failing on the limits
 * stored in the file. All messages name path and never hold key bytes.
 * On success the caller frees *out with cr_seckey_free; else *out is
 * NULL. All intermediate secrets live in secure memory and are wiped. */
int cr_seckey_load(const char *path, const char *passphrase, cr_seckey **out,
                   int *needs_passphrase, cr_err *e);

/* Whether the key file at path is encrypted: 1 yes, 0 no, -1 when
 * cr_seckey_load would refuse it anyway (unreadable, malformed, wrong
 * mode or a symlink: call cr_seckey_load for the message). */
int cr_seckey_is_encrypted(const char *path);

/* The public half and key id of a secret key. Cannot fail. */
void cr_seckey_pubkey(const cr_seckey *sk, cr_pubkey *out);

/* Wipes and frees. NULL is allowed. */
void cr_seckey_free(cr_seckey *sk);

/* Plain Ed25519 detached signature of data (no minisign framing), the
 * counterpart of cr_ed25519_verify. CR_OK, or CR_EIO from libsodium. */
int cr_seckey_sign_detached(const cr_seckey *sk, unsigned char sig[64], const void *data,
                            size_t len);

/* ---- minisign signatures (defined in crypto/sign.c) ---- */

#define CR_SIG_BYTES 64
#define CR_COMMENT_MAX 1024

typedef struct cr_sig {
    int prehashed;                      /* 1 for "ED", 0 for legacy "Ed" */
    unsigned char keyid[CR_KEYID_BYTES];
    unsigned char sig[CR_SIG_BYTES];
    char untrusted[CR_COMMENT_MAX];     /* text after "untrusted comment: " */
    char trusted[CR_COMMENT_MAX];       /* text after "trusted comment: " */
    unsigned char global_sig[CR_SIG_BYTES];
} cr_sig;

/* Signs msg in prehashed mode (BLAKE2b-512, "ED") with the trusted
 * comment given, and untrusted (NULL: "signature from scopereg secret
 * key"); fills out (the caller's struct, nothing allocated). CR_EINPUT
 * when a comment holds a line break or is CR_COMMENT_MAX bytes or longer;
 * CR_EIO if libsodium fails. */
int cr_sign(const cr_seckey *sk, const void *msg, size_t len, const char *trusted,
            const char *untrusted, cr_sig *out, cr_err *e);

/* Parses the text of a .minisig file: both algorithms, LF or CRLF line
 * ends, blank lines after the fourth. CR_EINPUT naming the line at fault
 * ("line 2: not valid base64"); the caller prefixes the file name. */
int cr_sig_parse(const char *text, size_t len, cr_sig *out, cr_err *e);
/* Largest .minisig file read by cr_sig_load. */
#define CR_SIG_FILE_MAX 8192
/* Reads and parses a .minisig file; messages name path (CR_EIO when it
 * cannot be read, CR_EINPUT when malformed). */
int cr_sig_load(const char *path, cr_sig *out, cr_err *e);
/* Formats a .minisig file into a malloc'd NUL-terminated string the caller
 * frees; NULL when out of memory. */
char *cr_sig_format(const cr_sig *s);

/* Verifies sig over msg with pk: key id match, signature (prehashed or
 * legacy), and the global signature over sig || trusted comment.
 * Returns CR_FAIL with a message saying which check failed (key id names
 * both ids). Nothing allocated. */
int cr_verify(const cr_pubkey *pk, const cr_sig *sig, const void *msg, size_t len,
              cr_err *e);

/* Plain Ed25519 detached verification (no minisign framing); used by the
 * test vectors. Returns CR_OK or CR_FAIL. */
int cr_ed25519_verify(const unsigned char *sig, const unsigned char *msg, size_t len,
                      const unsigned char *pk);

/* ---- Streaming prehash (crypto/sign.c), for documents not held in memory ---- */

/* BLAKE2b-512, the hash minisign's "ED" signatures sign. */
#define CR_PREHASH_BYTES 64
typedef struct cr_prehash {
    unsigned char state[384] __attribute__((aligned(64)));
} cr_prehash;
/* Streaming BLAKE2b-512 (unkeyed). Cannot fail. */
void cr_prehash_init(cr_prehash *p);
void cr_prehash_update(cr_prehash *p, const void *data, size_t len);
void cr_prehash_final(cr_prehash *p, unsigned char out[CR_PREHASH_BYTES]);
/* cr_sign for a message given by its prehash: the same file, byte for
 * byte, as cr_sign over the message. CR_EINPUT for a comment that does not
 * fit on one line, CR_EIO when signing fails. */
int cr_sign_prehashed(const cr_seckey *sk, const unsigned char h[CR_PREHASH_BYTES],
                      const char *trusted, const char *untrusted, cr_sig *out, cr_err *e);
/* cr_verify for a prehashed ("ED") signature given the message's prehash.
 * A legacy "Ed" signature is CR_FAIL. */
int cr_verify_prehashed(const cr_pubkey *pk, const cr_sig *sig,
                        const unsigned char h[CR_PREHASH_BYTES], cr_err *e);

/* ---- Secure memory for passphrases ---- */

/* Allocates len bytes of guarded, locked memory (sodium_malloc); NULL
 * when refused. Free with cr_secure_free. */
void *cr_secure_alloc(size_t len);
/* Wipes and frees memory from cr_secure_alloc. NULL is allowed. */
void cr_secure_free(void *p);

/* ---- Small file helpers shared by the crypto code and its callers ---- */

/* Reads a whole regular file into a malloc'd buffer (NUL-terminated, *len
 * bytes before the NUL) that the caller frees. max bounds the size read;
 * a larger file, a directory, a FIFO, a device or a socket is CR_EINPUT
 * (refused without blocking); a missing path CR_EINPUT, an unreadable one
 * CR_EIO. Message names the path. *out is NULL on failure. */
int cr_read_file(const char *path, size_t max, char **out, size_t *len, cr_err *e);

/* cr_read_secret flag: refuse a symbolic link, anything but a regular file,
 * and a file group or others may access (message ends "run: chmod 600
 * PATH"). Without it pipes such as /dev/fd/N are fine (passphrase files). */
#define CR_READ_PRIVATE 1
/* cr_read_secret flag: refuse anything but a regular file (no FIFO, device
 * or socket), without blocking on a FIFO that has no writer. */
#define CR_READ_REGULAR 2
/* Like cr_read_file but into cr_secure_alloc memory (max + 1 bytes) that
 * the caller frees with cr_secure_free. Failures: CR_EINPUT for a refused
 * file (flags) or one larger than max, CR_EIO otherwise; *out NULL. */
int cr_read_secret(const char *path, int flags, size_t max, char **out, size_t *len,
                   cr_err *e);

/* Writes all of data to fd, retrying on EINTR, then fsyncs and closes fd
 * (always). Returns 0, or the errno of the first failure. */
int cr_write_fd(int fd, const void *data, size_t len);
/* A name beside path for a file that will be renamed over it:
 * "PATH.HEX.tmp", HEX sixteen random hex digits, PATH's last component
 * cut so that it stays within 255 bytes (the caller creates it with
 * O_EXCL and draws again when taken). NULL when out of memory; the caller
 * frees it. */
char *cr_temp_name(const char *path);
/* Creates path with the given mode (before umask) and writes len bytes,
 * then fsyncs. Never follows a symlink at path. Without force an existing
 * path is CR_EINPUT ("... already exists"); with force a regular file is
 * replaced by a new file written beside it (PATH.HEX.tmp) and renamed over
 * it, so the new file does not keep the old one's mode and a failed write
 * leaves the old file whole; anything else (symlink, device, FIFO,
 * directory) is CR_EINPUT. On a write error the partial file is removed
 * and CR_EIO returned ("out of memory" when the temporary name cannot be
 * made). Messages name path. */
int cr_write_file(const char *path, const void *data, size_t len, unsigned mode, int force,
                  cr_err *e);

#endif
