/*
 * fields.c - the one table of the document's standard fields (keys, CSV
 * header aliases, JSON names, labels, rules) and the one table of kinds.
 */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "csvread.h"
#include "fields.h"
#include "values_int.h"

/* ---- the fields ---- */

/*
 * CSV header aliases. Sources for the names: English, French and German
 * usage (Excel sheets), GLPI (search exports, FR and EN), Snipe-IT
 * (importer headers and its sample_csvs), NetBox (device import columns),
 * Lansweeper (asset reports), Ralph (data_importer samples), Shelf.nu
 * (example imports).
 *
 * Left out on purpose, kept as free attributes: "Description" (NetBox has
 * it next to "Comments"), "Site" (NetBox has it next to "Location"),
 * "Warranty"/"Garantie" (Snipe-IT gives months, not an end date),
 * "Model Number" (not the model), "Full Name"/"Email" (Snipe-IT user
 * columns), "Barcode"/"NIW" (Ralph has them next to "id"), "Company",
 * "Supplier", "Purchase Cost", "Gerätetyp" (a model or a kind).
 */

static const char *const a_id[] = {
    /* id: the asset tag or inventory number */
    "ID",
    "Asset Tag",
    "Asset ID",
    "Asset Number",
    "Asset No",
    "Asset Code",
    "Item ID",
    "Tag",
    "Inventory Number",
    "Inventory No",
    "Inventory ID",
    "Inventory Tag",
    "Inventory Code",
    "Numéro d'inventaire",
    "Numéro inventaire",
    "N° d'inventaire",
    "N° inventaire",
    "No d'inventaire",
    "No inventaire",
    "Num inventaire",
    "Inventaire",
    "Code inventaire",
    "Identifiant",
    "Étiquette",
    "Étiquette d'inventaire",
    /* German */
    "Inventarnummer",
    "Inventar-Nr.",
    "Anlagennummer",
    NULL};
static const char *const a_kind[] = {
    "Kind",
    "Type",
    "Category",
    "Catégorie",
    "Item Category",
    "Asset Type",
    "AssetTypename",
    "Type d'équipement",
    "Type de matériel",
    "Type d'actif",
    "Type d'élément",
    "Nature",
    /* NetBox: the role is the kind; beside it, "Type" is the device type,
     * a model (csvread.c, netbox_type) */
    "Role",
    "Device Role",
    /* German */
    "Typ",
    "Art",
    "Kategorie",
    "Geräteart",
    NULL};
static const char *const a_name[] = {
    "Name",
    "Nom",
    "Item Name",
    "Asset Name",
    "Device Name",
    "Display Name",
    "Title",
    "Titre",
    "Désignation",
    "Libellé",
    "Nom de l'élément",
    "Nom de l'équipement",
    "Nom du matériel",
    /* German */
    "Bezeichnung",
    "Gerätename",
    NULL};
static const char *const a_serial[] = {
    "Serial",
    "Serial Number",
    "Serial No",
    "Serial #",
    "S/N",
    "Service Tag",
    "Numéro de série",
    "Numéro série",
    "N° de série",
    "N° série",
    "No de série",
    "No série",
    "Num série",
    /* German */
    "Seriennummer",
    "Serien-Nr.",
    NULL};
static const char *const a_vendor[] = {
    "Vendor",
    "Manufacturer",
    "Fabricant",
    "Constructeur",
    "Marque",
    "Brand",
    "Make",
    "Publisher",
    "Éditeur",
    /* German */
    "Hersteller",
    NULL};
static const char *const a_model[] = {
    "Model",
    "Modèle",
    "Model Name",
    "Nom du modèle",
    "Asset Model",
    "Device Type",
    "Product",
    "Produit",
    /* German */
    "Modell",
    "Modellname",
    NULL};
static const char *const a_os[] = {
    "OS",
    "OS Name",
    "Operating System",
    "Operating System - Name",
    "Système d'exploitation",
    "Système d'exploitation - Nom",
    "Platform",
    "Plateforme",
    /* German */
    "Betriebssystem",
    NULL};
static const char *const a_version[] = {
    "Version",
    "Software Version",
    "Version du logiciel",
    "Firmware",
    "Firmware Version",
    "Version du firmware",
    NULL};
static const char *const a_location[] = {
    "Location",
    "Emplacement",
    "Lieu",
    "Localisation",
    /* German */
    "Standort",
    "Ort",
    NULL};
static const char *const a_owner[] = {
    /* owner: who uses or holds it */
    "Owner",
    "Propriétaire",
    "User",
    "Username",
    "Utilisateur",
    "Nom d'utilisateur",
    "Assigned To",
    "Assigned User",
    "Assignee",
    "Checked Out To",
    "Attribué à",
    "Affecté à",
    "Utilisé par",
    "Used By",
    "Custodian",
    /* German */
    "Benutzer",
    "Benutzername",
    "Besitzer",
    "Zugewiesen an",
    NULL};
static const char *const a_ip[] = {
    "IP",
    "IP Address",
    "IPv4",
    "IPv4 Address",
    "Adresse IP",
    "Adresse IPv4",
    "Primary IP",
    "Primary IPv4",
    "primary_ip4",
    "Management IP",
    "IP de gestion",
    /* German */
    "IP-Adresse",
    NULL};
static const char *const a_mac[] = {
    "MAC",
    "MAC Address",
    "Adresse MAC",
    "Physical Address",
    "Adresse physique",
    /* German */
    "MAC-Adresse",
    NULL};
static const char *const a_licences[] = {
    "Licences",
    "Licenses",
    "Licence Count",
    "License Count",
    "Number of Licences",
    "Number of Licenses",
    "Nombre de licences",
    "Nb licences",
    "Seats",
    /* German */
    "Lizenzen",
    "Anzahl Lizenzen",
    NULL};
static const char *const a_notes[] = {
    "Notes",
    "Note",
    "Asset Notes",
    "Comments",
    "Comment",
    "Commentaires",
    "Commentaire",
    "Remarks",
    "Remarques",
    "Remarque",
    "Observations",
    /* German */
    "Bemerkungen",
    "Bemerkung",
    "Kommentar",
    "Kommentare",
    "Notizen",
    "Anmerkungen",
    NULL};
static const char *const a_hostname[] = {
    "Hostname",
    "Host",
    "Computer Name",
    "Machine Name",
    "DNS Name",
    "FQDN",
    "Nom d'hôte",
    "Nom de l'ordinateur",
    "Nom de machine",
    "Nom machine",
    "Nom DNS",
    /* German */
    "Rechnername",
    NULL};
static const char *const a_purchase_date[] = {
    "Purchase Date",
    "Date of Purchase",
    "Purchased",
    "Purchased On",
    "Invoice Date",
    "Date d'achat",
    "Date achat",
    "Acheté le",
    /* German */
    "Kaufdatum",
    "Anschaffungsdatum",
    NULL};
static const char *const a_warranty_end[] = {
    "Warranty End",
    "Warranty End Date",
    "Warranty Expiration",
    "Warranty Expiration Date",
    "Warranty Expires",
    "Warranty Until",
    "End of Warranty",
    "Fin de garantie",
    "Date de fin de garantie",
    "Garantie jusqu'au",
    "Expiration de la garantie",
    /* German */
    "Garantieende",
    "Garantie bis",
    "Gewährleistung bis",
    NULL};
static const char *const a_status[] = {
    "Status",
    "Statut",
    "État",
    "State",
    "Asset Status",
    "Status Label",
    /* German */
    "Zustand",
    NULL};

/* id, kind, name first (inv_field_fixed and inv_field_rank rely on it),
 * then the standard attributes. Each: document key, place, JSON name,
 * label, rule, CSV header aliases, inv_item member (fixed fields only). */
static const inv_field fields[] = {
    {"id", INV_FIELD_KEY, "id", "Id", INV_RULE_ID, a_id, offsetof(inv_item, id)},
    {"kind", INV_FIELD_FIXED, "kind", "Kind", INV_RULE_KIND, a_kind, offsetof(inv_item, kind)},
    {"name", INV_FIELD_FIXED, "name", "Name", INV_RULE_TEXT, a_name, offsetof(inv_item, name)},
    {"serial", INV_FIELD_ATTR, "serial", "Serial number", INV_RULE_TEXT, a_serial, 0},
    {"vendor", INV_FIELD_ATTR, "vendor", "Vendor", INV_RULE_TEXT, a_vendor, 0},
    {"model", INV_FIELD_ATTR, "model", "Model", INV_RULE_TEXT, a_model, 0},
    {"os", INV_FIELD_ATTR, "os", "Operating system", INV_RULE_TEXT, a_os, 0},
    {"version", INV_FIELD_ATTR, "version", "Version", INV_RULE_TEXT, a_version, 0},
    {"location", INV_FIELD_ATTR, "location", "Location", INV_RULE_TEXT, a_location, 0},
    {"owner", INV_FIELD_ATTR, "owner", "Owner", INV_RULE_TEXT, a_owner, 0},
    {"ip", INV_FIELD_ATTR, "ip", "IP address", INV_RULE_TEXT, a_ip, 0},
    {"mac", INV_FIELD_ATTR, "mac", "MAC address", INV_RULE_TEXT, a_mac, 0},
    {"licences", INV_FIELD_ATTR, "licences", "Licences", INV_RULE_TEXT, a_licences, 0},
    {"notes", INV_FIELD_ATTR, "notes", "Notes", INV_RULE_TEXT, a_notes, 0},
    {"hostname", INV_FIELD_ATTR, "hostname", "Host name", INV_RULE_TEXT, a_hostname, 0},
    {"purchase_date", INV_FIELD_ATTR, "purchase_date", "Purchase date", INV_RULE_TEXT,
     a_purchase_date, 0},
    {"warranty_end", INV_FIELD_ATTR, "warranty_end", "End of warranty", INV_RULE_TEXT,
     a_warranty_end, 0},
    {"status", INV_FIELD_ATTR, "status", "Status", INV_RULE_TEXT, a_status, 0},
};
#define NFIELDS (sizeof fields / sizeof fields[0])
#define NFIXED 3 /* id, kind, name */

const inv_field *inv_field_at(size_t i)
{
    return i < NFIELDS ? &fields[i] : NULL;
}

char **inv_item_fixed(inv_item *it, const inv_field *f)
{
    if (!f || f->place == INV_FIELD_ATTR)
        return NULL;
    return (char **)(void *)((char *)it + f->member);
}

const inv_field *inv_field_get(const char *key)
{
    for (size_t i = 0; i < NFIELDS; i++)
        if (!strcmp(fields[i].key, key))
            return &fields[i];
    return NULL;
}

const inv_field *inv_field_fixed(const char *key, size_t n)
{
    for (size_t i = 0; i < NFIXED; i++)
        if (!strncmp(fields[i].key, key, n) && fields[i].key[n] == '\0')
            return &fields[i];
    return NULL;
}

int inv_field_rank(const char *key, size_t n)
{
    int rank = 0;
    for (size_t i = 0; i < NFIXED; i++) {
        if (fields[i].place != INV_FIELD_FIXED)
            continue;
        if (!strncmp(fields[i].key, key, n) && fields[i].key[n] == '\0')
            return rank;
        rank++;
    }
    return rank;
}

int inv_field_nfixed(void)
{
    return inv_field_rank("", 0);
}

const char *inv_field_label(const char *key)
{
    const inv_field *f = inv_field_get(key);
    return f ? f->label : NULL;
}

const inv_field *inv_field_by_header(const char *header)
{
    char want[256], have[256];
    inv_csv_header_norm(header, want, sizeof want);
    if (!want[0])
        return NULL;
    for (size_t i = 0; i < NFIELDS; i++)
        for (const char *const *a = fields[i].aliases; *a; a++) {
            inv_csv_header_norm(*a, have, sizeof have);
            if (strcmp(want, have) == 0)
                return &fields[i];
        }
    /* the keys themselves ("purchase_date", "warranty_end"...) */
    for (size_t i = 0; i < NFIELDS; i++) {
        inv_csv_header_norm(fields[i].key, have, sizeof have);
        if (strcmp(want, have) == 0)
            return &fields[i];
    }
    return NULL;
}

/* How well a header that maps to id names the contract's item id: the
 * asset tag or inventory number people write on the device and in tickets
 * (2), a tool's internal database id, a row number that means nothing
 * outside the tool (Snipe-IT's and NetBox's "ID": 0), or neither (1). */
int inv_csv_id_rank(const char *header)
{
    /* folded as inv_csv_header_norm folds: "Asset_ID" is "assetid" */
    static const char *const db[] = {"id", "assetid", "itemid", "deviceid", "objectid",
                                     "recordid", "rowid", "dbid", "databaseid", "internalid",
                                     "pk", NULL};
    static const char *const tag[] = {"tag", "invent", "etiquette", "anlagen", "number",
                                      "numero", "nummer", "code", NULL};
    char h[256];
    inv_csv_header_norm(header ? header : "", h, sizeof h);
    for (const char *const *d = db; *d; d++)
        if (!strcmp(h, *d))
            return 0;
    for (const char *const *t = tag; *t; t++)
        if (strstr(h, *t))
            return 2;
    return 1;
}

size_t inv_csv_dup_keep(const char *field, const char *header_a, const char *header_b)
{
    if (field && !strcmp(field, "id") && inv_csv_id_rank(header_b) > inv_csv_id_rank(header_a))
        return 1;
    return 0;
}

/* ---- the coverage columns ---- */

/* Headers of the two columns that give an item its own coverage (not
 * document fields: the item block's "services:" and "sla:" lines, which
 * the import stages as `edit --service/--sla` would). "Service" alone is
 * left out on purpose: French sheets use it for the user's department. */
static const char *const a_services[] = {
    "Services",
    "Covered Services",
    "Service List",
    "Prestations",
    "Services couverts",
    "Prestations couvertes",
    /* German */
    "Leistungen",
    "Dienstleistungen",
    "Dienste",
    NULL};
static const char *const a_sla[] = {
    "SLA",
    "Service Level",
    "SLA Class",
    "Service Class",
    "Niveau de service",
    "Classe de service",
    "Criticité",
    /* German */
    "Servicelevel",
    "Service-Level",
    "Serviceklasse",
    NULL};
static const struct {
    const char *key;
    const char *const *aliases;
} cov_columns[] = {{"services", a_services}, {"sla", a_sla}};
#define NCOV (sizeof cov_columns / sizeof cov_columns[0])

const char *inv_csv_cov_column(const char *header)
{
    char want[256], have[256];
    inv_csv_header_norm(header, want, sizeof want);
    if (!want[0])
        return NULL;
    for (size_t k = 0; k < NCOV; k++) {
        inv_csv_header_norm(cov_columns[k].key, have, sizeof have);
        if (!strcmp(want, have))
            return cov_columns[k].key;
        for (const char *const *a = cov_columns[k].aliases; *a; a++) {
            inv_csv_header_norm(*a, have, sizeof have);
            if (!strcmp(want, have))
                return cov_columns[k].key;
        }
    }
    return NULL;
}

const char *inv_csv_alias_field(const char *header)
{
    const inv_field *f = inv_field_by_header(header);
    return f ? f->key : inv_csv_cov_column(header);
}

int inv_csv_alias_at(size_t i, const char **alias, const char **field)
{
    for (size_t k = 0; k < NFIELDS; k++)
        for (const char *const *a = fields[k].aliases; *a; a++)
            if (i-- == 0) {
                if (alias)
                    *alias = *a;
                if (field)
                    *field = fields[k].key;
                return 0;
            }
    return -1;
}

/* ---- the kinds ---- */

/* After each kind's own English words come the vocabularies of asset
 * tools, so their exports map without --map-kind: GLPI item and computer
 * types, Snipe-IT categories, NetBox device roles, Lansweeper asset types.
 * Words that name several kinds (Lansweeper's "Windows" or "Linux": a
 * server or a workstation) are left out on purpose: the import asks for
 * --map-kind rather than guess. */
static const inv_kind kinds[] = {
    {"workstation", "Workstations", "poste, PC, laptop, portable, desktop",
     "workstation|pc|laptop|desktop|computer|notebook|thin client|tablet|all in one|mac|"
     "apple mac|macbook|imac|virtual desktop",
     "poste|poste de travail|portable|ordinateur|ordinateur portable|station de travail|"
     "client leger|tablette|pc portable|pc fixe|poste fixe|poste portable|ordinateur fixe",
     "arbeitsplatz|arbeitsplatzrechner|arbeitsstation|rechner"},
    {"server", "Servers", "serveur, VM, NAS",
     "server|vm|virtual machine|hypervisor|host|nas|san|physical server|virtual server|"
     "vmware guest|hyper-v guest|esxi|vmware esxi|hyper-v host|storage|webserver|web server",
     "serveur|machine virtuelle|hyperviseur|serveur virtuel|serveur physique|stockage|"
     "baie de stockage",
     "virtuelle maschine|virtueller server|speichersystem"},
    {"os", "Operating systems", "systeme d'exploitation", "os|operating system",
     "systeme d exploitation|systeme", "betriebssystem"},
    {"software", "Software", "logiciel, application, licence",
     "software|application|app|licence|license|saas|software license",
     "logiciel|progiciel|licence logicielle", "anwendung|lizenz|lizenzen|softwarelizenz"},
    {"network", "Network equipment",
     "reseau, switch, routeur, firewall, pare-feu, wifi, access point",
     "network|switch|router|firewall|wifi|wi-fi|access point|ap|modem|load balancer|"
     "network device|networking|network equipment|networkequipment|access switch|"
     "core switch|distribution switch|edge switch|wireless ap|wireless access point|"
     "wlan controller|wireless controller|console server|gateway|security appliance|utm|"
     "patch panel",
     "reseau|commutateur|routeur|pare-feu|parefeu|borne wifi|point d acces|"
     "equipement reseau|materiel reseau|borne|passerelle|panneau de brassage",
     "netzwerk|netzwerkgerät|netzwerkgeräte|zugangspunkt|wlan"},
    {"printer", "Printers", "imprimante, copieur, scanner",
     "printer|mfp|copier|scanner|plotter|multifunction printer|label printer",
     "imprimante|multifonction|copieur|traceur|imprimante multifonction",
     "drucker|multifunktionsdrucker|kopierer|etikettendrucker"},
    {"vpn", "VPN accesses", "acces VPN, remote access", "vpn|vpn access|remote access|tunnel",
     "acces vpn|acces distant", "vpn-zugang|fernzugriff"},
    {"other", "Other items", "autre, phone, UPS",
     "other|misc|phone|telephone|ups|pdu|monitor|display|peripheral|ip phone|mobile phone|"
     "smartphone|mobile|camera|ip camera|accessory|accessories|consumable|component|"
     "docking station|projector",
     "autre|divers|onduleur|moniteur|ecran|peripherique|telephone ip|telephone mobile|"
     "accessoire|station d accueil|projecteur|videoprojecteur",
     "sonstiges|telefon|bildschirm|usv|zubehör|beamer|kamera"},
};
#define NKINDS (sizeof kinds / sizeof kinds[0])

const inv_kind *inv_kind_at(size_t i)
{
    return i < NKINDS ? &kinds[i] : NULL;
}

const char *inv_kind_title(const char *kind)
{
    for (size_t i = 0; i < NKINDS; i++)
        if (!strcmp(kinds[i].kind, kind))
            return kinds[i].title;
    return kind;
}

/* Walks the aliases: each call gives the next alias as written, folded,
 * and its kind; returns 0 past the last one. *k, *lang and *p start at 0,
 * 0 and NULL. */
static int next_alias(size_t *k, int *lang, const char **p, char alias[64], char folded[64],
                      const char **kind)
{
    while (*k < NKINDS) {
        if (!*p)
            *p = *lang == 0 ? kinds[*k].en : *lang == 1 ? kinds[*k].fr : kinds[*k].de;
        if (**p) {
            const char *end = strchr(*p, '|');
            size_t n = end ? (size_t)(end - *p) : strlen(*p);
            snprintf(alias, 64, "%.*s", (int)n, *p);
            inv__fold(alias, folded, 64, 0, 0);
            *kind = kinds[*k].kind;
            *p += n + (end ? 1 : 0);
            return 1;
        }
        *p = NULL;
        if (++*lang == 3) {
            *lang = 0;
            (*k)++;
        }
    }
    return 0;
}

/* The kind whose alias folds to want, or NULL. */
static const char *kind_lookup(const char *want)
{
    size_t k = 0;
    int lang = 0;
    const char *p = NULL, *kind;
    char alias[64], folded[64];
    while (next_alias(&k, &lang, &p, alias, folded, &kind))
        if (strcmp(folded, want) == 0)
            return kind;
    return NULL;
}

const char *inv_kind_canonical(const char *text)
{
    /* The canonical names themselves, as every document and stored row
     * holds them: found without folding. */
    for (size_t i = 0; i < NKINDS; i++)
        if (strcmp(text, kinds[i].kind) == 0)
            return kinds[i].kind;
    char want[128];
    inv__fold(text, want, sizeof want, 0, 0);
    if (!want[0])
        return NULL;
    const char *k = kind_lookup(want);
    /* Asset tools name categories in the plural: "Laptops", "Switches",
     * "Serveurs", "Imprimantes". */
    size_t n = strlen(want);
    if (!k && n > 2 && (want[n - 1] == 's' || (want[n - 1] == 'x' && want[n - 2] == 'u'))) {
        want[n - 1] = '\0';
        k = kind_lookup(want);
        if (!k && n > 3 && want[n - 2] == 'e') {
            want[n - 2] = '\0';
            k = kind_lookup(want);
        }
    }
    return k;
}

/* Built once from the table, on first use (not reentrant then). */
const char *inv_kind_help(void)
{
    static char help[512];
    if (!help[0]) {
        size_t o = (size_t)snprintf(help, sizeof help, "%s", INV_("accepted kinds: "));
        for (size_t i = 0; i < NKINDS && o < sizeof help; i++)
            o += (size_t)snprintf(help + o, sizeof help - o, "%s%s (%s)", i ? ", " : "",
                                  kinds[i].kind, kinds[i].shown);
    }
    return help;
}

const char *inv_kind_list(void)
{
    static char list[128];
    if (!list[0]) {
        size_t o = 0;
        for (size_t i = 0; i < NKINDS && o < sizeof list; i++)
            o += (size_t)snprintf(list + o, sizeof list - o, "%s%s", i ? ", " : "",
                                  kinds[i].kind);
    }
    return list;
}

static size_t levenshtein(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t row[64 + 1];
    if (lb > 64)
        lb = 64;
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t prev = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t cur = row[j];
            size_t best = prev + (a[i - 1] != b[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            prev = cur;
        }
    }
    return row[lb];
}

/* The closest alias to text and its distance (folded, edit distance). */
static size_t closest(const char *text, char best_name[64])
{
    char want[64], alias[64], folded[64];
    size_t best = (size_t)-1, k = 0;
    int lang = 0;
    const char *p = NULL, *kind;
    inv__fold(text, want, sizeof want, 0, 0);
    snprintf(best_name, 64, "other");
    while (next_alias(&k, &lang, &p, alias, folded, &kind)) {
        size_t d = levenshtein(want, folded);
        if (d < best) {
            best = d;
            snprintf(best_name, 64, "%s", alias);
        }
    }
    return best;
}

/* Not reentrant: the name is kept in a static buffer. */
const char *inv_kind_closest(const char *text)
{
    static char best_name[64];
    closest(text, best_name);
    return best_name;
}

const char *inv_kind_suggest(const char *text)
{
    static char best_name[64];
    char want[64];
    inv__fold(text, want, sizeof want, 0, 0);
    size_t n = strlen(want);
    if (n < 2)
        return NULL;
    size_t d = closest(text, best_name);
    /* close: a slip of one letter in four, at most 3 */
    size_t allowed = n / 4 ? n / 4 : 1;
    if (allowed > 3)
        allowed = 3;
    return d <= allowed ? best_name : NULL;
}
