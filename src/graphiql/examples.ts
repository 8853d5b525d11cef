/** Example operations GraphiQL opens with: one tab per domain, runnable as they are in sandbox mode. */
export interface ExampleTab {
  query: string;
  variables?: string;
  headers?: string;
}

const images = `# Cycle images with their sources, creators and container counts: one upstream request.
# extensions.upstream in the result shows the calls the gateway made.
query ImagesWithSources {
  images(first: 20) {
    edges {
      node {
        id
        name
        state { current }
        size
        source { name origin { __typename ... on DockerRegistryOrigin { target url } } }
        creator { __typename ... on AccountCreator { name } }
        containersCount { total }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

const sources = `# Image sources with their image counts and first images.
query SourcesWithImages {
  imageSources(first: 10) {
    edges {
      node {
        name
        type
        origin { __typename ... on DockerHubOrigin { target hasCredentials } }
        imagesCount { total }
        images(first: 3) { edges { node { name state { current } } } }
      }
    }
  }
}
`;

const jobs = `# The hub's recent Cycle jobs.
query RecentJobs {
  cycleJobs(first: 10) {
    nodes { id operation state upstreamState progress { completedSteps totalSteps } completedAt }
  }
}
`;

const packages = `# Cloud Foundry packages with their apps: one list call plus one batched \`guids=\` apps call.
query PackagesWithApps {
  packages(first: 50, filter: { states: [READY] }, orderBy: { field: CREATED_AT, direction: DESC }) {
    totalCount
    edges {
      node {
        guid
        type
        state
        bits { checksum { type value } }
        docker { image username hasPassword }
        metadata { labels { key value } }
        app { name state lifecycle { type stack } }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
`;

const repositories = `# Docker Cloud external repositories with their registries: one list call, plus one registry call for the page.
query RepositoriesWithRegistries {
  repositories(first: 25) {
    totalCount
    edges { node { name inUse registry { name host port isSsl } } }
  }
  dockerHub: registry(host: "registry-1.docker.io") { name isDockerRegistry }
}
`;

const crossPlatform = `# Across platforms: the image of each Cloud Foundry docker package and of each registry-backed Cycle source,
# parsed, and the Docker Cloud repository (and registry) it comes from.
query ImagesAcrossPlatforms {
  packages(first: 20, filter: { types: [DOCKER] }) {
    nodes {
      guid
      app { name }
      image { reference registry path tag repository { name inUse registry { name } } }
    }
  }
  imageSources(first: 20) {
    nodes {
      name
      origin {
        __typename
        ... on DockerHubOrigin { image { registry path tag repository { name } } }
        ... on DockerRegistryOrigin { image { registry path tag repository { name registry { name } } } }
        ... on OciRegistryOrigin { image { registry path tag repository { name registry { name } } } }
      }
    }
  }
}
`;

const globalIds = `# Relay conventions: every entity has a global \`nodeId\` next to its upstream id (\`id\`, \`guid\`, \`name\`, \`host\`),
# and node(id:) / nodes(ids:) read any of them back, batched like federation _entities. The variables hold
# nodeIds of the sandbox's demo data (against other upstreams they read as null).
query GlobalIds($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename
    nodeId
    ... on Image { id name status: state { current } }
    ... on Package { guid state docker { image } app { name } }
    ... on Repository { name registry { name } }
  }
  images(first: 3) { nodes { nodeId id name } }
}
`;

const watchImport = `# Import an image and watch it, live. 1. Run ImportImage (pick it from the run button's menu): it creates an
# image from a sandbox source and starts its import. 2. Put the image's id in the variables, as {"id": "..."}.
# 3. Run WatchImage: over WebSocket, each state arrives as it happens (NEW, DOWNLOADING, ... LIVE), then the
# subscription completes. The sandbox's imports take SANDBOX_JOB_DURATION_MS.
mutation ImportImage {
  createImage(input: { sourceId: "65d75c47473a124756e1471f", name: "watched import", import: true }) {
    image { id name state { current } }
    importJob { id state }
  }
}

subscription WatchImage($id: ID!) {
  imageState(id: $id) { id name state { current changed error { message } } }
}
`;

/** nodeIds of the sandbox seed (deterministic): an image, a docker package and a repository. */
const globalIdsVariables = JSON.stringify(
  {
    ids: [
      'SW1hZ2U6NjZhMjYzYjUzMTE3Yzg4YWFkZmQ0NTJj',
      'UGFja2FnZTo0NTI1YjgxOS03OWY5LTRhY2ItYjRjMi05NzViNmVlMzNkNmM',
      'UmVwb3NpdG9yeTphY21lLmF6dXJlY3IuaW8vaWRlbnRpdHkvYWRtaW4',
    ],
  },
  null,
  2,
);

export const EXAMPLE_TABS: ExampleTab[] = [
  { query: images },
  { query: sources },
  { query: jobs },
  { query: packages },
  { query: repositories },
  { query: crossPlatform },
  { query: globalIds, variables: globalIdsVariables },
  { query: watchImport, variables: '{ "id": "" }' },
];
