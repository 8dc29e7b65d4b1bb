/** Errors of the sandbox service, each with a message a person can act on. */

export class SandboxError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SandboxError';
  }
}

/** Docker cannot be reached; `fix` says what to do about it. */
export class DockerUnavailableError extends SandboxError {
  readonly fix: string;
  constructor(message: string, fix: string, options?: { cause?: unknown }) {
    super(`${message} — ${fix}`, options);
    this.name = 'DockerUnavailableError';
    this.fix = fix;
  }
}

const NOT_RUNNING = {
  message: 'Docker is not installed or not running',
  fix: 'install Docker Desktop (or docker.io) and start it',
};

/**
 * Turns a failure to reach the Docker daemon into a DockerUnavailableError, or null when
 * the error is something else (a Docker API error, a bug).
 */
export function dockerUnavailable(error: unknown, host = describeDockerHost()): DockerUnavailableError | null {
  const code = errorCode(error);
  if (code === 'ENOENT') return new DockerUnavailableError(NOT_RUNNING.message, NOT_RUNNING.fix, { cause: error });
  if (code === 'ECONNREFUSED') {
    return new DockerUnavailableError(
      `Docker is installed but its daemon refuses connections at ${host}`,
      'start Docker Desktop, or run `sudo systemctl start docker`',
      { cause: error },
    );
  }
  if (code === 'EACCES' || code === 'EPERM') {
    return new DockerUnavailableError(
      `Permission denied while connecting to Docker at ${host}`,
      'add your user to the docker group (`sudo usermod -aG docker $USER`, then log out and back in)',
      { cause: error },
    );
  }
  if (code === 'ENOTFOUND' || code === 'EHOSTUNREACH' || code === 'ETIMEDOUT' || code === 'ECONNRESET') {
    return new DockerUnavailableError(
      `Cannot reach the Docker daemon at ${host} (${code})`,
      'check DOCKER_HOST, or unset it to use the local Docker',
      { cause: error },
    );
  }
  return null;
}

/** Runs a Docker call, turning connection failures into DockerUnavailableError. */
export async function withDocker<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw dockerUnavailable(error) ?? error;
  }
}

/** The HTTP status of a Docker API error (dockerode sets statusCode), if any. */
export function dockerStatusCode(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The Docker endpoint in use, as people name it: DOCKER_HOST or the default socket. */
export function describeDockerHost(env: NodeJS.ProcessEnv = process.env): string {
  return env.DOCKER_HOST ?? 'the default socket (/var/run/docker.sock)';
}
