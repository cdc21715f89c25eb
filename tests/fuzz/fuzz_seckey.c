/*
 * fuzz_seckey.c - reading a minisign secret key file (cr_seckey_load)
 * without a passphrase: the unencrypted format (as minisign -W and
 * scopereg keygen --unencrypted write it), and the early refusal of
 * encrypted ones. The input is written to a 0600 file, as a key must be.
 *
 * Properties: a key that loads signs a message that its public half
 * verifies; cr_seckey_is_encrypted agrees with the outcome.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzutil.h"
#include "crypto.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init_crypto();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fz_write("in.key", data, size, 0600);
    cr_seckey *sk = NULL;
    cr_err e;
    int needs = 0;
    int rc = cr_seckey_load(path, NULL, &sk, &needs, &e);
    int enc = cr_seckey_is_encrypted(path);
    if (rc == CR_OK) {
        if (!sk || enc != 0)
            abort();
        cr_pubkey pk;
        cr_sig s;
        cr_seckey_pubkey(sk, &pk);
        if (cr_sign(sk, "scope", 5, "trusted", NULL, &s, &e) != CR_OK ||
            cr_verify(&pk, &s, "scope", 5, &e) != CR_OK)
            abort();
        cr_seckey_free(sk);
    } else {
        if (sk || (rc != CR_EINPUT && rc != CR_EIO))
            abort();
        if (needs && enc != 1)
            abort();
    }
    return 0;
}
