#!/usr/bin/env bash
# t_lang.sh - the contract's language. init --lang records it (default en;
# a register made before languages existed reads en); 'lang' shows it and
# changes it without a new version or a signature; an unknown language is
# refused with the accepted ones named and nothing written. Documents,
# hashes and signatures are byte-identical whatever the language: exports
# before and after a change, registers made in each language, the
# signatures cosign makes in each language. cosign's text follows --lang,
# else the language of the messages (LANGUAGE, LC_ALL, LC_MESSAGES, LANG;
# an explicit C locale is English), and states its words in French and
# German.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

parties
X="$WORK/mail"
mkdir -p "$X"

echo "# init --lang records the language; default en"
expect_ok init_reg ACME-2026-01 --lang fr
expect_stdout_contains "language: fr"
expect_ok sr lang
[ "$OUT" = fr ] || fail "lang shows '$OUT', not fr"
pass "init --lang fr: lang shows fr"
REG="$WORK/en.db"
expect_ok init_reg ACME-2026-01
expect_stdout_contains "language: en"
expect_ok sr lang
[ "$OUT" = en ] || fail "lang shows '$OUT', not en"
pass "init without --lang: en"
if command -v sqlite3 >/dev/null 2>&1; then
    cp "$REG" "$WORK/old.db"
    sqlite3 "$WORK/old.db" "DELETE FROM meta WHERE key = 'lang'" || fail "sqlite3 could not edit the copy"
    expect_ok "$SCOPEREG" -R "$WORK/old.db" lang
    [ "$OUT" = en ] || fail "a register without a language shows '$OUT', not en"
    pass "a register made before languages existed reads en"
fi
FIX="$SCOPEREG_SOURCE/tests/fixtures/golden/register.db"
if [ -f "$FIX" ]; then
    cp "$FIX" "$WORK/golden.db"
    expect_ok "$SCOPEREG" -R "$WORK/golden.db" lang
    [ "$OUT" = en ] || fail "the golden register shows '$OUT', not en"
    pass "the register of the release before reads en"
fi

echo "# refusals: unknown languages, nothing written"
refused -f "$WORK/acme.db" 2 "language 'xx'" "en (English), fr (French), de (German) and it (Italian)" \
    -- "$SCOPEREG" -R "$WORK/acme.db" lang xx
refused -f "$WORK/acme.db" 2 "language 'FR'" -- "$SCOPEREG" -R "$WORK/acme.db" lang FR
refused -f "$WORK/acme.db" 2 "unexpected argument 'de'" -- "$SCOPEREG" -R "$WORK/acme.db" lang fr de
REG="$WORK/bad.db"
expect_exit 2 init_reg ACME-2026-01 --lang fr_CH
expect_one_error_line
expect_stderr_contains "--lang 'fr_CH': the contract's language is one of en, fr, de and it"
[ ! -e "$REG" ] || fail "a refused init left $REG"
pass "init --lang fr_CH refused, no register made"
expect_exit 2 "$SCOPEREG" -R "$WORK/none.db" lang de
[ ! -e "$WORK/none.db" ] || fail "lang made a register"
pass "lang on a missing register makes none"

echo "# a history in French, and the same one in English"
# build REG: the same versions, signatures and clock in any register
build() {
    export SCOPEREG_NOW="2026-01-10T09:00:00Z"
    sr_ok add SRV-01 --kind serveur --name 'Serveur de fichiers' --set ip=10.0.0.5
    sr_ok add PC-01 --kind poste --name 'Poste compta' --set serial=SN-001
    sr_ok commit -m 'Inventaire initial' --author 'J. Muller'
    SCOPEREG_NOW=2026-01-10T10:00:00Z sr_ok sign 1 --key "$K/provider.key"
    export SCOPEREG_NOW="2026-02-01T10:00:00Z"
    sr_ok remove PC-01 --reason 'volé, plainte 2026-0042'
    sr_ok edit SRV-01 --set ip=10.0.0.6
    sr_ok commit -m 'Changements T1' --author jm
    SCOPEREG_NOW=2026-02-01T11:00:00Z sr_ok sign 2 --key "$K/provider.key"
    export SCOPEREG_NOW="2026-03-01T08:00:00Z"
}
REG="$WORK/acme.db"
build
# registers made apart differ in their random id: compare each with itself
rm -rf "$X/before"
expect_ok sr export 2 -o "$X/before"
LOG=$(sr log)
expect_ok sr verify
STAT=$OUT
expect_ok sr lang de
expect_stdout_contains "language de (was fr); no new version: the language is not part of the signed documents"
[ "$(sr log)" = "$LOG" ] && [ "$(sr verify)" = "$STAT" ] || fail "lang de changed the versions or their state"
pass "lang de: the same versions, the same verification"
expect_ok sr lang de
expect_stdout_contains "language de (unchanged)"
expect_ok sr export 2 -o "$X/after"
for f in $(ls "$X/before"); do
    expect_file_equal "$X/after/$f" "$X/before/$f" "$f: byte-identical after the language changed"
done
expect_ok sr lang fr

echo "# cosign: the text in the language asked, the signature the same bytes"
STEM=$(basename "$(ls "$X/before"/*-v2.scope)" -v2.scope)
expect_ok sr export 1 -o "$X/v1"
# cosign_in [VAR=VALUE...] [-- COSIGN-OPTION...]: cosign version 1 in a
# fresh copy of the export, with only the locale variables given; its
# signature is copied to $WORK/sig.<n>, n counting the calls.
n=0
cosign_in() {
    local envs=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do envs+=("$1"); shift; done
    [ $# -gt 0 ] && shift
    n=$((n + 1))
    rm -rf "$WORK/c$n" && cp -r "$X/v1" "$WORK/c$n"
    run env -u LANGUAGE -u LC_ALL -u LC_MESSAGES -u LANG "${envs[@]}" \
        SCOPEREG_NOW=2026-01-12T14:00:00Z \
        "$SCOPEREG" cosign "$WORK/c$n/$STEM-v1.scope" --key "$K/client.key" "$@"
    [ "$RC" -eq 0 ] || fail "cosign ${envs[*]} $*: exit $RC: $ERR"
    cp "$WORK/c$n/$STEM-v1.client.minisig" "$WORK/sig.$n"
}
cosign_in
expect_stdout_contains "  contract: ACME-2026-01"
expect_stdout_contains "signed version 1 as the client (key $CID) at 2026-01-12T14:00:00Z"
pass "no locale in the environment: English"

cosign_in -- --lang fr
expect_stdout_contains "  contrat :      ACME-2026-01"
expect_stdout_contains "  prestataire : Helvetia IT SA (clé $PID)"
expect_stdout_contains "  message (écrit par l'auteur du prestataire, non vérifié) : « Inventaire initial »"
expect_stdout_contains "signature du prestataire (clé $PID) : valable, signée le 2026-01-10T10:00:00Z"
expect_stdout_contains "modifications de la version 1 : 2 (ajouts : 2, modifications : 0, retraits : 0)"
expect_stdout_contains "version 1 signée en tant que client (clé $CID) le 2026-01-12T14:00:00Z"
expect_stdout_contains "renvoyez-le ; le gestionnaire du registre l'enregistre avec : scopereg attach $STEM-v1.client.minisig"
for w in 'contract:' 'provider:' 'signature (key' 'changes in version' 'signed version' 'send it back'; do
    expect_stdout_lacks "$w"
done
cosign_in LANG=de_CH.UTF-8
expect_stdout_contains "  Vertrag:       ACME-2026-01"
expect_stdout_contains "Signatur der Partei «Dienstleister» (Schlüssel $PID): gültig, signiert am 2026-01-10T10:00:00Z"
expect_stdout_contains "Änderungen in Version 1: 2 (Aufnahmen: 2, Änderungen: 0, Entfernungen: 0)"
expect_stdout_contains "Version 1 als Kunde signiert (Schlüssel $CID) am 2026-01-12T14:00:00Z"
for w in 'contract:' 'signature (key' 'changes in version' 'signed version' 'send it back'; do
    expect_stdout_lacks "$w"
done
cosign_in LANG=it_CH.UTF-8
expect_stdout_contains "  contratto:    ACME-2026-01"
expect_stdout_contains "versione 1 firmata come cliente (chiave $CID) il 2026-01-12T14:00:00Z"
pass "LANG=it_CH.UTF-8: Italian"
cosign_in LANGUAGE=es:de:fr LANG=fr_CH.UTF-8
expect_stdout_contains "  Vertrag:       ACME-2026-01"
pass "LANGUAGE=es:de:fr: the first language scopereg writes (German), before LANG"
cosign_in LC_ALL=C LANG=fr_CH.UTF-8
expect_stdout_contains "  contract: ACME-2026-01"
pass "LC_ALL=C: English, whatever LANG says"
cosign_in LC_MESSAGES=fr_CH.UTF-8 LANG=de_CH.UTF-8
expect_stdout_contains "  contrat :      ACME-2026-01"
pass "LC_MESSAGES before LANG"
cosign_in LANG=de_CH.UTF-8 -- --lang en
expect_stdout_contains "  contract: ACME-2026-01"
pass "--lang en before the environment"
for i in $(seq 2 "$n"); do
    expect_file_equal "$WORK/sig.$i" "$WORK/sig.1" "the signature made in language $i is byte-identical"
done
rm -rf "$WORK/cx" && cp -r "$X/v1" "$WORK/cx"
refused -f "$WORK/cx/$STEM-v1.scope" 2 "--lang 'english'" "en (English), fr (French)" \
    -- "$SCOPEREG" cosign "$WORK/cx/$STEM-v1.scope" --key "$K/client.key" --lang english
[ ! -e "$WORK/cx/$STEM-v1.client.minisig" ] || fail "a refused cosign wrote a signature"
pass "cosign --lang english: refused, no signature written"

echo "# the same history in another language: the same documents and hashes"
REG="$WORK/acme-de.db"
expect_ok init_reg ACME-2026-01 --lang de
build
expect_ok sr export 2 -o "$X/de"
# documents differ only in the register line (each register has its own id)
for v in 1 2; do
    a=$(grep -v '^register: \|^previous: ' "$X/before/$STEM-v$v.scope" | sha256sum)
    b=$(grep -v '^register: \|^previous: ' "$X/de/$STEM-v$v.scope" | sha256sum)
    [ "$a" = "$b" ] || fail "version $v differs between the French and the German register"
done
pass "a register made in German writes the same documents as one made in French, but for its id"
if command -v sqlite3 >/dev/null 2>&1; then
    # the language changed in a copy: every hash and stored signature as before
    cp "$WORK/acme.db" "$WORK/twin.db"
    "$SCOPEREG" -R "$WORK/twin.db" lang it >/dev/null || fail "lang it"
    sqlite3 "$WORK/twin.db" "SELECT key, value FROM meta WHERE key = 'lang'" | grep -qx 'lang|it' ||
        fail "meta lang is not it"
    sqlite3 "$WORK/acme.db" "SELECT number, hash, previous FROM version ORDER BY number" >"$WORK/h1"
    sqlite3 "$WORK/twin.db" "SELECT number, hash, previous FROM version ORDER BY number" >"$WORK/h2"
    sqlite3 "$WORK/acme.db" "SELECT version, role, minisig FROM signature ORDER BY 1, 2" >"$WORK/s1"
    sqlite3 "$WORK/twin.db" "SELECT version, role, minisig FROM signature ORDER BY 1, 2" >"$WORK/s2"
    expect_file_equal "$WORK/h2" "$WORK/h1" "the hashes of every version, in Italian and in French"
    expect_file_equal "$WORK/s2" "$WORK/s1" "the stored signatures, in Italian and in French"
    expect_ok "$SCOPEREG" -R "$WORK/twin.db" verify
    expect_stdout_contains "2 versions re-render to the recorded hashes, the chain is intact"
fi

done_checks
