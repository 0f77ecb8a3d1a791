#!/usr/bin/env bash
# Rate-limit benchmark (issue 4): the emulator limits the API key to 6,000 requests / 60 s; four
# auditpipe clients sharing that budget (shareCount=4, safety margin SAFETY_MARGIN) push 30,000
# events. About five minutes. Prints the RESULT line last.
#
# Environment: EVENTS (30000), CLIENTS (4), SAFETY_MARGIN (0.02).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
# shellcheck source=bench/emulator-process.sh
source bench/emulator-process.sh

EVENTS="${EVENTS:-30000}"
CLIENTS="${CLIENTS:-4}"
SAFETY_MARGIN="${SAFETY_MARGIN:-0.02}"
LIMIT_PER_MINUTE=6000

prepare_run

start_emulator "$work" "$LIMIT_PER_MINUTE"
java -Xms512m -Xmx512m -cp "$(private_classpath "$work")" io.auditpipe.bench.delivery.RateLimitRun \
  "$EMULATOR_URL" "$EMULATOR_KEY" "$EVENTS" "$CLIENTS" "$LIMIT_PER_MINUTE" "$SAFETY_MARGIN" \
  | tee "$work/measure.txt"

stored="$(emulator_stored_events)"
echo "emulator stored $stored events"
cp "$work/measure.txt" bench/results/ratelimit-measure.txt

awk -v stored="$stored" -v events="$EVENTS" '
  /^MEASURE_RATELIMIT / {
    for (i = 2; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
    found = 1
  }
  END {
    if (!found) { print "no measurement" > "/dev/stderr"; exit 1 }
    # lost: events the clients did not see delivered, or that the emulator did not store once.
    lost = f["lost"] + (stored >= 0 && stored != events ? (events - stored < 0 ? stored - events : events - stored) : 0)
    printf "RESULT ratelimit limit_rps=%.0f delivered_rps=%.2f utilisation=%.3f throttled_share=%.4f lost=%d\n",
      f["limit_rps"], f["delivered_rps"], f["utilisation"], f["throttled_share"], lost
  }
' "$work/measure.txt"
