#!/usr/bin/env bash
# adr html renders record bodies as GitHub Flavored Markdown (tables, task
# lists, strikethrough, footnotes, autolinks), keeps the page's title its
# only <h1>, gives long records a table of contents, and renders a body
# whose table or autolinks would take too long (cmark-gfm 0.29.0.gfm.6)
# without them, with a warning, the rest of it intact.
source "$(dirname "$0")/lib.sh"
export ADR_NOW=2026-11-21T10:00:00Z

R=$TMP/repo
S=$TMP/site
new_repo "$R"
cd "$R"
D=docs/decisions
mkdir -p $D
cat >$D/0001-choose-a-broker.md <<'MD'
---
status: accepted
date: 2026-11-12
---
# Choose a broker

## Context

Replay matters[^1].

## Pros and cons of the options

| Option | Replay |
|:--|:-:|
| Kafka | yes |
| RabbitMQ | ~~no~~ |

## Decision

- [x] measured
- [ ] migrate

Notes at www.example.com.

# Stray top heading

[^1]: Auditors.
MD
# A header of 300 columns, then rows: too wide to render as a table.
{
	printf -- '---\nstatus: accepted\ndate: 2026-11-13\n---\n# Wide table\n\n'
	for i in $(seq 300); do printf '|a'; done
	printf '|\n'
	for i in $(seq 300); do printf '|-'; done
	printf '|\n'
	for i in $(seq 50); do printf '|x\n'; done
	printf '\nStill *rendered*.\n'
} >$D/0002-wide-table.md
git add -A
git -c user.name=Ana -c user.email=ana@example.com commit -qm records

run_adr html -o "$S"
expect_eq "the site builds" 0 "$RC"
P1=$(cat "$S"/0001-*.html)
P2=$(cat "$S"/0002-*.html)
expect_contains "a table renders" '<th align="left">Option</th>' "$P1"
expect_contains "the table scrolls in its own box" '<div class="md-table" tabindex="0"><table>' "$P1"
expect_contains "strikethrough renders" '<del>no</del>' "$P1"
expect_contains "a task list renders" '<input type="checkbox" aria-label="done" checked="" disabled="" /> measured' "$P1"
expect_contains "an autolink renders" '<a href="http://www.example.com">www.example.com</a>' "$P1"
expect_contains "a footnote renders" 'href="#fn-1"' "$P1"
expect_eq "the page's title is its only <h1>" 1 "$(grep -c '<h1' <<<"$P1")"
expect_contains "the stray top heading is an <h2>" 'id="h-stray-top-heading"></span>Stray top heading</h2>' "$P1"
expect_contains "the sections move one level down" 'id="h-context"></span>Context</h3>' "$P1"
expect_contains "a record of three sections has a table of contents" '<nav class="toc"' "$P1"
expect_contains "its contents link to the sections" '<a href="#h-pros-and-cons-of-the-options">Pros and cons of the options</a>' "$P1"
expect_not_contains "the short record has no table of contents" '<nav class="toc"' "$P2"
expect_not_contains "the too-wide table is no table" '<table>' "$P2"
expect_contains "the rest of its body renders" '<em>rendered</em>' "$P2"
expect_contains "the too-wide table is reported" "$D/0002-wide-table.md: tables or autolinks too large to render safely; left as text" "$ERR"
expect_not_contains "the record with a normal table is not reported" "0001-choose-a-broker.md: tables" "$ERR"

finish
