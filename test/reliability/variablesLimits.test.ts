/**
 * Client variables are bounded before anything recurses over them (issue 23, finding 5): nesting depth
 * (MAX_VARIABLES_DEPTH) and value count (MAX_VARIABLES_NODES), over a JSON body, a batch, a GET query string and
 * `extensions`, each refused with BAD_USER_INPUT naming its setting, before any upstream request, and the gateway
 * keeps serving.
 */
import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../helpers/fixture.js';

const gw = useTestGateway({ strictUpstream: true });

function nested(depth: number): string {
  return `${'['.repeat(depth)}${']'.repeat(depth)}`;
}

async function post(body: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${gw.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  return { status: response.status, body: await response.json() };
}

function expectRefused(answer: { status: number; body: any }, setting: string): void {
  expect(answer.status).toBe(400);
  expect(answer.body.errors).toHaveLength(1);
  expect(answer.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', setting });
  expect(answer.body.errors[0].message).toContain(setting);
}

describe('variables nesting', () => {
  it('refuses 500,000 levels (about 1 MB) with BAD_USER_INPUT, and answers the next request', async () => {
    const body = `{"query":"{ __typename }","variables":{"y":${nested(500_000)}}}`;
    expectRefused(await post(body), 'MAX_VARIABLES_DEPTH');
    const next = await gw.gql('{ __typename }');
    expect(next.data).toEqual({ __typename: 'Query' });
  });

  it('accepts a variable exactly at the limit (32 levels) and refuses one level more', async () => {
    const at = await post(`{"query":"{ __typename }","variables":{"y":${nested(32)}}}`);
    expect(at.status).toBe(200);
    expect(at.body.data).toEqual({ __typename: 'Query' });
    expectRefused(await post(`{"query":"{ __typename }","variables":{"y":${nested(33)}}}`), 'MAX_VARIABLES_DEPTH');
  });

  it('does not count brackets inside strings', async () => {
    const text = JSON.stringify('['.repeat(200) + '\\"{'.repeat(50));
    const answer = await post(`{"query":"{ __typename }","variables":{"y":${text}}}`);
    expect(answer.status).toBe(200);
  });

  it('refuses a deep variable in one operation of a batch', async () => {
    const body = `[{"query":"{ __typename }"},{"query":"{ __typename }","variables":{"y":${nested(40)}}}]`;
    expectRefused(await post(body), 'MAX_VARIABLES_DEPTH');
  });

  it('refuses deep extensions', async () => {
    expectRefused(await post(`{"query":"{ __typename }","extensions":{"x":${nested(40)}}}`), 'MAX_VARIABLES_DEPTH');
  });

  it('refuses deep variables in a GET query string', async () => {
    const search = new URLSearchParams({
      query: '{ __typename }',
      variables: JSON.stringify({ y: JSON.parse(nested(40)) }),
    });
    const response = await fetch(`${gw.url}/graphql?${search}`, { headers: { 'apollo-require-preflight': 'true' } });
    expectRefused({ status: response.status, body: await response.json() }, 'MAX_VARIABLES_DEPTH');
  });
});

describe('variables size', () => {
  it('refuses more than 100,000 values', async () => {
    const values = new Array(100_001).fill(0);
    expectRefused(
      await post(JSON.stringify({ query: '{ __typename }', variables: { y: values } })),
      'MAX_VARIABLES_NODES',
    );
  });

  it('accepts 100,000 values (a list, its 99,998 items, and one more variable)', async () => {
    const values = new Array(99_998).fill(0);
    const answer = await post(JSON.stringify({ query: '{ __typename }', variables: { y: values, z: 1 } }));
    expect(answer.status).toBe(200);
  });
});
