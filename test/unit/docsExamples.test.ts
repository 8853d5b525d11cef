// Each setup under docs/examples/ is shown whole on a docs page, and the tests import those files: the page and the
// tested code stay the same text.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { propagateHeaders } from '../../docs/examples/hivePropagateHeaders.js';
import { FORWARDED_CREDENTIAL_HEADERS } from '../../src/credentials.js';

const DOCS = new URL('../../docs/', import.meta.url);
const EXAMPLES = new URL('examples/', DOCS);
const pages = readdirSync(DOCS)
  .filter((file) => file.endsWith('.md'))
  .map((file) => readFileSync(new URL(file, DOCS), 'utf8'));

it.each(readdirSync(EXAMPLES))('a docs page shows docs/examples/%s as it is', (file) => {
  const text = readFileSync(new URL(file, EXAMPLES), 'utf8').trimEnd();
  const fence = file.endsWith('.json') ? 'json' : 'ts';
  expect(pages.some((page) => page.includes(`\`\`\`${fence}\n${text}\n\`\`\``))).toBe(true);
});

it('has Hive Gateway forward exactly the credential headers the gateway reads, to imagegraph alone', () => {
  const all = Object.fromEntries(Object.values(FORWARDED_CREDENTIAL_HEADERS).map((name) => [name, `value of ${name}`]));
  const request = new Request('http://router.test/graphql', { headers: { ...all, authorization: 'Bearer router' } });
  expect(propagateHeaders.fromClientToSubgraphs({ request, subgraphName: 'imagegraph' })).toEqual(all);
  expect(propagateHeaders.fromClientToSubgraphs({ request, subgraphName: 'deployments' })).toEqual({});
});
