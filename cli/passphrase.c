/*
 * passphrase.c - passphrases for secret keys: from --passphrase-file, from
 * $SCOPEREG_PASSPHRASE, or asked on the terminal (/dev/tty) without echo.
 * The passphrase only ever lives in cr_secure_alloc memory.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Longest passphrase accepted, as minisign (PASSWORDMAXBYTES - 1). */
#define PASS_MAX 1023

/* Secure copy of the first len bytes of s, NUL-terminated; NULL (after
 * printing) when out of memory. */
static char *secure_copy(const char *s, size_t len)
{
    char *p = cr_secure_alloc(len + 1);
    if (!p) {
        cli_error("out of secure memory for the passphrase");
        return NULL;
    }
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

static char *from_file(const char *file)
{
    cr_err e = {0};
    char *buf;
    size_t len;
    /* Not CR_READ_PRIVATE: /dev/fd/N and pipes are fine here. */
    if (cr_read_secret(file, 0, PASS_MAX + 2, &buf, &len, &e) != CR_OK) {
        if (e.code == CR_EINPUT && strstr(e.msg, "too large"))
            cli_error("passphrase file %s: passphrase longer than %d bytes", file, PASS_MAX);
        else
            cli_report_cr(&e);
        return NULL;
    }
    /* One line; its line end (LF or CRLF) is not part of the passphrase. */
    if (len > 0 && buf[len - 1] == '\n')
        len--;
    if (len > 0 && buf[len - 1] == '\r')
        len--;
    char *p = NULL;
    if (memchr(buf, '\n', len))
        cli_error("passphrase file %s: more than one line", file);
    else if (memchr(buf, '\0', len))
        cli_error("passphrase file %s: contains a NUL byte", file);
    else if (len == 0)
        cli_error("passphrase file %s: empty passphrase refused", file);
    else if (len > PASS_MAX)
        cli_error("passphrase file %s: passphrase longer than %d bytes", file, PASS_MAX);
    else
        p = secure_copy(buf, len);
    cr_secure_free(buf);
    return p;
}

/* ---- terminal ---- */

static volatile sig_atomic_t caught;

static void on_signal(int sig)
{
    caught = sig;
}

static const int trapped[] = {SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGTSTP, SIGTTIN, SIGTTOU};
#define NTRAPPED (sizeof trapped / sizeof trapped[0])

/* Reads one line from the terminal fd, echo off, into a secure buffer of
 * PASS_MAX + 1 bytes. Returns the buffer, or NULL after printing. A
 * signal during the read restores the terminal, then is re-raised. */
static char *read_tty(int fd, const char *prompt)
{
    struct termios old, quiet;
    if (tcgetattr(fd, &old) != 0) {
        cli_error("cannot set up the terminal for the passphrase: %s", strerror(errno));
        return NULL;
    }
    char *buf = cr_secure_alloc(PASS_MAX + 2);
    if (!buf) {
        cli_error("out of secure memory for the passphrase");
        return NULL;
    }
    struct sigaction sa, saved[NTRAPPED];
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal; /* no SA_RESTART: read() returns EINTR */
    sigemptyset(&sa.sa_mask);
    caught = 0;
    for (size_t i = 0; i < NTRAPPED; i++)
        sigaction(trapped[i], &sa, &saved[i]);

    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK);
    quiet.c_lflag |= ECHONL | ICANON;
    int ok = tcsetattr(fd, TCSAFLUSH, &quiet) == 0;
    size_t n = 0; /* up to PASS_MAX + 1: one more means too long */
    int eof = 0;
    if (ok && write(fd, prompt, strlen(prompt)) >= 0) {
        for (;;) {
            char c;
            ssize_t r = read(fd, &c, 1);
            if (r < 0 && errno == EINTR && !caught)
                continue;
            if (r <= 0) {
                eof = 1;
                break;
            }
            if (c == '\n')
                break;
            if (n <= PASS_MAX)
                buf[n++] = c;
        }
    }
    buf[n] = '\0';
    tcsetattr(fd, TCSAFLUSH, &old);
    for (size_t i = 0; i < NTRAPPED; i++)
        sigaction(trapped[i], &saved[i], NULL);
    if (caught) {
        cr_secure_free(buf);
        raise(caught);
        /* Still running: the signal was ignored, or a stop was resumed. */
        cli_error("passphrase entry interrupted");
        return NULL;
    }
    if (!ok) {
        cli_error("cannot turn off echo on the terminal: %s", strerror(errno));
    } else if (eof) {
        cli_error("no passphrase read from the terminal");
    } else if (n > PASS_MAX) {
        cli_error("passphrase longer than %d bytes", PASS_MAX);
    } else {
        if (n > 0 && buf[n - 1] == '\r')
            buf[--n] = '\0';
        return buf;
    }
    cr_secure_free(buf);
    return NULL;
}

static char *from_terminal(const char *prompt, int confirm)
{
    int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (fd < 0) {
        cli_error("no terminal to ask the passphrase on; use --passphrase-file FILE or "
                  "$SCOPEREG_PASSPHRASE");
        return NULL;
    }
    const char *what = prompt ? prompt : _("Passphrase");
    size_t plen = strlen(what) + strlen(_("%s (again): ")) + 1;
    char *p1 = NULL, *p2 = NULL, *ask = malloc(plen);
    if (!ask) {
        cli_error("out of memory");
        goto out;
    }
    snprintf(ask, plen, "%s: ", what);
    if (!(p1 = read_tty(fd, ask)))
        goto out;
    if (!*p1) {
        cli_error("empty passphrase refused");
        goto fail;
    }
    if (confirm) {
        snprintf(ask, plen, _("%s (again): "), what);
        if (!(p2 = read_tty(fd, ask)))
            goto fail;
        size_t l1 = strlen(p1);
        if (l1 != strlen(p2) || cr_memcmp(p1, p2, l1) != 0) {
            cli_error("the passphrases do not match");
            goto fail;
        }
    }
    goto out;
fail:
    cr_secure_free(p1);
    p1 = NULL;
out:
    cr_secure_free(p2);
    free(ask);
    close(fd);
    return p1;
}

char *cli_passphrase(const char *file, const char *prompt, int confirm)
{
    if (file)
        return from_file(file);
    const char *env = getenv("SCOPEREG_PASSPHRASE");
    if (env) {
        size_t len = strlen(env);
        if (len == 0) {
            cli_error("$SCOPEREG_PASSPHRASE is empty; an empty passphrase is refused");
            return NULL;
        }
        if (len > PASS_MAX) {
            cli_error("$SCOPEREG_PASSPHRASE is longer than %d bytes", PASS_MAX);
            return NULL;
        }
        return secure_copy(env, len);
    }
    return from_terminal(prompt, confirm);
}
