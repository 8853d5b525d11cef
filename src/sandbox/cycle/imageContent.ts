/**
 * What an image holds once imported, shared by the seed and by live import jobs: container configs (the spec's
 * `Image.config`, every field required), the empty config of an image not imported yet, an empty
 * `containers_count`, and build log text.
 */
import type { ImageConfig, ImageOrigin, StateCountSummary } from './wire.js';

const PATH_ENV = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const CONFIG_PROFILES: readonly ImageConfig[] = [
  {
    user: 'node',
    ports: [{ host: 0, container: 3000, type: 'tcp' }],
    env: { PATH: PATH_ENV, NODE_VERSION: '20.11.1' },
    labels: { 'org.opencontainers.image.vendor': 'Acme' },
    command: ['node', 'server.js'],
    entrypoint: ['docker-entrypoint.sh'],
    volumes: [],
    workdir: '/app',
    signal_stop: 'SIGTERM',
  },
  {
    user: '',
    ports: [{ host: 0, container: 80, type: 'tcp' }],
    env: { PATH: PATH_ENV, NGINX_VERSION: '1.25.4' },
    labels: { maintainer: 'NGINX Docker Maintainers <docker-maint@nginx.com>' },
    command: ['nginx', '-g', 'daemon off;'],
    entrypoint: ['/docker-entrypoint.sh'],
    volumes: [],
    workdir: '',
    signal_stop: 'SIGQUIT',
  },
  {
    user: 'nonroot',
    ports: [{ host: 0, container: 8080, type: 'tcp' }],
    env: { PATH: PATH_ENV },
    labels: {},
    command: ['/app/server'],
    entrypoint: [],
    volumes: [{ path: '/data', mode: 'rw' }],
    workdir: '/',
    signal_stop: 'SIGTERM',
  },
  {
    user: 'app',
    ports: [{ host: 0, container: 8000, type: 'tcp' }],
    env: { PATH: PATH_ENV, PYTHONUNBUFFERED: '1' },
    labels: { 'org.opencontainers.image.source': 'https://github.com/acme/reports' },
    command: ['gunicorn', '--bind', '0.0.0.0:8000', 'app:app'],
    entrypoint: [],
    volumes: [
      { path: '/srv/cache', mode: 'rw' },
      { path: '/etc/app', mode: 'ro' },
    ],
    workdir: '/srv',
    signal_stop: 'SIGINT',
  },
];

/** The config of an image that has not been imported yet: every required field, all empty. */
export const EMPTY_CONFIG: ImageConfig = {
  user: '',
  ports: [],
  env: {},
  labels: {},
  command: [],
  entrypoint: [],
  volumes: [],
  workdir: '',
  signal_stop: '',
};

export function configProfile(index: number): ImageConfig {
  return CONFIG_PROFILES[index % CONFIG_PROFILES.length]!;
}

export function zeroContainersCount(): StateCountSummary {
  return {
    state: { new: 0, starting: 0, running: 0, stopping: 0, stopped: 0, deleting: 0, deleted: 0 },
    total: 0,
    available: 0,
  };
}

/** A build log of the kind the factory writes, for the origin's kind. */
export function buildLogText(label: string, origin: ImageOrigin, sizeBytes: number): string {
  const lines =
    origin.type === 'docker-file'
      ? [
          'Cloning repository...',
          'Step 1/6 : FROM node:20-alpine',
          'Step 2/6 : WORKDIR /app',
          'Step 3/6 : COPY package*.json ./',
          'Step 4/6 : RUN npm ci --omit=dev',
          'Step 5/6 : COPY . .',
          'Step 6/6 : CMD ["node", "server.js"]',
        ]
      : ['Resolving image reference...', 'Pulling layers...', 'Extracting layers...'];
  return [...lines, `Successfully built ${label}`, `Image size: ${sizeBytes} bytes`, ''].join('\n');
}
