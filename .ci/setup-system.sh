#!/usr/bin/env bash
# Installs what the test suite needs on a fresh Debian machine (run as root):
# Chromium for the browser tests, Docker + mmdebstrap for the sandbox tests, then starts
# dockerd and builds the offline sandbox base image (.ci/docker.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBIAN_FRONTEND=noninteractive
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v dockerd >/dev/null || need+=(docker.io)
command -v mmdebstrap >/dev/null || need+=(mmdebstrap)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
bash .ci/docker.sh
