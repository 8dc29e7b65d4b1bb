import { existsSync } from 'node:fs';
import path from 'node:path';
import type Docker from 'dockerode';
import { DockerUnavailableError, SandboxError, dockerStatusCode, withDocker } from './errors';
import { DEFAULT_IMAGE_NAMESPACE, DEFAULT_SNAPSHOT, hasSnapshot, knownSnapshots, sandboxesDirOrNull, SNAPSHOT_NAME, snapshotImageName } from './snapshots';

/** What a runbook asks for: a `snapshot` name, or a custom `image` used as is. */
export interface ImageRequest {
  snapshot?: string | null;
  image?: string | null;
}

/** The image a run uses; `snapshot` is null for a custom image (pulled, never built). */
export interface ImageRef {
  name: string;
  snapshot: string | null;
}

export interface ImageProgress {
  phase: 'build' | 'pull';
  message: string;
  current?: number;
  total?: number;
}

export interface EnsureImageOptions {
  /** Folder holding `<snapshot>/Dockerfile` and the shared `common/` build files; default findSandboxesDir(). */
  sandboxesDir?: string;
  /** Docker build args, e.g. `{ BASE: 'jetty-test/base:latest', SKIP_UV: 'true' }`. */
  buildArgs?: Record<string, string>;
  onProgress?(progress: ImageProgress): void;
  signal?: AbortSignal;
}

/**
 * The image a run asked for cannot be had here: a snapshot with no Dockerfile or whose build
 * fails (offline, no registry for its base), an image that cannot be pulled. The message
 * says why in short; `image` is the name the run would have used.
 */
export class ImageUnavailableError extends SandboxError {
  constructor(
    message: string,
    readonly image: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ImageUnavailableError';
  }
}

/** The first line of Docker's error, at most 300 characters (a build's output stays out of a run's error). */
function shortReason(error: Error): string {
  const line = error.message.trim().split('\n')[0];
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** An image Docker has locally, named as a run may name it (repo:tag). */
export interface LocalImage {
  name: string;
  /** When the image was made (ISO 8601). */
  created: string;
}

/** The images Docker has locally, by repo:tag, newest first, at most `limit` (untagged ones are left out). */
export async function listLocalImages(docker: Docker, limit: number): Promise<LocalImage[]> {
  const infos = await withDocker(() => docker.listImages());
  return infos
    .sort((a, b) => b.Created - a.Created)
    .flatMap((info) => (info.RepoTags ?? []).filter((tag) => !tag.startsWith('<none>')).map((name) => ({ name, created: new Date(info.Created * 1000).toISOString() })))
    .slice(0, limit);
}

export interface EnsuredImage {
  name: string;
  /** The image's id (what a container of it runs: a warm pool's container is adopted only if it runs this one). */
  id: string;
  /** What had to be done: nothing, a build from the snapshot's Dockerfile, or a pull. */
  action: 'present' | 'built' | 'pulled';
}

/** Maps a runbook's `image`/`snapshot` to an image name (`image` wins, then `snapshot`, then the default). */
export function resolveImage(request: ImageRequest, namespace = DEFAULT_IMAGE_NAMESPACE): ImageRef {
  const image = request.image?.trim();
  if (image) return { name: image, snapshot: null };
  const snapshot = request.snapshot?.trim() || DEFAULT_SNAPSHOT;
  if (!SNAPSHOT_NAME.test(snapshot)) {
    throw new SandboxError(
      `Invalid snapshot name "${snapshot}": use lower-case letters, digits, ".", "_" and "-" (e.g. python312-uv)`,
    );
  }
  return { name: snapshotImageName(snapshot, namespace), snapshot };
}

/** Where the snapshot Dockerfiles live (sandboxesDirOrNull); throws when there are none. */
export function findSandboxesDir(env: NodeJS.ProcessEnv = process.env, from?: string): string {
  const dir = sandboxesDirOrNull(env, from);
  if (!dir) throw new SandboxError('Cannot find the sandbox Dockerfiles (resources/sandboxes): set JETTY_SANDBOXES_DIR');
  return dir;
}

/** Uses the image if present, else builds it (snapshot) or pulls it (custom image), reporting progress. */
export async function ensureImage(docker: Docker, ref: ImageRef, options: EnsureImageOptions): Promise<EnsuredImage> {
  const present = await imageId(docker, ref.name);
  if (present !== null) return { name: ref.name, id: present, action: 'present' };
  if (ref.snapshot === null) await pullImage(docker, ref.name, options);
  else await buildSnapshot(docker, ref.name, ref.snapshot, options);
  const id = await imageId(docker, ref.name);
  if (id === null) throw new ImageUnavailableError(`Image "${ref.name}" is still missing after its ${ref.snapshot === null ? 'pull' : 'build'}`, ref.name);
  return { name: ref.name, id, action: ref.snapshot === null ? 'pulled' : 'built' };
}

/** The id of the image Docker has by that name, or null when it has none. */
export async function imageId(docker: Docker, name: string): Promise<string | null> {
  try {
    return (await withDocker(() => docker.getImage(name).inspect())).Id;
  } catch (error) {
    if (dockerStatusCode(error) === 404) return null;
    throw error;
  }
}

async function buildSnapshot(docker: Docker, name: string, snapshot: string, options: EnsureImageOptions): Promise<void> {
  const sandboxesDir = options.sandboxesDir ?? findSandboxesDir();
  const dockerfile = `${snapshot}/Dockerfile`;
  if (!hasSnapshot(sandboxesDir, snapshot)) {
    const known = knownSnapshots(sandboxesDir);
    throw new ImageUnavailableError(`Unknown snapshot "${snapshot}": known snapshots are ${known.join(', ') || '(none)'}`, name);
  }
  const contextEntries = existsSync(path.join(sandboxesDir, 'common')) ? ['common', dockerfile] : [dockerfile];
  const stream = await withDocker(() =>
    docker.buildImage(
      { context: sandboxesDir, src: contextEntries },
      { t: name, dockerfile, buildargs: options.buildArgs ?? {}, rm: true, forcerm: true, abortSignal: options.signal },
    ),
  );
  await followProgress(docker, stream, (event) => report(options, buildProgress(event))).catch((error: Error) => {
    throw new ImageUnavailableError(`Building snapshot "${snapshot}" (${name}) failed: ${shortReason(error)}`, name, { cause: error });
  });
}

async function pullImage(docker: Docker, name: string, options: EnsureImageOptions): Promise<void> {
  const fail = (error: Error): never => {
    if (error instanceof DockerUnavailableError) throw error;
    throw new ImageUnavailableError(
      `Could not pull image "${name}": ${shortReason(error)} — check the image name and your network ` +
        `(offline, build or load the image locally first: docker build -t ${name} …)`,
      name,
      { cause: error },
    );
  };
  const stream = await withDocker(() => docker.pull(name, { abortSignal: options.signal })).catch(fail);
  await followProgress(docker, stream, (event) => report(options, pullProgress(event))).catch(fail);
}

interface ProgressEvent {
  stream?: string;
  status?: string;
  id?: string;
  error?: string;
  errorDetail?: { message?: string };
  progressDetail?: { current?: number; total?: number };
}

/** Follows a build/pull stream to its end; rejects on a stream error or an `error` event. */
function followProgress(docker: Docker, stream: NodeJS.ReadableStream, onEvent: (event: ProgressEvent) => void) {
  return new Promise<void>((resolve, reject) => {
    let failure: string | undefined;
    docker.modem.followProgress(
      stream,
      (error: Error | null) => {
        if (error) reject(error);
        else if (failure !== undefined) reject(new Error(failure));
        else resolve();
      },
      (event: ProgressEvent) => {
        if (event.error) failure = event.errorDetail?.message ?? event.error;
        else onEvent(event);
      },
    );
  });
}

function report(options: EnsureImageOptions, progress: ImageProgress): void {
  if (progress.message) options.onProgress?.(progress);
}

const BUILD_STEP = /^Step (\d+)\/(\d+)\s*:/;

function buildProgress(event: ProgressEvent): ImageProgress {
  const message = (event.stream ?? event.status ?? '').trimEnd();
  const step = BUILD_STEP.exec(message);
  return step ? { phase: 'build', message, current: Number(step[1]), total: Number(step[2]) } : { phase: 'build', message };
}

function pullProgress(event: ProgressEvent): ImageProgress {
  const message = [event.id, event.status].filter(Boolean).join(': ');
  const { current, total } = event.progressDetail ?? {};
  return current !== undefined && total !== undefined
    ? { phase: 'pull', message, current, total }
    : { phase: 'pull', message };
}
