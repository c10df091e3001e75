#!/usr/bin/env bash
# adr html's error paths that real inputs reach: output directories that
# cannot be named, opened or created next to, a hundred stale build
# directories in the way, and templates that are a directory, too large or
# nowhere. Each failure names the cause and leaves nothing behind:
# no site, no temporary build directory, no change to the repository.
source "$(dirname "$0")/lib.sh"

R=$TMP/repo
new_repo "$R"
cd "$R"
run_adr init
expect_eq "init" 0 "$RC"
run_adr new "Use PostgreSQL"
expect_eq "new" 0 "$RC"
HEAD0=$(git rev-parse HEAD)

# Nothing changed: no build directory left next to the output, the
# repository as it was.
unchanged() {
	local what=$1 dir=${2:-.}
	expect_eq "$what: no build directory left" "" "$(ls -A "$dir" | grep '^\.adr-html-' || true)"
	expect_eq "$what: branch" "$HEAD0" "$(git rev-parse HEAD)"
	expect_eq "$what: work tree" "" "$(git status --porcelain)"
}

# "gone/.." names a directory whose path cannot be resolved.
run_adr html -o gone/..
expect_eq "-o gone/..: exit" 1 "$RC"
expect_eq "-o gone/..: message" "adr: cannot open the output directory 'gone/..': No such file or directory" "$ERR"
check "-o gone/..: nothing created" test ! -e gone
unchanged "-o gone/.."

# A name longer than the file system allows.
LONG=$(printf 'n%.0s' $(seq 300))
run_adr html -o "$LONG"
expect_eq "long -o: exit" 1 "$RC"
expect_eq "long -o: message" "adr: cannot open the output directory '$LONG': File name too long" "$ERR"
expect_eq "long -o: nothing created" "" "$(git status --porcelain --ignored)"
unchanged "long -o"

# A parent where no directory can be made (procfs).
if [ -d /proc/self ]; then
	run_adr html -o /proc/adr-site
	expect_eq "-o /proc/x: exit" 1 "$RC"
	expect_contains "-o /proc/x: message" \
		"adr: cannot create a directory for the new site next to '/proc/adr-site': " "$ERR"
	check "-o /proc/x: nothing created" test ! -e /proc/adr-site
	unchanged "-o /proc/x"
else
	echo "SKIP: no /proc here"
	SKIPPED=$((SKIPPED + 1))
fi

# Every name adr would try for its build directory is taken (.adr-html-
# <fnv1a of the target's name>-<pid>-0..99): the pid is kept across exec.
PREFIX=$(python3 -c 'import sys
h = 1469598103934665603
for b in sys.argv[1].encode():
    h = ((h ^ b) * 1099511628211) & (2**64 - 1)
print(".adr-html-%016x-" % h)' site)
mkdir taken
set +e
ERR=$(cd taken && bash -c 'for n in $(seq 0 99); do mkdir "$1$$-$n" || exit 9; done
exec "$ADR" -C .. html -o "$PWD/site"' _ "$PREFIX" 2>&1 >/dev/null)
RC=$?
set -e
expect_eq "100 taken: exit" 1 "$RC"
expect_eq "100 taken: message" "adr: cannot create a directory for the new site next to '$R/taken/site'" "$ERR"
check "100 taken: no site" test ! -e taken/site
expect_eq "100 taken: only the 100 directories" 100 "$(ls -A taken | wc -l)"
rm -r taken

# A template that is a directory.
mkdir -p tpl-dir/style.css
run_adr html --templates tpl-dir -o site
expect_eq "template directory: exit" 1 "$RC"
expect_eq "template directory: message" "adr: 'tpl-dir/style.css' is not a regular file" "$ERR"
check "template directory: no site" test ! -e site
rm -r tpl-dir
unchanged "template directory"

# A template over the 1 MiB limit.
mkdir tpl-big
head -c 1048577 /dev/zero | tr '\0' 'a' >tpl-big/style.css
run_adr html --templates tpl-big -o site
expect_eq "big template: exit" 1 "$RC"
expect_eq "big template: message" "adr: 'tpl-big/style.css' is larger than 1048576 bytes" "$ERR"
check "big template: no site" test ! -e site
rm -r tpl-big
unchanged "big template"

# No templates anywhere: adr's own directory is empty.
mkdir "$TMP/no-templates"
set +e
ERR=$(ADR_TEMPLATES_DIR=$TMP/no-templates "$ADR" html -o site 2>&1 >/dev/null)
RC=$?
set -e
expect_eq "no templates: exit" 1 "$RC"
expect_eq "no templates: message" \
	"adr: html template 'record.mustache' not found (looked in .adr/templates/html and $TMP/no-templates/html)" "$ERR"
check "no templates: no site" test ! -e site
unchanged "no templates"
# ... nor in the --templates directory, which the message names first.
mkdir "$TMP/tpl-empty"
set +e
ERR=$(ADR_TEMPLATES_DIR=$TMP/no-templates "$ADR" html --templates "$TMP/tpl-empty" -o site 2>&1 >/dev/null)
RC=$?
set -e
expect_eq "no templates, --templates: exit" 1 "$RC"
expect_eq "no templates, --templates: message" \
	"adr: html template 'record.mustache' not found (looked in $TMP/tpl-empty, .adr/templates/html and $TMP/no-templates/html)" "$ERR"
check "no templates, --templates: no site" test ! -e site
unchanged "no templates, --templates"

finish
