import type { CodegenConfig } from '@graphql-codegen/cli';

/** graphql-codegen's client preset over imagegraph's schema file (`relaySchema` in schemaFiles.ts makes it). */
const config: CodegenConfig = {
  schema: './imagegraph.graphql',
  documents: ['src/**/*.{ts,tsx}'],
  generates: {
    './src/gql/': {
      preset: 'client',
      config: {
        // Without these the preset types imagegraph's scalars as `unknown`. DateTime is an ISO 8601 string (UTC);
        // Upload is a file a multipart request sends (File or Blob in a browser).
        scalars: { DateTime: 'string', Upload: 'File' },
      },
    },
  },
};

export default config;
