import { PROMPT_NAMES } from './litellm-chat';
import { chat, CHAT_PARAMETERS } from './model-call';
import { firstText, text } from './params';
import type { StepTemplate } from './types';

/** Gemini model names reach the passthrough's `gemini/` provider with or without the prefix. */
const geminiModel = (model: string) => (model.includes('/') ? model : `gemini/${model}`);

export const geminiPrompt: StepTemplate = {
  activity_name: 'gemini_prompt',
  category: 'llm',
  description: "A prompt to Gemini through the passthrough's gemini/ provider.",
  parameters: [
    ...CHAT_PARAMETERS.map((p) => (p.name === 'model' ? { ...p, required: false, description: 'Gemini model (default gemini/gemini-2.0-flash).' } : p)),
    { name: 'prompt', type: 'string', required: true, alternatives: ['user_prompt'], description: 'The prompt.' },
  ],
  outputs: ['text', 'usage', 'model', 'call_id'],
  timeoutMs: 10 * 60_000,
  run: (inputs, ctx) => chat(ctx, inputs, firstText(inputs, PROMPT_NAMES), { model: geminiModel(text(inputs, 'model', 'gemini-2.0-flash')) }),
};
