#!/usr/bin/env bash
# adr search: BM25 ranking (title beats body), filters, highlighted
# snippets, hostile queries that must never become query syntax, and an
# index that refreshes itself when the branch moves.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
"$ADR" init >/dev/null
body() { printf '%s\n' "$@" >"$TMP/body"; }

body "We compare options." "A zebra appears in the body here, twice: zebra."
"$ADR" new --no-edit --body-file "$TMP/body" --tag storage --mode async --date 2026-01-10 Use PostgreSQL for storage >/dev/null
body "Nothing striped here."
"$ADR" new --no-edit --body-file "$TMP/body" --tag Zoo --mode sync --date 2026-02-10 Adopt the zebra crossing >/dev/null
body "Templates in C++ are hard; we don't like them." "Multi-agent systems are out of scope." "An \"unbalanced quote."
"$ADR" new --no-edit --body-file "$TMP/body" --status proposed --date 2026-03-10 Language rules >/dev/null

# ranking: the title match (0003) comes before the body match (0002)
run_adr search zebra
expect_eq "search exit" 0 "$RC"
expect_eq "title match ranks first" "0003 0002" "$(echo "$OUT" | awk '/^[0-9][0-9][0-9][0-9] /{printf "%s%s", sep, $1; sep=" "}')"
# snippets: not a terminal, so the match is in [brackets]
expect_contains "snippet marks the match" "[zebra]" "$OUT"
run_adr search --json zebra
expect_json "json: the hits, ranked" '[r["number"] for r in d]' '[3,2]'
expect_json "json snippets mark the match with **" '["**zebra**" in r["snippet"].lower() for r in d]' '[true,true]'

# filters
run_adr search --status proposed zebra
expect_eq "status filter: none, and that is no error" 0 "$RC"
expect_eq "status filter: none" "" "$OUT"
run_adr search --tag zoo zebra
expect_eq "tag filter, any case" "0003" "$(echo "$OUT" | awk '/^[0-9][0-9][0-9][0-9] /{print $1}')"
run_adr search --mode async zebra
expect_eq "mode filter" "0002" "$(echo "$OUT" | awk '/^[0-9][0-9][0-9][0-9] /{print $1}')"
run_adr search --since 2026-02-01 zebra
expect_eq "since filter" "0003" "$(echo "$OUT" | awk '/^[0-9][0-9][0-9][0-9] /{print $1}')"
run_adr search --until 2026-02-01 zebra
expect_eq "until filter" "0002" "$(echo "$OUT" | awk '/^[0-9][0-9][0-9][0-9] /{print $1}')"
run_adr search --limit 1 zebra
expect_eq "limit" "0003" "$(echo "$OUT" | awk '/^[0-9][0-9][0-9][0-9] /{print $1}')"
run_adr search --status proposed rules
expect_eq "status filter: one" "0004" "$(echo "$OUT" | awk '/^[0-9][0-9][0-9][0-9] /{print $1}')"

# usage errors
run_adr search # read-only
expect_eq "no query: usage" 2 "$RC"
expect_contains "no query: usage: says why" "adr: what should I search for?" "$ERR"
run_adr search --status maybe zebra # read-only
expect_eq "bad status: usage" 2 "$RC"
expect_contains "bad status: usage: says why" "adr: unknown value 'maybe' for --status: expected one of proposed, accepted, rejected, deprecated, superseded" "$ERR"
run_adr search --since 2026-13-01 zebra # read-only
expect_eq "bad date: usage" 2 "$RC"
expect_contains "bad date: usage: says why" "adr: --since: '2026-13-01' is not a date (YYYY-MM-DD)" "$ERR"
run_adr search --limit 0 zebra # read-only
expect_eq "bad limit: usage" 2 "$RC"
expect_contains "bad limit: usage: says why" "adr: --limit: '0' is not a number from 1 to 100000" "$ERR"
run_adr search --mode later zebra # read-only
expect_eq "bad mode: usage" 2 "$RC"
expect_contains "bad mode: usage: says why" "adr: unknown value 'later' for --mode: expected one of sync, async" "$ERR"

# hostile queries are words, never syntax: results or none, never an error
for q in 'C++' "don't" 'multi-agent' '"unbalanced' 'AND' 'OR' 'NOT' 'NEAR(' '.NET' \
	'title:zebra' '^zebra' 'zebra*' '-zebra' '{title}: x' '$(touch pwned)'; do
	run_adr search -- "$q" # read-only
	expect_eq "query [$q] exits 0" 0 "$RC"
	# no error: at most the line that says nothing matched
	case "$ERR" in
	"" | "adr: no records match '$q'") pass ;;
	*) fail "query [$q] prints no error: got [$ERR]" ;;
	esac
done
# a word without a letter or digit is left out, and the user is told
run_adr search -- "'); DROP TABLE rec;--"
expect_eq "sql words: exit 0" 0 "$RC"
expect_eq "sql words: the punctuation-only word is named" \
	"adr: warning: left out '');': it has no letter or digit to search for
adr: no records match ''); DROP TABLE rec;--'" "$ERR"
# nothing but punctuation: there is nothing to search for (usage, exit 2)
for q in '*' '(' ')' '"' '+' '\' '%' '_'; do
	run_adr search -- "$q" # read-only
	expect_eq "query [$q] is a usage error" 2 "$RC"
	expect_eq "query [$q] says why" "adr: nothing to search for: '$q' has no letter or digit" "$ERR"
	expect_eq "query [$q] prints no result" "" "$OUT"
done
check "no command ran" test ! -e pwned
run_adr search 'C++'
expect_contains "C++ finds the record" "0004" "$OUT"
run_adr search "don't"
expect_contains "don't finds the record" "0004" "$OUT"
run_adr search multi-agent
expect_contains "multi-agent finds the record" "0004" "$OUT"
run_adr search '"unbalanced'
expect_contains "\"unbalanced finds the record" "0004" "$OUT"
# Words of punctuation only are not words: they neither match nor stop the
# other words from matching (mutant M4b kept them, and found nothing).
for p in - '...' '--' '"' '()' '*'; do
	run_adr search zebra "$p"
	expect_eq "zebra $p: exit" 0 "$RC"
	expect_eq "zebra $p: punctuation is ignored" "0003 0002" "$(echo "$OUT" | awk '/^[0-9][0-9][0-9][0-9] /{printf "%s%s", sep, $1; sep=" "}')"
	if [ "$p" = -- ]; then # "--" ends the options: it is not a word
		expect_eq "zebra --: no warning" "" "$ERR"
	else
		expect_eq "zebra $p: the user is told the word was left out" \
			"adr: warning: left out '$p': it has no letter or digit to search for" "$ERR"
	fi
done
# A query of punctuation only searches for nothing, and says so (exit 2).
run_adr search - '*' # read-only
expect_eq "only punctuation: usage exit" 2 "$RC"
expect_eq "only punctuation: no results printed" "" "$OUT"
expect_contains "only punctuation: says why" "adr: nothing to search for: '-' and the other words have no letter or digit" "$ERR"
run_adr search "'); DROP TABLE rec;--" zebra
expect_eq "sql in a query is no error" 0 "$RC"
expect_eq "sql in a query is a word" "" "$OUT"
run_adr search zebra
expect_contains "index intact after hostile queries" "0003" "$OUT"

# SQL in a title is text like any other
"$ADR" new --no-edit "Bobby'); DROP TABLE rec;-- tables" >/dev/null
run_adr search "bobby'); drop table rec;--"
expect_contains "sql title found by its words" "Bobby'); DROP TABLE rec;-- tables" "$OUT"
run_adr search --json tables
expect_json "sql title in json" '[r["title"] for r in d]' '["Bobby'"'"'); DROP TABLE rec;-- tables"]'
run_adr list
expect_contains "list after sql title" "0005" "$OUT"

# a stale index refreshes itself: a new record is found without adr index
"$ADR" new --no-edit Quagga migration >/dev/null
run_adr search quagga
expect_contains "new record found" "0006" "$OUT"
# the index lives in the git directory, not in the work tree
check "index in .git/adr" test -f .git/adr/index.db
check "git status clean" status_clean "$R"
check "fsck clean" fsck_clean "$R"

finish
