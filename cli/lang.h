/*
 * lang.h - which language an output is written in, for the commands that
 * write one: the contract's (inv_lang), --lang's, or, where there is no
 * register (cosign), the language of the messages.
 */
#ifndef SCOPEREG_CLI_LANG_H
#define SCOPEREG_CLI_LANG_H

/* The language of the messages, as gettext picks it: when the first set
 * of LC_ALL, LC_MESSAGES and LANG names the C or POSIX locale, "en"
 * (LANGUAGE is not looked at, as gettext does not); otherwise the first
 * entry of LANGUAGE (a colon-separated list), then that locale, whose
 * language (the part before '_', '.' or '@') is one of inv_langs. "en"
 * when none is. A static string; cannot fail. */
const char *cli_lang_of_messages(void);

/* The language given with --lang as a static string of inv_langs, or
 * NULL after printing an error naming opt and the accepted languages
 * (the caller returns cli_usage). */
const char *cli_lang_arg(const char *opt, const char *arg);

#endif
