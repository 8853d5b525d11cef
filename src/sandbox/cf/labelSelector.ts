/**
 * `label_selector` (cf-v3-packages.md §4; v3 docs "Labels and selectors"): comma-separated requirements, ANDed, at
 * most 50. Grammar and error messages follow CC's own lexer and state-machine parser
 * (`lib/cloud_controller/label_selector/label_selector_{lexer,parser}.rb`):
 *   `k` (exists) · `!k` (not exists) · `k=v` / `k==v` · `k!=v` · `k in (a,b)` · `k notin (a,b)`.
 */

export type LabelRequirement =
  | { key: string; operator: 'exists' | 'not_exists' }
  | { key: string; operator: 'equal' | 'not_equal' | 'in' | 'notin'; values: string[] };

type TokenKind =
  'comma' | 'open_paren' | 'close_paren' | 'space' | 'equal' | 'not_equal' | 'not_op' | 'word' | 'error' | 'eof';
interface Token {
  kind: TokenKind;
  text: string;
  at: number;
}

const MAX_REQUIREMENTS = 50;

// Same alternation, in the same order, as the CC lexer.
const TOKEN_PATTERN = /(,)|(\()|(\))|(\s+)|(==?)|(!=)|(!)|([-_.\w]+(?:\/[-_.\w]+)?)|(.)/gsu;
const TOKEN_KINDS: TokenKind[] = [
  'comma',
  'open_paren',
  'close_paren',
  'space',
  'equal',
  'not_equal',
  'not_op',
  'word',
  'error',
];

function scan(input: string): Token[] {
  const tokens: Token[] = [];
  for (const match of input.matchAll(TOKEN_PATTERN)) {
    const group = match.slice(1).findIndex((g) => g !== undefined);
    tokens.push({ kind: TOKEN_KINDS[group]!, text: match[0], at: match.index });
  }
  return tokens;
}

export class LabelSelectorError extends Error {}

/** `LabelSelectorParseError#show_token_state`: the input with the offending token in `<<…>>`. */
function parseError(message: string, input: string, token: Token): LabelSelectorError {
  const parts: string[] = [];
  if (token.at > 0) {
    let start = input.slice(0, token.at);
    if (start.length > 30) start = `...${start.slice(-27)}`;
    parts.push(start);
  }
  parts.push(`<<${token.text}>>`);
  if (token.at + token.text.length < input.length) {
    let end = input.slice(token.at + token.text.length);
    if (end.length > 30) end = `${end.slice(0, 28)}...`;
    parts.push(end);
  }
  return new LabelSelectorError(`${message}, got "${parts.join('')}"`);
}

/** Parses a selector; throws LabelSelectorError with CC's message when it is malformed. */
export function parseLabelSelector(input: string): LabelRequirement[] {
  if (input.length === 0) throw new LabelSelectorError('empty label selector not allowed');
  const all = scan(input);
  const bad = all.find((t) => t.kind === 'error');
  if (bad) throw parseError('disallowed character(s)', input, bad);
  const tokens = [...all.filter((t) => t.kind !== 'space'), { kind: 'eof' as const, text: '', at: input.length }];

  const requirements: LabelRequirement[] = [];
  let state:
    | 'at_start'
    | 'has_not_op'
    | 'has_key'
    | 'expect_value'
    | 'expecting_open_paren'
    | 'expecting_set_value'
    | 'expecting_comma_or_close_paren'
    | 'expecting_comma_or_eof' = 'at_start';
  let key = '';
  let operator: 'equal' | 'not_equal' | 'in' | 'notin' = 'equal';
  let values: string[] = [];
  const expecting = (what: string, token: Token) => parseError(`expecting ${what}`, input, token);

  for (const token of tokens) {
    switch (state) {
      case 'at_start':
        if (token.kind === 'word') [key, state] = [token.text, 'has_key'];
        else if (token.kind === 'not_op') state = 'has_not_op';
        else if (token.kind === 'not_equal') throw expecting("a key or '!' not followed by '='", token);
        else throw expecting("a key or '!'", token);
        break;
      case 'has_not_op':
        if (token.kind !== 'word') throw expecting('a key', token);
        requirements.push({ key: token.text, operator: 'not_exists' });
        state = 'expecting_comma_or_eof';
        break;
      case 'has_key':
        if (token.kind === 'equal' || token.kind === 'not_equal')
          [operator, values, state] = [token.kind, [], 'expect_value'];
        else if (token.kind === 'word' && (token.text === 'in' || token.text === 'notin'))
          [operator, values, state] = [token.text, [], 'expecting_open_paren'];
        else if (token.kind === 'word') throw parseError("expecting a ',', operator, or end", input, token);
        else if (token.kind === 'comma' || token.kind === 'eof') {
          requirements.push({ key, operator: 'exists' });
          if (token.kind === 'eof') return checked(requirements);
          state = 'at_start';
        } else throw expecting("a ',', operator, or end", token);
        break;
      case 'expect_value':
        if (token.kind !== 'word') throw expecting('a value', token);
        requirements.push({ key, operator, values: [token.text] });
        state = 'expecting_comma_or_eof';
        break;
      case 'expecting_open_paren':
        if (token.kind !== 'open_paren') throw expecting("a '('", token);
        state = 'expecting_set_value';
        break;
      case 'expecting_set_value':
        if (token.kind !== 'word') throw expecting('a value', token);
        values.push(token.text);
        state = 'expecting_comma_or_close_paren';
        break;
      case 'expecting_comma_or_close_paren':
        if (token.kind === 'comma') state = 'expecting_set_value';
        else if (token.kind === 'close_paren') {
          requirements.push({ key, operator, values });
          state = 'expecting_comma_or_eof';
        } else throw expecting("a ',' or ')'", token);
        break;
      case 'expecting_comma_or_eof':
        if (token.kind === 'comma') state = 'at_start';
        else if (token.kind === 'eof') return checked(requirements);
        else throw expecting("a ',' or end", token);
        break;
    }
  }
  throw new LabelSelectorError('Expecting completion of the selector, hit the end');
}

// Label keys and values (v3 docs "Labels"): optional DNS prefix + `/` + name of 1–63 characters, alphanumeric at
// both ends; values 0–63 characters of the same alphabet.
const LABEL_NAME = /^[a-zA-Z0-9]([-_.a-zA-Z0-9]*[a-zA-Z0-9])?$/;
const DNS_PREFIX = /^[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]*[a-zA-Z0-9])?)*$/;

/** The error for a label key, or null when the key is valid (`MetadataValidatorHelper#key_error`). */
export function labelKeyError(key: string): string | null {
  const slash = key.indexOf('/');
  const [prefix, name] = slash < 0 ? [null, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== null && (prefix.length > 253 || !DNS_PREFIX.test(prefix)))
    return `label prefix error: '${prefix}' must be in valid dns format`;
  if (name.length === 0) return 'label key error: key cannot be empty string';
  if (name.length > 63) return `label key error: '${name.slice(0, 8)}...' is greater than 63 characters`;
  if (!LABEL_NAME.test(name)) return `label key error: '${name}' contains invalid characters`;
  return null;
}

/** The error for a label value, or null when it is valid (empty values are allowed). */
export function labelValueError(value: string): string | null {
  if (value.length > 63) return `label value error: '${value.slice(0, 8)}...' is greater than 63 characters`;
  if (value.length > 0 && !LABEL_NAME.test(value)) return `label value error: '${value}' contains invalid characters`;
  return null;
}

function checked(requirements: LabelRequirement[]): LabelRequirement[] {
  if (requirements.length > MAX_REQUIREMENTS)
    throw new LabelSelectorError(`label_selector may contain at most ${MAX_REQUIREMENTS} requirements`);
  for (const r of requirements) {
    const problem =
      labelKeyError(r.key) ?? ('values' in r ? (r.values.map(labelValueError).find((e) => e !== null) ?? null) : null);
    if (problem) throw new LabelSelectorError(problem);
  }
  return requirements;
}

/** True when the labels satisfy every requirement (the docs' table: inequality and notin also match a missing key). */
export function matchesLabelSelector(
  labels: Readonly<Record<string, string>>,
  requirements: readonly LabelRequirement[],
): boolean {
  return requirements.every((r) => {
    const value = Object.hasOwn(labels, r.key) ? labels[r.key] : undefined;
    switch (r.operator) {
      case 'exists':
        return value !== undefined;
      case 'not_exists':
        return value === undefined;
      case 'equal':
        return value === r.values[0];
      case 'not_equal':
        return value !== r.values[0];
      case 'in':
        return value !== undefined && r.values.includes(value);
      case 'notin':
        return value === undefined || !r.values.includes(value);
    }
  });
}
