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

export const EXAMPLE_TABS: ExampleTab[] = [{ query: images }, { query: sources }, { query: jobs }];
