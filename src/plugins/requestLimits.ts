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
  Kind,
  type DocumentNode,
  type GraphQLSchema,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { BoundedMemo } from '../memo.js';

export interface RequestLimits {
  /** Deepest field nesting (fragments do not count as levels). */
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Lexical tokens in the document. */
  maxTokens: number;
  /** Estimated cost: roughly the number of objects the operation could return. */
  maxCost: number;
  /**
   * Most representations in one `_entities` fetch (a router cannot split one; `MAX_ENTITY_REPRESENTATIONS`).
   */
  maxEntityRepresentations: number;
  /** Largest `first` of one connection; the cost estimate clamps `first` to it (a larger `first` is refused by the field). */
  maxPageSize: number;
}

/** The stable codes of the limits; validation errors carry theirs in `extensions.limit` (Apollo owns their `code`). */
export type LimitCode =
  | 'QUERY_TOO_DEEP'
  | 'TOO_MANY_ALIASES'
  | 'TOO_MANY_DIRECTIVES'
  | 'TOO_MANY_TOKENS'
  | 'QUERY_TOO_COMPLEX'
  | 'TOO_MANY_REPRESENTATIONS';

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
 * Connections cost `first` (clamped) times their selection; list arguments (`ids`, `guids`, `names`) cost their
 * length times the selection. `_entities` costs the upstream calls its representations take (entityFetchCalls) plus
 * its selection once: the loaders batch the nested fields of all representations together, so a router's large fetch
 * costs what it costs upstream, not representations times selection. Its size has its own bound.
 */
function fanOutEstimator(maxPageSize: number): ComplexityEstimator {
  return ({ args, field, childComplexity }) => {
    if (field.name === '_entities' && Array.isArray(args.representations))
      return 1 + entityFetchCalls(args.representations) + childComplexity;
    if (typeof args.first === 'number')
      return 1 + Math.min(Math.max(args.first, 0), maxPageSize) * Math.max(childComplexity, 1);
    const list = [args.ids, args.guids, args.names, args.representations].find(Array.isArray) as unknown[] | undefined;
    return list ? 1 + list.length * Math.max(childComplexity, 1) : undefined;
  };
}

/**
 * Upstream calls one `_entities` fetch takes before its nested fields: one per distinct object, except the types whose
 * loader reads many keys per call (CF packages and apps, `guids=` by ENTITY_KEYS_PER_CALL) and registries (one list
 * call per namespace).
 */
const ENTITY_KEYS_PER_CALL: Readonly<Record<string, number>> = { Package: 50, App: 50 };

export function entityFetchCalls(representations: readonly unknown[]): number {
  const distinct = new Map<string, Set<string>>();
  for (const representation of representations) {
    const { __typename, ...key } = (representation ?? {}) as Record<string, unknown>;
    const typename = String(__typename);
    const keyText = typename === 'Registry' ? String(key.namespace ?? '') : JSON.stringify(key);
    let keys = distinct.get(typename);
    if (!keys) distinct.set(typename, (keys = new Set()));
    keys.add(keyText);
  }
  let calls = 0;
  for (const [typename, keys] of distinct) calls += Math.ceil(keys.size / (ENTITY_KEYS_PER_CALL[typename] ?? 1));
  return calls;
}

/** The largest `representations` list among the operation's `_entities` fields (inline or in variables). */
function largestEntityFetch(variables: Record<string, unknown>): number {
  let largest = 0;
  for (const value of Object.values(variables)) if (Array.isArray(value)) largest = Math.max(largest, value.length);
  return largest;
}

/**
 * Costs already estimated, per parsed document (Apollo reuses one per query text), by operation name and variables.
 * Invariant: a cost is a function of the schema, the document, the operation name and the variables alone (one
 * plugin instance has one schema), so a remembered cost is the one estimating again would give, for any caller.
 */
const MAX_COST_DOCUMENTS = 500;
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
  const known = new BoundedMemo<DocumentNode, BoundedMemo<string, number>>(MAX_COST_DOCUMENTS);
  return (document, operationName, variables) => {
    const costs = known.getOrCompute(document, () => new BoundedMemo(MAX_COSTS_PER_DOCUMENT));
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
      costs.set(key, cost);
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
        async didResolveOperation({ document, operationName, request, operation }) {
          const selectsEntities = operation?.selectionSet.selections.some(
            (selection) => selection.kind === Kind.FIELD && selection.name.value === '_entities',
          );
          const representations = selectsEntities ? largestEntityFetch(request.variables ?? {}) : 0;
          if (representations > limits.maxEntityRepresentations) {
            throw new GraphQLError(
              `The _entities fetch has ${representations} representations, the limit is ${limits.maxEntityRepresentations} (MAX_ENTITY_REPRESENTATIONS). Configure the router to batch fewer.`,
              {
                extensions: {
                  code: 'TOO_MANY_REPRESENTATIONS',
                  representations,
                  maxEntityRepresentations: limits.maxEntityRepresentations,
                  http: { status: 400 },
                },
              },
            );
          }
          const error = check(document, operationName, request.variables);
          if (error) throw error;
        },
      };
    },
  };
}
