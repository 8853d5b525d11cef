/**
 * `npm run client-config`: prints the client cache configuration (possibleTypes, Apollo Client typePolicies,
 * embedded types) derived from the schema, as JSON on stdout, without starting anything (docs/clients.md):
 *
 *   npm run --silent client-config > imagegraph-client-config.json
 */
import { clientConfig } from './clientConfig.js';
import { buildSchema } from './schema.js';

process.stdout.write(`${JSON.stringify(clientConfig(buildSchema()), null, 2)}\n`);
