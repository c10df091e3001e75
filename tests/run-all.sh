#!/usr/bin/env bash
# Installs what is missing, builds adr twice (plain, and with AddressSanitizer
# + UndefinedBehaviorSanitizer, both with -Werror), and runs every test in both
# (the plain ones a second time in a time zone a day ahead of UTC); builds
# Debug with gcov and runs every test there too, failing below 90% of lib/'s
# error sites reached; and fails when the browser test could not be registered.
# Then builds the fuzz targets with clang (libFuzzer + ASan + UBSan) and runs
# each for a fixed count of inputs (ADR_FUZZ_RUNS, default 20000); any crash,
# leak, broken property or input slower than 2 s fails CI.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)

./tests/install-deps.sh

JOBS=$(nproc 2>/dev/null || echo 2)
status=0
for flavour in plain asan; do
	dir=$SRC/build-ci-$flavour
	opts=(-DADR_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo)
	if [ "$flavour" = asan ]; then
		opts+=(-DADR_SANITIZE=ON)
	fi
	echo "== build ($flavour)"
	cmake -S "$SRC" -B "$dir" "${opts[@]}" >/dev/null
	cmake --build "$dir" -j"$JOBS" >/dev/null
	# The browser test is registered only where node, npm and chromium were
	# found; install-deps installs them, so its absence is a failure here.
	# (The listing is read whole first: `grep -q` stops reading at its first
	# match, and under pipefail the SIGPIPE that ctest may then get would
	# fail the check on a test that is registered.)
	listed=$(ctest --test-dir "$dir" -N -R '^browser/site$')
	if [ "${ADR_WITH_BROWSER:-1}" = 1 ] && ! grep -q 'browser/site' <<<"$listed"; then
		echo "== the browser test is not registered (node, npm or chromium missing)"
		status=1
	fi
	echo "== test ($flavour)"
	# Sanitizer reports go to files too: a report from a process whose exit
	# status a test ignores (a forked criterion test, a git hook) still fails CI.
	reports=$dir/sanitizer-reports
	rm -rf "$reports"
	mkdir -p "$reports"
	export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1:log_path=$reports/asan
	export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:log_path=$reports/ubsan
	if ! ctest --test-dir "$dir" --output-on-failure -j"$JOBS"; then
		status=1
	fi
	if [ -n "$(ls -A "$reports")" ]; then
		echo "== sanitizer reports ($flavour):"
		head -n 60 "$reports"/*
		status=1
	fi
	unset ASAN_OPTIONS UBSAN_OPTIONS
	if [ "$flavour" = plain ]; then
		# Dates: with ADR_NOW unset adr uses local time, so the plain tests
		# run again where the date is a day ahead of UTC most of the day
		# (the crash and fault sweeps, the fresh clone and the browser do not
		# depend on it).
		echo "== test (plain, TZ=Pacific/Kiritimati)"
		if ! TZ=Pacific/Kiritimati ctest --test-dir "$dir" --output-on-failure -j"$JOBS" \
			-E '^(cli/t_crash_sweep|cli/t_fault_sweep|cli/t_fault_git|cli/t_fresh_clone|browser/.*)$'; then
			status=1
		fi
	fi
done

# A Debug (-O0) build, instrumented with gcov: it must build (it links what
# optimisation would inline), pass every test, and reach at least
# ADR_COVERAGE_MIN percent of the error sites in lib/ (tests/coverage/).
echo "== build + test (debug, gcov)"
if ! ADR_COVERAGE_BUILD=$SRC/build-ci-debug "$SRC/tests/coverage/run.sh" --min "${ADR_COVERAGE_MIN:-90}"; then
	echo "== the Debug build, its tests or its error-site coverage failed"
	status=1
fi

# Fuzzing (tests/fuzz/): a short, fixed run of every target. A crash is kept
# as build-ci-fuzz/fuzz-artifacts/<target>-crash-*; tests/fuzz/run.sh runs a
# target for longer.
dir=$SRC/build-ci-fuzz
echo "== build (fuzz)"
CC=clang cmake -S "$SRC" -B "$dir" -DADR_FUZZ=ON -DADR_SANITIZE=ON -DADR_WERROR=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
targets=$(sed -n 's/^set(ADR_FUZZ_TARGETS \(.*\))$/\1/p' "$SRC/tests/fuzz/CMakeLists.txt")
cmake --build "$dir" -j"$JOBS" --target $(printf 'fuzz_%s ' $targets) >/dev/null
echo "== fuzz (${ADR_FUZZ_RUNS:-20000} runs per target)"
for t in $targets; do
	rm -rf "$dir/fuzz-corpus/$t"
	if ADR_FUZZ_BUILD=$dir ADR_FUZZ_NO_BUILD=1 "$SRC/tests/fuzz/run.sh" "$t" "${ADR_FUZZ_RUNS:-20000}r" \
		>"$dir/fuzz-$t.log" 2>&1; then
		echo "fuzz/$t: $(grep -a '^Done' "$dir/fuzz-$t.log" || echo done)"
	else
		echo "fuzz/$t: FAILED (log: $dir/fuzz-$t.log)"
		grep -a -B2 -A20 'ERROR\|property broken' "$dir/fuzz-$t.log" | head -n 40
		status=1
	fi
done
exit $status
