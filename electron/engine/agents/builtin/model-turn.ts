/**
 * One chat completion request, streamed or not, turned into an AssistantTurn. Each try
 * gets its own abort controller, tied to the run's signal and to an idle timer (reset on
 * every streamed chunk), so a hung server fails the try instead of hanging the run.
 */
import type OpenAI from 'openai';
import type { ChatCompletionMessageParam, ChatCompletionTool } from 'openai/resources/chat/completions';
import { ModelTimeoutError } from './retry';
import { createStreamAssembler, turnFromCompletion, type AssistantTurn } from './stream-assembler';

export interface TurnRequest {
  model: string;
  messages: ChatCompletionMessageParam[];
  tools: ChatCompletionTool[];
}

export interface TurnOptions {
  stream: boolean;
  signal: AbortSignal;
  idleTimeoutMs: number;
}

export async function requestTurn(client: OpenAI, request: TurnRequest, options: TurnOptions): Promise<AssistantTurn> {
  const controller = new AbortController();
  const cancel = () => controller.abort();
  options.signal.addEventListener('abort', cancel, { once: true });
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const resetIdleTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, options.idleTimeoutMs);
  };
  resetIdleTimer();
  try {
    if (!options.stream) {
      const completion = await client.chat.completions.create({ ...request, stream: false }, { signal: controller.signal });
      return turnFromCompletion(completion);
    }
    const stream = await client.chat.completions.create(
      { ...request, stream: true, stream_options: { include_usage: true } },
      { signal: controller.signal },
    );
    const assembler = createStreamAssembler();
    for await (const chunk of stream) {
      resetIdleTimer();
      assembler.add(chunk);
    }
    return assembler.result();
  } catch (err) {
    if (timedOut && !options.signal.aborted) throw new ModelTimeoutError(options.idleTimeoutMs);
    throw err;
  } finally {
    clearTimeout(timer);
    options.signal.removeEventListener('abort', cancel);
  }
}
