#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine: Debian's docker-compose package parses the file,
# checks it against the Compose schema and resolves variables (`docker-compose config -q`).
# Installs the package first when it is missing and apt-get is usable (CI runs as root).
# After this, `mvn verify` runs the same check (DockerComposeFileTest in cli) plus path consistency checks.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

if ! command -v docker-compose > /dev/null; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get > /dev/null; then
    echo "check-compose: installing Debian's docker-compose package" >&2
    apt-get update -qq > /dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose > /dev/null
  else
    echo "check-compose: docker-compose is not installed (apt-get install docker-compose)" >&2
    exit 1
  fi
fi

cd "$root"
docker-compose -f docker-compose.yml config -q
echo "check-compose: docker-compose.yml is valid"
