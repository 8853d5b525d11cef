// The example tabs GraphiQL opens with run as they are against the sandbox: data, no errors, no headers needed.
import { expect, it } from 'vitest';
import { EXAMPLE_TABS } from '../../src/graphiql/examples.js';
import { postJson } from '../helpers/gateway.js';
import { useTestGateway } from '../helpers/fixture.js';
import { watch, wsClient } from '../helpers/subscriptions.js';

const gw = useTestGateway();

/** Every leaf list in a response, to check that each example reads something. */
function lists(value: unknown, path = ''): [string, unknown[]][] {
  if (Array.isArray(value)) return [[path, value], ...value.flatMap((item, i) => lists(item, `${path}.${i}`))];
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([key, v]) => lists(v, path ? `${path}.${key}` : key));
  return [];
}

const isLive = (tab: (typeof EXAMPLE_TABS)[number]) => /^subscription /m.test(tab.query);

it.each(
  EXAMPLE_TABS.filter((tab) => !isLive(tab)).map((tab) => [
    /query (\w+)/.exec(tab.query)?.[1] ?? tab.query.slice(0, 40),
    tab,
  ]),
)('%s runs without errors in sandbox mode', async (_name, tab) => {
  const variables = tab.variables ? (JSON.parse(tab.variables) as Record<string, unknown>) : undefined;
  const headers = tab.headers ? (JSON.parse(tab.headers) as Record<string, string>) : undefined;
  const res = await gw.gql(tab.query, variables, headers);
  expect(res.errors).toBeUndefined();
  expect(res.status).toBe(200);
  const topLevel = Object.entries(res.data ?? {});
  expect(topLevel.length).toBeGreaterThan(0);
  for (const [field, value] of topLevel) expect(value, field).not.toBeNull();
  // The first list of each example (its page of items) is not empty: the example shows data, not a blank result.
  const [first, ...others] = lists(res.data);
  expect(first?.[1].length, first?.[0]).toBeGreaterThan(0);
  // No entry of any list is null (an id of the GlobalIds tab that no longer names sandbox data, say).
  for (const [path, items] of [first!, ...others]) expect(items.includes(null), path).toBe(false);
});

it('the import-and-watch tab imports an image and watches it until LIVE, as its comments say', async () => {
  const tab = EXAMPLE_TABS.find(isLive)!;
  const imported = await postJson<any>(`${gw.url}/graphql`, { query: tab.query, operationName: 'ImportImage' });
  expect(imported.errors).toBeUndefined();
  const id: string = imported.data!.createImage.image.id;
  const client = wsClient(gw.url);
  const watched = watch(client, tab.query, { id }, 'WatchImage');
  await watched.ended;
  expect(watched.events.at(-1)!.data!.imageState).toMatchObject({ id, state: { current: 'LIVE', error: null } });
  await client.dispose();
});
