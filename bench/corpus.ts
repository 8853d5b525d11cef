/**
 * The benchmark corpus: each operation with its GraphQL document, the variables it needs (read from the gateway once,
 * before measuring), the fewest upstream calls the real APIs allow for it (with the reason), and, where that is a
 * single call, the REST request it amounts to, which the runner also loads straight against the sandbox.
 *
 * Operations whose schema does not exist yet wait in PENDING; the runner checks them against the schema the gateway
 * serves on every run and says when one validates (`--with-pending` measures those). Activating one is moving its
 * name from PENDING into CORPUS.
 */
import type { UpstreamName } from './processes.js';

export interface GraphQLAnswer {
  data?: Record<string, any> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: {
    upstream?: { calls: number; requests: { upstream: string; method: string; path: string; status: number }[] };
  } & Record<string, unknown>;
}

export type Gql = (document: string, variables?: Record<string, unknown>) => Promise<GraphQLAnswer>;

export interface CorpusOperation {
  /** Short id, for `--only`. */
  name: string;
  title: string;
  document: string;
  /** Reads the variables from the gateway (ids of seeded resources), once. */
  setup?: (gql: Gql) => Promise<Record<string, unknown>>;
  /** The fewest upstream calls the real APIs allow for this operation; the comment next to it says why. */
  lowerBound: number;
  /**
   * For single-call operations: the REST request the operation amounts to (`METHOD /path/{param}`; the runner loads
   * the exact request the gateway made, taken from the sandbox's log), and the body, for writes.
   */
  direct?: { upstream: UpstreamName; request: string; body?: (variables: Record<string, unknown>) => unknown };
  /** The answer is the intended one (e.g. 20 nodes): null, or what is wrong. */
  check?: (data: Record<string, any>) => string | null;
  /** For mutations: why repeating it under load is safe. */
  repeatable?: string;
  /** The gateway's own floor (no upstream call): other operations are reported as a fraction of it. */
  floor?: boolean;
  /** Alternate its runs with `{ __typename }` runs, for a paired fraction of the floor (issue 7 sets a target on it). */
  pairWithFloor?: boolean;
}

const count = (what: string, got: unknown[] | undefined, expected: number) =>
  got?.length === expected ? null : `expected ${expected} ${what}, got ${got?.length ?? 'none'}`;
const noNulls = (what: string, got: unknown[] | undefined) =>
  got && got.every((x) => x !== null) ? null : `some ${what} resolved to null`;
const twentyImagesWithSources = (data: Record<string, any>) =>
  count('images', data.images?.edges, 20) ??
  noNulls(
    'sources',
    data.images.edges.map((e: any) => e.node.source),
  );

async function firstImage(gql: Gql): Promise<{ id: string; name: string }> {
  const res = await gql('{ images(first: 1) { nodes { id name } } }');
  const image = res.data?.images?.nodes?.[0] as { id: string; name: string } | undefined;
  if (!image) throw new Error(`no image to work on: ${JSON.stringify(res.errors ?? res.data)}`);
  return image;
}

// ---- Cycle ------------------------------------------------------------------------------------------------------

export const typename: CorpusOperation = {
  name: 'typename',
  title: "{ __typename } (the gateway's floor)",
  document: '{ __typename }',
  // No field reads an upstream.
  lowerBound: 0,
  floor: true,
  check: (data) => (data.__typename === 'Query' ? null : 'no __typename'),
};

export const imagesPlain: CorpusOperation = {
  name: 'images-plain',
  title: '20 images, plain fields',
  document: `query ImagesPlain {
  images(first: 20) {
    edges { node { id hubId name size description requiresNvidiaGpu state { current changed } events { created updated } origin { type sourceId } } }
    pageInfo { hasNextPage endCursor }
  }
}`,
  // One page of Cycle's image list (GET /v1/images?page[size]=21: the one item past the window makes hasNextPage
  // exact, cycle/paging.ts): every field is on the image resource itself.
  lowerBound: 1,
  direct: { upstream: 'cycle', request: 'GET /v1/images' },
  pairWithFloor: true,
  check: (data) => count('images', data.images?.edges, 20),
};

export const imagesWithSources: CorpusOperation = {
  name: 'images-sources',
  title: "20 images + source { name } (the anchor's query)",
  // The operation issue 7 measured on its anchor (21 upstream calls there, 124 req/s), and so the one its "10 times
  // the anchor" target is about. images-related below asks for more (creator, containersCount) in the same one call.
  document: `query ImagesWithSources {
  images(first: 20) {
    edges { node { id name source { name } } }
  }
}`,
  // One list call: Cycle embeds each image's source with include=sources (cycle.md §3, `include` on GET /v1/images).
  lowerBound: 1,
  direct: { upstream: 'cycle', request: 'GET /v1/images' },
  check: (data) => twentyImagesWithSources(data),
};

export const imagesRelated: CorpusOperation = {
  name: 'images-related',
  title: '20 images + source, creator, containersCount',
  // The creator's name, not only its kind: a kind alone comes from the image's own reference and would drop
  // include=creators, making this row lighter than the figures of earlier runs.
  document: `query ImagesRelated {
  images(first: 20) {
    edges { node { id name source { name } creator { __typename ... on AccountCreator { name } } containersCount { total } } }
  }
}`,
  // Still one list call: Cycle returns sources and creators in the same response with include=sources&include=creators,
  // and container counts with meta=containers_count (cycle.md §3, `include` and `meta` on GET /v1/images).
  lowerBound: 1,
  direct: { upstream: 'cycle', request: 'GET /v1/images' },
  check: (data) => twentyImagesWithSources(data),
};

export const sourcesWithImages: CorpusOperation = {
  name: 'sources-images',
  title: '10 sources + imagesCount + 3 images each',
  document: `query SourcesWithImages {
  imageSources(first: 10) {
    edges { node { id name imagesCount { total } images(first: 3) { edges { node { id name } } } } }
  }
}`,
  // 1 + 10: one source list carries the image counts (meta=images_count); the images of a source need a list call of
  // their own, since Cycle's image list filters on one source id at a time (filter[source_id]; no ids filter, no
  // include of images on sources: cycle.md §3-4), and one list of all images cannot promise 3 of each source.
  lowerBound: 11,
  check: (data) => count('sources', data.imageSources?.edges, 10),
};

export const entitiesImages: CorpusOperation = {
  name: 'entities-images',
  title: '_entities: 20 Images',
  document: `query EntitiesImages($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Image { id name size state { current } } }
}`,
  setup: async (gql) => {
    const res = await gql('{ images(first: 20) { nodes { id } } }');
    const ids = (res.data?.images?.nodes ?? []).map((n: { id: string }) => n.id);
    if (ids.length !== 20) throw new Error(`expected 20 images to reference, got ${ids.length}`);
    return { representations: ids.map((id: string) => ({ __typename: 'Image', id })) };
  },
  // 20: Cycle has no batch read of images by id (no ids filter on GET /v1/images: cycle.md §3), so each reference is
  // one GET /v1/images/{id}.
  lowerBound: 20,
  check: (data) => count('entities', data._entities, 20) ?? noNulls('entities', data._entities),
};

export const renameImage: CorpusOperation = {
  name: 'rename-image',
  title: 'mutation updateImage (same name)',
  document: `mutation RenameImage($id: ID!, $name: String!) {
  updateImage(id: $id, input: { name: $name }) { id name }
}`,
  setup: async (gql) => {
    const image = await firstImage(gql);
    return { id: image.id, name: image.name };
  },
  // One PATCH /v1/images/{id}: Cycle answers with the updated image, which holds every selected field.
  lowerBound: 1,
  direct: { upstream: 'cycle', request: 'PATCH /v1/images/{id}', body: (v) => ({ name: v.name }) },
  repeatable: 'renames an image to the name it already has: idempotent, the data stays as seeded',
  check: (data) => (data.updateImage?.id ? null : 'no image in the answer'),
};

// ---- Cloud Foundry, Docker Cloud, across platforms (issue 4), federation entities (issue 5) -----------------------

export const packagesWithApps: CorpusOperation = {
  name: 'packages-apps',
  title: '50 packages + their apps',
  document: `query PackagesWithApps {
  packages(first: 50) { totalCount edges { node { guid type state app { guid name } } } }
}`,
  // 2: one GET /v3/packages?per_page=50, then one GET /v3/apps?guids=a,b,... for every distinct app on the page (CF
  // lists filter on comma-separated guids; the package list has no include of apps: cf-v3-packages.md §4, List).
  lowerBound: 2,
  check: (data) => count('packages', data.packages?.edges, 50),
};

export const repositoriesWithRegistries: CorpusOperation = {
  name: 'repositories-registries',
  title: '25 repositories + their registries',
  document: `query RepositoriesWithRegistries {
  repositories(first: 25) { edges { node { name inUse registry { name host } } } }
}`,
  // 2: one GET /api/repo/v1/repository/?limit=25; a repository carries only its registry's resource URI, so the
  // registries' names need one GET /api/repo/v1/registry/ (one page holds every registry of an account with no more
  // registries than the page size; per-host GETs would cost 1 + distinct registries: docker-cloud-repository.md §2-3).
  lowerBound: 2,
  check: (data) => count('repositories', data.repositories?.edges, 25),
};

export const packageImageRepository: CorpusOperation = {
  name: 'package-image-repository',
  title: 'package → image → repository → registry',
  document: `query PackageImageRepository($guid: ID!) {
  package(guid: $guid) { guid type image { repository { name inUse registry { name host } } } }
}`,
  setup: async (gql) => {
    const res = await gql(
      '{ packages(first: 100, filter: { types: [DOCKER] }) { edges { node { guid image { repository { name } } } } } }',
    );
    const found = (res.data?.packages?.edges ?? []).find((e: any) => e.node.image?.repository?.name);
    if (!found) throw new Error('no docker package whose image is a known Docker Cloud repository');
    return { guid: found.node.guid };
  },
  // 3, one per platform resource, none of which embeds another: GET /v3/packages/{guid} (CF), then
  // GET /api/repo/v1/repository/{name}/ and GET /api/repo/v1/registry/{host}/ (Docker Cloud) for the registry's name.
  lowerBound: 3,
  check: (data) => (data.package?.image?.repository?.name ? null : 'the image did not resolve to a repository'),
};

export const entitiesPackages: CorpusOperation = {
  name: 'entities-packages',
  title: '_entities: 50 Packages',
  document: `query EntitiesPackages($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Package { guid type state } }
}`,
  setup: async (gql) => {
    const res = await gql('{ packages(first: 50) { edges { node { guid } } } }');
    const guids = (res.data?.packages?.edges ?? []).map((e: any) => e.node.guid as string);
    if (guids.length !== 50) throw new Error(`expected 50 packages to reference, got ${guids.length}`);
    return { representations: guids.map((guid: string) => ({ __typename: 'Package', guid })) };
  },
  // 1: GET /v3/packages?guids=<50 guids>&per_page=50 (CF filters lists on comma-separated guids, up to
  // per_page=5000: cf-v3-packages.md §4; 50 guids keep the URL under 2 kB).
  lowerBound: 1,
  direct: { upstream: 'cf', request: 'GET /v3/packages' },
  check: (data) => count('entities', data._entities, 50) ?? noNulls('entities', data._entities),
};

/** Measured on every run, in this order. */
export const CORPUS: CorpusOperation[] = [
  typename,
  imagesPlain,
  imagesWithSources,
  imagesRelated,
  sourcesWithImages,
  entitiesImages,
  renameImage,
  packagesWithApps,
  repositoriesWithRegistries,
  packageImageRepository,
  entitiesPackages,
];

/**
 * Intended, but their schema is not there yet: move each into CORPUS once the runner reports that it validates.
 * (Empty since issue 4 landed; keep it for the next domains.)
 */
export const PENDING: CorpusOperation[] = [];

/** The corpus operation called `name` (`--only`), or an error listing the names there are. */
export function corpusOperation(name: string): CorpusOperation {
  const operation = CORPUS.find((op) => op.name === name);
  if (!operation)
    throw new Error(`no corpus operation "${name}"; there are: ${CORPUS.map((op) => op.name).join(', ')}`);
  return operation;
}
