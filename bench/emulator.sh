#!/usr/bin/env bash
# Throughput of the WorkOS emulator's create-event endpoint: wrk over keep-alive connections posting
# a valid event to the standalone emulator (no faults, no rate limit).
# Last line: RESULT emulator rps=<n> p99_ms=<n> errors=<n>
# Env: DURATION (default 30s), WARMUP (default 15s), CONNECTIONS (default 64), THREADS (default 2).
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION="${DURATION:-30s}"
WARMUP="${WARMUP:-15s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"

if ! command -v wrk >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi

jar="$(ls emulator/target/auditpipe-emulator-*-standalone.jar 2>/dev/null | sort | tail -1 || true)"
if [ -z "${SKIP_BUILD:-}" ] || [ -z "$jar" ]; then
  mvn -B -q -o -pl emulator -am install -DskipTests >/dev/null 2>&1 \
    || mvn -B -q -pl emulator -am install -DskipTests
  jar="$(ls emulator/target/auditpipe-emulator-*-standalone.jar | sort | tail -1)"
fi

export EMULATOR_KEY="sk_test_bench_0123456789"
export EMULATOR_ORG="org_01EHWNCE74X7JSDV0X3SZ3KJNY"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
url="http://127.0.0.1:$port"
log="$(mktemp -t emulator-bench.XXXXXX.log)"

java -Xms3g -Xmx3g -XX:+UseG1GC -jar "$jar" --port "$port" --api-key "$EMULATOR_KEY" \
  --org "$EMULATOR_ORG=bench" --rate-limit off >"$log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true' EXIT

for _ in $(seq 1 100); do
  if curl -fs -o /dev/null "$url/_emulator/counters"; then break; fi
  sleep 0.2
done
curl -fs -o /dev/null "$url/_emulator/counters" || { echo "emulator did not start:" >&2; cat "$log" >&2; exit 1; }

echo "warm-up $WARMUP"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s bench/wrk/create-event.lua "$url/audit_logs/events" >/dev/null
curl -fs -X POST -o /dev/null "$url/_emulator/reset"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
echo "measure $DURATION, $CONNECTIONS connections, $THREADS wrk threads"
cpu0="$(cpu_ticks)"
out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s bench/wrk/create-event.lua \
  "$url/audit_logs/events")"
cpu1="$(cpu_ticks)"
echo "$out"
stored="$(curl -fs "$url/_emulator/counters" | python3 -c 'import json,sys; print(json.load(sys.stdin)["eventsStored"])')"
echo "events stored by the emulator: $stored"

line="$(echo "$out" | grep '^WRK ')"
rps="$(echo "$line" | sed -E 's/.*rps=([0-9]+).*/\1/')"
p99="$(echo "$line" | sed -E 's/.*p99_ms=([0-9.]+).*/\1/')"
errors="$(echo "$line" | sed -E 's/.*errors=([0-9]+).*/\1/')"
requests="$(echo "$line" | sed -E 's/.*requests=([0-9]+).*/\1/')"
hz="$(getconf CLK_TCK)"
echo "emulator CPU: $(( (cpu1 - cpu0) * 1000000 / hz / (requests > 0 ? requests : 1) )) us per request;" \
  "load average during the run: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "RESULT emulator rps=$rps p99_ms=$p99 errors=$errors"
