#!/usr/bin/env bash
# Puts the SARIF 2.1.0 JSON schema at .cache/sarif-schema-2.1.0.json for the tests, taken from
# the npm registry (the @microsoft/jest-sarif package ships the schema file).
set -euo pipefail
cd "$(dirname "$0")/.."
target=.cache/sarif-schema-2.1.0.json
[ -s "$target" ] && exit 0
mkdir -p .cache/npm
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent --cache "$OLDPWD/.cache/npm" @microsoft/jest-sarif@1.0.0-beta.0 >/dev/null)
tar -xzf "$work"/microsoft-jest-sarif-*.tgz -C "$work" package/lib/schemas/sarif-2.1.0-rtm.5.json
mv "$work/package/lib/schemas/sarif-2.1.0-rtm.5.json" "$target"
