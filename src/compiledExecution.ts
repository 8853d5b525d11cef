/**
 * Executes queries with graphql-jit instead of graphql-js's interpreter: a query seen again is compiled once into a
 * function and cached, so it skips graphql-js's per-field bookkeeping (field collection, argument coercion,
 * resolve-info objects, `isPromise` checks and path building for every list item). On the 20-image list this cuts the
 * gateway's CPU per request by about a fifth (figures in scripts/build.mjs and the bench).
 *
 * Apollo Server 5 has no hook for an executor other than its gateway interface, so this is a `GatewayInterface` that
 * serves our own schema: Apollo still parses, validates (with our limit rules), runs every plugin hook and formats
 * errors; only the `execute` step changes. The schema is fixed, so `onSchemaLoadOrUpdate` fires once. (The build fixes
 * a per-request allocation of Apollo's gateway path that would otherwise cost more than compiling saves; see
 * scripts/build.mjs.)
 *
 * Clients must see exactly what graphql-js gives them, so graphql-js keeps what graphql-jit 0.8 does differently:
 * - the first execution of each operation (`COMPILE_AFTER_EXECUTIONS`, default 1): compiling costs about 1.3 ms and
 *   37 KB, which a one-off query (GraphiQL, ad-hoc scripts) should not pay;
 * - mutations (rare, and their inputs are where graphql-jit differs: an absent variable inside an input object becomes
 *   null instead of being left out), and any operation with a variable inside an input object literal;
 * - documents with `@skip`/`@include`: graphql-jit records their conditions on the AST's fragment nodes, and a field
 *   behind a spread that another spread of the same fragment excludes can come out empty;
 * - variable coercion errors: graphql-js's messages carry the variable's node, which Apollo turns into BAD_USER_INPUT;
 * - requests whose execution a plugin observes field by field (`willResolveField`: Apollo's inline trace when a router
 *   asks for `ftv1`): Apollo wraps the schema's resolvers for them, which a function compiled earlier would bypass.
 * And graphql-jit compiles from a copy of the document, never Apollo's cached one, with the resolvers as built (see
 * ResolversAsBuilt), and its errors are rebuilt as graphql-js errors (it leaves `extensions` unset on some, which
 * Apollo's error formatting cannot handle).
 *
 * Left as they are, because the gateway's resolvers never meet them: graphql-jit does not catch a rejection from an
 * async type resolver, a throwing `isTypeOf`, or a throwing getter read by the default field resolver (the models are
 * plain data, type resolvers are synchronous table lookups, no type has `isTypeOf`); and it lists errors from a null
 * in a non-null field after the other errors, where graphql-js keeps the order they happened in.
 */
import type { GatewayExecutor, GatewayGraphQLRequestContext, GatewayInterface } from '@apollo/server-gateway-interface';
import {
  BREAK,
  execute,
  getVariableValues,
  GraphQLError,
  isAbstractType,
  isObjectType,
  visit,
  type GraphQLAbstractType,
  type ASTNode,
  type DocumentNode,
  type ExecutionResult,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { inspect } from 'graphql/jsutils/inspect.js';
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
  const operations = new CompiledOperations(
    schema,
    new ResolversAsBuilt(schema),
    options.compileAfter,
    MAX_COMPILED_DOCUMENTS,
  );
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

/** Marks an operation graphql-js keeps for good (see the list above). */
const NOT_COMPILED = -1;

class CompiledOperations {
  /** Keyed by the parsed document (Apollo caches parsed documents by query text), then by operation name. */
  readonly #compiled = new Map<DocumentNode, Map<string, CompiledQuery>>();
  /** How often graphql-js has run each operation not compiled yet (or NOT_COMPILED). */
  readonly #interpreted = new WeakMap<DocumentNode, Map<string, number>>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly asBuilt: ResolversAsBuilt,
    private readonly compileAfter: number,
    private readonly maxDocuments: number,
  ) {}

  async execute(
    requestContext: GatewayGraphQLRequestContext,
    onExecuted: (executor: Executor) => void,
  ): Promise<ExecutionResult> {
    const { document, operation, context: contextValue } = requestContext;
    const operationName = requestContext.request.operationName ?? undefined;
    const variables = requestContext.request.variables ?? {};
    // No operation: Apollo found none by that name (or several unnamed); graphql-js reports it as Apollo expects.
    const compiled =
      !operation || observedFieldByField(contextValue)
        ? null
        : this.#compiledFor(document, operation, operationName ?? '');
    onExecuted(compiled ? 'compiled' : 'graphql-js');
    if (!compiled)
      return execute({ schema: this.schema, document, contextValue, variableValues: variables, operationName });
    const coercionErrors = variableErrors(this.schema, operation, variables);
    if (coercionErrors) return { errors: coercionErrors };
    return asGraphQLJsResult(await compiled.query(undefined, contextValue, variables));
  }

  /** The compiled operation, or null while graphql-js runs it (not seen often enough yet, or kept on graphql-js). */
  #compiledFor(
    document: DocumentNode,
    operation: OperationDefinitionNode,
    operationName: string,
  ): CompiledQuery | null {
    const operations = this.#compiled.get(document);
    const cached = operations?.get(operationName);
    if (cached) {
      // Map order is insertion order: re-inserting marks the document as recently used.
      this.#compiled.delete(document);
      this.#compiled.set(document, operations!);
      return cached;
    }
    const interpreted = this.#interpreted.get(document) ?? new Map<string, number>();
    const runs = interpreted.get(operationName) ?? (compilable(document, operation) ? 0 : NOT_COMPILED);
    if (runs === NOT_COMPILED || runs < this.compileAfter) {
      this.#interpreted.set(document, interpreted.set(operationName, runs === NOT_COMPILED ? runs : runs + 1));
      return null;
    }
    const query = this.asBuilt.during(() => compileQuery(this.schema, copyOf(document), operationName || undefined));
    if (!isCompiledQuery(query)) {
      this.#interpreted.set(document, interpreted.set(operationName, NOT_COMPILED));
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

/** A query whose document has no `@skip`/`@include` and no variable inside an input object literal. */
function compilable(document: DocumentNode, operation: OperationDefinitionNode): boolean {
  if (operation.operation !== 'query') return false;
  let inputObjects = 0;
  let compilable = true;
  visit(document, {
    Directive(node) {
      if (node.name.value === 'skip' || node.name.value === 'include') {
        compilable = false;
        return BREAK;
      }
      return undefined;
    },
    ObjectValue: {
      enter: () => void (inputObjects += 1),
      leave: () => void (inputObjects -= 1),
    },
    Variable() {
      if (inputObjects === 0) return undefined;
      compilable = false;
      return BREAK;
    },
  });
  return compilable;
}

/** A deep copy of an AST (its `loc` shared): graphql-jit annotates the nodes it compiles. */
function copyOf<T extends ASTNode>(node: T): T {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === 'loc' || value === null || typeof value !== 'object') copy[key] = value;
    else
      copy[key] = Array.isArray(value)
        ? value.map((item) => (item !== null && typeof item === 'object' ? copyOf(item) : item))
        : copyOf(value as ASTNode);
  }
  return copy as T;
}

/**
 * Whether a plugin observes this execution field by field: Apollo then sets its dispatcher on the context under a
 * symbol of its own (not exported), and wraps the schema's resolvers, which only graphql-js calls for each field.
 */
function observedFieldByField(contextValue: unknown): boolean {
  if (typeof contextValue !== 'object' || contextValue === null) return false;
  return Object.getOwnPropertySymbols(contextValue).some(
    (symbol) => symbol.description === 'apolloServerExecutionDispatcherWillResolveField',
  );
}

/**
 * graphql-jit's errors as graphql-js would give them: it leaves `extensions` unset on errors it raises itself (a null
 * in a non-null field) and on errors thrown without any, where graphql-js has `{}` (or the thrown error's own).
 */
function asGraphQLJsResult(result: ExecutionResult): ExecutionResult {
  if (!result.errors?.some((error) => !error.extensions)) return result;
  return { ...result, errors: result.errors.map((error) => (error.extensions ? error : rebuilt(error))) };
}

function rebuilt(error: GraphQLError): GraphQLError {
  const thrown: unknown = error.originalError;
  // graphql-js wraps a thrown value that is not an Error, and says what it was.
  const original =
    thrown === undefined || thrown instanceof Error ? thrown : new Error(`Unexpected error value: ${inspect(thrown)}`);
  const message = thrown === original ? error.message : original!.message;
  const copy = new GraphQLError(message, {
    path: error.path,
    originalError: original,
    extensions: (original as { extensions?: Record<string, unknown> } | undefined)?.extensions,
  });
  // graphql-js derives locations from AST nodes, which graphql-jit's errors do not carry: keep graphql-jit's.
  (copy as { locations?: GraphQLError['locations'] }).locations = error.locations;
  return copy;
}

/**
 * The schema's resolvers as built, for graphql-jit, which takes field and type resolvers from the schema when it
 * compiles:
 * - Apollo wraps every field resolver, for good, at the first request a plugin observes field by field (a traced one);
 *   the wrappers only matter to such requests, which graphql-js runs, and would cost every compiled field a call;
 * - graphql-jit calls type resolvers outside its error handling: one that throws fails the whole operation or, below
 *   an async field, becomes an unhandled rejection (which ends a Node process). Guarded, a throwing type resolver
 *   answers undefined, an error of that field. graphql-js keeps the unguarded ones, and with them the thrown message.
 */
class ResolversAsBuilt {
  readonly #fields: { field: { resolve?: unknown }; resolve: unknown }[] = [];
  readonly #types: { type: GraphQLAbstractType; resolveType: GraphQLAbstractType['resolveType'] }[] = [];

  constructor(schema: GraphQLSchema) {
    for (const type of Object.values(schema.getTypeMap())) {
      if (isObjectType(type))
        for (const field of Object.values(type.getFields())) this.#fields.push({ field, resolve: field.resolve });
      if (isAbstractType(type) && type.resolveType) this.#types.push({ type, resolveType: guarded(type.resolveType) });
    }
  }

  /** Runs `compile` (synchronous) with these resolvers in the schema, then puts back what was there. */
  during<T>(compile: () => T): T {
    const fields = this.#fields.map(({ field }) => field.resolve);
    const types = this.#types.map(({ type }) => type.resolveType);
    this.#fields.forEach(({ field, resolve }) => (field.resolve = resolve));
    this.#types.forEach(({ type, resolveType }) => (type.resolveType = resolveType));
    try {
      return compile();
    } finally {
      this.#fields.forEach(({ field }, i) => (field.resolve = fields[i]));
      this.#types.forEach(({ type }, i) => (type.resolveType = types[i]));
    }
  }
}

function guarded<T extends (...args: never[]) => unknown>(resolveType: T): T {
  return ((...args: Parameters<T>) => {
    try {
      return resolveType(...args);
    } catch {
      return undefined;
    }
  }) as T;
}

/** graphql-js's variable coercion errors (null when the variables are valid). */
function variableErrors(schema: GraphQLSchema, operation: OperationDefinitionNode, variables: Record<string, unknown>) {
  const definitions = operation.variableDefinitions;
  if (!definitions || definitions.length === 0) return null;
  const coerced = getVariableValues(schema, definitions, variables, { maxErrors: 50 });
  return coerced.errors ?? null;
}
