/**
 * The circuit registry's bounds and its transitions: one breaker per caller digest, at most `maxCircuits` of them
 * (least recently used dropped first), none kept past `idleMs`; transitions made on their own are told to the
 * listener, those applied from another replica are not. And the digest: keyed, stable, never the credential.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { CircuitRegistry } from '../../src/upstreams/shared/circuits.js';
import { CredentialDigester } from '../../src/upstreams/shared/credentialDigest.js';
import type { CircuitState, UpstreamObserver } from '../../src/upstreams/shared/observer.js';
import { CallerRetryBudget } from '../../src/upstreams/shared/resilience.js';
import { parseTransition } from '../../src/upstreams/shared/sharedCircuits.js';

const base = parseConfig({}).upstreamPolicies.cycle;
const policy = (maxCircuits: number, idleMs = 60_000) => ({
  ...base,
  breaker: { ...base.breaker, maxCircuits, idleMs },
});

function observer() {
  const states: CircuitState[] = [];
  const watching: UpstreamObserver = {
    exchanged() {},
    retrying() {},
    circuitChanged: (_upstream, state) => states.push(state),
    circuitRejected() {},
  };
  return { states, watching };
}

const registries: CircuitRegistry[] = [];
function registry(maxCircuits: number, idleMs?: number, now?: () => number) {
  const { states, watching } = observer();
  const made = new CircuitRegistry('cycle', policy(maxCircuits, idleMs), watching, new CredentialDigester(), now);
  registries.push(made);
  return { registry: made, states };
}
afterEach(() => {
  for (const made of registries.splice(0)) made.shutdown();
});

describe('CircuitRegistry', () => {
  it('keeps one breaker per caller, at most maxCircuits, dropping the least recently used', () => {
    const { registry: circuits } = registry(2);
    const a = circuits.breakerFor('a');
    circuits.breakerFor('b');
    expect(circuits.breakerFor('a')).toBe(a);
    circuits.breakerFor('c'); // drops b, the least recently used
    expect(circuits.size).toBe(2);
    expect(circuits.breakerFor('a')).toBe(a);
    expect(circuits.size).toBe(2);
  });

  it('drops circuits unused for idleMs, open ones included', () => {
    let now = 0;
    const { registry: circuits, states } = registry(10, 1_000, () => now);
    circuits.breakerFor('a').open();
    now = 500;
    circuits.breakerFor('b');
    now = 1_200;
    circuits.sweep();
    expect(circuits.size).toBe(1);
    expect(circuits.stateOf('a')).toBe('closed');
    // The upstream's state for metrics is the most open of its circuits: back to closed once the open one is gone.
    expect(states).toEqual(['closed', 'open', 'closed']);
  });

  it('tells its own transitions to the listener, not those applied from another replica', () => {
    const { registry: circuits } = registry(10);
    const told: string[] = [];
    circuits.onTransition((upstream, caller, state) => told.push(`${upstream} ${caller} ${state}`));
    circuits.breakerFor('a').open();
    circuits.breakerFor('a').close();
    circuits.apply('b', 'open'); // makes b's circuit, open
    expect(circuits.stateOf('b')).toBe('open');
    circuits.apply('b', 'closed');
    expect(circuits.stateOf('b')).toBe('closed');
    circuits.apply('c', 'closed'); // no circuit made for a close
    expect(circuits.size).toBe(2);
    expect(told).toEqual(['cycle a open', 'cycle a closed']);
  });
});

describe('CallerRetryBudget', () => {
  it('starts with ten seconds of the minimum, refills by it, and earns percent of each call', () => {
    let now = 0;
    const budget = new CallerRetryBudget({ percent: 50, minPerSecond: 2 }, () => now);
    let taken = 0;
    while (budget.take()) taken += 1;
    expect(taken).toBe(20);
    now = 1_000; // two more a second
    expect(budget.take()).toBe(true);
    expect(budget.take()).toBe(true);
    expect(budget.take()).toBe(false);
    budget.deposit();
    budget.deposit(); // two calls at 50%: one retry
    expect(budget.take()).toBe(true);
    expect(budget.take()).toBe(false);
    now = 1_000_000; // never more than the start
    taken = 0;
    while (budget.take()) taken += 1;
    expect(taken).toBe(20);
  });

  it('is kept per caller with its circuit', () => {
    const { registry: circuits } = registry(10);
    const a = circuits.retriesFor('a');
    expect(circuits.retriesFor('a')).toBe(a);
    expect(circuits.retriesFor('b')).not.toBe(a);
  });
});

describe('CredentialDigester', () => {
  it('is stable per credential and key, differs across keys and credentials, and holds no credential', () => {
    const key = Buffer.alloc(32, 7);
    const one = new CredentialDigester(key);
    const credential = { authorization: 'Bearer secret-key-123', 'x-hub-id': 'hub' };
    const digest = one.digest(credential);
    expect(digest).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new CredentialDigester(key).digest({ 'x-hub-id': 'hub', authorization: 'Bearer secret-key-123' })).toBe(
      digest,
    );
    expect(new CredentialDigester(Buffer.alloc(32, 8)).digest(credential)).not.toBe(digest);
    expect(one.digest({ ...credential, authorization: 'Bearer secret-key-124' })).not.toBe(digest);
    // Header boundaries count: moving characters from one value to another name is another credential.
    expect(one.digest({ a: 'bc', d: '' })).not.toBe(one.digest({ a: 'b', d: 'c' }));
    expect(digest).not.toContain('secret');
  });
});

describe('parseTransition', () => {
  const caller = 'A'.repeat(43);
  it('reads well-formed messages only', () => {
    const ok = { replica: 'r1', upstream: 'cf', caller, state: 'open' };
    expect(parseTransition(JSON.stringify(ok))).toEqual(ok);
    expect(parseTransition(JSON.stringify({ ...ok, caller: 'service-renewing', state: 'closed' }))).not.toBeNull();
    for (const bad of [
      'not json',
      'null',
      '[]',
      JSON.stringify({ ...ok, upstream: 'github' }),
      JSON.stringify({ ...ok, state: 'half-open' }),
      JSON.stringify({ ...ok, caller: 'raw credential with spaces' }),
      JSON.stringify({ ...ok, replica: 7 }),
      JSON.stringify({ ...ok, pad: 'x'.repeat(600) }),
    ])
      expect(parseTransition(bad)).toBeNull();
  });
});
