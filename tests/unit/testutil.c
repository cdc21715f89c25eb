/* testutil.c - helpers shared by the cmocka unit tests. */
#include "testutil.h"

#include <setjmp.h>
#include <stdarg.h>
#include <cmocka.h>

#include "inventory.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>

char *tu_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char *tmpl = tu_path(base && *base ? base : "/tmp", "scopereg-test-XXXXXX");
    if (!mkdtemp(tmpl)) {
        perror("mkdtemp");
        abort();
    }
    return tmpl;
}

void tu_rmtree(const char *path)
{
    char *cmd = malloc(strlen(path) + 16);
    if (!cmd)
        return;
    sprintf(cmd, "rm -rf '%s'", path);
    if (system(cmd) != 0)
        fprintf(stderr, "warning: could not remove %s\n", path);
    free(cmd);
}

char *tu_corpus(const char *rel)
{
    const char *base = getenv("SCOPEREG_CORPORA");
    if (!base || !*base)
        base = "../shared/corpora";
    char *p = tu_path(base, rel);
    if (access(p, R_OK) != 0) {
        printf("skipped: external corpus %s is absent\n", p);
        free(p);
        return NULL;
    }
    return p;
}

char *tu_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf && (got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            char *nb = realloc(buf, cap * 2 + 1);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    fclose(f);
    if (!buf)
        return NULL;
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

int tu_write(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(data, 1, len, f);
    return (fclose(f) == 0 && w == len) ? 0 : -1;
}

char *tu_path(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    if (!p)
        abort();
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

int64_t tu_time(const char *text)
{
    int64_t t = -1;
    inv_err e = {0};
    if (inv_time_parse(text, 0, &t, &e) != INV_OK)
        fail_msg("cannot parse '%s': %s", text, e.msg);
    return t;
}

/* ---- the register fixture ---- */

const tu_reg_spec TU_REG_DEFAULT = {"scope.db", "ACME-2026-01", "Helvetia IT SA", "ACME SA",
                                    "2026-01-05T08:00:00Z", 0};

void tu_parse_pk(const char *b64, cr_pubkey *pk)
{
    cr_err ce = {0};
    if (cr_pubkey_parse(b64, strlen(b64), pk, &ce) != CR_OK)
        fail_msg("cannot parse fixed public key: %s", ce.msg);
}

int tu_reg_setup(void **state, const tu_reg_spec *spec)
{
    const tu_reg_spec *s = spec ? spec : &TU_REG_DEFAULT;
    tu_reg *f = calloc(1, sizeof *f);
    cr_err ce = {0};
    inv_err e = {0};
    if (!f)
        return -1;
    f->arg = *state;
    f->dir = tu_tmpdir();
    f->path = tu_path(f->dir, s->file);
    if (s->fresh_keys) {
        for (int i = 0; i < 2; i++)
            if (cr_keygen(&f->sk[i], &f->pk[i], &ce) != CR_OK) {
                fprintf(stderr, "cr_keygen: %s\n", ce.msg);
                return -1;
            }
    } else {
        tu_parse_pk(TU_PK_A_B64, &f->pk[0]);
        tu_parse_pk(TU_PK_B_B64, &f->pk[1]);
    }
    inv_init in = {0};
    in.contract = s->contract;
    in.provider_name = s->provider_name;
    in.client_name = s->client_name;
    in.provider_key = f->pk[0];
    in.client_key = f->pk[1];
    in.now = tu_time(s->created);
    if (inv_create(f->path, &in, &e) != INV_OK) {
        fprintf(stderr, "inv_create: %s\n", e.msg);
        return -1;
    }
    if (inv_open(f->path, 1, &f->r, &e) != INV_OK) {
        fprintf(stderr, "inv_open: %s\n", e.msg);
        return -1;
    }
    *state = f;
    return 0;
}

int tu_reg_setup_default(void **state)
{
    return tu_reg_setup(state, NULL);
}

int tu_reg_teardown(void **state)
{
    tu_reg *f = *state;
    if (f) {
        inv_close(f->r);
        for (int i = 0; i < 2; i++)
            cr_seckey_free(f->sk[i]);
        tu_rmtree(f->dir);
        free(f->dir);
        free(f->path);
        free(f);
    }
    return 0;
}

void tu_reg_reopen(tu_reg *f)
{
    inv_err e = {0};
    inv_close(f->r);
    f->r = NULL;
    assert_ok(inv_open(f->path, 1, &f->r, &e), &e);
}

static void item_vmake(inv_item *it, const char *id, const char *kind, const char *name,
                       va_list ap)
{
    inv_err e = {0};
    inv_item_init(it);
    it->id = strdup(id);
    it->name = strdup(name ? name : "");
    assert_non_null(it->id);
    assert_non_null(it->name);
    assert_ok(inv_item_set(it, "kind", kind, &e), &e);
    const char *k;
    while ((k = va_arg(ap, const char *)) != NULL) {
        const char *v = va_arg(ap, const char *);
        assert_ok(inv_item_set(it, k, v, &e), &e);
    }
}

void tu_item_make(inv_item *it, const char *id, const char *kind, const char *name, ...)
{
    va_list ap;
    va_start(ap, name);
    item_vmake(it, id, kind, name, ap);
    va_end(ap);
}

void tu_stage_add(inv_register *r, const char *id, const char *kind, const char *name, ...)
{
    inv_item it;
    inv_err e = {0};
    va_list ap;
    va_start(ap, name);
    item_vmake(&it, id, kind, name, ap);
    va_end(ap);
    assert_ok(inv_stage_add(r, &it, &e), &e);
    inv_item_free(&it);
}

void tu_stage_edit(inv_register *r, const char *id, ...)
{
    inv_item it;
    inv_err e = {0};
    inv_item_init(&it);
    assert_ok(inv_item_current(r, id, &it, NULL, &e), &e);
    va_list ap;
    va_start(ap, id);
    const char *k;
    while ((k = va_arg(ap, const char *)) != NULL) {
        const char *v = va_arg(ap, const char *);
        if (v)
            assert_ok(inv_item_set(&it, k, v, &e), &e);
        else
            assert_ok(inv_item_unset(&it, k, &e), &e);
    }
    va_end(ap);
    assert_ok(inv_stage_edit(r, &it, &e), &e);
    inv_item_free(&it);
}

int64_t tu_staged_count(inv_register *r)
{
    int64_t n = -1;
    inv_err e = {0};
    assert_ok(inv_stage_count(r, &n, &e), &e);
    return n;
}

int64_t tu_commit(inv_register *r, const char *date, const char *author, const char *msg)
{
    int64_t n = -1;
    inv_err e = {0};
    assert_ok(inv_commit(r, msg, author, tu_time(date), &n, &e), &e);
    return n;
}

char *tu_render(inv_register *r, int64_t n)
{
    char *doc = NULL;
    size_t len = 0;
    inv_err e = {0};
    assert_ok(inv_render_mem(r, n, &doc, &len, &e), &e);
    assert_non_null(doc);
    assert_int_equal(strlen(doc), len); /* no NUL inside */
    return doc;
}

int tu_change_log(void *ctx, const inv_change *c)
{
    tu_changes *w = ctx;
    w->n++;
    if (inv_change_format(&w->text, c))
        return INV_EIO;
    return 0;
}

char *tu_staged_text(inv_register *r)
{
    tu_changes w = {{0}, 0};
    inv_err e = {0};
    assert_ok(inv_stage_walk(r, tu_change_log, &w, &e), &e);
    inv_buf_puts(&w.text, "");
    assert_non_null(w.text.data);
    return w.text.data;
}

void tu_build_history(inv_register *r)
{
    inv_err e = {0};
    tu_stage_add(r, "SRV-01", "serveur", "File server", "IP", "10.0.0.5", "notes",
                 "line1\nline2\ttab \\ back", NULL);
    tu_stage_add(r, "PC-010", "Poste", "Poste compta", "Serial", "S1", "OS", "Windows 11", NULL);
    tu_stage_add(r, "pc-001", "PC", NULL, NULL);
    tu_stage_add(r, "Ébauche", "logiciel", "Ébauche", NULL);
    tu_stage_add(r, "FW-01", "pare-feu", NULL, NULL);
    assert_int_equal(tu_commit(r, "2026-01-10T09:00:00Z", "J. Muller", "Initial inventory"), 1);

    tu_stage_edit(r, "SRV-01", "ip", "10.0.0.6", "notes", NULL, "os", "Windows Server 2022",
                  "name", "File \"server\"", NULL);
    tu_stage_edit(r, "PC-010", "kind", "serveur", NULL);
    assert_ok(inv_stage_remove(r, "pc-001", "stolen, police report 42", &e), &e);
    tu_stage_add(r, "WS-01", "laptop", NULL, NULL);
    assert_int_equal(tu_commit(r, "2026-02-01T11:00:00+01:00", "jm", "Q1\nsecond line"), 2);

    assert_ok(inv_stage_remove(r, "WS-01", "returned", &e), &e);
    tu_stage_edit(r, "Ébauche", "licences", "25", NULL);
    assert_int_equal(tu_commit(r, "2026-03-01T08:00:00Z", "jm", "Q2"), 3);
}

int tu_dir_entries(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    assert_non_null(d);
    while ((de = readdir(d)) != NULL)
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            n++;
    closedir(d);
    return n;
}
