/*
 * commands.c - the command table (name, synopsis, help, function), help and
 * usage texts; main.c parses the global options and dispatches through it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int cmd_keygen(int, char **, cli_ctx *);
int cmd_init(int, char **, cli_ctx *);
int cmd_add(int, char **, cli_ctx *);
int cmd_edit(int, char **, cli_ctx *);
int cmd_remove(int, char **, cli_ctx *);
int cmd_reset(int, char **, cli_ctx *);
int cmd_service(int, char **, cli_ctx *);
int cmd_exclusion(int, char **, cli_ctx *);
int cmd_sla(int, char **, cli_ctx *);
int cmd_coverage(int, char **, cli_ctx *);
int cmd_status(int, char **, cli_ctx *);
int cmd_commit(int, char **, cli_ctx *);
int cmd_log(int, char **, cli_ctx *);
int cmd_show(int, char **, cli_ctx *);
int cmd_diff(int, char **, cli_ctx *);
int cmd_verify(int, char **, cli_ctx *);
int cmd_import(int, char **, cli_ctx *);
int cmd_export_csv(int, char **, cli_ctx *);
int cmd_at(int, char **, cli_ctx *);
int cmd_history(int, char **, cli_ctx *);
int cmd_evidence(int, char **, cli_ctx *);
int cmd_prove(int, char **, cli_ctx *);
int cmd_report(int, char **, cli_ctx *);
int cmd_sign(int, char **, cli_ctx *);
int cmd_export(int, char **, cli_ctx *);
int cmd_cosign(int, char **, cli_ctx *);
int cmd_attach(int, char **, cli_ctx *);
int cmd_rekey(int, char **, cli_ctx *);
int cmd_lang(int, char **, cli_ctx *);
int cmd_help(int, char **, cli_ctx *);

/* In a command's help, where cli_help lists the kinds and some of their
 * aliases, one line each, from the library's kinds table. */
#define KINDS_MARK "@kinds@"

#define EXIT_CODES                                                                           \
    "Exit codes: 0 success or yes; 1 verification failed or a negative answer;\n"            \
    "2 usage or input error (nothing was changed); 3 I/O or internal error.\n"

const cli_command cli_commands[] = {
    {"keygen", cmd_keygen,
     "keygen -o NAME [--unencrypted | --kdf interactive|sensitive] [--force] "
     "[--passphrase-file F]",
     "Writes NAME.pub and NAME.key (mode 0600) in minisign's formats. The secret key is\n"
     "encrypted with a passphrase (asked twice on the terminal, or read from\n"
     "--passphrase-file or $SCOPEREG_PASSPHRASE) unless --unencrypted, through scrypt\n"
     "at minisign's cost: 1 GiB of memory and some seconds at every signature.\n"
     "--kdf interactive takes 16 MiB and a few hundredths of a second instead, for a\n"
     "machine that cannot spare 1 GiB or a demonstration: a stolen key file is then\n"
     "some 64 times cheaper to attack by guessing passphrases (--kdf sensitive names\n"
     "the default). minisign reads both.\n\n"
     "Example:\n  scopereg keygen -o provider\n"},
    {"init", cmd_init,
     "init --contract REF --provider NAME --provider-key P.pub --client NAME --client-key C.pub "
     "[--lang fr|de|it|en]",
     "Creates a new register (refuses to overwrite an existing file) for one contract,\n"
     "with a random register id and the two parties' minisign public keys. --lang\n"
     "records the contract's language (default en; see 'scopereg help lang').\n\n"
     "Example:\n  scopereg -R acme.db init --contract ACME-2026-01 --provider 'Helvetia IT SA' \\\n"
     "      --provider-key provider.pub --client 'ACME SA' --client-key client.pub\n"},
    {"add", cmd_add,
     "add ID --kind KIND [--name TEXT] [--set KEY=VALUE]... [--service S[,S]...] [--sla CLASS]",
     "Stages a new item. KIND is one of these kinds, or an alias of one in English,\n"
     "French or German (any case, accents optional, plurals too):\n" KINDS_MARK "\n"
     "--service and --sla give the item its own coverage (services of 'scopereg\n"
     "service', a class of 'scopereg sla'); without them it has its kind's default\n"
     "('scopereg coverage').\n\n"
     "Example:\n  scopereg add SRV-01 --kind server --name 'File server' --set os='Windows Server 2022'\n"},
    {"edit", cmd_edit,
     "edit ID [--kind KIND] [--name TEXT] [--set KEY=VALUE]... [--unset KEY]... "
     "[--service S[,S]...|none|default] [--sla CLASS|none|default]",
     "Stages a change of an item in scope (or of a staged addition). --service and\n"
     "--sla set its own coverage; none: no service (no class); default: its kind's\n"
     "default again.\n\n"
     "Example:\n  scopereg edit SRV-01 --set ip=10.0.0.12 --unset notes\n"},
    {"remove", cmd_remove, "remove ID --reason TEXT",
     "Stages the withdrawal of an item from the scope, with the reason written into\n"
     "the next scope document.\n\n"
     "Example:\n  scopereg remove WS-007 --reason 'laptop stolen, police report 2026-0042'\n"},
    {"service", cmd_service,
     "service add|edit ID [--name TEXT] [--description TEXT] | service remove ID --reason TEXT",
     "Stages a service of the functional scope (what the contract covers: backup,\n"
     "monitoring, user support...). ID: 1 to 32 of a-z 0-9 _ -. A service still used\n"
     "by an item or a kind's default cannot be removed.\n\n"
     "Example:\n  scopereg service add backup --name 'Daily backup' --description 'Off-site, 30 days'\n"},
    {"exclusion", cmd_exclusion, "exclusion add TEXT | exclusion remove TEXT --reason TEXT",
     "Stages an exclusion: what the contract does not cover, one line of text.\n\n"
     "Example:\n  scopereg exclusion add 'Hardware supply'\n"},
    {"sla", cmd_sla,
     "sla add|edit CLASS [--name TEXT] [--hours TEXT] [--availability PCT] "
     "[--response LEVEL=DURATION]... [--resolution LEVEL=DURATION]... | "
     "sla remove CLASS --reason TEXT",
     "Stages a service-level class. LEVEL: critical, major, minor, improvement\n"
     "(French critique, majeur, mineur, amélioration; German kritisch, hoch, mittel,\n"
     "niedrig). DURATION: a whole number and min, h or d (30min, 4h, 2d), or none to\n"
     "clear it. PCT: 0 to 100, at most 3 decimals (99.9). An empty --hours or\n"
     "--availability clears it. A class still used cannot be removed.\n\n"
     "Example:\n  scopereg sla add gold --name Gold --hours 24/7 --availability 99.9 \\\n"
     "      --response critical=1h --resolution critical=4h\n"},
    {"coverage", cmd_coverage, "coverage --kind KIND [--service S[,S]...|none] [--sla CLASS|none]",
     "Stages the default coverage of a kind: the services and the class every item\n"
     "of that kind takes unless it has its own (add or edit --service, --sla).\n\n"
     "Example:\n  scopereg coverage --kind server --service backup,monitoring --sla gold\n"},
    {"reset", cmd_reset, "reset [ID]",
     "Drops the staged change of ID, or every staged change.\n\n"
     "Example:\n  scopereg reset WS-007\n"},
    {"import", cmd_import,
     "import FILE.csv [--source NAME] [--map 'HEADER=FIELD']... [--map-kind 'VALUE=KIND']...\n"
     "                         [--kind KIND] [--fill-down HEADER]... [--where 'HEADER=VALUE']...\n"
     "                         [--header-row N] [--delimiter C] [--encoding utf-8|windows-1252|latin1]\n"
     "                         [--sync [--reason TEXT]] [--allow-duplicates] [--dry-run [-v]]\n"
     "                         [--profile NAME] [--save-profile NAME]\n"
     "                         [--commit -m MESSAGE [--author NAME]]\n"
     "       scopereg import --list-profiles",
     "Stages a fleet from a CSV file, all or nothing: new ids are added, rows that\n"
     "differ are edited (columns absent from the file leave the item alone; an empty\n"
     "cell removes that attribute), equal rows are left alone. Headers are matched\n"
     "in English, French and German and in GLPI, Snipe-IT, NetBox, Lansweeper, Ralph\n"
     "and Shelf vocabulary; --map 'HEADER=FIELD' overrides (FIELD id, kind, name, an\n"
     "attribute key, or - to ignore; HEADER may be #N, the Nth column, which turns\n"
     "the header search off; --fill-down takes #N too). The delimiter is sniffed\n"
     "among , ; and tab; a BOM is skipped; --encoding converts Windows-1252 or\n"
     "Latin-1 exports. A UTF-8 file read as windows-1252 or latin1, a file mixing\n"
     "two encodings, or an Excel or LibreOffice workbook renamed .csv is refused\n"
     "naming the line and the fix.\n\n"
     "The header row is found by itself: title and blank rows above it are skipped\n"
     "(the output says which lines); --header-row N names it. Rows whose first cell\n"
     "or id is 'Total' (Sous-total, Somme...) are skipped and counted.\n"
     "Kinds: GLPI types, Snipe-IT categories, NetBox roles and Lansweeper asset\n"
     "types map by themselves; --map-kind 'VALUE=KIND' maps others (NetBox's 'Type'\n"
     "is a model). An empty kind cell is refused (a merged cell?): --fill-down HEADER\n"
     "fills empty cells of that column from the row above.\n"
     "--where 'HEADER=VALUE' / 'HEADER!=VALUE' keeps only the rows where every\n"
     "condition holds (case, accents and punctuation ignored).\n"
     "A serial number on two items, or ids equal but for case, are refused naming\n"
     "both, unless --allow-duplicates.\n"
     "Columns Services (Prestations, Leistungen...) and SLA (Niveau de service,\n"
     "Servicelevel...) give an item its own coverage: service ids separated by , ; |\n"
     "or line breaks, a class id, or none (a trailing \"(own)\" is allowed); an empty\n"
     "cell or \"... (kind default)\" means the kind's default. Every service and class\n"
     "must be defined first (service add, sla add).\n\n"
     "--source NAME records where the file comes from (glpi, excel...). --sync stages\n"
     "the removal of the items of that source that the file lacks; items of other\n"
     "sources or added by hand are never touched. --sync without --source is refused\n"
     "on a register that holds items from named sources or added by hand. --sync\n"
     "with a file that keeps no row (a header alone, or a --where no row meets) is\n"
     "refused: it would withdraw every item.\n"
     "--dry-run prints what would change (additions with kind and name, -v their\n"
     "fields; modifications that only change spelling grouped) and writes nothing.\n"
     "--save-profile NAME stores this import's options in the register (with the\n"
     "import; not --dry-run, -v, --commit, -m, --author); --profile NAME reuses\n"
     "them, options given beside it override (both together: a copy, amended).\n"
     "--commit -m MESSAGE commits everything staged, what the import stages and any\n"
     "change staged before it (the output says how many), in the same transaction\n"
     "(as commit does; nothing is written if either refuses); into an empty register\n"
     "with nothing staged the rows go straight to version 1, with the same document\n"
     "as import + commit.\n"
     "Long forms: --verbose or --long for -v, --message for -m.\n\n"
     "Examples:\n  scopereg import glpi-export.csv --source glpi --where 'Statut!=En stock' --dry-run\n"
     "  scopereg import parc.csv --encoding windows-1252 --source excel --fill-down Type \\\n"
     "      --save-profile excel\n"
     "  scopereg import parc-2026-06.csv --profile excel --sync --dry-run\n"
     "  scopereg import netbox.csv --source netbox --map 'Name=id' --map-kind 'Camera=other'\n"},
    {"export-csv", cmd_export_csv, "export-csv [VERSION] [-o FILE] [--excel | --json] [--force]",
     "Writes a version's items (default: the latest) as CSV: UTF-8, RFC 4180, header\n"
     "id,kind,name then every attribute key; a version with services has the\n"
     "columns services and sla after name (an inherited part followed by\n"
     "\" (kind default)\"; importing the file back gives the same own coverage).\n"
     "--excel writes ';', a BOM and CRLF, and puts ' before = + - @ or TAB at the\n"
     "start of a cell or after a comma or line break in it, so spreadsheets never\n"
     "run them (import drops that ' again).\n"
     "--json writes an array of {id, kind, name, attributes}, and coverage for a\n"
     "version with services (docs/JSON.md).\n"
     "-o FILE (--output FILE) refuses an existing FILE; --force replaces it when it\n"
     "is a regular file, once the new one is written whole.\n\n"
     "Example:\n  scopereg export-csv 3 -o acme-v3.csv --excel\n"},
    {"status", cmd_status, "status [--json | -v | --long]",
     "Lists the staged changes that the next commit will turn into a version: key\n"
     "replacements staged with rekey ('key ROLE: OLD -> NEW'), then item changes:\n"
     "each addition with its kind and name (-v, --long: and its fields), and the\n"
     "number of additions per kind.\n"
     "--json writes them as one JSON object (docs/JSON.md).\n\n"
     "Example:\n  scopereg status\n"},
    {"commit", cmd_commit,
     "commit -m MESSAGE [--author NAME] [--sign --key K.key [--passphrase-file F]]",
     "Turns the staged changes into a new, numbered, immutable version. The author\n"
     "defaults to $SCOPEREG_AUTHOR, then the login name; the date is the clock or\n"
     "$SCOPEREG_NOW.\n"
     "--sign --key K.key: the key's party signs the new version in the same command,\n"
     "as 'sign' would, from the commit's own rendering of the document (one rendering\n"
     "instead of two). The key is loaded and checked before anything is written; the\n"
     "version and its signatures are stored in one transaction, or none of them.\n\n"
     "Example:\n  scopereg commit -m 'Initial inventory' --author 'J. Muller'\n"
     "  scopereg commit -m 'PC-007 stolen' --sign --key provider.key\n"},
    {"log", cmd_log, "log [--json]",
     "Lists the versions, newest first, with date, author, item count, message,\n"
     "document hash and signature state (proposed, signed by provider, signed by\n"
     "client, agreed) with the dates of the signatures, from the stored rows.\n"
     "--json writes them as one JSON object (docs/JSON.md).\n\n"
     "Example:\n  scopereg log\n  scopereg log --json\n"},
    {"show", cmd_show, "show [VERSION] [--json]",
     "Prints the scope document of a version (default: the latest): exactly the\n"
     "bytes that the parties sign. VERSION is a number, 'latest' or a date.\n"
     "--json writes the version's header fields, status, signatures, changes and\n"
     "items as one JSON object instead (docs/JSON.md); the document stays the default.\n\n"
     "Example:\n  scopereg show 3 > acme-v3.scope\n"},
    {"diff", cmd_diff, "diff A B",
     "Lists what changed from version A to version B (numbers or dates): first the\n"
     "parties' keys that differ ('key ROLE: OLD -> NEW', the key in force at A and\n"
     "at B), then the items added, modified and removed.\n\n"
     "Example:\n  scopereg diff 1 3\n  scopereg diff 2026-01-31 2026-06-30\n"},
    {"verify", cmd_verify, "verify [--documents DIR | --proof DIR] [--json]",
     "Re-renders every version, recomputes every hash, checks the chain, the stored\n"
     "rows and every stored signature; one line per version: agreed (both parties'\n"
     "signatures, with their dates), pending, or BROKEN with the reason. With\n"
     "--documents DIR, no register: checks the exported *.scope documents of DIR,\n"
     "the .minisig files beside them against the .pub files of DIR, and the chain of\n"
     "previous: hashes between them. --json writes one JSON object (docs/JSON.md).\n"
     "Exit 0 only when nothing is broken.\n\n"
     "With --proof DIR, no register: checks a folder written by prove (docs/FORMAT.md)\n"
     "and says whether the item was in scope; exit 0 yes, 1 no or it does not hold\n"
     "(naming the file and line), 2 not a proof folder.\n\n"
     "Example:\n  scopereg verify\n  scopereg verify --documents received/ --json\n"
     "  scopereg verify --proof proof-srv01/\n"},
    {"at", cmd_at, "at DATE [ID [--service S]] [--documents DIR] [--json]",
     "Says which version was in force at DATE: the highest-numbered version agreed\n"
     "(signed by both parties) at or before DATE, a version being agreed at the later\n"
     "of its two signatures' timestamps. Checks that version's stored signatures\n"
     "against the re-rendered document, and prints its date, signers and hash. With\n"
     "ID, says whether that item was in it and prints it as signed. DATE is\n"
     "YYYY-MM-DD (the end of that day, 23:59:59 UTC) or RFC 3339.\n"
     "Exit 0: a version was in force (and ID was in it); 1: none was, ID was not in\n"
     "it, or a signature does not hold.\n"
     "--service S: whether ID was covered for service S then (exit 0 covered, 1 not),\n"
     "with its service level: the class's hours, availability and, per incident\n"
     "level, the times to respond and to resolve.\n"
     "--documents DIR answers with no register, from a folder of exported documents,\n"
     "their .minisig files and the parties' .pub files (the client's archive, an\n"
     "evidence folder), checked as 'verify --documents' checks it: the same answer,\n"
     "output and exit codes. A document that does not hold, or a version the folder\n"
     "lacks, that the answer must rely on gives no answer (exit 1); a folder with no\n"
     "document, exit 2.\n\n"
     "Examples:\n  scopereg at 2026-03-31\n  scopereg at 2026-03-31T14:00:00+01:00 SRV-01\n"
     "  scopereg at 2026-03-31 SRV-01 --documents archive/\n"},
    {"history", cmd_history, "history ID [--documents DIR] [--json]",
     "Lists every version where the item was added, modified (field: old -> new) or\n"
     "removed (with the reason), with the version's date and status and who signed\n"
     "it when, each stored signature checked. Exit 1 when the id was never in a\n"
     "version, or when a signature does not hold.\n"
     "--documents DIR answers with no register, from a folder of exported documents\n"
     "and signature files, checked as 'verify --documents' checks it; exit 1 also\n"
     "when the folder lacks a version or holds one that does not hold.\n\n"
     "Examples:\n  scopereg history PC-007\n  scopereg history PC-007 --documents archive/\n"},
    {"evidence", cmd_evidence, "evidence [ID] [--at DATE] -o DIR [--force] [--lang fr|de|it|en]",
     "Writes a self-contained folder for a third party: the scope documents of the\n"
     "version in force at DATE (default: now; the latest version agreed by both\n"
     "parties by then) and of every version before it, so the previous: links can be\n"
     "followed to version 1; their signatures; the parties' public keys (a key\n"
     "replaced on the way under <ref>.ROLE.KEYID.pub); and VERIFY.txt, which says in\n"
     "the contract's language (or --lang's) what was asked and the answer (with ID:\n"
     "whether the item was in that version, with its fields as signed), the minisign,\n"
     "b2sum and coreutils commands that check every signature, document, key id and\n"
     "link, and the BLAKE2b-256 of every file.\n"
     "Every version is re-rendered and its signatures checked first: a register that\n"
     "does not hold gives no evidence. DIR must be new or empty (unless --force) and\n"
     "not a symbolic link; nothing is written on any error. DATE is YYYY-MM-DD (the\n"
     "end of that day, UTC) or RFC 3339. Exit 0 when written; 1 when no version was\n"
     "agreed by DATE (nothing written), or when ID was not in the version in force\n"
     "(the folder is written: it proves the negative answer).\n\n"
     "Example:\n  scopereg evidence SRV-01 --at 2026-03-14 -o evidence-srv01/\n"
     "  cd evidence-srv01 && scopereg verify --documents .\n"},
    {"prove", cmd_prove, "prove ID [--at DATE] -o DIR [--force] [--lang fr|de|it|en]",
     "Writes the smallest folder that proves whether ID was in the scope in force at\n"
     "DATE (default: now), without the rest of the scope: proof.txt (the version in\n"
     "force, each leaf's index, hash and RFC 9162 audit path); in scope, item.txt,\n"
     "the item's block; not in scope, before.txt and after.txt, the blocks of the\n"
     "items next to ID in id order (one at an edge), disclosed in full; the\n"
     "checkpoints of versions 1 to the latest agreed, with both parties' signatures;\n"
     "the parties' public keys; and VERIFY.txt, every check as a minisign or\n"
     "coreutils command with what it must print, in the contract's language (or\n"
     "--lang's). Every version up to DATE whose document was agreed needs a\n"
     "checkpoint agreed by both parties ('sign N' and 'cosign' give one).\n"
     "DIR must be new or empty (unless --force); nothing is written on any error.\n"
     "Exit 0 when ID was in scope; 1 when it was not (the folder proves it) or when\n"
     "nothing can be proved (nothing written).\n\n"
     "Example:\n  scopereg prove SRV-01 --at 2026-03-14 -o proof-srv01/\n"
     "  scopereg verify --proof proof-srv01/\n"},
    {"report", cmd_report, "report [VERSION] --html [--lang fr|de|it|en] -o FILE [--force]",
     "Writes a version (default: the latest) as one self-contained HTML page to print\n"
     "as the contract annex (A4): parties and key ids, status and signature dates,\n"
     "counts per kind, items grouped by kind, changes since the previous version, the\n"
     "document's hash and how to verify it with minisign and b2sum. Refuses a version\n"
     "that does not re-render to its hash or whose signatures do not hold. Never\n"
     "overwrites FILE without --force, never writes through a symbolic link;\n"
     "-o - writes to standard output. The page is in the contract's language\n"
     "(init --lang) or --lang's, in French, German, Italian or English, with\n"
     "Swiss dates (Europe/Zurich) and a signature block for each party.\n\n"
     "Example:\n  scopereg report 3 --html -o acme-annex-v3.html\n"
     "  scopereg report 3 --html --lang fr -o annexe-v3.html\n"},
    {"sign", cmd_sign, "sign [VERSION] --key K.key [--passphrase-file F]",
     "Signs the scope document of a version (default: the latest) with the secret key\n"
     "of the provider or the client (minisign prehashed Ed25519); the party is the\n"
     "one whose key it is. The trusted comment names the register, the version, the\n"
     "role and the document hash. The passphrase of an encrypted key comes from\n"
     "--passphrase-file, $SCOPEREG_PASSPHRASE or the terminal.\n\n"
     "Example:\n  scopereg sign 3 --key provider.key\n"},
    {"export", cmd_export, "export [VERSION] -o DIR [--force]",
     "Writes DIR/<ref>-vN.scope (the exact document bytes), the signatures present\n"
     "(<ref>-vN.provider.minisig, <ref>-vN.client.minisig) and the parties' public\n"
     "keys in force (<ref>.provider.pub, <ref>.client.pub), for the other party or a\n"
     "third party; from version 2 on, version N-1's document and signatures too, so\n"
     "that cosign can check that N is N-1 with N's changes. <ref> is the contract\n"
     "reference made safe for a file name. Existing files with other bytes are\n"
     "refused unless --force, which replaces regular files only.\n\n"
     "Example:\n  scopereg export 3 -o to-client/\n"},
    {"cosign", cmd_cosign,
     "cosign FILE.scope --key K.key [--previous-key OLD.key] [-o SIG] "
     "[--passphrase-file F] [--force] [--without-previous] [--lang fr|de|it|en]",
     "No register needed: reads an exported document, checks the signatures lying\n"
     "beside it against the .pub files of its directory, shows what the version\n"
     "changes and how many items it holds, then signs it with your key (the client's\n"
     "or the provider's key that the document names) and writes\n"
     "<ref>-vN.client.minisig (or SIG) to send back.\n"
     "From version 2 on, version N-1 (<ref>-v(N-1).scope and its signatures, as\n"
     "export ships them) must lie beside it: it must carry your own signature (by\n"
     "the key you sign with) and version N must be version N-1 with N's changes;\n"
     "anything else is refused (exit 1). When version N replaces your key, sign\n"
     "with both: --key NEW.key --previous-key OLD.key (the new key alone is\n"
     "refused). Without version N-1 cosign refuses (exit 2) unless\n"
     "--without-previous, and then says what it could not check. Another version N\n"
     "of the register that you signed is refused; a version 1 of another register\n"
     "of the contract is reported as a fork (WARNING). Texts written by the\n"
     "provider are printed escaped.\n"
     "--force replaces SIG only when it is a regular file. The text is in --lang's\n"
     "language, else in the language of the messages (LANGUAGE, LC_ALL, LC_MESSAGES,\n"
     "LANG); the signature is the same in every language.\n\n"
     "Example:\n  scopereg cosign ACME-2026-01-v3.scope --key client.key\n"
     "  scopereg cosign ACME-2026-01-v4.scope --key new.key --previous-key old.key\n"},
    {"attach", cmd_attach, "attach FILE.minisig",
     "Stores a party's signature made elsewhere after checking it: the version comes\n"
     "from its trusted comment; it must be by that party's key, for this register\n"
     "and version, over the re-rendered document. Prints the version's new state.\n\n"
     "Example:\n  scopereg attach ACME-2026-01-v3.client.minisig\n"},
    {"rekey", cmd_rekey, "rekey [--role provider|client (--key NEW.pub | --cancel)]",
     "Stages the replacement of a party's key; the next commit makes it a version that\n"
     "names the new key and records 'key ROLE: OLD -> NEW' in its changes. That\n"
     "version is agreed once signed by the party's old key, its new key and the other\n"
     "party. Without options, lists the staged replacements.\n\n"
     "Example:\n  scopereg rekey --role client --key client-2027.pub\n"
     "  scopereg commit -m 'client key replaced'\n"},
    {"lang", cmd_lang, "lang [fr|de|it|en]",
     "Shows the contract's language, or sets it: the language of the annex (report),\n"
     "of VERIFY.txt (evidence) and of what people read around the documents. The\n"
     "scope documents, their hashes and signatures are the same in every language, so\n"
     "changing it makes no new version and needs no signature.\n\n"
     "Example:\n  scopereg lang fr\n"},
    {"help", cmd_help, "help [COMMAND]", "Shows the help of a command.\n"},
    {NULL, NULL, NULL, NULL},
};

const cli_command *cli_find(const char *name)
{
    for (const cli_command *c = cli_commands; c->name; c++)
        if (!strcmp(c->name, name))
            return c;
    return NULL;
}

int cli_usage(const char *name)
{
    const cli_command *c = cli_find(name);
    if (c)
        fprintf(stderr, _("usage: scopereg %s\n"), c->synopsis);
    return CLI_USAGE;
}

int cli_help(const char *name)
{
    const cli_command *c = cli_find(name);
    if (!c) {
        cli_error("unknown command '%s'; see 'scopereg --help'", name);
        return CLI_USAGE;
    }
    printf("usage: scopereg [-R FILE] %s\n\n", c->synopsis);
    const char *mark = strstr(c->help, KINDS_MARK);
    if (mark) {
        printf("%.*s", (int)(mark - c->help), c->help);
        const inv_kind *k;
        for (size_t i = 0; (k = inv_kind_at(i)) != NULL; i++)
            printf("  %-12s %s...\n", k->kind, k->shown);
        printf("%s\n%s", mark + strlen(KINDS_MARK), EXIT_CODES);
    } else {
        printf("%s\n%s", c->help, EXIT_CODES);
    }
    return CLI_OK;
}

void cli_usage_all(FILE *f)
{
    fprintf(f, "usage: scopereg [-R FILE] [--jobs N] COMMAND [ARGS]\n\n"
               "Keeps the signed technical scope of a managed-IT contract.\n"
               "The register is -R/--register FILE, else $SCOPEREG_REGISTER, else ./scope.db.\n"
               "--jobs N: threads hashing while a document is rendered (1: one thread; default\n"
               "2 when two processors are online, or $SCOPEREG_JOBS); results are the same.\n\n"
               "Commands:\n");
    for (const cli_command *c = cli_commands; c->name; c++)
        fprintf(f, "  %s\n", c->synopsis);
    fprintf(f, "\nRun 'scopereg help COMMAND' for the options and an example.\n"
               "$SCOPEREG_NOW (RFC 3339) replaces the clock everywhere.\n\n%s",
            EXIT_CODES);
}

int cmd_help(int argc, char **argv, cli_ctx *ctx)
{
    (void)ctx;
    if (argc < 2) {
        cli_usage_all(stdout);
        return CLI_OK;
    }
    return cli_help(argv[1]);
}
