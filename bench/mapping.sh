#!/usr/bin/env bash
# Mapping benchmark (issue 2): the reference order event -> WorkOS request bytes, single thread,
# for auditpipe's rules fast path, JSONata, JSLT and hand-written Jackson. Builds, runs JMH
# (one fork, ~3.5 minutes in all) and prints the RESULT line last. Extra arguments go to JMH,
# e.g. `bench/mapping.sh -prof gc`. The fast variant takes the path the connector and the processor
# take: CompiledRules.readValue (Jackson's streaming parser, only the rules' paths become nodes),
# map, then the body written with Jackson's generator.
#
# Targets (issue 14): ratio_vs_best_peer = fast / max(jsonata, jslt) >= 1.5 and
# ratio_vs_handwritten = fast / handwritten >= 1.0.
#
# The RESULT figures are events per CPU-second of the benchmark JVM (CpuMeter): equal to wall-clock
# events/s on an idle machine, and robust to other work on a shared one. JMH's wall-clock scores
# are printed just before, as "wall-clock ...".
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

mvn -B -q -Pbench -pl bench -am package -DskipTests
mkdir -p bench/results
csv="bench/results/mapping.csv"
cpu="bench/results/mapping-cpu.txt"
rm -f "$csv" "$cpu"
# Run a private copy: another bench/*.sh rebuilding bench/target meanwhile must not pull the jar
# out from under JMH's forks.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cp bench/target/benchmarks.jar "$work/benchmarks.jar"

include='io\.auditpipe\.bench\.mapping\.MappingBenchmark\.(fast|jsonata|jslt|handwritten)$'

java -jar "$work/benchmarks.jar" "$include" \
  -f 1 -wi 4 -w 5s -i 5 -r 5s -t 1 -bm thrpt -tu s \
  -jvmArgsAppend "-Xms1g -Xmx1g -Dauditpipe.bench.cpu.out=$root/$cpu" \
  -rf csv -rff "$csv" "$@"

# JMH's CSV: "Benchmark","Mode","Threads","Samples","Score","Score Error (99.9%)","Unit"; extra
# rows (profiler secondary results) carry a ':' in the benchmark name and are skipped.
awk -F',' '
  NR > 1 {
    name = $1; gsub(/"/, "", name)
    if (name ~ /:/) next
    sub(/.*\./, "", name)
    printf "%s%s_eps=%.0f", (n++ ? " " : "wall-clock "), name, $5
  }
  END { print "" }
' "$csv"

# CpuMeter: "<benchmark> <ops> <cpu nanos>" per benchmark.
awk '
  {
    name = $1; sub(/.*\./, "", name)
    score[name] = $2 / ($3 / 1e9)
  }
  END {
    split("fast jsonata jslt handwritten", need, " ")
    for (i in need) if (!(need[i] in score)) { print "missing result for " need[i] > "/dev/stderr"; exit 1 }
    best = score["jsonata"] > score["jslt"] ? score["jsonata"] : score["jslt"]
    printf "RESULT mapping fast_eps=%.0f jsonata_eps=%.0f jslt_eps=%.0f handwritten_eps=%.0f ratio_vs_best_peer=%.2f ratio_vs_handwritten=%.2f\n",
      score["fast"], score["jsonata"], score["jslt"], score["handwritten"],
      score["fast"] / best, score["fast"] / score["handwritten"]
  }
' "$cpu"
