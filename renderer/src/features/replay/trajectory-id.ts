import { createContext, useContext } from 'react';

/** The trajectory the replay page shows, for views that load more of it (a model call's prompt). */
export const TrajectoryIdContext = createContext<string | null>(null);

export const useTrajectoryId = (): string | null => useContext(TrajectoryIdContext);
