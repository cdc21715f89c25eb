/*
 * signing.c - helpers of the signature commands: secret key loading with
 * a passphrase, the untrusted comment, the wording of signature states.
 */
#include "signing.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int cli_seckey_load(const char *path, const char *passfile, cr_seckey **sk)
{
    cr_err e = {0};
    int needs = 0;
    *sk = NULL;
    int rc = cr_seckey_load(path, NULL, sk, &needs, &e);
    if (rc == CR_OK)
        return CLI_OK;
    if (!needs)
        return cli_report_cr(&e);
    char prompt[512];
    snprintf(prompt, sizeof prompt, "Passphrase for %s", path);
    char *pass = cli_passphrase(passfile, prompt, 0);
    if (!pass)
        return CLI_USAGE;
    rc = cr_seckey_load(path, pass, sk, NULL, &e);
    cr_secure_free(pass);
    return rc == CR_OK ? CLI_OK : cli_report_cr(&e);
}

void cli_untrusted_comment(char *out, size_t outlen, const char *contract, int64_t version,
                           const char *role)
{
    /* Cut the contract at a character boundary so the line stays short. */
    size_t n = strlen(contract), max = 200;
    if (n > max) {
        n = max;
        while (n > 0 && ((unsigned char)contract[n] & 0xC0) == 0x80)
            n--;
    }
    snprintf(out, outlen, "scopereg: contract %.*s%s, version %lld, %s signature", (int)n,
             contract, n < strlen(contract) ? "..." : "", (long long)version, role);
}

const char *cli_basename(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

/* Appends formatted text to out (bounded). */
static void add(char *out, size_t outlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void add(char *out, size_t outlen, const char *fmt, ...)
{
    size_t len = strlen(out);
    if (len + 1 >= outlen)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out + len, outlen - len, fmt, ap);
    va_end(ap);
}

typedef struct role_view {
    const char *name;
    int need, have, done;
    int64_t at;
} role_view;

static void views(const inv_sig_state *s, role_view v[2])
{
    v[0] = (role_view){"provider", s->provider_need ? s->provider_need : 1, s->provider_have,
                       s->provider, s->provider_at};
    v[1] = (role_view){"client", s->client_need ? s->client_need : 1, s->client_have,
                       s->client, s->client_at};
}

/* "provider DATE" (done), "provider with 1 of its 2 keys DATE" (partial). */
static void signed_part(char *out, size_t outlen, const role_view *v)
{
    char date[32];
    inv_time_format(v->at, date, sizeof date);
    if (v->done && v->need == 2)
        add(out, outlen, "%s %s (old and new key)", v->name, date);
    else if (v->done)
        add(out, outlen, "%s %s", v->name, date);
    else
        add(out, outlen, "%s with %d of its %d keys %s", v->name, v->have, v->need, date);
}

/* "agreed (provider DATE, client DATE)" when both parties are done; 1 if
 * written, 0 otherwise. */
static int agreed(char *out, size_t outlen, const role_view v[2])
{
    if (!v[0].done || !v[1].done)
        return 0;
    add(out, outlen, "agreed (");
    signed_part(out, outlen, &v[0]);
    add(out, outlen, ", ");
    signed_part(out, outlen, &v[1]);
    add(out, outlen, ")");
    return 1;
}

void cli_state_verify(const inv_sig_state *s, char *out, size_t outlen)
{
    role_view v[2];
    views(s, v);
    out[0] = '\0';
    if (agreed(out, outlen, v))
        return;
    if (!v[0].have && !v[1].have) {
        add(out, outlen, "pending (no signature yet)");
        return;
    }
    add(out, outlen, "pending (");
    int first = 1;
    for (int i = 0; i < 2; i++) {
        if (!v[i].have)
            continue;
        add(out, outlen, "%s", first ? "" : ", ");
        signed_part(out, outlen, &v[i]);
        first = 0;
    }
    add(out, outlen, "; awaiting ");
    first = 1;
    for (int i = 0; i < 2; i++) {
        if (v[i].done)
            continue;
        add(out, outlen, "%s%s%s", first ? "" : " and ", v[i].have ? "the other key of the " : "the ",
            v[i].name);
        first = 0;
    }
    add(out, outlen, ")");
}

void cli_state_log(const inv_sig_state *s, char *out, size_t outlen)
{
    role_view v[2];
    views(s, v);
    out[0] = '\0';
    if (agreed(out, outlen, v))
        return;
    if (!v[0].have + !v[1].have == 1 && (v[0].done || v[1].done)) {
        /* one party has signed with all its keys, the other not at all */
        const role_view *w = v[0].done ? &v[0] : &v[1];
        char date[32];
        inv_time_format(w->at, date, sizeof date);
        add(out, outlen, "signed by %s %s%s", w->name, date,
            w->need == 2 ? " (old and new key)" : "");
        return;
    }
    add(out, outlen, "%s", inv_sig_state_name(s));
    int shown = 0;
    for (int i = 0; i < 2; i++) {
        if (!v[i].have)
            continue;
        add(out, outlen, "%s", shown ? "; " : " (");
        signed_part(out, outlen, &v[i]);
        shown = 1;
    }
    if (shown)
        add(out, outlen, ")");
}
