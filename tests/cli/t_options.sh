#!/usr/bin/env bash
# Typed options (cmd/cli.h): an enum option accepts its names as the record
# format does (any case) and refuses any other value with one message for
# every command, "unknown value 'x' for --NAME: expected one of ...", exit 2
# and nothing written; a callback option (dates) checks its value the same way.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
must_adr init
must_adr new --no-edit --mode SYNC --urgency High --complexity low --visibility Partner --status Proposed "Typed options"
P=docs/decisions/0002-typed-options.md
expect_contains "enum names in any case: mode" "mode: sync" "$(cat $P)"
expect_contains "enum names in any case: status" "status: proposed" "$(cat $P)"
expect_contains "enum names in any case: visibility" "visibility: partner" "$(cat $P)"
run_adr list --status PROPOSED
expect_eq "list --status PROPOSED: exit 0" 0 "$RC"
expect_contains "list --status PROPOSED: the record" "0002  proposed" "$OUT"

# bad_enum OPTION VALUE EXPECTED ARGS...: a usage error with the one message.
bad_enum() {
	local opt=$1 val=$2 expected=$3
	shift 3
	snapshot_state
	run_adr "$@" "--$opt" "$val" "Some title"
	expect_eq "$1 --$opt $val: exit 2" 2 "$RC"
	expect_contains "$1 --$opt $val: says why" "adr: unknown value '$val' for --$opt: expected one of $expected" "$ERR"
	expect_contains "$1 --$opt $val: the usage" "usage: adr $1" "$ERR"
	expect_unchanged "$1 --$opt $val: nothing changed"
}
STATUSES="proposed, accepted, rejected, deprecated, superseded"
bad_enum status maybe "$STATUSES" new --no-edit
bad_enum mode later "sync, async" new --no-edit
bad_enum urgency extreme "low, high" new --no-edit
bad_enum complexity mid "low, high" new --no-edit
bad_enum visibility private "public, partner, internal" new --no-edit
bad_enum urgency extreme "low, high" propose --no-edit
bad_enum complexity mid "low, high" propose --no-edit
bad_enum status bogus "$STATUSES" search
bad_enum mode later "sync, async" search
snapshot_state
run_adr list --status bogus
expect_eq "list --status bogus: exit 2" 2 "$RC"
expect_contains "list --status bogus: says why" "adr: unknown value 'bogus' for --status: expected one of $STATUSES" "$ERR"
expect_unchanged "list --status bogus: nothing changed"
snapshot_state . "$TMP/site"
run_adr html -o "$TMP/site" --audience secret
expect_eq "html --audience secret: exit 2" 2 "$RC"
expect_contains "html --audience secret: says why" "adr: unknown value 'secret' for --audience: expected one of public, partner, internal" "$ERR"
expect_unchanged "html --audience secret: nothing changed"

# A callback option: dates.
snapshot_state
run_adr new --no-edit --date 2026-02-30 "Some title"
expect_eq "new --date 2026-02-30: exit 2" 2 "$RC"
expect_contains "new --date 2026-02-30: says why" "adr: --date: '2026-02-30' is not a date (YYYY-MM-DD)" "$ERR"
expect_unchanged "new --date 2026-02-30: nothing changed"
run_adr stats --since=2026-1-1 # read-only
expect_eq "stats --since=2026-1-1: exit 2" 2 "$RC"
expect_contains "stats --since=2026-1-1: says why" "adr: --since: '2026-1-1' is not a date (YYYY-MM-DD)" "$ERR"
run_adr search --until 31.12.2026 x # read-only
expect_eq "search --until: exit 2" 2 "$RC"
expect_contains "search --until: says why" "adr: --until: '31.12.2026' is not a date (YYYY-MM-DD)" "$ERR"
must_adr new --no-edit --date 2026-01-02 "Dated"
expect_contains "new --date: the date" "date: 2026-01-02" "$(cat docs/decisions/0003-dated.md)"
finish
