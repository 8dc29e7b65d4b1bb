import type Docker from 'dockerode';
import { describeDockerHost, dockerUnavailable } from './errors';

export interface DockerStatus {
  available: boolean;
  /** The engine's version, e.g. "20.10.24", when available. */
  version?: string;
  error?: string;
  fix?: string;
  /** Where Docker is reached: DOCKER_HOST, or the default socket. */
  host: string;
}

/**
 * Whether Docker answers, and if not, why and what to do. Never throws. `host` describes
 * where this client connects (taken when the client was made: `new Docker()` reads
 * DOCKER_HOST then, not on each call).
 */
export async function dockerStatus(docker: Docker, host = describeDockerHost()): Promise<DockerStatus> {
  try {
    const version = await docker.version();
    return { available: true, version: version.Version, host };
  } catch (error) {
    const unavailable = dockerUnavailable(error, host);
    if (unavailable) return { available: false, error: unavailable.message, fix: unavailable.fix, host };
    return {
      available: false,
      host,
      error: `Docker answered with an error: ${(error as Error).message}`,
      fix: 'check that the Docker daemon is healthy (`docker info`)',
    };
  }
}
