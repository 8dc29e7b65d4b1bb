// What the engine leaves in its data folder and says in its errors: files a killed process
// was receiving are removed at the next start; an existing folder (and its database) are
// made the owner's only; a client's file name is bounded in bytes, refuses bidirectional
// controls, and an error never names a host path.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openLocalServices } from '../../electron/engine/local-services';
import { withoutHostPaths } from '../../electron/engine/http/respond';
import { incomingDir } from '../../electron/engine/server/rest/files';
import { openStore } from '../../electron/engine/store';
import { killServingProcesses, serve } from '../helpers/workflow-serve';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'jetty-hygiene-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  killServingProcesses();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const modeOf = (file: string) => statSync(file).mode & 0o777;

describe('the data folder', () => {
  it("a multipart upload cut by kill -9 leaves files in .incoming; the next start removes them, and another live process's stay", async () => {
    const dataDir = tempDir();
    const first = await serve(dataDir, {});
    const origin = first.lines.find((l) => l.startsWith('listening '))!.slice('listening '.length);
    // Half a multipart body: the file part has begun and is being written when the process dies.
    const boundary = 'hygiene-boundary';
    const req = request(`${origin}/api/v1/files/upload`, {
      method: 'POST',
      headers: { authorization: 'Bearer crash-test-token', 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(10 * 1024 * 1024) },
    });
    req.on('error', () => undefined);
    req.write(`--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
    req.write(Buffer.alloc(256 * 1024, 'x'));
    const incoming = incomingDir(dataDir);
    await expect.poll(() => (existsSync(incoming) ? readdirSync(incoming).length : 0), { timeout: 30_000 }).toBe(1);
    first.child.kill('SIGKILL');
    await first.exited;
    const left = readdirSync(incoming);
    expect(left).toHaveLength(1);
    // A folder of a process that is alive (this one) is not the new process's to remove.
    const { incomingFolder } = await import('../../electron/engine/uploads/incoming');
    const live = incomingFolder(incoming);
    mkdirSync(live);

    const second = await serve(dataDir, {});
    await expect.poll(() => readdirSync(incoming).sort(), { timeout: 30_000 }).toEqual([path.basename(live)]);
    second.child.kill('SIGKILL');
    await second.exited;
  });

  it('an existing folder with open modes, and its database, become the owner’s only', () => {
    const dataDir = tempDir();
    chmodSync(dataDir, 0o755);
    const file = path.join(dataDir, 'jetty.db');
    openStore(file).close();
    chmodSync(file, 0o644);
    writeFileSync(path.join(dataDir, 'jetty.db-wal'), '');
    chmodSync(path.join(dataDir, 'jetty.db-wal'), 0o644);
    const services = openLocalServices(dataDir);
    try {
      expect(modeOf(dataDir)).toBe(0o700);
      expect(modeOf(file)).toBe(0o600);
      expect(modeOf(path.join(dataDir, 'jetty.db-wal'))).toBe(0o600);
    } finally {
      void services.close();
    }
  });
});

describe("a client's file name", () => {
  it('86 CJK characters (258 bytes) and a right-to-left override are refused with a clear 400 that names no host path', async () => {
    const dataDir = tempDir();
    const jetty = await serve(dataDir, {});
    const origin = jetty.lines.find((l) => l.startsWith('listening '))!.slice('listening '.length);
    const upload = async (name: string) => {
      const res = await fetch(`${origin}/api/v1/uploads?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { authorization: 'Bearer crash-test-token' }, body: 'hello' });
      return { status: res.status, text: await res.text() };
    };
    const cjk = await upload(`${'漢'.repeat(86)}.txt`);
    expect(cjk.status).toBe(400);
    expect(cjk.text).toMatch(/at most 200 bytes \(UTF-8\); this one is 262/);
    expect(cjk.text).not.toContain(dataDir);
    const bidi = await upload('invoice\u202Etxt.exe');
    expect(bidi.status).toBe(400);
    expect(bidi.text).toMatch(/bidirectional text controls/);
    // 66 CJK characters (198 bytes) are a fine name.
    const fine = await upload(`${'漢'.repeat(66)}`);
    expect(fine.status).toBe(201);
    jetty.child.kill('SIGKILL');
    await jetty.exited;
  });

  it("a file-system error's message loses its host paths", () => {
    const error = Object.assign(new Error("ENAMETOOLONG: name too long, open '/home/me/.local/share/jetty-desktop/uploads/x/y'"), {
      code: 'ENAMETOOLONG',
      syscall: 'open',
      path: '/home/me/.local/share/jetty-desktop/uploads/x/y',
    });
    expect(withoutHostPaths(error)).toBe("ENAMETOOLONG: name too long, open '<file>'");
  });
});
