/**
 * Subscription clients for tests, made with the libraries a real client uses: graphql-ws over `ws`, graphql-sse
 * over fetch. Each subscription collects its events and settles when the server completes it (or fails it).
 */
import { createClient as createWsClient, type Client as WsClient, type ClientOptions } from 'graphql-ws';
import { createClient as createSseClient, type Client as SseClient } from 'graphql-sse';
import WebSocket from 'ws';

export interface Watched {
  events: { data?: any; errors?: { message: string; extensions?: Record<string, any> }[] }[];
  /** Resolves when the server completes the subscription; rejects when it fails it (an `error` message, a close). */
  ended: Promise<void>;
  /** Resolves with the first event. */
  first: Promise<void>;
  /** Unsubscribes (the client's `complete`). */
  stop(): void;
}

type Subscribable = Pick<WsClient, 'subscribe'> | Pick<SseClient, 'subscribe'>;

export function watch(
  client: Subscribable,
  query: string,
  variables: Record<string, unknown> = {},
  operationName?: string,
): Watched {
  const events: Watched['events'] = [];
  let gotFirst!: () => void;
  const first = new Promise<void>((resolve) => (gotFirst = resolve));
  let stop!: () => void;
  const ended = new Promise<void>((resolve, reject) => {
    stop = client.subscribe(
      { query, variables, ...(operationName ? { operationName } : {}) },
      {
        next: (event) => {
          events.push(event as Watched['events'][number]);
          gotFirst();
        },
        error: reject,
        complete: resolve,
      },
    );
  });
  return { events, ended, first, stop: () => stop() };
}

export function wsClient(gatewayUrl: string, options: Partial<ClientOptions> = {}): WsClient {
  return createWsClient({
    url: `${gatewayUrl.replace(/^http/, 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    ...options,
  });
}

export function sseClient(gatewayUrl: string, headers: Record<string, string> = {}): SseClient {
  return createSseClient({ url: `${gatewayUrl}/graphql`, headers, retryAttempts: 0 });
}
