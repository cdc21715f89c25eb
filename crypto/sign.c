/*
 * sign.c - minisign signatures. A .minisig file is four lines:
 *
 *   untrusted comment: TEXT
 *   base64(sig_alg[2] | keynum[8] | sig[64])
 *   trusted comment: TEXT
 *   base64(global_sig[64])
 *
 * sig_alg "ED": sig = Ed25519(BLAKE2b-512(message)); legacy "Ed": sig =
 * Ed25519(message). global_sig = Ed25519(sig || trusted comment text).
 */
#include "crypto.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define SIG_BIN_BYTES (2 + CR_KEYID_BYTES + CR_SIG_BYTES)
#define DEFAULT_UNTRUSTED "signature from scopereg secret key"

/* Checks that a comment fits on one line of the file. */
static int check_comment(const char *what, const char *c, cr_err *e)
{
    if (strlen(c) >= CR_COMMENT_MAX)
        return cr_fail(e, CR_EINPUT, "%s comment is longer than %d bytes", what,
                       CR_COMMENT_MAX - 1);
    if (strpbrk(c, "\r\n"))
        return cr_fail(e, CR_EINPUT, "%s comment contains a line break", what);
    return CR_OK;
}

_Static_assert(sizeof(((cr_prehash *)0)->state) >= sizeof(crypto_generichash_state),
               "cr_prehash too small for libsodium's BLAKE2b state");
_Static_assert(CR_PREHASH_BYTES == crypto_generichash_BYTES_MAX, "BLAKE2b-512");

static crypto_generichash_state *st(cr_prehash *p)
{
    return (crypto_generichash_state *)(void *)p->state;
}

void cr_prehash_init(cr_prehash *p)
{
    crypto_generichash_init(st(p), NULL, 0, CR_PREHASH_BYTES);
}

void cr_prehash_update(cr_prehash *p, const void *data, size_t len)
{
    crypto_generichash_update(st(p), data, len);
}

void cr_prehash_final(cr_prehash *p, unsigned char out[CR_PREHASH_BYTES])
{
    crypto_generichash_final(st(p), out, CR_PREHASH_BYTES);
}

/* The bytes the global signature covers: sig || trusted comment text.
 * buf holds CR_SIG_BYTES + CR_COMMENT_MAX; returns the length, 0 when the
 * comment is not NUL-terminated within CR_COMMENT_MAX. */
static size_t global_data(const cr_sig *s, unsigned char *buf)
{
    size_t tlen = strnlen(s->trusted, CR_COMMENT_MAX);
    if (tlen == CR_COMMENT_MAX)
        return 0;
    memcpy(buf, s->sig, CR_SIG_BYTES);
    memcpy(buf + CR_SIG_BYTES, s->trusted, tlen);
    return CR_SIG_BYTES + tlen;
}

int cr_sign_prehashed(const cr_seckey *sk, const unsigned char h[CR_PREHASH_BYTES],
                      const char *trusted, const char *untrusted, cr_sig *out, cr_err *e)
{
    if (!untrusted)
        untrusted = DEFAULT_UNTRUSTED;
    int rc;
    if ((rc = check_comment("trusted", trusted, e)) != CR_OK ||
        (rc = check_comment("untrusted", untrusted, e)) != CR_OK)
        return rc;
    memset(out, 0, sizeof *out);
    cr_pubkey pk;
    cr_seckey_pubkey(sk, &pk);
    out->prehashed = 1;
    memcpy(out->keyid, pk.keyid, CR_KEYID_BYTES);
    strcpy(out->untrusted, untrusted);
    strcpy(out->trusted, trusted);
    unsigned char buf[CR_SIG_BYTES + CR_COMMENT_MAX];
    if (cr_seckey_sign_detached(sk, out->sig, h, CR_PREHASH_BYTES) != CR_OK ||
        cr_seckey_sign_detached(sk, out->global_sig, buf, global_data(out, buf)) != CR_OK)
        return cr_fail(e, CR_EIO, "signing failed");
    return CR_OK;
}

int cr_sign(const cr_seckey *sk, const void *msg, size_t len, const char *trusted,
            const char *untrusted, cr_sig *out, cr_err *e)
{
    unsigned char h[CR_PREHASH_BYTES];
    crypto_generichash(h, sizeof h, msg, len, NULL, 0);
    return cr_sign_prehashed(sk, h, trusted, untrusted, out, e);
}

/* Copies a comment line's text after prefix into dst (CR_COMMENT_MAX). */
static int comment_line(const char *line, size_t n, int lineno, const char *prefix,
                        char *dst, cr_err *e)
{
    size_t plen = strlen(prefix);
    if (n < plen || memcmp(line, prefix, plen) != 0)
        return cr_fail(e, CR_EINPUT, "line %d: does not start with \"%s\"", lineno, prefix);
    line += plen;
    n -= plen;
    if (n >= CR_COMMENT_MAX)
        return cr_fail(e, CR_EINPUT, "line %d: comment is longer than %d bytes", lineno,
                       CR_COMMENT_MAX - 1);
    if (memchr(line, '\0', n))
        return cr_fail(e, CR_EINPUT, "line %d: comment contains a NUL byte", lineno);
    memcpy(dst, line, n);
    dst[n] = '\0';
    return CR_OK;
}

int cr_sig_parse(const char *text, size_t len, cr_sig *out, cr_err *e)
{
    static const char *const expect[4] = {
        "the untrusted comment", "the base64 signature", "the trusted comment",
        "the base64 global signature"};
    const char *line[4];
    size_t n[4];
    memset(out, 0, sizeof *out);
    for (int i = 0; i < 4; i++)
        if (!cr_next_line(&text, &len, &line[i], &n[i]))
            return cr_fail(e, CR_EINPUT, "line %d: missing, expected %s", i + 1, expect[i]);
    unsigned char bin[SIG_BIN_BYTES];
    int rc;
    if ((rc = comment_line(line[0], n[0], 1, CR_UNTRUSTED_PREFIX, out->untrusted, e)) != CR_OK ||
        (rc = cr_base64_line(line[1], n[1], bin, sizeof bin, 2, e)) != CR_OK ||
        (rc = comment_line(line[2], n[2], 3, CR_TRUSTED_PREFIX, out->trusted, e)) != CR_OK ||
        (rc = cr_base64_line(line[3], n[3], out->global_sig, CR_SIG_BYTES, 4, e)) != CR_OK)
        return rc;
    if (memcmp(bin, CR_SIGALG_HASHED, 2) == 0) {
        out->prehashed = 1;
    } else if (memcmp(bin, CR_SIGALG, 2) == 0) {
        out->prehashed = 0;
    } else {
        char alg[3];
        cr_alg_name(alg, bin);
        return cr_fail(e, CR_EINPUT,
                       "line 2: unsupported signature algorithm \"%s\" (expected \"ED\" or \"Ed\")",
                       alg);
    }
    memcpy(out->keyid, bin + 2, CR_KEYID_BYTES);
    memcpy(out->sig, bin + 2 + CR_KEYID_BYTES, CR_SIG_BYTES);
    const char *l;
    size_t ln;
    for (int lineno = 5; cr_next_line(&text, &len, &l, &ln); lineno++)
        if (ln > 0)
            return cr_fail(e, CR_EINPUT, "line %d: unexpected data after the signature", lineno);
    return CR_OK;
}

int cr_sig_load(const char *path, cr_sig *out, cr_err *e)
{
    char *text;
    size_t len;
    int rc = cr_read_file(path, CR_SIG_FILE_MAX, &text, &len, e);
    if (rc != CR_OK)
        return rc;
    rc = cr_sig_parse(text, len, out, e);
    free(text);
    return rc == CR_OK ? CR_OK : cr_fail_in(e, path, rc);
}

char *cr_sig_format(const cr_sig *s)
{
    unsigned char bin[SIG_BIN_BYTES];
    memcpy(bin, s->prehashed ? CR_SIGALG_HASHED : CR_SIGALG, 2);
    memcpy(bin + 2, s->keyid, CR_KEYID_BYTES);
    memcpy(bin + 2 + CR_KEYID_BYTES, s->sig, CR_SIG_BYTES);
    char b1[sodium_base64_ENCODED_LEN(SIG_BIN_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    char b2[sodium_base64_ENCODED_LEN(CR_SIG_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    cr_base64(b1, sizeof b1, bin, sizeof bin);
    cr_base64(b2, sizeof b2, s->global_sig, CR_SIG_BYTES);
    size_t n = CR_UNTRUSTED_PREFIX_LEN + strlen(s->untrusted) + sizeof b1 +
               CR_TRUSTED_PREFIX_LEN + strlen(s->trusted) + sizeof b2 + 4;
    char *out = malloc(n);
    if (out)
        snprintf(out, n, "%s%s\n%s\n%s%s\n%s\n", CR_UNTRUSTED_PREFIX, s->untrusted, b1,
                 CR_TRUSTED_PREFIX, s->trusted, b2);
    return out;
}

/* Key id, then the signature over data (the message, or its prehash),
 * then the global signature. */
static int verify_data(const cr_pubkey *pk, const cr_sig *sig, const void *data, size_t len,
                       cr_err *e)
{
    if (memcmp(pk->keyid, sig->keyid, CR_KEYID_BYTES) != 0) {
        char a[CR_KEYID_HEX], b[CR_KEYID_HEX];
        cr_keyid_hex(sig->keyid, a);
        cr_keyid_hex(pk->keyid, b);
        return cr_fail(e, CR_FAIL, "signature is by key %s, not by key %s", a, b);
    }
    if (crypto_sign_verify_detached(sig->sig, data, len, pk->pk) != 0)
        return cr_fail(e, CR_FAIL,
                       "signature does not verify: the signed data differ or the signature "
                       "was altered");
    unsigned char buf[CR_SIG_BYTES + CR_COMMENT_MAX];
    size_t glen = global_data(sig, buf);
    if (glen == 0)
        return cr_fail(e, CR_EINPUT, "trusted comment is not terminated");
    if (crypto_sign_verify_detached(sig->global_sig, buf, glen, pk->pk) != 0)
        return cr_fail(e, CR_FAIL,
                       "global signature does not verify: the trusted comment was altered");
    return CR_OK;
}

int cr_verify_prehashed(const cr_pubkey *pk, const cr_sig *sig,
                        const unsigned char h[CR_PREHASH_BYTES], cr_err *e)
{
    if (!sig->prehashed)
        return cr_fail(e, CR_FAIL, "legacy (non-prehashed) signature: scope documents are "
                                   "signed in prehashed mode (minisign's default)");
    return verify_data(pk, sig, h, CR_PREHASH_BYTES, e);
}

int cr_verify(const cr_pubkey *pk, const cr_sig *sig, const void *msg, size_t len,
              cr_err *e)
{
    if (!sig->prehashed)
        return verify_data(pk, sig, msg, len, e);
    unsigned char h[CR_PREHASH_BYTES];
    crypto_generichash(h, sizeof h, msg, len, NULL, 0);
    return verify_data(pk, sig, h, sizeof h, e);
}

int cr_ed25519_verify(const unsigned char *sig, const unsigned char *msg, size_t len,
                      const unsigned char *pk)
{
    return crypto_sign_verify_detached(sig, msg, len, pk) == 0 ? CR_OK : CR_FAIL;
}
