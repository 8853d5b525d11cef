/**
 * What the primary and its workers say to each other over the cluster's IPC channel (besides prom-client's own
 * metrics messages). Each type is prefixed so that no other library's messages are mistaken for ours.
 */

/** Worker → primary: render the cluster-wide metrics (every worker's registry, aggregated). */
export interface MetricsRequest {
  type: 'imagegraph:metrics-request';
  id: number;
}

/** Primary → worker: the answer to a MetricsRequest with the same id. */
export interface MetricsResponse {
  type: 'imagegraph:metrics-response';
  id: number;
  text?: string;
  error?: string;
}

/** Primary → worker: finish in-flight requests and exit (the primary got SIGINT or SIGTERM). */
export interface ShutdownRequest {
  type: 'imagegraph:shutdown';
}

export type ClusterMessage = MetricsRequest | MetricsResponse | ShutdownRequest;

export function isClusterMessage<T extends ClusterMessage['type']>(
  message: unknown,
  type: T,
): message is Extract<ClusterMessage, { type: T }> {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}

/** Environment variable through which a primary in sandbox mode hands its emulators' URLs to its workers. */
export const SANDBOX_URLS_VARIABLE = 'IMAGEGRAPH_SANDBOX_URLS';
