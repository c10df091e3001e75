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
# body FILE CONTEXT DECISION CONSEQUENCES: a record's text, written as a
# person would (a record without one is a draft: the site marks it so).
body() {
	printf '## Context\n\n%s\n\n## Decision\n\n%s\n\n## Consequences\n\n%s\n' "$2" "$3" "$4" >"$1"
}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
body "$T/pg" "Events need a durable, queryable home that the team can operate." \
	"We store the event log in PostgreSQL, one table per stream." \
	"Ops learn logical replication; the schema is versioned with migrations."
printf '\n## Next steps\n\n- [ ] Bo Chen: write the first migration (by 2027-01-15)\n- [x] Ana Lima: size the instance (by 2026-12-01)\n' >>"$T/pg"
"$ADR" new --no-edit --body-file "$T/pg" --decision-maker "Ana Lima" --decision-maker "Bo Chen" --tag storage \
	--owner "Ana Lima" --revisit 6m --urgency low --complexity high Use PostgreSQL for the event store
body "$T/kafka" "Services exchange events; today they call each other directly." \
	"Integration events go through Kafka; each service owns its topics." \
	"A schema registry is needed; consumers must be idempotent."
"$ADR" new --no-edit --body-file "$T/kafka" --decision-maker "Bo Chen" --tag messaging --mode sync \
	Use Kafka for integration events
body "$T/redis" "Hot reads of the catalogue are slow." "We cache the catalogue in Redis." \
	"One more service to run."
"$ADR" new --no-edit --body-file "$T/redis" --decision-maker "Ana Lima" --status proposed --tag storage \
	Use Redis for caching
"$ADR" link 3 relates-to 2
body "$T/valkey" "Redis changed its licence." "We cache the catalogue in Valkey instead of Redis." \
	"The client library stays; the server image changes."
"$ADR" new --no-edit --body-file "$T/valkey" --decision-maker "Ana Lima" --decision-maker "Bo Chen" \
	--supersedes 4 --tag storage Use Valkey for caching
# An asynchronous decision: proposed on a branch, discussed, accepted.
body "$T/publish" "Partners ask why integration contracts changed." \
	"We publish the decision log to partners as a static site, partner and public records only." \
	"Every record says who may read it (visibility)."
"$ADR" propose --no-edit --body-file "$T/publish" --deadline 3d --reviewer "Bo Chen" --urgency low \
	--complexity high Publish the decision log to partners
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
