/**
 * Fixed load with autocannon (programmatic): N connections for D seconds, every response checked. Latencies are
 * recorded from each response's own time (sub-millisecond), not autocannon's integer histogram.
 *
 * Run alone (`npm run load:one -- --url http://127.0.0.1:4000/graphql --only images-plain`) it loads a gateway that is
 * already running with one corpus operation: handy with `node --cpu-prof` on that gateway.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { corpusOperation, type GraphQLAnswer } from './corpus.js';

export interface LoadTarget {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** GraphQL answers are checked for `errors`; REST answers only for their status. */
  kind: 'graphql' | 'rest';
}

export interface LoadRun {
  /** Completed responses. */
  responses: number;
  durationSec: number;
  /** Responses per second. */
  rps: number;
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  non2xx: number;
  /** GraphQL responses carrying `errors` (any status). */
  graphqlErrors: number;
  /** Connection errors and timeouts. */
  connectionErrors: number;
  /** The first faulty answer seen, shortened. */
  sampleError: string | null;
}

/** A GraphQL response body with a top-level `errors` (cheap substring test first, parse only when it may be one). */
export function hasGraphQLErrors(body: string): boolean {
  if (!body.includes('"errors"')) return false;
  try {
    const parsed = JSON.parse(body) as GraphQLAnswer;
    return Array.isArray(parsed.errors) && parsed.errors.length > 0;
  } catch {
    return true;
  }
}

export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export function runLoad(target: LoadTarget, connections: number, durationSec: number): Promise<LoadRun> {
  return new Promise((resolve, reject) => {
    let latencies = new Float64Array(1 << 16);
    let count = 0;
    let non2xx = 0;
    let sampleError: string | null = null;
    const instance = autocannon(
      {
        url: target.url,
        method: target.method,
        headers: target.headers,
        ...(target.body !== undefined ? { body: target.body } : {}),
        connections,
        duration: durationSec,
        timeout: 10,
        ...(target.kind === 'graphql' ? { verifyBody: (body: string) => !hasGraphQLErrors(body) } : {}),
      },
      (error, result) => {
        if (error) return reject(error);
        const sorted = latencies.subarray(0, count).sort();
        let sum = 0;
        for (const value of sorted) sum += value;
        resolve({
          responses: result.requests.total,
          durationSec: result.duration,
          rps: result.requests.total / result.duration,
          p50Ms: percentile(sorted, 50),
          p99Ms: percentile(sorted, 99),
          meanMs: count === 0 ? NaN : sum / count,
          non2xx,
          graphqlErrors: result.mismatches,
          connectionErrors: result.errors,
          sampleError,
        });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (count === latencies.length) {
        const grown = new Float64Array(latencies.length * 2);
        grown.set(latencies);
        latencies = grown;
      }
      latencies[count++] = responseTime;
      if (statusCode < 200 || statusCode >= 300) {
        non2xx += 1;
        sampleError ??= `HTTP ${statusCode}`;
      }
    });
    instance.on('reqMismatch', (body) => {
      if (sampleError === null || sampleError.startsWith('HTTP ')) sampleError = body.slice(0, 300);
    });
    instance.on('reqError', (error) => {
      sampleError ??= `connection: ${error.message}`;
    });
  });
}

/** The target for a GraphQL operation posted to the gateway. */
export function graphqlTarget(
  url: string,
  document: string,
  variables: Record<string, unknown> | undefined,
): LoadTarget {
  return {
    url,
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json' },
    body: JSON.stringify(variables ? { query: document, variables } : { query: document }),
    kind: 'graphql',
  };
}

/** Posts one GraphQL operation and parses the answer. */
export async function postGraphQL(
  url: string,
  document: string,
  variables?: Record<string, unknown>,
): Promise<GraphQLAnswer & { status: number }> {
  const target = graphqlTarget(url, document, variables);
  const response = await fetch(url, { method: 'POST', headers: target.headers, body: target.body! });
  const text = await response.text();
  try {
    return { status: response.status, ...(JSON.parse(text) as GraphQLAnswer) };
  } catch {
    throw new Error(
      `the gateway answered HTTP ${response.status} with something other than JSON: ${text.slice(0, 200)}`,
    );
  }
}

async function cli(): Promise<void> {
  const { values } = parseArgs({
    options: {
      url: { type: 'string', default: 'http://127.0.0.1:4000/graphql' },
      only: { type: 'string', default: 'images-plain' },
      duration: { type: 'string', default: '10' },
      connections: { type: 'string', default: '10' },
    },
  });
  const operation = corpusOperation(values.only);
  const variables = operation.setup
    ? await operation.setup((doc, vars) => postGraphQL(values.url, doc, vars))
    : undefined;
  console.log(`${operation.name}: ${values.connections} connections, ${values.duration} s against ${values.url}`);
  const run = await runLoad(
    graphqlTarget(values.url, operation.document, variables),
    Number(values.connections),
    Number(values.duration),
  );
  console.log(
    `${Math.round(run.rps)} req/s, p50 ${run.p50Ms.toFixed(2)} ms, p99 ${run.p99Ms.toFixed(2)} ms, ` +
      `${run.non2xx} non-2xx, ${run.graphqlErrors} with errors, ${run.connectionErrors} connection errors` +
      (run.sampleError ? `\nfirst error: ${run.sampleError}` : ''),
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  cli().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
