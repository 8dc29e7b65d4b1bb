import { createRedactor, type Redactor } from './redactor';

const NO_SECRETS: Redactor = createRedactor({});

/** Redactors per trajectory, held in memory only: secret values are never persisted. */
export interface SecretRegistry {
  /** Adds secrets (name → value) to those already registered for the trajectory. */
  register(trajectoryId: string, secrets: Record<string, string>): Redactor;
  forget(trajectoryId: string): void;
  redactorFor(trajectoryId: string): Redactor;
}

export function createSecretRegistry(): SecretRegistry {
  const secretsById = new Map<string, Record<string, string>>();
  const redactors = new Map<string, Redactor>();
  return {
    register(trajectoryId, secrets) {
      const merged = { ...secretsById.get(trajectoryId), ...secrets };
      const redactor = createRedactor(merged);
      secretsById.set(trajectoryId, merged);
      redactors.set(trajectoryId, redactor);
      return redactor;
    },
    forget(trajectoryId) {
      secretsById.delete(trajectoryId);
      redactors.delete(trajectoryId);
    },
    redactorFor: (trajectoryId) => redactors.get(trajectoryId) ?? NO_SECRETS,
  };
}
