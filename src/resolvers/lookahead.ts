/**
 * Look-ahead: which fields the client selected below the field being resolved, so that one upstream request can ask
 * for exactly the relationships (Cycle `include`, `meta`) the client wants. Fragments, aliases and @skip/@include
 * are handled by graphql-parse-resolve-info.
 */
import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';
import { BoundedMemo } from '../memo.js';

/**
 * The parsed selection below a field, parsed once and reused: a field under a list resolves once per item, and
 * parsed documents outlive a request (Apollo caches them by query text). Entries are keyed by the field's AST node
 * (graphql-js builds a new `fieldNodes` array per execution, but its nodes are the cached document's). The variables
 * are part of the key because `@skip`/`@include` may depend on them: an entry serves the request whose variables it
 * was parsed with, and every execution without variables (the selection then depends on the document alone).
 *
 * Invariant: an entry is a function of its field nodes and variables only. It holds field names, never data, so
 * sharing it across requests shares nothing of a caller's, and an evicted entry is parsed again to the same value.
 */
interface ParsedSelection {
  fieldNodes: readonly FieldNode[];
  variables: GraphQLResolveInfo['variableValues'];
  tree: ResolveTree | null;
  /** Answers by type name (or connection path): the same object every time, so callers may memoise on it. */
  byType: Map<string, SelectedFields>;
  /** Whether the field itself selects nothing but identity fields; computed on first ask. */
  identityOnly?: boolean;
}

/**
 * Names (not aliases) of the fields selected on a type. `identityOnly` names those among them whose every selection
 * asks for nothing but `id` and `__typename`: a relationship selected so can be answered from the reference its parent
 * holds, without reading the related resource. (Leaf fields have no selection and are listed there too; callers ask
 * about relationships only.)
 */
export type SelectedFields = ReadonlySet<string> & { readonly identityOnly: ReadonlySet<string> };

/** What a reference alone answers (graphql-parse-resolve-info leaves `__typename` out of its trees). */
const IDENTITY_FIELDS: ReadonlySet<string> = new Set(['id']);

/** Fields with a look-ahead across the documents in use: far more than one document has, so hits stay the rule. */
const MAX_PARSED_SELECTIONS = 2_000;
const parsed = new BoundedMemo<FieldNode, ParsedSelection>(MAX_PARSED_SELECTIONS);

function selection(info: GraphQLResolveInfo): ParsedSelection {
  const first = info.fieldNodes[0]!;
  const known = parsed.get(first);
  if (known && sameNodes(known.fieldNodes, info.fieldNodes) && sameVariables(known.variables, info.variableValues))
    return known;
  const fresh = {
    fieldNodes: info.fieldNodes,
    variables: info.variableValues,
    tree: parseResolveInfo(info) as ResolveTree | null,
    byType: new Map(),
  };
  parsed.set(first, fresh);
  return fresh;
}

function sameNodes(a: readonly FieldNode[], b: readonly FieldNode[]): boolean {
  return a === b || (a.length === b.length && a.every((node, i) => node === b[i]));
}

function sameVariables(a: GraphQLResolveInfo['variableValues'], b: GraphQLResolveInfo['variableValues']): boolean {
  return a === b || (isEmpty(a) && isEmpty(b));
}

function isEmpty(variables: GraphQLResolveInfo['variableValues']): boolean {
  for (const _ in variables) return false;
  return true;
}

/** The fields selected on `typeName` directly below the current field. */
export function selectedFields(info: GraphQLResolveInfo, typeName: string): SelectedFields {
  const current = selection(info);
  let selected = current.byType.get(typeName);
  if (!selected) {
    const fields = new FieldCollector();
    if (current.tree) fields.addOn(current.tree, typeName);
    selected = fields.result();
    current.byType.set(typeName, selected);
  }
  return selected;
}

/** The fields selected on the nodes of a Relay connection: under `edges { node }` and under `nodes`. */
export function selectedNodeFields(
  info: GraphQLResolveInfo,
  connectionType: string,
  edgeType: string,
  nodeType: string,
): SelectedFields {
  const current = selection(info);
  const key = `${connectionType} ${edgeType} ${nodeType}`;
  let selected = current.byType.get(key);
  if (!selected) {
    const fields = new FieldCollector();
    if (current.tree) {
      for (const field of Object.values(current.tree.fieldsByTypeName[connectionType] ?? {})) {
        if (field.name === 'nodes') fields.addOn(field, nodeType);
        if (field.name === 'edges') {
          for (const edgeField of Object.values(field.fieldsByTypeName[edgeType] ?? {})) {
            if (edgeField.name === 'node') fields.addOn(edgeField, nodeType);
          }
        }
      }
    }
    selected = fields.result();
    current.byType.set(key, selected);
  }
  return selected;
}

/** Whether the current field selects nothing but `id` and `__typename`, on every type it may resolve to. */
export function selectsOnlyIdentity(info: GraphQLResolveInfo): boolean {
  const current = selection(info);
  return (current.identityOnly ??= current.tree ? asksOnlyIdentity(current.tree) : false);
}

function asksOnlyIdentity(field: ResolveTree): boolean {
  return Object.values(field.fieldsByTypeName).every((fields) =>
    Object.values(fields).every((sub) => IDENTITY_FIELDS.has(sub.name)),
  );
}

/** Collects names over several selections of a type; a name is identity-only when every one of its selections is. */
class FieldCollector {
  readonly #names = new Set<string>();
  readonly #needMore = new Set<string>();

  addOn(tree: ResolveTree, typeName: string): void {
    for (const field of Object.values(tree.fieldsByTypeName[typeName] ?? {})) {
      this.#names.add(field.name);
      if (!asksOnlyIdentity(field)) this.#needMore.add(field.name);
    }
  }

  result(): SelectedFields {
    const identityOnly = new Set([...this.#names].filter((name) => !this.#needMore.has(name)));
    return Object.assign(new Set(this.#names), { identityOnly });
  }
}
