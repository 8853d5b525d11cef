/**
 * Safe configuration (issue 18): when the sandbox may start, unknown prefixed variables with the closest known name,
 * and the Cloud Foundry credential variables.
 */
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';
import { closestName, editDistance } from '../../src/unknownVariables.js';

function problemsOf(env: Record<string, string>): string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const CF = { CF_API_URL: 'https://api.example.org', CF_TOKEN: 'service-token' };

describe('sandbox mode', () => {
  it('starts by default only with nothing upstream and a loopback HOST', () => {
    expect(parseConfig({}).mode).toBe('sandbox');
    expect(parseConfig({ HOST: '::1' }).mode).toBe('sandbox');
    expect(parseConfig(CF).mode).toBe('upstreams');
    expect(problemsOf({ HOST: '0.0.0.0' })).toEqual([
      "no upstream is configured and HOST=0.0.0.0 is beyond loopback: set at least one of CYCLE_API_URL, CF_API_URL, DOCKER_CLOUD_API_URL, or SANDBOX=true to serve the sandbox's demo data there",
    ]);
  });

  it('starts on any HOST with SANDBOX=true, never with SANDBOX=false', () => {
    expect(parseConfig({ HOST: '0.0.0.0', SANDBOX: 'true' }).mode).toBe('sandbox');
    expect(problemsOf({ SANDBOX: 'false' })).toEqual([
      'SANDBOX=false and no upstream is configured: set at least one of CYCLE_API_URL, CF_API_URL, DOCKER_CLOUD_API_URL',
    ]);
    expect(parseConfig({ ...CF, SANDBOX: 'false' }).mode).toBe('upstreams');
    expect(problemsOf({ ...CF, SANDBOX: 'true' })).toEqual([
      'SANDBOX=true and CF_API_URL exclude each other: the sandbox replaces the upstreams',
    ]);
  });
});

describe('unknown variables with the gateway prefixes', () => {
  it('refuses the typo case beyond loopback, naming the variable meant', () => {
    const problems = problemsOf({ CYCLE_API_ULR: 'https://api.cycle.io', HOST: '0.0.0.0' });
    expect(problems).toContain('CYCLE_API_ULR is not a variable of this gateway: did you mean CYCLE_API_URL?');
  });

  it('refuses the typo case on loopback too: the sandbox would start in place of the upstream meant', () => {
    expect(problemsOf({ CYCLE_API_ULR: 'https://api.cycle.io' })).toEqual([
      'CYCLE_API_ULR is not a variable of this gateway: did you mean CYCLE_API_URL?',
      'the sandbox (demo data) would start in place of the upstreams these variables seem meant to configure: correct them, or set SANDBOX=true',
    ]);
  });

  it('warns, and starts, when the configuration is otherwise whole', () => {
    const config = parseConfig({ ...CF, CF_FIRST_BYTE_TIMEOUT: '500', MAX_QUERY_DEPHT: '3', GATEWAY_TOKEN: 'x' });
    expect(config.warnings).toEqual([
      'CF_FIRST_BYTE_TIMEOUT is not a variable of this gateway: did you mean CF_FIRST_BYTE_TIMEOUT_MS?',
      'GATEWAY_TOKEN is not a variable of this gateway: did you mean GATEWAY_TOKENS?',
      'MAX_QUERY_DEPHT is not a variable of this gateway: did you mean MAX_QUERY_DEPTH?',
    ]);
    expect(parseConfig({ SANDBOX: 'true', CYCLE_API_ULR: 'x' }).warnings).toHaveLength(1);
    expect(parseConfig({ ...CF, CYCLE_SOMETHING_ELSE_ENTIRELY: 'x' }).warnings).toEqual([
      'CYCLE_SOMETHING_ELSE_ENTIRELY is not a variable of this gateway',
    ]);
  });

  it("leaves alone the cf CLI's variables, Cloud Foundry's and Kubernetes service links", () => {
    const config = parseConfig({
      ...CF,
      CF_HOME: '/home/me',
      CF_TRACE: 'true',
      CF_INSTANCE_GUID: 'x',
      REDIS_SERVICE_HOST: '10.0.0.4',
      REDIS_PORT: 'tcp://10.0.0.4:6379',
      REDIS_PORT_6379_TCP_ADDR: '10.0.0.4',
      HOSTNAME: 'pod-1',
    });
    expect(config.warnings).toEqual([]);
  });

  it('names a variable without a gateway prefix one edit from one of its names (LOG_LEVL), and no other', () => {
    const config = parseConfig({
      ...CF,
      LOG_LEVL: 'debug',
      NODE_EVN: 'development',
      // The environment's own, however near a short name or far from any: left alone.
      PATH: '/usr/bin',
      HOME: '/root',
      HOSTNAME: 'pod-1',
      LANG: 'C.UTF-8',
      TERM: 'xterm',
      NODE_OPTIONS: '--max-old-space-size=192',
    });
    expect(config.warnings).toEqual([
      'LOG_LEVL is not a variable of this gateway: did you mean LOG_LEVEL?',
      'NODE_EVN is not a variable of this gateway: did you mean NODE_ENV?',
    ]);
  });

  it('knows every declared variable, also those read only when another is set (tracing off here)', () => {
    const config = parseConfig({ ...CF, OTEL_SERVICE_NAM: 'imagegraph-eu1', OTEL_SERVICE_NAME: 'imagegraph-eu1' });
    expect(config.tracing).toBeNull();
    expect(config.warnings).toEqual([
      'OTEL_SERVICE_NAM is not a variable of this gateway: did you mean OTEL_SERVICE_NAME?',
    ]);
    expect(parseConfig({ ...CF, CYCLE_RETRIES: '0', UPSTREAM_BREAKER_IDLE_MS: '1000' }).warnings).toEqual([]);
  });

  it('measures edits with neighbours swapped as one', () => {
    expect(editDistance('ULR', 'URL')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(closestName('CF_TOKNE', ['CF_TOKEN', 'CF_API_URL'])).toBe('CF_TOKEN');
    expect(closestName('CF_X', ['CF_TOKEN', 'CF_API_URL'])).toBeUndefined();
  });
});

describe('Cloud Foundry credentials', () => {
  it('reads a UAA client, with or without CF_UAA_URL', () => {
    const base = { CF_API_URL: 'https://api.example.org', CF_CLIENT_ID: 'gw', CF_CLIENT_SECRET: 's3cret-value' };
    expect(parseConfig(base).serviceCredentials.cf).toEqual({ clientId: 'gw', clientSecret: 's3cret-value' });
    expect(parseConfig({ ...base, CF_UAA_URL: 'https://uaa.example.org/' }).serviceCredentials.cf).toEqual({
      clientId: 'gw',
      clientSecret: 's3cret-value',
      uaaUrl: 'https://uaa.example.org',
    });
  });

  it('refuses half a client, both ways at once, and CF_UAA_URL alone, never repeating the secret', () => {
    const url = { CF_API_URL: 'https://api.example.org' };
    expect(problemsOf({ ...url, CF_CLIENT_SECRET: 's3cret-value' })).toEqual([
      'CF_CLIENT_ID and CF_CLIENT_SECRET go together: set both or neither',
    ]);
    const both = problemsOf({ ...url, CF_TOKEN: 't', CF_CLIENT_ID: 'gw', CF_CLIENT_SECRET: 's3cret-value' });
    expect(both).toEqual(['CF_TOKEN and CF_CLIENT_ID are two ways to authenticate to Cloud Foundry: set one of them']);
    expect(problemsOf({ ...url, CF_UAA_URL: 'https://uaa.example.org' })).toEqual([
      'CF_UAA_URL is used only with CF_CLIENT_ID and CF_CLIENT_SECRET',
    ]);
    expect(JSON.stringify(both)).not.toContain('s3cret-value');
  });
});
