/**
 * The secrets one request carries (its credential headers and secret-named inputs), so that anything leaving the
 * gateway about that request (error messages, log lines) can be scrubbed of them. Responses never contain secrets by
 * construction (domain types hold none); this catches an upstream that echoes input back in an error detail.
 */
import { Kind, visit, type DocumentNode } from 'graphql';

/** Input and header names whose values are secrets. */
export const SECRET_NAME =
  /passw(or)?d|passphrase|token|secret|private_?key|api_?key|credential|authori[sz]ation|cookie/i;

/** Shorter values are not scrubbed: replacing every "a" in a message would say nothing and hide everything. */
const MIN_SECRET_LENGTH = 4;

export const REDACTED = '[REDACTED]';

export class SecretSet {
  readonly #values = new Set<string>();

  add(value: string | undefined | null): void {
    if (typeof value === 'string' && value.length >= MIN_SECRET_LENGTH) this.#values.add(value);
  }

  addAll(values: Iterable<string>): void {
    for (const value of values) this.add(value);
  }

  get size(): number {
    return this.#values.size;
  }

  /** `text` with every known secret replaced; longest first, so a secret containing another is removed whole. */
  scrub(text: string): string {
    if (this.#values.size === 0) return text;
    let result = text;
    for (const secret of [...this.#values].sort((a, b) => b.length - a.length)) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    return result;
  }

  /**
   * A request path (percent-encoded, holding client-given ids) with secrets removed: matched as sent, or, when a
   * secret shows only decoded, the decoded path scrubbed.
   */
  scrubPath(path: string): string {
    const scrubbed = this.scrub(path);
    if (scrubbed !== path || this.#values.size === 0) return scrubbed;
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return path;
    }
    const scrubbedDecoded = this.scrub(decoded);
    return scrubbedDecoded === decoded ? path : scrubbedDecoded;
  }
}

/**
 * Values of credential-bearing headers, and their parts: the token after the scheme, and for Basic the decoded
 * `user:key` and the key alone.
 */
export function secretsInHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): string[] {
  const found: string[] = [];
  for (const [name, raw] of Object.entries(headers)) {
    if (!SECRET_NAME.test(name) || raw === undefined) continue;
    for (const value of Array.isArray(raw) ? raw : [raw]) found.push(...credentialParts(value));
  }
  return found;
}

export function credentialParts(value: string): string[] {
  const parts = [value];
  const match = /^(\w+)\s+(.+)$/.exec(value.trim());
  if (match) {
    parts.push(match[2]!);
    if (match[1]!.toLowerCase() === 'basic') {
      const decoded = Buffer.from(match[2]!, 'base64').toString('utf8');
      parts.push(decoded, decoded.slice(decoded.indexOf(':') + 1));
    }
  }
  return parts;
}

/** String values under secret-named keys, anywhere in the variables. */
export function secretsInVariables(value: unknown, underSecretName = false): string[] {
  if (typeof value === 'string') return underSecretName ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((item) => secretsInVariables(item, underSecretName));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) =>
      secretsInVariables(item, underSecretName || SECRET_NAME.test(key)),
    );
  }
  return [];
}

/** Per parsed document: Apollo's document cache hands every request of the same query string the same node. */
const secretsOfDocument = new WeakMap<DocumentNode, readonly string[]>();

/** String literals given to secret-named arguments or input fields in the document itself. */
export function secretsInDocument(document: DocumentNode): readonly string[] {
  let found = secretsOfDocument.get(document);
  if (found === undefined) {
    const collected: string[] = [];
    visit(document, {
      [Kind.ARGUMENT]: (node) => collectLiteral(node.name.value, node.value, collected),
      [Kind.OBJECT_FIELD]: (node) => collectLiteral(node.name.value, node.value, collected),
    });
    found = Object.freeze(collected);
    secretsOfDocument.set(document, found);
  }
  return found;
}

function collectLiteral(name: string, value: { kind: string; value?: unknown }, found: string[]): void {
  if (SECRET_NAME.test(name) && value.kind === Kind.STRING && typeof value.value === 'string') found.push(value.value);
}
