#!/usr/bin/env bash
# Outage benchmark (issue 12): EVENTS events (default 30,000; arg 1) through a stock-shaped Connect
# worker — its own JVM, Kafka's jars on the classpath, the connector only from the plugin archive on
# plugin.path, default connector settings, tasks.max=2 over 4 partitions — to the emulator enforcing
# WorkOS's 6,000 requests / 60 s. Once half the events are stored, WorkOS refuses connections for
# OUTAGE_SECONDS (default 300; arg 2), then comes back on the same port with its state. About
# 11 minutes. The broker and the emulator run in the benchmark's JVM (io.auditpipe.bench.outage.OutageRun).
# Prints the RESULT line last:
#   RESULT outage lost=<n> duplicates=<n> dead_lettered=<n> failed_tasks=<n> recovery_s=<s> catchup_utilisation=<x>
# recovery_s: WorkOS healthy again → start of the first 10 s stored at >= 90 % of the limit (-1: never).
# catchup_utilisation: events stored per second from that point until the backlog is drained / the limit.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

EVENTS="${1:-30000}"
OUTAGE_SECONDS="${2:-300}"
LIMIT_PER_MINUTE=6000

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p bench/results

# One build: the bench jar, the plugin archive, and the worker's classpath (the bench's runtime
# dependencies without any auditpipe module; each module of the reactor writes the file, bench last).
mvn -B -q -Pbench -pl bench -am package dependency:build-classpath -DskipTests -Dspotless.check.skip=true \
  -DexcludeGroupIds=io.auditpipe -Dmdep.outputFile="$work/worker.classpath"

# Private copies: other work may rebuild bench/target or connector/target while this runs.
cp bench/target/benchmarks.jar "$work/benchmarks.jar"
mkdir -p "$work/plugins"
cp -r connector/target/auditpipe-connector-*-plugin/. "$work/plugins/"

java -Xms1g -Xmx1g -cp "$work/benchmarks.jar" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  io.auditpipe.bench.outage.OutageRun \
  "$work/plugins" "$(cat "$work/worker.classpath")" "$work" "$EVENTS" "$OUTAGE_SECONDS" "$LIMIT_PER_MINUTE" \
  2>bench/results/outage.log | tee bench/results/outage.out
cp "$work/outage-worker.log" bench/results/outage-worker.log 2>/dev/null || true

tail -n 1 bench/results/outage.out | grep -q '^RESULT outage ' || {
  echo "no RESULT outage line; see bench/results/outage.log and bench/results/outage-worker.log" >&2
  exit 1
}
