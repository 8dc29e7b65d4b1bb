/**
 * Image steps download what a provider's answer points at only from public https: by
 * default the engine refuses http, loopback, private, link-local, metadata and the IPv6
 * forms of them, by name (resolved, then checked) or by address, and every redirect hop the
 * same way; nothing connects to the refused address. `data:` URLs and base64 answers are
 * stored as before. The only way to trust a loopback origin is the engine option tests pass.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCRIPTED_PNG } from '../helpers/scripted-model-images';
import { reply, type ChatRequest } from '../helpers/scripted-model-server';
import { startWorkflowApi, type WorkflowApi } from '../helpers/workflow-engine';

/** A Replicate model whose output is the prompt's text: the URL a test wants the provider to answer. */
const VERSION = 'c'.repeat(64);
const echoUrl = (r: ChatRequest) => reply(String(r.messages.at(-1)?.content ?? ''));
const answering = (url: string) => ({ step_configs: { run: { activity: 'replicate_run', model: `acme/echo:${VERSION}`, input: { prompt: url } } }, steps: ['run'] });

/** Where a leak would go: counts every connection made to it. */
let secret: http.Server;
let secretConnections = 0;
let secretPort: number;
/** A loopback server the second engine trusts: serves a PNG and redirects. */
let redirector: http.Server;
let redirectorOrigin: string;

const listen = async (server: http.Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
};

let api: WorkflowApi;
let trusting: WorkflowApi;
beforeAll(async () => {
  secret = http.createServer((_req, res) => res.end('the secret'));
  secret.on('connection', () => secretConnections++);
  secretPort = await listen(secret);
  redirector = http.createServer((req, res) => {
    const url = req.url ?? '';
    const hop = /^\/hop\/(\d+)$/.exec(url);
    const go = (location: string) => res.writeHead(302, { location }).end();
    if (url === '/png') res.writeHead(200, { 'content-type': 'image/png' }).end(SCRIPTED_PNG);
    else if (url === '/relative') go('png');
    else if (url === '/to-secret') go(`http://127.0.0.1:${secretPort}/secret`);
    else if (url === '/to-localhost') go(`https://localhost:${secretPort}/secret`);
    else if (hop) go(`/hop/${Number(hop[1]) + 1}`);
    else res.writeHead(404).end();
  });
  redirectorOrigin = `http://127.0.0.1:${await listen(redirector)}`;
  // The engine's default: no trusted origin.
  api = await startWorkflowApi(echoUrl, { trustedDownloadOrigins: () => [] });
  trusting = await startWorkflowApi(echoUrl, { trustedDownloadOrigins: () => [redirectorOrigin] });
});
afterAll(async () => {
  await api?.close();
  await trusting?.close();
  secret?.closeAllConnections();
  await new Promise((resolve) => secret?.close(resolve));
  redirector?.closeAllConnections();
  await new Promise((resolve) => redirector?.close(resolve));
});

const run = async (on: WorkflowApi, task: string, workflow: unknown) => (await on.runSync(task, workflow)).json.trajectory;

describe('provider output downloads (SSRF)', () => {
  it("by default refuses the provider's own loopback http file URLs: nothing is fetched", async () => {
    const t = await run(api, 'flux', { step_configs: { draw: { activity: 'replicate_text2image', model: 'black-forest-labs/flux-schnell', prompt: 'a cat' } }, steps: ['draw'] });
    expect(t.status).toBe('failed');
    const id = api.model.predictions.at(-1)!.id;
    expect(t.error).toBe(`step 'draw' failed: refusing to download ${new URL(api.model.url).origin}/replicate-files/${id}/out-0.png: a step downloads only https URLs`);
    expect(api.model.requests.filter((r) => r.path.startsWith('/replicate-files/'))).toEqual([]);
  });

  it('refuses https URLs whose name or address points inward (loopback, metadata, private, IPv6 forms), without connecting; shows no query', async () => {
    const refused: [string, RegExp | string][] = [
      [`https://localhost:${secretPort}/x`, new RegExp(`^https://localhost:${secretPort}/x: localhost resolves to (127\\.0\\.0\\.1|::1), a loopback address$`)],
      [`https://127.0.0.1:${secretPort}/x`, `https://127.0.0.1:${secretPort}/x: 127.0.0.1 is a loopback address`],
      [`https://0x7f.1:${secretPort}/x`, `https://127.0.0.1:${secretPort}/x: 127.0.0.1 is a loopback address`],
      [`https://[::ffff:127.0.0.1]:${secretPort}/x`, `https://[::ffff:7f00:1]:${secretPort}/x: ::ffff:7f00:1 is a loopback address (inside an IPv6 address)`],
      [`https://[::1]:${secretPort}/x`, `https://[::1]:${secretPort}/x: ::1 is a loopback address`],
      ['https://169.254.169.254/latest/meta-data/iam', 'https://169.254.169.254/latest/meta-data/iam: 169.254.169.254 is the cloud metadata address'],
      ['https://10.0.0.7/out.png?X-Amz-Signature=s3cr3t', 'https://10.0.0.7/out.png: 10.0.0.7 is a private address'],
      ['https://100.64.1.1/out.png', 'https://100.64.1.1/out.png: 100.64.1.1 is a carrier-grade NAT address'],
      ['https://[fd12::1]/out.png', 'https://[fd12::1]/out.png: fd12::1 is a unique-local address'],
      ['https://[fe80::1]/out.png', 'https://[fe80::1]/out.png: fe80::1 is a link-local address'],
      [`http://example.com/out.png`, 'http://example.com/out.png: a step downloads only https URLs'],
    ];
    for (const [i, [url, why]] of refused.entries()) {
      const t = await run(api, `inward-${i}`, answering(url));
      expect(t.status, url).toBe('failed');
      const prefix = "step 'run' failed: refusing to download ";
      expect(t.error.startsWith(prefix), t.error).toBe(true);
      if (typeof why === 'string') expect(t.error.slice(prefix.length), url).toBe(why);
      else expect(t.error.slice(prefix.length), url).toMatch(why);
      expect(t.error).not.toContain('s3cr3t');
    }
    expect(secretConnections).toBe(0);
  });

  it('checks every redirect hop: a trusted origin that redirects to loopback or to a name resolving there is refused; more than 5 hops is refused', async () => {
    const toSecret = await run(trusting, 'to-secret', answering(`${redirectorOrigin}/to-secret`));
    expect(toSecret.error).toBe(`step 'run' failed: refusing to download http://127.0.0.1:${secretPort}/secret: a step downloads only https URLs`);
    const toLocalhost = await run(trusting, 'to-localhost', answering(`${redirectorOrigin}/to-localhost`));
    expect(toLocalhost.error).toMatch(new RegExp(`^step 'run' failed: refusing to download https://localhost:${secretPort}/secret: localhost resolves to (127\\.0\\.0\\.1|::1), a loopback address$`));
    const loop = await run(trusting, 'loop', answering(`${redirectorOrigin}/hop/0`));
    expect(loop.error).toBe(`step 'run' failed: ${redirectorOrigin}/hop/5 redirects more than 5 times`);
    expect(secretConnections).toBe(0);
    // The trusted origin itself, through a relative redirect, is fetched.
    const ok = await run(trusting, 'relative', answering(`${redirectorOrigin}/relative`));
    expect(ok.status, ok.error).toBe('completed');
    expect(ok.steps.run.outputs.files).toEqual([{ path: `wf/outputs/${ok.id}/run/output-0.png`, extension: 'png', content_type: 'image/png', size: SCRIPTED_PNG.length }]);
  });

  it('data: URLs and base64 answers are stored as files by default, as before', async () => {
    const data = await run(api, 'data-url', answering(`data:image/png;base64,${SCRIPTED_PNG.toString('base64')}`));
    expect(data.status, data.error).toBe('completed');
    const file = data.steps.run.outputs.files[0];
    expect(file).toEqual({ path: `wf/outputs/${data.id}/run/output-0.png`, extension: 'png', content_type: 'image/png', size: SCRIPTED_PNG.length });
    const served = await fetch(`${api.base}/file/${file.path}`, { headers: { authorization: `Bearer ${api.token}` } });
    expect(Buffer.from(await served.arrayBuffer()).equals(SCRIPTED_PNG)).toBe(true);
    const dalle = await run(api, 'dalle', { step_configs: { draw: { activity: 'litellm_image_generation', model: 'dall-e-3', prompt: 'A sunset' } }, steps: ['draw'] });
    expect(dalle.status, dalle.error).toBe('completed');
    expect(dalle.steps.draw.outputs.images[0].size).toBe(SCRIPTED_PNG.length);
  });
});
