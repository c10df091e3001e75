#!/usr/bin/env bash
# Honest records (issue 15): a template's placeholder text is known, so
# `adr check` warns about records still holding it, accepted records with
# no decision text and accepted records with no decision-makers; `adr html`
# leaves it out and marks the record incomplete; `adr new` without an
# editor or a body records a draft the queue reminds about; `adr status
# --reason` keeps why; the post-commit hook's [p]roposal makes a real
# proposal (branch, deadline, queue, accept) and its accepted decision is
# written without placeholders, with the committer and a cleanup date.
source "$(dirname "$0")/lib.sh"

export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$TMP/sanitizer"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$TMP/sanitizer"

R=$TMP/repo
new_repo "$R"
cd "$R"
D=docs/decisions
export ADR_NOW=2026-11-21T10:00:00Z
must_adr init

# --- new without an editor or a body: a draft -------------------------------
run_adr new --no-edit Use PostgreSQL
expect_eq "draft: exit" 0 "$RC"
expect_eq "draft: prints the path" "$D/0002-use-postgresql.md" "$OUT"
expect_eq "draft: says it is a draft to finish" \
	"adr: 0002 is a draft: it holds the template's placeholder text; finish it with 'adr edit 2' by 2026-11-22 (adr queue lists it until then)" "$ERR"
F=$(git show main:$D/0002-use-postgresql.md)
expect_contains "draft: cleanup-by tomorrow, like a meeting record" "cleanup-by: 2026-11-22" "$F"
run_adr queue --json
expect_eq "queue: exit" 0 "$RC"
expect_json "queue: lists the draft as a cleanup" \
	'[[i["kind"], i["number"], i["due"]] for i in d["items"] if i["kind"] == "cleanup"]' '[["cleanup",2,"2026-11-22"]]'
run_adr queue
expect_contains "queue text: the draft is waiting for cleanup" "2026-11-22  0002  Use PostgreSQL" "$OUT"

# A body makes it a record, not a draft.
printf '## Context\n\nWe need a store.\n\n## Decision\n\nWe will use Kafka.\n' >"$TMP/kafka.md"
run_adr new --no-edit --body-file "$TMP/kafka.md" Use Kafka
expect_eq "with a body: exit" 0 "$RC"
expect_eq "with a body: no draft message" "" "$ERR"
expect_not_contains "with a body: no cleanup-by" "cleanup-by" "$(git show main:$D/0003-use-kafka.md)"
# A finished record: a body and decision-makers.
printf '## Decision\n\nWe will use Redis for the cache.\n' >"$TMP/redis.md"
must_adr new --no-edit --decision-maker "Bo Chen" --body-file "$TMP/redis.md" Use Redis

# --- check: the three warnings, with file:line:col ----------------------------
P2=$D/0002-use-postgresql.md
expect_eq "the placeholder line is line 13" \
	"What is the issue that we are seeing that motivates this decision? Who is" "$(sed -n 13p $P2)"
expect_eq "the Decision heading is line 21" "## Decision" "$(sed -n 21p $P2)"
run_adr check # read-only
expect_eq "check: warnings do not fail it" 0 "$RC"
expect_eq "check: no finding on stdout" "" "$OUT"
expect_eq "check: the warnings, sorted, with file:line:col" \
"$P2:2:1: warning: accepted, but names no decision-makers [no-decision-makers]
$P2:13:1: warning: still holds the template's placeholder text (9 lines), starting with 'What is the issue that we are seeing that motivates this dec...'; replace it or delete it [placeholder]
$P2:21:1: warning: accepted, but its Decision section holds no decision text [no-decision]
$D/0003-use-kafka.md:2:1: warning: accepted, but names no decision-makers [no-decision-makers]" "$ERR"
expect_not_contains "check: the finished record has no warning" "0004-use-redis" "$ERR"
expect_not_contains "check: adr init's record names who set the log up" "0001-record-decisions-in-git" "$ERR"
run_adr check --json # read-only
expect_eq "check --json: exit" 0 "$RC"
expect_json "check --json: warnings are not findings" 'd' '[]'

# A placeholder line indented in the record is found at its column; a
# proposed record with placeholders is warned about, but not for makers.
printf -- '---\nstatus: proposed\n---\n# Use gRPC\n\n## Decision\n\n   We will ...\n' >$D/0005-use-grpc.md
git add $D/0005-use-grpc.md && git commit -qm "hand-written record from the nygard template"
run_adr check # read-only
expect_eq "check (nygard): exit" 0 "$RC"
expect_contains "check: nygard's placeholder, at its column" \
	"$D/0005-use-grpc.md:8:4: warning: still holds the template's placeholder text (1 line), starting with 'We will ...'; replace it or delete it [placeholder]" "$ERR"
expect_not_contains "check: a proposal needs no decision-makers yet" "$D/0005-use-grpc.md:2:1" "$ERR"

# --- html: placeholders left out, incomplete marked ----------------------------
run_adr html -o "$TMP/site"
expect_eq "html: exit" 0 "$RC"
PAGE=$(cat "$TMP/site/0002-use-postgresql.html")
expect_not_contains "html: placeholder text left out" "What is the issue" "$PAGE"
expect_not_contains "html: placeholder list left out" "Option one: what it is" "$PAGE"
expect_contains "html: the sections stay" "Options considered" "$PAGE"
expect_contains "html: the page says incomplete" '<p class="notice incomplete">Incomplete:' "$PAGE"
ROW=$(grep -A4 'data-n="0002"' "$TMP/site/index.html")
expect_contains "html: the index row is marked" '<span class="incomplete"' "$ROW"
expect_eq "html: only the unfinished records are marked in the index" 2 \
	"$(grep -c '<span class="incomplete"' "$TMP/site/index.html")"
expect_not_contains "html: a finished record is not marked" "Incomplete:" "$(cat "$TMP/site/0004-use-redis.html")"
expect_contains "html: a finished record keeps its text" "We will use Redis for the cache." \
	"$(cat "$TMP/site/0004-use-redis.html")"

# --- a custom template's placeholders count too ---------------------------------
C=$TMP/custom
new_repo "$C"
cd "$C"
must_adr init
mkdir -p .adr/templates
LONG=$(printf 'a%.0s' $(seq 1 59)) # 59 bytes, then a two-byte character across the 60th
printf -- '---\nstatus: accepted\ndate: {{date}}\n---\n# Title\n\n## Decision\n\nWrite the decision here, {{date}} is not a placeholder.\n\nTell us what was decided.\n\n%sé and more.\n' "$LONG" \
	>.adr/templates/default.md
git add .adr && git commit -qm "our own template"
must_adr new --no-edit --decision-maker "Ana Lima" Use Go
run_adr check # read-only
expect_eq "custom: exit" 0 "$RC"
expect_contains "custom: its placeholder line" \
	"$D/0002-use-go.md:13:1: warning: still holds the template's placeholder text (2 lines), starting with 'Tell us what was decided.'; replace it or delete it [placeholder]" "$ERR"
printf -- '---\nstatus: proposed\n---\n# Use Rust\n\n%sé and more.\n' "$LONG" >$D/0003-use-rust.md
git add $D && git commit -qm "by hand"
run_adr check # read-only
expect_eq "custom, long line: exit" 0 "$RC"
expect_contains "custom: a long line is cut before 60 bytes, never inside a character" \
	"$D/0003-use-rust.md:6:1: warning: still holds the template's placeholder text (1 line), starting with '$LONG...'; replace it or delete it [placeholder]" "$ERR"
expect_not_contains "custom: a line holding {{field}} is no placeholder" "no-decision]" "$ERR"

# --- status --reason ------------------------------------------------------------
cd "$R"
N=$(commit_count "$R")
run_adr status 2 deprecated --reason "We moved to SQLite; PostgreSQL was more than we need."
expect_eq "status --reason: exit" 0 "$RC"
expect_eq "status --reason: says the status" "$P2: deprecated" "$OUT"
F=$(git show main:$P2)
expect_contains "status --reason: status written" "status: deprecated" "$F"
expect_eq "status --reason: the reason ends the record" "## Reason for deprecation (2026-11-21)

We moved to SQLite; PostgreSQL was more than we need." "$(printf '%s\n' "$F" | tail -3)"
expect_eq "status --reason: one commit" $((N + 1)) "$(commit_count "$R")"
expect_eq "status --reason: the commit message body" "adr: status 0002 deprecated: Use PostgreSQL

We moved to SQLite; PostgreSQL was more than we need.

Adr-Action: status
Adr-Record: 0002
Adr-Status: deprecated" "$(git log -1 --format=%B main | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}')"
check "status --reason: status clean" status_clean "$R"

snapshot_state
run_adr status 3 deprecated --reason "  "
expect_eq "empty reason: usage error" 2 "$RC"
expect_contains "empty reason: says why" "adr: --reason needs text" "$ERR"
expect_unchanged "empty reason: nothing written"
run_adr status 3 deprecated --reason "$(printf 'bad \xff byte')"
expect_eq "invalid reason: exit" 1 "$RC"
expect_contains "invalid reason: says why" "the reason is not valid UTF-8 text" "$ERR"
expect_unchanged "invalid reason: nothing written"

# --- the post-commit hook on a terminal (tmux) ------------------------------------
SESSION=adr-honest
source "$ADR_SOURCE_DIR/tests/cli/tmux.sh"

H=$TMP/hooked
new_repo "$H"
cd "$H"
git commit -q --allow-empty -m "start"
"$ADR" init >/dev/null
printf 'hooks:\n  watch: ["db/**"]\n' >>.adr.yaml
git commit -q -am "watch migrations"
"$ADR" hooks install >/dev/null
export ADR_NOW=2026-11-21
tm new-session -d -s keep "sleep 600"

# [p]roposal: a branch adr/<slug> with a deadline, in the queue, decidable.
mkdir -p db
echo "create table t (id int);" >db/001.sql
git add db
start_commit "$H" "$TMP/done1" -m "Add table t"
check "proposal: the hook asks" wait_for "Record a decision? [p]roposal"
answer p
check "proposal: asks the title" wait_for "Title [Add table t]:"
answer "Keep one table per aggregate"
check "proposal: asks the decision" wait_for "Decision (one paragraph"
answer "We keep one table per aggregate root."
check "proposal: says where it is" \
	wait_for "adr: proposed $D/keep-one-table-per-aggregate.md on adr/keep-one-table-per-aggregate, comments until "
check "proposal: commit finished" wait_file "$TMP/done1"
expect_eq "proposal: git commit exit" 0 "$(cat "$TMP/done1")"
check "proposal: the branch exists" git show-ref -q --verify refs/heads/adr/keep-one-table-per-aggregate
expect_eq "proposal: nothing numbered on main" "0" "$(git ls-tree -r --name-only main $D/ | grep -c keep-one || true)"
PF=$(git show adr/keep-one-table-per-aggregate:$D/keep-one-table-per-aggregate.md)
expect_contains "proposal: status proposed" "status: proposed" "$PF"
expect_contains "proposal: a deadline" "review-by: 2026-11-" "$PF"
expect_contains "proposal: the paragraph in Decision" "## Decision

We keep one table per aggregate root." "$PF"
run_adr queue --json
expect_eq "proposal: queue exit" 0 "$RC"
expect_json "proposal: in the queue" \
	'[i["slug"] for i in d["items"] if i["kind"] == "proposal"]' '["keep-one-table-per-aggregate"]'
run_adr accept keep-one-table-per-aggregate --by "Ana Lima"
expect_eq "proposal: accept decides it" 0 "$RC"
expect_contains "proposal: accepted as a numbered record" "status: accepted" \
	"$(git show main:$D/0002-keep-one-table-per-aggregate.md)"

# [a]ccepted: the paragraph in Decision, no placeholders, the committer, cleanup-by.
echo "create table u (id int);" >db/002.sql
git add db
start_commit "$H" "$TMP/done2" -m "Add table u"
check "decision: the hook asks" wait_for "Record a decision? [p]roposal"
answer a
check "decision: asks the title" wait_for "Title [Add table u]:"
answer "Name tables in the singular"
check "decision: asks the decision" wait_for "Decision (one paragraph"
answer "We name every table in the singular."
check "decision: recorded" wait_for "adr: recorded 0003 in $D/0003-name-tables-in-the-singular.md"
check "decision: says to finish it" wait_for "adr: finish it with 'adr edit 3' by 2026-11-22"
check "decision: commit finished" wait_file "$TMP/done2"
F=$(git show main:$D/0003-name-tables-in-the-singular.md)
expect_contains "decision: the paragraph under its heading" "## Decision

We name every table in the singular." "$F"
expect_not_contains "decision: no placeholder text" "What is the issue" "$F"
expect_not_contains "decision: no placeholder in Decision" "What we decided" "$F"
expect_contains "decision: the sections stay" "## Rationale" "$F"
expect_contains "decision: the committer decided" "decision-makers: [Ana Lima]" "$F"
expect_contains "decision: cleanup-by" "cleanup-by: 2026-11-22" "$F"
run_adr check # read-only
expect_not_contains "decision: check has nothing to say about it" "0003-name-tables" "$ERR"
run_adr queue --json
expect_json "decision: the queue reminds" \
	'[i["number"] for i in d["items"] if i["kind"] == "cleanup"]' '[3]'
check "hook: fsck" fsck_clean "$H"
check "hook: status clean" status_clean "$H"

if ls "$TMP"/sanitizer* >/dev/null 2>&1; then
	cat "$TMP"/sanitizer* >&2
	fail "sanitizer reports"
fi
finish
