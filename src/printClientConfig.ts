/**
 * `npm run client-config`: prints the client cache configuration (possibleTypes, Apollo Client typePolicies) derived
 * from the schema, as JSON on stdout (docs/clients.md):
 *
 *   npm run --silent client-config > src/imagegraph-client-config.json
 */
import { execute, parse } from 'graphql';
import { clientConfig } from './clientConfig.js';
import { buildSchema } from './schema.js';

const schema = buildSchema();
const result = await execute({ schema, document: parse('{ _service { sdl } }') });
const sdl = (result.data?._service as { sdl?: unknown } | undefined)?.sdl;
if (typeof sdl !== 'string') {
  process.stderr.write('printClientConfig: _service { sdl } failed\n');
  process.exitCode = 1;
} else {
  process.stdout.write(`${JSON.stringify(clientConfig(schema, sdl), null, 2)}\n`);
}
