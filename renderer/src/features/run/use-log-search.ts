import { useMemo, useState } from 'react';
import { LineSearch } from '../events/line-search';

/**
 * Search over a growing list of lines: every match (found incrementally as lines arrive)
 * and the one jumped to. `version` changes whenever the lines grew.
 */
export function useLogSearch(lines: readonly { text: string }[], version: unknown) {
  const [query, setQueryState] = useState('');
  const [current, setCurrent] = useState(0);
  /** Bumped by every jump the user asks for (typing, next, previous): the view scrolls to the match. */
  const [jumps, setJumps] = useState(0);
  const search = useMemo(() => new LineSearch(query), [query, lines]);
  const count = useMemo(() => {
    search.update(lines);
    return search.matches.length;
  }, [search, lines, version]);
  const index = count === 0 ? -1 : Math.min(current, count - 1);
  const step = (by: number) => {
    if (count === 0) return;
    setCurrent((index + by + count) % count);
    setJumps((n) => n + 1);
  };
  return {
    query,
    setQuery(q: string) {
      setQueryState(q);
      setCurrent(0);
      setJumps((n) => n + 1);
    },
    count,
    index,
    jumps,
    currentMatch: index >= 0 ? search.matches[index] : null,
    next: () => step(1),
    previous: () => step(-1),
  };
}
