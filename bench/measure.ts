/**
 * Upstream calls of one execution, from the sandbox's request logs, and the REST request a single-call operation
 * amounts to.
 */
import type { CorpusOperation, GraphQLAnswer } from './corpus.js';
import { postGraphQL, type LoadTarget } from './load.js';
import { directHeaders, UPSTREAMS, type UpstreamName } from './processes.js';

export interface LoggedRequest {
  upstream: UpstreamName;
  method: string;
  path: string;
  query: string;
  status: number;
}

export interface Sandbox {
  urls: Record<UpstreamName, string>;
}

export async function resetLogs(sandbox: Sandbox): Promise<void> {
  await Promise.all(
    UPSTREAMS.map((u) =>
      fetch(`${sandbox.urls[u]}/__sandbox/requests`, { method: 'DELETE' }).then((r) => r.arrayBuffer()),
    ),
  );
}

export async function readLogs(sandbox: Sandbox): Promise<LoggedRequest[]> {
  const logs = await Promise.all(
    UPSTREAMS.map(async (upstream) => {
      const res = await fetch(`${sandbox.urls[upstream]}/__sandbox/requests`);
      const body = (await res.json()) as { requests: Omit<LoggedRequest, 'upstream'>[] };
      return body.requests.map((r) => ({ upstream, method: r.method, path: r.path, query: r.query, status: r.status }));
    }),
  );
  return logs.flat();
}

export async function countLogs(sandbox: Sandbox): Promise<number> {
  const totals = await Promise.all(
    UPSTREAMS.map(
      async (u) => ((await (await fetch(`${sandbox.urls[u]}/__sandbox/requests`)).json()) as { total: number }).total,
    ),
  );
  return totals.reduce((a, b) => a + b, 0);
}

export interface CallCount {
  answer: GraphQLAnswer & { status: number };
  requests: LoggedRequest[];
}

/** Resets the logs, runs the operation once, and reads what reached the upstreams. */
export async function countCalls(
  sandbox: Sandbox,
  gatewayUrl: string,
  op: CorpusOperation,
  variables?: Record<string, unknown>,
): Promise<CallCount> {
  await resetLogs(sandbox);
  const answer = await postGraphQL(gatewayUrl, op.document, variables);
  // The emulators log a request when its response closes: give the last one a moment.
  await new Promise((r) => setTimeout(r, 20));
  return { answer, requests: await readLogs(sandbox) };
}

/** What is wrong with an answer, or null. */
export function answerProblem(op: CorpusOperation, answer: GraphQLAnswer & { status: number }): string | null {
  if (answer.status !== 200) return `HTTP ${answer.status}: ${JSON.stringify(answer.errors ?? answer).slice(0, 300)}`;
  if (answer.errors?.length) return `errors: ${JSON.stringify(answer.errors).slice(0, 300)}`;
  if (!answer.data) return 'no data';
  return op.check?.(answer.data) ?? null;
}

/** The REST request the gateway made, as a load target with the demo tenant's credentials. */
export function directTarget(sandbox: Sandbox, request: LoggedRequest, body: unknown): LoadTarget {
  const headers = directHeaders(request.upstream);
  return {
    url: `${sandbox.urls[request.upstream]}${request.path}${request.query ? `?${request.query}` : ''}`,
    method: request.method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    kind: 'rest',
  };
}

/** Whether a logged request is the one the corpus documents (`PATCH /v1/images/{id}`). */
export function matchesDocumented(request: LoggedRequest, documented: string): boolean {
  const [method, pattern] = documented.split(' ');
  const regex = new RegExp(`^${pattern!.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`);
  return request.method === method && regex.test(request.path);
}
