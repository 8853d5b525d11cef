/**
 * OpenTelemetry tracing configuration from the standard `OTEL_*` variables
 * (https://opentelemetry.io/docs/specs/otel/configuration/sdk-environment-variables/), read like every other
 * variable. Tracing is off unless an exporter is asked for: `OTEL_TRACES_EXPORTER=otlp|console`, or an OTLP
 * endpoint is set (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`). `OTEL_SDK_DISABLED=true` wins.
 * Header values (`OTEL_EXPORTER_OTLP_HEADERS`) are treated as secrets: no message repeats them.
 */
import type { SettingsReader } from './reader.js';
import { bool, setting, text, type Setting } from './setting.js';

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

export const OTEL_TRACES_EXPORTER = setting({
  name: 'OTEL_TRACES_EXPORTER',
  type: text(),
  defaultDoc: '— (tracing off)',
  example: '`otlp`, `console`, `otlp,console`, `none`',
  description: 'switches tracing on',
});
export const OTEL_EXPORTER_OTLP_ENDPOINT = setting({
  name: 'OTEL_EXPORTER_OTLP_ENDPOINT',
  type: text(),
  example: 'http://otel-collector:4318',
  description: 'OTLP/HTTP base (`/v1/traces` appended); setting it alone switches tracing on',
});
export const OTEL_EXPORTER_OTLP_TRACES_ENDPOINT = setting({
  name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT',
  type: text(),
  defaultDoc: `\`${DEFAULT_OTLP_TRACES_URL}\``,
  example: 'https://otlp.example.com/v1/traces',
  description: 'traces endpoint, used as given',
});
export const OTEL_EXPORTER_OTLP_PROTOCOL = setting({
  name: 'OTEL_EXPORTER_OTLP_PROTOCOL',
  type: text(),
  defaultDoc: '`http/protobuf`',
  example: 'http/json',
  description: 'grpc is not supported; the `_TRACES_` one wins',
});
export const OTEL_EXPORTER_OTLP_TRACES_PROTOCOL = setting({
  name: 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL',
  type: text(),
  defaultDoc: '`http/protobuf`',
  sameRowAs: OTEL_EXPORTER_OTLP_PROTOCOL,
});
export const OTEL_EXPORTER_OTLP_HEADERS = setting({
  name: 'OTEL_EXPORTER_OTLP_HEADERS',
  type: text(),
  secret: true,
  example: 'x-honeycomb-team=abc%3D',
  description: 'headers sent to the collector (percent-encoded values; never logged)',
});
export const OTEL_EXPORTER_OTLP_TRACES_HEADERS = setting({
  name: 'OTEL_EXPORTER_OTLP_TRACES_HEADERS',
  type: text(),
  secret: true,
  sameRowAs: OTEL_EXPORTER_OTLP_HEADERS,
});
export const OTEL_SERVICE_NAME = setting({
  name: 'OTEL_SERVICE_NAME',
  type: text(),
  defaultDoc: '`imagegraph`',
  example: 'imagegraph-eu1',
  description: '`service.name` of the spans',
});
export const OTEL_RESOURCE_ATTRIBUTES = setting({
  name: 'OTEL_RESOURCE_ATTRIBUTES',
  type: text(),
  example: 'deployment.environment=prod',
  description: 'further resource attributes',
});
export const OTEL_TRACES_SAMPLER = setting({
  name: 'OTEL_TRACES_SAMPLER',
  type: text(),
  defaultDoc: '`parentbased_always_on`',
  example: 'parentbased_traceidratio',
  description: 'also `always_on`, `always_off`, `traceidratio`, `parentbased_always_off`',
});
export const OTEL_TRACES_SAMPLER_ARG = setting({
  name: 'OTEL_TRACES_SAMPLER_ARG',
  type: text(),
  defaultDoc: '`1`',
  example: '0.1',
  sameRowAs: OTEL_TRACES_SAMPLER,
});
export const OTEL_SDK_DISABLED = setting({
  name: 'OTEL_SDK_DISABLED',
  type: bool(),
  default: false,
  example: 'true',
  description: 'tracing off whatever else is set',
});

export const tracingSettings = [
  OTEL_TRACES_EXPORTER,
  OTEL_EXPORTER_OTLP_ENDPOINT,
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT,
  OTEL_EXPORTER_OTLP_PROTOCOL,
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL,
  OTEL_EXPORTER_OTLP_HEADERS,
  OTEL_EXPORTER_OTLP_TRACES_HEADERS,
  OTEL_SERVICE_NAME,
  OTEL_RESOURCE_ATTRIBUTES,
  OTEL_TRACES_SAMPLER,
  OTEL_TRACES_SAMPLER_ARG,
  OTEL_SDK_DISABLED,
];

/** The tracing config, or null when tracing is off. */
export function readTracingConfig(reader: SettingsReader): TracingConfig | null {
  if (reader.get(OTEL_SDK_DISABLED)) return null;
  const exporters = readExporters(reader);
  if (exporters.length === 0) return null;

  const resourceAttributes = readKeyValues(reader, OTEL_RESOURCE_ATTRIBUTES);
  const protocol =
    reader.get(OTEL_EXPORTER_OTLP_TRACES_PROTOCOL) ?? reader.get(OTEL_EXPORTER_OTLP_PROTOCOL) ?? 'http/protobuf';
  if (!(PROTOCOLS as readonly string[]).includes(protocol)) {
    reader.problem(
      `OTEL_EXPORTER_OTLP_PROTOCOL must be one of ${PROTOCOLS.join(', ')} (grpc is not supported), got "${protocol}"`,
    );
  }
  const sampler = reader.get(OTEL_TRACES_SAMPLER) ?? 'parentbased_always_on';
  if (!(SAMPLERS as readonly string[]).includes(sampler))
    reader.problem(`OTEL_TRACES_SAMPLER must be one of ${SAMPLERS.join(', ')}, got "${sampler}"`);
  const ratioRaw = reader.get(OTEL_TRACES_SAMPLER_ARG);
  const samplerRatio = ratioRaw === undefined ? 1 : Number(ratioRaw);
  if (!(samplerRatio >= 0 && samplerRatio <= 1))
    reader.problem(`OTEL_TRACES_SAMPLER_ARG must be a number from 0 to 1, got "${ratioRaw}"`);

  return {
    serviceName: reader.get(OTEL_SERVICE_NAME) ?? resourceAttributes['service.name'] ?? 'imagegraph',
    resourceAttributes,
    exporters,
    otlp: {
      url: readTracesUrl(reader),
      protocol: protocol as OtlpProtocol,
      headers: {
        ...readKeyValues(reader, OTEL_EXPORTER_OTLP_HEADERS),
        ...readKeyValues(reader, OTEL_EXPORTER_OTLP_TRACES_HEADERS),
      },
    },
    sampler: sampler as SamplerName,
    samplerRatio: Number.isFinite(samplerRatio) ? samplerRatio : 1,
  };
}

function readExporters(reader: SettingsReader): TraceExporterName[] {
  const raw = reader.get(OTEL_TRACES_EXPORTER);
  if (raw === undefined) {
    const endpointSet =
      reader.get(OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) !== undefined ||
      reader.get(OTEL_EXPORTER_OTLP_ENDPOINT) !== undefined;
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
function readTracesUrl(reader: SettingsReader): string {
  const specific = reader.get(OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
  const general = reader.get(OTEL_EXPORTER_OTLP_ENDPOINT);
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
function readKeyValues(reader: SettingsReader, declaration: Setting<string>): Record<string, string> {
  const { name, secret } = declaration;
  const result: Record<string, string> = {};
  for (const item of (reader.get(declaration) ?? '').split(',')) {
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
