/**
 * The operation pipeline's shared steps, for every transport: HTTP runs them through Apollo Server (server.ts hands
 * Apollo `validationRules(config)` and the cost check through queryCostPlugin), WebSocket and SSE run
 * `DocumentChecks.check` then execute (src/subscriptions/operations.ts). A limit, a validation rule or an error code
 * for bad input is written here once:
 * - variables bounded in depth and count before anything walks them (BAD_USER_INPUT, inputShape.ts);
 * - parse under the token limit (GRAPHQL_PARSE_FAILED, TOO_MANY_TOKENS);
 * - graphql-js's rules plus the depth/alias/directive limits, no introspection when it is off
 *   (GRAPHQL_VALIDATION_FAILED or the limit's own code, which formatError sets);
 * - the operation to run (BAD_REQUEST when the document names none);
 * - the cost limit (QUERY_TOO_COMPLEX);
 * - variables coerced against their definitions (BAD_USER_INPUT: a missing required variable, a wrong type), the
 *   same code Apollo gives them over HTTP. Coercion errors are the client's: never an internal error.
 */
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  NoSchemaIntrospectionCustomRule,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValidationRule,
} from 'graphql';
import type { Config } from '../config.js';
import { checkVariablesShape } from '../inputShape.js';
import { createCostCheck, limitValidationRules, type CostCheck } from '../plugins/requestLimits.js';

export type Transport = 'http' | 'websocket' | 'sse';

/** The operation as a client sent it (a GraphQL-over-HTTP body, a graphql-ws `subscribe` payload, graphql-sse's). */
export interface OperationRequest {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface CheckedOperation {
  document: DocumentNode;
  operation: OperationDefinitionNode;
  operationName: string | null;
  /**
   * The variables as the client sent them, known to coerce: execution coerces them again (graphql-js takes external
   * values), secret scrubbing reads them.
   */
  variables: Record<string, unknown> | null;
}

/**
 * The validation rules beyond graphql-js's own: what Apollo Server gets as `validationRules` (Apollo adds
 * graphql-js's rules and its introspection rule itself).
 */
export function validationRules(config: Pick<Config, 'limits'>): ValidationRule[] {
  return limitValidationRules(config.limits);
}

export class DocumentChecks {
  readonly #rules: readonly ValidationRule[];
  readonly #costCheck: CostCheck;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly config: Pick<Config, 'limits' | 'introspection'>,
  ) {
    this.#rules = [
      ...specifiedRules,
      ...validationRules(config),
      ...(config.introspection ? [] : [NoSchemaIntrospectionCustomRule]),
    ];
    this.#costCheck = createCostCheck(schema, config.limits);
  }

  /** Every check an operation passes before it may run, in Apollo's order; the errors carry their codes. */
  check(request: OperationRequest): CheckedOperation | { errors: readonly GraphQLError[] } {
    if (typeof request.query !== 'string' || request.query.trim() === '')
      return { errors: [badRequest('The operation needs a `query`: a GraphQL document, as a string')] };
    const given = request.variables ?? null;
    if (given !== null && (typeof given !== 'object' || Array.isArray(given)))
      return { errors: [badRequest('`variables` must be an object')] };
    const variables = given as Record<string, unknown> | null;
    // Before anything recurses over them (inputShape.ts): HTTP checks the same at the body (http/graphql.ts).
    const badShape = checkVariablesShape(variables, this.config.limits.variables);
    if (badShape) return { errors: [badShape] };
    let document: DocumentNode;
    try {
      document = parse(request.query, { maxTokens: this.config.limits.maxTokens });
    } catch (error) {
      if (error instanceof GraphQLError) return { errors: [withCode(error, 'GRAPHQL_PARSE_FAILED')] };
      throw error;
    }
    const invalid = validate(this.schema, document, this.#rules);
    if (invalid.length > 0) return { errors: invalid.map((e) => withCode(e, 'GRAPHQL_VALIDATION_FAILED')) };
    const operationName = typeof request.operationName === 'string' ? request.operationName : null;
    const operation = getOperationAST(document, operationName);
    if (!operation) return { errors: [badRequest('The document names no operation to run: give `operationName`')] };
    const coerced = getVariableValues(this.schema, operation.variableDefinitions ?? [], variables ?? {}, {
      maxErrors: 10,
    });
    if (coerced.errors) return { errors: coerced.errors.map((e) => withCode(e, 'BAD_USER_INPUT')) };
    const tooCostly = this.#costCheck(document, operationName, variables);
    if (tooCostly) return { errors: [tooCostly] };
    return { document, operation, operationName, variables };
  }
}

export function badRequest(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_REQUEST' } });
}

/** The error with the code of its kind (formatError turns limit rejections into their own codes). */
function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    ...(error.originalError ? { originalError: error.originalError } : {}),
    extensions: { ...error.extensions, code },
  });
}
