#!/usr/bin/env bash
# The bundled example: installs what is missing, builds adr, creates a demo
# decision repository (records, a link, a supersession, a proposal discussed
# and accepted) and renders its static HTML log.
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)

ADR_WITH_BROWSER=0 ./tests/install-deps.sh
cmake -S "$SRC" -B "$SRC/build" -DADR_TESTS=OFF >/dev/null
cmake --build "$SRC/build" -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
ADR=$SRC/build/adr

DEMO=${1:-$SRC/build/demo}
rm -rf "$DEMO" "$DEMO-site"
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
# An asynchronous decision: proposed on a branch, discussed, accepted.
"$ADR" propose --no-edit --deadline 3d --urgency low --complexity high Publish the decision log to partners
GIT_AUTHOR_NAME="Bo Chen" GIT_AUTHOR_EMAIL="bo@example.com" \
	"$ADR" comment publish-the-decision-log-to-partners --object -m "Internal records must not leak."
"$ADR" comment publish-the-decision-log-to-partners -m "Agreed: only visibility partner and public are published."
GIT_AUTHOR_NAME="Bo Chen" GIT_AUTHOR_EMAIL="bo@example.com" \
	"$ADR" comment publish-the-decision-log-to-partners --approve -m "Fine by me."
"$ADR" accept publish-the-decision-log-to-partners
echo
"$ADR" list
echo
"$ADR" html -o "$DEMO-site" --title "Demo decision log"
echo
echo "demo repository: $DEMO"
echo "its HTML log:    $DEMO-site/index.html (open it in a browser; it works offline)"
