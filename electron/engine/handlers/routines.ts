import type { Api } from '../../../shared/contract';
import { ApiError } from '../../../shared/rpc';
import { NewRoutineSchema, RoutinePatchSchema } from '../../../shared/routines';
import { RoutineError, type RoutineService } from '../routines/service';

/** Routine refusals as the contract's errors. */
async function call<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RoutineError) throw new ApiError(error.kind === 'not_found' ? 'not_found' : 'invalid_input', error.message);
    throw error;
  }
}

/** The Routines view's methods: the same service as REST's `/routines`. */
export function routineHandlers(routines: RoutineService) {
  return {
    'routine.list': async ({ collection, task }) => routines.list(collection, task),
    'routine.create': ({ collection, task, routine }) => call(() => routines.create(collection, task, NewRoutineSchema.parse(routine))),
    'routine.update': ({ collection, task, name, patch }) => call(() => routines.update(collection, task, name, RoutinePatchSchema.parse(patch))),
    'routine.delete': ({ collection, task, name }) => call(() => (routines.remove(collection, task, name), { deleted: true })),
    'routine.pause': ({ collection, task, name }) => call(() => routines.pause(collection, task, name)),
    'routine.resume': ({ collection, task, name }) => call(() => routines.resume(collection, task, name)),
    'routine.runNow': ({ collection, task, name }) => call(async () => ({ trajectory_id: (await routines.runNow(collection, task, name)).trajectory_id })),
    'routine.runs': ({ collection, task, name, limit }) => call(() => routines.runs(collection, task, name, limit ?? 20)),
  } satisfies Partial<Api>;
}
