import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { API_TOKEN_FILE, loadApiToken } from './api-token';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(path.join(os.tmpdir(), 'jetty-token-'))));
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('loadApiToken', () => {
  it('generates 32 random bytes in base64url on first start, stores them 0600 and reuses them', async () => {
    const token = await loadApiToken(dir, {});
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const file = path.join(dir, API_TOKEN_FILE);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await readFile(file, 'utf8')).trim()).toBe(token);
    expect(await loadApiToken(dir, {})).toBe(token);
  });

  it('prefers JETTY_API_TOKEN and writes nothing then', async () => {
    expect(await loadApiToken(dir, { JETTY_API_TOKEN: ' from-env ' })).toBe('from-env');
    await expect(stat(path.join(dir, API_TOKEN_FILE))).rejects.toThrow();
  });
});
