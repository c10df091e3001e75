#!/usr/bin/env bash
# The bundled example: installs what is missing, builds adr, creates a demo
# decision repository with a few records and a proposal, and shows the log.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)

ADR_WITH_BROWSER=0 ./tests/install-deps.sh
cmake -S "$SRC" -B "$SRC/build" -DADR_TESTS=OFF >/dev/null
cmake --build "$SRC/build" -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
ADR=$SRC/build/adr

DEMO=${1:-$SRC/build/demo}
rm -rf "$DEMO"
git init -q -b main "$DEMO"
cd "$DEMO"
git config user.name "Ana Lima"
git config user.email "ana@example.com"

"$ADR" init
"$ADR" new --no-edit --decision-maker "Ana Lima" --decision-maker "Bo Chen" --tag storage \
	--mode async --urgency low --complexity high Use PostgreSQL for the event store
"$ADR" new --no-edit --decision-maker "Bo Chen" --tag messaging --mode sync Use Kafka for integration events
"$ADR" new --no-edit --status proposed --tag storage Use Redis for caching
"$ADR" link 3 relates-to 2
"$ADR" new --no-edit --supersedes 4 --tag storage Use Valkey for caching
echo
"$ADR" list
echo
echo "demo repository: $DEMO"
git log --oneline
