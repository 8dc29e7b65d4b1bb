// The OTLP exporter against collectors that fail, on loopback: a dead port (refused), a black
// hole (accepts, never answers) and a live receiver that fails once. export() never waits
// (it returns before any request ends); what cannot be sent is retried, then dropped and
// counted, with the last error; a full queue drops the overflow at once, counted.
import net from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createOtlpExporter } from '../../electron/engine/interop/otlp-exporter';
import type { OtlpSpan } from '../../electron/engine/interop/otel-spans';
import { freePort } from '../helpers/free-port';
import { startOtlpReceiver } from '../helpers/otlp-receiver';

const spans = (n: number, tag: string): OtlpSpan[] =>
  Array.from({ length: n }, (_, i) => ({
    traceId: '0'.repeat(31) + '1',
    spanId: i.toString(16).padStart(16, '0'),
    name: `${tag} ${i}`,
    kind: 1,
    startTimeUnixNano: '1000000',
    endTimeUnixNano: '2000000',
    attributes: [],
    status: { code: 0 },
  }));
const FAST = { lingerMs: 0, maxAttempts: 3, backoff: { baseMs: 5, maxMs: 20, jitter: false } };

const sockets = new Set<net.Socket>();
const blackHole = net.createServer((socket) => sockets.add(socket));
afterAll(async () => {
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => blackHole.close(resolve));
});

describe('OTLP export when the collector fails', () => {
  it('a dead collector: retried, then dropped and counted with the refusal; export never waits', async () => {
    const exporter = createOtlpExporter({ endpoint: `http://127.0.0.1:${await freePort()}`, ...FAST });
    exporter.export(spans(4, 'dead'));
    // Nothing was sent yet when export returned: the request is made later, off the caller's path.
    expect(exporter.stats()).toMatchObject({ queued: 4, sent: 0, dropped: 0, failedRequests: 0 });
    await exporter.flush();
    expect(exporter.stats()).toMatchObject({ queued: 0, sending: 0, sent: 0, dropped: 4, failedRequests: 3, lastError: 'ECONNREFUSED' });
    exporter.close();
  });

  it('a black hole: each attempt ends at its bound; a full queue drops the overflow at once, counted', async () => {
    await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
    const port = (blackHole.address() as net.AddressInfo).port;
    const exporter = createOtlpExporter({ endpoint: `http://127.0.0.1:${port}`, ...FAST, maxAttempts: 1, timeoutMs: 300, maxQueueSpans: 10, batchSpans: 10 });
    exporter.export(spans(10, 'first'));
    exporter.export(spans(5, 'overflow'));
    expect(exporter.stats()).toMatchObject({ queued: 10, dropped: 5 });
    await exporter.flush();
    expect(exporter.stats()).toMatchObject({ sent: 0, dropped: 15, failedRequests: 1, lastError: 'no answer within 300 ms' });
    exporter.close();
  });

  it('a collector that fails once (503): the batch is retried and arrives once', async () => {
    const receiver = await startOtlpReceiver();
    // A loopback front that answers the first connection 503 and relays the others to the receiver.
    let failed = false;
    const front = net.createServer((client) => {
      if (!failed) {
        failed = true;
        client.once('data', () => client.end('HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\nconnection: close\r\n\r\n'));
        return;
      }
      const upstream = net.connect(Number(new URL(receiver.url).port), '127.0.0.1');
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
    const exporter = createOtlpExporter({ endpoint: `http://127.0.0.1:${(front.address() as net.AddressInfo).port}`, ...FAST });
    exporter.export(spans(3, 'flaky'));
    await exporter.flush();
    expect(exporter.stats()).toMatchObject({ sent: 3, dropped: 0, failedRequests: 1, lastError: 'HTTP 503' });
    expect(receiver.spans.map((s) => s.name)).toEqual(['flaky 0', 'flaky 1', 'flaky 2']);
    exporter.close();
    await new Promise((resolve) => front.close(resolve));
    await receiver.close();
  });
});
