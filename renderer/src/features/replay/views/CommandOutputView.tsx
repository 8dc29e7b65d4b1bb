import type { EventPayload } from '../../../../../shared/trajectory-events';
import { AnsiText } from '../../events/AnsiText';
import { Block } from './Fields';

/** Terminal output, with its colours. */
export function CommandOutputView({ payload }: { payload: EventPayload<'command_output'> }) {
  return (
    <div className={`command-output-view stream-${payload.stream}`}>
      <Block>
        <AnsiText text={payload.text} />
      </Block>
    </div>
  );
}
