/* pubkey.c - minisign public keys: parse, load, format, save. */
#include "crypto.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#define PK_BIN_BYTES (2 + CR_KEYID_BYTES + CR_PK_BYTES)

int cr_pubkey_parse(const char *text, size_t len, cr_pubkey *out, cr_err *e)
{
    unsigned char bin[PK_BIN_BYTES];
    int lineno;
    int rc = cr_parse_key_text(text, len, bin, sizeof bin, &lineno, e);
    if (rc != CR_OK)
        return rc;
    if (memcmp(bin, CR_SIGALG, 2) != 0) {
        char alg[3];
        cr_alg_name(alg, bin);
        return cr_fail(e, CR_EINPUT,
                       "line %d: unsupported signature algorithm \"%s\" (expected \"Ed\")",
                       lineno, alg);
    }
    memcpy(out->keyid, bin + 2, CR_KEYID_BYTES);
    memcpy(out->pk, bin + 2 + CR_KEYID_BYTES, CR_PK_BYTES);
    return CR_OK;
}

int cr_pubkey_load(const char *path, cr_pubkey *out, cr_err *e)
{
    char *text;
    size_t len;
    int rc = cr_read_file(path, 4096, &text, &len, e);
    if (rc != CR_OK)
        return rc;
    rc = cr_pubkey_parse(text, len, out, e);
    free(text);
    return rc == CR_OK ? CR_OK : cr_fail_in(e, path, rc);
}

void cr_pubkey_base64(const cr_pubkey *pk, char *out, size_t outlen)
{
    unsigned char bin[PK_BIN_BYTES];
    memcpy(bin, CR_SIGALG, 2);
    memcpy(bin + 2, pk->keyid, CR_KEYID_BYTES);
    memcpy(bin + 2 + CR_KEYID_BYTES, pk->pk, CR_PK_BYTES);
    cr_base64(out, outlen, bin, sizeof bin);
}

void cr_keyid_hex(const unsigned char keyid[CR_KEYID_BYTES], char out[CR_KEYID_HEX])
{
    uint64_t v = 0;
    for (int i = CR_KEYID_BYTES - 1; i >= 0; i--)
        v = (v << 8) | keyid[i];
    snprintf(out, CR_KEYID_HEX, "%016" PRIX64, v);
}

char *cr_pubkey_format(const cr_pubkey *pk)
{
    char id[CR_KEYID_HEX], b64[CR_PUBKEY_B64];
    cr_keyid_hex(pk->keyid, id);
    cr_pubkey_base64(pk, b64, sizeof b64);
    size_t n = sizeof(CR_UNTRUSTED_PREFIX) + sizeof "minisign public key " + sizeof id + sizeof b64 + 2;
    char *s = malloc(n);
    if (s)
        snprintf(s, n, "%sminisign public key %s\n%s\n", CR_UNTRUSTED_PREFIX, id, b64);
    return s;
}

int cr_pubkey_save(const char *path, const cr_pubkey *pk, int force, cr_err *e)
{
    char *s = cr_pubkey_format(pk);
    if (!s)
        return cr_fail(e, CR_EIO, "out of memory");
    int rc = cr_write_file(path, s, strlen(s), 0644, force, e);
    free(s);
    return rc;
}
