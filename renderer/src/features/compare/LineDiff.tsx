import { diffLines } from 'diff';
import { useMemo } from 'react';

/**
 * A line diff of two texts: removed lines red, added green, the rest as context. A last line
 * with no newline is the same line as with one (an edit that adds lines after it does not
 * show it removed and added again).
 */
export function LineDiff({ before, after, label }: { before: string; after: string; label: string }) {
  const parts = useMemo(() => diffLines(before, after, { ignoreNewlineAtEof: true }), [before, after]);
  return (
    <pre className="text-diff" aria-label={label}>
      {parts.map((part, i) => (
        <span key={i} className={part.added ? 'diff-added' : part.removed ? 'diff-removed' : 'diff-same'}>
          {part.value
            .replace(/\n$/, '')
            .split('\n')
            .map((line) => `${part.added ? '+' : part.removed ? '-' : ' '} ${line}`)
            .join('\n') + '\n'}
        </span>
      ))}
    </pre>
  );
}
