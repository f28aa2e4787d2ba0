#!/usr/bin/env bash
# Builds the app image with podman (scripts/podman/build-image.sh does the same) and runs it the way
# docker-compose.yml / docker-compose.prod.yml run it: read-only root, tmpfs /tmp, every capability
# dropped, no-new-privileges, an init process, NODE_ENV=production with strong generated credentials.
# Then checks what a user of the image relies on:
#   /health/live answers; a diagnosis succeeds (knowledge-base provider, API key); the server runs as
#   uid 10001 with no effective capability; the image's HEALTHCHECK passes; `podman stop` drains and
#   the process exits 0 within the grace period.
#
#   bash scripts/podman/check-image.sh            build the real Dockerfile, check it (exit 0 = all passed)
#   bash scripts/podman/check-image.sh --broken   prove the check can fail: build a copy of the Dockerfile
#                                                 whose CMD names a missing file, in a temporary context,
#                                                 and exit 0 only if the check FAILS on it
#
# Exit codes: 0 as described, 1 failed, 77 podman cannot run on this machine (skipped: not a pass).
# Every container and temporary image it creates is removed on exit. Run as root.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "${ROOT}"
# shellcheck source=scripts/podman/common.sh
source scripts/podman/common.sh

readonly GRACE_S=35 # docker-compose.prod.yml stop_grace_period
CONTAINER=""
TMP_CONTEXT=""
TMP_IMAGE=""

on_exit() {
  [[ -z "${CONTAINER}" ]] || podman rm -f -t 0 "${CONTAINER}" >/dev/null 2>&1 || true
  [[ -z "${TMP_IMAGE}" ]] || podman rmi -f "${TMP_IMAGE}" >/dev/null 2>&1 || true
  [[ -z "${TMP_CONTEXT}" ]] || rm -rf "${TMP_CONTEXT}"
}
trap on_exit EXIT
trap 'exit 143' TERM INT

# Without systemd, podman cannot schedule healthchecks and says so on every run: harmless here.
quiet_systemd() { grep -v 'unable to get systemd connection' || true; }

ok() { printf '  ok    %s\n' "$*"; }
bad() {
  printf '  FAIL  %s\n' "$*"
  if [[ -n "${CONTAINER}" ]]; then
    printf '  --- container logs (last 30 lines) ---\n'
    podman logs --tail 30 "${CONTAINER}" 2>&1 | sed 's/^/  | /'
  fi
  return 1
}

# Runs IMAGE as Compose runs the app and checks it; returns non-zero at the first failed check.
check_image() {
  local image="$1" key ip i code body started elapsed exit_code caps users
  key="$(openssl rand -hex 32)"
  CONTAINER="tenderly-image-check-$$"
  podman run -d --name "${CONTAINER}" \
    --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges --init \
    -e NODE_ENV=production \
    -e API_KEYS="image-check:${key}" \
    -e JWT_SECRET="$(openssl rand -hex 32)" \
    -e AUDIT_HASH_SALT="$(openssl rand -hex 32)" \
    -e DIAGNOSIS_PROVIDER=knowledge-base \
    -e SHUTDOWN_GRACE_MS=30000 \
    "${image}" >/dev/null 2> >(quiet_systemd >&2) || bad "podman run ${image}" || return 1
  ip="$(podman inspect --format '{{.NetworkSettings.IPAddress}}' "${CONTAINER}")"

  code=""
  for i in $(seq 1 60); do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://${ip}:8000/health/live" || true)"
    [[ "${code}" == 200 ]] && break
    [[ "$(podman inspect --format '{{.State.Running}}' "${CONTAINER}")" == true ]] ||
      { bad "the container exited before /health/live answered (exit $(podman inspect --format '{{.State.ExitCode}}' "${CONTAINER}"))"; return 1; }
    sleep 0.5
  done
  [[ "${code}" == 200 ]] || { bad "/health/live did not answer 200 within 30 s (last: ${code:-none})"; return 1; }
  ok "/health/live answered 200 after ~$((i / 2)) s"

  body="$(curl -s --max-time 20 -w '\n%{http_code}' -H "X-API-Key: ${key}" -H 'Content-Type: application/json' \
    --data '{"patient":{"age":31,"pregnancy_status":"not_pregnant","menopausal_status":"premenopausal"},"symptoms":["intense vulval itching","thick white cottage cheese discharge"],"onset":"gradual","severity":"moderate","duration":"4 days"}' \
    "http://${ip}:8000/v1/diagnose" || true)"
  code="${body##*$'\n'}"
  body="${body%$'\n'*}"
  [[ "${code}" == 200 ]] || { bad "POST /v1/diagnose answered ${code}: ${body:0:300}"; return 1; }
  node -e 'const r=JSON.parse(process.argv[1]); if(!(r.differential?.length>0 && r.triage?.level && r.engine?.provider==="knowledge-base")) process.exit(1)' "${body}" ||
    { bad "the diagnosis is not a knowledge-base answer with a triage level and a differential: ${body:0:300}"; return 1; }
  code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 -H 'X-API-Key: wrong-key' -H 'Content-Type: application/json' \
    --data '{}' "http://${ip}:8000/v1/diagnose" || true)"
  [[ "${code}" == 401 ]] || { bad "a wrong API key got ${code}, not 401"; return 1; }
  ok "POST /v1/diagnose with the API key: 200 from the knowledge base (a wrong key: 401)"

  [[ "$(podman exec "${CONTAINER}" id -u)" == 10001 ]] || { bad "the container user is $(podman exec "${CONTAINER}" id -u), not 10001"; return 1; }
  # Every process (init and node): host user 10001 (rootful podman, no user namespace) and no capability.
  users="$(podman top "${CONTAINER}" huser | tail -n +2 | sort -u | tr '\n' ' ')"
  caps="$(podman top "${CONTAINER}" capeff | tail -n +2 | sort -u | tr '\n' ' ')"
  [[ "${users}" == "10001 " ]] || { bad "processes run as host users: ${users}"; return 1; }
  [[ "${caps}" == "none " ]] || { bad "effective capabilities: ${caps}"; return 1; }
  podman top "${CONTAINER}" args | grep -q 'node dist/server.js' || { bad "no 'node dist/server.js' process"; return 1; }
  ok "node dist/server.js runs as uid 10001 with no effective capability"

  [[ "$(podman image inspect --format '{{if .HealthCheck}}yes{{end}}' "${image}")" == yes ]] ||
    { bad "the image has no HEALTHCHECK (built without --format docker?)"; return 1; }
  # Without systemd podman logs "unable to get systemd connection" here; the exit status is what counts.
  podman healthcheck run "${CONTAINER}" >/dev/null 2>&1 || { bad "the image's HEALTHCHECK command failed"; return 1; }
  ok "the image's HEALTHCHECK command passes"

  started=${SECONDS}
  podman stop -t "${GRACE_S}" "${CONTAINER}" >/dev/null 2> >(quiet_systemd >&2) || { bad "podman stop failed"; return 1; }
  elapsed=$((SECONDS - started))
  exit_code="$(podman inspect --format '{{.State.ExitCode}}' "${CONTAINER}")"
  [[ "${exit_code}" == 0 ]] || { bad "after SIGTERM the process exited ${exit_code}, not 0 (137 = killed at the end of the grace period)"; return 1; }
  ((elapsed < GRACE_S)) || { bad "stopping took ${elapsed} s, not under the ${GRACE_S} s grace period"; return 1; }
  podman logs "${CONTAINER}" 2>&1 | grep -q 'draining in-flight requests' || { bad "no drain message in the logs"; return 1; }
  ok "podman stop: drained and exited 0 in ${elapsed} s (grace ${GRACE_S} s)"
  podman rm -f -t 0 "${CONTAINER}" >/dev/null 2>&1
  CONTAINER=""
}

started=${SECONDS}
podman_prepare
ensure_node_base

if [[ "${1:-}" == "--broken" ]]; then
  # Same files, so the build reuses the cached layers; only the CMD differs.
  TMP_CONTEXT="$(mktemp -d)"
  cp -r package.json package-lock.json tsconfig.json tsconfig.build.json src .dockerignore "${TMP_CONTEXT}/"
  sed 's#^CMD \["node", "dist/server.js"\]$#CMD ["node", "dist/no-such-file.js"]#' Dockerfile >"${TMP_CONTEXT}/Dockerfile"
  grep -q 'no-such-file' "${TMP_CONTEXT}/Dockerfile" || { echo "could not rewrite the Dockerfile's CMD"; exit 1; }
  TMP_IMAGE="localhost/tenderly-diagnosis:broken-$$"
  build_app_image "${TMP_CONTEXT}/Dockerfile" "${TMP_CONTEXT}" "${TMP_IMAGE}" >/dev/null 2>&1 ||
    { echo "the broken copy did not even build"; exit 1; }
  echo "checking an image whose CMD names a missing file (this check must fail):"
  if check_image "${TMP_IMAGE}"; then
    echo "the check PASSED on a broken image: it cannot detect failures"
    exit 1
  fi
  echo "the check failed on the broken image, as it must ($((SECONDS - started)) s)"
  exit 0
fi

# Kept (as build-image.sh keeps it): its layers are the cache of the next run.
image="localhost/tenderly-diagnosis:podman"
build_app_image Dockerfile . "${image}" >"${PODMAN_CACHE}/last-build.log" 2>&1 ||
  { tail -n 40 "${PODMAN_CACHE}/last-build.log"; echo "podman build failed"; exit 1; }
size="$(podman image inspect --format '{{.Size}}' "${image}")"
echo "built the image from the unchanged Dockerfile: $((size / 1000000)) MB ($((SECONDS - started)) s so far)"
check_image "${image}"
echo "image check passed in $((SECONDS - started)) s"
