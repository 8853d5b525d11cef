/**
 * OpenTelemetry tracing configuration from the standard `OTEL_*` variables
 * (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/), read by config.ts like every
 * other variable. Tracing is off unless an exporter is asked for: `OTEL_TRACES_EXPORTER=otlp|console`, or an OTLP
 * endpoint is set (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`). `OTEL_SDK_DISABLED=true` wins.
 * Header values (`OTEL_EXPORTER_OTLP_HEADERS`) are treated as secrets: no message repeats them.
 */
export type TraceExporterName = 'otlp' | 'console';
export type OtlpProtocol = 'http/protobuf' | 'http/json';
export type SamplerName =
  | 'always_on'
  | 'always_off'
  | 'traceidratio'
  | 'parentbased_always_on'
  | 'parentbased_always_off'
  | 'parentbased_traceidratio';

export interface TracingConfig {
  serviceName: string;
  /** `OTEL_RESOURCE_ATTRIBUTES`, decoded. */
  resourceAttributes: Record<string, string>;
  exporters: TraceExporterName[];
  otlp: {
    /** The traces endpoint itself (`…/v1/traces`). */
    url: string;
    protocol: OtlpProtocol;
    headers: Record<string, string>;
  };
  sampler: SamplerName;
  /** Ratio of the `traceidratio` samplers, 0 to 1. */
  samplerRatio: number;
}

/** What tracing config needs of config.ts's reader. */
export interface TracingEnvReader {
  string(name: string): string | undefined;
  bool(name: string, fallback: boolean): boolean;
  problem(message: string): void;
}

const SAMPLERS: readonly SamplerName[] = [
  'always_on',
  'always_off',
  'traceidratio',
  'parentbased_always_on',
  'parentbased_always_off',
  'parentbased_traceidratio',
];
const PROTOCOLS: readonly OtlpProtocol[] = ['http/protobuf', 'http/json'];
const DEFAULT_OTLP_TRACES_URL = 'http://localhost:4318/v1/traces';

/** The tracing config, or null when tracing is off. */
export function readTracingConfig(reader: TracingEnvReader): TracingConfig | null {
  if (reader.bool('OTEL_SDK_DISABLED', false)) return null;
  const exporters = readExporters(reader);
  if (exporters.length === 0) return null;

  const resourceAttributes = readKeyValues(reader, 'OTEL_RESOURCE_ATTRIBUTES', false);
  const protocol =
    reader.string('OTEL_EXPORTER_OTLP_TRACES_PROTOCOL') ??
    reader.string('OTEL_EXPORTER_OTLP_PROTOCOL') ??
    'http/protobuf';
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    reader.problem(
      `OTEL_EXPORTER_OTLP_PROTOCOL must be one of ${PROTOCOLS.join(', ')} (grpc is not supported), got "${protocol}"`,
    );
  }
  const sampler = reader.string('OTEL_TRACES_SAMPLER') ?? 'parentbased_always_on';
  if (!(SAMPLERS as readonly string[]).includes(sampler))
    reader.problem(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}, got "${sampler}"`);
  const ratioRaw = reader.string('OTEL_TRACES_SAMPLER_ARG');
  const samplerRatio = ratioRaw === undefined ? 1 : Number(ratioRaw);
  if (!(samplerRatio >= 0 && samplerRatio <= 1))
    reader.problem(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, got "${ratioRaw}"`);

  return {
    serviceName: reader.string('OTEL_SERVICE_NAME') ?? resourceAttributes['service.name'] ?? 'imagegraph',
    resourceAttributes,
    exporters,
    otlp: {
      url: readTracesUrl(reader),
      protocol: protocol as OtlpProtocol,
      headers: {
        ...readKeyValues(reader, 'OTEL_EXPORTER_OTLP_HEADERS', true),
        ...readKeyValues(reader, 'OTEL_EXPORTER_OTLP_TRACES_HEADERS', true),
      },
    },
    sampler: sampler as SamplerName,
    samplerRatio: Number.isFinite(samplerRatio) ? samplerRatio : 1,
  };
}

function readExporters(reader: TracingEnvReader): TraceExporterName[] {
  const raw = reader.string('OTEL_TRACES_EXPORTER');
  if (raw === undefined) {
    const endpointSet =
      reader.string('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT') !== undefined ||
      reader.string('OTEL_EXPORTER_OTLP_ENDPOINT') !== undefined;
    return endpointSet ? ['otlp'] : [];
  }
  const names = raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  if (names.includes('none')) return [];
  const exporters: TraceExporterName[] = [];
  for (const name of names) {
    if (name === 'otlp' || name === 'console') exporters.push(name);
    else reader.problem(`OTEL_TRACES_EXPORTER must list otlp, console or none, got "${name}"`);
  }
  return exporters;
}

/** The signal-specific endpoint is used as given; the general one gets `/v1/traces` appended (per the spec). */
function readTracesUrl(reader: TracingEnvReader): string {
  const specific = reader.string('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const general = reader.string('OTEL_EXPORTER_OTLP_ENDPOINT');
  const [name, url] =
    specific !== undefined
      ? ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', specific]
      : general !== undefined
        ? ['OTEL_EXPORTER_OTLP_ENDPOINT', `${general.replace(/\/+$/, '')}/v1/traces`]
        : [null, DEFAULT_OTLP_TRACES_URL];
  if (name !== null && !/^https?:\/\/[^/]/.test(url)) reader.problem(`${name} must be an http(s) URL`);
  return url;
}

/** `key1=value1,key2=value2` with percent-encoded values (W3C Baggage octets), as the spec defines these lists. */
function readKeyValues(reader: TracingEnvReader, name: string, secret: boolean): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of (reader.string(name) ?? '').split(',')) {
    if (item.trim() === '') continue;
    const eq = item.indexOf('=');
    const key = eq > 0 ? item.slice(0, eq).trim() : '';
    let value: string | undefined;
    try {
      value = eq > 0 ? decodeURIComponent(item.slice(eq + 1).trim()) : undefined;
    } catch {
      value = undefined;
    }
    if (key === '' || value === undefined) {
      reader.problem(`${name} must be a list of key=value pairs${secret ? '' : `, got "${item.trim()}"`}`);
      continue;
    }
    result[key] = value;
  }
  return result;
}
