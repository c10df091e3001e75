#!/usr/bin/env bash
# libgit2 fault sweep (issue 11): every libgit2 call adr makes can fail
# for reasons no test provokes by hand (a corrupt object, an I/O error, a
# lost race). The shim tests/gitfault/ (LD_PRELOAD) makes the n-th call
# fail with a libgit2 error "injected fault in git_foo". For each command
# on small scenario repositories (records, proposals with comments, an
# accepted and a rejected one, hooks, an index, a built site) the calls are
# counted, then the command is run once per n: every call site once (the
# first call from each place in adr), plus calls spread over the rest, at
# most ADR_GITFAULT_MAX runs per command, the sites no earlier command
# failed first (FULL=1: every n). Each run must:
#   - not crash (exit < 128, no sanitizer report);
#   - succeed with the same result as without the fault (the same output,
#     the same refs, work tree and site), or fail with "adr: <what adr was
#     doing>: ..." (not empty, not "no error", not the bare libgit2 text);
#     or, where adr documents a part as optional (the site's history,
#     threads and implementing commits; the index, which list, search and
#     stats can do without), succeed without that part and say so in an
#     "adr: warning: ..." line that carries the libgit2 error ("warned");
#   - when it fails, leave refs, HEAD, git status, the work tree, the hooks
#     and the site as they were, with git fsck --strict clean;
#   - be followed by a run without the fault that succeeds.
# Prints per command: calls, runs, ok, failed cleanly, bad; for each bad
# run, the reproduction (ADR_GITFAULT=n adr ... and the function).
source "$(dirname "$0")/lib.sh"

need_gitfault_shim

START=$(date +%s)
MAX=${ADR_GITFAULT_MAX:-28}
export ADR_NOW=2026-11-21T10:00:00Z
export GIT_AUTHOR_DATE="2026-11-21T10:00:00Z" GIT_COMMITTER_DATE="2026-11-21T10:00:00Z"
# `adr edit` appends a line to the record.
cat >"$TMP/editor.sh" <<'ED'
#!/bin/sh
printf '\nEdited by the fault sweep.\n' >>"$1"
ED
chmod +x "$TMP/editor.sh"
export EDITOR=$TMP/editor.sh
sweep_minutes "$TMP/minutes.md"

# --- scenario repositories: $TMP/tpl/<name>/{repo,site} ----------------------------
setup_ok() {
	"$@" >/dev/null 2>"$TMP/setup.err" && return 0
	fail "setup: $* (exit $?): $(cat "$TMP/setup.err")"
	finish
	exit 1
}
T=$TMP/tpl/main
mkdir -p "$T/site"
git init -q --template= "$T/repo"
cd "$T/repo"
setup_ok "$ADR" init
printf 'pool: 10\n' >notes.txt
setup_ok git add notes.txt
setup_ok git commit -q -m "notes"
setup_ok "$ADR" new --no-edit --tag db "Use PostgreSQL"
setup_ok "$ADR" new --no-edit --tag cache "Use Redis for caching"
printf 'pool: 20\n' >notes.txt
setup_ok git commit -q -am "Tune the pool" -m "Refs: ADR-0002"
setup_ok "$ADR" propose --no-edit "Use GraphQL"
setup_ok "$ADR" comment use-graphql --approve -m "Yes"
setup_ok "$ADR" accept use-graphql --by "Bo Chen"
setup_ok "$ADR" comment use-graphql -m "Late, but: the schema needs an owner"
setup_ok "$ADR" propose --no-edit "Use MongoDB"
setup_ok "$ADR" reject use-mongodb --reason "We have PostgreSQL"
setup_ok "$ADR" propose --no-edit "Adopt Kafka"
setup_ok "$ADR" comment adopt-kafka -m "What about operations?"
setup_ok "$ADR" comment adopt-kafka --object -m "Too heavy for us"
mkdir -p .git/hooks
printf '#!/bin/sh\nexit 0\n' >.git/hooks/commit-msg
chmod +x .git/hooks/commit-msg
setup_ok "$ADR" hooks install
setup_ok "$ADR" index
setup_ok "$ADR" html -o ../site
# The index and the site are one record behind.
setup_ok "$ADR" new --no-edit "Keep a changelog"
git show adr/adopt-kafka:docs/decisions/adopt-kafka.md >"$TMP/revised.md"
printf '\nKafka runs on the cluster of the platform team.\n' >>"$TMP/revised.md"
printf 'Raise the pool\n\nRefs: ADR-0002, ADR-0099\n' >"$TMP/commit-msg.txt"
# nohooks: no adr hook installed
cp -a "$T" "$TMP/tpl/nohooks"
cd "$TMP/tpl/nohooks/repo"
setup_ok "$ADR" hooks uninstall
# dup: two records numbered 0003
cp -a "$T" "$TMP/tpl/dup"
cd "$TMP/tpl/dup/repo"
sed 's/^# .*/# Use Memcached/' docs/decisions/0006-keep-a-changelog.md >docs/decisions/0003-use-memcached.md
setup_ok git add docs/decisions
setup_ok git commit -q -m "Use Memcached"
# durable: durable mode (fsync; libgit2's references opened again)
cp -a "$T" "$TMP/tpl/durable"
cd "$TMP/tpl/durable/repo"
printf 'durable: true\n' >>.adr.yaml
setup_ok git commit -q -am "durable"
# staged: a change staged, for the prepare-commit-msg hook
cp -a "$T" "$TMP/tpl/staged"
cd "$TMP/tpl/staged/repo"
printf 'pool: 30\n' >notes.txt
setup_ok git add notes.txt
printf 'Raise the pool\n' >.git/COMMIT_EDITMSG
# shallow: a shallow clone, whose history walk stops at the boundary
mkdir -p "$TMP/tpl/shallow/site"
setup_ok git clone -q --no-local --depth 4 --no-single-branch "file://$T/repo" "$TMP/tpl/shallow/repo"
# A shallow clone whose proposal branches reach past the boundary: the
# index is built, the walk stops there and says so (found by this sweep:
# adr index failed with "cannot walk a proposal branch: object not found").
cd "$TMP/tpl/shallow/repo"
run_adr index --rebuild
expect_eq "shallow clone: adr index --rebuild exit ($ERR)" 0 "$RC"
expect_contains "shallow clone: the boundary is said" "warning: shallow clone" "$ERR"
# renumbered: dup after adr renumber, with a code commit that refers to the
# number the moved record had (references follow Adr-Renumber, adr/links.h)
cp -a "$TMP/tpl/dup" "$TMP/tpl/renumbered"
cd "$TMP/tpl/renumbered/repo"
setup_ok git commit -q --allow-empty -m "Cache the sessions" -m "Refs: ADR-0003"
setup_ok "$ADR" renumber
printf 'pool: 25\n' >notes.txt
setup_ok git commit -q -am "Size the pool for the cache" -m "Refs: ADR-0003"
# legacy: an adr-tools log that import converts
mkdir -p "$TMP/tpl/legacy/site"
git init -q --template= "$TMP/tpl/legacy/repo"
cd "$TMP/tpl/legacy/repo"
mkdir -p doc/adr
cp "$FORMATS"/adr-tools/*.md doc/adr/
setup_ok git add doc
setup_ok git commit -q -m "adr-tools log"
# legacyfrom: another committed log that import --from converts
cp -a "$TMP/tpl/legacy" "$TMP/tpl/legacyfrom"
cd "$TMP/tpl/legacyfrom/repo"
mkdir -p old
cp "$FORMATS"/madr2/*.md old/
setup_ok git add old
setup_ok git commit -q -m "an older MADR log"
# plain: a repository with one commit, for init
mkdir -p "$TMP/tpl/plain/site"
git init -q --template= "$TMP/tpl/plain/repo"
cd "$TMP/tpl/plain/repo"
printf 'x\n' >README
setup_ok git add README
setup_ok git commit -q -m "start"
# Fewer files to copy for each run.
for t in "$TMP"/tpl/*/repo; do git -C "$t" repack -adq; done
cd "$TMP"

# --- one run --------------------------------------------------------------------------
W=$TMP/run
# The state a failed write must leave alone: refs, HEAD, git status, the
# work tree, the hooks and the site.
fingerprint() {
	(
		cd "$W/repo"
		git for-each-ref --format='%(refname) %(objectname)'
		git symbolic-ref -q HEAD || git rev-parse HEAD
		git status --porcelain=v1 --untracked-files=all
		cd "$W"
		find repo site -path repo/.git -prune -o -type f -print0 | sort -z | xargs -0 -r sha256sum
		if [ -d repo/.git/hooks ]; then find repo/.git/hooks -type f -print0 | sort -z | xargs -0 -r sha256sum; fi
	) 2>&1
}

# run_cmd N ARGS...: runs the command in $W/repo (N=0: no fault); sets RC
# and writes $TMP/out, $TMP/err and $TMP/count.
run_cmd() {
	local n=$1 prog
	shift
	prog=$1
	shift
	[ "$prog" = adr ] && prog=$ADR
	rm -f "$TMP/count"
	set +e
	(cd "$W/repo" && ADR_GITFAULT=$n ADR_GITFAULT_COUNT="$TMP/count" LD_PRELOAD="$SHIM" \
		timeout 60 "$prog" "$@" </dev/null >"$TMP/out" 2>"$TMP/err")
	RC=$?
	set -e
}

fresh() { rm -rf "$W" && cp -a "$TMP/tpl/$1" "$W"; }

crashed() { [ "$RC" -ge 128 ] || grep -q -e 'Sanitizer' -e 'runtime error' "$TMP/err"; }

# The first "adr: " line of stderr, if it says what adr was doing.
message_ok() {
	local m
	m=$(grep -m1 '^adr: ' "$TMP/err" || true)
	case "$m" in
	'' | 'adr: ' | 'adr: no error'* | 'adr: injected fault'* | *'(libgit2 error'*) return 1 ;;
	esac
	return 0
}

TOTAL_RUNS=0 TOTAL_BAD=0
SUMMARY="" NOREASON=""
# sweep NAME TEMPLATE KIND ARGS...: KIND r (reads), w (writes), h (a hook,
# which never fails: what it cannot do it says in one line, or, when the
# repository cannot be opened, not at all, as post-commit says it).
sweep() {
	local name=$1 tpl=$2 kind=$3
	shift 3
	local base_out base_fp base_rc calls sites ns n runs=0 fired=0 crashes=0 ok=0 warned=0 failed=0 bad=0 fn why before after site
	if [ -n "${ADR_GITFAULT_SWEEP:-}" ] && ! [[ $name =~ ^($ADR_GITFAULT_SWEEP)$ ]]; then
		return
	fi
	fresh "$tpl"
	before=$(fingerprint)
	run_cmd 0 "$@"
	base_rc=$RC
	if [ "$base_rc" -ne 0 ]; then
		fail "$name: fails without a fault (exit $RC): $(cat "$TMP/err")"
		return
	fi
	base_out=$(cat "$TMP/out")
	cp "$TMP/err" "$TMP/err.base"
	base_fp=$(fingerprint)
	calls=0
	[ -f "$TMP/count" ] && calls=$(sed -n '1s/^calls //p' "$TMP/count")
	cp "$TMP/count" "$TMP/count.base" 2>/dev/null || : >"$TMP/count.base"
	sites=$(awk 'NR > 1 && NF == 3 { print $2, $3 }' "$TMP/count.base" | sort -u | wc -l)
	# Every command calls libgit2: none counted means the shim did not load.
	if [ "$calls" -eq 0 ]; then
		fail "$name: no libgit2 call counted (is $SHIM loaded?)"
		return
	fi
	if [ -n "${ADR_GITFAULT_N:-}" ]; then
		ns=$ADR_GITFAULT_N
	elif [ "${FULL:-}" = 1 ] || [ "$calls" -le "$MAX" ]; then
		ns=$(seq 1 "$calls")
	else
		# The first call from each call site that no earlier command had
		# failed, then calls spread evenly; the sites are remembered.
		ns=$(python3 - "$TMP/count.base" "$MAX" "$calls" "$TMP/seen-sites" <<'PY'
import os, sys
lines = open(sys.argv[1]).read().split('\n')[1:]
cap, calls, seen_path = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
seen = set(open(seen_path).read().split('\n')) if os.path.exists(seen_path) else set()
mine, first = set(), []
for l in lines:
    f = l.split()
    if len(f) == 3 and f[0].isdigit() and f[1] + ' ' + f[2] not in seen and f[1] + ' ' + f[2] not in mine:
        mine.add(f[1] + ' ' + f[2])
        first.append(int(f[0]))
pick = first if len(first) <= cap else [first[i * len(first) // cap] for i in range(cap)]
pick = set(pick)
k = 1
while len(pick) < cap and k <= cap:
    pick.add(max(1, k * calls // cap))
    k += 1
by_n = {int(l.split()[0]): l.split()[1] + ' ' + l.split()[2] for l in lines if len(l.split()) == 3}
with open(seen_path, 'a') as out:
    for n in pick:
        out.write(by_n.get(n, '') + '\n')
print('\n'.join(str(n) for n in sorted(pick)))
PY
)
	fi
	for n in $ns; do
		fresh "$tpl"
		run_cmd "$n" "$@"
		runs=$((runs + 1))
		grep -q "^fired $n " "$TMP/count" 2>/dev/null && fired=$((fired + 1))
		fn=$(sed -n "s/^$n \\([a-z_0-9]*\\) .*/\\1/p" "$TMP/count.base")
		why=""
		if crashed; then
			crashes=$((crashes + 1))
			why="crashed (exit $RC): $(head -c 600 "$TMP/err")"
		elif [ "$RC" -eq 0 ]; then
			if [ "$kind" = h ] && ! cmp -s "$TMP/err" "$TMP/err.base" && [ -s "$TMP/err" ] && ! message_ok; then
				why="unclear message: [$(head -c 300 "$TMP/err")]"
			elif [ "$kind" != h ] && grep -q '^adr: warning: .*injected fault in git_' "$TMP/err"; then
				warned=$((warned + 1))
			elif [ "$kind" = r ] && [ "$(cat "$TMP/out")" != "$base_out" ]; then
				why="succeeded with another output: $(diff <(echo "$base_out") "$TMP/out" | head -5 || true)"
			elif [ "$kind" = w ] && [ "$(fingerprint)" != "$base_fp" ]; then
				why="succeeded with another result: $(diff <(echo "$base_fp") <(fingerprint) | head -6 || true)"
			elif [ "$kind" = w ] && ! fsck_clean "$W/repo"; then
				why="succeeded, git fsck --strict fails"
			else
				ok=$((ok + 1))
			fi
		elif [ "$kind" = h ]; then
			why="the hook failed (exit $RC), which it never does: $(head -c 300 "$TMP/err")"
		elif ! message_ok; then
			why="unclear message: [$(head -c 300 "$TMP/err")]"
		else
			cp "$TMP/err" "$TMP/err.fault"
			after=$(fingerprint)
			if [ "$kind" = w ] && [ "$after" != "$before" ]; then
				why="failed and changed the state: $(diff <(echo "$before") <(echo "$after") | head -6); message: $(head -c 200 "$TMP/err")"
			elif [ "$kind" = w ] && ! fsck_clean "$W/repo"; then
				why="failed, git fsck --strict fails"
			else
				run_cmd 0 "$@"
				if [ "$RC" -ne 0 ]; then
					why="the next run without the fault fails (exit $RC): $(head -c 300 "$TMP/err")"
				elif [ "$kind" = r ] && [ "$(cat "$TMP/out")" != "$base_out" ]; then
					why="the next run without the fault prints another output"
				elif [ "$kind" = w ] && [ "$(fingerprint)" != "$base_fp" ]; then
					why="the next run without the fault gives another result: $(diff <(echo "$base_fp") <(fingerprint) | head -6 || true)"
				else
					failed=$((failed + 1))
					# (before git_libgit2_init, libgit2 keeps no error to carry)
					if [ "$fn" != git_libgit2_init ] && ! grep -q 'injected fault in git_' "$TMP/err.fault"; then
						NOREASON+="  $name: call $n = ${fn:-?}: $(grep -m1 '^adr: ' "$TMP/err.fault" | head -c 200)"$'\n'
					fi
				fi
			fi
		fi
		if [ -n "$why" ]; then
			bad=$((bad + 1))
			site=$(sed -n "s/^$n [a-z_0-9]* \(0x[0-9a-f]*\)$/\1/p" "$TMP/count.base")
			if [ -n "$site" ] && command -v addr2line >/dev/null; then
				site=$(addr2line -e "$ADR" "$(printf '0x%x' $((site - 1)))" | sed "s|^$ADR_SOURCE_DIR/||")
			fi
			fail "$name: call $n = ${fn:-?} (at $site): $why
  reproduce: ADR_GITFAULT_SWEEP=$name ADR_GITFAULT_N=$n KEEP_TMP=1 bash $0 ($*)"
		else
			pass
		fi
	done
	# A fault that never fires tests nothing (a crashed run writes no count).
	expect_eq "$name: the fault fired in every run that did not crash" "$((runs - crashes))" "$fired"
	TOTAL_RUNS=$((TOTAL_RUNS + runs))
	TOTAL_BAD=$((TOTAL_BAD + bad))
	SUMMARY+=$(printf '%-18s %6s %6s %5s %5s %7s %7s %4s' "$name" "$calls" "$sites" "$runs" "$ok" "$warned" "$failed" "$bad")$'\n'
}

# --- the commands ---------------------------------------------------------------------
sweep init plain w adr init
sweep new main w adr new --no-edit --tag db "Use Valkey"
sweep new-supersedes main w adr new --no-edit --supersedes 3 --link 2:relates-to "Use Valkey"
sweep edit main w adr edit 2
sweep status main w adr status 3 deprecated
sweep supersede main w adr supersede 3 6
sweep link main w adr link 6 relates-to 2
sweep propose main w adr propose --no-edit "Use Memcached"
sweep comment main w adr comment adopt-kafka -m "Ops can run it"
sweep revise main w adr revise adopt-kafka --file "$TMP/revised.md"
sweep accept main w adr accept adopt-kafka --by "Bo Chen"
sweep reject main w adr reject adopt-kafka --reason "Too heavy"
sweep meeting main w adr meeting --from "$TMP/minutes.md"
sweep thread main r adr thread adopt-kafka
sweep thread-decided main r adr thread 4 --json
sweep queue main r adr queue --json
sweep list main r adr list
sweep list-json main r adr list --json
sweep list-at main r adr list --at main~1
sweep show main r adr show 2
sweep show-json main r adr show 4 --json
sweep search main r adr search PostgreSQL
sweep stats main r adr stats --json
sweep why main r adr why notes.txt
sweep diff main r adr diff main~4..main
sweep check main r adr check
sweep check-all-refs main r adr check --all-refs
sweep renumber dup w adr renumber
sweep why-renumbered renumbered r adr why notes.txt
sweep show-renumbered renumbered r adr show 3 --json
sweep import legacy w adr import
sweep toc main r adr toc
sweep graph main r adr graph
sweep index main r adr index --json
sweep index-rebuild main r adr index --rebuild
sweep html main w adr html -o ../site
sweep hooks-install nohooks w adr hooks install
sweep hooks-uninstall main w adr hooks uninstall
sweep hooks-status main r adr hooks status --json
sweep hook-commit-msg main h adr hook commit-msg -- "$TMP/commit-msg.txt"
sweep hook-prepare staged h env GIT_INDEX_FILE=.git/index "$ADR" hook prepare-commit-msg -- .git/COMMIT_EDITMSG
sweep hook-post-commit main h adr hook post-commit
sweep hook-post-merge dup h adr hook post-merge -- 0
sweep new-durable durable w adr new --no-edit "Use Valkey"
sweep new-git-config main w env -u GIT_AUTHOR_NAME -u GIT_AUTHOR_EMAIL -u GIT_COMMITTER_NAME \
	-u GIT_COMMITTER_EMAIL "$ADR" new --no-edit "Use Valkey"
sweep comment-git-config main w env -u GIT_AUTHOR_NAME -u GIT_AUTHOR_EMAIL -u GIT_COMMITTER_NAME \
	-u GIT_COMMITTER_EMAIL "$ADR" comment adopt-kafka --approve
sweep list-git-env main r env GIT_DIR=.git GIT_WORK_TREE=. GIT_INDEX_FILE=.git/index \
	GIT_OBJECT_DIRECTORY=.git/objects GIT_ALTERNATE_OBJECT_DIRECTORIES="$T/repo/.git/objects" "$ADR" list --json
sweep list-namespace main r env GIT_NAMESPACE=elsewhere "$ADR" list --at "$(git -C "$T/repo" rev-parse main)"
sweep index-shallow shallow r adr index --rebuild
sweep list-shallow shallow r adr list --json
sweep new-shallow shallow w adr new --no-edit "Use Valkey"
sweep check-shallow shallow r adr check
sweep import-from legacyfrom w adr import --from old

# A lost race on the branch (GIT_EMODIFIED) and a ref lock held for a
# moment (GIT_ELOCKED) at the compare-and-swap: adr retries and succeeds.
for code in -15 -14; do
	fresh main
	OLD=$(git -C "$W/repo" rev-parse main)
	rm -f "$TMP/count"
	(cd "$W/repo" && ADR_GITFAULT=1 ADR_GITFAULT_ONLY=git_reference_create_matching ADR_GITFAULT_CODE=$code \
		ADR_GITFAULT_COUNT="$TMP/count" LD_PRELOAD="$SHIM" "$ADR" new --no-edit "Use Valkey" \
		>"$TMP/out" 2>"$TMP/err") && RC=0 || RC=$?
	expect_eq "CAS fails once with $code: adr new retries ($(cat "$TMP/err"))" 0 "$RC"
	expect_eq "CAS fails once with $code: the fault fired, then the retry" "calls 2|fired 1 git_reference_create_matching" \
		"$(head -2 "$TMP/count" 2>/dev/null | paste -sd '|')"
	expect_eq "CAS fails once with $code: one commit" "$OLD" "$(git -C "$W/repo" rev-parse main~1)"
	expect_eq "CAS fails once with $code: the record" "docs/decisions/0007-use-valkey.md" "$(cat "$TMP/out")"
	check "CAS fails once with $code: git status clean" status_clean "$W/repo"
	check "CAS fails once with $code: fsck" fsck_clean "$W/repo"
done

# Failures the sweep's cap may not reach, failed on purpose: the n-th call
# of one function fails for n = 1, 2... (at most 8 runs) until the call
# adr makes at that place fails, which the message shows. The run must stop
# with that message and leave the branch, the proposal and the work tree as
# they were.
# reach FUNCTION MESSAGE ENV... -- ADR-ARGS...
reach() {
	local fn=$1 want=$2 seen= n envs=()
	shift 2
	while [ "$1" != -- ]; do envs+=("$1"); shift; done
	shift
	for n in 1 2 3 4 5 6 7 8; do
		fresh main
		OLD=$(git -C "$W/repo" rev-parse main)
		(cd "$W/repo" && env "${envs[@]}" ADR_GITFAULT=$n ADR_GITFAULT_ONLY=$fn LD_PRELOAD="$SHIM" \
			"$ADR" "$@" >"$TMP/out" 2>"$TMP/err") && RC=0 || RC=$?
		case $(cat "$TMP/err") in
		*"adr: $want: injected fault in $fn"*) seen=$n; break ;;
		esac
	done
	check "$fn fault reaches '$want' (adr $*)" test -n "$seen"
	expect_eq "$fn fault in adr $*: exit 1" 1 "$RC"
	ERR=$(cat "$TMP/err")
	expect_contains "$fn fault in adr $*: says what failed" "adr: $want: injected fault in $fn" "$ERR"
	expect_eq "$fn fault in adr $*: main unchanged" "$OLD" "$(git -C "$W/repo" rev-parse main)"
	check "$fn fault in adr $*: the proposal is still there" git -C "$W/repo" show-ref -q --verify refs/heads/adr/adopt-kafka
	check "$fn fault in adr $*: git status clean" status_clean "$W/repo"
}
# The decider's name from git config (accept without --by, no GIT_AUTHOR_NAME).
reach git_repository_config_snapshot "cannot read git config" -u GIT_AUTHOR_NAME -- accept adopt-kafka
reach git_config_get_string_buf "cannot read user.name from git config" -u GIT_AUTHOR_NAME -- accept adopt-kafka
# GIT_DIR without GIT_WORK_TREE reads core.worktree; GIT_WORK_TREE elsewhere sets the work tree.
reach git_repository_config_snapshot "cannot read the git configuration" GIT_DIR=.git -- list
mkdir -p "$TMP/elsewhere"
reach git_repository_set_workdir "cannot use '$TMP/elsewhere' as the work tree" GIT_DIR=.git GIT_WORK_TREE="$TMP/elsewhere" -- list

if [ -n "$NOREASON" ]; then
	echo "failed cleanly, but without libgit2's reason in the message (not counted as bad):"
	printf '%s' "$NOREASON"
fi
printf '%-18s %6s %6s %5s %5s %7s %7s %4s\n' command calls sites runs ok warned failed bad
printf '%s' "$SUMMARY"
echo "$TEST_NAME: $TOTAL_RUNS runs with a libgit2 fault, $TOTAL_BAD bad, $(($(date +%s) - START)) s"
finish
