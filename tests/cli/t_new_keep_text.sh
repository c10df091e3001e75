#!/usr/bin/env bash
# `adr new` and `adr propose` share their edit-and-commit step: when the
# commit fails after the user edited the text (here: a lock left on the
# branch the commit moves), both keep the text in a file of its own, say
# where, and change nothing.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
must_adr init
GITDIR=$(realpath .git)
KEEP=$GITDIR/adr-edit
kept_files() { { find "$KEEP" -name "$1-*.md" 2>/dev/null || true; } | sort; }

cat >"$TMP/editor.sh" <<'SH'
#!/bin/sh
printf '\nHALF AN HOUR OF WORK\n' >>"$1"
SH
chmod +x "$TMP/editor.sh"

# new: the decision branch is locked
touch .git/refs/heads/main.lock
snapshot_state
EDITOR="$TMP/editor.sh" run_adr new --edit "Kept new record"
expect_eq "new, commit fails: exit 1" 1 "$RC"
expect_unchanged "new, commit fails: nothing changed"
expect_contains "new, commit fails: why" "main.lock' exists" "$ERR"
NEWK=$(kept_files new)
expect_eq "new, commit fails: one kept file" 1 "$(printf '%s\n' "$NEWK" | grep -c .)"
expect_contains "new, commit fails: the text is kept" "HALF AN HOUR OF WORK" "$(cat "$NEWK")"
expect_contains "new, commit fails: named" "adr: your text is kept in $NEWK ('adr edit --recover' lists kept texts)" "$ERR"
rm .git/refs/heads/main.lock

# propose: the proposal's branch is locked
mkdir -p .git/refs/heads/adr
touch .git/refs/heads/adr/kept-proposal.lock
snapshot_state
EDITOR="$TMP/editor.sh" run_adr propose --edit "Kept proposal"
expect_eq "propose, commit fails: exit 1" 1 "$RC"
expect_unchanged "propose, commit fails: nothing changed"
expect_contains "propose, commit fails: why" "kept-proposal.lock' exists" "$ERR"
PROPK=$(kept_files propose)
expect_eq "propose, commit fails: one kept file" 1 "$(printf '%s\n' "$PROPK" | grep -c .)"
expect_contains "propose, commit fails: the text is kept" "HALF AN HOUR OF WORK" "$(cat "$PROPK")"
expect_contains "propose, commit fails: named" "adr: your text is kept in $PROPK ('adr edit --recover' lists kept texts)" "$ERR"
rm .git/refs/heads/adr/kept-proposal.lock

# Once the lock is gone, the same commands commit and keep nothing new.
EDITOR="$TMP/editor.sh" run_adr propose --edit "Kept proposal"
expect_eq "propose after the lock: exit 0" 0 "$RC"
expect_eq "propose after the lock: the branch" "adr/kept-proposal" "$OUT"
expect_contains "propose after the lock: the text" "HALF AN HOUR OF WORK" "$(git show adr/kept-proposal:docs/decisions/kept-proposal.md)"
expect_eq "propose after the lock: still one kept propose text" 1 "$(kept_files propose | grep -c .)"
finish
