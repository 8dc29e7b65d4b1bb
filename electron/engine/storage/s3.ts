import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { Readable } from 'node:stream';
import { truncateAfter } from '../http/bounded-body';
import type { RemoteStorageSettings } from '../../../shared/storage';
import { describeStorageError } from './errors';
import { bucketLocation, joinKey } from './keys';
import type { ByteRange, ObjectInfo, PutOptions, StorageBackend, StorageCredentials } from './types';

/** Multipart part size and how many parts go up at once: 8 MiB × 4 in flight bounds memory at ~32 MiB per upload. */
export const PART_SIZE = 8 * 1024 * 1024;
const PARTS_IN_FLIGHT = 4;

/**
 * What the engine reads of an S3 endpoint's answers, which it does not trust: an error
 * body's code and message are in its first bytes (64 KiB), and a list page or an upload's
 * reply is a few KiB (16 MiB at most). Only an object's own bytes (GetObject) are unbounded,
 * and those are streamed to their reader.
 */
export const MAX_S3_ERROR_BODY_BYTES = 64 * 1024;
export const MAX_S3_ANSWER_BYTES = 16 * 1024 * 1024;

/** Bounds the bodies of `client`'s answers (see MAX_S3_*) before the SDK parses them. */
function boundAnswers(client: S3Client): void {
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const out = await next(args);
      const response = out.response as { statusCode?: number; body?: unknown };
      if (!(response?.body instanceof Readable)) return out;
      if ((response.statusCode ?? 0) >= 300) response.body = truncateAfter(response.body, MAX_S3_ERROR_BODY_BYTES);
      else if (context.commandName !== 'GetObjectCommand') {
        response.body = truncateAfter(response.body, MAX_S3_ANSWER_BYTES, () => new Error(`the storage endpoint's answer to ${context.commandName} is larger than ${MAX_S3_ANSWER_BYTES} bytes`));
      }
      return out;
    },
    // Innermost in the deserialize step: the raw answer is bounded before the SDK's deserializer reads it.
    { step: 'deserialize', priority: 'low', name: 'jettyBoundedAnswers' },
  );
}

/** How a flavour of S3 is reached: R2 and GCS take only the checksums they require. */
export interface S3Flavour {
  region: string;
  endpoint?: string;
  forcePathStyle: boolean;
  checksums: 'WHEN_SUPPORTED' | 'WHEN_REQUIRED';
}

/** The S3 client options for settings of a flavour (exported so a test can check what R2 and GCS get). */
export function s3ClientConfig(flavour: S3Flavour, credentials: StorageCredentials): S3ClientConfig {
  return {
    region: flavour.region,
    endpoint: flavour.endpoint,
    forcePathStyle: flavour.forcePathStyle,
    credentials,
    requestChecksumCalculation: flavour.checksums,
    responseChecksumValidation: flavour.checksums,
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  };
}

/**
 * An S3-compatible bucket (AWS S3, Cloudflare R2, GCS's XML API, any S3 server) through
 * `@aws-sdk/client-s3`; puts go through `@aws-sdk/lib-storage` (multipart above one
 * part), with the artifact's sha256 in the object's metadata.
 */
export function s3Backend(name: RemoteStorageSettings['backend'], settings: RemoteStorageSettings, flavour: S3Flavour, credentials: StorageCredentials): StorageBackend {
  const client = new S3Client(s3ClientConfig(flavour, credentials));
  boundAnswers(client);
  const Bucket = settings.bucket;
  const fullKey = (key: string) => joinKey(settings.prefix, key);
  const where = (key = '') => bucketLocation(name, Bucket, settings.prefix, key);
  const call = async <T>(key: string, run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      throw describeStorageError(error, where(key));
    }
  };

  return {
    name,
    describe: where,
    put: (key: string, body: Readable, options: PutOptions) =>
      call(key, async () => {
        const upload = new Upload({
          client,
          params: { Bucket, Key: fullKey(key), Body: body, ContentType: options.contentType, Metadata: { sha256: options.sha256 } },
          partSize: PART_SIZE,
          queueSize: PARTS_IN_FLIGHT,
          leavePartsOnError: false,
        });
        const abort = () => void upload.abort().catch(() => undefined);
        options.signal?.addEventListener('abort', abort, { once: true });
        try {
          await upload.done();
        } finally {
          options.signal?.removeEventListener('abort', abort);
        }
      }),
    get: (key: string, range?: ByteRange, signal?: AbortSignal) =>
      call(key, async () => {
        const out = await client.send(
          new GetObjectCommand({ Bucket, Key: fullKey(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
          { abortSignal: signal },
        );
        return out.Body as Readable;
      }),
    head: (key: string) =>
      call(key, async (): Promise<ObjectInfo | null> => {
        try {
          const out = await client.send(new HeadObjectCommand({ Bucket, Key: fullKey(key) }));
          return { key, size: out.ContentLength ?? 0 };
        } catch (error) {
          if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return null;
          throw error;
        }
      }),
    list: (prefix: string, limit: number) =>
      call(prefix, async () => {
        const out: ObjectInfo[] = [];
        const base = settings.prefix ? `${settings.prefix.replace(/\/+$/, '')}/` : '';
        let token: string | undefined;
        do {
          const page = await client.send(
            new ListObjectsV2Command({ Bucket, Prefix: base + prefix, ContinuationToken: token, MaxKeys: Math.min(1000, limit - out.length) }),
          );
          for (const o of page.Contents ?? []) out.push({ key: (o.Key ?? '').slice(base.length), size: o.Size ?? 0 });
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token && out.length < limit);
        return out;
      }),
    delete: (key: string) => call(key, async () => void (await client.send(new DeleteObjectCommand({ Bucket, Key: fullKey(key) })))),
    downloadUrl: (key: string, expiresIn: number) =>
      call(key, () => getSignedUrl(client, new GetObjectCommand({ Bucket, Key: fullKey(key) }), { expiresIn })),
  };
}
