/*
 * genfleet.c - a deterministic generator of realistic client fleets for
 * the benchmarks (tests/bench/run.sh): the columns and value shapes of
 * samples/fleet.csv, at any size.
 *
 *   genfleet [-s SEED] ROWS                 the whole fleet, ROWS items
 *   genfleet [-s SEED] -d V [-m M] ROWS     delta V (1, 2, ...) of that fleet
 *
 * The CSV goes to standard output: header
 * asset_tag,kind,name,serial,vendor,model,os,location,owner,ip,notes, RFC
 * 4180 quoting where needed, LF line ends, UTF-8. Row i depends on SEED and
 * i only, so the same arguments give the same bytes on any machine.
 *
 * What the rows hold, as in real exports: asset tags by category (PC-,
 * SRV-, OS-, SW-, NET-, PRN-, VPN- and a 7-digit number, unique), kinds
 * spelled in English or French (poste, laptop, serveur, VM, logiciel,
 * switch, routeur, pare-feu, wifi, imprimante, accès VPN...), names with
 * accented first and last names, serials, vendors, models, operating
 * systems, locations with commas (quoted), owners, IPv4 addresses (empty
 * for laptops and licences), and notes on about one row in twelve, some
 * with doubled quotes, one in five of those on two lines.
 *
 * A delta V is what a quarterly re-export brings: M rows (default 50), of
 * which four in five are existing items with a new owner, address or
 * location (rows spread over the fleet, never twice in one file), and one
 * in five are new items numbered after the fleet and after every earlier
 * delta. Importing deltas 1, 2, ... in turn after the fleet gives one new
 * version each.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* splitmix64: a small, well-mixed generator; one stream per row. */
typedef struct rng {
    uint64_t s;
} rng;

static uint64_t next(rng *g)
{
    uint64_t z = (g->s += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

static unsigned pick(rng *g, unsigned n)
{
    return (unsigned)(next(g) % n);
}

static const char *const first_names[] = {
    "Sébastien", "Zoë",      "Laurent",   "Chloé",     "Matthias", "Anne-Laure", "Nicolas",
    "Élodie",    "Patrick",  "Mélanie",   "Reto",      "Françoise", "Yves",      "Céline",
    "Jürg",      "Isabelle", "Olivier",   "Sandrine",  "Thierry",  "Noémie",     "Marc",
    "Léa",       "Daniel",   "Aurélie",   "Stéphane",  "Nadia",    "Pascal",     "Sophie",
    "Urs",       "Delphine", "Christophe", "Valérie",  "Fabien",   "Monique",    "Rémy",
    "Camille",   "Simon",    "Gaëlle",    "Beat",      "Hélène",   "François",   "Loïc",
    "Maëlle",    "Jérôme",   "Bénédicte", "Cédric",    "Agnès",    "Grégoire",
};
static const char *const last_names[] = {
    "Dubois",  "Steiner",  "Favre",   "Zbinden",     "Chappuis", "Rochat",  "Cuénod",
    "Baumann", "Bonvin",   "Keller",  "Rey",         "Gerber",   "Jaquet",  "Vuilleumier",
    "Perrin",  "Morand",   "Blanc",   "Meylan",      "Pittet",   "Müller",  "Schär",
    "Dénéréaz", "Frühauf", "Gétaz",   "Hänni",       "Jolliet",  "Lüthi",   "Pétremand",
    "Rossé",   "Zürcher",  "Bühler",  "Crétegny",
};
static const char *const sites[] = {
    "Lausanne, Avenue de la Gare 12, 3e étage",
    "Lausanne, Avenue de la Gare 12, 2e étage",
    "Morges, Rue Centrale 5",
    "Genève, Rue du Rhône 40, 1er étage",
    "Yverdon-les-Bains, Quai de la Thièle 3",
    "Fribourg, Route de Beaumont 20, rez",
    "Neuchâtel, Faubourg de l'Hôpital 9",
    "Sion, Avenue de Tourbillon 34, 4e étage",
};
static const char *const server_rooms[] = {
    "Lausanne, salle serveur",
    "Genève, datacenter Safe Host, baie 12",
    "Morges, local technique",
};
static const char *const departments[] = {"IT", "Finance", "RH", "Direction", "Ventes",
                                          "Production", "Logistique", "Réception"};

static void person(rng *g, char *out, size_t n)
{
    snprintf(out, n, "%s %s", first_names[pick(g, N(first_names))],
             last_names[pick(g, N(last_names))]);
}

typedef struct row {
    char tag[32], kind[40], name[160], serial[32], vendor[40], model[64], os[64];
    char location[96], owner[96], ip[20], notes[200];
} row;

/* Categories, by share of a thousand rows. */
enum { C_WS, C_SRV, C_OS, C_SW, C_NET, C_PRN, C_VPN };
static int category(unsigned r)
{
    return r < 690 ? C_WS : r < 770 ? C_SRV : r < 785 ? C_OS : r < 830 ? C_SW
         : r < 910 ? C_NET : r < 950 ? C_PRN : C_VPN;
}

static void make_row(uint64_t seed, uint64_t i, unsigned variant, row *w)
{
    rng g = {seed * 0xD1B54A32D192ED03ULL ^ (i + 1) * 0x9E3779B97F4A7C15ULL};
    char who[96];
    memset(w, 0, sizeof *w);
    next(&g);
    int cat = category(pick(&g, 1000));
    unsigned n7 = (unsigned)(i + 1);
    unsigned net = 1 + pick(&g, 250), host = 1 + pick(&g, 253);
    person(&g, who, sizeof who);
    switch (cat) {
    case C_WS: {
        static const char *const kinds[] = {"workstation", "poste", "PC", "Poste de travail",
                                            "desktop"};
        static const char *const lkinds[] = {"laptop", "portable", "Ordinateur portable"};
        int laptop = pick(&g, 3) == 0;
        snprintf(w->tag, sizeof w->tag, "PC-%07u", n7);
        snprintf(w->kind, sizeof w->kind, "%s",
                 laptop ? lkinds[pick(&g, N(lkinds))] : kinds[pick(&g, N(kinds))]);
        snprintf(w->name, sizeof w->name, "Poste %s", who);
        snprintf(w->serial, sizeof w->serial, "%s%08u", laptop ? "CN" : "SG",
                 (unsigned)(next(&g) % 100000000));
        static const char *const vendors[] = {"Dell", "HP", "Lenovo"};
        static const char *const desk[] = {"OptiPlex 7010", "EliteDesk 800 G9",
                                           "ThinkCentre M90q Gen 4"};
        static const char *const lap[] = {"Latitude 5440", "EliteBook 840 G10",
                                          "ThinkPad T14 Gen 4"};
        unsigned v = pick(&g, N(vendors));
        snprintf(w->vendor, sizeof w->vendor, "%s", vendors[v]);
        snprintf(w->model, sizeof w->model, "%s", laptop ? lap[v] : desk[v]);
        snprintf(w->os, sizeof w->os, "%s",
                 pick(&g, 4) ? "Windows 11 Pro 23H2" : "Windows 10 Pro 22H2");
        snprintf(w->location, sizeof w->location, "%s",
                 laptop ? "nomade" : sites[pick(&g, N(sites))]);
        snprintf(w->owner, sizeof w->owner, "%s", who);
        if (!laptop)
            snprintf(w->ip, sizeof w->ip, "10.%u.%u.%u", 20 + pick(&g, 8), net, host);
        break;
    }
    case C_SRV: {
        static const char *const kinds[] = {"server", "serveur", "VM", "Machine virtuelle"};
        static const char *const roles[] = {"Contrôleur de domaine", "Serveur de fichiers",
                                            "Serveur applicatif (Abacus, Sage)",
                                            "Serveur de sauvegarde", "Serveur d'impression",
                                            "Serveur Exchange hybride", "Hyperviseur"};
        snprintf(w->tag, sizeof w->tag, "SRV-%07u", n7);
        snprintf(w->kind, sizeof w->kind, "%s", kinds[pick(&g, N(kinds))]);
        snprintf(w->name, sizeof w->name, "%s", roles[pick(&g, N(roles))]);
        snprintf(w->serial, sizeof w->serial, "CZ%08u", (unsigned)(next(&g) % 100000000));
        static const char *const models[] = {"ProLiant DL360 Gen10", "ProLiant DL380 Gen10",
                                             "PowerEdge R650", "RS1221+"};
        unsigned m = pick(&g, N(models));
        snprintf(w->vendor, sizeof w->vendor, "%s", m < 2 ? "HPE" : m == 2 ? "Dell" : "Synology");
        snprintf(w->model, sizeof w->model, "%s", models[m]);
        static const char *const oses[] = {"Windows Server 2022 Standard",
                                           "Windows Server 2019 Standard",
                                           "Ubuntu Server 22.04 LTS", "Debian 12 (bookworm)"};
        snprintf(w->os, sizeof w->os, "%s", oses[pick(&g, N(oses))]);
        snprintf(w->location, sizeof w->location, "%s", server_rooms[pick(&g, N(server_rooms))]);
        snprintf(w->owner, sizeof w->owner, "IT");
        snprintf(w->ip, sizeof w->ip, "10.20.%u.%u", pick(&g, 4), host);
        break;
    }
    case C_OS: {
        static const char *const names[] = {"Windows Server 2022 Standard",
                                            "Windows 11 Pro (parc postes)",
                                            "Red Hat Enterprise Linux 9"};
        snprintf(w->tag, sizeof w->tag, "OS-%07u", n7);
        snprintf(w->kind, sizeof w->kind, "%s", pick(&g, 3) ? "os" : "système d'exploitation");
        unsigned k = pick(&g, N(names));
        snprintf(w->name, sizeof w->name, "%s", names[k]);
        snprintf(w->vendor, sizeof w->vendor, "%s", k < 2 ? "Microsoft" : "Red Hat");
        snprintf(w->owner, sizeof w->owner, "IT");
        snprintf(w->notes, sizeof w->notes, "licences: %u x 16 cœurs", 1 + pick(&g, 8));
        break;
    }
    case C_SW: {
        static const char *const names[] = {"Abacus ERP (comptabilité, salaires)",
                                            "Sage 50 (ancienne compta, consultation)",
                                            "Microsoft 365 Business Premium",
                                            "ESET PROTECT Entry", "Veeam Backup & Replication",
                                            "AutoCAD LT 2024"};
        static const char *const vendors[] = {"Abacus Research AG", "Sage", "Microsoft",
                                              "ESET", "Veeam", "Autodesk"};
        static const char *const kinds[] = {"software", "logiciel", "application", "licence"};
        snprintf(w->tag, sizeof w->tag, "SW-%07u", n7);
        snprintf(w->kind, sizeof w->kind, "%s", kinds[pick(&g, N(kinds))]);
        unsigned k = pick(&g, N(names));
        snprintf(w->name, sizeof w->name, "%s", names[k]);
        snprintf(w->vendor, sizeof w->vendor, "%s", vendors[k]);
        snprintf(w->model, sizeof w->model, "v%u", 2020 + pick(&g, 5));
        snprintf(w->location, sizeof w->location, "%s", pick(&g, 2) ? "cloud" : "SRV-APP01");
        snprintf(w->owner, sizeof w->owner, "%s", departments[pick(&g, N(departments))]);
        snprintf(w->notes, sizeof w->notes, "%u utilisateurs nommés", 5 + pick(&g, 200));
        break;
    }
    case C_NET: {
        static const struct {
            const char *kind, *name, *vendor, *model;
        } gear[] = {
            {"pare-feu", "Pare-feu principal", "Fortinet", "FortiGate 60F"},
            {"firewall", "Pare-feu succursale", "Fortinet", "FortiGate 40F"},
            {"switch", "Switch cœur 48 ports", "HPE Aruba", "2930F-48G"},
            {"switch", "Switch étage", "HPE Aruba", "2930F-24G"},
            {"commutateur", "Switch accès", "Cisco", "Catalyst 9200L"},
            {"wifi", "Borne Wi-Fi réception", "HPE Aruba", "AP-505"},
            {"Borne WiFi", "Borne Wi-Fi salle de conférence", "Ubiquiti", "U6-Pro"},
            {"routeur", "Routeur fibre Swisscom", "Swisscom", "Business Internet Box"},
        };
        unsigned k = pick(&g, N(gear));
        snprintf(w->tag, sizeof w->tag, "NET-%07u", n7);
        snprintf(w->kind, sizeof w->kind, "%s", gear[k].kind);
        snprintf(w->name, sizeof w->name, "%s", gear[k].name);
        snprintf(w->serial, sizeof w->serial, "FGT%010u", (unsigned)(next(&g) % 1000000000));
        snprintf(w->vendor, sizeof w->vendor, "%s", gear[k].vendor);
        snprintf(w->model, sizeof w->model, "%s", gear[k].model);
        if (k < 2)
            snprintf(w->os, sizeof w->os, "FortiOS 7.%u", pick(&g, 5));
        snprintf(w->location, sizeof w->location, "%s", sites[pick(&g, N(sites))]);
        snprintf(w->owner, sizeof w->owner, "IT");
        snprintf(w->ip, sizeof w->ip, "10.20.0.%u", host);
        if (k == 7)
            snprintf(w->notes, sizeof w->notes, "contrat Swisscom n° 4-%07u",
                     (unsigned)(next(&g) % 10000000));
        break;
    }
    case C_PRN: {
        static const char *const kinds[] = {"imprimante", "printer", "multifonction", "copieur"};
        snprintf(w->tag, sizeof w->tag, "PRN-%07u", n7);
        snprintf(w->kind, sizeof w->kind, "%s", kinds[pick(&g, N(kinds))]);
        unsigned floor = 1 + pick(&g, 5);
        snprintf(w->name, sizeof w->name, "Multifonction %u%s étage", floor,
                 floor == 1 ? "er" : "e");
        snprintf(w->serial, sizeof w->serial, "XK%08u", (unsigned)(next(&g) % 100000000));
        snprintf(w->vendor, sizeof w->vendor, "%s", pick(&g, 2) ? "Canon" : "Brother");
        snprintf(w->model, sizeof w->model, "%s",
                 w->vendor[0] == 'C' ? "imageRUNNER ADVANCE C3826i" : "QL-820NWB");
        snprintf(w->location, sizeof w->location, "%s", sites[pick(&g, N(sites))]);
        snprintf(w->ip, sizeof w->ip, "10.%u.%u.50", 20 + pick(&g, 8), net);
        break;
    }
    default: {
        snprintf(w->tag, sizeof w->tag, "VPN-%07u", n7);
        snprintf(w->kind, sizeof w->kind, "%s", pick(&g, 3) ? "accès VPN" : "VPN");
        snprintf(w->name, sizeof w->name, "Accès VPN %s", who);
        snprintf(w->vendor, sizeof w->vendor, "Fortinet");
        snprintf(w->model, sizeof w->model, "FortiClient");
        snprintf(w->location, sizeof w->location, "NET-FW01");
        snprintf(w->owner, sizeof w->owner, "%s", who);
        snprintf(w->notes, sizeof w->notes, "SSL-VPN, MFA FortiToken");
        break;
    }
    }
    /* Notes on some workstations and servers: quotes, commas, two lines. */
    if ((cat == C_WS || cat == C_SRV) && pick(&g, 12) == 0) {
        static const char *const notes[] = {
            "Écran 27\" additionnel, station d'accueil WD19",
            "Poste partagé, accueil\nouvert 7h30-18h",
            "garantie étendue jusqu'au 31.12.2027",
            "remplacement prévu T3; données migrées \"à froid\"",
            "clavier suisse romand (CH-FR), souris ergonomique",
        };
        snprintf(w->notes, sizeof w->notes, "%s", notes[pick(&g, N(notes))]);
    }
    /* Serials are unique across the fleet (import refuses a serial carried by
     * two items): the letters chosen above, then the row number. */
    size_t letters = strspn(w->serial, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    if (w->serial[0])
        snprintf(w->serial + letters, sizeof w->serial - letters, "%08llu",
                 (unsigned long long)(i + 1));
    /* What a later export says about the same item. */
    if (variant) {
        rng h = {g.s ^ (uint64_t)variant * 0xA0761D6478BD642FULL};
        switch (pick(&h, 3)) {
        case 0:
            if (w->owner[0] && strcmp(w->owner, "IT")) {
                person(&h, w->owner, sizeof w->owner);
                break;
            }
            /* fall through */
        case 1:
            snprintf(w->ip, sizeof w->ip, "10.%u.%u.%u", 30 + variant % 200, 1 + pick(&h, 250),
                     1 + pick(&h, 253));
            break;
        default:
            snprintf(w->location, sizeof w->location, "%s", sites[pick(&h, N(sites))]);
            snprintf(w->notes, sizeof w->notes, "déménagé (révision %u), inventaire \"%s\"",
                     variant, w->tag);
            break;
        }
    }
}

/* RFC 4180: quoted when it holds a comma, a quote or a line break. */
static void cell(FILE *f, const char *s, int last)
{
    if (strpbrk(s, ",\"\n\r")) {
        putc('"', f);
        for (; *s; s++) {
            if (*s == '"')
                putc('"', f);
            putc(*s, f);
        }
        putc('"', f);
    } else {
        fputs(s, f);
    }
    putc(last ? '\n' : ',', f);
}

static void emit(FILE *f, const row *w)
{
    cell(f, w->tag, 0);
    cell(f, w->kind, 0);
    cell(f, w->name, 0);
    cell(f, w->serial, 0);
    cell(f, w->vendor, 0);
    cell(f, w->model, 0);
    cell(f, w->os, 0);
    cell(f, w->location, 0);
    cell(f, w->owner, 0);
    cell(f, w->ip, 0);
    cell(f, w->notes, 1);
}

static int usage(void)
{
    fputs("usage: genfleet [-s SEED] [-d DELTA [-m ROWS_IN_DELTA]] ROWS\n", stderr);
    return 2;
}

static int number(const char *s, uint64_t *out)
{
    char *end;
    if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 18)
        return -1;
    *out = strtoull(s, &end, 10);
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t seed = 1, delta = 0, m = 50, rows;
    int c;
    while ((c = getopt(argc, argv, "s:d:m:")) != -1) {
        uint64_t *dst = c == 's' ? &seed : c == 'd' ? &delta : c == 'm' ? &m : NULL;
        if (!dst || number(optarg, dst))
            return usage();
    }
    if (optind + 1 != argc || number(argv[optind], &rows) || rows == 0 || rows > 9999999 ||
        (delta && (m == 0 || m > rows || rows + delta * m > 9999999)))
        return usage();
    static char obuf[1 << 16];
    setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
    fputs("asset_tag,kind,name,serial,vendor,model,os,location,owner,ip,notes\n", stdout);
    row w;
    if (!delta) {
        for (uint64_t i = 0; i < rows; i++) {
            make_row(seed, i, 0, &w);
            emit(stdout, &w);
        }
    } else {
        /* Existing rows: i = (delta * 7919 + j * 9973) mod rows visits
         * distinct rows for j < rows whenever 9973 (a prime) does not
         * divide rows; otherwise step by 9967. */
        uint64_t step = rows % 9973 ? 9973 : 9967, added = m / 5, changed = m - added;
        for (uint64_t j = 0; j < changed; j++) {
            uint64_t i = (delta * 7919 + j * step) % rows;
            make_row(seed, i, (unsigned)delta, &w);
            emit(stdout, &w);
        }
        for (uint64_t j = 0; j < added; j++) {
            make_row(seed, rows + (delta - 1) * m + j, 0, &w);
            emit(stdout, &w);
        }
    }
    if (fflush(stdout) != 0 || ferror(stdout)) {
        perror("genfleet: write");
        return 1;
    }
    return 0;
}
