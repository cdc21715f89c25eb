/*
 * json.c - minimal JSON output for the --json options: strings escaped per
 * RFC 8259, items, dates.
 */
#include <string.h>

#include "json.h"

void cli_json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    /* Text from files and paths may not be UTF-8: such bytes become
     * U+FFFD, so the output stays valid JSON whatever it holds. */
    const unsigned char *p = (const unsigned char *)s;
    size_t left = strlen(s);
    fputc('"', f);
    while (left) {
        size_t n = inv_utf8_len(p, left);
        if (n == 0) {
            fputs("\\ufffd", f);
            n = 1;
        } else if (n > 1) {
            fwrite(p, 1, n, f);
        } else {
            switch (*p) {
            case '"': fputs("\\\"", f); break;
            case '\\': fputs("\\\\", f); break;
            case '\n': fputs("\\n", f); break;
            case '\t': fputs("\\t", f); break;
            case '\r': fputs("\\r", f); break;
            default:
                if (*p < 0x20 || *p == 0x7f)
                    fprintf(f, "\\u%04x", *p);
                else
                    fputc(*p, f);
            }
        }
        p += n;
        left -= n;
    }
    fputc('"', f);
}

void cli_json_item(FILE *f, const inv_item *it)
{
    fputs("{\"id\":", f);
    cli_json_str(f, it->id);
    fputs(",\"kind\":", f);
    cli_json_str(f, it->kind);
    fputs(",\"name\":", f);
    cli_json_str(f, it->name);
    fputs(",\"attributes\":{", f);
    for (size_t i = 0; i < it->nattrs; i++) {
        if (i)
            fputc(',', f);
        cli_json_str(f, it->attrs[i].key);
        fputc(':', f);
        cli_json_str(f, it->attrs[i].value);
    }
    fputs("}}", f);
}

void cli_json_time(FILE *f, int64_t t)
{
    char d[32];
    inv_time_format(t, d, sizeof d);
    cli_json_str(f, d);
}
