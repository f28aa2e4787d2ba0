#!/usr/bin/env bash
# Static checks of the Docker deployment, without a Docker engine. Prints one PASS/FAIL line
# per check (with the tail of the output of a failing one) and exits non-zero if any failed.
#
#   bash scripts/check-deploy.sh
#   bash scripts/check-deploy.sh --render-nginx DIR HTTP_PORT HTTPS_PORT UPSTREAM [UPSTREAM...]
#
# The second form only writes a local copy of nginx/nginx.conf to DIR/nginx.conf (plus the
# directories it needs and, when absent, a self-signed DIR/ssl/{fullchain,privkey}.pem), with
# ONLY the substitution points documented at the top of nginx/nginx.conf changed:
#   listen ports (HTTP_PORT/HTTPS_PORT: a port, bound to 127.0.0.1, or ADDR:PORT),
#   path prefixes (pid, logs, temp dirs, ssl, acme -> under DIR),
#   the upstream (several UPSTREAM addresses, e.g. 127.0.0.1:18001: a local pool "tenderly_local";
#   one UPSTREAM by name, e.g. app:18001: looked up per request like `app` in production),
#   the resolver, when RESOLVER=ADDR[:PORT] is set in the environment (a DNS server for names).
# Start it with: nginx -p DIR -c DIR/nginx.conf -e DIR/log/error.log
#
# Needs: node/npx (npm registry reachable the first time), docker-compose (v1 is enough),
# the shellcheck, nginx, openssl, promtool, redis-server, redis-cli and bats commands.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "${ROOT}" || exit 1

# ------------------------------------------------------------------ nginx local copy
render_nginx() {
  if (($# < 4)); then
    echo "usage: $0 --render-nginx DIR HTTP_PORT HTTPS_PORT UPSTREAM [UPSTREAM...]" >&2
    return 2
  fi
  local dir="$1" http="$2" https="$3"
  shift 3
  local upstreams="$*"
  [[ "${http}" == *:* ]] || http="127.0.0.1:${http}"
  [[ "${https}" == *:* ]] || https="127.0.0.1:${https}"
  mkdir -p "${dir}/log" "${dir}/cache" "${dir}/ssl" "${dir}/acme" || return 1
  dir="$(cd "${dir}" && pwd)"
  if [[ ! -f "${dir}/ssl/fullchain.pem" || ! -f "${dir}/ssl/privkey.pem" ]]; then
    openssl req -x509 -newkey rsa:2048 -sha256 -nodes -days 2 -subj "/CN=localhost" \
      -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" \
      -keyout "${dir}/ssl/privkey.pem" -out "${dir}/ssl/fullchain.pem" >/dev/null 2>&1 || return 1
  fi
  awk -v dir="${dir}" -v http="${http}" -v https="${https}" -v ups="${upstreams}" -v resolver="${RESOLVER:-}" '
    function repl(s, from, to,    i, out) {
      out = ""
      while ((i = index(s, from)) > 0) { out = out substr(s, 1, i - 1) to; s = substr(s, i + length(from)) }
      return out s
    }
    BEGIN {
      n = split(ups, a, " ")
      # One instance by name (resolved per request, through RESOLVER) or a local pool of addresses.
      named = (n == 1 && a[1] !~ /^[0-9.]+:[0-9]+$/)
    }
    /^[[:space:]]*# @subst:upstream_block/ {
      if (!named) {
        print "    upstream tenderly_local {                                 # @subst:upstream"
        print "        zone tenderly_local 64k;                               # @subst:upstream"
        for (k = 1; k <= n; k++)
          print "        server " a[k] " max_fails=3 fail_timeout=10s;          # @subst:upstream"
        print "        keepalive 32;                                          # @subst:upstream"
        print "    }                                                          # @subst:upstream"
      }
      next
    }
    /^[[:space:]]*#/ { print; next }
    /# @subst:upstream/ {
      print repl($0, "app:8000", named ? a[1] : "tenderly_local")
      next
    }
    /# @subst:resolver/ && resolver != "" {
      print repl($0, "127.0.0.11", resolver)
      next
    }
    {
      line = $0
      line = repl(line, "listen 80 default_server;", "listen " http " default_server;")
      line = repl(line, "listen 443 ssl http2 default_server;", "listen " https " ssl http2 default_server;")
      line = repl(line, "/var/run/nginx.pid", dir "/nginx.pid")
      line = repl(line, "/var/log/nginx/", dir "/log/")
      line = repl(line, "/var/cache/nginx/", dir "/cache/")
      line = repl(line, "/etc/nginx/ssl/", dir "/ssl/")
      line = repl(line, "/var/www/acme", dir "/acme")
      print line
    }' "${ROOT}/nginx/nginx.conf" >"${dir}/nginx.conf"
}

if [[ "${1:-}" == "--render-nginx" ]]; then
  shift
  render_nginx "$@"
  exit $?
fi

# ------------------------------------------------------------------ harness
WORK="$(mktemp -d "${TMPDIR:-/tmp}/check-deploy.XXXXXX")"
REDIS_PID=""
cleanup() {
  if [[ -n "${REDIS_PID}" ]] && kill -0 "${REDIS_PID}" 2>/dev/null; then
    kill "${REDIS_PID}" 2>/dev/null
    wait "${REDIS_PID}" 2>/dev/null
  fi
  rm -rf "${WORK}"
}
trap cleanup EXIT

failures=0
passes=0

# check NAME FUNCTION [ARGS...]: runs the function with its output in a log file.
check() {
  local name="$1" log
  shift
  log="${WORK}/log.$((passes + failures))"
  if "$@" >"${log}" 2>&1; then
    printf 'PASS  %s\n' "${name}"
    passes=$((passes + 1))
  else
    printf 'FAIL  %s\n' "${name}"
    tail -n 40 "${log}" | sed 's/^/      /'
    failures=$((failures + 1))
  fi
}

need() {
  local tool
  for tool in "$@"; do
    command -v "${tool}" >/dev/null 2>&1 || [[ -x "/usr/sbin/${tool}" ]] || {
      echo "missing tool: ${tool}"
      return 1
    }
  done
}

# ------------------------------------------------------------------ checks
check_dockerfile() {
  need npx || return 1
  local out status=0
  out="$(npx --yes dockerfile-utils lint Dockerfile 2>&1)" || status=$?
  printf '%s\n' "${out}"
  # dockerfile-utils exits 0 on warnings: any diagnostic at all is a failure here.
  ((status == 0)) && ! grep -Eq '^(Error|Warning):' <<<"${out}"
}

# A throw-away project dir with the compose files and a .env made from .env.docker (its
# placeholders are non-empty, which is all `config` needs).
compose_dir() {
  local d="${WORK}/compose"
  if [[ ! -d "${d}" ]]; then
    mkdir -p "${d}"
    cp docker-compose.yml docker-compose.prod.yml "${d}/"
    cp .env.docker "${d}/.env"
  fi
  printf '%s\n' "${d}"
}

check_compose_dev() {
  need docker-compose || return 1
  local d
  d="$(compose_dir)"
  (cd "${d}" && docker-compose -f docker-compose.yml config -q)
}

check_compose_prod() {
  need docker-compose || return 1
  local d
  d="$(compose_dir)"
  (cd "${d}" && docker-compose -f docker-compose.prod.yml config -q) || return 1
  # Grafana must never start without an explicit admin password.
  if (cd "${d}" && grep -v '^GF_SECURITY_ADMIN_PASSWORD=' .env >.env.nogf &&
    docker-compose --env-file .env.nogf -f docker-compose.prod.yml config -q); then
    echo "prod config is accepted without GF_SECURITY_ADMIN_PASSWORD"
    return 1
  fi
  return 0
}

check_dclint() {
  need npx || return 1
  npx --yes dclint --config .dclintrc --max-warnings 0 docker-compose.yml docker-compose.prod.yml
}

check_shellcheck() {
  need shellcheck || return 1
  shellcheck -x docker-deploy.sh scripts/*.sh scripts/podman/*.sh
}

check_nginx() {
  need nginx openssl || return 1
  local nginx_bin d="${WORK}/nginx"
  nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
  render_nginx "${d}" 18080 18443 127.0.0.1:18001 127.0.0.1:18002 || return 1
  # Only the documented substitution points may differ from the real file.
  if diff <(grep -v '^[[:space:]]*#' nginx/nginx.conf | grep -v '@subst:') \
    <(grep -v '^[[:space:]]*#' "${d}/nginx.conf" | grep -v '@subst:'); then :; else
    echo "the local copy differs from nginx/nginx.conf outside the @subst lines"
    return 1
  fi
  "${nginx_bin}" -t -p "${d}" -c "${d}/nginx.conf" -e "${d}/log/error.log"
}

check_promtool_config() {
  need promtool || return 1
  promtool check config monitoring/prometheus.yml
}

check_promtool_rules() {
  need promtool || return 1
  promtool check rules monitoring/alerts.yml
}

check_promtool_tests() {
  need promtool || return 1
  promtool test rules monitoring/tests/alerts.test.yml || return 1
  # Every alert must have at least one unit test.
  local alert missing=0
  while read -r alert; do
    if ! grep -Eq "alertname: ['\"]?${alert}['\"]?\$" monitoring/tests/alerts.test.yml; then
      echo "alert without a unit test: ${alert}"
      missing=1
    fi
  done < <(sed -n 's/^[[:space:]]*- alert:[[:space:]]*\([A-Za-z0-9_]*\).*/\1/p' monitoring/alerts.yml)
  ((missing == 0))
}

# Every dashboard panel queries the provisioned Prometheus datasource. (Metric and label names are
# checked against a real scrape by test/monitoring/dashboard.test.ts, not here.)
check_dashboard_datasource() {
  need node || return 1
  node - monitoring/grafana/dashboards/tenderly.json <<'EOF'
const fs = require('fs');
const dash = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const panels = [];
(function walk(ps) { for (const p of ps || []) { panels.push(p); walk(p.panels); } })(dash.panels);
let bad = 0;
for (const p of panels) {
  for (const t of p.targets || []) {
    if (t.datasource && t.datasource.uid !== 'prometheus') { console.log(`panel "${p.title}": unknown datasource uid`); bad++; }
  }
}
const ds = fs.readFileSync('monitoring/grafana/provisioning/datasources/prometheus.yml', 'utf8');
if (!/uid:\s*prometheus\b/.test(ds)) { console.log('datasource provisioning does not define uid prometheus'); bad++; }
console.log(`${panels.length} panels checked`);
process.exit(bad ? 1 : 0);
EOF
}

# redis/redis.conf must start with the local redis-server 7.x and enforce its rules.
check_redis_conf() {
  need redis-server redis-cli || return 1
  local d="${WORK}/redis" sock reply
  mkdir -p "${d}"
  sock="${d}/redis.sock"
  redis-server redis/redis.conf --port 0 --unixsocket "${sock}" --unixsocketperm 700 \
    --dir "${d}" --requirepass check-deploy-password --logfile "${d}/redis.log" &
  REDIS_PID=$!
  local _
  for _ in $(seq 1 50); do
    [[ -S "${sock}" ]] && break
    sleep 0.1
  done
  [[ -S "${sock}" ]] || {
    cat "${d}/redis.log"
    return 1
  }
  local cli=(redis-cli -s "${sock}" --no-auth-warning)
  reply="$("${cli[@]}" ping 2>&1)"
  [[ "${reply}" == *NOAUTH* ]] || { echo "unauthenticated PING answered: ${reply}"; return 1; }
  cli+=(-a check-deploy-password)
  [[ "$("${cli[@]}" ping)" == PONG ]] || { echo "PING with the password failed"; return 1; }
  local cmd
  for cmd in FLUSHALL FLUSHDB "KEYS *" "DEBUG SLEEP 0" SHUTDOWN MONITOR; do
    # shellcheck disable=SC2086  # split "KEYS *" into command and argument
    reply="$(set -f && "${cli[@]}" ${cmd} 2>&1)"
    [[ "${reply}" == *"unknown command"* ]] || { echo "${cmd} is not disabled: ${reply}"; return 1; }
  done
  [[ "$("${cli[@]}" config get maxmemory-policy | tail -n 1)" == volatile-lru ]] || { echo "CONFIG GET (needed by redis_exporter) failed"; return 1; }
  [[ "$("${cli[@]}" config get appendonly | tail -n 1)" == yes ]] || { echo "AOF is off"; return 1; }
  [[ "$("${cli[@]}" config get protected-mode | tail -n 1)" == yes ]] || { echo "protected-mode is off"; return 1; }
  if grep -Eiq '^[[:space:]]*(requirepass|masterauth|user[[:space:]])' redis/redis.conf; then
    echo "redis/redis.conf must not contain a password or ACL users"
    return 1
  fi
  kill "${REDIS_PID}" && wait "${REDIS_PID}" 2>/dev/null
  REDIS_PID=""
  echo "redis-server $(redis-server --version | awk '{print $3}') accepted redis/redis.conf"
}

# Prints FILE:LINE:TEXT for every line that is not a comment.
code_lines() {
  grep -HnEv '^[[:space:]]*(#|$)' "$@"
}

check_no_secrets() {
  # Templates and configs must carry placeholders only.
  local bad=0
  if grep -En '^(API_KEYS|JWT_SECRET|REDIS_PASSWORD|AUDIT_HASH_SALT|GF_SECURITY_ADMIN_PASSWORD)=' .env.docker |
    grep -v 'CHANGE-ME'; then
    echo ".env.docker: a secret without a CHANGE-ME placeholder"
    bad=1
  fi
  if grep -Eq '^OPENAI_API_KEY=.+' .env.docker; then
    echo ".env.docker: OPENAI_API_KEY must be empty"
    bad=1
  fi
  if code_lines docker-compose.yml docker-compose.prod.yml |
    grep -E -i 'admin/admin|[[:space:]]GF_SECURITY_ADMIN_PASSWORD[:=][[:space:]]*[^$[:space:]]'; then
    echo "a compose file sets a literal Grafana admin password"
    bad=1
  fi
  if code_lines docker-compose.yml docker-compose.prod.yml | grep -E -- '--web\.enable-(lifecycle|admin-api)'; then
    echo "Prometheus lifecycle/admin API must stay off"
    bad=1
  fi
  # Values under `environment:` are shown by `docker inspect`; no comment may promise otherwise.
  if grep -nE '^[[:space:]]*#.*out of .?docker inspect' docker-compose.yml docker-compose.prod.yml; then
    echo "a compose comment says a value stays out of docker inspect: environment values never do"
    bad=1
  fi
  if code_lines nginx/nginx.conf | grep -F 'https://_'; then
    echo "nginx redirects to https://_"
    bad=1
  fi
  ((bad == 0))
}

check_bats() {
  need bats || return 1
  bats test/deploy
}

check "dockerfile-utils lint Dockerfile" check_dockerfile
check "docker-compose config (dev: docker-compose.yml)" check_compose_dev
check "docker-compose config (prod: docker-compose.prod.yml)" check_compose_prod
check "dclint docker-compose.yml docker-compose.prod.yml" check_dclint
check "shellcheck docker-deploy.sh scripts/*.sh scripts/podman/*.sh" check_shellcheck
check "nginx -t (local copy of nginx/nginx.conf)" check_nginx
check "redis-server accepts redis/redis.conf" check_redis_conf
check "promtool check config monitoring/prometheus.yml" check_promtool_config
check "promtool check rules monitoring/alerts.yml" check_promtool_rules
check "promtool test rules (every alert tested)" check_promtool_tests
check "dashboard datasource" check_dashboard_datasource
check "no secrets or unsafe defaults" check_no_secrets
check "bats test/deploy" check_bats

# Not the 'N passed, N failed' form: that line is reserved for the whole suite's total (scripts/test.sh).
printf 'deploy checks: %d of %d passed\n' "${passes}" "$((passes + failures))"
((failures == 0))
