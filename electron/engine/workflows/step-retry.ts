import { backoffMs } from '../base/retry-policy';
import { PermanentStepError, RetryableStepError } from './templates/types';

export interface StepRetryPolicy {
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_STEP_RETRY: StepRetryPolicy = { baseDelayMs: 500, maxDelayMs: 30_000 };
/** Extra attempts after a failure when the step config gives no `retries`: steps that call out get 3, pure ones none. */
export const DEFAULT_RETRIES = 3;

/** Whether another attempt may help: provider 429/5xx, network failures and timeouts yes; bad input and 4xx no. */
export function isRetryableStepError(error: unknown): boolean {
  if (error instanceof PermanentStepError) return false;
  if (error instanceof RetryableStepError) return true;
  return (error as Error)?.name === 'TimeoutError';
}

/** Delay before attempt `attempt + 1`: the provider's retry-after when given, else exponential with jitter (50–100 %). */
export function retryDelayMs(error: unknown, attempt: number, policy: StepRetryPolicy = DEFAULT_STEP_RETRY, random = Math.random): number {
  if (error instanceof RetryableStepError && error.retryAfterMs !== null) return Math.min(error.retryAfterMs, policy.maxDelayMs);
  return backoffMs(attempt, { baseMs: policy.baseDelayMs, maxMs: policy.maxDelayMs, jitter: true }, random);
}
