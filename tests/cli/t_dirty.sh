#!/usr/bin/env bash
# The user's uncommitted work is sacred: adr writes to the checked-out branch
# while unrelated staged and unstaged changes exist, and they stay exactly as
# they were. Uncommitted edits to a record adr must rewrite make it refuse.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
printf 'line 1\nline 2\n' >notes.txt
printf 'alpha\n' >staged.txt
git add notes.txt staged.txt
git commit -q -m "start"

run_adr init
expect_eq "init" 0 "$RC"

# Unrelated work: a staged change, an unstaged change, a partly staged file, an untracked file.
printf 'alpha\nbeta (staged)\n' >staged.txt
git add staged.txt
printf 'line 1\nline 2\nline 3 (unstaged)\n' >notes.txt
printf 'new file (staged)\n' >added.txt
git add added.txt
printf 'new file (staged)\nand unstaged\n' >added.txt
printf 'untracked\n' >untracked.txt

snapshot() {
	git diff >"$TMP/diff.$1"
	git diff --cached >"$TMP/cached.$1"
	git status --porcelain >"$TMP/status.$1"
	cat notes.txt staged.txt added.txt untracked.txt >"$TMP/files.$1"
}
same_as_before() {
	snapshot after
	for k in diff cached status files; do
		if ! cmp -s "$TMP/$k.before" "$TMP/$k.after"; then
			fail "$1: $k changed"
			diff "$TMP/$k.before" "$TMP/$k.after" >&2 || true
			return
		fi
	done
	pass
}
snapshot before

N=$(commit_count "$R")
step() {
	local what=$1
	shift
	run_adr "$@"
	expect_eq "$what: exit" 0 "$RC"
	N=$((N + 1))
	expect_eq "$what: one commit" "$N" "$(commit_count "$R")"
	same_as_before "$what"
	check "$what: fsck" fsck_clean "$R"
	# adr's own paths are clean: nothing but the user's work shows in status.
	expect_eq "$what: nothing of adr's in status" "" "$(git status --porcelain -- docs .adr.yaml)"
}

step "new" new --no-edit Use PostgreSQL
step "new 3" new --no-edit Use Kafka
step "status" status 2 deprecated
step "supersede" supersede 2 3
step "link" link 3 relates-to 1
cat >"$TMP/editor.sh" <<'SH'
#!/bin/sh
printf '\nMore context.\n' >>"$1"
SH
chmod +x "$TMP/editor.sh"
EDITOR="$TMP/editor.sh" step "edit" edit 3
# The staged changes are still staged, the unstaged ones still unstaged.
expect_eq "staged content still staged" "alpha
beta (staged)" "$(git show :staged.txt)"
expect_eq "HEAD still has the old content" "alpha" "$(git show HEAD:staged.txt)"

# Uncommitted edits to a record: adr refuses, and keeps them.
P3=docs/decisions/0003-use-kafka.md
printf '\nMy unsaved thought.\n' >>"$P3"
cp "$P3" "$TMP/p3.mine"
run_adr status 3 deprecated
expect_eq "dirty record: refused" 1 "$RC"
expect_contains "dirty record: says which file" "$P3" "$ERR"
expect_contains "dirty record: says why" "uncommitted changes" "$ERR"
expect_eq "dirty record: no commit" "$N" "$(commit_count "$R")"
check "dirty record: edit kept" cmp -s "$P3" "$TMP/p3.mine"

git add "$P3"
run_adr link 3 amends 1
expect_eq "staged record: refused" 1 "$RC"
expect_contains "staged record: says staged" "staged changes" "$ERR"
expect_eq "staged record: no commit" "$N" "$(commit_count "$R")"
git reset -q -- "$P3"
git checkout -q -- "$P3"

# An untracked file where the next record goes.
printf 'mine\n' >docs/decisions/0004-use-redis.md
run_adr new --no-edit Use Redis
expect_eq "untracked file in the way: refused" 1 "$RC"
expect_contains "untracked file in the way: says so" "not committed" "$ERR"
expect_eq "untracked file kept" "mine" "$(cat docs/decisions/0004-use-redis.md)"
rm docs/decisions/0004-use-redis.md

# Another branch checked out: adr writes to the decision branch without touching the checkout.
git stash -q -u
git checkout -q -b feature
printf 'feature work\n' >feature.txt
run_adr new --no-edit Use Redis
expect_eq "other branch: exit" 0 "$RC"
expect_eq "other branch: HEAD unchanged" "feature" "$(git rev-parse --abbrev-ref HEAD)"
check "other branch: record not in the work tree" test ! -e docs/decisions/0004-use-redis.md
expect_eq "other branch: record on main" "docs/decisions/0004-use-redis.md" "$(git ls-tree --name-only main docs/decisions/ | tail -1)"
expect_eq "other branch: untracked file kept" "feature work" "$(cat feature.txt)"
check "fsck" fsck_clean "$R"
finish
