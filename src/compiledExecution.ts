/**
 * Executes operations with graphql-jit instead of graphql-js's interpreter: an operation seen again is compiled once
 * into a function and cached, so it skips graphql-js's per-field bookkeeping (field collection, argument coercion,
 * resolve-info objects, `isPromise` checks and path building for every list item). On the 20-image list this cuts the
 * gateway's CPU per request by about a fifth (figures in scripts/build.mjs and the bench).
 *
 * Apollo Server 5 has no hook for an executor other than its gateway interface, so this is a `GatewayInterface` that
 * serves our own schema: Apollo still parses, validates (with our limit rules), runs every plugin hook and formats
 * errors; only the `execute` step changes. The schema is fixed, so `onSchemaLoadOrUpdate` fires once. (The build fixes
 * a per-request allocation of Apollo's gateway path that would otherwise cost more than compiling saves; see
 * scripts/build.mjs.)
 *
 * What stays with graphql-js, so clients see exactly what they saw before:
 * - the first execution of each operation (`COMPILE_AFTER_EXECUTIONS`, default 1): compiling costs about 1.3 ms and
 *   37 KB, which a one-off query (GraphiQL, ad-hoc scripts) should not pay;
 * - variable coercion errors: graphql-js's messages carry the variable's node, which Apollo turns into BAD_USER_INPUT
 *   (graphql-jit reports them without nodes, which Apollo would leave uncoded). Valid variables go to graphql-jit;
 * - operations a router asks to trace (`apollo-federation-include-trace: ftv1`): Apollo's inline trace hooks into the
 *   schema's resolvers as it executes, which a function compiled earlier would bypass.
 */
import type { GatewayExecutor, GatewayGraphQLRequestContext, GatewayInterface } from '@apollo/server-gateway-interface';
import { execute, getVariableValues, type DocumentNode, type ExecutionResult, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { compileQuery, isCompiledQuery, type CompiledQuery } from 'graphql-jit';

/** Documents whose compiled operations are kept (least recently used dropped first): at most about 7 MB. */
const MAX_COMPILED_DOCUMENTS = 200;

export type Executor = 'compiled' | 'graphql-js';

export interface CompiledExecutionOptions {
  /** Executions by graphql-js before an operation is compiled (the default 1: compile on the second; 0: at once). */
  compileAfter: number;
  /** Called once per execution with the executor that ran it (metrics). */
  onExecuted?: (executor: Executor) => void;
}

export function compiledExecutionGateway(schema: GraphQLSchema, options: CompiledExecutionOptions): GatewayInterface {
  const operations = new CompiledOperations(schema, options.compileAfter, MAX_COMPILED_DOCUMENTS);
  const onExecuted = options.onExecuted ?? (() => {});
  const executor: GatewayExecutor = async (requestContext) => operations.execute(requestContext, onExecuted);
  return {
    async load() {
      return { executor };
    },
    onSchemaLoadOrUpdate(callback) {
      callback({ apiSchema: schema, coreSupergraphSdl: '' });
      return () => {};
    },
    async stop() {},
  };
}

/** Marks an operation graphql-jit refused to compile: graphql-js runs it from then on. */
const REFUSED = -1;

class CompiledOperations {
  /** Keyed by the parsed document (Apollo caches parsed documents by query text), then by operation name. */
  readonly #compiled = new Map<DocumentNode, Map<string, CompiledQuery>>();
  /** How often graphql-js has run each operation not compiled yet (or REFUSED). */
  readonly #interpreted = new WeakMap<DocumentNode, Map<string, number>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly compileAfter: number,
    private readonly maxDocuments: number,
  ) {}

  async execute(requestContext: GatewayGraphQLRequestContext, onExecuted: (executor: Executor) => void): Promise<ExecutionResult> {
    const { document, operation, context: contextValue } = requestContext;
    const operationName = requestContext.request.operationName ?? undefined;
    const variables = requestContext.request.variables ?? {};
    const traced = requestContext.request.http?.headers.get('apollo-federation-include-trace') === 'ftv1';
    const compiled = traced ? null : this.#compiledFor(document, operationName ?? '');
    onExecuted(compiled ? 'compiled' : 'graphql-js');
    if (!compiled) return execute({ schema: this.schema, document, contextValue, variableValues: variables, operationName });
    const coercionErrors = variableErrors(this.schema, operation, variables);
    if (coercionErrors) return { errors: coercionErrors };
    return compiled.query(undefined, contextValue, variables);
  }

  /** The compiled operation, or null while graphql-js runs it (not seen often enough yet, or graphql-jit refused it). */
  #compiledFor(document: DocumentNode, operationName: string): CompiledQuery | null {
    const operations = this.#compiled.get(document);
    const cached = operations?.get(operationName);
    if (cached) {
      // Map order is insertion order: re-inserting marks the document as recently used.
      this.#compiled.delete(document);
      this.#compiled.set(document, operations!);
      return cached;
    }
    const interpreted = this.#interpreted.get(document) ?? new Map<string, number>();
    const runs = interpreted.get(operationName) ?? 0;
    if (runs === REFUSED) return null;
    if (runs < this.compileAfter) {
      this.#interpreted.set(document, interpreted.set(operationName, runs + 1));
      return null;
    }
    const query = compileQuery(this.schema, document, operationName || undefined);
    if (!isCompiledQuery(query)) {
      this.#interpreted.set(document, interpreted.set(operationName, REFUSED));
      return null;
    }
    interpreted.delete(operationName);
    if (operations) {
      operations.set(operationName, query);
    } else {
      if (this.#compiled.size >= this.maxDocuments) this.#compiled.delete(this.#compiled.keys().next().value!);
      this.#compiled.set(document, new Map([[operationName, query]]));
    }
    return query;
  }
}

/** graphql-js's variable coercion errors (null when the variables are valid). */
function variableErrors(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>) {
  const definitions = operation.variableDefinitions;
  if (!definitions || definitions.length === 0) return null;
  const coerced = getVariableValues(schema, definitions, variables, { maxErrors: 50 });
  return coerced.errors ?? null;
}
