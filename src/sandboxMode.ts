/**
 * Sandbox mode (no upstream URL configured): point the gateway at the embedded emulators, with their demo
 * credentials as service credentials. Only main.ts calls this; tests build their Config the same way.
 */
import type { Config } from './config.js';
import { DEMO_TENANT, type Sandbox } from './sandbox/index.js';

export function configForSandbox(config: Config, sandbox: Sandbox): Config {
  const endpoint = (url: string) => ({ url, timeouts: { connectMs: 3_000, firstByteMs: 10_000, totalMs: 15_000 }, connections: 32 });
  return {
    ...config,
    upstreams: { cycle: endpoint(sandbox.cycle.url), cf: endpoint(sandbox.cf.url), dockercloud: endpoint(sandbox.dockercloud.url) },
    serviceCredentials: {
      cycle: { apiKey: DEMO_TENANT.cycle.apiKey, hubId: DEMO_TENANT.cycle.hubId },
      cf: { token: DEMO_TENANT.cf.token },
      dockercloud: { username: DEMO_TENANT.dockercloud.username, apiKey: DEMO_TENANT.dockercloud.apiKey },
    },
  };
}
