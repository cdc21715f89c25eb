/*
 * aliases.c - header names of CSV exports and the item fields they map to.
 *
 * Sources for the names: English and French usage (Excel sheets), GLPI
 * (search exports, FR and EN), Snipe-IT (importer headers and its
 * sample_csvs), NetBox (device import columns), Lansweeper (asset reports),
 * Ralph (data_importer samples), Shelf.nu (example imports).
 *
 * Left out on purpose, kept as free attributes: "Description" (NetBox has
 * it next to "Comments"), "Site" (NetBox has it next to "Location"),
 * "Warranty"/"Garantie" (Snipe-IT gives months, not an end date),
 * "Model Number" (not the model), "Full Name"/"Email" (Snipe-IT user
 * columns), "Barcode"/"NIW" (Ralph has them next to "id"), "Company",
 * "Supplier", "Purchase Cost".
 */
#include <string.h>

#include "csvread.h"
#include "internal.h"

const char *const inv_csv_fields[] = {
    "id",     "kind",     "name",     "serial",   "vendor",        "model",
    "os",     "version",  "location", "owner",    "ip",            "mac",
    "licences", "notes",  "hostname", "purchase_date", "warranty_end", "status",
    NULL};

static const struct {
    const char *alias;
    const char *field;
} aliases[] = {
    /* id: the asset tag or inventory number */
    {"ID", "id"},
    {"Asset Tag", "id"},
    {"Asset ID", "id"},
    {"Asset Number", "id"},
    {"Asset No", "id"},
    {"Asset Code", "id"},
    {"Item ID", "id"},
    {"Tag", "id"},
    {"Inventory Number", "id"},
    {"Inventory No", "id"},
    {"Inventory ID", "id"},
    {"Inventory Tag", "id"},
    {"Inventory Code", "id"},
    {"Numéro d'inventaire", "id"},
    {"Numéro inventaire", "id"},
    {"N° d'inventaire", "id"},
    {"N° inventaire", "id"},
    {"No d'inventaire", "id"},
    {"No inventaire", "id"},
    {"Num inventaire", "id"},
    {"Inventaire", "id"},
    {"Code inventaire", "id"},
    {"Identifiant", "id"},
    {"Étiquette", "id"},
    {"Étiquette d'inventaire", "id"},

    /* kind */
    {"Kind", "kind"},
    {"Type", "kind"},
    {"Category", "kind"},
    {"Catégorie", "kind"},
    {"Item Category", "kind"},
    {"Asset Type", "kind"},
    {"AssetTypename", "kind"},
    {"Type d'équipement", "kind"},
    {"Type de matériel", "kind"},
    {"Type d'actif", "kind"},
    {"Type d'élément", "kind"},
    {"Nature", "kind"},
    /* NetBox: the role is the kind; beside it, "Type" is the device type,
     * a model (csvread.c, netbox_type) */
    {"Role", "kind"},
    {"Device Role", "kind"},

    /* name */
    {"Name", "name"},
    {"Nom", "name"},
    {"Item Name", "name"},
    {"Asset Name", "name"},
    {"Device Name", "name"},
    {"Display Name", "name"},
    {"Title", "name"},
    {"Titre", "name"},
    {"Désignation", "name"},
    {"Libellé", "name"},
    {"Nom de l'élément", "name"},
    {"Nom de l'équipement", "name"},
    {"Nom du matériel", "name"},

    /* serial */
    {"Serial", "serial"},
    {"Serial Number", "serial"},
    {"Serial No", "serial"},
    {"Serial #", "serial"},
    {"S/N", "serial"},
    {"Service Tag", "serial"},
    {"Numéro de série", "serial"},
    {"Numéro série", "serial"},
    {"N° de série", "serial"},
    {"N° série", "serial"},
    {"No de série", "serial"},
    {"No série", "serial"},
    {"Num série", "serial"},

    /* vendor */
    {"Vendor", "vendor"},
    {"Manufacturer", "vendor"},
    {"Fabricant", "vendor"},
    {"Constructeur", "vendor"},
    {"Marque", "vendor"},
    {"Brand", "vendor"},
    {"Make", "vendor"},
    {"Publisher", "vendor"},
    {"Éditeur", "vendor"},

    /* model */
    {"Model", "model"},
    {"Modèle", "model"},
    {"Model Name", "model"},
    {"Nom du modèle", "model"},
    {"Asset Model", "model"},
    {"Device Type", "model"},
    {"Product", "model"},
    {"Produit", "model"},

    /* os */
    {"OS", "os"},
    {"OS Name", "os"},
    {"Operating System", "os"},
    {"Operating System - Name", "os"},
    {"Système d'exploitation", "os"},
    {"Système d'exploitation - Nom", "os"},
    {"Platform", "os"},
    {"Plateforme", "os"},

    /* version */
    {"Version", "version"},
    {"Software Version", "version"},
    {"Version du logiciel", "version"},
    {"Firmware", "version"},
    {"Firmware Version", "version"},
    {"Version du firmware", "version"},

    /* location */
    {"Location", "location"},
    {"Emplacement", "location"},
    {"Lieu", "location"},
    {"Localisation", "location"},

    /* owner: who uses or holds it */
    {"Owner", "owner"},
    {"Propriétaire", "owner"},
    {"User", "owner"},
    {"Username", "owner"},
    {"Utilisateur", "owner"},
    {"Nom d'utilisateur", "owner"},
    {"Assigned To", "owner"},
    {"Assigned User", "owner"},
    {"Assignee", "owner"},
    {"Checked Out To", "owner"},
    {"Attribué à", "owner"},
    {"Affecté à", "owner"},
    {"Utilisé par", "owner"},
    {"Used By", "owner"},
    {"Custodian", "owner"},

    /* ip */
    {"IP", "ip"},
    {"IP Address", "ip"},
    {"IPv4", "ip"},
    {"IPv4 Address", "ip"},
    {"Adresse IP", "ip"},
    {"Adresse IPv4", "ip"},
    {"Primary IP", "ip"},
    {"Primary IPv4", "ip"},
    {"primary_ip4", "ip"},
    {"Management IP", "ip"},
    {"IP de gestion", "ip"},

    /* mac */
    {"MAC", "mac"},
    {"MAC Address", "mac"},
    {"Adresse MAC", "mac"},
    {"Physical Address", "mac"},
    {"Adresse physique", "mac"},

    /* licences */
    {"Licences", "licences"},
    {"Licenses", "licences"},
    {"Licence Count", "licences"},
    {"License Count", "licences"},
    {"Number of Licences", "licences"},
    {"Number of Licenses", "licences"},
    {"Nombre de licences", "licences"},
    {"Nb licences", "licences"},
    {"Seats", "licences"},

    /* notes */
    {"Notes", "notes"},
    {"Note", "notes"},
    {"Asset Notes", "notes"},
    {"Comments", "notes"},
    {"Comment", "notes"},
    {"Commentaires", "notes"},
    {"Commentaire", "notes"},
    {"Remarks", "notes"},
    {"Remarques", "notes"},
    {"Remarque", "notes"},
    {"Observations", "notes"},

    /* hostname */
    {"Hostname", "hostname"},
    {"Host", "hostname"},
    {"Computer Name", "hostname"},
    {"Machine Name", "hostname"},
    {"DNS Name", "hostname"},
    {"FQDN", "hostname"},
    {"Nom d'hôte", "hostname"},
    {"Nom de l'ordinateur", "hostname"},
    {"Nom de machine", "hostname"},
    {"Nom machine", "hostname"},
    {"Nom DNS", "hostname"},

    /* purchase_date */
    {"Purchase Date", "purchase_date"},
    {"Date of Purchase", "purchase_date"},
    {"Purchased", "purchase_date"},
    {"Purchased On", "purchase_date"},
    {"Invoice Date", "purchase_date"},
    {"Date d'achat", "purchase_date"},
    {"Date achat", "purchase_date"},
    {"Acheté le", "purchase_date"},

    /* warranty_end */
    {"Warranty End", "warranty_end"},
    {"Warranty End Date", "warranty_end"},
    {"Warranty Expiration", "warranty_end"},
    {"Warranty Expiration Date", "warranty_end"},
    {"Warranty Expires", "warranty_end"},
    {"Warranty Until", "warranty_end"},
    {"End of Warranty", "warranty_end"},
    {"Fin de garantie", "warranty_end"},
    {"Date de fin de garantie", "warranty_end"},
    {"Garantie jusqu'au", "warranty_end"},
    {"Expiration de la garantie", "warranty_end"},

    /* status */
    {"Status", "status"},
    {"Statut", "status"},
    {"État", "status"},
    {"State", "status"},
    {"Asset Status", "status"},
    {"Status Label", "status"},
};

/* ASCII folding of U+00C0..U+00FF ('\0': drop, '1': ae, '2': th, '3': ss). */
static const char latin1_fold[] =
    "aaaaaa1ceeeeiiiidnooooo\0ouuuuy23"
    "aaaaaa1ceeeeiiiidnooooo\0ouuuuy2y";
/* U+0100..U+017F ('4': ij, '5': oe). */
static const char latin_a_fold[] =
    "aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiii44jjkkk"
    "llllllllllnnnnnnnnnoooooo55rrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

_Static_assert(sizeof latin1_fold == 64 + 1, "latin1_fold covers U+00C0..U+00FF");
_Static_assert(sizeof latin_a_fold == 128 + 1, "latin_a_fold covers U+0100..U+017F");

const char *inv__fold_latin(const unsigned char *s, size_t *adv)
{
    static const char *multi[] = {"ae", "th", "ss", "ij", "oe"};
    static char one[128][2];
    unsigned c = s[0];
    *adv = 1;
    if (c < 0xC2 || c > 0xC5 || (s[1] & 0xC0) != 0x80)
        return NULL;
    unsigned cp = ((c & 0x1F) << 6) | (s[1] & 0x3F);
    char f;
    *adv = 2;
    if (cp >= 0xC0 && cp <= 0xFF)
        f = latin1_fold[cp - 0xC0];
    else if (cp >= 0x100 && cp <= 0x17F)
        f = latin_a_fold[cp - 0x100];
    else
        return ""; /* Latin-1 signs: degree, ordinals, NBSP, guillemets */
    if (!f)
        return "";
    if (f >= '1' && f <= '5')
        return multi[f - '1'];
    one[(unsigned char)f][0] = f; /* a table of one-letter strings, filled lazily */
    return one[(unsigned char)f];
}

void inv_csv_header_norm(const char *in, char *out, size_t outlen)
{
    const unsigned char *s = (const unsigned char *)in;
    size_t o = 0;
    if (!outlen)
        return;
    while (*s && o + 1 < outlen) {
        unsigned c = *s;
        if (c < 0x80) {
            if (c >= 'A' && c <= 'Z')
                out[o++] = (char)(c - 'A' + 'a');
            else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
                out[o++] = (char)c;
            s++;
            continue;
        }
        size_t adv;
        const char *f = inv__fold_latin(s, &adv);
        if (f) {
            for (; *f && o + 1 < outlen; f++)
                out[o++] = *f;
            s += adv;
            continue;
        }
        /* another UTF-8 sequence: kept as it is */
        size_t n = 1;
        while (n < 4 && (s[n] & 0xC0) == 0x80)
            n++;
        if (o + n >= outlen)
            break;
        memcpy(out + o, s, n);
        o += n;
        s += n;
    }
    out[o] = '\0';
}

const char *inv_csv_alias_field(const char *header)
{
    char want[256], have[256];
    inv_csv_header_norm(header, want, sizeof want);
    if (!want[0])
        return NULL;
    for (size_t i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        inv_csv_header_norm(aliases[i].alias, have, sizeof have);
        if (strcmp(want, have) == 0)
            return aliases[i].field;
    }
    /* the field names themselves ("purchase_date", "warranty_end"...) */
    for (size_t i = 0; inv_csv_fields[i]; i++) {
        inv_csv_header_norm(inv_csv_fields[i], have, sizeof have);
        if (strcmp(want, have) == 0)
            return inv_csv_fields[i];
    }
    return NULL;
}

int inv_csv_alias_at(size_t i, const char **alias, const char **field)
{
    if (i >= sizeof aliases / sizeof aliases[0])
        return -1;
    if (alias)
        *alias = aliases[i].alias;
    if (field)
        *field = aliases[i].field;
    return 0;
}
