import { describe, expect, it } from 'vitest';
import {
  checkVariablesShape,
  jsonBodyTooDeep,
  jsonNestsDeeperThan,
  type InputShapeLimits,
} from '../../src/inputShape.js';

const limits: InputShapeLimits = { maxDepth: 3, maxNodes: 10 };
const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('checkVariablesShape', () => {
  it('counts container levels below the variables map', () => {
    expect(checkVariablesShape({ y: [[[1]]] }, limits)).toBeNull();
    expect(checkVariablesShape({ y: [[[[1]]]] }, limits)?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      setting: 'MAX_VARIABLES_DEPTH',
      max: 3,
    });
    expect(checkVariablesShape({ y: { a: { b: {} } } }, limits)).toBeNull();
  });

  it('counts every value', () => {
    expect(checkVariablesShape({ y: new Array(10).fill(0) }, limits)?.extensions?.setting).toBe('MAX_VARIABLES_NODES');
    expect(checkVariablesShape({ y: new Array(9).fill(0) }, limits)).toBeNull();
  });

  it('walks a value far deeper than the stack allows, without recursion', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 1_000_000; i++) deep = [deep];
    expect(checkVariablesShape({ y: deep }, { maxDepth: 32, maxNodes: 100_000 })?.extensions?.setting).toBe(
      'MAX_VARIABLES_DEPTH',
    );
  });

  it('does not enter objects that are not plain JSON (uploaded files)', () => {
    class File {
      readonly inside = [[[[[1]]]]];
    }
    expect(checkVariablesShape({ f: new File() }, limits)).toBeNull();
  });

  it('passes scalars and null', () => {
    expect(checkVariablesShape(null, limits)).toBeNull();
    expect(checkVariablesShape('x', limits)).toBeNull();
  });
});

describe('jsonNestsDeeperThan', () => {
  it('scans the bytes, ignoring brackets in strings and escaped quotes', () => {
    expect(jsonNestsDeeperThan(bytes('[[[]]]'), 3)).toBe(false);
    expect(jsonNestsDeeperThan(bytes('[[[[]]]]'), 3)).toBe(true);
    expect(jsonNestsDeeperThan(bytes('["[[[[\\"[[[[", {"a": "{{{{"}]'), 3)).toBe(false);
  });

  it('allows the envelope of one operation (two levels) or a batch (three)', () => {
    expect(jsonBodyTooDeep(bytes('{"variables":{"y":[[[1]]]}}'), limits)).toBeNull();
    expect(jsonBodyTooDeep(bytes('{"variables":{"y":[[[[1]]]]}}'), limits)).not.toBeNull();
    expect(jsonBodyTooDeep(bytes(' [{"variables":{"y":[[[1]]]}}]'), limits)).toBeNull();
    expect(jsonBodyTooDeep(bytes('[{"variables":{"y":[[[[1]]]]}}]'), limits)).not.toBeNull();
  });
});
