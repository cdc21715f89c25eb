/* i18n.c - binds scopereg's message catalogues (see i18n.h). */
#include "i18n.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#ifndef SCOPEREG_LOCALEDIR
#define SCOPEREG_LOCALEDIR "/usr/local/share/locale"
#endif

void cli_i18n_init(void)
{
    /* LC_MESSAGES only: a locale that is not installed leaves "C", where
     * glibc ignores LANGUAGE; C.UTF-8 (always there on Debian) with
     * LANGUAGE=fr or de selects a catalogue too. */
    const char *loc = setlocale(LC_MESSAGES, "");
    const char *language = getenv("LANGUAGE");
    if (!loc || ((!strcmp(loc, "C") || !strcmp(loc, "POSIX")) && language && *language))
        setlocale(LC_MESSAGES, "C.UTF-8");
    const char *dir = getenv("SCOPEREG_LOCALEDIR");
    bindtextdomain("scopereg", dir && *dir ? dir : SCOPEREG_LOCALEDIR);
    bind_textdomain_codeset("scopereg", "UTF-8");
    textdomain("scopereg");
}
