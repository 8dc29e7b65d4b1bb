import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useSelection } from '../../stores/selection';
import { useView } from '../../stores/view';
import { useWorkspaces } from '../../stores/workspaces';
import { placeOf } from '../runbooks/collection-place';
import { rank, type Candidate } from './rank';

const SHOWN = 50;
const isMac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform);

/** Every runbook of the open folders as "collection/sub/name". */
function useCandidates(): Candidate[] {
  const workspaces = useWorkspaces((s) => s.workspaces);
  return useMemo(
    () =>
      workspaces.flatMap((ws) =>
        ws.runbooks.map((rb) => {
          const place = placeOf(ws.folder, rb.path);
          return { label: [place.collection, ...place.subCollections, rb.name].join('/'), path: rb.path };
        }),
      ),
    [workspaces],
  );
}

/** Ctrl+P (⌘P) anywhere: type part of a runbook's collection or name, Enter opens it in the editor. */
export function QuickOpen() {
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const candidates = useCandidates();
  const results = useMemo(() => (open ? rank(candidates, query, SHOWN) : []), [open, candidates, query]);

  useEffect(() => {
    const onKey = (e: globalThis.KeyboardEvent) => {
      if (e.key.toLowerCase() !== 'p' || !(isMac ? e.metaKey : e.ctrlKey) || e.shiftKey || e.altKey) return;
      e.preventDefault(); // not the browser's Print
      e.stopPropagation(); // nor Monaco's
      setOpen(true);
      setQuery('');
      setActive(0);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  useEffect(() => {
    if (open) input.current?.focus();
  }, [open]);

  if (!open) return null;
  const choose = (c: Candidate | undefined) => {
    if (!c) return;
    setOpen(false);
    useSelection.getState().select(c.path);
    useView.getState().show({ name: 'runbooks' });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const by = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (results.length === 0 ? 0 : (i + by + results.length) % results.length));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      choose(results[active]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      setOpen(false);
    }
  };
  return (
    <div className="quick-open-backdrop" onMouseDown={() => setOpen(false)}>
      <div className="quick-open" role="dialog" aria-modal="true" aria-label="Open a runbook" onMouseDown={(e) => e.stopPropagation()}>
        <input
          ref={input}
          className="text-input quick-open-input"
          placeholder="Open a runbook by collection or name"
          aria-label="Runbook to open"
          role="combobox"
          aria-expanded="true"
          aria-controls="quick-open-results"
          aria-activedescendant={results[active] ? `quick-open-${active}` : undefined}
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
        />
        <ul className="quick-open-results" id="quick-open-results" role="listbox">
          {results.map((c, i) => (
            <li key={c.path} id={`quick-open-${i}`} role="option" aria-selected={i === active} className={i === active ? 'is-active' : undefined} data-path={c.path} onMouseEnter={() => setActive(i)} onClick={() => choose(c)}>
              {c.label}
            </li>
          ))}
          {results.length === 0 && <li className="quick-open-none">No runbook matches.</li>}
        </ul>
      </div>
    </div>
  );
}
