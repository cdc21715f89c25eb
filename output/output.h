/* output.h - every human-facing output of scopereg, in one library (scopereg_output). */
#ifndef SCOPEREG_OUTPUT_H
#define SCOPEREG_OUTPUT_H

/*
 * The rule: every human-facing output (the HTML annex, VERIFY.txt, the text
 * cosign shows before signing, the JSON of --json) lives here, one file per
 * output, exported functions prefixed out_. An output takes its data from
 * the library (inventory/, crypto/), never from SQL or a file of its own,
 * and writes to an inv_sink_fn or a FILE*; it decides nothing a command
 * acts on. It takes its words from a table: one struct of named strings per
 * output (out_<output>_words), with an English table out_<output>_en; a
 * function given a NULL table uses English. Another language is one more
 * table of the same struct, nothing else. No word of an output is typed
 * outside its table. The signed scope document is not an output: it stays
 * language-neutral and is rendered by inventory/document.
 *
 * JSON (output/json.c) has no table: its keys and values are the contract
 * of docs/JSON.md, the same in every language.
 *
 * Where a new output goes: a new output/<name>.c holding its English
 * table, its functions and words struct declared in a section below or in
 * its own output/<name>.h (verify_txt.h, review.h). Where a new language
 * goes: one more table per output, beside the English one. Filling in a
 * table's %1..%9: output/words.h (the annex escapes the values for HTML).
 */

#include <stdint.h>
#include <stdio.h>

#include "inventory.h"

/* ---- JSON for --json (output/json.c): docs/JSON.md ---- */

/* Writes s as a JSON string (quoted, escaped per RFC 8259) to f; NULL
 * writes null. Bytes that are not UTF-8 become U+FFFD. Write errors are
 * left to the caller (ferror/fflush on f). */
void out_json_str(FILE *f, const char *s);
/* Writes an item as {"id":..,"kind":..,"name":..,"attributes":{..}}. */
void out_json_item(FILE *f, const inv_item *it);
/* Writes t as a JSON string "YYYY-MM-DDTHH:MM:SSZ". */
void out_json_time(FILE *f, int64_t t);
/* out_json_time, or null when t is 0 (no such date: not agreed, not
 * signed). */
void out_json_time_or_null(FILE *f, int64_t t);
/* Writes a version's signature state as the "signers" object: per role,
 * {"signed":..,"keys_needed":..,"keys_signed":..,"signed_at":..|null}. */
void out_json_signers(FILE *f, const inv_sig_state *s);
/* Writes a change as {"op":"added"|"modified"|"removed","id":..,
 * "item":{..}|null, "fields":[{"field","old","new"}] (modified),
 * "reason" (removed)}. item is the state after an addition or a
 * modification, and the state withdrawn by a removal (null if unknown). */
void out_json_change(FILE *f, const inv_change *c);

/* ---- The HTML annex (output/annex.c) ---- */

/* A kind and its title in the words of a table: title is the plural of
 * the annex's headings ("Postes de travail"), one the singular a changed
 * kind is shown as ("poste de travail"; NULL: the kind as stored). */
typedef struct out_kind_title {
    const char *kind, *title, *one;
} out_kind_title;

/* A standard field (inventory/values/fields.c) and its label in the words
 * of a table. */
typedef struct out_field_label {
    const char *key, *label;
} out_field_label;

/* How the annex writes dates: as the document holds them
 * ("2026-01-20T08:00:00Z"), or as people read them in Switzerland
 * ("20.01.2026 09:00", Europe/Zurich: output/swiss.h). */
typedef enum out_dates { OUT_DATES_UTC = 0, OUT_DATES_ZURICH } out_dates;

/* The words of the annex. Each is HTML (markup allowed, '&' and '<' as
 * entities); %1..%9 stand for the values named in the comment, written
 * HTML-escaped. */
typedef struct out_annex_words {
    const char *lang;               /* the page's lang attribute: "en" */
    const char *title;              /* <title>: %1 contract, %2 version */
    const char *print_version;      /* printed-page footer, plain text: "scope version" */
    const char *print_page;         /* printed-page footer, plain text: "page" */
    const char *annex_of;           /* %1 contract */
    const char *heading;
    const char *sub_version;        /* %1 version, %2 date */
    const char *items_one, *items_many; /* %1 count */
    const char *status_agreed, *status_proposed;
    const char *status_signed_by[2]; /* by role index: only that party signed */
    const char *parties_title, *th_role, *th_party, *th_key, *th_signature;
    const char *role[2];            /* by role index, as a table heading */
    const char *signed_on;          /* %1 date */
    const char *partly_signed, *not_signed;
    const char *status_of;          /* %1 version; the status follows */
    const char *agreed_on;          /* after the status: %1 date */
    const char *not_agreed;         /* after the status */
    const char *version_title, *label_contract, *label_register, *label_version, *label_date,
        *label_author, *label_message, *label_previous, *no_previous, *label_document;
    const char *summary_title, *th_kind, *th_items, *total;
    const char *changes_since;      /* %1 previous version */
    const char *changes_since_start;
    const char *initial_scope;      /* %1 count */
    const char *th_change, *th_item, *th_details;
    const char *op[3];              /* added, modified, removed */
    const char *no_value, *reason, *key_replaced, *key_both;
    const char *role_lower[2];      /* by role index, in a sentence */
    const char *th_id, *th_name, *th_attributes;
    const out_kind_title *kinds;    /* kind titles; a kind not here has the kinds */
    size_t nkinds;                  /* table's (inv_kind_title); kinds come in that
                                     * table's order, another kind last, by name */
    const char *verify_title;
    const char *verify_intro;       /* %1 version, %2 document file name */
    const char *verify_hash;        /* %1 hex digest */
    const char *verify_sigs;        /* %1 register id, %2 version */
    const char *verify_tool;
    const char *footer;             /* %1 register id */
    /*
     * Added with the French, German and Italian tables; the English table
     * has them too since the annex is read in Swiss contracts in every
     * language (Zurich times, grouped counts, the signature block). A
     * table that leaves one NULL or 0 does without the part it names.
     */
    out_dates dates;                /* every date and time of the page */
    const char *colon;              /* between a label and its value (NULL:
                                     * ":"; French: U+00A0 then ":") */
    const char *times_note;         /* after the version table, once: the
                                     * time zone and %1 the version's date
                                     * as the document holds it (UTC) */
    const char *group;              /* thousands separator of counts, UTF-8
                                     * (NULL: none, "1250") */
    const out_field_label *fields;  /* labels of standard fields (kind,
                                     * name, attributes) in the item lists
                                     * and the changes; a key not here is */
    size_t nfields;                 /* shown as written */
    int repeat_titles;              /* section titles in the thead of their
                                     * table, so a browser prints them again
                                     * on each page the table continues on */
    const char *sign_title;         /* the signature block (NULL: none) */
    const char *sign_intro;         /* %1 version */
    const char *sign_place_date, *sign_name, *sign_function, *sign_signature;
                                    /* lines filled in by hand, per party */
    const char *esig_title;         /* the electronic signatures stored */
    const char *th_signed_at;       /* beside th_role and th_key */
    const char *esig_previous;      /* after the key id of a party's previous
                                     * key (a version that replaces it) */
    const char *esig_none;          /* no electronic signature stored */
    /*
     * The functional scope of a scope-register/2 version (a /1 version has
     * none of these parts; a table that leaves services_title NULL does
     * without them all, one that leaves th_services NULL without the
     * coverage of each item).
     */
    const char *services_title;     /* the services of the contract */
    const char *th_service, *th_description; /* beside th_name */
    const char *no_services;        /* a /2 version without services */
    const char *exclusions_title, *exclusions_intro, *no_exclusions;
    const char *levels_title;       /* the service-level grid: grades x classes */
    const char *levels_intro;
    const char *th_level;           /* its first column */
    const char *level[4];           /* critical, major, minor, improvement */
    const char *label_hours, *label_availability;
    const char *label_response, *label_resolution; /* before a duration */
    const char *no_classes;         /* a /2 version without classes */
    const char *duration[3];        /* %1 a number: minutes, hours, days */
    const char *defaults_title, *defaults_intro, *no_defaults;
    const char *th_services, *th_sla; /* a kind default's and an item's */
    const char *cov_none;           /* no service, no class */
    const char *cov_kind_default;   /* after a part taken from the kind's default */
} out_annex_words;

/* The tables (output/annex_words.c): English, French (fr-CH), German
 * (de-CH), Italian (it-CH). */
extern const out_annex_words out_annex_en, out_annex_fr, out_annex_de, out_annex_it;

/* The table of a language code ("en", "fr", "de", "it", as inv_langs
 * names them), or NULL when there is none. Cannot fail. */
const out_annex_words *out_annex_words_for(const char *lang);

/* Writes version n as one self-contained HTML page (inline CSS, no
 * external resource, every text from the register HTML-escaped),
 * printable on A4 as the contract annex, in the words of w (NULL:
 * English): contract, parties and key ids, version, status and signature
 * dates, counts per kind, items grouped by kind, changes since n-1, the
 * document's hash and how to check it with stock tools. doc_name is the
 * file name the verification commands give the scope document (NULL:
 * "<contract>-v<N>.scope"). Refuses (INV_FAIL, nothing written) when
 * inv_report_check does; INV_EIO (e says so) when sink fails or memory
 * runs out, after part of the page may have been written. Deterministic:
 * same register and words, same bytes. */
int out_annex_html(inv_register *r, int64_t n, const char *doc_name, const out_annex_words *w,
                   inv_sink_fn sink, void *ctx, inv_err *e);

#endif
