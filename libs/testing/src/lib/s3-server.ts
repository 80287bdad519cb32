import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

/**
 * An in-process S3 endpoint (s3rver) for integration tests, on a free port with its own temp directory.
 *
 * Known limits of s3rver 3.7 that tests must live with: no ListMultipartUploads or ListParts, no
 * AbortMultipartUpload (405 MethodNotAllowed), no object lock or versioning, If-None-Match is ignored on
 * writes, UploadPart accepts any upload id, and completing an unknown upload or a missing part answers 500,
 * which the minio client retries with backoff for minutes.
 */
export interface S3Server {
  /** e.g. http://127.0.0.1:41235 */
  endpoint: string;
  host: string;
  port: number;
  accessKey: string;
  secretKey: string;
  /** Stops the server and deletes its data. Safe to call more than once. */
  stop(): Promise<void>;
}

export interface S3ServerOptions {
  /** Buckets that exist from the start. */
  buckets?: string[];
}

// s3rver's built-in account; it accepts no other credentials.
const ACCESS_KEY = 'S3RVER';
const SECRET_KEY = 'S3RVER';
const HOST = '127.0.0.1';

interface S3rverOptions {
  address: string;
  port: number;
  silent: boolean;
  directory: string;
  configureBuckets: Array<{ name: string }>;
}

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}

type S3rverConstructor = new (options: S3rverOptions) => S3rverInstance;

export async function startS3Server(options: S3ServerOptions = {}): Promise<S3Server> {
  const directory = await mkdtemp(path.join(tmpdir(), 's3rver-'));
  let server: S3rverInstance;
  let address: AddressInfo;
  try {
    // s3rver ships no type declarations; the interfaces above describe the part of it used here.
    const S3rver = require('s3rver') as S3rverConstructor;
    server = new S3rver({
      address: HOST,
      port: 0,
      silent: true,
      directory,
      configureBuckets: (options.buckets ?? []).map((name) => ({ name })),
    });
    address = await server.run();
  } catch (error) {
    await rm(directory, { recursive: true, force: true });
    throw error;
  }

  let stopped: Promise<void> | undefined;
  const stop = async (): Promise<void> => {
    try {
      await server.close();
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  };
  return {
    endpoint: `http://${HOST}:${address.port}`,
    host: HOST,
    port: address.port,
    accessKey: ACCESS_KEY,
    secretKey: SECRET_KEY,
    stop: () => (stopped ??= stop()),
  };
}
