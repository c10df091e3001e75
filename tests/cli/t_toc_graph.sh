#!/usr/bin/env bash
# adr toc and adr graph on adr-tools' own records (unconverted, in doc/adr)
# must print what adr-tools prints (tests/fixtures/adr-tools/, see its README),
# and the same after `adr import`.
source "$(dirname "$0")/lib.sh"
# in the sanitizer build, any ASan/UBSan report from adr fails the test
eval "lib_$(declare -f run_adr)"
run_adr() {
	lib_run_adr "$@"
	case "$ERR" in *Sanitizer* | *"runtime error"*) fail "sanitizer report from adr $*: $ERR" ;; esac
}

FIX=${ADR_FIXTURES:-$ADR_SOURCE_DIR/tests/fixtures}/adr-tools
R=$TMP/repo
new_repo "$R"
cd "$R"
mkdir -p doc/adr
cp "$ADR_SHARED"/data/corpora/npryce__adr-tools/*.md doc/adr/
git add -A && git commit -qm "adr-tools records"

run_adr toc
expect_eq "toc exit" 0 "$RC"
expect_eq "toc = adr generate toc" "$(cat "$FIX/toc.expected")" "$OUT"
run_adr graph
expect_eq "graph exit" 0 "$RC"
expect_eq "graph = adr generate graph" "$(cat "$FIX/graph.expected")" "$OUT"

# options: -i/-o files, -p prefix, -e extension
printf 'Intro text.\n' >"$TMP/intro.md"
printf 'Outro text.' >"$TMP/outro.md"
run_adr toc -i "$TMP/intro.md" -o "$TMP/outro.md" -p doc/adr/
expect_eq "toc with intro/outro/prefix" "# Architecture Decision Records

Intro text.

* [1. Record architecture decisions](doc/adr/0001-record-architecture-decisions.md)" "$(echo "$OUT" | head -5)"
expect_eq "toc outro last" "Outro text." "$(echo "$OUT" | tail -1)"
expect_eq "toc outro after a blank line" "" "$(echo "$OUT" | tail -2 | head -1)"
run_adr graph -p https://example.org/adr/ -e .pdf
expect_contains "graph prefix and extension" '_1 [label="1. Record architecture decisions"; URL="https://example.org/adr/0001-record-architecture-decisions.pdf"];' "$OUT"
run_adr toc -i "$TMP/missing.md"
expect_eq "toc: missing intro fails" 1 "$RC"
expect_contains "toc: missing intro says which" "missing.md" "$ERR"
run_adr graph extra
expect_eq "graph: extra argument is usage" 2 "$RC"

# converted: the same output
run_adr import
expect_eq "import exit" 0 "$RC"
run_adr toc
expect_eq "toc after import" "$(cat "$FIX/toc.expected")" "$OUT"
run_adr graph
expect_eq "graph after import" "$(cat "$FIX/graph.expected")" "$OUT"

# a supersede relation written by adr itself, and a title with a quote
run_adr new --no-edit 'Use "quoted" titles'
run_adr supersede 8 10
expect_eq "supersede exit" 0 "$RC"
run_adr graph
expect_contains "graph: escaped quote" '_10 [label="10. Use \"quoted\" titles"' "$OUT"
expect_contains "graph: supersedes edge" '_10 -> _8 [label="Supersedes", weight=0]' "$OUT"
expect_not_contains "graph: no reverse edge" '_8 -> _10 [label' "$OUT"

finish
