import { useMemo, useState } from 'react';
import { Marked } from '../../components/Marked';
import { useOverlay } from '../../stores/overlays';
import { matchPositions, rank } from '../quick-open/rank';
import { COMMANDS } from './command-list';
import { showCombo } from './keys';
import { ListPicker } from './ListPicker';
import { isAvailable, runCommand, useCommandHandlers, type Command } from './registry';

/** F1 / Ctrl+Shift+P: every command available now, with its keys; type to find one, Enter runs it. */
export function CommandPalette() {
  const [query, setQuery] = useState('');
  const handlers = useCommandHandlers((s) => s.handlers);
  const close = () => useOverlay.getState().show(null);
  const candidates = useMemo(() => COMMANDS.filter((c) => isAvailable(c, handlers)).map((c) => ({ ...c, label: c.title })), [handlers]);
  const items = useMemo(() => rank(candidates, query, 100), [candidates, query]);
  const choose = (c: Command) => {
    close();
    // After the palette has closed and given the focus back: a command may move it (a field, the editor).
    requestAnimationFrame(() => runCommand(c));
  };
  return (
    <ListPicker
      className="command-palette"
      label="Commands"
      placeholder="Type a command"
      items={items}
      query={query}
      onQuery={setQuery}
      keyOf={(c) => c.id}
      itemData={(c) => ({ 'data-command': c.id })}
      onChoose={choose}
      onClose={close}
      empty="No command matches."
      render={(c) => (
        <span className="command-item">
          <span className="command-title">
            <Marked text={c.title} positions={matchPositions(c.title, query)} />
          </span>
          <span className="command-group muted">{c.group}</span>
          {c.keys?.[0] && <kbd className="command-keys">{showCombo(c.keys[0])}</kbd>}
        </span>
      )}
    />
  );
}
