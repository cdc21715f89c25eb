/* hash.c - streaming BLAKE2b-256 of scope documents (libsodium). */
#include "crypto.h"

#include <string.h>

#include <sodium.h>

_Static_assert(sizeof(crypto_generichash_blake2b_state) <= sizeof(((cr_hash *)0)->state),
               "cr_hash too small for libsodium's BLAKE2b state");
_Static_assert(CR_HASH_BYTES == crypto_generichash_blake2b_BYTES, "BLAKE2b-256");

static crypto_generichash_blake2b_state *st(cr_hash *h)
{
    return (crypto_generichash_blake2b_state *)(void *)h->state;
}

void cr_hash_init(cr_hash *h)
{
    crypto_generichash_blake2b_init(st(h), NULL, 0, CR_HASH_BYTES);
}

void cr_hash_update(cr_hash *h, const void *data, size_t len)
{
    crypto_generichash_blake2b_update(st(h), data, len);
}

void cr_hash_final(cr_hash *h, unsigned char out[CR_HASH_BYTES])
{
    crypto_generichash_blake2b_final(st(h), out, CR_HASH_BYTES);
    sodium_memzero(h, sizeof *h);
}

void cr_hash_hex(const void *data, size_t len, char *out)
{
    unsigned char bin[CR_HASH_BYTES];
    crypto_generichash_blake2b(bin, sizeof bin, data, len, NULL, 0);
    size_t plen = sizeof(CR_HASH_PREFIX) - 1;
    memcpy(out, CR_HASH_PREFIX, plen);
    cr_hex(out + plen, bin, sizeof bin);
}
