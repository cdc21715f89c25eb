/* sigtally.c - the one count of signatures that decides "agreed". */
#include <string.h>

#include "sigtally.h"

void inv_tally_init(inv_tally *t, int provider_rotates, int client_rotates)
{
    memset(t, 0, sizeof *t);
    t->rotates[0] = provider_rotates != 0;
    t->rotates[1] = client_rotates != 0;
}

void inv_tally_add(inv_tally *t, int role, int old, int64_t signed_at)
{
    if (role < 0 || role > 1 || (old && !t->rotates[role]))
        return;
    t->have[role] |= old ? 2u : 1u;
    if (signed_at > t->at[role])
        t->at[role] = signed_at;
}

void inv_tally_state(const inv_tally *t, inv_sig_state *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < 2; i++) {
        inv_party_sigs *p = &out->party[i];
        p->need = t->rotates[i] ? 2 : 1;
        p->have = (int)(t->have[i] & 1u) + (int)(t->have[i] >> 1 & 1u);
        p->signed_ = p->have == p->need;
        p->at = p->have ? t->at[i] : 0;
    }
}

int inv_sig_agreed(const inv_sig_state *s)
{
    return s->party[0].signed_ && s->party[1].signed_;
}

const char *inv_sig_state_name(const inv_sig_state *s)
{
    if (inv_sig_agreed(s))
        return "agreed";
    if (s->party[0].signed_)
        return "signed by provider";
    if (s->party[1].signed_)
        return "signed by client";
    return "proposed";
}

int64_t inv_agreed_at(const inv_sig_state *s, int64_t date)
{
    const inv_party_sigs *p = s->party;
    if (!inv_sig_agreed(s) || p[0].at < date || p[1].at < date)
        return 0;
    return p[0].at > p[1].at ? p[0].at : p[1].at;
}
