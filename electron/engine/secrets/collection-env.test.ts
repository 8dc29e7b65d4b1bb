import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCollectionEnvironment } from './collection-env';

describe('collection environment', () => {
  const dirs: string[] = [];
  const fresh = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-env-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('merges, deletes with null, and survives a reopen without storing values in clear', () => {
    const dataDir = fresh();
    const env = openCollectionEnvironment({ dataDir });
    expect(env.patch('acme', { OPENAI_API_KEY: 'sk-secret-value', OTHER: 'x' })).toEqual(['OPENAI_API_KEY', 'OTHER']);
    expect(env.patch('acme', { OTHER: null })).toEqual(['OPENAI_API_KEY']);
    const file = path.join(dataDir, 'secrets', 'environment.enc');
    expect(readFileSync(file).includes('sk-secret-value')).toBe(false);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const reopened = openCollectionEnvironment({ dataDir });
    expect(reopened.keys('acme')).toEqual(['OPENAI_API_KEY']);
    expect(reopened.values('acme')).toEqual({ OPENAI_API_KEY: 'sk-secret-value' });
    expect(reopened.keys('other')).toEqual([]);
  });

  it('refuses invalid names and a file encrypted with another key', () => {
    const dataDir = fresh();
    const env = openCollectionEnvironment({ dataDir });
    expect(() => env.patch('acme', { 'BAD-NAME': 'v' })).toThrow(/invalid environment variable name "BAD-NAME"/);
    env.patch('acme', { A: '1' });
    expect(() => openCollectionEnvironment({ dataDir, key: Buffer.alloc(32, 7) })).toThrow(/cannot be decrypted/);
  });
});
