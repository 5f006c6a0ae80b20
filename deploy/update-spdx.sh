#!/usr/bin/env bash
# Refreshes the SPDX licence and exception id lists from the npm registry packages that mirror
# the official SPDX licence list. Review the diff and the versions in spdx/README.md, then commit.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
(cd "$work" && npm pack --silent spdx-license-ids spdx-exceptions >/dev/null)
for tgz in "$work"/*.tgz; do tar -xzf "$tgz" -C "$work" && mv "$work/package" "${tgz%.tgz}"; done
target=src/main/resources/spdx
cp "$work"/spdx-license-ids-*/index.json "$target/licenses.json"
cp "$work"/spdx-license-ids-*/deprecated.json "$target/deprecated-licenses.json"
cp "$work"/spdx-exceptions-*/index.json "$target/exceptions.json"
ls "$work" | grep -E '^spdx-.*[0-9]$' | sed 's/^/updated from /'
