import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';

/**
 * A dialog with a search field over a list (quick open, the command palette): type to
 * filter, ↑/↓ to move, Enter to choose, Escape or a click outside to close. The focus
 * stays in the field; the list follows it with aria-activedescendant.
 */
export function ListPicker<T>({
  label,
  placeholder,
  items,
  query,
  onQuery,
  keyOf,
  render,
  onChoose,
  onClose,
  empty,
  className,
  itemData,
}: {
  label: string;
  placeholder: string;
  items: readonly T[];
  query: string;
  onQuery(query: string): void;
  keyOf(item: T): string;
  render(item: T): ReactNode;
  onChoose(item: T): void;
  onClose(): void;
  empty: string;
  className?: string;
  /** `data-` attributes of an item's row. */
  itemData?(item: T): Record<`data-${string}`, string>;
}) {
  const [active, setActive] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    input.current?.focus();
  }, []);
  useEffect(() => {
    setActive(0);
  }, [query]);
  // (Braces: scrollIntoView returns a promise in newer browsers, which an effect must not return.)
  useEffect(() => {
    void list.current?.querySelector('[aria-selected="true"]')?.scrollIntoView({ block: 'nearest' });
  }, [active]);
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const by = e.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (items.length === 0 ? 0 : (i + by + items.length) % items.length));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      if (items[active] !== undefined) onChoose(items[active]);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      onClose();
    }
  };
  const id = `${className ?? 'picker'}-results`;
  return (
    <div className="quick-open-backdrop" onMouseDown={onClose}>
      <div className={`quick-open ${className ?? ''}`} role="dialog" aria-modal="true" aria-label={label} onMouseDown={(e) => e.stopPropagation()}>
        <input
          ref={input}
          className="text-input quick-open-input"
          placeholder={placeholder}
          aria-label={placeholder}
          role="combobox"
          aria-expanded="true"
          aria-controls={id}
          aria-activedescendant={items[active] !== undefined ? `${id}-${active}` : undefined}
          value={query}
          onChange={(e) => onQuery(e.target.value)}
          onKeyDown={onKeyDown}
        />
        <ul className="quick-open-results" id={id} role="listbox" ref={list}>
          {items.map((item, i) => (
            <li key={keyOf(item)} id={`${id}-${i}`} role="option" aria-selected={i === active} className={i === active ? 'is-active' : undefined} {...itemData?.(item)} onMouseEnter={() => setActive(i)} onClick={() => onChoose(item)}>
              {render(item)}
            </li>
          ))}
          {items.length === 0 && <li className="quick-open-none">{empty}</li>}
        </ul>
      </div>
    </div>
  );
}
