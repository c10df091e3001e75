#!/usr/bin/env bash
# Terminal safety. F08: control characters and escape sequences in titles,
# bodies, front matter values and commit subjects never reach the terminal
# raw: every command's text output escapes them (ESC as \x1b, C1 and bidi
# controls and U+2028 as \u...), JSON escapes them as \u001b..., and
# `adr check` reports them with file:line:col. F22: titles with bidi
# controls or line separators are refused by new, propose and meeting,
# naming the character and its position. F23: a line break in a record's
# file name is escaped on output and reported by check; `[`, `]` and `\` in
# titles and odd file names keep `adr toc` links whole.
source "$(dirname "$0")/lib.sh"
sanitizer_reports_fail

R=$TMP/repo
new_repo "$R"
cd "$R"
D=docs/decisions
export ADR_NOW=2026-11-21

ESC=$'\033'
BEL=$'\007'
RLO=$(printf '\xe2\x80\xae')   # U+202E RIGHT-TO-LEFT OVERRIDE
LSEP=$(printf '\xe2\x80\xa8')  # U+2028 LINE SEPARATOR
CSI=$(printf '\xc2\x9b')       # U+009B, a one-character CSI

# no_raw WHAT TEXT: no byte sequence a terminal acts on is in TEXT
no_raw() {
	if printf '%s' "$2" | LC_ALL=C grep -q "[$ESC$BEL]\|$RLO\|$LSEP\|$CSI\|"$'\r'; then
		fail "$1: raw control characters in [$(printf '%s' "$2" | od -c | head -5)]"
	else
		pass
	fi
}

must_adr init
mkdir -p src
echo code >src/a.c
# a record written by hand: ESC/BEL/RLO in the title, ESC, C1, U+2028 and a
# lone CR in the body, an escaped ESC in a front matter value
printf -- '---\nstatus: accepted\ndate: 2024-01-01\ntags: ["t\\e[5m"]\naffects: [src/**]\n---\n# Evil %s]0;PWNED%s%s[31mRED %sgnp.exe\n\nBody %s[2J cleared %s31m and %s sep\nover\rwrite\n' \
	"$ESC" "$BEL" "$ESC" "$RLO" "$ESC" "$CSI" "$LSEP" >$D/0002-esc.md
git add -A
git commit -qm "add esc"
echo more >>src/a.c
git add -A
git commit -qm "$(printf 'Subject \033[41mRED\n\nRefs: ADR-0002')"
run_adr propose --no-edit "Use Kafka"
expect_eq "propose" 0 "$RC"
run_adr comment use-kafka -m "comment ${ESC}[2J wipe"
expect_eq "comment with ESC is accepted" 0 "$RC"
run_adr index
expect_eq "index" 0 "$RC"

# F08: every command that prints record or commit text
for cmd in "list" "list --status accepted" "show 2" "why src/a.c" "toc" "graph" "stats" "queue" \
	"thread use-kafka" "show use-kafka --thread" "diff HEAD~2..HEAD" "search cleared" "search Evil" "check" \
	"list --json" "show 2 --json" "why src/a.c --json" "thread use-kafka --json" "diff --json HEAD~2..HEAD" \
	"search --json cleared" "check --json"; do
	# shellcheck disable=SC2086
	run_adr $cmd
	no_raw "adr $cmd: stdout" "$OUT"
	no_raw "adr $cmd: stderr" "$ERR"
done

# the text is shown, escaped, not dropped
run_adr list
expect_eq "list exit" 0 "$RC"
expect_contains "list escapes the title" '0002  accepted    2024-01-01  Evil \x1b]0;PWNED\x07\x1b[31mRED \u202egnp.exe' "$OUT"
run_adr show 2
expect_eq "show exit" 0 "$RC"
expect_contains "show: title line" '0002  Evil \x1b]0;PWNED\x07\x1b[31mRED \u202egnp.exe' "$OUT"
expect_contains "show: body" 'Body \x1b[2J cleared \u009b31m and \u2028 sep' "$OUT"
expect_contains "show: lone CR" 'over\rwrite' "$OUT"
expect_contains "show: front matter value" 'tags:            t\x1b[5m' "$OUT"
expect_contains "show: commit subject" 'Subject \x1b[41mRED' "$OUT"
run_adr why src/a.c
expect_contains "why: commit subject" 'commit  ' "$OUT"
expect_contains "why: commit subject escaped" 'Subject \x1b[41mRED' "$OUT"
run_adr thread use-kafka
expect_contains "thread: comment escaped" 'comment \x1b[2J wipe' "$OUT"
run_adr diff HEAD~2..HEAD
expect_contains "diff: title escaped" 'Evil \x1b]0;PWNED' "$OUT"
run_adr search Evil
expect_contains "search: title escaped" 'Evil \x1b]0;PWNED' "$OUT"

# JSON: escaped per JSON, and the exact text comes back when parsed
run_adr list --json
expect_contains "json: ESC as \\u001b" 'Evil \u001b]0;PWNED\u0007\u001b[31mRED \u202egnp.exe' "$OUT"
got=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print([r for r in json.load(sys.stdin) if r["number"] == 2][0]["title"].encode("unicode_escape").decode())')
expect_eq "json: title round-trips" '\x1b]0;PWNED\x07\x1b[31mRED \u202egnp.exe' "${got#Evil }"
run_adr show 2 --json
expect_contains "json: body" 'Body \u001b[2J cleared \u009b31m and \u2028 sep' "$OUT"

# F08: adr check reports them with file:line:col
run_adr check # read-only
expect_eq "check: findings exit 1" 1 "$RC"
expect_contains "check: title (body line 7)" "$D/0002-esc.md:7:8: control character U+001B (ESCAPE), which a terminal acts on instead of showing [control-character]" "$OUT"
expect_contains "check: body line 9" "$D/0002-esc.md:9:6: control character U+001B (ESCAPE)" "$OUT"
expect_contains "check: lone CR, line 10" "$D/0002-esc.md:10:5: control character U+000D (CARRIAGE RETURN)" "$OUT"
expect_contains "check: front matter value" "$D/0002-esc.md:4:7: tags: control character U+001B (ESCAPE)" "$OUT"
expect_eq "check: 4 findings" "adr: 4 findings" "$(grep -v ': warning: ' <<<"$ERR" || true)"
run_adr check --json # read-only
expect_eq "check --json: exit 1" 1 "$RC"
expect_json "check --json: positions" '",".join("%d:%d:%s" % (x["line"], x["col"], x["code"]) for x in d)' \
	'"4:7:control-character,7:8:control-character,9:6:control-character,10:5:control-character"'

# F08: the repro's record (bidi in a front matter title, in a second record)
printf -- '---\nstatus: accepted\ndate: 2024-01-01\ntitle: Quiet %sgnp.exe\n---\nNo heading.\n' "$RLO" >$D/0003-fm.md
git add -A
git commit -qm "fm title"
run_adr check
expect_contains "check: bidi in a front matter title" "$D/0003-fm.md:4:14: title: bidi control U+202E (RIGHT-TO-LEFT OVERRIDE)" "$OUT"
run_adr list
no_raw "list with a front matter title" "$OUT"
expect_contains "list: front matter title escaped" '0003  accepted    2024-01-01  Quiet \u202egnp.exe' "$OUT"
git rm -q $D/0003-fm.md
git commit -qm "drop fm"

# F22: new, propose and meeting refuse bidi controls and line separators in titles
before=$(commit_count "$R")
branches=$(git branch --list | wc -l)
snapshot_state
run_adr new --no-edit "Bidi ${RLO} evil"
expect_eq "new: bidi refused" 1 "$RC"
expect_unchanged "new: bidi refused: nothing changed"
expect_eq "new: message names it and its position" "adr: the title has a bidi control (U+202E RIGHT-TO-LEFT OVERRIDE) at character 6" "$ERR"
snapshot_state
run_adr new --no-edit "Isolate $(printf '\xe2\x81\xa6')x"
expect_eq "new: isolate refused" 1 "$RC"
expect_unchanged "new: isolate refused: nothing changed"
expect_eq "new: isolate message" "adr: the title has a bidi control (U+2066 LEFT-TO-RIGHT ISOLATE) at character 9" "$ERR"
snapshot_state
run_adr new --no-edit "Line${LSEP}sep"
expect_eq "new: U+2028 refused" 1 "$RC"
expect_unchanged "new: U+2028 refused: nothing changed"
expect_eq "new: U+2028 message" "adr: the title has a line separator (U+2028 LINE SEPARATOR) at character 5" "$ERR"
snapshot_state
run_adr new --no-edit "Esc ${ESC}[31m"
expect_eq "new: ESC refused (as before)" 1 "$RC"
expect_unchanged "new: ESC refused (as before): nothing changed"
expect_eq "new: ESC message" "adr: the title has a control character (U+001B ESCAPE) at character 5" "$ERR"
snapshot_state
run_adr propose --no-edit "Para $(printf '\xe2\x80\xa9') x"
expect_eq "propose: U+2029 refused" 1 "$RC"
expect_unchanged "propose: U+2029 refused: nothing changed"
expect_eq "propose: message" "adr: the title has a line separator (U+2029 PARAGRAPH SEPARATOR) at character 6" "$ERR"
printf '# Meeting\nAttendees: Ana Lima\n\n## Decision: Use %spg\nDecision: d\nRationale: r\n' "$RLO" >"$TMP/minutes.md"
run_adr meeting --from "$TMP/minutes.md"
expect_eq "meeting: bidi refused" 1 "$RC"
# (the position counts from the space after "Decision:", which the title keeps at this point)
expect_contains "meeting: file:line:col and the character" "minutes.md:4:4: the title has a bidi control (U+202E RIGHT-TO-LEFT OVERRIDE) at character 6" "$ERR"
expect_eq "F22: nothing committed" "$before" "$(commit_count "$R")"
expect_eq "F22: no proposal branch" "$branches" "$(git branch --list | wc -l)"
check "F22: work tree clean" status_clean "$R"
check "F22: no record file" test -z "$(ls $D | grep -v -e '^0001-' -e '^0002-esc.md$')"

# F23: a line break in a record's file name
NL_NAME="$D/0004-a"$'\n'"b.md"
printf -- '---\nstatus: accepted\ndate: 2024-01-01\n---\n# Use [brackets] or ] and \\ here\n\nBody.\n' >"$NL_NAME"
git add -A
git commit -qm "newline in a name"
run_adr show 4
expect_eq "F23: show exit" 0 "$RC"
expect_contains "F23: show escapes the path" 'path:            docs/decisions/0004-a\nb.md' "$OUT"
expect_eq "F23: show path is one line" 1 "$(printf '%s\n' "$OUT" | grep -c '^path:')"
expect_not_contains "F23: no broken line" $'\nb.md' "$OUT"
run_adr list
expect_eq "F23: list exit" 0 "$RC"
expect_contains "F23: list shows it" '0004  accepted    2024-01-01  Use [brackets] or ] and \ here' "$OUT"
run_adr check # read-only
expect_eq "F23: check exit 1" 1 "$RC"
expect_contains "F23: check names the file on one line" 'docs/decisions/0004-a\nb.md:1:1: the file name has a control character U+000A (LINE FEED) at character 22; rename the file [control-character]' "$OUT"
run_adr list --json
got=$(printf '%s' "$OUT" | python3 -c 'import json,sys; print(repr([r for r in json.load(sys.stdin) if r["number"] == 4][0]["path"]))')
expect_eq "F23: JSON path" "'docs/decisions/0004-a\\nb.md'" "$got"
# F23: toc links stay whole: ] [ \ escaped in the text, the line break encoded in the target
run_adr toc
expect_eq "F23: toc exit" 0 "$RC"
expect_contains "F23: toc link" '* [4. Use \[brackets\] or \] and \\ here](0004-a%0Ab.md)' "$OUT"
expect_eq "F23: toc has one item per record" 3 "$(printf '%s\n' "$OUT" | grep -c '^\* \[')"
expect_eq "F23: every toc line is an item or blank or the heading" "" \
	"$(printf '%s\n' "$OUT" | grep -v -e '^\* \[.*](.*)$' -e '^$' -e '^# Architecture Decision Records$')"

# F08: the filter sees the output in pieces (8 KiB when piped); a character
# cut in two by a piece, or a CRLF, is still escaped (or kept) whole
python3 -c 'import sys; sys.stdout.buffer.write(b"---\nstatus: accepted\ndate: 2024-01-01\n---\n# Many\n\n" + b"x\xe2\x80\xae\r\n" * 5000)' >$D/0005-many.md
git add -A
git commit -qm "many"
"$ADR" show 5 >"$TMP/many.out"
expect_eq "pieces: every U+202E escaped" 5000 "$(grep -c 'x\\u202e' "$TMP/many.out")"
expect_eq "pieces: no raw U+202E" 0 "$(LC_ALL=C grep -c "$RLO" "$TMP/many.out" || true)"
expect_eq "pieces: CRLF kept" 5000 "$(LC_ALL=C grep -c $'\r$' "$TMP/many.out")"
expect_eq "pieces: no CR escaped" 0 "$(grep -c '\\r' "$TMP/many.out" || true)"

check "fsck clean" fsck_clean "$R"
check "status clean" status_clean "$R"

finish
