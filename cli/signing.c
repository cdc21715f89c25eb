/*
 * signing.c - helpers of the signature commands: secret key loading with
 * a passphrase, the untrusted comment, the wording of signature states.
 */
#include "signing.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int cli_seckey_load(const char *path, const char *passfile, cr_seckey **sk)
{
    cr_err e = {0};
    int needs = 0;
    *sk = NULL;
    int rc = cr_seckey_load(path, NULL, sk, &needs, &e);
    if (rc == CR_OK)
        return CLI_OK;
    struct stat st;
    if (!needs && lstat(path, &st) != 0 && errno == ENOENT) { /* name the fix */
        cli_error("cannot open %s: no such file; --key takes your secret key file, the NAME.key "
                  "that 'scopereg keygen -o NAME' or 'minisign -G' wrote", path);
        return CLI_USAGE;
    }
    if (!needs)
        return cli_report_cr(&e);
    char prompt[512];
    snprintf(prompt, sizeof prompt, _("Passphrase for %s"), path);
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

/* The names inv_sig_state_name gives, for the catalogues: printed
 * translated, while --json keeps them as they are. */
static const char *const state_words[] = {N_("agreed"), N_("signed by provider"),
                                          N_("signed by client"), N_("proposed")};

const char *cli_state_word(const inv_sig_state *s)
{
    const char *w = inv_sig_state_name(s);
    for (size_t i = 0; i < sizeof state_words / sizeof *state_words; i++)
        if (!strcmp(w, state_words[i]))
            return _(state_words[i]);
    return w;
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

/* A party's count, with a zero state read as "one key must sign". */
static int need_of(const inv_party_sigs *p)
{
    return p->need ? p->need : 1;
}

/* "provider DATE" (done), "provider with 1 of its 2 keys DATE" (partial). */
static void signed_part(char *out, size_t outlen, const inv_sig_state *s, int i)
{
    const inv_party_sigs *p = &s->party[i];
    char date[32];
    inv_time_format(p->at, date, sizeof date);
    if (p->signed_ && need_of(p) == 2)
        add(out, outlen, _("%s %s (old and new key)"), inv_roles[i], date);
    else if (p->signed_)
        add(out, outlen, "%s %s", inv_roles[i], date);
    else
        add(out, outlen, _("%s with %d of its %d keys %s"), inv_roles[i], p->have, need_of(p), date);
}

/* "agreed (provider DATE, client DATE)" when both parties are done; 1 if
 * written, 0 otherwise. */
static int agreed(char *out, size_t outlen, const inv_sig_state *s)
{
    if (!inv_sig_agreed(s))
        return 0;
    add(out, outlen, "%s", _("agreed ("));
    signed_part(out, outlen, s, 0);
    add(out, outlen, ", ");
    signed_part(out, outlen, s, 1);
    add(out, outlen, ")");
    return 1;
}

void cli_state_verify(const inv_sig_state *s, char *out, size_t outlen)
{
    const inv_party_sigs *v = s->party;
    out[0] = '\0';
    if (agreed(out, outlen, s))
        return;
    if (!v[0].have && !v[1].have) {
        add(out, outlen, "%s", _("pending (no signature yet)"));
        return;
    }
    add(out, outlen, "%s", _("pending ("));
    int first = 1;
    for (int i = 0; i < 2; i++) {
        if (!v[i].have)
            continue;
        add(out, outlen, "%s", first ? "" : ", ");
        signed_part(out, outlen, s, i);
        first = 0;
    }
    add(out, outlen, "%s", _("; awaiting "));
    first = 1;
    for (int i = 0; i < 2; i++) {
        if (v[i].signed_)
            continue;
        add(out, outlen, "%s%s%s", first ? "" : _(" and "),
            v[i].have ? _("the other key of the ") : _("the "), inv_roles[i]);
        first = 0;
    }
    add(out, outlen, ")");
}

void cli_state_log(const inv_sig_state *s, char *out, size_t outlen)
{
    const inv_party_sigs *v = s->party;
    out[0] = '\0';
    if (agreed(out, outlen, s))
        return;
    if (!v[0].have + !v[1].have == 1 && (v[0].signed_ || v[1].signed_)) {
        /* one party has signed with all its keys, the other not at all */
        int w = v[0].signed_ ? 0 : 1;
        char date[32];
        inv_time_format(v[w].at, date, sizeof date);
        add(out, outlen, _("signed by %s %s%s"), inv_roles[w], date,
            need_of(&v[w]) == 2 ? _(" (old and new key)") : "");
        return;
    }
    add(out, outlen, "%s", cli_state_word(s));
    int shown = 0;
    for (int i = 0; i < 2; i++) {
        if (!v[i].have)
            continue;
        add(out, outlen, "%s", shown ? "; " : " (");
        signed_part(out, outlen, s, i);
        shown = 1;
    }
    if (shown)
        add(out, outlen, ")");
}

void cli_cp_state(const inv_cp_state *s, char *out, size_t outlen)
{
    if (s->signed_[0] && s->signed_[1])
        snprintf(out, outlen, "%s", _("checkpoint agreed"));
    else if (s->signed_[0])
        snprintf(out, outlen, "%s", _("checkpoint signed by the provider only"));
    else if (s->signed_[1])
        snprintf(out, outlen, "%s", _("checkpoint signed by the client only"));
    else
        snprintf(out, outlen, "%s", _("no checkpoint"));
}

int cli_sign_checkpoint(inv_register *r, int64_t n, const cr_seckey *sk, int64_t now,
                        const char *role, inv_cptc *tc, inv_cp_state *st, inv_err *e)
{
    char untrusted[CR_COMMENT_MAX];
    cli_untrusted_comment(untrusted, sizeof untrusted, inv_contract(r), n, role);
    /* "..., provider signature" -> "..., provider checkpoint signature" */
    size_t len = strlen(untrusted), sl = strlen(" signature");
    if (len > sl && len + 12 < sizeof untrusted)
        snprintf(untrusted + len - sl, sizeof untrusted - (len - sl), " checkpoint signature");
    if (inv_cpsig_sign(r, n, sk, now, untrusted, tc, e) || inv_cpsig_state(r, n, NULL, st, e))
        return e->code;
    return INV_OK;
}

int cli_checkpoint_signed(int64_t n, int64_t now, const char *role, const inv_cptc *tc,
                          const inv_cp_state *st, int alone)
{
    char date[32], words[128];
    inv_time_format(now, date, sizeof date);
    cli_cp_state(st, words, sizeof words);
    if (alone)
        printf(_("version %lld: the document already carried the %s's signature (signed before "
                 "checkpoints); its checkpoint is now signed by the %s at %s\n"),
               (long long)n, role, role, date);
    printf(ngettext("  checkpoint root %s (%lld item): %s\n",
                    "  checkpoint root %s (%lld items): %s\n", st->items == 1 ? 1 : 2),
           tc->root, (long long)st->items, words);
    return cli_flush() ? CLI_EIO : CLI_OK;
}

void cli_cp_beside_line(const inv_cp_beside *b)
{
    char root[65];
    if (!b || !b->ok)
        return;
    inv_checkpoint_root_hex(&b->cp, root);
    if (b->sig_ok[0] && b->sig_ok[1])
        printf(_("      checkpoint agreed (root %s, %lld items)\n"), root, (long long)b->cp.items);
    else if (b->sig_ok[0] || b->sig_ok[1])
        printf(_("      checkpoint signed by the %s only (root %s)\n"),
               inv_roles[b->sig_ok[0] ? 0 : 1], root);
    else
        printf(_("      checkpoint %s (root %s): no signature of it checked\n"),
               b->present ? _("file present") : _("absent"), root);
}

void cli_cp_beside_json(const inv_cp_beside *b)
{
    char root[65], date[32];
    if (!b) {
        fputs(",\"checkpoint\":null", stdout);
        return;
    }
    inv_checkpoint_root_hex(&b->cp, root);
    inv_cp_state st = {.signed_ = {b->sig_ok[0], b->sig_ok[1]}, .broken = !b->ok};
    printf(",\"checkpoint\":{\"status\":\"%s\",\"root\":\"%s\",\"items\":%lld,"
           "\"file\":%s,\"signed\":{", inv_cp_status(&st), root, (long long)b->cp.items,
           b->present ? "true" : "false");
    for (int i = 0; i < 2; i++) {
        inv_time_format(b->signed_at[i], date, sizeof date);
        printf("%s\"%s\":", i ? "," : "", inv_roles[i]);
        if (b->sig_ok[i])
            printf("\"%s\"", date);
        else
            fputs("null", stdout);
    }
    fputs("}}", stdout);
}
