// graphql-codegen's client preset, configured with docs/examples/codegen.ts, over the schema a client gets from the
// gateway's introspection (docs/examples/schemaFiles.ts) and one document: the scalars are typed as the docs say.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from '@graphql-codegen/cli';
import { afterAll, beforeAll, expect, it } from 'vitest';
import codegenConfig from '../../docs/examples/codegen.js';
import { fetchIntrospection, relaySchema } from '../../docs/examples/schemaFiles.js';
import { useTestGateway } from '../helpers/fixture.js';

const gw = useTestGateway();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imagegraph-codegen-'));
  await writeFile(join(dir, 'imagegraph.graphql'), relaySchema(await fetchIntrospection(`${gw.url}/graphql`)));
  await writeFile(
    join(dir, 'images.graphql'),
    'query RecentPackages { packages(first: 1) { nodes { guid createdAt } } }',
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it('types DateTime as string and Upload as File, not unknown', async () => {
  const [output] = Object.values(codegenConfig.generates);
  await generate(
    {
      schema: join(dir, 'imagegraph.graphql'),
      documents: [join(dir, 'images.graphql')],
      generates: { [join(dir, 'gql/')]: output! },
      silent: true,
    },
    true,
  );
  const types = await readFile(join(dir, 'gql/graphql.ts'), 'utf8');
  expect(types).toMatch(/DateTime: \{ input: string; output: string; \}/);
  expect(types).toMatch(/Upload: \{ input: File; output: File; \}/);
  expect(types).toMatch(/createdAt: string/);
  expect(types).not.toMatch(/DateTime: \{ input: unknown/);
});
