import { parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { EXAMPLE_TABS } from '../../src/graphiql/examples.js';
import { buildSchema } from '../../src/schema.js';

describe('GraphiQL example tabs', () => {
  const schema = buildSchema();
  it.each(EXAMPLE_TABS.map((tab) => [tab.query.split('\n')[0]!, tab.query]))(
    '%s is valid against the schema',
    (_title, query) => {
      expect(validate(schema, parse(query)).map((e) => e.message)).toEqual([]);
    },
  );

  it('has a Cloud Foundry, a Docker Cloud and a cross-platform tab', () => {
    const text = EXAMPLE_TABS.map((tab) => tab.query).join('\n');
    expect(text).toMatch(/packages\(/);
    expect(text).toMatch(/repositories\(/);
    expect(text).toMatch(/image \{[^}]*repository \{/);
  });
});
