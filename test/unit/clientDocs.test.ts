// docs/clients.md shows each client setup of docs/examples/ whole; the client tests import those files. This keeps
// the page and the tested code the same text.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const EXAMPLES = new URL('../../docs/examples/', import.meta.url);
const page = readFileSync(new URL('../../docs/clients.md', import.meta.url), 'utf8');

it.each(readdirSync(EXAMPLES))('docs/clients.md shows docs/examples/%s as it is', (file) => {
  const text = readFileSync(new URL(file, EXAMPLES), 'utf8').trimEnd();
  const fence = file.endsWith('.json') ? 'json' : 'ts';
  expect(page).toContain(`\`\`\`${fence}\n${text}\n\`\`\``);
});
