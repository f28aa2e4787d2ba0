#!/usr/bin/env bash
# Brings a Compose stack up on podman from nothing, through ./docker-deploy.sh itself, checks it as
# an operator would, and removes it again. docker-compose v1 (Debian) drives podman's Docker API;
# the images that cannot be pulled here are stand-ins built from Debian (scripts/podman/common.sh).
#
#   bash scripts/podman/stack.sh dev     setup, start, health, a diagnosis on :8000, stop, cleanup
#   bash scripts/podman/stack.sh prod    the production stack: see scripts/podman/prod-checks.sh
#
# It works in a temporary copy of the deployment files (docker-deploy.sh, compose files, .env.docker,
# nginx/, redis/, monitoring/), so the repository's .env and nginx/ssl are never touched.
# Exit codes: 0 every check passed, 1 a check failed, 77 podman cannot run here (skipped).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "${ROOT}"
# shellcheck source=scripts/podman/common.sh
source scripts/podman/common.sh

STACK="${1:-}"
case "${STACK}" in
  dev) PROJECT="tenderly" MODE_ARGS=() ;;
  prod) PROJECT="tenderly-prod" MODE_ARGS=(prod) ;;
  *)
    echo "usage: $0 dev|prod" >&2
    exit 2
    ;;
esac

# The prod check's client container (scripts/podman/prod-checks.sh): on the edge network, not in the project.
BAD_KEY_CLIENT="${PROJECT}-bad-key-client"
WORK=""
SERVICE_PID=""
DRIVER_PID=""
started=${SECONDS}

on_exit() {
  local status=$?
  [[ -z "${DRIVER_PID}" ]] || kill "${DRIVER_PID}" 2>/dev/null || true
  # The prod check's client container goes first, or the edge network could not be removed.
  timeout 60 podman rm -f -t 0 "${BAD_KEY_CLIENT}" >/dev/null 2>&1 || true
  if [[ -n "${WORK}" && -f "${WORK}/app/.env" ]]; then
    (cd "${WORK}/app" && timeout 300 ./docker-deploy.sh cleanup "${MODE_ARGS[@]}" --yes >/dev/null 2>&1) || true
  fi
  # Whatever compose could not remove (a failed start): every container of the project, its networks and volumes.
  podman ps -aq --filter "label=com.docker.compose.project=${PROJECT}" |
    xargs -r podman rm -f -t 0 >/dev/null 2>&1 || true
  podman network ls -q --filter "label=com.docker.compose.project=${PROJECT}" | xargs -r podman network rm -f >/dev/null 2>&1 || true
  podman volume ls -q --filter "label=com.docker.compose.project=${PROJECT}" | xargs -r podman volume rm -f >/dev/null 2>&1 || true
  if [[ -n "${SERVICE_PID}" ]]; then
    kill "${SERVICE_PID}" 2>/dev/null || true
    wait "${SERVICE_PID}" 2>/dev/null || true
  fi
  [[ -z "${WORK}" ]] || rm -rf "${WORK}"
  exit "${status}"
}
trap on_exit EXIT
# A timeout or Ctrl-C still removes the stack.
trap 'exit 143' TERM INT

ok() { printf '  ok    %s\n' "$*"; }
fail() {
  printf '  FAIL  %s\n' "$*"
  exit 1
}

podman_prepare
command -v docker-compose >/dev/null 2>&1 || {
  [[ "$(id -u)" == 0 ]] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose >/dev/null
} || podman_skip "docker-compose (v1) is not installed"
ensure_node_base
ensure_service_images
build_app_image Dockerfile . localhost/tenderly-diagnosis:podman >/dev/null 2>&1 || fail "podman build of the app image failed (run scripts/podman/build-image.sh to see why)"
# Compose v1 names the image it would build <project>_app; a build through the API socket could not
# reach the npm registry's CA, so the image podman built is tagged with that name.
podman tag localhost/tenderly-diagnosis:podman "${PROJECT}_app:latest"

WORK="$(mktemp -d /tmp/tenderly-podman-stack.XXXXXX)"
mkdir -p "${WORK}/app" "${WORK}/bin"
cp -r docker-deploy.sh docker-compose.yml docker-compose.prod.yml .env.docker nginx redis monitoring "${WORK}/app/"
rm -f "${WORK}/app/nginx/ssl/"*.pem
# docker-deploy.sh calls `docker` (inspect, the tool check): podman answers the same commands.
ln -s "$(command -v podman)" "${WORK}/bin/docker"
export PATH="${WORK}/bin:${PATH}"
export DOCKER_HOST="unix://${WORK}/podman.sock"
podman system service --time=0 "${DOCKER_HOST}" >"${WORK}/podman-service.log" 2>&1 &
SERVICE_PID=$!
for _ in $(seq 1 50); do [[ -S "${WORK}/podman.sock" ]] && break; sleep 0.1; done
[[ -S "${WORK}/podman.sock" ]] || fail "podman system service did not open its socket"

# Without systemd podman cannot schedule HEALTHCHECKs, and `depends_on: service_healthy` would wait
# forever: run every container's healthcheck every 2 s, as the engine would.
(
  while :; do
    for c in $(podman ps -q --filter "label=com.docker.compose.project=${PROJECT}"); do
      podman healthcheck run "${c}" >/dev/null 2>&1 || true
    done
    sleep 2
  done
) &
DRIVER_PID=$!

cd "${WORK}/app"
./docker-deploy.sh setup >/dev/null || fail "docker-deploy.sh setup"
ok "docker-deploy.sh setup: .env ($(stat -c %a .env)) and a self-signed certificate"

if [[ "${STACK}" == dev ]]; then
  if (exec 3<>/dev/tcp/127.0.0.1/8000) 2>/dev/null; then
    fail "127.0.0.1:8000 is already in use on this machine: the dev stack publishes the app there"
  fi
  timeout 300 ./docker-deploy.sh start || fail "docker-deploy.sh start"
  ok "docker-deploy.sh start"
  for _ in $(seq 1 30); do ./docker-deploy.sh health >"${WORK}/health.log" 2>&1 && break; sleep 2; done
  ./docker-deploy.sh health || fail "docker-deploy.sh health"
  ok "docker-deploy.sh health: every container healthy, ready probe 200"
  key="$(sed -n 's/^API_KEYS=[^:]*:\([^,]*\).*/\1/p' .env)"
  code="$(curl -s -o "${WORK}/diagnosis.json" -w '%{http_code}' --max-time 20 -H "X-API-Key: ${key}" \
    -H 'Content-Type: application/json' \
    --data '{"patient":{"age":31,"pregnancy_status":"not_pregnant"},"symptoms":["intense vulval itching","thick white cottage cheese discharge"]}' \
    http://127.0.0.1:8000/v1/diagnose || true)"
  if [[ "${code}" != 200 ]] || ! grep -q '"differential"' "${WORK}/diagnosis.json"; then
    fail "POST /v1/diagnose with the key from .env answered ${code}: $(head -c 300 "${WORK}/diagnosis.json")"
  fi
  ok "a diagnosis on http://127.0.0.1:8000 with the key from .env"
  ./docker-deploy.sh stop >/dev/null 2>&1 || fail "docker-deploy.sh stop"
  [[ -z "$(podman ps -aq --filter "label=com.docker.compose.project=${PROJECT}")" ]] || fail "containers left after stop"
  ok "docker-deploy.sh stop removed the containers"
else
  # shellcheck source=scripts/podman/prod-checks.sh
  source "${ROOT}/scripts/podman/prod-checks.sh"
  prod_checks
fi
./docker-deploy.sh cleanup "${MODE_ARGS[@]}" --yes >/dev/null 2>&1 || fail "docker-deploy.sh cleanup --yes"
[[ -z "$(podman volume ls -q --filter "label=com.docker.compose.project=${PROJECT}")" ]] || fail "volumes left after cleanup"
ok "docker-deploy.sh cleanup --yes removed the stack and its volumes"
echo "the ${STACK} stack passed on podman in $((SECONDS - started)) s"
