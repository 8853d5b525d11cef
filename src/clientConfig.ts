/**
 * Client cache configuration derived from the schema itself (never hand-written, so it cannot drift), printed by
 * `npm run client-config` and served at `/client-config.json` (docs/clients.md):
 * - `possibleTypes`: every interface and union with its object types. Without it Apollo Client drops fields selected
 *   through fragments on `Node`, `Job`, `Creator`, and Graphcache guesses fragment matches.
 * - `typePolicies`: Apollo Client `keyFields` from each entity's federation `@key`, so `Package`, `App`, `Repository`
 *   and `Registry` are normalized too, and one repository name in two namespaces stays two records.
 * - `embeddedTypes`: object types with no identity of their own (no `@key`, no `id`), which a cache stores inside
 *   their parent. Graphcache warns about each one unless its `keys` says so.
 */
import { isAbstractType, isObjectType, Kind, type GraphQLObjectType, type GraphQLSchema } from 'graphql';

export interface ClientConfig {
  possibleTypes: Record<string, string[]>;
  typePolicies: Record<string, { keyFields: string[] }>;
  embeddedTypes: string[];
}

/** The fields of a type's federation `@key` (`"namespace name"` → `['namespace', 'name']`), or null without one. */
function keyFieldsOf(type: GraphQLObjectType): string[] | null {
  for (const node of [type.astNode, ...type.extensionASTNodes]) {
    const key = node?.directives?.find((d) => d.name.value === 'key');
    const fields = key?.arguments?.find((a) => a.name.value === 'fields')?.value;
    // imagegraph's keys are flat field lists: no nested selections to parse.
    if (fields?.kind === Kind.STRING) return fields.value.split(/\s+/).filter(Boolean);
  }
  return null;
}

export function clientConfig(schema: GraphQLSchema): ClientConfig {
  const roots = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]);
  const config: ClientConfig = { possibleTypes: {}, typePolicies: {}, embeddedTypes: [] };
  const types = Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith('_'))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const type of types) {
    if (isAbstractType(type)) {
      config.possibleTypes[type.name] = schema
        .getPossibleTypes(type)
        .map((t) => t.name)
        .sort();
    } else if (isObjectType(type) && !roots.has(type)) {
      const keyFields = keyFieldsOf(type);
      if (keyFields) config.typePolicies[type.name] = { keyFields };
      else if (!type.getFields().id) config.embeddedTypes.push(type.name);
    }
  }
  return config;
}
