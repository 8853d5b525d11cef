/**
 * The shared test-gateway fixture: `const gw = useTestGateway()` at the top of a test file starts a sandbox and a
 * gateway over it before the file's tests (startTestGateway), clears the sandbox's request logs before each test,
 * and closes both after the file. The handle reads like a TestGateway.
 *
 * It also checks upstream traffic. A test that calls `gw.expectUpstream(...)` (or every test, with
 * `{ strictUpstream: true }`) fails when the emulators logged a request it did not declare, so an operation that
 * starts reading something extra (an N+1, a forgotten prime, a read a cache should have answered) is caught even by
 * a test that only looks at the answer. Declarations are `<upstream> <METHOD> <path>` with `*` for one path segment:
 * `'cycle GET /v1/images'`, `'cycle GET /v1/images/*'`, `'cf GET /v3/apps'`. The query string is not compared.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { LoggedRequest } from '../../src/sandbox/index.js';
import { startTestGateway, type TestGateway, type TestGatewayOptions } from './gateway.js';

export interface FixtureOptions extends TestGatewayOptions {
  /** Fail every test that makes an upstream request it did not declare, including tests that declare none. */
  strictUpstream?: boolean;
}

export interface FixtureGateway extends TestGateway {
  /** Declares upstream requests the current test may make; any other request the emulators log fails the test. */
  expectUpstream(...requests: string[]): void;
  /** The requests the emulators logged during the current test, as `<upstream> <METHOD> <path>`. */
  upstreamRequests(): string[];
}

const UPSTREAMS = ['cycle', 'cf', 'dockercloud'] as const;

export function useTestGateway(options: FixtureOptions = {}): FixtureGateway {
  let started: TestGateway | undefined;
  let expected: string[] | null = null;
  const gateway = (): TestGateway => {
    if (!started) throw new Error('the test gateway is not started: use it inside tests and hooks, not at load time');
    return started;
  };

  const { strictUpstream = false, ...gatewayOptions } = options;
  beforeAll(async () => {
    started = await startTestGateway(gatewayOptions);
  });
  afterAll(async () => {
    await started?.close();
  });
  beforeEach(() => {
    gateway().sandbox.resetRequests();
    expected = strictUpstream ? [] : null;
  });
  afterEach((context) => {
    if (expected === null || context.task.result?.state === 'fail') return;
    const unexpected = unexpectedUpstream(upstreamRequests(gateway()), expected);
    if (unexpected.length > 0) {
      throw new Error(
        `upstream requests this test did not expect (declare them with gw.expectUpstream):\n  ${unexpected.join('\n  ')}`,
      );
    }
  });

  return {
    get logLines() {
      return gateway().logLines;
    },
    get url() {
      return gateway().url;
    },
    get sandbox() {
      return gateway().sandbox;
    },
    get gateway() {
      return gateway().gateway;
    },
    get config() {
      return gateway().config;
    },
    gql: (query, variables, headers) => gateway().gql(query, variables, headers),
    close: () => gateway().close(),
    expectUpstream(...requests) {
      expected = [...(expected ?? []), ...requests];
    },
    upstreamRequests: () => upstreamRequests(gateway()),
  };
}

function upstreamRequests(gw: TestGateway): string[] {
  return UPSTREAMS.flatMap((name) =>
    gw.sandbox[name].requests().map((request: LoggedRequest) => `${name} ${request.method} ${request.path}`),
  );
}

/** The requests (`<upstream> <METHOD> <path>`) that match none of the declarations, in order. */
export function unexpectedUpstream(requests: readonly string[], declarations: readonly string[]): string[] {
  const patterns = declarations.map(requestPattern);
  return requests.filter((request) => !patterns.some((pattern) => pattern.test(request)));
}

/** `cycle GET /v1/images/*` as a pattern over whole request lines: `*` is one path segment, the rest literal. */
function requestPattern(declaration: string): RegExp {
  const parts = declaration.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[^/]+')}$`);
}
