import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config.js';

function problems(env: Record<string, string>): ConfigError {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('operations settings', () => {
  it('defaults: no Redis, persisted queries in memory, metrics on the main port, 10 s grace, no tracing', () => {
    expect(parseConfig({})).toMatchObject({
      redis: null,
      persistedQueries: { enabled: true, ttlSeconds: 86_400 },
      metricsListener: null,
      shutdownGraceMs: 10_000,
      tracing: null,
    });
  });

  it('reads Redis, the metrics port and the grace period; never repeats a Redis password', () => {
    const config = parseConfig({
      REDIS_URL: 'redis://:pw@10.0.0.5:6379/2',
      REDIS_KEY_PREFIX: 'ig-prod:',
      METRICS_PORT: '9464',
      HOST: '0.0.0.0',
      SANDBOX: 'true',
      SHUTDOWN_GRACE_MS: '25000',
    });
    expect(config.redis).toEqual({ url: 'redis://:pw@10.0.0.5:6379/2', keyPrefix: 'ig-prod:' });
    expect(config.metricsListener).toEqual({ host: '0.0.0.0', port: 9464 });
    expect(config.shutdownGraceMs).toBe(25_000);
    const error = problems({ REDIS_URL: 'http://:hunter2-password@redis:6379' });
    expect(error.message).toMatch(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(error.message).not.toContain('hunter2-password');
  });

  it('switches tracing on with the standard OTEL_* variables only', () => {
    expect(parseConfig({ OTEL_SERVICE_NAME: 'x' }).tracing).toBeNull();
    expect(
      parseConfig({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }).tracing,
    ).toBeNull();
    expect(parseConfig({ OTEL_SDK_DISABLED: 'true', OTEL_TRACES_EXPORTER: 'otlp' }).tracing).toBeNull();

    const tracing = parseConfig({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
      OTEL_EXPORTER_OTLP_HEADERS: 'x-api-key=abc%3D%3D,tenant=blue',
      OTEL_RESOURCE_ATTRIBUTES: 'deployment.environment=prod,service.name=from-resource',
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.25',
    }).tracing;
    expect(tracing).toEqual({
      serviceName: 'from-resource',
      resourceAttributes: { 'deployment.environment': 'prod', 'service.name': 'from-resource' },
      exporters: ['otlp'],
      otlp: {
        url: 'http://collector:4318/v1/traces',
        protocol: 'http/protobuf',
        headers: { 'x-api-key': 'abc==', tenant: 'blue' },
      },
      sampler: 'parentbased_traceidratio',
      samplerRatio: 0.25,
    });
    expect(
      parseConfig({
        OTEL_TRACES_EXPORTER: 'otlp,console',
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://c.example/traces',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_SERVICE_NAME: 'gw',
      }).tracing,
    ).toMatchObject({
      serviceName: 'gw',
      exporters: ['otlp', 'console'],
      otlp: { url: 'https://c.example/traces', protocol: 'http/json' },
    });
    expect(parseConfig({ OTEL_TRACES_EXPORTER: 'otlp' }).tracing).toMatchObject({
      serviceName: 'imagegraph',
      otlp: { url: 'http://localhost:4318/v1/traces' },
      sampler: 'parentbased_always_on',
    });
  });

  it('refuses what it cannot honour, without repeating exporter header values', () => {
    const error = problems({
      OTEL_TRACES_EXPORTER: 'otlp,zipkin',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      OTEL_TRACES_SAMPLER: 'sometimes',
      OTEL_TRACES_SAMPLER_ARG: '2',
      OTEL_EXPORTER_OTLP_HEADERS: 'authorization-without-equals-secret-value',
    });
    expect(error.problems).toHaveLength(5);
    expect(error.message).toMatch(/grpc is not supported/);
    expect(error.message).not.toContain('secret-value');
  });
});
