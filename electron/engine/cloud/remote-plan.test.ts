import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeRunbookFile } from '../runbook';
import type { RunSources } from '../runs/assemble-run';
import { capabilitiesOf } from './capabilities';
import { readOutgoingFolder } from './outgoing';
import { deliveryRefusal, planRemoteRun, type RemoteRunOrder } from './remote-plan';

const RUNBOOK = (agent: string) => `---
version: "1.0.0"
agent: ${agent}
model: scripted-model
---

# Plan me

Run \`./hello.sh\`, then read {{notes}}.

## Parameters

| Parameter | Template Variable | Default | Description |
|---|---|---|---|
| Notes | \`{{notes}}\` | *(required)* | A text file |
| Tone | \`{{tone}}\` | *(required)* | How it sounds |
`;

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'remote-plan-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A runbook folder (RUNBOOK.md, a script, a manifest typing `notes` as a file) and what a plan of it needs. */
async function runbookNamed(agent: string) {
  const folder = path.join(dir, agent);
  await mkdir(folder, { recursive: true });
  const file = path.join(folder, 'RUNBOOK.md');
  await writeFile(file, RUNBOOK(agent));
  await writeFile(path.join(folder, 'hello.sh'), '#!/bin/sh\necho hi\n');
  await writeFile(path.join(folder, 'manifest.json'), JSON.stringify({ inputs: [{ label: 'Notes', type: 'file', required: true }] }));
  const text = await readFile(file, 'utf8');
  const outgoing = await readOutgoingFolder(file, text);
  return { file, analysis: await analyzeRunbookFile(file, text), folder: { paths: outgoing.entries.map((e) => e.path), bytes: outgoing.bytes } };
}

const sources = (env: NodeJS.ProcessEnv = {}): RunSources => ({
  env,
  settings: () => ({ defaultAgent: '', defaultModel: '', modelBaseUrl: '', defaultImage: '', collectionImages: {} }),
  vault: null,
  environment: null,
});
const order = (file: string, extra: Partial<RemoteRunOrder> = {}): RemoteRunOrder => ({
  runbookPath: file,
  collection: 'acme',
  params: { notes: '/app/assets/notes.txt', tone: 'dry' },
  files: ['/somewhere/notes.txt'],
  door: 'cli',
  ...extra,
});
const REMOTE = 'https://flows-api.example';

describe('the plan of a remote run', () => {
  it('on a remote that advertises nothing (Jetty cloud): the built-in agent is refused, the folder and an image choice are said to stay behind', async () => {
    const { file, analysis, folder } = await runbookNamed('builtin');
    const { plan, choices } = planRemoteRun(order(file), analysis, folder, sources({ JETTY_SANDBOX_IMAGE: 'jetty-test/base:latest' }), { baseUrl: REMOTE, capabilities: capabilitiesOf({ status: 'ok' }) });
    expect(plan.problems).toEqual([`agent builtin (runbook) is not offered by ${REMOTE}, which offers claude-code, codex, gemini-cli: choose one of those`]);
    expect(plan.agent.value).toBeNull();
    expect(plan.warnings).toEqual([
      `${REMOTE} takes no image choice: its run uses the runbook's snapshot python312-uv, not jetty-test/base:latest (JETTY_SANDBOX_IMAGE)`,
      `${REMOTE} takes no runbook folder: its run sees RUNBOOK.md without hello.sh, manifest.json`,
    ]);
    expect(plan.folder).toEqual({ files: 3, bytes: folder.bytes, sent: false });
    expect(plan.remote).toEqual({ baseUrl: REMOTE, agents: ['claude-code', 'codex', 'gemini-cli'], capabilities: 'documented' });
    expect(choices).toEqual({ agent: 'builtin', model: 'scripted-model', image: null });
  });

  it('names the runbook’s own agent to the remote where this machine stood the built-in agent in for it, and refuses it where the remote lacks it too', async () => {
    const { file, analysis, folder } = await runbookNamed('opencode');
    const advertised = capabilitiesOf({ capabilities: { agents: ['builtin', 'opencode'], runbook_folders: true, run_image: true, run_parameters: true } });
    const fallback = sources({ JETTY_AGENT_FALLBACK: 'builtin' });
    const offered = planRemoteRun(order(file), analysis, folder, fallback, { baseUrl: REMOTE, capabilities: advertised });
    expect(offered.plan.problems).toEqual([]);
    expect(offered.choices.agent).toBe('opencode');
    expect(offered.plan.agent).toMatchObject({ value: 'opencode', runbook: 'opencode', source: 'runbook' });
    const lacking = planRemoteRun(order(file), analysis, folder, fallback, { baseUrl: REMOTE, capabilities: { ...advertised, agents: ['builtin'] } });
    expect(lacking.plan.problems).toEqual([`agent opencode (runbook) is not offered by ${REMOTE}, which offers builtin: choose one of those`]);
    expect(deliveryRefusal(lacking.choices, { ...advertised, agents: ['builtin'] }, REMOTE)).toBe(`agent opencode is not offered by ${REMOTE}, which offers builtin: run it again naming one of those`);
  });

  it('refuses a required file not given, a file parameter naming a file not sent, a required parameter without a value and two files of one name', async () => {
    const { file, analysis, folder } = await runbookNamed('claude-code');
    const plan = (extra: Partial<RemoteRunOrder>) => planRemoteRun(order(file, extra), analysis, folder, sources(), { baseUrl: REMOTE, capabilities: null }).plan.problems;
    expect(plan({ params: { tone: 'dry' }, files: [] })).toEqual(['parameter Notes (notes) needs a file, and none was given: choose one (it is uploaded, and the run sees it as /app/assets/<name>)']);
    expect(plan({ params: { notes: '/app/assets/notes.txt, /app/assets/more.txt', tone: 'dry' } })).toEqual(['parameter Notes (notes) names /app/assets/more.txt, but no file more.txt goes with the run: add it']);
    expect(plan({ params: { notes: '/app/assets/notes.txt' } })).toEqual(['missing required parameter Tone (tone)']);
    expect(plan({ files: ['/a/notes.txt', '/b/notes.txt'] })).toEqual(['two input files are both named notes.txt; rename one']);
  });

  it('while the remote cannot be reached: nothing refused for what it offers, the check said to come at delivery', async () => {
    const { file, analysis, folder } = await runbookNamed('codex');
    const { plan, choices } = planRemoteRun(order(file, { agent: 'gemini-cli', model: 'gemini-2.5-pro', image: 'ghcr.io/acme/tools:1' }), analysis, folder, sources(), { baseUrl: REMOTE, capabilities: null });
    expect(plan.problems).toEqual([]);
    expect(plan.warnings).toEqual([`${REMOTE} cannot be reached: the run waits in the outbox, and what the remote can honour (agent, folder, image) is checked when it is delivered`]);
    expect(plan.folder.sent).toBeNull();
    expect(choices).toEqual({ agent: 'gemini-cli', model: 'gemini-2.5-pro', image: 'ghcr.io/acme/tools:1' });
    expect(plan.agent).toMatchObject({ value: 'gemini-cli', runbook: 'codex', source: 'the command line' });
  });
});
