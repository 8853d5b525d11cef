/**
 * Bounds on the shape of client-supplied JSON (GraphQL variables and extensions): nesting depth and node count,
 * checked without recursion before any code that recurses over the value (coercion, cost estimation, the secret
 * collection, logging) sees it. Every transport calls these: HTTP bodies, GET query strings, multipart `operations`,
 * and the subscription transports (WebSocket, SSE) through `checkVariablesShape`.
 *
 * Depth counts containers: a scalar is at depth 0, `[1]` has depth 1, `{"a": [1]}` depth 2. The variables map itself
 * does not count: `{"y": [[1]]}` has variables of depth 2. Nodes count every value (containers and scalars) under
 * the map.
 */
import { GraphQLError } from 'graphql';
import { jsonShapeProblem } from './upstreams/shared/jsonShape.js';

export interface InputShapeLimits {
  /** Deepest nesting of one variable's value (MAX_VARIABLES_DEPTH). */
  maxDepth: number;
  /** Values (objects, lists and scalars) in all the variables of one operation (MAX_VARIABLES_NODES). */
  maxNodes: number;
}

export const DEFAULT_INPUT_SHAPE_LIMITS: Readonly<InputShapeLimits> = { maxDepth: 32, maxNodes: 100_000 };

/** The settings that name the limits in messages. */
export const INPUT_SHAPE_SETTINGS = { maxDepth: 'MAX_VARIABLES_DEPTH', maxNodes: 'MAX_VARIABLES_NODES' } as const;

export function tooDeepError(maxDepth: number): GraphQLError {
  return new GraphQLError(
    `Variables and extensions may nest at most ${maxDepth} levels deep (${INPUT_SHAPE_SETTINGS.maxDepth})`,
    { extensions: { code: 'BAD_USER_INPUT', setting: INPUT_SHAPE_SETTINGS.maxDepth, max: maxDepth } },
  );
}

export function tooManyNodesError(maxNodes: number): GraphQLError {
  return new GraphQLError(
    `Variables and extensions may hold at most ${maxNodes} values (${INPUT_SHAPE_SETTINGS.maxNodes})`,
    { extensions: { code: 'BAD_USER_INPUT', setting: INPUT_SHAPE_SETTINGS.maxNodes, max: maxNodes } },
  );
}

/**
 * Checks one already-parsed variables (or extensions) map: the error naming the limit it breaks, or null. Linear in
 * the nodes it visits and stops at the first limit broken; never recurses. Values that are not plain JSON (uploaded
 * files placed by the multipart reader) count as one node and are not entered.
 */
export function checkVariablesShape(value: unknown, limits: InputShapeLimits): GraphQLError | null {
  if (value === null || typeof value !== 'object') return null;
  // Containers still to enter, with the depth of their children; the map itself is at depth 0.
  const pending: { container: object; depth: number }[] = [{ container: value, depth: 1 }];
  let nodes = 0;
  while (pending.length > 0) {
    const { container, depth } = pending.pop()!;
    const children: unknown[] = Array.isArray(container)
      ? container
      : isPlainObject(container)
        ? Object.values(container)
        : [];
    nodes += children.length;
    if (nodes > limits.maxNodes) return tooManyNodesError(limits.maxNodes);
    for (const child of children) {
      if (child === null || typeof child !== 'object' || !(Array.isArray(child) || isPlainObject(child))) continue;
      if (depth > limits.maxDepth) return tooDeepError(limits.maxDepth);
      pending.push({ container: child, depth: depth + 1 });
    }
  }
  return null;
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/** `[`: a JSON body that opens with it is a batch. */
const OPEN_BRACKET = 0x5b;

/**
 * Whether JSON text nests containers deeper than `maxDepth`, read in one pass over its UTF-8 bytes (brackets inside
 * strings do not count), before it is parsed: parsing a deeply nested document costs far more than this scan. The
 * text need not be valid JSON; the parser reports that. The same scan bounds upstream bodies (jsonShape.ts).
 */
export function jsonNestsDeeperThan(text: Uint8Array, maxDepth: number): boolean {
  return jsonShapeProblem(text, maxDepth, Number.POSITIVE_INFINITY) === 'depth';
}

/** The first byte of JSON text that is not whitespace (`[` marks a batch), or -1. */
export function firstJsonByte(text: Uint8Array): number {
  for (let i = 0; i < text.length; i++) {
    const byte = text[i]!;
    if (byte !== 0x20 && byte !== 0x0a && byte !== 0x0d && byte !== 0x09) return byte;
  }
  return -1;
}

/**
 * The check of a GraphQL-over-HTTP JSON body (one operation, or a batch: an array of them) before it is parsed:
 * the operation object and its variables map add two levels, a batch array one more.
 */
export function jsonBodyTooDeep(text: Uint8Array, limits: InputShapeLimits): GraphQLError | null {
  const envelope = firstJsonByte(text) === OPEN_BRACKET ? 3 : 2;
  return jsonNestsDeeperThan(text, limits.maxDepth + envelope) ? tooDeepError(limits.maxDepth) : null;
}

/**
 * The check of a parsed GraphQL-over-HTTP body (one operation or a batch): each operation's `variables` and
 * `extensions` within the limits. Bodies of other shapes pass (Apollo refuses them with its own message).
 */
export function checkOperationsShape(body: unknown, limits: InputShapeLimits): GraphQLError | null {
  const operations: unknown[] = Array.isArray(body) ? body : [body];
  for (const operation of operations) {
    if (operation === null || typeof operation !== 'object') continue;
    const { variables, extensions } = operation as { variables?: unknown; extensions?: unknown };
    const problem = checkVariablesShape(variables, limits) ?? checkVariablesShape(extensions, limits);
    if (problem) return problem;
  }
  return null;
}

/**
 * The check of a GET request's query string: `variables` and `extensions` are JSON text there, checked before
 * Apollo parses them.
 */
export function checkQueryStringShape(search: string, limits: InputShapeLimits): GraphQLError | null {
  if (search === '') return null;
  const params = new URLSearchParams(search);
  for (const name of ['variables', 'extensions']) {
    const text = params.get(name);
    if (text === null) continue;
    const bytes = Buffer.from(text, 'utf8');
    if (jsonNestsDeeperThan(bytes, limits.maxDepth + 1)) return tooDeepError(limits.maxDepth);
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      continue; // Apollo answers malformed JSON with its own message.
    }
    const problem = checkVariablesShape(parsed, limits);
    if (problem) return problem;
  }
  return null;
}
