#!/usr/bin/env bash
# adr check on a log with many records and many problems at once: numbers
# that two, three or four records share (published or not), names that
# differ only by case or by Unicode form, links and supersessions to
# records that do not exist or do not answer, body links, a record whose
# number a published record has. check compares records through sorted
# lookups, not pair by pair: its findings, and their order, must be those
# the pairwise comparison gave (tests/fixtures/check/many.expected was
# written by that version and is compared byte for byte).
source "$(dirname "$0")/lib.sh"

D=docs/decisions
export ADR_NOW=2026-11-21
EXPECTED=$ADR_FIXTURES/check/many.expected

record() { # FILE STATUS EXTRA-FRONT-MATTER BODY
	printf -- '---\nstatus: %s\ndate: 2026-01-02\n%s---\n\n# %s\n\n%s\n' "$2" "$3" "${1%.md}" "$4" >"$D/$1"
}

R=$TMP/repo
new_repo "$R"
cd "$R"
must_adr init
mkdir -p $D
# 200 plain records; every 7th supersedes the one before without an answer,
# every 11th links to a record that does not exist, every 13th links in its
# body to a file that is not there.
for i in $(seq 2 201); do
	extra="" body="Text $i."
	[ $((i % 7)) -eq 0 ] && extra="supersedes: [$((i - 1))]
"
	[ $((i % 11)) -eq 0 ] && extra="${extra}links: [amends 9$i]
"
	[ $((i % 13)) -eq 0 ] && body="See [gone](./0$((i + 900))-gone.md) and [there](0002-r2.md)."
	record "$(printf '%04d' $i)-r$i.md" accepted "$extra" "$body"
done
git add -A && git commit -qm "two hundred records"
# the published copy: a clone whose origin has these records
git clone -q "$R" "$TMP/origin.git" --bare
git remote add origin "$TMP/origin.git"
git fetch -q origin
git branch -q -u origin/main main
# after the fetch: numbers used twice, three and four times, by case and by form
record 0005-other-five.md accepted "" "Dup of five."
record 0005-third-five.md accepted "" "Dup again."
record 0009-nine-b.md proposed "" "Nine again."
record 0009-nine-c.md accepted "" "Nine thrice."
record 0009-nine-d.md rejected "" "Nine four times."
record 0202-Case.md accepted "" "Case one."
record 0202-case.md accepted "" "Case two."
record 0202-CASE.md accepted "" "Case three."
record 0204-Café.md accepted "" "NFC."
record "0204-Cafe$(printf '\xcc\x81').md" accepted "" "NFD."
record 0204-CAFÉ.md accepted "" "Case and form."
record "0205-naïve-$(printf '\xe2\x80\xae')x.md" accepted "" "A bidi control in the name."
record 0207-superseded.md superseded "" "No successor."
record 0208-future.md accepted "" "From the future."
sed -i 's/^date: .*/date: 2099-01-01/' $D/0208-future.md
record 0209-bad-status.md sideways "" "Odd status."
record 0210-nr.md accepted "superseded-by: [3]
" "Says superseded by three."
printf 'no front matter at all\n' >$D/0211-plain.md
git add -A && git commit -qm "problems"

run_adr check # read-only
expect_eq "many problems: exit 1" 1 "$RC"
expect_contains "many problems: a duplicate number across four records" "0009-nine-d.md:1:1: number 0009 is also used by" "$OUT"
run_adr check --json # read-only
expect_eq "json: exit 1" 1 "$RC"
expect_json "json: the names that differ by case or form" \
	'sum(1 for x in d if x["code"] == "duplicate-name")' 5
printf '%s\n' "$OUT" >"$TMP/many.json"
run_adr check --all-refs # read-only
expect_eq "--all-refs: exit 1" 1 "$RC"
expect_contains "--all-refs: numbers across branches" "is used by different records across branches" "$OUT"
printf '%s\n' "$OUT" >"$TMP/many.allrefs"
{
	echo "== check --json"
	cat "$TMP/many.json"
	echo "== check --all-refs"
	cat "$TMP/many.allrefs"
} >"$TMP/many.actual"
if [ -n "${ADR_WRITE_EXPECTED:-}" ]; then
	mkdir -p "$(dirname "$EXPECTED")"
	cp "$TMP/many.actual" "$EXPECTED"
fi
if diff -u "$EXPECTED" "$TMP/many.actual" >"$TMP/diff"; then pass; else fail "findings differ from $EXPECTED: $(head -40 "$TMP/diff")"; fi
expect_eq "the log itself is unchanged" "" "$(git status --porcelain)"

finish
