/**
 * Secret inputs are marked once, in the schema: `@secret` on an input field or argument (schema/common.graphql).
 * `SecretInputs` finds the values an operation gives them, by the schema's types and not by any name: string literals
 * in secret positions of the document, and in the variables, every string under a secret input field of a variable's
 * input type, and every string of a variable used in a secret position. What it finds joins the request's SecretSet.
 *
 * The document's part is planned once per parsed document (Apollo reuses one per query text); per request only the
 * variables that can hold secrets are walked, iteratively, within the variables limits (inputShape.ts).
 */
import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  Kind,
  TypeInfo,
  typeFromAST,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLArgument,
  type GraphQLInputField,
  type GraphQLInputType,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import type { SecretSet } from './secrets.js';

export const SECRET_DIRECTIVE = 'secret';

/** What one document gives secret inputs, before its variables are known. */
interface SecretPlan {
  /** String literals in secret positions. */
  literals: string[];
  /** Variables used in a secret position: every string in them is a secret. */
  wholeVariables: Set<string>;
  /** Variables whose declared input type has secret fields somewhere below. */
  typedVariables: { name: string; type: GraphQLInputType }[];
}

export function isSecretInput(input: GraphQLArgument | GraphQLInputField): boolean {
  return input.astNode?.directives?.some((directive) => directive.name.value === SECRET_DIRECTIVE) ?? false;
}

export class SecretInputs {
  readonly #schema: GraphQLSchema;
  readonly #holdsSecrets = new Map<string, boolean>();
  readonly #plans = new WeakMap<DocumentNode, SecretPlan>();

  constructor(schema: GraphQLSchema) {
    this.#schema = schema;
  }

  /**
   * Adds the operation's secret values to `secrets`; false when they are more than a request may hold (the caller
   * refuses the operation). `variables` must be within the variables limits already.
   */
  collect(document: DocumentNode, variables: unknown, secrets: SecretSet): boolean {
    let plan = this.#plans.get(document);
    if (!plan) this.#plans.set(document, (plan = this.#plan(document)));
    let ok = secrets.addAll(plan.literals);
    if (variables === null || typeof variables !== 'object') return ok;
    const given = variables as Record<string, unknown>;
    for (const name of plan.wholeVariables) if (Object.hasOwn(given, name)) ok = addStrings(given[name], secrets) && ok;
    for (const { name, type } of plan.typedVariables)
      if (Object.hasOwn(given, name)) ok = this.#addTyped(given[name], type, secrets) && ok;
    return ok;
  }

  #plan(document: DocumentNode): SecretPlan {
    const plan: SecretPlan = { literals: [], wholeVariables: new Set(), typedVariables: [] };
    const typeInfo = new TypeInfo(this.#schema);
    const inSecretPosition = (value: ValueNode) => collectValueNode(value, plan);
    // TypeInfo has entered each node when the visitor sees it: argument and input field definitions are at hand.
    visit(
      document,
      visitWithTypeInfo(typeInfo, {
        [Kind.VARIABLE_DEFINITION]: (node) => {
          const type = typeFromAST(this.#schema, node.type as never) as GraphQLInputType | undefined;
          if (type && this.#typeHoldsSecrets(type)) plan.typedVariables.push({ name: node.variable.name.value, type });
        },
        [Kind.ARGUMENT]: (node) => {
          const argument = typeInfo.getArgument();
          if (argument && isSecretInput(argument)) inSecretPosition(node.value);
        },
        [Kind.OBJECT_FIELD]: (node) => {
          const parent = typeInfo.getParentInputType();
          const named = parent ? getNamedType(parent) : undefined;
          const field = named && isInputObjectType(named) ? named.getFields()[node.name.value] : undefined;
          if (field && isSecretInput(field)) inSecretPosition(node.value);
        },
      }),
    );
    return plan;
  }

  /** Whether values of `type` can hold a secret input field (memoised per named type; cycles are followed once). */
  #typeHoldsSecrets(type: GraphQLInputType): boolean {
    const root = getNamedType(type);
    if (!isInputObjectType(root)) return false;
    const known = this.#holdsSecrets.get(root.name);
    if (known !== undefined) return known;
    // Iterative search over the input types reachable from `root`.
    const seen = new Set<string>([root.name]);
    const pending = [root];
    let found = false;
    while (pending.length > 0 && !found) {
      const current = pending.pop()!;
      for (const field of Object.values(current.getFields())) {
        if (isSecretInput(field)) {
          found = true;
          break;
        }
        const named = getNamedType(field.type);
        if (isInputObjectType(named) && !seen.has(named.name)) {
          seen.add(named.name);
          pending.push(named);
        }
      }
    }
    this.#holdsSecrets.set(root.name, found);
    return found;
  }

  /** The strings under secret input fields of `value`, read as `type` (as graphql-js will coerce it). */
  #addTyped(value: unknown, type: GraphQLInputType, secrets: SecretSet): boolean {
    let ok = true;
    const pending: { value: unknown; type: GraphQLInputType }[] = [{ value, type }];
    while (pending.length > 0) {
      const item = pending.pop()!;
      const nullable = getNullableType(item.type);
      if (item.value === null || item.value === undefined) continue;
      if (isListType(nullable)) {
        const items = Array.isArray(item.value) ? item.value : [item.value];
        for (const entry of items) pending.push({ value: entry, type: nullable.ofType as GraphQLInputType });
      } else if (isInputObjectType(nullable) && typeof item.value === 'object' && !Array.isArray(item.value)) {
        const given = item.value as Record<string, unknown>;
        for (const field of Object.values(nullable.getFields())) {
          if (!Object.hasOwn(given, field.name)) continue;
          if (isSecretInput(field)) ok = addStrings(given[field.name], secrets) && ok;
          else if (this.#typeHoldsSecrets(field.type)) pending.push({ value: given[field.name], type: field.type });
        }
      }
    }
    return ok;
  }
}

/** Every string literal of a value node in a secret position; the variables in it become whole secrets. */
function collectValueNode(root: ValueNode, plan: SecretPlan): void {
  const pending: ValueNode[] = [root];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.kind === Kind.STRING) plan.literals.push(node.value);
    else if (node.kind === Kind.VARIABLE) plan.wholeVariables.add(node.name.value);
    else if (node.kind === Kind.LIST) pending.push(...node.values);
    else if (node.kind === Kind.OBJECT) for (const field of node.fields) pending.push(field.value);
  }
}

/** Every string in a JSON value (iteratively; uploaded files and other non-plain objects are not entered). */
function addStrings(value: unknown, secrets: SecretSet): boolean {
  let ok = true;
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item === 'string') ok = secrets.add(item) && ok;
    else if (Array.isArray(item)) for (const entry of item) pending.push(entry);
    else if (item !== null && typeof item === 'object' && Object.getPrototypeOf(item) === Object.prototype)
      for (const entry of Object.values(item)) pending.push(entry);
  }
  return ok;
}
