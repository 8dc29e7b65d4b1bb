import type { RemoteStorageSettings } from '../../../shared/storage';
import type { S3Flavour } from './s3';
import { StorageError } from './types';

/**
 * How each remote backend is reached over the S3 API.
 * - s3: AWS (or any S3 server at `endpoint`, path-style there unless told otherwise).
 * - r2: Cloudflare R2 at `https://<account>.r2.cloudflarestorage.com`, region `auto`; R2
 *   refuses the SDK's default extra checksums, so they are sent only when required.
 * - gcs: Google Cloud Storage's S3-compatible XML API (`https://storage.googleapis.com`)
 *   with HMAC keys: one client for every bucket, multipart through the same code, and
 *   testable against a loopback S3 server; like R2 it takes only required checksums.
 */
export const FLAVOURS: Record<RemoteStorageSettings['backend'], (s: RemoteStorageSettings, env: NodeJS.ProcessEnv) => S3Flavour> = {
  s3: (s, env) => ({
    region: s.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    endpoint: s.endpoint,
    forcePathStyle: s.forcePathStyle ?? Boolean(s.endpoint),
    checksums: 'WHEN_SUPPORTED',
  }),
  r2: (s) => {
    if (!s.endpoint) throw new StorageError('refused', 'an R2 bucket needs its endpoint: https://<account id>.r2.cloudflarestorage.com');
    return { region: s.region ?? 'auto', endpoint: s.endpoint, forcePathStyle: s.forcePathStyle ?? true, checksums: 'WHEN_REQUIRED' };
  },
  gcs: (s) => ({
    region: s.region ?? 'auto',
    endpoint: s.endpoint ?? 'https://storage.googleapis.com',
    forcePathStyle: s.forcePathStyle ?? true,
    checksums: 'WHEN_REQUIRED',
  }),
};
