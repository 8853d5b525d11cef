/**
 * The per-request context: this request's credentials, upstream clients, loaders and trace. Nothing here outlives
 * the request, so no loader or cache can serve one caller's data to another.
 */
import type { Config } from './config.js';
import { resolveUpstreamAuth } from './credentials.js';
import { createLoaders, type Loaders } from './loaders/index.js';
import { SecretSet, secretsInHeaders } from './secrets.js';
import { createUpstreams, type UpstreamPools, type Upstreams } from './upstreams/index.js';
import { RetryBudget } from './upstreams/shared/resilience.js';
import { UpstreamTrace } from './upstreams/shared/trace.js';

export interface Context {
  config: Config;
  /** From the `x-request-id` header (set by the HTTP layer when the client sent none); in every log line. */
  requestId: string;
  /** This request's secrets (credentials, secret inputs): scrubbed from its errors and log lines. */
  secrets: SecretSet;
  trace: UpstreamTrace;
  upstreams: Upstreams;
  loaders: Loaders;
}

export function createContext(config: Config, pools: UpstreamPools, headers: Readonly<Record<string, string | string[] | undefined>>): Context {
  const trace = new UpstreamTrace();
  const secrets = new SecretSet();
  secrets.addAll(secretsInHeaders(headers));
  const upstreams = createUpstreams(pools, resolveUpstreamAuth(headers, config.serviceCredentials), trace, new RetryBudget(config.retryBudgetPerRequest));
  const requestId = String(headers['x-request-id'] ?? '');
  return { config, requestId, secrets, trace, upstreams, loaders: createLoaders(upstreams) };
}
