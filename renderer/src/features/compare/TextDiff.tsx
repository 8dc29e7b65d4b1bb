import { diffLines } from 'diff';
import { useMemo } from 'react';
import { useArtifact } from '../artifacts/load-artifact';

/** A line diff of one text artifact between two runs (removed lines red, added green). */
export function TextDiff({ leftId, rightId, path }: { leftId: string; rightId: string; path: string }) {
  const left = useArtifact(leftId, path);
  const right = useArtifact(rightId, path);
  const parts = useMemo(() => {
    if (left.content?.encoding !== 'utf8' || right.content?.encoding !== 'utf8') return null;
    return diffLines(left.content.content, right.content.content);
  }, [left.content, right.content]);
  const error = left.error ?? right.error;
  if (error) return <p className="notice notice-error">{error}</p>;
  if (left.loading || right.loading) return <p className="muted">Loading both versions…</p>;
  if (!parts) return <p className="muted">Binary files: compared by size and sha256 only.</p>;
  return (
    <pre className="text-diff" aria-label={`Differences in ${path}`}>
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
