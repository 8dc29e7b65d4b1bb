/** The Docker sandbox service: the engine's only way to run commands for a run. */
export { createSandboxService } from './service';
export type { CreateSandboxOptions, EnsureImageCallOptions, SandboxService, SandboxServiceOptions } from './service';
export { DockerSandbox, DEFAULT_RESULT_LIMITS } from './docker-sandbox';
export type { AssetInput, FilesIn } from './docker-sandbox';
export type { PoolStatus } from './warm-pool';
export type { ContentFilter, ExtractLimits, ExtractedTree } from './archive';
export { ASSETS_DIR, DEFAULT_LIMITS, RESULTS_DIR } from './container-config';
export type { SandboxLimits, SandboxNetwork } from './container-config';
export { GATEWAY_RELAY_URL } from './gateway-relay';
export { findSandboxesDir, ImageUnavailableError } from './images';
export { DEFAULT_SNAPSHOT, knownSnapshots } from './snapshots';
export type { EnsuredImage, ImageProgress, ImageRef, ImageRequest, LocalImage } from './images';
export type { DockerStatus } from './status';
export { DockerUnavailableError, SandboxError } from './errors';
export type { AttachedProcess, AttachOptions, ExecOptions, ExecResult, FileEntry, ProcessHost, SandboxFile, ToolHost } from './tool-host';
