/**
 * The README's reference tables are checked against the code: every variable the gateway reads
 * (`configVariables`, the names the configuration reader asks for) has a row in "Configuration reference", and every
 * row names a variable it reads; every error code the gateway's sources can send has a row in "Errors".
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { configVariables } from '../../src/config.js';

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

/** Variables some of which are read only when another is set: all switched on, so that every read happens. */
const EVERYTHING_ON = {
  OTEL_TRACES_EXPORTER: 'otlp',
  CF_CLIENT_ID: 'client',
  CF_CLIENT_SECRET: 'secret',
  REDIS_URL: 'redis://127.0.0.1:6379',
  METRICS_PORT: '9464',
  JWT_JWKS_URL: 'https://idp.example/jwks.json',
};

const UPSTREAM_PREFIXES = ['UPSTREAM', 'CYCLE', 'CF', 'DOCKER_CLOUD'];

it('the configuration reference lists every variable the gateway reads, and no other', () => {
  const rows = tableRows('### Configuration reference');
  const documented = new Set(rows.filter((row) => row.length === 4).flatMap((row) => namesIn(row[0]!)));
  // The per-upstream policy table: `<SETTING>` rows, each read as UPSTREAM_<SETTING> and <UPSTREAM>_<SETTING>.
  for (const setting of rows
    .filter((row) => row.length === 3 && row[0] !== '`<SETTING>`')
    .flatMap((r) => namesIn(r[0]!)))
    for (const prefix of UPSTREAM_PREFIXES) documented.add(`${prefix}_${setting}`);
  const read = new Set(configVariables(EVERYTHING_ON));
  expect([...read].filter((name) => !documented.has(name))).toEqual([]);
  expect([...documented].filter((name) => !read.has(name))).toEqual([]);
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
