import { UPLOADS_PATH, type UploadInfo } from '../../../../shared/uploads';
import { hostPathOfFile } from '../../api/client';
import { takeApiToken } from '../../api/token';
import { uploadChoice, type FileChoice } from './file-choices';

/** Streams a file's bytes to the local server's upload route (the page's API token authorises it). */
async function uploadFile(file: File): Promise<UploadInfo> {
  const res = await fetch(`${UPLOADS_PATH}?name=${encodeURIComponent(file.name)}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${takeApiToken() ?? ''}`, 'Content-Type': 'application/octet-stream' },
    body: file,
  });
  const body = (await res.json().catch(() => null)) as (UploadInfo & { error?: { message?: string } }) | null;
  if (!res.ok) throw new Error(`${file.name}: ${body?.error?.message ?? `upload failed (HTTP ${res.status})`}`);
  return body as UploadInfo;
}

/** A picked or dropped file as a choice: its host path in the desktop app, else an upload. */
export async function chooseFile(file: File): Promise<FileChoice> {
  const hostPath = hostPathOfFile(file);
  return hostPath ? { kind: 'host', path: hostPath, name: file.name } : uploadChoice(await uploadFile(file));
}
