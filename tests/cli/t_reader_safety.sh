#!/usr/bin/env bash
# Readers keep working when one entry or the index is unusable.
#
# F12: a committed symlink named like a record made every reader fail
# (list, show 1, check, toc all exited 1). Now check reports it as a finding
# and every other reader skips it with one warning; its target is never read.
#
# F15: an index directory that cannot be written made search and stats fail.
# Now they build the index in memory from git, say so once (path and
# reason), and give the same results; `adr index`, asked for the file, fails
# with that message and leaves things as they were.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
R=$(pwd -P)
"$ADR" init >/dev/null
body() { printf '%s\n' "$@" >"$TMP/body"; }

# --- F12: a symlink record ------------------------------------------------
D=docs/decisions
body "We keep state in a relational store."
"$ADR" new --no-edit --body-file "$TMP/body" --date 2026-01-10 Use Postgres for storage >/dev/null
# The target is a perfectly good record, outside the repository: were it
# followed, "Leaked target" would show up somewhere.
mkdir -p "$TMP/outside"
printf -- '---\nstatus: accepted\ndate: 2026-01-01\n---\n# Leaked target\n\nsecret-target-text\n' >"$TMP/outside/t.md"
ln -s "$TMP/outside/t.md" $D/0003-link.md
git add -A
git commit -qm "a symlink record"
body "Zebra crossings everywhere."
"$ADR" new --no-edit --body-file "$TMP/body" --date 2026-02-10 Adopt the zebra crossing >/dev/null
check "symlink committed as mode 120000" test "$(git ls-tree HEAD $D/0003-link.md | cut -c1-6)" = 120000
WARN="adr: warning: $D/0003-link.md: not a regular file (mode 120000); skipped"
HEAD0=$(git rev-parse HEAD)

run_adr list
expect_eq "list exit" 0 "$RC"
expect_eq "list shows the others" "0001 0002 0004" "$(echo "$OUT" | awk '{printf "%s%s", sep, $1; sep=" "}')"
expect_eq "list: one warning" "$WARN" "$ERR"
run_adr list --json
expect_eq "list --json exit" 0 "$RC"
expect_json "list --json: three records" '[r["number"] for r in d]' '[1,2,4]'
expect_eq "list --json: one warning" "$WARN" "$ERR"

run_adr show 1
expect_eq "show 1 exit" 0 "$RC"
expect_contains "show 1 shows it" "# Record decisions in Git" "$OUT"
expect_eq "show 1: one warning" "$WARN" "$ERR"
run_adr show 4
expect_eq "show 4 exit" 0 "$RC"
expect_contains "show 4 shows it" "Zebra crossings everywhere." "$OUT"
run_adr show 3 # read-only
expect_eq "show 3 exit" 1 "$RC"
expect_contains "show 3 exit: says why" "adr: record 0003 does not exist on refs/heads/main" "$ERR"
expect_eq "show 3: skipped, then not found" "$WARN
adr: record 0003 does not exist on refs/heads/main" "$ERR"
expect_not_contains "show 3 does not read the target" "Leaked" "$OUT"

run_adr toc
expect_eq "toc exit" 0 "$RC"
expect_eq "toc lists the others" "3" "$(echo "$OUT" | grep -c '^\* \[')"
expect_not_contains "toc: no link line" "0003-link" "$OUT"
expect_eq "toc: one warning" "$WARN" "$ERR"

run_adr graph
expect_eq "graph exit" 0 "$RC"
expect_eq "graph: one warning" "$WARN" "$ERR"

run_adr check # read-only
expect_eq "check exit (a finding)" 1 "$RC"
expect_eq "check reports the symlink, and only it" \
	"$D/0003-link.md:1:1: not a regular file (mode 120000); a record must be a committed regular file, so readers skip it [not-regular]" "$OUT"
expect_eq "check: count on stderr" "adr: 1 finding" "$(grep -v ': warning: ' <<<"$ERR" || true)"

run_adr html -o "$TMP/site"
expect_eq "html exit" 0 "$RC"
expect_contains "html warns" "$WARN" "$ERR"
check "html page of 0004" test -f "$TMP/site/0004-adopt-the-zebra-crossing.html"
expect_eq "no page mentions the target" "" "$(grep -rl -e Leaked -e secret-target-text "$TMP/site" || true)"

# the index skips it too, with the same single warning
run_adr search zebra
expect_eq "search exit" 0 "$RC"
expect_eq "search finds 0004" "0004" "$(echo "$OUT" | awk '/^[0-9][0-9][0-9][0-9] /{print $1}')"
expect_eq "search: one warning" "$WARN" "$ERR"
run_adr search secret-target-text
expect_eq "search for the target's text: exit" 0 "$RC"
expect_eq "search for the target's text: nothing" "" "$OUT"
run_adr list
expect_eq "list from the index: exit" 0 "$RC"
expect_eq "list from the index: the others" "0001 0002 0004" "$(echo "$OUT" | awk '{printf "%s%s", sep, $1; sep=" "}')"
expect_eq "list from the index: one warning" "$WARN" "$ERR"
run_adr stats --json
expect_eq "stats exit" 0 "$RC"
expect_json "stats counts three records" 'd["records"]' 3
expect_eq "stats: one warning" "$WARN" "$ERR"

expect_eq "readers moved nothing" "$HEAD0" "$(git rev-parse HEAD)"
check "F12: git status clean" status_clean "$R"
check "F12: fsck clean" fsck_clean "$R"

# --- F15: the index directory cannot be written ---------------------------
git rm -q $D/0003-link.md
git commit -qm "drop the symlink"
rm -rf .git/adr

# 1. A file where the index directory should be: ENOTDIR, root or not.
echo "not a directory" >.git/adr
NOTDIR="adr: warning: index: cannot write '$R/.git/adr/index.db': Not a directory; reading git directly (slower)"
run_adr search zebra
expect_eq "ENOTDIR: search exit" 0 "$RC"
expect_eq "ENOTDIR: search finds 0004" "0004" "$(echo "$OUT" | awk '/^[0-9][0-9][0-9][0-9] /{print $1}')"
expect_eq "ENOTDIR: said once, with path and reason" "$NOTDIR" "$ERR"
run_adr search --json nothing-matches-this
expect_eq "ENOTDIR: no hits: exit" 0 "$RC"
expect_eq "ENOTDIR: no hits: empty array" "[]" "$OUT"
run_adr stats --json
expect_eq "ENOTDIR: stats exit" 0 "$RC"
expect_json "ENOTDIR: stats counts three records" 'd["records"]' 3
expect_eq "ENOTDIR: stats said once" "$NOTDIR" "$ERR"
run_adr list
expect_eq "ENOTDIR: list exit" 0 "$RC"
expect_eq "ENOTDIR: list" "0001 0002 0004" "$(echo "$OUT" | awk '{printf "%s%s", sep, $1; sep=" "}')"
run_adr index
expect_eq "ENOTDIR: adr index fails" 1 "$RC"
expect_eq "ENOTDIR: adr index says why" "adr: index: cannot write '$R/.git/adr/index.db': Not a directory" "$ERR"
expect_eq "ENOTDIR: the file in the way is untouched" "not a directory" "$(cat .git/adr)"
expect_eq "ENOTDIR: no temporary file left" "" "$(find .git -name 'index.db*' -o -name '*.probe.*')"
rm .git/adr

# 2. A directory that cannot be written, holding a stale index: chmod for
# a normal user; root ignores modes, so there the directory is made
# immutable (chattr +i), when the file system allows it.
"$ADR" index >/dev/null
body "Quagga population study."
"$ADR" new --no-edit --body-file "$TMP/body" --date 2026-03-10 Count the quaggas >/dev/null
locked=
if [ "$(id -u)" != 0 ]; then
	chmod a-w .git/adr && locked=chmod
	REASON="Permission denied"
elif command -v chattr >/dev/null && chattr +i .git/adr 2>/dev/null; then
	locked=chattr
	REASON="Operation not permitted"
fi
if [ -n "$locked" ]; then
	unlock() { if [ "$locked" = chmod ]; then chmod u+w "$R/.git/adr"; else chattr -i "$R/.git/adr"; fi; }
	trap 'unlock; cleanup_tmp' EXIT
	RO="adr: warning: index: cannot write '$R/.git/adr/index.db': $REASON; reading git directly (slower)"
	before=$(ls -l --time-style=+%s.%N .git/adr)
	run_adr search quaggas
	expect_eq "read-only: search exit" 0 "$RC"
	expect_eq "read-only: search finds the new record" "0005" "$(echo "$OUT" | awk '/^[0-9][0-9][0-9][0-9] /{print $1}')"
	expect_eq "read-only: said once" "$RO" "$ERR"
	run_adr stats --json
	expect_eq "read-only: stats exit" 0 "$RC"
	expect_json "read-only: stats counts four records" 'd["records"]' 4
	expect_eq "read-only: stats said once" "$RO" "$ERR"
	run_adr list
	expect_eq "read-only: list exit" 0 "$RC"
	expect_eq "read-only: list reads git" "0001 0002 0004 0005" "$(echo "$OUT" | awk '{printf "%s%s", sep, $1; sep=" "}')"
	expect_eq "read-only: list said once" \
		"adr: warning: index: cannot write '$R/.git/adr/index.db': $REASON; reading git directly" "$ERR"
	run_adr index
	expect_eq "read-only: adr index fails" 1 "$RC"
	expect_eq "read-only: adr index says why" "adr: index: cannot write '$R/.git/adr/index.db': $REASON" "$ERR"
	expect_eq "read-only: the index directory is unchanged" "$before" "$(ls -l --time-style=+%s.%N .git/adr)"
	unlock
	trap cleanup_tmp EXIT
	run_adr search quaggas
	expect_eq "writable again: exit" 0 "$RC"
	expect_eq "writable again: no warning" "" "$ERR"
	expect_eq "writable again: found" "0005" "$(echo "$OUT" | awk '/^[0-9][0-9][0-9][0-9] /{print $1}')"
else
	echo "SKIP: F15 read-only index directory (running as root without a working chattr +i)"
fi

check "F15: git status clean" status_clean "$R"
check "F15: fsck clean" fsck_clean "$R"

finish
