/** A webhook receiver on loopback that verifies Jetty's signature as Jetty's own receiver does (raw body, lowercase hex, constant time). */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

export interface ReceivedWebhook {
  body: Record<string, unknown>;
  headers: IncomingMessage['headers'];
  /** Whether X-Mise-Signature is HMAC-SHA256(secret, `{X-Mise-Timestamp}.{raw body}`). */
  verified: boolean;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  close(): Promise<void>;
}

export function verifySignature(secret: string, timestamp: string | undefined, raw: string, signature: string | undefined): boolean {
  if (!timestamp || !signature || !/^[0-9a-f]{64}$/.test(signature)) return false;
  const expected = createHmac('sha256', secret).update(`${timestamp}.${raw}`).digest();
  return timingSafeEqual(expected, Buffer.from(signature, 'hex'));
}

/** Listens on `port` (0: any); `hang` leaves every request unanswered. */
export async function startWebhookReceiver(secret: string | null, options: { port?: number; hang?: boolean } = {}): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const header = (name: string) => req.headers[name] as string | undefined;
      received.push({ body: JSON.parse(raw) as Record<string, unknown>, headers: req.headers, verified: secret !== null && verifySignature(secret, header('x-mise-timestamp'), raw, header('x-mise-signature')) });
      if (!options.hang) res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hooks/run-complete`,
    received,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
