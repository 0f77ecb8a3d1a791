#!/usr/bin/env bash
# Registers (or updates) the auditpipe connectors of docker-compose.yml over Kafka Connect's REST API.
# Each docker/connect/connectors/NAME.json holds one connector's config; PUT /connectors/NAME/config
# creates it or replaces its config, so running this again after an edit is safe.
#
#   docker/register-connector.sh [CONNECT_URL]     # default $CONNECT_URL or http://localhost:8083
#
# AUDITPIPE_CONNECTORS_DIR names another directory of NAME.json configs (default docker/connect/connectors).
set -euo pipefail

connect="${1:-${CONNECT_URL:-http://localhost:8083}}"
connect="${connect%/}"
dir="${AUDITPIPE_CONNECTORS_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/connect/connectors}"

echo "waiting for Kafka Connect at $connect ..." >&2
for _ in $(seq 1 90); do
  curl -fsS -o /dev/null "$connect/connector-plugins" 2>/dev/null && break
  sleep 2
done
curl -fsS -o /dev/null "$connect/connector-plugins" || { echo "Kafka Connect is not answering at $connect" >&2; exit 1; }

for file in "$dir"/*.json; do
  name="$(basename "$file" .json)"
  class="$(sed -n 's/.*"connector.class" *: *"\([^"]*\)".*/\1/p' "$file")"
  # The validate endpoint, unlike PUT /connectors/NAME/config, needs the connector's name in the config.
  if grep -q '"name"[[:space:]]*:' "$file"; then
    body="$(cat "$file")"
  else
    body="$(awk -v name="$name" '!done && sub(/[{]/, "{\"name\": \"" name "\",") { done = 1 } { print }' "$file")"
  fi
  # Validate first: a bad rules document or a missing key is reported per config key, before a task starts.
  if ! answer="$(curl -sS -X PUT -H 'Content-Type: application/json' --data "$body" \
    -w '\nHTTP %{http_code}' "$connect/connector-plugins/${class##*.}/config/validate")"; then
    echo "$name: cannot validate the config at $connect" >&2
    exit 1
  fi
  status="${answer##*HTTP }"
  errors="$(printf '%s' "$answer" | grep -o '"error_count":[0-9]*' || true)"
  if [[ "$status" != 200 || "$errors" != '"error_count":0' ]]; then
    echo "$name: Connect rejects the config (HTTP $status${errors:+, $errors}); the keys with errors:" >&2
    printf '%s\n' "${answer%$'\n'HTTP *}" \
      | grep -o '"name":"[^"]*","value":[^{}]*"errors":\["[^]]*\]' >&2 \
      || printf '%s\n' "${answer%$'\n'HTTP *}" >&2
    exit 1
  fi
  curl -fsS -X PUT -H 'Content-Type: application/json' --data @"$file" \
    "$connect/connectors/$name/config" > /dev/null
  echo "registered $name"
done

echo "status: curl -s $connect/connectors?expand=status" >&2
