/**
 * Seeds 000/001 replayed: Cloud Foundry's early-v3 `POST /v3/apps/:guid/packages` ("Packages (Experimental) API:
 * Create a Package"), which the gateway uses with CF_LEGACY_APP_PACKAGES_ROUTE. The request body and the responses
 * below are copied verbatim from the two renderings of that page (the project's seeds `000_320d8d0de162082a.txt`
 * and `001_432fcfb2d055fbaf.txt`, Cloud Foundry cloud_controller_ng docs, Apache-2.0), the route with seed 000's own
 * app guid `guid-d8b8…`: ids are the upstream's to judge, and the gateway sends any it can send (validate.ts).
 *
 * 1. A loopback server stands in for the old controller: it records the request the gateway sends and answers the
 *    seed's example response byte for byte; the request is compared field by field with the seed's example, and the
 *    answer decoded through the graph.
 * 2. The sandbox's legacy route takes the same request, route included, answers the same shape, and every later read
 *    of the package answers it too (the early-v3 fields read back).
 * 3. What that route cannot take is refused before any request.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { codes, startTestGateway, type TestGateway } from '../helpers/gateway.js';

/** Seed 000/001 "Example Request" body. */
const SEED_REQUEST_BODY = {
  type: 'docker',
  data: {
    image: 'registry/image:latest',
    credentials: {
      user: 'user name',
      password: 'very secret password',
      email: 'root@admin.example.com',
      login_server: 'https://index.docker.io/v1',
    },
    store_image: true,
  },
};

/** Seed 000 "Response Body" (201 Created), as printed. */
const SEED_000_RESPONSE = `{
  "guid": "4cb65058-f04f-458f-aca1-5f4e43de6407",
  "type": "docker",
  "data": {
    "hash": {
      "type": "sha1",
      "value": null
    },
    "error": null,
    "image": "registry/image:latest",
    "credentials": {
      "user": "user name",
      "email": "root@admin.example.com",
      "password": "very secret password",
      "login_server": "https://index.docker.io/v1"
    },
    "store_image": true
  },
  "state": "READY",
  "created_at": "2015-11-03T00:53:54Z",
  "updated_at": null,
  "links": {
    "self": {
      "href": "/v3/packages/4cb65058-f04f-458f-aca1-5f4e43de6407"
    },
    "app": {
      "href": "/v3/apps/guid-d8b8148d-5798-44de-821a-64b85b15e968"
    }
  }
}`;

/** Seed 001's rendering differs only in `links.app` (no `guid-` prefix) and layout. */
const SEED_001_RESPONSE = SEED_000_RESPONSE.replace('/v3/apps/guid-d8b8148d', '/v3/apps/d8b8148d').replace(
  '"links": {',
  '"links":\n  {',
);

/** Seed 000's route: `POST /v3/apps/guid-d8b8148d-5798-44de-821a-64b85b15e968/packages`. */
const SEED_000_APP_GUID = 'guid-d8b8148d-5798-44de-821a-64b85b15e968';
/** Seed 001's rendering of the same app (its `links.app`). */
const SEED_001_APP_GUID = 'd8b8148d-5798-44de-821a-64b85b15e968';
const SECRET = 'very secret password';

const CREATE = `mutation($i: CreatePackageInput!) {
  createPackage(input: $i) {
    guid type state createdAt updatedAt appGuid bits { error }
    docker { image username hasPassword email loginServer storeImage hash { type value } error }
  }
}`;

/** The seed's request, as GraphQL input. */
const SEED_INPUT = {
  appGuid: SEED_000_APP_GUID,
  type: 'DOCKER',
  docker: {
    image: 'registry/image:latest',
    username: 'user name',
    password: SECRET,
    email: 'root@admin.example.com',
    loginServer: 'https://index.docker.io/v1',
    storeImage: true,
  },
};

interface Captured {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A stand-in for an early-v3 controller: records each request, answers `answer` with 201. */
async function startSeedController(): Promise<{
  url: string;
  captured: Captured[];
  answer: { body: string };
  server: Server;
}> {
  const captured: Captured[] = [];
  const answer = { body: SEED_000_RESPONSE };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      captured.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      });
      // Seed 000's response headers.
      res.writeHead(201, {
        'content-type': 'application/json;charset=utf-8',
        'x-vcap-request-id': '7237bae0-228e-48be-a074-b6c15491e73f',
        'x-content-type-options': 'nosniff',
      });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, captured, answer, server };
}

describe('seeds 000/001 replayed against a loopback early-v3 controller', () => {
  let gw: TestGateway;
  let controller: Awaited<ReturnType<typeof startSeedController>>;

  beforeAll(async () => {
    controller = await startSeedController();
    gw = await startTestGateway({
      env: { CF_LEGACY_APP_PACKAGES_ROUTE: 'true' },
      config: (config) => ({
        ...config,
        upstreams: { ...config.upstreams, cf: { ...config.upstreams.cf!, url: controller.url } },
      }),
    });
  });
  afterAll(async () => {
    await gw.close();
    await new Promise((resolve) => controller.server.close(resolve));
  });
  beforeEach(() => {
    controller.captured.length = 0;
  });

  it("sends the seed's request body, field by field", async () => {
    const res = await gw.gql(CREATE, { i: SEED_INPUT });
    expect(res.errors).toBeUndefined();
    expect(controller.captured).toHaveLength(1);
    const sent = controller.captured[0]!;
    expect(`${sent.method} ${sent.path}`).toBe('POST /v3/apps/guid-d8b8148d-5798-44de-821a-64b85b15e968/packages');
    const body = JSON.parse(sent.body) as typeof SEED_REQUEST_BODY;
    expect(body.type).toBe(SEED_REQUEST_BODY.type);
    expect(Object.keys(body).sort()).toEqual(['data', 'type']);
    expect(Object.keys(body.data).sort()).toEqual(['credentials', 'image', 'store_image']);
    expect(body.data.image).toBe(SEED_REQUEST_BODY.data.image);
    expect(body.data.store_image).toBe(SEED_REQUEST_BODY.data.store_image);
    expect(Object.keys(body.data.credentials).sort()).toEqual(['email', 'login_server', 'password', 'user']);
    for (const field of ['user', 'password', 'email', 'login_server'] as const)
      expect(body.data.credentials[field], field).toBe(SEED_REQUEST_BODY.data.credentials[field]);
    expect(body).toEqual(SEED_REQUEST_BODY);
    // The seed's headers: a bearer token (the scheme is case-insensitive, RFC 9110 §11.1) and a JSON body. The
    // seed's curl says `application/x-www-form-urlencoded` while sending JSON; the gateway labels it as JSON.
    expect(sent.headers.authorization).toMatch(/^bearer \S+$/i);
    expect(sent.headers['content-type']).toMatch(/^application\/json/);
  });

  it.each([
    ['000', SEED_000_RESPONSE, SEED_000_APP_GUID],
    ['001', SEED_001_RESPONSE, SEED_001_APP_GUID],
  ])("decodes seed %s's example response, without its password", async (_seed, response, appGuid) => {
    controller.answer.body = response;
    const res = await gw.gql(CREATE, { i: SEED_INPUT });
    expect(res.errors).toBeUndefined();
    expect(res.data!.createPackage).toEqual({
      guid: '4cb65058-f04f-458f-aca1-5f4e43de6407',
      type: 'DOCKER',
      state: 'READY',
      createdAt: '2015-11-03T00:53:54Z',
      updatedAt: null,
      appGuid,
      bits: null,
      docker: {
        image: 'registry/image:latest',
        username: 'user name',
        hasPassword: true,
        email: 'root@admin.example.com',
        loginServer: 'https://index.docker.io/v1',
        storeImage: true,
        hash: { type: 'sha1', value: null },
        error: null,
      },
    });
    expect(JSON.stringify(res)).not.toContain(SECRET);
    expect(JSON.stringify(gw.logLines)).not.toContain(SECRET);
  });

  it('sends only what was given: no credentials object without credentials, no store_image unless set', async () => {
    const res = await gw.gql(CREATE, {
      i: { appGuid: SEED_000_APP_GUID, type: 'DOCKER', docker: { image: 'registry/image:latest' } },
    });
    expect(res.errors).toBeUndefined();
    expect(JSON.parse(controller.captured[0]!.body)).toEqual({
      type: 'docker',
      data: { image: 'registry/image:latest' },
    });
  });
});

describe("the sandbox's early-v3 route", () => {
  let gw: TestGateway;
  let dockerApp: { guid: string; name: string };

  beforeAll(async () => {
    gw = await startTestGateway({ env: { CF_LEGACY_APP_PACKAGES_ROUTE: 'true' } });
    const apps = await gw.gql(`{ apps(first: 100) { nodes { guid name lifecycle { type } } } }`);
    dockerApp = apps.data!.apps.nodes.find((a: any) => a.lifecycle.type === 'docker');
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.sandbox.resetRequests());

  it("takes the seed's body and answers the seed's shape, decoded through the graph", async () => {
    const res = await gw.gql(
      `mutation($i: CreatePackageInput!) { createPackage(input: $i) { guid state updatedAt appGuid app { guid }
        docker { image username hasPassword email loginServer storeImage hash { type value } error } } }`,
      { i: { ...SEED_INPUT, appGuid: dockerApp.guid } },
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.createPackage).toMatchObject({
      state: 'READY',
      updatedAt: null,
      appGuid: dockerApp.guid,
      app: { guid: dockerApp.guid },
      docker: {
        image: 'registry/image:latest',
        username: 'user name',
        hasPassword: true,
        email: 'root@admin.example.com',
        loginServer: 'https://index.docker.io/v1',
        storeImage: true,
        hash: { type: 'sha1', value: null },
        error: null,
      },
    });
    expect(gw.sandbox.cf.requests().map((r) => `${r.method} ${r.path}`)).toContain(
      `POST /v3/apps/${dockerApp.guid}/packages`,
    );
    // Read back: the early-v3 fields come back on every read of an early-v3 package (by guid, in lists).
    const read = await gw.gql(
      `query($g: ID!, $app: ID!) {
        package(guid: $g) { docker { username hasPassword email loginServer storeImage } }
        app(guid: $app) { packages(first: 100) { nodes { guid docker { email loginServer storeImage } } } }
      }`,
      { g: res.data!.createPackage.guid, app: dockerApp.guid },
    );
    expect(read.errors).toBeUndefined();
    const earlyV3Fields = {
      email: 'root@admin.example.com',
      loginServer: 'https://index.docker.io/v1',
      storeImage: true,
    };
    expect(read.data!.package).toEqual({ docker: { username: 'user name', hasPassword: true, ...earlyV3Fields } });
    expect(read.data!.app.packages.nodes).toContainEqual({ guid: res.data!.createPackage.guid, docker: earlyV3Fields });
    expect(JSON.stringify([res, read])).not.toContain(SECRET);
  });

  it("replays seed 000's request exactly, its own `guid-…` app guid in the route", async () => {
    const res = await gw.gql(
      `mutation($i: CreatePackageInput!) { createPackage(input: $i) { guid state appGuid app { guid name }
        docker { image username hasPassword email loginServer storeImage } } }`,
      { i: SEED_INPUT },
    );
    expect(res.errors).toBeUndefined();
    expect(gw.sandbox.cf.requests().map((r) => `${r.method} ${r.path} → ${r.status}`)).toEqual([
      'POST /v3/apps/guid-d8b8148d-5798-44de-821a-64b85b15e968/packages → 201',
      'GET /v3/apps → 200',
    ]);
    expect(res.data!.createPackage).toMatchObject({
      state: 'READY',
      // The sandbox holds the example app as seed 001 names it; the route took seed 000's form of the same guid.
      appGuid: SEED_001_APP_GUID,
      app: { guid: SEED_001_APP_GUID, name: 'legacy-monolith' },
      docker: {
        image: 'registry/image:latest',
        username: 'user name',
        hasPassword: true,
        email: 'root@admin.example.com',
        loginServer: 'https://index.docker.io/v1',
        storeImage: true,
      },
    });
    expect(JSON.stringify(res)).not.toContain(SECRET);
  });

  it('refuses, before any request, what the early-v3 API cannot take or a silent mangling', async () => {
    const attempts: [string, Record<string, unknown>, string][] = [
      [
        'metadata (that API predates it)',
        {
          appGuid: dockerApp.guid,
          type: 'DOCKER',
          docker: { image: 'a/b' },
          metadata: { labels: [{ key: 'k', value: 'v' }] },
        },
        'input.metadata',
      ],
      [
        'a password without its user',
        { appGuid: dockerApp.guid, type: 'DOCKER', docker: { image: 'a/b', password: 'p-without-user' } },
        'input.docker.username',
      ],
      [
        'an image that is no reference',
        { appGuid: dockerApp.guid, type: 'DOCKER', docker: { image: 'UPPER CASE::bad' } },
        'input.docker.image',
      ],
    ];
    for (const [label, input, argument] of attempts) {
      const res = await gw.gql(CREATE, { i: input });
      expect(codes(res), label).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.extensions!.argument, label).toBe(argument);
      expect(JSON.stringify(res)).not.toContain('p-without-user');
    }
    expect(gw.sandbox.cf.requests()).toEqual([]);
  });
});

describe('the current route (POST /v3/packages)', () => {
  let gw: TestGateway;
  let dockerApp: { guid: string };

  beforeAll(async () => {
    gw = await startTestGateway();
    const apps = await gw.gql(`{ apps(first: 100) { nodes { guid lifecycle { type } } } }`);
    dockerApp = apps.data!.apps.nodes.find((a: any) => a.lifecycle.type === 'docker');
  });
  afterAll(() => gw.close());
  beforeEach(() => gw.sandbox.resetRequests());

  it("names every refused field of seed 000's input in one BAD_USER_INPUT", async () => {
    const res = await gw.gql(CREATE, { i: { ...SEED_INPUT, appGuid: dockerApp.guid } });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    const refused = ['input.docker.email', 'input.docker.loginServer', 'input.docker.storeImage'];
    expect(res.errors![0]!.extensions).toMatchObject({ argument: refused[0], arguments: refused });
    for (const argument of refused) expect(res.errors![0]!.message).toContain(`\`${argument}\``);
    expect(JSON.stringify(res)).not.toContain(SECRET);
    expect(gw.sandbox.cf.requests()).toEqual([]);
  });

  it('names refusals of different kinds together too', async () => {
    const res = await gw.gql(CREATE, {
      i: { appGuid: '', type: 'DOCKER', docker: { image: 'UPPER CASE::bad', password: 'p-without-user', email: 'e' } },
    });
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect(res.errors![0]!.extensions!.arguments).toEqual([
      'input.appGuid',
      'input.docker.image',
      'input.docker.username',
      'input.docker.email',
    ]);
    expect(JSON.stringify(res)).not.toContain('p-without-user');
    expect(gw.sandbox.cf.requests()).toEqual([]);
  });

  it('refuses the early-v3-only fields and the silent cases before any request', async () => {
    const docker = (extra: Record<string, unknown>) => ({
      appGuid: dockerApp.guid,
      type: 'DOCKER',
      docker: { image: 'quay.io/acme/api:1', username: 'u', ...extra },
    });
    const attempts: [Record<string, unknown>, string][] = [
      [docker({ email: 'a@example.com' }), 'input.docker.email'],
      [docker({ loginServer: 'https://index.docker.io/v1' }), 'input.docker.loginServer'],
      [docker({ storeImage: false }), 'input.docker.storeImage'],
      [{ ...docker({}), docker: { image: 'quay.io/acme/api:1', password: 'p-without-user' } }, 'input.docker.username'],
      [{ ...docker({}), docker: { image: 'UPPER CASE::bad' } }, 'input.docker.image'],
    ];
    for (const [input, argument] of attempts) {
      const res = await gw.gql(CREATE, { i: input });
      expect(codes(res), argument).toEqual(['BAD_USER_INPUT']);
      expect(res.errors![0]!.extensions!.argument).toBe(argument);
    }
    expect(gw.sandbox.cf.requests()).toEqual([]);
  });
});
