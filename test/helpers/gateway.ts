/**
 * A real gateway on a loopback port, over a real sandbox (the three emulators), for tests that speak GraphQL over
 * HTTP. `gql()` posts an operation and returns the parsed response; the sandbox's request logs and fault controls are
 * at hand through `sandbox`.
 */
import type { Tracer } from '@opentelemetry/api';
import { parseConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { startSandbox, type Sandbox, type SandboxOptions } from '../../src/sandbox/index.js';
import { configForSandbox } from '../../src/sandboxMode.js';
import { createServer, type Gateway } from '../../src/server.js';

export interface GraphQLResponse<D = Record<string, any>> {
  status: number;
  headers: Headers;
  data?: D | null;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
  extensions?: {
    upstream?: {
      calls: number;
      requests: { upstream: string; method: string; path: string; status: number; durationMs: number }[];
    };
  } & Record<string, any>;
}

export interface TestGatewayOptions {
  sandbox?: SandboxOptions;
  /** Environment the Config is parsed from (no upstream URLs: sandbox mode). */
  env?: Record<string, string>;
  /** Adjust the Config after the sandbox is wired in (e.g. drop service credentials). */
  config?: (config: Config) => Config;
  onUnexpected?: (error: unknown) => void;
  /** OpenTelemetry tracer (e.g. over an in-memory exporter); none: tracing off. */
  tracer?: Tracer;
}

export interface TestGateway {
  /** Every log line the gateway wrote, parsed (the logger runs at debug level in tests). */
  logLines: Record<string, unknown>[];
  url: string;
  sandbox: Sandbox;
  gateway: Gateway;
  config: Config;
  gql<D = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLResponse<D>>;
  close(): Promise<void>;
}

export async function startTestGateway(options: TestGatewayOptions = {}): Promise<TestGateway> {
  const sandbox = await startSandbox({ jobDurationMs: 60, ...options.sandbox });
  const base = configForSandbox(parseConfig({ UPSTREAM_TRACE: 'true', ...options.env }), sandbox);
  const config = options.config ? options.config(base) : base;
  const logLines: Record<string, unknown>[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: { write: (line: string) => void logLines.push(JSON.parse(line) as Record<string, unknown>) },
  });
  const gateway = createServer(config, {
    logger,
    ...(options.onUnexpected ? { onUnexpected: options.onUnexpected } : {}),
    ...(options.tracer ? { tracer: options.tracer } : {}),
  });
  const url = await gateway.listen(0, '127.0.0.1');
  return {
    logLines,
    url,
    sandbox,
    gateway,
    config,
    gql: (query, variables, headers) => postGraphQL(`${url}/graphql`, query, variables, headers),
    async close() {
      await gateway.close();
      await sandbox.close();
    },
  };
}

export function postGraphQL<D>(
  endpoint: string,
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<D>> {
  return postJson<D>(endpoint, { query, variables }, headers);
}

/** Posts any GraphQL-over-HTTP body (e.g. a persisted query's `extensions`) and parses the answer. */
export async function postJson<D>(
  endpoint: string,
  payload: unknown,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<D>> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify(payload),
  });
  const text = await response.text();
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new Error(`not JSON (HTTP ${response.status}): ${text.slice(0, 200)}`);
  }
  return { status: response.status, headers: response.headers, ...(body as object) } as GraphQLResponse<D>;
}

/** The error codes of a response, in order. */
export function codes(response: GraphQLResponse): string[] {
  return (response.errors ?? []).map((e) => String(e.extensions?.code));
}
