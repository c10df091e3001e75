#!/usr/bin/env bash
# Every corpus of real decision logs in ../shared/data/corpora imports with
# every record present, with the status and date its authors wrote (issue
# 17, done-when 2), and a second import changes nothing. The expected
# counts below were made by reading the files (SOURCES.md says what each
# corpus holds); skipped, and said, when ../shared is absent.
source "$(dirname "$0")/lib.sh"

export ADR_NOW=2026-11-21T10:00:00Z
CORPORA=$ADR_SHARED/data/corpora

# alphagov__govuk-aws: 0003's `## Status` is "Partly superseded". That is
# none of the five statuses: a record partly superseded is partly still in
# force, so it is kept as its authors wrote it (the unknown word, which
# `check` and `list` show), never guessed into "superseded" (test_legacy's
# corpus test says the same).

declare -A FILES STATUSES DATED
# adr-tools' own log: nine records, all "Accepted", each with a Date: line.
FILES[npryce__adr-tools]=9
STATUSES[npryce__adr-tools]='{"accepted":9}'
DATED[npryce__adr-tools]=9
# govuk-aws: `## Status` says Accepted (28), Approved (1), Pending (6),
# Proposed (1), Partly superseded (1), Superseded by [...] (1).
FILES[alphagov__govuk-aws]=38
STATUSES[alphagov__govuk-aws]='{"Partly superseded":1,"accepted":29,"proposed":7,"superseded":1}'
DATED[alphagov__govuk-aws]=38
# phodal: the last line of each dated `## 状态` log: 完成 (done, 11) and
# 通过 (passed, 3) are accepted, 提议 proposed (9), 已弃用 deprecated (1).
FILES[phodal__adr]=24
STATUSES[phodal__adr]='{"accepted":14,"deprecated":1,"proposed":9}'
DATED[phodal__adr]=24
# MADR's own: no status but 0003's front matter `status: on hold` (a word
# adr does not know, kept as written); no dates.
FILES[adr__madr]=19
STATUSES[adr__madr]='{"none":18,"on hold":1}'
DATED[adr__madr]=0
# island-is: `* Status:` / `- Status:` accepted (11) and proposed (1), all dated.
FILES[island-is__handbook]=12
STATUSES[island-is__handbook]='{"accepted":11,"proposed":1}'
DATED[island-is__handbook]=12
# log4brains: `- Status: accepted` (16) and `superseded by [...]` (1), all dated.
FILES[thomvaill__log4brains]=17
STATUSES[thomvaill__log4brains]='{"accepted":16,"superseded":1}'
DATED[thomvaill__log4brains]=17
# backstage: only adr002 states one, in a table (| 2020-05-17 | Open |: an
# open proposal, with its date); the title of adr002 is unquoted with ": ".
FILES[backstage__backstage]=4
STATUSES[backstage__backstage]='{"none":3,"proposed":1}'
DATED[backstage__backstage]=1

# dates_written DIR: the date each record file states, as its author wrote
# it (front matter or a "Date:" line, a list item, 日期, a table row),
# normalised to YYYY-MM-DD, sorted; a simple reader of its own.
dates_written() {
	python3 - "$1" <<'PY'
import os, re, sys
out = []
for root, _, files in os.walk(sys.argv[1]):
    for f in files:
        if not f.endswith(".md"):
            continue
        t = open(os.path.join(root, f), encoding="utf-8").read()
        t = re.sub(r"^```.*?^```", "", t, flags=re.M | re.S)  # examples in code blocks are not the record's
        m = re.search(r"^(?:[*-]\s*)?(?:date|Date|日期)\s*[:：]\s*(\S+)", t, re.M) or \
            re.search(r"^\|\s*(\d{4}-\d\d-\d\d)\s*\|", t, re.M)
        if not m:
            continue
        d = m.group(1).replace("/", "-")
        e = re.match(r"(\d\d)\.(\d\d)\.(\d{4})$", d)
        out.append(f"{e.group(3)}-{e.group(2)}-{e.group(1)}" if e else d)
print(" ".join(sorted(out)))
PY
}

if have_shared data/corpora "import of every corpus with its statuses and dates"; then
	for corpus in npryce__adr-tools alphagov__govuk-aws phodal__adr adr__madr island-is__handbook thomvaill__log4brains backstage__backstage; do
		src=$CORPORA/$corpus
		expect_eq "$corpus: the record files in the corpus" "${FILES[$corpus]}" "$(find "$src" -name '*.md' | wc -l)"
		new_repo "$TMP/$corpus"
		cd "$TMP/$corpus"
		run_adr import --from "$src"
		expect_eq "$corpus: import" 0 "$RC"
		expect_eq "$corpus: import, one commit" 1 "$(commit_count .)"
		run_adr list --json
		expect_eq "$corpus: list" 0 "$RC"
		expect_json "$corpus: every record is there" 'len(d)' "${FILES[$corpus]}"
		expect_json "$corpus: none unreadable" '[r["path"] for r in d if r.get("error")]' '[]'
		expect_json "$corpus: statuses as written" \
			'{s: sum(1 for r in d if (r["status"] or "none") == s) for s in sorted(set(r["status"] or "none" for r in d))}' \
			"${STATUSES[$corpus]}"
		expect_json "$corpus: records with a date" 'sum(1 for r in d if r.get("date"))' "${DATED[$corpus]}"
		expect_json "$corpus: the dates as written" '" ".join(sorted(r["date"] for r in d if r.get("date")))' \
			"\"$(dates_written "$src")\""
		# a second import, now from the records directory, changes nothing
		TIP=$(git rev-parse HEAD)
		run_adr import
		expect_eq "$corpus: import again" 0 "$RC"
		expect_eq "$corpus: import again, no new commit" "$TIP" "$(git rev-parse HEAD)"
		check "$corpus: import again, status clean" status_clean .
	done
fi

finish
