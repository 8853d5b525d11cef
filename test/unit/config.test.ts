import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

describe('parseConfig', () => {
  it('is sandbox mode with loopback defaults when no upstream URL is set', () => {
    const config = parseConfig({});
    expect(config).toMatchObject({
      mode: 'sandbox',
      host: '127.0.0.1',
      port: 4000,
      upstreamTrace: true,
      introspection: true,
      development: false,
    });
  });

  it('reads upstreams, credentials and per-upstream timeouts', () => {
    const config = parseConfig({
      CYCLE_API_URL: 'https://api.cycle.io/',
      CYCLE_API_KEY: 'k',
      CYCLE_HUB_ID: '651586fca6078e98982dbd90',
      CF_API_URL: 'https://api.example.org',
      UPSTREAM_FIRST_BYTE_TIMEOUT_MS: '2000',
      CF_FIRST_BYTE_TIMEOUT_MS: '5000',
      NODE_ENV: 'production',
    });
    expect(config.mode).toBe('upstreams');
    expect(config.upstreams.cycle).toMatchObject({ url: 'https://api.cycle.io', timeouts: { firstByteMs: 2000 } });
    expect(config.upstreams.cf!.timeouts.firstByteMs).toBe(5000);
    expect(config.upstreams.dockercloud).toBeUndefined();
    expect(config.serviceCredentials.cycle).toEqual({ apiKey: 'k', hubId: '651586fca6078e98982dbd90' });
    expect(config).toMatchObject({ upstreamTrace: false, introspection: false });
  });

  it('reports every problem at once, without echoing secrets', () => {
    let error: ConfigError | undefined;
    try {
      parseConfig({
        PORT: 'eighty',
        CYCLE_API_URL: 'ftp://x',
        CYCLE_API_KEY: 'super-secret-key',
        DOCKER_CLOUD_USERNAME: 'u',
        UPSTREAM_TRACE: 'maybe',
      });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toHaveLength(5);
    expect(error!.message).toMatch(/PORT/);
    expect(error!.message).toMatch(/CYCLE_HUB_ID/);
    expect(error!.message).not.toContain('super-secret-key');
  });

  it('reads WORKERS: one process by default, a number, or one per available CPU', () => {
    expect(parseConfig({}).workers).toBe(1);
    expect(parseConfig({ WORKERS: '3' }).workers).toBe(3);
    expect(parseConfig({ WORKERS: 'auto' }).workers).toBe(Math.min(availableParallelism(), 64));
    for (const bad of ['0', '65', '1.5', 'many'])
      expect(() => parseConfig({ WORKERS: bad })).toThrow(/WORKERS must be "auto" or an integer from 1 to 64/);
  });

  it("reads CYCLE_FACTORY_URL, defaulting to the contract's factory host", () => {
    expect(parseConfig({}).cycleFactoryUrl).toBe('https://factory.cycle.io:9414');
    expect(parseConfig({ CYCLE_FACTORY_URL: 'https://factory.eu.example.net:9414/' }).cycleFactoryUrl).toBe(
      'https://factory.eu.example.net:9414',
    );
    expect(() => parseConfig({ CYCLE_FACTORY_URL: 'ftp://factory' })).toThrow(
      /CYCLE_FACTORY_URL must be an http\(s\) URL/,
    );
  });

  it('refuses credentials embedded in an upstream URL', () => {
    expect(() => parseConfig({ CF_API_URL: 'https://user:pw@api.example.org' })).toThrow(/must not carry credentials/);
  });
});
