/**
 * `npm run supergraph`: prints this subgraph's SDL (exactly what `{ _service { sdl } }` answers: the schema with its
 * Federation 2 `@link` and directives) to stdout, for a composition pipeline, without starting anything:
 *
 *   npm run --silent supergraph > imagegraph.graphql
 *   rover subgraph publish <graph>@<variant> --name imagegraph --schema imagegraph.graphql --routing-url https://…/graphql
 *
 * or list the file in Rover's `supergraph.yaml` (`schema: { file: imagegraph.graphql }`), Hive's `schema:publish`, etc.
 */
import { execute, parse } from 'graphql';
import { buildSchema } from './schema.js';

const result = await execute({ schema: buildSchema(), document: parse('{ _service { sdl } }') });
const sdl = (result.data?._service as { sdl?: unknown } | undefined)?.sdl;
if (result.errors?.length || typeof sdl !== 'string') {
  process.stderr.write(
    `printSubgraphSdl: _service { sdl } failed: ${result.errors?.map((e) => e.message).join('; ') ?? 'no SDL'}\n`,
  );
  process.exitCode = 1;
} else {
  process.stdout.write(sdl.endsWith('\n') ? sdl : `${sdl}\n`);
}
