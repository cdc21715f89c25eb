/*
 * prehash.c - streaming BLAKE2b-512 for minisign's prehashed ("ED")
 * signatures, so a scope document of any size is signed and verified
 * without being held in memory.
 */
#include <string.h>

#include <sodium.h>

#include "crypto.h"

_Static_assert(sizeof(cr_prehash) >= sizeof(crypto_generichash_state),
               "cr_prehash too small for libsodium's state");

void cr_prehash_init(cr_prehash *p)
{
    crypto_generichash_init((crypto_generichash_state *)(void *)p->state, NULL, 0,
                            CR_PREHASH_BYTES);
}

void cr_prehash_update(cr_prehash *p, const void *data, size_t len)
{
    crypto_generichash_update((crypto_generichash_state *)(void *)p->state, data, len);
}

void cr_prehash_final(cr_prehash *p, unsigned char out[CR_PREHASH_BYTES])
{
    crypto_generichash_final((crypto_generichash_state *)(void *)p->state, out,
                             CR_PREHASH_BYTES);
}

int cr_sign_prehashed(const cr_seckey *sk, const unsigned char h[CR_PREHASH_BYTES],
                      const char *trusted, const char *untrusted, cr_sig *out, cr_err *e)
{
    size_t tlen = strlen(trusted);
    if (tlen >= CR_COMMENT_MAX || strpbrk(trusted, "\r\n"))
        return cr_fail(e, CR_EINPUT, "trusted comment is too long or holds a line break");
    if (!untrusted)
        untrusted = "signature from scopereg secret key";
    if (strlen(untrusted) >= CR_COMMENT_MAX || strpbrk(untrusted, "\r\n"))
        return cr_fail(e, CR_EINPUT, "untrusted comment is too long or holds a line break");
    memset(out, 0, sizeof *out);
    cr_pubkey pk;
    cr_seckey_pubkey(sk, &pk);
    out->prehashed = 1;
    memcpy(out->keyid, pk.keyid, CR_KEYID_BYTES);
    memcpy(out->untrusted, untrusted, strlen(untrusted) + 1);
    memcpy(out->trusted, trusted, tlen + 1);
    unsigned char buf[CR_SIG_BYTES + CR_COMMENT_MAX];
    if (cr_seckey_sign_detached(sk, out->sig, h, CR_PREHASH_BYTES) != CR_OK)
        return cr_fail(e, CR_EIO, "signing failed");
    memcpy(buf, out->sig, CR_SIG_BYTES);
    memcpy(buf + CR_SIG_BYTES, trusted, tlen);
    if (cr_seckey_sign_detached(sk, out->global_sig, buf, CR_SIG_BYTES + tlen) != CR_OK)
        return cr_fail(e, CR_EIO, "signing failed");
    return CR_OK;
}

int cr_verify_prehashed(const cr_pubkey *pk, const cr_sig *sig,
                        const unsigned char h[CR_PREHASH_BYTES], cr_err *e)
{
    if (!sig->prehashed)
        return cr_fail(e, CR_FAIL, "legacy (non-prehashed) signature: scope documents are "
                                   "signed in prehashed mode (minisign's default)");
    if (memcmp(pk->keyid, sig->keyid, CR_KEYID_BYTES) != 0) {
        char a[CR_KEYID_HEX], b[CR_KEYID_HEX];
        cr_keyid_hex(sig->keyid, a);
        cr_keyid_hex(pk->keyid, b);
        return cr_fail(e, CR_FAIL, "signature is by key %s, not by key %s", a, b);
    }
    if (crypto_sign_verify_detached(sig->sig, h, CR_PREHASH_BYTES, pk->pk) != 0)
        return cr_fail(e, CR_FAIL, "signature does not verify: the signed data differ or the "
                                   "signature was altered");
    size_t tlen = strnlen(sig->trusted, CR_COMMENT_MAX);
    if (tlen == CR_COMMENT_MAX)
        return cr_fail(e, CR_EINPUT, "trusted comment is not terminated");
    unsigned char buf[CR_SIG_BYTES + CR_COMMENT_MAX];
    memcpy(buf, sig->sig, CR_SIG_BYTES);
    memcpy(buf + CR_SIG_BYTES, sig->trusted, tlen);
    if (crypto_sign_verify_detached(sig->global_sig, buf, CR_SIG_BYTES + tlen, pk->pk) != 0)
        return cr_fail(e, CR_FAIL,
                       "global signature does not verify: the trusted comment was altered");
    return CR_OK;
}
