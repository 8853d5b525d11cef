/**
 * Look-ahead: which fields the client selected below the field being resolved, so that one upstream request can ask
 * for exactly the relationships (Cycle `include`, `meta`) the client wants. Fragments, aliases and @skip/@include
 * are handled by graphql-parse-resolve-info.
 */
import type { FieldNode, GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';

/**
 * The parsed selection below a field, once per request: a field under a list resolves once per item with the same
 * `fieldNodes` (graphql-js reuses them), and parsing it 20 times for 20 images is waste. The variables are part of the
 * key because `@skip`/`@include` may depend on them, and parsed documents (and so `fieldNodes`) outlive a request.
 */
interface ParsedSelection {
  variables: GraphQLResolveInfo['variableValues'];
  tree: ResolveTree | null;
  /** `selectedFields` answers by type name: the same Set for every item, so callers may memoise on it. */
  byType: Map<string, ReadonlySet<string>>;
}

const parsed = new WeakMap<readonly FieldNode[], ParsedSelection>();

function selection(info: GraphQLResolveInfo): ParsedSelection {
  const known = parsed.get(info.fieldNodes);
  if (known && known.variables === info.variableValues) return known;
  const fresh = { variables: info.variableValues, tree: parseResolveInfo(info) as ResolveTree | null, byType: new Map() };
  parsed.set(info.fieldNodes, fresh);
  return fresh;
}

function selectionTree(info: GraphQLResolveInfo): ResolveTree | null {
  return selection(info).tree;
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
export function selectedNodeFields(info: GraphQLResolveInfo, connectionType: string, edgeType: string, nodeType: string): Set<string> {
  const tree = selectionTree(info);
  const names = new Set<string>();
  if (!tree) return names;
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
