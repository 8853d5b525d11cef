/**
 * Validates HTTP responses against an upstream's own OpenAPI 3.1 document with Ajv (JSON Schema 2020-12).
 * The whole document is registered as one schema so `#/components/...` references resolve as the spec wrote them.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

export interface ResponseToCheck {
  method: string;
  /** The concrete request path, e.g. `/v1/images/65f1…`, with its query string where the template has one. */
  path: string;
  status: number;
  body: unknown;
}

export interface ContractResult {
  valid: boolean;
  /** `GET /v1/images/{imageId} 200` — which operation and response the body was checked against. */
  checkedAgainst: string;
  errors: string[];
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { responses?: Record<string, ResponseObject> }>>;
  'x-unwired-paths'?: Record<string, unknown>;
}

export class OpenApiContract {
  readonly #doc: OpenApiDocument;
  readonly #ajv: Ajv2020;
  readonly #docId: string;
  readonly #templates: { template: string; pattern: RegExp; source: 'paths' | 'x-unwired-paths' }[];
  readonly #compiled = new Map<string, ValidateFunction>();

  /** `slashParams`: path parameters whose values may hold `/` (Docker Cloud's `{name}`, `namespace/repo`). */
  constructor(specFile: string, options: { slashParams?: string[] } = {}) {
    this.#doc = parse(readFileSync(specFile, 'utf8')) as OpenApiDocument;
    const slashParams = new Set(options.slashParams ?? []);
    this.#docId = `spec:${specFile}`;
    this.#ajv = new Ajv2020({
      strict: false,
      allErrors: true,
      validateSchema: false,
      validateFormats: true,
      unicodeRegExp: false,
    });
    addFormats.default(this.#ajv);
    this.#ajv.addFormat('objectid', /^[0-9a-f]{24}$/);
    this.#ajv.addFormat('hybrid-identifier', true);
    this.#ajv.addSchema({ ...(this.#doc as object), $id: this.#docId } as never);
    this.#templates = [
      ...Object.keys(this.#doc.paths).map((template) => ({
        template,
        pattern: templatePattern(template, slashParams),
        source: 'paths' as const,
      })),
      ...Object.keys(this.#doc['x-unwired-paths'] ?? {}).map((template) => ({
        template,
        pattern: templatePattern(template, slashParams),
        source: 'x-unwired-paths' as const,
      })),
    ].sort((a, b) => staticLength(b.template) - staticLength(a.template));
  }

  /**
   * Adds to the schema at `pointer` (a JSON pointer into the document): a correction of the spec that a test names
   * and justifies (e.g. `required` properties the spec forgot).
   */
  amend(pointer: string, patch: Record<string, unknown>): void {
    const target = pointer
      .replace(/^\//, '')
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
      .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], this.#doc);
    if (!target || typeof target !== 'object') throw new Error(`no schema at ${pointer}`);
    Object.assign(target, patch);
    this.#compiled.clear();
  }

  /** Follows a response-level `$ref` (e.g. `#/components/responses/DefaultError`) to the response it names. */
  #resolveResponse(pointer: string[], response: ResponseObject): { response: ResponseObject; pointer: string[] } {
    if (!response.$ref) return { response, pointer };
    const parts = response.$ref
      .replace(/^#\//, '')
      .split('/')
      .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
    const target = parts.reduce<unknown>(
      (node, part) => (node as Record<string, unknown> | undefined)?.[part],
      this.#doc,
    ) as ResponseObject;
    return this.#resolveResponse(['', ...parts], target);
  }

  /** The spec's path template for a concrete path (pass the query string too for templates that carry one), e.g. `/v1/images/{imageId}`. */
  templateFor(path: string): string | undefined {
    return this.#templates.find((t) => t.pattern.test(path))?.template;
  }

  /**
   * The schema of an operation's first documented 2xx JSON response (for generating answers), with the document's
   * `components` alongside so that its `#/components/...` references resolve; null when that response has no body.
   */
  successResponse(
    method: string,
    path: string,
  ): { status: number; schema: Record<string, unknown> | null; location: boolean } | undefined {
    const found = this.#templates.find((t) => t.pattern.test(path));
    if (!found) return undefined;
    const paths =
      found.source === 'paths' ? this.#doc.paths : (this.#doc['x-unwired-paths'] as OpenApiDocument['paths']);
    const responses = paths[found.template]?.[method.toLowerCase()]?.responses;
    const key = Object.keys(responses ?? {})
      .filter((k) => /^2\d\d$/.test(k))
      .sort()[0];
    if (!responses || key === undefined) return undefined;
    const { response } = this.#resolveResponse([], responses[key] as ResponseObject);
    const schema = response.content?.['application/json']?.schema as Record<string, unknown> | undefined;
    return {
      status: Number(key),
      location: Object.keys(response.headers ?? {}).some((h) => h.toLowerCase() === 'location'),
      schema: schema ? { ...schema, components: (this.#doc as { components?: unknown }).components } : null,
    };
  }

  validate(response: ResponseToCheck): ContractResult {
    const found = this.#templates.find((t) => t.pattern.test(response.path));
    const method = response.method.toLowerCase();
    if (!found)
      return {
        valid: false,
        checkedAgainst: `${response.method} ${response.path}`,
        errors: ['no path in the spec matches'],
      };
    const operation = (
      found.source === 'paths' ? this.#doc.paths : (this.#doc['x-unwired-paths'] as OpenApiDocument['paths'])
    )[found.template]?.[method];
    const label = `${response.method.toUpperCase()} ${found.template}`;
    if (!operation?.responses)
      return { valid: false, checkedAgainst: label, errors: ['the spec has no such operation'] };
    const key = responseKey(operation.responses, response.status);
    if (key === undefined)
      return {
        valid: false,
        checkedAgainst: `${label} ${response.status}`,
        errors: [`the spec documents no ${response.status} response`],
      };
    const { response: described, pointer: responsePointer } = this.#resolveResponse(
      ['', found.source, found.template, method, 'responses', key],
      operation.responses[key] as ResponseObject,
    );
    const media = described.content?.['application/json'];
    if (!media?.schema) {
      const ok = response.body === undefined || response.body === null || response.body === '';
      return {
        valid: ok,
        checkedAgainst: `${label} ${key}`,
        errors: ok ? [] : ['the spec documents no JSON body for this response'],
      };
    }
    const pointer = [...responsePointer, 'content', 'application/json', 'schema'].map(escapePointerPart).join('/');
    const ref = `${this.#docId}#${encodeURI(pointer)}`;
    let validate = this.#compiled.get(ref);
    if (!validate) {
      validate = this.#ajv.compile({ $ref: ref });
      this.#compiled.set(ref, validate);
    }
    const valid = validate(response.body) as boolean;
    return { valid, checkedAgainst: `${label} ${key}`, errors: valid ? [] : formatErrors(validate.errors ?? []) };
  }
}

type ResponseObject = {
  $ref?: string;
  content?: Record<string, { schema?: unknown }>;
  headers?: Record<string, unknown>;
};

function escapePointerPart(part: string): string {
  return part.replace(/~/g, '~0').replace(/\//g, '~1');
}

/**
 * A template with a query part (CF's copy, `/v3/packages?source_guid={source_guid}`) matches only a path that
 * carries that query; a plain template matches the path with or without a query string.
 */
function templatePattern(template: string, slashParams: ReadonlySet<string> = new Set()): RegExp {
  const [pathPart, queryPart] = template.split('?');
  const toRegex = (text: string, param: string) =>
    text
      .replace(/[.*+^$()|[\]\\?]/g, '\\$&')
      .replace(/\{([^}]+)\}/g, (_, name: string) => (slashParams.has(name) ? '[^?]+' : param));
  const path = toRegex(pathPart!, '[^/?]+');
  return queryPart
    ? new RegExp(`^${path}\\?${toRegex(queryPart, '[^&]+')}(?:&.*)?$`)
    : new RegExp(`^${path}(?:\\?.*)?$`);
}

function staticLength(template: string): number {
  return template.replace(/\{[^}]+\}/g, '').length;
}

function responseKey(responses: Record<string, unknown>, status: number): string | undefined {
  if (String(status) in responses) return String(status);
  const range = `${String(status)[0]}XX`;
  if (range in responses) return range;
  return 'default' in responses ? 'default' : undefined;
}

function formatErrors(errors: ErrorObject[]): string[] {
  return errors.slice(0, 20).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}
