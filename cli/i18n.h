/*
 * i18n.h - the command line's messages through GNU gettext (libintl is in
 * glibc): _("text") marks and translates a message, N_("text") marks one
 * that a table holds and is translated where it is printed.
 */
#ifndef SCOPEREG_I18N_H
#define SCOPEREG_I18N_H

#include <libintl.h>

#define _(text) gettext(text)
#define N_(text) (text)

/* Binds the "scopereg" text domain: the catalogues of $SCOPEREG_LOCALEDIR,
 * else of share/locale beside the binary's bin/ directory, else of the
 * build's installation directory, in UTF-8 whatever the terminal's locale. Only LC_MESSAGES follows the environment (LANGUAGE,
 * LC_ALL, LC_MESSAGES, LANG): numbers, case folding and collation stay
 * those of the C locale, so documents never depend on it. A command line
 * holding --json (before a "--") stays in English throughout: its JSON
 * carries the library's messages (verify's reasons), which scripts read.
 * Cannot fail: without a catalogue, messages stay in English. */
void cli_i18n_init(int argc, char **argv);

#endif
