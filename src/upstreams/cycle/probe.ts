import type { UpstreamRequest } from '../shared/httpClient.js';

/** The cheapest authenticated read (cycle.md §3): one image of the hub. */
export const CYCLE_PROBE: UpstreamRequest = {
  method: 'GET',
  path: '/v1/images',
  query: [['page[size]', '1']],
  route: '/v1/images',
};
