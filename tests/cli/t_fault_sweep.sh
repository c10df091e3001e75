#!/usr/bin/env bash
# Fault sweep (issue 11; RELIABILITY.md S2, S3): the LD_PRELOAD shim
# tests/fault/fault.c makes the n-th call of one class fail (alloc,
# own-alloc, write, open, rename, fsync, mkdir, unlink, read, thread,
# random, fstat: see its header), in `adr new`, `accept`, `index
# --rebuild`, `index` (incremental) and `html` into a directory that holds
# the previous site; `new` and `accept` also in durable mode. A run
# without a fault counts the calls of each class; then every n is swept
# for open, rename, fsync, mkdir, unlink, thread, random and fstat, every n
# up to ADR_FAULT_OWN_SAMPLE (100) for own-alloc (beyond, that many evenly
# spread: html makes 700), and an evenly spread sample of ADR_FAULT_SAMPLE
# (20) for write and read (alloc only on demand, see
# CLASSES; FULL=1: every n, about 10 minutes here). After every run:
#   - no crash (exit status below 128) and no sanitizer report;
#   - success (the fault was tolerated): the result is exactly that of a run
#     without a fault (refs, work tree, git status, the site, the search
#     results);
#   - failure: the last line of stderr is "adr: <message>", a real message;
#     nothing changed (refs, HEAD, git status, the work tree, the files in the
#     git dir but for objects and the search index, the site byte for byte);
#     and the same command run again without a fault gives the full result;
#   - git fsck --strict is clean (after the second run: adr never removes an
#     object, so one fsck covers both; dangling objects are fine).
# A bad run is reported with its reproduction (KEEP_TMP=1 keeps its copy).
source "$(dirname "$0")/lib.sh"

unset ADR_SITE_VERIFY # the page cache as users run it: keeping, not rendering anyway
SHIM=${ADR_FAULT_SHIM:-$(dirname "$ADR")/tests/adr-fault.so}

sanitized() {
	# grep -c reads its whole input: grep -q would stop at the first match,
	# and the SIGPIPE that nm or ldd could then get fails the pipeline.
	ldd "$ADR" 2>/dev/null | grep -c 'libasan\|libubsan' >/dev/null ||
		nm "$ADR" 2>/dev/null | grep -c ' __asan_init' >/dev/null
}
# skip WHY: a plain build must run the sweep under CI=true; an ASan build may
# skip it (the shim cannot interpose everything where the runtime is static).
skip() {
	if [ "${CI:-}" = true ] && ! sanitized; then
		fail "$1 (with CI=true only a sanitizer build may skip the fault sweep)"
		finish
		exit 1
	fi
	echo "SKIP: $TEST_NAME: $1"
	SKIPPED=$((SKIPPED + 1))
	finish
	exit 0
}

[ -f "$SHIM" ] || skip "the fault injector $SHIM is not built"
if sanitized; then
	# The shim comes before the sanitizer runtime in the load order.
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
fi
if ! LD_PRELOAD=$SHIM ADR_FAULT_COUNT=$TMP/probe "$ADR" --version >/dev/null 2>"$TMP/probe.err" ||
	! grep -q '^alloc [1-9]' "$TMP/probe" 2>/dev/null; then
	skip "the fault injector does not work with this adr: $(head -c 300 "$TMP/probe.err")"
fi

START=$(date +%s)
SAMPLE=${ADR_FAULT_SAMPLE:-20}
OWN_SAMPLE=${ADR_FAULT_OWN_SAMPLE:-100}
export ADR_NOW=2026-11-21T10:00:00Z EDITOR=true
# alloc (every allocation, libgit2's too) is not in the default sweep:
# libgit2 1.5 itself crashes when some of its allocations fail
# (git_config_snapshot); ADR_FAULT_CLASSES=alloc sweeps it.
CLASSES=${ADR_FAULT_CLASSES:-own-alloc open rename fsync mkdir unlink write read thread random fstat}
COMMANDS=${ADR_FAULT_COMMANDS:-new accept index-rebuild index html new-durable accept-durable hooks-install hooks-uninstall import}

# --- the scenario: records, an open proposal, an index and a site, one commit behind --
T=$TMP/template
mkdir "$T"
sweep_repo "$T/repo"
(
	cd "$T/repo"
	"$ADR" index >/dev/null
	"$ADR" html -o ../site >/dev/null
	"$ADR" new --no-edit "Use Kafka" >/dev/null
	git repack -adq
)
check "the scenario: the proposal branch" git -C "$T/repo" show-ref -q --verify refs/heads/adr/use-redis
check "the scenario: the site" test -f "$T/site/index.html"
check "the scenario: the index" test -f "$T/repo/.git/adr/index.db"
check "the scenario: a clean work tree" status_clean "$T/repo"
# The same in durable mode, for new and accept.
TD=$TMP/template-durable
cp -a "$T" "$TD"
printf 'durable: true\n' >>"$TD/repo/.adr.yaml"
git -C "$TD/repo" commit -q -am "durable mode"
# Hooks: a user's commit-msg hook, which install chains and uninstall puts back.
TH=$TMP/template-hooks
cp -a "$T" "$TH"
mkdir -p "$TH/repo/.git/hooks"
printf '#!/bin/sh\nexit 0\n' >"$TH/repo/.git/hooks/commit-msg"
chmod +x "$TH/repo/.git/hooks/commit-msg"
TU=$TMP/template-hooked
cp -a "$TH" "$TU"
check "the scenario: hooks installed" sh -c "cd \"$TU/repo\" && \"$ADR\" hooks install >/dev/null"
check "the scenario: the user's hook chained" test -f "$TU/repo/.git/hooks/commit-msg.adr-chained"
# A log in adr-tools' format outside the repository, for import --from.
TI=$TMP/template-import
cp -a "$T" "$TI"
mkdir "$TI/legacy"
for i in 1 2 3; do
	printf '# %d. Decision %d\n\nDate: 2020-01-0%d\n\n## Status\n\nAccepted\n\n## Context\n\nWhy %d.\n\n## Decision\n\nWe do %d.\n\n## Consequences\n\nFine.\n' \
		"$i" "$i" "$i" "$i" "$i" >"$TI/legacy/000$i-decision-$i.md"
done

# Each command is swept in its own work directory W (its run copy, outputs
# and counts), ADR_FAULT_JOBS (2) commands at a time.

# args_of COMMAND: the adr command line of a swept command, in ARGS; TPL its
# template.
args_of() {
	TPL=$T
	case $1 in
	new) ARGS=(new --no-edit "Fault test") ;;
	accept) ARGS=(accept use-redis) ;;
	index-rebuild) ARGS=(index --rebuild) ;;
	index) ARGS=(index) ;;
	html) ARGS=(html -o ../site) ;;
	new-durable) ARGS=(new --no-edit "Fault test"); TPL=$TD ;;
	accept-durable) ARGS=(accept use-redis); TPL=$TD ;;
	hooks-install) ARGS=(hooks install); TPL=$TH ;;
	hooks-uninstall) ARGS=(hooks uninstall); TPL=$TU ;;
	import) ARGS=(import --from ../legacy); TPL=$TI ;;
	*) echo "unknown command $1" >&2; exit 1 ;;
	esac
}

# state DIR KIND: what a run may change, as text: refs, HEAD, git status,
# every name (type, mode, size) in DIR (the repository, the site beside it)
# but for git's objects and the search index, the content of every file
# outside .git. Not adr's temporary files in the git dir (adr-wt-*: the
# next adr that writes removes those of dead processes), nor packed-refs
# (git branch -D, applying a warning's fix, writes one; the refs are
# compared), nor directories under refs/ and logs/ (an empty one is no
# ref: libgit2 may fail to remove it, and says so), nor the size of
# the git index (git status says what is in
# it; a cache extension may go) nor of the reflogs: git and libgit2 append
# to the reflog before they move the ref, so a failed move may leave a line. For the index commands (KIND index*), the search results
# too: searching updates the index, so the state before a run leaves them out.
state() {
	local D=$1 R=$1/repo
	git -C "$R" for-each-ref --format='%(refname) %(objectname)'
	echo "HEAD $(cat "$R/.git/HEAD")"
	git -C "$R" status --porcelain --untracked-files=all
	(cd "$D" && find . -path ./repo/.git/objects -prune -o -path ./repo/.git/adr -prune -o -printf '%P %y %m %s\n' |
		sed -E 's#^(repo/\.git/(index|logs/.*) f [0-7]+) [0-9]+$#\1#' | grep -v '^repo/\.git/\(adr-wt-\|packed-refs \|\(refs\|logs\)/.* d \)' |
		LC_ALL=C sort &&
		find . -path ./repo/.git -prune -o -type f -exec sha1sum {} + | LC_ALL=C sort)
	case $2 in
	index*)
		echo "-- search"
		(cd "$R" && "$ADR" search kafka 2>&1 && "$ADR" search postgresql 2>&1 && "$ADR" index --check 2>&1) || echo "search failed: $?"
		;;
	esac
}

fresh() {
	rm -rf "$W/run"
	cp -a "$TPL" "$W/run"
	# html: the site as the run copy's own last build made it (its page
	# cache names that directory), one commit behind, so that the swept
	# build keeps most files (on the linker thread) and renders some.
	if [ "${ARGS[0]}" = html ]; then
		(cd "$W/run/repo" && "$ADR" html -o ../site --rev HEAD~1 >/dev/null)
	fi
}

# run_plain: the command without the shim, in the run copy.
run_plain() {
	(cd "$W/run/repo" && "$ADR" "${ARGS[@]}") >"$W/out2" 2>"$W/err2"
}

# run_fault SPEC: the command with ADR_FAULT=SPEC (empty: only counting).
run_fault() {
	rm -f "$W/count"
	(cd "$W/run/repo" && LD_PRELOAD=$SHIM ADR_FAULT=$1 ADR_FAULT_COUNT=$W/count "$ADR" "${ARGS[@]}") \
		>"$W/out" 2>"$W/err"
}

# Sanitizer reports and crash messages.
SAN_RE='Sanitizer|runtime error:|AddressSanitizer|LeakSanitizer|Segmentation|Aborted|core dumped'

# good_message FILE: the last line is "adr: <message>", a real one.
good_message() {
	local last
	last=$(tail -n 1 "$1")
	case $last in
	"adr: "*) ;;
	*) return 1 ;;
	esac
	last=${last#adr: }
	[ -n "${last// /}" ] || return 1
	case $last in
	*"no error"* | *"(null)"* | *"Success"* | *"unknown error"*) return 1 ;;
	esac
	return 0
}

# bad CMD CLASS N WHY: one bad run, with how to reproduce it.
bad() {
	BAD[$2]=$((${BAD[$2]:-0} + 1))
	fail "$1: ADR_FAULT=$2:$3: $4
  reproduce: (KEEP_TMP=1 keeps the copy; html: after adr html -o ../site --rev HEAD~1) cd <a copy of $TPL>/repo && LD_PRELOAD=$SHIM ADR_FAULT=$2:$3 $ADR ${ARGS[*]}
  stderr: $(head -c 600 "$W/err")
  shim: $(grep '^fired' "$W/count" 2>/dev/null)"
	if [ -n "${KEEP_TMP:-}" ]; then
		cp -a "$W/run" "$TMP/bad-$1-$2-$3"
	fi
}

# differs EXPECTED-FILE ACTUAL: a short diff.
differs() {
	diff "$1" <(printf '%s\n' "$2") | head -20 || true
}

# aside_warning: a tolerated failure to remove the previous site: it was
# moved aside, and the warning names where (the next build removes it).
# Removes it, so the run copy can be compared.
aside_warning() {
	local p
	p=$(sed -n "s/^adr: warning: cannot remove the previous site, now at '\(.*\)': .*/\1/p" "$W/err")
	[ -n "$p" ] && [ -d "$W/run/repo/$p" ] && rm -rf "${W:?}/run/repo/$p"
}

# kept_branch: a tolerated failure to delete an accepted proposal's branch
# (or the lock file libgit2 left deleting it): the warning names the fix,
# which is applied here.
kept_branch() {
	local b
	b=$(sed -n 's/^adr: warning: the decision is recorded, but .* was kept: .*; delete it later with git branch -D \(.*\)$/\1/p' "$W/err")
	if [ -n "$b" ]; then
		git -C "$W/run/repo" branch -q -D "$b"
		return
	fi
	b=$(sed -n "s/^adr: warning: the decision is recorded and .* deleted, but: .*; if '\(.*\)' exists and no git process is running, remove it$/\1/p" "$W/err")
	[ -n "$b" ] && rm -f "$b"
}

# one CMD CLASS N: one faulted run and its checks.
one() {
	local cmd=$1 cls=$2 n=$3 rc rc2 got
	RUNS[$cls]=$((${RUNS[$cls]:-0} + 1))
	fresh
	set +e
	run_fault "$cls:$n"
	rc=$?
	set -e
	if [ "$rc" -ge 128 ]; then
		bad "$cmd" "$cls" "$n" "crashed (exit status $rc)"
		return
	fi
	if grep -E -q "$SAN_RE" "$W/err"; then
		bad "$cmd" "$cls" "$n" "a sanitizer report or crash message"
		return
	fi
	if [ "$rc" -eq 0 ] && grep -q "^adr: warning: the commit landed .*the next adr command finishes it$" "$W/err"; then
		# The commit landed, the work tree could not follow (its lock
		# could not be removed), and adr said so: the next adr finishes.
		if ! (cd "$W/run/repo" && "$ADR" new --no-edit "Next" >/dev/null 2>"$W/err2") ||
			[ -e "$W/run/repo/.git/index.lock" ] || ! status_clean "$W/run/repo"; then
			bad "$cmd" "$cls" "$n" "the next adr did not finish what the warning named: $(cat "$W/err2")"
			return
		fi
	elif [ "$rc" -eq 0 ]; then
		aside_warning || kept_branch || true
		got=$(state "$W/run" "$cmd")
		if [ "$got" != "$(cat "$W/ref")" ]; then
			bad "$cmd" "$cls" "$n" "succeeded, but the result is not that of a run without a fault:
$(differs "$W/ref" "$got")"
			return
		fi
	elif ! good_message "$W/err"; then
		bad "$cmd" "$cls" "$n" "failed (exit status $rc) without a clear message"
		return
	elif grep -q "^adr: cannot write the output: " "$W/err"; then
		# Printing the result failed, once the work was done: the work
		# must be complete.
		got=$(state "$W/run" "$cmd")
		if [ "$got" != "$(cat "$W/ref")" ]; then
			bad "$cmd" "$cls" "$n" "could not print its result, and the result is not that of a run without a fault:
$(differs "$W/ref" "$got")"
			return
		fi
		LATE[$cls]=$((${LATE[$cls]:-0} + 1))
	else
		got=$(state "$W/run" -)
		if [ "$got" != "$(cat "$W/before")" ]; then
			bad "$cmd" "$cls" "$n" "failed, but changed something:
$(differs "$W/before" "$got")"
			return
		fi
		set +e
		run_plain
		rc2=$?
		set -e
		if [ "$rc2" -ne 0 ]; then
			cp "$W/err2" "$W/err"
			bad "$cmd" "$cls" "$n" "the same command without a fault then fails (exit status $rc2)"
			return
		fi
		got=$(state "$W/run" "$cmd")
		if [ "$got" != "$(cat "$W/ref")" ]; then
			bad "$cmd" "$cls" "$n" "the same command without a fault then gives another result:
$(differs "$W/ref" "$got")"
			return
		fi
		CLEAN[$cls]=$((${CLEAN[$cls]:-0} + 1))
	fi
	if ! git -C "$W/run/repo" fsck --strict --no-dangling >/dev/null 2>"$W/fsck.err"; then
		bad "$cmd" "$cls" "$n" "git fsck --strict: $(head -c 300 "$W/fsck.err")"
		return
	fi
	if [ "$rc" -eq 0 ] && grep -q '^fired' "$W/count" 2>/dev/null; then
		OK[$cls]=$((${OK[$cls]:-0} + 1))
	elif [ "$rc" -eq 0 ]; then
		# The call counts of a run may differ a little from the counting
		# run's: this n was not reached.
		NOTREACHED[$cls]=$((${NOTREACHED[$cls]:-0} + 1))
	fi
	pass
}

# ns CLASS COUNT: the n to sweep.
ns() {
	local cls=$1 c=$2 i k
	if [ "$c" -eq 0 ]; then
		return
	fi
	case $cls in
	alloc | write | read) k=$SAMPLE ;;
	own-alloc) k=$OWN_SAMPLE ;;
	*) k=0 ;;
	esac
	if [ -z "${FULL:-}" ] && [ "$k" -gt 1 ] && [ "$c" -gt "$k" ]; then
		for ((i = 0; i < k; i++)); do
			echo $((1 + i * (c - 1) / (k - 1)))
		done | uniq
		return
	fi
	seq 1 "$c"
}

# sweep CMD CLASSES: counts, then sweeps; in a subshell, which leaves its
# summary in $W/summary and its pass and fail counts in $W/result.
sweep() {
	local cmd=$1 classes=$2 cls c n t0
	declare -A RUNS OK CLEAN LATE NOTREACHED BAD
	W=$TMP/w-$cmd
	mkdir -p "$W"
	: >"$W/summary"
	trap 'echo "$PASSED $FAILED" >"$W/result"' EXIT
	args_of "$cmd"
	t0=$(date +%s)
	fresh
	state "$W/run" - >"$W/before"
	fresh
	if ! run_fault ""; then
		fail "$cmd: the run without a fault failed: $(cat "$W/err")"
		return
	fi
	state "$W/run" "$cmd" >"$W/ref"
	case $cmd in
	index*) ;; # it changes only the search index
	*) check "$cmd: the run without a fault changes something" test "$(state "$W/run" -)" != "$(cat "$W/before")" ;;
	esac
	cp "$W/count" "$W/calls"
	# The shim changes nothing: the result is that of a run without it.
	fresh
	run_plain || fail "$cmd: the run without the shim failed: $(cat "$W/err2")"
	expect_eq "$cmd: the same result without the shim" "$(cat "$W/ref")" "$(state "$W/run" "$cmd")"
	for cls in $classes; do
		c=$(awk -v c="$cls" '$1 == c { print $2 }' "$W/calls")
		for n in $(ns "$cls" "$c"); do
			one "$cmd" "$cls" "$n"
		done
		printf '%-15s %-9s %6s %5s %5s %6s %5s %4s %4s\n' "$cmd" "$cls" "$c" "${RUNS[$cls]:-0}" \
			"${OK[$cls]:-0}" "${CLEAN[$cls]:-0}" "${LATE[$cls]:-0}" "${NOTREACHED[$cls]:-0}" \
			"${BAD[$cls]:-0}" >>"$W/summary"
	done
	echo "$TEST_NAME: $cmd: $(($(date +%s) - t0)) s" >&2
}

JOBS=${ADR_FAULT_JOBS:-2}
for cmd in $COMMANDS; do
	classes=$CLASSES
	case $cmd in
	*-durable) # what durable mode adds
		case " $CLASSES " in
		*" fsync "*) classes=fsync ;;
		*) continue ;;
		esac
		;;
	esac
	while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do
		wait -n || true
	done
	(sweep "$cmd" "$classes") &
done
wait

# The summary: one line per command and class. ok: the fault was tolerated
# and the result is complete; failed: a clean failure that changed nothing;
# late: only printing the result failed, the work was complete; not: the
# call was not reached in that run.
printf '%-15s %-9s %6s %5s %5s %6s %5s %4s %4s\n' command class calls runs ok failed late not bad
TOTAL=0
CLEANRUNS=0
for cmd in $COMMANDS; do
	W=$TMP/w-$cmd
	[ -f "$W/summary" ] || continue
	cat "$W/summary"
	TOTAL=$((TOTAL + $(awk '{ s += $4 } END { print s + 0 }' "$W/summary")))
	CLEANRUNS=$((CLEANRUNS + $(awk '{ s += $6 } END { print s + 0 }' "$W/summary")))
	if [ -f "$W/result" ]; then
		read -r p f <"$W/result"
		PASSED=$((PASSED + p))
		FAILED=$((FAILED + f))
	else
		fail "$cmd: the sweep did not finish"
	fi
done
# The faults fire: most runs fail cleanly (a shim that counts but never
# fails a call would leave every run a success).
if [ -z "${ADR_FAULT_COMMANDS:-}${ADR_FAULT_CLASSES:-}" ] && [ "$TOTAL" -lt 500 ]; then
	fail "only $TOTAL faulted runs: does the shim count?"
fi
if [ -z "${ADR_FAULT_COMMANDS:-}${ADR_FAULT_CLASSES:-}" ] && [ $((CLEANRUNS * 2)) -lt "$TOTAL" ]; then
	fail "only $CLEANRUNS of $TOTAL faulted runs failed: does the shim fail calls?"
fi
echo "$TEST_NAME: $TOTAL faulted runs in $(($(date +%s) - START)) s (samples $OWN_SAMPLE own-alloc, $SAMPLE write and read${FULL:+, FULL}, $JOBS jobs)"
finish
