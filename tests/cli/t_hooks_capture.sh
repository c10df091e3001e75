#!/usr/bin/env bash
# A real `git commit` on a terminal (tmux) that touches a watched path: the
# post-commit hook asks, the answers become a record linked to the code
# commit, and the code commit itself is exactly what git would have made
# without adr. Also: a `Decision:` trailer with hostile text as the title,
# linking to an existing record, and skipping.
source "$(dirname "$0")/lib.sh"

# Sanitizer reports from adr run by git's hooks would go unseen (the hooks
# ignore adr's status): send them to files, checked at the end.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$TMP/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$TMP/sanitizer"

SESSION=adr-capture
source "$ADR_SOURCE_DIR/tests/cli/tmux.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
git commit -q --allow-empty -m "start"
"$ADR" init >/dev/null
printf 'hooks:\n  watch: [package.json, "db/migrations/**"]\n' >>.adr.yaml
git commit -q -am "watch dependency manifests and migrations"
"$ADR" hooks install >/dev/null
check "hooks installed" test -x .git/hooks/post-commit

# Fixed dates: the same commit made without adr must get the same id.
export GIT_AUTHOR_DATE="2026-11-21T10:00:00+00:00" GIT_COMMITTER_DATE="2026-11-21T10:00:00+00:00"
export ADR_NOW=2026-11-21

# The commit git makes without any hook, in a clone at the same state.
git clone -q "$R" "$TMP/plain"
(
	cd "$TMP/plain"
	rm -f .git/hooks/*
	echo '{"dependencies": {"left-pad": "1.3.0"}}' >package.json
	git add package.json
	git commit -q -m "Add left-pad"
)
EXPECTED=$(git -C "$TMP/plain" rev-parse HEAD)

# The tmux server starts here, with the environment above. A session that
# outlives the others keeps it from exiting (and racing with the next
# new-session) each time a commit's session is killed.
tm new-session -d -s keep "sleep 600"

# --- 1. accepted record from the prompt ---------------------------------------
echo '{"dependencies": {"left-pad": "1.3.0"}}' >package.json
git add package.json
BEFORE=$(git rev-parse HEAD)
start_commit "$R" "$TMP/done1" -m "Add left-pad"
check "the hook asks" wait_for "Record a decision? [p]roposal, [a]ccepted"
check "it names the watched path" wait_for "  package.json"
answer a
check "it asks for the title" wait_for "Title [Add left-pad]:"
answer "Depend on left-pad for padding"
check "it asks for the decision" wait_for "Decision (one paragraph"
answer "We use left-pad; writing our own is not worth it."
check "it reports the record" wait_for "adr: recorded 0002 in docs/decisions/0002-depend-on-left-pad-for-padding.md"
check "git commit finished" wait_file "$TMP/done1"
expect_eq "git commit exit status" 0 "$(cat "$TMP/done1")"

CODE=$(git rev-parse HEAD~1)
expect_eq "the code commit is exactly git's own" "$EXPECTED" "$CODE"
expect_eq "the code commit follows the previous tip" "$BEFORE" "$(git rev-parse HEAD~2)"
expect_eq "the record commit is on top" "docs/decisions/0002-depend-on-left-pad-for-padding.md" \
	"$(git show --format= --name-only HEAD)"
expect_eq "record commit trailers" "Adr-Action: new
Adr-Record: 0002
Adr-Commit: $CODE" "$(git log -1 --format='%(trailers:only,unfold)' | sed '/^$/d')"
F=$(git show HEAD:docs/decisions/0002-depend-on-left-pad-for-padding.md)
expect_contains "record: status" "status: accepted" "$F"
expect_contains "record: date" "date: 2026-11-21" "$F"
expect_contains "record: title" "# Depend on left-pad for padding" "$F"
expect_contains "record: the decision under its heading" "## Decision

We use left-pad; writing our own is not worth it." "$F"
check "fsck --strict" fsck_clean "$R"
check "git status clean" status_clean "$R"
run_adr show 2
expect_contains "show lists the code commit" "implemented-by:  ${CODE:0:12} Add left-pad" "$OUT"

# --- 2. a folded Decision: trailer with hostile text, recorded as a proposal -----
TITLE='Use $(touch pwned) `touch pwned`; rm -rf x | y & z \ -n'
mkdir -p db/migrations
echo "create table t (id int);" >db/migrations/001.sql
git add db
# The trailer is folded over two lines; git unfolds it into the title.
FOLDED='Use $(touch pwned)
  `touch pwned`; rm -rf x | y & z \ -n'
start_commit "$R" "$TMP/done2" -m "Add table t" -m "Decision: $FOLDED"
check "trailer: the hook asks" wait_for "says \"Decision: $TITLE\""
answer p
check "trailer: the title is prefilled" wait_for "Title [$TITLE]:"
answer ""
check "trailer: decision prompt" wait_for "Decision (one paragraph"
answer ""
# A proposal is a real one (t_honest.sh): its branch adr/<slug>, not a numbered record.
SLUG=use-touch-pwned-touch-pwned-rm-rf-x-y-z-n
check "trailer: proposed" wait_for "adr: proposed docs/decisions/$SLUG.md on adr/$SLUG"
check "trailer: commit finished" wait_file "$TMP/done2"
expect_eq "trailer: exit status" 0 "$(cat "$TMP/done2")"
expect_eq "trailer: the code commit is the tip" "Add table t" "$(git log -1 --format=%s)"
P3=$(git diff --name-only HEAD "adr/$SLUG")
expect_eq "trailer: the file name is a slug" "docs/decisions/$SLUG.md" "$P3"
F=$(git show "adr/$SLUG:$P3")
expect_contains "trailer: title kept literally" "# $TITLE" "$F"
expect_contains "trailer: proposal" "status: proposed" "$F"
check "nothing ran the hostile text" test ! -e pwned
check "nothing ran the hostile text (anywhere)" test -z "$(find "$TMP" -name pwned)"

# --- 3. link to an existing record ----------------------------------------------
echo "create table u (id int);" >db/migrations/002.sql
git add db
start_commit "$R" "$TMP/done3" -m "Add table u"
check "link: the hook asks" wait_for "Record a decision?"
answer l
check "link: asks the number" wait_for "Which decision does this commit implement? Record number (Enter to skip):"
answer "ADR-0002"
check "link: linked" wait_for "adr: linked 0002 to commit"
check "link: commit finished" wait_file "$TMP/done3"
CODE3=$(git rev-parse HEAD~1)
expect_eq "link: the record commit changes no file" "" "$(git show --format= --name-only HEAD)"
expect_eq "link: trailers" "Adr-Action: link-commit
Adr-Record: 0002
Adr-Commit: $CODE3" "$(git log -1 --format='%(trailers:only,unfold)' | sed '/^$/d')"
run_adr show 2 --json
expect_json "link: show --json lists both commits" 'sorted(c["id"] for c in d["commits"])' \
	"$(printf '%s\n' "$CODE" "$CODE3" | sort | python3 -c 'import json,sys; print(json.dumps(sys.stdin.read().split(), separators=(",", ":")))')"
run_adr why db/migrations/002.sql
expect_contains "why: the linked decision" "0002  accepted    Depend on left-pad for padding" "$OUT"

# --- 4. skip, and a bad answer to the number -------------------------------------
echo "create table v (id int);" >db/migrations/003.sql
git add db
N=$(commit_count "$R")
start_commit "$R" "$TMP/done4" -m "Add table v"
check "skip: the hook asks" wait_for "Record a decision?"
answer s
check "skip: says so" wait_for "adr: skipped"
check "skip: commit finished" wait_file "$TMP/done4"
expect_eq "skip: only the code commit" $((N + 1)) "$(commit_count "$R")"

echo "create table w (id int);" >db/migrations/004.sql
git add db
start_commit "$R" "$TMP/done5" -m "Add table w"
check "bad number: asks" wait_for "Record a decision?"
answer l
check "bad number: asks the number" wait_for "Which decision does this commit implement? Record number (Enter to skip):"
answer "99"
check "bad number: refused" wait_for "record 0099 does not exist"
check "bad number: commit finished" wait_file "$TMP/done5"
expect_eq "bad number: exit status" 0 "$(cat "$TMP/done5")"
expect_eq "bad number: only the code commit" $((N + 2)) "$(commit_count "$R")"
# --- 5. the question goes to the terminal, not to stderr ------------------------
# git's own stderr may be a log file or a pipe (an IDE, `2>log`): the question
# must still reach the person at the terminal, and nothing of it the log.
echo "create table x (id int);" >db/migrations/005.sql
git add db
tm kill-session -t "$SESSION" 2>/dev/null || true
tm new-session -d -x 200 -y 50 -s "$SESSION" \
	"cd $(printf %q "$R") && git commit -m 'Add table x' 2>$(printf %q "$TMP/stderr5"); echo \$? > $(printf %q "$TMP/done6.tmp") && mv $(printf %q "$TMP/done6.tmp") $(printf %q "$TMP/done6"); sleep 30"
check "stderr to a file: the hook asks on the terminal" wait_for "Record a decision?"
answer s
check "stderr to a file: commit finished" wait_file "$TMP/done6"
expect_eq "stderr to a file: exit status" 0 "$(cat "$TMP/done6")"
expect_not_contains "stderr to a file: the question is not in git's stderr" "Record a decision?" "$(cat "$TMP/stderr5")"
expect_eq "stderr to a file: only the code commit" $((N + 3)) "$(commit_count "$R")"

check "fsck --strict at the end" fsck_clean "$R"
check "git status clean at the end" status_clean "$R"

if ls "$TMP"/sanitizer* >/dev/null 2>&1; then
	cat "$TMP"/sanitizer* >&2
	fail "sanitizer reports"
fi
finish
