import { chat, CHAT_PARAMETERS } from './model-call';
import { firstText } from './params';
import type { StepTemplate } from './types';

export const PROMPT_NAMES = ['prompt', 'user_prompt', 'user_prompt_template'];

export const litellmChat: StepTemplate = {
  activity_name: 'litellm_chat',
  category: 'llm',
  description: 'One chat completion through the passthrough, to any provider by model prefix; honours response_format / JSON schema.',
  parameters: [
    ...CHAT_PARAMETERS,
    { name: 'prompt', type: 'string', required: true, alternatives: ['user_prompt', 'user_prompt_template'], description: 'The user message; {{ step.outputs.x }} references are filled in.' },
    { name: 'response_format', type: 'object', description: '{type: json_schema, json_schema: {name, schema}} or a bare JSON schema; the parsed answer is outputs.json.' },
  ],
  outputs: ['text', 'json', 'usage', 'model', 'call_id'],
  timeoutMs: 10 * 60_000,
  run: (inputs, ctx) => chat(ctx, inputs, firstText(inputs, PROMPT_NAMES)),
};
