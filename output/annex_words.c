/*
 * annex_words.c - the words of the HTML annex (output/annex.c), one table
 * per language: English, French (fr-CH), German (de-CH), Italian (it-CH).
 *
 * The terms are those of a managed-IT contract in Switzerland (the
 * project's glossary): "périmètre technique", "technischer
 * Leistungsumfang", "prestataire / client", "Dienstleister / Kunde".
 * Swiss German writes "ss", never the sharp s. Each table names every
 * word of the page; a word of English left in another table is a bug
 * (tests/unit/test_annex.c looks for them).
 */
#include <string.h>

#include "output.h"

/* ---- English ---- */

static const out_field_label fields_en[] = {
    {"kind", "Kind"},
    {"name", "Name"},
    {"serial", "Serial number"},
    {"vendor", "Vendor"},
    {"model", "Model"},
    {"os", "Operating system"},
    {"version", "Version"},
    {"location", "Location"},
    {"owner", "Owner"},
    {"ip", "IP address"},
    {"mac", "MAC address"},
    {"licences", "Licences"},
    {"notes", "Notes"},
    {"hostname", "Host name"},
    {"purchase_date", "Purchase date"},
    {"warranty_end", "End of warranty"},
    {"status", "Status"},
    {"services", "Services"},
    {"sla", "Service level"},
};

const out_annex_words out_annex_en = {
    .lang = "en",
    .title = "%1 \xe2\x80\x94 technical scope, version %2",
    .print_version = "scope version",
    .print_page = "page",
    .annex_of = "Annex to contract %1",
    .heading = "Technical scope of the managed IT services",
    .sub_version = "Version %1 of %2",
    .items_one = "%1 item",
    .items_many = "%1 items",
    .status_agreed = "agreed",
    .status_proposed = "proposed",
    .status_signed_by = {"signed by provider", "signed by client"},
    .parties_title = "Parties and signatures",
    .th_role = "Role",
    .th_party = "Party",
    .th_key = "Key id",
    .th_signature = "Signature of this version",
    .role = {"Provider", "Client"},
    .signed_on = "signed %1",
    .partly_signed = "partly signed (key rotation: both keys must sign)",
    .not_signed = "not signed",
    .status_of = "Status of version %1: ",
    .agreed_on = " on %1 (the later of the two signatures).",
    .not_agreed = ". This version binds the parties only once both have signed it.",
    .version_title = "Version",
    .label_contract = "Contract",
    .label_register = "Register",
    .label_version = "Version",
    .label_date = "Date",
    .label_author = "Author",
    .label_message = "Message",
    .label_previous = "Previous document",
    .no_previous = "none (first version)",
    .label_document = "Scope document",
    .summary_title = "Items in scope per kind",
    .th_kind = "Kind",
    .th_items = "Items",
    .total = "Total",
    .changes_since = "Changes since version %1",
    .changes_since_start = "Changes since the start of the register",
    .initial_scope = "Version 1 is the initial scope: each of its %1 items is added.",
    .th_change = "Change",
    .th_item = "Item",
    .th_details = "Details",
    .op = {"added", "modified", "removed"},
    .no_value = "(none)",
    .reason = "reason:",
    .key_replaced = "key replaced",
    .key_both = "(this version is signed by both keys)",
    .role_lower = {"provider", "client"},
    .th_id = "Id",
    .th_name = "Name",
    .th_attributes = "Attributes",
    .kinds = NULL, /* the kinds table's English titles (inv_kind_title) */
    .nkinds = 0,
    .verify_title = "How to verify",
    .verify_intro =
        "This page presents the scope document of version %1. What the parties signed is "
        "that document, byte for byte: <code>%2</code>, as <code>scopereg export %1 -o "
        "DIR</code> writes it with the signatures and public keys beside it (or "
        "<code>scopereg show %1</code>). Anyone can check it offline with stock tools, "
        "trusting neither party's software:",
    .verify_hash = "The document is the one described here when its BLAKE2b-256 hash is "
                   "<code class=\"hash\">%1</code>:",
    .verify_sigs = "Each party signed it when minisign accepts its signature with its public "
                   "key (key ids above); the trusted comment minisign prints names register "
                   "%1, version %2, the role and the document's hash:",
    .verify_tool = "With scopereg, on the register: <code>scopereg verify</code> re-renders "
                   "every version, checks the hash chain and every signature; on exported "
                   "files: <code>scopereg verify --documents DIR</code>.",
    .footer = "Rendered by scopereg from register %1. The authoritative text is the signed "
              "scope document whose hash is given above; where this page and that document "
              "differ, the document prevails.",
    .dates = OUT_DATES_ZURICH,
    .times_note = "Dates and times in this annex are Swiss time (Europe/Zurich, CET or CEST). "
                  "The signed document holds them in Coordinated Universal Time (UTC): this "
                  "version's date is <code>%1</code> there.",
    .group = "\xe2\x80\x99", /* U+2019, as Swiss texts group digits (1’250) */
    .fields = fields_en,
    .nfields = sizeof fields_en / sizeof fields_en[0],
    .repeat_titles = 1,
    .sign_title = "Signatures",
    .sign_intro = "The parties approve version %1 of the technical scope described in this "
                  "annex.",
    .sign_place_date = "Place and date",
    .sign_name = "Name, first name",
    .sign_function = "Function",
    .sign_signature = "Signature",
    .esig_title = "Electronic signatures",
    .th_signed_at = "Signed on",
    .esig_previous = "(previous key)",
    .esig_none = "No electronic signature is stored for this version.",
    .services_title = "Functional scope: services",
    .th_service = "Service",
    .th_description = "Description",
    .no_services = "No services are defined in this version.",
    .exclusions_title = "Exclusions",
    .exclusions_intro = "The following are not part of the contract:",
    .no_exclusions = "No exclusions are listed in this version.",
    .levels_title = "Service levels",
    .levels_intro = "For each service-level class and incident level: the time to take an "
                    "incident in charge and the time to resolve it, the support hours and the "
                    "availability objective.",
    .th_level = "Incident level",
    .level = {"Critical", "Major", "Minor", "Improvement"},
    .label_hours = "Support hours",
    .label_availability = "Availability",
    .label_response = "taken in charge within",
    .label_resolution = "resolved within",
    .no_classes = "No service-level classes are defined in this version.",
    .duration = {"%1 min", "%1 h", "%1 d"},
    .defaults_title = "Default coverage per kind",
    .defaults_intro = "An item is covered by its kind's default unless its own coverage is given "
                      "in the item lists.",
    .no_defaults = "No kind has a default coverage in this version.",
    .th_services = "Services",
    .th_sla = "Service level",
    .cov_none = "none",
    .cov_kind_default = "(kind default)",
};

/* ---- French (Suisse romande) ---- */

/* U+00A0 before a colon, as French typography sets it. */
#define NBSP "\xc2\xa0"

static const out_kind_title kinds_fr[] = {
    {"workstation", "Postes de travail", "poste de travail"},
    {"server", "Serveurs", "serveur"},
    {"os", "Syst\xc3\xa8mes d\xe2\x80\x99" "exploitation",
     "syst\xc3\xa8me d\xe2\x80\x99" "exploitation"},
    {"software", "Logiciels m\xc3\xa9tier", "logiciel m\xc3\xa9tier"},
    {"network", "\xc3\x89quipements r\xc3\xa9seau", "\xc3\xa9quipement r\xc3\xa9seau"},
    {"printer", "Imprimantes", "imprimante"},
    {"vpn", "Acc\xc3\xa8s VPN", "acc\xc3\xa8s VPN"},
    {"other", "Autres", "autre"},
};

static const out_field_label fields_fr[] = {
    {"kind", "Cat\xc3\xa9gorie"},
    {"name", "Nom"},
    {"serial", "N\xc2\xb0 de s\xc3\xa9rie"},
    {"vendor", "Fabricant"},
    {"model", "Mod\xc3\xa8le"},
    {"os", "Syst\xc3\xa8me d\xe2\x80\x99" "exploitation"},
    {"version", "Version"},
    {"location", "Emplacement"},
    {"owner", "Responsable"},
    {"ip", "Adresse IP"},
    {"mac", "Adresse MAC"},
    {"licences", "Licences"},
    {"notes", "Remarques"},
    {"hostname", "Nom d\xe2\x80\x99h\xc3\xb4te"},
    {"purchase_date", "Date d\xe2\x80\x99" "achat"},
    {"warranty_end", "Fin de garantie"},
    {"status", "Statut"},
    {"services", "Prestations"},
    {"sla", "Niveau de service"},
};

const out_annex_words out_annex_fr = {
    .lang = "fr-CH",
    .title = "%1 \xe2\x80\x94 p\xc3\xa9rim\xc3\xa8tre technique, version %2",
    .print_version = "version du p\xc3\xa9rim\xc3\xa8tre",
    .print_page = "page",
    .annex_of = "Annexe au contrat %1",
    .heading = "P\xc3\xa9rim\xc3\xa8tre technique de l\xe2\x80\x99infog\xc3\xa9rance",
    .sub_version = "Version %1 du %2",
    .items_one = "%1 \xc3\xa9l\xc3\xa9ment",
    .items_many = "%1 \xc3\xa9l\xc3\xa9ments",
    .status_agreed = "approuv\xc3\xa9" "e par les deux parties",
    .status_proposed = "propos\xc3\xa9" "e",
    .status_signed_by = {"sign\xc3\xa9" "e par le prestataire", "sign\xc3\xa9" "e par le client"},
    .parties_title = "Parties et signatures",
    .th_role = "R\xc3\xb4le",
    .th_party = "Partie",
    .th_key = "Identifiant de cl\xc3\xa9",
    .th_signature = "Signature de cette version",
    .role = {"Prestataire", "Client"},
    .signed_on = "sign\xc3\xa9" "e le %1",
    .partly_signed = "sign\xc3\xa9" "e en partie (changement de cl\xc3\xa9" NBSP ": les deux "
                     "cl\xc3\xa9s doivent signer)",
    .not_signed = "non sign\xc3\xa9" "e",
    .status_of = "\xc3\x89tat de la version %1" NBSP ": ",
    .agreed_on = " le %1 (date de la derni\xc3\xa8re des deux signatures).",
    .not_agreed = ". Cette version n\xe2\x80\x99" "engage les parties qu\xe2\x80\x99une fois "
                  "sign\xc3\xa9" "e par les deux.",
    .version_title = "Version",
    .label_contract = "Contrat",
    .label_register = "Registre",
    .label_version = "Version",
    .label_date = "Date",
    .label_author = "Auteur",
    .label_message = "Commentaire",
    .label_previous = "Document pr\xc3\xa9" "c\xc3\xa9" "dent",
    .no_previous = "aucun (premi\xc3\xa8re version)",
    .label_document = "Document de p\xc3\xa9rim\xc3\xa8tre",
    .summary_title = "\xc3\x89l\xc3\xa9ments du p\xc3\xa9rim\xc3\xa8tre par cat\xc3\xa9gorie",
    .th_kind = "Cat\xc3\xa9gorie",
    .th_items = "\xc3\x89l\xc3\xa9ments",
    .total = "Total",
    .changes_since = "Modifications depuis la version %1",
    .changes_since_start = "Modifications depuis l\xe2\x80\x99ouverture du registre",
    .initial_scope = "La version 1 est le p\xc3\xa9rim\xc3\xa8tre initial" NBSP ": chacun de "
                     "ses %1 \xc3\xa9l\xc3\xa9ments y est ajout\xc3\xa9.",
    .th_change = "Modification",
    .th_item = "\xc3\x89l\xc3\xa9ment",
    .th_details = "D\xc3\xa9tails",
    .op = {"ajout", "modification", "retrait"},
    .no_value = "(aucune valeur)",
    .reason = "motif" NBSP ":",
    .key_replaced = "cl\xc3\xa9 remplac\xc3\xa9" "e",
    .key_both = "(cette version est sign\xc3\xa9" "e par les deux cl\xc3\xa9s)",
    .role_lower = {"prestataire", "client"},
    .th_id = "N\xc2\xb0 d\xe2\x80\x99inventaire",
    .th_name = "Nom",
    .th_attributes = "Caract\xc3\xa9ristiques",
    .kinds = kinds_fr,
    .nkinds = sizeof kinds_fr / sizeof kinds_fr[0],
    .verify_title = "Comment v\xc3\xa9rifier",
    .verify_intro =
        "Cette page pr\xc3\xa9sente le document de p\xc3\xa9rim\xc3\xa8tre de la version %1. Ce "
        "que les parties ont sign\xc3\xa9, c\xe2\x80\x99" "est ce document, octet pour "
        "octet" NBSP ": <code>%2</code>, tel que <code>scopereg export %1 -o DIR</code> "
        "l\xe2\x80\x99\xc3\xa9" "crit avec, \xc3\xa0 c\xc3\xb4t\xc3\xa9, les signatures et les "
        "cl\xc3\xa9s publiques (ou <code>scopereg show %1</code>). Chacun peut le "
        "v\xc3\xa9rifier hors ligne avec des outils courants, sans se fier au logiciel de "
        "l\xe2\x80\x99une ou l\xe2\x80\x99" "autre partie" NBSP ":",
    .verify_hash = "Le document est celui que d\xc3\xa9" "crit cette page lorsque son "
                   "empreinte BLAKE2b-256 est <code class=\"hash\">%1</code>" NBSP ":",
    .verify_sigs = "Chaque partie l\xe2\x80\x99" "a sign\xc3\xa9 lorsque minisign accepte sa "
                   "signature avec sa cl\xc3\xa9 publique (identifiants de cl\xc3\xa9 ci-dessus)"
                   NBSP "; le commentaire de confiance (<i lang=\"en\">trusted comment</i>) "
                   "qu\xe2\x80\x99" "affiche minisign nomme le registre %1, la version %2, le "
                   "r\xc3\xb4le et l\xe2\x80\x99" "empreinte du document" NBSP ":",
    .verify_tool = "Avec scopereg, sur le registre" NBSP ": <code>scopereg verify</code> "
                   "recalcule chaque version, contr\xc3\xb4le la cha\xc3\xaene des empreintes et "
                   "chaque signature" NBSP "; sur les fichiers export\xc3\xa9s" NBSP ": "
                   "<code>scopereg verify --documents DIR</code>.",
    .footer = "\xc3\x89tabli par scopereg \xc3\xa0 partir du registre %1. Fait foi le document "
              "de p\xc3\xa9rim\xc3\xa8tre sign\xc3\xa9 dont l\xe2\x80\x99" "empreinte figure "
              "ci-dessus" NBSP "; en cas de divergence entre cette page et ce document, le "
              "document pr\xc3\xa9vaut.",
    .dates = OUT_DATES_ZURICH,
    .colon = NBSP ":",
    .times_note = "Les dates et heures de cette annexe sont celles de la Suisse "
                  "(Europe/Zurich, heure d\xe2\x80\x99hiver ou d\xe2\x80\x99\xc3\xa9t\xc3\xa9). "
                  "Le document sign\xc3\xa9 les tient en temps universel (UTC)" NBSP ": la date "
                  "de cette version y est <code>%1</code>.",
    .group = "\xe2\x80\xaf", /* U+202F narrow no-break space */
    .fields = fields_fr,
    .nfields = sizeof fields_fr / sizeof fields_fr[0],
    .repeat_titles = 1,
    .sign_title = "Signatures",
    .sign_intro = "Les parties approuvent la version %1 du p\xc3\xa9rim\xc3\xa8tre technique "
                  "d\xc3\xa9" "crite dans la pr\xc3\xa9sente annexe.",
    .sign_place_date = "Lieu et date",
    .sign_name = "Nom, pr\xc3\xa9nom",
    .sign_function = "Fonction",
    .sign_signature = "Signature",
    .esig_title = "Signatures \xc3\xa9lectroniques",
    .th_signed_at = "Sign\xc3\xa9" "e le",
    .esig_previous = "(cl\xc3\xa9 pr\xc3\xa9" "c\xc3\xa9" "dente)",
    .esig_none = "Aucune signature \xc3\xa9lectronique n\xe2\x80\x99" "est enregistr\xc3\xa9" "e "
                 "pour cette version.",
    .services_title = "P\xc3\xa9rim\xc3\xa8tre fonctionnel\xc2\xa0: prestations",
    .th_service = "Prestation",
    .th_description = "Description",
    .no_services = "Aucune prestation n\xe2\x80\x99" "est d\xc3\xa9" "finie dans cette version.",
    .exclusions_title = "Exclusions",
    .exclusions_intro = "Ne font pas partie du contrat\xc2\xa0:",
    .no_exclusions = "Aucune exclusion n\xe2\x80\x99" "est mentionn\xc3\xa9" "e dans cette "
                     "version.",
    .levels_title = "Niveaux de service",
    .levels_intro = "Pour chaque classe de service et chaque niveau "
                    "d\xe2\x80\x99incident\xc2\xa0: le d\xc3\xa9lai de prise en charge et le "
                    "d\xc3\xa9lai de r\xc3\xa9solution, les heures de support et "
                    "l\xe2\x80\x99objectif de disponibilit\xc3\xa9.",
    .th_level = "Niveau d\xe2\x80\x99incident",
    .level = {"Critique", "Majeur", "Mineur", "Am\xc3\xa9lioration"},
    .label_hours = "Heures de support",
    .label_availability = "Disponibilit\xc3\xa9",
    .label_response = "prise en charge sous",
    .label_resolution = "r\xc3\xa9solution sous",
    .no_classes = "Aucune classe de service n\xe2\x80\x99" "est d\xc3\xa9" "finie dans cette "
                  "version.",
    .duration = {"%1\xc2\xa0min", "%1\xc2\xa0h", "%1\xc2\xa0j"},
    .defaults_title = "Couverture par d\xc3\xa9" "faut selon la cat\xc3\xa9gorie",
    .defaults_intro = "Un \xc3\xa9l\xc3\xa9ment re\xc3\xa7oit la couverture par d\xc3\xa9" "faut "
                      "de sa cat\xc3\xa9gorie, sauf si la liste des \xc3\xa9l\xc3\xa9ments lui "
                      "en donne une propre.",
    .no_defaults = "Aucune cat\xc3\xa9gorie n\xe2\x80\x99" "a de couverture par d\xc3\xa9" "faut "
                   "dans cette version.",
    .th_services = "Prestations",
    .th_sla = "Niveau de service",
    .cov_none = "aucune",
    .cov_kind_default = "(d\xc3\xa9" "faut de la cat\xc3\xa9gorie)",
};
#undef NBSP

/* ---- German (Schweiz) ---- */

static const out_kind_title kinds_de[] = {
    {"workstation", "Arbeitspl\xc3\xa4tze", "Arbeitsplatz"},
    {"server", "Server", "Server"},
    {"os", "Betriebssysteme", "Betriebssystem"},
    {"software", "Fachanwendungen", "Fachanwendung"},
    {"network", "Netzwerkkomponenten", "Netzwerkkomponente"},
    {"printer", "Drucker", "Drucker"},
    {"vpn", "VPN-Zug\xc3\xa4nge", "VPN-Zugang"},
    {"other", "\xc3\x9c" "brige", "\xc3\x9c" "briges"},
};

static const out_field_label fields_de[] = {
    {"kind", "Kategorie"},
    {"name", "Bezeichnung"},
    {"serial", "Seriennummer"},
    {"vendor", "Hersteller"},
    {"model", "Modell"},
    {"os", "Betriebssystem"},
    {"version", "Version"},
    {"location", "Standort"},
    {"owner", "Verantwortlich"},
    {"ip", "IP-Adresse"},
    {"mac", "MAC-Adresse"},
    {"licences", "Lizenzen"},
    {"notes", "Bemerkungen"},
    {"hostname", "Hostname"},
    {"purchase_date", "Kaufdatum"},
    {"warranty_end", "Garantieende"},
    {"status", "Status"},
    {"services", "Leistungen"},
    {"sla", "Serviceklasse"},
};

const out_annex_words out_annex_de = {
    .lang = "de-CH",
    .title = "%1 \xe2\x80\x94 technischer Leistungsumfang, Version %2",
    .print_version = "Version des Leistungsumfangs",
    .print_page = "Seite",
    .annex_of = "Anhang zum Vertrag %1",
    .heading = "Technischer Leistungsumfang der Managed IT Services",
    .sub_version = "Version %1 vom %2",
    .items_one = "%1 Eintrag",
    .items_many = "%1 Eintr\xc3\xa4ge",
    .status_agreed = "von beiden Parteien genehmigt",
    .status_proposed = "vorgeschlagen",
    .status_signed_by = {"vom Dienstleister signiert", "vom Kunden signiert"},
    .parties_title = "Parteien und Signaturen",
    .th_role = "Rolle",
    .th_party = "Partei",
    .th_key = "Schl\xc3\xbcssel-ID",
    .th_signature = "Signatur dieser Version",
    .role = {"Dienstleister", "Kunde"},
    .signed_on = "signiert am %1",
    .partly_signed = "teilweise signiert (Schl\xc3\xbcsselwechsel: beide Schl\xc3\xbcssel "
                     "m\xc3\xbcssen signieren)",
    .not_signed = "nicht signiert",
    .status_of = "Status der Version %1: ",
    .agreed_on = " am %1 (Zeitpunkt der sp\xc3\xa4teren der beiden Signaturen).",
    .not_agreed = ". Diese Version bindet die Parteien erst, wenn beide sie signiert haben.",
    .version_title = "Version",
    .label_contract = "Vertrag",
    .label_register = "Register",
    .label_version = "Version",
    .label_date = "Datum",
    .label_author = "Verfasser",
    .label_message = "Kommentar",
    .label_previous = "Vorheriges Dokument",
    .no_previous = "keines (erste Version)",
    .label_document = "Dokument des Leistungsumfangs",
    .summary_title = "Eintr\xc3\xa4ge im Leistungsumfang nach Kategorie",
    .th_kind = "Kategorie",
    .th_items = "Eintr\xc3\xa4ge",
    .total = "Total",
    .changes_since = "\xc3\x84nderungen seit Version %1",
    .changes_since_start = "\xc3\x84nderungen seit Er\xc3\xb6" "ffnung des Registers",
    .initial_scope = "Version 1 ist der urspr\xc3\xbcngliche Leistungsumfang: alle %1 "
                     "Eintr\xc3\xa4ge werden aufgenommen.",
    .th_change = "\xc3\x84nderung",
    .th_item = "Eintrag",
    .th_details = "Einzelheiten",
    .op = {"Aufnahme", "\xc3\x84nderung", "Entfernung"},
    .no_value = "(kein Wert)",
    .reason = "Grund:",
    .key_replaced = "Schl\xc3\xbcssel ersetzt",
    .key_both = "(diese Version ist mit beiden Schl\xc3\xbcsseln signiert)",
    .role_lower = {"Dienstleister", "Kunde"},
    .th_id = "Inventarnummer",
    .th_name = "Bezeichnung",
    .th_attributes = "Merkmale",
    .kinds = kinds_de,
    .nkinds = sizeof kinds_de / sizeof kinds_de[0],
    .verify_title = "So wird gepr\xc3\xbc" "ft",
    .verify_intro =
        "Diese Seite gibt das Dokument des Leistungsumfangs der Version %1 wieder. Signiert "
        "haben die Parteien dieses Dokument, Byte f\xc3\xbcr Byte: <code>%2</code>, wie es "
        "<code>scopereg export %1 -o DIR</code> zusammen mit den Signaturen und "
        "\xc3\xb6" "ffentlichen Schl\xc3\xbcsseln schreibt (oder <code>scopereg show "
        "%1</code>). Jede Person kann es offline mit g\xc3\xa4ngigen Werkzeugen pr\xc3\xbc" "fen, "
        "ohne sich auf die Programme einer Partei zu verlassen:",
    .verify_hash = "Es ist das hier beschriebene Dokument, wenn sein BLAKE2b-256-Hashwert "
                   "<code class=\"hash\">%1</code> lautet:",
    .verify_sigs = "Eine Partei hat es signiert, wenn minisign ihre Signatur mit ihrem "
                   "\xc3\xb6" "ffentlichen Schl\xc3\xbcssel annimmt (Schl\xc3\xbcssel-IDs oben); "
                   "der vertrauensw\xc3\xbcrdige Kommentar (<i lang=\"en\">trusted comment</i>), "
                   "den minisign ausgibt, nennt das Register %1, die Version %2, die Rolle und "
                   "den Hashwert des Dokuments:",
    .verify_tool = "Mit scopereg, am Register: <code>scopereg verify</code> erzeugt jede "
                   "Version neu und pr\xc3\xbc" "ft die Hash-Kette und jede Signatur; an "
                   "exportierten Dateien: <code>scopereg verify --documents DIR</code>.",
    .footer = "Erstellt von scopereg aus dem Register %1. Massgebend ist das signierte "
              "Dokument des Leistungsumfangs, dessen Hashwert oben steht; weichen diese Seite "
              "und das Dokument voneinander ab, geht das Dokument vor.",
    .dates = OUT_DATES_ZURICH,
    .times_note = "Daten und Uhrzeiten dieses Anhangs in Schweizer Zeit (Europe/Zurich, MEZ "
                  "oder MESZ). Das signierte Dokument h\xc3\xa4lt sie in koordinierter Weltzeit "
                  "(UTC) fest: das Datum dieser Version steht dort als <code>%1</code>.",
    .group = "\xe2\x80\x99", /* U+2019 right single quotation mark */
    .fields = fields_de,
    .nfields = sizeof fields_de / sizeof fields_de[0],
    .repeat_titles = 1,
    .sign_title = "Unterschriften",
    .sign_intro = "Die Parteien genehmigen die in diesem Anhang beschriebene Version %1 des "
                  "technischen Leistungsumfangs.",
    .sign_place_date = "Ort und Datum",
    .sign_name = "Name, Vorname",
    .sign_function = "Funktion",
    .sign_signature = "Unterschrift",
    .esig_title = "Elektronische Signaturen",
    .th_signed_at = "Signiert am",
    .esig_previous = "(bisheriger Schl\xc3\xbcssel)",
    .esig_none = "F\xc3\xbcr diese Version ist keine elektronische Signatur gespeichert.",
    .services_title = "Funktionaler Leistungsumfang: Leistungen",
    .th_service = "Leistung",
    .th_description = "Beschreibung",
    .no_services = "In dieser Version sind keine Leistungen festgelegt.",
    .exclusions_title = "Ausschl\xc3\xbcsse",
    .exclusions_intro = "Nicht Bestandteil des Vertrags:",
    .no_exclusions = "In dieser Version sind keine Ausschl\xc3\xbcsse aufgef\xc3\xbchrt.",
    .levels_title = "Servicelevels",
    .levels_intro = "Je Serviceklasse und St\xc3\xb6rungsstufe: die Reaktionszeit und die "
                    "L\xc3\xb6sungszeit, die Supportzeiten und das Verf\xc3\xbcgbarkeitsziel.",
    .th_level = "St\xc3\xb6rungsstufe",
    .level = {"Kritisch", "Hoch", "Mittel", "Niedrig"},
    .label_hours = "Supportzeiten",
    .label_availability = "Verf\xc3\xbcgbarkeit",
    .label_response = "Reaktion innert",
    .label_resolution = "L\xc3\xb6sung innert",
    .no_classes = "In dieser Version sind keine Serviceklassen festgelegt.",
    .duration = {"%1 Min.", "%1 Std.", "%1 T."},
    .defaults_title = "Standardabdeckung je Kategorie",
    .defaults_intro = "Ein Element erh\xc3\xa4lt die Standardabdeckung seiner Kategorie, sofern "
                      "ihm die Elementliste keine eigene zuweist.",
    .no_defaults = "In dieser Version hat keine Kategorie eine Standardabdeckung.",
    .th_services = "Leistungen",
    .th_sla = "Serviceklasse",
    .cov_none = "keine",
    .cov_kind_default = "(Standard der Kategorie)",
};

/* ---- Italian (Svizzera italiana) ---- */

static const out_kind_title kinds_it[] = {
    {"workstation", "Postazioni di lavoro", "postazione di lavoro"},
    {"server", "Server", "server"},
    {"os", "Sistemi operativi", "sistema operativo"},
    {"software", "Applicativi gestionali", "applicativo gestionale"},
    {"network", "Apparati di rete", "apparato di rete"},
    {"printer", "Stampanti", "stampante"},
    {"vpn", "Accessi VPN", "accesso VPN"},
    {"other", "Altro", "altro"},
};

static const out_field_label fields_it[] = {
    {"kind", "Categoria"},
    {"name", "Nome"},
    {"serial", "Numero di serie"},
    {"vendor", "Produttore"},
    {"model", "Modello"},
    {"os", "Sistema operativo"},
    {"version", "Versione"},
    {"location", "Ubicazione"},
    {"owner", "Responsabile"},
    {"ip", "Indirizzo IP"},
    {"mac", "Indirizzo MAC"},
    {"licences", "Licenze"},
    {"notes", "Osservazioni"},
    {"hostname", "Nome host"},
    {"purchase_date", "Data d\xe2\x80\x99" "acquisto"},
    {"warranty_end", "Fine garanzia"},
    {"status", "Stato"},
    {"services", "Servizi"},
    {"sla", "Livello di servizio"},
};

const out_annex_words out_annex_it = {
    .lang = "it-CH",
    .title = "%1 \xe2\x80\x94 perimetro tecnico, versione %2",
    .print_version = "versione del perimetro",
    .print_page = "pagina",
    .annex_of = "Allegato al contratto %1",
    .heading = "Perimetro tecnico dei servizi IT gestiti",
    .sub_version = "Versione %1 del %2",
    .items_one = "%1 elemento",
    .items_many = "%1 elementi",
    .status_agreed = "approvata da entrambe le parti",
    .status_proposed = "proposta",
    .status_signed_by = {"firmata dal fornitore", "firmata dal cliente"},
    .parties_title = "Parti e firme",
    .th_role = "Ruolo",
    .th_party = "Parte",
    .th_key = "ID della chiave",
    .th_signature = "Firma di questa versione",
    .role = {"Fornitore", "Cliente"},
    .signed_on = "firmata il %1",
    .partly_signed = "firmata in parte (cambio di chiave: devono firmare entrambe le chiavi)",
    .not_signed = "non firmata",
    .status_of = "Stato della versione %1: ",
    .agreed_on = " il %1 (data della pi\xc3\xb9 recente delle due firme).",
    .not_agreed = ". Questa versione vincola le parti solo quando entrambe l\xe2\x80\x99hanno "
                  "firmata.",
    .version_title = "Versione",
    .label_contract = "Contratto",
    .label_register = "Registro",
    .label_version = "Versione",
    .label_date = "Data",
    .label_author = "Autore",
    .label_message = "Commento",
    .label_previous = "Documento precedente",
    .no_previous = "nessuno (prima versione)",
    .label_document = "Documento del perimetro",
    .summary_title = "Elementi del perimetro per categoria",
    .th_kind = "Categoria",
    .th_items = "Elementi",
    .total = "Totale",
    .changes_since = "Modifiche dalla versione %1",
    .changes_since_start = "Modifiche dall\xe2\x80\x99" "apertura del registro",
    .initial_scope = "La versione 1 \xc3\xa8 il perimetro iniziale: ciascuno dei suoi %1 "
                     "elementi vi \xc3\xa8 aggiunto.",
    .th_change = "Modifica",
    .th_item = "Elemento",
    .th_details = "Dettagli",
    .op = {"aggiunta", "modifica", "rimozione"},
    .no_value = "(nessun valore)",
    .reason = "motivo:",
    .key_replaced = "chiave sostituita",
    .key_both = "(questa versione \xc3\xa8 firmata da entrambe le chiavi)",
    .role_lower = {"fornitore", "cliente"},
    .th_id = "N. d\xe2\x80\x99inventario",
    .th_name = "Nome",
    .th_attributes = "Caratteristiche",
    .kinds = kinds_it,
    .nkinds = sizeof kinds_it / sizeof kinds_it[0],
    .verify_title = "Come verificare",
    .verify_intro =
        "Questa pagina presenta il documento del perimetro della versione %1. Ci\xc3\xb2 che le "
        "parti hanno firmato \xc3\xa8 quel documento, byte per byte: <code>%2</code>, come lo "
        "scrive <code>scopereg export %1 -o DIR</code> con accanto le firme e le chiavi "
        "pubbliche (oppure <code>scopereg show %1</code>). Chiunque pu\xc3\xb2 verificarlo "
        "offline con strumenti comuni, senza fidarsi del programma di nessuna delle parti:",
    .verify_hash = "Il documento \xc3\xa8 quello qui descritto se il suo hash BLAKE2b-256 "
                   "\xc3\xa8 <code class=\"hash\">%1</code>:",
    .verify_sigs = "Ciascuna parte l\xe2\x80\x99ha firmato se minisign accetta la sua firma con "
                   "la sua chiave pubblica (ID delle chiavi sopra); il commento fidato (<i "
                   "lang=\"en\">trusted comment</i>) che minisign stampa indica il registro %1, "
                   "la versione %2, il ruolo e l\xe2\x80\x99hash del documento:",
    .verify_tool = "Con scopereg, sul registro: <code>scopereg verify</code> ricostruisce ogni "
                   "versione, controlla la catena degli hash e ogni firma; sui file esportati: "
                   "<code>scopereg verify --documents DIR</code>.",
    .footer = "Generato da scopereg dal registro %1. Fa fede il documento del perimetro "
              "firmato il cui hash \xc3\xa8 indicato sopra; in caso di divergenza tra questa "
              "pagina e il documento, prevale il documento.",
    .dates = OUT_DATES_ZURICH,
    .times_note = "Date e ore di questo allegato secondo l\xe2\x80\x99ora svizzera "
                  "(Europe/Zurich, ora solare o legale). Il documento firmato le registra in "
                  "tempo universale (UTC): la data di questa versione vi figura come "
                  "<code>%1</code>.",
    .group = "\xe2\x80\x99", /* U+2019 */
    .fields = fields_it,
    .nfields = sizeof fields_it / sizeof fields_it[0],
    .repeat_titles = 1,
    .sign_title = "Firme",
    .sign_intro = "Le parti approvano la versione %1 del perimetro tecnico descritta nel "
                  "presente allegato.",
    .sign_place_date = "Luogo e data",
    .sign_name = "Cognome, nome",
    .sign_function = "Funzione",
    .sign_signature = "Firma",
    .esig_title = "Firme elettroniche",
    .th_signed_at = "Firmata il",
    .esig_previous = "(chiave precedente)",
    .esig_none = "Nessuna firma elettronica \xc3\xa8 registrata per questa versione.",
    .services_title = "Perimetro funzionale: servizi",
    .th_service = "Servizio",
    .th_description = "Descrizione",
    .no_services = "Nessun servizio \xc3\xa8 definito in questa versione.",
    .exclusions_title = "Esclusioni",
    .exclusions_intro = "Non fanno parte del contratto:",
    .no_exclusions = "Nessuna esclusione \xc3\xa8 elencata in questa versione.",
    .levels_title = "Livelli di servizio",
    .levels_intro = "Per ogni classe di servizio e livello di incidente: il tempo di presa in "
                    "carico e il tempo di risoluzione, gli orari di supporto e "
                    "l\xe2\x80\x99obiettivo di disponibilit\xc3\xa0.",
    .th_level = "Livello di incidente",
    .level = {"Critico", "Grave", "Minore", "Miglioramento"},
    .label_hours = "Orari di supporto",
    .label_availability = "Disponibilit\xc3\xa0",
    .label_response = "presa in carico entro",
    .label_resolution = "risoluzione entro",
    .no_classes = "Nessuna classe di servizio \xc3\xa8 definita in questa versione.",
    .duration = {"%1 min", "%1 h", "%1 g"},
    .defaults_title = "Copertura predefinita per categoria",
    .defaults_intro = "Un elemento riceve la copertura predefinita della sua categoria, salvo se "
                      "l\xe2\x80\x99" "elenco degli elementi gliene assegna una propria.",
    .no_defaults = "Nessuna categoria ha una copertura predefinita in questa versione.",
    .th_services = "Servizi",
    .th_sla = "Livello di servizio",
    .cov_none = "nessuno",
    .cov_kind_default = "(predefinito della categoria)",
};

const out_annex_words *out_annex_words_for(const char *lang)
{
    static const struct {
        const char *lang;
        const out_annex_words *w;
    } tables[] = {
        {"en", &out_annex_en}, {"fr", &out_annex_fr}, {"de", &out_annex_de}, {"it", &out_annex_it},
    };
    for (size_t i = 0; lang && i < sizeof tables / sizeof tables[0]; i++)
        if (!strcmp(tables[i].lang, lang))
            return tables[i].w;
    return NULL;
}
