#!/usr/bin/env bash
# Registers (or updates) the auditpipe connectors of docker-compose.yml over Kafka Connect's REST API.
# Each docker/connect/connectors/NAME.json holds one connector's config; PUT /connectors/NAME/config
# creates it or replaces its config, so running this again after an edit is safe.
#
#   docker/register-connector.sh [CONNECT_URL]     # default http://localhost:8083
set -euo pipefail

connect="${1:-${CONNECT_URL:-http://localhost:8083}}"
dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/connect/connectors"

echo "waiting for Kafka Connect at $connect ..." >&2
for _ in $(seq 1 90); do
  curl -fsS -o /dev/null "$connect/connector-plugins" 2>/dev/null && break
  sleep 2
done
curl -fsS -o /dev/null "$connect/connector-plugins" || { echo "Kafka Connect is not answering at $connect" >&2; exit 1; }

for file in "$dir"/*.json; do
  name="$(basename "$file" .json)"
  class="$(sed -n 's/.*"connector.class" *: *"\([^"]*\)".*/\1/p' "$file")"
  # Validate first: a bad rules document or a missing key is reported per config key, before a task starts.
  errors="$(curl -fsS -X PUT -H 'Content-Type: application/json' --data @"$file" \
    "$connect/connector-plugins/${class##*.}/config/validate" | grep -o '"error_count":[0-9]*' || true)"
  if [[ -n "$errors" && "$errors" != '"error_count":0' ]]; then
    echo "$name: Connect rejects the config ($errors); details:" >&2
    curl -sS -X PUT -H 'Content-Type: application/json' --data @"$file" \
      "$connect/connector-plugins/${class##*.}/config/validate" >&2
    echo >&2
    exit 1
  fi
  curl -fsS -X PUT -H 'Content-Type: application/json' --data @"$file" \
    "$connect/connectors/$name/config" > /dev/null
  echo "registered $name"
done

echo "status: curl -s $connect/connectors?expand=status" >&2
