/**
 * The Docker Cloud emulator: the repo subsystem v1 (external repositories and registries) of the retired
 * `cloud.docker.com` API, as pieced together in docker-cloud-repository.md. Each configured tenant authenticates
 * with its own Basic credentials and sees only its own namespaces (its user and one organisation) and data.
 */
import type { SandboxTenant } from '../shared/credentials.js';
import { startEmulator, type Emulator } from '../shared/emulator.js';
import { Accounts } from './auth.js';
import { errorBody } from './errors.js';
import { registerRoutes } from './routes.js';
import { TenantState } from './store.js';

export { dockerCloudSeedSecrets, organisationOf } from './seed.js';

export interface DockerCloudEmulatorOptions {
  host: string;
  port: number;
  tenants: readonly SandboxTenant[];
  /**
   * Accepted for symmetry with the other emulators and unused: §6, no repository or registry call is
   * asynchronous (the docs never mention a 202 for them), so nothing here takes time.
   */
  jobDurationMs: number;
}

export async function startDockerCloudEmulator(options: DockerCloudEmulatorOptions): Promise<Emulator> {
  const accounts = new Accounts(options.tenants.map((tenant) => new TenantState(tenant)));
  return startEmulator(
    { name: 'dockercloud', routes: (router) => registerRoutes(router, accounts), errorBody },
    { host: options.host, port: options.port },
  );
}
