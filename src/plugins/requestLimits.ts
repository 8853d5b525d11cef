/**
 * Limits on what one request may ask for, each refused with a clear message and a stable code before any upstream
 * request: depth, aliases and directives (graphql-armor's validation rules), tokens (graphql-js's parser), and an
 * estimated cost that multiplies by `first` and list sizes (graphql-query-complexity).
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import {
  GraphQLError,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';

export interface RequestLimits {
  /** Deepest field nesting (fragments do not count as levels). */
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Lexical tokens in the document. */
  maxTokens: number;
  /** Estimated cost: roughly the number of objects the operation could return. */
  maxCost: number;
  /** Largest `first` of one connection; the cost estimate clamps `first` to it (a larger `first` is refused by the field). */
  maxPageSize: number;
}

/** The stable codes of the limits; validation errors carry theirs in `extensions.limit` (Apollo owns their `code`). */
export type LimitCode =
  'QUERY_TOO_DEEP' | 'TOO_MANY_ALIASES' | 'TOO_MANY_DIRECTIVES' | 'TOO_MANY_TOKENS' | 'QUERY_TOO_COMPLEX';

/**
 * Reports a rejection as a validation error tagged with its limit, so that formatError can give it its own code.
 * (Thrown instead, as the rules do by default, it would escape graphql-js's `validate` and become a 500.)
 */
function reportAs(limit: LimitCode) {
  return {
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) => {
        (error.extensions as Record<string, unknown>).limit = limit;
        context?.reportError(error);
      },
    ],
  };
}

/** Validation rules for Apollo's `validationRules`: run once per distinct document (Apollo caches validation). */
export function limitValidationRules(limits: RequestLimits): ValidationRule[] {
  return [
    maxDepthRule({ n: limits.maxDepth, flattenFragments: true, ...reportAs('QUERY_TOO_DEEP') }),
    maxAliasesRule({ n: limits.maxAliases, ...reportAs('TOO_MANY_ALIASES') }),
    maxDirectivesRule({ n: limits.maxDirectives, ...reportAs('TOO_MANY_DIRECTIVES') }),
  ] as ValidationRule[];
}

/**
 * Connections cost `first` (clamped) times their selection; list arguments (`ids`, `guids`, `names`,
 * `representations`) cost their length times the selection.
 */
function fanOutEstimator(maxPageSize: number): ComplexityEstimator {
  return ({ args, childComplexity }) => {
    if (typeof args.first === 'number')
      return 1 + Math.min(Math.max(args.first, 0), maxPageSize) * Math.max(childComplexity, 1);
    const list = [args.ids, args.guids, args.names, args.representations].find(Array.isArray) as unknown[] | undefined;
    return list ? 1 + list.length * Math.max(childComplexity, 1) : undefined;
  };
}

/** Costs already estimated, per parsed document (Apollo reuses one per query text), by operation and variables. */
const MAX_COSTS_PER_DOCUMENT = 64;

/** Refuses an operation above the cost limit: the error, or null when it may run. */
export type CostCheck = (
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
) => GraphQLError | null;

/** The cost check of every operation, over HTTP (queryCostPlugin) and over the subscription transports. */
export function createCostCheck(schema: GraphQLSchema, limits: RequestLimits): CostCheck {
  const estimators = [fanOutEstimator(limits.maxPageSize), simpleEstimator({ defaultComplexity: 1 })];
  const known = new WeakMap<DocumentNode, Map<string, number>>();
  return (document, operationName, variables) => {
    let costs = known.get(document);
    if (!costs) known.set(document, (costs = new Map()));
    const key = `${operationName ?? ''}\n${variables ? JSON.stringify(variables) : ''}`;
    let cost = costs.get(key);
    if (cost === undefined) {
      try {
        cost = getComplexity({
          schema,
          query: document,
          variables: variables ?? {},
          estimators,
          ...(operationName ? { operationName } : {}),
        });
      } catch (error) {
        // Variables that do not coerce: execution reports them properly (BAD_USER_INPUT), nothing runs.
        if (error instanceof GraphQLError) return null;
        throw error;
      }
      if (costs.size < MAX_COSTS_PER_DOCUMENT) costs.set(key, cost);
    }
    if (cost <= limits.maxCost) return null;
    return new GraphQLError(
      `The operation is too expensive: its estimated cost is ${cost}, the limit is ${limits.maxCost}. Ask for smaller pages or fewer nested lists.`,
      { extensions: { code: 'QUERY_TOO_COMPLEX', cost, maxCost: limits.maxCost, http: { status: 400 } } },
    );
  };
}

/** Estimates each operation's cost once its variables are known, and refuses it above the limit. */
export function queryCostPlugin(schema: GraphQLSchema, limits: RequestLimits): ApolloServerPlugin {
  const check = createCostCheck(schema, limits);
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, operationName, request }) {
          const error = check(document, operationName, request.variables);
          if (error) throw error;
        },
      };
    },
  };
}
