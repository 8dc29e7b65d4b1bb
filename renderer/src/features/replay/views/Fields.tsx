import type { ReactNode } from 'react';
import './event-views.css';

/** Label–value pairs of an event; pairs whose value is missing are left out. */
export function Fields({ rows }: { rows: [label: string, value: ReactNode][] }) {
  const shown = rows.filter(([, value]) => value !== undefined && value !== null && value !== '');
  if (shown.length === 0) return null;
  return (
    <dl className="event-fields">
      {shown.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Preformatted text: output, a message, JSON. */
export function Block({ children }: { children: ReactNode }) {
  return <pre className="event-block">{children}</pre>;
}

/** A JSON value, indented. */
export const prettyJson = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value, null, 2) ?? '');
