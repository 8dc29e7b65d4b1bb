import { createRedactor, deepMapStrings, redactedMarker, type Redactor } from './redactor';

/**
 * Redactors per trajectory, held in memory only: secret values are never persisted. Each
 * trajectory's redactor covers its own secrets (a run's declared ones) and the shared ones
 * every record is redacted of, whatever wrote it: the vault's, the collections'
 * environments', the provider keys (`setShared`, kept up to date by the engine).
 */
export interface SecretRegistry {
  /** Adds secrets (name → value) to those already registered for the trajectory. */
  register(trajectoryId: string, secrets: Record<string, string>): Redactor;
  forget(trajectoryId: string): void;
  redactorFor(trajectoryId: string): Redactor;
  /** Replaces the secrets every trajectory's records are redacted of. */
  setShared(secrets: Record<string, string>): void;
  /** The shared secrets (to hand to another connection, e.g. the recording thread's), and a number that grows with each change. */
  shared(): SharedSecrets;
  /** A deep copy of `value` with each `[REDACTED:NAME]` of a shared secret put back (what resuming work needs). */
  restoreShared<T>(value: T): T;
}

export interface SharedSecrets {
  version: number;
  values: Readonly<Record<string, string>>;
}

export function createSecretRegistry(): SecretRegistry {
  // Replaced whole on each change, never modified: handed out as it is.
  let shared: Readonly<Record<string, string>> = Object.freeze({});
  let version = 0;
  let sharedRedactor: Redactor = createRedactor({});
  const secretsById = new Map<string, Record<string, string>>();
  const redactors = new Map<string, Redactor>();
  const build = (own: Record<string, string>) => createRedactor({ ...shared, ...own });
  return {
    register(trajectoryId, secrets) {
      const merged = { ...secretsById.get(trajectoryId), ...secrets };
      const redactor = build(merged);
      secretsById.set(trajectoryId, merged);
      redactors.set(trajectoryId, redactor);
      return redactor;
    },
    forget(trajectoryId) {
      secretsById.delete(trajectoryId);
      redactors.delete(trajectoryId);
    },
    redactorFor: (trajectoryId) => redactors.get(trajectoryId) ?? sharedRedactor,
    setShared(secrets) {
      shared = Object.freeze({ ...secrets });
      version += 1;
      sharedRedactor = createRedactor(shared);
      for (const [id, own] of secretsById) redactors.set(id, build(own));
    },
    shared: () => ({ version, values: shared }),
    restoreShared<T>(value: T): T {
      const names = Object.keys(shared);
      if (names.length === 0) return value;
      const markers = new Map(names.map((name) => [redactedMarker(name), shared[name]]));
      const pattern = new RegExp([...markers.keys()].map((m) => m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
      const json = JSON.stringify(value);
      if (json === undefined || !pattern.test(json)) return value;
      return deepMapStrings(value, (text) => text.replace(pattern, (marker) => markers.get(marker)!)) as T;
    },
  };
}
