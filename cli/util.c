/*
 * util.c - messages, register opening and small parsing helpers shared by
 * the commands.
 */
#include <errno.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* How many error lines this process printed, and the errno of the first
 * failed flush of standard output (cli_exit_status reads both). */
static int errors_printed, out_errno;

__attribute__((format(printf, 2, 0))) static void vmsg(const char *prefix, const char *fmt,
                                                      va_list ap)
{
    fflush(stdout);
    fputs(prefix, stderr);
    vfprintf(stderr, _(fmt), ap);
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(_("error: "), fmt, ap);
    va_end(ap);
    errors_printed++;
}

int cli_flush(void)
{
    errno = 0;
    if (fflush(stdout) == 0)
        return 0;
    if (!out_errno)
        out_errno = errno ? errno : EIO;
    return EOF;
}

/* The one line for a standard output that cannot be written. */
static void out_failed(void)
{
    if (out_errno)
        cli_error("cannot write to standard output: %s; what the command wrote to files or to "
                  "the register stands", strerror(out_errno));
    else
        cli_error("cannot write to standard output; what the command wrote to files or to the "
                  "register stands");
}

int cli_exit_status(int rc)
{
    if (cli_flush() == 0 && !ferror(stdout))
        return rc;
    if (!errors_printed) {
        out_failed();
        return CLI_EIO;
    }
    return rc == CLI_OK ? CLI_EIO : rc;
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vmsg(_("warning: "), fmt, ap);
    va_end(ap);
}

int cli_report(const inv_err *e)
{
    cli_error("%s", e->msg[0] ? e->msg : _("unexpected failure"));
    return e->code ? e->code : CLI_EIO;
}

int cli_report_cr(const cr_err *e)
{
    cli_error("%s", e->msg[0] ? e->msg : _("unexpected failure"));
    return e->code ? e->code : CLI_EIO;
}

int cli_open(cli_ctx *ctx, int writable, inv_register **r)
{
    inv_err e = {0};
    if (inv_open(ctx->register_path, writable, r, &e) != INV_OK)
        return cli_report(&e);
    inv_set_clock(*r, ctx->now); /* signatures dated after it do not hold */
    return CLI_OK;
}

int cli_sink_stdout(void *ctx, const void *data, size_t len)
{
    (void)ctx;
    return fwrite(data, 1, len, stdout) != len;
}

int cli_split_kv(const char *arg, const char *opt, char **buf, char **key, char **value)
{
    const char *eq = strchr(arg, '=');
    if (!eq || eq == arg) {
        cli_error("%s expects KEY=VALUE, got '%s'", opt, arg);
        return CLI_USAGE;
    }
    *buf = strdup(arg);
    if (!*buf) {
        cli_error("out of memory");
        return CLI_EIO;
    }
    (*buf)[eq - arg] = '\0';
    *key = *buf;
    *value = *buf + (eq - arg) + 1;
    return CLI_OK;
}

int cli_print_change(void *ctx, const inv_change *c)
{
    cli_changes *l = ctx;
    l->n++;
    l->added += c->op == INV_OP_ADD;
    l->modified += c->op == INV_OP_EDIT;
    l->removed += c->op == INV_OP_REMOVE;
    if (inv_change_format(&l->out, c))
        return INV_EIO;
    if (!l->hold && l->out.len > 64 * 1024)
        cli_changes_flush(l);
    return 0;
}

void cli_changes_flush(cli_changes *c)
{
    if (c->out.len)
        fwrite(c->out.data, 1, c->out.len, stdout);
    c->out.len = 0;
}

void cli_changes_free(cli_changes *c)
{
    inv_buf_free(&c->out);
}

const char *cli_default_author(void)
{
    const char *a = getenv("SCOPEREG_AUTHOR");
    if (a && *a)
        return a;
    struct passwd *pw = getpwuid(getuid());
    if (pw && pw->pw_name && *pw->pw_name)
        return pw->pw_name;
    return "unknown";
}

int cli_hash_holds(int64_t n, const char *hash, const char *recorded)
{
    if (!strcmp(hash, recorded))
        return CLI_OK;
    cli_error("version %lld does not hold: its document hashes to %s, not to %s as "
              "recorded at commit; run 'scopereg verify'",
              (long long)n, hash, recorded);
    return CLI_FAIL;
}

int cli_question_opts(const char *cmd, const char *dir, const char *id, const char *at,
                      int64_t *t)
{
    inv_err e = {0};
    if (!dir || !*dir) {
        cli_error("%s needs -o DIR", cmd);
        return cli_usage(cmd);
    }
    if (id && inv_id_check_stored(id, &e) != INV_OK) {
        cli_error("ID: %s", e.msg);
        return cli_usage(cmd);
    }
    if (at && inv_time_parse(at, 1, t, &e) != INV_OK) {
        cli_error("--at '%s': %s (YYYY-MM-DD, the end of that day in UTC, or RFC 3339)", at,
                  e.msg);
        return cli_usage(cmd);
    }
    return CLI_OK;
}

int cli_flushed(int rc)
{
    if (cli_flush() != 0) {
        out_failed();
        return CLI_EIO;
    }
    return rc;
}
