/**
 * The compiled executor against graphql-js on the same small schema, through Apollo Server: what graphql-jit 0.8 does
 * differently (errors without extensions, throwing type resolvers, @skip/@include on shared fragments, input objects)
 * must not reach clients. The gateway's own operations run through it in the rest of the suite.
 */
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { makeExecutableSchema } from '@graphql-tools/schema';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compiledExecutionGateway, type Executor } from '../../src/compiledExecution.js';

const typeDefs = `
  type Item { id: ID! name: String! detail: String }
  type Other { id: ID! }
  union Thing = Item | Other
  input Filter { name: String tag: String }
  type Query {
    item: Item
    items: [Item!]!
    broken: Item
    brokenLater: Item
    nullName: Item
    thing: Thing
    search(filter: Filter): String
  }
  type Mutation { rename(name: String): String }
`;

function schema() {
  return makeExecutableSchema({
    typeDefs,
    resolvers: {
      Query: {
        item: () => ({ id: '1', name: 'one', detail: 'd' }),
        items: async () => [
          { id: '1', name: 'one' },
          { id: '2', name: 'two' },
        ],
        broken: () => {
          throw new Error('boom');
        },
        brokenLater: async () => {
          throw new Error('later boom');
        },
        nullName: async () => ({ id: '3', name: null }),
        thing: async () => ({ id: '4' }),
        // Says which keys the filter has: graphql-js leaves an absent variable's field out.
        search: (_parent: unknown, args: { filter?: Record<string, unknown> }) => JSON.stringify(args.filter ?? null),
      },
      Mutation: { rename: (_parent: unknown, args: { name?: string }) => args.name ?? 'none' },
      Thing: {
        __resolveType: () => {
          throw new Error('cannot tell');
        },
      },
    },
  });
}

let interpreted: ApolloServer;
let compiled: ApolloServer;
const executors: Executor[] = [];

beforeAll(async () => {
  // As the gateway has it: Apollo's cache control plugin observes every field, which keeps execution on graphql-js.
  const plugins = [ApolloServerPluginCacheControlDisabled()];
  interpreted = new ApolloServer({ schema: schema(), plugins });
  compiled = new ApolloServer({
    gateway: compiledExecutionGateway(schema(), { compileAfter: 0, onExecuted: (e) => executors.push(e) }),
    plugins,
  });
  await Promise.all([interpreted.start(), compiled.start()]);
});
afterAll(async () => {
  await Promise.all([interpreted.stop(), compiled.stop()]);
});

async function run(server: ApolloServer, query: string, variables: Record<string, unknown> = {}) {
  const response = await server.executeOperation({ query, variables });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return JSON.parse(JSON.stringify(response.body.singleResult)) as { data?: unknown; errors?: unknown[] };
}

async function both(query: string, variables: Record<string, unknown> = {}) {
  executors.length = 0;
  return {
    expected: await run(interpreted, query, variables),
    actual: await run(compiled, query, variables),
    executor: executors[0],
  };
}

describe('compiled execution answers as graphql-js does', () => {
  it('for data, and for errors thrown by resolvers, sync or async, with path, locations and code', async () => {
    const { expected, actual, executor } = await both(
      '{ item { id name } items { id } broken { id } brokenLater { id } }',
    );
    expect(executor).toBe('compiled');
    expect((expected.errors as unknown[]).length).toBe(2);
    expect(actual).toEqual(expected);
  });

  it('for a null in a non-null field', async () => {
    const { expected, actual, executor } = await both('{ nullName { id name } }');
    expect(executor).toBe('compiled');
    expect(expected.errors).toHaveLength(1);
    expect(actual).toEqual(expected);
  });

  it('for a fragment spread twice, one spread under @include (kept on graphql-js)', async () => {
    const query =
      'query($a: Boolean!) { x: item { ...F @include(if: $a) } y: item { ...F } } fragment F on Item { id name }';
    const { expected, actual, executor } = await both(query, { a: false });
    expect(executor).toBe('graphql-js');
    expect(actual).toEqual(expected);
    expect(actual.data).toEqual({ x: {}, y: { id: '1', name: 'one' } });
  });

  it('for an absent variable inside an input object (kept on graphql-js)', async () => {
    const { expected, actual, executor } = await both(
      'query($tag: String) { search(filter: { name: "n", tag: $tag }) }',
    );
    expect(executor).toBe('graphql-js');
    expect(actual).toEqual(expected);
    expect(actual.data).toEqual({ search: '{"name":"n"}' });
  });

  it('for mutations (kept on graphql-js)', async () => {
    const { expected, actual, executor } = await both('mutation { rename(name: "x") }');
    expect(executor).toBe('graphql-js');
    expect(actual).toEqual(expected);
  });
});

it('leaves executions a plugin observes field by field to graphql-js', async () => {
  const observed = new ApolloServer({
    gateway: compiledExecutionGateway(schema(), { compileAfter: 0, onExecuted: (e) => executors.push(e) }),
  });
  await observed.start();
  executors.length = 0;
  expect((await run(observed, '{ item { id } }')).data).toEqual({ item: { id: '1' } });
  expect(executors).toEqual(['graphql-js']);
  await observed.stop();
});

it('leaves an operation Apollo cannot resolve to graphql-js, which reports it with status 400', async () => {
  for (const operationName of ['Missing', undefined]) {
    const query = operationName ? 'query A { item { id } }' : 'query { item { id } } query { items { id } }';
    const [expected, actual] = await Promise.all(
      [interpreted, compiled].map((server) =>
        server.executeOperation({ query, ...(operationName ? { operationName } : {}) }),
      ),
    );
    expect(actual.http.status).toBe(400);
    expect(JSON.stringify(actual.body)).toBe(JSON.stringify(expected.body));
  }
});

it('compiles with the resolvers as built after Apollo wrapped them for a request observed field by field', async () => {
  const observedFields: string[] = [];
  const observing = new ApolloServer({
    gateway: compiledExecutionGateway(schema(), { compileAfter: 0, onExecuted: (e) => executors.push(e) }),
    plugins: [
      ApolloServerPluginCacheControlDisabled(),
      {
        async requestDidStart({ request }) {
          if (!request.query?.startsWith('query Observed')) return {};
          return {
            async executionDidStart() {
              return { willResolveField: ({ info }) => void observedFields.push(info.fieldName) };
            },
          };
        },
      },
    ],
  });
  await observing.start();
  executors.length = 0;
  const observed = await run(observing, 'query Observed { item { id name } }');
  const later = await run(observing, 'query Later { items { id name } item { id } }');
  expect(executors).toEqual(['graphql-js', 'compiled']);
  expect(observed.data).toEqual({ item: { id: '1', name: 'one' } });
  expect(later).toEqual(await run(interpreted, '{ items { id name } item { id } }'));
  expect(observedFields).toEqual(['item', 'id', 'name']);
  // And observed again afterwards: Apollo's wrappers are back in place for graphql-js.
  await run(observing, 'query Observed { item { id name } }');
  expect(observedFields).toEqual(['item', 'id', 'name', 'item', 'id', 'name']);
  await observing.stop();
});

it("keeps a throwing type resolver's own message where graphql-js runs it", async () => {
  const result = await run(compiled, 'query($a: Boolean!) { thing @include(if: $a) { ... on Other { id } } }', {
    a: true,
  });
  expect(result.errors).toEqual([expect.objectContaining({ message: 'cannot tell', path: ['thing'] })]);
});

it('turns a throwing type resolver into an error of that field, not a failed operation or a crashed process', async () => {
  const result = await run(compiled, '{ thing { ... on Other { id } } item { id } }');
  expect(result.data).toEqual({ thing: null, item: { id: '1' } });
  expect(result.errors).toEqual([
    expect.objectContaining({
      path: ['thing'],
      extensions: expect.objectContaining({ code: 'INTERNAL_SERVER_ERROR' }),
    }),
  ]);
});
