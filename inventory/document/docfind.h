/*
 * docfind.h - what a scope document outside any register says of one
 * item, read in one streamed pass (docfind.c): its block among the items
 * and its entry among the changes; and the blocks of one service and one
 * class. What at --documents and history --documents look up in each
 * version.
 */
#ifndef SCOPEREG_DOCFIND_H
#define SCOPEREG_DOCFIND_H

#include "document.h"

/* One item of one document. */
typedef struct inv_doc_find {
    int listed;    /* the items list it: item holds its block */
    inv_item item; /* its id, kind, name and attributes, unescaped */
    int change;    /* 0, or the change entry for it: INV_OP_ADD, INV_OP_EDIT, INV_OP_REMOVE */
    char *reason;  /* INV_OP_REMOVE: the reason line's value, unescaped (malloc'd) */
} inv_doc_find;

/* Reads the document at path (a regular file only, never blocking on a
 * FIFO), which inv_doc_read read before into d, in one pass holding one
 * line at a time (memory flat in the number of items), and fills out
 * with what it says of item id. Every byte is hashed on the way: the file
 * must still hash to d->doc_hash, so the answer is about the bytes that
 * were checked. INV_OK (out filled, listed or not); INV_EINPUT when the
 * file cannot be opened, is not a regular file or is no longer the
 * document read before; INV_FAIL naming the file and line when the item's
 * block or change entry is malformed; INV_EIO on a read error or out of
 * memory. out is initialised here; free it with inv_doc_find_free
 * whatever the outcome. */
int inv_doc_find_item(const char *path, const inv_doc *d, const char *id, inv_doc_find *out,
                      inv_err *e);
void inv_doc_find_free(inv_doc_find *f);

/* Reads the document at path as inv_doc_find_item does (one pass, one
 * line at a time, every byte hashed against d->doc_hash) and decodes the
 * block "service: SERVICE" into svc_out and the block "class: CLS" into
 * cls_out with inv_term_decode, as a register decodes its term rows (ids,
 * known fields in order, canonical values). An id that is NULL or "none"
 * is not looked for; a block the document does not hold (or any block of
 * a scope-register/1 document) leaves its term with id NULL. Both terms
 * are freed first; the caller frees them (inv_term_free) whatever the
 * outcome. INV_OK; INV_EINPUT as inv_doc_find_item; INV_FAIL naming the
 * file and line when a block is listed twice, has a malformed line or does
 * not decode; INV_EIO on a read error or out of memory. */
int inv_doc_find_terms(const char *path, const inv_doc *d, const char *service,
                       const char *cls, inv_term *svc_out, inv_term *cls_out, inv_err *e);

#endif
