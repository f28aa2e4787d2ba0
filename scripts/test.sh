#!/usr/bin/env bash
# The whole test suite, each slow part once: every vitest project (unit and the real Redis, nginx,
# Prometheus and server-process tests, the clinical evaluation among them) under Node 24, the Docker
# image's runtime; the fast unit project again under Node 20, the oldest supported runtime; the
# deployment static checks; the image built and run with podman, and the dev Compose stack on it
# (skipped, never passed, where podman cannot run). Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1

passed=0
failed=0
skipped=()
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

# Runs one named check that counts as a single test. Exit status 77 means "cannot run on this
# machine": listed as SKIPPED at the end and counted neither as passed nor as failed.
check() {
  local name="$1" status=0
  shift
  echo "== $name"
  "$@" || status=$?
  if [ "$status" -eq 0 ]; then
    passed=$((passed + 1))
    echo "PASS $name"
  elif [ "$status" -eq 77 ]; then
    skipped+=("$name")
    echo "SKIP $name (NOT counted as passed)"
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
# The real image, built from the unchanged Dockerfile with podman and run as Compose runs it. Each
# podman check has a ceiling (several times its usual minutes), so a hang fails by name instead
# of running into CI's time limit; the scripts' TERM traps still remove what they started (their
# cleanup is bounded at 300 s, hence the grace before a KILL).
podman_check() { timeout -k 330 "$@"; }
check "container image: built with podman and run as Compose runs it" podman_check 1200 bash scripts/podman/check-image.sh
check "container image: the check fails on a broken image" podman_check 900 bash scripts/podman/check-image.sh --broken
check "dev Compose stack on podman through docker-deploy.sh" podman_check 900 bash scripts/podman/stack.sh dev
check "production Compose stack on podman through docker-deploy.sh" podman_check 1800 bash scripts/podman/stack.sh prod

for name in "${skipped[@]}"; do
  echo "!! SKIPPED (not passed): $name"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
