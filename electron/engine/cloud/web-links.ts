import type { TrialStatus } from './remote-api';

export const CLOUD_API_URL = 'https://flows-api.jetty.io';
export const CLOUD_WEB_URL = 'https://flows.jetty.io';

/**
 * Web UI links in exactly the seed's shapes: `{web}/{COLLECTION}`, `{web}/{COLLECTION}/{TASK}`,
 * `{web}/{COLLECTION}/{TASK}/{TRAJECTORY_ID}`. Only the cloud has that web UI: null for
 * another remote (a team's jetty serve).
 */
export function webLink(baseUrl: string, collection: string, task?: string, id?: string): string | null {
  if (new URL(baseUrl).host !== new URL(CLOUD_API_URL).host) return null;
  return [CLOUD_WEB_URL, collection, task, id].filter((p) => p !== undefined).map((p, i) => (i === 0 ? p : encodeURIComponent(p!))).join('/');
}

/** "Trial run U/L — M minutes remaining", and the seed's warning when 2 or fewer runs remain. */
export function trialLines(trial: Partial<TrialStatus> | null | undefined): string[] {
  if (!trial || typeof trial !== 'object') return [];
  const show = (v: unknown) => (typeof v === 'number' ? String(v) : '?');
  const lines = [`Trial run ${show(trial.runs_used)}/${show(trial.runs_limit)} — ${show(trial.minutes_remaining)} minutes remaining`];
  if (typeof trial.runs_remaining === 'number' && trial.runs_remaining <= 2) {
    lines.push(`Warning: ${trial.runs_remaining} trial runs left. Add your own provider keys to the collection's environment.`);
  }
  return lines;
}

/** Provider keys whose presence means a collection does not need trial keys (the seed's list). */
export const PROVIDER_KEYS = ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'REPLICATE_API_TOKEN'];
