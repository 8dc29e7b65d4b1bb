import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const API_TOKEN_FILE = 'api-token';

/**
 * The local API token: `JETTY_API_TOKEN` when set, else the one stored in
 * `<dataDir>/api-token` (mode 0600), generated on first start as 32 random bytes in base64url.
 */
export async function loadApiToken(dataDir: string, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const fromEnv = env.JETTY_API_TOKEN?.trim();
  if (fromEnv) return fromEnv;
  const file = path.join(dataDir, API_TOKEN_FILE);
  const stored = await readFile(file, 'utf8').then(
    (text) => text.trim(),
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw new Error(`cannot read the API token at ${file}: ${err.message}`);
    },
  );
  if (stored) {
    await chmod(file, 0o600);
    return stored;
  }
  const token = randomBytes(32).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  return token;
}
