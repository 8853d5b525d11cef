/**
 * Ids are opaque (docs/upstream-notes.md "Ids are opaque"): any id an upstream could issue goes out path-encoded,
 * and the upstream judges it. An id it does not know is its NOT_FOUND on a write (null on a by-id read), never a
 * gateway-side BAD_USER_INPUT and never a crash; only an id no request can carry is refused before any request.
 */
import { describe, expect, it } from 'vitest';
import { useTestGateway } from '../helpers/fixture.js';
import { codes } from '../helpers/gateway.js';

const gw = useTestGateway();

const FOREIGN_ID = 'guid-d8b8148d-5798-44de-821a-64b85b15e968';

describe('writes with an id the upstream does not know', () => {
  it("answer Cycle's NOT_FOUND", async () => {
    gw.expectUpstream('cycle PATCH /v1/images/*');
    const res = await gw.gql(`mutation($id: ID!) { updateImage(id: $id, input: { name: "x" }) { id } }`, {
      id: FOREIGN_ID,
    });
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(res.errors![0]!.extensions).toMatchObject({ upstream: 'cycle', status: 404 });
    expect(gw.sandbox.cycle.requests().map((r) => `${r.method} ${r.path}`)).toEqual([`PATCH /v1/images/${FOREIGN_ID}`]);
  });

  it("answer Cloud Foundry's NOT_FOUND", async () => {
    gw.expectUpstream('cf DELETE /v3/packages/*');
    const res = await gw.gql(`mutation($g: ID!) { deletePackage(guid: $g) { id } }`, { g: FOREIGN_ID });
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(res.errors![0]!.extensions).toMatchObject({ upstream: 'cf', status: 404 });
  });

  it('keep the server serving', async () => {
    gw.expectUpstream('cycle GET /v1/images');
    const res = await gw.gql(`{ images(first: 1) { nodes { id } } }`);
    expect(res.errors).toBeUndefined();
  });
});

describe('job(id, platform)', () => {
  it('reads an id of any form from the platform named; null when it does not know it', async () => {
    gw.expectUpstream('cycle GET /v1/jobs/*', 'cf GET /v3/jobs/*');
    const res = await gw.gql(
      `query($id: ID!) {
      cycle: job(id: $id, platform: CYCLE) { id }
      cf: job(id: $id, platform: CLOUD_FOUNDRY) { id }
    }`,
      { id: FOREIGN_ID },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data).toEqual({ cycle: null, cf: null });
  });

  it('needs `platform` for an id of neither usual form, before any request', async () => {
    const res = await gw.gql(`query($id: ID!) { job(id: $id) { id } }`, { id: FOREIGN_ID });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.argument).toBe('platform');
    expect(gw.upstreamRequests()).toEqual([]);
  });
});
