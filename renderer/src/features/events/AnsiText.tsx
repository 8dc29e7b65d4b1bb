import type { CSSProperties } from 'react';
import { parseAnsi, type AnsiSpan } from './ansi';

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

/** Terminal text with its ANSI colours as styled spans (never as HTML). */
export function AnsiText({ text }: { text: string }) {
  if (!text.includes('\u001b')) return <>{text}</>;
  return (
    <>
      {parseAnsi(text).spans.map((span, i) => (
        <span key={i} {...spanProps(span)}>
          {span.text}
        </span>
      ))}
    </>
  );
}
