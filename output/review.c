/* review.c - the text cosign shows, its words from a table. */
#include <stdlib.h>
#include <string.h>

#include "review.h"
#include "words.h"

const out_review_words out_review_en = {
    .header = "document %1\n  contract: %2\n  register: %3\n",
    .party = {"  provider: %1 (key %2%3)\n", "  client:   %1 (key %2%3)\n"},
    .replacing = ", replacing key %1",
    .version = "  version:  %1 of %2 by %3\n"
               "  message (written by the provider's author, not checked): \"%4\"\n"
               "  previous: %5\n"
               "  document: %6 (%7 bytes)\n"
               "  items:    %8 in scope\n",
    .no_previous = "none (first version)",
    .role = {"provider", "client"},
    .key = "key",
    .previous_key = "previous key",
    .sig_none = "%1 signature (%2 %3): none beside the document (no %4)\n",
    .sig_unchecked = "%1 signature (%2 %3): NOT CHECKED: %4\n",
    .sig_valid = "%1 signature (%2 %3): valid, signed %4 (%5, %6)\n",
    .prev_unchecked = "previous: version %1 NOT CHECKED (--without-previous; no %2): that "
                      "version %3 is version %1 with these changes, and that the %4's key is "
                      "one you signed before\n",
    .prev_ok = "previous: version %1 (%2), signed by %3 key %4 on %5: version %6 is version %1 "
               "with the changes below\n",
    .your = "your",
    .your_previous = "your previous",
    .prev_note = "NOTE: version %1 replaces your key %2 by %3; the signature of version %4 was "
                 "checked with %5, a public key that came with the document: your new key "
                 "cannot vouch for it. Signing version %1 with your previous key first (cosign "
                 "%6 --key OLD.key) anchors it.\n",
    .fork_register = "%1, which you signed (key %2, version %3), belongs to register %4; this "
                     "document belongs to register %5: a second register for one contract is "
                     "a fork (two histories, either of which may be shown later); sign only if "
                     "you know why a new register was started",
    .fork_version = "%1, which you signed (key %2), is another version %3 of register %4 with "
                    "other bytes (%5, this one %6): two versions %3 are a fork",
    .warning = "WARNING: %1\n",
    .changes = "\nchanges in version %1: %2 (%3 added, %4 modified, %5 removed%6)\n",
    .and_key = ", and a key replacement",
    .signed_ = "signed version %1 as the %2 (%3key %4) at %5\n",
    .previous = "previous ",
    .wrote = "wrote %1\nsend it back; the register's keeper stores it with: scopereg attach %2\n",
};

/* ---- free texts made safe ---- */

/* Length of the UTF-8 sequence at s (n bytes left) when it is valid, else 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len;
    unsigned min;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2, min = 0x80;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3, min = 0x800;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4, min = 0x10000;
    else
        return 0;
    if (n < len)
        return 0;
    unsigned cp = s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* The code point of a valid sequence of len bytes. */
static unsigned utf8_cp(const unsigned char *s, size_t len)
{
    unsigned cp = s[0] & (len == 1 ? 0x7F : 0x7F >> len);
    for (size_t i = 1; i < len; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    return cp;
}

/* Characters a terminal acts on instead of showing: C0, DEL, C1, the
 * line and paragraph separators and the bidirectional overrides. */
static int invisible(unsigned cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200E || cp == 0x200F || cp == 0xFEFF;
}

void out_safe_text(inv_buf *b, const char *s, size_t n, int raw, int quoted)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t run = 0; /* printable ASCII that needs nothing, added at once */
        while (i + run < n && p[i + run] >= 0x20 && p[i + run] < 0x7F &&
               !(raw && (p[i + run] == '\\' || (quoted && p[i + run] == '"'))))
            run++;
        if (run) {
            inv_buf_add(b, p + i, run);
            i += run;
            continue;
        }
        unsigned char c = p[i];
        if (raw && (c == '\\' || c == '\n' || c == '\t' || (quoted && c == '"'))) {
            char esc[2] = {'\\', c == '\n' ? 'n' : c == '\t' ? 't' : (char)c};
            inv_buf_add(b, esc, 2);
            i++;
            continue;
        }
        size_t len = utf8_len(p + i, n - i);
        if (!len) {
            inv_buf_printf(b, "\\x%02X", c);
            i++;
            continue;
        }
        unsigned cp = utf8_cp(p + i, len);
        if (invisible(cp)) {
            if (cp < 0x80)
                inv_buf_printf(b, "\\x%02X", cp);
            else
                inv_buf_printf(b, "\\u{%04X}", cp);
        } else {
            inv_buf_add(b, p + i, len);
        }
        i += len;
    }
}

/* ---- writing ---- */

/* Writes b to f and empties it. */
static void flush_to(FILE *f, inv_buf *b)
{
    if (b->data && b->len)
        fwrite(b->data, 1, b->len, f);
    inv_buf_free(b);
}

/* A raw free text (NULL: ""), made safe, in a buffer of its own. */
typedef struct safe {
    inv_buf b;
} safe;

static const char *safe_of(safe *s, const char *text, int quoted)
{
    inv_buf_free(&s->b);
    inv_buf_add(&s->b, "", 0);
    out_safe_text(&s->b, text ? text : "", text ? strlen(text) : 0, 1, quoted);
    return s->b.data ? s->b.data : "";
}

void out_review_header(FILE *f, const char *file, const inv_doc *d, const out_review_words *w)
{
    w = w ? w : &out_review_en;
    inv_buf b = {0};
    safe s1 = {{0}}, s2 = {{0}}, s3 = {{0}};
    char date[32], num[3][24];
    out_say(&b, w->header, safe_of(&s1, file, 0), safe_of(&s2, d->contract, 0), d->register_id,
            NULL);
    for (int i = 0; i < 2; i++) {
        inv_buf rep = {0};
        if (d->old_key[i][0])
            out_say(&rep, w->replacing, d->old_key[i], NULL);
        out_say(&b, w->party[i], safe_of(&s1, d->party[i], 0), d->key[i],
                rep.data ? rep.data : "", NULL);
        inv_buf_free(&rep);
    }
    inv_time_format(d->date, date, sizeof date);
    snprintf(num[0], sizeof num[0], "%lld", (long long)d->version);
    snprintf(num[1], sizeof num[1], "%llu", (unsigned long long)d->size);
    snprintf(num[2], sizeof num[2], "%lld", (long long)d->items);
    out_say(&b, w->version, num[0], date, safe_of(&s1, d->author, 0),
            safe_of(&s3, d->message, 1), d->previous[0] ? d->previous : w->no_previous,
            d->doc_hash, num[1], num[2], NULL);
    flush_to(f, &b);
    inv_buf_free(&s1.b);
    inv_buf_free(&s2.b);
    inv_buf_free(&s3.b);
}

void out_review_sig(FILE *f, const inv_sig_beside *s, const out_review_words *w)
{
    w = w ? w : &out_review_en;
    inv_buf b = {0};
    const char *role = w->role[s->role], *what = s->old ? w->previous_key : w->key;
    char date[32];
    if (s->status == INV_BESIDE_ABSENT) {
        out_say(&b, w->sig_none, role, what, s->want, inv_path_base(s->path), NULL);
    } else if (s->status == INV_BESIDE_NO_KEY) {
        out_say(&b, w->sig_unchecked, role, what, s->want, s->err.msg, NULL);
    } else if (s->status == INV_BESIDE_VALID) {
        inv_time_format(s->signed_at, date, sizeof date);
        out_say(&b, w->sig_valid, role, what, s->want, date, inv_path_base(s->path),
                inv_path_base(s->pub_path ? s->pub_path : ""), NULL);
    }
    flush_to(f, &b);
}

void out_review_previous(FILE *f, const inv_prev_check *p, const inv_doc *d, int role,
                         const char *mine_keyid, const char *file, const out_review_words *w)
{
    w = w ? w : &out_review_en;
    inv_buf b = {0};
    char n[24], pv[24], date[32];
    snprintf(n, sizeof n, "%lld", (long long)d->version);
    snprintf(pv, sizeof pv, "%lld", (long long)p->version);
    if (p->absent) {
        out_say(&b, w->prev_unchecked, pv, inv_path_base(p->path), n, w->role[!role], NULL);
    } else {
        inv_time_format(p->signed_at, date, sizeof date);
        out_say(&b, w->prev_ok, pv, inv_path_base(p->path), p->by_old ? w->your_previous : w->your,
                p->want, date, n, NULL);
        if (p->by_old)
            out_say(&b, w->prev_note, n, p->want, mine_keyid, pv,
                    inv_path_base(p->pub_path ? p->pub_path : ""), inv_path_base(file), NULL);
    }
    flush_to(f, &b);
}

char *out_review_fork(const inv_fork *fk, const inv_doc *d, const char *mine_keyid,
                      const out_review_words *w)
{
    w = w ? w : &out_review_en;
    inv_buf b = {0};
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)fk->version);
    inv_buf_add(&b, "", 0);
    if (fk->other_register)
        out_say(&b, w->fork_register, fk->path, mine_keyid, v, fk->register_id,
                d->register_id, NULL);
    else
        out_say(&b, w->fork_version, fk->path, mine_keyid, v, fk->register_id, fk->doc_hash,
                d->doc_hash, NULL);
    return b.data;
}

void out_review_warning(FILE *f, const char *text, const out_review_words *w)
{
    w = w ? w : &out_review_en;
    inv_buf b = {0};
    out_say(&b, w->warning, text, NULL);
    flush_to(f, &b);
}

void out_review_changes(FILE *f, const inv_doc *d, const out_review_words *w)
{
    w = w ? w : &out_review_en;
    inv_buf b = {0};
    char n[5][24];
    const int64_t v[5] = {d->version, d->changes, d->added, d->modified, d->removed};
    for (int i = 0; i < 5; i++)
        snprintf(n[i], sizeof n[i], "%lld", (long long)v[i]);
    out_say(&b, w->changes, n[0], n[1], n[2], n[3], n[4], d->rekeyed ? w->and_key : "", NULL);
    flush_to(f, &b);
}

void out_review_change_line(FILE *f, const char *line, size_t len)
{
    inv_buf b = {0};
    out_safe_text(&b, line, len, 0, 0);
    inv_buf_add(&b, "\n", 1);
    flush_to(f, &b);
}

void out_review_signed(FILE *f, const inv_doc *d, int role, int old, const char *keyid,
                       int64_t at, const char *sig_path, const out_review_words *w)
{
    w = w ? w : &out_review_en;
    inv_buf b = {0};
    safe s1 = {{0}}, s2 = {{0}};
    char n[24], date[32];
    snprintf(n, sizeof n, "%lld", (long long)d->version);
    inv_time_format(at, date, sizeof date);
    out_say(&b, w->signed_, n, w->role[role], old ? w->previous : "", keyid, date, NULL);
    out_say(&b, w->wrote, safe_of(&s1, sig_path, 0), safe_of(&s2, inv_path_base(sig_path), 0), NULL);
    flush_to(f, &b);
    inv_buf_free(&s1.b);
    inv_buf_free(&s2.b);
}
