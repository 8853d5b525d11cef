/**
 * Compiled execution (src/compiledExecution.ts): graphql-js runs an operation's first execution, graphql-jit every
 * later one, and clients see the same answers either way. The rest of the suite runs with COMPILE_AFTER_EXECUTIONS=0,
 * so every operation there goes through graphql-jit; this file covers the default and the cases kept on graphql-js.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codes, startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { scrape } from '../helpers/prometheus.js';

const executions = async (gw: TestGateway) => {
  const metrics = await scrape(`${gw.url}/metrics`);
  return {
    compiled: metrics.sum('imagegraph_graphql_executions_total', { executor: 'compiled' }),
    interpreted: metrics.sum('imagegraph_graphql_executions_total', { executor: 'graphql-js' }),
  };
};

// Partial data with an error (a source id Cycle does not know), aliases, a fragment on a union and a variable.
const MIXED = `query Mixed($first: Int!) {
  images(first: $first) { nodes { id name creator { __typename ... on AccountCreator { name } } state { current } } }
  missing: imageSource(id: "000000000000000000000000") { id name }
  bad: image(id: "not-an-id") { id }
}`;

describe('with the default (compile on the second execution)', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ env: { COMPILE_AFTER_EXECUTIONS: '1' } });
  });
  afterAll(() => gw.close());

  it('runs an operation with graphql-js once, then compiled, with the same answers, errors and codes', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await gw.gql(MIXED, { first: 4 }));
    const [first, ...later] = answers;
    expect(first!.data!.images.nodes).toHaveLength(4);
    expect(first!.data!.missing).toBeNull();
    expect(codes(first!)).toEqual(['BAD_USER_INPUT']);
    for (const answer of later) {
      expect(answer.data).toEqual(first!.data);
      expect(answer.errors).toEqual(first!.errors);
    }
    expect(await executions(gw)).toEqual({ interpreted: 1, compiled: 2 });
  });

  it('reports invalid variables as BAD_USER_INPUT on the compiled path too', async () => {
    const before = await executions(gw);
    for (let i = 0; i < 2; i++) {
      const res = await gw.gql(MIXED, { first: 'four' });
      expect(res.data).toBeUndefined();
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.message).toMatch(/\$first/);
    }
    // Both executions reached the executor: the second one was the compiled operation's.
    const after = await executions(gw);
    expect(after.compiled - before.compiled).toBe(2);
  });

  it('keeps graphql-js for operations a router traces (ftv1), even once compiled', async () => {
    const query = '{ packages(first: 2) { nodes { guid state } } }';
    for (let i = 0; i < 2; i++) expect((await gw.gql(query)).errors).toBeUndefined();
    const before = await executions(gw);
    const traced = await gw.gql(query, {}, { 'apollo-federation-include-trace': 'ftv1' });
    expect(traced.errors).toBeUndefined();
    const trace = Buffer.from(traced.extensions!.ftv1 as string, 'base64');
    expect(trace.includes(Buffer.from('guid'))).toBe(true);
    const after = await executions(gw);
    expect([after.interpreted - before.interpreted, after.compiled - before.compiled]).toEqual([1, 0]);
    // The compiled operation still answers untraced requests.
    const untraced = await gw.gql(query);
    expect(untraced.data).toEqual(traced.data);
    expect(untraced.extensions?.ftv1).toBeUndefined();
  });
});

describe('COMPILE_AFTER_EXECUTIONS=off', () => {
  let gw: TestGateway;
  beforeAll(async () => {
    gw = await startTestGateway({ env: { COMPILE_AFTER_EXECUTIONS: 'off' } });
  });
  afterAll(() => gw.close());

  it('runs every execution with graphql-js, through Apollo Server directly', async () => {
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push(await gw.gql(MIXED, { first: 4 }));
    for (const answer of answers) {
      expect(answer.data!.images.nodes).toHaveLength(4);
      expect(codes(answer)).toEqual(['BAD_USER_INPUT']);
    }
    expect(await executions(gw)).toEqual({ interpreted: 0, compiled: 0 });
  });
});
