/*
 * util.c - errors, growable buffers, escaping and time for the inventory.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "values_int.h"

static atomic_int oom_seen;

int inv_oom_seen(void)
{
    return atomic_load(&oom_seen) || cr_oom_seen();
}

void inv_oom_note(void)
{
    atomic_store(&oom_seen, 1);
}

const char *inv_machine_fault(int rc, const char *msg)
{
    if (rc == INV_EIO)
        return msg;
    return rc && inv_oom_seen() ? INV_("out of memory") : NULL;
}

int inv_fail(inv_err *e, int code, const char *fmt, ...)
{
    if (code == INV_EIO && strstr(fmt, "out of memory"))
        inv_oom_note();
    if (e) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(e->msg, sizeof e->msg, INV_(fmt), ap);
        va_end(ap);
        e->code = code;
    }
    return code;
}

char *inv__strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d)
        memcpy(d, s, n);
    return d;
}

FILE *inv__tmpfile(const char *stem)
{
    const char *dir = getenv("TMPDIR");
    char path[4096];
    if (!dir || !*dir)
        dir = "/tmp";
    if (snprintf(path, sizeof path, "%s/scopereg-%s-XXXXXX", dir, stem) >= (int)sizeof path) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    int fd = mkstemp(path);
    if (fd < 0)
        return NULL;
    unlink(path);
    FILE *f = fdopen(fd, "w+b");
    if (!f)
        close(fd);
    return f;
}

size_t inv__plain_run(const void *p, size_t n)
{
    const unsigned char *u = p;
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    size_t i = 0;
    /* a word holds a byte below 0x20, above 0x7e, or a backslash: the
     * exact tests for "some byte of x is less than, greater than, equal
     * to" (each bit found is a byte that is, or follows one that is) */
    for (; n - i >= 8; i += 8) {
        uint64_t x, y;
        memcpy(&x, u + i, 8);
        y = x ^ (ones * '\\');
        if (((x - ones * 0x20) & ~x & highs) | (((x + ones) | x) & highs) |
            ((y - ones) & ~y & highs))
            break;
    }
    while (i < n && u[i] >= 0x20 && u[i] < 0x7f && u[i] != '\\')
        i++;
    return i;
}

/* Marks b as having lost a piece: every later add fails (cap cut to len
 * sends them to inv__buf_reserve, which refuses); oom: memory ran out. */
static int buf_lost(inv_buf *b, int oom)
{
    if (oom)
        inv_oom_note();
    b->failed = 1;
    b->cap = b->len;
    return -1;
}

int inv__buf_reserve(inv_buf *b, size_t n)
{
    if (b->len + n + 1 <= b->cap) /* never true once failed: cap is cut to len */
        return 0;
    if (b->failed) /* sticky: no piece after a lost one */
        return -1;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1)
        cap *= 2;
    char *d = realloc(b->data, cap);
    if (!d)
        return buf_lost(b, 1);
    b->data = d;
    b->cap = cap;
    return 0;
}

int inv_buf_add(inv_buf *b, const void *data, size_t len)
{
    /* the room test first, so that the common case makes no call */
    if (b->len + len + 1 > b->cap && inv__buf_reserve(b, len))
        return -1;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

int inv_buf_puts(inv_buf *b, const char *s)
{
    return inv_buf_add(b, s, strlen(s));
}

int inv_buf_printf(inv_buf *b, const char *fmt, ...)
{
    char small[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return buf_lost(b, 0);
    if ((size_t)n < sizeof small)
        return inv_buf_add(b, small, (size_t)n);
    char *big = malloc((size_t)n + 1);
    if (!big)
        return buf_lost(b, 1);
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    int rc = inv_buf_add(b, big, (size_t)n);
    free(big);
    return rc;
}

void inv_buf_free(inv_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

void inv_buf_fail(inv_buf *b)
{
    buf_lost(b, 1);
}

char *inv_buf_take(inv_buf *b)
{
    char *d = b->failed ? NULL : b->data;
    if (!d)
        free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
    return d;
}

int inv_escape(inv_buf *b, const char *s)
{
    const char *run = s;
    for (; *s; s++) {
        const char *rep = NULL;
        switch (*s) {
        case '\\': rep = "\\\\"; break;
        case '\n': rep = "\\n"; break;
        case '\t': rep = "\\t"; break;
        default: continue;
        }
        if (inv_buf_add(b, run, (size_t)(s - run)) || inv_buf_add(b, rep, 2))
            return -1;
        run = s + 1;
    }
    return inv_buf_add(b, run, (size_t)(s - run));
}

/* ---- time ---- */

static int64_t days_from_civil(int64_t y, int m, int d)
{
    /* Howard Hinnant's days_from_civil: proleptic Gregorian, no timezone. */
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int days_in_month(int y, int m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

int inv_time_parse(const char *text, int end_of_day, int64_t *out, inv_err *e)
{
    int y, mo, d, h = 0, mi = 0, s = 0, offset = 0, leap = 0;
    const char *p = text;
    if (strlen(p) < 10 || digits(p, 4, &y) || p[4] != '-' || digits(p + 5, 2, &mo) ||
        p[7] != '-' || digits(p + 8, 2, &d))
        goto bad;
    if (y < 1970 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
        goto bad;
    p += 10;
    if (*p == '\0') {
        if (end_of_day) {
            h = 23;
            mi = 59;
            s = 59;
        }
    } else {
        if ((*p != 'T' && *p != 't' && *p != ' ') || strlen(p) < 9 || digits(p + 1, 2, &h) ||
            p[3] != ':' || digits(p + 4, 2, &mi) || p[6] != ':' || digits(p + 7, 2, &s))
            goto bad;
        if (h > 23 || mi > 59 || s > 60)
            goto bad;
        if (s == 60) {
            leap = 1;
            s = 59; /* a leap second is read as the second before it */
        }
        p += 9;
        if (*p == '.') {
            p++;
            if (*p < '0' || *p > '9')
                goto bad;
            while (*p >= '0' && *p <= '9')
                p++; /* fractions of a second are dropped */
        }
        if ((*p == 'Z' || *p == 'z') && p[1] == '\0') {
            offset = 0;
        } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
            int oh, om;
            if (digits(p + 1, 2, &oh) || digits(p + 4, 2, &om) || oh > 23 || om > 59)
                goto bad;
            offset = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
        } else {
            goto bad;
        }
    }
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s - offset;
    if (*out < 0 || *out > 253402300799LL)
        goto bad; /* outside 1970-01-01T00:00:00Z..9999-12-31T23:59:59Z once offset */
    if (leap && *out % 86400 != 86399)
        goto bad; /* a leap second is only ever the last second of a UTC day */
    return INV_OK;
bad:
    return inv_fail(e, INV_EINPUT,
                    "invalid date '%s': expected YYYY-MM-DD or RFC 3339 such as "
                    "2026-03-14T09:30:00Z",
                    text);
}

void inv_time_format(int64_t t, char *out, size_t outlen)
{
    int64_t days = t / 86400, rem = t % 86400;
    if (rem < 0) {
        rem += 86400;
        days--;
    }
    /* civil_from_days */
    days += 719468;
    int64_t era = (days >= 0 ? days : days - 146096) / 146097;
    int64_t doe = days - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    snprintf(out, outlen, "%04lld-%02lld-%02lldT%02lld:%02lld:%02lldZ", (long long)y,
             (long long)m, (long long)d, (long long)(rem / 3600), (long long)(rem / 60 % 60),
             (long long)(rem % 60));
}
