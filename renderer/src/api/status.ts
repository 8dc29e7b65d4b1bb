/** How the renderer's connection to the engine is doing, as the UI shows it. */
export type ConnectionStatus =
  | { state: 'connecting' }
  | { state: 'open' }
  | { state: 'reconnecting'; retryInMs: number }
  | { state: 'no-token' }
  | { state: 'unauthorized' };
