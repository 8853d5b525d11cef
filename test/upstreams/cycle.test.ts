import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { resolveUpstreamAuth } from '../../src/credentials.js';
import { startSandbox, type Sandbox } from '../../src/sandbox/index.js';
import { configForSandbox } from '../../src/sandboxMode.js';
import {
  createUpstreamPools,
  createUpstreams,
  closeUpstreamPools,
  type UpstreamPools,
} from '../../src/upstreams/index.js';
import { encodeOffsetCursor } from '../../src/upstreams/shared/page.js';
import { RetryBudget } from '../../src/upstreams/shared/resilience.js';
import { UpstreamTrace } from '../../src/upstreams/shared/trace.js';

let sandbox: Sandbox;
let pools: UpstreamPools;
let client: ReturnType<typeof createUpstreams>['cycle'];
let trace: UpstreamTrace;

beforeAll(async () => {
  sandbox = await startSandbox();
  const config = configForSandbox(parseConfig({}), sandbox);
  pools = createUpstreamPools(config);
  trace = new UpstreamTrace();
  client = createUpstreams(pools, resolveUpstreamAuth({}, config.serviceCredentials), trace, new RetryBudget(10)).cycle;
});
afterAll(async () => {
  await closeUpstreamPools(pools);
  await sandbox.close();
});

describe('CycleClient against the Cycle emulator', () => {
  it('returns the same items for unaligned windows as the aligned list does', async () => {
    const firstHundred = (await client.listImages({ first: 100 })).page.items;
    const nextHundred = (await client.listImages({ first: 100, after: encodeOffsetCursor(99) })).page.items;
    const all = [...firstHundred, ...nextHundred].map((i) => i.id);
    for (const [offset, first] of [
      [3, 5],
      [17, 20],
      [95, 10],
    ] as const) {
      const window = await client.listImages({ first, after: encodeOffsetCursor(offset - 1) });
      expect(window.page.items.map((i) => i.id)).toEqual(all.slice(offset, offset + first));
    }
  });

  it('decodes the Go zero time as null and drops origin secrets', async () => {
    const { page } = await client.listSources({ first: 100 });
    const json = JSON.stringify(page.items);
    expect(json).not.toContain('SANDBOX-SECRET-');
    expect(json).not.toContain('0001-01-01');
    expect(page.items.every((s) => s.events.deleted === null || typeof s.events.deleted === 'string')).toBe(true);
  });

  it('reads a fresh job as null while Cycle does not know it yet, then as a job', async () => {
    const source = (await client.listSources({ first: 1 })).page.items[0]!;
    const image = await client.createImage({ sourceId: source.id });
    const ref = await client.importImage(image.id);
    expect(await client.getJob(ref.jobId!)).toBeNull();
    await new Promise((r) => setTimeout(r, 1100));
    expect((await client.getJob(ref.jobId!))?.state).toBe('completed');
  });

  it('records each call in the trace, path only', () => {
    expect(trace.calls).toBeGreaterThan(0);
    expect(trace.requests.every((r) => !r.path.includes('?'))).toBe(true);
  });
});
