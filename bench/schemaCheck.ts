/**
 * Which documents the running gateway's schema accepts, checked locally: the gateway's own SDL (`_service { sdl }`,
 * answered even with introspection off) rebuilt as a subgraph schema, then graphql-js validation. Independent of how
 * the gateway words its validation errors.
 */
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, validate, type GraphQLSchema } from 'graphql';
import type { Gql } from './corpus.js';

export async function servedSchema(gql: Gql): Promise<GraphQLSchema> {
  const answer = await gql('{ _service { sdl } }');
  const sdl = answer.data?._service?.sdl as string | undefined;
  if (!sdl)
    throw new Error(`the gateway did not give its SDL: ${JSON.stringify(answer.errors ?? answer).slice(0, 300)}`);
  return buildSubgraphSchema([{ typeDefs: parse(sdl) }]);
}

/** Null when the document validates, else the first problem. */
export function validationProblem(schema: GraphQLSchema, document: string): string | null {
  try {
    const errors = validate(schema, parse(document));
    return errors.length ? errors[0]!.message : null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
