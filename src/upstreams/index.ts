/**
 * The upstream layer's composition: connection pools live as long as the server (one per configured upstream);
 * clients are built per request around that request's credentials and trace.
 */
import { UPSTREAM_NAMES, type Config, type UpstreamName } from '../config.js';
import { CREDENTIAL_HINTS, type UpstreamAuth } from '../credentials.js';
import { CycleClient, decodeCycleError } from './cycle/index.js';
import { UpstreamCaller, UpstreamHttp, type ErrorDecoder } from './shared/httpClient.js';
import type { UpstreamTrace } from './shared/trace.js';

export type UpstreamPools = Partial<Record<UpstreamName, UpstreamHttp>>;

export interface Upstreams {
  cycle: CycleClient;
}

export function createUpstreamPools(config: Config): UpstreamPools {
  const pools: UpstreamPools = {};
  for (const name of UPSTREAM_NAMES) {
    const endpoint = config.upstreams[name];
    if (endpoint) pools[name] = new UpstreamHttp(name, endpoint);
  }
  return pools;
}

export async function closeUpstreamPools(pools: UpstreamPools): Promise<void> {
  await Promise.all(Object.values(pools).map((pool) => pool.close()));
}

const ERROR_DECODERS: Record<UpstreamName, ErrorDecoder> = {
  cycle: decodeCycleError,
  cf: () => ({}),
  dockercloud: () => ({}),
};

export function createUpstreams(pools: UpstreamPools, auth: UpstreamAuth, trace: UpstreamTrace): Upstreams {
  const caller = (name: UpstreamName) => new UpstreamCaller(name, pools[name], auth[name], CREDENTIAL_HINTS[name], trace, ERROR_DECODERS[name]);
  return { cycle: new CycleClient(caller('cycle')) };
}
