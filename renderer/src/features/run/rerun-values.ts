import type { UploadInfo } from '../../../../shared/uploads';
import { fileValue, uploadChoice } from './file-choices';
import type { ParamValues } from './ParameterForm';

const ASSET = /^\/app\/assets\/(.+)$/;

/**
 * A trajectory's parameters as run-panel values: each value as text, and a file parameter
 * (`/app/assets/<name>`, comma-separated) as the kept uploads of those names, or empty when
 * any of them is not kept.
 */
export function rerunValues(initParams: Record<string, unknown>, files: UploadInfo[]): ParamValues {
  const byName = new Map(files.map((f) => [f.name, f]));
  const values: ParamValues = {};
  for (const [name, raw] of Object.entries(initParams)) {
    const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
    const assets = text.split(', ').map((part) => ASSET.exec(part)?.[1]);
    const uploads = assets.map((a) => (a === undefined ? undefined : byName.get(a)));
    if (!assets.every((a) => a !== undefined)) values[name] = text;
    // Files no longer kept (or never: a CLI or REST run) are left to choose again.
    else values[name] = uploads.every((u) => u !== undefined) ? fileValue(uploads.map((u) => uploadChoice(u!))) : '';
  }
  return values;
}
