import { POLICY_SETTINGS } from './policy.js';
import type { AnySetting, SettingType } from './setting.js';

/**
 * The README's configuration reference, generated from the declarations (`npm run docs:config` writes it between
 * the markers; test/unit/configDocs.test.ts fails when the README and this text differ).
 */

/** A generated block: the README text between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
export interface GeneratedBlock {
  name: string;
  text: string;
}

/** One row of the variables table: a setting and those declared `sameRowAs` it. */
function rows(settings: readonly AnySetting[]): AnySetting[][] {
  const byFirst = new Map<AnySetting, AnySetting[]>();
  for (const setting of settings) {
    if ('sameRowAs' in setting) {
      const row = byFirst.get(setting.sameRowAs);
      if (!row) throw new Error(`${setting.name} shares the row of ${setting.sameRowAs.name}, declared after it`);
      row.push(setting);
    } else byFirst.set(setting, [setting]);
  }
  return [...byFirst.values()];
}

function defaultCell<T>(setting: {
  readonly defaultDoc?: string;
  readonly default?: T;
  readonly type: SettingType<T>;
}): string {
  if (setting.defaultDoc !== undefined) return setting.defaultDoc;
  return setting.default === undefined ? '—' : setting.type.show(setting.default);
}

/** An example holding markdown is written as is; a plain value goes in backticks. */
const exampleCell = (example: string) => (example.includes('`') ? example : `\`${example}\``);

const unique = (cells: string[]) => [...new Set(cells)].join(', ');

/** What a row's settings accept; per setting when they differ (`JWT_JWKS_URL`: a URL, `JWT_AUDIENCE`: a list). */
function acceptsCell(row: AnySetting[]): string {
  const described = row.filter((setting) => setting.type.accepts !== '');
  if (new Set(described.map((setting) => setting.type.accepts)).size <= 1) return described[0]?.type.accepts ?? '';
  return described.map((setting) => `\`${setting.name}\`: ${setting.type.accepts}`).join('; ');
}

function variableRow(row: AnySetting[]): string {
  const [first] = row as [AnySetting];
  const description = 'description' in first ? first.description : '';
  const examples = row.flatMap((setting) => (setting.example === undefined ? [] : [exampleCell(setting.example)]));
  const names = row.map((setting) => `\`${setting.name}\``).join(', ');
  return `| ${names} | ${unique(row.map(defaultCell))} | ${acceptsCell(row)} | ${examples.join(', ') || '—'} | ${description} |`;
}

/** The row that stands for the per-upstream policy settings, after the upstream topic's rows. */
const POLICY_ROW =
  '| `UPSTREAM_<SETTING>`, `<UPSTREAM>_<SETTING>` | see below | see below | `CF_RETRIES=0` | upstream policy; `<UPSTREAM>` is `CYCLE`, `CF` or `DOCKER_CLOUD` and wins over `UPSTREAM_` |';

/**
 * The README's blocks: `config-variables` (every variable of the gateway, by topic) and `config-upstream-policy` (the
 * per-upstream policy settings).
 */
export function configReference({
  topics,
  policyAfter,
}: {
  topics: readonly (readonly AnySetting[])[];
  /** The topic whose rows the policy row follows. */
  policyAfter: readonly AnySetting[];
}): GeneratedBlock[] {
  const variableLines = ['| variable | default | accepts | example | meaning |', '|---|---|---|---|---|'];
  for (const topic of topics) {
    for (const row of rows(topic)) variableLines.push(variableRow(row));
    if (topic === policyAfter) variableLines.push(POLICY_ROW);
  }
  const policyLines = ['| `<SETTING>` | default | accepts | meaning |', '|---|---|---|---|'];
  for (const setting of POLICY_SETTINGS)
    policyLines.push(
      `| \`${setting.setting}\` | ${defaultCell(setting)} | ${setting.type.accepts} | ${setting.description} |`,
    );
  return [
    { name: 'config-variables', text: variableLines.join('\n') },
    { name: 'config-upstream-policy', text: policyLines.join('\n') },
  ];
}

/** `document` with each block's text put between its markers; throws when a block's markers are missing. */
export function withGeneratedBlocks(document: string, blocks: readonly GeneratedBlock[]): string {
  let result = document;
  for (const { name, text } of blocks) {
    const begin = `<!-- generated:${name} (npm run docs:config) -->\n`;
    const end = `\n<!-- /generated:${name} -->`;
    const start = result.indexOf(begin);
    const stop = result.indexOf(end, start);
    if (start < 0 || stop < 0) throw new Error(`no markers of the generated block ${name}`);
    result = result.slice(0, start + begin.length) + text + result.slice(stop);
  }
  return result;
}
