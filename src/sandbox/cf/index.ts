/**
 * The Cloud Foundry v3 emulator: packages, apps, droplets per package and jobs, as Cloud Controller serves them
 * (contract: cf-v3-packages.md). Each tenant's bearer token reaches only that tenant's seeded store.
 */
import type { SandboxTenant } from '../shared/credentials.js';
import { startEmulator, type Emulator } from '../shared/emulator.js';
import { errorBodyForStatus } from './errors.js';
import type { CfRouteContext } from './handler.js';
import { RateLimiter } from './rateLimit.js';
import { registerAppRoutes } from './routes/apps.js';
import { registerDropletRoutes } from './routes/droplets.js';
import { registerJobRoutes } from './routes/jobs.js';
import { registerPackageBitsRoutes } from './routes/packageBits.js';
import { registerPackageRoutes } from './routes/packages.js';
import { generateCfSeed } from './seed.js';
import { TenantStore } from './store.js';

export { cfSeedSecrets, SEED_SECRET_MARKER } from './seed.js';

export interface CfEmulatorOptions {
  host: string;
  port: number;
  tenants: readonly SandboxTenant[];
  /** How long uploads, copies and deletions take from accepted to done. */
  jobDurationMs: number;
}

export async function startCfEmulator(options: CfEmulatorOptions): Promise<Emulator> {
  const storesByToken = new Map(
    options.tenants.map(
      (tenant) =>
        [tenant.cf.token, new TenantStore(generateCfSeed(tenant.seedVariant), options.jobDurationMs)] as const,
    ),
  );
  const stores = [...storesByToken.values()];
  const rateLimiter = new RateLimiter();
  return startEmulator(
    {
      name: 'cf',
      routes(router, baseUrl) {
        const context: CfRouteContext = { router, baseUrl, storesByToken, rateLimiter };
        registerPackageRoutes(context);
        registerPackageBitsRoutes(context);
        registerDropletRoutes(context);
        registerAppRoutes(context);
        registerJobRoutes(context);
      },
      errorBody: errorBodyForStatus,
      beforeRequest() {
        const now = Date.now();
        for (const store of stores) store.advance(now);
      },
    },
    { host: options.host, port: options.port },
  );
}
