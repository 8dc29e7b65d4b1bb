import { SandboxError } from './errors';

/** `{ NAME: value }` as Docker's `NAME=value` list, rejecting names a shell could not use. */
export function envList(env: Record<string, string>): string[] {
  return Object.entries(env).map(([name, value]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new SandboxError(`Invalid environment variable name "${name}": use letters, digits and "_"`);
    }
    return `${name}=${value}`;
  });
}
