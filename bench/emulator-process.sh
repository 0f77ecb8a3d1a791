# Sourced by bench/delivery.sh and bench/ratelimit.sh: runs the emulator as its own process on
# loopback, so its CPU time is not charged to the client being measured.
#   start_emulator WORKDIR LIMIT   LIMIT = requests per minute for the key, or "off"
#   reset_emulator                 forget stored events and idempotency keys between variants
#   emulator_stored_events         how many events the emulator stores (-1 if it cannot tell)
#   stop_emulator
#   private_classpath WORKDIR      copies bench/target/benchmarks.jar and prints a classpath for it:
#                                  other work may rebuild bench/target while a benchmark runs
# Sets EMULATOR_URL, EMULATOR_KEY, EMULATOR_ORG.

EMULATOR_KEY="sk_test_bench_0123456789"
EMULATOR_ORG="org_01EHWNCE74X7JSDV0X3SZ3KJNY"
EMULATOR_PID=""

start_emulator() {
  local workdir="$1" limit="$2"
  local jar
  jar="$workdir/emulator.jar"
  cp "$(ls emulator/target/auditpipe-emulator-*-standalone.jar | tail -1)" "$jar"
  local port
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  local rate=(--rate-limit "$limit/60s")
  if [ "$limit" = "off" ]; then rate=(--rate-limit off); fi
  java -Xms1g -Xmx2g -jar "$jar" --port "$port" --api-key "$EMULATOR_KEY" \
    --org "$EMULATOR_ORG=bench" "${rate[@]}" >"$workdir/emulator.log" 2>&1 &
  EMULATOR_PID=$!
  EMULATOR_URL="http://127.0.0.1:$port"
  for _ in $(seq 1 100); do
    if curl -fs -o /dev/null "$EMULATOR_URL/_emulator/counters"; then return 0; fi
    sleep 0.2
  done
  echo "the emulator did not start; its log:" >&2
  cat "$workdir/emulator.log" >&2
  return 1
}

reset_emulator() {
  curl -fs -X POST -o /dev/null "$EMULATOR_URL/_emulator/reset"
}

emulator_stored_events() {
  curl -fs "$EMULATOR_URL/_emulator/events?organization_id=$EMULATOR_ORG&limit=1" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d.get("total", len(d.get("data", []))))' \
    2>/dev/null || echo -1
}

stop_emulator() {
  if [ -n "$EMULATOR_PID" ]; then
    kill "$EMULATOR_PID" 2>/dev/null || true
    wait "$EMULATOR_PID" 2>/dev/null || true
    EMULATOR_PID=""
  fi
}

private_classpath() {
  # The bench build's shaded jar holds the harness, our modules as this reactor built them, and
  # every dependency: nothing is read from ~/.m2, where other work may have installed older
  # SNAPSHOTs of our modules, or none at all (a fresh clone).
  local workdir="$1"
  cp bench/target/benchmarks.jar "$workdir/benchmarks.jar"
  echo "$workdir/benchmarks.jar"
}
