import { createHash } from 'node:crypto';
import { messageOf, payloadsOf } from '../helpers/events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../electron/engine/api';
import { createLocalServer, type LocalServer } from '../../electron/engine/server/local-server';
import { encodedForms, MIN_SECRET_LENGTH } from '../../electron/engine/store';
import { TEST_BASE_IMAGE, requireDocker } from '../helpers/docker';
import { callTools, startScriptedModelServer, type ScriptedModelServer, type Script } from '../helpers/scripted-model-server';

const repo = path.resolve(__dirname, '../..');
const SECRET_REPORT = path.join(repo, 'test/fixtures/runs/demo/secret-report/RUNBOOK.md');
/** `!`, `(`, `/`, `+` and a space, so every percent-encoder writes it differently. */
const SECRET = 'sk-live!4f9a( 8b7c)6d5e/very+secret';
const TOKEN = 'result-secrets-test-token';

/**
 * What the agent runs: the secret (from its environment) written into /app/results in
 * many forms, as text and inside a binary file, and the sha256 of both as written.
 */
const LEAK_RESULTS = `cd /app/results && T="$DEMO_TOKEN" && {
  echo "plain: $T"
  printf 'hex: '; printf %s "$T" | od -An -tx1 | tr -d ' \\n'; echo
  printf 'HEX: '; printf %s "$T" | od -An -tx1 | tr -d ' \\n' | tr a-f A-F; echo
  for p in '' x xy; do printf 'b64: '; printf '%s%s!' "$p" "$T" | base64 -w0; echo; done
  printf 'b64url: '; printf 'x%s' "$T" | base64 -w0 | tr '+/' '-_'; echo
  echo 'wrapped at 76:'; printf '%s%s' 0123456789012345678901234567890123456789012345 "$T" | base64
  python3 -c 'import os, urllib.parse as u; t = os.environ["DEMO_TOKEN"]; print("quote:", u.quote(t, safe="")); print("quote_plus:", u.quote_plus(t))'
  echo "upper: $(printf %s "$T" | tr a-z A-Z)"
  echo 'folded:'; printf %s "$T" | fold -w 9; echo
} > leaks.txt && printf '\\211PNG\\r\\n\\032\\n\\000\\000\\000\\015%s\\000\\377' "$T" > blob.bin && sha256sum leaks.txt blob.bin`;

const writesLeaks: Script = (request) => {
  const turns = request.messages.filter((m) => m.role === 'assistant').length;
  if (turns === 0) return callTools({ name: 'bash', arguments: { command: LEAK_RESULTS } });
  if (turns === 1) {
    const report = '{"overall_passed": true, "results": {"pass": 1, "partial": 0, "fail": 0}}';
    return callTools({ name: 'write_file', arguments: { path: '/app/results/validation_report.json', content: report } });
  }
  return callTools({ name: 'finish', arguments: { summary: 'done' } });
};

const FORMS = encodedForms(SECRET, MIN_SECRET_LENGTH);
/** The covered forms found in `bytes` (folds undone first), by encoding name. */
const formsIn = (bytes: Buffer): string[] => {
  const text = bytes.toString('latin1').replace(/\r?\n[ \t]*/g, '');
  return FORMS.filter((form) => (form.anyCase ? text.toLowerCase().includes(form.text.toLowerCase()) : text.includes(form.text))).map((f) => f.encoding);
};
const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

describe('secrets in result files (real Docker run)', () => {
  let dataDir: string;
  let engine: Engine;
  let server: LocalServer;
  let model: ScriptedModelServer;

  beforeAll(async () => {
    await requireDocker();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'jetty-result-secrets-'));
    model = await startScriptedModelServer(writesLeaks);
    engine = await createEngine({ dataDir, env: { JETTY_SANDBOX_IMAGE: TEST_BASE_IMAGE } });
    server = await createLocalServer({ engine, token: TOKEN, staticDir: null, routes: engine.routes, maxBodyBytes: 1024 * 1024 });
  });

  afterAll(async () => {
    await server?.close();
    await engine?.close();
    await model?.close();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('redacts text and binary results before they are stored, served or hashed, and warns by name', async () => {
    const { store, runner } = engine.services;
    const run = await runner.start({
      runbookPath: SECRET_REPORT,
      params: { topic: 'billing' },
      secrets: { DEMO_TOKEN: SECRET },
      baseURL: model.url,
      apiKey: 'test-key',
      model: 'scripted',
    });
    const t = await run.done;
    expect(t.status, t.error ?? '').toBe('completed');
    expect(t.artifacts.map((a) => a.path).sort()).toEqual(['blob.bin', 'leaks.txt', 'validation_report.json']);
    const events = store.listEvents(t.id, { limit: 10_000 });

    // The files as the sandbox wrote them, by their sha256 (printed by the agent's command).
    const output = events.filter((e) => e.type === 'command_output').map((e) => String(e.payload.text)).join('');
    const written = Object.fromEntries([...output.matchAll(/([0-9a-f]{64}) {2}(\S+)/g)].map((m) => [m[2], m[1]]));
    expect(Object.keys(written).sort()).toEqual(['blob.bin', 'leaks.txt']);

    const folder = path.join(dataDir, 'artifacts', t.id);
    const leaks = await readFile(path.join(folder, 'leaks.txt'));
    const blob = await readFile(path.join(folder, 'blob.bin'));
    expect(formsIn(leaks)).toEqual([]);
    expect(formsIn(blob)).toEqual([]);
    const text = leaks.toString('utf8');
    for (const line of ['plain: [REDACTED:DEMO_TOKEN]', 'hex: [REDACTED:DEMO_TOKEN]', 'HEX: [REDACTED:DEMO_TOKEN]', 'quote: [REDACTED:DEMO_TOKEN]', 'quote_plus: [REDACTED:DEMO_TOKEN]', 'upper: [REDACTED:DEMO_TOKEN]']) {
      expect(text).toContain(line);
    }
    expect(text.match(/\[REDACTED:DEMO_TOKEN\]/g)).toHaveLength(12);
    // The binary file keeps its layout: same length, PNG signature, secret overwritten in place.
    expect(blob.length).toBe(8 + 4 + Buffer.byteLength(SECRET) + 2);
    expect(blob.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBe(true);
    expect(blob.subarray(12, 12 + 22).toString('latin1')).toBe('[REDACTED:DEMO_TOKEN]*');

    // Recorded sizes and hashes are of what was stored, never of the secret-bearing originals.
    const exportDoc = store.exportTrajectory(t.id);
    const exported = JSON.stringify(exportDoc);
    for (const [file, bytes] of [['leaks.txt', leaks], ['blob.bin', blob]] as const) {
      expect(exportDoc.artifacts.find((a) => a.path === file)).toMatchObject({ sha256: sha256(bytes), size: bytes.length });
      expect(exportDoc.artifacts.map((a) => a.sha256)).not.toContain(written[file]);
    }

    // /api/v1/file/ serves the redacted file.
    const served = await fetch(`${server.origin}/api/v1/file/artifacts/${t.id}/leaks.txt`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(served.status).toBe(200);
    expect(Buffer.from(await served.arrayBuffer()).equals(leaks)).toBe(true);

    // One warning per file, naming it and the secret, never the value.
    const byPath = (a: { payload: Record<string, unknown> }, b: { payload: Record<string, unknown> }) => String(a.payload.path).localeCompare(String(b.payload.path));
    const warnings = events.filter((e) => e.type === 'log' && e.level === 'warning' && e.step === 'collect').sort(byPath);
    expect(payloadsOf(warnings, 'log').map((p) => [p.path, p.secrets, p.binary])).toEqual([
      ['blob.bin', ['DEMO_TOKEN'], true],
      ['leaks.txt', ['DEMO_TOKEN'], false],
    ]);
    for (const warning of warnings) expect(messageOf(warning)).toMatch(/^result file (blob\.bin|leaks\.txt) contained DEMO_TOKEN/);
    const artifactEvents = events.filter((e) => e.type === 'artifact').sort(byPath);
    expect(artifactEvents.map((e) => [e.payload.path, e.payload.redacted ?? null])).toEqual([
      ['blob.bin', ['DEMO_TOKEN']],
      ['leaks.txt', ['DEMO_TOKEN']],
      ['validation_report.json', null],
    ]);

    // No covered form of the secret in the export or the database file's raw bytes (WAL too).
    expect(formsIn(Buffer.from(exported))).toEqual([]);
    for (const file of [store.file, `${store.file}-wal`]) expect(formsIn(await readFile(file).catch(() => Buffer.alloc(0))), file).toEqual([]);
    store.checkpoint();
    for (const file of [store.file, `${store.file}-wal`]) expect(formsIn(await readFile(file).catch(() => Buffer.alloc(0))), file).toEqual([]);
  });
});
