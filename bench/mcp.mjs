// `jetty mcp` start-up as an agent CLI sees it: wall time from spawning
// `node bin/jetty.mjs mcp <folder> --data-dir D` to the answer of its first `tools/list`
// (initialize, initialized and tools/list written at once, as clients do), and to the answer
// of a first tool call that needs the engine (list-collections: the store, the local API on
// loopback), against a bare `node -e ''` measured in the same rounds. The data folder is made
// in the warm-up round, as an agent's would already exist. Build first: npm run build.
// Usage: node bench/mcp.mjs [rounds=11]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const rounds = Math.min(Math.max(Number(process.argv[2] ?? 11), 1), 100);
const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}out/main/cli.js`)) {
  console.error('bench/mcp: out/main/cli.js is missing; run `npm run build` first.');
  process.exit(2);
}
const dataDir = mkdtempSync(path.join(os.tmpdir(), 'jetty-bench-mcp-'));
const folder = path.join(root, 'resources/examples');

/** Wall-clock ms of a bare Node start and exit. */
function bareNode() {
  const start = performance.now();
  const child = spawnSync(process.execPath, ['-e', ''], { stdio: 'ignore', timeout: 30_000 });
  if (child.error || child.status !== 0) throw new Error(`node -e '': ${child.error?.message ?? `exit ${child.status}`}`);
  return performance.now() - start;
}

/** ms from spawn to the tools/list answer and to the list-collections answer, for one fresh `jetty mcp`. */
function jettyMcp() {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, ['bin/jetty.mjs', 'mcp', folder, '--data-dir', dataDir], { cwd: root, stdio: ['pipe', 'pipe', 'inherit'] });
    const times = {};
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('jetty mcp answered nothing within 60 s'));
    }, 60_000);
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (let at = buffer.indexOf('\n'); at >= 0; at = buffer.indexOf('\n')) {
        const message = JSON.parse(buffer.slice(0, at));
        buffer = buffer.slice(at + 1);
        if (message.error || message.result?.isError) return reject(new Error(`jetty mcp: ${JSON.stringify(message)}`));
        if (message.id === 2) {
          // The catalog as the tests know it (test/helpers/mcp.ts) is not at hand here: the tool the bench calls must be among them.
          if (!message.result.tools.some((tool) => tool.name === 'list-collections')) return reject(new Error(`no list-collections among ${message.result.tools.length} tools`));
          times.toolsList = performance.now() - start;
          send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'list-collections', arguments: {} } });
        }
        if (message.id === 3) {
          times.firstCall = performance.now() - start;
          child.stdin.end();
        }
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code !== 0 || times.firstCall === undefined) reject(new Error(`jetty mcp exited ${code} before answering`));
      else resolve(times);
    });
    const send = (message) => child.stdin.write(`${JSON.stringify(message)}\n`);
    send({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-11-25', capabilities: {}, clientInfo: { name: 'bench', version: '0' } } });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: {} });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const node = [];
const toolsList = [];
const firstCall = [];
try {
  bareNode();
  await jettyMcp(); // warm the file cache; makes the data folder
  for (let r = 0; r < rounds; r++) {
    // Alternate the order so neither always runs right after the other.
    if (r % 2 === 0) node.push(bareNode());
    const t = await jettyMcp();
    toolsList.push(t.toolsList);
    firstCall.push(t.firstCall);
    if (r % 2 === 1) node.push(bareNode());
  }
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}

const ratio = (xs) => median(xs.map((ms, i) => ms / node[i]));
console.log(`${rounds} rounds, Node ${process.version}, load average ${os.loadavg()[0].toFixed(1)}`);
console.log(`node -e ''                         median ${median(node).toFixed(1).padStart(7)} ms`);
console.log(`jetty mcp → tools/list answered    median ${median(toolsList).toFixed(1).padStart(7)} ms   ×${ratio(toolsList).toFixed(2)} node (per-round median)`);
console.log(`jetty mcp → list-collections       median ${median(firstCall).toFixed(1).padStart(7)} ms   ×${ratio(firstCall).toFixed(2)} node (per-round median)`);
