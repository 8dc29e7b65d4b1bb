/** Wire usage (any API's, decoded to the internal shape) as a trajectory's usage. */
import type { Usage } from '../../../shared/trajectory';
import type { Usage as WireUsage } from './internal';

export const trajectoryUsage = (u: WireUsage): Usage => ({
  prompt_tokens: Math.trunc(u.inputTokens),
  completion_tokens: Math.trunc(u.outputTokens),
  total_tokens: Math.trunc(u.inputTokens + u.outputTokens),
});
