/**
 * The worker's side of cluster mode (WORKERS > 1): metrics that cover the whole cluster, whichever worker a scrape
 * reaches, and the primary's request to shut down.
 */
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { MetricsSource } from '../http/metrics.js';
import { isClusterMessage, type MetricsRequest } from './messages.js';

/** How long a scrape waits for the primary's aggregate (prom-client itself gives each worker 5 s). */
const METRICS_TIMEOUT_MS = 7_000;

export interface ClusterLink {
  /**
   * `/metrics` in this worker: every worker's registry, aggregated by the primary (prom-client's AggregatorRegistry:
   * counters and histograms summed, gauges by their own aggregator); this worker contributes `registry`.
   */
  metricsSource(registry: Registry): MetricsSource;
  /** Calls `stop` once the primary asks this worker to shut down or is gone, including if it asked before this call. */
  onShutdown(stop: (reason: string) => void): void;
}

/**
 * Called first thing in a worker, before the gateway loads: from then on the worker answers the primary's metrics
 * collection (with an empty registry until `metricsSource` names the gateway's, so a scrape during a worker's start-up
 * does not wait for it), and a shutdown request that arrives while the gateway starts is kept, not lost.
 */
export function joinCluster(): ClusterLink {
  // Constructing one installs prom-client's listener that answers the primary with the registries set for this worker.
  new AggregatorRegistry();
  let shutdownReason: string | null = null;
  let stop: ((reason: string) => void) | null = null;
  const shutdown = (reason: string) => {
    shutdownReason ??= reason;
    stop?.(reason);
  };
  const pending = new Map<
    number,
    { resolve: (text: string) => void; reject: (error: Error) => void; timer: NodeJS.Timeout }
  >();
  process.on('message', (message: unknown) => {
    if (isClusterMessage(message, 'imagegraph:shutdown')) return shutdown('the primary asked to shut down');
    if (!isClusterMessage(message, 'imagegraph:metrics-response')) return;
    const request = pending.get(message.id);
    if (!request) return; // Answered after its timeout.
    pending.delete(message.id);
    clearTimeout(request.timer);
    if (message.text !== undefined) request.resolve(message.text);
    else request.reject(new Error(`the primary could not aggregate the metrics: ${message.error ?? 'no answer'}`));
  });
  process.once('disconnect', () => shutdown('the primary is gone'));
  let nextId = 0;

  return {
    metricsSource(registry) {
      AggregatorRegistry.setRegistries([registry]);
      return {
        contentType: registry.contentType,
        render() {
          const id = nextId++;
          return new Promise<string>((resolve, reject) => {
            if (!process.connected) return reject(new Error('the primary is gone: no cluster metrics'));
            const timer = setTimeout(() => {
              pending.delete(id);
              reject(new Error(`the primary did not answer for the metrics within ${METRICS_TIMEOUT_MS} ms`));
            }, METRICS_TIMEOUT_MS);
            pending.set(id, { resolve, reject, timer });
            const request: MetricsRequest = { type: 'imagegraph:metrics-request', id };
            // The channel may close between the check above and this send: fail this scrape, not the worker.
            process.send!(request, undefined, undefined, (error: Error | null) => {
              if (!error || !pending.delete(id)) return;
              clearTimeout(timer);
              reject(error);
            });
          });
        },
      };
    },
    onShutdown(callback) {
      stop = callback;
      if (shutdownReason !== null) callback(shutdownReason);
    },
  };
}
