import { useEffect, useRef } from 'react';
import { useOverlay } from '../../stores/overlays';
import { COMMANDS } from './command-list';
import { showCombo } from './keys';
import { COMMAND_GROUPS } from './registry';

/** Keys that work in one place, not commands: listed on the sheet too. */
const IN_PLACE: { where: string; keys: string; what: string }[] = [
  { where: 'Replay', keys: 'Space', what: 'Play or pause' },
  { where: 'Replay', keys: '← / →', what: 'One event back or forward' },
  { where: 'Lists and pickers', keys: '↑ / ↓, Enter', what: 'Move, choose' },
  { where: 'Editor', keys: 'Mod+.', what: 'Quick fixes of the problem under the cursor' },
  { where: 'Editor', keys: 'Mod+F', what: 'Find' },
];

/** `?`: every command's keys, by group, and the keys that work in one place. */
export function ShortcutSheet() {
  const close = () => useOverlay.getState().show(null);
  const dialog = useRef<HTMLDivElement>(null);
  useEffect(() => {
    dialog.current?.focus();
  }, []);
  return (
    <div className="quick-open-backdrop" onMouseDown={close}>
      <div
        ref={dialog}
        className="shortcut-sheet"
        role="dialog"
        aria-modal="true"
        aria-label="Keyboard shortcuts"
        tabIndex={-1}
        onMouseDown={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          if (e.key === 'Escape' || e.key === '?') {
            e.preventDefault();
            close();
          }
        }}
      >
        <header className="shortcut-sheet-header">
          <h2>Keyboard shortcuts</h2>
          <button type="button" className="button button-small" onClick={close}>
            Close <kbd>Esc</kbd>
          </button>
        </header>
        <div className="shortcut-groups">
          {COMMAND_GROUPS.map((group) => (
            <section key={group} aria-label={group}>
              <h3 className="section-title">{group}</h3>
              <dl className="shortcut-list">
                {COMMANDS.filter((c) => c.group === group && c.keys).map((c) => (
                  <div key={c.id} data-command={c.id}>
                    <dt>{c.keys!.map((k) => <kbd key={k}>{showCombo(k)}</kbd>)}</dt>
                    <dd>{c.title}</dd>
                  </div>
                ))}
              </dl>
            </section>
          ))}
          <section aria-label="In place">
            <h3 className="section-title">In place</h3>
            <dl className="shortcut-list">
              {IN_PLACE.map((k) => (
                <div key={`${k.where}-${k.keys}`}>
                  <dt>
                    <kbd>{showCombo(k.keys)}</kbd>
                  </dt>
                  <dd>
                    {k.what} <span className="muted">({k.where})</span>
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        </div>
      </div>
    </div>
  );
}
