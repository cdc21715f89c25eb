/*
 * fuzz_text.c - the small text functions every command runs on what
 * people type or files hold: dates (inv_time_parse), attribute keys
 * (inv_key_normalise), kinds (inv_kind_canonical, inv_kind_closest),
 * CSV header matching (inv_csv_header_norm, inv_csv_alias_field), ids and
 * values (inv_id_check, inv_value_check), --delimiter and --encoding, and
 * the file-name stem of a contract reference (inv_doc_stem).
 *
 * Properties: a parsed date formats and parses back to the same second;
 * key normalisation is idempotent and gives a valid key; a stem holds only
 * [A-Za-z0-9._-], never starts with '.' or '-', never holds "..", and is
 * 1 to 64 bytes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "fuzzutil.h"
#include "inventory.h"

static void dates(const char *s)
{
    int64_t t, t2;
    inv_err e;
    char out[32];
    for (int eod = 0; eod < 2; eod++) {
        if (inv_time_parse(s, eod, &t, &e) != INV_OK)
            continue;
        inv_time_format(t, out, sizeof out);
        if (inv_time_parse(out, 0, &t2, &e) != INV_OK || t2 != t)
            abort();
    }
}

static void keys(const char *s)
{
    inv_err e;
    char *k = strdup(s);
    if (!k)
        abort();
    if (inv_key_normalise(k) == 0) {
        char *again = strdup(k);
        if (!again || inv_key_normalise(again) != 0 || strcmp(again, k) != 0)
            abort();
        if (strcmp(k, "id") && strcmp(k, "kind") && strcmp(k, "name") &&
            inv_key_check(k, &e) != INV_OK)
            abort();
        free(again);
    }
    free(k);
    (void)inv_key_check(s, &e);
}

static void stem(const char *s)
{
    char out[80];
    inv_doc_stem(s, out, sizeof out);
    size_t n = strlen(out);
    if (n < 1 || n > 64 || out[0] == '.' || out[0] == '-' || strstr(out, ".."))
        abort();
    for (size_t i = 0; i < n; i++) {
        char c = out[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '.' || c == '_' || c == '-'))
            abort();
    }
    char tiny[4];
    inv_doc_stem(s, tiny, sizeof tiny);
    if (strlen(tiny) >= sizeof tiny)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = fz_strndup(data, size);
    inv_err e;
    char norm[512];
    int d;
    dates(s);
    keys(s);
    stem(s);
    const char *k = inv_kind_canonical(s);
    if (k && !inv_kind_canonical(k))
        abort();
    if (!inv_kind_closest(s))
        abort();
    inv_csv_header_norm(s, norm, sizeof norm);
    inv_csv_header_norm(s, norm, 3);
    (void)inv_csv_alias_field(s);
    (void)inv_id_check(s, &e);
    (void)inv_value_check("fuzz", s, &e);
    if (inv_csv_delimiter_parse(s, &d, &e) == INV_OK &&
        (d == '"' || d == '\r' || d == '\n' || d == ' ' || d <= 0 || d > 0x7f))
        abort();
    const char *enc = inv_csv_encoding_name(s);
    if (enc && strcmp(enc, "utf-8") && strcmp(enc, "windows-1252") && strcmp(enc, "latin1"))
        abort();
    free(s);
    return 0;
}
