/**
 * Records → v3 JSON, as CC's presenters write it. Links are absolute (`{href, method?}`, cf-v3-packages.md §1).
 */
import type { AppRecord, DropletRecord, JobRecord, Metadata, PackageRecord } from './models.js';
import type { Link } from './pagination.js';

/** `Censorship::REDACTED_CREDENTIAL`. */
const REDACTED_CREDENTIAL = '***';
/** What list endpoints print instead of droplet secrets (`Presenters::Mixins::Redactor`). */
const HIDDEN_IN_LISTS = '[PRIVATE DATA HIDDEN IN LISTS]';

function copyMetadata(metadata: Metadata): Metadata {
  return { labels: { ...metadata.labels }, annotations: { ...metadata.annotations } };
}

/**
 * The Package object (§3). Bits: `{error, checksum}`; docker: `{image, username, password}` with the password
 * `"***"` whenever a username is set and null otherwise. `upload`/`download` links only for bits; the download link
 * has no `method` (C: [docs]/[oas] show `method: "GET"`, CC's `build_links` emits none; we follow the code).
 */
export function presentPackage(pkg: PackageRecord, baseUrl: string): unknown {
  const self = `${baseUrl}/v3/packages/${pkg.guid}`;
  const links: Record<string, Link> = { self: { href: self } };
  if (pkg.type === 'bits') {
    links['upload'] = { href: `${self}/upload`, method: 'POST' };
    links['download'] = { href: `${self}/download` };
  }
  links['app'] = { href: `${baseUrl}/v3/apps/${pkg.appGuid}` };
  return {
    guid: pkg.guid,
    created_at: pkg.createdAt,
    updated_at: pkg.updatedAt,
    type: pkg.type,
    data:
      pkg.type === 'bits'
        ? { checksum: { type: pkg.checksum.type, value: pkg.checksum.value }, error: pkg.error }
        : { image: pkg.image, username: pkg.username, password: pkg.username === null ? null : REDACTED_CREDENTIAL },
    state: pkg.state,
    relationships: { app: { data: { guid: pkg.appGuid } } },
    metadata: copyMetadata(pkg.metadata),
    links,
  };
}

/**
 * The early-v3 create's answer, in the shape seeds 000/001 give verbatim: `data` with `hash` and `error` (and for
 * docker the `credentials` and `store_image` as sent, the password included: that API echoed it), `links.app`
 * instead of `relationships`, no `metadata`, and `updated_at` null on a new package. (I) Bits packages get the same
 * `hash`/`error` data and the current `upload` link.
 */
export function presentEarlyV3Package(pkg: PackageRecord, baseUrl: string): unknown {
  const self = `${baseUrl}/v3/packages/${pkg.guid}`;
  const links: Record<string, Link> = { self: { href: self } };
  if (pkg.type === 'bits') links['upload'] = { href: `${self}/upload`, method: 'POST' };
  links['app'] = { href: `${baseUrl}/v3/apps/${pkg.appGuid}` };
  const hash = { type: 'sha1', value: pkg.type === 'bits' ? pkg.checksum.value : null };
  const data =
    pkg.type === 'bits'
      ? { hash, error: pkg.error }
      : {
          hash,
          error: null,
          image: pkg.image,
          credentials: {
            user: pkg.username,
            email: pkg.earlyV3?.email ?? null,
            password: pkg.password,
            login_server: pkg.earlyV3?.loginServer ?? null,
          },
          store_image: pkg.earlyV3?.storeImage ?? false,
        };
  return {
    guid: pkg.guid,
    type: pkg.type,
    data,
    state: pkg.state,
    created_at: pkg.createdAt,
    updated_at: pkg.updatedAt === pkg.createdAt ? null : pkg.updatedAt,
    links,
  };
}

/**
 * A package on every read (show, list, the app's list) as the controller that created it presents it. One created
 * through the early-v3 route is what an early-v3 controller holds, and that API served its one package presenter on
 * create, show and list alike (I: seeds 000/001 print the create's answer, whose `links.self` is the show route;
 * docs/upstream-notes.md): its `credentials` and `store_image` read back. Every other package reads the current way.
 */
export function presentStoredPackage(pkg: PackageRecord, baseUrl: string): unknown {
  return pkg.type === 'docker' && pkg.earlyV3 ? presentEarlyV3Package(pkg, baseUrl) : presentPackage(pkg, baseUrl);
}

/** The App object (CF v3 docs "The app object"); docker apps have `lifecycle.data = {}`. */
export function presentApp(app: AppRecord, baseUrl: string): unknown {
  const self = `${baseUrl}/v3/apps/${app.guid}`;
  return {
    guid: app.guid,
    name: app.name,
    state: app.state,
    created_at: app.createdAt,
    updated_at: app.updatedAt,
    lifecycle:
      app.lifecycle.type === 'buildpack'
        ? { type: 'buildpack', data: { buildpacks: [...app.lifecycle.buildpacks], stack: app.lifecycle.stack } }
        : { type: 'docker', data: {} },
    relationships: { space: { data: { guid: app.spaceGuid } } },
    metadata: copyMetadata(app.metadata),
    links: {
      self: { href: self },
      space: { href: `${baseUrl}/v3/spaces/${app.spaceGuid}` },
      processes: { href: `${self}/processes` },
      packages: { href: `${self}/packages` },
      environment_variables: { href: `${self}/environment_variables` },
      current_droplet: { href: `${self}/droplets/current` },
      droplets: { href: `${self}/droplets` },
      tasks: { href: `${self}/tasks` },
      start: { href: `${self}/actions/start`, method: 'POST' },
      stop: { href: `${self}/actions/stop`, method: 'POST' },
      revisions: { href: `${self}/revisions` },
      deployed_revisions: { href: `${self}/revisions/deployed` },
      features: { href: `${self}/features` },
    },
  };
}

/**
 * The Droplet object as a list shows it: `execution_metadata` and `process_types` are redacted in lists; fields of
 * the other lifecycle are null; `download` only for buildpack droplets.
 */
export function presentDropletInList(droplet: DropletRecord, baseUrl: string): unknown {
  const self = `${baseUrl}/v3/droplets/${droplet.guid}`;
  const appHref = `${baseUrl}/v3/apps/${droplet.appGuid}`;
  const links: Record<string, Link> = {
    self: { href: self },
    package: { href: `${baseUrl}/v3/packages/${droplet.packageGuid}` },
    app: { href: appHref },
    assign_current_droplet: { href: `${appHref}/relationships/current_droplet`, method: 'PATCH' },
  };
  if (droplet.lifecycle === 'buildpack') links['download'] = { href: `${self}/download` };
  return {
    guid: droplet.guid,
    created_at: droplet.createdAt,
    updated_at: droplet.updatedAt,
    state: droplet.state,
    error: droplet.error,
    lifecycle: { type: droplet.lifecycle, data: {} },
    execution_metadata: HIDDEN_IN_LISTS,
    process_types: { redacted_message: HIDDEN_IN_LISTS },
    checksum: droplet.checksum ? { ...droplet.checksum } : null,
    buildpacks: droplet.buildpacks ? droplet.buildpacks.map((b) => ({ ...b })) : null,
    stack: droplet.stack,
    image: droplet.image,
    relationships: { app: { data: { guid: droplet.appGuid } } },
    metadata: copyMetadata(droplet.metadata),
    links,
  };
}

/** The Job object (§7): `links.package` only while the package still exists; `errors` is `[]` once COMPLETE. */
export function presentJob(job: JobRecord, baseUrl: string, resourceExists: boolean): unknown {
  const links: Record<string, Link> = { self: { href: `${baseUrl}/v3/jobs/${job.guid}` } };
  if (resourceExists) links[job.resourceType] = { href: `${baseUrl}/v3/packages/${job.resourceGuid}` };
  return {
    guid: job.guid,
    created_at: job.createdAt,
    updated_at: job.updatedAt,
    operation: job.operation,
    state: job.state,
    links,
    errors: job.state === 'COMPLETE' ? [] : job.errors.map((e) => ({ ...e })),
    warnings: job.warnings.map((w) => ({ ...w })),
  };
}
