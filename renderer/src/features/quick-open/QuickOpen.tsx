import { useMemo, useState } from 'react';
import type { RunbookEntry } from '../../../../shared/runbook';
import { DiagnosticBadges } from '../../components/DiagnosticBadges';
import { Marked } from '../../components/Marked';
import { useOverlay } from '../../stores/overlays';
import { useSelection } from '../../stores/selection';
import { useTabs } from '../../stores/tabs';
import { useView } from '../../stores/view';
import { useWorkspaces } from '../../stores/workspaces';
import { ListPicker } from '../commands/ListPicker';
import { placeOf } from '../runbooks/collection-place';
import { matchPositions, rank } from './rank';

const SHOWN = 50;

interface QuickOpenItem {
  /** What the query is matched against: "collection/sub/name". */
  label: string;
  path: string;
  entry: RunbookEntry;
  recent: boolean;
}

/** Every runbook and workflow file of the open folders, the recently opened ones first. */
function useCandidates(): QuickOpenItem[] {
  const workspaces = useWorkspaces((s) => s.workspaces);
  const recent = useTabs((s) => s.recent);
  return useMemo(() => {
    const all = workspaces.flatMap((ws) =>
      ws.runbooks.map((rb) => {
        const place = placeOf(ws.folder, rb.path);
        return { label: [place.collection, ...place.subCollections, rb.name].join('/'), path: rb.path, entry: rb, recent: recent.includes(rb.path) };
      }),
    );
    const order = (item: QuickOpenItem) => (item.recent ? recent.indexOf(item.path) : recent.length);
    return all.sort((a, b) => order(a) - order(b));
  }, [workspaces, recent]);
}

/**
 * Ctrl+P (⌘P): type letters of a runbook's collection or name (in order, any gaps), Enter
 * opens it. The matched letters are marked; each shows its title and problems, and the
 * runbooks opened lately come first.
 */
export function QuickOpen() {
  const [query, setQuery] = useState('');
  const candidates = useCandidates();
  const items = useMemo(() => rank(candidates, query, SHOWN), [candidates, query]);
  const close = () => useOverlay.getState().show(null);
  const choose = (item: QuickOpenItem) => {
    close();
    useSelection.getState().select(item.path);
    useView.getState().show({ name: 'runbooks' });
  };
  return (
    <ListPicker
      className="quick-open-runbooks"
      label="Open a runbook"
      placeholder="Runbook to open"
      items={items}
      query={query}
      onQuery={setQuery}
      keyOf={(i) => i.path}
      itemData={(i) => ({ 'data-path': i.path })}
      onChoose={choose}
      onClose={close}
      empty="No runbook matches."
      render={(i) => (
        <span className="quick-open-item">
          <span className="quick-open-label">
            <Marked text={i.label} positions={matchPositions(i.label, query)} />
            {i.entry.kind === 'workflow' && <span className="kind-badge">workflow</span>}
            {i.recent && query === '' && <span className="muted small"> · recent</span>}
          </span>
          {i.entry.title && i.entry.title !== i.entry.name && <span className="quick-open-title muted">{i.entry.title}</span>}
          <DiagnosticBadges errors={i.entry.errors} warnings={i.entry.warnings} infos={0} />
        </span>
      )}
    />
  );
}
