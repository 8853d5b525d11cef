/**
 * The gateway in front of a hostile upstream. A gateway process, run as the container image runs it (the production
 * heap flags of the Dockerfile and `npm start`), points its Cycle upstream at a loopback server that answers with one
 * hostile body per case (test/helpers/hostileUpstream.ts): far over the size bound, declared over it, nested too
 * deep, holding too many arrays, compressed into a bomb, dripped a byte at a time, or a list of what are not items.
 *
 * Each case asserts the exact error (code, upstream, reason) within a liveness bound, that a bystander's `/healthz`
 * polled back to back all along never waited long, that the upstream stopped being read where the bound was passed,
 * and that the process is alive with its memory bounded afterwards.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGatewayProcess, type GatewayProcess } from '../helpers/gatewayProcess.js';
import { startHostileUpstream, type HostileAnswer, type HostileUpstream } from '../helpers/hostileUpstream.js';
import { rssMb, watchProcess } from '../helpers/processWatch.js';

const MB = 1024 * 1024;
/** The default of CYCLE_MAX_RESPONSE_BYTES (src/config/policy.ts), left unset here. */
const DEFAULT_BOUND = 4 * MB;
/** As the Dockerfile and `npm start` run the gateway. */
const PRODUCTION_HEAP = ['--max-old-space-size=192', '--max-semi-space-size=8'];
/** Liveness bounds on a loaded machine, not speed claims. */
const ANSWER_WITHIN_MS = 8_000;
const BYSTANDER_WAIT_MS = 2_000;
const RSS_BOUND_MB = 320;
const TOTAL_TIMEOUT_MS = 1_500;

let upstream: HostileUpstream;
let gateway: GatewayProcess;

beforeAll(async () => {
  upstream = await startHostileUpstream();
  gateway = await startGatewayProcess(
    {
      CYCLE_API_URL: upstream.url,
      CYCLE_API_KEY: 'hostile-upstream-key',
      CYCLE_HUB_ID: 'abcdefabcdefabcdefabcdef',
      CYCLE_RETRIES: '0',
      CYCLE_BREAKER_VOLUME: '1000',
      CYCLE_TOTAL_TIMEOUT_MS: String(TOTAL_TIMEOUT_MS),
      // Cloud Foundry through UAA, at the same hostile server: the token's fetch meets the same bodies.
      CF_API_URL: upstream.url,
      CF_UAA_URL: upstream.url,
      CF_CLIENT_ID: 'hostile-client',
      CF_CLIENT_SECRET: 'hostile-client-secret',
      NODE_ENV: 'production',
      LOG_LEVEL: 'fatal',
    },
    45_000,
    [...PRODUCTION_HEAP, '--import', 'tsx', 'src/main.ts'],
  );
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
});

interface Outcome {
  errors: { message: string; extensions?: Record<string, unknown> }[];
  ms: number;
  longestHealthzMs: number;
  /** Bytes the upstream wrote for this case's request. */
  written: number;
}

async function ask(
  answer: HostileAnswer,
  query = '{ images(first: 1) { edges { node { id name } } } }',
): Promise<Outcome> {
  upstream.answer(answer);
  const request = upstream.written.length;
  const watch = watchProcess(gateway.url, gateway.pid);
  const started = performance.now();
  const response = await fetch(`${gateway.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await response.json()) as { errors?: Outcome['errors'] };
  const ms = performance.now() - started;
  const { longestHealthzMs } = await watch.stop();
  // The upstream may still be flushing what the socket accepted before the gateway closed it.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { errors: body.errors ?? [], ms, longestHealthzMs, written: upstream.written[request] ?? 0 };
}

function expectBounded(outcome: Outcome) {
  expect(outcome.ms).toBeLessThan(ANSWER_WITHIN_MS);
  expect(outcome.longestHealthzMs).toBeLessThan(BYSTANDER_WAIT_MS);
  expect(rssMb(gateway.pid)).not.toBeNull();
  expect(rssMb(gateway.pid)!).toBeLessThan(RSS_BOUND_MB);
}

const cycleError = (reason: string | undefined, message: RegExp) => [
  {
    message: expect.stringMatching(message),
    path: ['images'],
    locations: expect.any(Array),
    extensions: {
      code: 'UPSTREAM_ERROR',
      upstream: 'cycle',
      status: 200,
      ...(reason ? { reason } : {}),
    },
  },
];

describe('a hostile Cycle upstream', () => {
  it('a 200 MB body is cut off at the size bound: RESPONSE_TOO_LARGE, naming the variable', async () => {
    const outcome = await ask({ kind: 'huge', bytes: 200 * MB });
    expect(outcome.errors).toEqual(
      cycleError(
        'RESPONSE_TOO_LARGE',
        /^Cycle sent an unusable response: its body is over 4194304 bytes \(CYCLE_MAX_RESPONSE_BYTES\)$/,
      ),
    );
    // Read no further than the bound, give or take what the sockets buffer.
    expect(outcome.written).toBeLessThan(DEFAULT_BOUND + 8 * MB);
    expectBounded(outcome);
  });

  it('a content-length over the bound is refused before the body is read', async () => {
    const outcome = await ask({ kind: 'declared', declared: 1024 * MB, sent: 1000 });
    expect(outcome.errors).toEqual(cycleError('RESPONSE_TOO_LARGE', /its body is over 4194304 bytes/));
    // Not waited for: the body never comes, and the exchange's timeout is far longer than this.
    expect(outcome.ms).toBeLessThan(TOTAL_TIMEOUT_MS);
    expectBounded(outcome);
  });

  it('1 MB of `[` is refused unparsed: RESPONSE_TOO_DEEP', async () => {
    const outcome = await ask({ kind: 'deep', bytes: MB });
    expect(outcome.errors).toEqual(
      cycleError('RESPONSE_TOO_DEEP', /^Cycle sent an unusable response: its JSON nests deeper than 64 levels$/),
    );
    expectBounded(outcome);
  });

  it('3 MB of empty arrays is refused unparsed: RESPONSE_TOO_COMPLEX', async () => {
    const outcome = await ask({ kind: 'wide', bytes: 3 * MB, unit: '[]' });
    expect(outcome.errors).toEqual(
      cycleError('RESPONSE_TOO_COMPLEX', /its JSON holds more than 100000 arrays and objects$/),
    );
    expectBounded(outcome);
  });

  it('a gzip bomb is never inflated: the compressed body is refused', async () => {
    const outcome = await ask({ kind: 'gzip', inflated: 64 * MB });
    expect(outcome.errors).toEqual(cycleError(undefined, /the body is compressed \(content-encoding\)/));
    expectBounded(outcome);
  });

  it('a body dripped a byte at a time ends at the exchange timeout', async () => {
    const outcome = await ask({ kind: 'drip', intervalMs: 50 });
    expect(outcome.errors).toEqual([
      expect.objectContaining({
        message: 'Cycle is unavailable: the response body timed out',
        extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'cycle' },
      }),
    ]);
    expectBounded(outcome);
  });

  it('a page of 2 MB of numbers, not items, fails the list with UPSTREAM_ERROR, read only as far as the page', async () => {
    const outcome = await ask({ kind: 'wide', bytes: 2 * MB, unit: '0' });
    expect(outcome.errors).toEqual(
      cycleError(undefined, /^Cycle sent an unusable response: an item is not an object$/),
    );
    expectBounded(outcome);
  });

  it('items without the fields the spec requires fail with UPSTREAM_ERROR, not INTERNAL_SERVER_ERROR', async () => {
    const outcome = await ask({ kind: 'huge', bytes: 64 * 1024 });
    expect(outcome.errors).toEqual(cycleError(undefined, /an item lacks fields its spec requires/));
    expectBounded(outcome);
  });

  it("a huge or compressed answer to Cloud Foundry's UAA token request is read no further than its bound", async () => {
    for (const answer of [
      { kind: 'huge', bytes: 200 * MB },
      { kind: 'gzip', inflated: 64 * MB },
    ] as const) {
      const outcome = await ask(answer, '{ packages(first: 1) { nodes { guid } } }');
      expect(outcome.errors).toEqual([
        expect.objectContaining({
          message: 'Cloud Foundry is unavailable: the answer of /oauth/token is over 262144 bytes',
          extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: 'cf' },
        }),
      ]);
      expectBounded(outcome);
    }
  });

  it('still answers, with its memory bounded, after all of them', async () => {
    const response = await fetch(`${gateway.url}/healthz`);
    expect(response.status).toBe(200);
    expect(rssMb(gateway.pid)!).toBeLessThan(RSS_BOUND_MB);
  });
});
