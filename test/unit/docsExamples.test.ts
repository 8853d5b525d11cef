// Each setup under docs/examples/ is shown whole on a docs page, and the tests import those files: the page and the
// tested code stay the same text.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { imagegraphGatewayOptions } from '../../docs/examples/hiveGateway.js';
import { FORWARDED_CREDENTIAL_HEADERS } from '../../src/credentials.js';

const DOCS = new URL('../../docs/', import.meta.url);
const EXAMPLES = new URL('examples/', DOCS);
const pages = readdirSync(DOCS)
  .filter((file) => file.endsWith('.md'))
  .map((file) => readFileSync(new URL(file, DOCS), 'utf8'));
const FENCES: Record<string, string> = { json: 'json', yaml: 'yaml', toml: 'toml', ts: 'ts' };

it.each(readdirSync(EXAMPLES))('a docs page shows docs/examples/%s as it is', (file) => {
  const text = readFileSync(new URL(file, EXAMPLES), 'utf8').trimEnd();
  const fence = FENCES[file.split('.').pop()!];
  expect(fence).toBeDefined();
  expect(pages.some((page) => page.includes(`\`\`\`${fence}\n${text}\n\`\`\``))).toBe(true);
});

it('has Hive Gateway send exactly the credential headers the gateway reads, and its token, to imagegraph alone', () => {
  const { propagateHeaders, transportEntries } = imagegraphGatewayOptions('the-router-token');
  const all = Object.fromEntries(Object.values(FORWARDED_CREDENTIAL_HEADERS).map((name) => [name, `value of ${name}`]));
  const request = new Request('http://router.test/graphql', { headers: { ...all, authorization: 'Bearer caller' } });
  const router = { authorization: 'Bearer the-router-token', 'x-imagegraph-router': 'hive-gateway' };
  expect(propagateHeaders.fromClientToSubgraphs({ request, subgraphName: 'imagegraph' })).toEqual({
    ...all,
    ...router,
  });
  expect(propagateHeaders.fromClientToSubgraphs({ request, subgraphName: 'deployments' })).toEqual({});
  // The subscription WebSocket's connection_init carries the same, by Hive Gateway's `{context.headers.…}`.
  expect(transportEntries.imagegraph.options.subscriptions.options.connectionParams).toEqual({
    ...router,
    ...Object.fromEntries(Object.values(FORWARDED_CREDENTIAL_HEADERS).map((n) => [n, `{context.headers.${n}}`])),
  });
});

it('has Apollo Router (not run here) forward the same headers, its token and its name, and pass subscriptions through', () => {
  const config = parseYaml(readFileSync(new URL('apolloRouter.yaml', EXAMPLES), 'utf8'));
  const rules = config.headers.subgraphs.imagegraph.request.operations as Record<string, Record<string, string>>[];
  expect(rules.flatMap((r) => (r.propagate ? [r.propagate.named] : []))).toEqual(
    Object.values(FORWARDED_CREDENTIAL_HEADERS),
  );
  expect(rules.flatMap((r) => (r.insert ? [[r.insert.name, r.insert.value]] : []))).toEqual([
    ['authorization', 'Bearer ${env.IMAGEGRAPH_GATEWAY_TOKEN}'],
    ['x-imagegraph-router', 'apollo-router'],
  ]);
  expect(config.subscription.mode.passthrough.subgraphs.imagegraph).toEqual({
    path: '/graphql',
    protocol: 'graphql_ws',
  });
});
