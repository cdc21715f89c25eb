/*
 * keyring_int.h - listing a directory's files, shared by keyring.c (the
 * .pub files) and folder.c (the .scope files). Layer 2, private.
 */
#ifndef SCOPEREG_KEYRING_INT_H
#define SCOPEREG_KEYRING_INT_H

#include <stddef.h>

#include "document.h"

/* Whether s ends with suffix (and is longer). */
int inv__ends_with(const char *s, const char *suffix);
/* dir + "/" + name, malloc'd; NULL when out of memory. */
char *inv__path_join(const char *dir, const char *name);
/* The names in dir ending with suffix (hidden names skipped), sorted;
 * *names NULL-terminated, freed with inv__names_free. INV_EINPUT when dir
 * cannot be read, INV_EIO when out of memory. */
int inv__list_dir(const char *dir, const char *suffix, char ***names, size_t *count,
                  inv_err *e);
void inv__names_free(char **names, size_t n);

#endif
