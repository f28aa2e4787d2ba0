#!/usr/bin/env bash
# The whole test suite, each slow part once: every vitest project (unit and the real Redis, nginx,
# Prometheus and server-process tests, the clinical evaluation among them) under Node 24, the Docker
# image's runtime; the fast unit project again under Node 20, the oldest supported runtime; the
# deployment static checks. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

passed=0
failed=0
mkdir -p .tmp

[ -d node_modules ] || npm ci --no-audit --no-fund
bash scripts/install-system-deps.sh || { echo "0 passed, 1 failed"; exit 1; }

# Adds a vitest JSON report's counts to the totals.
count_vitest() {
  local report="$1" counts
  if [ -f "$report" ]; then
    counts=$(node -e 'const r=require(process.argv[1]);console.log(r.numPassedTests, r.numFailedTests + (r.numRuntimeErrorTests||0) + (r.success===false && r.numFailedTests===0 ? 1 : 0))' "$(realpath "$report")")
    passed=$((passed + ${counts% *}))
    failed=$((failed + ${counts#* }))
  else
    failed=$((failed + 1))
  fi
}

# Runs one named check that counts as a single test.
check() {
  local name="$1"
  shift
  echo "== $name"
  if "$@"; then
    passed=$((passed + 1))
    echo "PASS $name"
  else
    failed=$((failed + 1))
    echo "FAIL $name"
  fi
}

echo "== vitest, every project (Node 24, the Docker image's runtime)"
rm -f .tmp/vitest-results-node24.json
npx --yes -p node@24 node node_modules/vitest/vitest.mjs run --outputFile.json=.tmp/vitest-results-node24.json
count_vitest .tmp/vitest-results-node24.json

echo "== vitest, unit project (Node $(node --version))"
rm -f .tmp/vitest-results-unit.json
npx vitest run --project unit --outputFile.json=.tmp/vitest-results-unit.json
count_vitest .tmp/vitest-results-unit.json

check "deployment static checks" bash scripts/check-deploy.sh

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
