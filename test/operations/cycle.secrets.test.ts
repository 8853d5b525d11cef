import { expect, it } from 'vitest';
import { SANDBOX_SECRET_MARKER, sandboxSeedSecrets } from '../../src/sandbox/index.js';
import { useTestGateway } from '../helpers/fixture.js';

const gw = useTestGateway();

/** Every field of every origin member, and of the origin embedded in each image. */
const ORIGIN_FIELDS = `
  __typename
  ... on DockerHubOrigin { type target username hasCredentials existingSourceId }
  ... on DockerRegistryOrigin { type target url username hasCredentials existingSourceId }
  ... on OciRegistryOrigin { type target url existingSourceId auth { __typename
      ... on OciUserAuth { username hasToken }
      ... on OciProviderAuth { flavor region namespace hasCredentials }
      ... on OciWebhookAuth { host } } }
  ... on DockerFileOrigin { type targzUrl contextDir buildFile existingSourceId
      repo { url branch authType hasCredentials ref { type value } }
      registryCredentials { url username } }
  ... on CycleUploadOrigin { type expires hasToken }
  ... on CycleSourceOrigin { type sourceId }
  ... on NoOrigin { type }`;

it('finds none of the seeded secrets in any origin field of any source or image', async () => {
  const sources = await gw.gql(
    `{ imageSources(first: 100) { nodes { id name builderIntegrationId creator { __typename } origin { ${ORIGIN_FIELDS} } } } }`,
  );
  expect(sources.errors).toBeUndefined();
  expect(sources.data!.imageSources.nodes.length).toBeGreaterThanOrEqual(20);
  const images = await gw.gql(
    `{ images(first: 100) { nodes { id creator { __typename ... on ApiKeyCreator { name } } origin { override { target targzUrl } origin { ${ORIGIN_FIELDS} } } } } }`,
  );
  expect(images.errors).toBeUndefined();

  const text = JSON.stringify([sources, images]);
  const secrets = sandboxSeedSecrets();
  expect(secrets.length).toBeGreaterThan(10);
  expect(text).not.toContain(SANDBOX_SECRET_MARKER);
  for (const secret of secrets) expect(text).not.toContain(secret);
  // The origins do say that credentials exist.
  expect(text).toContain('"hasCredentials":true');
});
