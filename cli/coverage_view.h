/* coverage_view.h - printing the answer of at DATE ID --service S
 * (cli/coverage_view.c). */
#ifndef SCOPEREG_CLI_COVERAGE_VIEW_H
#define SCOPEREG_CLI_COVERAGE_VIEW_H

#include <stdio.h>

#include "inventory.h"

/* Prints whether id was covered for service at when (version n): its
 * services and class, then the service and the class's targets per
 * level, hours and availability. Cannot fail (write errors show in f). */
void cli_cov_answer_print(FILE *f, const char *id, const char *service, const char *when,
                          int64_t n, const inv_cov_answer *a);
/* Prints an item's coverage as a version agreed it: its services (it->svc
 * and where from) with the name and description of each (terms: the
 * version's services and class the item names), then its class with its
 * hours, availability and targets per level. Cannot fail. */
void cli_cov_item_print(FILE *f, const inv_item *it, const inv_term *terms, size_t nterms);
/* The same as the members of a JSON object: ,"service":...,"covered":...,
 * "coverage":{...},"class":{...} (no braces around them). */
void cli_cov_answer_json(FILE *f, const char *service, const inv_cov_answer *a);

#endif
