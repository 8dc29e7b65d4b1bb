import type { Artifact } from '../../../shared/trajectory';
import type { AgentEvent } from '../agents/types';
import type { ContentFilter } from '../sandbox';
import { createFileRedactor, type RedactedFile } from '../store';

/**
 * Redaction of a run's result files as they are copied out of the sandbox (text: each
 * secret becomes `[REDACTED:NAME]`; binary: overwritten in place, see file-redaction.ts),
 * so no secret reaches the artifacts folder, `/api/v1/file/`, or an export's sha256
 * (which is of the redacted contents), and the warnings to record for the files that
 * held one.
 */
export function resultRedaction(secrets: Record<string, string>): {
  filter: ContentFilter;
  /** What was redacted from a collected file: the secrets' names (never values), or null. */
  findings(path: string): { secrets: string[]; binary: boolean } | null;
  /** The warning event for a collected file that held secrets, or null. */
  warning(artifact: Artifact): AgentEvent | null;
} {
  const redactor = createFileRedactor(secrets);
  const files = new Map<string, RedactedFile>();
  const findings = (path: string) => {
    const file = files.get(path);
    return file && file.found.size > 0 ? { secrets: [...file.found].sort(), binary: file.binary } : null;
  };
  return {
    filter: (path) => {
      const file = redactor?.file() ?? null;
      if (file) files.set(path, file);
      return file?.stream ?? null;
    },
    findings,
    warning(artifact) {
      const found = findings(artifact.path);
      if (!found) return null;
      const how = found.binary ? 'binary file: their bytes were overwritten in place, so it may no longer open' : 'replaced with [REDACTED:NAME]';
      return {
        type: 'log',
        level: 'warning',
        step: 'collect',
        payload: {
          message: `result file ${artifact.path} contained ${found.secrets.join(', ')} (${how})`,
          path: artifact.path,
          secrets: found.secrets,
          binary: found.binary,
        },
      };
    },
  };
}
