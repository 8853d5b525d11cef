/**
 * Who and what images point at: creators of every `CreatorScope` kind, builder integrations, and stacks with their
 * builds. Kept minimal but schema-valid, as far as `include=creators,stacks,stack_builds,integrations` needs them
 * (spec `CreatorInclude`, `Environment`, `ApiKeyCreator`, `Stack`, `StackBuild`, `Integration`).
 */
import type {
  ApiKeyCreator,
  CreatorDirectory,
  CreatorScope,
  Environment,
  Integration,
  PublicAccount,
  Stack,
  StackBuild,
} from '../wire.js';
import { ZERO_TIME } from '../wire.js';
import type { SeedContext } from './context.js';

const FIRST_NAMES = ['Ada', 'Grace', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Radia', 'Alan', 'Frances'];
const LAST_NAMES = [
  'Lovelace',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Thompson',
  'Liskov',
  'Ritchie',
  'Perlman',
  'Kay',
  'Allen',
];

export interface People {
  directory: CreatorDirectory;
  /** Creator scopes images and sources are attributed to, most frequent first (weighted picks). */
  scopes: CreatorScope[];
  /** The API key the tenant's requests act as: the creator of anything made through the emulator. */
  selfApiKey: CreatorScope;
}

function events(ctx: SeedContext, createdMs: number) {
  return { created: ctx.iso(createdMs), updated: ctx.iso(createdMs), deleted: ZERO_TIME };
}

function account(ctx: SeedContext, index: number, domain: string): PublicAccount {
  const created = ctx.timeEarly(0.05);
  const first = FIRST_NAMES[index % FIRST_NAMES.length]!;
  const last = LAST_NAMES[(index * 3 + 1) % LAST_NAMES.length]!;
  return {
    id: ctx.idAt(created),
    name: { first, last },
    email: { address: `${first}.${last}@${domain}`.toLowerCase() },
    two_factor_auth: { verified: ctx.rng.bool(0.7) },
    events: {
      created: ctx.iso(created),
      last_login: ctx.iso(ctx.timeAfter(ctx.endMs - 86_400_000 * 10, 86_400_000 * 10)),
    },
  };
}

export function seedPeople(ctx: SeedContext, size: 'full' | 'small'): People {
  const accounts = Array.from({ length: size === 'full' ? 4 : 2 }, (_, i) =>
    account(ctx, i + (size === 'full' ? 0 : 5), 'acme.example'),
  );
  const employee = account(ctx, 7, 'cycle.io');
  const visitor = account(ctx, 8, 'contractor.example');
  const owner: CreatorScope = { id: accounts[0]!.id, type: 'account' };

  const environments: Environment[] = ['Production', 'Staging'].slice(0, size === 'full' ? 2 : 1).map((name) => {
    const created = ctx.timeEarly(0.05);
    return {
      id: ctx.idAt(created),
      identifier: name.toLowerCase(),
      name,
      cluster: name === 'Production' ? 'production' : 'development',
      about: { description: `${name} environment`, favorite: name === 'Production' },
      creator: owner,
      hub_id: ctx.hubId,
      state: { current: 'live', changed: ctx.iso(created) },
      events: events(ctx, created),
      features: { legacy_networking: false },
      services: { loadbalancer: null, discovery: null, vpn: null, scheduler: null, gateway: null },
    };
  });

  const apiKeys: ApiKeyCreator[] = ['Sandbox API key', 'CI deploy key', 'Terraform']
    .slice(0, size === 'full' ? 3 : 2)
    .map((name, i) => {
      const created = ctx.timeEarly(0.05);
      return {
        id: ctx.idAt(created),
        name,
        creator: owner,
        hub_id: ctx.hubId,
        permissions: {
          all_environments: i === 0,
          environments: i === 0 ? [] : environments.map((e) => ({ id: e.id, manage: i === 1 })),
        },
        capabilities:
          i === 0
            ? { all: true, specific: [] }
            : { all: false, specific: ['images-view', 'images-manage', 'images-sources-view', 'apionly-jobs-view'] },
        ips: i === 2 ? ['203.0.113.0/24'] : null,
        state: { current: 'live', changed: ctx.iso(created) },
        events: events(ctx, created),
      };
    });

  const pipelines: CreatorScope[] = [0, 1].map(() => ({ id: ctx.idAt(ctx.timeEarly(0.1)), type: 'platform-pipeline' }));
  const platform: CreatorScope = { id: ctx.idAt(ctx.startMs), type: 'platform' };

  const scopes: CreatorScope[] = [
    ...accounts.map((a) => ({ id: a.id, type: 'account' as const })),
    ...apiKeys.map((k) => ({ id: k.id, type: 'api-key' as const })),
    ...pipelines,
    ...environments.map((e) => ({ id: e.id, type: 'environment' as const })),
    { id: employee.id, type: 'employee' },
    { id: visitor.id, type: 'visitor' },
    platform,
  ];

  return {
    directory: {
      accounts: new Map(accounts.map((a) => [a.id, a])),
      employees: new Map([[employee.id, employee]]),
      visitors: new Map([[visitor.id, visitor]]),
      environments: new Map(environments.map((e) => [e.id, e])),
      api_keys: new Map(apiKeys.map((k) => [k.id, k])),
    },
    scopes,
    selfApiKey: { id: apiKeys[0]!.id, type: 'api-key' },
  };
}

export function seedIntegrations(ctx: SeedContext, creator: CreatorScope): Integration[] {
  return [
    { name: 'Depot builder', vendor: 'depot', identifier: 'depot-builder' },
    { name: 'GitHub Actions', vendor: 'github', identifier: 'github-actions' },
  ].map((spec) => {
    const created = ctx.timeEarly(0.05);
    return {
      id: ctx.idAt(created),
      ...spec,
      auth: null,
      extra: { project: `acme-${spec.identifier}` },
      creator,
      hub_id: ctx.hubId,
      state: { current: 'live', changed: ctx.iso(created) },
      events: events(ctx, created),
    };
  });
}

export interface StackWithBuilds {
  stack: Stack;
  builds: StackBuild[];
  /** Container identifiers of the stack's spec, which name the images a build produces. */
  containers: string[];
}

export function seedStacks(ctx: SeedContext, creator: CreatorScope, count: number): StackWithBuilds[] {
  const specs = [
    { name: 'Storefront', containers: ['web', 'api', 'worker'] },
    { name: 'Data pipeline', containers: ['ingest', 'etl', 'loader'] },
  ].slice(0, count);
  return specs.map((spec) => {
    const created = ctx.timeEarly(0.2);
    const identifier = spec.name.toLowerCase().replace(/\s+/g, '-');
    const stackId = ctx.idAt(created);
    const builds: StackBuild[] = [1, 2].map((n) => {
      const built = ctx.timeAfter(created, 20 * 86_400_000 * n);
      return {
        id: ctx.idAt(built),
        hub_id: ctx.hubId,
        stack_id: stackId,
        about: { version: `v1.${n}.0`, description: `${spec.name} build ${n}` },
        instructions: { git: { type: 'branch', value: 'main' }, variables: { ENVIRONMENT: 'production' } },
        events: events(ctx, built),
        state: { current: 'live', changed: ctx.iso(built) },
      };
    });
    const stack: Stack = {
      id: stackId,
      identifier,
      name: spec.name,
      hub_id: ctx.hubId,
      creator,
      source: {
        type: 'git-repo',
        details: { url: `https://github.com/acme/${identifier}.git`, branch: 'main', stack_file: 'cycle.json' },
      },
      state: { current: 'live', changed: ctx.iso(created) },
      variables: { ENVIRONMENT: 'production' },
      acl: null,
      events: { ...events(ctx, created), last_build: builds[builds.length - 1]!.events.created },
    };
    return { stack, builds, containers: spec.containers };
  });
}
