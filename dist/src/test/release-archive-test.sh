#!/usr/bin/env bash
# The release archive works unpacked away from the checkout: unpacks ARCHIVE into a temporary
# directory, then runs its bin/auditpipe there (--help, --version, rules validate on an example,
# and the sandbox's help through lib/auditpipe-local.jar). Run by `mvn verify` (dist module).
set -euo pipefail

archive="$1" version="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "release-archive-test: FAILED: $*" >&2; exit 1; }

tar -xzf "$archive" -C "$work"
home="$work/auditpipe-$version"
cd "$work" # not the checkout: nothing may be found from the working directory

for f in bin/auditpipe lib/auditpipe.jar lib/auditpipe-local.jar \
  "plugins/auditpipe-connector-$version-plugin.zip" examples/app-events/rules.json README.md docs/README.md; do
  [[ -e "$home/$f" ]] || fail "$f is missing from the archive"
done
[[ -x "$home/bin/auditpipe" ]] || fail "bin/auditpipe is not executable"

size=$(stat -c %s "$home/lib/auditpipe.jar")
(( size <= 30 * 1024 * 1024 )) || fail "lib/auditpipe.jar is $size bytes, over 30 MB"

help="$("$home/bin/auditpipe" --help)" || fail "--help exited non-zero"
grep -q "rules" <<<"$help" || fail "--help does not list rules"
grep -q "bin/auditpipe local" <<<"$help" || fail "--help does not point to bin/auditpipe local"

[[ "$("$home/bin/auditpipe" --version)" == *"$version"* ]] || fail "--version does not say $version"

out="$("$home/bin/auditpipe" rules validate "$home/examples/app-events/rules.json")" \
  || fail "rules validate exited non-zero: $out"
grep -q "valid" <<<"$out" || fail "rules validate said: $out"

if "$home/bin/auditpipe" rules validate "$home/README.md" >/dev/null 2>&1; then
  fail "rules validate accepted README.md"
fi

local_help="$("$home/bin/auditpipe" local --help)" || fail "local --help exited non-zero"
grep -q -- "--workos-url" <<<"$local_help" || fail "local --help is not the sandbox's help"

echo "release-archive-test: OK ($archive, lib/auditpipe.jar $((size / 1024 / 1024)) MB)"
