/**
 * GraphiQL's files, served by the gateway itself so it works offline: the self-contained UMD builds of GraphiQL 4,
 * React 18 and graphql-ws straight from node_modules (no CDN, no bundler, no fonts from elsewhere: GraphiQL's CSS inlines its
 * fonts as data URLs). Read once, kept in memory with a gzip copy and an ETag.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { packagePath } from '../packageFiles.js';

export interface StaticAsset {
  body: Buffer;
  gzip: Buffer;
  contentType: string;
  etag: string;
}

const resolveModule = createRequire(import.meta.url).resolve;

function dependencyFile(pkg: string, file: string): string {
  return join(dirname(resolveModule(`${pkg}/package.json`)), file);
}

const SOURCES: Record<string, { path: string; contentType: string }> = {
  'react.js': {
    path: dependencyFile('react', 'umd/react.production.min.js'),
    contentType: 'text/javascript; charset=utf-8',
  },
  'react-dom.js': {
    path: dependencyFile('react-dom', 'umd/react-dom.production.min.js'),
    contentType: 'text/javascript; charset=utf-8',
  },
  'graphiql.js': {
    path: dependencyFile('graphiql', 'dist/index.umd.js'),
    contentType: 'text/javascript; charset=utf-8',
  },
  // graphql-ws's browser build (global `graphqlWs`): GraphiQL runs subscriptions through it.
  'graphql-ws.js': {
    path: dependencyFile('graphql-ws', 'umd/graphql-ws.min.js'),
    contentType: 'text/javascript; charset=utf-8',
  },
  'graphiql.css': { path: dependencyFile('graphiql', 'dist/style.css'), contentType: 'text/css; charset=utf-8' },
  'app.js': { path: packagePath('src', 'graphiql', 'app.js'), contentType: 'text/javascript; charset=utf-8' },
};

let loaded: Map<string, StaticAsset> | undefined;

/** The assets by file name, loaded on first use (not at start-up: an API-only deployment never pays for them). */
export function graphiqlAssets(): Map<string, StaticAsset> {
  if (!loaded) {
    loaded = new Map();
    for (const [name, source] of Object.entries(SOURCES)) {
      const body = readFileSync(source.path);
      loaded.set(name, {
        body,
        gzip: gzipSync(body),
        contentType: source.contentType,
        etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
      });
    }
  }
  return loaded;
}
