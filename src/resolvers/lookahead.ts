/**
 * Look-ahead: which fields the client selected below the field being resolved, so that one upstream request can ask
 * for exactly the relationships (Cycle `include`, `meta`) the client wants. Fragments, aliases and @skip/@include
 * are handled by graphql-parse-resolve-info.
 */
import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';

/**
 * The parsed selection below a field, parsed once and reused: a field under a list resolves once per item, and
 * parsed documents outlive a request (Apollo caches them by query text). Entries are keyed by the field's AST node
 * (graphql-js builds a new `fieldNodes` array per execution, but its nodes are the cached document's). The variables
 * are part of the key because `@skip`/`@include` may depend on them: an entry serves the request whose variables it
 * was parsed with, and every execution without variables (the selection then depends on the document alone). It
 * holds field names only, never data, so sharing it across requests shares nothing of a caller's.
 */
interface ParsedSelection {
  fieldNodes: readonly FieldNode[];
  variables: GraphQLResolveInfo['variableValues'];
  tree: ResolveTree | null;
  /** Answers by type name (or connection path): the same Set every time, so callers may memoise on it. */
  byType: Map<string, ReadonlySet<string>>;
}

const parsed = new WeakMap<FieldNode, ParsedSelection>();

function selection(info: GraphQLResolveInfo): ParsedSelection {
  const first = info.fieldNodes[0]!;
  const known = parsed.get(first);
  if (known && sameNodes(known.fieldNodes, info.fieldNodes) && sameVariables(known.variables, info.variableValues)) return known;
  const fresh = { fieldNodes: info.fieldNodes, variables: info.variableValues, tree: parseResolveInfo(info) as ResolveTree | null, byType: new Map() };
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

/** Names (not aliases) of the fields selected on `typeName` directly below the current field. */
export function selectedFields(info: GraphQLResolveInfo, typeName: string): ReadonlySet<string> {
  const current = selection(info);
  let names = current.byType.get(typeName);
  if (!names) {
    names = current.tree ? fieldNamesOn(current.tree, typeName) : new Set<string>();
    current.byType.set(typeName, names);
  }
  return names;
}

/** Names of the fields selected on the nodes of a Relay connection: under `edges { node }` and under `nodes`. */
export function selectedNodeFields(info: GraphQLResolveInfo, connectionType: string, edgeType: string, nodeType: string): ReadonlySet<string> {
  const current = selection(info);
  const key = `${connectionType} ${edgeType} ${nodeType}`;
  let names = current.byType.get(key);
  if (!names) {
    names = current.tree ? connectionNodeFields(current.tree, connectionType, edgeType, nodeType) : new Set<string>();
    current.byType.set(key, names);
  }
  return names;
}

function connectionNodeFields(tree: ResolveTree, connectionType: string, edgeType: string, nodeType: string): Set<string> {
  const names = new Set<string>();
  for (const field of Object.values(tree.fieldsByTypeName[connectionType] ?? {})) {
    if (field.name === 'nodes') fieldNamesOn(field, nodeType).forEach((n) => names.add(n));
    if (field.name === 'edges') {
      for (const edgeField of Object.values(field.fieldsByTypeName[edgeType] ?? {})) {
        if (edgeField.name === 'node') fieldNamesOn(edgeField, nodeType).forEach((n) => names.add(n));
      }
    }
  }
  return names;
}

function fieldNamesOn(tree: ResolveTree, typeName: string): Set<string> {
  return new Set(Object.values(tree.fieldsByTypeName[typeName] ?? {}).map((field) => field.name));
}
