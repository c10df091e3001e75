#!/usr/bin/env bash
# adr toc and adr graph on an adr-tools log (unconverted, in doc/adr) must
# print what adr-tools prints, and the same after `adr import`: first on the
# project's own log (tests/fixtures/formats/adr-tools, expected output
# written by hand from adr-tools' documented formats), then on adr-tools'
# own records (tests/fixtures/adr-tools/, see its README), which live in
# ../shared and are skipped, named, when it is absent.
source "$(dirname "$0")/lib.sh"
sanitizer_reports_fail

# toc_graph_log NAME SOURCE-DIR TOC-EXPECTED GRAPH-EXPECTED: a repository
# with the log in doc/adr; toc and graph before and after import.
toc_graph_log() {
	local name=$1 src=$2 toc=$3 graph=$4
	R=$TMP/$name
	new_repo "$R"
	cd "$R"
	mkdir -p doc/adr
	cp "$src"/*.md doc/adr/
	git add -A && git commit -qm "adr-tools records"
	run_adr toc
	expect_eq "$name: toc exit" 0 "$RC"
	expect_eq "$name: toc = adr generate toc" "$(cat "$toc")" "$OUT"
	run_adr graph
	expect_eq "$name: graph exit" 0 "$RC"
	expect_eq "$name: graph = adr generate graph" "$(cat "$graph")" "$OUT"
	# converted: the same output
	run_adr import
	expect_eq "$name: import exit" 0 "$RC"
	run_adr toc
	expect_eq "$name: toc after import" "$(cat "$toc")" "$OUT"
	run_adr graph
	expect_eq "$name: graph after import" "$(cat "$graph")" "$OUT"
	check "$name: fsck clean" fsck_clean "$R"
	check "$name: git status clean" status_clean "$R"
}

toc_graph_log own "$FORMATS/adr-tools" "$FORMATS/adr-tools.toc.expected" "$FORMATS/adr-tools.graph.expected"
if have_shared data/corpora "toc and graph of adr-tools' own records"; then
	toc_graph_log corpus "$ADR_SHARED/data/corpora/npryce__adr-tools" "$ADR_FIXTURES/adr-tools/toc.expected" \
		"$ADR_FIXTURES/adr-tools/graph.expected"
fi

# options: -i/-o files, -p prefix, -e extension (on the imported own log)
cd "$TMP/own"
printf 'Intro text.\n' >"$TMP/intro.md"
printf 'Outro text.' >"$TMP/outro.md"
run_adr toc -i "$TMP/intro.md" -o "$TMP/outro.md" -p doc/adr/
expect_eq "toc with intro/outro/prefix: exit" 0 "$RC"
expect_eq "toc with intro/outro/prefix" "# Architecture Decision Records

Intro text.

* [1. Record architecture decisions](doc/adr/0001-record-architecture-decisions.md)" "$(echo "$OUT" | head -5)"
expect_eq "toc outro last" "Outro text." "$(echo "$OUT" | tail -1)"
expect_eq "toc outro after a blank line" "" "$(echo "$OUT" | tail -2 | head -1)"
run_adr graph -p https://example.org/adr/ -e .pdf
expect_contains "graph prefix and extension" '_1 [label="1. Record architecture decisions"; URL="https://example.org/adr/0001-record-architecture-decisions.pdf"];' "$OUT"
run_adr toc -i "$TMP/missing.md" # read-only
expect_eq "toc: missing intro fails" 1 "$RC"
expect_contains "toc: missing intro says which" "missing.md" "$ERR"
run_adr graph extra # read-only
expect_eq "graph: extra argument is usage" 2 "$RC"
expect_contains "graph: extra argument is usage: says why" "adr: unexpected argument 'extra'" "$ERR"

# a supersede relation written by adr itself, and a title with a quote
must_adr new --no-edit 'Use "quoted" titles'
run_adr supersede 4 6
expect_eq "supersede exit" 0 "$RC"
run_adr graph
expect_contains "graph: escaped quote" '_6 [label="6. Use \"quoted\" titles"' "$OUT"
expect_contains "graph: supersedes edge" '_6 -> _4 [label="Supersedes", weight=0]' "$OUT"
expect_not_contains "graph: no reverse edge" '_4 -> _6 [label' "$OUT"

finish
