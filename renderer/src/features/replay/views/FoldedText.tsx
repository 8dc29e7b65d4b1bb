import { useState } from 'react';

/** Past this many characters or lines a text is folded to its start, with "Show all". */
const FOLD_CHARS = 1_500;
const FOLD_LINES = 24;

function foldPoint(text: string): number | null {
  let lines = 0;
  for (let i = 0; i < text.length && i < FOLD_CHARS; i++) {
    if (text.charCodeAt(i) === 10 && ++lines >= FOLD_LINES) return i;
  }
  return text.length > FOLD_CHARS ? FOLD_CHARS : null;
}

/** Preformatted text, in full once asked: a long one shows its start and how much more there is. */
export function FoldedText({ text, className = '' }: { text: string; className?: string }) {
  const [all, setAll] = useState(false);
  const cut = all ? null : foldPoint(text);
  return (
    <div className={`folded-text ${className}`}>
      <pre>{cut === null ? text : `${text.slice(0, cut)}…`}</pre>
      {cut !== null && (
        <button type="button" className="link-button show-all" onClick={() => setAll(true)}>
          Show all ({text.length.toLocaleString()} characters)
        </button>
      )}
      {all && foldPoint(text) !== null && (
        <button type="button" className="link-button show-all" onClick={() => setAll(false)}>
          Fold
        </button>
      )}
    </div>
  );
}
