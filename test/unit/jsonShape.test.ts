/**
 * jsonShapeProblem (src/upstreams/shared/jsonShape.ts): the nesting and the count of arrays and objects of a JSON
 * text, read from its bytes before it is parsed. Brackets inside strings do not count, whatever escapes precede their
 * closing quote; a random corpus is checked against the depth and count of the parsed values.
 */
import { describe, expect, it } from 'vitest';
import { jsonShapeProblem, MAX_JSON_CONTAINERS, MAX_JSON_DEPTH } from '../../src/upstreams/shared/jsonShape.js';

const bytes = (text: string) => Buffer.from(text, 'utf8');
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** Depth and containers of a parsed value, the reference the scan must agree with. */
function measure(value: unknown): { depth: number; containers: number } {
  if (typeof value !== 'object' || value === null) return { depth: 0, containers: 0 };
  let depth = 0;
  let containers = 1;
  for (const child of Object.values(value)) {
    const inner = measure(child);
    depth = Math.max(depth, inner.depth);
    containers += inner.containers;
  }
  return { depth: depth + 1, containers };
}

/** A small seeded generator, so that a failure names a reproducible corpus. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

const TRICKY = ['[', ']', '{', '}', '"', '\\', '\\\\', '\\"', 'é', '😀', '\u0000', 'x'];

function randomValue(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 0 && pick < 0.3)
    return Array.from({ length: Math.floor(next() * 4) }, () => randomValue(next, depth - 1));
  if (depth > 0 && pick < 0.6) {
    const object: Record<string, unknown> = {};
    for (let i = Math.floor(next() * 4); i > 0; i--) object[randomString(next)] = randomValue(next, depth - 1);
    return object;
  }
  if (pick < 0.85) return randomString(next);
  return pick < 0.95 ? Math.floor(next() * 1000) : null;
}

function randomString(next: () => number): string {
  return Array.from({ length: Math.floor(next() * 6) }, () => TRICKY[Math.floor(next() * TRICKY.length)]).join('');
}

describe('jsonShapeProblem', () => {
  it('accepts nesting up to the bound and refuses one level more', () => {
    expect(jsonShapeProblem(bytes(nested(MAX_JSON_DEPTH)))).toBeNull();
    expect(jsonShapeProblem(bytes(nested(MAX_JSON_DEPTH + 1)))).toBe('depth');
    expect(jsonShapeProblem(bytes('['.repeat(1_000_000)))).toBe('depth');
    expect(jsonShapeProblem(bytes(`{"a":${'{"a":'.repeat(MAX_JSON_DEPTH)}0${'}'.repeat(MAX_JSON_DEPTH + 1)}`))).toBe(
      'depth',
    );
  });

  it('counts arrays and objects in all, however shallow', () => {
    const many = (n: number) =>
      `[${Array(n - 1)
        .fill('{}')
        .join(',')}]`;
    expect(jsonShapeProblem(bytes(many(MAX_JSON_CONTAINERS)))).toBeNull();
    expect(jsonShapeProblem(bytes(many(MAX_JSON_CONTAINERS + 1)))).toBe('containers');
    expect(jsonShapeProblem(bytes('[[],[],[]]'), 64, 3)).toBe('containers');
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    const deepText = `"${'['.repeat(1000)}"`;
    expect(jsonShapeProblem(bytes(`{"log":${deepText}}`))).toBeNull();
    expect(jsonShapeProblem(bytes(`["\\"${'['.repeat(100)}"]`))).toBeNull();
    // An escaped backslash ends before the quote: the string closes there, and the brackets after it count.
    expect(jsonShapeProblem(bytes(`["\\\\",${nested(MAX_JSON_DEPTH)}]`))).toBe('depth');
    expect(jsonShapeProblem(bytes(`["\\\\\\"${'['.repeat(100)}"]`))).toBeNull();
  });

  it('leaves an unterminated string to JSON.parse', () => {
    expect(jsonShapeProblem(bytes(`["${'['.repeat(100)}`))).toBeNull();
  });

  it('agrees with the parsed value on a random corpus of tricky strings', () => {
    const next = random(20261208);
    for (let i = 0; i < 2_000; i++) {
      const value = randomValue(next, 8);
      const text = JSON.stringify(value);
      const { depth, containers } = measure(value);
      const at = (maxDepth: number, maxContainers: number) => jsonShapeProblem(bytes(text), maxDepth, maxContainers);
      expect(at(depth, containers), text).toBeNull();
      if (depth > 0) expect(at(depth - 1, containers + 1), text).toBe('depth');
      if (containers > 0 && depth > 0) expect(at(depth, containers - 1), text).toBe('containers');
    }
  });
});
