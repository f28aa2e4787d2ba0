#!/usr/bin/env bats
# Tests for docker-deploy.sh with fake `docker`, `docker-compose` and `curl` on PATH.
# Each test runs the script in a temporary copy of the files it needs, so nothing is written
# into the repository. The fakes append one line per call ("docker <args>") to $CALLS.
#
# Fake knobs:
#   FAKE_NO_COMPOSE_V2=1   `docker compose version` fails (forces the docker-compose fallback)
#   FAKE_SERVICES="a b"    services printed by `compose config --services` (default: app redis)
#   FAKE_PS_IDS="a b"      container ids printed by `compose ps -q` (default: two ids); with a
#                          service (`ps -q app`): "<service>1", or nothing when FAKE_PS_IDS is empty
#   FAKE_NO_CONTAINER=svc  `compose ps -q svc` prints nothing (a service never created)
#   FAKE_HEALTH=unhealthy  state printed by `docker inspect` for every container
#   FAKE_CURL_CODE=503     HTTP status printed by the fake curl
#   FAKE_COMPOSE_FAIL=up   compose subcommand that fails (exit 17)

REPO_ROOT="$(cd "$(dirname "${BATS_TEST_FILENAME}")/../.." && pwd)"

setup() {
  WORK="$(mktemp -d "${BATS_TMPDIR:-/tmp}/tenderly-deploy.XXXXXX")"
  FAKEBIN="${WORK}/fakebin"
  CALLS="${WORK}/calls.log"
  export CALLS
  mkdir -p "${FAKEBIN}" "${WORK}/app"
  cp "${REPO_ROOT}/docker-deploy.sh" "${REPO_ROOT}/.env.docker" \
    "${REPO_ROOT}/docker-compose.yml" "${REPO_ROOT}/docker-compose.prod.yml" "${WORK}/app/"
  mkdir -p "${WORK}/app/nginx/ssl"
  APP="${WORK}/app"
  : >"${CALLS}"

  cat >"${FAKEBIN}/docker" <<'EOF'
#!/usr/bin/env bash
printf 'docker %s\n' "$*" >>"${CALLS}"
if [[ "$1" == "compose" ]]; then
  if [[ "$2" == "version" ]]; then
    [[ "${FAKE_NO_COMPOSE_V2:-0}" == "1" ]] && exit 1
    echo "Docker Compose version v2.99.0-fake"
    exit 0
  fi
  shift
  while [[ "$1" == -p || "$1" == -f ]]; do shift 2; done
  [[ -n "${FAKE_COMPOSE_FAIL:-}" && "$1" == "${FAKE_COMPOSE_FAIL}" ]] && exit 17
  if [[ "$1" == "config" && "$2" == "--services" ]]; then
    for svc in ${FAKE_SERVICES-app redis}; do echo "${svc}"; done
  fi
  if [[ "$1" == "ps" && "$2" == "-q" && -n "${3:-}" ]]; then
    [[ -z "${FAKE_PS_IDS-x}" || " ${FAKE_NO_CONTAINER:-} " == *" $3 "* ]] || echo "$3"1
  elif [[ "$1" == "ps" && "$2" == "-q" ]]; then
    for id in ${FAKE_PS_IDS-c1 c2}; do echo "${id}"; done
  fi
  exit 0
fi
if [[ "$1" == "inspect" ]]; then
  shift 3
  for id in "$@"; do echo "/tenderly-${id} ${FAKE_HEALTH:-healthy}"; done
  exit 0
fi
exit 0
EOF

  cat >"${FAKEBIN}/docker-compose" <<'EOF'
#!/usr/bin/env bash
printf 'docker-compose %s\n' "$*" >>"${CALLS}"
if [[ "$1" == "version" ]]; then echo "docker-compose version 1.29.2-fake"; exit 0; fi
while [[ "$1" == -p || "$1" == -f ]]; do shift 2; done
if [[ "$1" == "ps" && "$2" == "-q" ]]; then
  for id in ${FAKE_PS_IDS-c1 c2}; do echo "${id}"; done
fi
exit 0
EOF

  cat >"${FAKEBIN}/curl" <<'EOF'
#!/usr/bin/env bash
printf 'curl %s\n' "$*" >>"${CALLS}"
printf '%s' "${FAKE_CURL_CODE:-200}"
EOF
  chmod +x "${FAKEBIN}/docker" "${FAKEBIN}/docker-compose" "${FAKEBIN}/curl"
  PATH="${FAKEBIN}:${PATH}"
  export PATH
}

teardown() {
  rm -rf "${WORK}"
}

deploy() {
  run "${APP}/docker-deploy.sh" "$@"
}

with_env() {
  cp "${APP}/.env.docker" "${APP}/.env"
}

with_certs() {
  : >"${APP}/nginx/ssl/fullchain.pem"
  : >"${APP}/nginx/ssl/privkey.pem"
}

# The compose calls only (not the version probe, inspect or curl).
compose_calls() {
  grep -E '^docker(-compose| compose) ' "${CALLS}" | grep -v ' version' || true
}

readonly DEV_V2="docker compose -p tenderly -f docker-compose.yml"
readonly PROD_V2="docker compose -p tenderly-prod -f docker-compose.prod.yml"

# ---------------------------------------------------------------- usage

@test "help prints usage with every command and the exit codes" {
  deploy help
  [ "$status" -eq 0 ]
  for c in setup secrets build start stop restart status logs health cleanup help; do
    [[ "$output" == *"  ${c}"* ]] || { echo "missing ${c}"; return 1; }
  done
  [[ "$output" == *"Exit codes:"* ]]
}

@test "no command prints usage and exits 2" {
  deploy
  [ "$status" -eq 2 ]
  [[ "$output" == *"Usage:"* ]]
}

@test "unknown command fails with exit 2 and a clear message" {
  deploy frobnicate
  [ "$status" -eq 2 ]
  [[ "$output" == *"unknown command 'frobnicate'"* ]]
  [ ! -s "${CALLS}" ]
}

@test "unexpected extra argument fails with exit 2" {
  with_env
  deploy start staging
  [ "$status" -eq 2 ]
  [[ "$output" == *"unexpected argument"* ]]
  [ -z "$(compose_calls)" ]
}

# ---------------------------------------------------------------- setup / secrets

@test "setup writes .env with generated secrets and a self-signed certificate" {
  deploy setup
  [ "$status" -eq 0 ]
  [ -f "${APP}/.env" ]
  [ "$(stat -c %a "${APP}/.env")" = "600" ]
  ! grep -q 'CHANGE-ME' "${APP}/.env"
  grep -Eq '^API_KEYS=tenderly-backend:[0-9a-f]{64}$' "${APP}/.env"
  grep -Eq '^JWT_SECRET=[0-9a-f]{64}$' "${APP}/.env"
  grep -Eq '^REDIS_PASSWORD=[0-9a-f]{64}$' "${APP}/.env"
  grep -Eq '^AUDIT_HASH_SALT=[0-9a-f]{64}$' "${APP}/.env"
  grep -Eq '^GF_SECURITY_ADMIN_PASSWORD=[0-9a-f]{64}$' "${APP}/.env"
  # everything else is copied verbatim
  grep -q '^DIAGNOSIS_PROVIDER=knowledge-base$' "${APP}/.env"
  [ "$(grep -c '' "${APP}/.env")" -eq "$(grep -c '' "${APP}/.env.docker")" ]
  [ -s "${APP}/nginx/ssl/fullchain.pem" ]
  [ -s "${APP}/nginx/ssl/privkey.pem" ]
  openssl x509 -in "${APP}/nginx/ssl/fullchain.pem" -noout -subject | grep -q 'CN *= *localhost'
}

@test "setup generates different secrets on each fresh run" {
  deploy setup
  first="$(grep '^JWT_SECRET=' "${APP}/.env")"
  rm "${APP}/.env"
  deploy setup
  second="$(grep '^JWT_SECRET=' "${APP}/.env")"
  [ "${first}" != "${second}" ]
}

@test "setup never overwrites an existing .env or certificate" {
  printf 'REDIS_PASSWORD=mine\n' >"${APP}/.env"
  printf 'my cert\n' >"${APP}/nginx/ssl/fullchain.pem"
  printf 'my key\n' >"${APP}/nginx/ssl/privkey.pem"
  deploy setup
  [ "$status" -eq 0 ]
  [[ "$output" == *"kept existing .env"* ]]
  [ "$(cat "${APP}/.env")" = "REDIS_PASSWORD=mine" ]
  [ "$(cat "${APP}/nginx/ssl/fullchain.pem")" = "my cert" ]
  [ "$(cat "${APP}/nginx/ssl/privkey.pem")" = "my key" ]
}

@test "setup fails with exit 3 when docker is missing" {
  rm "${FAKEBIN}/docker"
  # a PATH with the fakes and the basic tools, but no docker
  mkdir -p "${WORK}/bin"
  for t in bash dirname mktemp chmod mv rm openssl head od tr cut grep cat; do
    ln -s "$(command -v "$t")" "${WORK}/bin/$t"
  done
  PATH="${FAKEBIN}:${WORK}/bin" run "${APP}/docker-deploy.sh" setup
  [ "$status" -eq 3 ]
  [[ "$output" == *"'docker' is required"* ]]
  [ ! -e "${APP}/.env" ]
}

@test "secrets prints fresh values and writes nothing" {
  deploy secrets
  [ "$status" -eq 0 ]
  [[ "$output" == *"JWT_SECRET="* ]]
  [[ "$output" == *"REDIS_PASSWORD="* ]]
  [[ "$output" == *"GF_SECURITY_ADMIN_PASSWORD="* ]]
  [[ "$output" == *"sha256:"* ]]
  [ ! -e "${APP}/.env" ]
  [ -z "$(compose_calls)" ]
}

# ---------------------------------------------------------------- compose calls (dev)

@test "dev: build, start, stop, restart, status, logs issue the right compose calls" {
  with_env
  for c in build start stop restart status; do
    deploy "$c"
    [ "$status" -eq 0 ] || { echo "$c: $output"; return 1; }
  done
  deploy logs app
  [ "$status" -eq 0 ]
  run compose_calls
  [ "${lines[0]}" = "${DEV_V2} build" ]
  [ "${lines[1]}" = "${DEV_V2} up -d --remove-orphans" ]
  [ "${lines[2]}" = "${DEV_V2} down --remove-orphans" ]
  [ "${lines[3]}" = "${DEV_V2} restart" ]
  [ "${lines[4]}" = "${DEV_V2} ps" ]
  [ "${lines[5]}" = "${DEV_V2} logs -f --tail=200 app" ]
  [ "${#lines[@]}" -eq 6 ]
}

@test "prod: build, start, stop, restart, status, logs use the prod file and project" {
  with_env
  with_certs
  for c in build start stop restart status; do
    deploy "$c" prod
    [ "$status" -eq 0 ] || { echo "$c: $output"; return 1; }
  done
  deploy logs prod nginx app
  [ "$status" -eq 0 ]
  run compose_calls
  [ "${lines[0]}" = "${PROD_V2} build --pull" ]
  [ "${lines[1]}" = "${PROD_V2} up -d --remove-orphans" ]
  [ "${lines[2]}" = "${PROD_V2} exec -T nginx nginx -s reload" ]
  [ "${lines[3]}" = "${PROD_V2} down --remove-orphans" ]
  [ "${lines[4]}" = "${PROD_V2} restart" ]
  [ "${lines[5]}" = "${PROD_V2} exec -T nginx nginx -s reload" ]
  [ "${lines[6]}" = "${PROD_V2} ps" ]
  [ "${lines[7]}" = "${PROD_V2} logs -f --tail=200 nginx app" ]
  ! grep -q 'docker-compose.yml' "${CALLS}"
}

@test "start fails with exit 4 before calling compose when .env is missing" {
  deploy start
  [ "$status" -eq 4 ]
  [[ "$output" == *"run 'docker-deploy.sh setup'"* ]]
  [ -z "$(compose_calls)" ]
}

@test "start prod fails with exit 4 when the TLS files are missing" {
  with_env
  deploy start prod
  [ "$status" -eq 4 ]
  [[ "$output" == *"nginx/ssl/fullchain.pem"* ]]
  [ -z "$(compose_calls)" ]
}

@test "a failing compose command ends with exit 1 and names the command" {
  with_env
  FAKE_COMPOSE_FAIL=up deploy start
  [ "$status" -eq 1 ]
  [[ "$output" == *"'docker compose up' failed"* ]]
}

@test "start prod that fails (a missing image) says so and takes the half-started stack down" {
  with_env
  with_certs
  FAKE_COMPOSE_FAIL=up deploy start prod
  [ "$status" -eq 1 ]
  [[ "$output" == *"'docker compose up' failed for the prod stack"* ]]
  [[ "$output" == *"the prod stack is now stopped"* ]]
  [[ "$output" == *"docker-deploy.sh start prod' again"* ]]
  run compose_calls
  [ "${lines[0]}" = "${PROD_V2} up -d --remove-orphans" ]
  [ "${lines[1]}" = "${PROD_V2} down --remove-orphans" ]
  [ "${#lines[@]}" -eq 2 ]
}

# ---------------------------------------------------------------- fallback to docker-compose

@test "falls back to docker-compose when 'docker compose version' fails" {
  with_env
  with_certs
  FAKE_NO_COMPOSE_V2=1 deploy start
  [ "$status" -eq 0 ]
  FAKE_NO_COMPOSE_V2=1 deploy status prod
  [ "$status" -eq 0 ]
  grep -qx 'docker compose version' "${CALLS}"
  grep -qx 'docker-compose -p tenderly -f docker-compose.yml up -d --remove-orphans' "${CALLS}"
  grep -qx 'docker-compose -p tenderly-prod -f docker-compose.prod.yml ps' "${CALLS}"
  ! grep -q '^docker compose -p' "${CALLS}"
}

@test "uses docker-compose when there is no docker binary at all" {
  with_env
  rm "${FAKEBIN}/docker"
  mkdir -p "${WORK}/bin"
  for t in bash dirname; do ln -s "$(command -v "$t")" "${WORK}/bin/$t"; done
  PATH="${FAKEBIN}:${WORK}/bin" run "${APP}/docker-deploy.sh" status
  [ "$status" -eq 0 ]
  grep -qx 'docker-compose -p tenderly -f docker-compose.yml ps' "${CALLS}"
}

# ---------------------------------------------------------------- health

@test "health (dev) checks every container and the ready probe on :8000" {
  with_env
  deploy health
  [ "$status" -eq 0 ]
  grep -qx "${DEV_V2} config --services" "${CALLS}"
  grep -qx "${DEV_V2} ps -q app" "${CALLS}"
  grep -qx "${DEV_V2} ps -q redis" "${CALLS}"
  grep -q '^docker inspect --format .* app1 redis1$' "${CALLS}"
  grep -q '^curl .*http://localhost:8000/health/ready$' "${CALLS}"
  [[ "$output" == *"healthy"* ]]
}

@test "health prod probes https://localhost/health/ready through nginx with -k" {
  with_env
  deploy health prod
  [ "$status" -eq 0 ]
  grep -qx "${PROD_V2} ps -q app" "${CALLS}"
  grep -q '^curl -sk .*https://localhost/health/ready$' "${CALLS}"
}

@test "health fails with exit 1 and names a service that has no container at all" {
  with_env
  FAKE_SERVICES="app nginx grafana" FAKE_NO_CONTAINER=grafana deploy health prod
  [ "$status" -eq 1 ]
  [[ "$output" == *"FAILED   grafana (no container)"* ]]
  [[ "$output" == *"ok       tenderly-app1 (healthy)"* ]]
  [[ "$output" != *"stack is healthy"* ]]
  grep -q '^docker inspect --format .* app1 nginx1$' "${CALLS}"
}

@test "health fails with exit 1 when a container is unhealthy" {
  with_env
  FAKE_HEALTH=unhealthy deploy health prod
  [ "$status" -eq 1 ]
  [[ "$output" == *"FAILED"*"unhealthy"* ]]
}

@test "health fails with exit 1 when the ready probe answers 503" {
  with_env
  FAKE_CURL_CODE=503 deploy health
  [ "$status" -eq 1 ]
  [[ "$output" == *"ready probe"*"503"* ]]
}

@test "health fails with exit 1 when no container runs" {
  with_env
  FAKE_PS_IDS="" deploy health
  [ "$status" -eq 1 ]
  [[ "$output" == *"no containers are running"* ]]
}

# ---------------------------------------------------------------- cleanup

@test "cleanup without --yes and without a terminal aborts with exit 5" {
  with_env
  run "${APP}/docker-deploy.sh" cleanup </dev/null
  [ "$status" -eq 5 ]
  [ -z "$(compose_calls)" ]
}

@test "cleanup --yes removes the dev stack with its volumes" {
  with_env
  deploy cleanup --yes
  [ "$status" -eq 0 ]
  run compose_calls
  [ "${lines[0]}" = "${DEV_V2} down --volumes --remove-orphans --rmi local" ]
}

@test "cleanup prod --yes removes the prod stack with its volumes" {
  with_env
  deploy cleanup prod --yes
  [ "$status" -eq 0 ]
  run compose_calls
  [ "${lines[0]}" = "${PROD_V2} down --volumes --remove-orphans --rmi local" ]
}

@test "cleanup rejects unknown options with exit 2" {
  with_env
  deploy cleanup --force
  [ "$status" -eq 2 ]
}
