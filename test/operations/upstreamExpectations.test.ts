// The shared fixture's upstream check (test/helpers/fixture.ts): what a test declares with `gw.expectUpstream`, and
// which logged requests count as unexpected. Here against real emulator logs, with the check strict for every test.
import { describe, expect, it } from 'vitest';
import { unexpectedUpstream, useTestGateway } from '../helpers/fixture.js';

const gw = useTestGateway({ strictUpstream: true });

describe('the upstream check', () => {
  it('passes a test whose requests were all declared', async () => {
    gw.expectUpstream('cycle GET /v1/images');
    const res = await gw.gql('{ images(first: 2) { nodes { id } } }');
    expect(res.errors).toBeUndefined();
    expect(gw.upstreamRequests()).toEqual(['cycle GET /v1/images']);
  });

  it('names a request the test did not declare, with `*` matching one path segment only', async () => {
    gw.expectUpstream('cycle GET /v1/images');
    const listed = await gw.gql('{ images(first: 1) { nodes { id } } }');
    const id = listed.data!.images.nodes[0].id as string;
    const read = await gw.gql(`{ image(id: "${id}") { id name } }`);
    expect(read.errors).toBeUndefined();
    const logged = gw.upstreamRequests();
    expect(logged).toEqual(['cycle GET /v1/images', `cycle GET /v1/images/${id}`]);
    expect(unexpectedUpstream(logged, ['cycle GET /v1/images'])).toEqual([`cycle GET /v1/images/${id}`]);
    expect(unexpectedUpstream(logged, ['cycle GET /v1/images', 'cycle GET /v1/images/*'])).toEqual([]);
    expect(unexpectedUpstream(logged, ['cycle GET /v1/*'])).toEqual(['cycle GET /v1/images/' + id]);
    expect(unexpectedUpstream(logged, ['cf GET /v1/images', 'cf GET /v1/images/*'])).toEqual(logged);
    // Declared now, so the fixture's own check after this test passes.
    gw.expectUpstream('cycle GET /v1/images/*');
  });

  it('expects no upstream request from a test that declares none (strict), and `{ __typename }` makes none', async () => {
    const res = await gw.gql('{ __typename }');
    expect(res.errors).toBeUndefined();
    expect(gw.upstreamRequests()).toEqual([]);
  });
});
