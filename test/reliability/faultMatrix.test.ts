/**
 * The fault matrix (issue 6): each upstream × each way it can fail × {query, mutation}. Idempotent reads are retried
 * where the failure may pass and then answer; writes are never repeated and fail with a clear code naming the upstream.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Emulator, FaultSpec } from '../../src/sandbox/index.js';
import { type GraphQLResponse } from '../helpers/gateway.js';
import { useTestGateway } from '../helpers/fixture.js';

const gw = useTestGateway({
  env: {
    // Short enough to keep the matrix fast, long enough for a loaded CI machine.
    UPSTREAM_FIRST_BYTE_TIMEOUT_MS: '400',
    UPSTREAM_TOTAL_TIMEOUT_MS: '2000',
    UPSTREAM_RETRY_BASE_DELAY_MS: '20',
    // The breaker has its own test; here it must not open.
    UPSTREAM_BREAKER_VOLUME: '100000',
  },
});
beforeEach(() => {
  gw.sandbox.clearFaults();
  gw.sandbox.resetRequests();
});

interface UpstreamCase {
  name: 'cycle' | 'cf' | 'dockercloud';
  emulator: () => Emulator;
  /** An idempotent read: its GraphQL document, the path its one upstream call hits, and the field to check. */
  query: { document: string; variables?: () => Promise<Record<string, unknown>>; path: string; field: string };
  /** A write: its document, method and path. */
  mutation: {
    document: string;
    variables: () => Promise<Record<string, unknown>>;
    method: string;
    path: string;
    field: string;
  };
}

async function firstImageId(): Promise<string> {
  return (await gw.gql(`{ images(first: 1) { nodes { id } } }`)).data!.images.nodes[0].id;
}

async function firstPackageGuid(): Promise<string> {
  return (await gw.gql(`{ packages(first: 1) { nodes { guid } } }`)).data!.packages.nodes[0].guid;
}

async function firstRepositoryName(): Promise<string> {
  return (await gw.gql(`{ repositories(first: 1) { nodes { name } } }`)).data!.repositories.nodes[0].name;
}

const UPSTREAMS: UpstreamCase[] = [
  {
    name: 'cycle',
    emulator: () => gw.sandbox.cycle,
    query: { document: `{ images(first: 2) { nodes { id } } }`, path: '/v1/images', field: 'images' },
    mutation: {
      document: `mutation($id: ID!) { updateImage(id: $id, input: { name: "renamed under fault" }) { id } }`,
      variables: async () => ({ id: await firstImageId() }),
      method: 'PATCH',
      path: '/v1/images/',
      field: 'updateImage',
    },
  },
  {
    name: 'cf',
    emulator: () => gw.sandbox.cf,
    query: { document: `{ packages(first: 2) { nodes { guid } } }`, path: '/v3/packages', field: 'packages' },
    mutation: {
      document: `mutation($guid: ID!) { updatePackage(guid: $guid, input: { metadata: { labels: [{ key: "fault", value: "matrix" }] } }) { guid } }`,
      variables: async () => ({ guid: await firstPackageGuid() }),
      method: 'PATCH',
      path: '/v3/packages/',
      field: 'updatePackage',
    },
  },
  {
    name: 'dockercloud',
    emulator: () => gw.sandbox.dockercloud,
    query: {
      document: `{ repositories(first: 2) { nodes { name } } }`,
      path: '/api/repo/v1/repository/',
      field: 'repositories',
    },
    mutation: {
      document: `mutation($name: String!) { updateRepositoryCredentials(name: $name, username: "u", password: "fault-matrix-password") { name } }`,
      variables: async () => ({ name: await firstRepositoryName() }),
      method: 'PATCH',
      path: '/api/repo/v1/repository/',
      field: 'updateRepositoryCredentials',
    },
  },
];

type Expectation = { answered: true; calls: number } | { answered: false; code: string; status?: number };

interface FaultCase {
  label: string;
  fault: Omit<FaultSpec, 'path' | 'method'>;
  query: Expectation;
  mutation: { code: string; status?: number };
}

const FAULTS: FaultCase[] = [
  {
    label: '500',
    fault: { status: 500 },
    query: { answered: false, code: 'UPSTREAM_ERROR', status: 500 },
    mutation: { code: 'UPSTREAM_ERROR', status: 500 },
  },
  {
    label: '503 with Retry-After',
    fault: { status: 503, retryAfter: 1, times: 1 },
    query: { answered: true, calls: 2 },
    mutation: { code: 'UPSTREAM_UNAVAILABLE', status: 503 },
  },
  {
    label: '429 with Retry-After',
    fault: { status: 429, retryAfter: 1, times: 1 },
    query: { answered: true, calls: 2 },
    mutation: { code: 'RATE_LIMITED', status: 429 },
  },
  {
    label: 'timeout',
    fault: { delayMs: 1500, times: 1 },
    query: { answered: true, calls: 2 },
    mutation: { code: 'UPSTREAM_UNAVAILABLE' },
  },
  {
    label: 'connection reset',
    fault: { reset: true, times: 1 },
    query: { answered: true, calls: 2 },
    mutation: { code: 'UPSTREAM_UNAVAILABLE' },
  },
  {
    label: 'malformed JSON',
    fault: { body: 'malformed' },
    query: { answered: false, code: 'UPSTREAM_ERROR', status: 200 },
    mutation: { code: 'UPSTREAM_ERROR' },
  },
  {
    label: 'truncated body',
    fault: { body: 'truncated' },
    query: { answered: false, code: 'UPSTREAM_ERROR' },
    mutation: { code: 'UPSTREAM_ERROR' },
  },
  {
    label: 'HTML error page',
    fault: { body: 'html', status: 502, times: 1 },
    query: { answered: true, calls: 2 },
    mutation: { code: 'UPSTREAM_UNAVAILABLE', status: 502 },
  },
];

function expectNamedError(res: GraphQLResponse, upstream: string, code: string, status?: number): void {
  expect(res.status).toBe(200);
  expect(res.errors).toHaveLength(1);
  const extensions = res.errors![0]!.extensions!;
  expect(extensions).toMatchObject({ code, upstream, ...(status !== undefined ? { status } : {}) });
  const text = JSON.stringify(res);
  expect(text).not.toMatch(/<html|nginx|stack|at .*\.ts:\d+/i);
}

for (const upstream of UPSTREAMS) {
  describe(`${upstream.name} faults`, () => {
    for (const fault of FAULTS) {
      it(`${fault.label}: the query ${fault.query.answered ? 'is retried and answers' : `fails with ${fault.query.code}`}`, async () => {
        const variables = upstream.query.variables ? await upstream.query.variables() : undefined;
        gw.sandbox.resetRequests();
        upstream.emulator().injectFault({ ...fault.fault, method: 'GET', path: upstream.query.path });
        const res = await gw.gql(upstream.query.document, variables);
        if (fault.query.answered) {
          expect(res.errors).toBeUndefined();
          expect(res.data![upstream.query.field]).not.toBeNull();
          expect(res.extensions!.upstream!.calls).toBe(fault.query.calls);
        } else {
          expectNamedError(res, upstream.name, fault.query.code, fault.query.status);
          expect(res.data![upstream.query.field]).toBeNull();
        }
      });

      it(`${fault.label}: the mutation fails with ${fault.mutation.code} and is not repeated`, async () => {
        const variables = await upstream.mutation.variables();
        gw.sandbox.resetRequests();
        upstream
          .emulator()
          .injectFault({ ...fault.fault, method: upstream.mutation.method, path: upstream.mutation.path });
        const res = await gw.gql(upstream.mutation.document, variables);
        expectNamedError(res, upstream.name, fault.mutation.code, fault.mutation.status);
        expect(res.data![upstream.mutation.field]).toBeNull();
        const writes = upstream
          .emulator()
          .requests()
          .filter((r) => r.method === upstream.mutation.method);
        expect(writes).toHaveLength(1);
      });
    }

    it('keeps serving after the whole matrix', async () => {
      gw.sandbox.clearFaults();
      const res = await gw.gql(
        upstream.query.document,
        upstream.query.variables ? await upstream.query.variables() : undefined,
      );
      expect(res.errors).toBeUndefined();
    });
  });
}
