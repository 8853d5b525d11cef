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
import { registerUaaRoutes, UaaTokens } from './uaa.js';

export { cfSeedSecrets, SEED_SECRET_MARKER } from './seed.js';

export interface CfEmulatorOptions {
  host: string;
  port: number;
  tenants: readonly SandboxTenant[];
  /** How long uploads, copies and deletions take from accepted to done. */
  jobDurationMs: number;
  /** Lifetime of the access tokens UAA issues. @default 43200 (UAA's default: 12 hours) */
  tokenLifetimeSeconds?: number;
}

export interface CfEmulator extends Emulator {
  /** The tokens its UAA issued: `expireAll()` ends them, as if their lifetime had passed. */
  readonly uaaTokens: UaaTokens<unknown>;
}

export async function startCfEmulator(options: CfEmulatorOptions): Promise<CfEmulator> {
  const storeOf = new Map(
    options.tenants.map(
      (tenant) => [tenant, new TenantStore(generateCfSeed(tenant.seedVariant), options.jobDurationMs)] as const,
    ),
  );
  const storesByToken = new Map([...storeOf].map(([tenant, store]) => [tenant.cf.token, store] as const));
  const uaaTokens = new UaaTokens(
    new Map([...storeOf].map(([tenant, store]) => [tenant.cf.client.id, { secret: tenant.cf.client.secret, store }])),
    options.tokenLifetimeSeconds ?? 43_200,
  );
  const stores = [...storeOf.values()];
  const rateLimiter = new RateLimiter();
  const emulator = await startEmulator(
    {
      name: 'cf',
      routes(router, baseUrl) {
        const context: CfRouteContext = { router, baseUrl, storesByToken, uaaTokens, rateLimiter };
        registerUaaRoutes(router, baseUrl, uaaTokens);
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
  return Object.assign(emulator, { uaaTokens });
}
