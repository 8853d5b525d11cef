/**
 * Prometheus metrics (prom-client), one registry per gateway instance: tests run several gateways in one process,
 * and the global registry would mix them. The instance is the server-wide UpstreamObserver and the loaders'
 * BatchObserver, and the request metrics plugin reports operations to it; nothing else calls prom-client.
 * README "Metrics" lists every series.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { UpstreamName } from '../config.js';
import type { BatchObserver } from '../loaders/observe.js';
import type { OperationOutcome } from '../plugins/outcome.js';
import type { CircuitState, ExchangeRecord, UpstreamObserver } from '../upstreams/shared/observer.js';
import type { SharedPollObserver } from '../subscriptions/sharedPolls.js';
import { OperationLabels } from './operationLabel.js';

export type PersistedQueryResult = 'hit' | 'miss' | 'register';

export interface MetricsOptions {
  /** Distinct operation names kept as label values (the rest count as `__other__`). @default 200 */
  maxOperationNames?: number;
  /** Node.js process metrics (`process_*`, `nodejs_*`). @default true */
  processMetrics?: boolean;
}

const SECONDS_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];
const BATCH_BUCKETS = [1, 2, 5, 10, 20, 50, 100];
const CIRCUIT_VALUES: Record<CircuitState, number> = { closed: 0, 'half-open': 1, open: 2 };

export class GatewayMetrics implements UpstreamObserver, SharedPollObserver {
  readonly registry = new Registry();
  readonly #operations: OperationLabels;
  readonly #graphqlRequests: Counter<'operation' | 'type' | 'outcome'>;
  readonly #graphqlDuration: Histogram<'operation' | 'type' | 'outcome'>;
  readonly #upstreamRequests: Counter<'upstream' | 'route' | 'method' | 'status'>;
  readonly #upstreamDuration: Histogram<'upstream' | 'route' | 'method' | 'status'>;
  readonly #retries: Counter<'upstream' | 'route' | 'reason'>;
  readonly #timeouts: Counter<'upstream' | 'route' | 'method'>;
  readonly #circuitState: Gauge<'upstream'>;
  readonly #circuitRejections: Counter<'upstream'>;
  readonly #batchSize: Histogram<'loader'>;
  readonly #persistedQueries: Counter<'result'>;
  readonly #subscriptionsActive: Gauge<'transport'>;
  readonly #subscriptionsRefused: Counter<'transport' | 'reason'>;
  readonly #sharedPolls: Gauge;
  readonly #pollReads: Counter<'resource' | 'outcome'>;

  constructor(options: MetricsOptions = {}) {
    const registers = [this.registry];
    this.#operations = new OperationLabels(options.maxOperationNames ?? 200);
    this.#graphqlRequests = new Counter({
      name: 'imagegraph_graphql_requests_total',
      help: 'GraphQL operations by operation name, type and outcome (success, partial, error)',
      labelNames: ['operation', 'type', 'outcome'],
      registers,
    });
    this.#graphqlDuration = new Histogram({
      name: 'imagegraph_graphql_request_duration_seconds',
      help: 'GraphQL operation duration, from request start to response, by operation name, type and outcome',
      labelNames: ['operation', 'type', 'outcome'],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.#upstreamRequests = new Counter({
      name: 'imagegraph_upstream_requests_total',
      help: 'HTTP exchanges with an upstream (each retry counts) by upstream, route template, method and status (HTTP status, timeout or error)',
      labelNames: ['upstream', 'route', 'method', 'status'],
      registers,
    });
    this.#upstreamDuration = new Histogram({
      name: 'imagegraph_upstream_request_duration_seconds',
      help: 'Duration of HTTP exchanges with an upstream, body included, by upstream, route template, method and status',
      labelNames: ['upstream', 'route', 'method', 'status'],
      buckets: SECONDS_BUCKETS,
      registers,
    });
    this.#retries = new Counter({
      name: 'imagegraph_upstream_retries_total',
      help: 'Retries of idempotent upstream reads by upstream, route template and reason (HTTP status or no_response)',
      labelNames: ['upstream', 'route', 'reason'],
      registers,
    });
    this.#timeouts = new Counter({
      name: 'imagegraph_upstream_timeouts_total',
      help: 'Upstream exchanges that timed out (connect, first byte or total) by upstream, route template and method',
      labelNames: ['upstream', 'route', 'method'],
      registers,
    });
    this.#circuitState = new Gauge({
      name: 'imagegraph_upstream_circuit_state',
      help: "Circuit breaker state per upstream: 0 closed, 1 half-open, 2 open (in cluster mode: the most open of the workers' breakers)",
      labelNames: ['upstream'],
      // Cluster mode aggregates every worker's registry: a sum of states would mean nothing.
      aggregator: 'max',
      registers,
    });
    this.#circuitRejections = new Counter({
      name: 'imagegraph_upstream_circuit_rejections_total',
      help: 'Upstream calls failed fast by an open circuit (no request sent)',
      labelNames: ['upstream'],
      registers,
    });
    this.#batchSize = new Histogram({
      name: 'imagegraph_dataloader_batch_size',
      help: 'Keys per DataLoader batch, by loader',
      labelNames: ['loader'],
      buckets: BATCH_BUCKETS,
      registers,
    });
    this.#persistedQueries = new Counter({
      name: 'imagegraph_persisted_queries_total',
      help: 'Automatic persisted query lookups and registrations: hit, miss (the client must send the query) or register',
      labelNames: ['result'],
      registers,
    });
    this.#subscriptionsActive = new Gauge({
      name: 'imagegraph_subscriptions_active',
      help: 'GraphQL subscriptions running now, by transport (websocket, sse)',
      labelNames: ['transport'],
      registers,
    });
    this.#subscriptionsRefused = new Counter({
      name: 'imagegraph_subscriptions_refused_total',
      help: 'WebSocket connections and SSE streams or reservations refused, by transport (websocket, sse) and reason (unauthenticated, too_many_subscriptions, stream_not_found, stream_forbidden, shutting_down, ...)',
      labelNames: ['transport', 'reason'],
      registers,
    });
    this.#sharedPolls = new Gauge({
      name: 'imagegraph_subscription_polls_active',
      help: 'Shared upstream polls running now: one per watched resource and caller credentials, however many subscribers',
      registers,
    });
    this.#pollReads = new Counter({
      name: 'imagegraph_subscription_poll_reads_total',
      help: 'Reads made by shared polls, by resource (cycle.job, cf.job, cycle.image, cf.package) and outcome (ok, error)',
      labelNames: ['resource', 'outcome'],
      registers,
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  /** The exposition text of every series. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  graphqlRequest(
    operationName: string | null | undefined,
    type: string | null | undefined,
    outcome: OperationOutcome,
    seconds: number,
  ): void {
    const labels = { operation: this.#operations.label(operationName), type: type ?? 'unknown', outcome };
    this.#graphqlRequests.inc(labels);
    this.#graphqlDuration.observe(labels, seconds);
  }

  persistedQuery(result: PersistedQueryResult): void {
    this.#persistedQueries.inc({ result });
  }

  exchanged(exchange: ExchangeRecord): void {
    const labels = {
      upstream: exchange.upstream,
      route: exchange.route,
      method: exchange.method,
      status: exchange.outcome === 'response' ? String(exchange.status) : exchange.outcome,
    };
    this.#upstreamRequests.inc(labels);
    this.#upstreamDuration.observe(labels, exchange.durationMs / 1000);
    if (exchange.outcome === 'timeout')
      this.#timeouts.inc({ upstream: exchange.upstream, route: exchange.route, method: exchange.method });
  }

  retrying(upstream: UpstreamName, route: string, reason: string): void {
    this.#retries.inc({ upstream, route, reason });
  }

  circuitChanged(upstream: UpstreamName, state: CircuitState): void {
    this.#circuitState.set({ upstream }, CIRCUIT_VALUES[state]);
  }

  circuitRejected(upstream: UpstreamName): void {
    this.#circuitRejections.inc({ upstream });
  }

  subscriptionsActive(transport: string, delta: number): void {
    this.#subscriptionsActive.inc({ transport }, delta);
  }

  subscriptionRefused(transport: string, reason: string): void {
    this.#subscriptionsRefused.inc({ transport, reason });
  }

  pollsRunning(count: number): void {
    this.#sharedPolls.set(count);
  }

  pollRead(resource: string, outcome: 'ok' | 'error'): void {
    this.#pollReads.inc({ resource, outcome });
  }

  readonly observeBatch: BatchObserver = (loader, size) => this.#batchSize.observe({ loader }, size);
}
