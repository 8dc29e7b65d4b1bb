import type { SearchHit } from '../../../shared/trajectory-search';
import type { Conversations } from './conversations';
import type { EventsRepository } from './events';
import type { SearchIndex } from './search-index';
import { eventSearchText, messageSearchText, searchWords, snippetAround } from './search-text';

const EVENT_LABELS: Record<string, string> = {
  message: 'message',
  reasoning: 'reasoning',
  tool_call: 'tool call',
  tool_result: 'tool output',
  command_output: 'command output',
  file_change: 'file change',
  model_call: 'model call',
  log: 'log',
  status: 'status',
  progress: 'progress',
  retry: 'retry',
  artifact: 'result file',
  evaluation: 'evaluation',
};

/** Time spent finding where a page's trajectories matched, at most: the rows after it show none (a word in nearly every event of a large store takes FTS5 a long walk per trajectory). */
const HITS_BUDGET_MS = 50;

/**
 * Where each trajectory of a page matched a full-text search: its first matching record
 * (an event, a model message, a result file) with the text around the match and, for an
 * event or a model's completion, the seq of the event to open the replay at; a trajectory
 * matched only through a run nested under it says so; one matched by its header has none,
 * nor do those left when the time budget is spent.
 */
export function searchHits(
  deps: { search: SearchIndex; events: EventsRepository; conversations: Conversations },
  ids: readonly string[],
  terms: readonly string[],
  text: string,
  nested: boolean,
): Record<string, SearchHit> {
  const words = searchWords(text);
  const hits: Record<string, SearchHit> = {};
  const deadline = performance.now() + HITS_BUDGET_MS;
  for (const id of ids) {
    if (performance.now() > deadline) break;
    const record = deps.search.firstHit(id, terms);
    if (!record) {
      if (nested) hits[id] = { where: 'nested', seq: null, label: 'a run nested under it', snippet: '' };
    } else if ('seq' in record) {
      const [event] = deps.events.page(id, { afterSeq: record.seq - 1, limit: 1 });
      if (event?.seq === record.seq) {
        const snippet = snippetAround(eventSearchText(event.step, JSON.stringify(event.payload)), words);
        hits[id] = { where: 'event', seq: event.seq, label: EVENT_LABELS[event.type] ?? event.type, snippet };
      }
    } else if (record.kind === 'message') {
      const message = deps.conversations.message(id, record.ref);
      // A completion opens at the model call that answered it; a prompt's message at the replay's start.
      const seq = deps.events.modelCallAnswering(id, record.ref);
      hits[id] = { where: 'message', seq, label: 'model prompt or completion', snippet: message ? snippetAround(messageSearchText(JSON.stringify(message)), words) : '' };
    } else {
      hits[id] = { where: 'artifact', seq: null, label: `result file ${record.ref}`, snippet: '' };
    }
  }
  return hits;
}
