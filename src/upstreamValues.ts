/**
 * Fields whose model value may be an InvalidUpstreamValue (a value the upstream sent that the graph cannot express)
 * get a resolver that throws the matching GraphQL error instead of returning it, so that only that field fails. Only
 * these fields are wrapped: every other field keeps graphql-js's default property read (no wrapper call per field).
 * A decoder that starts putting a marker on another field adds that field here (building the schema fails on a
 * coordinate it lacks).
 */
import { defaultFieldResolver, isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { invalidUpstreamValue } from './errors.js';
import { isInvalidUpstreamValue } from './upstreams/shared/invalidValue.js';

/** `Type.field` coordinates the decoders may mark (src/upstreams/<api>/decode.ts). */
export const MARKABLE_FIELDS: readonly string[] = [
  'OciWebhookAuth.host',
  'DockerRegistryOrigin.url',
  'OciRegistryOrigin.url',
  'RegistryCredentialRef.url',
  'GitRepository.url',
  'Repository.registryHost',
  'ContainersCount.total',
  'ContainersCount.available',
  'ImagesCount.total',
  'Image.size',
  'ImageBackend.size',
  'ImageConfig.ports',
  'ImagePort.host',
  'ImagePort.container',
  'PackageConnection.totalCount',
  'AppConnection.totalCount',
  'DropletConnection.totalCount',
  'RepositoryConnection.totalCount',
  'RegistryConnection.totalCount',
  'Repository.starCount',
  'Registry.port',
  'Registry.name',
  'Registry.isSsl',
  'Registry.isDockerRegistry',
  'Image.name',
  'App.name',
  'App.state',
];

function checked(resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
  return (source, args, context, info) => {
    const value = resolve(source, args, context, info);
    if (isInvalidUpstreamValue(value)) throw invalidUpstreamValue(value);
    return value;
  };
}

/** Wraps the resolvers of MARKABLE_FIELDS in place; throws at start-up on a coordinate the schema lacks. */
export function checkUpstreamValues(schema: GraphQLSchema, coordinates: readonly string[] = MARKABLE_FIELDS): void {
  for (const coordinate of coordinates) {
    const [typeName, fieldName] = coordinate.split('.') as [string, string];
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[fieldName] : undefined;
    if (!field) throw new Error(`upstreamValues: the schema has no field ${coordinate}`);
    field.resolve = checked(field.resolve ?? defaultFieldResolver);
  }
}
