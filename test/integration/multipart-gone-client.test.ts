// A client that sends its whole upload and goes away before the server starts reading it (the
// temp folder is made first; on a loaded machine that takes a while) must not leave the upload
// hanging for ever with its temp folder behind.
import { createServer, type Server } from 'node:http';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMultipart } from '../../electron/engine/server/rest/multipart';
import { multipartBody } from '../helpers/multipart-body';

const BOUNDARY = 'gone-client';
let tmp: string;
let server: Server;
let outcome: Promise<unknown>;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'jetty-multipart-gone-'));
  let handed: (value: Promise<unknown>) => void;
  outcome = new Promise((resolve) => (handed = resolve)).then((p) => p);
  server = createServer((req) => {
    // Read only once the client has gone, as a slow mkdir of the temp folder would.
    req.socket.once('close', () => handed(readMultipart(req, tmp).then(() => 'read', (error: Error) => error.message)));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  await rm(tmp, { recursive: true, force: true });
});

describe('readMultipart', () => {
  it('gives up on a client that sent its whole body and left before the body was read, and removes its temp folder', async () => {
    const body = multipartBody(BOUNDARY, [{ name: 'file', filename: 'a.txt', data: 'hello' }], { close: true });
    const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.end(
      Buffer.concat([
        Buffer.from(`POST /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; boundary=${BOUNDARY}\r\nContent-Length: ${body.length}\r\n\r\n`),
        body,
      ]),
    );
    socket.destroy();
    expect(await outcome).toMatch(/aborted/);
    expect(await readdir(tmp)).toEqual([]);
  });
});
