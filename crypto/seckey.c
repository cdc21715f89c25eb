/*
 * seckey.c - minisign secret keys: generation, scrypt encryption, file
 * format. The layout of the decoded base64 line (158 bytes):
 *
 *   sig_alg "Ed" | kdf_alg "Sc" or 00 00 | chk_alg "B2" | kdf_salt[32] |
 *   opslimit u64le | memlimit u64le | keynum[8] | sk[64] | chk[32]
 *
 * chk = BLAKE2b-256(sig_alg || keynum || sk). When encrypted, the last
 * 104 bytes are XORed with scrypt(passphrase, salt, opslimit, memlimit).
 * minisign -W writes kdf_alg, salt, limits and chk as zeros.
 */
#include "crypto.h"

#include <string.h>

#include <sodium.h>

enum {
    OFF_SIG_ALG = 0,
    OFF_KDF_ALG = 2,
    OFF_CHK_ALG = 4,
    OFF_SALT = 6,
    SALT_BYTES = crypto_pwhash_scryptsalsa208sha256_SALTBYTES,
    OFF_OPSLIMIT = OFF_SALT + SALT_BYTES,
    OFF_MEMLIMIT = OFF_OPSLIMIT + 8,
    OFF_KEYNUM = OFF_MEMLIMIT + 8,
    SK_BYTES = crypto_sign_SECRETKEYBYTES,
    OFF_SK = OFF_KEYNUM + CR_KEYID_BYTES,
    CHK_BYTES = crypto_generichash_BYTES,
    OFF_CHK = OFF_SK + SK_BYTES,
    SK_BIN_BYTES = OFF_CHK + CHK_BYTES,
    SECRET_BYTES = SK_BIN_BYTES - OFF_KEYNUM /* the encrypted part */
};

_Static_assert(SALT_BYTES == 32 && SK_BYTES == 64 && CHK_BYTES == 32, "minisign layout");
_Static_assert(SK_BIN_BYTES == 158 && SECRET_BYTES == 104, "minisign layout");
_Static_assert(SK_BIN_BYTES <= CR_BASE64_LINE_MAX - 3, "cr_base64_line scratch");

/* Largest key file read: two lines of a few hundred bytes. */
#define SK_FILE_MAX 4096

struct cr_seckey {
    unsigned char keyid[CR_KEYID_BYTES];
    unsigned char sk[SK_BYTES]; /* libsodium layout: seed || pk */
};

static void put_u64le(unsigned char *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_u64le(const unsigned char *p)
{
    uint64_t v = 0;
    for (int i = 7; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* BLAKE2b-256(sig_alg || keynum || sk) of the decoded key bin. */
static void checksum(const unsigned char *bin, unsigned char chk[CHK_BYTES])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, CHK_BYTES);
    crypto_generichash_update(&st, bin + OFF_SIG_ALG, 2);
    crypto_generichash_update(&st, bin + OFF_KEYNUM, CR_KEYID_BYTES + SK_BYTES);
    crypto_generichash_final(&st, chk, CHK_BYTES);
    sodium_memzero(&st, sizeof st);
}

/* XORs the secret part of bin with the scrypt stream of passphrase and the
 * salt and limits stored in bin. CR_EIO when scrypt fails. */
static int xor_kdf(unsigned char *bin, const char *passphrase, cr_err *e)
{
    uint64_t ops = get_u64le(bin + OFF_OPSLIMIT), mem = get_u64le(bin + OFF_MEMLIMIT);
    if (mem > SIZE_MAX)
        return cr_fail(e, CR_EINPUT, "key derivation memory limit %llu is too large",
                       (unsigned long long)mem);
    unsigned char *stream = sodium_malloc(SECRET_BYTES);
    if (!stream)
        return cr_fail(e, CR_EIO, "out of secure memory");
    if (crypto_pwhash_scryptsalsa208sha256(stream, SECRET_BYTES, passphrase,
                                           strlen(passphrase), bin + OFF_SALT,
                                           (unsigned long long)ops, (size_t)mem) != 0) {
        sodium_free(stream);
        return cr_fail(e, CR_EIO,
                       "scrypt key derivation failed (opslimit %llu, memlimit %llu): "
                       "out of memory or limits out of range",
                       (unsigned long long)ops, (unsigned long long)mem);
    }
    for (size_t i = 0; i < SECRET_BYTES; i++)
        bin[OFF_KEYNUM + i] ^= stream[i];
    sodium_free(stream);
    return CR_OK;
}

int cr_keygen(cr_seckey **sk, cr_pubkey *pk, cr_err *e)
{
    *sk = NULL;
    cr_seckey *k = sodium_malloc(sizeof *k);
    if (!k)
        return cr_fail(e, CR_EIO, "out of secure memory");
    randombytes_buf(k->keyid, sizeof k->keyid);
    if (crypto_sign_keypair(pk->pk, k->sk) != 0) {
        sodium_free(k);
        return cr_fail(e, CR_EIO, "key generation failed");
    }
    memcpy(pk->keyid, k->keyid, CR_KEYID_BYTES);
    *sk = k;
    return CR_OK;
}

_Static_assert(CR_KDF_OPSLIMIT == crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_SENSITIVE &&
                   CR_KDF_MEMLIMIT == crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_SENSITIVE,
               "minisign's scrypt cost is libsodium's sensitive one");
_Static_assert(CR_KDF_OPSLIMIT_INTERACTIVE ==
                       crypto_pwhash_scryptsalsa208sha256_OPSLIMIT_INTERACTIVE &&
                   CR_KDF_MEMLIMIT_INTERACTIVE ==
                       crypto_pwhash_scryptsalsa208sha256_MEMLIMIT_INTERACTIVE,
               "keygen --kdf interactive is libsodium's interactive cost");

int cr_seckey_save_kdf(const char *path, const cr_seckey *sk, const char *passphrase,
                       uint64_t opslimit, uint64_t memlimit, int force, cr_err *e)
{
    if (passphrase && !*passphrase)
        return cr_fail(e, CR_EINPUT, "empty passphrase refused");
    enum { B64 = sodium_base64_ENCODED_LEN(SK_BIN_BYTES, sodium_base64_VARIANT_ORIGINAL) };
    static const char comment[] = CR_UNTRUSTED_PREFIX "minisign encrypted secret key\n";
    static const char comment_plain[] = CR_UNTRUSTED_PREFIX "minisign unencrypted secret key\n";
    const char *c = passphrase ? comment : comment_plain;
    size_t clen = strlen(c);
    /* bin, then the file text: comment, base64, "\n". */
    unsigned char *buf = sodium_malloc(SK_BIN_BYTES + clen + B64 + 1);
    if (!buf)
        return cr_fail(e, CR_EIO, "out of secure memory");
    unsigned char *bin = buf;
    char *text = (char *)buf + SK_BIN_BYTES;
    memset(bin, 0, SK_BIN_BYTES);
    memcpy(bin + OFF_SIG_ALG, CR_SIGALG, 2);
    memcpy(bin + OFF_CHK_ALG, CR_CHKALG, 2);
    memcpy(bin + OFF_KEYNUM, sk->keyid, CR_KEYID_BYTES);
    memcpy(bin + OFF_SK, sk->sk, SK_BYTES);
    int rc = CR_OK;
    if (passphrase) {
        memcpy(bin + OFF_KDF_ALG, CR_KDFALG, 2);
        randombytes_buf(bin + OFF_SALT, SALT_BYTES);
        put_u64le(bin + OFF_OPSLIMIT, opslimit);
        put_u64le(bin + OFF_MEMLIMIT, memlimit);
        checksum(bin, bin + OFF_CHK);
        rc = xor_kdf(bin, passphrase, e);
    } /* else kdf_alg, salt, limits and chk stay zero, as minisign -W writes */
    if (rc == CR_OK) {
        memcpy(text, c, clen);
        sodium_bin2base64(text + clen, B64, bin, SK_BIN_BYTES, sodium_base64_VARIANT_ORIGINAL);
        size_t len = clen + B64 - 1;
        text[len++] = '\n';
        rc = cr_write_file(path, text, len, 0600, force, e);
    }
    sodium_free(buf);
    return rc;
}

int cr_seckey_save(const char *path, const cr_seckey *sk, const char *passphrase,
                   int force, cr_err *e)
{
    return cr_seckey_save_kdf(path, sk, passphrase, CR_KDF_OPSLIMIT, CR_KDF_MEMLIMIT, force,
                              e);
}

static int is_encrypted(const unsigned char *bin)
{
    return memcmp(bin + OFF_KDF_ALG, CR_KDFALG, 2) == 0;
}

/* Reads and decodes the key file at path into bin (secure memory,
 * SK_BIN_BYTES) and checks the algorithm tags. Messages name path. */
static int read_bin(const char *path, unsigned char *bin, cr_err *e)
{
    char *text;
    size_t len;
    int rc = cr_read_secret(path, CR_READ_PRIVATE, SK_FILE_MAX, &text, &len, e);
    if (rc != CR_OK)
        return rc;
    int lineno = 0;
    rc = cr_parse_key_text(text, len, bin, SK_BIN_BYTES, &lineno, e);
    cr_secure_free(text);
    if (rc != CR_OK)
        return cr_fail_in(e, path, rc);
    char alg[3];
    if (memcmp(bin + OFF_SIG_ALG, CR_SIGALG, 2) != 0) {
        cr_alg_name(alg, bin + OFF_SIG_ALG);
        return cr_fail(e, CR_EINPUT,
                       "%s: line %d: unsupported signature algorithm \"%s\" (expected \"Ed\")",
                       path, lineno, alg);
    }
    if (memcmp(bin + OFF_KDF_ALG, CR_KDFALG, 2) != 0 &&
        memcmp(bin + OFF_KDF_ALG, "\0\0", 2) != 0) {
        cr_alg_name(alg, bin + OFF_KDF_ALG);
        return cr_fail(e, CR_EINPUT,
                       "%s: line %d: unsupported key derivation \"%s\" (expected \"Sc\" or none)",
                       path, lineno, alg);
    }
    uint64_t ops = get_u64le(bin + OFF_OPSLIMIT), mem = get_u64le(bin + OFF_MEMLIMIT);
    if (is_encrypted(bin) && (ops > CR_KDF_OPSLIMIT || mem > CR_KDF_MEMLIMIT))
        return cr_fail(e, CR_EINPUT,
                       "%s: line %d: scrypt limits (opslimit %llu, memlimit %llu) exceed the "
                       "largest that minisign and scopereg write (%llu, %llu); refusing a key "
                       "that would take minutes and gigabytes to open: make a new key with "
                       "scopereg keygen",
                       path, lineno, (unsigned long long)ops, (unsigned long long)mem,
                       (unsigned long long)CR_KDF_OPSLIMIT, (unsigned long long)CR_KDF_MEMLIMIT);
    if (memcmp(bin + OFF_CHK_ALG, CR_CHKALG, 2) != 0) {
        cr_alg_name(alg, bin + OFF_CHK_ALG);
        return cr_fail(e, CR_EINPUT,
                       "%s: line %d: unsupported checksum algorithm \"%s\" (expected \"B2\")",
                       path, lineno, alg);
    }
    return CR_OK;
}


int cr_seckey_load(const char *path, const char *passphrase, cr_seckey **out,
                   int *needs_passphrase, cr_err *e)
{
    *out = NULL;
    if (needs_passphrase)
        *needs_passphrase = 0;
    /* bin, then scratch for the checksum and the re-derived key pair. */
    enum { SCRATCH = CHK_BYTES + crypto_sign_PUBLICKEYBYTES + SK_BYTES };
    unsigned char *bin = sodium_malloc(SK_BIN_BYTES + SCRATCH);
    if (!bin)
        return cr_fail(e, CR_EIO, "out of secure memory");
    unsigned char *chk = bin + SK_BIN_BYTES;
    unsigned char *pk2 = chk + CHK_BYTES;
    unsigned char *sk2 = pk2 + crypto_sign_PUBLICKEYBYTES;
    int rc = read_bin(path, bin, e);
    if (rc != CR_OK)
        goto done;
    int encrypted = is_encrypted(bin);
    if (encrypted) {
        if (!passphrase) {
            if (needs_passphrase)
                *needs_passphrase = 1;
            rc = cr_fail(e, CR_EINPUT, "%s: the key is encrypted and no passphrase was given",
                         path);
            goto done;
        }
        if ((rc = xor_kdf(bin, passphrase, e)) != CR_OK) {
            cr_fail_in(e, path, rc);
            goto done;
        }
    }
    static const unsigned char zero[CHK_BYTES];
    checksum(bin, chk);
    if (cr_memcmp(chk, bin + OFF_CHK, CHK_BYTES) != 0 &&
        (encrypted || cr_memcmp(bin + OFF_CHK, zero, CHK_BYTES) != 0)) {
        /* minisign -W leaves the checksum of unencrypted keys zero. */
        rc = encrypted ? cr_fail(e, CR_EINPUT, "%s: wrong passphrase", path)
                       : cr_fail(e, CR_EINPUT, "%s: checksum mismatch: the key file is corrupt",
                                 path);
        goto done;
    }
    /* The public half stored in sk must be the one its seed gives. */
    crypto_sign_seed_keypair(pk2, sk2, bin + OFF_SK);
    if (cr_memcmp(pk2, bin + OFF_SK + 32, crypto_sign_PUBLICKEYBYTES) != 0) {
        rc = cr_fail(e, CR_EINPUT, "%s: the key file is corrupt (its public half does not match)",
                     path);
        goto done;
    }
    cr_seckey *k = sodium_malloc(sizeof *k);
    if (!k) {
        rc = cr_fail(e, CR_EIO, "out of secure memory");
        goto done;
    }
    memcpy(k->keyid, bin + OFF_KEYNUM, CR_KEYID_BYTES);
    memcpy(k->sk, bin + OFF_SK, SK_BYTES);
    *out = k;
done:
    sodium_free(bin);
    return rc;
}

int cr_seckey_is_encrypted(const char *path)
{
    unsigned char *bin = sodium_malloc(SK_BIN_BYTES);
    if (!bin)
        return -1;
    int r = read_bin(path, bin, NULL) == CR_OK ? is_encrypted(bin) : -1;
    sodium_free(bin);
    return r;
}

void cr_seckey_pubkey(const cr_seckey *sk, cr_pubkey *out)
{
    memcpy(out->keyid, sk->keyid, CR_KEYID_BYTES);
    crypto_sign_ed25519_sk_to_pk(out->pk, sk->sk);
}

void cr_seckey_free(cr_seckey *sk)
{
    sodium_free(sk);
}

int cr_seckey_sign_detached(const cr_seckey *sk, unsigned char sig[CR_SIG_BYTES],
                            const void *data, size_t len)
{
    return crypto_sign_detached(sig, NULL, data, len, sk->sk) == 0 ? CR_OK : CR_EIO;
}
