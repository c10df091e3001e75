#!/usr/bin/env bash
# Durable mode (RELIABILITY.md S4, promise P3): with `durable: true` in
# .adr.yaml, or git's core.fsync / core.fsyncObjectFiles asking for it, the
# new loose objects, the ref lock file and the ref's directory are fsynced
# before `adr new` prints its success line. Without it, adr gives git's
# default durability: nothing in .git is fsynced. Watched with strace.
source "$(dirname "$0")/lib.sh"

if ! command -v strace >/dev/null 2>&1 || ! strace -o /dev/null true 2>/dev/null; then
	if [ "${CI:-}" = true ]; then
		echo "FAIL: strace is missing or cannot trace here (CI=true needs it; tests/install-deps.sh installs it)" >&2
		exit 1
	fi
	echo "$TEST_NAME: SKIP: strace is missing or cannot trace here (install it: tests/install-deps.sh)"
	exit 0
fi

R=$TMP/repo
new_repo "$R"
cd "$R"
git commit -q --allow-empty -m "start"
run_adr init
expect_eq "init" 0 "$RC"

# traced LOG TITLE: `adr new TITLE` under strace; the log has one syscall a
# line, fds shown with their paths (-y), full paths for the success line (-s).
# LeakSanitizer cannot run under ptrace: an ASan build traces with leak checks off.
traced() {
	set +e
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" \
		strace -f -y -s 256 -o "$1" -e trace=fsync,fdatasync,write,rename,renameat,renameat2,link,unlink \
		"$ADR" new "$2" >"$TMP/out" 2>"$TMP/err"
	RC=$?
	set -e
	OUT=$(cat "$TMP/out")
	ERR=$(cat "$TMP/err")
}

# line_of LOG PATTERN: the number of the first line matching the ERE, or 0.
line_of() {
	local n
	n=$(grep -n -E -m1 -- "$2" "$1" | cut -d: -f1)
	echo "${n:-0}"
}

# The line where adr writes its success line (the record's path) to stdout.
success_line() {
	line_of "$1" '^[0-9]+ +write\(1<[^>]*>, "docs/decisions/'
}

# --- durable: true ---------------------------------------------------------------------------
printf 'durable: true\n' >>.adr.yaml
git commit -q -m "durable" .adr.yaml
OLD=$(git rev-parse HEAD)
LOG=$TMP/durable.log
traced "$LOG" "Use PostgreSQL"
expect_eq "durable: exit status" 0 "$RC"
expect_eq "durable: success line" "docs/decisions/0002-use-postgresql.md" "$OUT"
NEW=$(git rev-parse HEAD)
check "durable: the branch moved" test "$OLD" != "$NEW"
OK=$(success_line "$LOG")
check "durable: the success line is in the trace" test "$OK" -gt 0

# Every new object: its temporary file and its fan-out directory are synced before success.
OBJECTS=$(git rev-list --objects "$OLD..$NEW" | cut -d' ' -f1 | sort -u)
N_OBJ=$(echo "$OBJECTS" | wc -l)
check "durable: new objects exist" test "$N_OBJ" -ge 3
N_SYNC=$(head -n "$OK" "$LOG" | grep -c -E 'fsync\([0-9]+<[^>]*/\.git/objects/tmp_object[^>]*>\) = 0' || true)
check "durable: one object-file fsync per new object ($N_SYNC for $N_OBJ) before success" test "$N_SYNC" -ge "$N_OBJ"
for id in $OBJECTS; do
	d=${id:0:2}
	n=$(line_of "$LOG" "fsync\([0-9]+<[^>]*/\.git/objects/$d>\) = 0")
	check "durable: objects/$d synced before success" test "$n" -gt 0 -a "$n" -lt "$OK"
done

# The ref: lock file synced, then renamed over the ref, then its directory synced; all before success.
LOCK_SYNC=$(line_of "$LOG" 'fsync\([0-9]+<[^>]*/\.git/refs/heads/main\.lock>\) = 0')
RENAME=$(line_of "$LOG" 'rename(at2?)?\(.*refs/heads/main\.lock", .*refs/heads/main"')
DIR_SYNC=$(line_of "$LOG" 'fsync\([0-9]+<[^>]*/\.git/refs/heads>\) = 0')
check "durable: main.lock fsynced ($LOCK_SYNC)" test "$LOCK_SYNC" -gt 0
check "durable: main.lock renamed after its fsync ($RENAME > $LOCK_SYNC)" test "$RENAME" -gt "$LOCK_SYNC"
check "durable: refs/heads synced after the rename ($DIR_SYNC > $RENAME)" test "$DIR_SYNC" -gt "$RENAME"
check "durable: all before the success line ($DIR_SYNC < $OK)" test "$DIR_SYNC" -lt "$OK"
# The work tree follows the branch durably too: the record file is synced
# before it is renamed into place, then its directory; the index likewise;
# and adr's journal (its plan for repairs) before any of them.
JOURNAL=$(line_of "$LOG" 'fsync\([0-9]+<[^>]*/\.git/adr-journal>\) = 0')
FILE_SYNC=$(line_of "$LOG" 'fsync\([0-9]+<[^>]*/\.git/adr-wt-[0-9]+-[0-9]+>\) = 0')
FILE_RENAME=$(line_of "$LOG" 'rename\(.*/\.git/adr-wt-[0-9]+-[0-9]+", ".*/docs/decisions/0002-use-postgresql\.md"\)')
DOCS_SYNC=$(line_of "$LOG" 'fsync\([0-9]+<[^>]*/docs/decisions>\) = 0')
INDEX_SYNC=$(line_of "$LOG" 'fsync\([0-9]+<[^>]*/\.git/adr-wt-[0-9]+-index>\) = 0')
INDEX_RENAME=$(line_of "$LOG" 'rename\(.*/\.git/adr-wt-[0-9]+-index", ".*/\.git/index"\)')
check "durable: the journal is synced before the record file ($JOURNAL < $FILE_SYNC)" test "$JOURNAL" -gt 0 -a "$JOURNAL" -lt "$FILE_SYNC"
check "durable: the record file is synced, then renamed ($FILE_SYNC < $FILE_RENAME)" test "$FILE_SYNC" -gt 0 -a "$FILE_SYNC" -lt "$FILE_RENAME"
check "durable: then its directory ($FILE_RENAME < $DOCS_SYNC < $OK)" test "$DOCS_SYNC" -gt "$FILE_RENAME" -a "$DOCS_SYNC" -lt "$OK"
check "durable: the index is synced, then renamed ($INDEX_SYNC < $INDEX_RENAME < $OK)" \
	test "$INDEX_SYNC" -gt 0 -a "$INDEX_SYNC" -lt "$INDEX_RENAME" -a "$INDEX_RENAME" -lt "$OK"
check "durable: fsck" fsck_clean "$R"
check "durable: status clean" status_clean "$R"

# --- durable: false, the default: git's durability, no fsync in .git ---------------------------
sed -i 's/^durable: true$/durable: false/' .adr.yaml
git commit -q -m "not durable" .adr.yaml
LOG=$TMP/default.log
traced "$LOG" "Use Redis"
expect_eq "default: exit status" 0 "$RC"
expect_eq "default: success line" "docs/decisions/0003-use-redis.md" "$OUT"
OK=$(success_line "$LOG")
check "default: the success line is in the trace" test "$OK" -gt 0
check "default: the ref was renamed into place" test "$(line_of "$LOG" 'refs/heads/main\.lock", .*refs/heads/main"')" -gt 0
expect_eq "default: no fsync of objects or refs" "0" \
	"$(grep -c -E 'f(data)?sync\([0-9]+<[^>]*/\.git/(objects|refs)' "$LOG" || true)"
check "default: fsck" fsck_clean "$R"

# --- git's own settings turn it on ---------------------------------------------------------
# core.fsync names what git syncs: loose-object, reference, index (or a group with one of
# them: objects, committed, added, all) count; "pack" alone or "none" does not.
git config core.fsync pack
traced "$TMP/pack.log" "Use Kafka"
expect_eq "core.fsync=pack: exit status" 0 "$RC"
expect_eq "core.fsync=pack: not durable" "0" \
	"$(grep -c -E 'fsync\([0-9]+<[^>]*/\.git/refs/heads/main\.lock>' "$TMP/pack.log" || true)"
git config core.fsync committed
traced "$TMP/committed.log" "Use NATS"
expect_eq "core.fsync=committed: exit status" 0 "$RC"
OK=$(success_line "$TMP/committed.log")
n=$(line_of "$TMP/committed.log" 'fsync\([0-9]+<[^>]*/\.git/refs/heads/main\.lock>\) = 0')
check "core.fsync=committed: main.lock synced before success ($n < $OK)" test "$n" -gt 0 -a "$n" -lt "$OK"
git config core.fsync none
traced "$TMP/none.log" "Use MQTT"
expect_eq "core.fsync=none: exit status" 0 "$RC"
expect_eq "core.fsync=none: not durable" "0" \
	"$(grep -c -E 'fsync\([0-9]+<[^>]*/\.git/(objects|refs)' "$TMP/none.log" || true)"
git config --unset core.fsync
git config core.fsyncObjectFiles true
traced "$TMP/objfiles.log" "Use ZeroMQ"
expect_eq "core.fsyncObjectFiles: exit status" 0 "$RC"
OK=$(success_line "$TMP/objfiles.log")
n=$(line_of "$TMP/objfiles.log" 'fsync\([0-9]+<[^>]*/\.git/refs/heads>\) = 0')
check "core.fsyncObjectFiles: refs/heads synced before success ($n < $OK)" test "$n" -gt 0 -a "$n" -lt "$OK"
git config --unset core.fsyncObjectFiles

# --- a bad value is an error, and nothing is written -------------------------------------------
sed -i 's/^durable: false$/durable: maybe/' .adr.yaml
git commit -q -m "bad durable" .adr.yaml
N=$(commit_count "$R")
run_adr new "Use Pulsar"
expect_eq "bad durable: exit status" 1 "$RC"
expect_eq "bad durable: message" "adr: .adr.yaml:4:10: durable must be true or false" "$ERR"
expect_eq "bad durable: nothing committed" "$N" "$(commit_count "$R")"
check "bad durable: no record file" test ! -e docs/decisions/0008-use-pulsar.md
check "bad durable: status clean" status_clean "$R"
finish
