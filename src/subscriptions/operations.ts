/**
 * Subscription operations, whatever the transport: what Apollo Server does for a request, done here because Apollo
 * does not execute subscriptions. Each operation is parsed with the same token limit, validated with the same rules
 * (graphql-js's, the depth/alias/directive limits, no introspection when it is off), refused above the same cost
 * limit, and its errors go through the same formatError masking and secret scrubbing. Each event executes with a
 * fresh context (loaders, trace, retry budget), as a request would, so no event reads another's cached values. One
 * log line and one `imagegraph_graphql_requests_total` count per subscription, when it ends.
 */
import {
  createSourceEventStream,
  execute,
  getOperationAST,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from 'graphql';
import type { Config } from '../config.js';
import { createContext, type Context, type ContextServices } from '../context.js';
import type { Logger } from '../logging.js';
import type { GatewayMetrics } from '../observability/metrics.js';
import { createCostCheck, limitValidationRules, type CostCheck } from '../plugins/requestLimits.js';
import { scrubError, tooManySecretsError } from '../plugins/secretScrubbing.js';
import { checkVariablesShape } from '../inputShape.js';
import { SecretInputs } from '../secretInputs.js';
import type { UpstreamPools } from '../upstreams/index.js';
import type { SharedPolls } from './sharedPolls.js';

export type Transport = 'websocket' | 'sse';

/** The operation as a client sent it (graphql-ws `subscribe` payload, graphql-sse request parameters). */
export interface SubscriptionRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

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
}

export class SubscriptionOperations {
  readonly #runs = new WeakMap<Context, Run>();
  readonly #rules;
  readonly #costCheck: CostCheck;
  readonly #secretInputs: SecretInputs;
  #active = 0;
  #idle: (() => void)[] = [];

  constructor(private readonly options: SubscriptionOperationsOptions) {
    const { config } = options;
    this.#rules = [
      ...specifiedRules,
      ...limitValidationRules(config.limits),
      ...(config.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
    ];
    this.#costCheck = createCostCheck(options.schema, config.limits);
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
    };
    const refused = (errors: readonly GraphQLError[]) => {
      const formatted = this.#formatErrors(errors, context, run);
      this.#log(run, context, 'refused');
      return { errors: formatted };
    };
    const prepared = this.#check(request);
    if ('errors' in prepared) return refused(prepared.errors);
    const { document, variables } = prepared;
    if (this.#active >= this.options.config.subscriptions.maxTotal)
      return refused([
        new GraphQLError(
          `The gateway runs its limit of ${this.options.config.subscriptions.maxTotal} subscriptions: try again later`,
          { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS' } },
        ),
      ]);
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

  /** Parse, validate, cost: what Apollo checks before executing. */
  #check(
    request: SubscriptionRequest,
  ): { document: DocumentNode; variables: Record<string, unknown> | null } | { errors: readonly GraphQLError[] } {
    if (typeof request.query !== 'string' || request.query.trim() === '')
      return { errors: [badRequest('The operation needs a `query`: a GraphQL document, as a string')] };
    const variables = request.variables ?? null;
    if (variables !== null && (typeof variables !== 'object' || Array.isArray(variables)))
      return { errors: [badRequest('`variables` must be an object')] };
    const badShape = checkVariablesShape(variables, this.options.config.limits.variables);
    if (badShape) return { errors: [badShape] };
    let document: DocumentNode;
    try {
      document = parse(request.query, { maxTokens: this.options.config.limits.maxTokens });
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [withCode(error, 'GRAPHQL_PARSE_FAILED')] };
      throw error;
    }
    const invalid = validate(this.options.schema, document, this.#rules);
    if (invalid.length > 0) return { errors: invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED')) };
    const operationName = typeof request.operationName === 'string' ? request.operationName : null;
    const operation = getOperationAST(document, operationName);
    if (!operation) return { errors: [badRequest('The document names no operation to run: give `operationName`')] };
    if (operation.operation !== 'subscription')
      return {
        errors: [
          badRequest(
            `Only subscriptions are served over WebSocket and Server-Sent Events; send this ${operation.operation} to POST /graphql`,
          ),
        ],
      };
    const tooCostly = this.#costCheck(document, operationName, variables as Record<string, unknown> | null);
    if (tooCostly) return { errors: [tooCostly] };
    return { document, variables: variables as Record<string, unknown> | null };
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
    return mapStream(
      (stream as AsyncIterable<unknown>)[Symbol.asyncIterator](),
      async (event) => {
        const eventContext = this.#eventContext(context, run);
        const result = await execute({ ...args, rootValue: event, contextValue: eventContext });
        run.upstreamCalls += eventContext.trace.calls;
        return this.#formatResult(result, context, run);
      },
      end,
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
    if (!result.errors || result.errors.length === 0) return { data: result.data ?? null };
    return { data: result.data ?? null, errors: this.#formatErrors(result.errors, context, run) };
  }

  #formatErrors(errors: readonly GraphQLError[], context: Context, run: Run): GraphQLFormattedError[] {
    return errors.map((error) => {
      const formatted = scrubError(this.options.formatError(error.toJSON(), error), context.secrets);
      const code = String(formatted.extensions?.code ?? 'INTERNAL_SERVER_ERROR');
      run.codes.add(code);
      if (code === 'INTERNAL_SERVER_ERROR') {
        const cause = error.originalError ?? error;
        this.options.logger.error(
          {
            requestId: context.requestId,
            err: {
              type: cause.name,
              message: context.secrets.scrub(cause.message),
              stack: context.secrets.scrub(cause.stack ?? ''),
            },
            path: error.path,
          },
          'unexpected error',
        );
      }
      return formatted;
    });
  }

  #log(run: Run, context: Context, ended: string): void {
    const codes = [...run.codes];
    const outcome = codes.length === 0 ? 'success' : run.eventsWithData > 0 ? 'partial' : 'error';
    const seconds = (performance.now() - run.started) / 1000;
    this.options.metrics.graphqlRequest(run.operationName, 'subscription', outcome, seconds);
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
      },
      'graphql subscription',
    );
  }
}

/**
 * `source` mapped through `map`. Ending it (return()) ends the source at once, even while a read of the source is
 * pending: an async generator would wait for that read, and a quiet resource may not change for minutes.
 */
function mapStream<S, R>(
  source: AsyncIterator<S>,
  map: (value: S) => Promise<R>,
  onEnd: (how: string) => void,
): AsyncIterableIterator<R> {
  const done = { value: undefined, done: true } as const;
  return {
    async next() {
      try {
        const next = await source.next();
        if (next.done) {
          onEnd('settled');
          return done;
        }
        return { value: await map(next.value), done: false };
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

function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } });
}

/** The error with Apollo's code for its kind (formatError turns limit rejections into their own codes). */
function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    extensions: { ...error.extensions, code },
  });
}
