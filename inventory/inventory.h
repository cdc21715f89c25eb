/*
 * inventory.h - the whole inventory library, for cli/ and tests/: the
 * layer headers, each including the ones below it (docs/DESIGN.md):
 *
 *   work/work.h          staging, commit, import, export, verify, signatures, dispute
 *   document/document.h  rendering and reading scope documents
 *   store/store.h        the register file: versions, parties, keys, signature rows
 *   values/values.h      errors, buffers, time, items, kinds, trusted comments
 *
 * A file inside inventory/ includes its own layer's header (or its
 * layer's private _int.h), never this one. Exported symbols carry the
 * prefix "inv_".
 */
#ifndef SCOPEREG_INVENTORY_H
#define SCOPEREG_INVENTORY_H

#include "work.h"

#endif
