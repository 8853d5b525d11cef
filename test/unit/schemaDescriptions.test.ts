import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLNamedType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildSchema } from '../../src/schema.js';

// The SDL's descriptions are the documentation GraphiQL's docs explorer shows: every type, field, argument, enum
// value and input field of ours has one. Federation's own additions (`_service`, `_entities`, `_Any`, `link__*`,
// `federation__*`) and introspection are not ours to describe.
const FEDERATION_TYPES = new Set(['_Service', '_Any', '_Entity']);
const FEDERATION_FIELDS = new Set(['Query._service', 'Query._entities']);

function isOurs(type: GraphQLNamedType): boolean {
  return (
    !isIntrospectionType(type) &&
    !isSpecifiedScalarType(type) &&
    !FEDERATION_TYPES.has(type.name) &&
    !/^(link|federation)__/.test(type.name)
  );
}

/** Coordinates (`Type`, `Type.field`, `Type.field(arg:)`, `Enum.VALUE`, `Input.field`) that have no description. */
function undocumented(): string[] {
  const schema = buildSchema();
  const missing: string[] = [];
  const check = (coordinate: string, description: string | null | undefined) => {
    if (!description?.trim()) missing.push(coordinate);
  };
  for (const type of Object.values(schema.getTypeMap()).filter(isOurs)) {
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        const coordinate = `${type.name}.${field.name}`;
        if (FEDERATION_FIELDS.has(coordinate)) continue;
        check(coordinate, field.description);
        for (const arg of field.args) check(`${coordinate}(${arg.name}:)`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  return missing;
}

describe('schema documentation', () => {
  it('describes every type, field, argument, enum value and input field', () => {
    expect(undocumented()).toEqual([]);
  });
});
