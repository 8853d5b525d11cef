import { describe, expect, it } from 'vitest';
import { BoundedMemo } from '../../src/memo.js';

describe('BoundedMemo', () => {
  it('computes a value once per key and remembers it', () => {
    const memo = new BoundedMemo<string, number>(10);
    let computed = 0;
    const length = (key: string) => (computed++, key.length);
    expect(memo.getOrCompute('abc', length)).toBe(3);
    expect(memo.getOrCompute('abc', length)).toBe(3);
    expect(computed).toBe(1);
  });

  it('never holds more than its bound, dropping the oldest entry first', () => {
    const memo = new BoundedMemo<number, number>(3);
    for (let key = 0; key < 10; key++) memo.set(key, key * 2);
    expect(memo.size).toBe(3);
    expect([memo.get(6), memo.get(7), memo.get(8), memo.get(9)]).toEqual([undefined, 14, 16, 18]);
  });

  it('moves a key set again to the newest place, so it outlives older ones', () => {
    const memo = new BoundedMemo<string, number>(2);
    memo.set('a', 1);
    memo.set('b', 2);
    memo.set('a', 3);
    memo.set('c', 4);
    expect([memo.get('a'), memo.get('b'), memo.get('c')]).toEqual([3, undefined, 4]);
  });

  it('refuses a bound that is not a positive integer', () => {
    expect(() => new BoundedMemo(0)).toThrow(RangeError);
    expect(() => new BoundedMemo(1.5)).toThrow(RangeError);
  });
});
