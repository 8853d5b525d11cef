/**
 * The Cycle platform API emulator (cycle.md): images, image sources, build logs, image jobs and jobs, for each
 * tenant's hub, behind Cycle's `Authorization: Bearer` + `X-Hub-Id` auth and ErrorEnvelope.
 */
import type { SandboxTenant } from '../shared/credentials.js';
import { startEmulator, type Emulator } from '../shared/emulator.js';
import { cycleErrorBody } from './errors.js';
import { registerCycleRoutes } from './routes/index.js';
import { CycleStore } from './store.js';

export { cycleSeedSecrets } from './seed/index.js';
export { SECRET_MARKER as CYCLE_SECRET_MARKER } from './seed/context.js';
export { DEFAULT_PAGE_SIZE as CYCLE_DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE as CYCLE_MAX_PAGE_SIZE } from './query.js';

export interface CycleEmulatorOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  /** Each tenant's API key and hub are accepted, and each sees its own hub's data (seeded from `seedVariant`). */
  tenants: readonly SandboxTenant[];
  /** How long a job takes from accepted to completed. */
  jobDurationMs: number;
}

export async function startCycleEmulator(options: CycleEmulatorOptions): Promise<Emulator> {
  const storesByKey = new Map(
    options.tenants.map((tenant) => [tenant.cycle.apiKey, new CycleStore(tenant, options.jobDurationMs)] as const),
  );
  const stores = [...storesByKey.values()];
  return startEmulator(
    {
      name: 'cycle',
      routes: (router) => registerCycleRoutes(router, storesByKey),
      errorBody: cycleErrorBody,
      // Jobs advance lazily: each request first lets every hub's running jobs catch up with the clock.
      beforeRequest: () => {
        const now = Date.now();
        for (const store of stores) store.advance(now);
      },
      isSettled: () => stores.every((store) => store.activeJobs.size === 0),
    },
    { host: options.host, port: options.port },
  );
}
