/* verify_txt.c - VERIFY.txt of an evidence bundle, its words from a table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verify_txt.h"
#include "words.h"

/* The commands of VERIFY.txt are the same in every language: each table
 * spells them through these. */
#define CMD_MINISIGN "  minisign -Vm %1 -p %2 -x %3\n"
#define CMD_B2SUM "  b2sum -l 256 %1\n"
#define CMD_GREP "  grep '^previous: ' %1\n"
/* The key id: bytes 2 to 9 of the base64 line, little-endian, in upper
 * case hexadecimal as cr_keyid_hex writes it (GNU coreutils). */
#define CMD_KEYID_TAIL " | base64 -d | od -An -tx8 -j2 -N8 --endian little | tr -d ' ' | tr a-f A-F\n"
#define CMD_KEYID_PUB "  tail -n 1 %1" CMD_KEYID_TAIL
#define CMD_KEYID_SIG "  sed -n 2p %1" CMD_KEYID_TAIL
#define CMD_SUMS "  grep -E '^[0-9a-f]{64}  ' %1 | b2sum -l 256 -c\n"
#define CMD_SELF "  b2sum -l 256 %1\n"
#define CMD_SCOPEREG "  scopereg verify --documents .\n"

const out_verify_words out_verify_en = {
    .title = "HOW TO VERIFY THIS FOLDER\n=========================\n\n",
    .contract = "Contract:  %1\n",
    .register_ = "Register:  %1\n",
    .party = {"Provider:  %1, key %2 at version %3\n", "Client:    %1, key %2 at version %3\n"},
    .made = "Made:      %1, by scopereg %2, from the contract's register\n\n",
    .intro = "This folder holds the signed scope documents of a managed-IT contract: the\n"
             "lists of the equipment and software that the provider looks after, each\n"
             "version signed by both parties. Everything here can be checked with two\n"
             "stock tools, without scopereg and without trusting either party's software:\n"
             "minisign (https://jedisct1.github.io/minisign/) and b2sum (GNU coreutils).\n"
             "Run every command below from inside this folder. Dates and times are in UTC,\n"
             "as the signed documents write them.\n\n\n",
    .role = {"provider", "client"},
    .item_one = "item",
    .item_many = "items",
    .answer_title = "1. WHAT WAS ASKED, AND THE ANSWER\n\n",
    .asked_item = "Asked:  was the item \"%1\" in the scope agreed by both parties\n"
                  "        at %2%3?\n",
    .made_item = ", when this folder was made",
    .answer_item = "Answer: %1.\n\n",
    .yes = "YES",
    .no = "NO",
    .asked_scope = "Asked:  which scope was agreed by both parties at %1%2?\n",
    .made_scope = ",\n        when this folder was made",
    .answer_scope = "Answer: version %1, which lists %2 %3.\n\n",
    .in_force = "The scope in force at %1 was version %2, the latest\n"
                "version signed by both parties by then:\n"
                "    committed                %3\n",
    .signed_by = {"    signed by the provider   %1\n", "    signed by the client     %1\n"},
    .agreed = "    agreed                   %1\n"
              "(a version is agreed when its later signature is made, and never before it was\n"
              "committed)\n\n",
    .lists_item = "Version %1 (file %2) lists the item as follows, exactly as signed:\n\n",
    .not_listed = "Version %1 (file %2) does not list it: its items have no line\n"
                  "\"item: %3\".\n\n",
    .in_no_version = "The item is in no version from 1 to %1.\n\n",
    .life = "The item's life up to version %1, as the documents' changes record it:\n",
    .step = "    version %1: %2%3: the line \"%4 %5\" in the changes of %6\n",
    .op_added = "added",
    .op_modified = "modified",
    .op_removed = "removed",
    .step_fields = " (%1)",
    .step_reason = " (reason: %1)",
    .later = "Version %1, committed %2, was not in force then: it had\n"
             "not been signed by both parties by that date (",
    .later_agreed = "it was agreed later,\n%1",
    .later_state = "when this folder was made,\nit was: %1",
    .later_end = ").\n",
    .state_agreed = "agreed",
    .state_signed_by = {"signed by provider", "signed by client"},
    .state_proposed = "proposed",
    .not_included_one = "The register held %1 versions when this folder was made; version %2 "
                        "is not\nincluded: it was committed after %3 or not agreed by\n"
                        "both parties by then.\n",
    .not_included_many = "The register held %1 versions when this folder was made; versions "
                         "%2 to %3\nare not included: each was committed after %4 or not\n"
                         "agreed by both parties by then.\n",
    .latest = "Version %1 was the latest version of the register when this folder was made.\n",
    .cannot_show = "\nWhat this folder cannot show by itself is that no later version had been\n"
                   "agreed by that date: that rests on the register. A later version whose two\n"
                   "signatures both date from %1 or before would contradict\n"
                   "the answer.\n\n\n",
    .files_title = "2. THE FILES\n\n",
    .file_doc = "  %1\n      The scope document of version %2, byte for byte: the text that was "
                "signed.\n      Committed %3, %4 %5, ",
    .vstate_agreed = "agreed %1",
    .vstate_never = "never signed",
    .vstate_not_agreed = "not agreed: signed ",
    .vstate_and = " and ",
    .vstate_by = "by the %1%2",
    .vstate_one_key = " with one of its two keys",
    .vstate_only = " only",
    .doc_never_in_force = ".\n      Never in force; included because the chain of previous: "
                          "links\n      passes through it.\n",
    .doc_earlier = ".\n      An earlier scope, included for the chain of previous: links.\n",
    .doc_in_force = ".\n      The scope in force at %1.\n",
    .file_sig = "  %1\n      The %2's signature of version %3, by its %4key %5,\n"
                "      signed %6.\n",
    .previous = "previous ",
    .file_key = "  %1\n      The %2's public key %3",
    .key_named_one = ", named by version %1",
    .key_named_many = ", named by versions %1 to %2",
    .key_replaced = ";\n      version %1 replaces it",
    .key_end = ".\n",
    .file_verify = "  %1\n      This text.\n\n",
    .proves =
        "What each kind of file proves:\n"
        "  - A .scope file is one version of the contract's scope. By itself it proves\n"
        "    nothing: anyone can write a text file.\n"
        "  - A .minisig file, checked with minisign and the .pub file of the key that made\n"
        "    it, proves that the holder of that secret key signed exactly the bytes of the\n"
        "    .scope file. Its trusted comment, signed with it, names the register, the\n"
        "    version, the signer's role (provider or client), the BLAKE2b-256 hash of the\n"
        "    document and the date the signer's clock gave.\n"
        "  - A .pub file is a party's public key. Compare it, the whole file and not only\n"
        "    the key id, with the key that party acknowledged (for instance in the signed\n"
        "    contract): a signature proves nothing about a party unless its key is one\n"
        "    the party acknowledged, or one that such a key approved (key changes, step 5).\n"
        "  - Together: a version signed with both parties' keys is what both agreed. Each\n"
        "    document's previous: line is the hash of the version before it, so the\n"
        "    versions form one chain that neither party can rewrite alone.\n\n\n",
    .sigs_title = "3. CHECK EACH SIGNATURE (minisign)\n\n"
                  "Run each command. Each must print \"Signature and comment signature "
                  "verified\"\nand the trusted comment shown below it, which names the "
                  "register\n(%1), the version of the file, the signer's role,\nand after "
                  "document: the hash that step 4 gives for that file.\n\n",
    .minisign = CMD_MINISIGN "      expected: Trusted comment: %4\n",
    .no_sig = "  (version %1 carries no signature)\n",
    .hashes_title = "\n\n4. CHECK EACH DOCUMENT'S HASH (b2sum)\n\n"
                    "Each command prints the BLAKE2b-256 hash of a document. It must be the one\n"
                    "shown, which is the document: hash in the trusted comments of that "
                    "version's\nsignatures (step 3).\n\n",
    .b2sum = CMD_B2SUM "      expected: %2  %1\n",
    .chain_title = "\n\n5. FOLLOW THE CHAIN (previous:)\n\n"
                   "Each document's previous: line names the hash of the version before it.\n"
                   "Print it with the command and compare it with the hash step 4 printed for\n"
                   "the version before; version 1 starts the chain.\n\n",
    .grep = CMD_GREP,
    .expect_previous = "      expected: previous: %1\n      (b2sum -l 256 of %2)\n",
    .expect_none = "      expected: previous: none\n",
    .chain_end = "\nSo the signatures of version %1 cover, through these links, the exact "
                 "bytes of\nevery earlier version in this folder.\n\n",
    .keys_intro =
        "Keys: each document names in its header the keys that sign it (provider-key:\n"
        "and client-key:). minisign -V prints no key id: it only refuses a signature\n"
        "whose key id is not the one of the .pub file it is given. To see which key a\n"
        ".pub file holds and which key made a .minisig file, read the key id they\n"
        "carry: bytes 2 to 9 of their base64 line (the last line of a .pub file, the\n"
        "second line of a .minisig file), a little-endian number, written in\n"
        "hexadecimal as the documents write it. Each command below prints it and must\n"
        "print the key id shown; a .pub file's key id must be the one named in the\n"
        "header of each document it checks. The first line of a .pub file (untrusted\n"
        "comment) names its key id too, but nothing signs that line.\n\n",
    .keyid_pub = CMD_KEYID_PUB "      expected: %2\n",
    .keyid_sig = CMD_KEYID_SIG "      expected: %2\n",
    .rotation = "Version %1 replaces the %2's key: its changes list\n"
                "    key %3: %4 -> %5\n"
                "and it is signed with the old key as well as with the new one:\n"
                "    %6\n"
                "checked with\n"
                "    %7\n"
                "so the old key approved its replacement.\n",
    .commands_end = "\n\n",
    .sums_title = "6. CHECK THE WHOLE FOLDER\n\n"
                  "The BLAKE2b-256 hash of every file of this folder but this one, as\n"
                  "\"b2sum -l 256\" prints them:\n\n",
    .sums_end = "\nOne command checks them all; each line it prints must end with OK:\n\n"
                CMD_SUMS "\n"
                "This text cannot hold its own hash. scopereg printed it when it made the\n"
                "folder: ask whoever sent the folder for it, and compare it with what this\n"
                "command prints:\n\n"
                CMD_SELF "\n\n"
                "7. WITH SCOPEREG (OPTIONAL)\n\n"
                CMD_SCOPEREG "\n"
                "checks all of the above at once: each document's grammar and hash, each\n"
                "signature against the .pub files, the chain of previous: links and the key\n"
                "changes. It needs no register.\n",
};

/* French (Suisse romande): the words of a contrat d'infogérance. */
const out_verify_words out_verify_fr = {
    .title = "COMMENT VÉRIFIER CE DOSSIER\n===========================\n\n",
    .contract = "Contrat :      %1\n",
    .register_ = "Registre :     %1\n",
    .party = {"Prestataire :  %1, clé %2 à la version %3\n",
              "Client :       %1, clé %2 à la version %3\n"},
    .made = "Établi :       le %1, par scopereg %2, à partir du registre du contrat\n\n",
    .intro = "Ce dossier contient les documents de périmètre signés d'un contrat\n"
             "d'infogérance : les listes des équipements et des logiciels que le prestataire\n"
             "prend en charge, chaque version signée par les deux parties. Tout ce qu'il\n"
             "contient se vérifie avec deux outils standard, sans scopereg et sans se fier au\n"
             "logiciel de l'une ou l'autre partie : minisign\n"
             "(https://jedisct1.github.io/minisign/) et b2sum (GNU coreutils).\n"
             "Exécutez chacune des commandes ci-dessous depuis ce dossier. Les dates et les\n"
             "heures sont en temps universel (UTC), telles que les documents signés les\n"
             "écrivent.\n\n\n",
    .role = {"prestataire", "client"},
    .item_one = "élément",
    .item_many = "éléments",
    .answer_title = "1. LA QUESTION POSÉE ET LA RÉPONSE\n\n",
    .asked_item = "Question : l'élément « %1 » faisait-il partie du périmètre approuvé par\n"
                  "           les deux parties à la date du %2%3 ?\n",
    .made_item = ", date d'établissement\n           de ce dossier",
    .answer_item = "Réponse :  %1.\n\n",
    .yes = "OUI",
    .no = "NON",
    .asked_scope = "Question : quel périmètre était approuvé par les deux parties à la date\n"
                   "           du %1%2 ?\n",
    .made_scope = ",\n           date d'établissement de ce dossier",
    .answer_scope = "Réponse :  la version %1, qui comprend %2 %3.\n\n",
    .in_force = "Le périmètre en vigueur le %1 était la version %2, la dernière\n"
                "version signée par les deux parties à cette date :\n"
                "    enregistrée                   %3\n",
    .signed_by = {"    signée par le prestataire     %1\n",
                  "    signée par le client          %1\n"},
    .agreed = "    approuvée                     %1\n"
              "(une version est approuvée par les deux parties lorsque la seconde signature\n"
              "est donnée, et jamais avant son enregistrement)\n\n",
    .lists_item = "La version %1 (fichier %2) mentionne l'élément comme suit, exactement tel\n"
                  "que signé :\n\n",
    .not_listed = "La version %1 (fichier %2) ne le mentionne pas : aucun de ses éléments n'a\n"
                  "de ligne « item: %3 ».\n\n",
    .in_no_version = "L'élément ne figure dans aucune version de 1 à %1.\n\n",
    .life = "L'historique de l'élément jusqu'à la version %1, tel que les modifications\n"
            "des documents l'enregistrent :\n",
    .step = "    version %1 : %2%3 : la ligne « %4 %5 » des modifications de %6\n",
    .op_added = "ajout",
    .op_modified = "modification",
    .op_removed = "retrait",
    .step_fields = " (%1)",
    .step_reason = " (motif : %1)",
    .later = "La version %1, enregistrée le %2, n'était pas en vigueur à cette\n"
             "date : les deux parties ne l'avaient pas encore signée (",
    .later_agreed = "elle a été approuvée plus\ntard, le %1",
    .later_state = "à l'établissement de ce\ndossier, elle était : %1",
    .later_end = ").\n",
    .state_agreed = "approuvée par les deux parties",
    .state_signed_by = {"signée par le prestataire", "signée par le client"},
    .state_proposed = "proposée",
    .not_included_one = "Le registre comptait %1 versions à l'établissement de ce dossier ; la "
                        "version %2\nn'y figure pas : elle a été enregistrée après le %3\n"
                        "ou n'était pas approuvée par les deux parties à cette date.\n",
    .not_included_many = "Le registre comptait %1 versions à l'établissement de ce dossier ; les "
                         "versions\n%2 à %3 n'y figurent pas : chacune a été enregistrée après le "
                         "%4\nou n'était pas approuvée par les deux parties à cette date.\n",
    .latest = "La version %1 était la dernière version du registre à l'établissement de ce\n"
              "dossier.\n",
    .cannot_show = "\nCe que ce dossier ne peut pas prouver à lui seul, c'est qu'aucune version\n"
                   "ultérieure n'avait été approuvée à cette date : cela repose sur le registre.\n"
                   "Une version ultérieure dont les deux signatures dateraient du %1\n"
                   "ou d'avant contredirait la réponse.\n\n\n",
    .files_title = "2. LES FICHIERS\n\n",
    .file_doc = "  %1\n      Le document de périmètre de la version %2, octet pour octet : le texte\n"
                "      signé. Enregistrée le %3, %4 %5,\n      ",
    .vstate_agreed = "approuvée par les deux parties le %1",
    .vstate_never = "jamais signée",
    .vstate_not_agreed = "non approuvée : signée ",
    .vstate_and = " et ",
    .vstate_by = "par le %1%2",
    .vstate_one_key = " avec l'une de ses deux clés",
    .vstate_only = " seulement",
    .doc_never_in_force = ".\n      Jamais en vigueur ; incluse parce que la chaîne des liens "
                          "previous:\n      passe par elle.\n",
    .doc_earlier = ".\n      Un périmètre antérieur, inclus pour la chaîne des liens previous:.\n",
    .doc_in_force = ".\n      Le périmètre en vigueur le %1.\n",
    .file_sig = "  %1\n      La signature électronique du %2 sur la version %3,\n"
                "      par la clé %4%5, signée le %6.\n",
    .previous = "précédente ",
    .file_key = "  %1\n      La clé publique %3 du %2",
    .key_named_one = ", mentionnée par la version %1",
    .key_named_many = ", mentionnée par les versions %1 à %2",
    .key_replaced = " ;\n      la version %1 la remplace",
    .key_end = ".\n",
    .file_verify = "  %1\n      Le présent texte.\n\n",
    .proves =
        "Ce que prouve chaque type de fichier :\n"
        "  - Un fichier .scope est une version du périmètre du contrat. À lui seul, il ne\n"
        "    prouve rien : n'importe qui peut écrire un fichier texte.\n"
        "  - Un fichier .minisig, vérifié avec minisign et le fichier .pub de la clé qui\n"
        "    l'a produit, prouve que le détenteur de cette clé secrète a signé exactement\n"
        "    les octets du fichier .scope. Son commentaire de confiance (trusted comment),\n"
        "    signé avec lui, nomme le registre, la version, le rôle du signataire\n"
        "    (provider : le prestataire, client : le client), le hachage BLAKE2b-256 du\n"
        "    document et la date que donnait l'horloge du signataire.\n"
        "  - Un fichier .pub est la clé publique d'une partie. Comparez-le, le fichier\n"
        "    entier et pas seulement l'identifiant de clé, avec la clé que cette partie a\n"
        "    reconnue (par exemple dans le contrat signé) : une signature ne prouve rien\n"
        "    à l'égard d'une partie si sa clé n'est pas une clé que la partie a reconnue,\n"
        "    ou une clé qu'une telle clé a approuvée (changements de clé, étape 5).\n"
        "  - Ensemble : une version signée avec les clés des deux parties est ce que les\n"
        "    deux parties ont approuvé. La ligne previous: de chaque document est le\n"
        "    hachage de la version précédente : les versions forment une seule chaîne,\n"
        "    qu'aucune partie ne peut réécrire seule.\n\n\n",
    .sigs_title = "3. VÉRIFIER CHAQUE SIGNATURE (minisign)\n\n"
                  "Exécutez chaque commande. Chacune doit afficher « Signature and comment\n"
                  "signature verified » (minisign s'exprime en anglais) et le commentaire de\n"
                  "confiance indiqué en dessous, qui nomme le registre\n"
                  "(%1), la version du fichier, le rôle du signataire\n"
                  "et, après document:, le hachage que l'étape 4 donne pour ce fichier.\n\n",
    .minisign = CMD_MINISIGN "      attendu : Trusted comment: %4\n",
    .no_sig = "  (la version %1 ne porte aucune signature)\n",
    .hashes_title = "\n\n4. VÉRIFIER LE HACHAGE DE CHAQUE DOCUMENT (b2sum)\n\n"
                    "Chaque commande affiche le hachage BLAKE2b-256 d'un document. Ce doit être\n"
                    "celui indiqué, qui est le hachage document: des commentaires de confiance\n"
                    "des signatures de cette version (étape 3).\n\n",
    .b2sum = CMD_B2SUM "      attendu : %2  %1\n",
    .chain_title = "\n\n5. SUIVRE LA CHAÎNE (previous:)\n\n"
                   "La ligne previous: de chaque document donne le hachage de la version\n"
                   "précédente. Affichez-la avec la commande et comparez-la avec le hachage que\n"
                   "l'étape 4 a affiché pour la version précédente ; la version 1 commence la\n"
                   "chaîne.\n\n",
    .grep = CMD_GREP,
    .expect_previous = "      attendu : previous: %1\n      (b2sum -l 256 de %2)\n",
    .expect_none = "      attendu : previous: none\n",
    .chain_end = "\nAinsi, par ces liens, les signatures de la version %1 couvrent les octets\n"
                 "exacts de chaque version antérieure de ce dossier.\n\n",
    .keys_intro =
        "Clés : chaque document nomme dans son en-tête les clés qui le signent\n"
        "(provider-key: et client-key:). minisign -V n'affiche aucun identifiant de clé :\n"
        "il refuse seulement une signature dont l'identifiant de clé n'est pas celui du\n"
        "fichier .pub qu'on lui donne. La clé que contient un fichier .pub, et la clé qui\n"
        "a produit un fichier .minisig, se lisent dans l'identifiant de clé qu'ils\n"
        "portent : les octets 2 à 9 de leur ligne base64 (la dernière ligne d'un fichier\n"
        ".pub, la deuxième d'un fichier .minisig), un nombre petit-boutiste (little-endian)\n"
        "écrit en hexadécimal comme l'écrivent les documents. Chaque commande ci-dessous\n"
        "l'affiche et doit afficher l'identifiant indiqué ; celui d'un fichier .pub doit\n"
        "être celui que nomme l'en-tête de chaque document qu'il vérifie. La première\n"
        "ligne d'un fichier .pub (untrusted comment) nomme aussi l'identifiant de clé,\n"
        "mais rien ne signe cette ligne.\n\n",
    .keyid_pub = CMD_KEYID_PUB "      attendu : %2\n",
    .keyid_sig = CMD_KEYID_SIG "      attendu : %2\n",
    .rotation = "La version %1 remplace la clé du %2 : ses modifications indiquent\n"
                "    key %3: %4 -> %5\n"
                "et elle est signée avec l'ancienne clé comme avec la nouvelle :\n"
                "    %6\n"
                "vérifiée avec\n"
                "    %7\n"
                "ainsi, l'ancienne clé a approuvé son remplacement.\n",
    .commands_end = "\n\n",
    .sums_title = "6. VÉRIFIER LE DOSSIER ENTIER\n\n"
                  "Le hachage BLAKE2b-256 de chaque fichier de ce dossier, sauf celui-ci, tel\n"
                  "que « b2sum -l 256 » les affiche :\n\n",
    .sums_end = "\nUne seule commande les vérifie tous ; chaque ligne qu'elle affiche doit se\n"
                "terminer par OK :\n\n" CMD_SUMS "\n"
                "Ce texte ne peut pas contenir son propre hachage. scopereg l'a affiché en\n"
                "établissant le dossier : demandez-le à qui vous a envoyé le dossier, et\n"
                "comparez-le avec ce qu'affiche cette commande :\n\n" CMD_SELF "\n\n"
                "7. AVEC SCOPEREG (FACULTATIF)\n\n" CMD_SCOPEREG "\n"
                "vérifie tout ce qui précède en une fois : la grammaire et le hachage de chaque\n"
                "document, chaque signature avec les fichiers .pub, la chaîne des liens\n"
                "previous: et les changements de clé. Il n'a pas besoin du registre.\n",
};

/* German (Switzerland): the words of an IT-Outsourcing-Vertrag; Swiss
 * spelling (ss, no sharp s). */
const out_verify_words out_verify_de = {
    .title = "WIE DIESER ORDNER ZU PRÜFEN IST\n===============================\n\n",
    .contract = "Vertrag:       %1\n",
    .register_ = "Register:      %1\n",
    .party = {"Dienstleister: %1, Schlüssel %2 in Version %3\n",
              "Kunde:         %1, Schlüssel %2 in Version %3\n"},
    .made = "Erstellt:      %1, mit scopereg %2, aus dem Register des Vertrags\n\n",
    .intro = "Dieser Ordner enthält die signierten Dokumente des Leistungsumfangs eines\n"
             "IT-Outsourcing-Vertrags: die Listen der Geräte und der Software, die der\n"
             "Dienstleister betreut, jede Version von beiden Parteien signiert. Alles hier\n"
             "lässt sich mit zwei Standardwerkzeugen prüfen, ohne scopereg und ohne der\n"
             "Software einer der Parteien zu vertrauen: minisign\n"
             "(https://jedisct1.github.io/minisign/) und b2sum (GNU coreutils).\n"
             "Führen Sie jeden Befehl unten in diesem Ordner aus. Daten und Uhrzeiten sind\n"
             "in koordinierter Weltzeit (UTC) angegeben, wie die signierten Dokumente sie\n"
             "schreiben.\n\n\n",
    .role = {"Dienstleister", "Kunde"},
    .item_one = "Eintrag",
    .item_many = "Einträge",
    .answer_title = "1. DIE FRAGE UND DIE ANTWORT\n\n",
    .asked_item = "Frage:   War der Eintrag «%1» im von beiden Parteien genehmigten\n"
                  "         Leistungsumfang am %2%3?\n",
    .made_item = ", als dieser Ordner\n         erstellt wurde",
    .answer_item = "Antwort: %1.\n\n",
    .yes = "JA",
    .no = "NEIN",
    .asked_scope = "Frage:   Welcher Leistungsumfang war am %1%2 von beiden\n"
                   "         Parteien genehmigt?\n",
    .made_scope = ",\n         als dieser Ordner erstellt wurde,",
    .answer_scope = "Antwort: Version %1, die %2 %3 aufführt.\n\n",
    .in_force = "Der am %1 geltende Leistungsumfang war Version %2, die\n"
                "letzte Version, die bis dahin von beiden Parteien signiert war:\n"
                "    erfasst                       %3\n",
    .signed_by = {"    signiert vom Dienstleister    %1\n",
                  "    signiert vom Kunden           %1\n"},
    .agreed = "    genehmigt                     %1\n"
              "(eine Version ist von beiden Parteien genehmigt, sobald ihre zweite Signatur\n"
              "erfolgt, und nie vor ihrer Erfassung)\n\n",
    .lists_item = "Version %1 (Datei %2) führt den Eintrag wie folgt auf, genau wie signiert:\n\n",
    .not_listed = "Version %1 (Datei %2) führt ihn nicht auf: keiner ihrer Einträge hat\n"
                  "die Zeile «item: %3».\n\n",
    .in_no_version = "Der Eintrag ist in keiner Version von 1 bis %1 enthalten.\n\n",
    .life = "Der Verlauf des Eintrags bis Version %1, wie die Änderungen der Dokumente\n"
            "ihn festhalten:\n",
    .step = "    Version %1: %2%3: die Zeile «%4 %5» in den Änderungen von %6\n",
    .op_added = "Aufnahme",
    .op_modified = "Änderung",
    .op_removed = "Entfernung",
    .step_fields = " (%1)",
    .step_reason = " (Grund: %1)",
    .later = "Version %1, erfasst am %2, galt damals nicht: sie war bis\n"
             "zu diesem Zeitpunkt nicht von beiden Parteien signiert (",
    .later_agreed = "sie wurde später\ngenehmigt, am %1",
    .later_state = "als dieser Ordner\nerstellt wurde, war sie: %1",
    .later_end = ").\n",
    .state_agreed = "von beiden Parteien genehmigt",
    .state_signed_by = {"vom Dienstleister signiert", "vom Kunden signiert"},
    .state_proposed = "vorgeschlagen",
    .not_included_one = "Das Register enthielt %1 Versionen, als dieser Ordner erstellt wurde; "
                        "Version %2\nist nicht enthalten: sie wurde nach %3 erfasst oder war\n"
                        "bis dahin nicht von beiden Parteien genehmigt.\n",
    .not_included_many = "Das Register enthielt %1 Versionen, als dieser Ordner erstellt wurde; "
                         "die\nVersionen %2 bis %3 sind nicht enthalten: jede wurde nach %4\n"
                         "erfasst oder war bis dahin nicht von beiden Parteien genehmigt.\n",
    .latest = "Version %1 war die letzte Version des Registers, als dieser Ordner erstellt\n"
              "wurde.\n",
    .cannot_show = "\nWas dieser Ordner allein nicht beweisen kann, ist, dass bis zu diesem\n"
                   "Zeitpunkt keine spätere Version genehmigt war: das beruht auf dem Register.\n"
                   "Eine spätere Version, deren zwei Signaturen beide vom %1\n"
                   "oder früher stammen, würde der Antwort widersprechen.\n\n\n",
    .files_title = "2. DIE DATEIEN\n\n",
    .file_doc = "  %1\n      Das Dokument des Leistungsumfangs von Version %2, Byte für Byte: der\n"
                "      Text, der signiert wurde. Erfasst am %3, %4 %5,\n      ",
    .vstate_agreed = "von beiden Parteien genehmigt am %1",
    .vstate_never = "nie signiert",
    .vstate_not_agreed = "nicht genehmigt: signiert ",
    .vstate_and = " und ",
    .vstate_by = "von der Partei «%1»%2",
    .vstate_one_key = " mit einem ihrer zwei Schlüssel",
    .vstate_only = " allein",
    .doc_never_in_force = ".\n      Nie in Kraft; enthalten, weil die Kette der previous:-Verweise\n"
                          "      durch sie führt.\n",
    .doc_earlier = ".\n      Ein früherer Leistungsumfang, enthalten für die Kette der\n"
                   "      previous:-Verweise.\n",
    .doc_in_force = ".\n      Der am %1 geltende Leistungsumfang.\n",
    .file_sig = "  %1\n      Die elektronische Signatur der Partei «%2» für Version %3,\n"
                "      mit ihrem %4Schlüssel %5, signiert am %6.\n",
    .previous = "früheren ",
    .file_key = "  %1\n      Der öffentliche Schlüssel %3 der Partei «%2»",
    .key_named_one = ", genannt von Version %1",
    .key_named_many = ", genannt von den Versionen %1 bis %2",
    .key_replaced = ";\n      Version %1 ersetzt ihn",
    .key_end = ".\n",
    .file_verify = "  %1\n      Dieser Text.\n\n",
    .proves =
        "Was jede Art von Datei beweist:\n"
        "  - Eine .scope-Datei ist eine Version des Leistungsumfangs des Vertrags. Allein\n"
        "    beweist sie nichts: jeder kann eine Textdatei schreiben.\n"
        "  - Eine .minisig-Datei, geprüft mit minisign und der .pub-Datei des Schlüssels,\n"
        "    der sie erstellt hat, beweist, dass der Inhaber dieses geheimen Schlüssels\n"
        "    genau die Bytes der .scope-Datei signiert hat. Ihr vertrauenswürdiger\n"
        "    Kommentar (trusted comment), mit ihr signiert, nennt das Register, die\n"
        "    Version, die Rolle der signierenden Partei (provider: der Dienstleister,\n"
        "    client: der Kunde), den BLAKE2b-256-Hash des Dokuments und das Datum, das\n"
        "    die Uhr der signierenden Partei angab.\n"
        "  - Eine .pub-Datei ist der öffentliche Schlüssel einer Partei. Vergleichen Sie\n"
        "    sie, die ganze Datei und nicht nur die Schlüssel-ID, mit dem Schlüssel, den\n"
        "    diese Partei anerkannt hat (zum Beispiel im signierten Vertrag): eine\n"
        "    Signatur beweist nichts über eine Partei, es sei denn, ihr Schlüssel ist\n"
        "    einer, den die Partei anerkannt hat, oder einer, den ein solcher Schlüssel\n"
        "    genehmigt hat (Schlüsselwechsel, Schritt 5).\n"
        "  - Zusammen: eine mit den Schlüsseln beider Parteien signierte Version ist,\n"
        "    was beide Parteien genehmigt haben. Die previous:-Zeile jedes Dokuments ist\n"
        "    der Hash der Version davor: die Versionen bilden eine einzige Kette, die\n"
        "    keine Partei allein umschreiben kann.\n\n\n",
    .sigs_title = "3. JEDE SIGNATUR PRÜFEN (minisign)\n\n"
                  "Führen Sie jeden Befehl aus. Jeder muss «Signature and comment signature\n"
                  "verified» ausgeben (minisign spricht Englisch) und den darunter gezeigten\n"
                  "vertrauenswürdigen Kommentar, der das Register\n"
                  "(%1), die Version der Datei, die Rolle der\n"
                  "signierenden Partei und nach document: den Hash nennt, den Schritt 4 für\n"
                  "diese Datei ergibt.\n\n",
    .minisign = CMD_MINISIGN "      erwartet: Trusted comment: %4\n",
    .no_sig = "  (Version %1 trägt keine Signatur)\n",
    .hashes_title = "\n\n4. DEN HASH JEDES DOKUMENTS PRÜFEN (b2sum)\n\n"
                    "Jeder Befehl gibt den BLAKE2b-256-Hash eines Dokuments aus. Es muss der\n"
                    "gezeigte sein, also der document:-Hash in den vertrauenswürdigen\n"
                    "Kommentaren der Signaturen dieser Version (Schritt 3).\n\n",
    .b2sum = CMD_B2SUM "      erwartet: %2  %1\n",
    .chain_title = "\n\n5. DER KETTE FOLGEN (previous:)\n\n"
                   "Die previous:-Zeile jedes Dokuments nennt den Hash der Version davor. Geben\n"
                   "Sie sie mit dem Befehl aus und vergleichen Sie sie mit dem Hash, den\n"
                   "Schritt 4 für die Version davor ausgegeben hat; Version 1 beginnt die Kette.\n\n",
    .grep = CMD_GREP,
    .expect_previous = "      erwartet: previous: %1\n      (b2sum -l 256 von %2)\n",
    .expect_none = "      erwartet: previous: none\n",
    .chain_end = "\nSo decken die Signaturen von Version %1 über diese Verweise die genauen\n"
                 "Bytes jeder früheren Version in diesem Ordner ab.\n\n",
    .keys_intro =
        "Schlüssel: Jedes Dokument nennt in seinem Kopf die Schlüssel, die es signieren\n"
        "(provider-key: und client-key:). minisign -V gibt keine Schlüssel-ID aus: es\n"
        "weist nur eine Signatur zurück, deren Schlüssel-ID nicht die der .pub-Datei\n"
        "ist, die es erhält. Welchen Schlüssel eine .pub-Datei enthält und welcher\n"
        "Schlüssel eine .minisig-Datei erstellt hat, zeigt die Schlüssel-ID, die sie\n"
        "tragen: die Bytes 2 bis 9 ihrer Base64-Zeile (die letzte Zeile einer .pub-Datei,\n"
        "die zweite einer .minisig-Datei), eine Zahl in Little-Endian-Reihenfolge,\n"
        "hexadezimal geschrieben wie in den Dokumenten. Jeder Befehl unten gibt sie aus\n"
        "und muss die gezeigte Schlüssel-ID ausgeben; die einer .pub-Datei muss die sein,\n"
        "die der Kopf jedes Dokuments nennt, das sie prüft. Die erste Zeile einer\n"
        ".pub-Datei (untrusted comment) nennt die Schlüssel-ID auch, aber nichts\n"
        "signiert diese Zeile.\n\n",
    .keyid_pub = CMD_KEYID_PUB "      erwartet: %2\n",
    .keyid_sig = CMD_KEYID_SIG "      erwartet: %2\n",
    .rotation = "Version %1 ersetzt den Schlüssel der Partei «%2»: ihre Änderungen führen\n"
                "    key %3: %4 -> %5\n"
                "auf, und sie ist mit dem alten wie mit dem neuen Schlüssel signiert:\n"
                "    %6\n"
                "geprüft mit\n"
                "    %7\n"
                "so hat der alte Schlüssel seine Ersetzung genehmigt.\n",
    .commands_end = "\n\n",
    .sums_title = "6. DEN GANZEN ORDNER PRÜFEN\n\n"
                  "Der BLAKE2b-256-Hash jeder Datei dieses Ordners ausser dieser, wie\n"
                  "«b2sum -l 256» sie ausgibt:\n\n",
    .sums_end = "\nEin Befehl prüft sie alle; jede Zeile, die er ausgibt, muss auf OK enden:\n\n"
                CMD_SUMS "\n"
                "Dieser Text kann seinen eigenen Hash nicht enthalten. scopereg hat ihn bei der\n"
                "Erstellung des Ordners ausgegeben: fragen Sie den Absender des Ordners danach\n"
                "und vergleichen Sie ihn mit der Ausgabe dieses Befehls:\n\n" CMD_SELF "\n\n"
                "7. MIT SCOPEREG (OPTIONAL)\n\n" CMD_SCOPEREG "\n"
                "prüft alles oben Genannte auf einmal: Grammatik und Hash jedes Dokuments, jede\n"
                "Signatur mit den .pub-Dateien, die Kette der previous:-Verweise und die\n"
                "Schlüsselwechsel. Es braucht kein Register.\n",
};

/* Italian (Svizzera italiana): the words of a contratto di gestione dei
 * servizi IT. */
const out_verify_words out_verify_it = {
    .title = "COME VERIFICARE QUESTA CARTELLA\n===============================\n\n",
    .contract = "Contratto:     %1\n",
    .register_ = "Registro:      %1\n",
    .party = {"Fornitore:     %1, chiave %2 alla versione %3\n",
              "Cliente:       %1, chiave %2 alla versione %3\n"},
    .made = "Creata:        il %1, da scopereg %2, dal registro del contratto\n\n",
    .intro = "Questa cartella contiene i documenti di perimetro firmati di un contratto di\n"
             "gestione dei servizi IT: gli elenchi delle apparecchiature e dei software di cui\n"
             "il fornitore si occupa, ogni versione firmata da entrambe le parti. Tutto ciò\n"
             "che contiene si verifica con due strumenti standard, senza scopereg e senza\n"
             "fidarsi del software dell'una o dell'altra parte: minisign\n"
             "(https://jedisct1.github.io/minisign/) e b2sum (GNU coreutils).\n"
             "Eseguite ogni comando qui sotto da questa cartella. Le date e le ore sono in\n"
             "tempo universale (UTC), come le scrivono i documenti firmati.\n\n\n",
    .role = {"fornitore", "cliente"},
    .item_one = "elemento",
    .item_many = "elementi",
    .answer_title = "1. LA DOMANDA E LA RISPOSTA\n\n",
    .asked_item = "Domanda:  l'elemento «%1» faceva parte del perimetro approvato da\n"
                  "          entrambe le parti alla data del %2%3?\n",
    .made_item = ", data di creazione\n          di questa cartella",
    .answer_item = "Risposta: %1.\n\n",
    .yes = "SÌ",
    .no = "NO",
    .asked_scope = "Domanda:  quale perimetro era approvato da entrambe le parti alla data\n"
                   "          del %1%2?\n",
    .made_scope = ",\n          data di creazione di questa cartella",
    .answer_scope = "Risposta: la versione %1, che comprende %2 %3.\n\n",
    .in_force = "Il perimetro in vigore il %1 era la versione %2, l'ultima\n"
                "versione firmata da entrambe le parti a quella data:\n"
                "    registrata                    %3\n",
    .signed_by = {"    firmata dal fornitore         %1\n",
                  "    firmata dal cliente           %1\n"},
    .agreed = "    approvata                     %1\n"
              "(una versione è approvata da entrambe le parti quando è data la seconda firma,\n"
              "e mai prima della sua registrazione)\n\n",
    .lists_item = "La versione %1 (file %2) elenca l'elemento come segue, esattamente come\n"
                  "firmato:\n\n",
    .not_listed = "La versione %1 (file %2) non lo elenca: nessuno dei suoi elementi ha\n"
                  "la riga «item: %3».\n\n",
    .in_no_version = "L'elemento non figura in nessuna versione da 1 a %1.\n\n",
    .life = "La storia dell'elemento fino alla versione %1, come la registrano le modifiche\n"
            "dei documenti:\n",
    .step = "    versione %1: %2%3: la riga «%4 %5» nelle modifiche di %6\n",
    .op_added = "aggiunta",
    .op_modified = "modifica",
    .op_removed = "ritiro",
    .step_fields = " (%1)",
    .step_reason = " (motivo: %1)",
    .later = "La versione %1, registrata il %2, non era in vigore a quella\n"
             "data: entrambe le parti non l'avevano ancora firmata (",
    .later_agreed = "è stata approvata più\ntardi, il %1",
    .later_state = "alla creazione di questa\ncartella era: %1",
    .later_end = ").\n",
    .state_agreed = "approvata da entrambe le parti",
    .state_signed_by = {"firmata dal fornitore", "firmata dal cliente"},
    .state_proposed = "proposta",
    .not_included_one = "Il registro contava %1 versioni alla creazione di questa cartella; la "
                        "versione %2\nnon è inclusa: è stata registrata dopo il %3 o non era\n"
                        "approvata da entrambe le parti a quella data.\n",
    .not_included_many = "Il registro contava %1 versioni alla creazione di questa cartella; le "
                         "versioni\nda %2 a %3 non sono incluse: ognuna è stata registrata dopo il "
                         "%4\no non era approvata da entrambe le parti a quella data.\n",
    .latest = "La versione %1 era l'ultima versione del registro alla creazione di questa\n"
              "cartella.\n",
    .cannot_show = "\nCiò che questa cartella non può provare da sola è che nessuna versione\n"
                   "successiva era stata approvata a quella data: ciò dipende dal registro.\n"
                   "Una versione successiva le cui due firme fossero entrambe del %1\n"
                   "o di prima contraddirebbe la risposta.\n\n\n",
    .files_title = "2. I FILE\n\n",
    .file_doc = "  %1\n      Il documento di perimetro della versione %2, byte per byte: il testo\n"
                "      firmato. Registrata il %3, %4 %5,\n      ",
    .vstate_agreed = "approvata da entrambe le parti il %1",
    .vstate_never = "mai firmata",
    .vstate_not_agreed = "non approvata: firmata ",
    .vstate_and = " e ",
    .vstate_by = "dal %1%2",
    .vstate_one_key = " con una delle sue due chiavi",
    .vstate_only = " soltanto",
    .doc_never_in_force = ".\n      Mai in vigore; inclusa perché la catena dei collegamenti previous:\n"
                          "      passa per essa.\n",
    .doc_earlier = ".\n      Un perimetro precedente, incluso per la catena dei collegamenti\n"
                   "      previous:.\n",
    .doc_in_force = ".\n      Il perimetro in vigore il %1.\n",
    .file_sig = "  %1\n      La firma elettronica del %2 sulla versione %3,\n"
                "      con la chiave %4%5, firmata il %6.\n",
    .previous = "precedente ",
    .file_key = "  %1\n      La chiave pubblica %3 del %2",
    .key_named_one = ", indicata dalla versione %1",
    .key_named_many = ", indicata dalle versioni da %1 a %2",
    .key_replaced = ";\n      la versione %1 la sostituisce",
    .key_end = ".\n",
    .file_verify = "  %1\n      Questo testo.\n\n",
    .proves =
        "Che cosa prova ogni tipo di file:\n"
        "  - Un file .scope è una versione del perimetro del contratto. Da solo non prova\n"
        "    nulla: chiunque può scrivere un file di testo.\n"
        "  - Un file .minisig, verificato con minisign e con il file .pub della chiave che\n"
        "    lo ha prodotto, prova che il detentore di quella chiave segreta ha firmato\n"
        "    esattamente i byte del file .scope. Il suo commento fidato (trusted comment),\n"
        "    firmato con esso, indica il registro, la versione, il ruolo del firmatario\n"
        "    (provider: il fornitore, client: il cliente), l'hash BLAKE2b-256 del\n"
        "    documento e la data che dava l'orologio del firmatario.\n"
        "  - Un file .pub è la chiave pubblica di una parte. Confrontatelo, l'intero file\n"
        "    e non solo l'identificativo della chiave, con la chiave che quella parte ha\n"
        "    riconosciuto (per esempio nel contratto firmato): una firma non prova nulla\n"
        "    riguardo a una parte se la sua chiave non è una chiave che la parte ha\n"
        "    riconosciuto, o una chiave che una tale chiave ha approvato (cambi di chiave,\n"
        "    passo 5).\n"
        "  - Insieme: una versione firmata con le chiavi di entrambe le parti è ciò che\n"
        "    entrambe hanno approvato. La riga previous: di ogni documento è l'hash della\n"
        "    versione precedente: le versioni formano un'unica catena, che nessuna parte\n"
        "    può riscrivere da sola.\n\n\n",
    .sigs_title = "3. VERIFICARE OGNI FIRMA (minisign)\n\n"
                  "Eseguite ogni comando. Ognuno deve stampare «Signature and comment signature\n"
                  "verified» (minisign si esprime in inglese) e il commento fidato indicato\n"
                  "sotto, che indica il registro (%1),\n"
                  "la versione del file, il ruolo del firmatario e, dopo document:, l'hash che\n"
                  "il passo 4 dà per quel file.\n\n",
    .minisign = CMD_MINISIGN "      atteso: Trusted comment: %4\n",
    .no_sig = "  (la versione %1 non porta alcuna firma)\n",
    .hashes_title = "\n\n4. VERIFICARE L'HASH DI OGNI DOCUMENTO (b2sum)\n\n"
                    "Ogni comando stampa l'hash BLAKE2b-256 di un documento. Deve essere quello\n"
                    "indicato, che è l'hash document: dei commenti fidati delle firme di quella\n"
                    "versione (passo 3).\n\n",
    .b2sum = CMD_B2SUM "      atteso: %2  %1\n",
    .chain_title = "\n\n5. SEGUIRE LA CATENA (previous:)\n\n"
                   "La riga previous: di ogni documento dà l'hash della versione precedente.\n"
                   "Stampatela con il comando e confrontatela con l'hash che il passo 4 ha\n"
                   "stampato per la versione precedente; la versione 1 inizia la catena.\n\n",
    .grep = CMD_GREP,
    .expect_previous = "      atteso: previous: %1\n      (b2sum -l 256 di %2)\n",
    .expect_none = "      atteso: previous: none\n",
    .chain_end = "\nCosì, attraverso questi collegamenti, le firme della versione %1 coprono i\n"
                 "byte esatti di ogni versione precedente di questa cartella.\n\n",
    .keys_intro =
        "Chiavi: ogni documento indica nella sua intestazione le chiavi che lo firmano\n"
        "(provider-key: e client-key:). minisign -V non stampa alcun identificativo di\n"
        "chiave: rifiuta soltanto una firma il cui identificativo di chiave non è quello\n"
        "del file .pub che gli si dà. Quale chiave contiene un file .pub, e quale chiave\n"
        "ha prodotto un file .minisig, lo dice l'identificativo di chiave che portano: i\n"
        "byte da 2 a 9 della loro riga base64 (l'ultima riga di un file .pub, la seconda\n"
        "di un file .minisig), un numero little-endian scritto in esadecimale come lo\n"
        "scrivono i documenti. Ogni comando qui sotto lo stampa e deve stampare\n"
        "l'identificativo indicato; quello di un file .pub deve essere quello che indica\n"
        "l'intestazione di ogni documento che verifica. La prima riga di un file .pub\n"
        "(untrusted comment) indica anch'essa l'identificativo di chiave, ma niente firma\n"
        "quella riga.\n\n",
    .keyid_pub = CMD_KEYID_PUB "      atteso: %2\n",
    .keyid_sig = CMD_KEYID_SIG "      atteso: %2\n",
    .rotation = "La versione %1 sostituisce la chiave del %2: le sue modifiche indicano\n"
                "    key %3: %4 -> %5\n"
                "ed è firmata con la vecchia chiave come con la nuova:\n"
                "    %6\n"
                "verificata con\n"
                "    %7\n"
                "così la vecchia chiave ha approvato la sua sostituzione.\n",
    .commands_end = "\n\n",
    .sums_title = "6. VERIFICARE L'INTERA CARTELLA\n\n"
                  "L'hash BLAKE2b-256 di ogni file di questa cartella tranne questo, come\n"
                  "«b2sum -l 256» li stampa:\n\n",
    .sums_end = "\nUn solo comando li verifica tutti; ogni riga che stampa deve finire con OK:\n\n"
                CMD_SUMS "\n"
                "Questo testo non può contenere il proprio hash. scopereg lo ha stampato\n"
                "creando la cartella: chiedetelo a chi vi ha inviato la cartella, e\n"
                "confrontatelo con ciò che stampa questo comando:\n\n" CMD_SELF "\n\n"
                "7. CON SCOPEREG (FACOLTATIVO)\n\n" CMD_SCOPEREG "\n"
                "verifica tutto quanto sopra in una volta: la grammatica e l'hash di ogni\n"
                "documento, ogni firma con i file .pub, la catena dei collegamenti previous:\n"
                "e i cambi di chiave. Non ha bisogno del registro.\n",
};

const out_verify_words *out_verify_words_for(const char *lang)
{
    if (lang && !strcmp(lang, "fr"))
        return &out_verify_fr;
    if (lang && !strcmp(lang, "de"))
        return &out_verify_de;
    if (lang && !strcmp(lang, "it"))
        return &out_verify_it;
    return &out_verify_en;
}

/* Scratch strings: numbers, dates, escaped text. */
typedef struct scratch {
    char num[4][24];
    char date[2][32];
    inv_buf esc;
} scratch;

static const char *num(scratch *s, int i, int64_t v)
{
    snprintf(s->num[i], sizeof s->num[i], "%lld", (long long)v);
    return s->num[i];
}

static const char *when(scratch *s, int i, int64_t t)
{
    inv_time_format(t, s->date[i], sizeof s->date[i]);
    return s->date[i];
}

static const char *esc(scratch *s, const char *text)
{
    s->esc.len = 0;
    inv_buf_add(&s->esc, "", 0);
    inv_escape(&s->esc, text ? text : "");
    return s->esc.data ? s->esc.data : "";
}

typedef struct ctx {
    const inv_evidence *E;
    const inv_ev_version *N;
    const out_verify_words *w;
    inv_buf *b;
    scratch s;
} ctx;

static const char *items_word(const ctx *c, int64_t n)
{
    return n == 1 ? c->w->item_one : c->w->item_many;
}

/* "agreed 2026-...", "signed by the provider only", "never signed"... */
static void state_words(ctx *c, const inv_ev_version *V)
{
    const out_verify_words *w = c->w;
    const inv_sig_state *s = &V->st;
    if (V->agreed_at) {
        out_say(c->b, w->vstate_agreed, when(&c->s, 0, V->agreed_at), NULL);
        return;
    }
    if (!s->party[0].have && !s->party[1].have) {
        out_say(c->b, w->vstate_never, NULL);
        return;
    }
    out_say(c->b, w->vstate_not_agreed, NULL);
    int first = 1;
    for (int i = 0; i < 2; i++) {
        if (!s->party[i].have)
            continue;
        if (!first)
            out_say(c->b, w->vstate_and, NULL);
        out_say(c->b, w->vstate_by, w->role[i],
            s->party[i].have < s->party[i].need ? w->vstate_one_key : "", NULL);
        first = 0;
    }
    out_say(c->b, w->vstate_only, NULL);
}

static const char *state_name(const out_verify_words *w, const inv_sig_state *s)
{
    if (inv_sig_agreed(s))
        return w->state_agreed;
    if (s->party[0].signed_)
        return w->state_signed_by[0];
    if (s->party[1].signed_)
        return w->state_signed_by[1];
    return w->state_proposed;
}

/* The item as version N lists it, then the blocks of the services and
 * class its coverage names (a /2 version), each line indented. */
static void item_block(ctx *c)
{
    inv_buf ib = {0};
    int lost = 0;
    for (size_t i = 0; !lost && i < c->E->nterms; i++)
        lost = inv_buf_puts(&ib, "\n") < 0 || inv_term_format(&ib, &c->E->terms[i]);
    inv_buf terms = ib;
    ib = (inv_buf){0};
    if (lost || inv_item_format(&ib, &c->E->item) ||
        (terms.len && inv_buf_add(&ib, terms.data, terms.len))) {
        inv_buf_fail(c->b); /* no VERIFY.txt without its item */
    } else {
        const char *p = ib.data, *end = ib.data + ib.len;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
            if (n)
                inv_buf_puts(c->b, "    ");
            inv_buf_add(c->b, p, n);
            inv_buf_puts(c->b, "\n");
            p += n + (nl != NULL);
        }
    }
    inv_buf_free(&ib);
    inv_buf_free(&terms);
    inv_buf_puts(c->b, "\n");
}

static void item_life(ctx *c)
{
    const inv_evidence *E = c->E;
    const out_verify_words *w = c->w;
    if (!E->nsteps) {
        out_say(c->b, w->in_no_version, num(&c->s, 0, c->N->n), NULL);
        return;
    }
    out_say(c->b, w->life, num(&c->s, 0, c->N->n), NULL);
    for (size_t i = 0; i < E->nsteps; i++) {
        const inv_ev_step *s = &E->steps[i];
        const inv_ev_version *V = &E->v[s->version - 1];
        inv_buf detail = {0};
        char sign[2] = {s->op, '\0'};
        if (s->op == '~' && s->detail[0])
            out_say(&detail, w->step_fields, s->detail, NULL);
        else if (s->op == '-')
            out_say(&detail, w->step_reason, s->detail, NULL);
        out_say(c->b, w->step, num(&c->s, 0, s->version),
            s->op == '+' ? w->op_added : s->op == '~' ? w->op_modified : w->op_removed,
            detail.data ? detail.data : "", sign, esc(&c->s, E->id), V->doc, NULL);
        inv_buf_free(&detail);
    }
    inv_buf_puts(c->b, "\n");
}

static void add_answer(ctx *c)
{
    const inv_evidence *E = c->E;
    const inv_ev_version *N = c->N;
    const out_verify_words *w = c->w;
    scratch *s = &c->s;
    out_say(c->b, w->answer_title, NULL);
    if (E->id) {
        out_say(c->b, w->asked_item, esc(s, E->id), E->when, E->at_given ? "" : w->made_item, NULL);
        out_say(c->b, w->answer_item, E->found ? w->yes : w->no, NULL);
    } else {
        out_say(c->b, w->asked_scope, E->when, E->at_given ? "" : w->made_scope, NULL);
        out_say(c->b, w->answer_scope, num(s, 0, N->n), num(s, 1, N->item_count),
            items_word(c, N->item_count), NULL);
    }
    out_say(c->b, w->in_force, E->when, num(s, 0, N->n), when(s, 0, N->date), NULL);
    for (int i = 0; i < 2; i++)
        out_say(c->b, w->signed_by[i], when(s, 0, N->st.party[i].at), NULL);
    out_say(c->b, w->agreed, when(s, 0, N->agreed_at), NULL);
    if (E->id && E->found) {
        out_say(c->b, w->lists_item, num(s, 0, N->n), N->doc, NULL);
        item_block(c);
    } else if (E->id) {
        out_say(c->b, w->not_listed, num(s, 0, N->n), N->doc, esc(s, E->id), NULL);
    }
    if (E->id)
        item_life(c);
    if (E->inf.latest > E->inf.version) {
        out_say(c->b, w->later, num(s, 0, E->inf.latest), when(s, 0, E->later_date), NULL);
        if (E->later_agreed)
            out_say(c->b, w->later_agreed, when(s, 0, E->later_agreed), NULL);
        else
            out_say(c->b, w->later_state, state_name(w, &E->later_st), NULL);
        out_say(c->b, w->later_end, NULL);
    }
    if (E->latest == N->n + 1)
        out_say(c->b, w->not_included_one, num(s, 0, E->latest), num(s, 1, E->latest), E->when,
            NULL);
    else if (E->latest > N->n)
        out_say(c->b, w->not_included_many, num(s, 0, E->latest), num(s, 1, N->n + 1),
            num(s, 2, E->latest), E->when, NULL);
    else
        out_say(c->b, w->latest, num(s, 0, N->n), NULL);
    out_say(c->b, w->cannot_show, E->when, NULL);
}

static void add_files(ctx *c)
{
    const inv_evidence *E = c->E;
    const out_verify_words *w = c->w;
    scratch *s = &c->s;
    out_say(c->b, w->files_title, NULL);
    for (int64_t k = 0; k < E->nv; k++) {
        const inv_ev_version *V = &E->v[k];
        out_say(c->b, w->file_doc, V->doc, num(s, 0, V->n), when(s, 1, V->date),
            num(s, 1, V->item_count), items_word(c, V->item_count), NULL);
        state_words(c, V);
        if (k + 1 < E->nv && !V->agreed_at)
            out_say(c->b, w->doc_never_in_force, NULL);
        else if (k + 1 < E->nv)
            out_say(c->b, w->doc_earlier, NULL);
        else
            out_say(c->b, w->doc_in_force, E->when, NULL);
        for (size_t j = 0; j < V->nsigs; j++) {
            const inv_ev_sig *g = &V->sigs[j];
            out_say(c->b, w->file_sig, g->file, w->role[g->role], num(s, 0, V->n),
                g->old ? w->previous : "", g->key_id, when(s, 0, g->signed_at), NULL);
        }
    }
    for (size_t i = 0; i < E->nkeys; i++) {
        const inv_ev_key *k = &E->keys[i];
        out_say(c->b, w->file_key, k->file, w->role[k->role], k->id, NULL);
        if (k->from == k->to)
            out_say(c->b, w->key_named_one, num(s, 0, k->from), NULL);
        else if (k->from)
            out_say(c->b, w->key_named_many, num(s, 0, k->from), num(s, 1, k->to), NULL);
        if (k->replaced)
            out_say(c->b, w->key_replaced, num(s, 0, k->replaced), NULL);
        out_say(c->b, w->key_end, NULL);
    }
    out_say(c->b, w->file_verify, OUT_VERIFY_NAME, NULL);
    out_say(c->b, w->proves, NULL);
}

static void add_commands(ctx *c)
{
    const inv_evidence *E = c->E;
    const out_verify_words *w = c->w;
    scratch *s = &c->s;
    out_say(c->b, w->sigs_title, E->register_id, NULL);
    for (int64_t k = 0; k < E->nv; k++) {
        const inv_ev_version *V = &E->v[k];
        for (size_t j = 0; j < V->nsigs; j++) {
            const inv_ev_sig *g = &V->sigs[j];
            const inv_ev_key *key = inv_evidence_key(E, g->role, g->key_id);
            out_say(c->b, w->minisign, V->doc, key ? key->file : "?", g->file, g->trusted, NULL);
        }
        if (!V->nsigs)
            out_say(c->b, w->no_sig, num(s, 0, V->n), NULL);
        /* its checkpoint's signatures, over <stem>-vN.checkpoint */
        for (size_t j = 0; j < V->ncpsigs; j++) {
            const inv_ev_sig *g = &V->cpsigs[j];
            const inv_ev_key *key = inv_evidence_key(E, g->role, g->key_id);
            out_say(c->b, w->minisign, V->cp_file, key ? key->file : "?", g->file, g->trusted,
                    NULL);
        }
    }
    out_say(c->b, w->hashes_title, NULL);
    for (int64_t k = 0; k < E->nv; k++) {
        const inv_ev_version *V = &E->v[k];
        out_say(c->b, w->b2sum, V->doc, V->hash + sizeof CR_HASH_PREFIX - 1, NULL);
    }
    out_say(c->b, w->chain_title, NULL);
    for (int64_t k = E->nv - 1; k >= 0; k--) {
        const inv_ev_version *V = &E->v[k];
        out_say(c->b, w->grep, V->doc, NULL);
        if (k > 0)
            out_say(c->b, w->expect_previous, V->previous, E->v[k - 1].doc, NULL);
        else
            out_say(c->b, w->expect_none, NULL);
    }
    out_say(c->b, w->chain_end, num(s, 0, c->N->n), NULL);
    out_say(c->b, w->keys_intro, NULL);
    for (size_t i = 0; i < E->nkeys; i++)
        out_say(c->b, w->keyid_pub, E->keys[i].file, E->keys[i].id, NULL);
    for (int64_t k = 0; k < E->nv; k++) {
        for (size_t j = 0; j < E->v[k].nsigs; j++)
            out_say(c->b, w->keyid_sig, E->v[k].sigs[j].file, E->v[k].sigs[j].key_id, NULL);
        for (size_t j = 0; j < E->v[k].ncpsigs; j++)
            out_say(c->b, w->keyid_sig, E->v[k].cpsigs[j].file, E->v[k].cpsigs[j].key_id, NULL);
    }
    int any = 0;
    for (int64_t k = 0; k < E->nv; k++) {
        const inv_ev_version *V = &E->v[k];
        for (int i = 0; i < 2; i++) {
            if (!V->old_key[i][0])
                continue;
            const inv_ev_key *ok = inv_evidence_key(E, i, V->old_key[i]);
            char oldsig[256];
            inv_bundle_name(oldsig, sizeof oldsig, INV_FILE_OLD_SIG, E->stem, V->n, i, NULL);
            if (!any)
                inv_buf_puts(c->b, "\n");
            out_say(c->b, w->rotation, num(s, 0, V->n), w->role[i], inv_roles[i], V->old_key[i],
                V->key[i], oldsig, ok ? ok->file : "?", NULL);
            any = 1;
        }
    }
    out_say(c->b, w->commands_end, NULL);
}

static void add_sums(ctx *c, const out_file_sum *files, size_t nfiles)
{
    out_say(c->b, c->w->sums_title, NULL);
    for (size_t i = 0; i < nfiles; i++)
        out_say(c->b, "%1  %2\n", files[i].hash + sizeof CR_HASH_PREFIX - 1, files[i].name, NULL);
    out_say(c->b, c->w->sums_end, OUT_VERIFY_NAME, NULL);
}

char *out_verify_txt(const inv_evidence *E, const out_file_sum *files, size_t nfiles,
                     const char *tool_version, const out_verify_words *w)
{
    inv_buf b = {0};
    ctx c;
    memset(&c, 0, sizeof c);
    c.E = E;
    c.N = &E->v[E->nv - 1];
    c.w = w ? w : &out_verify_en;
    c.b = &b;
    scratch *s = &c.s;
    w = c.w;
    out_say(&b, w->title, NULL);
    out_say(&b, w->contract, esc(s, E->contract), NULL);
    out_say(&b, w->register_, E->register_id, NULL);
    for (int i = 0; i < 2; i++)
        out_say(&b, w->party[i], esc(s, E->party[i]), c.N->key[i], num(s, 0, c.N->n), NULL);
    out_say(&b, w->made, when(s, 0, E->made), tool_version, NULL);
    out_say(&b, w->intro, NULL);
    add_answer(&c);
    add_files(&c);
    add_commands(&c);
    add_sums(&c, files, nfiles);
    int failed = !s->esc.data || s->esc.failed;
    inv_buf_free(&s->esc);
    if (failed) {
        inv_buf_free(&b);
        return NULL;
    }
    return inv_buf_take(&b);
}
