import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCollectionEnvironment } from '../secrets/collection-env';
import { openSecretVault } from '../secrets/vault';
import { openStoredRunSources } from './stored-run-sources';

describe('openStoredRunSources', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-run-sources-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it("reads a jetty serve folder's Settings, secret store and collection environments", () => {
    const dir = dataDir();
    openSecretVault(dir).set('OPENAI_API_KEY', 'sk-stored');
    openCollectionEnvironment({ dataDir: dir }).patch('acme', { DEMO_TOKEN: 'acme-token' });
    writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ defaultModel: 'm' }));
    const sources = openStoredRunSources(dir, {});
    expect(sources.vault?.get('OPENAI_API_KEY')).toBe('sk-stored');
    expect(sources.environment?.values('acme')).toEqual({ DEMO_TOKEN: 'acme-token' });
    expect(sources.settings().defaultModel).toBe('m');
  });

  it('leaves the secret store of a folder whose key is in the keychain (the app) alone, and makes no key', () => {
    const dir = dataDir();
    mkdirSync(path.join(dir, 'secrets'));
    openSecretVault(dir, Buffer.alloc(32, 7)).set('OPENAI_API_KEY', 'sk-in-the-app');
    const sources = openStoredRunSources(dir, {});
    expect(sources.vault).toBeNull();
    expect(sources.environment).toBeNull();
    expect(existsSync(path.join(dir, 'secrets', 'secrets.key'))).toBe(false);
  });
});
