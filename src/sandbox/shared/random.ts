/**
 * Deterministic pseudo-random helpers for the seeds: the same variant always yields the same data, byte for byte.
 * mulberry32: a tiny, well-distributed 32-bit PRNG (public domain).
 */
export class SeededRandom {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** A float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** An integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick: expected a non-empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  bool(probabilityOfTrue = 0.5): boolean {
    return this.next() < probabilityOfTrue;
  }

  hex(length: number): string {
    let out = '';
    for (let i = 0; i < length; i++) out += Math.floor(this.next() * 16).toString(16);
    return out;
  }

  /** A 24-hex Mongo-style object id, as Cycle uses. */
  objectId(): string {
    return this.hex(24);
  }

  /** A version-4-shaped UUID, as Cloud Foundry uses for guids. */
  uuid(): string {
    const h = this.hex(32);
    const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  }

  /** An ISO timestamp (second precision, `Z`) between `from` and `from + spanMs`. */
  isoBetween(from: Date, spanMs: number): string {
    return toIsoSeconds(new Date(from.getTime() + Math.floor(this.next() * spanMs)));
  }
}

/** `2024-03-13T15:01:39Z`: second precision, as both Cycle and Cloud Foundry format timestamps. */
export function toIsoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
