/* proof_words_fr.c - the French (Suisse romande) words of a proof's VERIFY.txt (output/proof_txt.h). */
#include "proof_txt.h"

const out_proof_words out_proof_fr = {
    .title = "VÉRIFIER CETTE PREUVE\n=====================\n\n",
    .contract = "Contrat :  %1\n",
    .register_ = "Registre : %1\n",
    .made = "Établie :  %1 par scopereg %2 depuis le registre du contrat\n\n",
    .intro =
        "Ce dossier prouve une réponse sur un élément du périmètre d'un contrat\n"
        "d'infogérance, sans le reste. Pour chaque version, les deux parties ont signé\n"
        "un point de contrôle portant la racine d'un arbre de Merkle de ses éléments\n"
        "(RFC 9162, BLAKE2b-256). Pour vérifier sans scopereg, lancez dans l'ordre les\n"
        "commandes ci-dessous dans un même shell bash, dans ce dossier, avec minisign\n"
        "et GNU coreutils : chacune suit un '$', ce qu'elle doit afficher un '>'.\n"
        "Dates en UTC.\n\n\n",
    .role = {"prestataire", "client"},
    .answer_title = "1. LA RÉPONSE\n\n",
    .asked = "Question : « %1 » était-il dans le périmètre approuvé par les deux\n"
             "           parties le %2 ?\n",
    .answer = "Réponse :  %1.\n\n",
    .yes = "OUI",
    .no = "NON",
    .in_force = "La version %1 était en vigueur : le prestataire a signé son document le\n"
                "%2, le client le %3 (document-signed: des\n"
                "signatures de leur point de contrôle).\n",
    .lists_item = "Elle contient l'élément à l'index %1 : item.txt est son bloc tel que signé.\n",
    .between = "Elle compte %1 éléments triés par identifiant (octet par octet) :\n"
               "« %2 » tomberait entre les voisins aux index %3 et %4 (before.txt,\n"
               "after.txt) : il n'y figure donc pas.\n",
    .before_first = "Elle compte %1 éléments triés par identifiant (octet par octet) :\n"
                    "« %2 » se classerait avant le premier (after.txt, index 0) : il n'y\n"
                    "figure donc pas.\n",
    .after_last = "Elle compte %1 éléments triés par identifiant (octet par octet) :\n"
                  "« %2 » se classerait après le dernier (before.txt, index %3) : il n'y\n"
                  "figure donc pas.\n",
    .empty = "Elle ne compte aucun élément, donc pas « %1 ».\n",
    .later = "La version %1 n'était pas en vigueur alors : %2.\n",
    .later_agreed = "les deux parties\nn'ont signé son document que le %1",
    .later_not = "les deux parties\nn'ont pas signé son point de contrôle",
    .cannot_show =
        "\nLe dossier ne peut exclure une version après la version %2, sa dernière,\n"
        "approuvée le %1 au plus tard : la réponse tient sauf si\n"
        "l'autre partie a un point de contrôle ultérieur aux deux signatures datées\n"
        "jusque-là (document-signed:).\n"
        "proof.txt et ce texte ne sont pas signés (at: et made: sont des affirmations) ;\n"
        "les points de contrôle le sont.\n\n",
    .excluded =
        "\nAucune version après la version %2 n'a pu être approuvée au %1 :\n"
        "la version %3, dont les deux parties ont signé le point de contrôle, est datée\n"
        "du %4, et aucune version n'est datée avant celle qu'elle suit.\n"
        "proof.txt et ce texte ne sont pas signés (at: et made: sont des affirmations) ;\n"
        "les points de contrôle le sont.\n\n",
    .discloses_item = "Révélé : cet élément seul ; points de contrôle et chemins d'audit\n"
                      "contiennent nombres, dates et hachages, qui ne révèlent rien des autres.\n\n",
    .discloses_two = "Révélés : en entier, les deux éléments voisins de l'identifiant demandé (une\n"
                     "feuille est un bloc entier ; leurs identifiants le situent), aucun autre ;\n"
                     "points de contrôle et chemins d'audit contiennent nombres, dates et hachages.\n\n",
    .discloses_one = "Révélé : en entier, le seul élément voisin de l'identifiant demandé\n"
                     "(%1 : une feuille est un bloc entier ; son identifiant le situe), aucun\n"
                     "autre ; points de contrôle et chemins d'audit contiennent nombres, dates et\n"
                     "hachages.\n\n",
    .discloses_none = "Révélé : aucun élément, la version n'en compte aucun.\n\n",
    .sigs_title = "\n%1. LES SIGNATURES DES POINTS DE CONTRÔLE\n\n"
                  "Chaque Trusted comment: nomme registre, version, rôle et racine, et quand la\n"
                  "clé a signé le document de la version (document-signed:) et le point de\n"
                  "contrôle. La version en vigueur est la dernière dont les deux signatures\n"
                  "indiquent des dates document-signed: au plus tard à la date demandée ; aucun\n"
                  "point de contrôle ultérieur ne peut en avoir deux telles.\n\n",
    .no_sig = "  (point de contrôle de la version %1 sans signature)\n",
    .chain_title = "\n\n%1. LA CHAÎNE DES POINTS DE CONTRÔLE\n\n"
                   "Chaque previous: doit être le document: du point de contrôle précédent,\n"
                   "chaque root: celle que nomment ses signatures, register: et contract: les\n"
                   "mêmes partout ; date: dit quand chaque version a été créée.\n\n",
    .path_title = "\n\n%1. DE LA FEUILLE À LA RACINE DE %2\n\n"
                  "Une feuille se hache en BLAKE2b-256 d'un octet nul et de la feuille ; node,\n"
                  "d'un octet 1 et de deux hachages, gauche puis droite. La boucle suit le\n"
                  "chemin (lignes path: de proof.txt) depuis l'index: i de la feuille, s étant\n"
                  "items: du point de contrôle moins 1, selon la RFC 9162 (2.1.3.2) : le\n"
                  "hachage du chemin va à gauche à un index impair ou au dernier (qui monte\n"
                  "tant qu'il est pair), sinon à droite ; chaque niveau divise i et s par deux.\n"
                  "Si s atteint 0 avant la fin du chemin, elle affiche too-long ; à la fin, s\n"
                  "doit valoir 0 (le chemin correspond à l'index) et le dernier hachage être\n"
                  "la racine.\n\n",
    .path_none = "%1 est la seule feuille : son hachage est la racine.\n",
    .empty_title = "\n\n%1. L'ARBRE VIDE\n\n"
                   "La version ne compte aucun élément : la racine de %2 doit être\n"
                   "le BLAKE2b-256 de rien.\n\n",
    .order_title = "\n%1. LES VOISINS SE SUIVENT\n\n"
                   "Octet par octet, « %2 » se classe entre les identifiants des feuilles\n"
                   "montrées, aux index voisins (en bordure : index 0, ou la taille de l'arbre\n"
                   "moins 1) : aucun élément de la version n'a donc cet identifiant. Les index\n"
                   "sont lus par index, comme les boucles les lisent ; la dernière commande les\n"
                   "affiche avec leur différence.\n\n",
    .keys_title = "\n%1. LES CLÉS\n\n"
                  "keyid affiche l'identifiant de clé d'un fichier. Comparez chaque .pub avec la\n"
                  "clé reconnue par sa partie (dans le contrat signé) : sinon une signature ne\n"
                  "prouve rien sur une partie. Chaque signature doit porter l'identifiant que\n"
                  "son point de contrôle nomme pour le rôle du signataire.\n\n",
    .key_change = "La version %1 remplace la clé %3 du %2\n"
                  "par %4 : l'ancienne a aussi signé son point de contrôle\n"
                  "(%5) pour garantir la nouvelle.\n",
    .scopereg = "\n%1. AVEC SCOPEREG (FACULTATIF)\n\n    scopereg verify --proof .\n\n"
                "vérifie tout cela d'un coup.\n",
};
