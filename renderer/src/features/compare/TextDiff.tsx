import { useArtifact } from '../artifacts/load-artifact';
import { LineDiff } from './LineDiff';

/** A line diff of one text artifact between two runs (removed lines red, added green). */
export function TextDiff({ leftId, rightId, path }: { leftId: string; rightId: string; path: string }) {
  const left = useArtifact(leftId, path);
  const right = useArtifact(rightId, path);
  const error = left.error ?? right.error;
  if (error) return <p className="notice notice-error">{error}</p>;
  if (left.loading || right.loading || !left.content || !right.content) return <p className="muted">Loading both versions…</p>;
  if (left.content.encoding !== 'utf8' || right.content.encoding !== 'utf8') return <p className="muted">Binary files: compared by size and sha256 only.</p>;
  return <LineDiff before={left.content.content} after={right.content.content} label={`Differences in ${path}`} />;
}
