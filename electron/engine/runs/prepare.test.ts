import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeRunbookText } from '../runbook';
import { prepareRun } from './prepare';

const RUNBOOK = `---
version: "1.0.0"
secrets:
  WEATHER_TOKEN:
    description: Token for the weather API
    required: true
---

# Weather

Call the API with \`curl -H "Authorization: Bearer {{secrets.WEATHER_TOKEN}}" https://example.invalid\`.
`;

const roots: string[] = [];
afterAll(() => Promise.all(roots.map((r) => rm(r, { recursive: true, force: true }))));

describe('preparing a run', () => {
  it('gives a secret without env to the sandbox under its own name, rendered as $NAME, and lint has nothing to say of it', async () => {
    expect(analyzeRunbookText(RUNBOOK, { path: 'RUNBOOK.md' }).diagnostics.filter((d) => d.message.includes('WEATHER_TOKEN'))).toEqual([]);
    const dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-secret-'));
    roots.push(dir);
    const file = path.join(dir, 'RUNBOOK.md');
    await writeFile(file, RUNBOOK);
    const prepared = await prepareRun({ runbookPath: file, secrets: { WEATHER_TOKEN: 'tok-123' }, runAnyway: true });
    expect(prepared.secretEnv).toEqual({ WEATHER_TOKEN: 'tok-123' });
    expect(prepared.rendered).toContain('Authorization: Bearer $WEATHER_TOKEN');
    expect(prepared.rendered).not.toContain('tok-123');
  });
});
