/*
 * internal.h - every private header of inventory/, for the unit tests
 * and fuzzers that reach inside: values_int.h (attribute encoding, rows),
 * store_int.h (the register handle, statements, transactions),
 * document_int.h (rendering a version into a sink or digests), work_int.h
 * (staging without checks, signature checks, the chain of an item's rows,
 * key rotation staging). A file of inventory/ includes its own layer's
 * _int.h instead.
 */
#ifndef SCOPEREG_INVENTORY_INTERNAL_H
#define SCOPEREG_INVENTORY_INTERNAL_H

#include "inventory.h"
#include "work_int.h"

#endif
