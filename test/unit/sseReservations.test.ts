import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { callerIdentity, SseReservations } from '../../src/subscriptions/sseReservations.js';

beforeEach(() => vi.useFakeTimers());
afterEach(() => vi.useRealTimers());

it('keys a caller by its gateway credential and upstream credentials, keeping only a digest', () => {
  const a = { authorization: 'Bearer token-a-0123456789', 'x-cycle-authorization': 'Bearer cycle-key-a' };
  expect(callerIdentity(a)).toBe(callerIdentity({ ...a, 'x-request-id': 'other', accept: '*/*' }));
  expect(callerIdentity(a)).not.toBe(callerIdentity({ ...a, authorization: 'Bearer token-b-0123456789' }));
  expect(callerIdentity(a)).not.toBe(callerIdentity({ ...a, 'x-cycle-authorization': 'Bearer cycle-key-b' }));
  // A value moved from one header to another is another caller.
  expect(callerIdentity({ 'x-cf-authorization': 'x' })).not.toBe(
    callerIdentity({ 'x-dockercloud-authorization': 'x' }),
  );
  expect(callerIdentity(a)).not.toContain('cycle-key-a');
  expect(callerIdentity(a)).toMatch(/^[\w-]{43}$/);
});

it('bounds reservations per caller and in all, and drops unopened ones after the TTL', () => {
  const expired: string[] = [];
  const reservations = new SseReservations({ perCaller: 2, total: 3, ttlMs: 1_000 }, (token) => expired.push(token));
  const first = reservations.reserve('a');
  const second = reservations.reserve('a');
  expect(reservations.reserve('a')).toEqual({ refused: 'per-caller' });
  const third = reservations.reserve('b');
  expect(reservations.reserve('c')).toEqual({ refused: 'total' });
  if (!('token' in first) || !('token' in second) || !('token' in third)) throw new Error('refused');
  expect(first.token).not.toBe(second.token);
  expect(reservations.access(first.token, 'a')).toBe('ok');
  expect(reservations.access(first.token, 'b')).toBe('forbidden');
  expect(reservations.access('not-a-token', 'a')).toBe('unknown');

  // An opened stream keeps its reservation; unopened ones expire and are handed back.
  reservations.opened(first.token);
  vi.advanceTimersByTime(1_000);
  expect(expired.sort()).toEqual([second.token, third.token].sort());
  expect(reservations.size).toBe(1);
  expect(reservations.access(second.token, 'a')).toBe('unknown');
  expect('token' in reservations.reserve('a')).toBe(true);
  expect(reservations.reserve('a')).toEqual({ refused: 'per-caller' });
  reservations.release(first.token);
  expect('token' in reservations.reserve('a')).toBe(true);
});
