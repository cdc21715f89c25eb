/*
 * fuzz_minisign.c - the minisign text formats scopereg reads from files
 * other people send: public keys (cr_pubkey_parse), signatures
 * (cr_sig_parse), the key-file framing (cr_parse_key_text, for public and
 * secret key sizes), and the trusted comment of a scope-document
 * signature (inv_tc_parse).
 *
 * Properties beyond the sanitizers: what parses formats back to text that
 * parses to the same thing; a parsed signature is checked against a fixed
 * key and message without crashing; a parsed trusted comment formats to
 * text that parses to the same fields.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzzutil.h"
#include "inventory.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fz_init_crypto();
    return 0;
}

static void pubkey(const char *text, size_t len)
{
    cr_pubkey pk, pk2;
    cr_err e;
    if (cr_pubkey_parse(text, len, &pk, &e) != CR_OK)
        return;
    char *again = cr_pubkey_format(&pk);
    if (!again || cr_pubkey_parse(again, strlen(again), &pk2, &e) != CR_OK ||
        memcmp(&pk, &pk2, sizeof pk) != 0)
        abort();
    free(again);
    char b64[CR_PUBKEY_B64], id[CR_KEYID_HEX];
    cr_pubkey_base64(&pk, b64, sizeof b64);
    cr_keyid_hex(pk.keyid, id);
    if (strlen(b64) != CR_PUBKEY_B64 - 1 || strlen(id) != CR_KEYID_HEX - 1)
        abort();
}

static void signature(const char *text, size_t len)
{
    cr_pubkey pk = {{0}, {9}};
    cr_sig s, s2;
    cr_err e;
    if (cr_sig_parse(text, len, &s, &e) != CR_OK)
        return;
    char *again = cr_sig_format(&s);
    if (!again || cr_sig_parse(again, strlen(again), &s2, &e) != CR_OK ||
        memcmp(&s, &s2, sizeof s) != 0)
        abort();
    free(again);
    /* The signature's own key id, so the checks go past the id to the
     * signature itself. */
    memcpy(pk.keyid, s.keyid, sizeof pk.keyid);
    int rc = cr_verify(&pk, &s, "message", 7, &e);
    if (rc != CR_FAIL)
        abort(); /* nobody holds the secret half of that key */
    unsigned char h[CR_PREHASH_BYTES] = {0};
    rc = cr_verify_prehashed(&pk, &s, h, &e);
    if (rc != CR_FAIL)
        abort();
}

static void key_text(const char *text, size_t len)
{
    unsigned char bin[158];
    cr_err e;
    int line;
    (void)cr_parse_key_text(text, len, bin, 158, &line, &e);
    (void)cr_parse_key_text(text, len, bin, 42, &line, &e);
    (void)cr_parse_key_text(text, len, bin, 1, NULL, &e);
}

static void trusted_comment(const char *text)
{
    inv_tc tc, tc2;
    inv_err e;
    char out[512];
    if (inv_tc_parse(text, &tc, &e) != INV_OK)
        return;
    inv_tc_format(&tc, out, sizeof out);
    if (inv_tc_parse(out, &tc2, &e) != INV_OK || strcmp(tc.register_id, tc2.register_id) ||
        tc.version != tc2.version || strcmp(tc.role, tc2.role) ||
        strcmp(tc.doc_hash, tc2.doc_hash) || tc.signed_at != tc2.signed_at)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* The parsers take (pointer, length): give them a buffer that ends
     * exactly where the input does, so a read past it is caught. */
    char *exact = malloc(size ? size : 1);
    if (!exact)
        abort();
    memcpy(exact, data, size);
    pubkey(exact, size);
    signature(exact, size);
    key_text(exact, size);
    free(exact);
    char *s = fz_strndup(data, size);
    trusted_comment(s);
    free(s);
    return 0;
}
