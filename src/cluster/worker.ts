/**
 * The worker's side of cluster mode (WORKERS > 1): metrics that cover the whole cluster, whichever worker a scrape
 * reaches, and the primary's request to shut down.
 */
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { MetricsSource } from '../http/metrics.js';
import { isClusterMessage, type MetricsRequest } from './messages.js';

/** How long a scrape waits for the primary's aggregate (prom-client itself gives each worker 5 s). */
const METRICS_TIMEOUT_MS = 7_000;

/**
 * `/metrics` in a worker: every worker's registry, aggregated by the primary (prom-client's AggregatorRegistry: counters
 * and histograms summed, gauges by their own aggregator). This worker answers the primary's collection with `registry`.
 */
export function clusterMetricsSource(registry: Registry): MetricsSource {
  AggregatorRegistry.setRegistries([registry]);
  // Constructing one installs prom-client's listener that answers the primary with the registries set above.
  new AggregatorRegistry();
  const pending = new Map<number, { resolve: (text: string) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }>();
  let nextId = 0;
  process.on('message', (message: unknown) => {
    if (!isClusterMessage(message, 'imagegraph:metrics-response')) return;
    const request = pending.get(message.id);
    if (!request) return;
    pending.delete(message.id);
    clearTimeout(request.timer);
    if (message.text !== undefined) request.resolve(message.text);
    else request.reject(new Error(`the primary could not aggregate the metrics: ${message.error ?? 'no answer'}`));
  });
  return {
    contentType: registry.contentType,
    render() {
      const id = nextId++;
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`the primary did not answer for the metrics within ${METRICS_TIMEOUT_MS} ms`));
        }, METRICS_TIMEOUT_MS);
        pending.set(id, { resolve, reject, timer });
        const request: MetricsRequest = { type: 'imagegraph:metrics-request', id };
        process.send!(request);
      });
    },
  };
}

/** Calls `stop` once when the primary asks this worker to shut down, or when the primary is gone. */
export function onPrimaryShutdown(stop: (reason: string) => void): void {
  process.on('message', (message: unknown) => {
    if (isClusterMessage(message, 'imagegraph:shutdown')) stop('the primary asked to shut down');
  });
  process.once('disconnect', () => stop('the primary is gone'));
}
