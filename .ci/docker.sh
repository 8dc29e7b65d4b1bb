#!/usr/bin/env bash
# Docker for CI and local integration tests — idempotent, safe to run concurrently.
#  1. installs docker.io and mmdebstrap if missing (Debian apt),
#  2. starts dockerd in the background if no daemon answers, waiting (bounded) for the socket,
#  3. builds the offline sandbox base image jetty-test/base:latest if absent
#     (there is no container registry here: the image is made from Debian packages).
set -euo pipefail

BASE_IMAGE="${JETTY_TEST_BASE_IMAGE:-jetty-test/base:latest}"
SOCKET="/var/run/docker.sock"
SOCKET_WAIT_SECONDS="${DOCKER_SOCKET_WAIT_SECONDS:-60}"

# One runner at a time: concurrent callers wait here, then find everything done.
exec 9>/tmp/jetty-ci-docker.lock
flock 9

log() { echo "[docker.sh] $*" >&2; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_packages() {
  local missing=()
  command -v dockerd >/dev/null 2>&1 || missing+=(docker.io)
  command -v mmdebstrap >/dev/null 2>&1 || missing+=(mmdebstrap)
  if [ "${#missing[@]}" -gt 0 ]; then
    log "installing ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}"
  fi
}

start_daemon() {
  if docker info >/dev/null 2>&1; then return 0; fi
  if ! pgrep -x dockerd >/dev/null 2>&1; then
    log "starting dockerd (log: /tmp/dockerd.log)"
    # Close fd 9 first: the daemon must not inherit the lock, or it holds it for its lifetime.
    ( exec 9>&-; as_root nohup dockerd >/tmp/dockerd.log 2>&1 ) &
  fi
  local waited=0
  until [ -S "$SOCKET" ] && docker info >/dev/null 2>&1; do
    if [ "$waited" -ge "$SOCKET_WAIT_SECONDS" ]; then
      log "dockerd did not answer on $SOCKET within ${SOCKET_WAIT_SECONDS}s; see /tmp/dockerd.log"
      tail -n 20 /tmp/dockerd.log >&2 || true
      exit 1
    fi
    sleep 1
    waited=$((waited + 1))
  done
  log "dockerd ready after ${waited}s"
}

build_base_image() {
  if docker image inspect "$BASE_IMAGE" >/dev/null 2>&1; then
    log "$BASE_IMAGE present"
    return 0
  fi
  log "building $BASE_IMAGE with mmdebstrap (about a minute)"
  as_root mmdebstrap --quiet --variant=apt \
    --include=python3,python3-venv,bash,curl,ca-certificates,git,jq \
    bookworm - | docker import - "$BASE_IMAGE" >/dev/null
  log "$BASE_IMAGE built"
}

install_packages
start_daemon
build_base_image
