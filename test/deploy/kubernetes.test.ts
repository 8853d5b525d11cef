/**
 * deploy/kubernetes/ rendered the way `kubectl apply -k` renders it, and every object validated offline against the
 * Kubernetes 1.27 schemas (kubernetes-models), plus a check of unknown keys that the schemas let through, and the
 * invariants the gateway needs (probes on its endpoints, the termination grace above SHUTDOWN_GRACE_MS, settings the
 * gateway accepts). No cluster is needed.
 *
 * Rendering uses `kubectl kustomize` (`KUBECTL` names another binary). Where kubectl is missing the test falls back to the files each kustomization
 * lists (`resources:`, base first, then the overlay's `patches:` merged into the object they name, field by field):
 * enough to validate every object and the invariants, though not kustomize's own transformations (labels, images).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { parseConfig } from '../../src/config.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/**
 * Every overlay, with what its README section says the operator creates: the keys of the Secret
 * imagegraph-credentials and of the ConfigMap imagegraph-site (values here are stand-ins of the right shape).
 */
const OVERLAYS: { dir: string; secret: Record<string, string>; site: Record<string, string>; upstreams: string[] }[] = [
  {
    dir: 'deploy/kubernetes/overlays/cycle',
    secret: { CYCLE_API_KEY: 'stand-in-cycle-key-0123456789', CYCLE_HUB_ID: '651586fca6078e98982dbd90' },
    site: {},
    upstreams: ['cycle'],
  },
  {
    dir: 'deploy/kubernetes/overlays/cloudfoundry',
    secret: { CF_CLIENT_ID: 'imagegraph', CF_CLIENT_SECRET: 'stand-in-uaa-client-secret' },
    site: { CF_API_URL: 'https://api.sys.mycompany.test' },
    upstreams: ['cf'],
  },
  {
    dir: 'deploy/kubernetes/overlays/cycle-redis',
    secret: {
      CYCLE_API_KEY: 'stand-in-cycle-key-0123456789',
      CYCLE_HUB_ID: '651586fca6078e98982dbd90',
      REDIS_PASSWORD: 'stand-in-redis-password-0123',
    },
    site: {},
    upstreams: ['cycle'],
  },
];
const GATEWAY_TOKENS = 'stand-in-gateway-token-0123456789';
const KUSTOMIZATIONS = ['deploy/kubernetes/base', ...OVERLAYS.map((o) => o.dir)];
/** Variables that hold a credential: only ever from a secretKeyRef. */
const SECRET_VARIABLES = /(KEY|TOKEN|TOKENS|SECRET|PASSWORD|HEADERS|REDIS_URL)$/;
const require = createRequire(import.meta.url);

type KubeObject = { apiVersion: string; kind: string; metadata: { name: string }; [key: string]: any };

/** `KUBECTL=none` (or a kubectl that does not run) takes the fallback. */
const KUBECTL = process.env.KUBECTL ?? 'kubectl';
const haveKubectl = spawnSync(KUBECTL, ['version', '--client'], { encoding: 'utf8' }).status === 0;

function render(dir: string): KubeObject[] {
  if (haveKubectl) {
    const out = spawnSync(KUBECTL, ['kustomize', join(ROOT, dir)], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`kubectl kustomize ${dir} failed:\n${out.stderr}`);
    return parseObjects(out.stdout, dir);
  }
  return renderWithoutKubectl(join(ROOT, dir));
}

function parseObjects(text: string, where: string): KubeObject[] {
  return parseAllDocuments(text).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${where}: ${doc.errors.map((e) => e.message).join('; ')}`);
    const value = doc.toJS() as KubeObject | null;
    return value ? [value] : [];
  });
}

/** The documented fallback: resources in order, then strategic-merge patches applied as deep merges of maps. */
function renderWithoutKubectl(dir: string): KubeObject[] {
  const objects: KubeObject[] = [];
  const kustomization = applyKustomization(dir, objects);
  // Components: their resources and patches on top of the overlay's, as kustomize applies them.
  for (const component of kustomization.components ?? []) applyKustomization(join(dir, component), objects);
  return objects;
}

/** Adds the resources of the kustomization in `dir` to `objects` and applies its patches to them. */
function applyKustomization(
  dir: string,
  objects: KubeObject[],
): { components?: string[]; resources?: string[]; patches?: { path: string }[] } {
  const kustomization = parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as {
    resources?: string[];
    components?: string[];
    patches?: { path: string }[];
  };
  for (const resource of kustomization.resources ?? []) {
    const path = join(dir, resource);
    if (existsSync(join(path, 'kustomization.yaml'))) objects.push(...renderWithoutKubectl(path));
    else objects.push(...parseObjects(readFileSync(path, 'utf8'), path));
  }
  for (const { path: patchPath } of kustomization.patches ?? []) {
    const path = join(dir, patchPath);
    for (const patch of parseObjects(readFileSync(path, 'utf8'), path)) {
      const target = objects.find((o) => o.kind === patch.kind && o.metadata.name === patch.metadata.name);
      if (!target) throw new Error(`${path}: no ${patch.kind} ${patch.metadata.name} to patch`);
      deepMerge(target, patch);
    }
  }
  return kustomization;
}

/** Maps merge key by key; lists of named items (containers, env) merge item by name, new ones first. */
function deepMerge(target: Record<string, any>, patch: Record<string, any>): void {
  for (const [key, value] of Object.entries(patch)) {
    if (Array.isArray(value) && Array.isArray(target[key]) && value.every((item) => typeof item?.name === 'string')) {
      const list = target[key] as Record<string, any>[];
      const added: Record<string, any>[] = [];
      for (const item of value) {
        const existing = list.find((t) => t.name === item.name);
        if (existing) deepMerge(existing, item);
        else added.push(item);
      }
      target[key] = [...added, ...list];
    } else if (value && typeof value === 'object' && !Array.isArray(value) && typeof target[key] === 'object')
      deepMerge(target[key], value);
    else target[key] = value;
  }
}

/** kubernetes-models' module for an apiVersion: `v1` → kubernetes-models/v1, `apps/v1` → kubernetes-models/apps/v1. */
function modelClass(object: KubeObject): { new (data: unknown): { validate(): void } } {
  const models = require(`kubernetes-models/${object.apiVersion}`) as Record<string, any>;
  const model = models[object.kind];
  if (!model) throw new Error(`no schema for ${object.apiVersion} ${object.kind}`);
  return model;
}

/**
 * The property names a kubernetes-models schema declares. The package ships its schemas only as compiled ajv
 * validators, which test each declared property as `void 0===data.<name>`; that list is read from the validator's
 * source. The schemas allow additional properties, so without this a misspelled field would pass.
 */
const declaredKeysCache = new Map<string, Set<string>>();
function declaredKeys(schema: string): Set<string> {
  let keys = declaredKeysCache.get(schema);
  if (!keys) {
    // Not exported by the packages: found next to their main entry, at the package root.
    const pkg = schema.startsWith('IoK8sApimachinery') ? '@kubernetes-models/apimachinery' : 'kubernetes-models';
    const file = join(dirname(require.resolve(pkg)), '_schemas', `${schema}.js`);
    const source = readFileSync(file, 'utf8');
    keys = new Set([...source.matchAll(/void 0===data\.([A-Za-z_$][\w$]*)/g)].map((m) => m[1]!));
    if (keys.size === 0) throw new Error(`no properties found in ${file}`);
    declaredKeysCache.set(schema, keys);
  }
  return keys;
}

/** `apps/v1` → IoK8sApiAppsV1, `v1` → IoK8sApiCoreV1, `networking.k8s.io/v1` → IoK8sApiNetworkingV1. */
function schemaPrefix(apiVersion: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['core', apiVersion];
  const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  return `IoK8sApi${capital(group!.replace(/\.k8s\.io$/, ''))}${capital(version!)}`;
}

const META = 'IoK8sApimachineryPkgApisMetaV1ObjectMeta';
const CORE = 'IoK8sApiCoreV1';

/** Where in an object to look for unknown keys, and against which schema: the places a typo is likely. */
function keyChecks(object: KubeObject): [path: string, value: unknown, schema: string][] {
  const prefix = schemaPrefix(object.apiVersion);
  const checks: [string, unknown, string][] = [
    ['', object, `${prefix}${object.kind}`],
    ['/metadata', object.metadata, META],
  ];
  if (object.spec) checks.push(['/spec', object.spec, `${prefix}${object.kind}Spec`]);
  const pod = object.spec?.template;
  if (pod) {
    checks.push(['/spec/template/metadata', pod.metadata, META], ['/spec/template/spec', pod.spec, `${CORE}PodSpec`]);
    if (pod.spec?.securityContext)
      checks.push(['/spec/template/spec/securityContext', pod.spec.securityContext, `${CORE}PodSecurityContext`]);
    (pod.spec?.topologySpreadConstraints ?? []).forEach((c: unknown, i: number) =>
      checks.push([`/spec/template/spec/topologySpreadConstraints/${i}`, c, `${CORE}TopologySpreadConstraint`]),
    );
    (pod.spec?.containers ?? []).forEach((c: Record<string, any>, i: number) => {
      const at = `/spec/template/spec/containers/${i}`;
      checks.push([at, c, `${CORE}Container`]);
      if (c.securityContext) checks.push([`${at}/securityContext`, c.securityContext, `${CORE}SecurityContext`]);
      if (c.resources) checks.push([`${at}/resources`, c.resources, `${CORE}ResourceRequirements`]);
      for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe'])
        if (c[probe]) checks.push([`${at}/${probe}`, c[probe], `${CORE}Probe`]);
    });
  }
  if (object.kind === 'Service')
    (object.spec?.ports ?? []).forEach((p: unknown, i: number) =>
      checks.push([`/spec/ports/${i}`, p, `${CORE}ServicePort`]),
    );
  return checks;
}

function unknownKeys(object: KubeObject): string[] {
  return keyChecks(object).flatMap(([path, value, schema]) => {
    const known = declaredKeys(schema);
    return Object.keys((value ?? {}) as object)
      .filter((key) => !known.has(key))
      .map((key) => `${object.kind} ${object.metadata.name}: unknown key ${path}/${key}`);
  });
}

function problems(objects: KubeObject[]): string[] {
  return objects.flatMap((object) => {
    const found = unknownKeys(object);
    try {
      new (modelClass(object))(object).validate();
    } catch (error) {
      found.push(`${object.kind} ${object.metadata?.name}: ${(error as Error).message}`);
    }
    return found;
  });
}

function find(objects: KubeObject[], kind: string, name: string): KubeObject {
  const object = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (!object) throw new Error(`no ${kind} ${name}`);
  return object;
}

describe.each(KUSTOMIZATIONS)('%s', (dir) => {
  const objects = render(dir);

  it('renders objects that all validate against the Kubernetes schemas, with no unknown keys', () => {
    expect(objects.length).toBeGreaterThan(5);
    expect(problems(objects)).toEqual([]);
  });

  it('runs the gateway with probes on its endpoints, a restricted security context and a grace above its own', () => {
    const deployment = find(objects, 'Deployment', 'imagegraph');
    const pod = deployment.spec.template.spec;
    const container = pod.containers.find((c: { name: string }) => c.name === 'imagegraph');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits.memory).toBeDefined();
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.topologySpreadConstraints.length).toBeGreaterThan(0);

    const settings = find(objects, 'ConfigMap', 'imagegraph-config').data as Record<string, string>;
    const preStopSeconds = Number(container.lifecycle?.preStop?.exec?.command?.[1] ?? 0);
    expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThan(
      Number(settings.SHUTDOWN_GRACE_MS) + preStopSeconds * 1000,
    );
    // The probes' port is the one the gateway listens on.
    const http = container.ports.find((p: { name: string }) => p.name === 'http');
    expect(String(http.containerPort)).toBe(settings.PORT);
    expect(find(objects, 'Service', 'imagegraph').spec.selector).toEqual(deployment.spec.selector.matchLabels);
    expect(find(objects, 'PodDisruptionBudget', 'imagegraph').spec.selector).toEqual(deployment.spec.selector);
    expect(find(objects, 'HorizontalPodAutoscaler', 'imagegraph').spec.scaleTargetRef.name).toBe('imagegraph');
  });

  it('takes every credential from the Secret, and names no placeholder upstream', () => {
    const container = find(objects, 'Deployment', 'imagegraph').spec.template.spec.containers[0];
    const settings = find(objects, 'ConfigMap', 'imagegraph-config').data as Record<string, string>;
    for (const [name, value] of Object.entries(settings))
      if (name === 'REDIS_URL') expect(new URL(value).password, 'a REDIS_URL in the ConfigMap').toBe('');
      else expect(name).not.toMatch(SECRET_VARIABLES);
    for (const variable of container.env as { name: string; value?: string; valueFrom?: Record<string, any> }[])
      if (SECRET_VARIABLES.test(variable.name))
        expect(variable.valueFrom?.secretKeyRef?.name, variable.name).toBe('imagegraph-credentials');
    expect(JSON.stringify(objects)).not.toMatch(/example\.(org|com)/);
  });
});

/**
 * The environment the gateway's container gets, as the kubelet builds it: the ConfigMap (envFrom), then `env` in
 * order, secretKeyRef and configMapKeyRef read from what the operator created (an optional key that is absent
 * leaves its variable unset), `$(NAME)` expanded from the variables before it.
 */
function containerEnv(objects: KubeObject[], created: Record<string, Record<string, string>>): Record<string, string> {
  const container = find(objects, 'Deployment', 'imagegraph').spec.template.spec.containers[0];
  const env: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    const name = source.configMapRef.name as string;
    Object.assign(env, find(objects, 'ConfigMap', name).data);
  }
  for (const variable of container.env as { name: string; value?: string; valueFrom?: Record<string, any> }[]) {
    if (variable.value !== undefined) {
      env[variable.name] = variable.value.replace(/\$\((\w+)\)/g, (whole, name: string) => env[name] ?? whole);
      continue;
    }
    const ref = variable.valueFrom?.secretKeyRef ?? variable.valueFrom?.configMapKeyRef;
    const value = created[ref.name]?.[ref.key];
    if (value !== undefined) env[variable.name] = value;
    else if (!ref.optional) throw new Error(`${variable.name}: ${ref.name} has no key ${ref.key}, and it is required`);
  }
  return env;
}

describe.each(OVERLAYS)('$dir', ({ dir, secret, site, upstreams }) => {
  const objects = render(dir);

  it('configures a gateway that starts, on its upstreams only, from the Secret and ConfigMap its README names', () => {
    const env = containerEnv(objects, {
      'imagegraph-credentials': { GATEWAY_TOKENS, ...secret },
      'imagegraph-site': site,
    });
    const config = parseConfig(env);
    expect(config.mode).toBe('upstreams');
    expect(Object.keys(config.upstreams).sort()).toEqual(upstreams);
    expect(Object.keys(config.serviceCredentials).sort()).toEqual(upstreams);
    expect(config.warnings).toEqual([]);
    if (config.redis) {
      expect(config.redis.password).toBe(secret.REDIS_PASSWORD);
      const redisHost = new URL(config.redis.url).hostname;
      const redis = find(objects, 'Deployment', redisHost);
      expect(redis.spec.template.spec.containers[0].args).toContain('$(REDIS_PASSWORD)');
      expect(find(objects, 'Service', redisHost).spec.ports[0].port).toBe(6379);
    }
  });

  it('does not start without what the operator must create', () => {
    expect(() => containerEnv(objects, { 'imagegraph-credentials': secret, 'imagegraph-site': site })).toThrow(
      /GATEWAY_TOKENS/,
    );
  });
});

it('catches a broken manifest: a wrong type, and a misspelled field the schemas alone let through', () => {
  const deployment = find(render(KUSTOMIZATIONS[0]!), 'Deployment', 'imagegraph');
  const broken = structuredClone(deployment);
  broken.spec.replicas = 'two';
  broken.spec.template.spec.containers[0].readinesProbe = broken.spec.template.spec.containers[0].readinessProbe;
  expect(problems([broken])).toEqual([
    'Deployment imagegraph: unknown key /spec/template/spec/containers/0/readinesProbe',
    expect.stringContaining('/spec/replicas must be integer'),
  ]);
});
