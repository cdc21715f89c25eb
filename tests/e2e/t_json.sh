#!/usr/bin/env bash
# t_json.sh - every --json output parses as one JSON document (python3's
# json module) and a few members hold the expected values: log, verify,
# verify --documents, status (with a staged key rotation), show, at (yes,
# no, none), history, export-csv; on a register with signed, pending and
# rotated versions, on a tampered copy (verify still answers in JSON, exit
# 1) and on a directory whose file names are not UTF-8.
set -u
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

command -v python3 >/dev/null 2>&1 || skip "python3 is absent: JSON cannot be parsed"

K="$WORK/keys"
make_keys provider client client2027
PID=$(key_id "$K/provider.pub")
CID=$(key_id "$K/client.pub")
NID=$(key_id "$K/client2027.pub")
REG="$WORK/acme.db"
sr() { "$SCOPEREG" -R "$REG" "$@"; }

# json_is EXPR WANT: python EXPR over the document d, printed with json.dumps, is WANT.
json_is() {
    local got
    got=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(json.dumps(eval(sys.argv[1]), ensure_ascii=False))' \
        "$1" <"$OUT_FILE" 2>&1) || fail "cannot evaluate $1: $got"
    [ "$got" = "$2" ] || fail "$1 is $got, expected $2"
    pass "$1 == $2"
}

echo "# an empty register"
export SCOPEREG_NOW="2026-01-05T08:00:00Z"
expect_ok sr init --contract 'ACME-1' --provider 'Helvetia IT SA' --provider-key "$K/provider.pub" \
    --client 'ACME "SA"' --client-key "$K/client.pub"
expect_ok sr log --json
json_ok "log --json, no version"
json_is 'd["latest_version"]' 0
json_is 'd["versions"]' '[]'
json_is 'd["contract"]' '"ACME-1"'
expect_ok sr verify --json
json_ok "verify --json, no version"
json_is 'd["holds"]' true
json_is 'd["total"]' 0
expect_ok sr status --json
json_ok "status --json, nothing staged"
json_is 'd["key_changes"]' '[]'
json_is 'd["changes"]' '[]'

echo "# three versions: agreed, agreed with a client key rotation, pending"
export SCOPEREG_NOW="2026-01-10T09:00:00Z"
expect_ok sr add SRV-01 --kind server --name 'File server' --set ip=10.0.0.5 --set notes=$'line1\nline2\t"quoted"'
expect_ok sr add PC-01 --kind poste --name 'Poste compta' --set serial=SN-001
expect_ok sr status --json
json_ok "status --json, two additions"
json_is 'd["added"]' 2
json_is '[c["id"] for c in d["changes"]]' '["PC-01", "SRV-01"]'
expect_ok sr commit -m 'Initial inventory' --author 'J. Müller'
SCOPEREG_NOW=2026-01-10T10:00:00Z expect_ok sr sign 1 --key "$K/provider.key"
SCOPEREG_NOW=2026-01-12T14:00:00Z expect_ok sr sign 1 --key "$K/client.key"

export SCOPEREG_NOW="2026-02-01T10:00:00Z"
expect_ok sr rekey --role client --key "$K/client2027.pub"
expect_ok sr remove PC-01 --reason 'stolen'
expect_ok sr status --json
json_ok "status --json, a staged key rotation"
json_is 'd["key_changes"]' "[{\"role\": \"client\", \"old\": \"$CID\", \"new\": \"$NID\"}]"
json_is 'd["removed"]' 1
json_is 'd["next_version"]' 2
expect_ok sr commit -m 'client key replaced' --author jm
SCOPEREG_NOW=2026-02-01T11:00:00Z expect_ok sr sign 2 --key "$K/provider.key"
SCOPEREG_NOW=2026-02-02T09:00:00Z expect_ok sr sign 2 --key "$K/client2027.key"
expect_ok sr log --json
json_ok "log --json, a rotation half signed"
json_is 'd["versions"][0]["status"]' '"signed by provider"'
json_is 'd["versions"][0]["signers"]["client"]' '{"signed": false, "keys_needed": 2, "keys_signed": 1, "signed_at": "2026-02-02T09:00:00Z"}'
SCOPEREG_NOW=2026-02-03T09:00:00Z expect_ok sr sign 2 --key "$K/client.key"

export SCOPEREG_NOW="2026-03-01T10:00:00Z"
expect_ok sr add VPN-01 --kind vpn --name 'Remote access'
expect_ok sr commit -m 'three' --author jm
SCOPEREG_NOW=2026-03-01T11:00:00Z expect_ok sr sign 3 --key "$K/provider.key"
export SCOPEREG_NOW="2026-04-01T10:00:00Z"

echo "# log --json"
expect_ok sr log --json
json_ok "log --json"
json_is 'd["latest_version"]' 3
json_is '[v["version"] for v in d["versions"]]' '[3, 2, 1]'
json_is '[v["status"] for v in d["versions"]]' '["signed by provider", "agreed", "agreed"]'
json_is 'd["versions"][1]["agreed_at"]' '"2026-02-03T09:00:00Z"'
json_is 'd["versions"][1]["key_changes"]' "[{\"role\": \"client\", \"old\": \"$CID\", \"new\": \"$NID\"}]"
json_is 'd["versions"][1]["parties"]["client"]["key_id"]' "\"$NID\""
json_is 'd["versions"][2]["parties"]["client"]["key_id"]' "\"$CID\""
json_is 'd["versions"][2]["parties"]["client"]["name"]' '"ACME \"SA\""'
json_is 'd["versions"][2]["author"]' '"J. Müller"'
json_is 'd["versions"][2]["previous"]' null
json_is 'd["versions"][1]["previous"] == d["versions"][2]["document"]' true
json_is 'd["versions"][0]["signers"]["provider"]["signed_at"]' '"2026-03-01T11:00:00Z"'
json_is 'd["versions"][0]["problem"]' null
json_is 'sorted(s["key_id"] for s in d["versions"][1]["signatures"])' "$(python3 -c 'import json,sys; print(json.dumps(sorted(sys.argv[1:])))' "$PID" "$CID" "$NID")"
DOC3=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["versions"][0]["document"])' <"$OUT_FILE")

echo "# verify --json"
expect_ok sr verify --json
json_ok "verify --json"
json_is 'd["holds"]' true
json_is 'd["problem"]' null
json_is '[v["result"] for v in d["versions"]]' '["agreed", "agreed", "pending"]'
json_is '(d["total"], d["agreed"], d["pending"], d["broken"])' '[3, 2, 1, 0]'
json_is 'd["versions"][2]["document"]' "\"$DOC3\""
json_is 'd["versions"][1]["signers"]["client"]["keys_signed"]' 2
json_is 'd["versions"][0]["agreed_at"]' '"2026-01-12T14:00:00Z"'

echo "# show, at, history, export-csv"
expect_ok sr show 1 --json
json_ok "show --json"
json_is 'd["items"][1]["attributes"]["notes"]' '"line1\nline2\t\"quoted\""'
expect_ok sr at 2026-01-20 PC-01 --json
json_ok "at --json (in scope)"
json_is 'd["in_scope"]' true
json_is 'd["in_force"]["version"]' 1
expect_exit 1 sr at 2026-02-20 PC-01 --json
json_ok "at --json (not in scope)"
json_is 'd["in_scope"]' false
expect_exit 1 sr at 2026-01-01 --json
json_ok "at --json (nothing in force)"
json_is 'd["in_force"]' null
expect_ok sr history SRV-01 --json
json_ok "history --json"
json_is '[s["version"] for s in d["steps"]]' '[1]'
expect_ok sr history PC-01 --json
json_ok "history --json (removed)"
json_is '[s["change"]["op"] for s in d["steps"]]' '["added", "removed"]'
expect_ok sr export-csv 3 --json
json_ok "export-csv --json"
json_is '[i["id"] for i in d]' '["SRV-01", "VPN-01"]'

echo "# verify --documents --json"
expect_ok sr export 1 -o "$WORK/docs"
expect_ok sr export 2 -o "$WORK/docs"
expect_ok "$SCOPEREG" verify --documents "$WORK/docs" --json
json_ok "verify --documents --json"
json_is 'd["holds"]' true
json_is '[x["version"] for x in d["documents"]]' '[1, 2]'
json_is '[x["result"] for x in d["documents"]]' '["agreed", "agreed"]'
json_is 'd["documents"][1]["key_changes"]' "[{\"role\": \"client\", \"old\": \"$CID\", \"new\": \"$NID\"}]"
json_is 'd["documents"][1]["signers"]["client"]["keys_signed"]' 2
json_is 'd["documents"][0]["parties"]["provider"]["key_id"]' "\"$PID\""
json_is 'd["documents"][0]["document"] == d["documents"][1]["previous"]' true
expect_ok sr export 3 -o "$WORK/docs3"
rm "$WORK/docs3/ACME-1-v2."* # export 3 ships version 2 too; version 3 alone here
expect_ok "$SCOPEREG" verify --documents "$WORK/docs3" --json
json_ok "verify --documents --json, version 3 alone"
json_is 'd["documents"][0]["result"]' '"pending"'
json_is 'd["documents"][0]["notes"]' '"version 2 is absent: the link to it is not checked"'
json_is 'd["documents"][0]["document"]' "\"$DOC3\""

echo "# a changed byte, a file that is not a document, a name that is not UTF-8"
cp -r "$WORK/docs" "$WORK/bad"
sed -i 's/^author: jm$/author: JM/' "$WORK/bad/ACME-1-v2.scope"
printf 'not a scope document\n' >"$WORK/bad/"$'\xff\xfe-broken.scope'
expect_exit 1 "$SCOPEREG" verify --documents "$WORK/bad" --json
json_ok "verify --documents --json, broken"
json_is 'd["holds"]' false
json_is 'd["broken"]' 2
json_is '[x["result"] for x in d["documents"]]' '["broken", "agreed", "broken"]'
json_is 'd["documents"][0]["version"]' null
json_is '"\ufffd" in d["documents"][0]["file"]' true
json_is 'd["problem"] is not None' true
expect_stderr_contains "does not hold"
expect_exit 2 "$SCOPEREG" verify --documents "$WORK/nowhere" --json
expect_stdout_empty

if command -v sqlite3 >/dev/null 2>&1; then
    cp "$REG" "$WORK/tampered.db"
    sqlite3 "$WORK/tampered.db" "UPDATE item SET name = 'Tampered' WHERE id = 'VPN-01'" ||
        fail "sqlite3 could not edit the copy"
    expect_exit 1 "$SCOPEREG" -R "$WORK/tampered.db" verify --json
    json_ok "verify --json, tampered"
    json_is 'd["holds"]' false
    json_is '[v["result"] for v in d["versions"]]' '["agreed", "agreed", "broken"]'
    json_is 'd["versions"][2]["reason"] is not None and "VPN-01" in d["versions"][2]["reason"]' true
    json_is 'd["versions"][2]["document"] != "'"$DOC3"'"' true
    expect_stderr_contains "version 3 does not hold"
    cp "$REG" "$WORK/badkey.db"
    sqlite3 "$WORK/badkey.db" "UPDATE party_key SET public_key = 'xx' WHERE role = 'client' AND since = 2" ||
        fail "sqlite3 could not edit the copy"
    # listed in full, and exit 1: a version's signatures could not be counted
    expect_exit 1 "$SCOPEREG" -R "$WORK/badkey.db" log --json
    json_ok "log --json, a damaged key row"
    json_is '[v["status"] for v in d["versions"]]' '[null, null, "agreed"]'
    json_is 'd["versions"][0]["problem"].startswith("signatures not counted")' true
else
    echo "# sqlite3 absent: the tampered registers are not checked"
fi

done_checks
