/**
 * Look-ahead: which fields the client selected below the field being resolved, so that one upstream request can ask
 * for exactly the relationships (Cycle `include`, `meta`) the client wants. Fragments, aliases and @skip/@include
 * are handled by graphql-parse-resolve-info.
 */
import type { GraphQLResolveInfo } from 'graphql';
import { parseResolveInfo, type ResolveTree } from 'graphql-parse-resolve-info';

/** Names (not aliases) of the fields selected on `typeName` directly below the current field. */
export function selectedFields(info: GraphQLResolveInfo, typeName: string): Set<string> {
  const tree = parseResolveInfo(info) as ResolveTree | null;
  return tree ? fieldNamesOn(tree, typeName) : new Set();
}

/** Names of the fields selected on the nodes of a Relay connection: under `edges { node }` and under `nodes`. */
export function selectedNodeFields(info: GraphQLResolveInfo, connectionType: string, edgeType: string, nodeType: string): Set<string> {
  const tree = parseResolveInfo(info) as ResolveTree | null;
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
