/**
 * DataLoader batch sizes, for metrics: each loader's batch function is wrapped so that every batch is reported (by
 * loader name, a fixed set such as `cycle.image` or `cf.package`) before it runs.
 */
import type DataLoader from 'dataloader';

/** Told of each batch a loader dispatches. Called on the hot path: must be cheap and never throw. */
export type BatchObserver = (loader: string, size: number) => void;

export const NO_BATCH_OBSERVER: BatchObserver = () => {};

export function observed<K, V>(
  loader: string,
  observe: BatchObserver,
  batch: DataLoader.BatchLoadFn<K, V>,
): DataLoader.BatchLoadFn<K, V> {
  if (observe === NO_BATCH_OBSERVER) return batch;
  return (keys) => {
    observe(loader, keys.length);
    return batch(keys);
  };
}
