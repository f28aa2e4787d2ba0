#!/usr/bin/env bash
# Builds the app image with podman from nothing, on a Debian machine without a Docker engine or
# registry access: installs podman, writes its runtime configuration, bootstraps a stand-in
# node:24-slim (cached: a second run only rebuilds the app image) and builds the UNCHANGED
# Dockerfile. Prints the image size. Run as root.
#
#   bash scripts/podman/build-image.sh [IMAGE]        (default tag: localhost/tenderly-diagnosis:podman)
#
# Exit codes: 0 built, 1 failed, 77 podman cannot run here (skipped, nothing built).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
# shellcheck source=scripts/podman/common.sh
source scripts/podman/common.sh

image="${1:-localhost/tenderly-diagnosis:podman}"
start=${SECONDS}
podman_prepare
ensure_node_base
build_app_image Dockerfile . "${image}"
size="$(podman image inspect --format '{{.Size}}' "${image}")"
printf 'built %s: %s MB (%s bytes) in %ss\n' "${image}" "$((size / 1000000))" "${size}" "$((SECONDS - start))"
