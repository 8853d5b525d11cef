/**
 * The secret sweep (issue 6): every seeded secret, every secret sent through a mutation and every credential, searched
 * for in every response and every log line of the run: zero hits. The read corpus selects every argument-free field of
 * every root list, generated from the schema, so a field added later is swept too.
 */
import {
  getNamedType,
  isEnumType,
  isInterfaceType,
  isObjectType,
  isScalarType,
  isUnionType,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DEMO_TENANT, SANDBOX_SECRET_MARKER, sandboxSeedSecrets } from '../../src/sandbox/index.js';
import { buildSchema } from '../../src/schema.js';
import { startTestGateway, type GraphQLResponse, type TestGateway } from '../helpers/gateway.js';

let gw: TestGateway;
const responses: GraphQLResponse[] = [];
beforeAll(async () => {
  // The read corpus selects every field of 50 nodes four levels deep, above the default cost limit (not under test here).
  gw = await startTestGateway({ env: { MAX_QUERY_COST: '100000' } });
});
afterAll(() => gw.close());

async function run(
  query: string,
  variables?: Record<string, unknown>,
  headers?: Record<string, string>,
): Promise<GraphQLResponse> {
  const res = await gw.gql(query, variables, headers);
  responses.push(res);
  return res;
}

/** Every field without arguments, `depth` levels down (unions and interfaces through inline fragments). */
function selectAll(schema: GraphQLSchema, type: GraphQLNamedType, depth: number): string {
  if (isScalarType(type) || isEnumType(type)) return '';
  if (isUnionType(type) || isInterfaceType(type)) {
    const members = isUnionType(type) ? type.getTypes() : schema.getPossibleTypes(type);
    return `{ __typename ${members.map((m) => `... on ${m.name} ${selectAll(schema, m, depth)}`).join(' ')} }`;
  }
  if (!isObjectType(type) || depth === 0) return '{ __typename }';
  const fields = Object.values(type.getFields())
    .filter((field) => field.args.length === 0 && !field.name.startsWith('_'))
    .map((field) => {
      const named = getNamedType(field.type);
      return isScalarType(named) || isEnumType(named)
        ? field.name
        : `${field.name} ${selectAll(schema, named, depth - 1)}`;
    });
  return `{ __typename ${fields.join(' ')} }`;
}

const ROOT_LISTS = ['images', 'imageSources', 'cycleJobs', 'packages', 'apps', 'repositories', 'registries'];

it('finds no seeded secret, sent secret or credential in any response or log line', async () => {
  const schema = buildSchema();
  const queryType = schema.getQueryType()!;
  for (const name of ROOT_LISTS) {
    const connection = getNamedType(queryType.getFields()[name]!.type);
    const node = getNamedType(
      (connection as unknown as { getFields(): Record<string, { type: GraphQLNamedType }> }).getFields().nodes!.type,
    );
    const res = await run(`{ ${name}(first: 50) { nodes ${selectAll(schema, node, 4)} } }`);
    expect(res.errors, name).toBeUndefined();
    expect(res.data![name].nodes.length, name).toBeGreaterThan(0);
  }

  const sent = {
    dockerHubToken: 'sweep-dockerhub-token-1',
    registryPassword: 'sweep-registry-password-2',
    ociToken: 'sweep-oci-token-3',
    gitPassword: 'sweep-git-password-4',
    sshKey: 'sweep-ssh-private-key-5',
    cfPassword: 'sweep-cf-docker-password-6',
    cfNewPassword: 'sweep-cf-new-password-7',
    repoPassword: 'sweep-repo-password-8',
    repoNewPassword: 'sweep-repo-new-password-9',
    forwardedKey: 'sweep-forwarded-cycle-key-10',
  };
  const createSource = `mutation($input: CreateImageSourceInput!) { createImageSource(input: $input) { id origin { __typename } } }`;
  await run(createSource, {
    input: {
      name: 'sweep hub',
      origin: { dockerHub: { target: 'acme/worker:latest', username: 'u', token: sent.dockerHubToken } },
    },
  });
  await run(createSource, {
    input: {
      name: 'sweep registry',
      origin: {
        dockerRegistry: {
          target: 'acme/api:1',
          url: 'https://quay.io',
          username: 'u',
          password: sent.registryPassword,
        },
      },
    },
  });
  await run(createSource, {
    input: {
      name: 'sweep oci',
      origin: {
        ociRegistry: {
          target: 'acme/web:1',
          url: 'https://ghcr.io',
          auth: { user: { username: 'u', token: sent.ociToken } },
        },
      },
    },
  });
  await run(createSource, {
    input: {
      name: 'sweep git',
      origin: {
        dockerFile: {
          repo: {
            url: 'https://github.com/acme/api.git',
            auth: { http: { username: 'u', password: sent.gitPassword } },
          },
        },
      },
    },
  });
  await run(createSource, {
    input: {
      name: 'sweep ssh',
      origin: {
        dockerFile: {
          repo: { url: 'git@github.com:acme/api.git', auth: { ssh: { username: 'git', privateKey: sent.sshKey } } },
        },
      },
    },
  });
  // A refused write: the upstream's error must not carry the secret back either.
  await run(createSource, {
    input: { name: '', origin: { dockerRegistry: { target: '', url: '', password: sent.registryPassword } } },
  });

  const apps = await run(`{ apps(first: 50) { nodes { guid lifecycle { type } } } }`);
  const dockerApp = apps.data!.apps.nodes.find((a: any) => a.lifecycle.type === 'docker');
  const created = await run(
    `mutation($input: CreatePackageInput!) { createPackage(input: $input) { guid docker { image username } } }`,
    {
      input: {
        appGuid: dockerApp.guid,
        type: 'DOCKER',
        docker: { image: 'quay.io/acme/api:1.4.2', username: 'u', password: sent.cfPassword },
      },
    },
  );
  const guid = created.data!.createPackage.guid;
  await run(
    `mutation($guid: ID!, $p: String) { updatePackage(guid: $guid, input: { username: "u2", password: $p }) { guid } }`,
    { guid, p: sent.cfNewPassword },
  );

  await run(
    `mutation($p: String) { registerRepository(name: "quay.io/acme/sweep", username: "u", password: $p) { name } }`,
    { p: sent.repoPassword },
  );
  await run(
    `mutation($p: String) { registerRepository(name: "quay.io/acme/sweep", username: "u", password: $p) { name } }`,
    { p: sent.repoPassword },
  );
  await run(
    `mutation($p: String) { updateRepositoryCredentials(name: "quay.io/acme/sweep", username: "u", password: $p) { name } }`,
    { p: sent.repoNewPassword },
  );
  await run(
    `{ images(first: 1) { nodes { id } } }`,
    {},
    { 'x-cycle-authorization': sent.forwardedKey, 'x-cycle-hub-id': DEMO_TENANT.cycle.hubId },
  );

  const everything = JSON.stringify(responses) + JSON.stringify(gw.logLines);
  const needles = [
    ...sandboxSeedSecrets(),
    ...Object.values(sent),
    DEMO_TENANT.cycle.apiKey,
    DEMO_TENANT.cf.token,
    DEMO_TENANT.dockercloud.apiKey,
  ];
  expect(responses.length).toBeGreaterThan(15);
  expect(gw.logLines.length).toBeGreaterThan(15);
  // Report which secrets leaked, not the whole corpus.
  const hits = [SANDBOX_SECRET_MARKER, ...needles].filter((needle) => everything.includes(needle));
  expect(hits).toEqual([]);
});
