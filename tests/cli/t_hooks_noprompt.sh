#!/usr/bin/env bash
# On a terminal (tmux), commits made by amend, rebase, merge, cherry-pick and
# revert touch watched paths but get no question and no record; a plain
# commit at the end, on the same terminal, does get the question (so the
# silence is not just a missing terminal). A chained post-commit hook logs
# each run, proving the hooks did run.
source "$(dirname "$0")/lib.sh"

# Sanitizer reports from adr run by git's hooks would go unseen (the hooks
# ignore adr's status): send them to files, checked at the end.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$TMP/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$TMP/sanitizer"

command -v tmux >/dev/null || { echo "tmux is required" >&2; exit 1; }

SOCK=$TMP/tmux.sock
SESSION=adr-noprompt
tm() { tmux -S "$SOCK" -f /dev/null "$@"; }
cleanup_tmux() { tm kill-server 2>/dev/null || true; cleanup_tmp; }
trap cleanup_tmux EXIT

wait_for() {
	local i
	for i in $(seq 1 150); do
		if tm capture-pane -p -S -200 -t "$SESSION" 2>/dev/null | grep -cF -- "$1" >/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	echo "--- pane ---" >&2
	tm capture-pane -p -S -200 -t "$SESSION" >&2 || true
	return 1
}

R=$TMP/repo
new_repo "$R"
cd "$R"
git commit -q --allow-empty -m "start"
"$ADR" init >/dev/null
printf 'hooks:\n  watch: ["*.json"]\n' >>.adr.yaml
git commit -q -am "watch"
cat >.git/hooks/post-commit <<'EOF'
#!/bin/sh
echo "post-commit $(git rev-parse HEAD)" >>"$(git rev-parse --git-common-dir)/post-commit.log"
EOF
chmod +x .git/hooks/post-commit
"$ADR" hooks install >/dev/null
: >.git/post-commit.log

# Everything below runs on the terminal; the control commit at the end is the
# only one that may ask.
cat >"$TMP/scenario.sh" <<'EOF'
set -e
export GIT_EDITOR=true
c() { echo "$2" >"$1"; git add "$1"; git commit -q -m "$3" -m "Decision: $3"; }
# Commits made while no terminal asks (stdin and /dev/tty detached).
setsid -w sh -c 'echo "{\"a\":1}" >a.json && git add a.json && git commit -q -m "Add a" -m "Decision: none"' </dev/null
git commit -q --amend -m "Add a, amended" -m "Decision: amended"
echo amend-done
git checkout -q -b feature
# The commits that rebase and cherry-pick replay carry no "Decision: none":
# replayed on the terminal, they would ask if the hook did not skip them.
setsid -w sh -c 'echo "{\"f\":1}" >f.json && git add f.json && git commit -q -m "Add f"' </dev/null
setsid -w sh -c 'echo "{\"g\":1}" >g.json && git add g.json && git commit -q -m "Add g"' </dev/null
git checkout -q main
setsid -w sh -c 'echo "{\"m\":1}" >m.json && git add m.json && git commit -q -m "Add m" -m "Decision: none"' </dev/null
git checkout -q feature
git rebase -q main
echo rebase-done
git checkout -q main
git merge -q --no-ff --no-commit feature
git commit -q -m "Merge feature" -m "Decision: merged"
echo merge-done
git checkout -q -b other HEAD~1
git cherry-pick feature~1 >/dev/null
echo cherry-pick-done
git revert --no-edit HEAD >/dev/null
echo revert-done
git checkout -q main
echo '{"z":1}' >z.json
git add z.json
git commit -q -m "Add z"
echo all-done
EOF
tm new-session -d -x 200 -y 50 -s "$SESSION" "cd $(printf %q "$R") && bash $(printf %q "$TMP/scenario.sh"); echo scenario-exit=\$?; sleep 30"
check "amend, rebase, merge, cherry-pick and revert ran" wait_for "revert-done"
check "the plain commit asks" wait_for "Record a decision?"
tm send-keys -t "$SESSION" s Enter
check "the scenario finished" wait_for "scenario-exit=0"
PANE=$(tm capture-pane -p -S -200 -t "$SESSION")
expect_eq "exactly one question (for the plain commit)" 1 "$(grep -c 'Record a decision?' <<<"$PANE")"
expect_contains "the question is for the plain commit" '"Add z" touches watched paths' "$PANE"
expect_not_contains "no question for the amend" "amended" "$PANE"
expect_not_contains "no question for the merge" "merged" "$PANE"
# 4 setsid commits + amend + 2 rebase picks + merge commit + cherry-pick + revert + plain
LOG=$(wc -l <.git/post-commit.log)
check "post-commit ran for every commit ($LOG)" test "$LOG" -ge 11
expect_eq "no record was made" "Adr-Action: init" "$(git log --all --format='%(trailers:key=Adr-Action)' | sed '/^$/d' | sort -u)"
expect_eq "one record file" 1 "$(git ls-tree --name-only main docs/decisions/ | wc -l)"
check "fsck --strict" fsck_clean "$R"

if ls "$TMP"/sanitizer* >/dev/null 2>&1; then
	cat "$TMP"/sanitizer* >&2
	fail "sanitizer reports"
fi
finish
