#!/usr/bin/env bash
# Runs one fuzz target for a while:
#
#   tests/fuzz/run.sh TARGET [SECONDS|RUNS]   e.g. run.sh record 3600, run.sh json 10000000r
#
# TARGET is one of: yaml record legacy meeting json mustache trailers query markdown slug.
# A plain number is seconds (default 60); a number ending in r is a count of
# runs. Builds build-fuzz/ with clang (libFuzzer + ASan + UBSan) if needed.
# New interesting inputs go to build-fuzz/fuzz-corpus/TARGET (the committed
# seeds in tests/fuzz/corpus/TARGET are read, never written); a crash is
# written as build-fuzz/fuzz-artifacts/TARGET-crash-*: add it to
# tests/fuzz/corpus/TARGET/ once fixed, as a permanent regression seed.
# Extra libFuzzer options may follow, e.g. -jobs=2 or -max_len=4096.
set -euo pipefail
cd "$(dirname "$0")/../.."
SRC=$(pwd)
TARGETS="yaml record legacy meeting json mustache trailers query markdown slug"

if [ $# -lt 1 ] || ! [[ " $TARGETS " == *" $1 "* ]]; then
	echo "usage: tests/fuzz/run.sh TARGET [SECONDS|RUNSr] [libFuzzer options...]" >&2
	echo "targets: $TARGETS" >&2
	exit 2
fi
target=$1
amount=${2:-60}
shift $(($# >= 2 ? 2 : 1))
case $amount in
*r) limit=(-runs="${amount%r}") ;;
*) limit=(-max_total_time="$amount") ;;
esac
if ! [[ ${amount%r} =~ ^[0-9]+$ ]]; then
	echo "run.sh: '$amount' is neither seconds nor a count of runs (like 10000r)" >&2
	exit 2
fi

BUILD=${ADR_FUZZ_BUILD:-$SRC/build-fuzz}
if [ ! -x "$BUILD/tests/fuzz/fuzz_$target" ] || [ -z "${ADR_FUZZ_NO_BUILD:-}" ]; then
	CC=${CC:-clang} cmake -S "$SRC" -B "$BUILD" -DADR_FUZZ=ON -DADR_SANITIZE=ON \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	cmake --build "$BUILD" -j"$(nproc 2>/dev/null || echo 2)" --target "fuzz_$target" >/dev/null
fi
dict=()
if [ -f "$SRC/tests/fuzz/$target.dict" ]; then
	dict=(-dict="$SRC/tests/fuzz/$target.dict")
fi
corpus=$BUILD/fuzz-corpus/$target
mkdir -p "$corpus" "$BUILD/fuzz-artifacts"
# ASan keeps freed memory in a 256 MB quarantine by default, which alone
# brought the slug target past the 512 MB limit (peak 542 MB in 20,000
# runs, with 24 MB live): a 64 MB quarantine still catches use after free.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:quarantine_size_mb=64}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
exec "$BUILD/tests/fuzz/fuzz_$target" "${limit[@]}" -timeout=2 -rss_limit_mb=512 -print_final_stats=1 \
	-artifact_prefix="$BUILD/fuzz-artifacts/$target-" "${dict[@]}" "$@" \
	"$corpus" "$SRC/tests/fuzz/corpus/$target"
