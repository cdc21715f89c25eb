/* proof_words_en.c - the English words of a proof's VERIFY.txt (output/proof_txt.h). */
#include "proof_txt.h"

const out_proof_words out_proof_en = {
    .title = "HOW TO CHECK THIS PROOF\n=======================\n\n",
    .contract = "Contract: %1\n",
    .register_ = "Register: %1\n",
    .made = "Made:     %1 by scopereg %2, from the contract's register\n\n",
    .intro = 
        "This folder proves one answer about one item of a managed-IT contract's\n"
        "scope, without the rest of it. For each version, both parties signed a\n"
        "checkpoint holding the root of a Merkle tree over its items (RFC 9162,\n"
        "BLAKE2b-256). To check it without scopereg, run the commands below in order\n"
        "in one bash shell, in this folder, with minisign and GNU coreutils: each\n"
        "follows a '$', what it must print a '>'. Dates are UTC.\n\n\n",
    .role = {"provider", "client"},
    .answer_title = "1. THE ANSWER\n\n",
    .asked = "Asked:  was \"%1\" in the scope agreed by both parties at %2?\n",
    .answer = "Answer: %1.\n\n",
    .yes = "YES",
    .no = "NO",
    .in_force = "Version %1 was in force: the provider signed its document\n"
                "%2, the client %3 (the\n"
                "document-signed: of their checkpoint signatures).\n",
    .lists_item = "It lists the item at index %1: item.txt holds its block as signed.\n",
    .between = "It lists %1 items sorted by id (bytewise): \"%2\" would fall between the\n"
               "items at indices %3 and %4 (before.txt, after.txt), next to each other,\n"
               "so it is not one of them.\n",
    .before_first = "It lists %1 items sorted by id (bytewise): \"%2\" would sort before the\n"
                    "first (after.txt, index 0), so it is not one of them.\n",
    .after_last = "It lists %1 items sorted by id (bytewise): \"%2\" would sort after the\n"
                  "last (before.txt, index %3), so it is not one of them.\n",
    .empty = "It lists no item, so not \"%1\" either.\n",
    .later = "Version %1 was not in force then: %2.\n",
    .later_agreed = "both parties signed its document only %1",
    .later_not = "its checkpoint was not signed by both parties",
    .cannot_show = 
        "\nThe folder cannot exclude a version after version %2, its last, agreed\n"
        "by %1: the answer stands unless the other party holds a\n"
        "later checkpoint whose two signatures state document-signed: dates by then.\n"
        "proof.txt and this text are not signed (at: and made: are claims); the\n"
        "checkpoints are.\n\n",
    .excluded =
        "\nNo version after version %2 can have been agreed by %1: version %3,\n"
        "whose checkpoint both parties signed, is dated %4, and no version is\n"
        "dated before the one it follows.\n"
        "proof.txt and this text are not signed (at: and made: are claims); the\n"
        "checkpoints are.\n\n",
    .discloses_item = "Disclosed: this item only; the checkpoints and audit paths hold counts,\n"
                      "dates and hashes, which reveal nothing of the other items.\n\n",
    .discloses_two = "Disclosed: the two items next to the id asked about, in full (a leaf is a\n"
                     "whole item block; their ids show where the id would be), and no other;\n"
                     "the checkpoints and audit paths hold counts, dates and hashes.\n\n",
    .discloses_one = "Disclosed: the one item next to the id asked about, in full (%1: a leaf\n"
                     "is a whole item block; its id shows where the id would be), and no\n"
                     "other; the checkpoints and audit paths hold counts, dates and hashes.\n\n",
    .discloses_none = "Disclosed: no item, the version lists none.\n\n",
    .sigs_title = "\n%1. THE SIGNATURES OF THE CHECKPOINTS\n\n"
                  "Each trusted comment names the register, version, role and root, when the\n"
                  "key signed the version's document (document-signed:) and the checkpoint.\n"
                  "The version in force is the last whose two signatures state document-signed:\n"
                  "dates at or before the date asked; no later checkpoint may have two such.\n\n",
    .no_sig = "  (the checkpoint of version %1 carries no signature)\n",
    .chain_title = "\n\n%1. THE CHAIN OF CHECKPOINTS\n\n"
                   "Each previous: must be the document: of the checkpoint before it, each\n"
                   "root: the one its signatures name, and register: and contract: the same\n"
                   "in all; date: says when each version was made.\n\n",
    .path_title = "\n\n%1. FROM THE LEAF TO THE ROOT OF %2\n\n"
                  "A leaf hashes as BLAKE2b-256 of a zero byte and the leaf; node, of a one\n"
                  "byte and two hashes, left then right. The loop follows the leaf's path:\n"
                  "lines in proof.txt from its index: (i), s being the checkpoint's items\n"
                  "minus 1, as RFC 9162 (2.1.3.2): the path's hash goes left at an odd index\n"
                  "or the last one (which then moves up while even), right otherwise; each\n"
                  "level halves i and s. If s reaches 0 before the path ends, it prints\n"
                  "too-long; at the end s must be 0 (the path fits the index) and the last\n"
                  "hash must be the checkpoint's root.\n\n",
    .path_none = "%1 is the only leaf: its hash is the root.\n",
    .empty_title = "\n\n%1. THE EMPTY TREE\n\n"
                   "The version lists no item: the root of %2 must be the BLAKE2b-256 of\n"
                   "nothing.\n\n",
    .order_title = "\n%1. THE NEIGHBOURS ARE NEXT TO EACH OTHER\n\n"
                   "Sorted bytewise, \"%2\" falls between the ids of the leaves shown, whose\n"
                   "indices are adjacent (at an edge: index 0, or the tree size minus 1), so\n"
                   "no item of the version has that id. The indices are read with index, as\n"
                   "the loops read them; the last command prints them and their difference.\n\n",
    .keys_title = "\n%1. THE KEYS\n\n"
                  "keyid prints the key id a file carries. Compare each .pub file with the key\n"
                  "its party acknowledged (in the signed contract): a signature proves nothing\n"
                  "about a party otherwise. Each signature must carry the key id its checkpoint\n"
                  "names for the signer's role.\n\n",
    .key_change = "Version %1 replaces the %2's key %3 by %4: key %3 signed its checkpoint\n"
                  "too (%5), to vouch for the new key.\n",
    .scopereg = "\n%1. WITH SCOPEREG (OPTIONAL)\n\n    scopereg verify --proof .\n\n"
                "checks all of the above at once.\n",
};
