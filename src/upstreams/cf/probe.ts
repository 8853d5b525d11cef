import type { UpstreamRequest } from '../shared/httpClient.js';

/** The cheapest authenticated read (cf-v3-packages.md §4): one package. */
export const CF_PROBE: UpstreamRequest = {
  method: 'GET',
  path: '/v3/packages',
  query: [['per_page', '1']],
  route: '/v3/packages',
};
