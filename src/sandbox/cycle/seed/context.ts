/**
 * Shared state of one seed run: the PRNG, the fixed clock, the hub, and the list of secrets the origins carry
 * (every secret contains `SANDBOX-SECRET-` so a test can sweep the gateway's output for leaks).
 */
import { SeededRandom } from '../../shared/random.js';
import { cycleTime, seededObjectId } from '../ids.js';

export const SECRET_MARKER = 'SANDBOX-SECRET-';

/** Seeds date from a fixed base, never from `Date.now()`: the same variant always yields the same bytes. */
const BASE_DATE_MS = Date.UTC(2024, 0, 8, 9, 0, 0);
const DAY_MS = 24 * 60 * 60 * 1000;

export class SeedContext {
  readonly rng: SeededRandom;
  readonly hubId: string;
  readonly secrets: string[] = [];
  /** The seed's "now": everything in the seed happened before it. */
  readonly endMs: number;
  readonly startMs: number;

  constructor(variant: number, hubId: string) {
    this.rng = new SeededRandom(0x0c1c1e + variant * 7919);
    this.hubId = hubId;
    // Variants live in different periods, so their time-prefixed ids never collide either.
    this.startMs = BASE_DATE_MS + variant * 400 * DAY_MS;
    this.endMs = this.startMs + 200 * DAY_MS;
  }

  /** A random instant inside [from, from + spanMs), whole seconds. */
  timeAfter(fromMs: number, spanMs: number): number {
    return Math.floor((fromMs + this.rng.next() * spanMs) / 1000) * 1000;
  }

  /** A random instant in the seed period's first `fraction`. */
  timeEarly(fraction: number): number {
    return this.timeAfter(this.startMs, (this.endMs - this.startMs) * fraction);
  }

  idAt(epochMs: number): string {
    return seededObjectId(this.rng, epochMs);
  }

  iso(epochMs: number): string {
    return cycleTime(epochMs);
  }

  /** A credential as an upstream would hold it, recorded in the seed's secret list. */
  secret(prefix = ''): string {
    const value = `${prefix}${SECRET_MARKER}${this.rng.hex(24)}`;
    this.secrets.push(value);
    return value;
  }

  /** A PEM-framed private key; the whole PEM (what the API returns) is the recorded secret. */
  privateKey(): string {
    const value = `-----BEGIN OPENSSH PRIVATE KEY-----\n${SECRET_MARKER}${this.rng.hex(48)}\n-----END OPENSSH PRIVATE KEY-----\n`;
    this.secrets.push(value);
    return value;
  }
}
