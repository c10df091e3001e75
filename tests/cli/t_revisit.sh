#!/usr/bin/env bash
# Revisits (issue 15): --revisit DATE|PERIOD on new, propose, accept and
# meeting; the .adr.yaml cadence; adr revisit N (one commit with its
# trailers, shown by show and on the site); list --revisit-due, --since,
# --until and --at DATE; and every bad input refused with nothing written.
# Time is fixed with ADR_NOW and the GIT_*_DATE variables.
source "$(dirname "$0")/lib.sh"

D=docs/decisions
at() { export GIT_AUTHOR_DATE="$1T09:00:00Z" GIT_COMMITTER_DATE="$1T09:00:00Z" ADR_NOW="$1T09:00:00Z"; }
# revisit_of FILE: the record's revisit date ("" when none).
revisit_of() { sed -n 's/^revisit: //p' "$1"; }
# trailer KEY [REV]: the values of one trailer of a commit.
trailer() { git log -1 --format="%(trailers:key=$1,valueonly)" "${2:-HEAD}" | sed '/^$/d'; }
# numbers TEXT: the record numbers in `adr list` output, on one line.
numbers() { cut -c1-4 <<<"$1" | tr '\n' ' ' | sed 's/ $//'; }

R=$TMP/repo
new_repo "$R"
cd "$R"
at 2026-11-19
must_adr init

# --- --revisit on each command, with a date and a period ---------------------
at 2026-11-21
must_adr new --no-edit --revisit 3m Use PostgreSQL
expect_eq "new --revisit 3m" "2027-02-21" "$(revisit_of $D/0002-use-postgresql.md)"
must_adr new --no-edit --revisit 2027-01-05 --visibility public Keep a changelog
expect_eq "new --revisit DATE" "2027-01-05" "$(revisit_of $D/0003-keep-a-changelog.md)"
must_adr new --no-edit --date 2026-10-01 Use Redis
expect_eq "new without --revisit and no cadence: none" "" "$(revisit_of $D/0004-use-redis.md)"

must_adr propose --no-edit --revisit 6w Adopt pnpm
expect_eq "propose --revisit 6w" "2027-01-02" "$(git show adr/adopt-pnpm:$D/adopt-pnpm.md | sed -n 's/^revisit: //p')"
must_adr accept adopt-pnpm
expect_eq "accept keeps the proposal's revisit" "2027-01-02" "$(revisit_of $D/0005-adopt-pnpm.md)"
must_adr propose --no-edit --revisit 1y Use Vault
must_adr accept use-vault --revisit 2027-06-01
expect_eq "accept --revisit DATE wins over the proposal's" "2027-06-01" "$(revisit_of $D/0006-use-vault.md)"
must_adr propose --no-edit Use Kafka
must_adr accept use-kafka --revisit 2w
expect_eq "accept --revisit 2w" "2026-12-05" "$(revisit_of $D/0007-use-kafka.md)"

printf 'Attendees: Ana Lima, Bo Chen\n\n## Decision: Ship on Tuesdays\nDecision: Tuesdays.\n\n## Decision: Pair on reviews\nDecision: Always.\n' >"$TMP/m.md"
must_adr meeting --from "$TMP/m.md" --revisit 1y
expect_eq "meeting --revisit 1y, first" "2027-11-21" "$(revisit_of $D/0008-ship-on-tuesdays.md)"
expect_eq "meeting --revisit 1y, second" "2027-11-21" "$(revisit_of $D/0009-pair-on-reviews.md)"
printf 'Attendees: Ana Lima\n\n## Decision: Meet on Mondays\nDecision: Mondays.\n' >"$TMP/m2.md"
must_adr meeting --from "$TMP/m2.md" --revisit 2027-03-31
expect_eq "meeting --revisit DATE" "2027-03-31" "$(revisit_of $D/0010-meet-on-mondays.md)"

# --- adr revisit: one commit, its trailers, the next date -----------------------
at 2026-11-25
N=$(commit_count .)
must_adr revisit 2 -m "Still the right store."
expect_eq "revisit: output" "$D/0002-use-postgresql.md: reviewed, next revisit on 2027-02-25" "$OUT"
expect_eq "revisit: one commit" $((N + 1)) "$(commit_count .)"
expect_eq "revisit: Adr-Action" "revisit" "$(trailer Adr-Action)"
expect_eq "revisit: Adr-Record" "0002" "$(trailer Adr-Record)"
expect_eq "revisit: Adr-Revisit" "2027-02-25" "$(trailer Adr-Revisit)"
expect_eq "revisit: the note is the body" "Still the right store." "$(git log -1 --format=%b | sed -n 1p)"
expect_eq "revisit: without --next, 3 months" "2027-02-25" "$(revisit_of $D/0002-use-postgresql.md)"
check "revisit: only the record changed" test "$(git diff --name-only HEAD~1 HEAD)" = "$D/0002-use-postgresql.md"
check "revisit: work tree clean" status_clean .
# The same day again: the date stays, the review is still a commit.
must_adr revisit 2
expect_eq "revisit again: a commit even when the date stays" $((N + 2)) "$(commit_count .)"
expect_eq "revisit again: no note, no body" "" "$(git log -1 --format=%b | sed '/^Adr-/d;/^$/d')"
must_adr revisit 3 --next 2027-09-01 -m "Kept: the partners read it."
expect_eq "revisit --next DATE" "2027-09-01" "$(revisit_of $D/0003-keep-a-changelog.md)"
at 2026-11-30
must_adr revisit 5 --next 3m
expect_eq "revisit --next 3m on the 30th: the month's last day" "2027-02-28" "$(revisit_of $D/0005-adopt-pnpm.md)"
must_adr revisit 6 --next 30d
expect_eq "revisit --next 30d" "2026-12-30" "$(revisit_of $D/0006-use-vault.md)"

run_adr show 2
expect_eq "show: exit" 0 "$RC"
expect_contains "show: the latest review" "reviewed:        2026-11-25 by Ana Lima, next 2027-02-25
" "$OUT"
expect_contains "show: the review with its note" "                 2026-11-25 by Ana Lima, next 2027-02-25: Still the right store." "$OUT"
run_adr show 2 --json
expect_json "show --json: reviews, newest first" \
	'[(r["date"], r["author"], r["next"], r["note"]) for r in d["reviews"]]' \
	'[["2026-11-25","Ana Lima","2027-02-25",""],["2026-11-25","Ana Lima","2027-02-25","Still the right store."]]'
expect_json "show --json: the review's commit" 'd["reviews"][0]["commit"]' "\"$(git log -1 --format=%H --grep='^adr: revisit 0002' HEAD)\""
run_adr show 4 --json
expect_json "show --json: a record never reviewed" 'd["reviews"]' '[]'
# The reviews are kept in .git/adr/reviews.cache (derived data): a damaged
# or missing file is walked again, with the same answer.
check "show keeps the reviews it found" test -s .git/adr/reviews.cache
printf 'ADRREVW1 damaged' >.git/adr/reviews.cache
run_adr show 2 --json
expect_json "show with a damaged cache: the same reviews" '[r["next"] for r in d["reviews"]]' '["2027-02-25","2027-02-25"]'
rm .git/adr/reviews.cache
run_adr show 5 --json
expect_json "show without the cache: the same reviews" '[r["next"] for r in d["reviews"]]' '["2027-02-28"]'

# --- the site's history shows the review ---------------------------------------------
must_adr html -o "$TMP/site"
PAGE=$(cat "$TMP"/site/0002-*.html)
expect_contains "site: the review in the history" 'event-reviewed' "$PAGE"
expect_contains "site: the note for the team" 'next revisit 2027-02-25: Still the right store.' "$PAGE"
must_adr html -o "$TMP/psite" --audience public
PAGE=$(cat "$TMP"/psite/0003-*.html)
expect_contains "public site: the review in the history" 'next revisit 2027-09-01' "$PAGE"
expect_not_contains "public site: not the team's note" 'the partners read it' "$PAGE"

# --- list --revisit-due, --since, --until, by git and by the index ---------------------
at 2027-01-05
run_adr list --revisit-due --json # read-only
expect_json "revisit-due on 2027-01-05 (git)" '[r["number"] for r in d]' '[6,7]'
check "the text listing below reads git: there is no index yet" test ! -e .git/adr/index.db
run_adr list --revisit-due
expect_eq "revisit-due (git, text)" "0006 0007" "$(numbers "$OUT")"
must_adr index
check "an index from here on" test -e .git/adr/index.db
run_adr list --revisit-due
expect_eq "revisit-due (index)" "0006 0007" "$(numbers "$OUT")"
at 2027-03-01
run_adr list --revisit-due
expect_eq "revisit-due on 2027-03-01 (index)" "0002 0005 0006 0007" "$(numbers "$OUT")"
run_adr list --revisit-due --json
expect_json "revisit-due on 2027-03-01 (git)" '[r["number"] for r in d]' '[2,5,6,7]'
must_adr revisit 2 --next 2027-09-01 -m "Reviewed in the spring."
check "a cache from an earlier tip is there" test -s .git/adr/reviews.cache
run_adr show 2 --json
expect_json "show after more commits: the new review first, the kept ones after" \
	'[r["note"] for r in d["reviews"]]' '["Reviewed in the spring.","","Still the right store."]'
run_adr list --revisit-due
expect_eq "revisit-due after the review (index)" "0005 0006 0007" "$(numbers "$OUT")"
run_adr list --revisit-due --json
expect_json "revisit-due after the review (git)" '[r["number"] for r in d]' '[5,6,7]'
# A superseded decision is not due any more.
must_adr new --no-edit --supersedes 7 Use Pulsar
run_adr list --revisit-due --json
expect_json "revisit-due: not a superseded one" '[r["number"] for r in d]' '[5,6]'

run_adr list --since 2026-11-20 --until 2026-11-21
expect_eq "since/until (index)" "0002 0003 0005 0006 0007 0008 0009 0010" "$(numbers "$OUT")"
run_adr list --since 2026-11-20 --until 2026-11-21 --json
expect_json "since/until (git)" '[r["number"] for r in d]' '[2,3,5,6,7,8,9,10]'
run_adr list --until 2026-11-19 --json
expect_json "until alone (git)" '[r["number"] for r in d]' '[1,4]'
run_adr list --since 2027-01-01
expect_eq "since alone (index)" "0011" "$(numbers "$OUT")"

# --- list --at DATE: the branch as it was at the end of that day --------------------
run_adr list --at 2026-11-20
expect_eq "at 2026-11-20: exit" 0 "$RC"
BYDATE=$OUT
run_adr list --at "$(git rev-list -1 --first-parent --before=2026-11-20T23:59:59Z main)"
expect_eq "at 2026-11-20 is the log at that day's last commit" "$OUT" "$BYDATE"
expect_eq "at 2026-11-20: only the first record" "0001" "$(numbers "$OUT")"
run_adr list --at 2026-11-21 --json
expect_json "at 2026-11-21: what that day added" '[r["number"] for r in d]' '[1,2,3,4,5,6,7,8,9,10]'
run_adr list --at main~1 --json
expect_json "at a revision still works" '[r["number"] for r in d]' '[1,2,3,4,5,6,7,8,9,10]'

# --- the .adr.yaml cadence ------------------------------------------------------------
printf 'revisit: 2m\n' >>.adr.yaml
git commit -qam "review decisions every two months"
at 2027-03-10
must_adr new --no-edit Use Grafana
expect_eq "cadence: new" "2027-05-10" "$(revisit_of $D/0012-use-grafana.md)"
must_adr new --no-edit --status proposed Maybe Loki
expect_eq "cadence: not for a record that is not a decision" "" "$(revisit_of $D/0013-maybe-loki.md)"
must_adr new --no-edit --revisit 1w Use Tempo
expect_eq "cadence: --revisit wins" "2027-03-17" "$(revisit_of $D/0014-use-tempo.md)"
must_adr propose --no-edit Use Mimir
must_adr accept use-mimir
expect_eq "cadence: accept" "2027-05-10" "$(revisit_of $D/0015-use-mimir.md)"
must_adr meeting --from "$TMP/m2.md"
expect_eq "cadence: meeting" "2027-05-10" "$(revisit_of $D/0016-meet-on-mondays.md)"
must_adr revisit 12
expect_eq "cadence: adr revisit without --next" "2027-05-10" "$(revisit_of $D/0012-use-grafana.md)"

# --- bad inputs: an error, and nothing written -------------------------------------
must_adr propose --no-edit Use Nomad
printf 'Attendees: Ana Lima\n\n## Decision: Use Consul\nDecision: Yes.\n' >"$TMP/m3.md"
snapshot_state

run_adr new --no-edit --revisit 2027-02-30 Use Jaeger
expect_eq "bad date: exit" 2 "$RC"
expect_eq "bad date: message" "adr: --revisit '2027-02-30' is not a date (YYYY-MM-DD) or a period (30d, 6w, 3m, 1y)" "$ERR"
expect_unchanged "bad date: nothing written"
run_adr new --no-edit --revisit 3q Use Jaeger
expect_eq "bad period: exit" 2 "$RC"
expect_eq "bad period: message" "adr: --revisit '3q' is not a date (YYYY-MM-DD) or a period (30d, 6w, 3m, 1y)" "$ERR"
expect_unchanged "bad period: nothing written"
run_adr new --no-edit --revisit 0d Use Jaeger
expect_eq "zero period: exit" 2 "$RC"
expect_contains "zero period: message" "--revisit '0d' is not a date" "$ERR"
expect_unchanged "zero period: nothing written"
run_adr new --no-edit --revisit 11y Use Jaeger
expect_eq "period over ten years: exit" 2 "$RC"
expect_contains "period over ten years: message" "--revisit '11y' is not a date" "$ERR"
expect_unchanged "period over ten years: nothing written"
run_adr new --no-edit --revisit 2027-03-09 Use Jaeger
expect_eq "past date: exit" 2 "$RC"
expect_eq "past date: message" "adr: --revisit 2027-03-09 is in the past (today is 2027-03-10)" "$ERR"
expect_unchanged "past date: nothing written"
run_adr propose --no-edit --revisit soon Use Jaeger
expect_eq "propose, bad period: exit" 2 "$RC"
expect_contains "propose, bad period: message" "--revisit 'soon' is not a date" "$ERR"
expect_unchanged "propose, bad period: nothing written"
run_adr accept use-nomad --revisit 5x
expect_eq "accept, bad period: exit" 2 "$RC"
expect_contains "accept, bad period: message" "--revisit '5x' is not a date" "$ERR"
expect_unchanged "accept, bad period: nothing written"
run_adr meeting --from "$TMP/m3.md" --revisit 2026-01-01
expect_eq "meeting, past date: exit" 2 "$RC"
expect_contains "meeting, past date: message" "--revisit 2026-01-01 is in the past" "$ERR"
expect_unchanged "meeting, past date: nothing written"
run_adr revisit 12 --next 12
expect_eq "revisit, bad --next: exit" 2 "$RC"
expect_eq "revisit, bad --next: message" "adr: --next '12' is not a date (YYYY-MM-DD) or a period (30d, 6w, 3m, 1y)" "$ERR"
expect_unchanged "revisit, bad --next: nothing written"
run_adr revisit 12 --next 2027-01-01
expect_eq "revisit, past --next: exit" 2 "$RC"
expect_contains "revisit, past --next: message" "--next 2027-01-01 is in the past (today is 2027-03-10)" "$ERR"
expect_unchanged "revisit, past --next: nothing written"
run_adr revisit 99
expect_eq "revisit, unknown record: exit" 1 "$RC"
expect_eq "revisit, unknown record: message" "adr: record 0099 does not exist on refs/heads/main" "$ERR"
expect_unchanged "revisit, unknown record: nothing written"
run_adr revisit 7 -m "Still?"
expect_eq "revisit, superseded: exit" 1 "$RC"
expect_eq "revisit, superseded: message" "adr: record 0007 is superseded by 0011: revisit that one instead; only an accepted decision is revisited" "$ERR"
expect_unchanged "revisit, superseded: nothing written"
run_adr revisit 13
expect_eq "revisit, proposed: exit" 1 "$RC"
expect_eq "revisit, proposed: message" "adr: record 0013 is proposed; only an accepted decision is revisited" "$ERR"
expect_unchanged "revisit, proposed: nothing written"
run_adr revisit 12 -m $'bad \xff byte'
expect_eq "revisit, a note that is not UTF-8: exit" 1 "$RC"
expect_contains "revisit, a note that is not UTF-8: message" "the note is not valid UTF-8 text" "$ERR"
expect_unchanged "revisit, a note that is not UTF-8: nothing written"
run_adr revisit
expect_eq "revisit without a number: exit" 2 "$RC"
expect_contains "revisit without a number: message" "expected one record number" "$ERR"
expect_unchanged "revisit without a number: nothing written"
run_adr list --since 2026-12-01 --until 2026-11-01 # read-only
expect_eq "since after until: exit" 2 "$RC"
expect_contains "since after until: message" "--since 2026-12-01 is after --until 2026-11-01" "$ERR"
run_adr list --since 2026-11-31 # read-only
expect_eq "since, bad date: exit" 2 "$RC"
expect_contains "since, bad date: message" "--since: '2026-11-31' is not a date (YYYY-MM-DD)" "$ERR"
run_adr list --at 2026-11-18 # read-only
expect_eq "at a day before the first commit: exit" 1 "$RC"
expect_eq "at a day before the first commit: message" "adr: main has no commit on or before 2026-11-18" "$ERR"

# A rejected record.
must_adr reject use-nomad --reason "Not now."
REJ=$(basename "$OUT" | cut -c1-4)
snapshot_state
run_adr revisit "$REJ"
expect_eq "revisit, rejected: exit" 1 "$RC"
expect_eq "revisit, rejected: message" "adr: record $REJ is rejected; only an accepted decision is revisited" "$ERR"
expect_unchanged "revisit, rejected: nothing written"

# Months keep the day, or take the month's last one; leap years count.
at 2027-11-29
must_adr revisit 12 --next 3m
expect_eq "3 months from 2027-11-29: a leap day" "2028-02-29" "$(revisit_of $D/0012-use-grafana.md)"
at 2028-02-29
must_adr revisit 12 --next 1y
expect_eq "a year from a leap day" "2029-02-28" "$(revisit_of $D/0012-use-grafana.md)"

# A cadence that is not a period: every command says where it is.
sed -i 's/^revisit: 2m$/revisit: quarterly/' .adr.yaml
git commit -qam "a cadence adr cannot read"
LINE=$(grep -n '^revisit: quarterly' .adr.yaml | cut -d: -f1)
snapshot_state
run_adr new --no-edit Use Jaeger
expect_eq "bad cadence: exit" 1 "$RC"
expect_eq "bad cadence: message" "adr: .adr.yaml:$LINE:10: revisit must be a period such as 30d, 6w, 3m or 1y" "$ERR"
expect_unchanged "bad cadence: nothing written"
run_adr list # read-only
expect_eq "bad cadence, list: exit" 1 "$RC"
expect_contains "bad cadence, list: message" ".adr.yaml:$LINE:10: revisit must be a period" "$ERR"

check "fsck" fsck_clean "$R"
finish
