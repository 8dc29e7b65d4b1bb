// Every benchmark under bench/ runs at a smoke size: a few seconds each, asserting only that
// it completes and prints its figures. So a change that breaks a bench (a schema, a moved
// module, a renamed function) fails CI instead of waiting for the next person who
// measures. The figures themselves are read from full-size runs (bench/README.md).
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { requireBuiltCli } from '../helpers/cli';
import { requireDocker } from '../helpers/docker';

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../..');
const TSX = ['--import', 'tsx'];

/** Each bench with its smoke-size arguments, whether it needs the build, Docker or the browser, and any line it must print. */
const SMOKE: Record<string, { args: string[]; node?: string[]; needs?: ('build' | 'docker')[]; prints?: RegExp }> = {
  'changes.mjs': { args: ['200', '1'] },
  'cli-start.mjs': { args: ['2'], node: [], needs: ['build'] },
  'codex-run.mjs': { args: ['--rounds', '1'], needs: ['docker'] },
  'conversation-bytes.mjs': { args: ['--sizes', '10'] },
  'eval.mjs': { args: ['2', '--concurrency', '2'], needs: ['docker'] },
  'gateway.mjs': { args: ['--rounds', '1', '--requests', '50'] },
  'lint.mjs': { args: ['2'] },
  'mcp.mjs': { args: ['1'], node: [], needs: ['build'] },
  'mcp-call.mjs': { args: ['--calls', '5', '--rounds', '1'], needs: ['docker'] },
  'otel.mjs': { args: ['10', '1'] },
  // The embeddings scenarios with Jetty's figure in them (direct p50, p99, Jetty +p50).
  'proxy.mjs': { args: ['--rounds', '1', '--requests', '50', '--only', 'jetty,node-floor'], prints: /^\| embeddings c=1 \| -?\d+\.\d+ \| -?\d+\.\d+ \| -?\d+\.\d+ \|/m },
  'pull.mjs': { args: ['20', '5', '1'] },
  'record.mjs': { args: ['1', '200'] },
  'redact.mjs': { args: ['2'] },
  'replay.mjs': { args: ['1000', '1'], needs: ['build'] },
  'search.mjs': { args: ['50', '20', '1'] },
  'run-sync.mjs': { args: ['--rounds', '1'], needs: ['build', 'docker'] },
  'sandbox-start.mjs': { args: ['1', '1'], needs: ['docker'] },
  'storage.mjs': { args: ['1', '1'] },
  'store.mjs': { args: ['500', '1'] },
  'ui-start.mjs': { args: ['20', '1'], needs: ['build'] },
  'workflow.mjs': { args: ['50', '20'] },
};
/** Helpers other benches start, not benches themselves. */
const NOT_BENCHES = new Set(['child-port.mjs', 'append-rate.mjs']);

describe('every bench at a smoke size', () => {
  it('names every script in bench/ (a new bench gets a smoke size here)', () => {
    const scripts = readdirSync(path.join(REPO, 'bench')).filter((f) => f.endsWith('.mjs') && !NOT_BENCHES.has(f));
    expect(scripts.sort()).toEqual(Object.keys(SMOKE).sort());
  });

  for (const [script, { args, node = TSX, needs = [], prints }] of Object.entries(SMOKE)) {
    it(`${script} ${args.join(' ')} completes and prints its figures`, async () => {
      if (needs.includes('build')) requireBuiltCli();
      if (needs.includes('docker')) await requireDocker();
      const { stdout } = await run(process.execPath, [...node, path.join('bench', script), ...args], {
        cwd: REPO,
        timeout: 180_000,
        maxBuffer: 16 * 1024 * 1024,
        env: { ...process.env, FORCE_COLOR: '0' },
      });
      expect(stdout.trim().length, `${script} printed nothing`).toBeGreaterThan(0);
      expect(stdout, `${script} printed no figure`).toMatch(/\d+\.\d+|\d\s*(ms|s|×|x|%|MB|MiB|KB|bytes|\/s)\b/);
      if (prints) expect(stdout).toMatch(prints);
    }, 240_000);
  }
});
