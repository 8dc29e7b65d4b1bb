import path from 'node:path';
import type { RecordingStatus } from '../../../shared/contract';
import type { Store } from '../store';
import { createPassthrough, type Passthrough } from './passthrough';
import { createProviderRegistry, type CustomEndpoint, type ProviderRegistry } from './providers';
import { startRecordWriter } from './record-writer';

export { TRAJECTORY_ID_HEADER, type Passthrough, type RestCall } from './passthrough';
export { PASSTHROUGH_COLLECTION, PASSTHROUGH_STEP } from './record-to-store';
export { createProviderRegistry, type CustomEndpoint, type Provider } from './providers';

export interface ProxyOptions {
  store: Store;
  /** Provider keys and base URLs (`OPENAI_API_KEY`, `ANTHROPIC_BASE_URL`, …); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Endpoints of the user's, reachable as `<name>/<model>`; default those the environment's `JETTY_ENDPOINTS` names (Settings'). */
  endpoints?: CustomEndpoint[];
  /**
   * How long finished calls wait to be stored together (default 500 ms). Each transaction
   * rewrites the upper pages of the tables' random-key indexes, so fewer, bigger ones cost
   * the proxy less: 500 ms against 50 ms lowers its added p99 by about 0.6 ms under steady
   * load (bench/README.md). Until stored, calls wait in the journal: a crash loses none.
   */
  recordFlushMs?: number;
  /** Each new recording status (a few a second at most). */
  onRecordingStatus?: (status: RecordingStatus) => void;
}

export interface Proxy extends Passthrough {
  /** Calls recorded and failed since start, and whether the disk is full. */
  recordingStatus(): RecordingStatus;
  /** Rebuilds the providers from new variables (a key changed in Settings): calls from now on use them, calls under way keep theirs. */
  setEnv(env: NodeJS.ProcessEnv): void;
}

/** Where the journal of not-yet-stored calls lives: beside the store's file. */
export const journalRootOf = (store: Store): string => path.join(path.dirname(store.file), 'passthrough-journal');

/**
 * The passthrough proxy over the configured providers, journaling every call before its
 * answer completes and storing the journal from a worker thread. `close()` resolves once
 * every call is stored (or, on a full disk, kept in the journal for the next start).
 */
export function createProxy(options: ProxyOptions): Proxy {
  const onError = (error: unknown) => console.error('Recording passthrough calls failed:', error);
  const recorder = startRecordWriter(options.store, {
    flushMs: options.recordFlushMs ?? 500,
    journalRoot: journalRootOf(options.store),
    onError,
    onStatus: options.onRecordingStatus,
  });
  let providers = createProviderRegistry({ env: options.env, endpoints: options.endpoints });
  const current: ProviderRegistry = { list: () => providers.list(), resolve: (model) => providers.resolve(model) };
  const passthrough = createPassthrough({
    providers: current,
    recorder,
    newId: () => options.store.freshTrajectoryId(),
    recordedResponse: (id) => options.store.findPassthroughResponse(id),
  });
  return {
    handle: passthrough.handle,
    handleCall: passthrough.handleCall,
    handleAux: passthrough.handleAux,
    handleRest: passthrough.handleRest,
    refuseRequest: passthrough.refuseRequest,
    models: passthrough.models,
    model: passthrough.model,
    recordingStatus: recorder.status,
    setEnv(env) {
      providers = createProviderRegistry({ env, endpoints: options.endpoints });
    },
    async close() {
      await passthrough.close();
      await recorder.close();
    },
  };
}
