/**
 * The OpenTelemetry SDK, built from a TracingConfig (main.ts is the only caller): a tracer provider with the
 * configured sampler, resource and exporters. It is not registered globally: the gateway gets its Tracer passed in
 * (createServer's `tracer` option), so tests can run gateways with their own providers side by side.
 * Settings this module does not pass (span limits, `OTEL_BSP_*` batching) keep the SDK's own defaults and variables.
 */
import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter as OtlpJsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as OtlpProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  AlwaysOffSampler,
  AlwaysOnSampler,
  BasicTracerProvider,
  BatchSpanProcessor,
  ConsoleSpanExporter,
  ParentBasedSampler,
  TraceIdRatioBasedSampler,
  type Sampler,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import type { SamplerName, TracingConfig } from '../config/tracing.js';

export interface Tracing {
  readonly tracer: Tracer;
  /** Exports what is buffered and stops the exporters; call once, at shutdown. */
  shutdown(): Promise<void>;
}

export function startTracing(config: TracingConfig): Tracing {
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ ...config.resourceAttributes, [ATTR_SERVICE_NAME]: config.serviceName }),
    sampler: createSampler(config.sampler, config.samplerRatio),
    spanProcessors: config.exporters.map((name) => new BatchSpanProcessor(createExporter(name, config))),
  });
  return { tracer: provider.getTracer('imagegraph'), shutdown: () => provider.shutdown() };
}

function createExporter(name: TracingConfig['exporters'][number], config: TracingConfig): SpanExporter {
  if (name === 'console') return new ConsoleSpanExporter();
  const options = { url: config.otlp.url, headers: config.otlp.headers };
  return config.otlp.protocol === 'http/json' ? new OtlpJsonExporter(options) : new OtlpProtobufExporter(options);
}

function createSampler(name: SamplerName, ratio: number): Sampler {
  switch (name) {
    case 'always_on':
      return new AlwaysOnSampler();
    case 'always_off':
      return new AlwaysOffSampler();
    case 'traceidratio':
      return new TraceIdRatioBasedSampler(ratio);
    case 'parentbased_always_on':
      return new ParentBasedSampler({ root: new AlwaysOnSampler() });
    case 'parentbased_always_off':
      return new ParentBasedSampler({ root: new AlwaysOffSampler() });
    case 'parentbased_traceidratio':
      return new ParentBasedSampler({ root: new TraceIdRatioBasedSampler(ratio) });
  }
}
