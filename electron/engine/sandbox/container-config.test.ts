import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, containerConfig, resolveLimits, type ContainerSettings } from './container-config';

const settings: ContainerSettings = {
  image: 'jetty-sandbox/python312-uv:latest',
  runId: 'a1b2c3d4',
  owner: { pid: 42, host: 'box', boot: '6f1c2a9e-boot', instanceId: 'inst' },
  limits: DEFAULT_LIMITS,
  network: true,
  env: { API_KEY: 'secret-value' },
};

describe('container settings', () => {
  it('maps limits, labels, env and network onto Docker options', () => {
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
    expect(config.Env).toEqual(['API_KEY=secret-value']);
    expect(config.WorkingDir).toBe('/app');
    expect(config.HostConfig?.ExtraHosts).toBeUndefined();
    expect(containerConfig(settings).HostConfig?.NetworkMode).toBeUndefined();
    expect(containerConfig(settings).HostConfig?.ExtraHosts).toEqual(['host.docker.internal:host-gateway']);
  });

  it('rejects limits and env names Docker would misread', () => {
    expect(() => resolveLimits(DEFAULT_LIMITS, { memoryBytes: -1 })).toThrow('Invalid sandbox limit memoryBytes=-1');
    expect(() => resolveLimits(DEFAULT_LIMITS, { pids: Number.NaN })).toThrow('Invalid sandbox limit pids=NaN');
    expect(() => resolveLimits(DEFAULT_LIMITS, { memoryBytes: 1024 })).toThrow('at least 6 MiB');
    expect(() => containerConfig({ ...settings, env: { 'BAD NAME': 'x' } })).toThrow('Invalid environment variable name');
  });
});
