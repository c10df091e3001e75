#!/usr/bin/env bash
# adr meeting: interactively in a real terminal (tmux answers the prompts)
# and from a minutes file. Each meeting is one commit with every decision.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
D=docs/decisions
new_repo "$R"
cd "$R"
must_adr init
export ADR_NOW=2026-11-21T10:00:00Z

# --- from a minutes file -----------------------------------------------------------
cat >"$TMP/minutes.md" <<'MIN'
# Steering meeting, 2026-11-21
Attendees: Ana Lima, Bo Chen, Cy Diaz

## Decision: Use PostgreSQL
Decision: We use PostgreSQL for the event store.
Rationale: The team knows it;
it has logical replication.
Options: PostgreSQL, MySQL, EventStoreDB

## Decision: Ship every Tuesday
Decision: Releases go out on Tuesdays.
Options:
- Tuesday
- Friday (rejected: weekend risk)
MIN
BEFORE=$(commit_count "$R")
run_adr meeting --from "$TMP/minutes.md"
expect_eq "minutes: exit" 0 "$RC"
expect_eq "minutes: one commit" $((BEFORE + 1)) "$(commit_count "$R")"
expect_eq "minutes: both records in it" "$D/0002-use-postgresql.md
$D/0003-ship-every-tuesday.md" "$(git show --format= --name-only HEAD)"
expect_eq "minutes: prints the paths" "$D/0002-use-postgresql.md
$D/0003-ship-every-tuesday.md" "$OUT"
F=$(cat $D/0002-use-postgresql.md)
expect_contains "minutes: accepted" "status: accepted" "$F"
expect_contains "minutes: sync" "mode: sync" "$F"
expect_contains "minutes: attendees decide" "decision-makers: [Ana Lima, Bo Chen, Cy Diaz]" "$F"
expect_contains "minutes: cleanup in 24 hours" "cleanup-by: 2026-11-22" "$F"
expect_contains "minutes: date" "date: 2026-11-21" "$F"
expect_contains "minutes: decision text" "We use PostgreSQL for the event store." "$F"
expect_contains "minutes: multi-line rationale" "it has logical replication." "$F"
expect_contains "minutes: options as a list" "- EventStoreDB" "$F"
expect_contains "minutes: options kept as written" "- Friday (rejected: weekend risk)" "$(cat $D/0003-ship-every-tuesday.md)"
expect_contains "minutes: commit trailers" "Adr-Action: meeting" "$(git log -1 --format=%B)"
check "minutes: fsck" fsck_clean "$R"
check "minutes: status clean" status_clean "$R"

# Editing a meeting record is its cleanup.
sed 's/for the event store/for the event store (cleaned up)/' $D/0002-use-postgresql.md >"$TMP/e.md"
EDITOR="cp $TMP/e.md" run_adr edit 2
expect_eq "edit a meeting record" 0 "$RC"
expect_not_contains "edit clears cleanup-by" "cleanup-by" "$(cat $D/0002-use-postgresql.md)"

# Malformed minutes: file:line:col, nothing written.
bad() {
	printf '%b' "$2" >"$TMP/bad.md"
	BEFORE=$(git rev-parse HEAD)
	run_adr meeting --attendee X --from "$TMP/bad.md"
	expect_eq "bad minutes ($1): exit" 1 "$RC"
	expect_contains "bad minutes ($1): position" "$TMP/bad.md:$3" "$ERR"
	expect_eq "bad minutes ($1): nothing written" "$BEFORE" "$(git rev-parse HEAD)"
}
bad "no decision line" '## Decision: A\nRationale: x\n' "1:1"
bad "text outside a field" '## Decision: A\nfloating text\nDecision: y\n' "2:1"
bad "wrong heading" '## Decision: A\nDecision: y\n\n## Notes\n' "4:4"
bad "text before the first heading" 'hello\n## Decision: A\nDecision: y\n' "1:1"
bad "duplicate field" '## Decision: A\nDecision: y\nDecision: z\n' "3:1"
bad "no sections" '# Just a title\n' "2:1"
bad "title without letters" '## Decision: ???\nDecision: y\n' "1:4"
printf '## Decision: A\nDecision: \xff\n' >"$TMP/bad.md"
snapshot_state
run_adr meeting --attendee X --from "$TMP/bad.md"
expect_eq "invalid UTF-8 minutes" 1 "$RC"
expect_unchanged "invalid UTF-8 minutes: nothing changed"
expect_contains "invalid UTF-8 minutes message" "not valid UTF-8" "$ERR"
printf '## Decision: A\nDecision: y\n' >"$TMP/noatt.md"
snapshot_state
run_adr meeting --from "$TMP/noatt.md"
expect_eq "minutes without attendees" 2 "$RC"
expect_unchanged "minutes without attendees: nothing changed"
expect_contains "minutes without attendees says so" "attendees" "$ERR"
snapshot_state
run_adr meeting --from "$TMP/nonexistent.md"
expect_eq "missing minutes file" 1 "$RC"
expect_contains "missing minutes file: says why" "adr: cannot open '$TMP/nonexistent.md': No such file or directory" "$ERR"
expect_unchanged "missing minutes file: nothing changed"
snapshot_state
run_adr meeting --attendee X </dev/null
expect_eq "no terminal, no file" 1 "$RC"
expect_unchanged "no terminal, no file: nothing changed"
expect_contains "no terminal says what to do" "--from" "$ERR"

# --- interactively, in a real terminal ---------------------------------------------------
SOCK=adr-test-$$
tmux -L "$SOCK" -f /dev/null new-session -d -x 200 -y 50 \
	"cd '$R' && '$ADR' meeting --attendee 'Ana Lima' --attendee 'Bo Chen'; echo \"EXIT=\$?\" >'$TMP/exit'; sleep 30"
stop_tmux() { tmux -L "$SOCK" kill-server 2>/dev/null || true; }
trap 'stop_tmux; cleanup_tmp' EXIT
screen() { tmux -L "$SOCK" capture-pane -p -S -100; }
# wait_screen N TEXT: until TEXT shows N times (5 s at most).
wait_screen() {
	for _ in $(seq 1 100); do
		[ "$(screen | grep -cF -- "$2")" -ge "$1" ] && return 0
		sleep 0.05
	done
	echo "screen was:" >&2; screen >&2
	return 1
}
answer() { tmux -L "$SOCK" send-keys -l -- "$1"; tmux -L "$SOCK" send-keys Enter; }
BEFORE=$(commit_count "$R")
check "prompt: title 1" wait_screen 1 "Title:"
answer "Adopt trunk-based development"
check "prompt: decision" wait_screen 1 "  Decision:"
answer "Everyone merges to main daily."
check "prompt: rationale" wait_screen 1 "Rationale:"
answer 'Fewer merge conflicts; "quotes" and $(not run) stay text.'
check "prompt: options" wait_screen 1 "Options considered"
answer "Trunk, GitFlow"
check "prompt: title 2" wait_screen 2 "Title:"
answer "Pair on reviews"
check "prompt: decision 2" wait_screen 2 "  Decision:"
answer "Reviews are done in pairs."
check "prompt: rationale 2" wait_screen 2 "Rationale:"
answer ""
check "prompt: options 2" wait_screen 2 "Options considered"
answer ""
check "prompt: title 3" wait_screen 3 "Title:"
answer ""
check "summary shown" wait_screen 1 "2. Pair on reviews: Reviews are done in pairs."
check "confirmation asked" wait_screen 1 "Record these decisions in one commit?"
answer "y"
for _ in $(seq 1 100); do [ -s "$TMP/exit" ] && break; sleep 0.05; done
expect_eq "interactive: exit" "EXIT=0" "$(cat "$TMP/exit" 2>/dev/null)"
stop_tmux
expect_eq "interactive: one commit" $((BEFORE + 1)) "$(commit_count "$R")"
expect_eq "interactive: both records" "$D/0004-adopt-trunk-based-development.md
$D/0005-pair-on-reviews.md" "$(git show --format= --name-only HEAD)"
F=$(cat $D/0004-adopt-trunk-based-development.md)
expect_contains "interactive: makers" "decision-makers: [Ana Lima, Bo Chen]" "$F"
expect_contains "interactive: sync" "mode: sync" "$F"
expect_contains "interactive: text kept" 'Fewer merge conflicts; "quotes" and $(not run) stay text.' "$F"
expect_contains "interactive: options" "- GitFlow" "$F"
expect_not_contains "interactive: no empty rationale section" "## Rationale" "$(cat $D/0005-pair-on-reviews.md)"
check "interactive: fsck" fsck_clean "$R"
check "interactive: status clean" status_clean "$R"

# Declining at the end writes nothing.
rm -f "$TMP/exit"
tmux -L "$SOCK" -f /dev/null new-session -d -x 200 -y 50 \
	"cd '$R' && '$ADR' meeting; echo \"EXIT=\$?\" >'$TMP/exit'; sleep 30"
BEFORE=$(git rev-parse HEAD)
check "prompt: attendees" wait_screen 1 "Attendees (comma-separated):"
answer "Ana Lima, Bo Chen"
check "cancel: title" wait_screen 1 "Title:"
answer "Something"
check "cancel: decision" wait_screen 1 "  Decision:"
answer "x"
wait_screen 1 "Rationale:" && answer ""
wait_screen 1 "Options considered" && answer ""
wait_screen 2 "Title:" && answer ""
check "cancel: confirmation" wait_screen 1 "Record these decisions"
answer "n"
for _ in $(seq 1 100); do [ -s "$TMP/exit" ] && break; sleep 0.05; done
expect_eq "cancel: exit 1" "EXIT=1" "$(cat "$TMP/exit" 2>/dev/null)"
expect_eq "cancel: nothing written" "$BEFORE" "$(git rev-parse HEAD)"
stop_tmux

# A proposal on the agenda (past its deadline) is offered by number and
# decided in the meeting: a real accept, sync, the attendees deciding.
ADR_NOW=2026-11-10T10:00:00Z must_adr propose --no-edit --deadline 2026-11-12 Adopt Kafka
ADR_NOW=2026-11-10T10:00:00Z must_adr propose --no-edit --deadline 2026-12-30 Rename the repo
git checkout -q main
rm -f "$TMP/exit"
tmux -L "$SOCK" -f /dev/null new-session -d -x 200 -y 50 \
	"cd '$R' && '$ADR' meeting --attendee 'Ana Lima' --attendee 'Bo Chen'; echo \"EXIT=\$?\" >'$TMP/exit'; sleep 30"
BEFORE=$(git rev-parse main)
check "agenda: offered" wait_screen 1 "Proposals on the agenda:"
check "agenda: the proposal past its deadline, numbered" wait_screen 1 "1. adr/adopt-kafka  Adopt Kafka"
check "agenda: asked which" wait_screen 1 "Decide which of them in this meeting?"
expect_not_contains "agenda: a proposal not yet due is not offered" "rename-the-repo" "$(screen)"
answer "7"
check "agenda: a number not offered is asked again" wait_screen 1 "give numbers from 1 to 1, or nothing"
answer "1"
check "agenda: then the meeting's own decisions" wait_screen 1 "Title:"
answer ""
check "agenda: the pick is shown" wait_screen 1 "adr/adopt-kafka: to be accepted in this meeting"
check "agenda: confirmation" wait_screen 1 "Decide them now?"
answer "y"
for _ in $(seq 1 100); do [ -s "$TMP/exit" ] && break; sleep 0.05; done
expect_eq "agenda: exit" "EXIT=0" "$(cat "$TMP/exit" 2>/dev/null)"
stop_tmux
expect_eq "agenda: one merge onto the decision branch" "$BEFORE 2" "$(git log -1 --format=%P main | awk '{print $1, NF}')"
K=$(git show --format= --name-only main | grep 'adopt-kafka' || true)
check "agenda: the proposal is a numbered record" test -n "$K"
check "agenda: decided in sync mode" grep -qx "mode: sync" "$K"
check "agenda: the attendees decided" grep -qx "decision-makers: \[Ana Lima, Bo Chen\]" "$K"
check "agenda: its branch is gone" test -z "$(git for-each-ref refs/heads/adr/adopt-kafka)"
check "agenda: the other proposal is still open" test -n "$(git for-each-ref refs/heads/adr/rename-the-repo)"
check "agenda: fsck" fsck_clean "$R"
check "agenda: status clean" status_clean "$R"
finish
