/**
 * Subscription operations, whatever the transport. Apollo Server does not execute subscriptions, so the pipeline's
 * shared steps (src/pipeline/operation.ts: parse, validation and limits, cost, variable coercion, each with the
 * code HTTP gives it) run here, then the same formatError masking and secret scrubbing (of the whole event). Each event executes with a
 * fresh context (loaders, trace, retry budget), as a request would, so no event reads another's cached values, and
 * is sent only when its result differs from the subscriber's previous one. One log line and one
 * `imagegraph_graphql_requests_total` count per subscription, when it ends.
 */
import {
  createSourceEventStream,
  execute,
  GraphQLError,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { Span } from '@opentelemetry/api';
import type { Config } from '../config.js';
import { createContext, type Context, type ContextServices } from '../context.js';
import type { Logger } from '../logging.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { badRequest, DocumentChecks, type CheckedOperation, type OperationRequest } from '../pipeline/operation.js';
import { endOperationSpan, logUnexpectedErrors } from '../pipeline/report.js';
import { checkRouterCredentials, intervalGate, routerCredentialLog } from '../plugins/routerCredentialWarning.js';
import { holdsSecret, scrubError, scrubValue, tooManySecretsError } from '../plugins/secretScrubbing.js';
import { SecretInputs } from '../secretInputs.js';
import type { SecretSet } from '../secrets.js';
import type { UpstreamPools } from '../upstreams/index.js';
import type { ReportRefusal } from './refusals.js';
import type { SharedPolls } from './sharedPolls.js';

export type Transport = 'websocket' | 'sse';

/** The operation as a client sent it (graphql-ws `subscribe` payload, graphql-sse request parameters). */
export type SubscriptionRequest = OperationRequest;

export type Headers = Readonly<Record<string, string | string[] | undefined>>;

export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

export interface SubscriptionOperationsOptions {
  schema: GraphQLSchema;
  config: Config;
  pools: UpstreamPools;
  polls: SharedPolls;
  services: ContextServices;
  /** Apollo's formatError (formatError.ts): the same masking as every other response. */
  formatError: FormatError;
  logger: Logger;
  metrics: GatewayMetrics;
  reportRefusal: ReportRefusal;
}

/** One subscription, from its acceptance to its end. */
interface Run {
  transport: Transport;
  headers: Headers;
  operationName: string | null;
  started: number;
  events: number;
  eventsWithData: number;
  upstreamCalls: number;
  codes: Set<string>;
  onEnd: (() => void) | undefined;
  /** Its OpenTelemetry operation span, from acceptance to end; null when tracing is off. */
  span: Span | null;
}

export class SubscriptionOperations {
  readonly #runs = new WeakMap<Context, Run>();
  readonly #checks: DocumentChecks;
  readonly #secretInputs: SecretInputs;
  #active = 0;
  #idle: (() => void)[] = [];

  /** Router traffic without credentials is logged at most once a minute (plugins/routerCredentialWarning.ts). */
  readonly #mayLogRouterTraffic = intervalGate();

  constructor(private readonly options: SubscriptionOperationsOptions) {
    this.#checks = new DocumentChecks(options.schema, options.config);
    this.#secretInputs = new SecretInputs(options.schema);
  }

  /** Subscriptions running now, over every transport. */
  get active(): number {
    return this.#active;
  }

  /** Resolves once no subscription runs. */
  whenIdle(): Promise<void> {
    if (this.#active === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /**
   * The arguments `subscribe` runs, or the errors that refuse the operation before any upstream request (formatted
   * as every response's are). `onEnd` is called once when the subscription ends, however it ends.
   */
  prepare(
    request: SubscriptionRequest,
    headers: Headers,
    transport: Transport,
    onEnd?: () => void,
  ): { args: ExecutionArgs } | { errors: GraphQLFormattedError[] } {
    const context = createContext(this.options.config, this.options.pools, headers, this.options.services);
    const run: Run = {
      transport,
      headers,
      operationName: typeof request.operationName === 'string' ? request.operationName : null,
      started: performance.now(),
      events: 0,
      eventsWithData: 0,
      upstreamCalls: 0,
      codes: new Set(),
      onEnd,
      span: context.spans?.startOperation() ?? null,
    };
    const refused = (errors: readonly GraphQLError[]) => {
      const formatted = this.#formatErrors(errors, context, run);
      this.#log(run, context, 'refused');
      return { errors: formatted };
    };
    const prepared = this.#check(request);
    if ('errors' in prepared) return refused(prepared.errors);
    const { document, variables, operation } = prepared;
    // The operation's own name, as Apollo reports an HTTP operation's: the document's, when the client named none.
    run.operationName = operation.name?.value ?? run.operationName;
    const routerCheck = checkRouterCredentials(this.options.config, operation, headers);
    if (routerCheck.outcome !== 'served' && this.#mayLogRouterTraffic())
      this.options.logger.warn(...routerCredentialLog(routerCheck));
    if (routerCheck.outcome === 'refused') return refused([routerCheck.error]);
    if (this.#active >= this.options.config.subscriptions.maxTotal) {
      this.options.reportRefusal(
        transport,
        'too_many_subscriptions',
        context.requestId,
        `SUBSCRIPTIONS_MAX (${this.options.config.subscriptions.maxTotal}) reached`,
      );
      return refused([
        new GraphQLError(
          `The gateway runs its limit of ${this.options.config.subscriptions.maxTotal} subscriptions: try again later`,
          { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } },
        ),
      ]);
    }
    if (!this.#secretInputs.collect(document, variables, context.secrets)) return refused([tooManySecretsError()]);
    context.polls = this.options.polls;
    this.#runs.set(context, run);
    return {
      args: {
        schema: this.options.schema,
        document,
        variableValues: variables,
        operationName: run.operationName,
        contextValue: context,
      },
    };
  }

  /** The pipeline's checks, and that the operation is a subscription. */
  #check(request: SubscriptionRequest): CheckedOperation | { errors: readonly GraphQLError[] } {
    const checked = this.#checks.check(request);
    if ('errors' in checked) return checked;
    if (checked.operation.operation !== 'subscription')
      return {
        errors: [
          badRequest(
            `Only subscriptions are served over WebSocket and Server-Sent Events; send this ${checked.operation.operation} to POST /graphql`,
          ),
        ],
      };
    return checked;
  }

  /** Runs prepared arguments: the stream of formatted results, or one result when the subscription cannot start. */
  readonly subscribe = async (
    args: ExecutionArgs,
  ): Promise<AsyncIterableIterator<FormattedExecutionResult> | FormattedExecutionResult> => {
    const context = args.contextValue as Context;
    const run = this.#runs.get(context);
    if (!run) throw new Error('subscribe() runs only what prepare() accepted');
    this.#runs.delete(context);
    this.#active++;
    this.options.metrics.subscriptionsActive(run.transport, 1);
    let ended = false;
    const end = (how: string) => {
      if (ended) return;
      ended = true;
      this.#active--;
      this.options.metrics.subscriptionsActive(run.transport, -1);
      run.onEnd?.();
      this.#log(run, context, how);
      if (this.#active === 0) for (const resolve of this.#idle.splice(0)) resolve();
    };
    let stream: AsyncIterable<unknown> | ExecutionResult;
    try {
      stream = await createSourceEventStream(args);
    } catch (error) {
      end('failed');
      throw error;
    }
    if (!(Symbol.asyncIterator in stream)) {
      const result = this.#formatResult(stream as ExecutionResult, context, run);
      end('refused');
      return result;
    }
    // The subscriber's last result: an event whose selected data did not change is not sent again.
    let previous: string | undefined;
    return mapStream(
      (stream as AsyncIterable<unknown>)[Symbol.asyncIterator](),
      async (event) => {
        const eventContext = this.#eventContext(context, run);
        const result = await execute({ ...args, rootValue: event, contextValue: eventContext });
        run.upstreamCalls += eventContext.trace.calls;
        const fingerprint = JSON.stringify(result);
        if (fingerprint === previous) return SKIP;
        previous = fingerprint;
        return this.#formatResult(result, context, run);
      },
      (how) => end(how === 'settled' && run.codes.has('SHUTTING_DOWN') ? 'shutdown' : how),
    );
  };

  /** A context like the request's, but with its own loaders, trace and retry budget; the secrets are the request's. */
  #eventContext(base: Context, run: Run): Context {
    const context = createContext(this.options.config, this.options.pools, run.headers, this.options.services);
    context.secrets = base.secrets;
    return context;
  }

  #formatResult(result: ExecutionResult, context: Context, run: Run): FormattedExecutionResult {
    run.events++;
    if (result.data) run.eventsWithData++;
    const data = scrubbedData(result.data ?? null, context.secrets);
    if (!result.errors || result.errors.length === 0) return { data };
    return { data, errors: this.#formatErrors(result.errors, context, run) };
  }

  #formatErrors(errors: readonly GraphQLError[], context: Context, run: Run): GraphQLFormattedError[] {
    const formatted = errors.map((error) => {
      const one = scrubError(this.options.formatError(error.toJSON(), error), context.secrets);
      run.codes.add(String(one.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
      return one;
    });
    // What formatError masked as internal is a bug: logged once, with its stack, as over HTTP.
    const unexpected = errors.filter((_, i) => formatted[i]!.extensions?.code === 'INTERNAL_SERVER_ERROR');
    logUnexpectedErrors(this.options.logger, context.requestId, unexpected, context.secrets);
    return formatted;
  }

  #log(run: Run, context: Context, ended: string): void {
    const codes = [...run.codes];
    const outcome = codes.length === 0 ? 'success' : run.eventsWithData > 0 ? 'partial' : 'error';
    const seconds = (performance.now() - run.started) / 1000;
    this.options.metrics.graphqlRequest(run.operationName, 'subscription', outcome, seconds);
    if (run.span) endOperationSpan(run.span, { type: 'subscription', name: run.operationName, codes, outcome });
    this.options.logger.info(
      {
        requestId: context.requestId,
        transport: run.transport,
        operationName: run.operationName,
        operationType: 'subscription',
        outcome,
        ended,
        events: run.events,
        durationMs: Math.round(seconds * 100_000) / 100,
        upstreamCalls: run.upstreamCalls,
        errorCodes: codes,
        ...(context.spans ? { traceId: context.spans.traceId } : {}),
      },
      'graphql subscription',
    );
  }
}

/**
 * An event's data scrubbed of the request's secrets, as HTTP answers are (http/graphql.ts): an upstream may echo a
 * credential into a field the subscription selects. Costs nothing without secrets, else one search per secret in
 * each string; the data is copied only when it holds one.
 */
function scrubbedData(
  data: ExecutionResult['data'] | null,
  secrets: SecretSet,
): FormattedExecutionResult['data'] | null {
  if (data === null || secrets.size === 0 || !holdsSecret(data, secrets)) return data;
  return scrubValue(data, secrets) as ExecutionResult['data'];
}

/** What `map` returns for a source value that gives no event. */
const SKIP: unique symbol = Symbol('skip');

/**
 * `source` mapped through `map` (values mapped to SKIP are left out). Ending it (return()) ends the source at once,
 * even while a read of the source is pending: an async generator would wait for that read, and a quiet resource may
 * not change for minutes.
 */
function mapStream<S, R>(
  source: AsyncIterator<S>,
  map: (value: S) => Promise<R | typeof SKIP>,
  onEnd: (how: string) => void,
): AsyncIterableIterator<R> {
  const done = { value: undefined, done: true } as const;
  return {
    async next() {
      try {
        for (;;) {
          const next = await source.next();
          if (next.done) {
            onEnd('settled');
            return done;
          }
          const value = await map(next.value);
          if (value !== SKIP) return { value, done: false };
        }
      } catch (error) {
        onEnd('failed');
        throw error;
      }
    },
    async return() {
      onEnd('client');
      await source.return?.();
      return done;
    },
    async throw(error: unknown) {
      onEnd('failed');
      await source.return?.();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
