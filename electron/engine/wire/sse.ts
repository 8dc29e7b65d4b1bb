/** One server-sent event: its `event:` name (if any) and its joined `data:` lines. */
export interface SseEvent {
  event: string | null;
  data: string;
}

/** Called with each event as soon as its blank line is read. */
export type SseListener = (data: string, event: string | null) => void;

/**
 * An incremental server-sent-events parser: feed it chunks as they arrive (split anywhere,
 * even inside a UTF-8 sequence) and it hands over each event as soon as it is complete
 * (`feed`), or returns the events completed so far (`push`).
 */
export class SseParser {
  private readonly decoder = new TextDecoder();
  private buffer = '';
  private event: string | null = null;
  /** The event's `data:` lines joined so far (null: none yet). */
  private data: string | null = null;

  feed(chunk: Uint8Array | string, listener: SseListener): void {
    this.buffer += typeof chunk === 'string' ? chunk : this.decoder.decode(chunk, { stream: true });
    let start = 0;
    for (;;) {
      const nl = this.buffer.indexOf('\n', start);
      if (nl < 0) break;
      const end = nl > start && this.buffer.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.line(this.buffer.slice(start, end), listener);
      start = nl + 1;
    }
    this.buffer = start === this.buffer.length ? '' : this.buffer.slice(start);
  }

  /** Flushes an event left open when the stream ends without a blank line. */
  finish(listener: SseListener): void {
    if (this.buffer) this.line(this.buffer, listener);
    this.buffer = '';
    this.line('', listener);
  }

  push(chunk: Uint8Array | string): SseEvent[] {
    const out: SseEvent[] = [];
    this.feed(chunk, (data, event) => out.push({ event, data }));
    return out;
  }

  end(): SseEvent[] {
    const out: SseEvent[] = [];
    this.finish((data, event) => out.push({ event, data }));
    return out;
  }

  private line(line: string, listener: SseListener): void {
    if (line === '') {
      const { data, event } = this;
      this.event = null;
      this.data = null;
      if (data !== null) listener(data, event);
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32 /* space */) value = value.slice(1);
    if (field === 'data') this.data = this.data === null ? value : `${this.data}\n${value}`;
    else if (field === 'event') this.event = value;
  }
}
