#!/usr/bin/env bash
# Issue 15, "Smaller things seen", replayed one by one: search finds word
# forms and prefixes and says when nothing matches; `adr edit` without an
# editor does not suggest an option it lacks; unknown link types are refused
# unless --type-custom; proposing a decided title says where it was decided;
# option mistakes are named before "not a git repository"; a past deadline
# is refused; `adr diff --audience`; `adr hooks install` says when nothing
# will prompt; the hook's link prompt says what it asks (on a terminal, tmux).
source "$(dirname "$0")/lib.sh"

# Sanitizer reports from adr run by git's hooks would go unseen: send them to
# files, checked at the end.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$TMP/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$TMP/sanitizer"
export ADR_NOW=2026-11-21T10:00:00Z

R=$TMP/repo
new_repo "$R"
cd "$R"
must_adr init
must_adr new --no-edit "Use PostgreSQL"
must_adr new --no-edit "Cache sessions in Redis"

# --- 1. search: stemming, prefixes, an empty result says so ------------------
run_adr search postgres # read-only
expect_eq "search postgres: exit" 0 "$RC"
expect_contains "search postgres: finds PostgreSQL" "0002  accepted    2026-11-21  Use PostgreSQL" "$OUT"
expect_not_contains "search postgres: not the cache record" "0003" "$OUT"
expect_eq "search postgres: no message" "" "$ERR"
run_adr search caching # read-only
expect_eq "search caching: exit" 0 "$RC"
expect_contains "search caching: finds Cache" "0003  accepted    2026-11-21  Cache sessions in Redis" "$OUT"
expect_not_contains "search caching: not PostgreSQL" "0002" "$OUT"
run_adr search session redi # read-only
expect_contains "search: every word a prefix or a stem" "0003" "$OUT"
run_adr search --json cach # read-only
expect_json "search --json: prefix" '[h["number"] for h in d]' '[3]'
run_adr search zebra # read-only
expect_eq "search, nothing found: exit as list's empty result" 0 "$RC"
expect_eq "search, nothing found: no output" "" "$OUT"
expect_eq "search, nothing found: says so" "adr: no records match 'zebra'" "$ERR"
run_adr search --json zebra # read-only
expect_eq "search --json, nothing found: exit" 0 "$RC"
expect_json "search --json, nothing found: an empty list" 'd' '[]'
expect_eq "search --json, nothing found: stderr stays quiet" "" "$ERR"
run_adr search --status proposed postgres # read-only
expect_eq "search, filtered to nothing: says so" "adr: no records match 'postgres'" "$ERR"

# An index made with the old tokenizer (schema 6: unicode61, no stemming) is
# rebuilt through its schema version, and then stems.
IDX=.git/adr/index.db
check "search made the index" test -f "$IDX"
python3 - "$IDX" <<'PY'
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
c.execute("DROP TABLE fts")
c.execute("CREATE VIRTUAL TABLE fts USING fts5(title, body, tags, makers, content='rec', content_rowid='id', tokenize='unicode61')")
c.execute("INSERT INTO fts(fts) VALUES('rebuild')")
c.execute("PRAGMA user_version=6")
c.commit()
PY
run_adr index --json
expect_json "old tokenizer: the schema version says so" 'd["reason"]' '"index schema 6, want 9"'
expect_json "old tokenizer: rebuilt" 'd["rebuilt"]' 'true'
expect_eq "old tokenizer: porter now" "1" "$(python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print(int('porter' in c.execute(\"SELECT sql FROM sqlite_master WHERE name='fts'\").fetchone()[0]))" "$IDX")"
run_adr search caching # read-only
expect_contains "old tokenizer: caching finds Cache after the rebuild" "0003" "$OUT"

# --- 2. adr edit without an editor -------------------------------------------
snapshot_state
run_env() { env -u VISUAL -u EDITOR "$ADR" "$@" </dev/null >"$TMP/out" 2>"$TMP/err"; }
set +e
run_env edit 2
RC=$?
set -e
ERR=$(cat "$TMP/err")
expect_eq "edit, no editor: exit" 1 "$RC"
expect_eq "edit, no editor: says how to name one" \
	"adr: no editor to edit the record in: set VISUAL or EDITOR (e.g. EDITOR=nano)" "$ERR"
expect_not_contains "edit, no editor: no --no-edit, which edit refuses" "--no-edit" "$ERR"
expect_unchanged "edit, no editor: nothing changed"
check "edit, no editor: no text kept" test ! -e .git/adr-edit
# the option it used to suggest is indeed not one of edit's
run_adr edit --no-edit 2
expect_eq "edit --no-edit: a usage error" 2 "$RC"
expect_contains "edit --no-edit: unknown" "unknown option '--no-edit'" "$ERR"
expect_unchanged "edit --no-edit: nothing changed"
# a kept text of `adr new` is applied in the editor too: the same answer
mkdir -p .git/adr-edit
printf -- '---\nstatus: accepted\ndate: 2026-11-21\n---\n# Kept idea\n' >.git/adr-edit/new-20261121-100000-0-000000000000-abcdef.md
snapshot_state
set +e
run_env edit --recover .git/adr-edit/new-20261121-100000-0-000000000000-abcdef.md
RC=$?
set -e
ERR=$(cat "$TMP/err")
expect_eq "recover, no editor: exit" 1 "$RC"
expect_contains "recover, no editor: says how to name one" "no editor to edit the record in: set VISUAL or EDITOR" "$ERR"
expect_unchanged "recover, no editor: nothing changed"
check "recover, no editor: the text is still kept" test -f .git/adr-edit/new-20261121-100000-0-000000000000-abcdef.md
rm -rf .git/adr-edit

# --- 3. link types ------------------------------------------------------------
snapshot_state
N=$(commit_count "$R")
run_adr link 2 relatesto 3
expect_eq "unknown type: a usage error" 2 "$RC"
expect_contains "unknown type: named" "adr: unknown link type 'relatesto': the known types are amends, amended-by, relates-to," "$ERR"
expect_contains "unknown type: the way out" "give --type-custom to link with a type of your own" "$ERR"
expect_not_contains "unknown type: no invented reverse" "relatesto-by" "$ERR"
expect_unchanged "unknown type: nothing changed"
run_adr link 2 amends 3 amendedby
expect_eq "unknown reverse type: a usage error" 2 "$RC"
expect_contains "unknown reverse type: named" "adr: unknown link type 'amendedby'" "$ERR"
expect_unchanged "unknown reverse type: nothing changed"
# a malformed type is still the library's message
run_adr link 2 "Relates To" 3
expect_eq "malformed type: a usage error" 2 "$RC"
expect_contains "malformed type: says what a type is" "link type 'Relates To' must be lowercase letters, digits and '-'" "$ERR"
expect_unchanged "malformed type: nothing changed"
# known types need nothing
must_adr link 2 relates-to 3
expect_eq "known type: linked" "0002 relates-to 0003" "$OUT"
expect_contains "known type: reverse from the table" "relates-to 2" "$(cat docs/decisions/0003-cache-sessions-in-redis.md)"
# --type-custom: the reverse is derived as before
must_adr link --type-custom 2 blocks 3
expect_eq "custom type: linked" "0002 blocks 0003" "$OUT"
expect_contains "custom type: on A" "blocks 3" "$(cat docs/decisions/0002-use-postgresql.md)"
expect_contains "custom type: derived reverse on B" "blocks-by 2" "$(cat docs/decisions/0003-cache-sessions-in-redis.md)"
expect_eq "link: two commits" $((N + 2)) "$(commit_count "$R")"

# --- 4. proposing a title already decided ---------------------------------------
# Its branch is gone after the decision, except when it was kept (late
# commits) or a remote-tracking copy was not pruned: the slug is then taken,
# and the refusal says by what.
must_adr propose --no-edit "Use Redis"
TIP=$(git rev-parse adr/use-redis)
git checkout -q main
must_adr accept use-redis --by "Ana Lima"
check "accepted as 0004" test -f docs/decisions/0004-use-redis.md
git update-ref refs/remotes/origin/adr/use-redis "$TIP"
snapshot_state
run_adr propose --no-edit "Use Redis"
expect_eq "decided title: refused" 1 "$RC"
expect_eq "decided title: says how it was decided" \
	"adr: 'use-redis' was already decided as 0004 (accepted on 2026-11-21), and its branch origin/adr/use-redis is still there: use another title, or delete that branch to propose it again" "$ERR"
expect_not_contains "decided title: not 'a proposal already exists'" "proposal named" "$ERR"
expect_unchanged "decided title: nothing changed"
check "decided title: no local branch" test -z "$(git branch --list 'adr/*')"
git update-ref -d refs/remotes/origin/adr/use-redis
git branch adr/use-redis "$TIP"
snapshot_state
run_adr propose --no-edit "USE REDIS"
expect_eq "decided title, kept local branch: refused" 1 "$RC"
expect_contains "decided title, kept local branch: says how it was decided" \
	"'use-redis' was already decided as 0004 (accepted on 2026-11-21), and its branch adr/use-redis is still there" "$ERR"
expect_unchanged "decided title, kept local branch: nothing changed"
git branch -q -D adr/use-redis
# an open proposal still says it is open
must_adr propose --no-edit "Use Kafka"
git checkout -q main
snapshot_state
run_adr propose --no-edit "Use Kafka"
expect_eq "open proposal: refused" 1 "$RC"
expect_contains "open proposal: says it is open" "a proposal named 'use-kafka' already exists" "$ERR"
expect_unchanged "open proposal: nothing changed"

# --- 5. option mistakes before "not a git repository" ------------------------------
OUTSIDE=$TMP/outside
mkdir -p "$OUTSIDE"
: >"$OUTSIDE/plain-file"
cd "$OUTSIDE"
snapshot_state "$R" "$OUTSIDE"
run_adr new --tagg x
expect_eq "new --tagg outside a repository: usage error" 2 "$RC"
expect_contains "new --tagg: the real mistake" "adr: unknown option '--tagg'" "$ERR"
expect_not_contains "new --tagg: not 'not a git repository'" "not a git repository" "$ERR"
run_adr list --status bogus
expect_eq "bad option value outside a repository: usage error" 2 "$RC"
expect_contains "bad option value: the real mistake" "unknown value 'bogus' for --status" "$ERR"
expect_not_contains "bad option value: not 'not a git repository'" "not a git repository" "$ERR"
run_adr -C missing list
expect_eq "-C missing: usage error" 2 "$RC"
expect_eq "-C missing: says the directory does not exist" "adr: -C: the directory 'missing' does not exist" "$ERR"
check "-C missing: nothing made" test ! -e missing
run_adr -C plain-file list
expect_eq "-C a file: usage error" 2 "$RC"
expect_eq "-C a file: says why" "adr: -C: cannot change to 'plain-file': Not a directory" "$ERR"
check "-C a file: the file is untouched" test ! -s plain-file
run_adr -C "$R" new --tagg x
expect_eq "new --tagg in a repository: usage error" 2 "$RC"
expect_contains "new --tagg in a repository: named" "adr: unknown option '--tagg'" "$ERR"
expect_unchanged "option mistakes: nothing changed"
rm "$OUTSIDE/plain-file"
# a good command outside a repository still says what is wrong
run_adr list # read-only
expect_eq "list outside a repository: exit" 1 "$RC"
expect_contains "list outside a repository: says so" "not a git repository" "$ERR"
run_adr new --help # read-only
expect_eq "--help outside a repository: exit" 0 "$RC"
expect_contains "--help outside a repository: the usage" "usage: adr new [options] TITLE..." "$OUT"
run_adr -C "$R" list # read-only
expect_eq "-C a repository: exit" 0 "$RC"
expect_contains "-C a repository: lists" "0004  accepted    2026-11-21  Use Redis" "$OUT"
cd "$R"

# --- 6. a past deadline ----------------------------------------------------------
snapshot_state
run_adr propose --no-edit --deadline 2026-11-20 "Use gRPC"
expect_eq "past deadline: usage error" 2 "$RC"
expect_contains "past deadline: says so and how to fix it" \
	"adr: the deadline 2026-11-20 is in the past (today is 2026-11-21): give a later date, or a duration such as --deadline 3d" "$ERR"
expect_unchanged "past deadline: nothing changed"
check "past deadline: no branch" test -z "$(git branch --list 'adr/use-grpc')"
must_adr propose --no-edit --deadline 2026-11-21 "Use gRPC"
expect_contains "today's deadline: accepted" "comments until 2026-11-21" "$ERR"
git checkout -q main

# --- 7. adr diff --audience --------------------------------------------------------
BASE=$(git rev-parse main)
must_adr new --no-edit --visibility partner "Version the public API"
must_adr new --no-edit --visibility internal "Rename the build host"
must_adr new --no-edit --visibility public "Publish a changelog"
run_adr diff "$BASE.." # read-only
expect_eq "diff, everything: exit" 0 "$RC"
expect_eq "diff, everything: all three" "added       0005  Version the public API
added       0006  Rename the build host
added       0007  Publish a changelog" "$OUT"
run_adr diff --audience partner "$BASE.." # read-only
expect_eq "diff --audience partner: exit" 0 "$RC"
expect_eq "diff --audience partner: no internal record" "added       0005  Version the public API
added       0007  Publish a changelog" "$OUT"
run_adr diff --audience public --json "$BASE.." # read-only
expect_json "diff --audience public --json" '[c["number"] for c in d["changes"]]' '[7]'
run_adr diff --audience internal "$BASE.." # read-only
expect_contains "diff --audience internal: everything" "0006  Rename the build host" "$OUT"
# made visible to partners later: added, for them
BASE2=$(git rev-parse main)
sed -i 's/^visibility: internal$/visibility: partner/' docs/decisions/0006-rename-the-build-host.md
git commit -q -am "publish 0006 to partners"
run_adr diff --audience partner "$BASE2.." # read-only
expect_eq "diff --audience partner: made visible shows as added" "added       0006  Rename the build host" "$OUT"
run_adr diff "$BASE2.." # read-only
expect_eq "diff, everything: the same change is a change" "changed     0006  Rename the build host (visibility)" "$OUT"
run_adr diff --audience everyone "$BASE.." # read-only
expect_eq "diff --audience bad: usage error" 2 "$RC"
expect_contains "diff --audience bad: says the values" "unknown value 'everyone' for --audience: expected one of" "$ERR"

# --- 8. hooks install says when nothing will prompt --------------------------------
snapshot_state
must_adr hooks install
expect_contains "hooks install: the report" "post-commit          installed  adr's hook" "$OUT"
expect_contains "hooks install, no watch: says nothing prompts" \
	"adr: hooks.watch is not set in .adr.yaml, so no commit prompts for a decision unless its message carries a 'Decision: TITLE' trailer" "$ERR"
expect_contains "hooks install, no watch: how to set it" '    watch: ["db/migrations/**", package.json]' "$ERR"
must_adr hooks uninstall
printf 'hooks:\n  watch: ["db/migrations/**"]\n' >>.adr.yaml
git commit -q -am "watch migrations"
must_adr hooks install
expect_contains "hooks install, watch set: installed" "post-commit          installed  adr's hook" "$OUT"
expect_eq "hooks install, watch set: no note" "" "$ERR"

# --- 9. the hook's link prompt (a terminal: tmux) ------------------------------------
SESSION=adr-small15
source "$ADR_SOURCE_DIR/tests/cli/tmux.sh"
mkdir -p db/migrations
echo "create table t (id int);" >db/migrations/001.sql
git add db
N=$(commit_count "$R")
tm new-session -d -x 200 -y 50 -s "$SESSION" \
	"cd $(printf %q "$R") && git commit -q -m 'Add table t'; echo \$? > $(printf %q "$TMP/done.tmp") && mv $(printf %q "$TMP/done.tmp") $(printf %q "$TMP/done"); sleep 30"
check "hook: asks" wait_for "Record a decision?"
answer l
check "hook: the link prompt says what it asks" \
	wait_for "Which decision does this commit implement? Record number (Enter to skip): "
answer ""
check "hook: commit finished" wait_file "$TMP/done"
expect_eq "hook: the commit succeeded" 0 "$(cat "$TMP/done")"
expect_eq "hook: Enter skips: only the code commit" $((N + 1)) "$(commit_count "$R")"
expect_eq "hook: the code commit" "Add table t" "$(git log -1 --format=%s)"

check "git fsck" fsck_clean "$R"
if ls "$TMP"/sanitizer* >/dev/null 2>&1; then
	fail "sanitizer reports: $(cat "$TMP"/sanitizer*)"
fi
finish
