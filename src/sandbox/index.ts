/**
 * The embedded sandbox: faithful emulators of the Cycle, Cloud Foundry v3 and Docker Cloud APIs on loopback,
 * seeded with deterministic data. The default upstream of `npm start`, of every integration test and of the
 * benchmarks. It shares no code with the gateway's upstream clients: two independent readings of one contract.
 */
import { cfSeedSecrets, startCfEmulator, type CfEmulator } from './cf/index.js';
import { cycleSeedSecrets, startCycleEmulator } from './cycle/index.js';
import { dockerCloudSeedSecrets, startDockerCloudEmulator } from './dockercloud/index.js';
import { DEMO_TENANT, SECOND_TENANT, type SandboxTenant } from './shared/credentials.js';
import type { Emulator } from './shared/emulator.js';

export type { Emulator } from './shared/emulator.js';
export type { CfEmulator } from './cf/index.js';
export type { FaultSpec } from './shared/faults.js';
export type { LoggedRequest } from './shared/requestLog.js';
export { DEMO_TENANT, SECOND_TENANT, type SandboxTenant } from './shared/credentials.js';
export { describeSandbox, type SandboxUrls } from './describe.js';

export interface SandboxOptions {
  /** @default '127.0.0.1' */
  host?: string;
  /** Fixed ports; each defaults to 0 (a free port). */
  ports?: { cycle?: number; cf?: number; dockercloud?: number };
  /** How long an upstream job (Cycle jobs, CF deletes, CF uploads) takes from accepted to done. @default 1000 */
  jobDurationMs?: number;
  /** Also accept SECOND_TENANT's credentials, with its own data. @default false */
  secondTenant?: boolean;
  /** Lifetime of the CF emulator's UAA tokens. @default 43200 */
  cfTokenLifetimeSeconds?: number;
}

export interface Sandbox {
  readonly cycle: Emulator;
  readonly cf: CfEmulator;
  readonly dockercloud: Emulator;
  readonly tenants: readonly SandboxTenant[];
  /** Clears every emulator's request log. */
  resetRequests(): void;
  /** Clears every emulator's injected faults. */
  clearFaults(): void;
  close(): Promise<void>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const tenants = options.secondTenant ? [DEMO_TENANT, SECOND_TENANT] : [DEMO_TENANT];
  const common = { host: options.host ?? '127.0.0.1', tenants, jobDurationMs: options.jobDurationMs ?? 1000 };
  const [cycle, cf, dockercloud] = await Promise.all([
    startCycleEmulator({ ...common, port: options.ports?.cycle ?? 0 }),
    startCfEmulator({
      ...common,
      port: options.ports?.cf ?? 0,
      ...(options.cfTokenLifetimeSeconds !== undefined ? { tokenLifetimeSeconds: options.cfTokenLifetimeSeconds } : {}),
    }),
    startDockerCloudEmulator({ ...common, port: options.ports?.dockercloud ?? 0 }),
  ]);
  const all = [cycle, cf, dockercloud];
  return {
    cycle,
    cf,
    dockercloud,
    tenants,
    resetRequests: () => all.forEach((e) => e.resetRequests()),
    clearFaults: () => all.forEach((e) => e.clearFaults()),
    close: async () => {
      await Promise.all(all.map((e) => e.close()));
    },
  };
}

/** Every secret the seeds hold for a tenant (origin tokens, docker passwords, registry credentials): for secret sweeps. */
export function sandboxSeedSecrets(tenant: SandboxTenant = DEMO_TENANT): string[] {
  return [
    ...cycleSeedSecrets(tenant.seedVariant),
    ...cfSeedSecrets(tenant.seedVariant),
    ...dockerCloudSeedSecrets(tenant.seedVariant),
  ];
}

/** The substring every seeded secret contains. */
export const SANDBOX_SECRET_MARKER = 'SANDBOX-SECRET-';
