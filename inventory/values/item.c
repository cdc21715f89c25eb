/*
 * item.c - items of the scope: fields, attribute keys, values, kinds.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csvread.h"
#include "internal.h"

void inv_item_init(inv_item *it)
{
    memset(it, 0, sizeof *it);
}

void inv_item_free(inv_item *it)
{
    free(it->id);
    free(it->kind);
    free(it->name);
    for (size_t i = 0; i < it->nattrs; i++) {
        free(it->attrs[i].key);
        free(it->attrs[i].value);
    }
    free(it->attrs);
    inv_item_init(it);
}

static int set_str(char **dst, const char *src)
{
    char *d = src ? inv__strdup(src) : NULL;
    if (src && !d)
        return -1;
    free(*dst);
    *dst = d;
    return 0;
}

int inv_item_copy(inv_item *dst, const inv_item *src)
{
    inv_item_free(dst);
    if (set_str(&dst->id, src->id) || set_str(&dst->kind, src->kind) ||
        set_str(&dst->name, src->name))
        goto oom;
    if (src->nattrs) {
        dst->attrs = calloc(src->nattrs, sizeof *dst->attrs);
        if (!dst->attrs)
            goto oom;
        dst->cap = src->nattrs;
        for (size_t i = 0; i < src->nattrs; i++) {
            dst->attrs[i].key = inv__strdup(src->attrs[i].key);
            dst->attrs[i].value = inv__strdup(src->attrs[i].value);
            dst->nattrs = i + 1;
            if (!dst->attrs[i].key || !dst->attrs[i].value)
                goto oom;
        }
    }
    return INV_OK;
oom:
    inv_item_free(dst);
    return INV_EIO;
}

/* Index of key, or -(insertion point)-1. */
static long find_attr(const inv_item *it, const char *key)
{
    size_t lo = 0, hi = it->nattrs;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(it->attrs[mid].key, key);
        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -(long)lo - 1;
}

const char *inv_item_get(const inv_item *it, const char *key)
{
    long i = find_attr(it, key);
    return i >= 0 ? it->attrs[i].value : NULL;
}

/* Stores key/value without checking (the decoder and inv_item_set use it). */
static int put_attr(inv_item *it, const char *key, size_t klen, const char *value,
                    size_t vlen)
{
    char *k = malloc(klen + 1), *v = malloc(vlen + 1);
    if (!k || !v) {
        free(k);
        free(v);
        return -1;
    }
    memcpy(k, key, klen);
    k[klen] = '\0';
    memcpy(v, value, vlen);
    v[vlen] = '\0';
    long i = find_attr(it, k);
    if (i >= 0) {
        free(k);
        free(it->attrs[i].value);
        it->attrs[i].value = v;
        return 0;
    }
    size_t at = (size_t)(-i - 1);
    if (it->nattrs == it->cap) {
        size_t cap = it->cap ? it->cap * 2 : 8;
        inv_attr *a = realloc(it->attrs, cap * sizeof *a);
        if (!a) {
            free(k);
            free(v);
            return -1;
        }
        it->attrs = a;
        it->cap = cap;
    }
    memmove(it->attrs + at + 1, it->attrs + at, (it->nattrs - at) * sizeof *it->attrs);
    it->attrs[at].key = k;
    it->attrs[at].value = v;
    it->nattrs++;
    return 0;
}

int inv_item_set(inv_item *it, const char *key, const char *value, inv_err *e)
{
    char norm[256];
    if (strlen(key) >= sizeof norm)
        return inv_fail(e, INV_EINPUT, "attribute key '%.40s...' is longer than 255 bytes",
                        key);
    strcpy(norm, key);
    if (inv_key_normalise(norm) != 0)
        return inv_fail(e, INV_EINPUT,
                        "attribute key '%s' has no letter or digit to keep", key);
    if (strcmp(norm, "id") == 0)
        return inv_fail(e, INV_EINPUT, "the id of an item cannot be changed with --set");
    if (strcmp(norm, "kind") == 0) {
        const char *k = inv_kind_canonical(value);
        if (!k) {
            const char *near = inv_kind_suggest(value);
            return inv_fail(e, INV_EINPUT, "unknown kind '%s'%s%s%s; %s", value,
                            near ? " (did you mean '" : "", near ? near : "",
                            near ? "'?)" : "", inv_kind_help());
        }
        return set_str(&it->kind, k) ? INV_EIO : INV_OK;
    }
    /* A CR LF inside a value is kept as LF (text pasted from Windows); a
     * lone CR stays a control character and is refused. */
    char *lf = NULL;
    if (strstr(value, "\r\n")) {
        if (!(lf = inv__strdup(value)))
            return inv_fail(e, INV_EIO, "out of memory");
        char *w = lf;
        for (const char *r = value; *r; r++)
            if (!(r[0] == '\r' && r[1] == '\n'))
                *w++ = *r;
        *w = '\0';
        value = lf;
    }
    int rc = inv_value_check(norm, value, e);
    if (!rc && strcmp(norm, "name") == 0)
        rc = set_str(&it->name, value) ? inv_fail(e, INV_EIO, "out of memory") : INV_OK;
    else if (!rc && put_attr(it, norm, strlen(norm), value, strlen(value)))
        rc = inv_fail(e, INV_EIO, "out of memory");
    free(lf);
    return rc;
}

int inv_item_key_alias(const char *key, char *out, size_t outlen)
{
    const char *f = inv_csv_alias_field(key);
    char norm[256];
    snprintf(norm, sizeof norm, "%s", f ? f : key);
    if (inv_key_normalise(norm) != 0 || strlen(norm) >= outlen)
        return -1;
    memcpy(out, norm, strlen(norm) + 1);
    return 0;
}

int inv_item_set_alias(inv_item *it, const char *key, const char *value, inv_err *e)
{
    const char *f = inv_csv_alias_field(key);
    if (f && !strcmp(f, "id"))
        return inv_fail(e, INV_EINPUT, "'%s' names the id (as an import header would), which "
                        "--set cannot change; remove the item and add it under its new id",
                        key);
    return inv_item_set(it, f ? f : key, value, e);
}

int inv_item_unset(inv_item *it, const char *key, inv_err *e)
{
    char norm[256];
    snprintf(norm, sizeof norm, "%s", key);
    if (inv_key_normalise(norm) != 0 || !strcmp(norm, "id") || !strcmp(norm, "kind") ||
        !strcmp(norm, "name"))
        return inv_fail(e, INV_EINPUT, "cannot unset '%s': only attributes can be unset",
                        key);
    long i = find_attr(it, norm);
    if (i < 0)
        return inv_fail(e, INV_EINPUT, "item '%s' has no attribute '%s'",
                        it->id ? it->id : "", norm);
    free(it->attrs[i].key);
    free(it->attrs[i].value);
    memmove(it->attrs + i, it->attrs + i + 1, (it->nattrs - (size_t)i - 1) * sizeof *it->attrs);
    it->nattrs--;
    return INV_OK;
}

static int str_eq(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

int inv_item_equal(const inv_item *a, const inv_item *b)
{
    if (!str_eq(a->kind, b->kind) || !str_eq(a->name, b->name) || a->nattrs != b->nattrs)
        return 0;
    for (size_t i = 0; i < a->nattrs; i++)
        if (strcmp(a->attrs[i].key, b->attrs[i].key) ||
            strcmp(a->attrs[i].value, b->attrs[i].value))
            return 0;
    return 1;
}

size_t inv_utf8_len(const unsigned char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        return (n >= 2 && (s[1] & 0xC0) == 0x80) ? 2 : 0;
    if (s[0] >= 0xE0 && s[0] <= 0xEF) {
        if (n < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] >= 0xA0))
            return 0; /* overlong, surrogate */
        return 3;
    }
    if (s[0] >= 0xF0 && s[0] <= 0xF4) {
        if (n < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        if ((s[0] == 0xF0 && s[1] < 0x90) || (s[0] == 0xF4 && s[1] >= 0x90))
            return 0;
        return 4;
    }
    return 0;
}

/* Checks UTF-8 and control characters; allow_tab_lf for values. Returns the
 * 1-based character position of the first fault, 0 when clean; *what says
 * which fault. */
static size_t text_fault(const char *text, int allow_tab_lf, const char **what)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t pos = 1, left = strlen(text);
    while (*s) {
        size_t n = inv_utf8_len(s, left);
        if (n == 0) {
            *what = "invalid UTF-8";
            return pos;
        }
        if (n == 1 && (*s < 0x20 || *s == 0x7f) && !(allow_tab_lf && (*s == '\t' || *s == '\n'))) {
            *what = "a control character";
            return pos;
        }
        if (n == 2 && s[0] == 0xC2 && s[1] < 0xA0) {
            *what = "a control character";
            return pos;
        }
        s += n;
        left -= n;
        pos++;
    }
    return 0;
}

int inv_value_check(const char *field, const char *value, inv_err *e)
{
    const char *what;
    size_t len = strlen(value);
    if (len > INV_VALUE_MAX)
        return inv_fail(e, INV_EINPUT, "field '%s': value is %zu bytes, more than %d",
                        field, len, INV_VALUE_MAX);
    size_t pos = text_fault(value, 1, &what);
    if (pos)
        return inv_fail(e, INV_EINPUT, "field '%s': %s at character %zu%s", field, what, pos,
                        what[0] == 'a' ? " (only tab and line feed are allowed among control "
                                         "characters)"
                                       : "");
    return INV_OK;
}

int inv_id_check(const char *id, inv_err *e)
{
    const char *what;
    size_t len = strlen(id);
    if (len == 0)
        return inv_fail(e, INV_EINPUT, "empty item id");
    if (len > 200)
        return inv_fail(e, INV_EINPUT, "item id '%.40s...' is longer than 200 bytes", id);
    size_t pos = text_fault(id, 0, &what);
    if (pos)
        return inv_fail(e, INV_EINPUT, "item id: %s at character %zu", what, pos);
    if (isspace((unsigned char)id[0]) || isspace((unsigned char)id[len - 1]))
        return inv_fail(e, INV_EINPUT, "item id '%s' starts or ends with a space", id);
    return INV_OK;
}

int inv_key_check(const char *key, inv_err *e)
{
    const char *p = key;
    if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9')))
        goto bad;
    for (; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_' ||
              *p == '.' || *p == '-'))
            goto bad;
    if (p - key > 64)
        goto bad;
    if (!strcmp(key, "id") || !strcmp(key, "kind") || !strcmp(key, "name"))
        return inv_fail(e, INV_EINPUT, "'%s' is a field, not an attribute key", key);
    return INV_OK;
bad:
    return inv_fail(e, INV_EINPUT,
                    "invalid attribute key '%s': expected 1 to 64 of a-z 0-9 _ . - "
                    "starting with a letter or digit",
                    key);
}

int inv_item_check(const inv_item *it, inv_err *e)
{
    int rc = inv_id_check(it->id ? it->id : "", e);
    if (rc)
        return rc;
    if (!it->kind || !inv_kind_canonical(it->kind) || strcmp(inv_kind_canonical(it->kind), it->kind))
        return inv_fail(e, INV_EINPUT, "item '%s': missing or non-canonical kind", it->id);
    if ((rc = inv_value_check("name", it->name ? it->name : "", e)))
        return rc;
    for (size_t i = 0; i < it->nattrs; i++) {
        if ((rc = inv_key_check(it->attrs[i].key, e)) ||
            (rc = inv_value_check(it->attrs[i].key, it->attrs[i].value, e)))
            return rc;
        if (i && strcmp(it->attrs[i - 1].key, it->attrs[i].key) >= 0)
            return inv_fail(e, INV_EINPUT, "item '%s': attributes not sorted or repeated",
                            it->id);
    }
    return INV_OK;
}

/* ---- folding of header names, keys and kinds ---- */

/* Folds UTF-8 text to lower-case ASCII; characters that are not letters or
 * digits become sep (kept when keep_punct and they are '.', '-' or '_').
 * Runs of sep collapse; sep at the edges is dropped. sep 0 drops them. */
static void fold(const char *in, char *out, size_t outlen, char sep, int keep_punct)
{
    size_t o = 0;
    int pending = 0;
    const unsigned char *s = (const unsigned char *)in;
    while (*s && o + 4 < outlen) {
        const char *rep = NULL;
        char one[2] = {0, 0};
        size_t adv = 1;
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
            while ((s[adv] & 0xC0) == 0x80)
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

int inv_key_normalise(char *key)
{
    char tmp[256];
    fold(key, tmp, sizeof tmp, '_', 1);
    /* collapse punctuation runs and trim them at the edges */
    size_t o = 0;
    for (size_t i = 0; tmp[i] && o < 64; i++) {
        int punct = tmp[i] == '_' || tmp[i] == '.' || tmp[i] == '-';
        if (punct && (o == 0 || key[o - 1] == '_' || key[o - 1] == '.' || key[o - 1] == '-'))
            continue;
        key[o++] = tmp[i];
    }
    while (o > 0 && (key[o - 1] == '_' || key[o - 1] == '.' || key[o - 1] == '-'))
        o--;
    key[o] = '\0';
    if (o > 64)
        key[64] = '\0';
    return o ? 0 : -1;
}

/* ---- kinds ---- */

static const struct {
    const char *kind;
    const char *aliases; /* '|'-separated, compared after folding to [a-z0-9] */
} kinds[] = {
    /* After each kind's own English and French words come the vocabularies
     * of asset tools, so their exports map without --map-kind: GLPI item
     * and computer types, Snipe-IT categories, NetBox device roles,
     * Lansweeper asset types. Words that name several kinds (Lansweeper's
     * "Windows" or "Linux": a server or a workstation) are left out on
     * purpose: the import asks for --map-kind rather than guess. */
    {"workstation", "workstation|poste|poste de travail|pc|laptop|portable|desktop|"
                    "ordinateur|ordinateur portable|computer|notebook|station de travail|"
                    "client leger|thin client|tablet|tablette|pc portable|pc fixe|"
                    "poste fixe|poste portable|all in one|mac|apple mac|macbook|imac|"
                    "virtual desktop|ordinateur fixe"},
    {"server", "server|serveur|vm|virtual machine|machine virtuelle|hypervisor|"
               "hyperviseur|host|nas|san|serveur virtuel|physical server|"
               "serveur physique|virtual server|vmware guest|hyper-v guest|esxi|"
               "vmware esxi|hyper-v host|storage|stockage|baie de stockage|webserver|"
               "web server"},
    {"os", "os|operating system|systeme d exploitation|systeme"},
    {"software", "software|logiciel|application|app|licence|license|saas|progiciel|"
                 "software license|licence logicielle"},
    {"network", "network|reseau|switch|commutateur|router|routeur|firewall|pare-feu|"
                "parefeu|wifi|wi-fi|access point|borne wifi|point d acces|ap|modem|"
                "load balancer|network device|equipement reseau|materiel reseau|"
                "networking|network equipment|networkequipment|access switch|"
                "core switch|distribution switch|edge switch|wireless ap|"
                "wireless access point|borne|wlan controller|wireless controller|"
                "console server|gateway|passerelle|security appliance|utm|patch panel|"
                "panneau de brassage"},
    {"printer", "printer|imprimante|mfp|multifonction|copier|copieur|scanner|plotter|"
                "traceur|multifunction printer|imprimante multifonction|label printer"},
    {"vpn", "vpn|acces vpn|vpn access|remote access|acces distant|tunnel"},
    {"other", "other|autre|divers|misc|phone|telephone|ups|onduleur|pdu|monitor|"
              "moniteur|ecran|display|peripheral|peripherique|ip phone|telephone ip|"
              "mobile phone|smartphone|telephone mobile|mobile|camera|ip camera|"
              "accessory|accessories|accessoire|consumable|component|docking station|"
              "station d accueil|projector|projecteur|videoprojecteur"},
};

/* Walks the aliases: each call gives the next alias as written, folded,
 * and its kind; returns 0 past the last one. *k and *p start at 0 and
 * NULL. */
static int next_alias(size_t *k, const char **p, char alias[64], char folded[64],
                      const char **kind)
{
    while (*k < sizeof kinds / sizeof kinds[0]) {
        if (!*p)
            *p = kinds[*k].aliases;
        if (**p) {
            const char *end = strchr(*p, '|');
            size_t n = end ? (size_t)(end - *p) : strlen(*p);
            snprintf(alias, 64, "%.*s", (int)n, *p);
            fold(alias, folded, 64, 0, 0);
            *kind = kinds[*k].kind;
            *p += n + (end ? 1 : 0);
            return 1;
        }
        (*k)++;
        *p = NULL;
    }
    return 0;
}

/* The kind whose alias folds to want, or NULL. */
static const char *kind_lookup(const char *want)
{
    size_t k = 0;
    const char *p = NULL, *kind;
    char alias[64], folded[64];
    while (next_alias(&k, &p, alias, folded, &kind))
        if (strcmp(folded, want) == 0)
            return kind;
    return NULL;
}

const char *inv_kind_canonical(const char *text)
{
    /* The canonical names themselves, as every document and stored row
     * holds them: found without folding. */
    static const char *const canonical[] = {"workstation", "server", "os",  "software",
                                            "network",     "printer", "vpn", "other"};
    for (size_t i = 0; i < sizeof canonical / sizeof canonical[0]; i++)
        if (strcmp(text, canonical[i]) == 0)
            return canonical[i];
    char want[128];
    fold(text, want, sizeof want, 0, 0);
    if (!want[0])
        return NULL;
    const char *k = kind_lookup(want);
    /* Asset tools name categories in the plural: "Laptops", "Switches",
     * "Serveurs", "Imprimantes". */
    size_t n = strlen(want);
    if (!k && n > 2 && (want[n - 1] == 's' || (want[n - 1] == 'x' && want[n - 2] == 'u'))) {
        want[n - 1] = '\0';
        k = kind_lookup(want);
        if (!k && n > 3 && want[n - 2] == 'e') {
            want[n - 2] = '\0';
            k = kind_lookup(want);
        }
    }
    return k;
}

const char *inv_kind_help(void)
{
    return "accepted kinds: workstation (poste, PC, laptop, portable, desktop), "
           "server (serveur, VM, NAS), os (systeme d'exploitation), "
           "software (logiciel, application, licence), "
           "network (reseau, switch, routeur, firewall, pare-feu, wifi, access point), "
           "printer (imprimante, copieur, scanner), vpn (acces VPN, remote access), "
           "other (autre, phone, UPS)";
}

static size_t levenshtein(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t row[64 + 1];
    if (lb > 64)
        lb = 64;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

/* The closest alias to text and its distance (folded, edit distance). */
static size_t closest(const char *text, char best_name[64])
{
    char want[64], alias[64], folded[64];
    size_t best = (size_t)-1, k = 0;
    const char *p = NULL, *kind;
    fold(text, want, sizeof want, 0, 0);
    snprintf(best_name, 64, "other");
    while (next_alias(&k, &p, alias, folded, &kind)) {
        size_t d = levenshtein(want, folded);
        if (d < best) {
            best = d;
            snprintf(best_name, 64, "%s", alias);
        }
    }
    return best;
}

/* Not reentrant: the name is kept in a static buffer. */
const char *inv_kind_closest(const char *text)
{
    static char best_name[64];
    closest(text, best_name);
    return best_name;
}

const char *inv_kind_suggest(const char *text)
{
    static char best_name[64];
    char want[64];
    fold(text, want, sizeof want, 0, 0);
    size_t n = strlen(want);
    if (n < 2)
        return NULL;
    size_t d = closest(text, best_name);
    /* close: a slip of one letter in four, at most 3 */
    size_t allowed = n / 4 ? n / 4 : 1;
    if (allowed > 3)
        allowed = 3;
    return d <= allowed ? best_name : NULL;
}

const char *inv_kind_list(void)
{
    return "workstation, server, os, software, network, printer, vpn, other";
}

/* ---- storage encoding of attributes ---- */

int inv__attrs_encode(const inv_item *it, inv_buf *b)
{
    b->len = 0;
    if (inv_buf_add(b, "", 0))
        return -1;
    for (size_t i = 0; i < it->nattrs; i++) {
        char sep[1] = {INV_KEY_SEP}, end[1] = {INV_ATTR_SEP};
        if (inv_buf_puts(b, it->attrs[i].key) || inv_buf_add(b, sep, 1) ||
            inv_buf_puts(b, it->attrs[i].value) || inv_buf_add(b, end, 1))
            return -1;
    }
    return 0;
}

int inv__attrs_decode(inv_item *it, const char *enc, size_t len, int strict, inv_err *e)
{
    const char *p = enc, *end = enc + len;
    while (p < end) {
        const char *ks = memchr(p, INV_KEY_SEP, (size_t)(end - p));
        const char *vs = ks ? memchr(ks + 1, INV_ATTR_SEP, (size_t)(end - ks - 1)) : NULL;
        if (!vs)
            return inv_fail(e, INV_EINPUT, "item '%s': malformed stored attributes",
                            it->id ? it->id : "");
        size_t before = it->nattrs;
        if (put_attr(it, p, (size_t)(ks - p), ks + 1, (size_t)(vs - ks - 1)))
            return inv_fail(e, INV_EIO, "out of memory");
        if (strict) {
            /* Stored attributes must be in canonical order, with valid keys
             * and values: anything else was written behind the tool's back. */
            size_t klen = (size_t)(ks - p);
            const inv_attr *a = &it->attrs[it->nattrs - 1];
            if (it->nattrs != before + 1 || strlen(a->key) != klen ||
                memcmp(a->key, p, klen) != 0)
                return inv_fail(e, INV_EINPUT,
                                "item '%s': stored attributes are repeated or out of order",
                                it->id ? it->id : "");
            inv_err sub;
            if (inv_key_check(a->key, &sub) || inv_value_check(a->key, a->value, &sub))
                return inv_fail(e, INV_EINPUT, "item '%s': stored attribute: %s",
                                it->id ? it->id : "", sub.msg);
        }
        p = vs + 1;
    }
    return INV_OK;
}
