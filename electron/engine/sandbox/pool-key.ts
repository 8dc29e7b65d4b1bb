import { resolveLimits, type SandboxLimits, type SandboxNetwork } from './container-config';

/**
 * What makes two containers interchangeable before a run adopts one: the image (by name, the
 * id checked at adoption), the limits and the network (with 'gateway', the gateway's socket
 * folder, one per process). Nothing of a run: its environment and files arrive at adoption.
 */
export interface PoolSpec {
  image: string;
  limits: SandboxLimits;
  network: SandboxNetwork;
  gatewaySocketDir?: string;
}

/** The pool a container of `spec` belongs to (equal specs, equal keys). */
export function poolKey(spec: PoolSpec): string {
  const { cpus, memoryBytes, pids } = spec.limits;
  return JSON.stringify([spec.image, cpus, memoryBytes, pids, spec.network, spec.network === 'gateway' ? (spec.gatewaySocketDir ?? '') : '']);
}

/** The label a pool's container carries: its spec, so a later start knows what was kept warm. */
export function poolLabel(spec: PoolSpec): string {
  const { cpus, memoryBytes, pids } = spec.limits;
  return JSON.stringify({ image: spec.image, cpus, memoryBytes, pids, network: spec.network });
}

/**
 * The spec a pool label names, to warm again after a restart; null when it is unreadable or
 * cannot be warmed again: a 'gateway' container's socket folder was its dead process's.
 */
export function specFromLabel(label: string | undefined): PoolSpec | null {
  if (!label) return null;
  try {
    const parsed = JSON.parse(label) as Record<string, unknown>;
    if (typeof parsed.image !== 'string' || !parsed.image || (parsed.network !== true && parsed.network !== false)) return null;
    const limits = resolveLimits({ cpus: Number(parsed.cpus), memoryBytes: Number(parsed.memoryBytes), pids: Number(parsed.pids) });
    return { image: parsed.image, limits, network: parsed.network };
  } catch {
    return null;
  }
}
