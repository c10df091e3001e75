#!/usr/bin/env bash
# Hostile text reaching the hooks: commit messages and trailer values with
# $(...), backticks, ';', '|', '&', '\', a leading '-' and line breaks, Refs:
# values that are not record numbers, and an adr installed under a path with
# a quote and $(...) in it. Nothing is executed, no commit fails, adr prints
# at most one line per commit, and no file named pwned appears anywhere.
source "$(dirname "$0")/lib.sh"

# Sanitizer reports from adr run by git's hooks would go unseen (the hooks
# ignore adr's status): send them to files, checked at the end.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$TMP/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$TMP/sanitizer"

R=$TMP/repo
new_repo "$R"
cd "$R"
git commit -q --allow-empty -m "start"
"$ADR" init >/dev/null
printf 'hooks:\n  watch: ["*.json"]\n' >>.adr.yaml
git commit -q -am "watch"

# adr itself lives under a hostile directory name: the script must quote it.
BIN="$TMP/it's \$(touch pwned) \`touch pwned\`; dir"
mkdir -p "$BIN"
cp "$ADR" "$BIN/adr"
"$BIN/adr" hooks install >/dev/null
check "the hook names the hostile path" grep -qF "adr='$TMP/it'\\''s \$(touch pwned) \`touch pwned\`; dir/adr'" .git/hooks/post-commit

I=0
# hostile_commit DESCRIPTION MESSAGE...: a commit touching a watched path, no terminal.
hostile_commit() {
	local what=$1 args=() m
	shift
	for m in "$@"; do args+=(-m "$m"); done
	I=$((I + 1))
	echo "{\"n\": $I}" >data.json
	git add data.json
	local n
	n=$(commit_count "$R")
	set +e
	setsid -w git commit -q "${args[@]}" </dev/null 2>"$TMP/err.$I"
	local rc=$?
	set -e
	expect_eq "$what: exit status" 0 "$rc"
	expect_eq "$what: the commit is made, nothing else" $((n + 1)) "$(commit_count "$R")"
	check "$what: at most one line from adr" test "$(grep -c '^adr' "$TMP/err.$I" || true)" -le 1
	check "$what: adr's own hook ran (its one line)" grep -q "no terminal" "$TMP/err.$I"
	check "$what: nothing executed" test -z "$(find "$TMP" -name pwned)"
}

hostile_commit "subject \$()" 'Use $(touch pwned)'
hostile_commit "backticks" 'Use `touch pwned`'
hostile_commit "semicolon" 'x; touch pwned; y' 'Decision: a; touch pwned'
hostile_commit "pipe and ampersand" 'a | touch pwned & b' 'Decision: a | touch pwned && b \ c'
hostile_commit "leading dash" '-rf --help' 'Decision: --exec=touch pwned'
hostile_commit "trailer \$()" 'Bump' 'Decision: $(touch pwned)'
hostile_commit "trailer backticks" 'Bump' 'Decision: `touch pwned`'
hostile_commit "newline in trailer value" 'Bump' 'Decision: first line
  $(touch pwned)
  `touch pwned`'
# A Refs: trailer that is not a record number links nothing (and so the hook asks).
hostile_commit "Refs: hostile" 'Bump' 'Refs: $(touch pwned); ADR-`touch pwned`'
run_adr show 1
expect_eq "show after hostile Refs: exit" 0 "$RC"
expect_contains "show after hostile Refs shows the record" "Record decisions in Git" "$OUT"
expect_not_contains "hostile Refs link nothing" "implemented-by" "$OUT"

# A Refs: trailer naming a record that does not exist: warned, never refused.
echo '{"refs": 1}' >data.json
git add data.json
setsid -w git commit -q -m "Bump" -m 'Refs: ADR-0099 $(touch pwned)' </dev/null 2>"$TMP/err.refs"
expect_eq "unknown Refs: one line" 1 "$(grep -c '^adr' "$TMP/err.refs" || true)"
expect_contains "unknown Refs: names it" "ADR-0099: no such record" "$(cat "$TMP/err.refs")"
expect_eq "unknown Refs: committed" "Bump" "$(git log -1 --format=%s)"

# `adr hook` itself with hostile arguments.
run_adr hook commit-msg -- '$(touch pwned)'
expect_eq "hook with a missing message file: exit 0" 0 "$RC"
run_adr hook prepare-commit-msg -- "-rf" "--" '`touch pwned`'
expect_eq "hook with dash arguments: exit 0" 0 "$RC"
snapshot_state . .git/hooks
run_adr hook pre-rebase
expect_eq "unknown hook: usage error" 2 "$RC"
expect_contains "unknown hook: usage error: says why" "adr: 'pre-rebase' is not a hook adr handles" "$ERR"
expect_unchanged "unknown hook: usage error: nothing changed"
snapshot_state . .git/hooks
run_adr hook
expect_eq "no hook name: usage error" 2 "$RC"
expect_contains "no hook name: usage error: says why" "adr: which hook?" "$ERR"
expect_unchanged "no hook name: usage error: nothing changed"
check "nothing executed at all" test -z "$(find "$TMP" -name pwned)"
check "fsck --strict" fsck_clean "$R"
check "git status clean" status_clean "$R"

if ls "$TMP"/sanitizer* >/dev/null 2>&1; then
	cat "$TMP"/sanitizer* >&2
	fail "sanitizer reports"
fi
finish
