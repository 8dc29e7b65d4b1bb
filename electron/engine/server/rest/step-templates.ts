import { VERSION } from '../../version';
import type { Route } from '../router';
import { rest } from './http';

interface StepTemplate {
  activity_name: string;
  category: string;
  description: string;
  /** Parameter names; a `<name>_path` variant takes a path expression instead of a value. */
  parameters: string[];
  outputs: string[];
}

/** The step templates known from Jetty's public material (see jetty-api.md). */
export const STEP_TEMPLATES: StepTemplate[] = [
  { activity_name: 'text_echo', category: 'text', description: 'Returns its text unchanged.', parameters: ['text'], outputs: ['text'] },
  { activity_name: 'text_template', category: 'text', description: 'Fills {{placeholders}} in a template.', parameters: ['template', 'variables'], outputs: ['text'] },
  { activity_name: 'text_concatenate', category: 'text', description: 'Joins texts with a separator.', parameters: ['texts', 'separator'], outputs: ['text'] },
  { activity_name: 'text_split', category: 'text', description: 'Splits a text into items.', parameters: ['text', 'separator'], outputs: ['items'] },
  { activity_name: 'litellm_chat', category: 'llm', description: 'One chat completion through any provider.', parameters: ['model', 'prompt', 'system_prompt', 'temperature'], outputs: ['text', 'usage'] },
  { activity_name: 'litellm_vision', category: 'llm', description: 'A chat completion with images.', parameters: ['model', 'prompt', 'image'], outputs: ['text'] },
  { activity_name: 'gemini_prompt', category: 'llm', description: 'A Gemini prompt.', parameters: ['model', 'prompt'], outputs: ['text'] },
  { activity_name: 'simple_judge', category: 'evaluation', description: 'Scores items against an instruction.', parameters: ['item', 'items', 'instruction', 'model', 'score_range'], outputs: ['score', 'explanation'] },
  { activity_name: 'gemini_image_generator', category: 'image', description: 'Generates images with Gemini.', parameters: ['prompt', 'model'], outputs: ['images'] },
  { activity_name: 'replicate_text2image', category: 'image', description: 'Text to image on Replicate.', parameters: ['prompt', 'model'], outputs: ['images'] },
  { activity_name: 'replicate_text2video', category: 'video', description: 'Text to video on Replicate.', parameters: ['prompt', 'model'], outputs: ['videos'] },
  { activity_name: 'replicate_run', category: 'model', description: 'Runs any Replicate model.', parameters: ['model', 'input'], outputs: ['output'] },
  { activity_name: 'conditional_branch', category: 'control', description: 'Chooses the next steps by a condition.', parameters: ['condition', 'if_true', 'if_false'], outputs: ['branch'] },
  { activity_name: 'list_emit_await', category: 'control', description: 'Fans out a child workflow per item and waits.', parameters: ['items', 'child_workflow_name', 'max_concurrency'], outputs: ['trajectory_ids'] },
  { activity_name: 'extract_from_trajectories', category: 'control', description: 'Collects outputs of child trajectories (fan-in).', parameters: ['trajectory_ids', 'path'], outputs: ['items'] },
];

/** `GET /step-templates` (no token, as in the cloud) and `GET /health`. */
export function catalogRoutes(): Route[] {
  const categories = [...new Set(STEP_TEMPLATES.map((t) => t.category))];
  return [
    rest('GET', '/step-templates', async () => ({ templates: STEP_TEMPLATES, categories, total_count: STEP_TEMPLATES.length }), { public: true }),
    rest('GET', '/health', async () => ({ status: 'ok', version: VERSION }), { public: true }),
  ];
}
