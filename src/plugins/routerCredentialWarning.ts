/**
 * Router traffic without forwarded credentials (issue 24). A router serves many callers; if it forwards none of
 * imagegraph's credential headers and imagegraph answers with its service credentials, every caller of the router,
 * whatever tenant, sees the service account's data. So a router-originated operation that reads an upstream, carries
 * no forwarded credential header, and would be answered by service credentials (an upstream with service credentials
 * and `<UPSTREAM>_CREDENTIALS=either`) is refused with `ROUTER_CREDENTIALS_MISSING` before any upstream request,
 * unless ROUTER_SERVICE_CREDENTIALS=allowed says that the service account is meant for every caller; then it is
 * served and a warning is logged (at most one a minute, so a busy router does not flood the log).
 *
 * Router-originated: the operation selects `_entities` (only routers send it), or the request (HTTP headers, or a
 * WebSocket's upgrade headers and `connection_init` payload) carries `x-imagegraph-router`, which every documented
 * router configuration sends (docs/federation.md). Neither a router's header set nor its WebSocket upgrade can be told
 * from a direct client's by anything else that routers send by default, so direct callers keep the service fallback.
 * `_service` and introspection read no upstream and stay open to routers (composition needs them).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, type OperationDefinitionNode } from 'graphql';
import { UPSTREAM_NAMES, type Config, type UpstreamName } from '../config.js';
import type { Context } from '../context.js';
import { FORWARDED_CREDENTIAL_HEADERS, hasForwardedCredentials } from '../credentials.js';
import type { Logger } from '../logging.js';

/** The header every documented router configuration sends to imagegraph, naming the router. */
export const ROUTER_HEADER = 'x-imagegraph-router';

export const ROUTER_WARNING_INTERVAL_MS = 60_000;

/** Root fields that read no upstream: a router may send them without credentials. */
const UPSTREAM_FREE_FIELDS = new Set(['_service', '__typename', '__schema', '__type']);

type HeaderSource = Readonly<Record<string, string | string[] | undefined>>;

/** Why an operation counts as router-originated, or undefined when it does not (or reads no upstream). */
function routerSignal(operation: OperationDefinitionNode, headers: HeaderSource): string | undefined {
  const fields = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
  const readsUpstreams = operation.selectionSet.selections.some(
    (s) => s.kind !== Kind.FIELD || !UPSTREAM_FREE_FIELDS.has(s.name.value),
  );
  if (!readsUpstreams) return undefined;
  if (fields.includes('_entities')) return '_entities';
  const router = headers[ROUTER_HEADER];
  if (router !== undefined && String(router).trim() !== '') return ROUTER_HEADER;
  return undefined;
}

/** The upstreams a request without forwarded headers would reach with the service account. */
export function upstreamsServedByService(config: Config): UpstreamName[] {
  return UPSTREAM_NAMES.filter(
    (name) => config.serviceCredentials[name] !== undefined && config.credentialSources[name] === 'either',
  );
}

/** What the guard decided for one operation. */
export type RouterCredentialCheck =
  | { outcome: 'served' }
  | { outcome: 'refused'; error: GraphQLError; signal: string; upstreams: UpstreamName[] }
  | { outcome: 'allowed'; signal: string; upstreams: UpstreamName[] };

/** The guard itself, shared by POST /graphql (the plugin below) and the subscription transports. */
export function checkRouterCredentials(
  config: Config,
  operation: OperationDefinitionNode,
  headers: HeaderSource,
): RouterCredentialCheck {
  const upstreams = upstreamsServedByService(config);
  if (upstreams.length === 0) return { outcome: 'served' };
  const signal = routerSignal(operation, headers);
  if (signal === undefined || hasForwardedCredentials(headers)) return { outcome: 'served' };
  if (config.routerServiceCredentials === 'allowed') return { outcome: 'allowed', signal, upstreams };
  const error = new GraphQLError(
    `A router (${signal}) forwarded none of imagegraph's credential headers (${Object.values(FORWARDED_CREDENTIAL_HEADERS).join(', ')}); ` +
      `imagegraph does not answer router traffic with its service credentials: configure the router to forward them (docs/federation.md)`,
    { extensions: { code: 'ROUTER_CREDENTIALS_MISSING' } },
  );
  return { outcome: 'refused', error, signal, upstreams };
}

/** Log fields and message of a router request that carried no credentials. */
export function routerCredentialLog(
  check: Exclude<RouterCredentialCheck, { outcome: 'served' }>,
): [Record<string, unknown>, string] {
  const fields = {
    signal: check.signal,
    outcome: check.outcome,
    upstreams: check.upstreams,
    forwardedHeaders: Object.values(FORWARDED_CREDENTIAL_HEADERS),
  };
  const what =
    check.outcome === 'refused'
      ? 'refused (ROUTER_CREDENTIALS_MISSING)'
      : `answered with the service credentials of ${check.upstreams.join(', ')} (ROUTER_SERVICE_CREDENTIALS=allowed)`;
  return [
    fields,
    `router request (${check.signal}) without forwarded credentials: ${what}; configure the router to propagate imagegraph's credential headers (docs/federation.md)`,
  ];
}

/** At most one log line per interval. */
export function intervalGate(now: () => number = Date.now): () => boolean {
  let last = -Infinity;
  return () => {
    const at = now();
    if (at - last < ROUTER_WARNING_INTERVAL_MS) return false;
    last = at;
    return true;
  };
}

export function routerCredentialWarningPlugin(
  config: Config,
  logger: Logger,
  now: () => number = Date.now,
): ApolloServerPlugin<Context> {
  if (upstreamsServedByService(config).length === 0) return {};
  const mayLog = intervalGate(now);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          if (!operation) return;
          const headers = Object.fromEntries(request.http?.headers ?? []);
          const check = checkRouterCredentials(config, operation, headers);
          if (check.outcome === 'served') return;
          if (mayLog()) logger.warn(...routerCredentialLog(check));
          // Answered 200, as GraphQL errors are, so that routers pass the code on to their callers.
          if (check.outcome === 'refused')
            throw new GraphQLError(check.error.message, {
              extensions: { ...check.error.extensions, http: { status: 200 } },
            });
        },
      };
    },
  };
}
