#!/usr/bin/env bash
# Installs the real services the tests run against (Debian packages); installing never starts them.
set -euo pipefail

needed=()
command -v redis-server >/dev/null 2>&1 || needed+=(redis-server)
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || needed+=(nginx)
command -v prometheus >/dev/null 2>&1 || needed+=(prometheus)
command -v prometheus-redis-exporter >/dev/null 2>&1 || needed+=(prometheus-redis-exporter)
command -v shellcheck >/dev/null 2>&1 || needed+=(shellcheck)
command -v bats >/dev/null 2>&1 || needed+=(bats)
command -v docker-compose >/dev/null 2>&1 || needed+=(docker-compose)
command -v openssl >/dev/null 2>&1 || needed+=(openssl)

if [ "${#needed[@]}" -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "missing system packages: ${needed[*]} (run as root, or: sudo apt-get install -y ${needed[*]})" >&2
  exit 1
fi
echo "installing system packages: ${needed[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
# Debian's postinst may start services; the tests start their own on loopback ports.
for svc in redis-server nginx prometheus prometheus-redis-exporter; do
  if command -v service >/dev/null 2>&1; then service "$svc" stop >/dev/null 2>&1 || true; fi
done
