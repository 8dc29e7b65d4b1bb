/** What every SSE wire decoder shares: frames read as they complete, each turned into stream events at once. */
import { SseParser } from './sse';
import type { StreamDecoder, StreamEvent } from './internal';

type Emit = (event: StreamEvent) => void;

const nowhere: Emit = () => undefined;

export abstract class SseStreamDecoder implements StreamDecoder {
  private readonly parser = new SseParser();
  private emit: Emit = nowhere;
  /** Made once: the parser calls it for every frame. */
  private readonly onFrame = (data: string): void => {
    for (const event of this.read(data)) this.emit(event);
  };

  /** The events of one frame's `data`. */
  protected abstract read(data: string): StreamEvent[];

  /** The events the stream's end completes (e.g. tool calls left open). */
  protected ended(): StreamEvent[] {
    return [];
  }

  feed(chunk: Uint8Array | string, emit: Emit): void {
    this.emit = emit;
    this.parser.feed(chunk, this.onFrame);
  }

  finish(emit: Emit): void {
    this.emit = emit;
    this.parser.finish(this.onFrame);
    for (const event of this.ended()) emit(event);
  }

  push(chunk: Uint8Array | string): StreamEvent[] {
    const events: StreamEvent[] = [];
    this.feed(chunk, (event) => events.push(event));
    return events;
  }

  end(): StreamEvent[] {
    const events: StreamEvent[] = [];
    this.finish((event) => events.push(event));
    return events;
  }
}
