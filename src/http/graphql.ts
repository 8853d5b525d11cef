/**
 * The bridge from node:http to Apollo Server: `POST /graphql` (JSON, or a GraphQL multipart request carrying
 * uploads: multipart.ts) and `GET /graphql` (queries in the query string, under Apollo's CSRF rules). Apollo handles
 * content negotiation (`application/graphql-response+json`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest, type HTTPGraphQLResponse } from '@apollo/server';
import type { Context } from '../context.js';
import { checkOperationsShape, checkQueryStringShape, jsonBodyTooDeep, type InputShapeLimits } from '../inputShape.js';
import { PayloadTooLargeError, readRequestBody, RequestCutShortError } from './body.js';
import { isMultipartRequest, readMultipartOperations, type MultipartOptions } from './multipart.js';
import { scrubJsonText } from '../plugins/secretScrubbing.js';
import { wasLoggedAsGraphQL } from '../plugins/requestLogging.js';
import { noteLoggedByGraphQL, noteRefusal, type Refusal } from './requestLog.js';
import { sendError, sendErrors } from './respond.js';

export interface GraphQLHandlerOptions {
  apollo: ApolloServer<Context>;
  createContext(req: IncomingMessage): Context;
  maxBodyBytes: number;
  /** Operations one batched request (a JSON array) may hold. */
  maxBatchOperations: number;
  /** Multipart requests (uploads): limits, concurrency and the check their operations pass before files are read. */
  uploads: Omit<MultipartOptions, 'variablesLimits'>;
  /** Bounds on each operation's variables and extensions, checked before anything recurses over them. */
  variablesLimits: InputShapeLimits;
}

export async function handleGraphQL(
  req: IncomingMessage,
  res: ServerResponse,
  options: GraphQLHandlerOptions,
): Promise<void> {
  const headers = new HeaderMap();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  let body: unknown;
  if (req.method === 'POST' && isMultipartRequest(headers.get('content-type'))) {
    const multipart = await readMultipartOperations(req, headers, {
      ...options.uploads,
      variablesLimits: options.variablesLimits,
    });
    if (!multipart.ok) return sendErrors(res, multipart.status, multipart.errors, multipart.headers);
    // Unread files are discarded and the slot freed once the answer is sent, or the client went away.
    res.once('close', () => multipart.session.finish());
    try {
      return await answer(req, res, headers, multipart.body, options);
    } finally {
      multipart.session.finish();
    }
  } else if (req.method === 'POST') {
    let raw: Buffer;
    try {
      raw = await readRequestBody(req, options.maxBodyBytes);
    } catch (error) {
      if (error instanceof PayloadTooLargeError) return sendError(res, 413, 'PAYLOAD_TOO_LARGE', error.message);
      // The client went away in the middle of its request: there is no one to answer, and nothing went wrong here.
      if (error instanceof RequestCutShortError) return void res.destroy();
      throw error;
    }
    if ((headers.get('content-type') ?? '').includes('json')) {
      const tooDeep = jsonBodyTooDeep(raw, options.variablesLimits);
      if (tooDeep) return sendErrors(res, 400, [tooDeep.toJSON()]);
      try {
        body = raw.length === 0 ? undefined : JSON.parse(raw.toString('utf8'));
      } catch {
        return sendError(res, 400, 'BAD_REQUEST', 'The request body is not valid JSON');
      }
    } else {
      body = raw.toString('utf8');
    }
  }
  return answer(req, res, headers, body, options);
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  headers: HeaderMap,
  body: unknown,
  options: GraphQLHandlerOptions,
): Promise<void> {
  if (Array.isArray(body) && body.length > options.maxBatchOperations) {
    return sendError(
      res,
      400,
      'BATCH_TOO_LARGE',
      `A batch may hold at most ${options.maxBatchOperations} operations; this one holds ${body.length}`,
    );
  }
  const url = req.url ?? '/';
  const query = url.indexOf('?');
  const badShape =
    checkOperationsShape(body, options.variablesLimits) ??
    (query < 0 ? null : checkQueryStringShape(url.slice(query), options.variablesLimits));
  if (badShape) return sendErrors(res, 400, [badShape.toJSON()]);
  const httpGraphQLRequest: HTTPGraphQLRequest = {
    method: (req.method ?? 'GET').toUpperCase(),
    headers,
    search: query < 0 ? '' : url.slice(query),
    body,
  };
  // One context per operation (a batch has several): the answer is scrubbed of the secrets of each.
  const contexts: Context[] = [];
  const response =
    Array.isArray(body) && body.length > 0 && options.maxBatchOperations > 1
      ? await executeBatch(req, res, httpGraphQLRequest, body, options, contexts)
      : await executeOne(req, res, httpGraphQLRequest, options, contexts);
  if (!response) return;
  // Already answered: the shutdown grace ended first (server.ts answered 503).
  if (res.headersSent) return;
  for (const [name, value] of response.headers) res.setHeader(name, value);
  res.statusCode = response.status ?? 200;
  if (response.body.kind === 'complete') {
    const text = contexts.reduce((answer, context) => scrubJsonText(answer, context.secrets), response.body.string);
    // Sent in one `end`, node:http gives the answer its Content-Length (it measures the string itself) rather than
    // chunked framing, so measuring it here too would cost a second pass over every answer. Except for HTTP/1.0, where
    // node:http would send no length and close the connection instead, and HEAD, which has no body to measure.
    if (req.httpVersionMinor === 0 || req.method === 'HEAD') res.setHeader('content-length', Buffer.byteLength(text));
    res.end(text);
    return;
  }
  for await (const chunk of response.body.asyncIterator)
    res.write(contexts.reduce((text, context) => context.secrets.scrub(text), chunk));
  res.end();
}

/**
 * One operation through Apollo, with a context of its own. A response the GraphQL pipeline did not log (refused
 * before it: CSRF, a body that is no operation) is recorded as the request's refusal, for its HTTP line.
 */
async function executeOne(
  req: IncomingMessage,
  res: ServerResponse,
  request: HTTPGraphQLRequest,
  options: GraphQLHandlerOptions,
  contexts: Context[],
): Promise<HTTPGraphQLResponse> {
  let context: Context | undefined;
  const response = await options.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: request,
    context: async () => {
      context = options.createContext(req);
      contexts.push(context);
      return context;
    },
  });
  if (context && wasLoggedAsGraphQL(context)) noteLoggedByGraphQL(res);
  else if ((response.status ?? 200) >= 400) noteRefusal(res, refusalIn(response));
  return response;
}

/**
 * A batch (a JSON array of operations): each operation runs as a request of its own, with its own context, so its
 * trace, spans, loaders and log line hold its own upstream calls only. As Apollo's own batching does, an operation
 * refused before execution refuses the whole batch, and the answer's head merges the operations' heads.
 */
async function executeBatch(
  req: IncomingMessage,
  res: ServerResponse,
  request: HTTPGraphQLRequest,
  operations: readonly unknown[],
  options: GraphQLHandlerOptions,
  created: Context[],
): Promise<HTTPGraphQLResponse | null> {
  if (operations.some((operation) => Array.isArray(operation))) {
    sendError(res, 400, 'BAD_REQUEST', 'A batch holds operations (JSON objects), not batches');
    return null;
  }
  const contexts: (Context | undefined)[] = [];
  const responses = await Promise.all(
    operations.map((operation, index) =>
      options.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { ...request, body: operation },
        context: async () => {
          const context = options.createContext(req);
          contexts[index] = context;
          created.push(context);
          return context;
        },
      }),
    ),
  );
  const refused = responses.findIndex((_, index) => !(contexts[index] && wasLoggedAsGraphQL(contexts[index])));
  if (responses.some((_, index) => contexts[index] && wasLoggedAsGraphQL(contexts[index]))) noteLoggedByGraphQL(res);
  if (refused >= 0) {
    const response = responses[refused]!;
    noteRefusal(res, refusalIn(response));
    return response;
  }
  const merged: HTTPGraphQLResponse = { status: 200, headers: new HeaderMap(), body: { kind: 'complete', string: '' } };
  const bodies: string[] = [];
  for (const response of responses) {
    if (response.body.kind !== 'complete') {
      sendError(res, 400, 'BAD_REQUEST', 'Incremental delivery (@defer, @stream) is not available in a batch');
      return null;
    }
    if ((response.status ?? 200) > (merged.status ?? 200)) merged.status = response.status;
    for (const [name, value] of response.headers) merged.headers.set(name, value);
    bodies.push(response.body.string);
  }
  merged.body = { kind: 'complete', string: `[${bodies.join(',')}]` };
  return merged;
}

/** The code and message of an error answer's first error (Apollo's refusals carry one), for the request line. */
function refusalIn(response: HTTPGraphQLResponse): Refusal {
  if (response.body.kind === 'complete') {
    try {
      const parsed = JSON.parse(response.body.string) as {
        errors?: { message?: unknown; extensions?: { code?: unknown } }[];
      };
      const first = parsed.errors?.[0];
      if (first)
        return {
          code: String(first.extensions?.code ?? 'BAD_REQUEST'),
          message: String(first.message ?? '').slice(0, 300),
        };
    } catch {
      // Not JSON: the status alone says it.
    }
  }
  return { code: 'BAD_REQUEST', message: '' };
}
