/*
 * cpbeside.c - a document's checkpoint files beside it: <stem>.checkpoint
 * compared with the checkpoint derived from the document, and its
 * signatures checked by the keys the document names.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "beside.h"
#include "checkpoint.h"
#include "values_int.h"

void inv_cp_beside_free(inv_cp_beside *b)
{
    if (b)
        inv_checkpoint_free(&b->cp);
}

/* Whether path exists (lstat): 1 a regular file, -1 something else, 0 none. */
static int present(const char *path)
{
    struct stat sb;
    if (lstat(path, &sb) != 0)
        return 0;
    return S_ISREG(sb.st_mode) ? 1 : -1;
}

/* The first fault found is the one said. */
static void fault(inv_cp_beside *b, const inv_err *why)
{
    if (b->ok) {
        b->ok = 0;
        b->err = *why;
        b->err.code = why->code == INV_EIO ? INV_EIO : INV_FAIL;
    }
}

static void check_file(inv_cp_beside *b, const char *file, const char *text, size_t len)
{
    inv_checkpoint got;
    inv_err why;
    char *have = NULL;
    size_t hlen = 0;
    int p = present(file);
    if (!p)
        return;
    b->present = 1;
    if (p < 0) {
        inv_fail(&why, INV_FAIL, "%s: not a regular file; only regular files are read", file);
        fault(b, &why);
        return;
    }
    if (inv_checkpoint_load(file, &got, &have, &hlen, &why)) {
        fault(b, &why);
        return;
    }
    const char *field = inv_checkpoint_diff(&got, &b->cp);
    if (field || hlen != len || memcmp(have, text, len))
        inv_fail(&why, INV_FAIL, "%s does not match the checkpoint of its document: field %s "
                 "differs", file, field ? field : "bytes");
    if (field || hlen != len || memcmp(have, text, len))
        fault(b, &why);
    inv_checkpoint_free(&got);
    free(have);
}

/* The signed: date in the trusted comment of the document signature
 * beside it by role's key keyid (old: <stem>.ROLE.old.minisig), read
 * only (its caller checks that signature): 1 with *at, 0 when there is
 * none by that key, -1 when it could not be read for the machine's sake
 * (out of memory, an I/O error: no verdict). */
static int doc_signed(const char *stem, int role, int old, const char *keyid, int64_t *at)
{
    size_t n = strlen(stem) + 32;
    char *path = malloc(n), by[CR_KEYID_HEX];
    cr_sig sig;
    cr_err ce = {0};
    inv_tc tc;
    int found = 0;
    if (!path) {
        inv_oom_note();
        return -1;
    }
    snprintf(path, n, "%s.%s%s.minisig", stem, inv_roles[role], old ? ".old" : "");
    int load = present(path) == 1 ? cr_sig_load(path, &sig, &ce) : CR_EINPUT;
    if (load == CR_EIO)
        found = -1;
    if (load == CR_OK) {
        cr_keyid_hex(sig.keyid, by);
        if (!strcmp(by, keyid) && inv_tc_parse(sig.trusted, &tc, NULL) == INV_OK) {
            *at = tc.signed_at;
            found = 1;
        }
    }
    free(path);
    return found;
}

static void check_sig(inv_cp_beside *b, const char *stem, int role, int old, const inv_doc *d,
                      const inv_keyring *ring, int64_t now, const char *text, size_t len)
{
    cr_sig sig;
    cr_err ce;
    cr_pubkey pk;
    inv_err why;
    inv_cptc tc;
    const char *pub;
    char rolename[32], date[32], tcdate[32];
    const char *keyid = old ? d->old_key[role] : d->key[role];
    snprintf(rolename, sizeof rolename, "%s%s", inv_roles[role], old ? ".old" : "");
    char *file = inv_checkpoint_sig_path(stem, rolename);
    if (!file) {
        inv_fail(&why, INV_EIO, "out of memory");
        fault(b, &why);
        return;
    }
    int p = present(file);
    if (!p)
        goto out;
    (old ? b->old_sig_present : b->sig_present)[role] = 1;
    if (p < 0) {
        inv_fail(&why, INV_FAIL, "%s: not a regular file; only regular files are read", file);
        fault(b, &why);
        goto out;
    }
    if (old && !keyid[0]) {
        inv_fail(&why, INV_FAIL, "%s: version %lld does not replace the %s's key: no old-key "
                 "checkpoint signature belongs beside it", file, (long long)d->version,
                 inv_roles[role]);
        fault(b, &why);
        goto out;
    }
    if (cr_sig_load(file, &sig, &ce) != CR_OK) {
        inv_fail(&why, ce.code == CR_EIO ? INV_EIO : INV_FAIL, "%s", ce.msg);
        fault(b, &why);
        goto out;
    }
    if (!ring || inv_keyring_find(ring, keyid, &pk, &pub, &why)) {
        if (!old)
            b->sig_nokey[role] = 1;
        goto out;
    }
    if (inv_checkpoint_sig_check(&b->cp, text, len, role, old ? keyid : NULL, &pk, &sig, now,
                                 &tc, &why)) {
        char msg[sizeof why.msg];
        snprintf(msg, sizeof msg, "%s", why.msg);
        inv_fail(&why, INV_FAIL, "%s: %s", file, msg);
        fault(b, &why);
        goto out;
    }
    /* document-signed: is the date of that key's document signature */
    int64_t at = 0;
    inv_time_format(tc.doc_signed_at, tcdate, sizeof tcdate);
    int ds = doc_signed(stem, role, old, keyid, &at);
    if (ds < 0) {
        inv_fail(&why, INV_EIO, "%s: the document signature beside it cannot be read", file);
        fault(b, &why);
        goto out;
    }
    if (!ds) {
        inv_fail(&why, INV_FAIL, "%s: version %lld, %s: it says the document was signed %s, "
                 "but no document signature by key %s lies beside it to show that date",
                 file, (long long)d->version, inv_roles[role], tcdate, keyid);
        fault(b, &why);
        goto out;
    }
    if (at != tc.doc_signed_at) {
        inv_time_format(at, date, sizeof date);
        inv_fail(&why, INV_FAIL, "%s: version %lld, %s: document-signed:%s, but the %s's "
                 "document signature by key %s is dated %s", file, (long long)d->version,
                 inv_roles[role], tcdate, inv_roles[role], keyid, date);
        fault(b, &why);
        goto out;
    }
    if (old) {
        b->old_sig_ok[role] = 1;
    } else {
        b->sig_ok[role] = 1;
        b->signed_at[role] = tc.signed_at;
        b->doc_signed_at[role] = tc.doc_signed_at;
    }
out:
    free(file);
}

int inv_cp_beside_check(const char *path, const char *stem, const inv_doc *d,
                        const inv_checkpoint *cp, const inv_keyring *ring, int64_t now,
                        inv_cp_beside *out, inv_err *e)
{
    inv_buf text = {0};
    memset(out, 0, sizeof *out);
    out->ok = 1;
    int rc = INV_OK;
    if (cp) {
        out->cp = *cp;
        if (!(out->cp.contract = inv__strdup(cp->contract ? cp->contract : "")))
            return inv_fail(e, INV_EIO, "out of memory");
    } else if ((rc = inv_checkpoint_of_doc(path, d, NULL, NULL, &out->cp, e))) {
        return rc;
    }
    char *file = inv_checkpoint_path(stem);
    if (!file || inv_checkpoint_format(&out->cp, &text)) {
        free(file);
        inv_buf_free(&text);
        return inv_fail(e, INV_EIO, "out of memory");
    }
    check_file(out, file, text.data, text.len);
    free(file);
    for (int role = 0; role < 2; role++)
        for (int old = 0; old < 2; old++)
            check_sig(out, stem, role, old, d, ring, now, text.data, text.len);
    inv_buf_free(&text);
    return rc;
}
