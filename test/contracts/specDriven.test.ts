/**
 * The gateway against upstreams that answer anything their own specs allow. Three loopback servers answer as Cycle,
 * Cloud Foundry and Docker Cloud with bodies generated at random from the vendored OpenAPI documents (specServer.ts),
 * a gateway points at them with service credentials, and every operation below runs once per seed. Each operation
 * selects every field of what it returns, a few levels deep (selectAll), so every field the graph derives from an
 * upstream value meets the values the spec allows.
 *
 * The bodies hold what the specs allow beyond what they name (specServer.ts): optional properties left out, and keys
 * the spec does not name, of any JSON type, wherever it does not forbid them.
 *
 * Asserted on every sample: no INTERNAL_SERVER_ERROR, every error names an upstream, and no error sits at a list
 * (an odd item fails its own field, never the list). The clean share (answers without any error, over all) is
 * printed per upstream, with the seed; the aim is every operation clean on every sample, apart from the exceptions
 * in SPEC_EXCEPTIONS, each of which says why the spec, not the gateway, is at fault.
 */
import { fileURLToPath } from 'node:url';
import {
  getNamedType,
  isAbstractType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config.js';
import { createLogger } from '../../src/logging.js';
import { buildSchema } from '../../src/schema.js';
import { createServer, type Gateway } from '../../src/server.js';
import { postGraphQL, type GraphQLResponse } from '../helpers/gateway.js';
import { startSpecServer, type SpecCorrection, type SpecServer } from './specServer.js';

const SEED = 20261202;
/** Runs of every operation, one seed each (SEED, SEED + 1, …); SPEC_RUNS=N for another count. */
const RUNS = Number(process.env.SPEC_RUNS ?? 30);

const spec = (path: string) => fileURLToPath(new URL(`./specs/${path}`, import.meta.url));
const ID = 'a1b2c3d4e5f6a1b2c3d4e5f6';
const GUID = '0b7c4f2e-3a5d-4e6f-8a9b-1c2d3e4f5a6b';

type Upstream = 'cycle' | 'cf' | 'dockercloud';

interface Operation {
  name: string;
  upstream: Upstream;
  /** `rootField(args)`: the selection is generated from the field's type. */
  call: string;
  variables?: Record<string, unknown>;
  mutation?: boolean;
}

const OPERATIONS: Operation[] = [
  { name: 'images', upstream: 'cycle', call: 'images(first: 5)' },
  {
    name: 'images-filtered',
    upstream: 'cycle',
    call: 'images(first: 3, filter: { search: "x" }, sort: [{ field: NAME }])',
  },
  { name: 'image', upstream: 'cycle', call: `image(id: "${ID}")` },
  { name: 'imageSources', upstream: 'cycle', call: 'imageSources(first: 5)' },
  { name: 'imageSource', upstream: 'cycle', call: `imageSource(id: "${ID}")` },
  { name: 'cycleJobs', upstream: 'cycle', call: 'cycleJobs(first: 5)' },
  { name: 'cycle-job', upstream: 'cycle', call: `job(id: "${ID}")` },
  {
    name: 'createImage',
    upstream: 'cycle',
    mutation: true,
    call: `createImage(input: { sourceId: "${ID}" })`,
  },
  { name: 'updateImage', upstream: 'cycle', mutation: true, call: `updateImage(id: "${ID}", input: { name: "n" })` },
  { name: 'deleteImage', upstream: 'cycle', mutation: true, call: `deleteImage(id: "${ID}", force: true)` },
  { name: 'importImage', upstream: 'cycle', mutation: true, call: `importImage(id: "${ID}")` },
  { name: 'pruneImages', upstream: 'cycle', mutation: true, call: `pruneImages(sourceIds: ["${ID}"])` },
  {
    name: 'createImageSource',
    upstream: 'cycle',
    mutation: true,
    call: 'createImageSource(input: { name: "s", origin: { dockerHub: { target: "nginx:latest" } } })',
  },
  {
    name: 'updateImageSource',
    upstream: 'cycle',
    mutation: true,
    call: `updateImageSource(id: "${ID}", input: { name: "s" })`,
  },
  { name: 'deleteImageSource', upstream: 'cycle', mutation: true, call: `deleteImageSource(id: "${ID}")` },
  {
    name: 'updateImageSourceAccess',
    upstream: 'cycle',
    mutation: true,
    call: `updateImageSourceAccess(id: "${ID}", acl: [])`,
  },
  { name: 'packages', upstream: 'cf', call: 'packages(first: 5)' },
  { name: 'package', upstream: 'cf', call: `package(guid: "${GUID}")` },
  { name: 'apps', upstream: 'cf', call: 'apps(first: 5)' },
  { name: 'app', upstream: 'cf', call: `app(guid: "${GUID}")` },
  { name: 'cf-job', upstream: 'cf', call: `job(id: "${GUID}")` },
  {
    name: 'createPackage',
    upstream: 'cf',
    mutation: true,
    call: `createPackage(input: { appGuid: "${GUID}", type: DOCKER, docker: { image: "nginx:1" } })`,
  },
  {
    name: 'updatePackage',
    upstream: 'cf',
    mutation: true,
    call: `updatePackage(guid: "${GUID}", input: { metadata: { labels: [{ key: "k", value: "v" }] } })`,
  },
  { name: 'deletePackage', upstream: 'cf', mutation: true, call: `deletePackage(guid: "${GUID}")` },
  {
    name: 'copyPackage',
    upstream: 'cf',
    mutation: true,
    call: `copyPackage(sourceGuid: "${GUID}", appGuid: "${GUID}")`,
  },
  { name: 'repositories', upstream: 'dockercloud', call: 'repositories(first: 5)' },
  { name: 'repository', upstream: 'dockercloud', call: 'repository(name: "acme/api")' },
  { name: 'registries', upstream: 'dockercloud', call: 'registries(first: 5)' },
  { name: 'registry', upstream: 'dockercloud', call: 'registry(host: "quay.io")' },
  {
    name: 'registerRepository',
    upstream: 'dockercloud',
    mutation: true,
    call: 'registerRepository(name: "quay.io/acme/api")',
  },
  {
    name: 'updateRepositoryCredentials',
    upstream: 'dockercloud',
    mutation: true,
    call: 'updateRepositoryCredentials(name: "quay.io/acme/api", username: "u", password: "p")',
  },
  {
    name: 'removeRepository',
    upstream: 'dockercloud',
    mutation: true,
    call: 'removeRepository(name: "quay.io/acme/api")',
  },
];

/**
 * Where the spec itself is wrong or contradicts itself, so that no gateway could answer cleanly: the operation, the
 * error message it may then carry (a pattern), and why.
 */
/** Requests the gateway makes that no vendored spec describes (the server answers them 404). */
const UNSPECIFIED_ROUTES: { request: RegExp; reason: string }[] = [
  { request: /^GET \/v3\/apps\?/, reason: 'the vendored CF bundle has the packages, droplets and jobs paths only' },
];

const SPEC_EXCEPTIONS: { operation: RegExp; message: RegExp; reason: string }[] = [
  {
    operation: /^apps?$/,
    message: /^Cloud Foundry has no such resource \(HTTP 404\)/,
    reason:
      'the vendored CF bundle covers packages, droplets and jobs only: it has no /v3/apps, so the server answers 404',
  },
  {
    operation: /^(packages|package|createPackage|updatePackage|copyPackage)$/,
    message: /^Cloud Foundry has no such resource \(HTTP 404\)/,
    reason:
      "a package's `app` is read from /v3/apps, which the vendored CF bundle lacks (see above): the server answers 404",
  },
];

/**
 * Where a spec leaves out what every answer of the real API has (list envelopes without `required`), the generator
 * is told so; each correction says why. Everything else is generated exactly as the vendored spec says.
 */
const SPEC_CORRECTIONS: Record<Upstream, SpecCorrection[]> = {
  cycle: [],
  cf: [
    {
      at: '/components/schemas/BaseSchema',
      patch: { required: ['guid', 'created_at', 'updated_at'] },
      reason:
        'the experimental CF bundle marks nothing required, yet its own text says "a resource consists of several required resource fields"',
    },
    {
      at: '/components/schemas/Droplet/allOf/1',
      patch: { required: ['state'] },
      reason: 'as BaseSchema: every droplet has a state (CF v3 docs, the droplet object)',
    },
    {
      at: '/components/schemas/Job',
      patch: { required: ['guid', 'operation', 'state', 'errors', 'warnings'] },
      reason: 'the CF v3 docs give every job object these five (errors and warnings as possibly empty arrays)',
    },
    {
      at: '/components/schemas/PackageList',
      patch: { required: ['pagination', 'resources'] },
      reason:
        'a list without `resources` is no list: the CF v3 docs give every list response both keys (cf-v3-packages.md §5)',
    },
    {
      at: '/components/schemas/DropletList',
      patch: { required: ['pagination', 'resources'] },
      reason: 'as PackageList',
    },
    {
      at: '/components/schemas/Pagination',
      patch: { required: ['total_results', 'next'] },
      reason: 'the CF v3 docs give every pagination block `total_results` and `next` (null on the last page)',
    },
  ],
  dockercloud: [
    {
      at: '/paths/~1api~1repo~1v1~1repository~1/get/responses/200/content/application~1json/schema',
      patch: { required: ['meta', 'objects'] },
      reason: 'the reconstructed spec does not mark the Tastypie envelope required; every documented list has both',
    },
    {
      at: '/paths/~1api~1repo~1v1~1registry~1/get/responses/200/content/application~1json/schema',
      patch: { required: ['meta', 'objects'] },
      reason: 'as the repository list',
    },
    {
      at: '/components/schemas/ListMeta',
      patch: { required: ['limit', 'offset', 'total_count', 'next'] },
      reason: 'registry.md and repository.md show every Tastypie meta with these four',
    },
    {
      at: '/components/schemas/Repository/properties/registry',
      patch: { pattern: '^/api/repo/v1/([a-z0-9_]+/)?registry/[a-z0-9.-]+(:[0-9]+)?/$' },
      reason:
        'the reconstruction types `registry` as any string; repository.md documents it as the registry resource URI',
    },
    {
      at: '/components/schemas/Registry',
      patch: { required: ['resource_uri', 'name', 'host', 'is_docker_registry', 'is_ssl'] },
      reason: 'the reconstruction lists no required field; registry.md documents these on every registry',
    },
  ],
};

const MAX_DEPTH = 3;

/** Every field of `type` that takes no required argument, `depth` levels deep, with a fragment per member type. */
function selectAll(schema: GraphQLSchema, type: GraphQLNamedType, depth: number): string {
  if (isAbstractType(type)) {
    const members = schema.getPossibleTypes(type);
    return `{ __typename ${members.map((m) => `... on ${m.name} ${selectAll(schema, m, depth)}`).join(' ')} }`;
  }
  if (!isObjectType(type)) return '';
  const fields = Object.values(type.getFields()).filter(
    (f: GraphQLField<unknown, unknown>) =>
      !f.name.startsWith('_') && f.args.every((a) => !isNonNullType(a.type) || a.defaultValue !== undefined),
  );
  const parts = fields.flatMap((f) => {
    const named = getNamedType(f.type);
    if (!isObjectType(named) && !isAbstractType(named)) return [f.name];
    if (depth <= 0) return [];
    // A nested connection or list is asked for in a small page: enough to meet every item-level oddity.
    const args = f.args.some((a) => a.name === 'first') ? '(first: 2)' : '';
    return [`${f.name}${args} ${selectAll(schema, named, depth - 1)}`];
  });
  return `{ __typename ${parts.join(' ')} }`;
}

function documentFor(schema: GraphQLSchema, operation: Operation): string {
  const root = operation.mutation ? schema.getMutationType()! : schema.getQueryType()!;
  const fieldName = operation.call.replace(/\(.*$/s, '');
  const field = root.getFields()[fieldName];
  if (!field) throw new Error(`no root field ${fieldName}`);
  const keyword = operation.mutation ? 'mutation' : 'query';
  return `${keyword} ${operation.name.replace(/-/g, '_')} { ${operation.call} ${selectAll(schema, getNamedType(field.type), MAX_DEPTH)} }`;
}

/** A list the answer gives: a root connection (`images`), or its `edges`/`nodes`. An error there failed the whole list. */
function isWholeListPath(path: readonly (string | number)[], rootIsList: boolean): boolean {
  const last = path[path.length - 1];
  return (rootIsList && path.length === 1) || last === 'edges' || last === 'nodes';
}

function rootIsList(schema: GraphQLSchema, operation: Operation): boolean {
  const root = operation.mutation ? schema.getMutationType()! : schema.getQueryType()!;
  const field = root.getFields()[operation.call.replace(/\(.*$/s, '')]!;
  const inner = isNonNullType(field.type) ? field.type.ofType : field.type;
  return isListType(inner) || getNamedType(field.type).name.endsWith('Connection');
}

interface Sample {
  operation: Operation;
  seed: number;
  response: GraphQLResponse;
}

let servers: Record<Upstream, SpecServer>;
let gateway: Gateway;
let endpoint: string;
const samples: Sample[] = [];
/** Errors the gateway did not expect (what became INTERNAL_SERVER_ERROR), with their stacks. */
const unexpected: string[] = [];

beforeAll(async () => {
  servers = {
    cycle: await startSpecServer(spec('cycle/cycle-images-jobs.bundled.yaml'), {
      seed: SEED,
      corrections: SPEC_CORRECTIONS.cycle,
    }),
    cf: await startSpecServer(spec('cf/cf-v3-packages-jobs.bundled.yaml'), {
      seed: SEED,
      corrections: SPEC_CORRECTIONS.cf,
    }),
    dockercloud: await startSpecServer(spec('docker-cloud/docker-cloud-repo-v1.reconstructed.openapi.yaml'), {
      seed: SEED,
      slashParams: ['name'],
      corrections: SPEC_CORRECTIONS.dockercloud,
    }),
  };
  const config = parseConfig({
    CYCLE_API_URL: servers.cycle.url,
    CYCLE_API_KEY: 'spec-driven-cycle-key',
    CYCLE_HUB_ID: 'abcdefabcdefabcdefabcdef',
    CF_API_URL: servers.cf.url,
    CF_TOKEN: 'spec-driven-cf-token',
    DOCKER_CLOUD_API_URL: servers.dockercloud.url,
    DOCKER_CLOUD_USERNAME: 'specdriven',
    DOCKER_CLOUD_API_KEY: 'spec-driven-dc-key',
    COMPILE_AFTER_EXECUTIONS: '0',
    JOB_AWAIT_MAX_MS: '0',
    MAX_TOKENS: '100000',
    MAX_QUERY_COST: '100000000',
    MAX_QUERY_DEPTH: '30',
    // The generator answers slowly on a loaded machine (a body may take many attempts): deadlines are tested elsewhere.
    REQUEST_TIMEOUT_MS: '60000',
  });
  gateway = createServer(config, {
    logger: createLogger({ level: 'silent' }),
    onUnexpected: (error) => unexpected.push(String((error as Error)?.stack ?? error)),
  });
  endpoint = `${await gateway.listen(0, '127.0.0.1')}/graphql`;
  const schema = buildSchema();
  const documents = OPERATIONS.map((op) => documentFor(schema, op));
  for (let run = 0; run < RUNS; run++) {
    const seed = SEED + run;
    for (const server of Object.values(servers)) server.reseed(seed);
    const responses = await Promise.all(
      documents.map(async (document, i) => {
        const t = Date.now();
        const r = await postGraphQL<Record<string, unknown>>(endpoint, document);
        if (process.env.SPEC_DEBUG)
          console.log(OPERATIONS[i]!.name, Date.now() - t, JSON.stringify(r.errors ?? []).slice(0, 600));
        return r;
      }),
    );
    responses.forEach((response, i) => samples.push({ operation: OPERATIONS[i]!, seed, response }));
  }
}, 240_000);

afterAll(async () => {
  await gateway?.close();
  await Promise.all(Object.values(servers ?? {}).map((s) => s.close()));
});

const excepted = (sample: Sample, message: string) =>
  SPEC_EXCEPTIONS.some((e) => e.operation.test(sample.operation.name) && e.message.test(message));

const describeError = (sample: Sample, error: NonNullable<GraphQLResponse['errors']>[number]) =>
  `${sample.operation.name} seed ${sample.seed} at ${(error.path ?? []).join('.')}: [${error.extensions?.code}] ${error.message}`;

describe(`spec-driven: ${OPERATIONS.length} operations x ${RUNS} seeds from ${SEED}`, () => {
  it('every request matched an operation of the spec (apart from routes the vendored specs lack)', () => {
    const outside = (request: string) => UNSPECIFIED_ROUTES.some((r) => r.request.test(request));
    expect({
      cycle: servers.cycle.unmatched.filter((r) => !outside(r)),
      cf: servers.cf.unmatched.filter((r) => !outside(r)),
      dockercloud: servers.dockercloud.unmatched.filter((r) => !outside(r)),
    }).toEqual({ cycle: [], cf: [], dockercloud: [] });
  });

  it('served only bodies valid against the spec (as the contract tests validate them)', () => {
    expect(Object.values(servers).flatMap((server) => server.ungenerated)).toEqual([]);
  });

  it('never answers INTERNAL_SERVER_ERROR, and every error names its upstream', () => {
    expect(unexpected.slice(0, 5).map((stack) => stack.split('\n').slice(0, 4).join(' | '))).toEqual([]);
    const bad = samples.flatMap((s) =>
      (s.response.errors ?? [])
        .filter((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR' || !e.extensions?.upstream)
        .map((e) => describeError(s, e)),
    );
    expect(bad).toEqual([]);
  });

  it('never fails a whole list for one item', () => {
    const schema = buildSchema();
    const bad = samples.flatMap((s) => {
      const isList = rootIsList(schema, s.operation);
      return (s.response.errors ?? [])
        .filter((e) => e.path && isWholeListPath(e.path, isList) && !excepted(s, e.message))
        .map((e) => describeError(s, e));
    });
    expect(bad).toEqual([]);
  });

  it('answers every operation cleanly, apart from the listed spec errors (clean share printed per upstream)', () => {
    const share: Record<string, { clean: number; total: number }> = {};
    const unclean: string[] = [];
    for (const sample of samples) {
      const errors = (sample.response.errors ?? []).filter((e) => !excepted(sample, e.message));
      const tally = (share[sample.operation.upstream] ??= { clean: 0, total: 0 });
      tally.total++;
      if (errors.length === 0 && sample.response.data) tally.clean++;
      else unclean.push(...errors.map((e) => describeError(sample, e)));
    }
    const lines = Object.entries(share).map(
      ([upstream, { clean, total }]) => `${upstream}: ${clean}/${total} clean (${((100 * clean) / total).toFixed(1)}%)`,
    );
    const answered = Object.entries(servers).map(([name, server]) => `${name} ${server.answered}`);
    console.log(
      `spec-driven seed ${SEED} (${RUNS} runs; upstream answers: ${answered.join(', ')}):\n  ${lines.join('\n  ')}`,
    );
    expect(unclean.slice(0, 40)).toEqual([]);
  });
});
