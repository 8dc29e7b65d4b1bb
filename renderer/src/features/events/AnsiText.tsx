import type { CSSProperties } from 'react';
import { parseAnsi, type AnsiSpan } from './ansi';
import { markMatches, type MarkedSpan } from './highlight';

function spanProps(span: AnsiSpan): { className?: string; style?: CSSProperties } {
  const classes: string[] = [];
  const style: CSSProperties = {};
  if (typeof span.fg === 'number') classes.push(`ansi-fg-${span.fg}`);
  else if (span.fg) style.color = span.fg;
  if (typeof span.bg === 'number') classes.push(`ansi-bg-${span.bg}`);
  else if (span.bg) style.backgroundColor = span.bg;
  if (span.bold) classes.push('ansi-bold');
  if (span.dim) classes.push('ansi-dim');
  if (span.italic) classes.push('ansi-italic');
  if (span.underline) classes.push('ansi-underline');
  return { className: classes.join(' ') || undefined, style: Object.keys(style).length ? style : undefined };
}

/** Search matches to mark in a text: where they start (in the shown text), their length, and the focused one's start. */
export interface TextMarks {
  starts: readonly number[];
  length: number;
  current: number | null;
}

const spanView = (span: MarkedSpan, i: number) => {
  const props = spanProps(span);
  if (!span.mark) return <span key={i} {...props}>{span.text}</span>;
  return (
    <mark key={i} {...props} className={`${span.mark === 'current' ? 'search-current' : 'search-match'}${props.className ? ` ${props.className}` : ''}`}>
      {span.text}
    </mark>
  );
};

/** Terminal text with its ANSI colours as styled spans (never as HTML), and search matches marked. */
export function AnsiText({ text, marks }: { text: string; marks?: TextMarks }) {
  const hasMarks = marks !== undefined && marks.starts.length > 0;
  if (!hasMarks && !text.includes('\u001b')) return <>{text}</>;
  const spans = text.includes('\u001b') ? parseAnsi(text).spans : [{ text }];
  return <>{(hasMarks ? markMatches(spans, marks.starts, marks.length, marks.current) : spans).map(spanView)}</>;
}
