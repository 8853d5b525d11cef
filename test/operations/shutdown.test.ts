import { once } from 'node:events';
import { connect } from 'node:net';
import { expect, it } from 'vitest';
import { startTestGateway } from '../helpers/gateway.js';

const QUERY = `{ images(first: 2) { nodes { id } } }`;

/** Whether a new TCP connection to the gateway's port is accepted. */
function connects(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 400 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!condition()) throw new Error(`timed out waiting until ${what}`);
}

it('finishes a request in flight, refuses new connections meanwhile, then closes', async () => {
  const gw = await startTestGateway({ env: { SHUTDOWN_GRACE_MS: '10000' } });
  try {
    gw.sandbox.cycle.injectFault({ path: '/v1/images', delayMs: 500, times: 1 });
    const arrived = once(gw.gateway.httpServer, 'request');
    const slow = gw.gql(QUERY);
    await arrived;
    expect(await connects(gw.url)).toBe(true);

    const closed = gw.gateway.close();
    expect(gw.gateway.close()).toBe(closed);
    await until(() => !gw.gateway.httpServer.listening, 'the gateway stops listening');
    expect(await connects(gw.url)).toBe(false);

    const answer = await slow;
    expect(answer.errors).toBeUndefined();
    expect(answer.data!.images.nodes).toHaveLength(2);
    await closed;
    expect(gw.sandbox.cycle.requests().find((r) => r.path === '/v1/images')?.status).toBe(200);
  } finally {
    await gw.close();
  }
});

it('answers what is still running after SHUTDOWN_GRACE_MS with a 503 error body, aborting its upstream requests', async () => {
  const gw = await startTestGateway({
    env: {
      SHUTDOWN_GRACE_MS: '300',
      CYCLE_FIRST_BYTE_TIMEOUT_MS: '60000',
      CYCLE_TOTAL_TIMEOUT_MS: '60000',
      CYCLE_RETRIES: '0',
    },
  });
  try {
    gw.sandbox.cycle.injectFault({ path: '/v1/images', delayMs: 5_000, times: 1 });
    const arrived = once(gw.gateway.httpServer, 'request');
    const slow = gw.gql(QUERY);
    await arrived;
    await gw.gateway.close();
    const answer = await slow;
    expect(answer.status).toBe(503);
    expect(answer.errors).toEqual([
      {
        message:
          'The gateway is shutting down and this request did not finish within the shutdown grace (SHUTDOWN_GRACE_MS): send it again',
        extensions: { code: 'SHUTTING_DOWN' },
      },
    ]);
    // The upstream saw its request end without an answer (status 0): the pool aborted it instead of waiting 5 s.
    await until(
      () => gw.sandbox.cycle.requests().some((r) => r.path === '/v1/images'),
      'the upstream logs the aborted request',
    );
    expect(gw.sandbox.cycle.requests().find((r) => r.path === '/v1/images')?.status).toBe(0);
  } finally {
    await gw.close();
  }
});
