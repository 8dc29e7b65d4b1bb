import { apiClient } from '../../stores/connection';
import { artifactBlob, type ArtifactContent } from './load-artifact';

let dataDir: Promise<string> | null = null;

/** Where a run's result file is on this machine: `<data folder>/artifacts/<id>/<path>`. */
export async function artifactLocation(trajectoryId: string, path: string): Promise<string> {
  dataDir ??= apiClient()['app.info']({}).then((info) => info.dataDir);
  const dir = await dataDir;
  const sep = dir.includes('\\') && !dir.includes('/') ? '\\' : '/';
  return [dir, 'artifacts', trajectoryId, ...path.split('/')].join(sep);
}

/** Saves a blob under `name` through the browser's download. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * A result file's whole bytes, from the local API's file route (`GET /api/v1/file/artifacts/…`,
 * which reads the local copy or, once pruned, its storage backend); `preview` (at most 5 MiB)
 * when the route cannot be reached.
 */
export async function artifactBytes(trajectoryId: string, path: string, preview: ArtifactContent | null): Promise<Blob> {
  const info = await apiClient()['localApi.info']({}).catch(() => null);
  if (info) {
    const url = `${info.baseUrl}/api/v1/file/artifacts/${trajectoryId}/${path.split('/').map(encodeURIComponent).join('/')}`;
    const res = await fetch(url, { headers: { Authorization: `Bearer ${info.token}` } }).catch(() => null);
    if (res?.ok) return res.blob();
  }
  if (preview && !preview.truncated) return artifactBlob(preview);
  const content = preview ?? (await apiClient()['trajectory.artifact']({ id: trajectoryId, path }));
  if (content.truncated) throw new Error(`only the first 5 MiB of ${path} can be read here`);
  return artifactBlob(content);
}
