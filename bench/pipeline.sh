#!/usr/bin/env bash
# Connector pipeline benchmark (issue 5): an in-process broker and Connect worker running the auditpipe
# sink (inline rules, 1 task) delivering to the emulator on loopback.
#   1. no rate limit: 100,000 pre-produced events (arg 1) until all are stored, after a warm-up of
#      WARMUP events (default 100,000; 0 for none) through a first connector in the same JVM;
#   2. the emulator enforcing WorkOS's 6,000 requests/min for 60 s (arg 2).
# Prints both RESULT lines, the limited one last:
#   RESULT pipeline eps=<n> p99_ms=<n> lost=<n> duplicates=<n>
#   RESULT pipeline_limited utilisation=<x> throttled_share=<y> lost=<n>
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

EVENTS="${1:-100000}"
WINDOW_SECONDS="${2:-60}"
WARMUP="${WARMUP:-100000}"

mvn -B -q -Pbench -pl bench -am package -DskipTests -Dspotless.check.skip=true
mkdir -p bench/results
# Run from a private copy: another bench build may replace bench/target/benchmarks.jar mid-run.
jar="$(mktemp --suffix=.jar)"
trap 'rm -f "$jar"' EXIT
cp bench/target/benchmarks.jar "$jar"

run() {
  # PIPELINE_JAVA_OPTS adds JVM options, e.g. -XX:StartFlightRecording=filename=bench/results/pipeline.jfr
  # shellcheck disable=SC2086
  java -Xms2g -Xmx2g -XX:+UseParallelGC ${PIPELINE_JAVA_OPTS:-} -cp "$jar" \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    io.auditpipe.bench.pipeline.PipelineBenchmark "$@"
}

run unlimited "$EVENTS" "$WARMUP" 2>bench/results/pipeline.log | tee bench/results/pipeline.out
run limited "$WINDOW_SECONDS" 2>bench/results/pipeline_limited.log | tee -a bench/results/pipeline.out

grep -q '^RESULT pipeline ' bench/results/pipeline.out || { echo "no RESULT pipeline line; see bench/results/pipeline.log" >&2; exit 1; }
tail -n 1 bench/results/pipeline.out | grep -q '^RESULT pipeline_limited ' || {
  echo "no RESULT pipeline_limited line; see bench/results/pipeline_limited.log" >&2
  exit 1
}
