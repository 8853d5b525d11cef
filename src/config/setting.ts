/**
 * A setting is declared once: its environment variable, type (with bounds), default, whether it is a secret, and the
 * README's wording. The reader (reader.ts) parses from the declaration, the typo check knows every declared name, and
 * the README's reference tables are generated from the declarations (docs.ts, `npm run docs:config`).
 */

/** Parses a trimmed, non-empty value; a problem message never repeats the value of a secret. */
export interface SettingType<T> {
  parse(raw: string, name: string, secret: boolean): { value: T } | { problem: string };
  /** A value as the README's default column shows it. */
  show(value: T): string;
  /** What it accepts, as the README's "accepts" column shows it (markdown; empty: any text). */
  readonly accepts: string;
}

interface SettingDocs {
  /** The README's default column when the default is not one fixed value (markdown). */
  readonly defaultDoc?: string;
  /** An example value; written as is when it holds markdown (a backtick), else in backticks. */
  readonly example?: string;
}

/** A setting with its own row in the README's table. */
interface OwnRow {
  readonly description: string;
}

/** A setting documented in the row of another one, the first of its group (`CYCLE_API_KEY`, `CYCLE_HUB_ID`). */
interface SharedRow {
  readonly sameRowAs: AnySetting;
}

export type Setting<T> = SettingDocs &
  (OwnRow | SharedRow) & {
    readonly name: string;
    readonly type: SettingType<T>;
    readonly default?: T;
    /** A secret: kept out of every message and log line, and collected by `configSecrets`. */
    readonly secret?: boolean;
  };

export type SettingWithDefault<T> = Setting<T> & { readonly default: T };

/** A setting of any value type (SettingType's methods are bivariant in it). */
export type AnySetting = Setting<unknown>;

export function setting<T>(declaration: SettingWithDefault<T>): SettingWithDefault<T>;
export function setting<T>(declaration: Setting<T>): Setting<T>;
export function setting<T>(declaration: Setting<T>): Setting<T> {
  return declaration;
}

const got = (raw: string, secret: boolean) => (secret ? '' : `, got "${raw}"`);

export function int({ min, max }: { min: number; max: number }): SettingType<number> & { min: number; max: number } {
  return {
    min,
    max,
    parse(raw, name, secret) {
      const value = Number(raw);
      if (!Number.isInteger(value) || value < min || value > max)
        return { problem: `${name} must be an integer from ${min} to ${max}${got(raw, secret)}` };
      return { value };
    },
    show: (value) => `\`${value}\``,
    accepts: `${min}–${max}`,
  };
}

export function bool(): SettingType<boolean> {
  return {
    parse(raw, name, secret) {
      const lower = raw.toLowerCase();
      if (['true', '1', 'yes', 'on'].includes(lower)) return { value: true };
      if (['false', '0', 'no', 'off'].includes(lower)) return { value: false };
      return { problem: `${name} must be true or false${got(lower, secret)}` };
    },
    show: (value) => `\`${value}\``,
    accepts: '`true`, `false`',
  };
}

/** Any text; the reading code checks its shape when it has one. */
export function text(): SettingType<string> {
  return { parse: (raw) => ({ value: raw }), show: (value) => `\`${value}\``, accepts: '' };
}

/** A comma-separated list; empty entries dropped. */
export function list(): SettingType<string[]> {
  return {
    parse: (raw) => ({
      value: raw
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    }),
    show: (value) => (value.length === 0 ? '—' : value.map((item) => `\`${item}\``).join(', ')),
    accepts: 'comma-separated',
  };
}

export function oneOf<T extends string>(allowed: readonly T[]): SettingType<T> {
  return {
    parse(raw, name, secret) {
      if ((allowed as readonly string[]).includes(raw)) return { value: raw as T };
      return { problem: `${name} must be one of ${allowed.join(', ')}${got(raw, secret)}` };
    },
    show: (value) => `\`${value}\``,
    accepts: allowed.map((value) => `\`${value}\``).join(', '),
  };
}

/** An http(s) URL without credentials in it, trailing slashes dropped. */
export function url(): SettingType<string> {
  return {
    parse(raw, name, secret) {
      let parsed: URL;
      try {
        parsed = new URL(raw);
      } catch {
        return { problem: `${name} must be an http(s) URL${got(raw, secret)}` };
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
        return { problem: `${name} must be an http(s) URL${got(raw, secret)}` };
      if (parsed.username || parsed.password)
        return { problem: `${name} must not carry credentials in the URL; use the credential variables` };
      return { value: parsed.toString().replace(/\/+$/, '') };
    },
    show: (value) => `\`${value}\``,
    accepts: 'http(s) URL',
  };
}
