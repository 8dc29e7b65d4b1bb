import { conditionalBranch } from './conditional-branch';
import { extractFromTrajectories } from './extract-from-trajectories';
import { geminiImageGenerator } from './gemini-image-generator';
import { geminiPrompt } from './gemini-prompt';
import { listEmitAwait } from './list-emit-await';
import { litellmChat } from './litellm-chat';
import { litellmImageGeneration } from './litellm-image-generation';
import { litellmVision } from './litellm-vision';
import { readUploadedFile } from './read-uploaded-file';
import { replicateRun } from './replicate-run';
import { replicateText2Image } from './replicate-text2image';
import { replicateText2Video } from './replicate-text2video';
import { runRunbook } from './run-runbook';
import { simpleJudge } from './simple-judge';
import { textConcatenate } from './text-concatenate';
import { textEcho } from './text-echo';
import { textSplit } from './text-split';
import { textTemplate } from './text-template';
import type { StepTemplate } from './types';

/** Every step template that executes here, by activity name. The catalog endpoint and the linter list exactly these. */
export const STEP_TEMPLATES: readonly StepTemplate[] = [
  textEcho,
  textTemplate,
  textConcatenate,
  textSplit,
  readUploadedFile,
  litellmChat,
  litellmVision,
  litellmImageGeneration,
  geminiPrompt,
  geminiImageGenerator,
  replicateText2Image,
  replicateText2Video,
  replicateRun,
  simpleJudge,
  conditionalBranch,
  listEmitAwait,
  extractFromTrajectories,
  runRunbook,
];

const BY_NAME = new Map(STEP_TEMPLATES.map((t) => [t.activity_name, t]));

export const stepTemplate = (activity: string): StepTemplate | undefined => BY_NAME.get(activity);
