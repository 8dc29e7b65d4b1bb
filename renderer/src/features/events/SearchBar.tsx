import type { KeyboardEvent } from 'react';

interface SearchBarProps {
  label: string;
  query: string;
  onQuery(query: string): void;
  /** Matches found, and which one is focused (-1: none). */
  count: number;
  index: number;
  onNext(): void;
  onPrevious(): void;
}

/** A find box: Enter / Shift+Enter (or the arrows) jump between matches; Escape clears. */
export function SearchBar(p: SearchBarProps) {
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      if (e.shiftKey) p.onPrevious();
      else p.onNext();
    } else if (e.key === 'Escape' && p.query) {
      e.preventDefault();
      p.onQuery('');
    }
  };
  return (
    <div className="search-bar" role="search">
      <input type="search" className="search-input" placeholder="Find in log" aria-label={p.label} value={p.query} onChange={(e) => p.onQuery(e.target.value)} onKeyDown={onKeyDown} />
      {p.query && (
        <span className="search-count" role="status" data-count={p.count} data-index={p.index}>
          {p.count === 0 ? 'No matches' : `${p.index + 1} of ${p.count}`}
        </span>
      )}
      <button type="button" className="button button-small button-quiet" aria-label="Previous match" disabled={p.count === 0} onClick={p.onPrevious}>
        ↑
      </button>
      <button type="button" className="button button-small button-quiet" aria-label="Next match" disabled={p.count === 0} onClick={p.onNext}>
        ↓
      </button>
    </div>
  );
}
