/*
 * json.c - minimal JSON output for the --json options: strings escaped per
 * RFC 8259, items, dates.
 */
#include "json.h"

void cli_json_str(FILE *f, const char *s)
{
    if (!s) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\t': fputs("\\t", f); break;
        case '\r': fputs("\\r", f); break;
        default:
            if (*p < 0x20)
                fprintf(f, "\\u%04x", *p);
            else
                fputc(*p, f);
        }
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
