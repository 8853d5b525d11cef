import type { UpstreamRequest } from '../shared/httpClient.js';
import { route } from '../shared/route.js';

/** The cheapest authenticated read (cf-v3-packages.md §4): one package. */
export const CF_PROBE: UpstreamRequest = {
  method: 'GET',
  route: route('/v3/packages'),
  query: [['per_page', '1']],
};
