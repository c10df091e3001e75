#!/usr/bin/env bash
# Bad input gets `file:line:col: what`, exit status 1, and nothing is written.
# Each bad record reaches adr the way a user would: through the editor in
# `adr edit`, and as a record committed with plain git that `adr list` reads.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
"$ADR" init >/dev/null
"$ADR" new --no-edit Use PostgreSQL >/dev/null
P=docs/decisions/0002-use-postgresql.md
BASE=$(commit_count "$R")

cat >"$TMP/copy-editor.sh" <<'SH'
#!/bin/sh
cp "$BAD_FILE" "$1"
SH
chmod +x "$TMP/copy-editor.sh"

# bad_case NAME EXPECTED-LOCATION EXPECTED-WORDS: $TMP/bad/NAME holds the content.
bad_case() {
	local name=$1 loc=$2 words=$3 schema=${4:-no}
	BAD_FILE="$TMP/bad/$name" EDITOR="$TMP/copy-editor.sh" run_adr edit 2
	expect_eq "$name (edit): exit 1" 1 "$RC"
	expect_contains "$name (edit): file:line:col" "/.git/adr-edit/0002-" "$ERR"
	expect_contains "$name (edit): file:line:col" ".md:$loc:" "$ERR"
	expect_contains "$name (edit): what" "$words" "$ERR"
	expect_eq "$name (edit): no commit" "$BASE" "$(commit_count "$R")"
	check "$name (edit): work tree clean" status_clean "$R"
	expect_contains "$name (edit): text kept" "your text is kept in " "$ERR"

	# The same content committed behind adr's back: list reports it with
	# its location, still lists the other records, and fails.
	cp "$TMP/bad/$name" "$R/$P"
	git -C "$R" commit -q -a -m "bad $name"
	run_adr list # read-only
	expect_contains "$name (list): file:line:col" "$P:$loc:" "$ERR"
	expect_contains "$name (list): other records still listed" "0001  accepted" "$OUT"
	if [ "$schema" = yes ]; then
		expect_eq "$name (list): a schema problem is a warning" 0 "$RC"
		expect_contains "$name (list): warning" "warning" "$ERR"
	else
		expect_eq "$name (list): exit 1" 1 "$RC"
	fi
	git -C "$R" reset -q --hard HEAD~1
}

mkdir -p "$TMP/bad"
printf -- '---\nstatus: accepted\ntags: [a, b\n---\n# T\n' >"$TMP/bad/malformed"
printf -- '---\nstatus: accepted\ndate: 2026-01-01\n# T\n\nbody\n' >"$TMP/bad/unterminated"
printf -- '---\nstatus: proposed\ndate: 2026-01-01\nstatus: accepted\n---\n# T\n' >"$TMP/bad/duplicate"
printf -- '---\nstatus: accepted\n---\nsecond: doc\n...\n# T\n' >"$TMP/bad/second-doc-in-body-is-fine"
printf -- '---\nstatus: accepted\n--- !tag\nother: 1\n---\n# T\n' >"$TMP/bad/second-document"
printf -- '---\nstatus: accepted\ntitle: caf\xe9\n---\n# T\n' >"$TMP/bad/utf8"
printf -- '---\nstatus: accepted\n---\n# T\n\nbody with a \x00 byte\n' >"$TMP/bad/nul"
{ printf -- '---\nstatus: accepted\nx: '; head -c 10000 /dev/zero | tr '\0' '['; printf '\n---\n# T\n'; } >"$TMP/bad/deep"
{ printf -- '---\nstatus: accepted\n---\n# T\n\n'; head -c 10485760 /dev/zero | tr '\0' 'a'; } >"$TMP/bad/huge"
printf -- '---\nstatus: maybe\n---\n# T\n' >"$TMP/bad/status"
printf -- '---\nstatus: accepted\ndate: 2026-13-45\n---\n# T\n' >"$TMP/bad/date"
printf -- '---\nstatus: accepted\ndate: 2023-02-29\n---\n# T\n' >"$TMP/bad/leapdate"

bad_case malformed 4 "flow"
bad_case unterminated 1 "unterminated front matter"
bad_case duplicate 4 "duplicate key 'status'"
bad_case second-document 3 "document"
bad_case utf8 3 "UTF-8"
bad_case nul 6 "NUL"
bad_case deep 3 "deep"
bad_case huge 1 "limit"
bad_case status 2 "'maybe' is not one of proposed, accepted" yes
bad_case date 3 "date" yes
bad_case leapdate 3 "date" yes
expect_contains "duplicate names both lines" "line 2" "$( BAD_FILE="$TMP/bad/duplicate" EDITOR="$TMP/copy-editor.sh" "$ADR" edit 2 2>&1 || true)"

# A `---` later in the body is Markdown, not a second document.
BAD_FILE="$TMP/bad/second-doc-in-body-is-fine" EDITOR="$TMP/copy-editor.sh" run_adr edit 2
expect_eq "a thematic break in the body is fine" 0 "$RC"
BASE=$(commit_count "$R")

# Titles make safe slugs that stay in the records directory, or are refused.
run_adr new --no-edit '../../etc/passwd'
expect_eq "traversal title: accepted as text" 0 "$RC"
expect_eq "traversal title: safe path" "docs/decisions/0003-etc-passwd.md" "$OUT"
expect_contains "traversal title: title kept" "# ../../etc/passwd" "$(cat docs/decisions/0003-etc-passwd.md)"
run_adr new --no-edit 'Run $(touch pwned) and `touch pwned2`; rm -rf x | y & z'
expect_eq "shell title: exit 0" 0 "$RC"
expect_eq "shell title: slug" "docs/decisions/0004-run-touch-pwned-and-touch-pwned2-rm-rf-x-y-z.md" "$OUT"
check "shell title: nothing ran" test ! -e pwned -a ! -e pwned2 -a ! -e "$TMP/pwned"
expect_contains "shell title: stored literally" '# Run $(touch pwned) and `touch pwned2`; rm -rf x | y & z' "$(cat "$OUT")"
BASE=$(commit_count "$R")
snapshot_state
run_adr new --no-edit "$(printf 'Two\nlines')"
expect_eq "newline title: exit 1" 1 "$RC"
expect_unchanged "newline title: exit 1: nothing changed"
expect_contains "newline title: says why" "line break" "$ERR"
snapshot_state
run_adr new --no-edit '!!! ... ???'
expect_eq "punctuation title: exit 1" 1 "$RC"
expect_unchanged "punctuation title: exit 1: nothing changed"
expect_contains "punctuation title: says why" "no letter or digit" "$ERR"
snapshot_state
run_adr new --no-edit "$(printf 'caf\xe9')"
expect_eq "invalid UTF-8 title: exit 1" 1 "$RC"
expect_contains "invalid UTF-8 title: exit 1: says why" "adr: the title is not valid UTF-8 (byte 0xe9 at 4)" "$ERR"
expect_unchanged "invalid UTF-8 title: exit 1: nothing changed"
# propose checks the title before it makes a slug: the same words, the same place
snapshot_state
run_adr propose --no-edit "$(printf 'Bad \xff title')"
expect_eq "invalid UTF-8 proposal title: exit 1" 1 "$RC"
expect_eq "invalid UTF-8 proposal title: says where" "adr: the title is not valid UTF-8 (byte 0xff at 5)" "$ERR"
expect_unchanged "invalid UTF-8 proposal title: nothing changed"
head -c 300000 /dev/zero | tr '\0' 'a' >"$TMP/big-body.md"
snapshot_state
run_adr new --no-edit --body-file "$TMP/big-body.md" Too big a body
expect_eq "oversized --body-file: exit 1" 1 "$RC"
expect_unchanged "oversized --body-file: exit 1: nothing changed"
expect_contains "oversized --body-file: says the limit" "larger than" "$ERR"
snapshot_state
run_adr new --no-edit --body-file "$TMP/no-such-file.md" Missing body
expect_eq "missing --body-file: exit 1" 1 "$RC"
expect_unchanged "missing --body-file: exit 1: nothing changed"
expect_contains "missing --body-file: names it" "no-such-file.md" "$ERR"
snapshot_state
run_adr new --no-edit --date 2026-02-30 Bad date
expect_eq "bad --date: usage" 2 "$RC"
expect_contains "bad --date: usage: says why" "adr: --date: '2026-02-30' is not a date (YYYY-MM-DD)" "$ERR"
expect_unchanged "bad --date: usage: nothing changed"
expect_eq "bad titles: no commit" "$BASE" "$(commit_count "$R")"
check "bad titles: status clean" status_clean "$R"
check "fsck" fsck_clean "$R"
expect_eq "only records in the records directory" "" "$(git ls-tree -r --name-only HEAD | grep -v -e '^docs/decisions/[0-9][0-9][0-9][0-9]-[a-z0-9-]*\.md$' -e '^\.adr\.yaml$' || true)"
finish
