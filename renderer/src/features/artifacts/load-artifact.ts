import { useEffect, useState } from 'react';
import type { MethodOutput } from '../../../../shared/contract';
import { apiClient } from '../../stores/connection';

export type ArtifactContent = MethodOutput<'trajectory.artifact'>;

/** An artifact's bytes as a Blob (for images, PDFs and downloads). */
export function artifactBlob(content: ArtifactContent): Blob {
  if (content.encoding === 'utf8') return new Blob([content.content], { type: content.mediaType });
  const binary = atob(content.content);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type: content.mediaType });
}

/** Files read lately (a result file does not change once recorded): the preview and its actions share one read. */
const recent = new Map<string, Promise<ArtifactContent>>();
const RECENT = 16;
function readArtifact(trajectoryId: string, path: string): Promise<ArtifactContent> {
  const key = `${trajectoryId}/${path}`;
  let read = recent.get(key);
  if (!read) {
    read = apiClient()['trajectory.artifact']({ id: trajectoryId, path });
    read.catch(() => recent.delete(key));
    recent.set(key, read);
    if (recent.size > RECENT) recent.delete(recent.keys().next().value!);
  }
  return read;
}

/** Loads one artifact of a trajectory (null path: nothing). */
export function useArtifact(trajectoryId: string, path: string | null) {
  const [state, setState] = useState<{ content: ArtifactContent | null; error: string | null; loading: boolean }>({ content: null, error: null, loading: false });
  useEffect(() => {
    if (!path) return setState({ content: null, error: null, loading: false });
    let cancelled = false;
    setState({ content: null, error: null, loading: true });
    readArtifact(trajectoryId, path)
      .then((content) => !cancelled && setState({ content, error: null, loading: false }))
      .catch((err: unknown) => !cancelled && setState({ content: null, error: err instanceof Error ? err.message : String(err), loading: false }));
    return () => {
      cancelled = true;
    };
  }, [trajectoryId, path]);
  return state;
}

/** A blob: URL for the content, revoked when it changes or the component goes away. */
export function useBlobUrl(content: ArtifactContent | null): string | null {
  const [url, setUrl] = useState<string | null>(null);
  useEffect(() => {
    if (!content) return setUrl(null);
    const created = URL.createObjectURL(artifactBlob(content));
    setUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [content]);
  return url;
}
