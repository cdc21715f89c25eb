/* proof_words_de.c - the German (Switzerland: ss, never a sharp s) words of a proof's VERIFY.txt. */
#include "proof_txt.h"

const out_proof_words out_proof_de = {
    .title = "DIESEN NACHWEIS PRÜFEN\n======================\n\n",
    .contract = "Vertrag:  %1\n",
    .register_ = "Register: %1\n",
    .made = "Erstellt: %1 mit scopereg %2 aus dem Register des Vertrags\n\n",
    .intro =
        "Dieser Ordner weist eine Antwort zu einem Element des Leistungsumfangs eines\n"
        "IT-Outsourcing-Vertrags nach, ohne den übrigen Umfang. Für jede Version haben\n"
        "beide Parteien einen Prüfpunkt signiert, der die Wurzel eines Merkle-Baums\n"
        "über ihre Elemente enthält (RFC 9162, BLAKE2b-256). Zur Prüfung ohne scopereg\n"
        "führen Sie die Befehle unten der Reihe nach in einer einzigen bash-Shell in\n"
        "diesem Ordner aus, mit minisign und GNU coreutils: jeder folgt auf ein '$',\n"
        "was er ausgeben muss, auf ein '>'. Zeiten in UTC.\n\n\n",
    .role = {"Dienstleister", "Kunde"},
    .answer_title = "1. DIE ANTWORT\n\n",
    .asked = "Frage:   War \"%1\" im von beiden Parteien genehmigten Leistungsumfang\n"
             "         am %2?\n",
    .answer = "Antwort: %1.\n\n",
    .yes = "JA",
    .no = "NEIN",
    .in_force = "Version %1 galt: der Dienstleister hat ihr Dokument am %2\n"
                "signiert, der Kunde am %3 (document-signed: ihrer\n"
                "Prüfpunkt-Signaturen).\n",
    .lists_item = "Sie führt das Element an Index %1 auf: item.txt ist sein Block wie signiert.\n",
    .between = "Sie führt %1 Elemente nach Kennung sortiert auf (byteweise):\n"
               "\"%2\" läge zwischen den Nachbarn an den Indizes %3 und %4 (before.txt,\n"
               "after.txt), ist also keines davon.\n",
    .before_first = "Sie führt %1 Elemente nach Kennung sortiert auf (byteweise):\n"
                    "\"%2\" käme vor dem ersten (after.txt, Index 0), ist also keines davon.\n",
    .after_last = "Sie führt %1 Elemente nach Kennung sortiert auf (byteweise):\n"
                  "\"%2\" käme nach dem letzten (before.txt, Index %3), ist also keines\n"
                  "davon.\n",
    .empty = "Sie führt kein Element auf, also auch nicht \"%1\".\n",
    .later = "Version %1 galt damals nicht: %2.\n",
    .later_agreed = "beide Parteien haben ihr Dokument erst am\n%1 signiert",
    .later_not = "ihr Prüfpunkt ist nicht von beiden Parteien signiert",
    .cannot_show =
        "\nDer Ordner kann keine bis am %1 genehmigte Version\n"
        "nach Version %2, seiner letzten, ausschliessen: die Antwort gilt, ausser die\n"
        "andere Partei hat einen späteren Prüfpunkt, dessen beide Signaturen bis dahin\n"
        "datiert sind (document-signed:).\n"
        "proof.txt und dieser Text sind nicht signiert (at: und made: sind Behauptungen);\n"
        "die Prüfpunkte schon.\n\n",
    .excluded =
        "\nKeine Version nach Version %2 kann bis am %1 genehmigt worden\n"
        "sein: Version %3, deren Prüfpunkt beide Parteien signiert haben, ist auf\n"
        "%4 datiert, und keine Version ist vor der datiert, der sie folgt.\n"
        "proof.txt und dieser Text sind nicht signiert (at: und made: sind Behauptungen);\n"
        "die Prüfpunkte schon.\n\n",
    .discloses_item = "Offengelegt: nur dieses Element; Prüfpunkte und Prüfpfade enthalten Zahlen,\n"
                      "Daten und Hashes, die nichts über die anderen Elemente verraten.\n\n",
    .discloses_two = "Offengelegt: die beiden Nachbarn der erfragten Kennung, vollständig (ein\n"
                     "Blatt ist ein ganzer Elementblock; ihre Kennungen zeigen, wo die Kennung\n"
                     "läge), und kein anderes Element; Prüfpunkte und Prüfpfade enthalten Zahlen,\n"
                     "Daten und Hashes.\n\n",
    .discloses_one = "Offengelegt: der einzige Nachbar der erfragten Kennung, vollständig (%1:\n"
                     "ein Blatt ist ein ganzer Elementblock; seine Kennung zeigt, wo die Kennung\n"
                     "läge), und kein anderes Element; Prüfpunkte und Prüfpfade enthalten Zahlen,\n"
                     "Daten und Hashes.\n\n",
    .discloses_none = "Offengelegt: kein Element, die Version führt keines auf.\n\n",
    .sigs_title = "\n%1. DIE SIGNATUREN DER PRÜFPUNKTE\n\n"
                  "Jeder Trusted comment: nennt Register, Version, Rolle und Wurzel, und wann\n"
                  "der Schlüssel das Dokument der Version (document-signed:) und den Prüfpunkt\n"
                  "signiert hat. In Kraft ist die letzte Version, deren beide Signaturen\n"
                  "document-signed:-Daten bis zum gefragten Datum nennen; kein späterer\n"
                  "Prüfpunkt darf zwei solche haben.\n\n",
    .no_sig = "  (der Prüfpunkt von Version %1 trägt keine Signatur)\n",
    .chain_title = "\n\n%1. DIE KETTE DER PRÜFPUNKTE\n\n"
                   "Jedes previous: muss das document: des vorherigen Prüfpunkts sein, jedes\n"
                   "root: die Wurzel, die seine Signaturen nennen, register: und contract:\n"
                   "überall gleich; date: sagt, wann jede Version erstellt wurde.\n\n",
    .path_title = "\n\n%1. VOM BLATT ZUR WURZEL VON %2\n\n"
                  "Der Hash eines Blatts ist BLAKE2b-256 eines Null-Bytes und des Blatts; node\n"
                  "gibt den eines Bytes 1 und zweier Hashes aus, links dann rechts. Die Schleife\n"
                  "folgt dem Pfad des Blatts (path:-Zeilen von proof.txt) ab seinem index: i, s\n"
                  "ist items: des Prüfpunkts minus 1, wie RFC 9162 (2.1.3.2): der Hash des Pfads\n"
                  "kommt nach links bei ungeradem Index oder dem letzten (der dann aufsteigt,\n"
                  "solange er gerade ist), sonst nach rechts; jede Ebene halbiert i und s. Am\n"
                  "Ende muss s 0 sein (der Pfad passt zum Index; wird s vorher 0, gibt sie\n"
                  "too-long aus) und der letzte Hash die Wurzel des Prüfpunkts.\n\n",
    .path_none = "%1 ist das einzige Blatt: sein Hash ist die Wurzel.\n",
    .empty_title = "\n\n%1. DER LEERE BAUM\n\n"
                   "Die Version führt kein Element auf: die Wurzel von %2 muss der\n"
                   "BLAKE2b-256 von nichts sein.\n\n",
    .order_title = "\n%1. DIE NACHBARN LIEGEN NEBENEINANDER\n\n"
                   "Byteweise sortiert liegt \"%2\" zwischen den Kennungen der gezeigten\n"
                   "Blätter, deren Indizes aufeinander folgen (am Rand: Index 0 oder die\n"
                   "Baumgrösse minus 1), also hat kein Element der Version diese Kennung. Die\n"
                   "Indizes liest index, wie die Schleifen sie lesen; der letzte Befehl gibt\n"
                   "sie und ihre Differenz aus.\n\n",
    .keys_title = "\n%1. DIE SCHLÜSSEL\n\n"
                  "keyid gibt die Schlüsselkennung einer Datei aus. Vergleichen Sie jede\n"
                  ".pub-Datei mit dem Schlüssel, den ihre Partei anerkannt hat (im signierten\n"
                  "Vertrag): sonst beweist eine Signatur nichts über eine Partei. Jede Signatur\n"
                  "muss die Kennung tragen, die ihr Prüfpunkt für die Rolle des Unterzeichners\n"
                  "nennt.\n\n",
    .key_change = "Version %1 ersetzt für die Rolle %2 den Schlüssel %3\n"
                  "durch %4; der alte hat ihren Prüfpunkt auch signiert\n"
                  "(%5), um für den neuen einzustehen.\n",
    .scopereg = "\n%1. MIT SCOPEREG (OPTIONAL)\n\n    scopereg verify --proof .\n\n"
                "prüft all dies auf einmal.\n",
};
