import { describe, expect, it } from 'vitest';
import { DockerUnavailableError, dockerUnavailable } from './errors';

const failure = (code: string) => Object.assign(new Error(`connect ${code}`), { code });

describe('dockerUnavailable', () => {
  it('tells how to fix each way Docker can be out of reach', () => {
    expect(dockerUnavailable(failure('ENOENT'), 'unix:///x.sock')?.message).toBe(
      'Docker is not installed or not running — install Docker Desktop (or docker.io) and start it',
    );
    expect(dockerUnavailable(failure('ECONNREFUSED'), 'unix:///x.sock')?.fix).toBe(
      'start Docker Desktop, or run `sudo systemctl start docker`',
    );
    const denied = dockerUnavailable(failure('EACCES'), 'unix:///var/run/docker.sock');
    expect(denied).toBeInstanceOf(DockerUnavailableError);
    expect(denied?.message).toContain('Permission denied while connecting to Docker at unix:///var/run/docker.sock');
    expect(denied?.fix).toContain('sudo usermod -aG docker $USER');
    expect(dockerUnavailable(failure('ENOTFOUND'), 'tcp://nowhere:2375')?.fix).toContain('DOCKER_HOST');
  });

  it('leaves other errors alone', () => {
    expect(dockerUnavailable(Object.assign(new Error('no such image'), { statusCode: 404 }))).toBeNull();
    expect(dockerUnavailable('not an error')).toBeNull();
  });
});
