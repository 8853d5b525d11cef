/**
 * Whether each upstream is configured, credentialed (service credentials) and reachable with them: one cheap
 * authenticated read each, no retry, within `timeoutMs`. Logged at start-up (main.ts), and part of `/readyz` with
 * READINESS_PROBES_UPSTREAMS=true.
 */
import { UPSTREAM_LABELS, UPSTREAM_NAMES, type Config, type UpstreamName } from '../config.js';
import { CREDENTIAL_HINTS, resolveUpstreamAuth, type RenewingServiceCredentials } from '../credentials.js';
import { isUpstreamError } from '../errors.js';
import { CF_PROBE } from './cf/probe.js';
import { CYCLE_PROBE } from './cycle/probe.js';
import { DOCKER_CLOUD_PROBE } from './dockercloud/probe.js';
import { ERROR_DECODERS, type UpstreamPools } from './index.js';
import { RequestDeadline } from './shared/deadline.js';
import { UpstreamCaller, type UpstreamRequest } from './shared/httpClient.js';
import { RetryBudget } from './shared/resilience.js';
import { UpstreamTrace } from './shared/trace.js';

export interface UpstreamStatus {
  upstream: UpstreamName;
  configured: boolean;
  credentialed: boolean;
  /** True when the probe was answered 2xx; null when not probed (not configured, or no service credentials). */
  reachable: boolean | null;
  detail: string;
}

const PROBES: Record<UpstreamName, UpstreamRequest> = {
  cycle: CYCLE_PROBE,
  cf: CF_PROBE,
  dockercloud: DOCKER_CLOUD_PROBE,
};

export function probeUpstreams(
  config: Config,
  pools: UpstreamPools,
  renewing: RenewingServiceCredentials,
  timeoutMs: number,
): Promise<UpstreamStatus[]> {
  const auth = resolveUpstreamAuth({}, config.serviceCredentials, { renewing });
  return Promise.all(
    UPSTREAM_NAMES.map(async (upstream): Promise<UpstreamStatus> => {
      const label = UPSTREAM_LABELS[upstream];
      const pool = pools[upstream];
      if (!pool) return { upstream, configured: false, credentialed: false, reachable: null, detail: 'not configured' };
      const credential = auth[upstream];
      if (!credential)
        return {
          upstream,
          configured: true,
          credentialed: false,
          reachable: null,
          detail: `no service credentials: each caller forwards its own (${CREDENTIAL_HINTS[upstream]})`,
        };
      const caller = new UpstreamCaller(
        upstream,
        pool,
        credential,
        CREDENTIAL_HINTS[upstream],
        new UpstreamTrace(),
        ERROR_DECODERS[upstream],
        new RetryBudget(0),
        new RequestDeadline(timeoutMs),
      );
      try {
        await caller.call(PROBES[upstream]);
        return { upstream, configured: true, credentialed: true, reachable: true, detail: `${label} answered` };
      } catch (error) {
        const detail = isUpstreamError(error) ? error.message : `${label} probe failed`;
        return { upstream, configured: true, credentialed: true, reachable: false, detail };
      }
    }),
  );
}
