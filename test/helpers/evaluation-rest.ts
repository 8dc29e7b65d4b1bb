import { expect } from 'vitest';
import type { ServedJetty } from './serve';

/** One REST call to a `jetty serve` (`p` under /api/v1): its status and JSON answer. */
export async function callJetty(served: ServedJetty, method: string, p: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${served.origin}/api/v1${p}`, { method, headers: { authorization: `Bearer ${served.token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** The server-sent events of a follow stream until its `end` event (bounded in time): each event's name and data, each also handed to `onEvent` as it comes. */
export async function followEvaluation(
  served: ServedJetty,
  id: string,
  ms = 120_000,
  onEvent?: (event: { event: string; data: Record<string, unknown> }) => void,
): Promise<{ event: string; data: Record<string, unknown> }[]> {
  const res = await fetch(`${served.origin}/api/v1/evaluations/${id}/follow`, { headers: { authorization: `Bearer ${served.token}` }, signal: AbortSignal.timeout(ms) });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toBe('text/event-stream');
  const events: { event: string; data: Record<string, unknown> }[] = [];
  let buffer = '';
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    let at: number;
    while ((at = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, at);
      buffer = buffer.slice(at + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (!event || !data) continue;
      events.push({ event, data: JSON.parse(data) as Record<string, unknown> });
      onEvent?.(events.at(-1)!);
    }
  }
  return events;
}
