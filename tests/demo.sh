#!/usr/bin/env bash
# The bundled example: installs what is missing, builds adr, creates a demo
# decision repository (records with real text, a link, a superseded chain, a
# proposal discussed and accepted, one still open for comment with its thread,
# a meeting's decisions) and renders its static HTML log twice: the internal
# log, and the partner log beside it (partner and public records only).
set -euo pipefail
cd "$(dirname "$0")/.."
SRC=$(pwd)

ADR_WITH_BROWSER=0 ./tests/install-deps.sh
cmake -S "$SRC" -B "$SRC/build" -DADR_TESTS=OFF >/dev/null
cmake --build "$SRC/build" -j"$(nproc 2>/dev/null || echo 2)" >/dev/null
ADR=$SRC/build/adr

DEMO=${1:-$SRC/build/demo}
rm -rf "$DEMO" "$DEMO-site" "$DEMO-site-partner"
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
	--owner "Ana Lima" --revisit 6m --urgency low --complexity high --visibility partner \
	Use PostgreSQL for the event store
body "$T/kafka" "Services exchange events; today they call each other directly." \
	"Integration events go through Kafka; each service owns its topics." \
	"A schema registry is needed; consumers must be idempotent."
"$ADR" new --no-edit --body-file "$T/kafka" --decision-maker "Bo Chen" --tag messaging --mode sync \
	--visibility partner Use Kafka for integration events
body "$T/redis" "Hot reads of the catalogue are slow." "We cache the catalogue in Redis." \
	"One more service to run."
"$ADR" new --no-edit --body-file "$T/redis" --decision-maker "Ana Lima" --tag storage \
	Use Redis for caching
"$ADR" link 3 relates-to 2
body "$T/valkey" "Redis changed its licence." "We cache the catalogue in Valkey instead of Redis." \
	"The client library stays; the server image changes."
"$ADR" new --no-edit --body-file "$T/valkey" --decision-maker "Ana Lima" --decision-maker "Bo Chen" \
	--supersedes 4 --tag storage --visibility partner Use Valkey for caching
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
# A meeting's decisions, from its minutes.
cat >"$T/minutes.md" <<'MINUTES'
# Architecture sync, platform team
Attendees: Ana Lima, Bo Chen, Chidi Okafor

## Decision: Run services on the shared Kubernetes cluster
Context: Each team runs its own virtual machines; patching lags by weeks.
Decision: New services run on the shared Kubernetes cluster; existing ones move when they next change.
Rationale: One patching and monitoring path for every service.
Options: Shared Kubernetes cluster, per-team virtual machines, a managed PaaS
Consequences: Teams learn Helm; the platform team is on call for the cluster.
Owner: Chidi Okafor
Visibility: partner

## Decision: Keep secrets in Vault
Decision: Services read secrets from Vault at start-up; no secret lives in a repository.
Rationale: Rotation without redeploys, and an audit trail of reads.
Options: Vault, sealed secrets in git, cloud KMS only
Consequences: Every service needs a Vault role; local development uses a dev server.
MINUTES
"$ADR" meeting --from "$T/minutes.md" --tag platform
# A proposal still open for comment, with its thread.
body "$T/otel" "Incidents take hours to trace across services; each team logs differently." \
	"We instrument every service with OpenTelemetry and send traces to one collector." \
	"Each service adds the SDK; the collector needs storage for 14 days of traces."
"$ADR" propose --no-edit --body-file "$T/otel" --deadline 5d --reviewer "Bo Chen" --reviewer "Chidi Okafor" \
	--visibility partner --tag observability Adopt OpenTelemetry for tracing
GIT_AUTHOR_NAME="Bo Chen" GIT_AUTHOR_EMAIL="bo@example.com" \
	"$ADR" comment adopt-opentelemetry-for-tracing -m "Which backend stores the traces? We should say so before deciding."
"$ADR" comment adopt-opentelemetry-for-tracing -m "Tempo, on the shared cluster; I will add it to the decision."
GIT_AUTHOR_NAME="Chidi Okafor" GIT_AUTHOR_EMAIL="chidi@example.com" \
	"$ADR" comment adopt-opentelemetry-for-tracing --approve -m "Good for the platform team."
echo
"$ADR" list
echo
"$ADR" queue
echo
"$ADR" html -o "$DEMO-site" --title "Demo decision log"
"$ADR" html -o "$DEMO-site-partner" --audience partner --title "Demo decision log (partners)"
echo
echo "demo repository: $DEMO"
echo "its HTML log:    $DEMO-site/index.html (open it in a browser; it works offline)"
echo "partners' log:   $DEMO-site-partner/index.html (partner and public records only)"
