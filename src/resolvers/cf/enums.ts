/**
 * GraphQL enum values ↔ Cloud Foundry's own strings (cf-v3-packages.md §3, §4). The same pairs are declared for
 * codegen (codegen.yml `enumValues`), so the compiler checks these maps against the generated types. States use CF's
 * own upper-case names and need no mapping.
 */
import type { Resolvers } from '../../__generated__/resolvers-types.js';

export const cfEnumResolvers = {
  PackageType: { BITS: 'bits', DOCKER: 'docker' },
  CfTimestampField: { CREATED_AT: 'created_at', UPDATED_AT: 'updated_at' },
  AppOrderField: { CREATED_AT: 'created_at', UPDATED_AT: 'updated_at', NAME: 'name', STATE: 'state' },
} satisfies Resolvers;
