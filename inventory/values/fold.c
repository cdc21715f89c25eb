/*
 * fold.c - folding of text for matching: header names, keys, kinds.
 */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "csvread.h"
#include "values_int.h"

/* ASCII folding of U+00C0..U+00FF ('\0': drop, '1': ae, '2': th, '3': ss). */
static const char latin1_fold[] =
    "aaaaaa1ceeeeiiiidnooooo\0ouuuuy23"
    "aaaaaa1ceeeeiiiidnooooo\0ouuuuy2y";
/* U+0100..U+017F ('4': ij, '5': oe). */
static const char latin_a_fold[] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii44jjkkk"
    "llllllllllnnnnnnnnnoooooo55rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

_Static_assert(sizeof latin1_fold == 64 + 1, "latin1_fold covers U+00C0..U+00FF");
_Static_assert(sizeof latin_a_fold == 128 + 1, "latin_a_fold covers U+0100..U+017F");

const char *inv__fold_latin(const unsigned char *s, size_t *adv)
{
    static const char *multi[] = {"ae", "th", "ss", "ij", "oe"};
    static char one[128][2];
    unsigned c = s[0];
    *adv = 1;
    if (c < 0xC2 || c > 0xC5 || (s[1] & 0xC0) != 0x80)
        return NULL;
    unsigned cp = ((c & 0x1F) << 6) | (s[1] & 0x3F);
    char f;
    *adv = 2;
    if (cp >= 0xC0 && cp <= 0xFF)
        f = latin1_fold[cp - 0xC0];
    else if (cp >= 0x100 && cp <= 0x17F)
        f = latin_a_fold[cp - 0x100];
    else
        return ""; /* Latin-1 signs: degree, ordinals, NBSP, guillemets */
    if (!f)
        return "";
    if (f >= '1' && f <= '5')
        return multi[f - '1'];
    one[(unsigned char)f][0] = f; /* a table of one-letter strings, filled lazily */
    return one[(unsigned char)f];
}

/* Bytes of a combining diacritical mark (U+0300..U+036F) at s, or 0.
 * Text in decomposed form (NFD, as macOS tools write it) spells "é" as
 * "e" and U+0301: dropping the mark folds it as the precomposed letter. */
static size_t combining_mark(const unsigned char *s)
{
    if (s[0] == 0xCC && (s[1] & 0xC0) == 0x80)
        return 2; /* U+0300..U+033F */
    if (s[0] == 0xCD && s[1] >= 0x80 && s[1] <= 0xAF)
        return 2; /* U+0340..U+036F */
    return 0;
}

static int ascii_lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Shelf exports a custom field's column as "cf: NAME,type:TYPE" (TYPE one
 * word: text, number, date, boolean...). The NAME of such a header (start
 * and length in *name, *len), else the whole text. */
static void shelf_name(const char *in, const char **name, size_t *len)
{
    const char *p = in, *comma;
    *name = in;
    *len = strlen(in);
    while (*p == ' ' || *p == '\t')
        p++;
    if (ascii_lower((unsigned char)p[0]) != 'c' || ascii_lower((unsigned char)p[1]) != 'f' ||
        p[2] != ':')
        return;
    p += 3;
    if (!(comma = strrchr(p, ',')))
        return;
    const char *t = comma + 1;
    while (*t == ' ')
        t++;
    if (strncasecmp(t, "type:", 5) != 0)
        return;
    for (t += 5; *t == ' '; t++)
        ;
    if (!*t)
        return;
    for (; *t; t++)
        if (!((*t >= 'a' && *t <= 'z') || (*t >= 'A' && *t <= 'Z') || *t == '_' || *t == '-' ||
              *t == ' '))
            return;
    while (*p == ' ')
        p++;
    if (p == comma)
        return; /* no NAME */
    *name = p;
    *len = (size_t)(comma - p);
}

/* The header folding; legacy: as releases before combining marks,
 * typographic punctuation and Shelf's custom-field headers were folded. */
static void header_norm(const char *in, char *out, size_t outlen, int legacy)
{
    const char *name = in;
    size_t len = strlen(in);
    size_t o = 0;
    if (!outlen)
        return;
    if (!legacy)
        shelf_name(in, &name, &len);
    const unsigned char *s = (const unsigned char *)name, *end = s + len;
    while (s < end && *s && o + 1 < outlen) {
        unsigned c = *s;
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z')
                out[o++] = (char)(c - 'A' + 'a');
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                out[o++] = (char)c;
            s++;
            continue;
        }
        size_t adv = legacy ? 0 : combining_mark(s);
        if (adv) {
            s += adv;
            continue;
        }
        /* typographic spaces, dashes, quotes and apostrophes (U+2000-U+202F;
         * Excel's autocorrect types U+2019 for the apostrophe of
         * "d'inventaire"): punctuation, dropped like ASCII's */
        if (!legacy && s + 2 < end && s[0] == 0xE2 && s[1] == 0x80 && s[2] >= 0x80 &&
            s[2] <= 0xAF) {
            s += 3;
            continue;
        }
        const char *f = inv__fold_latin(s, &adv);
        if (f) {
            for (; *f && o + 1 < outlen; f++)
                out[o++] = *f;
            s += adv;
            continue;
        }
        /* another UTF-8 sequence: kept as it is */
        size_t n = 1;
        while (n < 4 && s + n < end && (s[n] & 0xC0) == 0x80)
            n++;
        if (o + n >= outlen)
            break;
        memcpy(out + o, s, n);
        o += n;
        s += n;
    }
    out[o] = '\0';
}

void inv_csv_header_norm(const char *in, char *out, size_t outlen)
{
    header_norm(in, out, outlen, 0);
}

int inv_csv_header_norm_changed(const char *in)
{
    char now[512], before[512];
    header_norm(in, now, sizeof now, 0);
    header_norm(in, before, sizeof before, 1);
    return strcmp(now, before) != 0;
}

/* Folds UTF-8 text to lower-case ASCII; characters that are not letters or
 * digits become sep (kept when keep_punct and they are '.', '-' or '_').
 * Runs of sep collapse; sep at the edges is dropped. sep 0 drops them.
 * legacy: as releases before combining marks (dropped: a decomposed "é"
 * folds as the precomposed one) and Shelf's "cf: NAME,type:TYPE" (NAME)
 * were folded; attribute keys made so are kept where items have them. */
static void fold(const char *in, char *out, size_t outlen, char sep, int keep_punct, int legacy)
{
    const char *name = in;
    size_t len = strlen(in);
    size_t o = 0;
    int pending = 0;
    if (!legacy)
        shelf_name(in, &name, &len);
    const unsigned char *s = (const unsigned char *)name, *end = s + len;
    while (s < end && *s && o + 4 < outlen) {
        const char *rep = NULL;
        char one[2] = {0, 0};
        size_t adv = 1;
        if (!legacy && *s >= 0x80 && (adv = combining_mark(s)) != 0) {
            s += adv; /* part of the letter before it: no separator */
            continue;
        }
        adv = 1;
        if (isalnum(*s) && *s < 0x80) {
            one[0] = (char)tolower(*s);
            rep = one;
        } else if (keep_punct && (*s == '.' || *s == '-' || *s == '_')) {
            one[0] = (char)*s;
            rep = one;
        } else if (*s >= 0x80 && (rep = inv__fold_latin(s, &adv)) != NULL) {
            if (!*rep)
                rep = NULL; /* a sign, folded to nothing: a separator */
        } else if (*s >= 0x80) {
            adv = 1;
            while (s + adv < end && (s[adv] & 0xC0) == 0x80)
                adv++;
        }
        if (rep) {
            if (pending && o > 0 && sep)
                out[o++] = sep;
            pending = 0;
            for (; *rep && o + 1 < outlen; rep++)
                out[o++] = *rep;
        } else {
            pending = 1;
        }
        s += adv;
    }
    out[o] = '\0';
}

void inv__fold(const char *in, char *out, size_t outlen, char sep, int keep_punct)
{
    fold(in, out, outlen, sep, keep_punct, 0);
}

void inv__fold_legacy(const char *in, char *out, size_t outlen, char sep, int keep_punct)
{
    fold(in, out, outlen, sep, keep_punct, 1);
}
