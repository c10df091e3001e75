#!/usr/bin/env bash
# The man page adr.1 (issue 18): the build writes it with `adr __man` from
# the tables --help prints. It must be the page this adr writes now (not a
# stale one), render with no groff warnings, and name every command, usage
# line and option that --help shows, so the two cannot drift.
source "$(dirname "$0")/lib.sh"

command -v groff >/dev/null || { fail "groff is required (tests/install-deps.sh installs groff-base)"; finish; exit 1; }
PAGE=${ADR_MAN:-$(dirname "$ADR")/adr.1}
check "the build wrote the man page" test -s "$PAGE"

# 1. The built page is what this adr writes.
run_adr __man # read-only
expect_eq "__man: exit" 0 "$RC"
expect_eq "__man: nothing on stderr" "" "$ERR"
printf '%s\n' "$OUT" >"$TMP/fresh.1"
check "the built page is the current one" cmp -s "$PAGE" "$TMP/fresh.1"

# 2. groff renders it with every warning on, and says nothing.
set +e
groff -ww -z -man "$PAGE" 2>"$TMP/groff.err"
grc=$?
set -e
expect_eq "groff -ww -z: exit" 0 "$grc"
expect_eq "groff -ww -z: no warnings" "" "$(cat "$TMP/groff.err")"
if command -v man >/dev/null; then
	MANWIDTH=100 MAN_KEEP_FORMATTING= man -l "$PAGE" 2>"$TMP/man.err" | col -b >"$TMP/man.txt" || true
	expect_eq "man -l: no warnings" "" "$(cat "$TMP/man.err")"
	check "man -l: renders the page" grep -q "decision records that live in Git" "$TMP/man.txt"
fi

# The page as a reader sees it: plain text, no bold or underline.
groff -man -Tascii -P-c -P-b -P-u "$PAGE" 2>/dev/null >"$TMP/page.txt"
page=$(cat "$TMP/page.txt")

# options_of HELP: every option --help lists (-x and --name), one a line.
options_of() {
	grep -E '^    +-' <<<"$1" | sed -E 's/^ +//; s/ {2,}.*//' |
		grep -oE '(^|[ ,])--?[A-Za-z][-A-Za-z0-9]*' | sed -E 's/^[ ,]//' || true
}
# words TEXT: TEXT on one line, runs of blanks as one space.
words() {
	tr -s ' \n' '  ' <<<"$1" | sed -E 's/^ //; s/ $//'
}
# usage_of HELP: the usage lines.
usage_of() {
	sed -nE 's/^(usage|   or): (.*)$/\2/p' <<<"$1"
}

# 3. adr's own usage and options.
run_adr --help # read-only
expect_eq "--help: exit" 0 "$RC"
main_help=$OUT
while IFS= read -r line; do
	expect_contains "page: usage line '$line'" "$line" "$page"
done < <(usage_of "$main_help")
n=0
while IFS= read -r opt; do
	n=$((n + 1))
	expect_contains "page: global option $opt" "$opt" "$page"
done < <(options_of "$main_help")
check "--help lists global options (found $n)" test "$n" -ge 3

# 4. Every command: its section, summary, usage lines and options.
commands=$(sed -n '/^commands:/,/^$/p' <<<"$main_help" | sed -nE 's/^  ([a-z]+) +(.*)$/\1/p')
ncmd=$(wc -w <<<"$commands")
check "--help lists the commands (found $ncmd)" test "$ncmd" -ge 20
nopt=0
for c in $commands; do
	summary=$(sed -nE "s/^  $c +(.*)\$/\\1/p" <<<"$main_help")
	run_adr "$c" --help # read-only
	expect_eq "$c --help: exit" 0 "$RC"
	help=$OUT
	section=$(awk -v c="$c" '$0 == "   adr " c {on = 1; next} on && (/^   adr [a-z]+$/ || /^[A-Z]/) {exit} on' "$TMP/page.txt")
	check "page: a section 'adr $c'" test -n "$section"
	# The summary may be filled onto more than one line: compare words.
	expect_contains "page: summary of $c" "$(words "$summary")" "$(words "$section")"
	while IFS= read -r line; do
		expect_contains "page: usage of $c: '$line'" "$line" "$section"
	done < <(usage_of "$help")
	while IFS= read -r opt; do
		nopt=$((nopt + 1))
		# The option, as a word of its own, in this command's section.
		if grep -qE -- "(^|[^-A-Za-z0-9])$opt([^-A-Za-z0-9]|\$)" <<<"$section"; then pass; else
			fail "page: $c's option $opt is not in its section"
		fi
	done < <(options_of "$help")
done
check "the commands' options were compared (found $nopt)" test "$nopt" -ge 60

# 5. The comparison sees drift: an option --help would list that the page
#    does not name is found missing.
if grep -qE -- "(^|[^-A-Za-z0-9])--no-such-option([^-A-Za-z0-9]|\$)" <<<"$page"; then
	fail "drift check: a made-up option was found"
else
	pass
fi

finish
