import type Docker from 'dockerode';
import { dockerUnavailable } from './errors';

export interface DockerStatus {
  available: boolean;
  /** The engine's version, e.g. "20.10.24", when available. */
  version?: string;
  error?: string;
  fix?: string;
}

/** Whether Docker answers, and if not, why and what to do. Never throws. */
export async function dockerStatus(docker: Docker): Promise<DockerStatus> {
  try {
    const version = await docker.version();
    return { available: true, version: version.Version };
  } catch (error) {
    const unavailable = dockerUnavailable(error);
    if (unavailable) return { available: false, error: unavailable.message, fix: unavailable.fix };
    return {
      available: false,
      error: `Docker answered with an error: ${(error as Error).message}`,
      fix: 'check that the Docker daemon is healthy (`docker info`)',
    };
  }
}
