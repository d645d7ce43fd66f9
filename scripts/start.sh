#!/usr/bin/env bash
# Brings up a working single-machine cluster: installs what is missing, builds, then runs
# `k8ts server` with its data under .data/ and the admin kubeconfig at .data/kubeconfig.yaml.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -d node_modules ] || npm ci
[ -f dist/src/cli/main.js ] && [ -z "$(find src -newer dist/src/cli/main.js -name '*.ts' -print -quit)" ] || npx tsc -p tsconfig.json
mkdir -p .data
echo "k8ts: starting a cluster; use it with: export KUBECONFIG=$PWD/.data/kubeconfig.yaml" >&2
exec node bin/k8ts.js server --data-dir .data --write-kubeconfig .data/kubeconfig.yaml "$@"
