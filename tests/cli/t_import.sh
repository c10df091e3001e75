#!/usr/bin/env bash
# adr import on a copy of every log in each format, the project's own
# (tests/fixtures/formats) and, when ../shared is there, the external
# corpora: one commit, fsck and status clean, `adr check` accepts the result
# or reports exactly the source's own problems (listed below), every section
# heading kept, every link between records resolving. Also: reading an
# unconverted log, writes refused on it, --dry-run, --json, and the error
# paths.
source "$(dirname "$0")/lib.sh"
sanitizer_reports_fail

CORPORA=$ADR_SHARED/data/corpora
D=docs/decisions

# import_log NAME SOURCE-DIR FINDINGS: imports SOURCE-DIR into a new
# repository $TMP/NAME and checks the result; FINDINGS is what `adr check`
# must say after it.
import_log() {
	local name=$1 src=$2 findings=$3
	R=$TMP/$name
	new_repo "$R"
	cd "$R"
	git commit -q --allow-empty -m "start"
	N=$(find "$src" -name '*.md' ! -name README.md | wc -l)
	run_adr import --from "$src"
	expect_eq "$name: import exit ($ERR)" 0 "$RC"
	expect_eq "$name: one commit" 2 "$(commit_count "$R")"
	check "$name: fsck --strict" fsck_clean "$R"
	check "$name: git status clean" status_clean "$R"
	expect_eq "$name: every record written" "$N" "$(git ls-files "$D" | wc -l)"
	expect_contains "$name: .adr.yaml written" "dir: $D" "$(cat .adr.yaml)"
	expect_eq "$name: commit trailer" "Adr-Action: import" "$(git log -1 --format='%(trailers:only,unfold)' | sed '/^$/d')"
	run_adr check
	expect_eq "$name: check findings" "$findings" "$OUT"
	if [ -z "$findings" ]; then expect_eq "$name: check passes" 0 "$RC"; else expect_eq "$name: check fails" 1 "$RC"; fi
	# every section heading of every source is still there (but the status section, now front matter)
	missing=0
	while IFS= read -r line; do
		src_file=${line%% -> *}
		dst=${line##* -> }
		dst=${dst% (copied unchanged)}
		while IFS= read -r h; do
			tr -d '\r' <"$dst" | grep -Fx -- "$h" >/dev/null || { missing=$((missing + 1)); echo "missing in $dst: $h" >&2; }
		done < <(tr -d '\r' <"$src_file" | grep -E '^#{2,} ' | grep -viE '^#+ (status|状态)$')
	done < <("$ADR" import --from "$src" --dry-run 2>/dev/null | grep ' -> ' | sed "s|^\(.*\) -> $D/|\1 -> $R/$D/|")
	expect_eq "$name: every heading kept" 0 "$missing"
	# every relative link to a record file resolves (links to other documents are the source's business)
	dangling=0
	for f in "$D"/*.md; do
		while IFS= read -r t; do
			[ -e "$D/$t" ] || { dangling=$((dangling + 1)); echo "dangling in $f: $t" >&2; }
		done < <(grep -o '](\(\./\)\?[^):/#]*\.md' "$f" | sed 's/^](\(\.\/\)\{0,1\}//' | grep -E '^[0-9]{4}-' || true)
	done
	expect_eq "$name: every link resolves" 0 "$dangling"
}

# --- the project's own logs, one per format --------------------------------
# The findings are problems written into the fixtures on purpose.
declare -A OWN
OWN[adr-tools]=""
# 0003 says "Superseded by [Name services, not hosts](0004-...)", 0004 does not say it supersedes 0003.
OWN[nygard-variants]="$D/0003-name-hosts-by-role.md:4:1: superseded by 0004, but $D/0004-name-services-not-hosts.md does not say supersedes 0003 [one-sided-supersede]"
OWN[madr2]=""
OWN[madr3]="$D/0002-publish-the-records-as-a-site.md:4:9: key 'status': 'on hold' is not one of proposed, accepted, rejected, deprecated, superseded [schema]"
OWN[madr4]=""
OWN[log4brains]=""
OWN[chinese]=""
# no status anywhere but adr002, whose front matter YAML refuses (an unquoted
# "title: ADR002: ..."): import mends it (t_unreadable.sh)
OWN[backstage-style]="$D/0001-keep-a-decision-log.md:1:1: no status [schema]"
for fmt in adr-tools nygard-variants madr2 madr3 madr4 log4brains chinese backstage-style; do
	import_log "own-$fmt" "$FORMATS/$fmt" "${OWN[$fmt]}"
done

# Spot checks of converted records.
cd "$TMP/own-adr-tools"
F=$(cat $D/0002-keep-the-cache-in-sqlite.md)
expect_eq "adr-tools 0002 front matter" "---
status: accepted
date: 2019-03-11
links: [amended-by 4]
---
# 2. Keep the cache in SQLite

## Context" "$(echo "$F" | head -8)"
expect_contains "adr-tools: Superceded by mapped" "superseded-by: [5]" "$(cat $D/0003-write-the-importer-in-perl.md)"
expect_contains "adr-tools: Supercedes mapped" "supersedes: [3]" "$(cat $D/0005-write-the-importer-in-c.md)"
cd "$TMP/own-log4brains"
expect_contains "log4brains: links rewritten to the new names" "- Relates to [20210104-keep-records-next-to-the-code](0001-keep-records-next-to-the-code.md)" "$(cat $D/0003-name-records-by-slug.md)"
expect_contains "log4brains: superseded-by mapped" "superseded-by: [3]" "$(cat $D/0002-number-records-by-date.md)"
expect_contains "log4brains: supersedes from the Links section" "supersedes: [2]" "$(cat $D/0003-name-records-by-slug.md)"
expect_contains "log4brains: tags" "tags: [process, docs]" "$(cat $D/0001-keep-records-next-to-the-code.md)"
cd "$TMP/own-chinese"
expect_contains "chinese: CJK file name kept" "0001-记录架构决策.md" "$(git ls-files -z $D | tr '\0' '\n')"
expect_contains "chinese: slashed date" "date: 2018-03-05" "$(cat $D/0001-*.md)"
expect_contains "chinese: last status log entry wins" "status: deprecated" "$(cat $D/0002-*.md)"
cd "$TMP/own-madr2"
F=$(cat $D/0001-pick-a-licence-for-the-handbook.md)
expect_contains "madr2: CRLF kept" $'status: proposed\r' "$F"
expect_contains "madr2: DD.MM.YYYY date" $'date: 2020-06-07\r' "$F"
expect_contains "madr2: deciders" $'decision-makers: [Ana Lima, Ben Okafor, Chris Dunn]\r' "$F"
cd "$TMP/own-backstage-style"
expect_contains "backstage-style: broken front matter mended" "title: 'ADR002: Catalog file name'" "$(cat $D/0002-catalog-file-name.md)"
expect_contains "backstage-style: title from front matter becomes the H1" "# ADR001: Keep a decision log" "$(cat $D/0001-keep-a-decision-log.md)"

# --- the external corpora (../shared), replayed when present ---------------
# The findings `adr check` must give after importing each corpus: real
# problems of the source, each checked against the file by hand.
if have_shared data/corpora "import of the external corpora"; then
	declare -A FINDINGS
	FINDINGS[npryce__adr-tools]=""
	FINDINGS[phodal__adr]=""
	FINDINGS[island-is__handbook]=""
	FINDINGS[thomvaill__log4brains]=""
	# 0004 says "Superseded by [DNS Infrastructure](0015-...)", 0015 does not say it supersedes 0004.
	FINDINGS[alphagov__govuk-aws]="$D/0004-dns-definitions-for-hosts-and-services.md:4:1: superseded by 0015, but $D/0015-dns-infrastructure.md does not say supersedes 0004 [one-sided-supersede]"
	# MADR's own records carry no status (one says `on hold`, which is none of ours).
	FINDINGS[adr__madr]=$(
		for f in "$CORPORA"/adr__madr/0*.md; do
			b=$(basename "$f")
			if [ "$b" = 0003-provide-own-madr-tools.md ]; then
				echo "$D/$b:4:9: key 'status': 'on hold' is not one of proposed, accepted, rejected, deprecated, superseded [schema]"
			else
				echo "$D/$b:1:1: no status [schema]"
			fi
		done)
	# backstage: no status anywhere but adr002, whose front matter import mends.
	FINDINGS[backstage__backstage]="$D/0001-add-adr-log.md:1:1: no status [schema]
$D/0003-avoid-default-exports.md:1:1: no status [schema]
$D/0015-jsx-loader-structure.md:1:1: no status [schema]"

	for corpus in npryce__adr-tools alphagov__govuk-aws phodal__adr adr__madr island-is__handbook thomvaill__log4brains backstage__backstage; do
		import_log "$corpus" "$CORPORA/$corpus" "${FINDINGS[$corpus]}"
	done

	# Spot checks of converted records.
	cd "$TMP/npryce__adr-tools"
	F=$(cat $D/0005-help-comments.md)
	expect_eq "adr-tools 0005 front matter" "---
status: accepted
date: 2016-02-13
links: [amended-by 9]
---
# 5. Help comments

## Context" "$(echo "$F" | head -8)"
	cd "$TMP/thomvaill__log4brains"
	expect_contains "log4brains: monorepo link rewritten" "](0002-multi-packages-architecture-in-a-monorepo-with-yarn-and-lerna.md)" "$(cat $D/0010-use-explicit-architecture-and-ddd-for-the-core-api.md)"
	expect_contains "log4brains: superseded-by mapped" "superseded-by: [13]" "$(cat $D/0006-use-the-adr-number-as-its-unique-id.md)"
	expect_contains "log4brains: supersedes from the Links section" "supersedes: [6]" "$(cat $D/0013-use-the-adr-slug-as-its-unique-id.md)"
	cd "$TMP/phodal__adr"
	expect_contains "phodal: CJK file name kept" "0001-编写完整的单元测试.md" "$(git ls-files -z $D | tr '\0' '\n')"
	expect_contains "phodal: slashed date" "date: 2017-11-22" "$(cat $D/0001-*.md)"
	cd "$TMP/island-is__handbook"
	F=$(cat $D/0011-open-source-license.md)
	expect_contains "island: CRLF kept" $'status: proposed\r' "$F"
	expect_contains "island: deciders" "decision-makers: [" "$F"
	cd "$TMP/backstage__backstage"
	expect_contains "backstage: broken front matter mended" "title: 'ADR002: Default Software Catalog File Format'" "$(cat $D/0002-default-catalog-file-format.md)"
	expect_contains "backstage: title from front matter becomes the H1" "# ADR001: Architecture Decision Record (ADR) log" "$(cat $D/0001-add-adr-log.md)"
fi

# An unconverted adr-tools log in the repository: read directly, writes refused, import in place.
R=$TMP/inplace
new_repo "$R"
cd "$R"
mkdir -p doc/adr
cp "$FORMATS"/adr-tools/*.md doc/adr/
cp "$FORMATS"/nygard-variants/0003-name-hosts-by-role.md doc/adr/0010-hosts.md
git add -A && git commit -qm "legacy records"
run_adr list
expect_eq "list on unconverted log" 0 "$RC"
expect_contains "list shows the status from the body" "0005  accepted    2019-06-17  Write the importer in C" "$OUT"
expect_contains "list shows superseded" "0010  superseded" "$OUT"
run_adr show 4
expect_contains "show on unconverted log" "Expire cache entries after a day" "$OUT"
run_adr status 5 deprecated
expect_eq "write on unconverted log refused" 1 "$RC"
expect_contains "refusal says what to do" "convert it first (run adr import)" "$ERR"
expect_eq "refusal writes nothing" 1 "$(commit_count "$R")"

run_adr import --dry-run
expect_eq "dry run exit" 0 "$RC"
expect_contains "dry run lists the plan" "doc/adr/0001-record-architecture-decisions.md -> doc/adr/0001-record-architecture-decisions.md" "$OUT"
expect_contains "dry run lists what it cannot map" "doc/adr/0010-hosts.md:7:1: 'superseded-by 0004-name-services-not-hosts.md' names no imported record; kept in the body" "$OUT"
expect_eq "dry run writes nothing" 1 "$(commit_count "$R")"
run_adr import --dry-run --json
expect_json "json plan: 0004 and its status" \
	'[f["status"] for f in d["records"] if f["target"] == "doc/adr/0004-expire-cache-entries-after-a-day.md"]' '["accepted"]'
expect_json "json dry run" 'd["dry_run"]' true
run_adr import
expect_eq "import in place" 0 "$RC"
expect_eq "import in place: one commit" 2 "$(commit_count "$R")"
check "import in place: fsck" fsck_clean "$R"
check "import in place: status clean" status_clean "$R"
expect_eq "import in place: renames none" "" "$(git show --format= --name-status HEAD | grep '^D' || true)"
F=$(cat doc/adr/0010-hosts.md)
expect_contains "unmappable link kept in the body" "Superseded by [Name services, not hosts](0004-name-services-not-hosts.md)" "$F"
expect_contains "its status still mapped" "status: superseded" "$F"
run_adr status 5 deprecated
expect_eq "write after import works" 0 "$RC"
run_adr import
expect_eq "import again: nothing to change" 0 "$RC"
expect_eq "import again: no commit" 3 "$(commit_count "$R")"

# No configuration: the usual docs/adr is found and converted in place.
R=$TMP/usual
new_repo "$R"
cd "$R"
snapshot_state
run_adr import
expect_eq "nothing anywhere: exit 1" 1 "$RC"
expect_unchanged "nothing anywhere: exit 1: nothing changed"
expect_contains "nothing anywhere: says where it looked" "docs/adr, doc/adr" "$ERR"
mkdir -p docs/adr
cp "$FORMATS"/chinese/*.md docs/adr/
git add -A && git commit -qm "chinese records"
run_adr import
expect_eq "docs/adr found" 0 "$RC"
expect_contains "docs/adr configured" "dir: docs/adr" "$(cat .adr.yaml)"
expect_eq "docs/adr: two records" 2 "$(git ls-files docs/adr | wc -l)"
run_adr list
expect_contains "list after import in docs/adr" "0002  deprecated  2018-03-12  使用命令行工具" "$OUT"

# Error paths.
snapshot_state
run_adr import --from "$TMP/nope"
expect_eq "missing --from" 1 "$RC"
expect_unchanged "missing --from: nothing changed"
expect_contains "missing --from says so" "is not a directory" "$ERR"
mkdir -p "$TMP/empty"
echo "# not a record" >"$TMP/empty/README.md"
snapshot_state
run_adr import --from "$TMP/empty"
expect_eq "no records" 1 "$RC"
expect_unchanged "no records: nothing changed"
expect_contains "no records says so" "no records found" "$ERR"
snapshot_state
run_adr import --from .
expect_eq "--from the top" 2 "$RC"
expect_contains "--from the top: says why" "adr: the directory to import from is the top of a repository; name its records directory" "$ERR"
expect_unchanged "--from the top: nothing changed"
snapshot_state
run_adr import extra
expect_eq "extra argument" 2 "$RC"
expect_contains "extra argument: says why" "adr: unexpected argument 'extra'" "$ERR"
expect_unchanged "extra argument: nothing changed"
# a symlink and a huge file are refused, never followed
mkdir -p "$TMP/odd"
cp "$FORMATS"/adr-tools/0001-*.md "$TMP/odd/"
ln -s /etc/passwd "$TMP/odd/0002-link.md"
R=$TMP/odd-repo
new_repo "$R"
cd "$R"
run_adr import --from "$TMP/odd" --dry-run
expect_eq "symlink skipped" 0 "$RC"
expect_not_contains "symlink not imported" "0002-link" "$OUT"
head -c 300000 /dev/zero | tr '\0' 'a' >"$TMP/odd/0003-huge.md"
snapshot_state
run_adr import --from "$TMP/odd"
expect_eq "huge file refused" 1 "$RC"
expect_unchanged "huge file refused: nothing changed"
expect_contains "huge file named" "0003-huge.md: larger than" "$ERR"
rm "$TMP/odd/0003-huge.md"
# a committed symlink among the records is refused, never read
R=$TMP/symlink-repo
new_repo "$R"
cd "$R"
mkdir -p doc/adr
cp "$FORMATS"/adr-tools/0001-*.md doc/adr/
ln -s /etc/passwd doc/adr/0002-link.md
git add -A && git commit -qm "with a symlink"
run_adr import
expect_eq "committed symlink: exit 1" 1 "$RC"
expect_contains "committed symlink named" "doc/adr/0002-link.md: not a regular file" "$ERR"
expect_eq "committed symlink: nothing written" 1 "$(commit_count "$R")"
cd "$TMP/odd-repo"
# importing over existing records is refused
run_adr import --from "$TMP/odd"
expect_eq "import into empty repo" 0 "$RC"
snapshot_state
run_adr import --from "$TMP/odd"
expect_eq "import over existing records refused" 1 "$RC"
expect_unchanged "import over existing records refused: nothing changed"
expect_contains "refusal names the file" "0001-record-architecture-decisions.md' already exists" "$ERR"

finish
