#!/usr/bin/env bash
# Installs the Node tools the tests use (Redocly CLI, pinned in
# tools/package.json and tools/package-lock.json) into tools/node_modules.
# A no-op when tools/node_modules/.bin/redocly is already there.
# Needs node >= 20.19 (or >= 22.12) and npm on PATH, and the npm registry.
set -euo pipefail

tools_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ -x "$tools_dir/node_modules/.bin/redocly" ]]; then
  exit 0
fi

for cmd in node npm; do
  if ! command -v "$cmd" >/dev/null 2>&1; then
    echo "install-node-tools: '$cmd' is not on PATH; install Node.js 20.19+ and npm first" >&2
    exit 1
  fi
done

# @redocly/cli 2.x declares engines node ">=22.12.0 || >=20.19.0 <21.0.0".
node_version="$(node -p 'process.versions.node')"
IFS=. read -r major minor _ <<<"$node_version"
if ! { [[ $major -eq 20 && $minor -ge 19 ]] || [[ $major -eq 22 && $minor -ge 12 ]] || [[ $major -ge 23 ]]; }; then
  echo "install-node-tools: Node.js $node_version is too old for @redocly/cli (needs 20.19+ or 22.12+)" >&2
  exit 1
fi

cd "$tools_dir"
export npm_config_update_notifier=false npm_config_fund=false npm_config_audit=false
if [[ -f package-lock.json ]]; then
  npm ci --no-audit --no-fund
else
  npm install --no-audit --no-fund
fi

if [[ ! -x "$tools_dir/node_modules/.bin/redocly" ]]; then
  echo "install-node-tools: npm finished but node_modules/.bin/redocly is missing" >&2
  exit 1
fi
