// The caller's own Docker Cloud namespace comes from the user of its Basic credential, when that user can name a
// namespace; otherwise the own reads stay unnamed, so the keys and ids the gateway gives out are ones it reads back.
import { afterAll, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import { closeUpstreamPools, createUpstreamPools } from '../../src/upstreams/index.js';

const config = parseConfig({});
const pools = createUpstreamPools(config);
afterAll(() => closeUpstreamPools(pools));

const ownNamespace = (user: string) =>
  createContext(config, pools, {
    'x-dockercloud-authorization': `Basic ${Buffer.from(`${user}:an-api-key`).toString('base64')}`,
  }).loaders.dockercloud.ownNamespace;

it('is the user of the Docker Cloud credential', () => {
  expect(ownNamespace('alice')).toBe('alice');
});

it('stays unnamed when the user cannot name a namespace', () => {
  for (const user of ['alice@example.com', 'registry', 'a..b', '-dash']) expect(ownNamespace(user), user).toBeNull();
});

it('is null without a Docker Cloud credential', () => {
  expect(createContext(config, pools, {}).loaders.dockercloud.ownNamespace).toBeNull();
});
