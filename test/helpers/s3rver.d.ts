/** The parts of s3rver (a loopback S3 server for tests) that test/helpers/s3-server.ts uses; it ships no types. */
declare module 's3rver' {
  import type { Server } from 'node:http';
  import type { AddressInfo } from 'node:net';
  interface S3rverOptions {
    port?: number;
    address?: string;
    directory: string;
    silent?: boolean;
    configureBuckets?: { name: string }[];
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<AddressInfo>;
    /** The listening server, once run. */
    httpServer?: Server;
    close(): Promise<void>;
  }
}
declare module 's3rver/lib/models/account.js' {
  const AWSAccount: unknown;
  export default AWSAccount;
}
