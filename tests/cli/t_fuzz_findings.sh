#!/usr/bin/env bash
# What the fuzzers (tests/fuzz/) found, end to end through the real binary.
# Each input also stays in tests/fuzz/corpus/<target>/regress-* and is
# replayed by the fuzz/<target> tests.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
"$ADR" init >/dev/null
D=docs/decisions

# fuzz_record: a front matter whose keys are indented (valid YAML) got a new
# key at column 1 from `adr link`, and the committed record no longer parsed.
printf -- '---\n  status: proposed\n  date: 2026-11-01\n---\n# Indented front matter\n\nBody.\n' >$D/0002-indented.md
git add -A && git commit -qm "hand-written record"
run_adr link 2 relates-to 1
expect_eq "link on indented front matter" 0 "$RC"
expect_eq "the new key is indented like the others" "  links: [relates-to 1]" "$(git show HEAD:$D/0002-indented.md | sed -n 4p)"
run_adr show 2
expect_eq "the linked record reads back" 0 "$RC"
expect_contains "the linked record has its link" "relates-to" "$OUT"
run_adr check
expect_eq "check after link" 0 "$RC"
expect_not_contains "no parse finding" "[parse]" "$OUT$ERR"
check "git status clean" status_clean "$R"
check "fsck clean" fsck_clean "$R"

# fuzz_query: a word with no token (a dash, an emoji) hid every result,
# because the words were joined by an explicit AND.
printf 'We store everything in PostgreSQL.\n' >"$TMP/body"
"$ADR" new --no-edit --body-file "$TMP/body" Use PostgreSQL >/dev/null
run_adr search PostgreSQL —
expect_eq "search with a dash: exit" 0 "$RC"
expect_eq "search with a dash finds the record" "0003" "$(echo "$OUT" | awk '/^[0-9][0-9][0-9][0-9] /{print $1}')"
run_adr search "😀" PostgreSQL
expect_eq "search with an emoji finds the record" "0003" "$(echo "$OUT" | awk '/^[0-9][0-9][0-9][0-9] /{print $1}')"
run_adr search "—"
expect_eq "a dash alone: exit" 0 "$RC"
expect_eq "a dash alone finds nothing" "" "$OUT"

# fuzz_meeting: invalid UTF-8 in minutes named no place in the file.
before=$(commit_count "$R")
printf '## Decision: A\nDecision: ok \xff\n' >"$TMP/bad.md"
snapshot_state
run_adr meeting --attendee X --from "$TMP/bad.md"
expect_eq "invalid UTF-8 minutes: exit" 1 "$RC"
expect_unchanged "invalid UTF-8 minutes: exit: nothing changed"
expect_contains "invalid UTF-8 minutes: file:line:col" "bad.md:2:14: not valid UTF-8 text (byte 0xff)" "$ERR"
printf '## Decision: A\nDecision: ok\x00\n' >"$TMP/nul.md"
snapshot_state
run_adr meeting --attendee X --from "$TMP/nul.md"
expect_eq "NUL in minutes: exit" 1 "$RC"
expect_unchanged "NUL in minutes: exit: nothing changed"
expect_contains "NUL in minutes: file:line:col" "nul.md:2:13: not valid UTF-8 text (a NUL byte)" "$ERR"

# fuzz_meeting: `Decision:` followed only by blank lines made a record
# with an empty decision.
printf '## Decision: Use Redis\nDecision:\n\n\n## Decision: Keep it\nDecision: yes\n' >"$TMP/blank.md"
run_adr meeting --attendee X --from "$TMP/blank.md"
expect_eq "blank decision: exit" 1 "$RC"
expect_contains "blank decision: place" "blank.md:1:4: " "$ERR"
expect_contains "blank decision: message" "Use Redis': the decision itself is missing" "$ERR"
expect_eq "no commit for refused minutes" "$before" "$(commit_count "$R")"
check "git status clean after refused minutes" status_clean "$R"

# fuzz_slug: a glob like (*a)x500 in `affects:` took seconds per path (15 s
# for one `adr why` on the baseline); the matcher now stops after a fixed
# number of steps, and such a glob does not match.
GLOB=$(printf '*a%.0s' $(seq 500))
LONG=$(printf 'a%.0s' $(seq 4000))b
printf -- '---\nstatus: accepted\naffects: ["%s", "src/**/*.c"]\n---\n# Glob record\n' "$GLOB" >$D/0004-glob-record.md
git add -A && git commit -qm "record with a hostile glob"
set +e
# (10 s: the fixed matcher takes milliseconds, 200 times less than that even
# under sanitizers on a loaded machine; the unbounded one takes 15 s unloaded.)
OUT=$(timeout 10 "$ADR" why "$LONG" 2>"$TMP/stderr")
RC=$?
set -e
expect_eq "why with a hostile glob ends quickly" 0 "$RC"
expect_eq "the hostile glob matches nothing" "" "$OUT"
run_adr why src/lib/x.c
expect_eq "the other glob of the record still matches: exit" 0 "$RC"
expect_contains "the other glob of the record still matches" "0004" "$OUT"
check "fsck clean at the end" fsck_clean "$R"

finish
