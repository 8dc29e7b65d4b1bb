import type { Store } from '../store';
import { createPassthrough, type Passthrough } from './passthrough';
import { createProviderRegistry, type CustomEndpoint } from './providers';
import { startRecordWriter } from './record-writer';

export { TRAJECTORY_ID_HEADER, type Passthrough } from './passthrough';
export { PASSTHROUGH_COLLECTION, PASSTHROUGH_STEP } from './record-to-store';
export { createProviderRegistry, type CustomEndpoint, type Provider } from './providers';

export interface ProxyOptions {
  store: Store;
  /** Provider keys and base URLs (`OPENAI_API_KEY`, `ANTHROPIC_BASE_URL`, …); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** OpenAI-compatible endpoints from the user's settings, reachable as `<name>/<model>`. */
  endpoints?: CustomEndpoint[];
  /** How long finished calls wait to be stored together (default 50 ms). */
  recordFlushMs?: number;
}

/**
 * The passthrough proxy over the configured providers, recording every call into the
 * store from a worker thread. `close()` resolves once every call is stored.
 */
export function createProxy(options: ProxyOptions): Passthrough {
  const onError = (error: unknown) => console.error('Recording passthrough calls failed:', error);
  const recorder = startRecordWriter(options.store, { flushMs: options.recordFlushMs ?? 50, onError });
  const passthrough = createPassthrough({
    providers: createProviderRegistry({ env: options.env, endpoints: options.endpoints }),
    recorder,
    newId: () => options.store.freshTrajectoryId(),
  });
  return {
    handle: passthrough.handle,
    async close() {
      await passthrough.close();
      await recorder.close();
    },
  };
}
