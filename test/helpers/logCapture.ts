/**
 * Captures what the gateway logs: every console method (there is no structured logger yet; Apollo's default logger
 * is the console too) and the `onUnexpected` hook. Tests sweep the captured text for secrets.
 */
import { inspect } from 'node:util';
import { vi } from 'vitest';

const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

export interface LogCapture {
  /** Pass as `startTestGateway({ onUnexpected })`. */
  onUnexpected(error: unknown): void;
  /** Everything captured so far, one entry per call. */
  lines(): string[];
  restore(): void;
}

export function captureLogs(): LogCapture {
  const lines: string[] = [];
  const record = (args: unknown[]) =>
    lines.push(args.map((a) => (typeof a === 'string' ? a : inspect(a, { depth: 8 }))).join(' '));
  const spies = METHODS.map((method) =>
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => void record(args)),
  );
  return {
    onUnexpected: (error) => record(['unexpected', error]),
    lines: () => [...lines],
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}
