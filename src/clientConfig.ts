/**
 * Client cache configuration derived from the schema itself (never hand-written, so it cannot drift), printed by
 * `npm run client-config` and served at `/client-config.json` (docs/clients.md):
 * - `possibleTypes`: every interface and union with its object types. Without it Apollo Client drops fields selected
 *   through fragments on `Node`, `Job`, `Creator`, and Graphcache guesses fragment matches.
 * - `typePolicies`: Apollo Client `keyFields` from each entity's federation `@key`, so `Package`, `App`, `Repository`
 *   and `Registry` are normalized too, and one repository name in two namespaces stays two records.
 * - `embeddedTypes`: object types with no identity of their own (no `@key`, no `id`), which a cache stores inside
 *   their parent. Graphcache warns about each one unless its `keys` says so.
 * - `identifiedTypes`: the other object types with an `id` (creators, jobs, …), keyed by it; listed so that a cache
 *   configured from this file stores them inside their parent when a selection leaves `id` out, instead of warning.
 * - `connections`: every field answering a Relay connection, with the arguments that tell lists apart (all but
 *   `first`/`after`/`last`/`before`): Apollo Client's `relayStylePagination(keyArgs)` and Graphcache's
 *   `relayPagination()` go there, or `fetchMore` replaces a list's first page instead of appending the next.
 */
import { getNamedType, isAbstractType, isObjectType, Kind, type GraphQLObjectType, type GraphQLSchema } from 'graphql';

export interface ClientConnection {
  /** The type that has the field (`Query`, `ImageSource`, …). */
  type: string;
  field: string;
  /** The field's arguments other than the pagination ones. */
  keyArgs: string[];
}

export interface ClientConfig {
  possibleTypes: Record<string, string[]>;
  typePolicies: Record<string, { keyFields: string[] }>;
  embeddedTypes: string[];
  identifiedTypes: string[];
  connections: ClientConnection[];
}

const PAGINATION_ARGS = new Set(['first', 'after', 'last', 'before']);

/** Whether a type is a Relay connection (a page of edges or nodes, with its page info). */
function isConnection(type: GraphQLObjectType): boolean {
  const fields = type.getFields();
  return fields.pageInfo !== undefined && (fields.edges !== undefined || fields.nodes !== undefined);
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
  const config: ClientConfig = {
    possibleTypes: {},
    typePolicies: {},
    embeddedTypes: [],
    identifiedTypes: [],
    connections: [],
  };
  const types = Object.values(schema.getTypeMap())
    .filter((type) => !type.name.startsWith('_'))
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const type of types) {
    if (isAbstractType(type)) {
      config.possibleTypes[type.name] = schema
        .getPossibleTypes(type)
        .map((t) => t.name)
        .sort();
    } else if (isObjectType(type)) {
      for (const field of Object.values(type.getFields())) {
        const answer = getNamedType(field.type);
        if (isObjectType(answer) && isConnection(answer))
          config.connections.push({
            type: type.name,
            field: field.name,
            keyArgs: field.args.map((a) => a.name).filter((name) => !PAGINATION_ARGS.has(name)),
          });
      }
      if (roots.has(type)) continue;
      const keyFields = keyFieldsOf(type);
      if (keyFields) config.typePolicies[type.name] = { keyFields };
      else if (type.getFields().id) config.identifiedTypes.push(type.name);
      else config.embeddedTypes.push(type.name);
    }
  }
  return config;
}
