import type { UpstreamRequest } from '../shared/httpClient.js';
import { route } from '../shared/route.js';

/** The cheapest authenticated read (cycle.md §3): one image of the hub. */
export const CYCLE_PROBE: UpstreamRequest = {
  method: 'GET',
  route: route('/v1/images'),
  query: [['page[size]', '1']],
};
