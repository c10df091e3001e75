#!/usr/bin/env bash
# Builds adr with gcov instrumentation (Debug, -O0), runs the whole suite
# but the crash sweep (or the ctest -R regular expression given), and reports which error sites in lib/ were
# reached (tests/coverage/error_sites.py). By hand:
#   tests/coverage/run.sh [--list] [--min PERCENT] [CTEST-REGEX]
# --min fails when fewer than PERCENT of the error sites (not counting the
# out-of-memory ones, as issue 11 counts them) were reached.
set -euo pipefail
cd "$(dirname "$0")/../.."
SRC=$(pwd)
BUILD=${ADR_COVERAGE_BUILD:-$SRC/build-coverage}
list= min= regex=
while [ $# -gt 0 ]; do
	case $1 in
	--list) list=--list ;;
	--min) min=$2; shift ;;
	*) regex=$1 ;;
	esac
	shift
done
cmake -S "$SRC" -B "$BUILD" -DCMAKE_BUILD_TYPE=Debug -DADR_COVERAGE=ON -DADR_WERROR=ON >/dev/null
cmake --build "$BUILD" -j"$(nproc)" >/dev/null
find "$BUILD" -name '*.gcda' -delete
# The crash sweep kills adr at every write, gcov's own data files included,
# and the damaged files then break every later run; killed runs reach no
# error site anyway, so it is left out here (the other builds run it).
ctest --test-dir "$BUILD" -j"$(nproc)" ${regex:+-R "$regex"} -E '^cli/t_crash_sweep$' \
	--output-on-failure >"$BUILD/coverage-ctest.log" 2>&1 ||
	{ tail -n 30 "$BUILD/coverage-ctest.log"; echo "coverage: the suite failed (log: $BUILD/coverage-ctest.log)" >&2; exit 1; }
python3 "$SRC/tests/coverage/error_sites.py" "$SRC" "$BUILD/lib/CMakeFiles/adr.dir" $list --json "$BUILD/error-sites.json"
if [ -n "$min" ]; then
	python3 - "$BUILD/error-sites.json" "$min" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))['total']
pct = 100.0 * t['reached'] / max(t['sites'], 1)
if pct < float(sys.argv[2]):
    sys.exit('coverage: %.1f%% of the error sites reached, below %s%%' % (pct, sys.argv[2]))
print('coverage: %.1f%% of the error sites reached (at least %s%% required)' % (pct, sys.argv[2]))
PY
fi
