/**
 * ATIF on disk, as Harbor lays it out: `trajectory.json` with its images in `images/`
 * beside it (a trial's `agent/trajectory.json`), a trial folder, or a job folder of trials.
 * Reading is bounded (the document, each image, all images) and an image is read only
 * from inside the document's folder; an imported document's images are kept among its
 * trajectory's artifacts (`atif/…`), from where an export writes them out again.
 */
import { createHash } from 'node:crypto';
import { copyFile, mkdir, readdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Artifact } from '../../../shared/trajectory';
import type { Store } from '../store';
import { exportToAtif, type AtifImage } from './atif-export';
import { atifImagePaths, atifToExport, type AtifImportOptions } from './atif-import';
import { isAtifDocument, type AtifTrajectory } from './atif-schema';
import { importInPieces } from './import-in-pieces';

export const MAX_ATIF_DOCUMENT_BYTES = 64 * 1024 * 1024;
export const MAX_ATIF_IMAGE_BYTES = 20 * 1024 * 1024;
export const MAX_ATIF_IMAGES_BYTES = 256 * 1024 * 1024;
/** At most this many trials of a job folder are imported in one go. */
export const MAX_ATIF_TRIALS = 10_000;

const MEDIA: Record<string, string> = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif', '.webp': 'image/webp' };

const exists = (file: string) => stat(file).then((s) => s.isFile(), () => false);

/**
 * The ATIF files a path names: the file itself, a trial's `agent/trajectory.json`, a
 * folder's `trajectory.json`, or each trial's of a job folder (sorted by name).
 */
export async function atifFilesAt(target: string): Promise<string[]> {
  if (!(await stat(target)).isDirectory()) return [target];
  for (const candidate of [path.join(target, 'agent', 'trajectory.json'), path.join(target, 'trajectory.json')]) {
    if (await exists(candidate)) return [candidate];
  }
  const entries = (await readdir(target, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const files: string[] = [];
  for (const name of entries.slice(0, MAX_ATIF_TRIALS)) {
    const file = path.join(target, name, 'agent', 'trajectory.json');
    if (await exists(file)) files.push(file);
  }
  return files;
}

/** Reads a JSON document of at most MAX_ATIF_DOCUMENT_BYTES. */
export async function readJsonFile(file: string): Promise<unknown> {
  const size = (await stat(file)).size;
  if (size > MAX_ATIF_DOCUMENT_BYTES) throw new Error(`${path.basename(file)} is ${size} bytes, over the ${MAX_ATIF_DOCUMENT_BYTES}-byte bound of one trajectory file`);
  const text = await readFile(file, 'utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new Error(`${path.basename(file)} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The images a document names that lie inside its folder, each within the bounds; the others are named in `missing`. */
async function imagesBeside(doc: AtifTrajectory, folder: string) {
  const root = await realpath(folder);
  const found = new Map<string, Pick<Artifact, 'size' | 'sha256' | 'media_type'> & { file: string }>();
  const missing: string[] = [];
  let total = 0;
  for (const relative of atifImagePaths(doc)) {
    const file = await realpath(path.resolve(root, relative)).catch(() => null);
    const size = file ? (await stat(file)).size : 0;
    if (!file || !file.startsWith(root + path.sep) || size > MAX_ATIF_IMAGE_BYTES || total + size > MAX_ATIF_IMAGES_BYTES) {
      missing.push(relative);
      continue;
    }
    total += size;
    const bytes = await readFile(file);
    found.set(relative, { file, size, sha256: createHash('sha256').update(bytes).digest('hex'), media_type: MEDIA[path.extname(file).toLowerCase()] ?? 'application/octet-stream' });
  }
  return { found, missing };
}

/** Where a trial's task name comes from: `<job>/<task>__<id>/agent/trajectory.json`. */
function trialTask(file: string): string | undefined {
  if (path.basename(path.dirname(file)) !== 'agent') return undefined;
  return path.basename(path.dirname(path.dirname(file))).split('__')[0] || undefined;
}

export interface AtifImported {
  id: string;
  /** Images the document names that were not found beside it (or past the bounds): the import goes on without them. */
  missingImages: string[];
}

/** Imports one ATIF file with its images (kept as artifacts under `<artifactsRoot>/<id>/atif/`). */
export async function importAtifFile(store: Store, artifactsRoot: string, file: string, options: Omit<AtifImportOptions, 'images'> = {}): Promise<AtifImported> {
  const doc = await readJsonFile(file);
  if (!isAtifDocument(doc)) throw new Error(`${path.basename(file)} is not an ATIF trajectory (no schema_version "ATIF-v1.x")`);
  const { found, missing } = await imagesBeside(doc as AtifTrajectory, path.dirname(file));
  const exported = atifToExport(doc, { task: trialTask(file), ...options, images: found });
  const id = await importInPieces(store, exported);
  for (const [relative, image] of found) {
    const dest = path.join(artifactsRoot, id, 'atif', relative);
    await mkdir(path.dirname(dest), { recursive: true });
    await copyFile(image.file, dest);
  }
  return { id, missingImages: missing };
}

/** `relative` under `base`, or null when it would leave it (a document's paths are not trusted). */
const under = (base: string, relative: string): string | null => {
  const resolved = path.resolve(base, relative);
  return resolved.startsWith(path.resolve(base) + path.sep) ? resolved : null;
};

/** The bytes of an image an export names, or null when its artifact's file is not here. */
async function imageBytes(artifactsRoot: string, id: string, image: AtifImage): Promise<Buffer | null> {
  if (image.source.kind === 'bytes') return image.source.bytes;
  const file = under(path.join(artifactsRoot, id), image.source.path);
  return file ? readFile(file).catch(() => null) : null;
}

/** A trajectory's ATIF document with its images inline as `data:` URLs (one file, for a download). */
export async function atifWithInlineImages(store: Store, artifactsRoot: string, id: string): Promise<AtifTrajectory> {
  const { document, images } = exportToAtif(store.exportTrajectory(id));
  const urls = new Map<string, string>();
  for (const image of images) {
    const bytes = await imageBytes(artifactsRoot, id, image);
    if (bytes) urls.set(image.path, `data:${image.media_type};base64,${bytes.toString('base64')}`);
  }
  if (urls.size === 0) return document;
  const inline = (content: unknown) =>
    Array.isArray(content) ? content.map((p: { type: string; source?: { path: string } }) => (p.type === 'image' && p.source && urls.has(p.source.path) ? { ...p, source: { ...p.source, path: urls.get(p.source.path)! } } : p)) : content;
  return {
    ...document,
    steps: document.steps.map((s) => ({
      ...s,
      message: inline(s.message) as typeof s.message,
      ...(s.observation ? { observation: { results: s.observation.results.map((r) => ({ ...r, content: inline(r.content) as typeof r.content })) } } : {}),
    })),
  };
}

/** Writes a trajectory as `<dir>/trajectory.json` with its images in `<dir>/images/`; returns the file and the images left out (no file here). */
export async function writeAtifFolder(store: Store, artifactsRoot: string, id: string, dir: string): Promise<{ file: string; images: number; missingImages: string[] }> {
  const { document, images } = exportToAtif(store.exportTrajectory(id));
  const missingImages: string[] = [];
  for (const image of images) {
    const bytes = await imageBytes(artifactsRoot, id, image);
    const dest = under(dir, image.path);
    if (!bytes || !dest) {
      missingImages.push(image.path);
      continue;
    }
    await mkdir(path.dirname(dest), { recursive: true });
    await writeFile(dest, bytes);
  }
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'trajectory.json');
  await writeFile(file, `${JSON.stringify(document, null, 2)}\n`);
  return { file, images: images.length - missingImages.length, missingImages };
}
