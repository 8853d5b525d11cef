/**
 * The per-request work of Apollo Server that the bundle remembers (src/apolloPatches/, put in place by
 * scripts/build.mjs): the same answers as Apollo's own code, work done once per distinct input, and bounded memory.
 * test/operations/quickStart.test.ts checks that the bundle uses them.
 */
import { createHash as apolloCreateHash } from '@apollo/utils.createhash';
import Negotiator from 'negotiator';
import { afterEach, describe, expect, it, vi } from 'vitest';
import RememberingNegotiator, {
  LONGEST_REMEMBERED_ACCEPT,
  REMEMBERED_ANSWERS,
} from '../../src/apolloPatches/negotiator.js';
import {
  computeQueryHash,
  LONGEST_REMEMBERED_QUERY,
  remembered,
  REMEMBERED_QUERIES,
  REMEMBERED_QUERY_CHARACTERS,
} from '../../src/apolloPatches/queryHash.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('computeQueryHash', () => {
  const apolloHash = (query: string) => apolloCreateHash('sha256').update(query).digest('hex');

  it('gives Apollo’s hash, remembered or not, for short, long and non-ASCII texts', () => {
    const long = `{ ${'a '.repeat(LONGEST_REMEMBERED_QUERY)}}`;
    for (const query of ['{ __typename }', '{ images(first: 20) { nodes { name } } } # é ✓ 😀', long]) {
      expect(computeQueryHash(query)).toBe(apolloHash(query));
      expect(computeQueryHash(query)).toBe(apolloHash(query));
    }
  });

  it('remembers at most its limit, and no text longer than its limit', () => {
    for (let i = 0; i < REMEMBERED_QUERIES + 100; i++) computeQueryHash(`{ distinct${i} }`);
    expect(remembered.count()).toBe(REMEMBERED_QUERIES);
    expect([remembered.has('{ distinct0 }'), remembered.has(`{ distinct${REMEMBERED_QUERIES + 99} }`)]).toEqual([
      false,
      true,
    ]);
    const long = `{ ${'b '.repeat(LONGEST_REMEMBERED_QUERY)}}`;
    computeQueryHash(long);
    expect(remembered.has(long)).toBe(false);
    // Texts near the longest remembered: the characters in all stay within the limit, so fewer texts are kept.
    for (let i = 0; i < 100; i++) computeQueryHash(`{ q${i} ${'c'.repeat(LONGEST_REMEMBERED_QUERY - 20)} }`);
    expect(remembered.characters()).toBeLessThanOrEqual(REMEMBERED_QUERY_CHARACTERS);
    expect(remembered.count()).toBeLessThan(100);
  });
});

describe('RememberingNegotiator', () => {
  // The lists Apollo Server 5 negotiates (its MEDIA_TYPES).
  const lists = [
    ['multipart/mixed; incrementalSpec=v0.2', 'multipart/mixed; deferSpec=20220824'],
    ['application/json; charset=utf-8', 'application/graphql-response+json; charset=utf-8', 'application/json'],
    [
      'multipart/mixed; deferSpec=20220824',
      'multipart/mixed; incrementalSpec=v0.2',
      'multipart/mixed; deferSpec=20220824',
    ],
    ['application/json; charset=utf-8', 'application/graphql-response+json; charset=utf-8', 'text/html'],
  ];
  const accepts = [
    undefined,
    '',
    '*/*',
    'application/json',
    'application/graphql-response+json, application/json;q=0.9',
    'multipart/mixed;deferSpec=20220824, application/json',
    'multipart/mixed;incrementalSpec=v0.2',
    'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8',
    'image/png',
  ];
  const negotiate = (Class: typeof Negotiator, accept: string | undefined, list: string[]) =>
    new Class({ headers: { accept } }).mediaType([...list]);

  it('answers what negotiator answers, for each Accept header and list, the first time and from memory', () => {
    for (const accept of accepts) {
      for (const list of lists) {
        const expected = negotiate(Negotiator, accept, list);
        expect([accept, list, negotiate(RememberingNegotiator, accept, list)]).toEqual([accept, list, expected]);
        expect([accept, list, negotiate(RememberingNegotiator, accept, list)]).toEqual([accept, list, expected]);
      }
    }
    // No header reads as */*, an empty one accepts nothing: remembered apart.
    expect(negotiate(RememberingNegotiator, undefined, lists[1]!)).toBe('application/json; charset=utf-8');
    expect(negotiate(RememberingNegotiator, '', lists[1]!)).toBeUndefined();
  });

  it('negotiates each Accept header and list once, with at most its limit remembered', () => {
    const negotiated = vi.spyOn(Negotiator.prototype, 'mediaType');
    const accept = 'application/graphql-response+json;q=0.99, application/json;q=0.5';
    negotiate(RememberingNegotiator, accept, lists[1]!);
    negotiate(RememberingNegotiator, accept, lists[1]!);
    expect(negotiated).toHaveBeenCalledTimes(1);
    negotiate(RememberingNegotiator, accept, lists[0]!);
    expect(negotiated).toHaveBeenCalledTimes(2);
    // Past the limit, the least recently used answer is forgotten and negotiated again.
    for (let i = 0; i < REMEMBERED_ANSWERS; i++) negotiate(RememberingNegotiator, `application/x-${i}`, lists[1]!);
    negotiated.mockClear();
    negotiate(RememberingNegotiator, accept, lists[1]!);
    expect(negotiated).toHaveBeenCalledTimes(1);
    // A header too long to remember is negotiated every time.
    const long = `application/json;q=0.9, ${'x'.repeat(LONGEST_REMEMBERED_ACCEPT)}/y`;
    negotiated.mockClear();
    negotiate(RememberingNegotiator, long, lists[1]!);
    negotiate(RememberingNegotiator, long, lists[1]!);
    expect(negotiated).toHaveBeenCalledTimes(2);
  });
});
