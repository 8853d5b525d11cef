/**
 * GraphQL over WebSocket (graphql-ws, the `graphql-transport-ws` protocol) on the gateway's port and path: the
 * HTTP server's `upgrade` event hands `/graphql` upgrades here. Per connection: the client check (upgrade headers or
 * `connection_init` payload), at most `maxPerConnection` subscriptions, closed after `idleTimeoutMs` without one,
 * pinged every `keepAliveMs` (ws ping frames; a missed pong closes it).
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  GraphQLError,
  parse,
  type ExecutionArgs,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { ServerOptions } from 'graphql-ws';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Config } from '../config.js';
import { ROUTER_HEADER } from '../plugins/routerCredentialWarning.js';
import { headersWithPayload, isClientAllowed, isOriginAllowed, type ClientCheck } from './connectionAuth.js';
import type { SubscriptionOperations } from './operations.js';
import { requestIdOf, type ReportRefusal } from './refusals.js';

export interface WebSocketTransportOptions {
  config: Config;
  schema: GraphQLSchema;
  operations: SubscriptionOperations;
  clientCheck: ClientCheck;
  reportRefusal: ReportRefusal;
}

interface Connection {
  requestId: string;
  headers: IncomingHttpHeaders;
  active: number;
  idle: NodeJS.Timeout | null;
  /** Formatted errors of refused subscriptions, by subscription id, until graphql-ws sends them. */
  refusals: Map<string, GraphQLFormattedError[]>;
  /** A router's connection without a valid gateway token: each of its subscriptions is answered UNAUTHENTICATED. */
  unauthenticatedRouter: boolean;
}

/** Close codes (4000-4999 are the application's; graphql-ws uses some 44xx of its own). */
const IDLE_CLOSE = { code: 4000, reason: 'Idle: no subscription' } as const;
/**
 * A missing or invalid gateway token: graphql-ws's Unauthorized code, which its client treats as final and reports at
 * once (on 4403 Forbidden, graphql-ws's default, it retries with backoff, in silence). The reason says what
 * to send (close reasons are at most 123 bytes).
 */
const UNAUTHENTICATED_CLOSE = {
  code: 4401,
  reason: 'Unauthenticated: send Authorization: Bearer <gateway token> in the upgrade or connection_init',
} as const;
const SHUTDOWN_CLOSE = { code: 1001, reason: 'The gateway is shutting down: reconnect' } as const;

/**
 * What a router's subscription gets when the router sent no valid gateway token. A router drops a close reason (Hive
 * Gateway relays a close as an error without a message) and masks a graphql-ws `error` message as an internal error,
 * but relays a result's errors as they are: so the router's connection is accepted, and each subscription on it is
 * one result with this error, then complete. Nothing the router sent is parsed or run.
 */
const UNAUTHENTICATED_ROUTER_ERROR: GraphQLFormattedError = {
  message:
    'Unauthenticated: the router sent no valid imagegraph gateway token (Authorization: Bearer <one of GATEWAY_TOKENS>)',
  extensions: { code: 'UNAUTHENTICATED' },
};
/** The document graphql-ws is given for such a subscription: it needs one to see the operation's type. */
const REFUSED_DOCUMENT = parse('subscription { __typename }');
/** Marks the execution arguments of such a subscription (its root value), for `subscribe` below. */
const REFUSED_ROOT = Object.freeze({ refused: 'unauthenticated router' });

async function* refusedStream(): AsyncGenerator<FormattedExecutionResult> {
  yield { data: null, errors: [UNAUTHENTICATED_ROUTER_ERROR] };
}

export interface WebSocketTransport {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Refuses new upgrades, then closes every connection (1001): call once subscriptions have completed. */
  close(): Promise<void>;
}

export function createWebSocketTransport(options: WebSocketTransportOptions): WebSocketTransport {
  const { config, schema, operations, clientCheck, reportRefusal } = options;
  const limits = config.subscriptions;
  const wss = new WebSocketServer({ noServer: true, maxPayload: config.limits.maxBodyBytes });
  const connections = new WeakMap<WebSocket, Connection>();
  let closing = false;

  const armIdle = (socket: WebSocket, connection: Connection) => {
    if (connection.active > 0 || connection.idle) return;
    connection.idle = setTimeout(() => socket.close(IDLE_CLOSE.code, IDLE_CLOSE.reason), limits.idleTimeoutMs);
    connection.idle.unref();
  };
  const connectionOf = (socket: WebSocket): Connection => {
    const connection = connections.get(socket);
    if (!connection) throw new Error('a WebSocket connection without its state');
    return connection;
  };

  const server = useServer(
    {
      connectionInitWaitTimeout: limits.connectionInitTimeoutMs,
      onConnect: async (ctx) => {
        const connection = connectionOf(ctx.extra.socket);
        connection.headers = headersWithPayload(ctx.extra.request.headers, ctx.connectionParams);
        if (await isClientAllowed(clientCheck, connection.headers)) return true;
        if (typeof connection.headers[ROUTER_HEADER] === 'string') {
          // Refused per subscription (onSubscribe), where the router relays why; idle, it closes as any connection.
          connection.unauthenticatedRouter = true;
          return true;
        }
        reportRefusal('websocket', 'unauthenticated', connection.requestId, UNAUTHENTICATED_CLOSE.reason);
        // Closed here, with the code and reason; graphql-ws's own close after `false` (4403) is then a no-op.
        ctx.extra.socket.close(UNAUTHENTICATED_CLOSE.code, UNAUTHENTICATED_CLOSE.reason);
        return false;
      },
      onSubscribe: (ctx, id, payload) => {
        const socket = ctx.extra.socket;
        const connection = connectionOf(socket);
        if (connection.unauthenticatedRouter) {
          const requestId = `${connection.requestId}:${id}`;
          reportRefusal('websocket', 'unauthenticated', requestId, UNAUTHENTICATED_ROUTER_ERROR.message);
          return { schema, document: REFUSED_DOCUMENT, rootValue: REFUSED_ROOT };
        }
        if (connection.active >= limits.maxPerConnection) {
          const message = `A connection may run ${limits.maxPerConnection} subscriptions at once: complete one first`;
          reportRefusal('websocket', 'too_many_subscriptions', `${connection.requestId}:${id}`, message);
          connection.refusals.set(id, [{ message, extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } }]);
          return [new GraphQLError('refused')];
        }
        const headers = { ...connection.headers, 'x-request-id': `${connection.requestId}:${id}` };
        const prepared = operations.prepare(payload, headers, 'websocket', () => {
          connection.active--;
          armIdle(socket, connection);
        });
        if ('errors' in prepared) {
          connection.refusals.set(id, prepared.errors);
          return [new GraphQLError('refused')];
        }
        connection.active++;
        if (connection.idle) clearTimeout(connection.idle);
        connection.idle = null;
        return prepared.args;
      },
      onError: (ctx, id) => {
        const connection = connectionOf(ctx.extra.socket);
        const refusal = connection.refusals.get(id);
        connection.refusals.delete(id);
        return refusal;
      },
      // Its results are formatted already (GraphQLFormattedErrors, not GraphQLErrors): onNext sends them as they are.
      subscribe: ((args: ExecutionArgs) =>
        args.rootValue === REFUSED_ROOT ? refusedStream() : operations.subscribe(args)) as unknown as NonNullable<
        ServerOptions['subscribe']
      >,
      onNext: (_ctx, _id, _payload, _args, result) => result as FormattedExecutionResult,
    },
    wss,
    limits.keepAliveMs,
  );

  return {
    handleUpgrade(req, socket, head) {
      const path = (req.url ?? '/').split('?')[0];
      const requestId = requestIdOf(req.headers);
      const refuse = (status: string) => {
        socket.end(`HTTP/1.1 ${status}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      };
      if (path !== '/graphql') return refuse('404 Not Found');
      if (closing) {
        reportRefusal('websocket', 'shutting_down', requestId, 'upgrade during shutdown');
        return refuse('503 Service Unavailable');
      }
      if (!isOriginAllowed(req.headers, config.corsOrigins)) {
        reportRefusal('websocket', 'origin_not_allowed', requestId, `origin ${String(req.headers.origin)}`);
        return refuse('403 Forbidden');
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        const connection: Connection = {
          requestId,
          headers: req.headers,
          active: 0,
          idle: null,
          refusals: new Map(),
          unauthenticatedRouter: false,
        };
        connections.set(ws, connection);
        ws.once('close', () => connection.idle && clearTimeout(connection.idle));
        armIdle(ws, connection);
        wss.emit('connection', ws, req);
      });
    },
    async close() {
      closing = true;
      for (const client of wss.clients) client.close(SHUTDOWN_CLOSE.code, SHUTDOWN_CLOSE.reason);
      await server.dispose();
    },
  };
}
