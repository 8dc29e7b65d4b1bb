import { apiClient } from '../../stores/connection';

/** The formats a trajectory downloads in: Jetty's export (the cloud's shape) or ATIF v1.7 (Harbor's). */
export type ExportFormat = 'jetty' | 'atif';

/** Downloads a trajectory's export document as `trajectory-<id>.json` (ATIF: `trajectory-<id>.atif.json`, images inline). */
export async function downloadExport(id: string, format: ExportFormat = 'jetty'): Promise<void> {
  const doc = format === 'atif' ? (await apiClient()['trajectory.exportAtif']({ id })).document : await apiClient()['trajectory.export']({ id });
  const url = URL.createObjectURL(new Blob([JSON.stringify(doc, null, 2)], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = format === 'atif' ? `trajectory-${id}.atif.json` : `trajectory-${id}.json`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Imports an export document or a cloud `trajectory.json` from a file; resolves to the new id. */
export async function importFile(file: File): Promise<string> {
  let document: unknown;
  try {
    document = JSON.parse(await file.text());
  } catch {
    throw new Error(`${file.name} is not JSON: choose a trajectory export or a cloud trajectory.json`);
  }
  return (await apiClient()['trajectory.import']({ document })).id;
}
