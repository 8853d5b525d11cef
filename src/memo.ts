/**
 * The one shape of process-wide memo in the gateway: a Map with a bound. At most `max` entries; setting a new key
 * when full evicts the oldest entry (insertion order), and setting a known key moves it to the newest place.
 *
 * A memo holds only what is derived from its key alone (never a caller's data: memos are shared by every request),
 * so a hit and a fresh computation always agree, and eviction only costs the computation again. Each use states its
 * key and why that invariant holds next to it.
 */
export class BoundedMemo<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(readonly max: number) {
    if (!(Number.isInteger(max) && max > 0)) throw new RangeError(`a memo's bound must be a positive integer: ${max}`);
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  set(key: K, value: V): void {
    if (!this.#entries.delete(key) && this.#entries.size >= this.max) {
      this.#entries.delete(this.#entries.keys().next().value as K);
    }
    this.#entries.set(key, value);
  }

  /** The value for `key`, computed by `compute` and remembered when not known. */
  getOrCompute(key: K, compute: (key: K) => V): V {
    const known = this.#entries.get(key);
    if (known !== undefined) return known;
    const value = compute(key);
    this.set(key, value);
    return value;
  }
}
