/**
 * Arguments checked before any upstream request, with BAD_USER_INPUT errors that say what is wrong. What each
 * upstream accepts as an id comes from its contract (cycle.md §1: 24 hex; cf-v3-packages.md §1: a UUID).
 */
import { badUserInput } from '../errors.js';
import type { PageRequest } from '../upstreams/shared/page.js';

const CYCLE_ID = /^[0-9a-f]{24}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isCycleId(id: string): boolean {
  return CYCLE_ID.test(id);
}

export function isUuid(id: string): boolean {
  return UUID.test(id);
}

export function cycleId(id: string, argument = 'id'): string {
  if (!isCycleId(id)) throw badUserInput(`\`${argument}\` must be a Cycle id (24 hexadecimal characters)`, { argument });
  return id;
}

export function cycleIds(ids: readonly string[], argument: string): string[] {
  return ids.map((id) => cycleId(id, argument));
}

export function uuid(id: string, argument = 'guid'): string {
  if (!isUuid(id)) throw badUserInput(`\`${argument}\` must be a UUID`, { argument });
  return id.toLowerCase();
}

/** `first`/`after` of a connection: `first` from 0 to `max`. */
export function pageRequest(first: number | null | undefined, after: string | null | undefined, max: number): PageRequest {
  const size = first ?? 20;
  if (!Number.isInteger(size) || size < 0 || size > max) {
    throw badUserInput(`\`first\` must be from 0 to ${max}, got ${size}`, { argument: 'first', max });
  }
  return { first: size, after: after ?? null };
}

/** Exactly one member of a "one of" input object is set. */
export function exactlyOne<T extends object>(input: T, what: string): keyof T {
  const set = (Object.keys(input) as (keyof T)[]).filter((key) => input[key] !== undefined && input[key] !== null && input[key] !== false);
  if (set.length !== 1) {
    throw badUserInput(`${what}: set exactly one of ${Object.keys(input).join(', ') || 'its fields'}; got ${set.length === 0 ? 'none' : set.join(', ')}`);
  }
  return set[0]!;
}

/** A mutation's `awaitMs`, bounded by the gateway's maximum. */
export function awaitMs(value: number | null | undefined, max: number): number {
  if (value === null || value === undefined) return 0;
  if (!Number.isInteger(value) || value < 0) throw badUserInput('`awaitMs` must be a non-negative integer', { argument: 'awaitMs' });
  return Math.min(value, max);
}
