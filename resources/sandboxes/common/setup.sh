#!/bin/sh
# Shared by every snapshot Dockerfile: the tools agents rely on (bash, curl, git, jq,
# python3), uv, and the /app layout (/app/assets in, /app/results out).
# Environment: SKIP_UV=true leaves uv out (for offline builds on a local base image,
# where PyPI cannot be reached); any other value installs it and fails if it cannot.
set -eu

packages=""
command -v bash >/dev/null 2>&1 || packages="$packages bash"
command -v curl >/dev/null 2>&1 || packages="$packages curl ca-certificates"
command -v git >/dev/null 2>&1 || packages="$packages git"
command -v jq >/dev/null 2>&1 || packages="$packages jq"
command -v python3 >/dev/null 2>&1 || packages="$packages python3 python3-venv python3-pip python-is-python3"

if [ -n "$packages" ]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $packages
  rm -rf /var/lib/apt/lists/*
fi

if [ "${SKIP_UV:-false}" = "true" ]; then
  echo "uv not installed (SKIP_UV=true)"
else
  python3 -m venv /opt/uv
  /opt/uv/bin/pip install --no-cache-dir uv
  ln -sf /opt/uv/bin/uv /opt/uv/bin/uvx /usr/local/bin/
  uv --version
fi

mkdir -p /app/assets /app/results
