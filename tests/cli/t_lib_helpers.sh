#!/usr/bin/env bash
# The test helpers and the lint can fail: expect_unchanged notices every kind
# of change a failed command could make, must_adr and a failing plain command
# stop a test loudly, and tests/lint-failure-checks.sh flags a failure check
# that looks only at the exit code (issue 11: checks that cannot fail).
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
must_adr init
OUTSIDE=$TMP/site
mkdir "$OUTSIDE" && echo page >"$OUTSIDE/index.html"

# noticed DESCRIPTION: expect_unchanged must count a failure here; the
# failure it counts is expected, so it is taken back and counted as a pass.
noticed() {
	local before=$FAILED
	expect_unchanged "$1" 2>"$TMP/noticed.err"
	if [ "$FAILED" -eq $((before + 1)) ]; then
		FAILED=$before
		expect_contains "$1: the FAIL shows the change" "the state changed" "$(cat "$TMP/noticed.err")"
	else
		fail "$1: expect_unchanged did not notice"
	fi
}

snapshot_state . "$OUTSIDE"
expect_unchanged "nothing done, nothing changed"

snapshot_state . "$OUTSIDE"
git commit -q --allow-empty -m "moves main"
noticed "a new commit"

snapshot_state . "$OUTSIDE"
git branch -q other
noticed "a new branch"

snapshot_state . "$OUTSIDE"
git symbolic-ref HEAD refs/heads/other
noticed "HEAD on another branch at the same commit"
git symbolic-ref HEAD refs/heads/main

F=docs/decisions/0001-record-decisions-in-git.md
snapshot_state . "$OUTSIDE"
sed -i 's/^status: accepted/status: rejected/' "$F"
noticed "a tracked file changed (same size)"
git checkout -q -- "$F"

snapshot_state . "$OUTSIDE"
echo new >untracked.txt
noticed "an untracked file"
rm untracked.txt

echo 'ignored.txt' >.git/info/exclude
snapshot_state . "$OUTSIDE"
echo x >ignored.txt
noticed "an ignored file"
rm ignored.txt

snapshot_state . "$OUTSIDE"
git update-index --chmod=+x "$F"
noticed "the index alone"
git update-index --chmod=-x "$F"

snapshot_state . "$OUTSIDE"
: >.git/refs/heads/main.lock
noticed "a lock file left in .git"
rm .git/refs/heads/main.lock

snapshot_state . "$OUTSIDE"
echo more >"$OUTSIDE/new.html"
noticed "a file in the outside directory"
rm "$OUTSIDE/new.html"

snapshot_state . "$TMP/absent"
mkdir "$TMP/absent"
noticed "an outside path created"
rmdir "$TMP/absent"

snapshot_state . "$OUTSIDE"
expect_unchanged "everything put back: unchanged again"

# A failed setup step stops the test, saying which step and why.
set +e
(must_adr nosuch) >"$TMP/must.out" 2>"$TMP/must.err"
RC=$?
set -e
expect_eq "must_adr: a failed step stops the test" 1 "$RC" # read-only
expect_contains "must_adr: names the step" "FAIL: setup step failed (exit 2) at t_lib_helpers.sh:" "$(cat "$TMP/must.err")"
expect_contains "must_adr: says why" "adr nosuch: adr: 'nosuch' is not an adr command" "$(cat "$TMP/must.err")"

# A plain command that fails under set -e says where (the ERR trap).
cat >"$TMP/stop.sh" <<'SH'
source "$1"
f() { false; }
x=$(false; echo ok)
f
echo "not reached"
SH
set +e
ADR=$ADR bash "$TMP/stop.sh" "$ADR_SOURCE_DIR/tests/cli/lib.sh" >"$TMP/stop.out" 2>"$TMP/stop.err"
RC=$?
set -e
expect_eq "set -e stop: exit 1" 1 "$RC" # read-only
expect_eq "set -e stop: said once, where" "FAIL: stop stopped: \`false\` exited 1 at stop.sh:2" "$(cat "$TMP/stop.err")"
expect_eq "set -e stop: nothing after it ran" "" "$(cat "$TMP/stop.out")"

# The lint flags an exit-code-only failure check, an unchecked step, a
# "no results" check without the exit code and JSON compared as text ...
LINT=$ADR_SOURCE_DIR/tests/lint-failure-checks.sh
cat >"$TMP/t_bad.sh" <<'SH'
run_adr new --bogus
expect_eq "bad option" 2 "$RC"
run_adr init
run_adr search nothing
expect_eq "no hits" "" "$OUT"
run_adr stats --json
expect_contains "five records" '"records": 5' "$OUT"
SH
set +e
OUT=$(bash "$LINT" "$TMP/t_bad.sh" 2>&1)
RC=$?
set -e
expect_eq "lint: a bad test fails it" 1 "$RC" # read-only
expect_contains "lint: exit code only" "t_bad.sh:2: failure check without message or state" "$OUT"
expect_contains "lint: unchecked step" "t_bad.sh:3: run_adr whose result is never checked" "$OUT"
expect_contains "lint: no results without exit code" "t_bad.sh:5: \"no results\" check without the exit code" "$OUT"
expect_contains "lint: JSON as text" "t_bad.sh:7: JSON compared as text" "$OUT"
# ... and accepts the same checks done right; read-only needs the marker.
cat >"$TMP/t_good.sh" <<'SH'
snapshot_state
run_adr new --bogus
expect_eq "bad option" 2 "$RC"
expect_contains "bad option: says why" "adr: unknown option '--bogus'" "$ERR"
expect_unchanged "bad option: nothing changed"
must_adr init
run_adr search nothing # read-only
expect_eq "no hits: exit" 0 "$RC"
expect_eq "no hits" "" "$OUT"
run_adr show 99 # read-only
expect_eq "no such record" 1 "$RC"
expect_contains "no such record: says why" "adr: record 0099 does not exist" "$ERR"
run_adr stats --json
expect_json "five records" 'd["records"]' 5
SH
set +e
OUT=$(bash "$LINT" "$TMP/t_good.sh" 2>&1)
RC=$?
set -e
expect_eq "lint: the good test passes it ($OUT)" 0 "$RC"
sed -i 's/^run_adr show 99 # read-only$/run_adr show 99/' "$TMP/t_good.sh"
set +e
OUT=$(bash "$LINT" "$TMP/t_good.sh" 2>&1)
RC=$?
set -e
expect_eq "lint: without the read-only marker, the state is asked for" 1 "$RC" # read-only
expect_contains "lint: names the site" "t_good.sh:11: failure check without state" "$OUT"
finish
