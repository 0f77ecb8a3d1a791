#!/usr/bin/env bash
# Processor benchmark (issue 6): an in-process KRaft broker, 200,000 pre-produced ~1.2 KB reference
# order events, the reference rules of the mapping benchmark, Kafka Streams with exactly_once_v2.
# Builds, runs (~1-2 minutes) and prints the RESULT line last. Arguments:
# [events] [input-partitions] [stream-threads], default 200000 2 2.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mvn -B -q -Pbench -pl bench -am package -DskipTests
mkdir -p bench/results
log="bench/results/processor.log"
# Run from a private copy: another bench build may replace bench/target/benchmarks.jar mid-run.
jar="$(mktemp --suffix=.jar)"
trap 'rm -f "$jar"' EXIT
cp bench/target/benchmarks.jar "$jar"

java -Xms2g -Xmx2g -XX:+UseParallelGC -cp "$jar" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  io.auditpipe.bench.processor.ProcessorBenchmark "$@" 2>"$log" | tee bench/results/processor.out

tail -n 1 bench/results/processor.out | grep -q '^RESULT processor ' || {
  echo "no RESULT line; see $log" >&2
  exit 1
}
