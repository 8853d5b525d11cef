import { describe, expect, it } from 'vitest';
import { serializeDateTime } from '../../src/resolvers/common.js';
import { startTestGateway } from '../helpers/gateway.js';

describe('DateTime', () => {
  it('serializes upstream values to UTC with second precision, as the SDL says', () => {
    expect(serializeDateTime('2026-12-02T01:40:55.596Z')).toBe('2026-12-02T01:40:55Z');
    expect(serializeDateTime('2026-12-02T03:40:55.999+02:00')).toBe('2026-12-02T01:40:55Z');
    expect(serializeDateTime('2024-03-13T15:01:39Z')).toBe('2024-03-13T15:01:39Z');
    expect(() => serializeDateTime('yesterday')).toThrow(/^The upstream sent a DateTime that is not a date-time$/);
  });

  it('has one description: the SDL’s, also at runtime, and every served value matches it', async () => {
    const gw = await startTestGateway();
    try {
      const res = await gw.gql(`{
        __type(name: "DateTime") { description }
        _service { sdl }
        images(first: 5) { nodes { createdAt: events { created } } }
        packages(first: 5) { nodes { createdAt } }
      }`);
      expect(res.errors).toBeUndefined();
      const description: string = res.data!.__type.description;
      expect(description).toMatch(/^A point in time, ISO 8601 in UTC with second precision/);
      expect(res.data!._service.sdl).toContain(`"""\n${description}\n"""\nscalar DateTime`);
      const served = [
        ...res.data!.images.nodes.map((n: any) => n.createdAt.created),
        ...res.data!.packages.nodes.map((n: any) => n.createdAt),
      ].filter((v) => v !== null);
      expect(served.length).toBeGreaterThan(0);
      for (const value of served) expect(value).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    } finally {
      await gw.close();
    }
  });
});
