/**
 * The check a multipart request's operations pass before any of its files is read (multipart.ts): each operation
 * parsed (within MAX_TOKENS) and validated against the schema with the same rules as every request, and its
 * variables coerced, a file in each place `map` names. A file mapped to a variable the operation does not declare, or
 * to a place that does not take an `Upload`, fails coercion here, before its bytes are read. Persisted-query-only
 * operations (no `query`) are refused: there is nothing to check the files against.
 */
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { limitValidationRules, type RequestLimits } from '../plugins/requestLimits.js';
import { scrubError } from '../plugins/secretScrubbing.js';
import { SecretInputs } from '../secretInputs.js';
import { SecretSet } from '../secrets.js';

/** At most this many coercion errors are reported for one operation. */
const MAX_COERCION_ERRORS = 10;

export function createUploadPreflight(
  schema: GraphQLSchema,
  limits: RequestLimits,
): (operations: unknown) => readonly GraphQLFormattedError[] {
  const rules: ValidationRule[] = [...specifiedRules, ...limitValidationRules(limits)];
  const secretInputs = new SecretInputs(schema);
  return (operations) => {
    const list = Array.isArray(operations) ? operations : [operations];
    const errors: GraphQLFormattedError[] = [];
    for (const operation of list) {
      const found = checkOne(schema, rules, limits, operation);
      if (found.errors.length === 0) continue;
      // Coercion errors quote values: the operation's secret inputs are scrubbed from them, as from every answer.
      const secrets = new SecretSet();
      if (found.document)
        secretInputs.collect(found.document, (operation as { variables?: unknown }).variables, secrets);
      errors.push(...found.errors.map((error) => scrubError(error.toJSON(), secrets)));
    }
    return errors;
  };
}

function checkOne(
  schema: GraphQLSchema,
  rules: readonly ValidationRule[],
  limits: RequestLimits,
  operation: unknown,
): { errors: readonly GraphQLError[]; document?: DocumentNode } {
  const { query, operationName, variables } = (operation ?? {}) as Record<string, unknown>;
  if (typeof query !== 'string' || query.trim() === '')
    return {
      errors: [
        coded(
          'A multipart request carries its operation as `query` text (persisted queries cannot upload)',
          'BAD_REQUEST',
        ),
      ],
    };
  let document: DocumentNode;
  try {
    document = parse(query, { maxTokens: limits.maxTokens });
  } catch (error) {
    if (error instanceof GraphQLError)
      return {
        errors: [
          withCode(error, /more th\w+ \d+ tokens/.test(error.message) ? 'TOO_MANY_TOKENS' : 'GRAPHQL_PARSE_FAILED'),
        ],
      };
    throw error;
  }
  const invalid = validate(schema, document, rules);
  if (invalid.length > 0)
    return { errors: invalid.map((error) => withCode(error, limitOf(error) ?? 'GRAPHQL_VALIDATION_FAILED')), document };
  const selected = getOperationAST(document, typeof operationName === 'string' ? operationName : null);
  if (!selected)
    return { errors: [coded('The document names no operation to run: give `operationName`', 'BAD_REQUEST')], document };
  const declared = new Set(selected.variableDefinitions?.map((definition) => definition.variable.name.value));
  const given = (variables ?? {}) as Record<string, unknown>;
  const undeclared = Object.keys(given).filter(
    (name) => !declared.has(name) && given[name] !== null && typeof given[name] === 'object',
  );
  for (const name of undeclared)
    if (holdsUpload(given[name]))
      return {
        errors: [coded(`A file goes to \`variables.${name}\`, which the operation does not declare`, 'BAD_USER_INPUT')],
        document,
      };
  const coerced = getVariableValues(schema, selected.variableDefinitions ?? [], given, {
    maxErrors: MAX_COERCION_ERRORS,
  });
  const errors = 'errors' in coerced && coerced.errors ? coerced.errors.map((e) => withCode(e, 'BAD_USER_INPUT')) : [];
  return { errors, document };
}

/** Whether an undeclared variable holds a file (its value is within the variables limits already). */
function holdsUpload(value: unknown): boolean {
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (item === null || typeof item !== 'object') continue;
    if (Array.isArray(item)) pending.push(...item);
    else if (Object.getPrototypeOf(item) === Object.prototype) pending.push(...Object.values(item));
    else return true;
  }
  return false;
}

function limitOf(error: GraphQLError): string | undefined {
  const limit = (error.extensions as { limit?: unknown }).limit;
  return typeof limit === 'string' ? limit : undefined;
}

function coded(message: string, code: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  const { limit: _limit, ...extensions } = error.extensions as Record<string, unknown>;
  return new GraphQLError(error.message, {
    ...(error.nodes ? { nodes: error.nodes } : {}),
    ...(error.source ? { source: error.source } : {}),
    ...(error.positions ? { positions: error.positions } : {}),
    extensions: { ...extensions, code },
  });
}
