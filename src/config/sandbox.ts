import { DEMO_JOB_DURATION_MS } from '../sandbox/demo.js';
import type { SettingsReader } from './reader.js';
import { bool, int, setting } from './setting.js';
import { isLoopback, UPSTREAM_URLS, type UpstreamName } from './upstreams.js';

/** Sandbox mode: the embedded emulators in place of the upstreams. */

export const SANDBOX = setting({
  name: 'SANDBOX',
  type: bool(),
  defaultDoc: 'unset',
  example: '`true`, `false`',
  description:
    '`true`: serve the sandbox on any `HOST`; `false`: never. Unset: only with no upstream URL on a loopback `HOST`',
});
export const SANDBOX_JOB_DURATION_MS = setting({
  name: 'SANDBOX_JOB_DURATION_MS',
  type: int({ min: 0, max: 600_000 }),
  default: DEMO_JOB_DURATION_MS,
  example: '1000',
  description:
    "in sandbox mode, how long the emulators' jobs (imports, CF deletes and uploads) take: by default long enough to watch an import in GraphiQL",
});

export const sandboxSettings = [SANDBOX, SANDBOX_JOB_DURATION_MS];

/**
 * Sandbox mode only when asked for (SANDBOX=true), or by default when nothing upstream is configured and the gateway
 * listens on loopback only: demo data must never be served where others can reach it by accident.
 */
export function readSandboxMode(
  reader: SettingsReader,
  configuredUrls: readonly UpstreamName[],
  host: string,
): { mode: 'sandbox' | 'upstreams'; implicit: boolean } {
  const asked = reader.isSet(SANDBOX) ? reader.get(SANDBOX, false) : undefined;
  const urlNames = Object.values(UPSTREAM_URLS)
    .map((url) => url.name)
    .join(', ');
  if (configuredUrls.length > 0) {
    if (asked === true)
      reader.problem(
        `SANDBOX=true and ${configuredUrls.map((name) => UPSTREAM_URLS[name].name).join(', ')} exclude each other: the sandbox replaces the upstreams`,
      );
    return { mode: 'upstreams', implicit: false };
  }
  if (asked === true) return { mode: 'sandbox', implicit: false };
  if (asked === false) {
    reader.problem(`SANDBOX=false and no upstream is configured: set at least one of ${urlNames}`);
    return { mode: 'upstreams', implicit: false };
  }
  if (!isLoopback(host)) {
    reader.problem(
      `no upstream is configured and HOST=${host} is beyond loopback: set at least one of ${urlNames}, or SANDBOX=true to serve the sandbox's demo data there`,
    );
    return { mode: 'upstreams', implicit: false };
  }
  return { mode: 'sandbox', implicit: true };
}
