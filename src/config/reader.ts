import type { Setting, SettingWithDefault } from './setting.js';

export type Env = Readonly<Record<string, string | undefined>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads declared settings from the environment and collects every problem; messages never repeat a secret's value. */
export class SettingsReader {
  readonly #problems: string[] = [];
  /** `declared`: the names of the settings this reader may be asked for (the typo check's known names). */
  constructor(
    readonly env: Env,
    readonly declared: ReadonlySet<string>,
  ) {}

  hasProblems(): boolean {
    return this.#problems.length > 0;
  }

  problem(message: string): void {
    this.#problems.push(message);
  }

  throwIfProblems(): void {
    if (this.#problems.length > 0) throw new ConfigError(this.#problems);
  }

  /** Whether the variable is set (to something other than blanks). */
  isSet(setting: Setting<unknown>): boolean {
    return this.#raw(setting) !== undefined;
  }

  /**
   * The setting's value: `fallback` (else its declared default) when unset or invalid, an invalid value adding a
   * problem.
   */
  get<T>(setting: SettingWithDefault<T>, fallback?: T): T;
  get<T>(setting: Setting<T>, fallback: T): T;
  get<T>(setting: Setting<T>, fallback?: T): T | undefined;
  get<T>(setting: Setting<T>, fallback?: T): T | undefined {
    const otherwise = fallback ?? setting.default;
    const raw = this.#raw(setting);
    if (raw === undefined) return otherwise;
    const parsed = setting.type.parse(raw, setting.name, setting.secret === true);
    if ('problem' in parsed) {
      this.problem(parsed.problem);
      return otherwise;
    }
    return parsed.value;
  }

  #raw(setting: Setting<unknown>): string | undefined {
    // A setting read but missing from its topic's list would be reported as unknown when set: a bug, not input.
    if (!this.declared.has(setting.name)) throw new Error(`${setting.name} is read but not listed in src/config/`);
    const value = this.env[setting.name];
    return value === undefined || value.trim() === '' ? undefined : value.trim();
  }
}
