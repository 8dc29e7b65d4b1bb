import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_RUNBOOK_BYTES } from '../runbook/read-file';
import { fetchRunbook, locateRunbook } from './runbook-url';

const RUNBOOK = '---\nversion: 1\n---\n# Hello\n';
let server: http.Server;
let base: string;
const hits: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/demo/hello/RUNBOOK.md') return res.end(RUNBOOK);
    if (req.url === '/moved') return res.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data' }).end();
    if (req.url === '/huge') {
      res.writeHead(200); // no Content-Length: the limit must hold while streaming
      const chunk = Buffer.alloc(64 * 1024, 'a');
      for (let sent = 0; sent <= MAX_RUNBOOK_BYTES; sent += chunk.length) res.write(chunk);
      return res.end();
    }
    res.writeHead(404).end('no');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

describe('locateRunbook', () => {
  it('refuses file: URLs, relative paths, other schemes, plain http off this machine and hosts not allowed', () => {
    const cases: [string, RegExp][] = [
      ['file:///etc/passwd', /file: URLs are refused/],
      ['runbooks/a/RUNBOOK.md', /absolute path of a RUNBOOK\.md in an opened folder/],
      ['ftp://example.com/RUNBOOK.md', /only https:\/\//],
      ['http://raw.githubusercontent.com/x/RUNBOOK.md', /only https:\/\//],
      ['https://evil.example/RUNBOOK.md', /evil\.example is not an allowed runbook host/],
      ['https://raw.githubusercontent.com.evil.example/RUNBOOK.md', /not an allowed runbook host/],
    ];
    for (const [value, message] of cases) {
      expect(() => locateRunbook(value, ['raw.githubusercontent.com']), value).toThrow(message);
    }
    expect(() => locateRunbook('https://raw.githubusercontent.com/x/RUNBOOK.md', [])).toThrow(/none are allowed by default/);
  });

  it('gives an allowed URL, and an absolute path for the caller to check', () => {
    expect(locateRunbook('https://Raw.GitHubUserContent.com/a/b/RUNBOOK.md', ['raw.githubusercontent.com'])).toEqual({ url: new URL('https://raw.githubusercontent.com/a/b/RUNBOOK.md') });
    expect(locateRunbook('http://127.0.0.1:9/x', ['127.0.0.1'])).toEqual({ url: new URL('http://127.0.0.1:9/x') });
    expect(locateRunbook('/work/runbooks/a/RUNBOOK.md', [])).toEqual({ path: '/work/runbooks/a/RUNBOOK.md' });
  });
});

describe('fetchRunbook', () => {
  it('returns the text at the URL', async () => {
    expect(await fetchRunbook(new URL(`${base}/demo/hello/RUNBOOK.md`))).toBe(RUNBOOK);
  });

  it('does not follow redirects, and refuses error answers and bodies over the runbook size limit', async () => {
    await expect(fetchRunbook(new URL(`${base}/moved`))).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/redirects are not followed/) });
    await expect(fetchRunbook(new URL(`${base}/missing`))).rejects.toMatchObject({ status: 502, message: expect.stringMatching(/answered 404/) });
    await expect(fetchRunbook(new URL(`${base}/huge`))).rejects.toMatchObject({ status: 422, message: expect.stringMatching(/larger than the 5 MB/) });
    expect(hits).not.toContain('/latest/meta-data');
  });

  it('reports a host that does not answer', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    await expect(fetchRunbook(new URL(`http://127.0.0.1:${port}/RUNBOOK.md`))).rejects.toMatchObject({ status: 502, message: expect.stringMatching(/cannot fetch/) });
  });
});
