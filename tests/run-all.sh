#!/usr/bin/env bash
# Installs what is missing, builds adr twice (plain, and with AddressSanitizer
# + UndefinedBehaviorSanitizer, both with -Werror), and runs every test in both.
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
done

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
