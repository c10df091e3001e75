#!/usr/bin/env bash
# History through the CLI: a shallow clone is said ("dates unknown before
# <commit>"), never turned into invented dates; a full clone says nothing.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
"$ADR_SOURCE_DIR/tests/fixtures/history/make-repo.sh" "$R" >/dev/null 2>&1
export ADR_NOW=2026-02-01

run_adr -C "$R" index
expect_eq "full clone: index" 0 "$RC"
expect_not_contains "full clone: no shallow warning" "shallow" "$ERR"

S=$TMP/shallow
git clone -q --depth 5 "file://$R" "$S"
run_adr -C "$S" index
expect_eq "shallow: index works" 0 "$RC"
B=$(echo "$ERR" | sed -n 's/^adr: warning: shallow clone: dates unknown before \([0-9a-f]\{12\}\)$/\1/p')
expect_eq "shallow: says so" 1 "$(echo "$ERR" | grep -c "^adr: warning: shallow clone: dates unknown before [0-9a-f]\{12\}$")"
check "shallow: names a boundary commit" grep -q "^$B" "$S/.git/shallow"
run_adr -C "$S" stats --json
expect_eq "shallow: stats works" 0 "$RC"
expect_json "shallow: stats names the boundary" 'd["shallow_boundary"][:12]' "\"$B\""
expect_contains "shallow: stats warns" "dates unknown before $B" "$ERR"
# the proposal of 0003 happened before the boundary: no cycle time is invented
# for it; 0004 was proposed and decided within the last 5 commits (1 day)
expect_json "shallow: only what is known" 'd["cycle_days_median"]' 1
run_adr -C "$S" search --json delta
expect_json "shallow: search works" '[r["number"] for r in d]' '[4]'

# a damaged shallow file: a boundary that is not an object id is an error,
# never a walk past the boundary into commits that are not here
cp -a "$S" "$TMP/shallow-bad"
cp "$TMP/shallow-bad/.git/shallow" "$TMP/shallow.good"
printf 'not-a-commit-id\n' >>"$TMP/shallow-bad/.git/shallow"
run_adr -C "$TMP/shallow-bad" index --rebuild
expect_eq "damaged shallow file: exit" 1 "$RC"
expect_contains "damaged shallow file: says which line and file" \
	"adr: cannot read the shallow boundary 'not-a-commit-id' in $TMP/shallow-bad/.git/shallow" "$ERR"
expect_eq "damaged shallow file: left as it was" "$(cat "$TMP/shallow.good"; echo not-a-commit-id)" \
	"$(cat "$TMP/shallow-bad/.git/shallow")"

# deepening the clone removes the boundary and the warning
git -C "$S" fetch -q --unshallow
run_adr -C "$S" index --json
expect_eq "unshallowed: no warning" "" "$ERR"
expect_json "unshallowed: rebuilt" 'd["reason"]' '"shallow clone deepened"'
run_adr -C "$S" stats --json
expect_json "unshallowed: all known" 'd["cycle_days_median"]' 2.5
# the real review flow: propose, comment twice, revise, accept
P=$TMP/review
new_repo "$P"
"$ADR" -C "$P" init >/dev/null
"$ADR" -C "$P" propose --no-edit Use Redis for caching >/dev/null 2>&1
"$ADR" -C "$P" comment use-redis-for-caching -m "Why not memcached?" --object >/dev/null 2>&1
git -C "$P" show adr/use-redis-for-caching:docs/decisions/use-redis-for-caching.md >"$TMP/rev"
echo "Memcached lacks persistence." >>"$TMP/rev"
"$ADR" -C "$P" revise use-redis-for-caching --file "$TMP/rev" >/dev/null 2>&1
"$ADR" -C "$P" comment use-redis-for-caching -m "Fine now" --approve >/dev/null 2>&1
"$ADR" -C "$P" accept use-redis-for-caching >/dev/null 2>&1
expect_eq "review flow: accepted by a merge" 2 "$(git -C "$P" log -1 --format=%P | wc -w)"
run_adr -C "$P" stats --json
expect_json "review flow: one proposal, decided" '[d["proposals"], d["decided"]]' '[1,1]'
expect_json "review flow: one revision" 'd["revisions_per_proposal"]' 1
expect_json "review flow: two comments" 'd["comments_per_proposal"]' 2
run_adr -C "$P" search --json persistence
expect_json "review flow: the accepted text is searchable" '[r["number"] for r in d]' '[2]'
finish
