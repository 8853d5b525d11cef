/**
 * Files the gateway reads at run time (the schema, GraphiQL's app script, the sandbox thread's entry), found from the
 * package's root: the nearest folder above this module that holds `package.json`. A module's own location cannot be
 * the anchor, because the build bundles modules into other folders (`dist/src/main.js`, `dist/src/chunks/`); the
 * root is the same from the sources, from the build and from an install under `node_modules`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(from: string): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

const here = fileURLToPath(import.meta.url);
const packageRoot = findPackageRoot(here);

/** True when the gateway runs from its TypeScript sources (tsx: `npm run dev`, the tests), false in the build. */
export const runningFromSources = here.endsWith('.ts');

/** An absolute path inside the package, from its root: `packagePath('schema', 'cycle.graphql')`. */
export function packagePath(...segments: string[]): string {
  return join(packageRoot, ...segments);
}
