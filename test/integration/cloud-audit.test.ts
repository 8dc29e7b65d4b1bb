import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCloudService, type CloudService } from '../../electron/engine/cloud/cloud-service';
import { SecretAuditError } from '../../electron/engine/cloud/secret-audit';
import { openSecretVault } from '../../electron/engine/secrets/vault';
import { openStore, type Store } from '../../electron/engine/store';
import { REPO } from '../helpers/cli';
import { startFaultProxy, type FaultProxy } from '../helpers/fault-proxy';
import { startJettyServe, type ServedJetty } from '../helpers/serve';

const VALUE = 'wx-7f3a9c2e5b1d8f40';

describe('secret audit before anything leaves for the remote', () => {
  let dir: string;
  let remote: ServedJetty;
  let proxy: FaultProxy;
  let store: Store;
  let cloud: CloudService;
  let runbook: string;
  let pastedLine = 0;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-cloud-audit-'));
    await mkdir(path.join(dir, 'served'));
    await mkdir(path.join(dir, 'client'));
    remote = await startJettyServe(path.join(dir, 'served'), { fromSource: true, timeoutMs: 60_000 });
    proxy = await startFaultProxy(remote.origin);
    const vault = openSecretVault(path.join(dir, 'client'));
    vault.set('WEATHER_TOKEN', VALUE);
    store = openStore(path.join(dir, 'client', 'jetty.db'));
    cloud = createCloudService({ store, vault, dataDir: path.join(dir, 'client'), env: { HOME: path.join(dir, 'home'), JETTY_API_URL: proxy.url } });
    await cloud.signIn(remote.token);
    // A clean runbook with the secret's value pasted into its text.
    const lines = (await readFile(path.join(REPO, 'test/fixtures/runbooks/clean/RUNBOOK.md'), 'utf8')).split('\n');
    pastedLine = lines.findIndex((l) => l.startsWith('## Objective')) + 2;
    lines.splice(pastedLine - 1, 0, `Use the token ${VALUE} when calling the API.`);
    runbook = path.join(dir, 'runbooks/weather/report/RUNBOOK.md');
    await mkdir(path.dirname(runbook), { recursive: true });
    await writeFile(runbook, lines.join('\n'));
  }, 90_000);
  afterAll(async () => {
    await cloud?.close();
    store?.close();
    await proxy?.close();
    await remote?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('blocks a deploy and a remote run of a runbook with a secret value in its text, naming the line and secret, never the value', async () => {
    const before = proxy.log.length;
    for (const push of [() => cloud.deploy({ file: runbook, collection: 'weather' }), () => cloud.run({ file: runbook, collection: 'weather' })]) {
      const error = await push().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(SecretAuditError);
      expect((error as SecretAuditError).hits).toEqual([{ item: 'runbook RUNBOOK.md', line: pastedLine, secret: 'WEATHER_TOKEN', encoding: 'plain' }]);
      expect((error as Error).message).toContain(`runbook RUNBOOK.md, line ${pastedLine}: WEATHER_TOKEN`);
      expect((error as Error).message).not.toContain(VALUE);
    }
    expect(proxy.log.length).toBe(before);
    expect(store.outbox().list()).toHaveLength(0);
  });

  it('finds encoded forms (base64) and well-known key shapes in parameters and files', async () => {
    const input = path.join(dir, 'input.txt');
    await writeFile(input, `line one\nkey: ${Buffer.from(VALUE).toString('base64')}\n`);
    const clean = path.join(REPO, 'test/fixtures/runbooks/clean/RUNBOOK.md');
    const error = (await cloud.run({ file: clean, collection: 'weather', params: { key: 'sk-abcdefghijklmnopqrstuvwx12' }, files: [input] }).catch((e: unknown) => e)) as SecretAuditError;
    expect(error.hits).toEqual([
      { item: 'file input.txt', line: 2, secret: 'WEATHER_TOKEN', encoding: 'base64' },
      { item: 'parameter key', line: 1, secret: 'an OpenAI-style key (sk-…)', encoding: 'shape' },
    ]);
  });

  it('an item allowed explicitly goes out (override per item)', async () => {
    const workflow = path.join(dir, 'aws-note.json');
    await writeFile(workflow, JSON.stringify({ init_params: { text: 'example id AKIAIOSFODNN7EXAMPLE' }, step_configs: { echo: { activity: 'text_echo', text_path: 'init_params.text' } }, steps: ['echo'] }));
    const blocked = (await cloud.deploy({ file: workflow, collection: 'weather' }).catch((e: unknown) => e)) as SecretAuditError;
    expect(blocked.hits).toEqual([{ item: 'runbook aws-note.json', line: 1, secret: 'an AWS access key id (AKIA…)', encoding: 'shape' }]);
    const allowed = await cloud.deploy({ file: workflow, collection: 'weather', allowSecrets: ['runbook aws-note.json'] });
    expect(allowed).toMatchObject({ status: 'delivered', result: { task: 'aws-note', taskCreated: true } });
  });

  it('the blocked value appears in no request, no store file and no remote log', async () => {
    expect(proxy.log.length).toBeGreaterThan(0);
    expect(proxy.log.some((r) => r.body.includes(VALUE) || r.path.includes(VALUE))).toBe(false);
    for (const f of (await readdir(path.join(dir, 'client'))).filter((n) => n.startsWith('jetty.db'))) {
      expect((await readFile(path.join(dir, 'client', f))).includes(VALUE)).toBe(false);
    }
    expect(remote.output()).not.toContain(VALUE);
  });
});
