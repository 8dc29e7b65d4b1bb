import { useMemo } from 'react';
import { useEditor } from '../../stores/editor';
import { useSelection } from '../../stores/selection';
import { useTabs } from '../../stores/tabs';
import { useWorkspaces } from '../../stores/workspaces';
import { showCombo } from '../commands/keys';

/** The runbooks and workflow files open as tabs: activate one to show it, close it with its ✕, a middle click or Alt+W; Alt+PageDown/PageUp move between them. */
export function EditorTabs() {
  const open = useTabs((s) => s.open);
  const selected = useSelection((s) => s.path);
  const dirty = useEditor((s) => s.dirtyPaths);
  const workspaces = useWorkspaces((s) => s.workspaces);
  const names = useMemo(() => new Map(workspaces.flatMap((w) => w.runbooks.map((r) => [r.path, r] as const))), [workspaces]);
  if (open.length === 0) return null;
  return (
    <div className="editor-tabs" role="tablist" aria-label="Open files">
      {open.map((path) => {
        const entry = names.get(path);
        const active = path === selected;
        return (
          <div key={path} className={`editor-tab${active ? ' is-active' : ''}`} data-tab={path} onAuxClick={(e) => e.button === 1 && useTabs.getState().close(path)}>
            <button type="button" role="tab" aria-selected={active} className="editor-tab-name" title={path} onClick={() => useSelection.getState().select(path)}>
              {entry?.name ?? path.split('/').at(-2)}
              {entry?.kind === 'workflow' && <span className="kind-badge">workflow</span>}
              {dirty.has(path) && (
                <span className="dirty-mark" aria-label="not saved">
                  {' '}●
                </span>
              )}
            </button>
            <button type="button" className="editor-tab-close" aria-label={`Close ${entry?.name ?? path}`} title={`Close (${showCombo('Alt+W')})`} tabIndex={active ? 0 : -1} onClick={() => useTabs.getState().close(path)}>
              ✕
            </button>
          </div>
        );
      })}
    </div>
  );
}
