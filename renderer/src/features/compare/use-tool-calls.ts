import { useEffect, useState } from 'react';
import { apiClient } from '../../stores/connection';
import type { ToolCallView } from './align';

const PAGE = 10_000;
/** At most this many events are read per run for the comparison. */
const MAX_PAGES = 5;

/** A run's tool calls in order (name and arguments as JSON), read from its events; null while loading. */
export function useToolCalls(id: string): { calls: ToolCallView[] | null; truncated: boolean } {
  const [state, setState] = useState<{ calls: ToolCallView[] | null; truncated: boolean }>({ calls: null, truncated: false });
  useEffect(() => {
    let current = true;
    setState({ calls: null, truncated: false });
    void (async () => {
      const calls: ToolCallView[] = [];
      let afterSeq = 0;
      for (let page = 0; page < MAX_PAGES; page++) {
        const { events, total } = await apiClient()['trajectory.events']({ id, afterSeq, limit: PAGE });
        for (const e of events) {
          if (e.type !== 'tool_call') continue;
          calls.push({ name: e.payload.name, args: JSON.stringify(e.payload.arguments ?? null) });
        }
        afterSeq = events.at(-1)?.seq ?? afterSeq;
        if (events.length < PAGE || afterSeq >= total) return current && setState({ calls, truncated: false });
      }
      if (current) setState({ calls, truncated: true });
    })();
    return () => {
      current = false;
    };
  }, [id]);
  return state;
}
