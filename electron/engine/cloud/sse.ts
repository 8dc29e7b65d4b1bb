import type { Readable } from 'node:stream';

/** The JSON payloads of a server-sent event stream (`data: {…}` lines; `[DONE]` and unreadable ones skipped). */
export async function* sseJson(body: Readable): AsyncGenerator<Record<string, unknown>> {
  let buffered = '';
  for await (const chunk of body) {
    buffered += (chunk as Buffer).toString('utf8');
    let end: number;
    while ((end = buffered.indexOf('\n')) !== -1) {
      const line = buffered.slice(0, end).trim();
      buffered = buffered.slice(end + 1);
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '[DONE]') continue;
      try {
        const value: unknown = JSON.parse(data);
        if (typeof value === 'object' && value !== null) yield value as Record<string, unknown>;
      } catch {
        // a partial or foreign line: skipped
      }
    }
  }
}
