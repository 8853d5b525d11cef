/**
 * The per-request context: this request's credentials, upstream clients, loaders and trace. Nothing here outlives
 * the request, so no loader or cache can serve one caller's data to another.
 */
import type { Config } from './config.js';
import { resolveUpstreamAuth } from './credentials.js';
import { createLoaders, type Loaders } from './loaders/index.js';
import { createUpstreams, type UpstreamPools, type Upstreams } from './upstreams/index.js';
import { UpstreamTrace } from './upstreams/shared/trace.js';

export interface Context {
  config: Config;
  trace: UpstreamTrace;
  upstreams: Upstreams;
  loaders: Loaders;
}

export function createContext(config: Config, pools: UpstreamPools, headers: Readonly<Record<string, string | string[] | undefined>>): Context {
  const trace = new UpstreamTrace();
  const upstreams = createUpstreams(pools, resolveUpstreamAuth(headers, config.serviceCredentials), trace);
  return { config, trace, upstreams, loaders: createLoaders(upstreams) };
}
