/* proof_words_it.c - the Italian (Ticino) words of a proof's VERIFY.txt (output/proof_txt.h). */
#include "proof_txt.h"

const out_proof_words out_proof_it = {
    .title = "VERIFICARE QUESTA PROVA\n=======================\n\n",
    .contract = "Contratto: %1\n",
    .register_ = "Registro:  %1\n",
    .made = "Creata:    %1 da scopereg %2, dal registro del contratto\n\n",
    .intro =
        "Questa cartella prova una risposta su un elemento del perimetro di un contratto\n"
        "di gestione dei servizi IT, senza il resto. Per ogni versione, entrambe le\n"
        "parti hanno firmato un punto di controllo con la radice di un albero di Merkle\n"
        "dei suoi elementi (RFC 9162, BLAKE2b-256). Per verificarla senza scopereg,\n"
        "eseguite in ordine i comandi qui sotto in un'unica shell bash, in questa\n"
        "cartella, con minisign e GNU coreutils: ognuno segue un '$', ciò che deve\n"
        "stampare un '>'. Date in UTC.\n\n\n",
    .role = {"fornitore", "cliente"},
    .answer_title = "1. LA RISPOSTA\n\n",
    .asked = "Domanda:  l'elemento «%1» era nel perimetro approvato da\n"
             "          entrambe le parti il %2?\n",
    .answer = "Risposta: %1.\n\n",
    .yes = "SÌ",
    .no = "NO",
    .in_force = "La versione %1 era in vigore: il fornitore ha firmato il suo documento il\n"
                "%2, il cliente il %3 (document-signed: delle\n"
                "loro firme del punto di controllo).\n",
    .lists_item = "Elenca l'elemento all'indice %1: item.txt è il suo blocco come firmato.\n",
    .between = "Elenca %1 elementi ordinati per identificativo (byte per byte):\n"
               "«%2» cadrebbe tra i vicini agli indici %3 e %4 (before.txt,\n"
               "after.txt), quindi non è tra essi.\n",
    .before_first = "Elenca %1 elementi ordinati per identificativo (byte per byte):\n"
                    "«%2» verrebbe prima del primo (after.txt, indice 0), quindi non è tra\n"
                    "essi.\n",
    .after_last = "Elenca %1 elementi ordinati per identificativo (byte per byte):\n"
                  "«%2» verrebbe dopo l'ultimo (before.txt, indice %3), quindi non è tra\n"
                  "essi.\n",
    .empty = "Non elenca alcun elemento, quindi nemmeno «%1».\n",
    .later = "La versione %1 non era in vigore allora: %2.\n",
    .later_agreed = "entrambe le parti hanno firmato il suo\ndocumento solo il %1",
    .later_not = "il suo punto di controllo non è firmato\nda entrambe le parti",
    .cannot_show =
        "\nLa cartella non può escludere una versione dopo la versione %2, la sua ultima,\n"
        "approvata entro il %1: la risposta vale salvo che l'altra\n"
        "parte abbia un punto di controllo successivo con entrambe le firme datate\n"
        "fino ad allora (document-signed:).\n"
        "proof.txt e questo testo non sono firmati (at: e made: sono affermazioni); i\n"
        "punti di controllo sì.\n\n",
    .excluded =
        "\nNessuna versione dopo la versione %2 può essere stata approvata entro il\n"
        "%1: la versione %3, di cui entrambe le parti hanno firmato il\n"
        "punto di controllo, è datata %4, e nessuna versione è datata prima di\n"
        "quella che segue.\n"
        "proof.txt e questo testo non sono firmati (at: e made: sono affermazioni); i\n"
        "punti di controllo sì.\n\n",
    .discloses_item = "Rivelato: solo questo elemento; punti di controllo e percorsi di audit\n"
                      "contengono conteggi, date e hash, che non rivelano nulla degli altri.\n\n",
    .discloses_two = "Rivelati: per intero, i due elementi vicini all'identificativo chiesto (una\n"
                     "foglia è un blocco intero; i loro identificativi lo situano), nessun altro;\n"
                     "punti di controllo e percorsi di audit contengono conteggi, date e hash.\n\n",
    .discloses_one = "Rivelato: per intero, l'unico elemento vicino all'identificativo chiesto\n"
                     "(%1: una foglia è un blocco intero; il suo identificativo lo situa),\n"
                     "nessun altro; punti di controllo e percorsi di audit contengono conteggi,\n"
                     "date e hash.\n\n",
    .discloses_none = "Rivelato: nessun elemento, la versione non ne elenca.\n\n",
    .sigs_title = "\n%1. LE FIRME DEI PUNTI DI CONTROLLO\n\n"
                  "Ogni Trusted comment: indica registro, versione, ruolo e radice, e quando la\n"
                  "chiave ha firmato il documento della versione (document-signed:) e il punto\n"
                  "di controllo. In vigore è l'ultima versione le cui due firme indicano date\n"
                  "document-signed: entro la data chiesta; nessun punto di controllo successivo\n"
                  "può averne due tali.\n\n",
    .no_sig = "  (punto di controllo della versione %1 senza firma)\n",
    .chain_title = "\n\n%1. LA CATENA DEI PUNTI DI CONTROLLO\n\n"
                   "Ogni previous: deve essere il document: del punto di controllo precedente,\n"
                   "ogni root: quella che indicano le sue firme, register: e contract: gli\n"
                   "stessi ovunque; date: dice quando ogni versione è stata creata.\n\n",
    .path_title = "\n\n%1. DALLA FOGLIA ALLA RADICE DI %2\n\n"
                  "L'hash di una foglia è BLAKE2b-256 di un byte zero e della foglia; node dà\n"
                  "quello di un byte uno e di due hash, sinistra poi destra. Il ciclo segue il\n"
                  "percorso (righe path: di proof.txt) dall'index: i della foglia, s essendo\n"
                  "items: del punto di controllo meno 1, come la RFC 9162 (2.1.3.2): l'hash del\n"
                  "percorso va a sinistra a un indice dispari o all'ultimo (che sale finché è\n"
                  "pari), altrimenti a destra; ogni livello dimezza i e s. Se s arriva a 0\n"
                  "prima della fine del percorso, stampa too-long; alla fine s deve valere 0\n"
                  "(il percorso corrisponde all'indice) e l'ultimo hash essere la radice del\n"
                  "punto di controllo.\n\n",
    .path_none = "%1 è l'unica foglia: il suo hash è la radice.\n",
    .empty_title = "\n\n%1. L'ALBERO VUOTO\n\n"
                   "La versione non elenca alcun elemento: la radice di %2\n"
                   "deve essere il BLAKE2b-256 del nulla.\n\n",
    .order_title = "\n%1. I VICINI SONO ADIACENTI\n\n"
                   "Byte per byte, «%2» cade tra gli identificativi delle foglie mostrate,\n"
                   "i cui indici sono adiacenti (a un estremo: indice 0, o la dimensione\n"
                   "dell'albero meno 1): nessun elemento della versione ha quell'identificativo.\n"
                   "Gli indici sono letti da index, come li leggono i cicli; l'ultimo comando li\n"
                   "stampa con la loro differenza.\n\n",
    .keys_title = "\n%1. LE CHIAVI\n\n"
                  "keyid stampa l'identificativo di chiave di un file. Confrontate ogni .pub con\n"
                  "la chiave riconosciuta dalla sua parte (nel contratto firmato): altrimenti una\n"
                  "firma non prova nulla su una parte. Ogni firma deve portare l'identificativo\n"
                  "che il suo punto di controllo indica per il ruolo del firmatario.\n\n",
    .key_change = "La versione %1 sostituisce la chiave %3 del %2\n"
                  "con %4: la vecchia ha firmato anche il suo punto di\n"
                  "controllo (%5), a garanzia della nuova.\n",
    .scopereg = "\n%1. CON SCOPEREG (FACOLTATIVO)\n\n    scopereg verify --proof .\n\n"
                "verifica tutto ciò in una volta.\n",
};
