/**
 * Circuit state the replicas agree on, through Redis (REDIS_URL). Each replica publishes the transitions its own
 * breakers make — a caller's circuit opened by failures, or closed by a successful probe — as (upstream, caller
 * digest, state), and applies those the others publish. So a caller's circuit opens on every replica when one has
 * seen the upstream fail it, all replicas' reset timers run together, and the first probe that succeeds on any
 * replica closes the circuit everywhere: once the upstream is healthy no replica keeps failing fast for longer than
 * a message takes on Redis. Without Redis each replica's breakers are its own.
 *
 * The caller digest is an HMAC (credentialDigest.ts) whose key the replicas share through Redis: the first replica
 * stores a random key, the others read it. No credential goes to Redis. Until the key is read, nothing is published
 * or applied (this replica's digests do not match the others' yet).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { UPSTREAM_NAMES, type UpstreamName } from '../../config.js';
import type { Logger } from '../../logging.js';
import type { SharedRedis } from '../../redis.js';
import type { UpstreamPools } from '../index.js';
import type { SharedTransition } from './circuits.js';
import { SERVICE_RENEWING_IDENTITY, type CredentialDigester } from './credentialDigest.js';

export const CIRCUIT_CHANNEL = 'circuits';
const DIGEST_KEY = 'circuits:digest-key';
/** A message is a few short fields; anything longer is not one of ours. */
const MAX_MESSAGE_BYTES = 512;
/** An HMAC-SHA-256 in base64url, or the server's renewing identity. */
const CALLER = new RegExp(`^(?:[A-Za-z0-9_-]{43}|${SERVICE_RENEWING_IDENTITY})$`);

interface TransitionMessage {
  /** The publishing replica (its own messages come back to it). */
  replica: string;
  upstream: UpstreamName;
  caller: string;
  state: SharedTransition;
}

export interface SharedCircuits {
  /** Whether the digest key is read and transitions are shared. */
  readonly sharing: boolean;
  stop(): void;
}

export function shareCircuits(
  pools: UpstreamPools,
  digester: CredentialDigester,
  redis: SharedRedis,
  logger: Logger,
): SharedCircuits {
  const replica = randomUUID();
  let key: string | undefined;
  let stopped = false;

  const publish = (upstream: UpstreamName, caller: string, state: SharedTransition) => {
    if (key === undefined || stopped) return;
    const message: TransitionMessage = { replica, upstream, caller, state };
    // Best effort: a replica that misses it still recovers by its own probe, after its own reset timeout.
    redis.publish(CIRCUIT_CHANNEL, JSON.stringify(message)).catch(() => {});
  };
  for (const name of UPSTREAM_NAMES) pools[name]?.circuits.onTransition(publish);

  redis.subscribe(CIRCUIT_CHANNEL, (raw) => {
    if (key === undefined || stopped) return;
    const message = parseTransition(raw);
    if (!message || message.replica === replica) return;
    pools[message.upstream]?.circuits.apply(message.caller, message.state);
  });

  redis.onReady(() => {
    redis.getOrSet(DIGEST_KEY, randomBytes(32).toString('base64')).then(
      (stored) => {
        if (stored === key || stopped) return;
        key = stored;
        digester.rekey(Buffer.from(stored, 'base64'));
        // Circuits made under the previous key name callers differently from the other replicas.
        for (const name of UPSTREAM_NAMES) pools[name]?.circuits.clear();
      },
      (error: unknown) =>
        logger.warn(
          { reason: error instanceof Error ? error.message : String(error) },
          'circuit state is not shared yet: the digest key could not be read from redis',
        ),
    );
  });

  return {
    get sharing() {
      return key !== undefined && !stopped;
    },
    stop() {
      stopped = true;
      for (const name of UPSTREAM_NAMES) pools[name]?.circuits.onTransition(undefined);
    },
  };
}

/** A transition message from the channel, or null when it is not a well-formed one (anyone may publish there). */
export function parseTransition(raw: string): TransitionMessage | null {
  if (raw.length > MAX_MESSAGE_BYTES) return null;
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { replica, upstream, caller, state } = value as Record<string, unknown>;
  if (typeof replica !== 'string' || replica.length > 64) return null;
  if (typeof upstream !== 'string' || !(UPSTREAM_NAMES as readonly string[]).includes(upstream)) return null;
  if (typeof caller !== 'string' || !CALLER.test(caller)) return null;
  if (state !== 'open' && state !== 'closed') return null;
  return { replica, upstream: upstream as UpstreamName, caller, state };
}
