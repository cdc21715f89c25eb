/* proof_txt.c - VERIFY.txt of a proof folder, its words from a table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "proof_txt.h"
#include "words.h"

/* The commands are the same in every language. */
#define CMD OUT_PROOF_CMD
#define OUT OUT_PROOF_OUT
#define CMD_MINISIGN CMD "minisign -Vm %1 -p %2 -x %3\n" OUT \
    "Signature and comment signature verified\n" OUT "Trusted comment: %4\n"
#define CMD_KEYID_TAIL " | base64 -d | od -An -tx8 -j2 -N8 --endian little | tr -d ' ' | tr a-f A-F\n"
#define SCOPEREG_CHECK "    scopereg verify --proof .\n"

const out_proof_words out_proof_en = {
    .title = "HOW TO CHECK THIS PROOF\n=======================\n\n",
    .contract = "Contract:  %1\n",
    .register_ = "Register:  %1\n",
    .made = "Made:      %1, by scopereg %2, from the contract's register\n\n",
    .intro =
        "This folder answers one question about one item of the scope of a managed-IT\n"
        "contract, and proves the answer without the rest of the scope. Each version of\n"
        "the scope is a list of items sorted by id; both parties signed, beside it, a\n"
        "short checkpoint holding the root of a Merkle tree over its items (RFC 9162,\n"
        "BLAKE2b-256). An item block and a few hashes of that tree lead to the root, and\n"
        "nothing else of the scope is needed for it.\n"
        "Everything can be checked with stock tools, without scopereg: minisign\n"
        "(https://jedisct1.github.io/minisign/) and GNU coreutils (basenc turns hashes\n"
        "written in hexadecimal back into bytes), in bash. Run each command from inside\n"
        "this folder: it follows a '$' below,\n"
        "and what it must print follows '>', line for line. Dates are in UTC.\n\n\n",
    .role = {"provider", "client"},
    .answer_title = "1. WHAT WAS ASKED, AND THE ANSWER\n\n",
    .asked = "Asked:  was the item \"%1\" in the scope agreed by both parties at %2?\n",
    .answer = "Answer: %1.\n\n",
    .yes = "YES",
    .no = "NO",
    .in_force = "The scope in force at %1 was version %2, the latest version whose\n"
                "document both parties had signed by then, as their signatures of its\n"
                "checkpoint state (document-signed:):\n",
    .signed_by = {"    signed by the provider   %1\n", "    signed by the client     %1\n"},
    .agreed = "    agreed                   %1\n\n",
    .lists_item = "Version %1 lists the item at position %2 of its sorted list, as follows\n"
                  "(item.txt), exactly as signed:\n\n",
    .between = "Version %1 lists %2 items, sorted by id (bytewise). \"%3\" is not one of\n"
               "them: the items at positions %4 and %5, next to each other, are the last\n"
               "before it and the first after it (before.txt and after.txt).\n\n",
    .before_first = "Version %1 lists %2 items, sorted by id (bytewise). \"%3\" is not one of\n"
                    "them: it sorts before the first one, at position 0 (after.txt).\n\n",
    .after_last = "Version %1 lists %2 items, sorted by id (bytewise). \"%3\" is not one of\n"
                  "them: it sorts after the last one, at position %4 (before.txt).\n\n",
    .empty = "Version %1 lists no item at all, so not \"%2\" either.\n\n",
    .later = "Version %1 was not in force then: %2.\n",
    .later_agreed = "both parties signed its document only at %1, as its checkpoint "
                    "signatures state",
    .later_not = "its checkpoint was not signed by both parties",
    .cannot_show =
        "\nWhat this folder cannot show by itself is that no version after version %2,\n"
        "the last it holds, had been agreed by %1: a version agreed after version %2\n"
        "but by %1 would change the answer, and the folder cannot exclude one. To\n"
        "settle it, ask the other party for the latest checkpoint it countersigned:\n"
        "the answer stands if that is version %2 or a version dated after %1.\n\n"
        "proof.txt and this text are not signed: whoever holds the folder can change\n"
        "them. Its at: line (the date asked, %1) and made: line (when the folder was\n"
        "made, %3) are claims, not evidence. What is signed are the checkpoints and\n"
        "their trusted comments, which the minisign commands of section 4 print:\n"
        "check there that both signatures of version %4 state a document-signed: date\n"
        "at or before %1, and that no later checkpoint has both parties' signatures\n"
        "stating one at or before %1. scopereg verify --proof refuses an at: later\n"
        "than made: or than its own clock.\n\n\n",
    .discloses_title = "2. WHAT THIS FOLDER DISCLOSES\n\n",
    .discloses_item = "The item asked about (item.txt), and no other item: the checkpoints hold\n"
                      "counts, dates and hashes, and the hashes of the audit path reveal\n"
                      "nothing of the items under them.\n\n\n",
    .discloses_two = "The two items next to the id asked about, in full (before.txt and\n"
                     "after.txt): a leaf of the tree is a whole item block, and their ids are\n"
                     "what shows that the id asked about falls between them. No other item:\n"
                     "the checkpoints hold counts, dates and hashes, and the hashes of the\n"
                     "audit paths reveal nothing of the items under them.\n\n\n",
    .discloses_one = "The one item next to the id asked about, in full (%1): a leaf of the tree\n"
                     "is a whole item block, and its id is what shows that the id asked about\n"
                     "sorts beyond it. No other item: the checkpoints hold counts, dates and\n"
                     "hashes, and the hashes of the audit path reveal nothing of the items\n"
                     "under them.\n\n\n",
    .discloses_none = "No item: the version lists none. The checkpoints hold counts, dates and\n"
                      "hashes.\n\n\n",
    .files_title = "3. THE FILES\n\n",
    .file_proof = "  proof.txt\n"
                  "      The question, the answer, the version in force, and for each leaf\n"
                  "      its position (index), its hash and its audit path.\n",
    .file_leaf = {"  item.txt\n      The item's block in version %1, byte for byte: a leaf of its tree.\n",
                  "  before.txt\n      The block of the last item before the id asked about "
                  "in version %1,\n      byte for byte: a leaf of its tree.\n",
                  "  after.txt\n      The block of the first item after the id asked about in "
                  "version %1,\n      byte for byte: a leaf of its tree.\n"},
    .file_cp = "  %1\n      The checkpoint of version %2: its date, the hash of its scope document\n"
               "      and of the one before, its number of items and the root of their tree.\n",
    .cp_agreed = "      Signed by both parties; agreed %1.\n",
    .cp_partial = "      Signed by the %1 only.\n",
    .cp_unsigned = "      Not signed: included for the chain of document hashes.\n",
    .file_sig = "  %1\n      The %2's signature of that checkpoint, by key %3,\n"
                "      signed %4; it states that this key signed the version's\n"
                "      document %5.\n",
    .file_old_sig = "  %1\n      The signature of that checkpoint by key %3, the %2's key\n"
                    "      that this version replaces by %4: it vouches for the new\n"
                    "      key. Signed %5; it states that key %3\n"
                    "      signed the version's document %6.\n",
    .file_key = "  %1\n      The %2's public key %3 (checkpoints of versions %4 to %5).\n",
    .file_verify = "  %1\n      This text.\n\n\n",
    .sigs_title = "4. CHECK THE SIGNATURES OF THE CHECKPOINTS (minisign)\n\n"
                  "Each trusted comment, signed with its signature, names the register\n"
                  "(%1), the version, the signer's role, the root\n"
                  "of the tree of the version's items, the date the same key signed the\n"
                  "version's document (document-signed:) and the date of the signature\n"
                  "(signed:). At a version that replaces a party's key, the key replaced signs\n"
                  "the checkpoint too (.old.minisig): it vouches for the new key.\n\n",
    .no_sig = "  (the checkpoint of version %1 carries no signature)\n",
    .chain_title = "\n\n5. FOLLOW THE CHAIN OF CHECKPOINTS (grep)\n\n"
                   "Each checkpoint names the hash of its version's scope document (document:)\n"
                   "and of the version before (previous:): each previous: must be the\n"
                   "document: of the checkpoint before it, and its root: the one the\n"
                   "signatures of step 4 name.\n\n",
    .chain_end = "\nSo the checkpoints of versions 1 to %1 form one chain that neither party\n"
                 "can rewrite alone.\n\n\n",
    .leaf_title = "6. THE HASH OF THE LEAF (b2sum -l 256)\n\n"
                  "A leaf's hash is BLAKE2b-256 of a zero byte followed by the leaf's bytes; it\n"
                  "must be the hash: line of proof.txt for that leaf.\n\n",
    .leaf_end = "\n",
    .path_title = "\n7. FROM THE LEAF TO THE ROOT OF %1 (b2sum -l 256)\n\n",
    .path_rule =
        "Each step hashes a one byte (\\001) followed by two hashes, left then right:\n"
        "the hash printed by the step before (the leaf's hash for the first step) and\n"
        "the next hash of the audit path (path: lines of proof.txt). Which goes left\n"
        "follows from the leaf's position: at each level the node is at a position\n"
        "between 0 and the last one of that level; at an odd position the path's hash\n"
        "goes on the left, at an even one on the right; a node at an even position that\n"
        "is the last of its level has no neighbour there and moves up unchanged; after\n"
        "each step the positions are halved (rounding down). scopereg verify --proof\n"
        "and RFC 9162 (section 2.1.3.2) do exactly this.\n\n",
    .path_leaf = "%1, index %2 of a tree of %3 leaves: its hash and its audit path as\n"
                 "proof.txt holds them, then each step:\n",
    .step = "  step %1: position %2 of 0 to %3%4, the path's hash on the %5\n",
    .climbed = " (after moving up %1 levels unchanged)",
    .path_left = "left",
    .path_right = "right",
    .path_none = "  %1 is the only leaf: its hash is the root.\n",
    .path_end = "The last hash must be the root: line of %2:\n    root: %1\n\n",
    .empty_title = "\n6. THE EMPTY TREE (b2sum -l 256)\n\n"
                   "The version lists no item: the root of %1 must be the\n"
                   "BLAKE2b-256 of nothing.\n\n",
    .order_title = "8. THE NEIGHBOURS ARE NEXT TO EACH OTHER AND BRACKET THE ID\n\n"
                   "Sorted bytewise, the id asked about falls strictly between the ids of the\n"
                   "leaves shown, and their indices are adjacent (or the leaf is the first or\n"
                   "the last of the tree):\n\n",
    .order_end = "\nThe line of the id asked about, \"%1\", must come between the other two\n"
                 "(at an edge, before or after the only other one, whose index is then 0 or\n"
                 "the tree size minus 1): no item of the version can sit between two adjacent\n"
                 "leaves, nor before the first or after the last, so none has that id.\n\n\n",
    .keys_title = "%1. THE KEYS\n\n"
                  "minisign -V prints no key id: it refuses a signature whose key id is not\n"
                  "the one of the .pub file it is given. Each command below prints the key id\n"
                  "a file carries (bytes 2 to 9 of its base64 line, little-endian, in upper-\n"
                  "case hexadecimal). Compare each .pub file, the whole file, with the key\n"
                  "that party acknowledged (for instance in the signed contract): a signature\n"
                  "proves nothing about a party unless its key is one the party acknowledged.\n\n",
    .keys_named = "\nEach checkpoint names the key of each party at its version (provider-key:\n"
                  "and client-key:): each must be the key id of a .pub file above of that\n"
                  "party, and each signature of the checkpoint must carry the key id its\n"
                  "checkpoint names for the signer's role (the last commands print them). A\n"
                  "signature by another key counts for nothing, even by a key the party held\n"
                  "at another version.\n\n",
    .key_change = "\nVersion %1 replaces the %2's key %3 by %4. Key %3,\n"
                  "which the checkpoint of version %6 names, signed the checkpoint of version %1\n"
                  "too, to vouch for the new key: the key id of %5\n"
                  "(below) must be %3.\n",
    .keys_sigs = "\nThe key id each signature carries:\n\n",
    .commands_end = "\n\n",
    .scopereg = "%1. WITH SCOPEREG (OPTIONAL)\n\n" SCOPEREG_CHECK "\n"
                "checks all of the above at once, with no register.\n",
};

/* French (Suisse romande). */
const out_proof_words out_proof_fr = {
    .title = "COMMENT VÉRIFIER CETTE PREUVE\n=============================\n\n",
    .contract = "Contrat :      %1\n",
    .register_ = "Registre :     %1\n",
    .made = "Établie :      le %1, par scopereg %2, à partir du registre du contrat\n\n",
    .intro =
        "Ce dossier répond à une question sur un élément du périmètre d'un contrat\n"
        "d'infogérance, et prouve la réponse sans le reste du périmètre. Chaque version\n"
        "du périmètre est une liste d'éléments triés par identifiant ; les deux parties\n"
        "ont signé, à côté d'elle, un court point de contrôle (checkpoint) qui contient\n"
        "la racine d'un arbre de Merkle sur ses éléments (RFC 9162, BLAKE2b-256). Un bloc\n"
        "d'élément et quelques hachages de cet arbre mènent à la racine, sans rien\n"
        "d'autre du périmètre.\n"
        "Tout se vérifie avec des outils standard, sans scopereg : minisign\n"
        "(https://jedisct1.github.io/minisign/) et GNU coreutils (basenc remet en octets\n"
        "les hachages écrits en hexadécimal), dans bash. Exécutez chaque commande depuis\n"
        "ce dossier : elle suit un « $ »\n"
        "ci-dessous, et ce qu'elle doit afficher suit « > », ligne pour ligne. Les dates\n"
        "sont en temps universel (UTC).\n\n\n",
    .role = {"prestataire", "client"},
    .answer_title = "1. LA QUESTION POSÉE ET LA RÉPONSE\n\n",
    .asked = "Question : l'élément « %1 » faisait-il partie du périmètre approuvé par\n"
             "           les deux parties à la date du %2 ?\n",
    .answer = "Réponse :  %1.\n\n",
    .yes = "OUI",
    .no = "NON",
    .in_force = "Le périmètre en vigueur le %1 était la version %2, la dernière\n"
                "version dont les deux parties avaient signé le document à cette date, comme\n"
                "l'indiquent leurs signatures de son point de contrôle (document-signed:) :\n",
    .signed_by = {"    signé par le prestataire      %1\n",
                  "    signé par le client           %1\n"},
    .agreed = "    approuvée                     %1\n\n",
    .lists_item = "La version %1 mentionne l'élément à la position %2 de sa liste triée, comme\n"
                  "suit (item.txt), exactement tel que signé :\n\n",
    .between = "La version %1 comprend %2 éléments, triés par identifiant (octet par octet).\n"
               "« %3 » n'en fait pas partie : les éléments aux positions %4 et %5, voisins,\n"
               "sont le dernier avant lui et le premier après lui (before.txt et after.txt).\n\n",
    .before_first = "La version %1 comprend %2 éléments, triés par identifiant (octet par\n"
                    "octet). « %3 » n'en fait pas partie : il se classe avant le premier, à la\n"
                    "position 0 (after.txt).\n\n",
    .after_last = "La version %1 comprend %2 éléments, triés par identifiant (octet par\n"
                  "octet). « %3 » n'en fait pas partie : il se classe après le dernier, à la\n"
                  "position %4 (before.txt).\n\n",
    .empty = "La version %1 ne comprend aucun élément, donc pas « %2 » non plus.\n\n",
    .later = "La version %1 n'était pas en vigueur à cette date : %2.\n",
    .later_agreed = "les deux parties n'ont signé son document que le %1, comme l'indiquent "
                    "les signatures de son point de contrôle",
    .later_not = "les deux parties n'ont pas signé son point de contrôle",
    .cannot_show =
        "\nCe que ce dossier ne peut pas prouver à lui seul, c'est qu'aucune version\n"
        "postérieure à la version %2, la dernière qu'il contient, n'avait été approuvée\n"
        "le %1 : une version approuvée après la version %2 mais au plus tard le %1\n"
        "changerait la réponse, et le dossier ne peut pas l'exclure. Pour trancher,\n"
        "demandez à l'autre partie le dernier point de contrôle qu'elle a contresigné :\n"
        "la réponse tient si c'est la version %2 ou une version datée d'après le %1.\n\n"
        "proof.txt et ce texte ne sont pas signés : qui détient le dossier peut les\n"
        "modifier. Sa ligne at: (la date demandée, %1) et sa ligne made: (la date où le\n"
        "dossier a été établi, %3) sont des affirmations, pas des preuves. Ce qui est\n"
        "signé, ce sont les points de contrôle et leurs commentaires de confiance, que\n"
        "les commandes minisign de la section 4 affichent : vérifiez-y que les deux\n"
        "signatures de la version %4 indiquent une date document-signed: du %1 ou\n"
        "d'avant, et qu'aucun point de contrôle ultérieur ne porte les signatures des\n"
        "deux parties indiquant une telle date au plus tard le %1.\n"
        "scopereg verify --proof refuse une ligne at: postérieure à made: ou à sa propre\n"
        "horloge.\n\n\n",
    .discloses_title = "2. CE QUE CE DOSSIER RÉVÈLE\n\n",
    .discloses_item = "L'élément sur lequel porte la question (item.txt), et aucun autre : les\n"
                      "points de contrôle contiennent des nombres, des dates et des hachages, et\n"
                      "les hachages du chemin d'audit ne révèlent rien des éléments qu'ils\n"
                      "couvrent.\n\n\n",
    .discloses_two = "Les deux éléments voisins de l'identifiant demandé, en entier (before.txt\n"
                     "et after.txt) : une feuille de l'arbre est un bloc d'élément entier, et\n"
                     "leurs identifiants montrent que l'identifiant demandé tombe entre eux.\n"
                     "Aucun autre élément : les points de contrôle contiennent des nombres, des\n"
                     "dates et des hachages, et les hachages des chemins d'audit ne révèlent\n"
                     "rien des éléments qu'ils couvrent.\n\n\n",
    .discloses_one = "Le seul élément voisin de l'identifiant demandé, en entier (%1) : une\n"
                     "feuille de l'arbre est un bloc d'élément entier, et son identifiant montre\n"
                     "que l'identifiant demandé se classe au-delà. Aucun autre élément : les\n"
                     "points de contrôle contiennent des nombres, des dates et des hachages, et\n"
                     "les hachages du chemin d'audit ne révèlent rien des éléments qu'ils\n"
                     "couvrent.\n\n\n",
    .discloses_none = "Aucun élément : la version n'en comprend aucun. Les points de contrôle\n"
                      "contiennent des nombres, des dates et des hachages.\n\n\n",
    .files_title = "3. LES FICHIERS\n\n",
    .file_proof = "  proof.txt\n"
                  "      La question, la réponse, la version en vigueur et, pour chaque feuille,\n"
                  "      sa position (index), son hachage et son chemin d'audit.\n",
    .file_leaf = {"  item.txt\n      Le bloc de l'élément dans la version %1, octet pour octet : une\n"
                  "      feuille de son arbre.\n",
                  "  before.txt\n      Le bloc du dernier élément avant l'identifiant demandé dans "
                  "la\n      version %1, octet pour octet : une feuille de son arbre.\n",
                  "  after.txt\n      Le bloc du premier élément après l'identifiant demandé dans "
                  "la\n      version %1, octet pour octet : une feuille de son arbre.\n"},
    .file_cp = "  %1\n      Le point de contrôle de la version %2 : sa date, le hachage de son\n"
               "      document de périmètre et du précédent, son nombre d'éléments et la racine\n"
               "      de leur arbre.\n",
    .cp_agreed = "      Signé par les deux parties ; approuvé le %1.\n",
    .cp_partial = "      Signé par le %1 seulement.\n",
    .cp_unsigned = "      Non signé : inclus pour la chaîne des hachages de documents.\n",
    .file_sig = "  %1\n      La signature du %2 sur ce point de contrôle, par la clé %3,\n"
                "      signée le %4 ; elle indique que cette clé a signé le\n"
                "      document de la version le %5.\n",
    .file_old_sig = "  %1\n      La signature de ce point de contrôle par la clé %3,\n"
                    "      la clé du %2 que cette version remplace par %4 :\n"
                    "      elle répond de la nouvelle clé. Signée le %5 ; elle\n"
                    "      indique que la clé %3 a signé le document de la version\n"
                    "      le %6.\n",
    .file_key = "  %1\n      La clé publique %3 du %2 (points de contrôle des versions %4 à %5).\n",
    .file_verify = "  %1\n      Le présent texte.\n\n\n",
    .sigs_title = "4. VÉRIFIER LES SIGNATURES DES POINTS DE CONTRÔLE (minisign)\n\n"
                  "Chaque commentaire de confiance (trusted comment), signé avec sa signature,\n"
                  "nomme le registre (%1), la version, le rôle du\n"
                  "signataire (provider : le prestataire, client : le client), la racine de\n"
                  "l'arbre des éléments de la version, la date où la même clé a signé le\n"
                  "document de la version (document-signed:) et la date de la signature\n"
                  "(signed:). À une version qui remplace la clé d'une partie, la clé remplacée\n"
                  "signe aussi le point de contrôle (.old.minisig) : elle répond de la nouvelle\n"
                  "clé. minisign s'exprime en anglais.\n\n",
    .no_sig = "  (le point de contrôle de la version %1 ne porte aucune signature)\n",
    .chain_title = "\n\n5. SUIVRE LA CHAÎNE DES POINTS DE CONTRÔLE (grep)\n\n"
                   "Chaque point de contrôle donne le hachage du document de périmètre de sa\n"
                   "version (document:) et de la version précédente (previous:) : chaque\n"
                   "previous: doit être le document: du point de contrôle précédent, et sa\n"
                   "root: celle que nomment les signatures de l'étape 4.\n\n",
    .chain_end = "\nAinsi, les points de contrôle des versions 1 à %1 forment une seule chaîne\n"
                 "qu'aucune partie ne peut réécrire seule.\n\n\n",
    .leaf_title = "6. LE HACHAGE DE LA FEUILLE (b2sum -l 256)\n\n"
                  "Le hachage d'une feuille est le BLAKE2b-256 d'un octet nul suivi des octets de\n"
                  "la feuille ; ce doit être la ligne hash: de proof.txt pour cette feuille.\n\n",
    .leaf_end = "\n",
    .path_title = "\n7. DE LA FEUILLE À LA RACINE DE %1 (b2sum -l 256)\n\n",
    .path_rule =
        "Chaque étape hache un octet 1 (\\001) suivi de deux hachages, gauche puis\n"
        "droite : celui qu'a affiché l'étape précédente (celui de la feuille pour la\n"
        "première) et le hachage suivant du chemin d'audit (lignes path: de proof.txt).\n"
        "Lequel va à gauche découle de la position de la feuille : à chaque niveau, le\n"
        "nœud est à une position entre 0 et la dernière de ce niveau ; à une position\n"
        "impaire, le hachage du chemin va à gauche, à une position paire à droite ; un\n"
        "nœud à une position paire qui est le dernier de son niveau n'y a pas de voisin\n"
        "et monte inchangé ; après chaque étape, les positions sont divisées par deux\n"
        "(arrondies vers le bas). scopereg verify --proof et la RFC 9162 (section\n"
        "2.1.3.2) font exactement cela.\n\n",
    .path_leaf = "%1, index %2 d'un arbre de %3 feuilles : son hachage et son chemin\n"
                 "d'audit tels que proof.txt les contient, puis chaque étape :\n",
    .step = "  étape %1 : position %2 de 0 à %3%4, le hachage du chemin à %5\n",
    .climbed = " (après être monté de %1 niveaux inchangé)",
    .path_left = "gauche",
    .path_right = "droite",
    .path_none = "  %1 est la seule feuille : son hachage est la racine.\n",
    .path_end = "Le dernier hachage doit être la ligne root: de %2 :\n    root: %1\n\n",
    .empty_title = "\n6. L'ARBRE VIDE (b2sum -l 256)\n\n"
                   "La version ne comprend aucun élément : la racine de %1\n"
                   "doit être le BLAKE2b-256 de rien.\n\n",
    .order_title = "8. LES VOISINS SONT CÔTE À CÔTE ET ENCADRENT L'IDENTIFIANT\n\n"
                   "Triés octet par octet, l'identifiant demandé tombe strictement entre ceux\n"
                   "des feuilles montrées, et leurs index se suivent (ou la feuille est la\n"
                   "première ou la dernière de l'arbre) :\n\n",
    .order_end = "\nLa ligne de l'identifiant demandé, « %1 », doit se trouver entre les deux\n"
                 "autres (en bordure, avant ou après la seule autre, dont l'index est alors 0\n"
                 "ou la taille de l'arbre moins 1) : aucun élément de la version ne peut se\n"
                 "trouver entre deux feuilles voisines, ni avant la première ou après la\n"
                 "dernière, donc aucun n'a cet identifiant.\n\n\n",
    .keys_title = "%1. LES CLÉS\n\n"
                  "minisign -V n'affiche aucun identifiant de clé : il refuse une signature\n"
                  "dont l'identifiant de clé n'est pas celui du fichier .pub qu'on lui donne.\n"
                  "Chaque commande ci-dessous affiche l'identifiant de clé que porte un fichier\n"
                  "(octets 2 à 9 de sa ligne base64, petit-boutiste, en hexadécimal\n"
                  "majuscule). Comparez chaque fichier .pub, le fichier entier, avec la clé que\n"
                  "cette partie a reconnue (par exemple dans le contrat signé) : une signature\n"
                  "ne prouve rien à l'égard d'une partie si sa clé n'est pas une clé que la\n"
                  "partie a reconnue.\n\n",
    .keys_named = "\nChaque point de contrôle nomme la clé de chaque partie à sa version\n"
                  "(provider-key: et client-key:) : chacune doit être l'identifiant de clé d'un\n"
                  "fichier .pub ci-dessus de cette partie, et chaque signature du point de\n"
                  "contrôle doit porter l'identifiant de clé que son point de contrôle nomme\n"
                  "pour le rôle du signataire (les dernières commandes les affichent). Une\n"
                  "signature par une autre clé ne compte pas, même par une clé que la partie\n"
                  "détenait à une autre version.\n\n",
    .key_change = "\nLa version %1 remplace la clé %3 du %2 par %4. La clé\n"
                  "%3, que nomme le point de contrôle de la version %6, a aussi signé\n"
                  "le point de contrôle de la version %1 pour répondre de la nouvelle clé :\n"
                  "l'identifiant de clé de %5 (ci-dessous) doit être %3.\n",
    .keys_sigs = "\nL'identifiant de clé que porte chaque signature :\n\n",
    .commands_end = "\n\n",
    .scopereg = "%1. AVEC SCOPEREG (FACULTATIF)\n\n" SCOPEREG_CHECK "\n"
                "vérifie tout ce qui précède en une fois, sans registre.\n",
};

/* German (Switzerland): Swiss spelling (ss, no sharp s). */
const out_proof_words out_proof_de = {
    .title = "WIE DIESER NACHWEIS ZU PRÜFEN IST\n=================================\n\n",
    .contract = "Vertrag:       %1\n",
    .register_ = "Register:      %1\n",
    .made = "Erstellt:      %1, mit scopereg %2, aus dem Register des Vertrags\n\n",
    .intro =
        "Dieser Ordner beantwortet eine Frage zu einem Eintrag des Leistungsumfangs\n"
        "eines IT-Outsourcing-Vertrags und weist die Antwort ohne den übrigen\n"
        "Leistungsumfang nach. Jede Version des Leistungsumfangs ist eine nach Kennung\n"
        "sortierte Liste von Einträgen; beide Parteien haben daneben einen kurzen\n"
        "Prüfpunkt (checkpoint) signiert, der die Wurzel eines Merkle-Baums über ihre\n"
        "Einträge enthält (RFC 9162, BLAKE2b-256). Ein Eintragsblock und einige Hashes\n"
        "dieses Baums führen zur Wurzel, ohne weiteres aus dem Leistungsumfang.\n"
        "Alles lässt sich mit Standardwerkzeugen prüfen, ohne scopereg: minisign\n"
        "(https://jedisct1.github.io/minisign/) und GNU coreutils (basenc macht aus\n"
        "hexadezimal geschriebenen Hashes wieder Bytes), in bash. Führen Sie jeden Befehl\n"
        "in diesem Ordner aus: er folgt\n"
        "unten auf ein «$», und was er ausgeben muss, folgt auf «>», Zeile für Zeile.\n"
        "Daten sind in koordinierter Weltzeit (UTC).\n\n\n",
    .role = {"Dienstleister", "Kunde"},
    .answer_title = "1. DIE FRAGE UND DIE ANTWORT\n\n",
    .asked = "Frage:   War der Eintrag «%1» im von beiden Parteien genehmigten\n"
             "         Leistungsumfang am %2?\n",
    .answer = "Antwort: %1.\n\n",
    .yes = "JA",
    .no = "NEIN",
    .in_force = "Der am %1 geltende Leistungsumfang war Version %2, die\n"
                "letzte Version, deren Dokument beide Parteien bis dahin signiert hatten, wie\n"
                "ihre Signaturen des Prüfpunkts angeben (document-signed:):\n",
    .signed_by = {"    signiert vom Dienstleister    %1\n",
                  "    signiert vom Kunden           %1\n"},
    .agreed = "    genehmigt                     %1\n\n",
    .lists_item = "Version %1 führt den Eintrag an Position %2 ihrer sortierten Liste wie folgt\n"
                  "auf (item.txt), genau wie signiert:\n\n",
    .between = "Version %1 führt %2 Einträge auf, nach Kennung sortiert (byteweise). «%3»\n"
               "ist nicht darunter: die Einträge an den benachbarten Positionen %4 und %5\n"
               "sind der letzte davor und der erste danach (before.txt und after.txt).\n\n",
    .before_first = "Version %1 führt %2 Einträge auf, nach Kennung sortiert (byteweise). «%3»\n"
                    "ist nicht darunter: die Kennung kommt vor dem ersten, an Position 0\n"
                    "(after.txt).\n\n",
    .after_last = "Version %1 führt %2 Einträge auf, nach Kennung sortiert (byteweise). «%3»\n"
                  "ist nicht darunter: die Kennung kommt nach dem letzten, an Position %4\n"
                  "(before.txt).\n\n",
    .empty = "Version %1 führt keinen Eintrag auf, also auch nicht «%2».\n\n",
    .later = "Version %1 galt damals nicht: %2.\n",
    .later_agreed = "beide Parteien haben ihr Dokument erst am %1 signiert, wie die "
                    "Signaturen ihres Prüfpunkts angeben",
    .later_not = "ihr Prüfpunkt ist nicht von beiden Parteien signiert",
    .cannot_show =
        "\nWas dieser Ordner allein nicht zeigen kann, ist, dass am %1 keine Version\n"
        "nach Version %2, der letzten, die er enthält, genehmigt war: eine Version, die\n"
        "nach Version %2, aber spätestens am %1 genehmigt wurde, würde die Antwort\n"
        "ändern, und der Ordner kann das nicht ausschliessen. Zur Klärung die andere\n"
        "Partei nach dem letzten von ihr gegengezeichneten Prüfpunkt fragen: die Antwort\n"
        "gilt, wenn das Version %2 oder eine nach dem %1 datierte Version ist.\n\n"
        "proof.txt und dieser Text sind nicht signiert: wer den Ordner hat, kann sie\n"
        "ändern. Ihre Zeile at: (das erfragte Datum, %1) und ihre Zeile made: (wann der\n"
        "Ordner erstellt wurde, %3) sind Behauptungen, keine Beweise. Signiert sind die\n"
        "Prüfpunkte und ihre vertrauenswürdigen Kommentare, die die minisign-Befehle von\n"
        "Abschnitt 4 ausgeben: dort prüfen, dass beide Signaturen von Version %4 ein\n"
        "Datum document-signed: am %1 oder früher angeben und dass kein späterer\n"
        "Prüfpunkt Signaturen beider Parteien trägt, die ein solches Datum spätestens\n"
        "am %1 angeben. scopereg verify --proof weist eine Zeile at: ab,\n"
        "die nach made: oder nach seiner eigenen Uhr liegt.\n\n\n",
    .discloses_title = "2. WAS DIESER ORDNER OFFENLEGT\n\n",
    .discloses_item = "Den erfragten Eintrag (item.txt) und keinen anderen: die Prüfpunkte\n"
                      "enthalten Zahlen, Daten und Hashes, und die Hashes des Prüfpfads verraten\n"
                      "nichts über die Einträge darunter.\n\n\n",
    .discloses_two = "Die beiden Nachbarn der erfragten Kennung, vollständig (before.txt und\n"
                     "after.txt): ein Blatt des Baums ist ein ganzer Eintragsblock, und ihre\n"
                     "Kennungen zeigen, dass die erfragte Kennung zwischen ihnen liegt. Keinen\n"
                     "anderen Eintrag: die Prüfpunkte enthalten Zahlen, Daten und Hashes, und\n"
                     "die Hashes der Prüfpfade verraten nichts über die Einträge darunter.\n\n\n",
    .discloses_one = "Den einzigen Nachbarn der erfragten Kennung, vollständig (%1): ein Blatt\n"
                     "des Baums ist ein ganzer Eintragsblock, und seine Kennung zeigt, dass die\n"
                     "erfragte Kennung jenseits davon liegt. Keinen anderen Eintrag: die\n"
                     "Prüfpunkte enthalten Zahlen, Daten und Hashes, und die Hashes des\n"
                     "Prüfpfads verraten nichts über die Einträge darunter.\n\n\n",
    .discloses_none = "Keinen Eintrag: die Version führt keinen auf. Die Prüfpunkte enthalten\n"
                      "Zahlen, Daten und Hashes.\n\n\n",
    .files_title = "3. DIE DATEIEN\n\n",
    .file_proof = "  proof.txt\n"
                  "      Die Frage, die Antwort, die geltende Version und für jedes Blatt\n"
                  "      seine Position (index), sein Hash und sein Prüfpfad.\n",
    .file_leaf = {"  item.txt\n      Der Block des Eintrags in Version %1, Byte für Byte: ein Blatt "
                  "ihres\n      Baums.\n",
                  "  before.txt\n      Der Block des letzten Eintrags vor der erfragten Kennung in\n"
                  "      Version %1, Byte für Byte: ein Blatt ihres Baums.\n",
                  "  after.txt\n      Der Block des ersten Eintrags nach der erfragten Kennung in\n"
                  "      Version %1, Byte für Byte: ein Blatt ihres Baums.\n"},
    .file_cp = "  %1\n      Der Prüfpunkt von Version %2: ihr Datum, der Hash ihres Dokuments und\n"
               "      des vorherigen, die Zahl ihrer Einträge und die Wurzel ihres Baums.\n",
    .cp_agreed = "      Von beiden Parteien signiert; genehmigt am %1.\n",
    .cp_partial = "      Nur vom %1 signiert.\n",
    .cp_unsigned = "      Nicht signiert: für die Kette der Dokument-Hashes enthalten.\n",
    .file_sig = "  %1\n      Die Signatur des %2 über diesen Prüfpunkt, mit Schlüssel %3,\n"
                "      signiert am %4; sie gibt an, dass dieser Schlüssel\n"
                "      das Dokument der Version am %5 signiert hat.\n",
    .file_old_sig = "  %1\n      Die Signatur dieses Prüfpunkts mit Schlüssel %3, dem Schlüssel\n"
                    "      des %2, den diese Version durch %4 ersetzt: sie steht\n"
                    "      für den neuen Schlüssel ein. Signiert am %5; sie gibt\n"
                    "      an, dass Schlüssel %3 das Dokument der Version am\n"
                    "      %6 signiert hat.\n",
    .file_key = "  %1\n      Der öffentliche Schlüssel %3 des %2 (Prüfpunkte der Versionen %4\n"
                "      bis %5).\n",
    .file_verify = "  %1\n      Dieser Text.\n\n\n",
    .sigs_title = "4. DIE SIGNATUREN DER PRÜFPUNKTE PRÜFEN (minisign)\n\n"
                  "Jeder vertrauenswürdige Kommentar (trusted comment), mit seiner Signatur\n"
                  "signiert, nennt das Register (%1), die Version,\n"
                  "die Rolle des Unterzeichners (provider: Dienstleister, client: Kunde), die\n"
                  "Wurzel des Baums der Einträge der Version, das Datum, an dem derselbe\n"
                  "Schlüssel das Dokument der Version signiert hat (document-signed:), und das\n"
                  "Datum der Signatur (signed:). Bei einer Version, die den Schlüssel einer\n"
                  "Partei ersetzt, signiert auch der ersetzte Schlüssel den Prüfpunkt\n"
                  "(.old.minisig): er steht für den neuen Schlüssel ein. minisign gibt\n"
                  "englischen Text aus.\n\n",
    .no_sig = "  (der Prüfpunkt von Version %1 trägt keine Signatur)\n",
    .chain_title = "\n\n5. DER KETTE DER PRÜFPUNKTE FOLGEN (grep)\n\n"
                   "Jeder Prüfpunkt nennt den Hash des Dokuments seiner Version (document:)\n"
                   "und der vorherigen Version (previous:): jedes previous: muss das document:\n"
                   "des vorherigen Prüfpunkts sein, und sein root: die Wurzel, die die\n"
                   "Signaturen von Schritt 4 nennen.\n\n",
    .chain_end = "\nSo bilden die Prüfpunkte der Versionen 1 bis %1 eine einzige Kette, die\n"
                 "keine Partei allein umschreiben kann.\n\n\n",
    .leaf_title = "6. DER HASH DES BLATTS (b2sum -l 256)\n\n"
                  "Der Hash eines Blatts ist BLAKE2b-256 eines Null-Bytes, gefolgt von den Bytes\n"
                  "des Blatts; er muss die Zeile hash: von proof.txt für dieses Blatt sein.\n\n",
    .leaf_end = "\n",
    .path_title = "\n7. VOM BLATT ZUR WURZEL VON %1 (b2sum -l 256)\n\n",
    .path_rule =
        "Jeder Schritt hasht ein Byte 1 (\\001), gefolgt von zwei Hashes, links dann\n"
        "rechts: dem Hash, den der vorige Schritt ausgab (dem des Blatts beim ersten\n"
        "Schritt), und dem nächsten Hash des Prüfpfads (Zeilen path: von proof.txt).\n"
        "Welcher links steht, folgt aus der Position des Blatts: auf jeder Ebene steht\n"
        "der Knoten an einer Position zwischen 0 und der letzten dieser Ebene; an einer\n"
        "ungeraden Position steht der Hash des Pfads links, an einer geraden rechts;\n"
        "ein Knoten an einer geraden Position, der der letzte seiner Ebene ist, hat\n"
        "dort keinen Nachbarn und steigt unverändert auf; nach jedem Schritt werden die\n"
        "Positionen halbiert (abgerundet). scopereg verify --proof und RFC 9162\n"
        "(Abschnitt 2.1.3.2) tun genau dies.\n\n",
    .path_leaf = "%1, Index %2 eines Baums mit %3 Blättern: sein Hash und sein Prüfpfad,\n"
                 "wie proof.txt sie enthält, dann jeder Schritt:\n",
    .step = "  Schritt %1: Position %2 von 0 bis %3%4, der Hash des Pfads %5\n",
    .climbed = " (nach %1 Ebenen unverändertem Aufstieg)",
    .path_left = "links",
    .path_right = "rechts",
    .path_none = "  %1 ist das einzige Blatt: sein Hash ist die Wurzel.\n",
    .path_end = "Der letzte Hash muss die Zeile root: von %2 sein:\n    root: %1\n\n",
    .empty_title = "\n6. DER LEERE BAUM (b2sum -l 256)\n\n"
                   "Die Version führt keinen Eintrag auf: die Wurzel von %1\n"
                   "muss der BLAKE2b-256 von nichts sein.\n\n",
    .order_title = "8. DIE NACHBARN LIEGEN NEBENEINANDER UND UMSCHLIESSEN DIE KENNUNG\n\n"
                   "Byteweise sortiert liegt die erfragte Kennung echt zwischen den Kennungen\n"
                   "der gezeigten Blätter, und deren Indizes folgen aufeinander (oder das Blatt\n"
                   "ist das erste oder letzte des Baums):\n\n",
    .order_end = "\nDie Zeile der erfragten Kennung «%1» muss zwischen den beiden anderen\n"
                 "stehen (am Rand vor oder nach der einzigen anderen, deren Index dann 0 oder\n"
                 "die Baumgrösse minus 1 ist): kein Eintrag der Version kann zwischen zwei\n"
                 "benachbarten Blättern liegen, noch vor dem ersten oder nach dem letzten,\n"
                 "also hat keiner diese Kennung.\n\n\n",
    .keys_title = "%1. DIE SCHLÜSSEL\n\n"
                  "minisign -V gibt keine Schlüsselkennung aus: es weist nur eine Signatur\n"
                  "zurück, deren Schlüsselkennung nicht die der übergebenen .pub-Datei ist.\n"
                  "Jeder Befehl unten gibt die Schlüsselkennung einer Datei aus (Bytes 2 bis 9\n"
                  "ihrer Base64-Zeile, Little-Endian, hexadezimal in Grossbuchstaben).\n"
                  "Vergleichen Sie jede .pub-Datei, die ganze Datei, mit dem Schlüssel, den\n"
                  "diese Partei anerkannt hat (etwa im signierten Vertrag): eine Signatur\n"
                  "beweist nichts über eine Partei, wenn ihr Schlüssel nicht einer ist, den die\n"
                  "Partei anerkannt hat.\n\n",
    .keys_named = "\nJeder Prüfpunkt nennt den Schlüssel jeder Partei in seiner Version\n"
                  "(provider-key: und client-key:): jeder muss die Schlüsselkennung einer\n"
                  ".pub-Datei dieser Partei oben sein, und jede Signatur des Prüfpunkts muss\n"
                  "die Schlüsselkennung tragen, die ihr Prüfpunkt für die Rolle des\n"
                  "Unterzeichners nennt (die letzten Befehle geben sie aus). Eine Signatur mit\n"
                  "einem anderen Schlüssel zählt nicht, auch nicht mit einem, den die Partei\n"
                  "in einer anderen Version hatte.\n\n",
    .key_change = "\nVersion %1 ersetzt den Schlüssel %3 des %2 durch %4. Schlüssel\n"
                  "%3, den der Prüfpunkt von Version %6 nennt, hat auch den Prüfpunkt\n"
                  "von Version %1 signiert, um für den neuen Schlüssel einzustehen: die\n"
                  "Schlüsselkennung von %5 (unten) muss %3 sein.\n",
    .keys_sigs = "\nDie Schlüsselkennung, die jede Signatur trägt:\n\n",
    .commands_end = "\n\n",
    .scopereg = "%1. MIT SCOPEREG (OPTIONAL)\n\n" SCOPEREG_CHECK "\n"
                "prüft all dies auf einmal, ohne Register.\n",
};

const out_proof_words *out_proof_words_for(const char *lang)
{
    if (lang && !strcmp(lang, "fr"))
        return &out_proof_fr;
    if (lang && !strcmp(lang, "de"))
        return &out_proof_de;
    return &out_proof_en;
}

typedef struct ctx {
    const inv_proof_folder *f;
    const out_proof_words *w;
    inv_buf *b;
    char num[4][24];
    char date[32];
    inv_buf esc;
} ctx;

static const char *num(ctx *c, int i, long long v)
{
    snprintf(c->num[i], sizeof c->num[i], "%lld", v);
    return c->num[i];
}

static const char *when(ctx *c, int64_t t)
{
    inv_time_format(t, c->date, sizeof c->date);
    return c->date;
}

static const char *esc(ctx *c, const char *text)
{
    c->esc.len = 0;
    inv_buf_add(&c->esc, "", 0);
    inv_escape(&c->esc, text ? text : "");
    return c->esc.data ? c->esc.data : "";
}

static void hex(const unsigned char h[CR_MERKLE_HASH_BYTES], char out[2 * CR_MERKLE_HASH_BYTES + 1])
{
    cr_hex(out, h, CR_MERKLE_HASH_BYTES);
}

/* Each line of text as an expected output line. */
static void expect_lines(ctx *c, const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        inv_buf_puts(c->b, OUT);
        inv_buf_add(c->b, p, n);
        inv_buf_puts(c->b, "\n");
        p += n + (nl != NULL);
    }
}

/* The lines of a checkpoint whose key is one of keys (as grep -E prints them). */
static void cp_lines(ctx *c, const inv_pf_checkpoint *cp, const char *const keys[])
{
    const char *p = cp->data, *end = cp->data + cp->len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        for (int k = 0; keys[k]; k++) {
            size_t kl = strlen(keys[k]);
            if (n > kl && !memcmp(p, keys[k], kl)) {
                expect_lines(c, p, n);
                break;
            }
        }
        p += n + (nl != NULL);
    }
}

static const inv_pf_key *key_of(const inv_proof_folder *f, int role, const char *id)
{
    for (size_t i = 0; i < f->nkeys; i++)
        if (f->keys[i].role == role && !strcmp(f->keys[i].id, id))
            return &f->keys[i];
    return NULL;
}

static void add_answer(ctx *c)
{
    const inv_proof_folder *f = c->f;
    const out_proof_words *w = c->w;
    const inv_pf_checkpoint *K = &f->cps[f->version - 1];
    char at[32];
    inv_time_format(f->at, at, sizeof at);
    out_say(c->b, w->answer_title, NULL);
    out_say(c->b, w->asked, esc(c, f->id), at, NULL);
    out_say(c->b, w->answer, f->answer ? w->yes : w->no, NULL);
    out_say(c->b, w->in_force, at, num(c, 0, f->version), NULL);
    /* when each party signed the document, as its checkpoint signature
     * states (document-signed:): the agreement, not the checkpoint's signing */
    for (int i = 0; i < 2; i++)
        out_say(c->b, w->signed_by[i], when(c, K->sig[i].doc_signed_at), NULL);
    out_say(c->b, w->agreed, when(c, f->agreed), NULL);
    const inv_pf_leaf *b = NULL, *a = NULL;
    for (int i = 0; i < f->nleaves; i++) {
        if (f->leaf[i].kind == INV_PF_BEFORE)
            b = &f->leaf[i];
        else if (f->leaf[i].kind == INV_PF_AFTER)
            a = &f->leaf[i];
    }
    const char *v = num(c, 0, f->version), *n = num(c, 1, (long long)f->size);
    if (f->answer) {
        out_say(c->b, w->lists_item, v, num(c, 2, (long long)f->leaf[0].path.index), NULL);
        const char *p = f->leaf[0].data, *end = p + f->leaf[0].len;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t k = nl ? (size_t)(nl - p) : (size_t)(end - p);
            inv_buf_puts(c->b, "    ");
            inv_buf_add(c->b, p, k);
            inv_buf_puts(c->b, "\n");
            p += k + (nl != NULL);
        }
        inv_buf_puts(c->b, "\n");
    } else if (b && a) {
        out_say(c->b, w->between, v, n, esc(c, f->id), num(c, 2, (long long)b->path.index),
                num(c, 3, (long long)a->path.index), NULL);
    } else if (a) {
        out_say(c->b, w->before_first, v, n, esc(c, f->id), NULL);
    } else if (b) {
        out_say(c->b, w->after_last, v, n, esc(c, f->id), num(c, 2, (long long)b->path.index),
                NULL);
    } else {
        out_say(c->b, w->empty, v, esc(c, f->id), NULL);
    }
    for (int64_t k = f->version + 1; k <= f->ncps; k++) {
        inv_buf why = {0};
        if (f->cps[k - 1].agreed_at)
            out_say(&why, w->later_agreed, when(c, f->cps[k - 1].agreed_at), NULL);
        else
            out_say(&why, w->later_not, NULL);
        out_say(c->b, w->later, num(c, 0, k), why.data ? why.data : "", NULL);
        inv_buf_free(&why);
    }
    out_say(c->b, w->cannot_show, at, num(c, 1, (long long)f->ncps), when(c, f->made),
            num(c, 0, f->version), NULL);
}

static void add_discloses(ctx *c)
{
    const inv_proof_folder *f = c->f;
    const out_proof_words *w = c->w;
    out_say(c->b, w->discloses_title, NULL);
    if (f->answer)
        out_say(c->b, w->discloses_item, NULL);
    else if (f->nleaves == 2)
        out_say(c->b, w->discloses_two, NULL);
    else if (f->nleaves == 1)
        out_say(c->b, w->discloses_one, inv_pf_leaf_files[f->leaf[0].kind], NULL);
    else
        out_say(c->b, w->discloses_none, NULL);
}

static void add_files(ctx *c)
{
    const inv_proof_folder *f = c->f;
    const out_proof_words *w = c->w;
    out_say(c->b, w->files_title, NULL);
    out_say(c->b, w->file_proof, NULL);
    for (int i = 0; i < f->nleaves; i++)
        out_say(c->b, w->file_leaf[f->leaf[i].kind], num(c, 0, f->version), NULL);
    for (int64_t k = 1; k <= f->ncps; k++) {
        const inv_pf_checkpoint *cp = &f->cps[k - 1];
        out_say(c->b, w->file_cp, cp->file, num(c, 0, k), NULL);
        if (cp->agreed_at)
            out_say(c->b, w->cp_agreed, when(c, cp->agreed_at), NULL);
        else if (cp->sig[0].present || cp->sig[1].present)
            out_say(c->b, w->cp_partial, w->role[cp->sig[0].present ? 0 : 1], NULL);
        else
            out_say(c->b, w->cp_unsigned, NULL);
        for (int i = 0; i < 2; i++) {
            char sd[32], dd[32];
            if (cp->sig[i].present) {
                inv_time_format(cp->sig[i].signed_at, sd, sizeof sd);
                inv_time_format(cp->sig[i].doc_signed_at, dd, sizeof dd);
                out_say(c->b, w->file_sig, cp->sig[i].file, w->role[i], cp->sig[i].key_id, sd,
                        dd, NULL);
            }
            if (cp->old[i].present) {
                inv_time_format(cp->old[i].signed_at, sd, sizeof sd);
                inv_time_format(cp->old[i].doc_signed_at, dd, sizeof dd);
                out_say(c->b, w->file_old_sig, cp->old[i].file, w->role[i], cp->old[i].key_id,
                        cp->cp.key[i], sd, dd, NULL);
            }
        }
    }
    for (size_t i = 0; i < f->nkeys; i++) {
        const inv_pf_key *k = &f->keys[i];
        out_say(c->b, w->file_key, k->file, w->role[k->role], k->id, num(c, 0, k->from),
                num(c, 1, k->to), NULL);
    }
    out_say(c->b, w->file_verify, "VERIFY.txt", NULL);
}

/* The steps of one leaf's audit path. */
typedef struct steps {
    ctx *c;
} steps;

static void one_step(void *vctx, const inv_pf_step *s)
{
    ctx *c = ((steps *)vctx)->c;
    const out_proof_words *w = c->w;
    char lh[65], rh[65], oh[65], climbed[128] = "";
    inv_buf cl = {0};
    if (s->climbs) {
        out_say(&cl, w->climbed, num(c, 3, s->climbs), NULL);
        snprintf(climbed, sizeof climbed, "%s", cl.data ? cl.data : "");
    }
    inv_buf_free(&cl);
    out_say(c->b, w->step, num(c, 0, s->i + 1), num(c, 1, (long long)s->pos),
            num(c, 2, (long long)s->last), climbed, s->path_left ? w->path_left : w->path_right,
            NULL);
    hex(s->left, lh);
    hex(s->right, rh);
    hex(s->out, oh);
    /* the two hashes as the previous steps print them (lower case); basenc
     * reads base16 in upper case only */
    inv_buf_printf(c->b,
                   CMD "{ printf '\\001'; printf %%s %s %s | tr a-f A-F | basenc -d --base16; }"
                       " | b2sum -l 256\n" OUT "%s  -\n",
                   lh, rh, oh);
}

static void add_commands(ctx *c)
{
    const inv_proof_folder *f = c->f;
    const out_proof_words *w = c->w;
    const inv_pf_checkpoint *K = &f->cps[f->version - 1];
    char h[65];
    /* 4. signatures */
    out_say(c->b, w->sigs_title, f->register_id, NULL);
    for (int64_t k = 1; k <= f->ncps; k++) {
        const inv_pf_checkpoint *cp = &f->cps[k - 1];
        int any = 0;
        for (int i = 0; i < 2; i++) {
            /* at a rotation, the key replaced first: it vouches for the new one */
            for (int old = 1; old >= 0; old--) {
                const inv_pf_sig *s = old ? &cp->old[i] : &cp->sig[i];
                if (!s->present)
                    continue;
                const inv_pf_key *key = key_of(f, i, s->key_id);
                out_say(c->b, CMD_MINISIGN, cp->file, key ? key->file : "?", s->file,
                        s->trusted, NULL);
                any = 1;
            }
        }
        if (!any)
            out_say(c->b, w->no_sig, num(c, 0, k), NULL);
    }
    /* 5. the chain */
    static const char *const chain_keys[] = {"version: ", "document: ", "previous: ", "root: ",
                                             NULL};
    out_say(c->b, w->chain_title, NULL);
    for (int64_t k = 1; k <= f->ncps; k++) {
        const inv_pf_checkpoint *cp = &f->cps[k - 1];
        out_say(c->b, CMD "grep -E '^(version|document|previous|root): ' %1\n", cp->file, NULL);
        cp_lines(c, cp, chain_keys);
    }
    out_say(c->b, w->chain_end, num(c, 0, f->ncps), NULL);
    if (!f->nleaves) {
        static const char *const empty_keys[] = {"items: ", "root: ", NULL};
        unsigned char e[CR_MERKLE_HASH_BYTES];
        cr_merkle_tree t;
        cr_merkle_tree_init(&t);
        cr_merkle_tree_root(&t, e);
        hex(e, h);
        out_say(c->b, w->empty_title, K->file, NULL);
        out_say(c->b, CMD "grep -E '^(items|root): ' %1\n", K->file, NULL);
        cp_lines(c, K, empty_keys);
        out_say(c->b, CMD "printf '' | b2sum -l 256\n" OUT "%1  -\n\n", h, NULL);
    } else {
        /* 6. leaf hashes */
        out_say(c->b, w->leaf_title, NULL);
        for (int i = 0; i < f->nleaves; i++) {
            hex(f->leaf[i].hash, h);
            out_say(c->b, CMD "{ printf '\\000'; cat %1; } | b2sum -l 256\n" OUT "%2  -\n",
                    inv_pf_leaf_files[f->leaf[i].kind], h, NULL);
        }
        out_say(c->b, w->leaf_end, NULL);
        /* 7. the audit paths */
        static const char *const tree_keys[] = {"items: ", "root: ", NULL};
        out_say(c->b, w->path_title, K->file, NULL);
        out_say(c->b, w->path_rule, NULL);
        out_say(c->b, CMD "grep -E '^(items|root): ' %1\n", K->file, NULL);
        cp_lines(c, K, tree_keys);
        inv_buf_puts(c->b, "\n");
        for (int i = 0; i < f->nleaves; i++) {
            const inv_pf_leaf *l = &f->leaf[i];
            const char *name = inv_pf_leaf_files[l->kind];
            unsigned char top[CR_MERKLE_HASH_BYTES];
            steps st = {c};
            out_say(c->b, w->path_leaf, name, num(c, 0, (long long)l->path.index),
                    num(c, 1, (long long)l->path.size), NULL);
            /* the path as proof.txt holds it: the hashes the steps use */
            out_say(c->b, CMD "grep -A %1 '^leaf: %2$' proof.txt\n",
                    num(c, 2, 3 + l->path.len), name, NULL);
            out_say(c->b, OUT "leaf: %1\n" OUT "index: %2\n", name,
                    num(c, 2, (long long)l->path.index), NULL);
            hex(l->hash, h);
            out_say(c->b, OUT "hash: %1\n" OUT "path-length: %2\n", h,
                    num(c, 2, l->path.len), NULL);
            for (int j = 0; j < l->path.len; j++) {
                hex(l->path.hash[j], h);
                out_say(c->b, OUT "path: %1\n", h, NULL);
            }
            if (!l->path.len)
                out_say(c->b, w->path_none, name, NULL);
            inv_proof_walk(l->hash, &l->path, one_step, &st, top);
            hex(f->root, h);
            out_say(c->b, w->path_end, h, K->file, NULL);
        }
        inv_buf_puts(c->b, "\n");
    }
    if (!f->answer && f->nleaves) {
        /* 8. the neighbours bracket the id */
        out_say(c->b, w->order_title, NULL);
        inv_buf_puts(c->b, CMD "{ ");
        const inv_pf_leaf *b = NULL, *a = NULL;
        for (int i = 0; i < f->nleaves; i++) {
            if (f->leaf[i].kind == INV_PF_BEFORE)
                b = &f->leaf[i];
            else
                a = &f->leaf[i];
        }
        if (b)
            inv_buf_puts(c->b, "head -n 1 before.txt; ");
        inv_buf_puts(c->b, "grep '^item: ' proof.txt; ");
        if (a)
            inv_buf_puts(c->b, "head -n 1 after.txt; ");
        inv_buf_puts(c->b, "} | LC_ALL=C sort -u\n");
        const inv_pf_leaf *order[3] = {b, NULL, a};
        for (int i = 0; i < 3; i++) {
            if (i == 1) {
                inv_buf_puts(c->b, OUT "item: ");
                inv_buf_puts(c->b, esc(c, f->id));
                inv_buf_puts(c->b, "\n");
            } else if (order[i]) {
                const char *nl = memchr(order[i]->data, '\n', order[i]->len);
                expect_lines(c, order[i]->data,
                             nl ? (size_t)(nl - order[i]->data) : order[i]->len);
            }
        }
        inv_buf_puts(c->b, CMD "grep -E '^(leaf|index): ' proof.txt\n");
        for (int i = 0; i < f->nleaves; i++)
            out_say(c->b, OUT "leaf: %1\n" OUT "index: %2\n",
                    inv_pf_leaf_files[f->leaf[i].kind],
                    num(c, 0, (long long)f->leaf[i].path.index), NULL);
        if (!b || !a)
            out_say(c->b, CMD "grep '^tree-size: ' proof.txt\n" OUT "tree-size: %1\n",
                    num(c, 0, (long long)f->size), NULL);
        out_say(c->b, w->order_end, esc(c, f->id), NULL);
    }
    /* 9. the keys */
    int sec = f->answer ? 8 : f->nleaves ? 9 : 7;
    out_say(c->b, w->keys_title, num(c, 0, sec), NULL);
    for (size_t i = 0; i < f->nkeys; i++)
        out_say(c->b, CMD "tail -n 1 %1" CMD_KEYID_TAIL OUT "%2\n", f->keys[i].file,
                f->keys[i].id, NULL);
    /* the keys each checkpoint names, and where one changes, the key
     * replaced vouching for the new one */
    static const char *const key_keys[] = {"provider-key: ", "client-key: ", NULL};
    out_say(c->b, w->keys_named, NULL);
    for (int64_t k = 1; k <= f->ncps; k++) {
        out_say(c->b, CMD "grep -E '^(provider|client)-key: ' %1\n", f->cps[k - 1].file, NULL);
        cp_lines(c, &f->cps[k - 1], key_keys);
    }
    for (int64_t k = 2; k <= f->ncps; k++)
        for (int i = 0; i < 2; i++) {
            const inv_pf_checkpoint *cp = &f->cps[k - 1], *pv = &f->cps[k - 2];
            if (strcmp(cp->cp.key[i], pv->cp.key[i]))
                out_say(c->b, w->key_change, num(c, 0, k), w->role[i], pv->cp.key[i],
                        cp->cp.key[i], cp->old[i].present ? cp->old[i].file : "?",
                        num(c, 1, k - 1), NULL);
        }
    out_say(c->b, w->keys_sigs, NULL);
    for (int64_t k = 1; k <= f->ncps; k++)
        for (int i = 0; i < 2; i++)
            for (int old = 1; old >= 0; old--) {
                const inv_pf_sig *s = old ? &f->cps[k - 1].old[i] : &f->cps[k - 1].sig[i];
                if (s->present)
                    out_say(c->b, CMD "sed -n 2p %1" CMD_KEYID_TAIL OUT "%2\n", s->file,
                            s->key_id, NULL);
            }
    out_say(c->b, w->commands_end, NULL);
    out_say(c->b, w->scopereg, num(c, 0, sec + 1), NULL);
}

char *out_proof_txt(const inv_proof_folder *f, const char *tool_version,
                    const out_proof_words *w)
{
    inv_buf b = {0};
    ctx c;
    memset(&c, 0, sizeof c);
    c.f = f;
    c.w = w ? w : &out_proof_en;
    c.b = &b;
    w = c.w;
    out_say(&b, w->title, NULL);
    out_say(&b, w->contract, esc(&c, f->contract), NULL);
    out_say(&b, w->register_, f->register_id, NULL);
    out_say(&b, w->made, when(&c, f->made), tool_version, NULL);
    out_say(&b, w->intro, NULL);
    add_answer(&c);
    add_discloses(&c);
    add_files(&c);
    add_commands(&c);
    int failed = !c.esc.data;
    inv_buf_free(&c.esc);
    if (failed) {
        inv_buf_free(&b);
        return NULL;
    }
    return b.data;
}
