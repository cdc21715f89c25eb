/* words.c - filling in the strings of an output's words table. */
#include <stdarg.h>
#include <string.h>

#include "words.h"

void out_say(inv_buf *b, const char *fmt, ...)
{
    const char *arg[9] = {0};
    int n = 0;
    va_list ap;
    va_start(ap, fmt);
    for (const char *a; n < 9 && (a = va_arg(ap, const char *)) != NULL;)
        arg[n++] = a;
    va_end(ap);
    const char *p = fmt;
    while (*p) {
        const char *pc = strchr(p, '%');
        if (!pc) {
            inv_buf_puts(b, p);
            return;
        }
        inv_buf_add(b, p, (size_t)(pc - p));
        if (pc[1] >= '1' && pc[1] <= '9') {
            const char *a = arg[pc[1] - '1'];
            inv_buf_puts(b, a ? a : "");
            p = pc + 2;
        } else {
            inv_buf_puts(b, "%");
            p = pc + (pc[1] == '%' ? 2 : 1);
        }
    }
}
