import type { TrajectoryEvent } from '../../../../shared/trajectory';
import type { EventPayload } from '../../../../shared/trajectory-events';
import { eventSummary } from '../../../../shared/event-text';

/** One line of a run's log: an event's summary, or one line of a command's output. */
export interface LogLine {
  seq: number;
  /** Which event (counted from 0 in the order appended) the line starts in, and the last one that wrote to it. */
  event: number;
  last: number;
  type: TrajectoryEvent['type'];
  level: TrajectoryEvent['level'];
  text: string;
}

/** Which output a chunk continues: one tool call's stdout or stderr. */
const streamKey = (p: EventPayload<'command_output'>) => `${p.tool_call_id ?? ''}\u0000${p.stream}`;

/** A stream's unfinished last line, and whether a carriage return left the cursor at its start. */
interface OpenLine {
  index: number;
  returned: boolean;
}

/**
 * A line's text after `incoming` is written to it as a terminal would for progress bars:
 * text after a carriage return replaces the line (approximately: a terminal overwrites in
 * place). Returns the text and whether the cursor ends at the line's start.
 */
function writeLine(current: string, returned: boolean, incoming: string): { text: string; returned: boolean } {
  const pieces = incoming.split('\r');
  let text = returned && pieces[0] !== '' ? pieces[0] : current + pieces[0];
  for (let i = 1; i < pieces.length; i++) if (pieces[i] !== '') text = pieces[i];
  return { text, returned: pieces.length > 1 && pieces[pieces.length - 1] === '' };
}

/**
 * A log's lines built as events arrive: command output is split at newlines across chunks
 * (a chunk that ends mid-line leaves the line open, and the next chunk of the same stream
 * continues it), every other event is one line. Each append costs the size of its event.
 */
export class LogLines {
  readonly lines: LogLine[] = [];
  private readonly open = new Map<string, OpenLine>();
  private appended = 0;

  static of(events: readonly TrajectoryEvent[]): LogLines {
    const log = new LogLines();
    for (const e of events) log.append(e);
    return log;
  }

  /** Events appended so far: the index the next one gets. */
  get eventCount(): number {
    return this.appended;
  }

  append(event: TrajectoryEvent): void {
    const index = this.appended++;
    if (event.type !== 'command_output') {
      this.lines.push({ seq: event.seq, event: index, last: index, type: event.type, level: event.level, text: eventSummary(event) });
      return;
    }
    const key = streamKey(event.payload);
    const parts = event.payload.text.replace(/\r\n/g, '\n').split('\n');
    const last = parts.length - 1;
    let open = this.open.get(key);
    for (let i = 0; i <= last; i++) {
      if (i === last && parts[i] === '') break; // the chunk ended its last line
      if (!open) open = { index: this.lines.push({ seq: event.seq, event: index, last: index, type: 'command_output', level: event.level, text: '' }) - 1, returned: false };
      const line = this.lines[open.index];
      const written = writeLine(line.text, open.returned, parts[i]);
      line.text = written.text;
      line.last = index;
      open.returned = written.returned;
      if (i < last) open = undefined; // a newline ends the line
    }
    if (open) this.open.set(key, open);
    else this.open.delete(key);
  }
}

/**
 * `line` of a log of `events` (the events appended, in order) as the events before `upTo`
 * wrote it: a line that later chunks continued shows only its part so far.
 */
export function lineTextBefore(events: readonly TrajectoryEvent[], line: LogLine, upTo: number): string {
  const first = events[line.event];
  if (line.last < upTo || first.type !== 'command_output') return line.text;
  const key = streamKey(first.payload);
  const log = new LogLines();
  for (let i = line.event; i < upTo; i++) {
    const e = events[i];
    if (e.type === 'command_output' && streamKey(e.payload) === key) log.append(e);
  }
  return log.lines[log.lines.length - 1].text;
}
