/**
 * Client cache configuration derived from the schema itself (never hand-written, so it cannot drift):
 * `possibleTypes` (every interface and union with its object types, without which Apollo Client drops fields
 * selected through fragments on `Node`, `Job`, `Creator`) and Apollo Client `typePolicies` with `keyFields` from
 * each entity's federation `@key` (so `Package`, `App`, `Repository`, `Registry` are normalized too, and one
 * repository name in two namespaces stays two records).
 */
import { isAbstractType, isObjectType, Kind, parse, type GraphQLSchema } from 'graphql';

export interface ClientConfig {
  possibleTypes: Record<string, string[]>;
  typePolicies: Record<string, { keyFields: string[] }>;
}

/** `@key(fields: "namespace name")` → `['namespace', 'name']` (flat keys: imagegraph has no nested key fields). */
function keyFieldsOf(fields: string): string[] {
  return fields.split(/\s+/).filter(Boolean);
}

export function clientConfig(schema: GraphQLSchema, subgraphSdl: string): ClientConfig {
  const possibleTypes: Record<string, string[]> = {};
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !isAbstractType(type)) continue;
    possibleTypes[type.name] = schema
      .getPossibleTypes(type)
      .map((t) => t.name)
      .sort();
  }
  const typePolicies: Record<string, { keyFields: string[] }> = {};
  for (const definition of parse(subgraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.OBJECT_TYPE_EXTENSION) continue;
    const key = definition.directives?.find((d) => d.name.value === 'key');
    const fields = key?.arguments?.find((a) => a.name.value === 'fields')?.value;
    if (fields?.kind !== Kind.STRING || !isObjectType(schema.getType(definition.name.value))) continue;
    typePolicies[definition.name.value] = { keyFields: keyFieldsOf(fields.value) };
  }
  return { possibleTypes, typePolicies };
}
