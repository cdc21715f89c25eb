/*
 * cmd_import.c - scopereg import: stage a client's fleet from a CSV file.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "changes_view.h"
#include "cli.h"

static void progress(void *ctx, uint64_t done, uint64_t total)
{
    (void)ctx;
    if (total)
        fprintf(stderr, "\rimport: %3u%% (%llu of %llu MiB)", (unsigned)(done * 100 / total),
                (unsigned long long)(done >> 20), (unsigned long long)(total >> 20));
    if (done == total)
        fputc('\n', stderr);
}

static const char *delim_name(int d)
{
    return d == ',' ? "','" : d == ';' ? "';'" : d == '\t' ? "tab" : d == '|' ? "'|'" : "?";
}

enum {
    OPT_SOURCE = 256, OPT_MAP_KIND, OPT_FILL_DOWN, OPT_WHERE, OPT_HEADER_ROW, OPT_ALLOW_DUP,
    OPT_SAVE_PROFILE, OPT_PROFILE, OPT_LIST_PROFILES, OPT_MAP, OPT_COMMIT, OPT_AUTHOR
};

static const struct option opts[] = {
    {"map", required_argument, NULL, OPT_MAP},   {"kind", required_argument, NULL, 'k'},
    {"delimiter", required_argument, NULL, 'd'}, {"encoding", required_argument, NULL, 'e'},
    {"sync", no_argument, NULL, 's'},            {"dry-run", no_argument, NULL, 'n'},
    {"reason", required_argument, NULL, 'r'},    {"source", required_argument, NULL, OPT_SOURCE},
    {"map-kind", required_argument, NULL, OPT_MAP_KIND},
    {"fill-down", required_argument, NULL, OPT_FILL_DOWN},
    {"where", required_argument, NULL, OPT_WHERE},
    {"header-row", required_argument, NULL, OPT_HEADER_ROW},
    {"allow-duplicates", no_argument, NULL, OPT_ALLOW_DUP},
    {"save-profile", required_argument, NULL, OPT_SAVE_PROFILE},
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"list-profiles", no_argument, NULL, OPT_LIST_PROFILES},
    {"long", no_argument, NULL, 'v'},            {"verbose", no_argument, NULL, 'v'},
    {"commit", no_argument, NULL, OPT_COMMIT},   {"message", required_argument, NULL, 'm'},
    {"author", required_argument, NULL, OPT_AUTHOR},
    {NULL, 0, NULL, 0},
};

/* A repeatable option's values; a later value with the same key (the text
 * before its last '=', compared without case) replaces an earlier one, so
 * the command line overrides a profile. */
typedef struct list {
    const char **v;
    size_t n;
} list;

static void list_put(list *l, const char *val, int keyed)
{
    const char *eq = keyed ? strrchr(val, '=') : NULL;
    size_t klen = eq ? (size_t)(eq - val) : strlen(val);
    for (size_t i = 0; i < l->n; i++) {
        const char *o = l->v[i];
        const char *oeq = keyed ? strrchr(o, '=') : NULL;
        size_t olen = oeq ? (size_t)(oeq - o) : strlen(o);
        if (olen == klen && !strncasecmp(o, val, klen) && (keyed || !strcmp(o, val))) {
            l->v[i] = val;
            return;
        }
    }
    l->v[l->n++] = val;
}

typedef struct parsed {
    inv_import_opts o;
    list maps, map_kinds, fill, wheres;
    const char *profile, *header_row, *file;
    int list_profiles, long_form;
    int commit;                    /* --commit: import and commit in one transaction */
    const char *message, *author;  /* of that commit */
} parsed;

/* Parses argv (options of a profile first, then the command line's). */
static int parse(int argc, char **argv, parsed *p)
{
    int c;
    optind = 0;
    while ((c = getopt_long(argc, argv, "vm:", opts, NULL)) != -1) {
        switch (c) {
        case OPT_MAP: list_put(&p->maps, optarg, 1); break;
        case OPT_COMMIT: p->commit = 1; break;
        case 'm': p->message = optarg; break;
        case OPT_AUTHOR: p->author = optarg; break;
        case 'k': p->o.default_kind = optarg; break;
        case 'd': p->o.delimiter = optarg; break;
        case 'e': p->o.encoding = optarg; break;
        case 's': p->o.sync = 1; break;
        case 'n': p->o.dry_run = 1; break;
        case 'r': p->o.sync_reason = optarg; break;
        case 'v': p->long_form = 1; break;
        case OPT_SOURCE: p->o.source = optarg; break;
        case OPT_MAP_KIND: list_put(&p->map_kinds, optarg, 1); break;
        case OPT_FILL_DOWN: list_put(&p->fill, optarg, 0); break;
        case OPT_WHERE: list_put(&p->wheres, optarg, 0); break;
        case OPT_HEADER_ROW: p->header_row = optarg; break;
        case OPT_ALLOW_DUP: p->o.allow_duplicates = 1; break;
        case OPT_SAVE_PROFILE: p->o.save_profile = optarg; break;
        case OPT_PROFILE: p->profile = optarg; break;
        case OPT_LIST_PROFILES: p->list_profiles = 1; break;
        default: return cli_usage("import");
        }
    }
    if (p->list_profiles) {
        if (optind != argc) {
            cli_error("import --list-profiles takes no FILE");
            return cli_usage("import");
        }
        return CLI_OK;
    }
    if (optind + 1 != argc) {
        cli_error(optind == argc ? "import needs a CSV FILE" : "import takes one CSV FILE");
        return cli_usage("import");
    }
    p->file = argv[optind];
    if (p->commit && !p->message) {
        cli_error("import --commit needs -m MESSAGE");
        return cli_usage("import");
    }
    if (!p->commit && (p->message || p->author)) {
        cli_error("import: -m and --author go with --commit (import FILE --commit -m MESSAGE)");
        return cli_usage("import");
    }
    if (p->header_row) {
        char *end;
        long n = strtol(p->header_row, &end, 10);
        if (!*p->header_row || *end || n < 1) {
            cli_error("--header-row '%s': expected a line number, 1 or more", p->header_row);
            return CLI_USAGE;
        }
        p->o.header_row = n;
    }
    return CLI_OK;
}

static int print_profile(void *ctx, const char *name, const char *options)
{
    int *n = ctx;
    (*n)++;
    printf("%s: %s\n", name, options);
    return 0;
}

/* The options a profile keeps: all but the file, --dry-run, -v, --commit,
 * -m, --author and the profile options themselves. */
static int profile_args(const parsed *p, const char ***out, size_t *n)
{
    size_t cap = 16 + 2 * (p->maps.n + p->map_kinds.n + p->fill.n + p->wheres.n);
    const char **a = calloc(cap, sizeof *a);
    size_t k = 0;
    if (!a)
        return -1;
#define PAIR(opt, val)                                                                       \
    do {                                                                                     \
        a[k++] = opt;                                                                        \
        a[k++] = val;                                                                        \
    } while (0)
    if (p->o.encoding)
        PAIR("--encoding", p->o.encoding);
    if (p->o.delimiter)
        PAIR("--delimiter", p->o.delimiter);
    if (p->header_row)
        PAIR("--header-row", p->header_row);
    if (p->o.default_kind)
        PAIR("--kind", p->o.default_kind);
    if (p->o.source)
        PAIR("--source", p->o.source);
    for (size_t i = 0; i < p->maps.n; i++)
        PAIR("--map", p->maps.v[i]);
    for (size_t i = 0; i < p->map_kinds.n; i++)
        PAIR("--map-kind", p->map_kinds.v[i]);
    for (size_t i = 0; i < p->fill.n; i++)
        PAIR("--fill-down", p->fill.v[i]);
    for (size_t i = 0; i < p->wheres.n; i++)
        PAIR("--where", p->wheres.v[i]);
    if (p->o.sync)
        a[k++] = "--sync";
    if (p->o.sync_reason)
        PAIR("--reason", p->o.sync_reason);
    if (p->o.allow_duplicates)
        a[k++] = "--allow-duplicates";
#undef PAIR
    *out = a;
    *n = k;
    return 0;
}

/* The --profile NAME of argv, or NULL (checked again by getopt later). */
static const char *find_profile(int argc, char **argv)
{
    const char *name = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            break;
        if (!strcmp(argv[i], "--profile") && i + 1 < argc)
            name = argv[++i];
        else if (!strncmp(argv[i], "--profile=", 10))
            name = argv[i] + 10;
    }
    return name;
}

int cmd_import(int argc, char **argv, cli_ctx *ctx)
{
    parsed p;
    inv_register *r = NULL;
    inv_err e = {0};
    inv_import_result res;
    cli_view v;
    char **stored = NULL, **all = NULL;
    size_t nstored = 0;
    const char **keep = NULL;
    int rc;

    memset(&p, 0, sizeof p);
    memset(&res, 0, sizeof res);
    memset(&v, 0, sizeof v);
    const char *profile = find_profile(argc, argv);
    size_t total = (size_t)argc;
    for (int pass = 0; pass < 2; pass++) {
        /* pass 0: the command line alone, checked before the register is
         * opened; pass 1: with the profile's options first, which the
         * command line's then override */
        if (pass == 1) {
            if ((rc = cli_open(ctx, !p.list_profiles, &r)))
                goto out;
            if (!profile || p.list_profiles)
                break;
            if ((rc = inv_import_profile_get(r, profile, &stored, &nstored, &e))) {
                rc = cli_report(&e);
                goto out;
            }
            total = (size_t)argc + nstored;
        }
        free(all);
        free(p.maps.v);
        free(p.map_kinds.v);
        free(p.fill.v);
        free(p.wheres.v);
        memset(&p, 0, sizeof p);
        all = calloc(total + 1, sizeof *all);
        p.maps.v = calloc(total, sizeof *p.maps.v);
        p.map_kinds.v = calloc(total, sizeof *p.map_kinds.v);
        p.fill.v = calloc(total, sizeof *p.fill.v);
        p.wheres.v = calloc(total, sizeof *p.wheres.v);
        if (!all || !p.maps.v || !p.map_kinds.v || !p.fill.v || !p.wheres.v) {
            cli_error("out of memory");
            rc = CLI_EIO;
            goto out;
        }
        all[0] = argv[0];
        for (size_t i = 0; i < nstored; i++)
            all[1 + i] = stored[i];
        for (int i = 1; i < argc; i++)
            all[nstored + (size_t)i] = argv[i];
        if ((rc = parse((int)total, all, &p)))
            goto out;
    }
    if (p.list_profiles) {
        int n = 0;
        if (inv_import_profiles(r, print_profile, &n, &e)) {
            rc = cli_report(&e);
            goto out;
        }
        if (!n)
            printf(_("no import profile yet: save one with import FILE ... --save-profile NAME\n"));
        goto out;
    }
    inv_import_opts *o = &p.o;
    o->path = p.file;
    o->maps = p.maps.v;
    o->nmaps = p.maps.n;
    o->map_kinds = p.map_kinds.v;
    o->nmap_kinds = p.map_kinds.n;
    o->fill_down = p.fill.v;
    o->nfill_down = p.fill.n;
    o->wheres = p.wheres.v;
    o->nwheres = p.wheres.n;
    if (o->save_profile) {
        size_t nkeep;
        if (profile_args(&p, &keep, &nkeep)) {
            cli_error("out of memory");
            rc = CLI_EIO;
            goto out;
        }
        o->profile_args = keep;
        o->nprofile_args = nkeep;
    }
    if (isatty(STDERR_FILENO))
        o->progress = progress;
    v.long_form = p.long_form;
    v.group_spelling = 1;
    int64_t number = 0;
    if (p.commit)
        rc = inv_import_commit(r, o, p.message, p.author ? p.author : cli_default_author(),
                               ctx->now, &res, &number, &e);
    else
        rc = inv_import(r, o, o->dry_run ? cli_view_change : NULL, &v, &res, &e);
    if (rc == INV_EINPUT && res.errors && *res.errors && p.commit) {
        fputs(res.errors, stderr);
        if (res.nerrors == 1)
            cli_error("%s: 1 error, nothing was written", o->path);
        else
            cli_error("%s: %lld errors, nothing was written", o->path, (long long)res.nerrors);
    } else if (rc == INV_EINPUT && res.errors && *res.errors) {
        fputs(res.errors, stderr);
        if (res.nerrors == 1)
            cli_error("%s: 1 error, nothing was staged", o->path);
        else
            cli_error("%s: %lld errors, nothing was staged", o->path, (long long)res.nerrors);
    } else if (rc) {
        cli_report(&e);
    } else {
        printf(_("%s: %lld rows, delimiter %s%s, %s%s\n"), o->path, (long long)res.rows,
               delim_name(res.delimiter), res.sniffed ? _(" (sniffed)") : "", res.encoding,
               res.bom ? _(", byte order mark skipped") : "");
        if (res.notes)
            fputs(res.notes, stdout);
        printf(_("%s %lld added, %lld modified, %lld removed, %lld unchanged\n"),
               o->dry_run ? _("would stage:") : p.commit ? _("imported:") : _("staged:"),
               (long long)res.added, (long long)res.modified, (long long)res.removed,
               (long long)res.unchanged);
        int64_t items;
        char hash[CR_HASH_STR_LEN];
        if (p.commit && inv_last_commit(r, &number, &items, hash, &e) == INV_OK) {
            printf(_("version %lld committed: %lld items, %s\n"), (long long)number,
                   (long long)items, hash);
            if (res.staged_before > 0)
                printf(ngettext("it also holds %lld change staged before this import "
                                "(scopereg show %lld lists every change)\n",
                                "it also holds %lld changes staged before this import "
                                "(scopereg show %lld lists every change)\n",
                                res.staged_before == 1 ? 1 : 2),
                       (long long)res.staged_before, (long long)number);
        } else if (p.commit)
            rc = cli_report(&e);
        if (o->save_profile && res.profile_saved)
            printf(_("profile '%s' saved: import FILE --profile %s\n"), o->save_profile,
                   o->save_profile);
        else if (o->save_profile)
            printf(_("profile '%s' not saved (a dry run writes nothing)\n"), o->save_profile);
        if (o->dry_run) {
            const char *kinds = cli_view_kinds(&v);
            if (*kinds)
                printf("%s\n", kinds);
            printf(_("\ncolumns:\n%s"), res.columns ? res.columns : "");
            printf(_("\nstaged changes after this import (nothing was written):\n"));
            if (cli_view_print(&v, stdout)) {
                cli_flush();
                cli_error("out of memory: the list above is incomplete");
                rc = CLI_EIO;
            } else if (!v.added && !v.modified && !v.removed) {
                printf(_("none\n"));
            }
        }
    }
out:
    cli_view_free(&v);
    inv_import_result_free(&res);
    inv_close(r);
    inv_strv_free(stored, nstored);
    free(all);
    free(keep);
    free(p.maps.v);
    free(p.map_kinds.v);
    free(p.fill.v);
    free(p.wheres.v);
    return rc;
}
