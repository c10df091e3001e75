#!/usr/bin/env bash
# adr notify: a digest of the log (decisions since the last digest, proposals
# overdue or due within 2 days with whose move it is, cleanups, revisits)
# posted as {"text": ...} to a webhook: here tests/cli/notify_server.py, a
# server this test starts on 127.0.0.1 and kills at the end. Delivery, the
# state kept after a 2xx only, HTTP errors, a server that hangs, a closed
# connection, and where the URL may (not) come from.
source "$(dirname "$0")/lib.sh"
sanitizer_reports_fail

R=$TMP/repo
D=docs/decisions
LOG=$TMP/requests.log
at() { export GIT_AUTHOR_DATE="$1T09:00:00Z" GIT_COMMITTER_DATE="$1T09:00:00Z" ADR_NOW="$1T09:00:00Z"; }
requests() { if [ -f "$LOG" ]; then wc -l <"$LOG" | tr -d ' '; else echo 0; fi; }
# request N EXPR: EXPR (Python over `d`) of the N-th request the server received.
request() { sed -n "$1p" "$LOG" | json_val "$2"; }
# sent_text N: the "text" of the JSON body of the N-th request.
sent_text() { webhook_text "$LOG" "$1"; }

start_webhook "$LOG"
BASE=$WEBHOOK

new_repo "$R"
cd "$R"
STATE=$(cd "$(git rev-parse --git-common-dir)" && pwd)/adr/notify-state
at 2026-11-01
must_adr init
printf '## Decision\n\nWe use it.\n' >"$TMP/body.md"
must_adr new --no-edit --body-file "$TMP/body.md" Use PostgreSQL
at 2026-11-05
GIT_AUTHOR_NAME="Bo Chen" must_adr propose --no-edit --deadline 2026-11-10 Old proposal
at 2026-11-15
must_adr propose --no-edit --deadline 2026-11-22 --reviewer "Dee Eng" Soon proposal
must_adr propose --no-edit --deadline 2026-12-20 Far proposal
must_adr propose --no-edit --deadline 2026-11-23 Disputed proposal
GIT_AUTHOR_NAME="Bo Chen" must_adr comment disputed --approve
GIT_AUTHOR_NAME="Cy Diaz" must_adr comment disputed --object -m "too slow"
git checkout -q main
at 2026-11-20
must_adr new --no-edit --body-file "$TMP/body.md" Use Kafka
cat >"$D/0090-revisit-me.md" <<'REC'
---
status: accepted
date: 2026-01-01
revisit: 2026-11-15
---
# Revisit me
REC
git add $D && git commit -q -m "a record with a revisit date"
cat >"$D/0091-with-steps.md" <<'REC'
---
status: accepted
date: 2026-11-01
owner: Ana Lima
---
# With steps

## Next steps

- [ ] Bo Chen: migrate the schema (by 2026-11-18)
- [x] Ana Lima: write the plan (by 2026-11-10)
- [ ] Cy Diaz: tell the partner (by 2026-12-30)
REC
git add $D && git commit -q -m "a record with next steps"
at 2026-11-21
printf 'Attendees: Ana Lima\n\n## Decision: Meet on Mondays\nDecision: Mondays.\n' >"$TMP/m.md"
must_adr meeting --from "$TMP/m.md"
COMMITS=$(commit_count . main)

# --- dry run: the body it would send, nothing sent, no URL needed ----------
run_adr notify --dry-run
expect_eq "dry run exit" 0 "$RC"
TEXT=$(json_val 'd["text"]' <<<"$OUT")
expect_json "dry run: the body is {\"text\": ...} only" 'sorted(d)' '["text"]'
expect_contains "dry run: a new decision" "Use Kafka: recorded as accepted, 2026-11-20" "$TEXT"
expect_contains "dry run: since 7 days ago on the first run" "New decisions since 2026-11-14" "$TEXT"
expect_not_contains "dry run: an older decision is not new" "Use PostgreSQL" "$TEXT"
expect_contains "dry run: the overdue proposal and whose move" "Old proposal: review-by 2026-11-10, OVERDUE; Bo Chen's move: escalate to a meeting" "$TEXT"
expect_contains "dry run: a proposal due within 2 days, waiting for its reviewer" "Soon proposal: review-by 2026-11-22; waiting for Dee Eng, owner Ana Lima (0 approve, 0 object, 0 comments)" "$TEXT"
expect_contains "dry run: an overdue next step with its owner" "0091 With steps: migrate the schema (Bo Chen, by 2026-11-18)" "$TEXT"
expect_not_contains "dry run: a done next step is not listed" "write the plan" "$TEXT"
expect_not_contains "dry run: a next step not yet due is not listed" "tell the partner" "$TEXT"
expect_contains "dry run: objections: the owner's move" "Disputed proposal: review-by 2026-11-23; Ana Lima's move: answer the objections of Cy Diaz (1 approve, 1 object, 2 comments)" "$TEXT"
expect_not_contains "dry run: a proposal due later is left out" "Far proposal" "$TEXT"
expect_contains "dry run: the meeting's cleanup" "Meet on Mondays: clean up by 2026-11-22" "$TEXT"
expect_contains "dry run: the revisit" "0090 Revisit me: revisit on 2026-11-15, OVERDUE" "$TEXT"
expect_contains "dry run: Markdown by default" "**Proposals overdue or due within 2 days**" "$TEXT"
expect_eq "dry run sent nothing" 0 "$(requests)"
check "dry run kept no state" test ! -e "$STATE"

run_adr notify --dry-run --format plain
expect_eq "plain dry run exit" 0 "$RC"
TEXT=$(json_val 'd["text"]' <<<"$OUT")
expect_contains "plain: headings without markup" "Proposals overdue or due within 2 days:" "$TEXT"
expect_not_contains "plain: no Markdown" "**" "$TEXT"

run_adr notify --dry-run --json
expect_eq "json dry run exit" 0 "$RC"
expect_json "json dry run: not sent" 'd["sent"]' 'false'
expect_json "json dry run: the new decisions" '[x["title"] for x in d["decisions"]]' '["Use Kafka","Meet on Mondays"]'
expect_json "json dry run: the items due" 'd["items"]' '6'
expect_json "json dry run: the commit it was made from" 'd["commit"]' "\"$(git rev-parse main)\""
expect_eq "json dry run sent nothing" 0 "$(requests)"

run_adr notify --dry-run --since 2026-11-01
expect_eq "--since exit" 0 "$RC"
expect_contains "--since: decisions dated from then" "Use PostgreSQL" "$(json_val 'd["text"]' <<<"$OUT")"

# --- email: a plain-text mail on stdout ----------------------------------------
run_adr notify --format email
expect_eq "email exit" 0 "$RC"
expect_eq "email: the subject line first" "Subject: [adr] decision log digest 2026-11-21: 2 new decisions, 6 items due" "$(head -1 <<<"$OUT")"
expect_eq "email: a blank line after the subject" "" "$(sed -n 2p <<<"$OUT")"
expect_contains "email: the body" "Old proposal: review-by 2026-11-10, OVERDUE; Bo Chen's move" "$OUT"
expect_not_contains "email: plain text" "**" "$OUT"
expect_eq "email sent nothing" 0 "$(requests)"
check "email kept no state" test ! -e "$STATE"

# --- where the URL comes from ---------------------------------------------------
snapshot_state
run_adr notify
expect_eq "no URL: exit" 1 "$RC"
expect_eq "no URL: the message" "adr: no webhook URL: set ADR_NOTIFY_URL or git config adr.notifyUrl (never .adr.yaml: the URL is a secret)" "$ERR"
expect_unchanged "no URL: nothing changed"
check "no URL: no state" test ! -e "$STATE"

for bad in "ftp://127.0.0.1/hook" "file:///etc/passwd"; do
	ADR_NOTIFY_URL=$bad run_adr notify
	expect_eq "$bad: exit" 1 "$RC"
	expect_contains "$bad: refused" "is not http:// or https://" "$ERR"
	expect_unchanged "$bad: nothing changed"
	check "$bad: no state" test ! -e "$STATE"
done
expect_eq "bad schemes sent nothing" 0 "$(requests)"

if [ -f .adr.yaml ]; then cp .adr.yaml "$TMP/adr.yaml.orig"; fi
printf 'notify:\n  url: %s/ok/committed\n' "$BASE" >>.adr.yaml
git add .adr.yaml && git commit -q -m "a webhook URL committed by mistake"
snapshot_state
ADR_NOTIFY_URL=$BASE/ok/env run_adr notify
expect_eq ".adr.yaml URL: exit" 1 "$RC"
expect_contains ".adr.yaml URL: refused, with what to do" "adr: .adr.yaml: 'notify.url': a webhook URL is a secret and is never read from a committed file" "$ERR"
expect_unchanged ".adr.yaml URL: nothing changed"
run_adr notify --dry-run # read-only
expect_eq ".adr.yaml URL: refused in a dry run too" 1 "$RC"
expect_contains ".adr.yaml URL: dry-run message" "'notify.url': a webhook URL is a secret" "$ERR"
expect_eq ".adr.yaml URL: nothing sent" 0 "$(requests)"
check ".adr.yaml URL: no state" test ! -e "$STATE"
git rm -q .adr.yaml
if [ -f "$TMP/adr.yaml.orig" ]; then cp "$TMP/adr.yaml.orig" .adr.yaml && git add .adr.yaml; fi
git commit -q -m "the webhook URL is not for committing"

# --- a digest delivered ---------------------------------------------------------
git config adr.notifyUrl "$BASE/ok/T0/secret-token"
run_adr notify
expect_eq "delivered: exit" 0 "$RC"
expect_eq "delivered: the message" "sent the digest: 2 new decisions, 6 items due (HTTP 200)" "$OUT"
expect_eq "delivered: one request" 1 "$(requests)"
expect_eq "delivered: to the configured path" '"/ok/T0/secret-token"' "$(request 1 'd["path"]')"
expect_eq "delivered: as JSON" '"application/json; charset=utf-8"' "$(request 1 'd["content_type"]')"
SENT=$(sent_text 1)
expect_contains "delivered: the new decision" "Use Kafka: recorded as accepted" "$SENT"
expect_contains "delivered: the overdue proposal" "Old proposal: review-by 2026-11-10, OVERDUE; Bo Chen's move: escalate to a meeting" "$SENT"
expect_eq "delivered: the state is the decision branch" "$(git rev-parse main)" "$(cat "$STATE")"
expect_eq "delivered: no commit made" "$COMMITS" "$(($(commit_count . main) - 2))"

run_adr notify --json
expect_eq "second run: exit" 0 "$RC"
expect_json "second run: sent" '[d["sent"], d["status"]]' '[true,200]'
expect_json "second run: no new decisions" 'd["decisions"]' '[]'
expect_json "second run: since the last digest" 'd["since_commit"]' "\"$(git rev-parse main)\""
SENT=$(sent_text 2)
expect_not_contains "second run: the decision is not repeated" "Use Kafka" "$SENT"
expect_contains "second run: the overdue proposal still is" "Old proposal" "$SENT"

# --- failures leave the state as it was -----------------------------------------
must_adr new --no-edit --body-file "$TMP/body.md" Use Redis as a cache
cp "$STATE" "$TMP/state.before-failures"
N=$(requests)
for code in 500 404; do
	snapshot_state . "$STATE"
	ADR_NOTIFY_URL=$BASE/status/$code/secret-token run_adr notify
	expect_eq "HTTP $code: exit" 1 "$RC"
	expect_eq "HTTP $code: the status and the answer's first line" "adr: the webhook at $BASE answered HTTP $code: error $code: the test asked for it" "$ERR"
	expect_not_contains "HTTP $code: the URL's secret path is not shown" "secret-token" "$ERR"
	expect_unchanged "HTTP $code: the state is unchanged"
	N=$((N + 1))
	expect_eq "HTTP $code: the server got it" "$N" "$(requests)"
done

snapshot_state . "$STATE"
ADR_NOTIFY_URL=$BASE/status/503/empty run_adr notify
expect_eq "HTTP 503, no answer: exit" 1 "$RC"
expect_eq "HTTP 503, no answer: the message" "adr: the webhook at $BASE answered HTTP 503: (an empty answer)" "$ERR"
expect_unchanged "HTTP 503, no answer: the state is unchanged"

snapshot_state . "$STATE"
ADR_NOTIFY_URL=$BASE/hang/5 run_adr notify --timeout 1
expect_eq "hang: exit" 1 "$RC"
expect_contains "hang: timed out" "adr: could not send the digest to $BASE: " "$ERR"
expect_contains "hang: a timeout" "Operation timed out after " "$ERR"
expect_unchanged "hang: the state is unchanged"

snapshot_state . "$STATE"
ADR_NOTIFY_URL=$BASE/close run_adr notify
expect_eq "closed: exit" 1 "$RC"
expect_contains "closed: the message" "adr: could not send the digest to $BASE: Empty reply from server" "$ERR"
expect_unchanged "closed: the state is unchanged"

# libcurl is loaded when a digest is sent (not linked, so other commands do
# not pay for it): a library that cannot be loaded, or is not libcurl, is
# an error that says what to install, and nothing is sent.
snapshot_state . "$STATE"
N=$(requests)
ADR_LIBCURL=$TMP/no-such-libcurl.so.4 run_adr notify
expect_eq "no libcurl: exit" 1 "$RC"
expect_contains "no libcurl: says which and what to do" "adr: could not send the digest: cannot load libcurl ($TMP/no-such-libcurl.so.4): " "$ERR"
expect_contains "no libcurl: install it" "; install libcurl4" "$ERR"
expect_unchanged "no libcurl: the state is unchanged"
expect_eq "no libcurl: nothing sent" "$N" "$(requests)"
ADR_LIBCURL=libz.so.1 run_adr notify
expect_eq "not libcurl: exit" 1 "$RC"
expect_eq "not libcurl: the message" "adr: could not send the digest: cannot use libcurl (libz.so.1): it has no curl_global_init" "$ERR"
expect_unchanged "not libcurl: the state is unchanged"
expect_eq "not libcurl: nothing sent" "$N" "$(requests)"
check "adr itself does not link libcurl" bash -c "ldd '$ADR' | awk '/libcurl/ {f = 1} END {exit f}'"
expect_eq "failures kept the state" "$(cat "$TMP/state.before-failures")" "$(cat "$STATE")"

run_adr notify
expect_eq "after the failures: exit" 0 "$RC"
expect_contains "after the failures: the decision no failed send delivered" "Use Redis as a cache" "$(sent_text "$(requests)")"
expect_eq "after the failures: state moved on" "$(git rev-parse main)" "$(cat "$STATE")"

# --- a state file that is not a commit id ---------------------------------------
printf 'not a commit\n' >"$STATE"
snapshot_state . "$STATE"
N=$(requests)
run_adr notify
expect_eq "bad state: exit" 1 "$RC"
expect_eq "bad state: the message" "adr: $STATE:1:1: not a commit id; delete the file to start again from the last 7 days" "$ERR"
expect_unchanged "bad state: nothing changed"
expect_eq "bad state: nothing sent" "$N" "$(requests)"
rm "$STATE"

# --- usage ----------------------------------------------------------------------
run_adr notify --format xml # read-only
expect_eq "bad format: usage" 2 "$RC"
expect_contains "bad format: message" "unknown value 'xml' for --format: expected one of markdown, plain, email" "$ERR"
run_adr notify --timeout 0 # read-only
expect_eq "bad timeout: usage" 2 "$RC"
expect_contains "bad timeout: message" "--timeout: '0' is not a number of seconds from 1 to 600" "$ERR"
run_adr notify --format email --dry-run # read-only
expect_eq "email with --dry-run: usage" 2 "$RC"
expect_contains "email with --dry-run: message" "--format email prints the digest: it takes neither --json nor --dry-run" "$ERR"
expect_eq "usage errors sent nothing" "$N" "$(requests)"

# --- nothing to report: nothing sent ---------------------------------------------
E=$TMP/empty
new_repo "$E"
cd "$E"
at 2026-11-01
must_adr init
at 2026-11-21
git config adr.notifyUrl "$BASE/ok/empty"
run_adr notify
expect_eq "empty: exit" 0 "$RC"
expect_eq "empty: the message" "nothing to report: no new decisions, nothing due; nothing sent" "$OUT"
expect_eq "empty: nothing sent" "$N" "$(requests)"
check "empty: no state" test ! -e "$(git rev-parse --git-common-dir)/adr/notify-state"
run_adr notify --format email
expect_eq "empty email: exit" 0 "$RC"
expect_eq "empty email: prints nothing" "" "$OUT"

finish
