import { describe, expect, it } from 'vitest';
import { getAgentRuntime, listAgentRuntimes } from './registry';

describe('agent runtime registry', () => {
  it('lists and returns the built-in runtime', () => {
    expect(listAgentRuntimes()).toContain('builtin');
    expect(getAgentRuntime('builtin').name).toBe('builtin');
  });

  it('names the available runtimes when asked for an unknown one', () => {
    expect(() => getAgentRuntime('hal-9000')).toThrow(/Unknown agent runtime 'hal-9000'. Available: .*builtin/);
  });
});
