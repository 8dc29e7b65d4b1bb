import type { Api } from '../../../shared/contract';
import { createClient, dispatch } from '../../../shared/rpc';
import type { EventBus } from '../base/events';
import { restDispatch } from './rest-dispatch';
import type { McpBackend } from './tool';

/**
 * What the MCP tools reach in one engine: its contract (each call validated and dispatched
 * as the IPC bridge and the WebSocket do, its events from the bus) and its REST API, found
 * through `localApi.info` (where the engine's local server listens, with its token).
 */
export function engineBackend(engine: { api: Api; bus: EventBus }, env: NodeJS.ProcessEnv): McpBackend {
  const client = createClient({
    call: (method, input) => dispatch(engine.api, method, input),
    subscribe: (event, listener) => engine.bus.subscribe(event as Parameters<EventBus['subscribe']>[0], listener),
  });
  return { client, rest: restDispatch(() => engine.api['localApi.info']({})), env };
}
