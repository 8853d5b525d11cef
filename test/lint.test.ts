import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const run = promisify(execFile);

/** Output of a command that failed, or '' when it succeeded. */
function failureOutput(command: string, args: string[]): Promise<string> {
  return run(process.execPath, [command, ...args]).then(
    () => '',
    (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
  );
}

// Lint (correctness rules and the architecture's import boundaries, eslint.config.js) and formatting are part of the
// suite, so a change that breaks either fails `npm test` like a failing assertion.
it('is lint clean, import boundaries included', async () => {
  expect(await failureOutput('node_modules/eslint/bin/eslint.js', ['--max-warnings=0', '.'])).toBe('');
}, 120_000);

it('is formatted as Prettier writes it', async () => {
  expect(await failureOutput('node_modules/prettier/bin/prettier.cjs', ['--check', '--log-level=warn', '.'])).toBe('');
}, 120_000);
