/**
 * One upstream's circuit breakers and caller retry budgets, one of each per caller identity (the keyed digest of the credential a call sends,
 * credentialDigest.ts): a caller whose own credential the upstream keeps failing opens its own circuit, and every
 * other caller's calls go on. Bounded: at most `maxCircuits` breakers (the least recently used is dropped past it) and
 * none kept once unused for `idleMs`; a dropped caller that comes back starts with a closed circuit.
 *
 * Transitions a breaker makes on its own (opened by failures, closed by a successful probe) are told to the
 * transition listener (sharedCircuits.ts publishes them to the other replicas); `apply` makes a transition another
 * replica saw, without telling it back.
 */
import type { UpstreamName, UpstreamPolicy } from '../../config.js';
import { CredentialDigester } from './credentialDigest.js';
import type { CircuitState, UpstreamObserver } from './observer.js';
import type { UpstreamCredential } from './renewingCredential.js';
import { CallerRetryBudget, createBreaker, type UpstreamBreaker } from './resilience.js';

/** The transitions replicas share: the half-open state is each replica's own (its probe). */
export type SharedTransition = 'open' | 'closed';

export type TransitionListener = (upstream: UpstreamName, caller: string, state: SharedTransition) => void;

interface Circuit {
  readonly breaker: UpstreamBreaker;
  /** The caller's retries to this upstream over time, kept (and dropped) with its circuit. */
  readonly retries: CallerRetryBudget;
  state: CircuitState;
  lastUsed: number;
  /** Set while `apply` changes the state: the change came from another replica and is not told back. */
  applying: boolean;
}

export class CircuitRegistry {
  /** In least-recently-used-first order (a use moves its circuit to the end). */
  readonly #circuits = new Map<string, Circuit>();
  readonly #inState: Record<CircuitState, number> = { closed: 0, 'half-open': 0, open: 0 };
  #reported: CircuitState | undefined;
  #listener: TransitionListener | undefined;
  readonly #sweeper: NodeJS.Timeout;

  constructor(
    readonly upstream: UpstreamName,
    private readonly policy: UpstreamPolicy,
    private readonly observer: UpstreamObserver,
    private readonly digester: CredentialDigester = new CredentialDigester(),
    private readonly now: () => number = Date.now,
  ) {
    this.#report();
    const every = Math.max(1_000, Math.min(60_000, Math.floor(policy.breaker.idleMs / 2)));
    this.#sweeper = setInterval(() => this.sweep(), every);
    this.#sweeper.unref();
  }

  /** The identity a call with `credential` is counted under. */
  callerOf(credential: UpstreamCredential): string {
    return this.digester.digest(credential);
  }

  /** Circuits held now. */
  get size(): number {
    return this.#circuits.size;
  }

  /** The caller's circuit state; closed for a caller without a circuit. */
  stateOf(caller: string): CircuitState {
    return this.#circuits.get(caller)?.state ?? 'closed';
  }

  /** The caller's breaker, made closed when it has none; marks it used. */
  breakerFor(caller: string): UpstreamBreaker {
    return this.#touch(caller).breaker;
  }

  /** The caller's retry budget for this upstream (made full when it has none). */
  retriesFor(caller: string): CallerRetryBudget {
    return this.#touch(caller).retries;
  }

  /** Told of the transitions breakers make on their own (not of those `apply` makes). One listener. */
  onTransition(listener: TransitionListener | undefined): void {
    this.#listener = listener;
  }

  /**
   * A transition another replica saw. `open` opens the caller's circuit (making one when there is none: the caller
   * may come here next), restarting nothing when it is already open; `closed` closes it when it is not.
   */
  apply(caller: string, state: SharedTransition): void {
    const existing = this.#circuits.get(caller);
    if (state === 'closed' && (!existing || existing.state === 'closed')) return;
    if (state === 'open' && existing?.state === 'open') return;
    const circuit = existing ?? this.#touch(caller);
    circuit.applying = true;
    try {
      if (state === 'open') circuit.breaker.open();
      else circuit.breaker.close();
    } finally {
      circuit.applying = false;
    }
  }

  /** Drops the circuits unused for `idleMs`. Runs on a timer; callable for tests. */
  sweep(): void {
    const oldest = this.now() - this.policy.breaker.idleMs;
    for (const [caller, circuit] of this.#circuits) {
      if (circuit.lastUsed > oldest) break;
      this.#drop(caller, circuit);
    }
  }

  /** Drops every circuit (the digest key changed: no caller is named as before). */
  clear(): void {
    for (const [caller, circuit] of this.#circuits) this.#drop(caller, circuit);
  }

  shutdown(): void {
    clearInterval(this.#sweeper);
    this.clear();
  }

  #touch(caller: string): Circuit {
    let circuit = this.#circuits.get(caller);
    if (circuit) {
      this.#circuits.delete(caller);
    } else {
      if (this.#circuits.size >= this.policy.breaker.maxCircuits) {
        const [lruCaller, lru] = this.#circuits.entries().next().value as [string, Circuit];
        this.#drop(lruCaller, lru);
      }
      circuit = this.#create(caller);
    }
    circuit.lastUsed = this.now();
    this.#circuits.set(caller, circuit);
    return circuit;
  }

  #create(caller: string): Circuit {
    const breaker = createBreaker(this.upstream, this.policy);
    const circuit: Circuit = {
      breaker,
      retries: new CallerRetryBudget(this.policy.callerRetryBudget, this.now),
      state: 'closed',
      lastUsed: this.now(),
      applying: false,
    };
    this.#inState.closed += 1;
    const change = (state: CircuitState) => {
      this.#inState[circuit.state] -= 1;
      this.#inState[state] += 1;
      circuit.state = state;
      this.#report();
      if (state !== 'half-open' && !circuit.applying) this.#listener?.(this.upstream, caller, state);
    };
    breaker.on('open', () => change('open'));
    breaker.on('halfOpen', () => change('half-open'));
    breaker.on('close', () => change('closed'));
    breaker.on('reject', () => this.observer.circuitRejected(this.upstream));
    return circuit;
  }

  #drop(caller: string, circuit: Circuit): void {
    this.#circuits.delete(caller);
    circuit.breaker.removeAllListeners();
    circuit.breaker.shutdown();
    this.#inState[circuit.state] -= 1;
    this.#report();
  }

  /** The upstream's state for metrics: the most open of its callers' circuits. */
  #report(): void {
    const state = (['open', 'half-open', 'closed'] as const).find((s) => this.#inState[s] > 0) ?? 'closed';
    if (state === this.#reported) return;
    this.#reported = state;
    this.observer.circuitChanged(this.upstream, state);
  }
}
