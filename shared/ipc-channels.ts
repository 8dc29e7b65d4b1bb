/**
 * The only two Electron IPC channels between the preload and the main process: contract
 * calls go on CALL, contract events come back on EVENT. Method and event names travel as
 * arguments, so the renderer never picks a channel.
 */
export const IPC_CALL_CHANNEL = 'jetty:call';
export const IPC_EVENT_CHANNEL = 'jetty:event';

/** What the main process answers on IPC_CALL_CHANNEL. */
export type IpcCallResult = { ok: true; value: unknown } | { ok: false; error: { code: string; message: string } };
