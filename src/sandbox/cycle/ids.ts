/**
 * Cycle IDs are 24-hex Mongo ObjectIds (cycle.md §1 `ID`): 4 bytes of creation time (seconds), then 8 bytes that
 * make them unique. The sandbox keeps that layout, so sorting by `id` roughly sorts by creation, as on Cycle.
 */
import { randomBytes } from 'node:crypto';
import type { SeededRandom } from '../shared/random.js';

const OBJECT_ID = /^[0-9a-f]{24}$/;

export function isObjectId(value: unknown): value is string {
  return typeof value === 'string' && OBJECT_ID.test(value);
}

function timePrefix(epochMs: number): string {
  return Math.floor(epochMs / 1000)
    .toString(16)
    .padStart(8, '0')
    .slice(-8);
}

/** A deterministic ObjectId for seed data created at `epochMs`. */
export function seededObjectId(rng: SeededRandom, epochMs: number): string {
  return timePrefix(epochMs) + rng.hex(16);
}

/** A fresh ObjectId for a resource created at run time (the seed's PRNG stays untouched). */
export function newObjectId(epochMs = Date.now()): string {
  return timePrefix(epochMs) + randomBytes(8).toString('hex');
}

/** Cycle timestamps: RFC 3339 in UTC; whole seconds print without a fraction (`2024-03-13T15:01:39Z`). */
export function cycleTime(epochMs: number): string {
  const iso = new Date(epochMs).toISOString();
  return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}

/** Cycle's slug form of a name (`Identifier`): lowercase words joined by `-`. */
export function slugify(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'resource'
  );
}
