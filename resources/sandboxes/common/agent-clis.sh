#!/bin/sh
# Shared by every snapshot Dockerfile: the agent CLIs the claude-code, codex and gemini-cli
# runtimes run inside the sandbox, at pinned versions, from npm (Node 22 from nodejs.org
# first when the image has no Node 20 or later with npm: Gemini CLI runs on it, npm installs all three).
# Environment: SKIP_AGENT_CLIS=true leaves them out (offline builds on a local base image,
# where neither nodejs.org nor npm can be reached); otherwise a failed install fails the build.
set -eu

NODE_VERSION=22.22.2
CLAUDE_CODE_VERSION=2.1.197
CODEX_VERSION=0.171.0
GEMINI_CLI_VERSION=0.61.0

if [ "${SKIP_AGENT_CLIS:-false}" = "true" ]; then
  echo "agent CLIs not installed (SKIP_AGENT_CLIS=true)"
  exit 0
fi

node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ] || ! command -v npm >/dev/null 2>&1; then
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64) arch=arm64 ;;
    *) echo "no Node build for $(uname -m)" >&2; exit 1 ;;
  esac
  curl -fsSL "https://nodejs.org/dist/v${NODE_VERSION}/node-v${NODE_VERSION}-linux-${arch}.tar.gz" | tar -xz -C /usr/local --strip-components=1
fi

npm install -g --no-audit --no-fund \
  "@anthropic-ai/claude-code@${CLAUDE_CODE_VERSION}" \
  "@openai/codex@${CODEX_VERSION}" \
  "@google/gemini-cli@${GEMINI_CLI_VERSION}"
npm cache clean --force
claude --version
codex --version
gemini --version
