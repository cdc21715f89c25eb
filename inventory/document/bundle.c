/* bundle.c - the one place that names the files of a bundle. */
#include <stdio.h>

#include "document.h"

int inv_bundle_name(char *out, size_t outlen, inv_bundle_file kind, const char *stem,
                    int64_t version, int role, const char *keyid)
{
    char ver[32] = "";
    int n = -1;
    if (outlen)
        out[0] = '\0';
    if (role < 0 || role > 1)
        return -1;
    if (version > 0)
        snprintf(ver, sizeof ver, "-v%lld", (long long)version);
    switch (kind) {
    case INV_FILE_SCOPE:
        n = snprintf(out, outlen, "%s%s.scope", stem, ver);
        break;
    case INV_FILE_SIG:
    case INV_FILE_OLD_SIG:
        n = snprintf(out, outlen, "%s%s.%s%s.minisig", stem, ver, inv_roles[role],
                     kind == INV_FILE_OLD_SIG ? ".old" : "");
        break;
    case INV_FILE_PUB:
        n = snprintf(out, outlen, "%s.%s.pub", stem, inv_roles[role]);
        break;
    case INV_FILE_CHECKPOINT:
        n = snprintf(out, outlen, "%s%s.checkpoint", stem, ver);
        break;
    case INV_FILE_CP_SIG:
    case INV_FILE_CP_OLD_SIG:
        n = snprintf(out, outlen, "%s%s.checkpoint.%s%s.minisig", stem, ver, inv_roles[role],
                     kind == INV_FILE_CP_OLD_SIG ? ".old" : "");
        break;
    case INV_FILE_KEYID_PUB:
        n = keyid ? snprintf(out, outlen, "%s.%s.%s.pub", stem, inv_roles[role], keyid) : -1;
        break;
    }
    if (n < 0 || (size_t)n >= outlen) {
        if (outlen)
            out[0] = '\0';
        return -1;
    }
    return n;
}
