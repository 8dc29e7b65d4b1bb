// A runbook's folder goes with it: the run's working directory (/app) holds the files beside
// RUNBOOK.md (a script, its data), so `python3 gen.py` works as the author wrote it; what
// .jettyignore names stays behind, and a link out of the folder is not followed.
import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';
import { TEST_BASE_IMAGE, requireDocker } from '../helpers/docker';
import { payloadsOf } from '../helpers/events';
import { callTools, startScriptedModelServer, type Script, type ScriptedModelServer } from '../helpers/scripted-model-server';

const RUNBOOK = `---
version: "1.0.0"
agent: builtin
---

# Pelican persona

Run \`python3 gen.py\` from the working directory; it writes \`/app/results/pelican.txt\`.

## REQUIRED OUTPUT FILES (MANDATORY)

| File | Description |
|---|---|
| \`/app/results/pelican.txt\` | What gen.py made of its reference |

## Evaluation

Write /app/results/validation_report.json.
`;

const GEN = `import pathlib
ref = pathlib.Path("refs/pelican.txt").read_text().strip()
pathlib.Path("/app/results/pelican.txt").write_text(f"drawn from: {ref}\\n")
`;

const command = 'cd /app && ls -a . refs && ./hello.sh && python3 gen.py';
const script: Script = (request) => {
  const turns = request.messages.filter((m) => m.role === 'assistant').length;
  if (turns === 0) return callTools({ name: 'bash', arguments: { command } });
  if (turns === 1) return callTools({ name: 'write_file', arguments: { path: '/app/results/validation_report.json', content: '{"overall_passed": true, "results": {"pass": 1, "partial": 0, "fail": 0}}' } });
  return callTools({ name: 'finish', arguments: { summary: 'done' } });
};

let dir: string;
let folder: string;
let engine: Engine;
let model: ScriptedModelServer;

beforeAll(async () => {
  await requireDocker();
  dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-run-folder-'));
  folder = path.join(dir, 'acme', 'pelican-persona');
  await mkdir(path.join(folder, 'refs'), { recursive: true });
  await mkdir(path.join(folder, 'scratch'), { recursive: true });
  await writeFile(path.join(folder, 'RUNBOOK.md'), RUNBOOK);
  await writeFile(path.join(folder, 'gen.py'), GEN);
  await writeFile(path.join(folder, 'hello.sh'), '#!/bin/sh\necho "hello from the folder"\n');
  await chmod(path.join(folder, 'hello.sh'), 0o755);
  await writeFile(path.join(folder, 'refs', 'pelican.txt'), 'a pelican on a bicycle');
  await writeFile(path.join(folder, 'scratch', 'notes.txt'), 'not for runs');
  await writeFile(path.join(folder, '.jettyignore'), 'scratch/\n');
  await writeFile(path.join(dir, 'host-secret.txt'), 'the host file');
  await symlink(path.join(dir, 'host-secret.txt'), path.join(folder, 'leak.txt'));
  model = await startScriptedModelServer(script);
  engine = await createEngine({ dataDir: path.join(dir, 'data'), env: { JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE } });
});

afterAll(async () => {
  await engine?.close();
  await model?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("a runbook's folder in its run", () => {
  it('is the working directory: its script runs with its data, an executable keeps its mode, ignored and linked-out files stay behind', async () => {
    const run = await engine.services.runner.start({ runbookPath: path.join(folder, 'RUNBOOK.md'), baseURL: model.url, apiKey: 'scripted-key', model: 'scripted-model' });
    const t = await run.done;
    expect(t.status, t.error ?? '').toBe('completed');
    expect(t.evaluation).toMatchObject({ overall_passed: true });
    expect(t.steps.sandbox.outputs).toMatchObject({ folder: { files: 4 } }); // RUNBOOK.md, gen.py, hello.sh, refs/pelican.txt
    const output = String(payloadsOf(engine.services.store.listEvents(t.id, { limit: 1000 }), 'tool_result')[0].output);
    expect(output).toContain('gen.py');
    expect(output).toContain('pelican.txt');
    expect(output).toContain('hello from the folder');
    expect(output).not.toContain('scratch');
    expect(output).not.toContain('leak.txt');
    expect(await readFile(path.join(dir, 'data', 'artifacts', t.id, 'pelican.txt'), 'utf8')).toBe('drawn from: a pelican on a bicycle\n');
    const warnings = engine.services.store.listEvents(t.id, { limit: 1000 }).filter((e) => e.type === 'log' && e.level === 'warning');
    expect(JSON.stringify(warnings)).toContain("the runbook's folder: leak.txt was left out (a link out of the folder (or to nothing))");
  });
});
