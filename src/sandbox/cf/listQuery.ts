/**
 * List query parameters, read the way CC's `ListMessage` subclasses read them (cf-v3-packages.md §4):
 * - comma-delimited filters (`guids=a,b`); a value's own commas arrive percent-encoded (`%2C`, v3 docs "Query
 *   parameters"); an empty filter matches nothing;
 * - `created_ats`/`updated_ats`: an equality list, or `[lt|lte|gt|gte]` relational operators, timestamps in
 *   `YYYY-MM-DDThh:mm:ssZ`;
 * - `label_selector` (labelSelector.ts); `page` ≥ 1; `per_page` 1–5000 (default 50); `order_by` with `+`/`-`;
 * - unknown parameters (`NoAdditionalParamsValidator`) and every invalid value answer 400 `CF-BadQueryParameter`
 *   with all the messages joined (`ApiError#message`). Repeated keys: the last one wins, as in Rails.
 */
import { badQuery } from './errors.js';
import {
  LabelSelectorError,
  matchesLabelSelector,
  parseLabelSelector,
  type LabelRequirement,
} from './labelSelector.js';

export type TimestampField = 'created_at' | 'updated_at';
const RELATIONAL_OPERATORS = ['lt', 'lte', 'gt', 'gte'] as const;
type RelationalOperator = (typeof RELATIONAL_OPERATORS)[number];

export type TimestampFilter =
  { kind: 'equal'; values: string[] } | { kind: 'relational'; bounds: Partial<Record<RelationalOperator, string>> };

export interface ListSpec {
  /** Comma-list filters this list accepts, e.g. `guids`, `states`. */
  arrayFilters: readonly string[];
  /** Accepts `created_ats` / `updated_ats`. */
  timestamps: boolean;
  labelSelector: boolean;
  /** `valid_order_by_values`. */
  orderBy: readonly string[];
  /** Accepted by the message but refused on this (app-nested) route: "Unknown query parameter(s): 'app_guids'". */
  refusedHere?: readonly string[];
}

export interface ListQuery {
  filters: ReadonlyMap<string, string[]>;
  timestamps: Partial<Record<TimestampField, TimestampFilter>>;
  labelRequirements: LabelRequirement[] | null;
  page: number;
  perPage: number;
  order: { column: string; direction: 'asc' | 'desc' } | null;
  /** The requested filters in wire form, for the pagination hrefs (`to_param_hash`). */
  linkParams: [string, string][];
}

const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const TIMESTAMP_FORMAT_ERROR =
  "has an invalid timestamp format. Timestamps should be formatted as 'YYYY-MM-DDThh:mm:ssZ'";
export const DEFAULT_PER_PAGE = 50;
export const MAX_PER_PAGE = 5000;

/** ActiveSupport `humanize` for an attribute name: `per_page` → `Per page`. */
function humanize(attribute: string): string {
  const words = attribute.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** `CGI.unescape` of one list item (a literal `%2C` inside a value becomes `,`). */
function unescapeItem(item: string): string {
  try {
    return decodeURIComponent(item);
  } catch {
    return item;
  }
}

/** Ruby `String#to_i`: the leading integer, or 0. */
function rubyToI(value: string): number {
  const match = /^\s*([+-]?\d+)/.exec(value);
  return match ? Number.parseInt(match[1]!, 10) : 0;
}

interface RawParam {
  name: string;
  /** The bracketed part of `created_ats[gt]`, or undefined. */
  modifier: string | undefined;
  value: string;
}

function readRawParams(search: URLSearchParams): Map<string, RawParam[]> {
  const byName = new Map<string, RawParam[]>();
  for (const [key, value] of search) {
    const match = /^([^[\]]+)(?:\[([^\]]*)\])?$/.exec(key);
    const name = match ? match[1]! : key;
    const modifier = match ? match[2] : undefined;
    const list = byName.get(name) ?? [];
    // Rails keeps the last value of a repeated plain key; bracketed keys build a hash.
    if (modifier === undefined)
      byName.set(name, [...list.filter((p) => p.modifier !== undefined), { name, modifier, value }]);
    else byName.set(name, [...list.filter((p) => p.modifier !== modifier), { name, modifier, value }]);
  }
  return byName;
}

export function parseListQuery(search: URLSearchParams, spec: ListSpec): ListQuery {
  const errors: string[] = [];
  const raw = readRawParams(search);
  const plain = (name: string): string | undefined => raw.get(name)?.findLast((p) => p.modifier === undefined)?.value;
  const linkParams: [string, string][] = [];

  const pageValue = plain('page');
  if (pageValue !== undefined && rubyToI(pageValue) <= 0) errors.push('Page must be a positive integer');
  const perPageValue = plain('per_page');
  if (perPageValue !== undefined) {
    const n = rubyToI(perPageValue);
    if (n <= 0) errors.push('Per page must be a positive integer');
    else if (n > MAX_PER_PAGE) errors.push(`Per page must be between 1 and ${MAX_PER_PAGE}`);
  }
  let order: ListQuery['order'] = null;
  const orderValue = plain('order_by');
  if (orderValue !== undefined && orderValue !== '') {
    const match = new RegExp(`^([+-])?(${spec.orderBy.join('|')})$`).exec(orderValue);
    if (match) order = { column: match[2]!, direction: match[1] === '-' ? 'desc' : 'asc' };
    else errors.push(`Order by can only be: ${spec.orderBy.map((v) => `'${v}'`).join(', ')}`);
  }

  const allowed = new Set(['page', 'per_page', 'order_by', ...spec.arrayFilters, ...(spec.refusedHere ?? [])]);
  if (spec.timestamps) ['created_ats', 'updated_ats'].forEach((k) => allowed.add(k));
  if (spec.labelSelector) allowed.add('label_selector');
  const unknown = [...raw.keys()].filter((name) => !allowed.has(name));
  if (unknown.length > 0) errors.push(`Unknown query parameter(s): '${unknown.join("', '")}'`);

  const filters = new Map<string, string[]>();
  for (const name of spec.arrayFilters) {
    const params = raw.get(name);
    if (!params) continue;
    const value = plain(name);
    if (value === undefined) {
      errors.push(`${humanize(name)} must be an array`);
      continue;
    }
    filters.set(name, value === '' ? [] : value.split(',').map(unescapeItem));
    linkParams.push([name, value]);
  }

  const timestamps: ListQuery['timestamps'] = {};
  if (spec.timestamps) {
    for (const field of ['created_at', 'updated_at'] as const) {
      const parsed = parseTimestampFilter(`${field}s`, raw.get(`${field}s`), errors, linkParams);
      if (parsed) timestamps[field] = parsed;
    }
  }

  let labelRequirements: LabelRequirement[] | null = null;
  const selector = spec.labelSelector ? plain('label_selector') : undefined;
  if (selector !== undefined) {
    try {
      labelRequirements = parseLabelSelector(selector);
      linkParams.push(['label_selector', selector]);
    } catch (error) {
      if (!(error instanceof LabelSelectorError)) throw error;
      errors.push(error.message);
    }
  }

  const refused = (spec.refusedHere ?? []).filter((name) => raw.has(name));
  if (refused.length > 0) errors.push(`Unknown query parameter(s): '${refused.join("', '")}'`);

  if (errors.length > 0) throw badQuery(errors);
  return {
    filters,
    timestamps,
    labelRequirements,
    page: pageValue === undefined ? 1 : rubyToI(pageValue),
    perPage: perPageValue === undefined ? DEFAULT_PER_PAGE : rubyToI(perPageValue),
    order,
    linkParams,
  };
}

/** `created_ats=a,b` (equality) or `created_ats[gt]=a&created_ats[lt]=b` (relational, one value each). */
function parseTimestampFilter(
  name: string,
  params: RawParam[] | undefined,
  errors: string[],
  linkParams: [string, string][],
): TimestampFilter | null {
  if (!params || params.length === 0) return null;
  const label = humanize(name);
  const relational = params.filter((p) => p.modifier !== undefined);
  if (relational.length === 0) {
    const value = params.at(-1)!.value;
    const values = value === '' ? [] : value.split(',');
    if (values.some((v) => !TIMESTAMP.test(v))) errors.push(`${label} ${TIMESTAMP_FORMAT_ERROR}`);
    linkParams.push([name, value]);
    return { kind: 'equal', values };
  }
  const bounds: Partial<Record<RelationalOperator, string>> = {};
  for (const param of relational) {
    const operator = param.modifier!;
    if (!(RELATIONAL_OPERATORS as readonly string[]).includes(operator)) {
      errors.push(`${label} Invalid relational operator: '${operator}'`);
      continue;
    }
    if (param.value.includes(',')) {
      errors.push(`${label} only accepts one value when using a relational operator`);
      continue;
    }
    if (!TIMESTAMP.test(param.value)) errors.push(`${label} ${TIMESTAMP_FORMAT_ERROR}`);
    bounds[operator as RelationalOperator] = param.value;
    linkParams.push([`${name}[${operator}]`, param.value]);
  }
  return { kind: 'relational', bounds };
}

/** True when an ISO timestamp (second precision, `Z`) passes the filter; such strings compare as times. */
export function matchesTimestamp(value: string, filter: TimestampFilter): boolean {
  if (filter.kind === 'equal') return filter.values.includes(value);
  const { lt, lte, gt, gte } = filter.bounds;
  return (
    (lt === undefined || value < lt) &&
    (lte === undefined || value <= lte) &&
    (gt === undefined || value > gt) &&
    (gte === undefined || value >= gte)
  );
}

/** A comma-list filter: absent → everything passes; present → the value must be one of the listed ones. */
export function passesFilter(query: ListQuery, name: string, value: string | null): boolean {
  const allowed = query.filters.get(name);
  return allowed === undefined || (value !== null && allowed.includes(value));
}

/** The filters every v3 resource list shares: `guids`, `created_ats`, `updated_ats`, `label_selector`. */
export function passesResourceFilters(
  record: {
    guid: string;
    createdAt: string;
    updatedAt: string;
    metadata: { labels: Readonly<Record<string, string>> };
  },
  query: ListQuery,
): boolean {
  if (!passesFilter(query, 'guids', record.guid)) return false;
  const { created_at: created, updated_at: updated } = query.timestamps;
  if (created && !matchesTimestamp(record.createdAt, created)) return false;
  if (updated && !matchesTimestamp(record.updatedAt, updated)) return false;
  return query.labelRequirements === null || matchesLabelSelector(record.metadata.labels, query.labelRequirements);
}
