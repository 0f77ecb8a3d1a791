#!/usr/bin/env bash
# Rate-limit benchmark (issues 4 and 12): the emulator limits the API key to 6,000 requests / 60 s.
# Even run: four auditpipe clients sharing that budget (shareCount=4, safety margin SAFETY_MARGIN)
# push 30,000 events (64 in flight each). Skewed run (emulator reset): two clients share the key
# (shareCount=2, as tasks.max=2) and one of them pushes SKEW_EVENTS events while the other stays
# idle; the busy one has SKEW_MAX_IN_FLIGHT slots (64, the connector's default; more than the
# emulator's 128 HTTP/2 streams per connection fail with "too many concurrent streams"). About
# seven minutes. Prints the RESULT ratelimit line, then RESULT ratelimit_skew last.
#
# Environment: EVENTS (30000), CLIENTS (4), SAFETY_MARGIN (0.02), SKEW_EVENTS (12000),
# SKEW_MAX_IN_FLIGHT (64),
# RUNS ("even skewed"; name one to run only that one).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=bench/emulator-process.sh
source bench/emulator-process.sh

EVENTS="${EVENTS:-30000}"
CLIENTS="${CLIENTS:-4}"
SAFETY_MARGIN="${SAFETY_MARGIN:-0.02}"
SKEW_EVENTS="${SKEW_EVENTS:-12000}"
SKEW_MAX_IN_FLIGHT="${SKEW_MAX_IN_FLIGHT:-64}"
RUNS=" ${RUNS:-even skewed} "
LIMIT_PER_MINUTE=6000

prepare_run

start_emulator "$work" "$LIMIT_PER_MINUTE"
if [[ "$RUNS" == *" even "* ]]; then
  java -Xms512m -Xmx512m -cp "$(private_classpath "$work")" io.auditpipe.bench.delivery.RateLimitRun \
    "$EMULATOR_URL" "$EMULATOR_KEY" "$EVENTS" "$CLIENTS" "$LIMIT_PER_MINUTE" "$SAFETY_MARGIN" \
    | tee "$work/measure.txt"
  stored="$(emulator_stored_events)"
  echo "emulator stored $stored events"
  cp "$work/measure.txt" bench/results/ratelimit-measure.txt
fi

if [[ "$RUNS" == *" skewed "* ]]; then
  reset_emulator
  java -Xms512m -Xmx512m -cp "$(private_classpath "$work")" io.auditpipe.bench.delivery.RateLimitRun \
    "$EMULATOR_URL" "$EMULATOR_KEY" "$SKEW_EVENTS" 2 "$LIMIT_PER_MINUTE" "$SAFETY_MARGIN" skewed \
    "$SKEW_MAX_IN_FLIGHT" \
    | tee "$work/measure-skew.txt"
  stored_skew="$(emulator_stored_events)"
  echo "emulator stored $stored_skew events (skewed run)"
  cp "$work/measure-skew.txt" bench/results/ratelimit-skew-measure.txt
fi

# lost: events the clients did not see delivered, or that the emulator did not store once.
summarise() {
  awk -v stored="$1" -v events="$2" -v name="$3" '
    /^MEASURE_RATELIMIT / {
      for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
      found = 1
    }
    END {
      if (!found) { print "no measurement" > "/dev/stderr"; exit 1 }
      lost = f["lost"] + (stored >= 0 && stored != events ? (events - stored < 0 ? stored - events : events - stored) : 0)
      if (name == "ratelimit") {
        printf "RESULT ratelimit limit_rps=%.0f delivered_rps=%.2f utilisation=%.3f throttled_share=%.4f lost=%d\n",
          f["limit_rps"], f["delivered_rps"], f["utilisation"], f["throttled_share"], lost
      } else {
        printf "RESULT %s utilisation=%.3f throttled_share=%.4f lost=%d\n",
          name, f["utilisation"], f["throttled_share"], lost
      }
    }
  ' "$4"
}

if [[ "$RUNS" == *" even "* ]]; then
  summarise "$stored" "$EVENTS" ratelimit "$work/measure.txt"
fi
if [[ "$RUNS" == *" skewed "* ]]; then
  summarise "$stored_skew" "$SKEW_EVENTS" ratelimit_skew "$work/measure-skew.txt"
fi
