/*
 * sigtally.h - the signature tally: which party has signed a version,
 * from the signatures that hold, by role index (0 provider, 1 client).
 *
 * No register, no files: the callers (the register's stored signatures,
 * a folder of documents, an evidence bundle) check each signature their
 * own way and count the ones that hold here, so that "agreed" is decided
 * in one place.
 */
#ifndef SCOPEREG_SIGTALLY_H
#define SCOPEREG_SIGTALLY_H

#include <stdint.h>

/* What one party's signatures of a version establish. */
typedef struct inv_party_sigs {
    int signed_; /* every key it must sign with has signed */
    int64_t at;  /* latest signed: timestamp among its keys (0: none) */
    int need;    /* keys that must sign: 1, or 2 when the version replaces its key */
    int have;    /* how many of those did */
} inv_party_sigs;

/* Signature state of a version: party[INV_ROLE_PROVIDER], party[INV_ROLE_CLIENT].
 * A party has signed when every key it must sign with has: its key in
 * force at the version, plus its previous key when the version replaces
 * that party's key (need 2). */
typedef struct inv_sig_state {
    inv_party_sigs party[2];
} inv_sig_state;

/* The count in progress: which keys must sign and which did. */
typedef struct inv_tally {
    int rotates[2];   /* the role's previous key must sign too */
    unsigned have[2]; /* bit 0: the key in force signed, bit 1: the previous key */
    int64_t at[2];    /* latest signed: timestamp among them */
} inv_tally;

/* Starts a count; rotates[i] when the version replaces role i's key.
 * Cannot fail. */
void inv_tally_init(inv_tally *t, int provider_rotates, int client_rotates);
/* Counts a signature that holds, by role's key in force (old 0) or by the
 * key it replaces (old 1), signed at signed_at. A role outside 0..1, or
 * old set when that role does not rotate, is not counted. */
void inv_tally_add(inv_tally *t, int role, int old, int64_t signed_at);
/* The state the signatures counted establish. Cannot fail. */
void inv_tally_state(const inv_tally *t, inv_sig_state *out);

/* Both parties have signed. */
int inv_sig_agreed(const inv_sig_state *s);
/* "agreed", "signed by provider", "signed by client" or "proposed". */
const char *inv_sig_state_name(const inv_sig_state *s);
/* When a version of that date was agreed, given its signature state: the
 * later of the two parties' signed: timestamps. 0 when the version is not
 * agreed, or when a timestamp is before the version's date (such a
 * signature does not hold: inv_sig_state_get refuses it). */
int64_t inv_agreed_at(const inv_sig_state *s, int64_t date);

#endif
