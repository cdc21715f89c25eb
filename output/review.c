/* review.c - the text cosign shows, its words from a table. */
#include <stdlib.h>
#include <string.h>

#include "review.h"
#include "words.h"

const out_review_words out_review_en = {
    .header = "document %1\n  contract: %2\n  register: %3\n",
    .party = {"  provider: %1 (key %2%3)\n", "  client:   %1 (key %2%3)\n"},
    .replacing = ", replacing key %1",
    .version = "  version:  %1 of %2 by %3\n"
               "  message (written by the provider's author, not checked): \"%4\"\n"
               "  previous: %5\n"
               "  document: %6 (%7 bytes)\n"
               "  items:    %8 in scope\n",
    .no_previous = "none (first version)",
    .role = {"provider", "client"},
    .key = "key",
    .previous_key = "previous key",
    .sig_none = "%1 signature (%2 %3): none beside the document (no %4)\n",
    .sig_unchecked = "%1 signature (%2 %3): NOT CHECKED: %4\n",
    .sig_valid = "%1 signature (%2 %3): valid, signed %4 (%5, %6)\n",
    .prev_unchecked = "previous: version %1 NOT CHECKED (--without-previous; no %2): that "
                      "version %3 is version %1 with these changes, and that the %4's key is "
                      "one you signed before\n",
    .prev_ok = "previous: version %1 (%2), signed by %3 key %4 on %5: version %6 is version %1 "
               "with the changes below\n",
    .your = "your",
    .your_previous = "your previous",
    .prev_note = "NOTE: version %1 replaces your key %2 by %3; the signature of version %4 was "
                 "checked with %5, a public key that came with the document: your new key "
                 "cannot vouch for it. Signing version %1 with your previous key first (cosign "
                 "%6 --key OLD.key) anchors it.\n",
    .fork_register = "%1, which you signed (key %2, version %3), belongs to register %4; this "
                     "document belongs to register %5: a second register for one contract is "
                     "a fork (two histories, either of which may be shown later); sign only if "
                     "you know why a new register was started",
    .fork_version = "%1, which you signed (key %2), is another version %3 of register %4 with "
                    "other bytes (%5, this one %6): two versions %3 are a fork",
    .warning = "WARNING: %1\n",
    .changes = "\nchanges in version %1: %2 (%3 added, %4 modified, %5 removed%6)\n",
    .and_key = ", and a key replacement",
    .signed_ = "signed version %1 as the %2 (%3key %4) at %5\n",
    .previous = "previous ",
    .wrote = "wrote %1\nsend it back; the register's keeper stores it with: scopereg attach %2\n",
    .prev_follows = "previous: version %1 (%2): version %3 is version %1 with the changes below\n",
    .prev_unanchored = "previous: NOT CHECKED (--without-previous): that key %1, which version %2 "
                       "replaces, is yours and signed version %3; cosign with --previous-key "
                       "and that key's secret key file checks it\n",
    .cp_root = "checkpoint: root %1 (%2 items)%3\n",
    .cp_same = ", the same as the .checkpoint beside it",
    .cp_valid = "  checkpoint signed by the %1: valid\n",
    .cp_signed = "checkpoint of version %1 signed as the %2 (root %3): %4\n",
    .cp_only = "%1 already carries your signature (made before checkpoints): signing its "
               "checkpoint only\n",
    .cp_done = "%1 already carries your signature and your checkpoint signature; nothing to "
               "sign\n",
    .and_terms = ", %1 to services, exclusions, service levels or kind defaults",
};

/* French (Suisse romande). */
const out_review_words out_review_fr = {
    .header = "document %1\n  contrat :      %2\n  registre :     %3\n",
    .party = {"  prestataire : %1 (clé %2%3)\n", "  client :      %1 (clé %2%3)\n"},
    .replacing = ", qui remplace la clé %1",
    .version = "  version :     %1 du %2, par %3\n"
               "  message (écrit par l'auteur du prestataire, non vérifié) : « %4 »\n"
               "  précédente :  %5\n"
               "  document :    %6 (%7 octets)\n"
               "  éléments :    %8 dans le périmètre\n",
    .no_previous = "aucune (première version)",
    .role = {"prestataire", "client"},
    .key = "clé",
    .previous_key = "clé précédente",
    .sig_none = "signature du %1 (%2 %3) : aucune à côté du document (pas de %4)\n",
    .sig_unchecked = "signature du %1 (%2 %3) : NON VÉRIFIÉE : %4\n",
    .sig_valid = "signature du %1 (%2 %3) : valable, signée le %4 (%5, %6)\n",
    .prev_unchecked = "version précédente : version %1 NON VÉRIFIÉE (--without-previous ; pas de "
                      "%2) : rien ne montre que la version %3 est la version %1 avec ces "
                      "modifications, ni que la clé du %4 est celle des versions que vous avez "
                      "signées auparavant\n",
    .prev_ok = "version précédente : version %1 (%2), signée par %3 clé %4 le %5 : la version %6 "
               "est la version %1 avec les modifications ci-dessous\n",
    .your = "votre",
    .your_previous = "votre ancienne",
    .fork_register = "%1, que vous avez signé (clé %2, version %3), appartient au registre %4 ; "
                     "ce document appartient au registre %5 : un second registre pour un même "
                     "contrat est une bifurcation (deux historiques, dont l'un ou l'autre peut "
                     "être produit plus tard) ; ne signez que si vous savez pourquoi un nouveau "
                     "registre a été ouvert",
    .fork_version = "%1, que vous avez signé (clé %2), est une autre version %3 du registre %4, "
                    "avec d'autres octets (%5, celle-ci %6) : deux versions %3 sont une "
                    "bifurcation",
    .warning = "ATTENTION : %1\n",
    .changes = "\nmodifications de la version %1 : %2 (ajouts : %3, modifications : %4, "
               "retraits : %5%6)\n",
    .and_key = ", et un remplacement de clé",
    .signed_ = "version %1 signée en tant que %2 (clé %3%4) le %5\n",
    .previous = "précédente ",
    .wrote = "fichier écrit : %1\nrenvoyez-le ; le gestionnaire du registre l'enregistre avec : "
             "scopereg attach %2\n",
    .prev_follows = "version précédente : version %1 (%2) : la version %3 est la version %1 avec "
                    "les modifications ci-dessous\n",
    .prev_unanchored = "version précédente : NON VÉRIFIÉE (--without-previous) : rien ne montre "
                       "que la clé %1, que la version %2 remplace, est la vôtre et a signé la "
                       "version %3 ; cosign avec --previous-key et le fichier de clé secrète de "
                       "cette clé le vérifie\n",
    .cp_root = "point de contrôle : racine %1 (%2 éléments)%3\n",
    .cp_same = ", identique au .checkpoint à côté",
    .cp_valid = "  point de contrôle signé par le %1 : valable\n",
    .cp_signed = "point de contrôle de la version %1 signé en tant que %2 (racine %3) : %4\n",
    .cp_only = "%1 porte déjà votre signature (faite avant les points de contrôle) : seul son "
               "point de contrôle est signé\n",
    .cp_done = "%1 porte déjà votre signature et celle de son point de contrôle ; rien à "
               "signer\n",
    .and_terms = ", %1 aux prestations, exclusions, niveaux de service ou couvertures par défaut",
};

/* German (Switzerland; ss, no sharp s). */
const out_review_words out_review_de = {
    .header = "Dokument %1\n  Vertrag:       %2\n  Register:      %3\n",
    .party = {"  Dienstleister: %1 (Schlüssel %2%3)\n", "  Kunde:         %1 (Schlüssel %2%3)\n"},
    .replacing = ", ersetzt Schlüssel %1",
    .version = "  Version:       %1 vom %2, von %3\n"
               "  Mitteilung (vom Autor des Dienstleisters geschrieben, nicht geprüft): «%4»\n"
               "  vorherige:     %5\n"
               "  Dokument:      %6 (%7 Bytes)\n"
               "  Einträge:      %8 im Leistungsumfang\n",
    .no_previous = "keine (erste Version)",
    .role = {"Dienstleister", "Kunde"},
    .key = "Schlüssel",
    .previous_key = "früherer Schlüssel",
    .sig_none = "Signatur der Partei «%1» (%2 %3): keine neben dem Dokument (%4 fehlt)\n",
    .sig_unchecked = "Signatur der Partei «%1» (%2 %3): NICHT GEPRÜFT: %4\n",
    .sig_valid = "Signatur der Partei «%1» (%2 %3): gültig, signiert am %4 (%5, %6)\n",
    .prev_unchecked = "vorherige Version: Version %1 NICHT GEPRÜFT (--without-previous; %2 "
                      "fehlt): nichts zeigt, dass Version %3 die Version %1 mit diesen Änderungen "
                      "ist und dass der Schlüssel der Partei «%4» der ist, den die früher von "
                      "Ihnen signierten Versionen nennen\n",
    .prev_ok = "vorherige Version: Version %1 (%2), signiert mit %3 Schlüssel %4 am %5: Version "
               "%6 ist Version %1 mit den Änderungen unten\n",
    .your = "Ihrem",
    .your_previous = "Ihrem früheren",
    .fork_register = "%1, das Sie signiert haben (Schlüssel %2, Version %3), gehört zu Register "
                     "%4; dieses Dokument gehört zu Register %5: ein zweites Register für einen "
                     "Vertrag ist eine Abspaltung (zwei Verläufe, von denen später jeder "
                     "vorgelegt werden kann); signieren Sie nur, wenn Sie wissen, warum ein "
                     "neues Register begonnen wurde",
    .fork_version = "%1, das Sie signiert haben (Schlüssel %2), ist eine andere Version %3 von "
                    "Register %4 mit anderen Bytes (%5, dieses %6): zwei Versionen %3 sind eine "
                    "Abspaltung",
    .warning = "WARNUNG: %1\n",
    .changes = "\nÄnderungen in Version %1: %2 (Aufnahmen: %3, Änderungen: %4, Entfernungen: "
               "%5%6)\n",
    .and_key = ", und ein Schlüsselwechsel",
    .signed_ = "Version %1 als %2 signiert (%3Schlüssel %4) am %5\n",
    .previous = "früherer ",
    .wrote = "geschrieben: %1\nsenden Sie die Datei zurück; wer das Register führt, speichert sie "
             "mit: scopereg attach %2\n",
    .prev_follows = "vorherige Version: Version %1 (%2): Version %3 ist Version %1 mit den "
                    "Änderungen unten\n",
    .prev_unanchored = "vorherige Version: NICHT GEPRÜFT (--without-previous): nichts zeigt, "
                       "dass der Schlüssel %1, den Version %2 ersetzt, Ihrer ist und Version %3 "
                       "signiert hat; cosign mit --previous-key und der geheimen Schlüsseldatei "
                       "dieses Schlüssels prüft es\n",
    .cp_root = "Prüfpunkt: Wurzel %1 (%2 Elemente)%3\n",
    .cp_same = ", gleich dem .checkpoint daneben",
    .cp_valid = "  Prüfpunkt signiert von der Partei «%1»: gültig\n",
    .cp_signed = "Prüfpunkt der Version %1 als %2 signiert (Wurzel %3): %4\n",
    .cp_only = "%1 trägt bereits Ihre Signatur (vor den Prüfpunkten erstellt): nur der "
               "Prüfpunkt wird signiert\n",
    .cp_done = "%1 trägt bereits Ihre Signatur und die Ihres Prüfpunkts; nichts zu signieren\n",
    .and_terms = ", %1 an Leistungen, Ausschlüssen, Service-Levels oder Standardabdeckungen",
};

/* Italian (Svizzera italiana). */
const out_review_words out_review_it = {
    .header = "documento %1\n  contratto:    %2\n  registro:     %3\n",
    .party = {"  fornitore:    %1 (chiave %2%3)\n", "  cliente:      %1 (chiave %2%3)\n"},
    .replacing = ", che sostituisce la chiave %1",
    .version = "  versione:     %1 del %2, di %3\n"
               "  messaggio (scritto dall'autore del fornitore, non verificato): «%4»\n"
               "  precedente:   %5\n"
               "  documento:    %6 (%7 byte)\n"
               "  elementi:     %8 nel perimetro\n",
    .no_previous = "nessuna (prima versione)",
    .role = {"fornitore", "cliente"},
    .key = "chiave",
    .previous_key = "chiave precedente",
    .sig_none = "firma del %1 (%2 %3): nessuna accanto al documento (manca %4)\n",
    .sig_unchecked = "firma del %1 (%2 %3): NON VERIFICATA: %4\n",
    .sig_valid = "firma del %1 (%2 %3): valida, firmata il %4 (%5, %6)\n",
    .prev_unchecked = "versione precedente: versione %1 NON VERIFICATA (--without-previous; manca "
                      "%2): niente mostra che la versione %3 è la versione %1 con queste "
                      "modifiche, né che la chiave del %4 è quella delle versioni che avete "
                      "firmato prima\n",
    .prev_ok = "versione precedente: versione %1 (%2), firmata con %3 chiave %4 il %5: la "
               "versione %6 è la versione %1 con le modifiche qui sotto\n",
    .your = "la vostra",
    .your_previous = "la vostra vecchia",
    .fork_register = "%1, che avete firmato (chiave %2, versione %3), appartiene al registro %4; "
                     "questo documento appartiene al registro %5: un secondo registro per uno "
                     "stesso contratto è una biforcazione (due storie, l'una o l'altra delle "
                     "quali può essere prodotta più tardi); firmate solo se sapete perché è "
                     "stato aperto un nuovo registro",
    .fork_version = "%1, che avete firmato (chiave %2), è un'altra versione %3 del registro %4, "
                    "con altri byte (%5, questa %6): due versioni %3 sono una biforcazione",
    .warning = "ATTENZIONE: %1\n",
    .changes = "\nmodifiche della versione %1: %2 (aggiunte: %3, modifiche: %4, ritiri: %5%6)\n",
    .and_key = ", e una sostituzione di chiave",
    .signed_ = "versione %1 firmata come %2 (chiave %3%4) il %5\n",
    .previous = "precedente ",
    .wrote = "file scritto: %1\nrimandatelo; chi tiene il registro lo registra con: scopereg "
             "attach %2\n",
    .prev_follows = "versione precedente: versione %1 (%2): la versione %3 è la versione %1 con "
                    "le modifiche qui sotto\n",
    .prev_unanchored = "versione precedente: NON VERIFICATA (--without-previous): niente mostra "
                       "che la chiave %1, che la versione %2 sostituisce, è la vostra e ha "
                       "firmato la versione %3; cosign con --previous-key e il file della chiave "
                       "segreta di quella chiave lo verifica\n",
    .cp_root = "punto di controllo: radice %1 (%2 elementi)%3\n",
    .cp_same = ", uguale al .checkpoint accanto",
    .cp_valid = "  punto di controllo firmato dal %1: valido\n",
    .cp_signed = "punto di controllo della versione %1 firmato come %2 (radice %3): %4\n",
    .cp_only = "%1 porta già la sua firma (fatta prima dei punti di controllo): si firma solo "
               "il punto di controllo\n",
    .cp_done = "%1 porta già la sua firma e quella del punto di controllo; niente da firmare\n",
    .and_terms = ", %1 a servizi, esclusioni, livelli di servizio o coperture predefinite",
};

const out_review_words *out_review_words_for(const char *lang)
{
    if (lang && !strcmp(lang, "fr"))
        return &out_review_fr;
    if (lang && !strcmp(lang, "de"))
        return &out_review_de;
    if (lang && !strcmp(lang, "it"))
        return &out_review_it;
    return &out_review_en;
}

/* A word added after the first tables: English when a table lacks it. */
#define WORD(w, f) ((w)->f ? (w)->f : out_review_en.f)

/* ---- free texts made safe ---- */

/* Length of the UTF-8 sequence at s (n bytes left) when it is valid, else 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t len;
    unsigned min;
    if (s[0] < 0x80)
        return 1;
    if (s[0] >= 0xC2 && s[0] <= 0xDF)
        len = 2, min = 0x80;
    else if (s[0] >= 0xE0 && s[0] <= 0xEF)
        len = 3, min = 0x800;
    else if (s[0] >= 0xF0 && s[0] <= 0xF4)
        len = 4, min = 0x10000;
    else
        return 0;
    if (n < len)
        return 0;
    unsigned cp = s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return len;
}

/* The code point of a valid sequence of len bytes. */
static unsigned utf8_cp(const unsigned char *s, size_t len)
{
    unsigned cp = s[0] & (len == 1 ? 0x7F : 0x7F >> len);
    for (size_t i = 1; i < len; i++)
        cp = (cp << 6) | (s[i] & 0x3F);
    return cp;
}

/* Code points a reader cannot see, or cannot tell from another one, as
 * ranges: format characters (Cf: soft hyphen, zero width space and
 * joiners, bidirectional controls, word joiner, invisible operators, BOM,
 * tags...), spaces other than U+0020 (Zs), line and paragraph separators,
 * combining marks that combine with any letter, variation selectors, the
 * Hangul fillers and the noncharacters of the BMP. */
static const unsigned hidden[][2] = {
    {0x00A0, 0x00A0}, {0x00AD, 0x00AD}, {0x0300, 0x036F}, {0x0483, 0x0489},
    {0x0600, 0x0605}, {0x061C, 0x061C}, {0x06DD, 0x06DD}, {0x070F, 0x070F},
    {0x0890, 0x0891}, {0x08E2, 0x08E2}, {0x115F, 0x1160}, {0x1680, 0x1680},
    {0x180B, 0x180F}, {0x1AB0, 0x1AFF}, {0x1DC0, 0x1DFF}, {0x2000, 0x200F},
    {0x2028, 0x202F}, {0x205F, 0x206F}, {0x20D0, 0x20FF}, {0x3000, 0x3000},
    {0x3164, 0x3164}, {0xFDD0, 0xFDEF}, {0xFE00, 0xFE0F}, {0xFE20, 0xFE2F},
    {0xFEFF, 0xFEFF}, {0xFFA0, 0xFFA0}, {0xFFF0, 0xFFFB}, {0x110BD, 0x110BD},
    {0x110CD, 0x110CD}, {0x13430, 0x1343F}, {0x1BCA0, 0x1BCA3}, {0x1D173, 0x1D17A},
    {0xE0000, 0xE0FFF},
};

/* Characters a terminal acts on instead of showing (C0, DEL, C1), and
 * those of hidden[] and the noncharacters U+xFFFE and U+xFFFF. */
static int invisible(unsigned cp)
{
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp & 0xFFFE) == 0xFFFE)
        return 1;
    size_t lo = 0, hi = sizeof hidden / sizeof hidden[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cp < hidden[mid][0])
            hi = mid;
        else if (cp > hidden[mid][1])
            lo = mid + 1;
        else
            return 1;
    }
    return 0;
}

void out_safe_text(inv_buf *b, const char *s, size_t n, int raw, int quoted)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        size_t run = 0; /* printable ASCII that needs nothing, added at once */
        while (i + run < n && p[i + run] >= 0x20 && p[i + run] < 0x7F &&
               !(raw && (p[i + run] == '\\' || (quoted && p[i + run] == '"'))))
            run++;
        if (run) {
            inv_buf_add(b, p + i, run);
            i += run;
            continue;
        }
        unsigned char c = p[i];
        if (raw && (c == '\\' || c == '\n' || c == '\t' || (quoted && c == '"'))) {
            char esc[2] = {'\\', c == '\n' ? 'n' : c == '\t' ? 't' : (char)c};
            inv_buf_add(b, esc, 2);
            i++;
            continue;
        }
        size_t len = utf8_len(p + i, n - i);
        if (!len) {
            inv_buf_printf(b, "\\x%02X", c);
            i++;
            continue;
        }
        unsigned cp = utf8_cp(p + i, len);
        if (invisible(cp)) {
            if (cp < 0x80)
                inv_buf_printf(b, "\\x%02X", cp);
            else
                inv_buf_printf(b, "\\u{%04X}", cp);
        } else {
            inv_buf_add(b, p + i, len);
        }
        i += len;
    }
}

char *out_safe_dup(const char *s, int raw)
{
    inv_buf b = {0};
    if (!s || inv_buf_add(&b, "", 0))
        return NULL;
    out_safe_text(&b, s, strlen(s), raw, 0);
    return inv_buf_take(&b);
}

/* ---- writing ---- */

/* Writes b to f and empties it. */
static void flush_to(FILE *f, inv_buf *b)
{
    if (b->data && b->len)
        fwrite(b->data, 1, b->len, f);
    inv_buf_free(b);
}

/* A raw free text (NULL: ""), made safe, in a buffer of its own. */
typedef struct safe {
    inv_buf b;
} safe;

static const char *safe_of(safe *s, const char *text, int quoted)
{
    inv_buf_free(&s->b);
    inv_buf_add(&s->b, "", 0);
    out_safe_text(&s->b, text ? text : "", text ? strlen(text) : 0, 1, quoted);
    return s->b.data ? s->b.data : "";
}

void out_review_header(FILE *f, const char *file, const inv_doc *d, const out_review_words *w)
{
    w = w ? w : &out_review_en;
    inv_buf b = {0};
    safe s1 = {{0}}, s2 = {{0}}, s3 = {{0}};
    char date[32], num[3][24];
    out_say(&b, w->header, safe_of(&s1, file, 0), safe_of(&s2, d->contract, 0), d->register_id,
            NULL);
    for (int i = 0; i < 2; i++) {
        inv_buf rep = {0};
        if (d->old_key[i][0])
            out_say(&rep, w->replacing, d->old_key[i], NULL);
        out_say(&b, w->party[i], safe_of(&s1, d->party[i], 0), d->key[i],
                rep.data ? rep.data : "", NULL);
        inv_buf_free(&rep);
    }
    inv_time_format(d->date, date, sizeof date);
    snprintf(num[0], sizeof num[0], "%lld", (long long)d->version);
    snprintf(num[1], sizeof num[1], "%llu", (unsigned long long)d->size);
    snprintf(num[2], sizeof num[2], "%lld", (long long)d->items);
    out_say(&b, w->version, num[0], date, safe_of(&s1, d->author, 0),
            safe_of(&s3, d->message, 1), d->previous[0] ? d->previous : w->no_previous,
            d->doc_hash, num[1], num[2], NULL);
    flush_to(f, &b);
    inv_buf_free(&s1.b);
    inv_buf_free(&s2.b);
    inv_buf_free(&s3.b);
}

void out_review_sig(FILE *f, const inv_sig_beside *s, const out_review_words *w)
{
    w = w ? w : &out_review_en;
    inv_buf b = {0};
    const char *role = w->role[s->role], *what = s->old ? w->previous_key : w->key;
    char date[32];
    if (s->status == INV_BESIDE_ABSENT) {
        out_say(&b, w->sig_none, role, what, s->want, inv_path_base(s->path), NULL);
    } else if (s->status == INV_BESIDE_NO_KEY) {
        out_say(&b, w->sig_unchecked, role, what, s->want, s->err.msg, NULL);
    } else if (s->status == INV_BESIDE_VALID) {
        inv_time_format(s->signed_at, date, sizeof date);
        out_say(&b, w->sig_valid, role, what, s->want, date, inv_path_base(s->path),
                inv_path_base(s->pub_path ? s->pub_path : ""), NULL);
    }
    flush_to(f, &b);
}

void out_review_previous(FILE *f, const inv_prev_check *p, const inv_doc *d, int role,
                         int by_previous, const char *unvouched, const out_review_words *w)
{
    w = w ? w : &out_review_en;
    inv_buf b = {0};
    char n[24], pv[24], date[32];
    snprintf(n, sizeof n, "%lld", (long long)d->version);
    snprintf(pv, sizeof pv, "%lld", (long long)p->version);
    if (p->absent) {
        out_say(&b, w->prev_unchecked, pv, inv_path_base(p->path), n, w->role[!role], NULL);
    } else if (p->anchored) {
        inv_time_format(p->signed_at, date, sizeof date);
        out_say(&b, w->prev_ok, pv, inv_path_base(p->path), by_previous ? w->your_previous
                : w->your, p->want, date, n, NULL);
    } else {
        out_say(&b, WORD(w, prev_follows), pv, inv_path_base(p->path), n, NULL);
    }
    if (unvouched)
        out_say(&b, WORD(w, prev_unanchored), unvouched, n, pv, NULL);
    flush_to(f, &b);
}

char *out_review_fork(const inv_fork *fk, const inv_doc *d, const char *mine_keyid,
                      const out_review_words *w)
{
    w = w ? w : &out_review_en;
    inv_buf b = {0};
    char v[24];
    snprintf(v, sizeof v, "%lld", (long long)fk->version);
    inv_buf_add(&b, "", 0);
    if (fk->other_register)
        out_say(&b, w->fork_register, fk->path, mine_keyid, v, fk->register_id,
                d->register_id, NULL);
    else
        out_say(&b, w->fork_version, fk->path, mine_keyid, v, fk->register_id, fk->doc_hash,
                d->doc_hash, NULL);
    return inv_buf_take(&b);
}

void out_review_warning(FILE *f, const char *text, const out_review_words *w)
{
    w = w ? w : &out_review_en;
    inv_buf b = {0};
    out_say(&b, w->warning, text, NULL);
    flush_to(f, &b);
}

void out_review_changes(FILE *f, const inv_doc *d, const out_review_words *w)
{
    w = w ? w : &out_review_en;
    inv_buf b = {0};
    char n[5][24];
    const int64_t v[5] = {d->version, d->changes, d->added, d->modified, d->removed};
    for (int i = 0; i < 5; i++)
        snprintf(n[i], sizeof n[i], "%lld", (long long)v[i]);
    /* %6: the key replacement, then the changes of the functional scope */
    inv_buf more = {0};
    inv_buf_puts(&more, d->rekeyed ? w->and_key : "");
    if (d->term_changes) {
        char t[24];
        snprintf(t, sizeof t, "%lld", (long long)d->term_changes);
        out_say(&more, w->and_terms ? w->and_terms : out_review_en.and_terms, t, NULL);
    }
    out_say(&b, w->changes, n[0], n[1], n[2], n[3], n[4], more.data ? more.data : "", NULL);
    inv_buf_free(&more);
    flush_to(f, &b);
}

void out_review_change_line(FILE *f, const char *line, size_t len)
{
    inv_buf b = {0};
    out_safe_text(&b, line, len, 0, 0);
    inv_buf_add(&b, "\n", 1);
    flush_to(f, &b);
}

void out_review_signed(FILE *f, const inv_doc *d, int role, int old, const char *keyid,
                       int64_t at, const char *sig_path, const out_review_words *w)
{
    w = w ? w : &out_review_en;
    inv_buf b = {0};
    safe s1 = {{0}}, s2 = {{0}};
    char n[24], date[32];
    snprintf(n, sizeof n, "%lld", (long long)d->version);
    inv_time_format(at, date, sizeof date);
    out_say(&b, w->signed_, n, w->role[role], old ? w->previous : "", keyid, date, NULL);
    out_say(&b, w->wrote, safe_of(&s1, sig_path, 0), safe_of(&s2, inv_path_base(sig_path), 0), NULL);
    flush_to(f, &b);
    inv_buf_free(&s1.b);
    inv_buf_free(&s2.b);
}

void out_review_checkpoint(FILE *f, const inv_cp_beside *cb, const out_review_words *w)
{
    w = w ? w : &out_review_en;
    inv_buf b = {0};
    char root[65], items[24];
    inv_checkpoint_root_hex(&cb->cp, root);
    snprintf(items, sizeof items, "%lld", (long long)cb->cp.items);
    out_say(&b, WORD(w, cp_root), root, items, cb->present ? WORD(w, cp_same) : "", NULL);
    for (int i = 0; i < 2; i++)
        if (cb->sig_ok[i])
            out_say(&b, WORD(w, cp_valid), w->role[i], NULL);
    flush_to(f, &b);
}

void out_review_cp_line(FILE *f, const char *which, int64_t n, int role, const char *root,
                        const char *path, const out_review_words *w)
{
    w = w ? w : &out_review_en;
    inv_buf b = {0};
    safe s1 = {{0}};
    char num[24];
    snprintf(num, sizeof num, "%lld", (long long)n);
    if (!strcmp(which, "signed"))
        out_say(&b, WORD(w, cp_signed), num, w->role[role], root, safe_of(&s1, path, 0), NULL);
    else
        out_say(&b, !strcmp(which, "only") ? WORD(w, cp_only) : WORD(w, cp_done),
                safe_of(&s1, path, 0), NULL);
    flush_to(f, &b);
    inv_buf_free(&s1.b);
}
