/*
 * tc.c - the trusted comments of a scope-document signature and of a
 * checkpoint signature (two grammars, formatted and parsed strictly) and
 * the two roles. No register.
 */
#include <stdlib.h>
#include <string.h>

#include "values_int.h"

void inv_tc_format(const inv_tc *tc, char *out, size_t outlen)
{
    char date[32];
    inv_time_format(tc->signed_at, date, sizeof date);
    snprintf(out, outlen, "scopereg register:%s version:%lld role:%s document:%s signed:%s",
             tc->register_id, (long long)tc->version, tc->role, tc->doc_hash, date);
}

/* The fields of a trusted comment, in their order. */
static const char *const tc_fields[5] = {"register", "version", "role", "document", "signed"};

#define TC_GRAMMAR                                                                          \
    "a scope-document signature's trusted comment is exactly: scopereg "                    \
    "register:<32 lower-case hex digits> version:<number> role:<provider|client> "          \
    "document:blake2b-256:<64 lower-case hex digits> signed:<YYYY-MM-DDTHH:MM:SSZ>, "       \
    "each field once, in that order, single spaces"

/* Index in tc_fields of the field named by the n bytes at name, -1 if none. */
static int tc_field_index(const char *name, size_t n)
{
    for (int i = 0; i < 5; i++)
        if (strlen(tc_fields[i]) == n && !memcmp(name, tc_fields[i], n))
            return i;
    return -1;
}

/* n bytes of s for a message: printable ASCII as is, any other byte as
 * \xNN (no terminal control sequence gets through), cut at 60 bytes. */
static void tc_quote(char *out, size_t outlen, const char *s, size_t n)
{
    size_t o = 0, i;
    for (i = 0; i < n && i < 60 && o + 5 < outlen; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7f)
            out[o++] = (char)c;
        else
            o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
    }
    if (i < n && o + 4 < outlen) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}

/* Whether the n bytes at s are lower-case hex digits. */
static int lower_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* Checks the value v (n bytes) of field k and stores it in out; INV_EINPUT
 * naming the field. */
static int tc_value(int k, const char *v, size_t n, inv_tc *out, inv_err *e)
{
    char q[300], buf[32];
    tc_quote(q, sizeof q, v, n);
    switch (k) {
    case 0:
        if (n != 32 || !lower_hex(v, n))
            return inv_fail(e, INV_EINPUT, "trusted comment: register: '%s' is not a register "
                            "id (32 lower-case hex digits)", q);
        memcpy(out->register_id, v, n);
        out->register_id[n] = '\0';
        return INV_OK;
    case 1:
        if (n < 1 || n > 18 || strspn(v, "0123456789") < n || v[0] == '0')
            return inv_fail(e, INV_EINPUT, "trusted comment: version: '%s' is not a version "
                            "number (decimal digits, from 1, no sign, no leading zero)", q);
        memcpy(buf, v, n);
        buf[n] = '\0';
        out->version = strtoll(buf, NULL, 10);
        return INV_OK;
    case 2:
        if (!((n == 8 && !memcmp(v, "provider", 8)) || (n == 6 && !memcmp(v, "client", 6))))
            return inv_fail(e, INV_EINPUT, "trusted comment: role: '%s' must be provider or "
                            "client", q);
        memcpy(out->role, v, n);
        out->role[n] = '\0';
        return INV_OK;
    case 3: {
        size_t pl = sizeof CR_HASH_PREFIX - 1;
        if (n != pl + 2 * CR_HASH_BYTES || memcmp(v, CR_HASH_PREFIX, pl) ||
            !lower_hex(v + pl, n - pl))
            return inv_fail(e, INV_EINPUT, "trusted comment: document: '%s' is not %s and 64 "
                            "lower-case hex digits", q, CR_HASH_PREFIX);
        memcpy(out->doc_hash, v, n);
        out->doc_hash[n] = '\0';
        return INV_OK;
    }
    default: {
        /* YYYY-MM-DDTHH:MM:SSZ exactly, and a real instant written back
         * the same (no 24:00:00, no 31 April). */
        static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
        char back[32];
        int ok = n == sizeof shape - 1;
        for (size_t i = 0; ok && i < n; i++)
            ok = shape[i] == 'd' ? v[i] >= '0' && v[i] <= '9' : v[i] == shape[i];
        if (ok) {
            memcpy(buf, v, n);
            buf[n] = '\0';
            ok = inv_time_parse(buf, 0, &out->signed_at, NULL) == INV_OK;
            if (ok) {
                inv_time_format(out->signed_at, back, sizeof back);
                ok = !strcmp(back, buf);
            }
        }
        if (!ok)
            return inv_fail(e, INV_EINPUT, "trusted comment: signed: '%s' is not a date "
                            "YYYY-MM-DDTHH:MM:SSZ", q);
        return INV_OK;
    }
    }
}

int inv_tc_parse(const char *text, inv_tc *out, inv_err *e)
{
    char q[300], a[300];
    const char *tok[5];
    size_t toklen[5];
    memset(out, 0, sizeof *out);
    if (strncmp(text, "scopereg ", 9) != 0)
        return inv_fail(e, INV_EINPUT, "trusted comment does not start with 'scopereg ': "
                                       "not a signature of a scope document");
    const char *p = text + 9, *prev = text;
    size_t prevlen = 8;
    for (int k = 0; k < 5; k++) {
        size_t tlen = strcspn(p, " ");
        tc_quote(a, sizeof a, prev, prevlen);
        if (tlen == 0 && *p == '\0')
            return inv_fail(e, INV_EINPUT, "trusted comment: '%s:' is missing after '%s'; %s",
                            tc_fields[k], a, TC_GRAMMAR);
        if (tlen == 0)
            return inv_fail(e, INV_EINPUT, "trusted comment: two spaces after '%s'; %s",
                            a, TC_GRAMMAR);
        const char *colon = memchr(p, ':', tlen);
        int j = colon ? tc_field_index(p, (size_t)(colon - p)) : -1;
        if (j >= 0 && j < k) {
            tc_quote(q, sizeof q, p, tlen);
            tc_quote(a, sizeof a, tok[j], toklen[j]);
            return inv_fail(e, INV_EINPUT, "trusted comment: '%s:' appears twice ('%s' and "
                            "'%s'); %s", tc_fields[j], a, q, TC_GRAMMAR);
        }
        if (j > k)
            return inv_fail(e, INV_EINPUT, "trusted comment: '%s:' is missing: '%s:' comes "
                            "after '%s'; %s", tc_fields[k], tc_fields[j], a, TC_GRAMMAR);
        if (j < 0) {
            /* The text that does not belong: up to the next field name. */
            const char *end = p + tlen;
            while (*end == ' ') {
                const char *t = end + 1;
                size_t l = strcspn(t, " ");
                const char *c = memchr(t, ':', l);
                if (c && tc_field_index(t, (size_t)(c - t)) >= 0)
                    break;
                end = t + l;
            }
            tc_quote(q, sizeof q, p, (size_t)(end - p));
            return inv_fail(e, INV_EINPUT, "trusted comment: unexpected text '%s' after "
                            "'%s'; %s", q, a, TC_GRAMMAR);
        }
        int rc = tc_value(k, colon + 1, tlen - (size_t)(colon + 1 - p), out, e);
        if (rc)
            return rc;
        tok[k] = p;
        toklen[k] = tlen;
        prev = p;
        prevlen = tlen;
        p += tlen;
        if (k < 4 && *p == ' ')
            p++;
    }
    if (*p) {
        tc_quote(a, sizeof a, prev, prevlen);
        if (!p[1])
            return inv_fail(e, INV_EINPUT, "trusted comment: a space after '%s' at the end; %s",
                            a, TC_GRAMMAR);
        tc_quote(q, sizeof q, p + 1, strlen(p + 1));
        return inv_fail(e, INV_EINPUT, "trusted comment: unexpected text '%s' after '%s'; %s",
                        q, a, TC_GRAMMAR);
    }
    /* What was read, written back, is what was signed: nothing else can
     * hide in it. */
    char back[512];
    inv_tc_format(out, back, sizeof back);
    if (strcmp(back, text))
        return inv_fail(e, INV_EINPUT, "trusted comment is not in the form scopereg writes; %s",
                        TC_GRAMMAR);
    return INV_OK;
}

/* ---- The trusted comment of a checkpoint signature ---- */

void inv_cptc_format(const inv_cptc *tc, char *out, size_t outlen)
{
    char date[32], doc[32];
    inv_time_format(tc->signed_at, date, sizeof date);
    inv_time_format(tc->doc_signed_at, doc, sizeof doc);
    snprintf(out, outlen, INV_CPTC_PREFIX "register:%s version:%lld role:%s root:blake2b-256:%s "
             "document-signed:%s signed:%s", tc->register_id, (long long)tc->version, tc->role,
             tc->root, doc, date);
}

#define CPTC_GRAMMAR                                                                        \
    "a checkpoint signature's trusted comment is exactly: scopereg-checkpoint "             \
    "register:<32 lower-case hex digits> version:<number> role:<provider|client> "          \
    "root:blake2b-256:<64 lower-case hex digits> document-signed:<YYYY-MM-DDTHH:MM:SSZ> "        \
    "signed:<YYYY-MM-DDTHH:MM:SSZ>, each field once, in that order, single spaces"

int inv_cptc_parse(const char *text, inv_cptc *out, inv_err *e)
{
    static const char *const names[6] = {"register", "version", "role", "root",
                                         "document-signed", "signed"};
    static const int slot[6] = {0, 1, 2, -1, 4, 4}; /* the field of tc_value, -1: root */
    char q[300];
    inv_tc t;
    memset(out, 0, sizeof *out);
    memset(&t, 0, sizeof t);
    size_t pl = sizeof INV_CPTC_PREFIX - 1;
    if (strncmp(text, INV_CPTC_PREFIX, pl) != 0)
        return inv_fail(e, INV_EINPUT, "trusted comment does not start with '%s': not a "
                        "signature of a checkpoint", INV_CPTC_PREFIX);
    const char *p = text + pl;
    for (int k = 0; k < 6; k++) {
        size_t tlen = strcspn(p, " "), nl = strlen(names[k]);
        tc_quote(q, sizeof q, p, tlen);
        if (tlen <= nl || memcmp(p, names[k], nl) || p[nl] != ':')
            return inv_fail(e, INV_EINPUT, "trusted comment: expected '%s:' where it reads "
                            "'%s'; %s", names[k], q, CPTC_GRAMMAR);
        const char *v = p + nl + 1;
        size_t n = tlen - nl - 1;
        if (slot[k] >= 0) {
            int rc = tc_value(slot[k], v, n, &t, e);
            if (rc) {
                if (k == 4) {
                    tc_quote(q, sizeof q, v, n);
                    inv_fail(e, INV_EINPUT, "trusted comment: document-signed: '%s' is not a "
                             "date YYYY-MM-DDTHH:MM:SSZ", q);
                }
                return rc;
            }
            if (k == 4)
                out->doc_signed_at = t.signed_at;
        } else if (n != 12 + 64 || memcmp(v, "blake2b-256:", 12) || !lower_hex(v + 12, 64)) {
            return inv_fail(e, INV_EINPUT, "trusted comment: root: '%s' is not blake2b-256: and "
                            "64 lower-case hex digits", q);
        } else {
            memcpy(out->root, v + 12, 64);
            out->root[64] = '\0';
        }
        p += tlen;
        if (k < 5) {
            if (*p != ' ' || p[1] == ' ' || !p[1])
                return inv_fail(e, INV_EINPUT, "trusted comment: '%s:' must follow '%s' after "
                                "one space; %s", names[k + 1], q, CPTC_GRAMMAR);
            p++;
        }
    }
    if (*p) {
        tc_quote(q, sizeof q, p, strlen(p));
        return inv_fail(e, INV_EINPUT, "trusted comment: unexpected text '%s' at the end; %s",
                        q, CPTC_GRAMMAR);
    }
    memcpy(out->register_id, t.register_id, sizeof out->register_id);
    out->version = t.version;
    memcpy(out->role, t.role, sizeof out->role);
    out->signed_at = t.signed_at;
    char back[512];
    inv_cptc_format(out, back, sizeof back);
    if (strcmp(back, text))
        return inv_fail(e, INV_EINPUT, "trusted comment is not in the form scopereg writes; %s",
                        CPTC_GRAMMAR);
    return INV_OK;
}

const char *const inv_roles[2] = {"provider", "client"};

int inv_role_index(const char *role)
{
    if (role && !strcmp(role, "provider"))
        return INV_ROLE_PROVIDER;
    if (role && !strcmp(role, "client"))
        return INV_ROLE_CLIENT;
    return -1;
}

int inv__role_check(const char *role, inv_err *e)
{
    if (inv_role_index(role) < 0)
        return inv_fail(e, INV_EINPUT, "role '%s': must be provider or client",
                        role ? role : "");
    return INV_OK;
}
