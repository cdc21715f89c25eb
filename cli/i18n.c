/* i18n.c - binds scopereg's message catalogues (see i18n.h). */
#include "i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef SCOPEREG_LOCALEDIR
#define SCOPEREG_LOCALEDIR "/usr/local/share/locale"
#endif
#ifndef SCOPEREG_LOCALEDIR_FROM_BIN
#define SCOPEREG_LOCALEDIR_FROM_BIN "../share/locale"
#endif

static int set(const char *name)
{
    const char *v = getenv(name);
    return v && *v;
}

/* $SCOPEREG_LOCALEDIR; else share/locale beside the directory of the
 * running binary when it exists (a package installed under /usr while the
 * build said /usr/local); else the directory the build installs into. */
static const char *locale_dir(char *buf, size_t len)
{
    const char *dir = getenv("SCOPEREG_LOCALEDIR");
    if (dir && *dir)
        return dir;
    size_t rel = sizeof SCOPEREG_LOCALEDIR_FROM_BIN;
    ssize_t n = readlink("/proc/self/exe", buf, len);
    if (n > 0 && (size_t)n + rel + 1 < len) {
        buf[n] = '\0';
        char *slash = strrchr(buf, '/');
        struct stat sb;
        if (slash) {
            memcpy(slash + 1, SCOPEREG_LOCALEDIR_FROM_BIN, rel);
            if (stat(buf, &sb) == 0 && S_ISDIR(sb.st_mode))
                return buf;
        }
    }
    return SCOPEREG_LOCALEDIR;
}

void cli_i18n_init(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (!strcmp(argv[i], "--"))
            break;
        else if (!strcmp(argv[i], "--json"))
            return; /* LC_MESSAGES stays "C": English */
    /* LC_MESSAGES only. glibc ignores LANGUAGE in the "C" locale: when no
     * LC_ALL, LC_MESSAGES or LANG names a locale at all, C.UTF-8 (always
     * there on Debian) lets LANGUAGE=fr or de select a catalogue. An
     * explicit LC_ALL=C keeps English, as everywhere else. */
    const char *loc = setlocale(LC_MESSAGES, "");
    if (set("LANGUAGE") && (!loc || !strcmp(loc, "C") || !strcmp(loc, "POSIX")) &&
        !set("LC_ALL") && !set("LC_MESSAGES") && !set("LANG"))
        setlocale(LC_MESSAGES, "C.UTF-8");
    char buf[PATH_MAX];
    bindtextdomain("scopereg", locale_dir(buf, sizeof buf));
    bind_textdomain_codeset("scopereg", "UTF-8");
    textdomain("scopereg");
}
