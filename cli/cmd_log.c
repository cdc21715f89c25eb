/*
 * cmd_log.c - scopereg log [--json]: the versions, newest first, each with
 * its signature state (proposed, signed by provider, signed by client,
 * agreed) and the dates of the signatures, as their signed trusted
 * comments give them (inv_sig_state_get; 'scopereg verify' also checks
 * them over the documents). A version whose signatures cannot be counted
 * (a row edited behind the tool's back) is listed as such and makes log
 * exit 1. --json writes one object (docs/JSON.md).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "dispute.h"
#include "output.h"
#include "signing.h"

/* The keys version n replaces, by role index: rot[i] set, old and new
 * key ids. INV_FAIL when a stored key is malformed. */
typedef struct key_changes {
    int rot[2];
    char old[2][CR_KEYID_HEX], new_key[2][CR_KEYID_HEX];
} key_changes;

static int key_changes_get(inv_register *r, int64_t n, key_changes *k, inv_err *e)
{
    for (int i = 0; i < 2; i++) {
        cr_pubkey old, new_key;
        int rc = inv_rotation_at(r, n, inv_roles[i], &k->rot[i], &old, &new_key, e);
        if (rc)
            return rc;
        if (k->rot[i]) {
            cr_keyid_hex(old.keyid, k->old[i]);
            cr_keyid_hex(new_key.keyid, k->new_key[i]);
        }
    }
    return INV_OK;
}

/* The members of a version that stays listed when its signatures cannot
 * be counted (a damaged key row): the signature members are null and
 * "problem" says why, as the text says "signatures not counted". */
static int json_uncounted(inv_register *r, int64_t n, const char *why, inv_err *e)
{
    inv_version v;
    int rc = inv_version_get(r, n, &v, e);
    if (rc)
        return rc;
    printf("\"version\":%lld,\"date\":", (long long)n);
    out_json_time(stdout, v.date);
    fputs(",\"author\":", stdout);
    out_json_str(stdout, v.author);
    fputs(",\"message\":", stdout);
    out_json_str(stdout, v.message);
    fputs(",\"previous\":", stdout);
    out_json_str(stdout, v.prev_hash[0] ? v.prev_hash : NULL);
    fputs(",\"document\":", stdout);
    out_json_str(stdout, v.doc_hash);
    printf(",\"item_count\":%lld,\"status\":null,\"agreed_at\":null,\"parties\":null,"
           "\"signatures\":null,\"signers\":null,\"key_changes\":null,\"problem\":",
           (long long)v.item_count);
    char problem[sizeof e->msg + 64];
    snprintf(problem, sizeof problem, "signatures not counted: %s", why);
    out_json_str(stdout, problem);
    inv_version_free(&v);
    return INV_OK;
}

/* One version: the version members of docs/JSON.md (stored signature
 * rows, not checked), "signers", "key_changes" and "problem". */
static int json_version(inv_register *r, int64_t n, int first, inv_err *e, inv_err *first_e,
                        int64_t *uncounted)
{
    cli_version_info vi;
    key_changes k;
    int rc = cli_version_info_get(r, n, 0, &vi, e);
    if (rc == INV_OK)
        rc = key_changes_get(r, n, &k, e);
    fputs(first ? "\n{" : ",\n{", stdout);
    if (rc == INV_FAIL) {
        char why[sizeof e->msg];
        snprintf(why, sizeof why, "%s", e->msg);
        if (!(*uncounted)++)
            *first_e = *e;
        cli_version_info_free(&vi);
        if ((rc = json_uncounted(r, n, why, e)))
            return rc;
        fputc('}', stdout);
        return INV_OK;
    }
    if (rc) {
        cli_version_info_free(&vi);
        return rc;
    }
    cli_version_json_members(stdout, &vi);
    fputs(",\"signers\":", stdout);
    out_json_signers(stdout, &vi.state);
    fputs(",\"key_changes\":[", stdout);
    for (int i = 0, j = 0; i < 2; i++)
        if (k.rot[i])
            printf("%s{\"role\":\"%s\",\"old\":\"%s\",\"new\":\"%s\"}", j++ ? "," : "",
                   inv_roles[i], k.old[i], k.new_key[i]);
    fputs("],\"problem\":null}", stdout);
    cli_version_info_free(&vi);
    return INV_OK;
}

int cmd_log(int argc, char **argv, cli_ctx *ctx)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {NULL, 0, NULL, 0}};
    int json = 0, c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (c != 'j')
            return cli_usage("log");
        json = 1;
    }
    if (optind != argc) {
        cli_error("unexpected argument '%s'", argv[optind]);
        return cli_usage("log");
    }
    inv_register *r;
    inv_err e = {0}, first = {0};
    int64_t latest, uncounted = 0;
    int rc = cli_open(ctx, 0, &r);
    if (rc)
        return rc;
    if (inv_latest(r, &latest, &e) != INV_OK) {
        rc = cli_report(&e);
        goto out;
    }
    if (json) {
        fputs("{\"register\":", stdout);
        out_json_str(stdout, inv_path(r));
        fputs(",\"register_id\":", stdout);
        out_json_str(stdout, inv_register_id(r));
        fputs(",\"contract\":", stdout);
        out_json_str(stdout, inv_contract(r));
        printf(",\"latest_version\":%lld,\"versions\":[", (long long)latest);
        for (int64_t n = latest; n >= 1; n--)
            if ((rc = json_version(r, n, n == latest, &e, &first, &uncounted))) {
                rc = cli_report(&e);
                goto out;
            }
        fputs(latest ? "\n]}\n" : "]}\n", stdout);
    } else if (latest == 0) {
        printf(_("no version yet in %s\n"), inv_path(r));
    }
    for (int64_t n = json ? 0 : latest; n >= 1; n--) {
        inv_version v;
        inv_sig_state st;
        char date[32], state[2560];
        if (inv_version_get(r, n, &v, &e) != INV_OK) {
            rc = cli_report(&e);
            goto out;
        }
        int src = inv_sig_state_get(r, n, &st, &e);
        if (src == INV_FAIL) { /* a damaged row: say so, go on listing */
            snprintf(state, sizeof state, _("signatures not counted: %s (run 'scopereg verify')"),
                     e.msg);
            if (!uncounted++)
                first = e;
        } else if (src != INV_OK) {
            inv_version_free(&v);
            rc = cli_report(&e);
            goto out;
        } else
            cli_state_log(&st, state, sizeof state);
        inv_time_format(v.date, date, sizeof date);
        size_t mlen = strcspn(v.message, "\n");
        printf(ngettext("version %lld  %s  %s  %lld item\n    %.*s%s\n    %s\n    %s\n",
                        "version %lld  %s  %s  %lld items\n    %.*s%s\n    %s\n    %s\n",
                        v.item_count == 1 ? 1 : 2),
               (long long)n, date, v.author, (long long)v.item_count, (int)mlen, v.message,
               v.message[mlen] ? " ..." : "", v.doc_hash, state);
        inv_version_free(&v);
    }
    if (cli_flushed(CLI_OK) != CLI_OK) {
        rc = CLI_EIO;
    } else if (uncounted) {
        /* Dates and states come from signed bytes or not at all. */
        cli_error(ngettext("%lld version whose signatures could not be counted: %s",
                           "%lld versions whose signatures could not be counted, the first: %s",
                           uncounted == 1 ? 1 : 2),
                  (long long)uncounted, first.msg);
        rc = CLI_FAIL;
    }
out:
    inv_close(r);
    return rc;
}
