import http from 'node:http';
import type Docker from 'dockerode';

/**
 * Asks Docker to remove a container (killing it first) and resolves once the request has
 * gone out, not when Docker is done: Docker finishes a removal it was asked for whether or
 * not the asker is still there. A one-shot process (`jetty run`) exits without waiting
 * for it; the connection keeps no process alive. Null when Docker is reached other than
 * through a local socket or pipe (then the caller waits for the removal as usual).
 */
export function requestRemoval(docker: Docker, id: string): Promise<void> | null {
  const socketPath = (docker.modem as { socketPath?: unknown }).socketPath;
  if (typeof socketPath !== 'string' || !socketPath) return null;
  return new Promise<void>((resolve, reject) => {
    let sent = false;
    const request = http.request({ socketPath, method: 'DELETE', path: `/containers/${encodeURIComponent(id)}?force=1` });
    request.on('socket', (socket) => socket.unref());
    request.on('response', (response) => response.resume());
    request.on('error', (error) => {
      if (!sent) reject(error);
    });
    request.end(() => {
      sent = true;
      resolve();
    });
  });
}
