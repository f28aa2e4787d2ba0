#!/usr/bin/env bash
# Tenderly deployment helper: one command per operation for the dev and prod Docker stacks.
# Run `./docker-deploy.sh help` for usage and exit codes.
set -euo pipefail

readonly EXIT_FAILURE=1     # a check failed (unhealthy service, compose error...)
readonly EXIT_USAGE=2       # unknown command or bad arguments
readonly EXIT_MISSING=3     # a required tool is not installed
readonly EXIT_CONFIG=4      # .env or TLS files missing: run `setup`
readonly EXIT_ABORTED=5     # the user declined a destructive action

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly SCRIPT_DIR
readonly PROG="${0##*/}"
readonly ENV_FILE=".env"
readonly ENV_TEMPLATE=".env.docker"
readonly SSL_DIR="nginx/ssl"
readonly DEV_PROJECT="tenderly"
readonly PROD_PROJECT="tenderly-prod"
readonly DEV_COMPOSE_FILE="docker-compose.yml"
readonly PROD_COMPOSE_FILE="docker-compose.prod.yml"

COMPOSE=()      # the compose command: (docker compose) or (docker-compose)
MODE="dev"      # dev | prod

usage() {
  cat <<EOF
Usage: ${PROG} <command> [prod] [options]

Commands (add "prod" to act on the production stack):
  setup                 check requirements (docker, compose, openssl); create .env from
                        .env.docker with generated secrets (never overwrites an existing .env);
                        create a self-signed certificate in ${SSL_DIR}/ when none exists
  secrets               print fresh random secrets (nothing is written)
  build [prod]          build the app image (prod: also pull newer base images)
  start [prod]          start the stack in the background (prod: then reload nginx so it
                        sees every app replica)
  stop [prod]           stop and remove the containers and networks (volumes are kept)
  restart [prod]        restart every service (prod: then reload nginx)
  status [prod]         list the services and their state
  logs [prod] [svc...]  follow the logs (last 200 lines) of all or some services
  health [prod]         check that every service has a container, that each one is healthy,
                        and the app's ready probe
                        (dev: http://localhost:8000/health/ready,
                         prod: https://localhost/health/ready through nginx)
  cleanup [prod] [--yes]
                        remove containers, networks, volumes (Redis, Prometheus and Grafana
                        data!) and locally built images; asks first unless --yes
  help                  show this help

Stacks:
  dev   docker compose -p ${DEV_PROJECT} -f ${DEV_COMPOSE_FILE}        (app on localhost:8000 + redis)
  prod  docker compose -p ${PROD_PROJECT} -f ${PROD_COMPOSE_FILE}   (standalone file, not an overlay:
        nginx :80/:443, 2 app replicas, redis, redis-exporter, prometheus, grafana 127.0.0.1:3000)
"docker compose" (v2) is used when available, else "docker-compose" (v1).

Environment:
  TENDERLY_HEALTH_URL   override the ready-probe URL used by "health"

Exit codes:
  0  success
  ${EXIT_FAILURE}  failure: an unhealthy service, a failed probe or a failed docker command
  ${EXIT_USAGE}  usage error: unknown command or bad arguments
  ${EXIT_MISSING}  a required tool (docker, docker compose/docker-compose, openssl, curl) is missing
  ${EXIT_CONFIG}  configuration missing: .env or TLS certificate (run "${PROG} setup")
  ${EXIT_ABORTED}  aborted: cleanup was not confirmed
EOF
}

info() { printf '%s\n' "$*"; }
warn() { printf 'warning: %s\n' "$*" >&2; }
die() {
  local code="$1"
  shift
  printf 'error: %s\n' "$*" >&2
  exit "${code}"
}

# ------------------------------------------------------------------ requirements
require_tool() {
  command -v "$1" >/dev/null 2>&1 || die "${EXIT_MISSING}" "'$1' is required but not installed${2:+ ($2)}"
}

detect_compose() {
  if ((${#COMPOSE[@]} > 0)); then
    return 0
  fi
  if command -v docker >/dev/null 2>&1 && docker compose version >/dev/null 2>&1; then
    COMPOSE=(docker compose)
  elif command -v docker-compose >/dev/null 2>&1 && docker-compose version >/dev/null 2>&1; then
    COMPOSE=(docker-compose)
  else
    die "${EXIT_MISSING}" "neither 'docker compose' (v2) nor 'docker-compose' (v1) is available"
  fi
}

# Runs compose for the current stack and returns its status.
compose_raw() {
  detect_compose
  # Both compose files interpolate secrets from .env (REDIS_PASSWORD...), so every compose
  # command, even `ps` or `down`, needs it.
  require_env_file
  if [[ "${MODE}" == "prod" ]]; then
    "${COMPOSE[@]}" -p "${PROD_PROJECT}" -f "${PROD_COMPOSE_FILE}" "$@"
  else
    "${COMPOSE[@]}" -p "${DEV_PROJECT}" -f "${DEV_COMPOSE_FILE}" "$@"
  fi
}

# Runs compose for the current stack; a failure ends the script with EXIT_FAILURE.
compose() {
  local status=0
  compose_raw "$@" || status=$?
  if ((status != 0)); then
    die "${EXIT_FAILURE}" "'${COMPOSE[*]} $1' failed for the ${MODE} stack (exit ${status})"
  fi
}

require_env_file() {
  [[ -f "${ENV_FILE}" ]] || die "${EXIT_CONFIG}" "${ENV_FILE} not found: run '${PROG} setup' first"
}

require_tls_files() {
  local f
  for f in fullchain.pem privkey.pem; do
    [[ -f "${SSL_DIR}/${f}" ]] || die "${EXIT_CONFIG}" "${SSL_DIR}/${f} not found: run '${PROG} setup' or install your certificate (see ${SSL_DIR}/README.md)"
  done
}

# ------------------------------------------------------------------ secrets
random_hex() {
  local bytes="${1:-32}"
  if command -v openssl >/dev/null 2>&1; then
    openssl rand -hex "${bytes}"
  else
    head -c "${bytes}" /dev/urandom | od -An -v -tx1 | tr -d ' \n'
    printf '\n'
  fi
}

sha256_hex() {
  if command -v sha256sum >/dev/null 2>&1; then
    printf '%s' "$1" | sha256sum | cut -d' ' -f1
  else
    printf '%s' "$1" | openssl dgst -sha256 -r | cut -d' ' -f1
  fi
}

# The value that replaces a CHANGE-ME placeholder in .env.docker.
generated_value_for() {
  case "$1" in
    API_KEYS) printf 'tenderly-backend:%s\n' "$(random_hex 32)" ;;
    *) random_hex 32 ;;
  esac
}

cmd_secrets() {
  local api_key
  api_key="$(random_hex 32)"
  cat <<EOF
# Fresh random values (nothing was written). Paste what you need into .env.
API_KEYS=tenderly-backend:${api_key}
# the same key, stored hashed on the server (clients still send the plain key):
# API_KEYS=tenderly-backend:sha256:$(sha256_hex "${api_key}")
JWT_SECRET=$(random_hex 32)
REDIS_PASSWORD=$(random_hex 32)
AUDIT_HASH_SALT=$(random_hex 32)
METRICS_TOKEN=$(random_hex 32)
GF_SECURITY_ADMIN_PASSWORD=$(random_hex 24)
EOF
}

# ------------------------------------------------------------------ setup
write_env_file() {
  if [[ -e "${ENV_FILE}" ]]; then
    info "kept existing ${ENV_FILE} (never overwritten; delete it to regenerate)"
    return 0
  fi
  [[ -f "${ENV_TEMPLATE}" ]] || die "${EXIT_CONFIG}" "${ENV_TEMPLATE} not found"

  local tmp line key count=0
  tmp="$(mktemp "${ENV_FILE}.XXXXXX")"
  # shellcheck disable=SC2064  # expand now: the trap must remove this very file
  trap "rm -f '${tmp}'" EXIT
  chmod 600 "${tmp}"
  while IFS= read -r line || [[ -n "${line}" ]]; do
    if [[ "${line}" =~ ^([A-Za-z_][A-Za-z0-9_]*)=.*CHANGE-ME ]]; then
      key="${BASH_REMATCH[1]}"
      printf '%s=%s\n' "${key}" "$(generated_value_for "${key}")"
      count=$((count + 1))
    else
      printf '%s\n' "${line}"
    fi
  done <"${ENV_TEMPLATE}" >"${tmp}"
  mv "${tmp}" "${ENV_FILE}"
  trap - EXIT
  info "created ${ENV_FILE} from ${ENV_TEMPLATE} with ${count} generated secrets (mode 600)"
}

write_self_signed_cert() {
  local cert="${SSL_DIR}/fullchain.pem" key="${SSL_DIR}/privkey.pem"
  if [[ -f "${cert}" && -f "${key}" ]]; then
    info "kept existing TLS certificate in ${SSL_DIR}/"
    return 0
  fi
  mkdir -p "${SSL_DIR}"
  openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 365 \
    -subj "/CN=localhost" \
    -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
    -keyout "${key}" -out "${cert}" >/dev/null 2>&1 ||
    die "${EXIT_FAILURE}" "openssl could not create a self-signed certificate"
  chmod 600 "${key}"
  chmod 644 "${cert}"
  info "created a self-signed certificate for localhost in ${SSL_DIR}/ (replace it in production)"
}

cmd_setup() {
  require_tool docker "https://docs.docker.com/engine/install/"
  detect_compose
  require_tool openssl
  info "using: ${COMPOSE[*]}"
  write_env_file
  write_self_signed_cert
  info "next: ${PROG} build && ${PROG} start   (or: ${PROG} build prod && ${PROG} start prod)"
}

# ------------------------------------------------------------------ lifecycle
reload_nginx() {
  # nginx finds the replicas by itself (it resolves `app` per request); the reload makes it re-read
  # nginx/nginx.conf, which `up -d` does not do for a changed bind-mounted file.
  compose_raw exec -T nginx nginx -s reload >/dev/null 2>&1 ||
    warn "could not reload nginx; run: ${COMPOSE[*]} -p ${PROD_PROJECT} -f ${PROD_COMPOSE_FILE} exec nginx nginx -s reload"
}

cmd_build() {
  if [[ "${MODE}" == "prod" ]]; then
    compose build --pull
  else
    compose build
  fi
}

cmd_start() {
  if [[ "${MODE}" == "prod" ]]; then
    require_tls_files
  fi
  local status=0 suffix=""
  [[ "${MODE}" == "dev" ]] || suffix=" ${MODE}"
  compose_raw up -d --remove-orphans || status=$?
  if ((status != 0)); then
    # Compose stops at the first service it cannot create (a missing image, a port in use...) and
    # leaves the others running: take them down too, so the stack is in one known state.
    warn "'${COMPOSE[*]} up' failed for the ${MODE} stack (exit ${status}): a service could not be created or started; compose printed the cause above"
    if compose_raw down --remove-orphans >/dev/null 2>&1; then
      die "${EXIT_FAILURE}" "start failed: the ${MODE} stack is now stopped (containers removed, volumes kept). Fix the cause, then run '${PROG} start${suffix}' again"
    fi
    die "${EXIT_FAILURE}" "start failed, and stopping what had started failed too: check '${PROG} status${suffix}'"
  fi
  if [[ "${MODE}" == "prod" ]]; then
    reload_nginx
    info "started: https://localhost/health/ready (Grafana: http://127.0.0.1:3000)"
  else
    info "started: http://localhost:8000/health/ready"
  fi
}

cmd_stop() {
  compose down --remove-orphans
}

cmd_restart() {
  compose restart
  if [[ "${MODE}" == "prod" ]]; then
    reload_nginx
  fi
}

cmd_status() {
  compose ps
}

cmd_logs() {
  compose logs -f --tail=200 "$@"
}

cmd_health() {
  detect_compose
  require_tool curl
  local ids services svc failed=0 line name state url code
  local -a id_list=() service_list=()
  # Every service the compose file defines must have a container: one never created (a missing
  # image...) would otherwise go unnoticed.
  services="$(compose config --services)"
  [[ -z "${services}" ]] || mapfile -t service_list <<<"${services}"
  for svc in "${service_list[@]}"; do
    ids="$(compose ps -q "${svc}")"
    if [[ -z "${ids}" ]]; then
      info "FAILED   ${svc} (no container)"
      failed=1
    else
      mapfile -t -O "${#id_list[@]}" id_list <<<"${ids}"
    fi
  done
  if ((${#id_list[@]} == 0)); then
    die "${EXIT_FAILURE}" "no containers are running for the ${MODE} stack"
  fi
  while IFS= read -r line; do
    name="${line%% *}"
    state="${line#* }"
    case "${state}" in
      healthy) info "ok       ${name#/} (healthy)" ;;
      *)
        info "FAILED   ${name#/} (${state})"
        failed=1
        ;;
    esac
  done < <(docker inspect --format '{{.Name}} {{if .State.Health}}{{.State.Health.Status}}{{else}}{{.State.Status}}{{end}}' "${id_list[@]}")

  if [[ "${MODE}" == "prod" ]]; then
    url="${TENDERLY_HEALTH_URL:-https://localhost/health/ready}"
  else
    url="${TENDERLY_HEALTH_URL:-http://localhost:8000/health/ready}"
  fi
  code="$(curl -sk -o /dev/null -w '%{http_code}' --max-time 10 "${url}" || true)"
  if [[ "${code}" == "200" ]]; then
    info "ok       ready probe ${url} (200)"
  else
    info "FAILED   ready probe ${url} (${code:-no answer})"
    failed=1
  fi

  if ((failed)); then
    die "${EXIT_FAILURE}" "the ${MODE} stack is not healthy"
  fi
  info "the ${MODE} stack is healthy"
}

cmd_cleanup() {
  local assume_yes="$1" answer=""
  if [[ "${assume_yes}" != "yes" ]]; then
    if [[ ! -t 0 ]]; then
      die "${EXIT_ABORTED}" "cleanup deletes the ${MODE} volumes; re-run with --yes to confirm"
    fi
    printf 'This deletes the %s containers, networks, images and VOLUMES (Redis, Prometheus, Grafana data). Continue? [y/N] ' "${MODE}"
    read -r answer || true
    case "${answer}" in
      y | Y | yes | YES) ;;
      *) die "${EXIT_ABORTED}" "cleanup aborted" ;;
    esac
  fi
  compose down --volumes --remove-orphans --rmi local
  info "removed the ${MODE} stack and its volumes"
}

# ------------------------------------------------------------------ main
main() {
  cd "${SCRIPT_DIR}"
  if (($# == 0)); then
    usage >&2
    exit "${EXIT_USAGE}"
  fi
  local command="$1"
  shift

  case "${command}" in
    help | -h | --help)
      usage
      return 0
      ;;
    setup | secrets)
      (($# == 0)) || die "${EXIT_USAGE}" "'${command}' takes no arguments (got: $*)"
      ;;
    build | start | stop | restart | status | logs | health | cleanup) ;;
    *)
      printf "error: unknown command '%s'\n\n" "${command}" >&2
      usage >&2
      exit "${EXIT_USAGE}"
      ;;
  esac

  if [[ "${1:-}" == "prod" ]]; then
    MODE="prod"
    shift
  elif [[ "${1:-}" == "dev" ]]; then
    shift
  fi

  local assume_yes="no" arg
  if [[ "${command}" == "cleanup" ]]; then
    for arg in "$@"; do
      case "${arg}" in
        -y | --yes) assume_yes="yes" ;;
        *) die "${EXIT_USAGE}" "unknown option for cleanup: ${arg}" ;;
      esac
    done
    set --
  fi
  if [[ "${command}" != "logs" ]] && (($# > 0)); then
    die "${EXIT_USAGE}" "unexpected argument(s) for '${command}': $* (only 'prod' is accepted)"
  fi

  case "${command}" in
    setup) cmd_setup ;;
    secrets) cmd_secrets ;;
    build) cmd_build ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    restart) cmd_restart ;;
    status) cmd_status ;;
    logs) cmd_logs "$@" ;;
    health) cmd_health ;;
    cleanup) cmd_cleanup "${assume_yes}" ;;
  esac
}

main "$@"
