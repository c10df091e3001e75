#!/usr/bin/env bash
# The whole core flow through the real binary in a fresh repository:
# init, new (several), list, show, edit, status, supersede, link.
# Each writing command must make exactly one commit, keep fsck clean and
# leave git status empty.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
D=docs/decisions

# after_write N DESCRIPTION: one more commit than before, clean fsck and status.
COMMITS=0
after_write() {
	local want=$((COMMITS + 1))
	expect_eq "$1: exit status" 0 "$RC"
	expect_eq "$1: one commit" "$want" "$(commit_count "$R")"
	check "$1: fsck --strict" fsck_clean "$R"
	check "$1: git status clean" status_clean "$R"
	COMMITS=$want
}

run_adr init
after_write "init"
expect_eq "init prints the first record" "$D/0001-record-decisions-in-git.md" "$OUT"
check "init wrote .adr.yaml" test -f .adr.yaml
expect_contains ".adr.yaml names the dir" "dir: docs/decisions" "$(cat .adr.yaml)"
expect_eq "init commit files" ".adr.yaml
$D/0001-record-decisions-in-git.md" "$(git show --format= --name-only HEAD)"
expect_contains "first record is accepted" "status: accepted" "$(cat $D/0001-record-decisions-in-git.md)"

run_adr init
expect_eq "init twice fails" 1 "$RC"
expect_contains "init twice says why" ".adr.yaml" "$ERR"
expect_eq "init twice writes nothing" 1 "$(commit_count "$R")"

run_adr new --no-edit --tag storage --decision-maker "Ana Lima" --decision-maker "Bo Chen" \
	--mode async --urgency low --complexity high Use PostgreSQL for the event store
after_write "new 2"
P2=$D/0002-use-postgresql-for-the-event-store.md
expect_eq "new prints the path" "$P2" "$OUT"
F=$(cat "$P2")
expect_contains "new: status" "status: accepted" "$F"
expect_contains "new: makers" "decision-makers: [Ana Lima, Bo Chen]" "$F"
expect_contains "new: tags" "tags: [storage]" "$F"
expect_contains "new: mode" "mode: async" "$F"
expect_contains "new: complexity" "complexity: high" "$F"
expect_contains "new: title is the H1" "# Use PostgreSQL for the event store" "$F"
expect_contains "new: template sections" "## Options considered" "$F"
MSG=$(git log -1 --format=%B)
expect_contains "new: subject" "adr: new 0002 Use PostgreSQL for the event store" "$MSG"
expect_eq "new: trailers" "Adr-Action: new
Adr-Record: 0002" "$(git log -1 --format='%(trailers:only,unfold)' | sed '/^$/d')"
expect_eq "new: author from git config" "Ana Lima <ana@example.com>" "$(git log -1 --format='%an <%ae>')"

run_adr new --no-edit --template nygard Use Kafka for events
after_write "new 3"
P3=$D/0003-use-kafka-for-events.md
expect_eq "new 3 path" "$P3" "$OUT"

printf '## Context\n\nWe need a cache.\n\n## Decision\n\nRedis.\n' >"$TMP/body.md"
run_adr new --no-edit --status proposed --body-file "$TMP/body.md" Use Redis for caching
after_write "new 4"
P4=$D/0004-use-redis-for-caching.md
expect_contains "body-file used" "We need a cache." "$(cat $P4)"
expect_contains "body-file keeps the title" "# Use Redis for caching" "$(cat $P4)"
expect_contains "proposed status" "status: proposed" "$(cat $P4)"

printf 'From stdin.\n' | "$ADR" new --no-edit --body-file - Use stdin bodies >/dev/null
RC=$?
after_write "new 5 from stdin"
expect_contains "stdin body" "From stdin." "$(cat $D/0005-use-stdin-bodies.md)"

# list
run_adr list
expect_eq "list exit" 0 "$RC"
expect_eq "list lines" 5 "$(printf '%s\n' "$OUT" | wc -l)"
expect_contains "list row" "0002  accepted    $(date +%Y-%m-%d)  Use PostgreSQL for the event store" "$OUT"
run_adr list --status proposed
expect_eq "list --status" "0004  proposed    $(date +%Y-%m-%d)  Use Redis for caching" "$OUT"
run_adr list --tag STORAGE
expect_eq "list --tag (any case)" "0002" "${OUT:0:4}"
run_adr list --json
expect_eq "list --json is JSON with 5 records" 5 "$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')"
expect_eq "list --json fields" "2 Use PostgreSQL for the event store accepted ['Ana Lima', 'Bo Chen']" \
	"$(printf '%s' "$OUT" | python3 -c 'import json,sys; r=json.load(sys.stdin)[1]; print(r["number"], r["title"], r["status"], r["decision-makers"])')"
run_adr list --status bogus # read-only
expect_eq "list --status bogus is a usage error" 2 "$RC"
expect_contains "list --status bogus is a usage error: says why" "adr: unknown value 'bogus' for --status: expected one of proposed, accepted, rejected, deprecated, superseded" "$ERR"

# show
run_adr show 2
expect_eq "show exit" 0 "$RC"
expect_contains "show title" "0002  Use PostgreSQL for the event store" "$OUT"
expect_contains "show makers" "Ana Lima, Bo Chen" "$OUT"
expect_contains "show body" "## Context" "$OUT"
run_adr show 0002 --json
expect_eq "show --json" "Use PostgreSQL for the event store docs/decisions/0002-use-postgresql-for-the-event-store.md True" \
	"$(printf '%s' "$OUT" | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["title"], r["path"], "## Context" in r["body"])')"
run_adr show 99 # read-only
expect_eq "show missing record" 1 "$RC"
expect_contains "show missing says which" "0099" "$ERR"
run_adr show abc # read-only
expect_eq "show bad number is usage" 2 "$RC"
expect_contains "show bad number is usage: says why" "adr: 'abc' is not a record number" "$ERR"

# edit with a scripted editor
cat >"$TMP/editor.sh" <<'SH'
#!/bin/sh
printf '\nAdded by the editor.\n' >>"$1"
SH
chmod +x "$TMP/editor.sh"
EDITOR="$TMP/editor.sh" run_adr edit 2
after_write "edit"
expect_contains "edit appended" "Added by the editor." "$(cat $P2)"
expect_contains "edit kept fields" "decision-makers: [Ana Lima, Bo Chen]" "$(cat $P2)"
expect_eq "edit trailers" "Adr-Action: edit" "$(git log -1 --format='%(trailers:key=Adr-Action)' | sed '/^$/d')"

EDITOR=true run_adr edit 2
expect_eq "edit without change: exit 0" 0 "$RC"
expect_contains "edit without change says so" "no changes" "$OUT"
expect_eq "edit without change: no commit" "$COMMITS" "$(commit_count "$R")"

# an invalid edit is kept, never lost, and nothing is written
cat >"$TMP/bad-editor.sh" <<'SH'
#!/bin/sh
sed -i 's/^status: accepted/status: maybe-later/' "$1"
SH
chmod +x "$TMP/bad-editor.sh"
EDITOR="$TMP/bad-editor.sh" run_adr edit 2
expect_eq "invalid edit fails" 1 "$RC"
RECOVERED=$(realpath .git/adr-edit/0002-*.md)
expect_contains "invalid edit names line and column" "$RECOVERED:2:9:" "$ERR"
expect_contains "invalid edit keeps the text" "your text is kept in $RECOVERED" "$ERR"
expect_eq "invalid edit: no commit" "$COMMITS" "$(commit_count "$R")"
expect_contains "recovery file has the edit" "status: maybe-later" "$(cat $RECOVERED)"
check "invalid edit: status clean" status_clean "$R"

# status
run_adr status 4 accepted
after_write "status"
expect_contains "status set" "status: accepted" "$(cat $P4)"
expect_contains "status sets the date" "date: $(date +%Y-%m-%d)" "$(cat $P4)"
run_adr status 4 Accepted
expect_eq "same status again: exit 0" 0 "$RC"
expect_eq "same status again: no commit" "$COMMITS" "$(commit_count "$R")"
snapshot_state
run_adr status 4 maybe
expect_eq "unknown status is a usage error" 2 "$RC"
expect_contains "unknown status is a usage error: says why" "adr: 'maybe' is not one of proposed, accepted, rejected, deprecated, superseded" "$ERR"
expect_unchanged "unknown status is a usage error: nothing changed"

# supersede: both records in one commit
run_adr supersede 2 3
after_write "supersede"
expect_contains "old is superseded" "status: superseded" "$(cat $P2)"
expect_contains "old points forward" "superseded-by: [3]" "$(cat $P2)"
expect_contains "new points back" "supersedes: [2]" "$(cat $P3)"
expect_eq "supersede touched both" "$P2
$P3" "$(git show --format= --name-only HEAD)"

# link: both records in one commit
run_adr link 3 amends 4
after_write "link"
expect_contains "link forward" "links: [amends 4]" "$(cat $P3)"
expect_contains "link back" "links: [amended-by 3]" "$(cat $P4)"
snapshot_state
run_adr link 3 "bad type" 4
expect_eq "bad link type" 2 "$RC"
expect_contains "bad link type: says why" "adr: link type 'bad type' must be lowercase letters, digits and '-'" "$ERR"
expect_unchanged "bad link type: nothing changed"
snapshot_state
run_adr link 3 amends 77
expect_eq "link to a missing record" 1 "$RC"
expect_unchanged "link to a missing record: nothing changed"
expect_contains "link to a missing record says which" "0077" "$ERR"

# new supersedes and links in the same commit
run_adr new --no-edit --supersedes 4 --link 3:relates-to Use Valkey for caching
after_write "new with supersedes and link"
expect_contains "superseded by new" "superseded-by: [6]" "$(cat $P4)"
expect_contains "reverse link from new" "relates-to 6" "$(cat $P3)"
expect_eq "new touched three files" 3 "$(git show --format= --name-only HEAD | wc -l)"

# help and version
run_adr --version
expect_contains "version" "adr version" "$OUT"
run_adr help new
expect_contains "help new" "usage: adr new" "$OUT"
run_adr new --help
expect_contains "new --help" "--decision-maker" "$OUT"
run_adr nosuch # read-only
expect_eq "unknown command" 2 "$RC"
expect_eq "unknown command: says why, in the house style" "adr: 'nosuch' is not an adr command (see adr help)" "$ERR"
snapshot_state
run_adr new --bogus x
expect_eq "unknown option" 2 "$RC"
expect_contains "unknown option: says why" "adr: unknown option '--bogus'" "$ERR"
expect_unchanged "unknown option: nothing changed"

expect_eq "every commit is adr's" "$COMMITS" "$(git log --format=%s | grep -c '^adr: ')"
finish
