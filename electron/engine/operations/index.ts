/**
 * What every door does the same way — the app's contract handlers, the REST API, MCP (which
 * calls REST) and the CLI: stop a run, set trajectories' statuses, label a trajectory. One
 * function each, so no door does part of it: before, `run.cancel` existed twice, and a label
 * added over REST stayed local while one added in the app went to the remote the
 * trajectory came from. Decided here: a label goes to that remote whatever the door.
 */
import type { Label, TrajectoryStatus } from '../../../shared/trajectory';
import type { CloudService } from '../cloud/cloud-service';
import type { Runner } from '../runs/runner';
import type { Store } from '../store';
import type { WorkflowRuntime } from '../workflows';

export interface OperationsDeps {
  store: Store;
  runner: Pick<Runner, 'get'>;
  workflows: Pick<WorkflowRuntime, 'cancel'>;
  cloud: Pick<CloudService, 'pushLabel'>;
}

export function engineOperations(deps: OperationsDeps) {
  /** Stops a runbook run or a workflow this process is running (it ends as cancelled); false when none is. */
  function cancel(id: string): boolean {
    if (deps.workflows.cancel(id)) return true;
    const run = deps.runner.get(id);
    run?.cancel();
    return run !== null;
  }

  return {
    cancel,
    /**
     * Sets statuses (within a collection and task when given). A trajectory still running
     * here that is set to cancelled is stopped, else it would finish and overwrite the status.
     */
    setStatuses(statuses: Record<string, TrajectoryStatus>, within?: { collection: string; task: string }) {
      const result = deps.store.updateStatuses(statuses, within);
      for (const id of result.updated) if (statuses[id] === 'cancelled') cancel(id);
      return result;
    },
    /** Adds a label, then sends it to the remote the trajectory came from, if any (through the outbox: it waits while the remote is away). */
    async addLabel(id: string, label: Label): Promise<Label> {
      const stored = deps.store.addLabel(id, label);
      await deps.cloud.pushLabel(id, label);
      return stored;
    },
  };
}
export type EngineOperations = ReturnType<typeof engineOperations>;
