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

/**
 * The first structured log line (as TestGateway.logLines holds them) that matches, waited for: a request's HTTP line
 * is written when its response closes, which may be just after the client has read it.
 */
export async function logLine(
  lines: readonly Record<string, unknown>[],
  match: Record<string, unknown>,
  timeoutMs = 3_000,
): Promise<Record<string, unknown>> {
  const matches = (line: Record<string, unknown>) => Object.entries(match).every(([key, value]) => line[key] === value);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = lines.find(matches);
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no log line matches ${JSON.stringify(match)}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** Every structured log line of one request id. */
export function linesOf(lines: readonly Record<string, unknown>[], requestId: string): Record<string, unknown>[] {
  return lines.filter((line) => line.requestId === requestId);
}
