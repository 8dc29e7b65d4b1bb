import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { DockerClient } from './docker-client';

const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((file) => /[\\/]node_modules[\\/](@grpc|ssh2|protobufjs)[\\/]/.test(file));

describe('the Docker client', () => {
  it('loads without gRPC, protobuf or ssh2, and loads ssh2 when an ssh:// Docker host is dialled', async () => {
    expect(typeof DockerClient).toBe('function');
    expect(loaded()).toEqual([]);
    // Nothing listens on port 1 of the loopback: the dial fails, after loading ssh2 for it.
    const overSsh = new DockerClient({ protocol: 'ssh', host: '127.0.0.1', port: 1, username: 'nobody' } as ConstructorParameters<typeof DockerClient>[0]);
    await expect(overSsh.ping()).rejects.toThrow();
    expect(loaded().some((file) => /[\\/]ssh2[\\/]/.test(file))).toBe(true);
  });
});
