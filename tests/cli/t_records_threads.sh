#!/usr/bin/env bash
# Reading many records on several threads (git/records_read.c) answers
# exactly as reading them one by one: on a repository of 300 records with
# warnings, unreadable ones, legacy formats and a symlink, every command
# that reads all records gives the same bytes and exit code with
# ADR_READ_THREADS=1 (sequential), 2, 3 and unset (the default); and with
# record blobs missing, the error names the first one in order, whatever
# the threads.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
"$ADR" init >/dev/null
D=docs/decisions
mkdir -p "$D"
for i in $(seq 1 300); do
	n=$(printf '%04d' "$i")
	f=$D/$n-record-$i.md
	case $((i % 10)) in
	0) # legacy (adr-tools) format: status and links in the body
		printf '# %d. Legacy record %d\n\nDate: 2020-02-03\n\n## Status\n\nAccepted\n\nSupersedes [1. x](0001-record-1.md)\n\n## Context\n\nc\n' "$i" "$i" >"$f" ;;
	3) # a warning: a status adr does not know
		printf -- '---\nstatus: pondering\ndate: 2021-01-01\n---\n# Record %d\n\nbody\n' "$i" >"$f" ;;
	7) # unreadable: broken YAML
		printf -- '---\nstatus: [accepted\n---\n# Record %d\n' "$i" >"$f" ;;
	9) # unreadable: no closing delimiter
		printf -- '---\nstatus: accepted\n# Record %d\n' "$i" >"$f" ;;
	*)
		printf -- '---\nstatus: accepted\ndate: 2021-03-%02d\ndecision-makers: [Ana Lima, Bo Chen]\ntags: [t%d, common]\nlinks: [amends %d]\n---\n# Record %d\n\n## Context\n\nWhy %d.\n' \
			$((i % 28 + 1)) $((i % 5)) $((i > 1 ? i - 1 : 1)) "$i" "$i" >"$f" ;;
	esac
done
ln -s 0001-record-1.md "$D/0301-link.md"
git add -A
git commit -q -m "300 records"

# run_all N: every reader of all records, its output and exit code, with N threads.
run_all() {
	local t=$1 cmd
	for cmd in "list" "list --json" "check" "show 5" "show 10 --json" "toc" "graph" "why $D" "queue"; do
		rm -rf .git/adr
		echo "== $cmd"
		# shellcheck disable=SC2086
		if [ "$t" = default ]; then "$ADR" $cmd 2>&1; else ADR_READ_THREADS=$t "$ADR" $cmd 2>&1; fi
		echo "exit $?"
	done
}
set +e
run_all 1 >"$TMP/seq.txt"
run_all 2 >"$TMP/t2.txt"
run_all 3 >"$TMP/t3.txt"
run_all default >"$TMP/tdef.txt"
set -e
check "sequential read lists 300 records' worth" test "$(grep -c 'Record\|Legacy' "$TMP/seq.txt")" -gt 500
expect_contains "sequential read reports the unreadable records" "0007-record-7.md" "$(cat "$TMP/seq.txt")"
expect_contains "sequential read reports the warnings" "pondering" "$(cat "$TMP/seq.txt")"
for t in t2 t3 tdef; do
	check "$t: same output and exit codes as sequential" cmp -s "$TMP/seq.txt" "$TMP/$t.txt"
	cmp -s "$TMP/seq.txt" "$TMP/$t.txt" || diff "$TMP/seq.txt" "$TMP/$t.txt" | head -10 >&2
done

# Two record blobs missing (loose objects deleted): the first in order is named.
B=$TMP/broken
git clone -q --no-local "$R" "$B"
cd "$B"
git repack -q -a -d
mv .git/objects/pack/*.pack "$TMP/all.pack"
rm -f .git/objects/pack/*
git unpack-objects -q <"$TMP/all.pack"
for f in 0150-record-150.md 0260-record-260.md; do
	id=$(git rev-parse "HEAD:$D/$f")
	rm -f ".git/objects/${id:0:2}/${id:2}"
done
first=$(git rev-parse "HEAD:$D/0150-record-150.md")
for t in 1 2 3; do
	rm -rf .git/adr
	snapshot_state
	set +e
	OUT=$(ADR_READ_THREADS=$t "$ADR" list 2>"$TMP/stderr")
	RC=$?
	set -e
	ERR=$(cat "$TMP/stderr")
	expect_eq "$t threads: missing blob fails the list" 1 "$RC"
	expect_contains "$t threads: the first missing blob is named" "object $first of record '$D/0150-record-150.md' is missing or corrupt" "$ERR"
	expect_unchanged "$t threads: a failed list changes nothing"
done
finish
