// relay-compiler 21 over the schema as a client gets it (introspection of the running gateway, docs/examples/
// schemaFiles.ts), configured with docs/examples/relay.config.json; the compiled artifacts then run in relay-runtime against the gateway, in the
// environment docs/examples/relayEnvironment.ts builds. The project lives in test-artifacts/relay/.
import { execFile } from 'node:child_process';
import { copyFile, mkdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  createOperationDescriptor,
  Environment,
  fetchQuery,
  getSelector,
  RecordSource,
  Store,
  type ConcreteRequest,
  type ReaderFragment,
} from 'relay-runtime';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { createRelayEnvironment } from '../../docs/examples/relayEnvironment.js';
import { fetchIntrospection, relaySchema } from '../../docs/examples/schemaFiles.js';
import type { ClientConfig } from '../../src/clientConfig.js';
import { useTestGateway } from '../helpers/fixture.js';
import { Kind, print, type OperationDefinitionNode } from 'graphql';
import { documentedQueries } from './documentedQueries.js';

const PROJECT = fileURLToPath(new URL('../../test-artifacts/relay/', import.meta.url));
const RELAY_CONFIG = fileURLToPath(new URL('../../docs/examples/relay.config.json', import.meta.url));
const RELAY_COMPILER = fileURLToPath(new URL('../../node_modules/.bin/relay-compiler', import.meta.url));

/** The app's documents, as a Relay app writes them (each module's operations are prefixed with its name). */
const DOCUMENTS: Record<string, string> = {
  'SourceImages.ts': `import { graphql } from 'relay-runtime';

export const sourceImagesFragment = graphql\`
  fragment SourceImages_source on ImageSource
  @refetchable(queryName: "SourceImagesPaginationQuery")
  @argumentDefinitions(count: { type: "Int", defaultValue: 2 }, cursor: { type: "String" }) {
    name
    images(first: $count, after: $cursor) @connection(key: "SourceImages_images") {
      edges {
        node {
          id
          name
        }
      }
    }
  }
\`;

export const sourceImagesQuery = graphql\`
  query SourceImagesQuery($id: ID!) {
    imageSource(id: $id) {
      ...SourceImages_source
    }
  }
\`;
`,
  'Inventory.ts': `import { graphql } from 'relay-runtime';

export const inventoryQuery = graphql\`
  query InventoryQuery {
    images(first: 12) {
      nodes {
        id
        factory {
          nodeId
          cached
        }
      }
    }
    packages(first: 12) {
      nodes {
        guid
        app {
          guid
          name
        }
      }
    }
  }
\`;
`,
};

/**
 * Every documented query (documentedQueries.ts), named as a Relay module's operations must be: module `Documented`,
 * operation `Documented<N>Query`.
 */
const DOCUMENTED = documentedQueries().map((query, i) => ({ ...query, relayName: `Documented${i + 1}Query` }));
DOCUMENTS['Documented.ts'] = `import { graphql } from 'relay-runtime';
${DOCUMENTED.map((query) => {
  const operation = query.document.definitions[0] as OperationDefinitionNode;
  const renamed = print({ ...operation, name: { kind: Kind.NAME, value: query.relayName } });
  return `\nexport const ${query.relayName[0]!.toLowerCase()}${query.relayName.slice(1)} = graphql\`\n${renamed}\n\`;\n`;
}).join('')}`;

const gw = useTestGateway();
let config: ClientConfig;
let compilerOutput: string;

async function artifact<T>(name: string): Promise<T> {
  const module = (await import(/* @vite-ignore */ `${PROJECT}src/__generated__/${name}.graphql.ts`)) as { default: T };
  return module.default;
}

beforeAll(async () => {
  config = (await (await fetch(`${gw.url}/client-config.json`)).json()) as ClientConfig;
  await rm(PROJECT, { recursive: true, force: true });
  await mkdir(`${PROJECT}src`, { recursive: true });
  await writeFile(`${PROJECT}imagegraph.graphql`, relaySchema(await fetchIntrospection(`${gw.url}/graphql`)));
  await copyFile(RELAY_CONFIG, `${PROJECT}relay.config.json`);
  for (const [file, text] of Object.entries(DOCUMENTS)) await writeFile(`${PROJECT}src/${file}`, text);
  const { stdout, stderr } = await promisify(execFile)(RELAY_COMPILER, [], {
    cwd: PROJECT,
    env: { ...process.env, NO_COLOR: '1' },
  });
  compilerOutput = stdout + stderr;
}, 120_000);

it('compiles a @refetchable fragment with a @connection over the schema, without a warning', async () => {
  expect(compilerOutput).toContain('Compilation completed');
  expect(compilerOutput).not.toMatch(/WARN|ERROR/);
  const pagination = await artifact<ConcreteRequest>('SourceImagesPaginationQuery');
  // The refetch goes through Relay's node field, by the global id the configuration names.
  expect(pagination.params.text).toContain('node(id: $nodeId)');
});

describe('the compiled artifacts in relay-runtime, with the documented environment', () => {
  // relay-runtime reports records it cannot keep apart (and other misuse) on console.error.
  let relayWarnings: MockInstance<typeof console.error>;
  beforeEach(() => {
    relayWarnings = vi.spyOn(console, 'error').mockImplementation(() => {});
  });
  afterEach(() => relayWarnings.mockRestore());

  async function sourceWithImages(atLeast: number) {
    const res = await gw.gql(`{ imageSources(first: 30) { nodes { id images(first: 8) { nodes { id name } } } } }`);
    const source = res.data!.imageSources.nodes.find((s: any) => s.images.nodes.length >= atLeast);
    expect(source, `an image source with ${atLeast} images`).toBeDefined();
    return source as { id: string; images: { nodes: { id: string; name: string }[] } };
  }

  function readFragment(env: Environment, query: ConcreteRequest, variables: object, fragment: ReaderFragment) {
    const data = env.lookup(createOperationDescriptor(query, variables).fragment).data as Record<string, any>;
    const selector = getSelector(fragment, data.imageSource);
    if (!selector || !('dataID' in selector)) throw new Error('no fragment selector for imageSource');
    return env.lookup(selector).data as { name: string; images: { edges: { node: { id: string } }[] } };
  }

  it('pages a @connection: the next page, read through node(id:), is appended to the first', async () => {
    const source = await sourceWithImages(4);
    const env = createRelayEnvironment(`${gw.url}/graphql`, config);
    const query = await artifact<ConcreteRequest>('SourceImagesQuery');
    const pagination = await artifact<ConcreteRequest>('SourceImagesPaginationQuery');
    const fragment = await artifact<ReaderFragment>('SourceImages_source');

    const first = (await fetchQuery(env, query, { id: source.id }).toPromise()) as any;
    expect(first.imageSource).toBeDefined();
    const page1 = readFragment(env, query, { id: source.id }, fragment);
    expect(page1.images.edges.map((e) => e.node.id)).toEqual(source.images.nodes.slice(0, 2).map((i) => i.id));

    const record = env.getStore().getSource().get(first.imageSource.__id) as Record<string, any>;
    const connection = env.getStore().getSource().get(record['__SourceImages_images_connection']?.__ref) as Record<
      string,
      any
    >;
    const pageInfo = env.getStore().getSource().get(connection.pageInfo.__ref) as Record<string, any>;
    await fetchQuery(env, pagination, { nodeId: record.nodeId, count: 2, cursor: pageInfo.endCursor }).toPromise();

    const page2 = readFragment(env, query, { id: source.id }, fragment);
    expect(page2.images.edges.map((e) => e.node.id)).toEqual(source.images.nodes.slice(0, 4).map((i) => i.id));
    expect(relayWarnings).not.toHaveBeenCalled();
  });

  it('keeps one record per entity, and every image’s factory record its own', async () => {
    const inventory = await artifact<ConcreteRequest>('InventoryQuery');
    const direct = await gw.gql(inventory.params.text!);
    expect(direct.errors).toBeUndefined();
    const images = direct.data!.images.nodes.filter((i: any) => i.factory);
    const factoryNodes = new Set(images.map((i: any) => i.factory.nodeId));
    // The seed runs its factory on a few nodes, as hubs do: images share factory node ids.
    expect(factoryNodes.size).toBeLessThan(images.length);
    const apps = new Set(direct.data!.packages.nodes.map((p: any) => p.app.guid));
    expect(apps.size).toBeLessThan(direct.data!.packages.nodes.length);

    const env = createRelayEnvironment(`${gw.url}/graphql`, config);
    await fetchQuery(env, inventory, {}).toPromise();
    const read = env.lookup(createOperationDescriptor(inventory, {}).fragment).data as any;
    // Relay adds `nodeId` to the query it sends; the app reads exactly what it selected, each value its own.
    expect(direct.data).toMatchObject(read);
    const source = env.getStore().getSource();
    const typeCount = (type: string) =>
      source.getRecordIDs().filter((id) => source.get(id)?.__typename === type).length;
    expect(typeCount('App')).toBe(apps.size);
    expect(typeCount('ImageFactory')).toBe(images.length);
    expect(relayWarnings).not.toHaveBeenCalled();
  });

  it('would merge factory records, and show wrong values, with nodeId taken as an id on every type', async () => {
    const inventory = await artifact<ConcreteRequest>('InventoryQuery');
    const direct = await gw.gql(inventory.params.text!);
    const env = new Environment({
      network: createRelayEnvironment(`${gw.url}/graphql`, config).getNetwork(),
      store: new Store(new RecordSource()),
      getDataID: (fields) => fields.nodeId ?? fields.id,
    });
    await fetchQuery(env, inventory, {}).toPromise();
    const read = env.lookup(createOperationDescriptor(inventory, {}).fragment).data as any;
    expect(direct.data!.images).not.toMatchObject(read.images);
    expect(String(relayWarnings.mock.calls[0]?.[0])).toContain('The record contains two instances of the same id');
  });
  it('answers every README and GraphiQL example query exactly as the raw answer, also from the shared store', async () => {
    const env = createRelayEnvironment(`${gw.url}/graphql`, config);
    const read = async (query: (typeof DOCUMENTED)[number]) => {
      const request = await artifact<ConcreteRequest>(query.relayName);
      return { request, data: () => env.lookup(createOperationDescriptor(request, query.variables).fragment).data };
    };
    for (const query of DOCUMENTED) {
      const raw = await gw.gql(print(query.document), query.variables);
      expect(raw.errors, query.name).toBeUndefined();
      const { request, data } = await read(query);
      await fetchQuery(env, request, query.variables).toPromise();
      expect(data(), query.name).toEqual(raw.data);
    }
    let same = 0;
    for (const query of DOCUMENTED) {
      const raw = await gw.gql(print(query.document), query.variables);
      expect((await read(query)).data(), `${query.name}, from the store`).toEqual(raw.data);
      same++;
    }
    console.log(`Relay: ${same}/${DOCUMENTED.length} documented queries equal to the raw answer from the store`);
    expect(relayWarnings).not.toHaveBeenCalled();
  });
});
