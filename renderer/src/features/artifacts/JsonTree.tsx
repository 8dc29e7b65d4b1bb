import { useState } from 'react';

const MAX_CHILDREN = 500;

function Leaf({ value }: { value: unknown }) {
  const kind = value === null ? 'null' : typeof value;
  return <span className={`json-${kind}`}>{typeof value === 'string' ? JSON.stringify(value) : String(value)}</span>;
}

/** One node of a JSON value: objects and arrays fold open and closed (first levels open). */
function Node({ name, value, depth }: { name: string | null; value: unknown; depth: number }) {
  const [open, setOpen] = useState(depth < 2);
  const isBranch = value !== null && typeof value === 'object';
  const label = name !== null && <span className="json-key">{name}: </span>;
  if (!isBranch) {
    return (
      <li>
        {label}
        <Leaf value={value} />
      </li>
    );
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value as object);
  const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return (
    <li>
      <button type="button" className="json-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? '▾' : '▸'}
      </button>
      {label}
      {brackets[0]}
      {!open && <span className="muted"> {entries.length} {Array.isArray(value) ? 'items' : 'keys'} </span>}
      {open && (
        <ul className="json-children">
          {entries.slice(0, MAX_CHILDREN).map(([k, v]) => (
            <Node key={k} name={k} value={v} depth={depth + 1} />
          ))}
          {entries.length > MAX_CHILDREN && <li className="muted">… {entries.length - MAX_CHILDREN} more</li>}
        </ul>
      )}
      {brackets[1]}
    </li>
  );
}

/** A JSON document as a foldable tree; text that is not JSON is shown as is. */
export function JsonTree({ text }: { text: string }) {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return <pre className="preview-text">{text}</pre>;
  }
  return (
    <ul className="json-tree">
      <Node name={null} value={value} depth={0} />
    </ul>
  );
}
