/**
 * What `npm start` and `npm run sandbox` print about the emulators: where they listen and the demo credentials each
 * accepts. A light module: it loads none of the emulators.
 */
import { DEMO_TENANT } from './shared/credentials.js';

/** Where the emulators listen (a running Sandbox has these, and so does a SandboxThread). */
export interface SandboxUrls {
  cycle: { url: string };
  cf: { url: string };
  dockercloud: { url: string };
}

export function describeSandbox(sandbox: SandboxUrls): string {
  const t = DEMO_TENANT;
  return [
    `  Cycle         ${sandbox.cycle.url}   Authorization: Bearer ${t.cycle.apiKey}   X-Hub-Id: ${t.cycle.hubId}`,
    `  Cloud Foundry ${sandbox.cf.url}   Authorization: Bearer ${t.cf.token}   (or UAA client ${t.cf.client.id}:${t.cf.client.secret})`,
    `  Docker Cloud  ${sandbox.dockercloud.url}   Basic auth ${t.dockercloud.username}:${t.dockercloud.apiKey}`,
  ].join('\n');
}
