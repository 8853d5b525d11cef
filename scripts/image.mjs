#!/usr/bin/env node
/**
 * `npm run image`: builds the container image from the Dockerfile, tags it, optionally pushes it, and prints the
 * kustomize `images:` entry that points a deploy/kubernetes overlay at it.
 *
 *   IMAGE=registry.example.org/team/imagegraph npm run image -- --push
 *
 * IMAGE       repository to tag (and push) to. @default imagegraph (local only)
 * IMAGE_TAG   @default <package.json version>-<git short commit>, or the version alone outside a git checkout
 * CONTAINER_ENGINE   podman or docker. @default podman when installed, else docker
 * --push      push the tag after building
 * Any other argument goes to `build` as is (e.g. `--build-arg BASE=localhost/base:trixie`, `--platform linux/amd64`).
 *
 * Exits with the engine's status when a step fails.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const push = args.includes('--push');
const buildArgs = args.filter((arg) => arg !== '--push');

function installed(command) {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

function run(command, commandArgs) {
  console.error(`$ ${[command, ...commandArgs].join(' ')}`);
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${command} ${commandArgs[0]} failed${result.error ? `: ${result.error.message}` : ''}`);
    process.exit(result.status ?? 1);
  }
}

const engine = process.env.CONTAINER_ENGINE || (installed('podman') ? 'podman' : 'docker');
if (engine !== 'podman' && engine !== 'docker') {
  console.error(`CONTAINER_ENGINE must be podman or docker, not "${engine}"`);
  process.exit(2);
}
const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' });
const tag = process.env.IMAGE_TAG || (commit.status === 0 ? `${version}-${commit.stdout.trim()}` : version);
if (!/^[\w][\w.-]{0,127}$/.test(tag)) {
  console.error(`IMAGE_TAG "${tag}" is not a valid image tag`);
  process.exit(2);
}
const repository = process.env.IMAGE || 'imagegraph';
const reference = `${repository}:${tag}`;

// podman keeps the Dockerfile's HEALTHCHECK only in the docker format.
run(engine, ['build', ...(engine === 'podman' ? ['--format', 'docker'] : []), '-t', reference, ...buildArgs, '.']);
if (push) run(engine, ['push', reference]);

console.error(`\nBuilt ${reference}${push ? ' and pushed it' : ''}. Point an overlay at it (its kustomization.yaml):`);
console.log(`images:\n  - name: imagegraph\n    newName: ${repository}\n    newTag: ${tag}`);
