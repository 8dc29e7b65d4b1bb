/**
 * Docker's event stream, for what the warm pool must notice without asking: one of our
 * containers died or was removed (by `docker rm -f`, a restart of Docker), an image was
 * tagged, pulled, loaded or deleted (an image id cached by name may be stale). The stream is
 * read line by line, each line bounded; when it breaks (Docker restarted, the socket went)
 * `live` turns false at once, and it is opened again with a backoff, after which `onResync`
 * lets the owner check what it holds against what Docker has.
 */
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { APP_LABEL_VALUE, LABELS } from './container-config';

export interface DockerEventHandlers {
  /** A container of ours died or was removed. */
  onContainerGone(id: string): void;
  /** An image changed (tag, untag, delete, pull, load, import). */
  onImageChanged(): void;
  /** The stream is open again after a break (or for the first time): what was cached may be stale. */
  onResync(): void;
}

export interface DockerEventsWatch {
  /** Whether the stream is open now (a cache may be trusted only then). */
  readonly live: boolean;
  close(): void;
}

const MAX_LINE = 64 * 1024;
const CONTAINER_GONE = new Set(['die', 'destroy']);

interface DockerEvent {
  Type?: string;
  Action?: string;
  Actor?: { ID?: string; Attributes?: Record<string, string> };
}

export function watchDockerEvents(docker: Docker, handlers: DockerEventHandlers, retry: { minMs: number; maxMs: number } = { minMs: 500, maxMs: 30_000 }): DockerEventsWatch {
  let live = false;
  let closed = false;
  let delay = retry.minMs;
  let timer: NodeJS.Timeout | undefined;
  const abort = new AbortController();

  const onLine = (line: string) => {
    let event: DockerEvent;
    try {
      event = JSON.parse(line) as DockerEvent;
    } catch {
      return;
    }
    if (event.Type === 'image') return handlers.onImageChanged();
    const id = event.Actor?.ID;
    if (event.Type === 'container' && id && CONTAINER_GONE.has(event.Action ?? '') && event.Actor?.Attributes?.[LABELS.app] === APP_LABEL_VALUE) {
      handlers.onContainerGone(id);
    }
  };

  const broken = () => {
    if (closed) return;
    live = false;
    timer = setTimeout(connect, delay);
    timer.unref();
    delay = Math.min(delay * 2, retry.maxMs);
  };

  function connect(): void {
    if (closed) return;
    const filters = { type: ['container', 'image'], event: ['die', 'destroy', 'tag', 'untag', 'delete', 'pull', 'load', 'import'] };
    docker.getEvents({ filters, abortSignal: abort.signal } as Docker.GetEventsOptions, (error, stream) => {
      if (error || !stream || closed) {
        (stream as Readable | undefined)?.destroy();
        return broken();
      }
      const readable = stream as Readable;
      // The connection idles between events: it must not keep a process alive on its own.
      (readable as Readable & { socket?: { unref?(): void } }).socket?.unref?.();
      live = true;
      delay = retry.minMs;
      handlers.onResync();
      let pending = '';
      readable.setEncoding('utf8');
      readable.on('data', (chunk: string) => {
        pending += chunk;
        let at: number;
        while ((at = pending.indexOf('\n')) >= 0) {
          onLine(pending.slice(0, at));
          pending = pending.slice(at + 1);
        }
        if (pending.length > MAX_LINE) pending = '';
      });
      readable.once('error', () => undefined);
      readable.once('close', broken);
    });
  }

  connect();
  return {
    get live() {
      return live && !closed;
    },
    close() {
      closed = true;
      live = false;
      clearTimeout(timer);
      abort.abort();
    },
  };
}
