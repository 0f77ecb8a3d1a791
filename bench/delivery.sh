#!/usr/bin/env bash
# Delivery benchmark (issues 4 and 13), two parts.
#
# Part 1, loopback: 50,000 events to the emulator (no rate limit, no latency, no faults) through
# (a) auditpipe's AuditLogClient as configured by default (Jetty, HTTP/2 by prior knowledge), (b) the
# official WorkOS Java SDK 7.2.0 from a 32-thread pool and (b') in a plain loop, and (c) wrk posting
# the same body: the emulator's ceiling on this machine. For the record, not in the RESULT line:
# auditpipe forced to HTTP/1.1 (auditpipe_http11). Each variant runs in its own JVM so its process
# CPU time is its own; each prints its CPU by thread group, and the script prints the protocols the
# emulator saw for it. Prints "RESULT delivery ...".
#
# Part 2, production-shaped (WanRun): the emulator with --tls (HTTP/2 by ALPN), --latency 80ms+-20ms
# and the 6000/60s limit; after the warm-ups, auditpipe's client with defaults sends WAN_EVENTS
# events (utilisation, process CPU per event over that window only), then 50 events/s for
# WAN_LATENCY_SECONDS (send-to-outcome p50/p99), then the SDK one call after the other for
# WAN_SDK_SECONDS; between the two, for the record, Jetty's client alone posting at the same pace
# (JettyFloor, WAN_FLOOR_EVENTS, default 6000): the CPU floor of the transport. Prints
# "RESULT delivery_wan ..." last.
#
# Environment: EVENTS (50000), WARMUP (100000: fewer leaves the JIT compiling the HTTP stacks
# during the measured phase), SEQ_EVENTS (events for the sequential SDK run, default EVENTS),
# AUDITPIPE_IN_FLIGHT (64), SDK_THREADS (32), WRK_SECONDS (15), WRK_CONNECTIONS (64),
# EXTRA_VARIANTS (1: also run auditpipe_http11; 0: skip it), PARTS ("1 2"), WAN_EVENTS (20000),
# WAN_WARMUP (12000: events at the limit before the measured window; the JIT compiles the paths of
# 100 events/s only once they have run at that pace for minutes), WAN_JIT_WARMUP (30000: events
# first sent, paced at 750/s, to an unlimited twin of the TLS emulator, as a JVM that has run for
# hours has compiled the HTTP stacks), WAN_LATENCY_SECONDS (60), WAN_SDK_SECONDS (120), EMULATOR_JAR (an emulator
# standalone jar to use instead of the one this reactor builds), DELIVERY_JAVA_OPTS (options for the
# client JVMs), THREAD_DETAIL=1 (CPU and runs per event of each busy thread too).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=bench/emulator-process.sh
source bench/emulator-process.sh

EVENTS="${EVENTS:-50000}"
WARMUP="${WARMUP:-100000}"
SEQ_EVENTS="${SEQ_EVENTS:-$EVENTS}"
AUDITPIPE_IN_FLIGHT="${AUDITPIPE_IN_FLIGHT:-64}"
SDK_THREADS="${SDK_THREADS:-32}"
WRK_SECONDS="${WRK_SECONDS:-15}"
WRK_CONNECTIONS="${WRK_CONNECTIONS:-64}"
EXTRA_VARIANTS="${EXTRA_VARIANTS:-1}"
PARTS="${PARTS:-1 2}"
WAN_EVENTS="${WAN_EVENTS:-20000}"
WAN_WARMUP="${WAN_WARMUP:-12000}"
WAN_JIT_WARMUP="${WAN_JIT_WARMUP:-30000}"
WAN_LATENCY_SECONDS="${WAN_LATENCY_SECONDS:-60}"
WAN_SDK_SECONDS="${WAN_SDK_SECONDS:-120}"

if ! command -v wrk >/dev/null; then
  apt-get install -y wrk >/dev/null 2>&1 || sudo apt-get install -y wrk >/dev/null
fi

prepare_run
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

# DELIVERY_JAVA_OPTS adds options to the client JVMs (e.g. a JFR recording, or a perf map).
# shellcheck disable=SC2206
jvm=(java -Xms1g -Xmx1g -XX:+UseParallelGC ${DELIVERY_JAVA_OPTS:-} -cp "$(private_classpath "$work")")

part1() {
start_emulator "$work" off
"${jvm[@]}" io.auditpipe.bench.delivery.DeliveryRun body "$work/body.json"

run_variant() { # variant events concurrency [jvm options]
  reset_emulator
  "${jvm[@]:0:4}" "${@:4}" "${jvm[@]:4}" io.auditpipe.bench.delivery.DeliveryRun "$1" \
    "$EMULATOR_URL" "$EMULATOR_KEY" "$2" "$WARMUP" "$3" | tee -a "$work/measures.txt"
  # Warm-up and measured requests together; the emulator counts API requests by protocol.
  curl -fs "$EMULATOR_URL/_emulator/counters" | python3 -c '
import json, sys
p = json.load(sys.stdin).get("requestsByProtocol", {})
print("PROTOCOLS variant=%s http11=%d http2=%d" % (sys.argv[1], p.get("HTTP/1.1", 0), p.get("h2c", 0) + p.get("h2", 0)))
' "$1" | tee -a "$work/measures.txt"
}

run_variant auditpipe "$EVENTS" "$AUDITPIPE_IN_FLIGHT"
if [ "$EXTRA_VARIANTS" = 1 ]; then
  run_variant auditpipe-http11 "$EVENTS" "$AUDITPIPE_IN_FLIGHT"
fi
run_variant sdk "$EVENTS" "$SDK_THREADS"
run_variant sdk-sequential "$SEQ_EVENTS" 1

# wrk: the same body, a fresh Idempotency-Key per request (as every client variant sends).
cat > "$work/post.lua" <<LUA
local f = assert(io.open("$work/body.json", "rb"))
local body = f:read("*a")
f:close()
local counter = 0
local thread_id = 0
function setup(thread)
  thread_id = thread_id + 1
  thread:set("tid", thread_id)
end
function init(args)
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["Authorization"] = "Bearer $EMULATOR_KEY"
end
function request()
  counter = counter + 1
  wrk.headers["Idempotency-Key"] = "wrk-" .. tid .. "-" .. counter
  return wrk.format()
end
LUA
reset_emulator
wrk -t2 -c"$WRK_CONNECTIONS" -d"${WRK_SECONDS}s" --latency -s "$work/post.lua" \
  "$EMULATOR_URL/audit_logs/events" | tee "$work/wrk.txt"
if grep -q "Non-2xx" "$work/wrk.txt"; then
  echo "wrk got non-2xx answers: the ceiling is not valid" >&2
  exit 1
fi
wrk_rps="$(awk '/^Requests\/sec:/ { print $2 }' "$work/wrk.txt")"

cp "$work/measures.txt" bench/results/delivery-measures.txt
cp "$work/wrk.txt" bench/results/delivery-wrk.txt

echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
awk -v wrk="$wrk_rps" '
  /^MEASURE / {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    eps[f["variant"]] = f["eps"]; cpu[f["variant"]] = f["cpu_us_per_event"]; fail[f["variant"]] = f["failures"]
  }
  END {
    split("auditpipe sdk sdk_sequential", need, " ")
    for (i in need) {
      if (!(need[i] in eps)) { print "missing result for " need[i] > "/dev/stderr"; exit 1 }
      if (fail[need[i]] > 0) { print need[i] " had " fail[need[i]] " failed events" > "/dev/stderr"; exit 1 }
    }
    printf "RESULT delivery auditpipe_eps=%.0f sdk_eps=%.0f sdk_sequential_eps=%.0f wrk_rps=%.0f ratio_vs_sdk=%.2f ratio_vs_ceiling=%.2f cpu_ratio_vs_sdk=%.2f\n",
      eps["auditpipe"], eps["sdk"], eps["sdk_sequential"], wrk,
      eps["auditpipe"] / eps["sdk"], eps["auditpipe"] / wrk, cpu["auditpipe"] / cpu["sdk"]
  }
' "$work/measures.txt"
stop_emulator
}

start_tls_emulator() { # NAME LIMIT: sets TLS_URL and TLS_PEM, appends the pid to TLS_PIDS
  local jar port pem
  jar="$work/emulator-tls.jar"
  [ -f "$jar" ] || cp "${EMULATOR_JAR:-$(ls emulator/target/auditpipe-emulator-*-standalone.jar | tail -1)}" "$jar"
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  pem="$work/$1-cert.pem"
  java -Xms512m -Xmx2g -jar "$jar" --port "$port" --api-key "$EMULATOR_KEY" \
    --org "$EMULATOR_ORG=bench" --rate-limit "$2" --tls --tls-cert-file "$pem" \
    --latency 80ms+-20ms >"$work/$1.log" 2>&1 &
  TLS_PIDS+=("$!")
  TLS_URL="https://localhost:$port"
  TLS_PEM="$pem"
  # Up to 60 s: generating the certificate and starting TLS is slow on a loaded machine.
  for _ in $(seq 1 300); do
    if [ -s "$pem" ] && curl -fs --cacert "$pem" -o /dev/null "$TLS_URL/_emulator/counters"; then
      return 0
    fi
    sleep 0.2
  done
  echo "the TLS emulator did not start (it needs --tls and --latency); its log:" >&2
  cat "$work/$1.log" >&2
  return 1
}

part2() {
  local url pem warm_url warm_pem
  TLS_PIDS=()
  # An empty TLS_PIDS must not make the trap's kill fail (status 2) after a clean run.
  trap 'if [ "${#TLS_PIDS[@]}" -gt 0 ]; then kill "${TLS_PIDS[@]}" 2>/dev/null || true; fi; stop_emulator; rm -rf "$work"' EXIT
  start_tls_emulator emulator-tls 6000/60s
  url="$TLS_URL"; pem="$TLS_PEM"
  # The JIT warm-up's twin: the same TLS and latency, no limit.
  start_tls_emulator emulator-warm off
  warm_url="$TLS_URL"; warm_pem="$TLS_PEM"
  "${jvm[@]}" io.auditpipe.bench.delivery.WanRun "$url" "$EMULATOR_KEY" "$pem" 6000 \
    "$WAN_EVENTS" "$WAN_WARMUP" "$WAN_LATENCY_SECONDS" "$WAN_SDK_SECONDS" \
    "$warm_url" "$warm_pem" "$WAN_JIT_WARMUP" | tee "$work/wan.txt" | { grep -v '^RESULT ' || true; }
  curl -fs --cacert "$pem" "$url/_emulator/counters" | python3 -c '
import json, sys
c = json.load(sys.stdin)
print("PROTOCOLS wan", json.dumps(c.get("requestsByProtocol", {})), "throttled=%s" % c.get("throttled", "?"))
' || true
  echo "load average at the end of part 2: $(cut -d' ' -f1-3 /proc/loadavg)"
  cp "$work/wan.txt" bench/results/delivery-wan.txt
  kill "${TLS_PIDS[@]}" 2>/dev/null || true
  wait "${TLS_PIDS[@]}" 2>/dev/null || true
  TLS_PIDS=()
  grep '^RESULT delivery_wan ' "$work/wan.txt" > "$work/wan-result.txt"
}

for part in $PARTS; do
  "part$part"
done
if [ -s "$work/wan-result.txt" ]; then
  cat "$work/wan-result.txt"
fi
