import type { UpstreamRequest } from '../shared/httpClient.js';
import { route } from '../shared/route.js';

/** The cheapest authenticated read (docker-cloud-repository.md §4): one repository. */
export const DOCKER_CLOUD_PROBE: UpstreamRequest = {
  method: 'GET',
  route: route('/api/repo/v1/repository/'),
  query: [['limit', '1']],
};
