/**
 * The gateway sends CF the canonical `Authorization: Bearer …` (RFC 9110 §11.1 makes the scheme case-insensitive, but
 * spec-validating proxies compare `Bearer` exactly), whether the token comes from the environment or a caller.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_TENANT } from '../../src/sandbox/index.js';
import { startTestGateway, type TestGateway } from '../helpers/gateway.js';
import { startRecordingProxy, type RecordingProxy } from '../helpers/recordingProxy.js';

let gw: TestGateway;
let proxy: RecordingProxy;
beforeAll(async () => {
  proxy = await startRecordingProxy();
  gw = await startTestGateway({
    config: (config) => {
      proxy.forwardTo(config.upstreams.cf!.url);
      return { ...config, upstreams: { ...config.upstreams, cf: { ...config.upstreams.cf!, url: proxy.url } } };
    },
  });
});
afterAll(async () => {
  await gw.close();
  await proxy.close();
});

async function sentAuthorization(headers: Record<string, string>): Promise<string> {
  proxy.requests.splice(0);
  const res = await gw.gql(`{ packages(first: 1) { totalCount } }`, {}, headers);
  expect(res.errors).toBeUndefined();
  expect(proxy.requests).toHaveLength(1);
  return String(proxy.requests[0]!.headers.authorization);
}

it('sends the service token as `Bearer`', async () => {
  expect(await sentAuthorization({})).toBe(`Bearer ${DEMO_TENANT.cf.token}`);
});

it('adds `Bearer` to a bare forwarded token and canonicalises a forwarded `bearer`', async () => {
  const token = DEMO_TENANT.cf.token;
  expect(await sentAuthorization({ 'x-cf-authorization': token })).toBe(`Bearer ${token}`);
  expect(await sentAuthorization({ 'x-cf-authorization': `bearer ${token}` })).toBe(`Bearer ${token}`);
  expect(await sentAuthorization({ 'x-cf-authorization': `BEARER ${token}` })).toBe(`Bearer ${token}`);
});
