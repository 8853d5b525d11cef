import { Environment, Network, RecordSource, Store, type FetchFunction, type GraphQLResponse } from 'relay-runtime';

/** What `npm run client-config` prints and `/client-config.json` serves (the part Relay reads). */
interface ImagegraphNodeTypes {
  possibleTypes: Record<string, string[]>;
}

export function createRelayEnvironment(url: string, config: ImagegraphNodeTypes) {
  const fetchGraphQL: FetchFunction = async (operation, variables) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: operation.text, variables }),
    });
    return (await response.json()) as GraphQLResponse;
  };
  const nodeTypes = new Set(config.possibleTypes.Node);
  return new Environment({
    network: Network.create(fetchGraphQL),
    store: new Store(new RecordSource()),
    // Records are identified by the global id `nodeId`, on Node types only: `ImageFactory.nodeId` names a factory
    // node shared by many images. Other records get Relay's client ids, from their place in the graph.
    getDataID: (fields, typeName) => (nodeTypes.has(typeName) ? fields.nodeId : undefined),
  });
}
