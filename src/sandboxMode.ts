/**
 * Sandbox mode (no upstream URL configured): point the gateway at the embedded emulators, with their demo
 * credentials as service credentials. Only main.ts calls this; tests build their Config the same way.
 */
import type { Config } from './config.js';
import type { SandboxUrls } from './sandbox/describe.js';
import { DEMO_TENANT } from './sandbox/shared/credentials.js';

export function configForSandbox(config: Config, sandbox: SandboxUrls): Config {
  const policies = config.upstreamPolicies;
  return {
    ...config,
    upstreams: {
      cycle: { url: sandbox.cycle.url, ...policies.cycle },
      cf: { url: sandbox.cf.url, ...policies.cf },
      dockercloud: { url: sandbox.dockercloud.url, ...policies.dockercloud },
    },
    // The Cycle emulator serves the factory's upload route too (sandbox/cycle/routes/factory.ts).
    cycleFactoryUrl: sandbox.cycle.url,
    serviceCredentials: {
      cycle: { apiKey: DEMO_TENANT.cycle.apiKey, hubId: DEMO_TENANT.cycle.hubId },
      cf: { token: DEMO_TENANT.cf.token },
      dockercloud: { username: DEMO_TENANT.dockercloud.username, apiKey: DEMO_TENANT.dockercloud.apiKey },
    },
  };
}
