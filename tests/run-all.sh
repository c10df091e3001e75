#!/usr/bin/env bash
# Installs what is missing, builds adr twice (plain, and with AddressSanitizer
# + UndefinedBehaviorSanitizer, both with -Werror), and runs every test in both.
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
exit $status
