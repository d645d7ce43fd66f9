#!/usr/bin/env bash
# Runs every test: installs the system parts the real-component suites need, builds, then runs
# node's test runner over the compiled tests. Suites that need root-only parts say so and fail loudly.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
[ -d node_modules ] || npm ci
npx tsc -p tsconfig.json
files=$(find dist/test -name '*.test.js' | sort)
# Each test file must end by itself, but a leaked handle must not hang CI: force the exit once a
# file's tests are done, and bound any single test.
exec node --test --test-concurrency=1 --test-force-exit --test-timeout=300000 --test-reporter=spec $files
