/* swiss.c - Europe/Zurich local time by the EU summer-time rule, and Swiss digit grouping. */
#include <stdio.h>
#include <string.h>

#include "swiss.h"

/* a / b rounded towards minus infinity (b > 0) */
static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b < 0);
}

/* Days since 1970-01-01 of the proleptic Gregorian date y-m-d. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                              /* [0, 399] */
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;       /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

/* The date of day z (days since 1970-01-01). */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* The last Sunday of month m (March or October: 31 days) of year y, as
 * days since 1970-01-01 (a Thursday). */
static int64_t last_sunday(int64_t y, int m)
{
    int64_t last = days_from_civil(y, m, 31);
    return last - (int64_t)((last % 7 + 7 + 4) % 7);
}

int out_zurich_offset(int64_t t)
{
    int64_t y;
    int m, d;
    /* The change is at 01:00 UTC, in March and October: the UTC year of t
     * is the year whose rule applies. */
    civil_from_days(floor_div(t, 86400), &y, &m, &d);
    int64_t start = last_sunday(y, 3) * 86400 + 3600, end = last_sunday(y, 10) * 86400 + 3600;
    return t >= start && t < end ? 7200 : 3600;
}

void out_swiss_time(int64_t t, char out[OUT_SWISS_TIME_LEN])
{
    int64_t local = t + out_zurich_offset(t), y;
    int64_t sec = local - floor_div(local, 86400) * 86400;
    int m, d;
    civil_from_days(floor_div(local, 86400), &y, &m, &d);
    snprintf(out, OUT_SWISS_TIME_LEN, "%02d.%02d.%04lld %02d:%02d", d, m, (long long)y,
             (int)(sec / 3600), (int)(sec / 60 % 60));
}

void out_group(int64_t n, const char *sep, char *out, size_t outlen)
{
    char digits[24], tmp[128];
    size_t sl = sep ? strlen(sep) : 0, o = 0;
    /* the magnitude as unsigned, so INT64_MIN has one too */
    unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
    int nd = snprintf(digits, sizeof digits, "%llu", u);
    if (sl > 4)
        sl = 0;
    if (n < 0)
        tmp[o++] = '-';
    for (int i = 0; i < nd; i++) {
        if (i && sl && (nd - i) % 3 == 0) {
            memcpy(tmp + o, sep, sl);
            o += sl;
        }
        tmp[o++] = digits[i];
    }
    tmp[o] = '\0';
    if (!outlen)
        return;
    if (o >= outlen) { /* cut, at a character boundary */
        o = outlen - 1;
        while (o && ((unsigned char)tmp[o] & 0xC0) == 0x80)
            o--;
    }
    memcpy(out, tmp, o);
    out[o] = '\0';
}
