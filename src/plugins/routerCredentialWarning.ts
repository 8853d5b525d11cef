/**
 * Warns when federation traffic (an operation selecting `_entities` or `_service`, which only routers send) arrives
 * with no forwarded credential header while service credentials would answer it: the sign of a router that does not
 * propagate imagegraph's headers, so that every caller gets the service account's data. At most one line per
 * interval, so that a busy router does not flood the log.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { UPSTREAM_NAMES, type Config } from '../config.js';
import type { Context } from '../context.js';
import { FORWARDED_CREDENTIAL_HEADERS, hasForwardedCredentials } from '../credentials.js';
import type { Logger } from '../logging.js';

const FEDERATION_FIELDS = new Set(['_entities', '_service']);

export const ROUTER_WARNING_INTERVAL_MS = 60_000;

function federationField(operation: OperationDefinitionNode): string | undefined {
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind === Kind.FIELD && FEDERATION_FIELDS.has(selection.name.value)) return selection.name.value;
  }
  return undefined;
}

export function routerCredentialWarningPlugin(
  config: Config,
  logger: Logger,
  now: () => number = Date.now,
): ApolloServerPlugin<Context> {
  // The upstreams a request without forwarded headers would reach with the service account.
  const servedByService = UPSTREAM_NAMES.filter(
    (name) => config.serviceCredentials[name] !== undefined && config.credentialSources[name] !== 'forwarded',
  );
  if (servedByService.length === 0) return {};
  let lastWarning = -Infinity;
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, request }) {
          const field = operation ? federationField(operation) : undefined;
          if (field === undefined) return;
          const headers = Object.fromEntries(request.http?.headers ?? []);
          if (hasForwardedCredentials(headers)) return;
          const at = now();
          if (at - lastWarning < ROUTER_WARNING_INTERVAL_MS) return;
          lastWarning = at;
          logger.warn(
            {
              field,
              upstreams: servedByService,
              forwardedHeaders: Object.values(FORWARDED_CREDENTIAL_HEADERS),
            },
            `federation request (${field}) without forwarded credentials: answered with the service credentials of ${servedByService.join(', ')}; configure the router to propagate imagegraph's credential headers, or set <UPSTREAM>_CREDENTIALS=forwarded (docs/federation.md)`,
          );
        },
      };
    },
  };
}
