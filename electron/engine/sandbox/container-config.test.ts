import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, containerConfig, resolveLimits, type ContainerSettings } from './container-config';

const settings: ContainerSettings = {
  image: 'jetty-sandbox/python312-uv:latest',
  runId: 'a1b2c3d4',
  owner: { pid: 42, host: 'box', boot: '6f1c2a9e-boot', instanceId: 'inst' },
  limits: DEFAULT_LIMITS,
  network: true,
};

describe('container settings', () => {
  it('maps limits, labels and network onto Docker options, and nothing of a run but its id', () => {
    const config = containerConfig({ ...settings, network: false, limits: resolveLimits(DEFAULT_LIMITS, { cpus: 1.5 }) });
    expect(config.HostConfig).toMatchObject({ NanoCpus: 1.5e9, Memory: 4 * 1024 ** 3, PidsLimit: 512, NetworkMode: 'none' });
    expect(config.Labels).toEqual({
      app: 'jetty-desktop',
      'jetty.run_id': 'a1b2c3d4',
      'jetty.owner_pid': '42',
      'jetty.owner_host': 'box',
      'jetty.owner_boot': '6f1c2a9e-boot',
      'jetty.instance': 'inst',
    });
    // A run's environment goes with each command it runs (DockerSandbox.exec), never into the container.
    expect(config.Env).toBeUndefined();
    expect(config.WorkingDir).toBe('/app');
    expect(config.HostConfig?.ExtraHosts).toBeUndefined();
    expect(containerConfig(settings).HostConfig?.NetworkMode).toBeUndefined();
    expect(containerConfig(settings).HostConfig?.ExtraHosts).toEqual(['host.docker.internal:host-gateway']);
  });

  it("labels a warm pool's container with its pool and name, and no run", () => {
    const config = containerConfig({ ...settings, runId: null, pool: { label: '{"image":"x"}', name: 'jetty-parked-abc' } });
    expect(config.name).toBe('jetty-parked-abc');
    expect(config.Labels).toMatchObject({ app: 'jetty-desktop', 'jetty.pool': '{"image":"x"}', 'jetty.instance': 'inst' });
    expect(config.Labels).not.toHaveProperty('jetty.run_id');
  });

  it('rejects limits Docker would misread', () => {
    expect(() => resolveLimits(DEFAULT_LIMITS, { memoryBytes: -1 })).toThrow('Invalid sandbox limit memoryBytes=-1');
    expect(() => resolveLimits(DEFAULT_LIMITS, { pids: Number.NaN })).toThrow('Invalid sandbox limit pids=NaN');
    expect(() => resolveLimits(DEFAULT_LIMITS, { memoryBytes: 1024 })).toThrow('at least 6 MiB');
  });
});
