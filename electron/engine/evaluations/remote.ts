import type { CloudService } from '../cloud/cloud-service';
import type { RemoteExecutor } from './service';

/**
 * The configured remote Jetty as an evaluation's executor: each trial is a remote run, as
 * `jetty run --remote` makes it (the local plan's agent, model and image, the parameters,
 * the runbook's folder), followed into a local trajectory that the trial then points at.
 * A trial is sent now or not at all: a remote that cannot be reached fails the trial (an
 * infrastructure error) instead of leaving the run in the outbox for later. Launches go
 * one at a time (the outbox delivers in order, and an item sent while another waits is
 * queued behind it); the runs they start go on together, within the executor's bound.
 */
export function remoteExecutor(cloud: Pick<CloudService, 'run' | 'drop'>): RemoteExecutor {
  let launching: Promise<unknown> = Promise.resolve();
  return (order) => {
    const launch = launching.then(() => send(order));
    launching = launch.catch(() => undefined);
    return launch;
  };

  async function send(order: Parameters<RemoteExecutor>[0]): ReturnType<RemoteExecutor> {
    const submitted = await cloud.run({
      file: order.runbookPath,
      collection: order.collection,
      task: order.task,
      params: order.params,
      agent: order.agent,
      model: order.model,
      image: order.image,
      door: 'evaluation',
    });
    if (submitted.status === 'queued') {
      await cloud.drop(submitted.seq);
      throw new Error(`the remote Jetty cannot be reached (${submitted.reason}): the trial was not sent`);
    }
    return { localId: submitted.result.localId, done: submitted.result.done };
  }
}
