#!/usr/bin/env bash
# Output that cannot be written is a failure: every --json command (and a
# text one) whose stdout is /dev/full exits 1 and says so on stderr, with
# nothing changed. All JSON goes through one writer (cmd/output.c), which
# also fails loudly when the JSON itself cannot be made.
source "$(dirname "$0")/lib.sh"

if [ ! -w /dev/full ]; then
	echo "$TEST_NAME: skipped: no /dev/full"
	exit 0
fi

R=$TMP/repo
new_repo "$R"
cd "$R"
must_adr init
must_adr new --no-edit --tag db "Use PostgreSQL"
must_adr propose --no-edit "Use Redis"
must_adr comment use-redis -m "Why not Valkey?"
must_adr index

# full CMD...: stdout is /dev/full: exit 1, "adr: cannot write the output: ...", nothing changed.
full() {
	snapshot_state
	set +e
	"$ADR" "$@" >/dev/full 2>"$TMP/stderr"
	RC=$?
	set -e
	ERR=$(cat "$TMP/stderr")
	expect_eq "adr $* >/dev/full: exit 1" 1 "$RC"
	expect_contains "adr $* >/dev/full: says why" "adr: cannot write the output: No space left on device" "$ERR"
	expect_unchanged "adr $* >/dev/full: nothing changed"
}

full list --json
full list
full show 2 --json
full show use-redis --thread --json
full thread use-redis --json
full why docs/decisions --json
full queue --json
full hooks status --json
full check --json
full diff --json HEAD~1..HEAD
full import --dry-run --json
full index --json
full search --json postgresql
full stats --json

# The same commands with a writable stdout still succeed, with JSON.
run_adr list --json
expect_eq "list --json: exit 0" 0 "$RC"
expect_json "list --json: the records" '[r["number"] for r in d]' '[1,2]'
run_adr stats --json
expect_eq "stats --json: exit 0" 0 "$RC"
expect_json "stats --json: the records" 'd["records"]' '2'
finish
