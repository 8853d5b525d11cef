import pLimit from 'p-limit';

/**
 * DataLoader's batch contract: the result array has the same length and order as the keys, with null for a key the
 * upstream did not return (dataloader README, "Batch Function").
 */
export function orderByKeys<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): (V | null)[] {
  const byKey = new Map<K, V>();
  for (const row of rows) byKey.set(keyOf(row), row);
  return keys.map((key) => byKey.get(key) ?? null);
}

/**
 * Runs one call per key (for upstreams that cannot batch), at most `concurrency` at a time, and turns each failure
 * into that key's Error so one bad key does not fail the others.
 */
export async function settlePerKey<K, V>(
  keys: readonly K[],
  load: (key: K) => Promise<V>,
  concurrency: number,
): Promise<(V | Error)[]> {
  const limit = pLimit(concurrency);
  const settled = await Promise.allSettled(keys.map((key) => limit(() => load(key))));
  return settled.map((result) => (result.status === 'fulfilled' ? result.value : toError(result.reason)));
}

function toError(reason: unknown): Error {
  return reason instanceof Error ? reason : new Error(String(reason));
}
