#!/usr/bin/env bash
# adr hooks install / uninstall / status: over an existing plain hook (which
# still runs, keeps failing the commit when it fails, and is restored byte
# for byte with its mode), twice in a row, with core.hooksPath (relative and
# absolute), from a subdirectory, next to a hook manager (refused), and with
# the adr binary gone (the commit still succeeds).
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
printf 'hooks:\n  watch: [package.json]\n' >>.adr.yaml
git commit -q -am "watch"
H=.git/hooks

# --- over an existing plain hook -----------------------------------------------
cat >$H/commit-msg <<'EOF'
#!/bin/sh
# the team's own commit-msg hook
echo "user hook ran: $1" >>"$(git rev-parse --git-dir)/user-hook.log"
grep -q WIP "$1" && { echo "no WIP commits" >&2; exit 1; }
exit 0
EOF
chmod 0750 $H/commit-msg
cp -p $H/commit-msg "$TMP/commit-msg.orig"
run_adr hooks status
expect_contains "status before: foreign" "commit-msg           foreign" "$OUT"
expect_contains "status before: missing" "post-commit          missing" "$OUT"

run_adr hooks install
expect_eq "install: exit status" 0 "$RC"
expect_contains "install: chained" "commit-msg           chained" "$OUT"
expect_contains "install: installed" "post-commit          installed" "$OUT"
check "install: the old hook is kept" cmp -s "$TMP/commit-msg.orig" $H/commit-msg.adr-chained
expect_eq "install: its mode is kept" 750 "$(stat -c %a $H/commit-msg.adr-chained)"
expect_eq "install: adr's hook is executable" 755 "$(stat -c %a $H/commit-msg)"
expect_contains "install: the script runs this adr" "adr='$(readlink -f "$ADR")'" "$(cat $H/post-commit)"
run_adr hooks status --json
expect_json "status --json: commit-msg chained" '[h["state"] for h in d["hooks"] if h["name"] == "commit-msg"]' '["chained"]'

# The user's hook still runs, and still refuses what it refused.
echo a >a.txt
git add a.txt
git commit -q -m "Add a" </dev/null 2>/dev/null
expect_contains "the user hook ran" "user hook ran" "$(cat .git/user-hook.log)"
expect_eq "the commit was made" "Add a" "$(git log -1 --format=%s)"
echo b >b.txt
git add b.txt
set +e
git commit -q -m "WIP b" </dev/null 2>"$TMP/err.wip"
RC=$?
set -e
expect_eq "a failing user hook still fails the commit" 1 "$RC"
expect_contains "with its message" "no WIP commits" "$(cat "$TMP/err.wip")"
expect_eq "nothing committed" "Add a" "$(git log -1 --format=%s)"
git reset -q

# --- pre-push and post-merge are installed with the others; a user's pre-push
# hook still gets the refs on stdin, and still blocks the push it refuses ----------
run_adr hooks status
expect_contains "installed: pre-push" "pre-push             ours" "$OUT"
expect_contains "installed: post-merge" "post-merge           ours" "$OUT"
run_adr hooks uninstall
expect_eq "uninstall before chaining pre-push: exit" 0 "$RC"
printf '%s\n' '#!/bin/sh' '# the team'"'"'s own pre-push hook' \
	'cat >>"$(git rev-parse --git-dir)/pushed.log"' \
	'[ -e "$(git rev-parse --git-dir)/no-push" ] && { echo "pushes are frozen" >&2; exit 1; }' \
	'exit 0' >$H/pre-push
chmod 0755 $H/pre-push
cp -p $H/pre-push "$TMP/pre-push.orig"
run_adr hooks install
expect_contains "install: pre-push chained" "pre-push             chained" "$OUT"
git init -q --bare "$TMP/pushed.git"
git push -q "file://$TMP/pushed.git" main 2>"$TMP/err.push"
expect_eq "chained pre-push: got the refs on stdin" "refs/heads/main $(git rev-parse main) refs/heads/main 0000000000000000000000000000000000000000" "$(cat .git/pushed.log)"
expect_eq "chained pre-push: pushed" "$(git rev-parse main)" "$(git --git-dir="$TMP/pushed.git" rev-parse main)"
touch .git/no-push
git commit -q --allow-empty -m "one more"
set +e
git push -q "file://$TMP/pushed.git" main 2>"$TMP/err.frozen"
RC=$?
set -e
expect_eq "a failing user pre-push still fails the push" 1 "$RC"
expect_contains "with its message" "pushes are frozen" "$(cat "$TMP/err.frozen")"
expect_eq "nothing pushed" "$(git rev-parse main~1)" "$(git --git-dir="$TMP/pushed.git" rev-parse main)"
rm .git/no-push
git reset -q --hard HEAD~1
run_adr hooks uninstall
expect_eq "uninstall chained pre-push: exit" 0 "$RC"
check "uninstall: pre-push byte for byte" cmp -s "$TMP/pre-push.orig" $H/pre-push
rm $H/pre-push .git/pushed.log
run_adr hooks install
expect_eq "reinstall: exit" 0 "$RC"

# --- twice in a row changes nothing ------------------------------------------------
snap() { (cd $H && for f in $(ls | sort); do printf '%s %s ' "$f" "$(stat -c %a "$f")"; sha1sum <"$f"; done); }
S1=$(snap)
run_adr hooks install
expect_eq "install twice: exit status" 0 "$RC"
expect_eq "install twice: every hook unchanged" 5 "$(grep -c unchanged <<<"$OUT")"
expect_eq "install twice: the directory is the same" "$S1" "$(snap)"

# --- uninstall restores exactly ---------------------------------------------------
run_adr hooks uninstall
expect_eq "uninstall: exit status" 0 "$RC"
expect_contains "uninstall: restored" "commit-msg           restored" "$OUT"
expect_contains "uninstall: removed" "post-commit          removed" "$OUT"
check "uninstall: byte for byte" cmp -s "$TMP/commit-msg.orig" $H/commit-msg
expect_eq "uninstall: mode" 750 "$(stat -c %a $H/commit-msg)"
check "uninstall: no leftovers" test ! -e $H/commit-msg.adr-chained -a ! -e $H/post-commit -a ! -e $H/prepare-commit-msg \
	-a ! -e $H/pre-push -a ! -e $H/post-merge
run_adr hooks uninstall
expect_eq "uninstall twice: exit status" 0 "$RC"
check "uninstall twice: the hook stays" cmp -s "$TMP/commit-msg.orig" $H/commit-msg
rm $H/commit-msg

# --- a hook manager is refused, nothing changes -------------------------------------
printf '#!/bin/sh\n# lefthook\ncall_lefthook run "prepare-commit-msg" "$@"\n' >$H/prepare-commit-msg
chmod +x $H/prepare-commit-msg
run_adr hooks install
expect_eq "lefthook: refused" 1 "$RC"
expect_contains "lefthook: says why" "lefthook" "$ERR"
check "lefthook: nothing installed" test ! -e $H/post-commit -a ! -e $H/prepare-commit-msg.adr-chained
rm $H/prepare-commit-msg

# --- core.hooksPath, relative (from a subdirectory) and absolute ---------------------
git config core.hooksPath .githooks
mkdir -p sub/dir
(cd sub/dir && "$ADR" hooks install >"$TMP/out.hp")
expect_contains "hooksPath: names the directory" "hooks in $R/.githooks:" "$(cat "$TMP/out.hp")"
check "hooksPath: installed at the top" test -x .githooks/post-commit
check "hooksPath: not in .git/hooks" test ! -e $H/post-commit
run_adr hooks status
expect_contains "hooksPath: status" "post-commit          ours" "$OUT"
# git runs them: a commit touching a watched path reaches adr (one line, no terminal).
echo '{}' >package.json
git add package.json
setsid -w git commit -q -m "Add package.json" </dev/null 2>"$TMP/err.hp"
expect_contains "hooksPath: git ran adr's hook" "touches watched paths" "$(cat "$TMP/err.hp")"
run_adr hooks uninstall
expect_eq "hooksPath: uninstall: exit" 0 "$RC"
check "hooksPath: uninstalled" test ! -e .githooks/post-commit

git config core.hooksPath "$TMP/global-hooks"
run_adr hooks install
expect_eq "absolute hooksPath: install: exit" 0 "$RC"
check "absolute hooksPath: installed" test -x "$TMP/global-hooks/commit-msg"
run_adr hooks uninstall
expect_eq "absolute hooksPath: uninstall: exit" 0 "$RC"
git config --unset core.hooksPath

# --- adr gone: the commit goes on ------------------------------------------------------
mkdir -p "$TMP/bin"
cp "$ADR" "$TMP/bin/adr"
"$TMP/bin/adr" hooks install >/dev/null
expect_contains "copied adr: baked path" "adr='$TMP/bin/adr'" "$(cat $H/post-commit)"
rm "$TMP/bin/adr"
echo '{"x":1}' >package.json
git add package.json
set +e
PATH=/usr/bin:/bin setsid -w git commit -q -m "Bump without adr" </dev/null 2>"$TMP/err.gone"
RC=$?
set -e
expect_eq "adr gone: the commit succeeds" 0 "$RC"
expect_eq "adr gone: committed" "Bump without adr" "$(git log -1 --format=%s)"
expect_eq "adr gone: silent" "" "$(cat "$TMP/err.gone")"
check "fsck --strict" fsck_clean "$R"

snapshot_state . "$H"
run_adr hooks frobnicate
expect_eq "unknown subcommand: usage error" 2 "$RC"
expect_contains "unknown subcommand: usage error: says why" "adr: 'frobnicate' is not install, uninstall or status" "$ERR"
expect_unchanged "unknown subcommand: usage error: nothing changed"
snapshot_state . "$H"
run_adr hooks install --json
expect_eq "--json with install: usage error" 2 "$RC"
expect_contains "--json with install: usage error: says why" "adr: --json goes with status" "$ERR"
expect_unchanged "--json with install: usage error: nothing changed"

if ls "$TMP"/sanitizer* >/dev/null 2>&1; then
	cat "$TMP"/sanitizer* >&2
	fail "sanitizer reports"
fi
finish
