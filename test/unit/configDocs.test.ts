/**
 * The README's reference tables are checked against the code: the configuration reference is exactly the text
 * generated from the settings' declarations (src/config/, `npm run docs:config`), and every error code the gateway's
 * sources can send has a row in "Errors".
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { configReferenceBlocks, configVariables, parseConfig } from '../../src/config.js';
import { SettingsReader } from '../../src/config/reader.js';
import { PORT } from '../../src/config/server.js';
import { withGeneratedBlocks } from '../../src/config/docs.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The markdown table rows under a heading, up to the next heading, as arrays of cells. */
function tableRows(heading: string): string[][] {
  const start = README.indexOf(`\n${heading}\n`);
  if (start < 0) throw new Error(`README has no "${heading}"`);
  const end = README.indexOf('\n#', start + heading.length + 2);
  return README.slice(start, end < 0 ? undefined : end)
    .split('\n')
    .filter((line) => line.startsWith('|') && !/^\|[-| ]+\|$/.test(line))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

/** The `NAMES` in backticks of a cell. */
const namesIn = (cell: string) => [...cell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!);

/** The README's text between a generated block's markers. */
function generatedBlock(name: string): string {
  const begin = `<!-- generated:${name} (npm run docs:config) -->\n`;
  const start = README.indexOf(begin);
  const end = README.indexOf(`\n<!-- /generated:${name} -->`, start);
  if (start < 0 || end < 0) throw new Error(`README has no generated block ${name}`);
  return README.slice(start + begin.length, end);
}

it('the configuration reference is the text generated from the declarations (npm run docs:config)', () => {
  const blocks = configReferenceBlocks();
  expect(blocks.map((block) => block.name)).toEqual(['config-variables', 'config-upstream-policy']);
  for (const { name, text } of blocks) expect(generatedBlock(name), `${name}: run npm run docs:config`).toBe(text);
  expect(withGeneratedBlocks(README, blocks)).toBe(README);
});

const UPSTREAM_PREFIXES = ['UPSTREAM', 'CYCLE', 'CF', 'DOCKER_CLOUD'];

/** The rows of a generated table, as arrays of cells. */
const blockRows = (name: string) =>
  generatedBlock(name)
    .split('\n')
    .slice(2)
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );

it('declares each variable once, and the reference names every one and no other', () => {
  const names = configVariables();
  expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  const documented = new Set(blockRows('config-variables').flatMap((row) => namesIn(row[0]!)));
  // The per-upstream policy table: `<SETTING>` rows, each read as UPSTREAM_<SETTING> and <UPSTREAM>_<SETTING>.
  for (const setting of blockRows('config-upstream-policy').flatMap((row) => namesIn(row[0]!)))
    for (const prefix of UPSTREAM_PREFIXES) documented.add(`${prefix}_${setting}`);
  expect(names.filter((name) => !documented.has(name))).toEqual([]);
  expect([...documented].filter((name) => !names.includes(name))).toEqual([]);
});

/** Variables some of which are read only when another is set: all switched on, so that every read happens. */
const EVERYTHING_ON = {
  OTEL_TRACES_EXPORTER: 'otlp',
  CF_CLIENT_ID: 'client',
  CF_CLIENT_SECRET: 'client-secret',
  REDIS_URL: 'redis://127.0.0.1:6379',
  METRICS_PORT: '9464',
  JWT_JWKS_URL: 'https://idp.example/jwks.json',
  JWT_ISSUER: 'https://idp.example/',
  JWT_AUDIENCE: 'imagegraph',
  SANDBOX: 'true',
};

it('reads only declared settings (the reader refuses any other), whatever is switched on', () => {
  expect(parseConfig(EVERYTHING_ON)).toMatchObject({ mode: 'sandbox', metricsListener: { port: 9464 } });
  expect(parseConfig({ ...EVERYTHING_ON, SANDBOX: 'false', CF_API_URL: 'https://api.example.org' }).mode).toBe(
    'upstreams',
  );
  const reader = new SettingsReader({ PORT: '1' }, new Set(['HOST']));
  expect(() => reader.get(PORT)).toThrow(/PORT is read but not listed in src\/config\//);
});

/** Every `.ts` file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'sandbox' || name === '__generated__' ? [] : sources(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

it('the errors table lists every code the gateway sends', () => {
  const sent = new Set<string>();
  for (const file of sources(join(ROOT, 'src'))) {
    const text = readFileSync(file, 'utf8');
    // `code: 'X'`, `sendError(res, 413, 'X'`, and the members of the ErrorCode union.
    for (const m of text.matchAll(/(?:\bcode\s*:\s*|sendError\(\s*\w+,\s*\d+,\s*)'([A-Z][A-Z0-9_]+)'/g))
      sent.add(m[1]!);
    const union = /export type ErrorCode =([^;]+);/.exec(text);
    if (union) for (const m of union[1]!.matchAll(/'([A-Z_]+)'/g)) sent.add(m[1]!);
  }
  expect(sent.size).toBeGreaterThan(15);
  const documented = new Set(tableRows('### Errors').flatMap((row) => namesIn(row[0]!)));
  expect([...sent].filter((code) => !documented.has(code)).sort()).toEqual([]);
});
