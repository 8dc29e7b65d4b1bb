import type { TypedEvent } from '../../../../../shared/trajectory-events';
import { ArtifactView } from './ArtifactView';
import { CommandOutputView } from './CommandOutputView';
import { EvaluationView } from './EvaluationView';
import { FileChangeView } from './FileChangeView';
import { LogView } from './LogView';
import { MessageView } from './MessageView';
import { ModelCallView } from './ModelCallView';
import { ProgressView } from './ProgressView';
import { ReasoningView } from './ReasoningView';
import { ResumeView } from './ResumeView';
import { RetryView } from './RetryView';
import { StatusView } from './StatusView';
import { ToolCallView } from './ToolCallView';
import { ToolResultView } from './ToolResultView';
import { UsageView } from './UsageView';

/** The expanded view of one event: the view of its type (a stored event carries its seq, which a model call loads its prompt by). */
export function EventView({ event }: { event: TypedEvent & { seq?: number } }) {
  switch (event.type) {
    case 'message':
      return <MessageView payload={event.payload} />;
    case 'reasoning':
      return <ReasoningView payload={event.payload} />;
    case 'tool_call':
      return <ToolCallView payload={event.payload} />;
    case 'tool_result':
      return <ToolResultView payload={event.payload} />;
    case 'command_output':
      return <CommandOutputView payload={event.payload} />;
    case 'file_change':
      return <FileChangeView payload={event.payload} />;
    case 'model_call':
      return <ModelCallView payload={event.payload} seq={event.seq} />;
    case 'usage':
      return <UsageView payload={event.payload} />;
    case 'status':
      return <StatusView payload={event.payload} />;
    case 'log':
      return <LogView payload={event.payload} />;
    case 'progress':
      return <ProgressView payload={event.payload} />;
    case 'retry':
      return <RetryView payload={event.payload} />;
    case 'resume':
      return <ResumeView payload={event.payload} />;
    case 'artifact':
      return <ArtifactView payload={event.payload} />;
    case 'evaluation':
      return <EvaluationView payload={event.payload} />;
    default: {
      const _exhaustive: never = event;
      return _exhaustive;
    }
  }
}
