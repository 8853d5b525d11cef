import { describe, expect, it } from 'vitest';
import {
  DOCKER_HUB_REGISTRY,
  parseImageReference,
  parseRegistryImage,
} from '../../src/crossPlatform/imageReference.js';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('parseImageReference', () => {
  it.each([
    ['nginx', DOCKER_HUB_REGISTRY, 'library/nginx', null, null, 'library/nginx'],
    ['nginx:1.25', DOCKER_HUB_REGISTRY, 'library/nginx', '1.25', null, 'library/nginx'],
    ['acme/worker:latest', DOCKER_HUB_REGISTRY, 'acme/worker', 'latest', null, 'acme/worker'],
    ['docker.io/library/redis:7', DOCKER_HUB_REGISTRY, 'library/redis', '7', null, 'library/redis'],
    ['index.docker.io/acme/cron', DOCKER_HUB_REGISTRY, 'acme/cron', null, null, 'acme/cron'],
    ['docker.io/nginx', DOCKER_HUB_REGISTRY, 'library/nginx', null, null, 'library/nginx'],
    ['quay.io/acme/api:1.4.2', 'quay.io', 'acme/api', '1.4.2', null, 'quay.io/acme/api'],
    [
      'registry.gitlab.com/acme/data/etl',
      'registry.gitlab.com',
      'acme/data/etl',
      null,
      null,
      'registry.gitlab.com/acme/data/etl',
    ],
    ['localhost/app', 'localhost', 'app', null, null, 'localhost/app'],
    [
      'registry.local:5000/tools/builder:v3',
      'registry.local:5000',
      'tools/builder',
      'v3',
      null,
      'registry.local/tools/builder',
    ],
    [`quay.io/acme/api@${DIGEST}`, 'quay.io', 'acme/api', null, DIGEST, 'quay.io/acme/api'],
    [`nginx:1.25@${DIGEST}`, DOCKER_HUB_REGISTRY, 'library/nginx', '1.25', DIGEST, 'library/nginx'],
    ['Quay.IO/acme/api', 'quay.io', 'acme/api', null, null, 'quay.io/acme/api'],
    ['[::1]:5000/app:1', '[::1]:5000', 'app', '1', null, '[::1]/app'],
    [
      'my_registry/a.b/c__d/e-f',
      DOCKER_HUB_REGISTRY,
      'my_registry/a.b/c__d/e-f',
      null,
      null,
      'my_registry/a.b/c__d/e-f',
    ],
  ])('%s', (raw, registry, path, tag, digest, dockerCloudName) => {
    expect(parseImageReference(raw)).toEqual({ reference: raw, registry, path, tag, digest, dockerCloudName });
  });

  it('treats a single component as a Docker Hub name, even with a port-like tag', () => {
    expect(parseImageReference('localhost:5000')).toMatchObject({
      registry: DOCKER_HUB_REGISTRY,
      path: 'library/localhost',
      tag: '5000',
    });
  });

  it.each([
    '',
    ' nginx',
    'nginx ',
    'ngi nx',
    'nginx\n',
    'https://quay.io/acme/api',
    'quay.io//api',
    'quay.io/acme/',
    '/nginx',
    'quay.io/../api',
    'Acme/API',
    'nginx:',
    'nginx:-bad',
    `nginx:${'t'.repeat(129)}`,
    'nginx@sha256:short',
    'nginx@',
    'quay.io/acme/api?x=1',
    'quay.io/acme/api#frag',
    'quay.io/acme%2Fapi',
    'bad_host.io:port/x',
    `quay.io/${'a'.repeat(260)}`,
  ])('refuses %j', (raw) => {
    expect(parseImageReference(raw)).toBeNull();
  });
});

describe('parseRegistryImage', () => {
  it('reads the registry from the URL and the path from the target', () => {
    expect(parseRegistryImage('https://quay.io/', 'acme/api:1.0.0')).toEqual({
      reference: 'quay.io/acme/api:1.0.0',
      registry: 'quay.io',
      path: 'acme/api',
      tag: '1.0.0',
      digest: null,
      dockerCloudName: 'quay.io/acme/api',
    });
  });

  it('keeps a non-default port in the registry and drops it from the Docker Cloud name', () => {
    expect(parseRegistryImage('http://registry.local:5000', 'tools/builder:v3')).toMatchObject({
      registry: 'registry.local:5000',
      dockerCloudName: 'registry.local/tools/builder',
    });
    expect(parseRegistryImage('https://ghcr.io:443/v2/', 'acme/cli')).toMatchObject({
      registry: 'ghcr.io',
      path: 'acme/cli',
    });
  });

  it('accepts a URL without a scheme, and a target that repeats the host', () => {
    expect(parseRegistryImage('quay.io', 'quay.io/acme/api')).toMatchObject({
      registry: 'quay.io',
      path: 'acme/api',
      reference: 'quay.io/acme/api',
    });
  });

  it('keeps single-component paths as they are outside Docker Hub, and adds library/ on it', () => {
    expect(parseRegistryImage('https://ghcr.io', 'tool')).toMatchObject({
      path: 'tool',
      dockerCloudName: 'ghcr.io/tool',
    });
    expect(parseRegistryImage('https://docker.io', 'nginx')).toMatchObject({
      registry: DOCKER_HUB_REGISTRY,
      path: 'library/nginx',
      dockerCloudName: 'library/nginx',
    });
  });

  it('treats a target whose first component looks like a host as a path on the URL registry', () => {
    expect(parseRegistryImage('https://registry.example.com', 'team.a/app:1')).toMatchObject({
      registry: 'registry.example.com',
      path: 'team.a/app',
    });
  });

  it.each([
    ['', 'acme/api'],
    ['https://', 'acme/api'],
    ['https://quay.io', ''],
    ['https://quay.io', 'acme/../api'],
    ['https://quay.io', 'Acme/API'],
    ['not a url', 'acme/api'],
  ])('refuses url %j with target %j', (url, target) => {
    expect(parseRegistryImage(url, target)).toBeNull();
  });
});
