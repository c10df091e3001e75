#!/usr/bin/env bash
# What adr does when a thread cannot start, the kernel gives no random
# bytes, or fstat fails (tests/fault/fault.c, the thread, random and fstat
# classes). Every place that starts a thread has a way on without it, and
# each is reached here (the shim says which call it failed): the result
# must be the one of a run where every thread started.
#   - new: the sweep of dead writers' temporary files runs in line;
#   - cold list (ADR_READ_THREADS=2): the reader parses alone;
#   - index --rebuild: the history's diffs on one thread;
#   - html rebuild: the kept files linked, and the trash emptied, on the
#     main thread;
#   - html without a random key: no page cache for that directory, and the
#     same site;
#   - html when fstat fails on each file in turn: a build that fails says
#     it could not read or write, not that a template is not a file.
source "$(dirname "$0")/lib.sh"

need_shim "${ADR_FAULT_SHIM:-$(dirname "$ADR")/tests/adr-fault.so}" "the fault injector" "tests/CMakeLists.txt"

# faulted SPEC ARGS...: adr ARGS with the call SPEC (class:n) failing; OUT,
# ERR and RC as run_adr; FIRED: the call that failed ("" when not reached).
faulted() {
	local spec=$1
	shift
	rm -f "$TMP/count"
	set +e
	OUT=$(LD_PRELOAD=$SHIM ADR_FAULT=$spec ADR_FAULT_COUNT=$TMP/count "$ADR" "$@" 2>"$TMP/stderr")
	RC=$?
	set -e
	ERR=$(cat "$TMP/stderr")
	FIRED=$(awk '$1 == "fired" { print $2 ":" $3 }' "$TMP/count" 2>/dev/null || true)
}

# count CLASS ARGS...: runs adr ARGS with no fault (it must succeed) and sets
# N to how many calls of CLASS it made.
count() {
	local cls=$1
	shift
	rm -f "$TMP/count"
	set +e
	OUT=$(LD_PRELOAD=$SHIM ADR_FAULT_COUNT=$TMP/count "$ADR" "$@" 2>"$TMP/stderr")
	RC=$?
	set -e
	ERR=$(cat "$TMP/stderr")
	N=$(awk -v c="$cls" '$1 == c { print $2 }' "$TMP/count" 2>/dev/null || true)
	N=${N:-0}
	if [ "$RC" -ne 0 ]; then
		fail "adr $* under the shim, without a fault: exit $RC: $ERR"
	fi
}

# tree_of DIR: every path and blob of HEAD's tree.
tree_of() { git -C "$1" ls-tree -r HEAD; }

# --- new: the sweep without its thread ------------------------------------------
R=$TMP/new
new_repo "$R"
cd "$R"
must_adr init
must_adr new --no-edit "First decision"
D=$(sed -n 's/^dir: //p' .adr.yaml 2>/dev/null || true)
D=${D:-docs/decisions}
cp -a "$R" "$TMP/new-ref"
count thread -C "$TMP/new-ref" new --no-edit "Second decision"
check "new: starts a thread (the sweep)" test "$N" -ge 1
REF_TREE=$(tree_of "$TMP/new-ref")
for n in $(seq 1 "$N"); do
	rm -rf "$TMP/new-$n"
	cp -a "$R" "$TMP/new-$n"
	# left by a writer that was killed (no process has pid 999999)
	: >"$TMP/new-$n/$D/0001-first-decision.md.adr-tmp-999999"
	faulted thread:$n -C "$TMP/new-$n" new --no-edit "Second decision"
	expect_eq "new, thread $n fails: exit" 0 "$RC"
	expect_eq "new, thread $n fails: the shim failed it" "thread:$n" "$FIRED"
	expect_eq "new, thread $n fails: the same tree" "$REF_TREE" "$(tree_of "$TMP/new-$n")"
	expect_eq "new, thread $n fails: the dead writer's file is gone" "" \
		"$(find "$TMP/new-$n" -path "$TMP/new-$n/.git" -prune -o -name '*adr-tmp*' -print)"
	check "new, thread $n fails: git status clean" status_clean "$TMP/new-$n"
	check "new, thread $n fails: fsck" fsck_clean "$TMP/new-$n"
done

# --- cold list and index --rebuild: readers and diffs on one thread ---------------
# 70 records, each its own commit: more than the 64 diffs that make the
# history scan take a second thread.
R=$TMP/many
new_repo "$R"
cd "$R"
must_adr init
for i in $(seq 1 70); do
	must_adr new --no-edit "Decision number $i about queues"
done
must_adr index --rebuild
must_adr list
REF_LIST=$OUT
must_adr search queues
REF_SEARCH=$OUT

rm -rf .git/adr
export ADR_READ_THREADS=2
count thread list
unset ADR_READ_THREADS
check "cold list: starts a thread" test "$N" -ge 1
LIST_N=$N
for n in $(seq 1 "$LIST_N"); do
	rm -rf .git/adr
	ADR_READ_THREADS=2 faulted thread:$n list
	expect_eq "cold list, thread $n fails: exit" 0 "$RC"
	expect_eq "cold list, thread $n fails: the shim failed it" "thread:$n" "$FIRED"
	expect_eq "cold list, thread $n fails: the same list" "$REF_LIST" "$OUT"
done

count thread index --rebuild
check "index --rebuild: starts a thread (the diffs)" test "$N" -ge 1
for n in $(seq 1 "$N"); do
	faulted thread:$n index --rebuild
	expect_eq "index --rebuild, thread $n fails: exit" 0 "$RC"
	expect_eq "index --rebuild, thread $n fails: the shim failed it" "thread:$n" "$FIRED"
	run_adr search queues
	expect_eq "index --rebuild, thread $n fails: the same search results" "$REF_SEARCH" "$OUT"
	run_adr list
	expect_eq "index --rebuild, thread $n fails: the same list" "$REF_LIST" "$OUT"
done

# --- html: a rebuild's threads ------------------------------------------------------
S=$TMP/site
must_adr html -o "$S"
must_adr new --no-edit "A record for the first rebuild"
# This rebuild fills the trash, which each rebuild after it empties.
must_adr html -o "$S"
must_adr new --no-edit "A record for the counted rebuild"
count thread html -o "$S"
check "html rebuild: starts threads (the linker, the trash)" test "$N" -ge 2
for n in $(seq 1 "$N"); do
	must_adr new --no-edit "A record for rebuild $n"
	faulted thread:$n html -o "$S"
	expect_eq "html, thread $n fails: exit" 0 "$RC"
	expect_eq "html, thread $n fails: the shim failed it" "thread:$n" "$FIRED"
	expect_contains "html, thread $n fails: files were kept" "as they were" "$OUT"
	expect_eq "html, thread $n fails: the trash holds only the previous site" 1 \
		"$(find .git/adr/html-trash -mindepth 1 -maxdepth 1 2>/dev/null | wc -l)"
	run_adr html -o "$TMP/fresh-$n"
	expect_eq "html, thread $n fails: a full build" 0 "$RC"
	check "html, thread $n fails: the same site as a full build" diff -r "$S" "$TMP/fresh-$n"
	rm -rf "$TMP/fresh-$n"
done

# --- html: no random key, no page cache ---------------------------------------------
caches() { find .git/adr -maxdepth 1 -name 'site-*.cache' | sort; }
BEFORE=$(caches)
faulted random:1 html -o "$TMP/norandom"
expect_eq "html, no random key: exit" 0 "$RC"
expect_eq "html, no random key: the shim failed getrandom" "random:1" "$FIRED"
expect_eq "html, no random key: no page cache written" "$BEFORE" "$(caches)"
must_adr html -o "$TMP/fresh-random"
check "html, no random key: the same site as a full build" diff -r "$TMP/norandom" "$TMP/fresh-random"
# The next build of that directory, with a key, keeps a cache again.
must_adr html -o "$TMP/norandom"
check "html, then with a key: a page cache" test "$(caches | wc -l)" -gt "$(printf '%s' "$BEFORE" | grep -c . || true)"

# --- html: fstat fails ----------------------------------------------------------------
# In turn on each file adr checks. A build that fails says it could not
# read or write, and why; with ADR_SITE_VERIFY=1 (which renders the pages
# the cache keeps and compares them with the previous site's), a page
# that could not be compared is said so, not reported as a cache that
# kept a stale page. Without it such a page is written again: the build
# succeeds.
for verify in 1 0; do
	ADR_SITE_VERIFY=$verify must_adr html -o "$S"
	ADR_SITE_VERIFY=$verify count fstat html -o "$S"
	check "html (verify $verify): adr checks files with fstat" test "$N" -ge 1
	READ_FAILS=0 COMPARE_FAILS=0 OKS=0
	for n in $(seq 1 "$N"); do
		# each from the same state: a build without a fault (which puts
		# right what the last faulted one did) before it
		ADR_SITE_VERIFY=$verify must_adr html -o "$S"
		ADR_SITE_VERIFY=$verify faulted fstat:$n html -o "$S"
		expect_eq "html (verify $verify), fstat $n fails: the shim failed it" "fstat:$n" "$FIRED"
		if [ "$RC" -eq 0 ]; then
			OKS=$((OKS + 1))
			continue
		fi
		expect_not_contains "html (verify $verify), fstat $n fails: no file called what it is not" \
			"not a regular file" "$ERR"
		expect_not_contains "html (verify $verify), fstat $n fails: no internal error" "internal error" "$ERR"
		expect_contains "html (verify $verify), fstat $n fails: the system's reason" "Input/output error" "$ERR"
		case $ERR in
		*"cannot read '"*".mustache': Input/output error"*) READ_FAILS=$((READ_FAILS + 1)) ;;
		*"of the previous site to compare it: Input/output error"*) COMPARE_FAILS=$((COMPARE_FAILS + 1)) ;;
		esac
	done
	check "html (verify $verify), fstat fails on a template: cannot read it, says so" test "$READ_FAILS" -ge 1
	if [ "$verify" = 1 ]; then
		check "html (verify 1), fstat fails on an old page: cannot compare it, says so" test "$COMPARE_FAILS" -ge 1
	else
		expect_eq "html (verify 0): an old page not compared is written again" 0 "$COMPARE_FAILS"
		check "html (verify 0): some builds succeed all the same" test "$OKS" -ge 1
	fi
done

finish
