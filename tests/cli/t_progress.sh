#!/usr/bin/env bash
# Progress of long work (issue 18): index, html, import, check --all-refs,
# renumber and sync show "adr: <what> <done>/<total> (<rate>/s)" on stderr,
# one line rewritten in place with \r and erased at the end, only when
# stderr is a terminal; --quiet (the command's or adr's own) silences it;
# in a pipe or a file there is none.
#
# On a terminal: each command runs in a tmux pane, and tmux's pipe-pane
# keeps every byte written to the terminal (a progress line is erased
# before the command ends, so the screen alone cannot show it).
source "$(dirname "$0")/lib.sh"
SESSION=adr-progress
source "$(dirname "$0")/tmux.sh"

export ADR_NOW=2026-11-21T10:00:00Z
ESC=$'\033'
CR=$'\r'

cd "$TMP"
git init -q --bare remote.git
new_repo repo
cd repo
must_adr init
for i in 1 2 3 4 5; do
	must_adr new --no-edit "Decision number $i"
done
git remote add origin "$TMP/remote.git"
must_adr sync
git clone -q "$TMP/remote.git" "$TMP/clone"
must_adr new --no-edit "Decision number 6"
must_adr sync

# on_terminal NAME DIR ARGS...: runs adr ARGS in DIR on a terminal (a tmux
# pane, 200 columns); the bytes it writes go to $TMP/NAME.raw, its exit
# code to $TMP/NAME.rc, the screen at the end to $TMP/NAME.screen.
on_terminal() {
	local name=$1 dir=$2 cmd i
	shift 2
	printf -v cmd '%q ' "$ADR" "$@"
	tm kill-session -t "$SESSION" 2>/dev/null || true
	# The command waits (5 s at most) for the pipe to be in place.
	tm new-session -d -x 200 -y 50 -s "$SESSION" \
		"cd $(printf %q "$dir") && for i in \$(seq 1 100); do [ -e $TMP/$name.go ] && break; sleep 0.05; done; $cmd; echo \$? > $TMP/$name.rc; echo ADR-TEST-DONE; sleep 30"
	tm pipe-pane -o -t "$SESSION" "cat >> $TMP/$name.raw"
	touch "$TMP/$name.go"
	wait_file "$TMP/$name.rc" || { fail "$name: did not finish"; return 0; }
	# The pane's bytes reach the pipe in order: once the marker the shell
	# prints after adr is there (10 s at most), all of adr's are too.
	for i in $(seq 1 200); do
		grep -c ADR-TEST-DONE "$TMP/$name.raw" >/dev/null 2>&1 && break
		sleep 0.05
	done
	check "$name: the terminal's output was kept" grep -qF ADR-TEST-DONE "$TMP/$name.raw"
	tm capture-pane -p -J -t "$SESSION" >"$TMP/$name.screen"
	tm kill-session -t "$SESSION" 2>/dev/null || true
}

# raw_of NAME: the bytes the terminal got (tmux pads with NULs: dropped).
raw_of() {
	tr -d '\000' <"$TMP/$1.raw" 2>/dev/null || true
}

# shows_progress NAME WHAT FINAL: on the terminal, a progress line "adr:
# WHAT ..." was drawn at the start of a line (\r), erased (\r ESC[K)
# before the FINAL output, and is not on the screen at the end.
shows_progress() {
	local name=$1 what=$2 final=$3 raw screen
	raw=$(raw_of "$name")
	screen=$(cat "$TMP/$name.screen" 2>/dev/null || true)
	expect_eq "$name: exit" 0 "$(cat "$TMP/$name.rc" 2>/dev/null)"
	expect_contains "$name: progress drawn at the start of the line" "${CR}adr: $what " "$raw"
	expect_contains "$name: the line is erased before the output" "${CR}${ESC}[K$final" "$raw"
	expect_contains "$name: the output is on the screen" "$final" "$screen"
	expect_not_contains "$name: no progress left on the screen" "adr: $what" "$screen"
}

# 1. index: records parsed, with count and total and a rate.
on_terminal index "$TMP/repo" index --rebuild
shows_progress index records "7 records indexed"
expect_contains "index: count of total" "adr: records 7/7" "$(raw_of index)"

# 2. html: the pages.
on_terminal html "$TMP/repo" html -o "$TMP/site"
shows_progress html pages "wrote "
expect_contains "html: count of total" "adr: pages 7/7" "$(raw_of html)"

# 3. check --all-refs: the refs compared (no total is known).
on_terminal check "$TMP/repo" check --all-refs
raw=$(raw_of check)
expect_contains "check --all-refs: progress" "${CR}adr: refs 1" "$raw"
expect_contains "check --all-refs: erased" "${CR}${ESC}[K" "$raw"
expect_not_contains "check --all-refs: not left on the screen" "adr: refs" "$(cat "$TMP/check.screen")"

# 4. sync: the objects fetched.
on_terminal sync "$TMP/clone" sync
shows_progress sync "objects received" "in "
check "sync: the clone got the new record" test -n "$(git -C "$TMP/clone" ls-tree -r --name-only origin/main | grep -F 0007-)"

# 5. import: the files converted (a dry run: the plan only).
mkdir -p "$TMP/legacy"
for n in 1 2 3; do
	printf '# %s. Legacy decision %s\n\nDate: 2020-01-0%s\n\n## Status\n\nAccepted\n\n## Context\n\nWhy %s.\n\n## Decision\n\nWhat %s.\n\n## Consequences\n\nThen %s.\n' \
		"$n" "$n" "$n" "$n" "$n" "$n" >"$TMP/legacy/000$n-legacy-decision-$n.md"
done
new_repo "$TMP/imp"
on_terminal import "$TMP/imp" import --from "$TMP/legacy" --dry-run
shows_progress import records "$TMP/legacy/0001"
expect_contains "import: count of total" "adr: records 3/3" "$(raw_of import)"

# 6. renumber: the commits walked to find which duplicate is older.
new_repo "$TMP/dup"
cd "$TMP/dup"
must_adr init
must_adr new --no-edit "First take"
cp docs/decisions/0002-first-take.md docs/decisions/0002-second-take.md
git add docs/decisions && git commit -q -m "a duplicate number, as two clones make"
before=$(commit_count "$TMP/dup")
on_terminal renumber "$TMP/dup" renumber
shows_progress renumber commits "docs/decisions/0002-second-take.md"
expect_eq "renumber: one commit" $((before + 1)) "$(commit_count "$TMP/dup")"

# 7. --quiet, the command's and adr's own: nothing on the terminal.
on_terminal quiet "$TMP/repo" index --rebuild --quiet
expect_eq "index --quiet: exit" 0 "$(cat "$TMP/quiet.rc")"
expect_contains "index --quiet: the output" "7 records indexed" "$(raw_of quiet)"
expect_not_contains "index --quiet: no progress" "adr: records" "$(raw_of quiet)"
on_terminal gquiet "$TMP/repo" -q html -o "$TMP/site"
expect_eq "adr -q html: exit" 0 "$(cat "$TMP/gquiet.rc")"
expect_contains "adr -q html: the output" "wrote " "$(raw_of gquiet)"
expect_not_contains "adr -q html: no progress" "adr: pages" "$(raw_of gquiet)"

# 8. Not a terminal: a pipe or a file never gets progress, nor a \r.
cd "$TMP/repo"
set +e
"$ADR" index --rebuild 2>&1 | cat >"$TMP/pipe.out"
prc=${PIPESTATUS[0]}
set -e
expect_eq "pipe: exit" 0 "$prc"
expect_contains "pipe: the output" "7 records indexed" "$(cat "$TMP/pipe.out")"
expect_not_contains "pipe: no progress" "adr: records" "$(cat "$TMP/pipe.out")"
expect_not_contains "pipe: no carriage return" "$CR" "$(cat "$TMP/pipe.out")"
for args in "index --rebuild" "html -o $TMP/site2" "check --all-refs"; do
	# shellcheck disable=SC2086
	run_adr $args
	expect_eq "$args, stderr a file: exit" 0 "$RC"
	expect_not_contains "$args, stderr a file: no progress" "$CR" "$ERR"
	expect_not_contains "$args, stderr a file: no progress line" "adr: records" "$ERR"
	expect_not_contains "$args, stderr a file: no pages line" "adr: pages" "$ERR"
done
check "status clean" status_clean "$TMP/repo"
check "fsck clean" fsck_clean "$TMP/repo"

finish
